//! The client shell: what every request carries (and what it must not), and the builder's checks.

mod support;

use kickrs::{Error, KickClient, RetryPolicy};
use serde_json::json;
use support::wire::{api_requests, wiremock_kick};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

#[tokio::test]
async fn requests_carry_kickrs_user_agent_and_no_api_version_header() {
    let (server, client) = wiremock_kick(&[kickrs::auth::Scope::UserRead], RetryPolicy::off()).await;
    Mock::given(method("GET"))
        .and(path("/public/v1/livestreams/stats"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": {"total_count": 3}, "message": "OK"})))
        .mount(&server)
        .await;

    let stats = client.fetch_livestream_stats().await.unwrap();
    assert_eq!(stats.total_count, 3);

    let raw = client.raw().fetch_livestream_stats().await.unwrap();
    assert_eq!(raw.into_inner().data.map(|d| d.total_count), Some(3));

    let requests = api_requests(&server).await;
    assert_eq!(requests.len(), 2, "one facade call and one raw call");
    for request in requests {
        assert!(request.headers.get("api-version").is_none(), "progenitor's api-version header must be removed");
        let agent = request.headers.get("user-agent").and_then(|v| v.to_str().ok()).unwrap_or_default();
        assert_eq!(agent, format!("kickrs/{}", env!("CARGO_PKG_VERSION")));
        let bearer = request.headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default();
        assert_eq!(bearer, "Bearer app-token", "raw calls get tokens too");
    }
}

/// Decoding moves the answer's headers into the raw `ResponseValue` (build.rs rewrites progenitor's copy);
/// a raw caller must still see every one of them, and the status.
#[tokio::test]
async fn raw_answers_keep_their_status_and_headers() {
    let (server, client) = wiremock_kick(&[kickrs::auth::Scope::UserRead], RetryPolicy::off()).await;
    let answer = ResponseTemplate::new(200)
        .insert_header("x-ratelimit-remaining", "41")
        .set_body_json(json!({"data": {"total_count": 3}, "message": "OK"}));
    Mock::given(method("GET")).and(path("/public/v1/livestreams/stats")).respond_with(answer).mount(&server).await;

    let raw = client.raw().fetch_livestream_stats().await.unwrap();
    assert_eq!(raw.status(), 200);
    assert_eq!(raw.headers().get("x-ratelimit-remaining").and_then(|v| v.to_str().ok()), Some("41"));
    assert_eq!(raw.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("application/json"));
    assert_eq!(raw.into_inner().data.map(|d| d.total_count), Some(3));
}

#[test]
fn a_malformed_base_url_is_refused_naming_the_setting() {
    let error = KickClient::builder().client_id("id").api_base_url("not a url").build().unwrap_err();
    assert!(matches!(error, Error::Config(ref message) if message.contains("api_base_url")), "{error}");
    let error = KickClient::builder().client_id("id").oauth_base_url("ftp://id.kick.com").build().unwrap_err();
    assert!(matches!(error, Error::Config(ref message) if message.contains("oauth_base_url")), "{error}");
}

#[test]
fn debug_output_never_shows_the_client_secret() {
    let builder = KickClient::builder().client_id("id").client_secret("super-secret-value");
    assert!(!format!("{builder:?}").contains("super-secret-value"));
    let client = builder.build().unwrap();
    let printed = format!("{client:?}");
    assert!(printed.contains("id") && !printed.contains("super-secret-value"), "{printed}");
}
