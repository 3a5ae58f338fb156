//! No secret in `Debug` of tokens, config, stores, manager and pending logins, nor in errors.

use wiremock::ResponseTemplate;

use super::*;
use crate::auth::login::authorization_url;
use crate::auth::{
    AccessToken, AuthError, CallbackTokenStore, FileTokenStore, MemoryTokenStore, RefreshToken, Scope, TokenKind,
    UserToken,
};

fn assert_clean(text: &str, secrets: &[&str]) {
    for secret in secrets {
        assert!(!text.contains(secret), "{secret:?} leaked in: {text}");
    }
}

#[tokio::test]
async fn debug_output_redacts_every_secret() {
    let server = oauth_host().await;
    app_token_endpoint(&server, "app-secret-token", 3600).await;
    let user = UserToken::new(
        "user-secret-token",
        Some("refresh-secret-token".into()),
        std::time::Duration::from_secs(3600),
        &[crate::auth::Scope::UserRead],
    );
    let store = MemoryTokenStore::new();
    store.save(CLIENT_ID, &user).await.unwrap();
    let tokens = manager_with_store(&server, store.clone());
    tokens.access_token(TokenKind::App).await.unwrap();
    tokens.access_token(TokenKind::User).await.unwrap();
    let (_, pending) =
        authorization_url(&tokens, &[Scope::UserRead], &"http://127.0.0.1:3000/callback".parse().unwrap()).unwrap();
    let state = pending.state().to_owned();
    let secrets = [CLIENT_SECRET, "app-secret-token", "user-secret-token", "refresh-secret-token", state.as_str()];

    let outputs = [
        format!("{:?}", AccessToken::new("user-secret-token")),
        format!("{:?}", RefreshToken::new("refresh-secret-token")),
        format!("{user:?}"),
        format!("{:#?}", tokens.config()),
        format!("{tokens:?}"),
        format!("{pending:?}"),
        format!("{store:?}"),
        format!("{:?}", CallbackTokenStore::new(Some(user.clone()), |_, _| Ok(()))),
        format!("{:?}", FileTokenStore::new("/tmp/x.json")),
    ];
    for output in &outputs {
        assert_clean(output, &secrets);
    }
    assert!(outputs[0].contains("[redacted]") && outputs[3].contains("[redacted]"));
    assert!(format!("{tokens:?}").contains("[redacted]"), "the manager shows that tokens exist");
}

#[tokio::test]
async fn token_response_with_a_bad_field_is_reported_without_the_body() {
    let server = oauth_host().await;
    token_endpoint(
        &server,
        "client_credentials",
        ResponseTemplate::new(200)
            .set_body_json(serde_json::json!({"access_token": "body-secret", "expires_in": {"nested": "body-secret"}})),
    )
    .await;
    let err = manager(&server).access_token(TokenKind::App).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "unreadable answer from the OAuth server: token response has an unexpected shape at `expires_in`"
    );
    assert_clean(&format!("{err:?}"), &["body-secret", CLIENT_SECRET]);
}

#[tokio::test]
async fn transport_errors_name_the_url_but_carry_no_token() {
    // Nothing listens on port 9 of 127.0.0.1: the connection is refused.
    let tokens = manager_at("http://127.0.0.1:9", AuthOptions::default());
    let err = tokens.revoke_token("revoked-secret-token", None).await.unwrap_err();
    assert!(matches!(err, AuthError::Transport { .. }), "{err:?}");
    // The URL is named (tokens travel in bodies, never in OAuth URLs); the token is not.
    assert!(err.to_string().contains("http://127.0.0.1:9/oauth/revoke"), "{err}");
    assert_clean(&format!("{err} {err:?}"), &["revoked-secret-token"]);
    let err = tokens.access_token(TokenKind::App).await.unwrap_err();
    assert_clean(&format!("{err} {err:?}"), &[CLIENT_SECRET]);
}

#[test]
fn every_error_variant_displays_without_secrets() {
    let errors = [
        AuthError::Denied { error: "access_denied".into(), description: Some("no".into()) },
        AuthError::StateMismatch,
        AuthError::Timeout { after: std::time::Duration::from_secs(5) },
        AuthError::PortInUse { port: 3000 },
        AuthError::CallbackServer { message: "x".into() },
        AuthError::InvalidRedirectUri { uri: "ftp://x".into(), reason: "must be http" },
        AuthError::ExchangeRefused { status: 400, error: "invalid_grant".into(), description: None },
        AuthError::RefreshRefused { status: 400, error: "invalid_grant".into(), description: None },
        AuthError::AppTokenRefused { status: 401, error: "invalid_client".into(), description: None },
        AuthError::RevokeRefused { status: 400, error: "Invalid request".into(), description: None },
        AuthError::IntrospectRefused { status: 401, error: "Unauthorized".into(), description: None },
        AuthError::NoRefreshToken,
        AuthError::InvalidResponse { message: "m".into() },
        AuthError::Transport {
            url: "https://id.kick.com/oauth/token".into(),
            source: crate::TransportError::from_reqwest(builder_error()),
        },
        AuthError::Redirected {
            url: "https://id.kick.com/oauth/token".into(),
            status: 307,
            location: Some("https://elsewhere.example/steal".into()),
        },
        AuthError::AnswerTooLarge { url: "https://id.kick.com/oauth/token".into(), limit: 65536 },
        AuthError::Store(crate::auth::StoreError::new("disk full")),
        AuthError::Interrupted { message: "m".into() },
    ];
    let displays: Vec<String> = errors.iter().map(ToString::to_string).collect();
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_yaml_snapshot!("auth_error_displays", displays));
}

/// A `reqwest::Error` made without a network (a request that cannot be built).
pub(crate) fn builder_error() -> reqwest::Error {
    reqwest::Request::try_from(http::Request::new(reqwest::Body::from(""))).expect_err("a relative URI is refused")
}
