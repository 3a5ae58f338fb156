//! Item 2: every request has a time limit. A server that accepts the connection and never answers
//! ends the call with a timeout, for token requests as for API requests, whoever built the client.

use std::time::Duration;

use kickrs::Error;
use kickrs::auth::AuthError;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::support::{EVERY_HTTP, builder_at, client_with, envelope, token_endpoint, within};

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

/// A server on 127.0.0.1 that answers every request with its head and the first bytes of a longer body,
/// then stalls with the connection open (the token request gets a whole answer).
async fn stalling_body() -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buffer = [0u8; 8192];
                loop {
                    let Ok(n) = socket.read(&mut buffer).await else { return };
                    if n == 0 {
                        return;
                    }
                    let head = String::from_utf8_lossy(&buffer[..n]).to_string();
                    if head.starts_with("POST /oauth/token") {
                        let body = r#"{"access_token":"app-token","token_type":"Bearer","expires_in":3600}"#;
                        let answer = format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n{body}", body.len());
                        let _ = socket.write_all(answer.as_bytes()).await;
                    } else {
                        let _ = socket.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{\"data\":").await;
                        tokio::time::sleep(Duration::from_secs(300)).await;
                    }
                }
            });
        }
    });
    base
}

#[tokio::test]
async fn a_body_that_stalls_after_the_head_times_out_with_the_built_in_client() {
    let base = stalling_body().await;
    let client = builder_at(&base).timeout(Duration::from_millis(300)).build().unwrap();
    let started = std::time::Instant::now();
    let error = within("a stalled body", client.fetch_livestream_stats()).await.expect_err("no whole answer");
    assert!(matches!(&error, Error::Transport { source, .. } if source.is_timeout()), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(5), "the call's timeout covers its body: {:?}", started.elapsed());

    // A raw call gets reqwest's error type, which still says it timed out.
    let raw = within("a stalled body", client.raw().fetch_livestream_stats()).await.expect_err("no whole answer");
    let progenitor_client::Error::ResponseBodyError(source) = &raw else { panic!("{raw:?}") };
    assert!(source.is_timeout(), "{source:?}");
}

#[tokio::test]
async fn a_raw_call_that_cannot_connect_says_so_through_reqwests_error() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let client = builder_at(&base).build().unwrap();
    // An endpoint that needs no token, so the first request is the call itself.
    let error = within("a refused connection", client.raw().fetch_public_key()).await.expect_err("nothing listens");
    let progenitor_client::Error::CommunicationError(source) = &error else { panic!("{error:?}") };
    assert!(source.is_connect(), "{source:?}");
    let causes: Vec<String> = std::iter::successors(std::error::Error::source(source), |&cause| cause.source())
        .map(ToString::to_string)
        .collect();
    assert!(causes.iter().any(|cause| cause.contains("onnect")), "the cause is in the chain: {causes:?}");
}
