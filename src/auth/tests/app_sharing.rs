//! The app token shared through the store: one request for the clients sharing it, a rejected
//! token never taken back from the store, and a failing store costing a request, not the call.

use std::time::Duration;

use futures::future::BoxFuture;
use wiremock::matchers::{body_string_contains, method, path};
use wiremock::{Mock, ResponseTemplate};

use super::*;
use crate::auth::{AppToken, FileTokenStore, MemoryTokenStore, StoreError, TokenKind, UserToken};

#[tokio::test]
async fn clients_sharing_a_store_fetch_one_app_token() {
    let server = oauth_host().await;
    app_token_endpoint(&server, "app-1", 3600).await;
    let store = MemoryTokenStore::new();
    let (a, b) = (manager_with_store(&server, store.clone()), manager_with_store(&server, store.clone()));
    let calls = (0..50).flat_map(|_| [a.access_token(TokenKind::App), b.access_token(TokenKind::App)]);
    let tokens = futures::future::join_all(calls).await;
    assert!(tokens.iter().all(|t| t.as_ref().is_ok_and(|t| t.secret() == "app-1")));
    assert_eq!(token_forms(&server).await.len(), 1, "one client_credentials request for both");
    let stored = store.load_app_token(CLIENT_ID).await.unwrap().expect("saved before use");
    assert_eq!(stored.access_token().secret(), "app-1");
}

#[tokio::test]
async fn a_rejected_app_token_is_not_taken_back_from_the_store() {
    let server = oauth_host().await;
    // app-1 once, then app-2.
    let answer = |access: &str| ResponseTemplate::new(200).set_body_json(app_token_json(access, 3600));
    let grant = || {
        Mock::given(method("POST")).and(path("/oauth/token")).and(body_string_contains("grant_type=client_credentials"))
    };
    grant().respond_with(answer("app-1")).up_to_n_times(1).mount(&server).await;
    grant().respond_with(answer("app-2")).mount(&server).await;
    let store = MemoryTokenStore::new();
    let (a, b) = (manager_with_store(&server, store.clone()), manager_with_store(&server, store.clone()));
    let first = a.access_token(TokenKind::App).await.unwrap();
    assert_eq!(b.access_token(TokenKind::App).await.unwrap(), first, "b takes a's token from the store");

    // Kick answers 401 to app-1 for b: the store still holds app-1, which must not be used again.
    let renewed = b.after_unauthorized(TokenKind::App, &first).await.unwrap();
    assert_eq!(renewed.secret(), "app-2");
    assert_eq!(token_forms(&server).await.len(), 2);
    // a, rejected too, finds b's new token in the store: no request.
    assert_eq!(a.after_unauthorized(TokenKind::App, &first).await.unwrap(), renewed);
    assert_eq!(token_forms(&server).await.len(), 2);
}

#[tokio::test]
async fn a_stale_stored_app_token_is_replaced() {
    let server = oauth_host().await;
    app_token_endpoint(&server, "app-new", 3600).await;
    let store = MemoryTokenStore::new();
    // Within the refresh margin: as good as expired.
    store.save_app_token(CLIENT_ID, &AppToken::new("app-old", 30)).await.unwrap();
    let tokens = manager_with_store(&server, store.clone());
    assert_eq!(tokens.access_token(TokenKind::App).await.unwrap().secret(), "app-new");
    assert_eq!(store.load_app_token(CLIENT_ID).await.unwrap().unwrap().access_token().secret(), "app-new");
}

/// A store whose app token side always fails (think: Redis lost).
#[derive(Debug)]
struct Broken;

impl TokenStore for Broken {
    fn load<'a>(&'a self, _: &'a str) -> BoxFuture<'a, Result<Option<UserToken>, StoreError>> {
        Box::pin(async { Ok(None) })
    }
    fn save<'a>(&'a self, _: &'a str, _: &'a UserToken) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async { Ok(()) })
    }
    fn load_app_token<'a>(&'a self, _: &'a str) -> BoxFuture<'a, Result<Option<AppToken>, StoreError>> {
        Box::pin(async { Err(StoreError::new("store down").transient()) })
    }
}

