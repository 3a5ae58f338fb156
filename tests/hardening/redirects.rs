//! Item 1: credentials never leave their origin. Every token-endpoint call and a GET and a POST API
//! call, answered with each redirect status, with the built-in client and with a caller's client that
//! follows redirects: the other origin receives nothing, the error names the status and the Location,
//! and nothing from the redirect is stored.

use kickrs::auth::{AuthError, Scope, TokenKind};
use kickrs::{Error, KickClient};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::support::{EVERY_HTTP, client, envelope, other_origin, token_endpoint};

const REDIRECTS: [u16; 5] = [301, 302, 303, 307, 308];

/// Answers `verb path` on `kick` with a `status` redirect to `other`; returns the Location.
async fn redirect(kick: &MockServer, verb: &str, at: &str, status: u16, other: &MockServer) -> String {
    let location = format!("{}/steal{at}", other.uri());
    Mock::given(method(verb))
        .and(path(at))
        .respond_with(ResponseTemplate::new(status).insert_header("Location", location.as_str()))
        .with_priority(1)
        .mount(kick)
        .await;
    location
}

async fn nothing_reached(other: &MockServer, case: &str) {
    let received = other.received_requests().await.unwrap_or_default();
    assert!(received.is_empty(), "{case}: the other origin received {:?}", received.first().map(|r| r.url.to_string()));
}

/// Runs `call` against a Kick whose `verb at` redirects, for every status and HTTP client, and checks
/// the typed error (via `check`) and that the other origin saw nothing.
async fn each_redirect<F, Fut>(verb: &str, at: &str, call: F, check: fn(&Error, u16, &str) -> bool)
where
    F: Fn(KickClient) -> Fut,
    Fut: Future<Output = (Result<(), Error>, KickClient)>,
{
    for http in EVERY_HTTP {
        for status in REDIRECTS {
            let case = format!("{verb} {at} answered {status} ({http:?})");
            let (kick, other) = (MockServer::start().await, other_origin().await);
            let location = redirect(&kick, verb, at, status, &other).await;
            token_endpoint(&kick).await;
            let (result, client) = call(client(&kick, http)).await;
            let error = result.expect_err(&case);
            assert!(check(&error, status, &location), "{case}: {error:?}");
            assert!(error.to_string().contains(&location), "{case}: the Display names the Location: {error}");
            nothing_reached(&other, &case).await;
            // Nothing from the other origin became a token.
            if let Some(token) = client.user_token().await.ok().flatten() {
                assert_ne!(token.access_token().secret(), "stolen-token", "{case}");
            }
        }
    }
}

fn oauth_redirect(error: &Error, status: u16, location: &str) -> bool {
    matches!(error, Error::Auth(AuthError::Redirected { status: s, location: Some(l), .. }) if *s == status && l == location)
}

fn api_redirect(error: &Error, status: u16, location: &str) -> bool {
    matches!(error, Error::Redirected { status: s, location: Some(l), .. } if s.as_u16() == status && l == location)
}

#[tokio::test]
async fn client_credentials_never_follow_a_redirect() {
    each_redirect(
        "POST",
        "/oauth/token",
        |client| async move { (client.fetch_user(1).await.map(drop), client) },
        oauth_redirect,
    )
    .await;
}

#[tokio::test]
async fn a_refresh_never_follows_a_redirect_and_keeps_the_old_token() {
    each_redirect(
        "POST",
        "/oauth/token",
        |client| async move {
            client
                .set_user_token(
                    "old-access",
                    "old-refresh",
                    std::time::Duration::ZERO,
                    &[kickrs::auth::Scope::ChannelRead],
                )
                .await
                .unwrap();
            let result = client.fetch_current_channel().await.map(drop);
            let kept = client.user_token().await.unwrap().unwrap();
            assert_eq!(kept.access_token().secret(), "old-access", "the token store is unchanged");
            (result, client)
        },
        oauth_redirect,
    )
    .await;
}

#[tokio::test]
async fn a_code_exchange_never_follows_a_redirect_and_stores_nothing() {
    each_redirect(
        "POST",
        "/oauth/token",
        |client| async move {
            let redirect_uri = "http://127.0.0.1:3999/callback".parse().unwrap();
            let (_, pending) = client.authorization_url(&[Scope::UserRead], &redirect_uri).unwrap();
            let state = pending.state().to_owned();
            let result = pending.complete("the-code", &state).await.map(drop).map_err(Error::Auth);
            assert!(client.user_token().await.unwrap().is_none(), "no token stored");
            (result, client)
        },
        oauth_redirect,
    )
    .await;
}

#[tokio::test]
async fn a_revocation_never_follows_a_redirect() {
    each_redirect(
        "POST",
        "/oauth/revoke",
        |client| async move { (client.revoke_token("token-to-revoke", None).await, client) },
        oauth_redirect,
    )
    .await;
}

#[tokio::test]
async fn an_introspection_never_follows_a_redirect() {
    each_redirect(
        "POST",
        "/oauth/token/introspect",
        |client| async move {
            client
                .set_user_token(
                    "user-access",
                    "user-refresh",
                    std::time::Duration::from_secs(3600),
                    &[kickrs::auth::Scope::UserRead],
                )
                .await
                .unwrap();
            (client.introspect_token(TokenKind::User).await.map(drop), client)
        },
        oauth_redirect,
    )
    .await;
}

#[tokio::test]
async fn a_get_never_follows_a_redirect_with_the_bearer_token() {
    each_redirect(
        "GET",
        "/public/v1/users",
        |client| async move { (client.fetch_user(1).await.map(drop), client) },
        api_redirect,
    )
    .await;
}

#[tokio::test]
async fn a_post_never_follows_a_redirect_with_its_body() {
    each_redirect(
        "POST",
        "/public/v1/chat",
        |client| async move {
            client
                .set_user_token(
                    "user-access",
                    "user-refresh",
                    std::time::Duration::from_secs(3600),
                    &[kickrs::auth::Scope::ChatWrite],
                )
                .await
                .unwrap();
            let options = kickrs::api::SendChatMessageOptions::default();
            (client.send_chat_message("hello", options).await.map(drop), client)
        },
        api_redirect,
    )
    .await;
}

/// The same request without a redirect works, so the refusals above are about the redirect alone.
#[tokio::test]
async fn without_a_redirect_the_same_calls_succeed() {
    for http in EVERY_HTTP {
        let kick = MockServer::start().await;
        token_endpoint(&kick).await;
        Mock::given(method("GET"))
            .and(path("/public/v1/users"))
            .respond_with(ResponseTemplate::new(200).set_body_json(envelope(serde_json::json!([{
                "user_id": 1, "name": "one", "email": "one@example.com", "profile_picture": "p"
            }]))))
            .mount(&kick)
            .await;
        let user = client(&kick, http).fetch_user(1).await;
        assert!(user.is_ok(), "{http:?}: {user:?}");
    }
}
