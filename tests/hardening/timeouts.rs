//! Item 2: every request has a time limit. A server that accepts the connection and never answers
//! ends the call with a timeout, for token requests as for API requests, whoever built the client.

use std::time::Duration;

use kickrs::Error;
use kickrs::auth::AuthError;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::support::{EVERY_HTTP, client_with, envelope, token_endpoint, within};

/// Answers `verb at` only after `delay` (far past the client's timeout).
async fn silent(kick: &MockServer, verb: &str, at: &str) {
    Mock::given(method(verb))
        .and(path(at))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(300)))
        .with_priority(1)
        .mount(kick)
        .await;
}

#[tokio::test]
async fn a_token_endpoint_that_never_answers_times_out_with_any_client() {
    for http in EVERY_HTTP {
        let kick = MockServer::start().await;
        silent(&kick, "POST", "/oauth/token").await;
        let client = client_with(&kick, http, |b| b.timeout(Duration::from_millis(300)));
        let error = within("a token request", client.fetch_user(1)).await.expect_err("no answer");
        let Error::Auth(AuthError::Transport { url, source }) = &error else { panic!("{http:?}: {error:?}") };
        assert!(source.is_timeout(), "{http:?}: {source:?}");
        assert!(url.ends_with("/oauth/token"), "{url}");
    }
}

#[tokio::test]
async fn revocation_and_introspection_time_out_too() {
    for http in EVERY_HTTP {
        let kick = MockServer::start().await;
        silent(&kick, "POST", "/oauth/revoke").await;
        silent(&kick, "POST", "/oauth/token/introspect").await;
        let client = client_with(&kick, http, |b| b.timeout(Duration::from_millis(300)));
        let revoke = within("a revocation", client.revoke_token("t", None)).await.expect_err("no answer");
        assert!(
            matches!(&revoke, Error::Auth(AuthError::Transport { source, .. }) if source.is_timeout()),
            "{revoke:?}"
        );
        client
            .set_user_token("u", "r", std::time::Duration::from_secs(3600), &[kickrs::auth::Scope::UserRead])
            .await
            .unwrap();
        let introspect = within("an introspection", client.introspect_token(kickrs::auth::TokenKind::User))
            .await
            .expect_err("no answer");
        assert!(
            matches!(&introspect, Error::Auth(AuthError::Transport { source, .. }) if source.is_timeout()),
            "{introspect:?}"
        );
    }
}

#[tokio::test]
async fn an_api_endpoint_that_never_answers_times_out_with_any_client() {
    for http in EVERY_HTTP {
        let kick = MockServer::start().await;
        token_endpoint(&kick).await;
        silent(&kick, "GET", "/public/v1/livestreams/stats").await;
        Mock::given(method("GET"))
            .and(path("/public/v1/users"))
            .respond_with(ResponseTemplate::new(200).set_body_json(envelope(serde_json::json!([]))))
            .mount(&kick)
            .await;
        let client = client_with(&kick, http, |b| b.timeout(Duration::from_millis(300)));
        let error = within("an API request", client.fetch_livestream_stats()).await.expect_err("no answer");
        assert!(matches!(&error, Error::Transport { source, .. } if source.is_timeout()), "{http:?}: {error:?}");
    }
}
