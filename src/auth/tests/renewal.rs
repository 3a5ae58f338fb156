//! App token fetching, user token refresh (proactive and after a 401), single-flight, and the
//! save-before-use order.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::future::BoxFuture;
use wiremock::{MockServer, ResponseTemplate};

use super::*;
use crate::Error;
use crate::auth::{AccessToken, AuthError, MemoryTokenStore, Scope, StoreError, TokenKind, UserToken};

#[tokio::test]
async fn app_token_is_fetched_on_first_need_and_reused() {
    let server = oauth_host().await;
    app_token_endpoint(&server, "app-1", 3600).await;
    let tokens = manager(&server);
    assert!(token_forms(&server).await.is_empty(), "nothing fetched before need");

    let first = tokens.access_token(TokenKind::App).await.unwrap();
    let second = tokens.access_token(TokenKind::App).await.unwrap();

    assert_eq!(first.secret(), "app-1");
    assert_eq!(second, first);
    let forms = token_forms(&server).await;
    assert_eq!(forms.len(), 1);
    assert_form(
        &forms[0],
        &[("grant_type", "client_credentials"), ("client_id", CLIENT_ID), ("client_secret", CLIENT_SECRET)],
    );
}

#[tokio::test]
async fn expired_app_token_is_fetched_again_never_refreshed() {
    let server = oauth_host().await;
    // 30 s of validity is inside the 60 s margin: stale at once.
    app_token_endpoint(&server, "app-short", 30).await;
    let tokens = manager(&server);

    tokens.access_token(TokenKind::App).await.unwrap();
    tokens.access_token(TokenKind::App).await.unwrap();

    let forms = token_forms(&server).await;
    assert_eq!(forms.len(), 2);
    assert!(forms.iter().all(|f| f["grant_type"] == "client_credentials" && !f.contains_key("refresh_token")));
}

#[tokio::test]
async fn rejected_app_token_is_fetched_again_once() {
    let server = oauth_host().await;
    app_token_endpoint(&server, "app-1", 3600).await;
    let tokens = manager(&server);
    let rejected = tokens.access_token(TokenKind::App).await.unwrap();

    let renewed = tokens.after_unauthorized(TokenKind::App, &rejected).await.unwrap();
    assert_eq!(token_forms(&server).await.len(), 2);
    // The server answers the same value here, so the "already replaced" path is shown with a token
    // that is not the current one.
    let stale = AccessToken::new("some-older-token");
    let current = tokens.after_unauthorized(TokenKind::App, &stale).await.unwrap();
    assert_eq!(current, renewed);
    assert_eq!(token_forms(&server).await.len(), 2, "no request for a token already replaced");
    assert!(token_forms(&server).await.iter().all(|f| f["grant_type"] == "client_credentials"));
}

#[tokio::test]
async fn user_call_without_user_token_is_a_typed_error_before_any_request() {
    let server = oauth_host().await;
    let tokens = manager(&server);
    let err = tokens.access_token(TokenKind::User).await.unwrap_err();
    assert!(matches!(err, Error::MissingToken { kind: TokenKind::User }), "{err:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn user_token_is_refreshed_proactively_within_the_margin() {
    let server = oauth_host().await;
    refreshes_to_user_2(&server, Duration::ZERO).await;
    let store = MemoryTokenStore::new();
    let tokens = manager_with_store(&server, store.clone());
    // 30 s left, margin 60 s.
    tokens.set_user_token("user-1", Some("refresh-1"), 30, "user:read").await.unwrap();

    let token = tokens.access_token(TokenKind::User).await.unwrap();

    assert_eq!(token.secret(), "user-2");
    let forms = token_forms(&server).await;
    assert_eq!(forms.len(), 1);
    assert_form(
        &forms[0],
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", "refresh-1"),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
        ],
    );
    let saved = store.load(CLIENT_ID).await.unwrap().unwrap();
    assert_eq!(saved.refresh_token().unwrap().secret(), "refresh-2");
    assert_eq!(tokens.user_scopes(), Some(vec![Scope::UserRead, Scope::ChatWrite]));
    // Fresh now: no second refresh.
    tokens.access_token(TokenKind::User).await.unwrap();
    assert_eq!(token_forms(&server).await.len(), 1);
}

