//! Item 4: memory is bounded by the answer size allowed. Past the cap a call fails with a typed error
//! naming the endpoint and the cap, for any status, announced length or not; OAuth answers have a small
//! cap of their own.

use kickrs::Error;
use kickrs::auth::AuthError;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::support::{Http, client_with, token_endpoint, within};

const CAP: usize = 1 << 20;

/// A JSON-looking body of `len` bytes.
fn big(len: usize) -> Vec<u8> {
    let mut body = b"{\"data\":\"".to_vec();
    body.resize(len - 2, b'x');
    body.extend_from_slice(b"\"}");
    body
}

#[tokio::test]
async fn an_answer_over_the_cap_fails_naming_endpoint_and_cap_whatever_its_status() {
    for status in [200, 500, 429, 404] {
        let kick = MockServer::start().await;
        token_endpoint(&kick).await;
        Mock::given(method("GET"))
            .and(path("/public/v1/livestreams/stats"))
            .respond_with(ResponseTemplate::new(status).set_body_raw(big(CAP + 1), "application/json"))
            .mount(&kick)
            .await;
        let client = client_with(&kick, Http::BuiltIn, |b| b.max_answer_bytes(CAP));
        let error = client.fetch_livestream_stats().await.expect_err("over the cap");
        let Error::AnswerTooLarge { limit, endpoint } = &error else { panic!("{status}: {error:?}") };
        assert_eq!((*limit, endpoint.operation), (CAP, "fetch_livestream_stats"), "{status}");
        assert!(endpoint.uri.ends_with("/public/v1/livestreams/stats"), "{}", endpoint.uri);
        assert!(error.to_string().contains("1048576"), "{error}");
    }
}

#[tokio::test]
async fn an_answer_at_the_cap_is_read() {
    let kick = MockServer::start().await;
    token_endpoint(&kick).await;
    let mut body = br#"{"data":{"total_count":7},"message":""#.to_vec();
    body.resize(CAP - 2, b' ');
    body.extend_from_slice(b"\"}");
    Mock::given(method("GET"))
        .and(path("/public/v1/livestreams/stats"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&kick)
        .await;
    let client = client_with(&kick, Http::BuiltIn, |b| b.max_answer_bytes(CAP));
    assert_eq!(client.fetch_livestream_stats().await.unwrap().total_count, 7);
}

/// A server that streams a chunked body for ever (no length announced); returns its base URL.
async fn endless_body() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut head = [0u8; 4096];
                let _ = stream.read(&mut head).await;
                let start = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
                if stream.write_all(start.as_bytes()).await.is_err() {
                    return;
                }
                let chunk = format!("10000\r\n{}\r\n", "x".repeat(0x10000));
                while stream.write_all(chunk.as_bytes()).await.is_ok() {}
            });
        }
    });
    format!("http://{address}")
}

#[tokio::test]
async fn an_endless_answer_without_a_length_stops_at_the_cap() {
    let oauth = MockServer::start().await;
    token_endpoint(&oauth).await;
    let api = endless_body().await;
    let client = client_with(&oauth, Http::BuiltIn, |b| b.api_base_url(api).max_answer_bytes(CAP));
    let error = within("an endless answer", client.fetch_livestream_stats()).await.expect_err("over the cap");
    assert!(matches!(error, Error::AnswerTooLarge { limit: CAP, .. }), "{error:?}");
}

#[tokio::test]
async fn an_oversized_token_answer_is_refused_and_nothing_is_stored() {
    let kick = MockServer::start().await;
    let mut token = br#"{"access_token":"big","token_type":"Bearer","expires_in":3600,"pad":""#.to_vec();
    token.resize(256 * 1024, b'x');
    token.extend_from_slice(b"\"}");
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(token, "application/json"))
        .mount(&kick)
        .await;
    let client = client_with(&kick, Http::BuiltIn, |b| b);
    let error = client.fetch_user(1).await.expect_err("over the OAuth cap");
    let Error::Auth(AuthError::AnswerTooLarge { url, limit }) = &error else { panic!("{error:?}") };
    assert!(url.ends_with("/oauth/token") && *limit == 64 * 1024, "{error}");
    let api = kick.received_requests().await.unwrap().into_iter().filter(|r| r.url.path() != "/oauth/token").count();
    assert_eq!(api, 0, "no token was stored and used");
}
