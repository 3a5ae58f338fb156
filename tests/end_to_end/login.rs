//! The whole PKCE login against MockKick's OAuth server, with a simulated browser that follows the
//! authorize redirect to the loopback callback; then a user call that MockKick accepts.

use std::collections::HashMap;

use kickrs::auth::{AuthError, Scope, TokenKind};
use kickrs::mock::MockKick;
use kickrs::mock::seed::BYTEBARD_ID;

use super::{log_in_with_browser, login_client, requests_to};

const SCOPES: &[Scope] = &[Scope::UserRead, Scope::ChannelRead, Scope::ChatWrite];

#[tokio::test]
async fn pkce_login_through_a_simulated_browser_then_user_calls_are_accepted() {
    let mock = MockKick::start().await;
    mock.set_authorizing_user(BYTEBARD_ID);
    let (client, mut urls) = login_client(&mock);

    let ((status, page), url, outcome) = log_in_with_browser(&client, &mut urls, SCOPES).await;

    assert!(url.as_str().starts_with(&format!("{}/oauth/authorize?", mock.oauth_base_url())), "{url}");
    let query: HashMap<String, String> = url.query_pairs().into_owned().collect();
    assert_eq!(query["redirect"], "127.0.0.1", "Kick's workaround parameter");
    assert_eq!(query["code_challenge_method"], "S256");
    assert_eq!(query["scope"], "user:read channel:read chat:write");
    assert_eq!((status, page.contains("You can close this tab")), (200, true), "{page}");
    let token = outcome.unwrap();
    assert_eq!(token.scopes(), Some(SCOPES));
    assert!(token.refresh_token().is_some());
    // MockKick checked the PKCE verifier, client secret and redirect URI before issuing the token.
    let grants = mock.token_requests();
    assert_eq!(grants.len(), 1, "{grants:?}");
    assert_eq!((grants[0].grant_type.as_str(), grants[0].status), ("authorization_code", 200));

    let sent = client.send_chat_message("logged in through PKCE", Default::default()).await.unwrap();
    assert!(sent.is_sent);
    let stored = mock.chat_messages().into_iter().find(|m| m.message_id == sent.message_id).unwrap();
    assert_eq!((stored.sender_user_id, stored.broadcaster_user_id), (BYTEBARD_ID, BYTEBARD_ID));
    assert_eq!((stored.content.as_str(), stored.kind.as_str()), ("logged in through PKCE", "bot"));
    let chat = mock.requests().into_iter().find(|r| r.path == "/public/v1/chat").unwrap();
    let bearer = format!("Bearer {}", token.access_token().secret());
    assert_eq!(chat.header("authorization"), Some(bearer.as_str()), "the user call uses the exchanged token");

    let mine = client.fetch_current_channel().await.unwrap();
    assert_eq!((mine.slug.as_str(), mine.broadcaster_user_id), ("bytebard", BYTEBARD_ID));
    assert_eq!(mock.token_requests().len(), 1, "no further token request was needed");
}

#[tokio::test]
async fn denied_consent_ends_the_login_with_a_typed_error_and_no_token() {
    let mock = MockKick::start().await;
    mock.deny_next_authorization("The user pressed Cancel");
    let (client, mut urls) = login_client(&mock);

    let ((status, page), _, outcome) = log_in_with_browser(&client, &mut urls, SCOPES).await;

    assert_eq!(status, 400);
    assert!(page.contains("access_denied") && page.contains("The user pressed Cancel"), "{page}");
    match outcome {
        Err(kickrs::Error::Auth(AuthError::Denied { error, description })) => {
            assert_eq!(error, "access_denied");
            assert_eq!(description.as_deref(), Some("The user pressed Cancel"));
        }
        other => panic!("expected a denied login, got {other:?}"),
    }
    assert!(mock.token_requests().is_empty(), "nothing was exchanged");
    let refused = client.send_chat_message("should not be sent", Default::default()).await.unwrap_err();
    assert!(matches!(refused, kickrs::Error::MissingToken { kind: TokenKind::User }), "{refused:?}");
    assert_eq!(requests_to(&mock, "POST", "/public/v1/chat"), 0);

    // The next consent is granted: the same client can log in after a denial.
    let ((status, _), _, outcome) = log_in_with_browser(&client, &mut urls, SCOPES).await;
    assert_eq!(status, 200);
    outcome.unwrap();
    client.send_chat_message("second try", Default::default()).await.unwrap();
}