#[tokio::test]
async fn a_failing_store_costs_a_token_request_not_the_call() {
    let server = oauth_host().await;
    app_token_endpoint(&server, "app-1", 3600).await;
    let tokens = manager_with_store(&server, Broken);
    assert_eq!(tokens.access_token(TokenKind::App).await.unwrap().secret(), "app-1");
    assert_eq!(tokens.access_token(TokenKind::App).await.unwrap().secret(), "app-1");
    assert_eq!(token_forms(&server).await.len(), 1, "kept in the process");
}

#[tokio::test]
async fn the_file_store_keeps_app_tokens_beside_the_user_token_file_and_leases_them_apart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    let (store, other_process) = (FileTokenStore::new(&path), FileTokenStore::new(&path));
    store
        .save(
            "app-a",
            &UserToken::new(
                "user-a",
                Some("refresh-a".into()),
                std::time::Duration::from_secs(3600),
                &[crate::auth::Scope::UserRead],
            ),
        )
        .await
        .unwrap();
    store.save_app_token("app-a", &AppToken::new("app-token-a", 3600)).await.unwrap();
    store.save_app_token("app-b", &AppToken::new("app-token-b", 3600)).await.unwrap();

    let loaded = other_process.load_app_token("app-a").await.unwrap().expect("saved");
    assert_eq!(loaded.access_token().secret(), "app-token-a");
    assert_eq!(other_process.load_app_token("app-b").await.unwrap().unwrap().access_token().secret(), "app-token-b");
    // The user token file keeps its documented format: client id -> user token.
    let users: std::collections::BTreeMap<String, UserToken> =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(users.keys().collect::<Vec<_>>(), ["app-a"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let app_file = dir.path().join(".tokens.json.app-tokens");
        assert_eq!(std::fs::metadata(app_file).unwrap().permissions().mode() & 0o777, 0o600);
    }

    let ttl = Duration::from_secs(30);
    let refresh = store.try_lease("app-a", ttl).await.unwrap().expect("free");
    let app = store.try_app_lease("app-a", ttl).await.unwrap().expect("not the refresh lease");
    assert!(other_process.try_app_lease("app-a", ttl).await.unwrap().is_none(), "held");
    assert!(other_process.try_app_lease("app-b", ttl).await.unwrap().is_some(), "per client id");
    store.release_app_lease("app-a", app).await.unwrap();
    assert!(other_process.try_app_lease("app-a", ttl).await.unwrap().is_some(), "released");
    drop(refresh);
}

#[tokio::test]
async fn the_file_store_removes_one_client_ids_user_token_under_its_lock() {
    let dir = tempfile::tempdir().unwrap();
    let store = FileTokenStore::new(dir.path().join("tokens.json"));
    assert!(store.remove("app-a").await.unwrap().is_none(), "nothing to remove");
    store.save("app-a", &UserToken::new("user-a", None, std::time::Duration::from_secs(3600), &[])).await.unwrap();
    store.save("app-b", &UserToken::new("user-b", None, std::time::Duration::from_secs(3600), &[])).await.unwrap();

    let removed = store.remove("app-a").await.unwrap().expect("removed");
    assert_eq!(removed.access_token().secret(), "user-a");
    assert!(store.load("app-a").await.unwrap().is_none());
    assert_eq!(store.load("app-b").await.unwrap().unwrap().access_token().secret(), "user-b", "others kept");
    assert!(store.remove("app-a").await.unwrap().is_none(), "removed once");
}

#[tokio::test]
async fn a_callback_store_still_works_with_an_app_token_per_client() {
    let server = oauth_host().await;
    app_token_endpoint(&server, "app-1", 3600).await;
    let store = crate::auth::CallbackTokenStore::new(None, |_, _| Ok(()));
    let (a, b) = (manager_with_store(&server, store.clone()), manager_with_store(&server, store));
    a.access_token(TokenKind::App).await.unwrap();
    b.access_token(TokenKind::App).await.unwrap();
    assert_eq!(token_forms(&server).await.len(), 2, "the default keeps no app token");
}

#[test]
fn app_tokens_serialize_for_stores_and_debug_redacted() {
    let token = AppToken::new("app-secret", 3600);
    let json = serde_json::to_value(&token).unwrap();
    assert_eq!(json["access_token"], "app-secret");
    assert_eq!(json["expires_at"], token.expires_at().timestamp());
    let back: AppToken = serde_json::from_value(json).unwrap();
    assert_eq!(back.access_token(), token.access_token());
    assert!(!format!("{token:?}").contains("app-secret"));
    assert_eq!(AppToken::new("x", 0).time_left(), Duration::ZERO);
}