#[tokio::test]
async fn fresh_user_token_is_used_without_a_request() {
    let server = oauth_host().await;
    let tokens = manager(&server);
    tokens.set_user_token("user-1", Some("refresh-1"), 3600, "user:read").await.unwrap();
    assert_eq!(tokens.access_token(TokenKind::User).await.unwrap().secret(), "user-1");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unauthorized_user_token_is_refreshed_once_for_all_concurrent_callers() {
    let server = oauth_host().await;
    refreshes_to_user_2(&server, Duration::from_millis(200)).await;
    let tokens = manager(&server);
    tokens.set_user_token("user-1", Some("refresh-1"), 3600, "").await.unwrap();
    let rejected = tokens.access_token(TokenKind::User).await.unwrap();

    let calls = (0..50).map(|_| {
        let (tokens, rejected) = (Arc::clone(&tokens), rejected.clone());
        tokio::spawn(async move { tokens.after_unauthorized(TokenKind::User, &rejected).await })
    });
    for result in futures::future::join_all(calls).await {
        assert_eq!(result.unwrap().unwrap().secret(), "user-2");
    }
    assert_eq!(token_forms(&server).await.len(), 1);

    // A late 401 for the old token: already replaced, no new request.
    let late = tokens.after_unauthorized(TokenKind::User, &rejected).await.unwrap();
    assert_eq!(late.secret(), "user-2");
    assert_eq!(token_forms(&server).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_calls_with_an_expired_token_make_one_refresh() {
    let server = oauth_host().await;
    refreshes_to_user_2(&server, Duration::from_millis(100)).await;
    let tokens = manager(&server);
    tokens.set_user_token("user-1", Some("refresh-1"), 0, "").await.unwrap();

    let secrets = concurrent_tokens(&tokens, TokenKind::User, 1000).await;
    assert!(secrets.iter().all(|secret| secret == "user-2"));
    assert_eq!(token_forms(&server).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_first_app_calls_make_one_request() {
    let server = oauth_host().await;
    token_endpoint(
        &server,
        "client_credentials",
        ResponseTemplate::new(200).set_body_json(app_token_json("app-1", 3600)).set_delay(Duration::from_millis(100)),
    )
    .await;
    let tokens = manager(&server);
    let secrets = concurrent_tokens(&tokens, TokenKind::App, 1000).await;
    assert!(secrets.iter().all(|secret| secret == "app-1"));
    assert_eq!(token_forms(&server).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_the_caller_that_started_a_refresh_does_not_strand_the_others() {
    let server = oauth_host().await;
    refreshes_to_user_2(&server, Duration::from_millis(300)).await;
    let tokens = manager(&server);
    tokens.set_user_token("user-1", Some("refresh-1"), 0, "").await.unwrap();

    let starter = {
        let tokens = Arc::clone(&tokens);
        tokio::spawn(async move { tokens.access_token(TokenKind::User).await })
    };
    // Wait until the refresh request is on the wire, then cancel the task that started it.
    while server.received_requests().await.unwrap().is_empty() {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    starter.abort();

    let token = tokens.access_token(TokenKind::User).await.unwrap();
    assert_eq!(token.secret(), "user-2");
    assert_eq!(token_forms(&server).await.len(), 1, "the second caller joined the running refresh");
}

#[tokio::test]
async fn refused_refresh_is_typed_and_keeps_the_old_token() {
    let server = oauth_host().await;
    token_endpoint(
        &server,
        "refresh_token",
        ResponseTemplate::new(400)
            .set_body_json(serde_json::json!({"error": "invalid_grant", "error_description": "refresh token revoked"})),
    )
    .await;
    let tokens = manager(&server);
    tokens.set_user_token("user-1", Some("refresh-1"), 0, "").await.unwrap();

    let err = tokens.access_token(TokenKind::User).await.unwrap_err();
    let Error::Auth(err) = err else { panic!("{err:?}") };
    assert!(
        matches!(&err, AuthError::RefreshRefused { status: 400, error, description } if error == "invalid_grant" && description.as_deref() == Some("refresh token revoked")),
        "{err:?}"
    );
    assert!(err.needs_login());
    // The next call tries again (the flight was cleared), with the same refresh token.
    tokens.access_token(TokenKind::User).await.unwrap_err();
    let forms = token_forms(&server).await;
    assert_eq!(forms.len(), 2);
    assert!(forms.iter().all(|f| f["refresh_token"] == "refresh-1"));
}

#[tokio::test]
async fn refresh_refused_with_an_empty_body_names_the_status() {
    let server = oauth_host().await;
    token_endpoint(&server, "refresh_token", ResponseTemplate::new(400)).await;
    let tokens = manager(&server);
    tokens.set_user_token("user-1", Some("refresh-1"), 0, "").await.unwrap();
    let err = tokens.access_token(TokenKind::User).await.unwrap_err();
    assert_eq!(err.to_string(), "token refresh refused (HTTP 400): empty response body");
}

#[tokio::test]
async fn expired_user_token_without_refresh_token_asks_for_login() {
    let server = oauth_host().await;
    let tokens = manager(&server);
    tokens.set_user_token("user-1", None, 0, "").await.unwrap();
    let err = tokens.access_token(TokenKind::User).await.unwrap_err();
    assert!(matches!(err, Error::Auth(AuthError::NoRefreshToken)), "{err:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn refresh_answer_without_refresh_token_keeps_the_old_one() {
    let server = oauth_host().await;
    token_endpoint(
        &server,
        "refresh_token",
        ResponseTemplate::new(200)
            .set_body_json(serde_json::json!({"access_token": "user-2", "token_type": "Bearer", "expires_in": 7200})),
    )
    .await;
    let store = MemoryTokenStore::new();
    let tokens = manager_with_store(&server, store.clone());
    tokens.set_user_token("user-1", Some("refresh-1"), 0, "user:read").await.unwrap();
    tokens.access_token(TokenKind::User).await.unwrap();
    let saved = store.load(CLIENT_ID).await.unwrap().unwrap();
    assert_eq!(saved.access_token().secret(), "user-2");
    assert_eq!(saved.refresh_token().unwrap().secret(), "refresh-1");
    assert_eq!(saved.scopes(), Some(&[Scope::UserRead][..]));
}

#[tokio::test]
async fn stored_token_is_loaded_on_first_need() {
    let server = oauth_host().await;
    let store = MemoryTokenStore::new();
    store
        .save(
            CLIENT_ID,
            &UserToken::new(
                "stored-access",
                Some("stored-refresh".into()),
                std::time::Duration::from_secs(3600),
                &[crate::auth::Scope::ChatWrite],
            ),
        )
        .await
        .unwrap();
    let tokens = manager_with_store(&server, store);
    assert_eq!(tokens.user_scopes(), None, "not loaded before first need");
    assert_eq!(tokens.access_token(TokenKind::User).await.unwrap().secret(), "stored-access");
    assert_eq!(tokens.user_scopes(), Some(vec![Scope::ChatWrite]));
    assert!(server.received_requests().await.unwrap().is_empty());
}

/// A store that logs each save and can be made slow or failing.
#[derive(Debug, Clone, Default)]
struct RecordingStore {
    log: Arc<Mutex<Vec<String>>>,
    fail: bool,
}

impl TokenStore for RecordingStore {
    fn load<'a>(&'a self, _: &'a str) -> BoxFuture<'a, Result<Option<UserToken>, StoreError>> {
        Box::pin(async { Ok(None) })
    }

    fn save<'a>(&'a self, _: &'a str, token: &'a UserToken) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let access = token.access_token().secret().to_owned();
            self.log.lock().unwrap().push(format!("save started {access}"));
            // Slow disk: anyone who got the token before this finished would show up first.
            tokio::time::sleep(Duration::from_millis(50)).await;
            if self.fail {
                return Err(StoreError::new("disk full"));
            }
            self.log.lock().unwrap().push(format!("saved {access}"));
            Ok(())
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotated_refresh_token_is_saved_before_the_new_token_is_used() {
    let server = oauth_host().await;
    refreshes_to_user_2(&server, Duration::ZERO).await;
    let store = RecordingStore::default();
    let tokens = manager_with_store(&server, store.clone());
    tokens.set_user_token("user-1", Some("refresh-1"), 0, "").await.unwrap();

    let calls = (0..10).map(|_| {
        let (tokens, log) = (Arc::clone(&tokens), Arc::clone(&store.log));
        tokio::spawn(async move {
            let token = tokens.access_token(TokenKind::User).await.unwrap();
            log.lock().unwrap().push(format!("used {}", token.secret()));
        })
    });
    futures::future::join_all(calls).await;

    let log = store.log.lock().unwrap().clone();
    assert_eq!(&log[..4], ["save started user-1", "saved user-1", "save started user-2", "saved user-2"]);
    assert_eq!(log[4..].len(), 10);
    assert!(log[4..].iter().all(|entry| entry == "used user-2"), "{log:?}");
}

#[tokio::test]
async fn a_failed_save_is_reported_and_the_new_token_kept_in_memory() {
    let server = oauth_host().await;
    refreshes_to_user_2(&server, Duration::ZERO).await;
    let tokens = manager_with_store(&server, RecordingStore { fail: true, ..Default::default() });
    tokens.user.set(Arc::new(UserToken::new(
        "user-1",
        Some("refresh-1".into()),
        std::time::Duration::from_secs(0),
        &[],
    )));
    let _ = tokens.loaded.set(());

    let err = tokens.access_token(TokenKind::User).await.unwrap_err();
    assert!(matches!(&err, Error::Auth(AuthError::Store(_))), "{err:?}");
    assert_eq!(err.to_string(), "token store: disk full");
    // The rotated token is not lost: the next call uses it without another refresh.
    assert_eq!(tokens.access_token(TokenKind::User).await.unwrap().secret(), "user-2");
    assert_eq!(token_forms(&server).await.len(), 1);
}

#[tokio::test]
async fn introspection_sends_the_bearer_token_and_reads_kicks_answer() {
    use wiremock::matchers::{header, method, path};
    let server = oauth_host().await;
    wiremock::Mock::given(method("POST"))
        .and(path("/oauth/token/introspect"))
        .and(header("authorization", "Bearer user-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "data": {"active": true, "client_id": "cid", "token_type": "user", "scope": "user:read channel:read", "exp": 1771046347},
            "message": "OK"
        })))
        .mount(&server)
        .await;
    let tokens = manager(&server);
    tokens.set_user_token("user-1", None, 3600, "").await.unwrap();
    let info = tokens.introspect_token(TokenKind::User).await.unwrap();
    assert!(info.active);
    assert_eq!(info.client_id.as_ref().map(|id| id.as_str()), Some("cid"));
    assert_eq!(info.token_type.as_deref(), Some("user"));
    assert_eq!(info.scopes, Some(vec![Scope::UserRead, Scope::ChannelRead]));
    assert_eq!(info.expires_at.unwrap().timestamp(), 1771046347);
}

#[tokio::test]
async fn revocation_sends_the_token_in_the_form_with_kicks_hint_name() {
    use wiremock::matchers::{method, path};
    let server = oauth_host().await;
    wiremock::Mock::given(method("POST"))
        .and(path("/oauth/revoke"))
        .respond_with(ResponseTemplate::new(200).set_body_string("OK"))
        .mount(&server)
        .await;
    let tokens = manager(&server);
    tokens.revoke_token("user-1", Some(crate::auth::TokenHint::RefreshToken)).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].url.query(), None, "the token stays out of the URL");
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&requests[0].body).into_owned().collect();
    assert_eq!(
        form,
        [("token".to_owned(), "user-1".to_owned()), ("token_hint_type".to_owned(), "refresh_token".to_owned())]
    );
}

#[tokio::test]
async fn refused_revocation_is_typed() {
    use wiremock::matchers::{method, path};
    let server = oauth_host().await;
    wiremock::Mock::given(method("POST"))
        .and(path("/oauth/revoke"))
        .respond_with(ResponseTemplate::new(400).set_body_json(serde_json::json!({"error": "Invalid request"})))
        .mount(&server)
        .await;
    let err = manager(&server).revoke_token("tok", None).await.unwrap_err();
    assert!(
        matches!(&err, AuthError::RevokeRefused { status: 400, error, .. } if error == "Invalid request"),
        "{err:?}"
    );
}

/// `n` concurrent `access_token(kind)` calls on their own tasks; the tokens they got.
async fn concurrent_tokens(tokens: &Arc<TokenManager>, kind: TokenKind, n: usize) -> Vec<String> {
    let calls = (0..n).map(|_| {
        let tokens = Arc::clone(tokens);
        tokio::spawn(async move { tokens.access_token(kind).await })
    });
    let results = futures::future::join_all(calls).await;
    results.into_iter().map(|r| r.unwrap().unwrap().secret().to_string()).collect()
}

/// Kick's token endpoint answering every refresh with `user-2`/`refresh-2`, after `delay`.
async fn refreshes_to_user_2(server: &MockServer, delay: Duration) {
    let answer =
        ResponseTemplate::new(200).set_body_json(user_token_json("user-2", "refresh-2", 7200)).set_delay(delay);
    token_endpoint(server, "refresh_token", answer).await;
}
