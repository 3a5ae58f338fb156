//! Item 8: errors say what happened once and keep their cause; item 5: a string `data` is shown;
//! item 6: a webhook key the verifier cannot use is refused when it is loaded.

use std::time::Duration;

use kickrs::auth::AuthError;
use kickrs::webhooks::{PublicKey, PublicKeyError};
use kickrs::{Error, KickClient, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::support::{Http, client, client_with, token_endpoint};

/// The text of every error in the chain, outermost first.
fn chain(error: &dyn std::error::Error) -> Vec<String> {
    let mut texts = vec![error.to_string()];
    let mut next = error.source();
    while let Some(cause) = next {
        texts.push(cause.to_string());
        next = cause.source();
    }
    texts
}

/// Rust's convention: no layer's Display repeats its source's (so `anyhow` prints each part once).
fn each_layer_once(error: &dyn std::error::Error) {
    let texts = chain(error);
    assert!(texts.len() > 1, "the cause is kept as source(): {texts:?}");
    for pair in texts.windows(2) {
        assert!(!pair[0].contains(&pair[1]), "`{}` repeats its source `{}`", pair[0], pair[1]);
    }
}

fn closed_port() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    format!("http://{}", listener.local_addr().unwrap())
}

#[tokio::test]
async fn a_transport_error_names_the_call_once_and_keeps_its_cause() {
    let kick = MockServer::start().await;
    token_endpoint(&kick).await;
    let client = client_with(&kick, Http::BuiltIn, |b| b.api_base_url(closed_port()));
    let error = client.fetch_livestream_stats().await.expect_err("nothing listens");
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert!(error.to_string().contains("fetch_livestream_stats"), "{error}");
    each_layer_once(&error);
}

#[tokio::test]
async fn an_oauth_transport_error_keeps_its_source_and_url() {
    let client = KickClient::builder()
        .client_id("id")
        .client_secret("s")
        .oauth_base_url(closed_port())
        .retry(RetryPolicy::off())
        .build()
        .unwrap();
    let error = client.fetch_user(1).await.expect_err("nothing listens");
    let Error::Auth(AuthError::Transport { url, .. }) = &error else { panic!("{error:?}") };
    assert!(url.ends_with("/oauth/token"), "{url}");
    assert!(error.to_string().contains("/oauth/token"), "{error}");
    each_layer_once(&error);
    let causes = chain(&error);
    assert!(causes.iter().any(|cause| cause.contains("connect")), "the cause says why: {causes:?}");
    assert!(!format!("{error:?}{error}").contains("\"s\""), "no secret");
}

#[tokio::test]
async fn retries_exhausted_gives_the_real_status_and_keeps_the_last_failure() {
    let kick = MockServer::start().await;
    token_endpoint(&kick).await;
    Mock::given(method("GET"))
        .and(path("/public/v1/livestreams/stats"))
        .respond_with(ResponseTemplate::new(502).set_body_json(json!({"message": "Bad gateway"})))
        .mount(&kick)
        .await;
    let policy = RetryPolicy::default().max_attempts(3).base_backoff(Duration::from_millis(1)).jitter(false);
    let client = client_with(&kick, Http::BuiltIn, |b| b.retry(policy));
    let error = client.fetch_livestream_stats().await.expect_err("always 502");
    assert!(matches!(error, Error::RetriesExhausted { attempts: 3, .. }), "{error:?}");
    assert_eq!(error.status(), Some(reqwest::StatusCode::BAD_GATEWAY));
    each_layer_once(&error);
}

#[tokio::test]
async fn a_string_data_is_shown_in_the_display() {
    let kick = MockServer::start().await;
    token_endpoint(&kick).await;
    Mock::given(method("GET"))
        .and(path("/public/v1/channels"))
        .respond_with(
            ResponseTemplate::new(400).set_body_json(json!({"data": "Channel not found", "message": "Bad request"})),
        )
        .mount(&kick)
        .await;
    let error = client(&kick, Http::BuiltIn).fetch_channel("someone").await.expect_err("400");
    let text = error.to_string();
    assert!(text.contains("Bad request") && text.contains("Channel not found"), "{text}");
}

// ---------------------------------------------------------------- webhook keys (item 6)

/// RSA-1024 public keys (made with `openssl genrsa 1024`), in both PEM forms Kick's key may come in.
const RSA_1024_SPKI: &str = "-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQCocMUprbjqKf0pqZpKgRdNMIcf
CEluvue1HjUfyN0mak4AXsvd3ohA8eOu6CBE4u8yl1VPfI30bLmnM/CUbxnk21zf
TexKtLgDo5UMIJB47Lispg6G5AtI9goHM8BKZI7FRJisdQrnIkHwLiba4IlMMpWR
BXU7O1oRwlAioOCL7QIDAQAB
-----END PUBLIC KEY-----
";
const RSA_1024_PKCS1: &str = "-----BEGIN RSA PUBLIC KEY-----
MIGJAoGBAM2DLavkyajAr3MtfPkv4vegeCKVDQaOdPM2DVuyDOVpP7C8oElvM2Mu
O6y7PpDQeuVOAtTpYBXLBfkVoNnpJBsCKKszpgGrOjncvlTwGHVYbZ0oJpqxRIPI
p5DeJjpx7PxG+Yi8m222rxC03T0eEl4j5jXmcWpKV1ZCoOE34lSPAgMBAAE=
-----END RSA PUBLIC KEY-----
";

#[test]
fn a_key_the_verifier_cannot_use_is_refused_at_load() {
    for pem in [RSA_1024_SPKI, RSA_1024_PKCS1] {
        let error = PublicKey::from_pem(pem).expect_err("RSA-1024 is below what the verifier checks");
        assert!(matches!(error, PublicKeyError::KeySize { bits: 1024 }), "{error:?}");
        assert!(error.to_string().contains("1024") && error.to_string().contains("2048"), "{error}");
        assert!(kickrs::webhooks::Verifier::new().with_public_key_pem(pem).is_err());
    }
    // Kick's own key (RSA-2048) still loads.
    assert!(PublicKey::from_pem(kickrs::webhooks::KICK_PUBLIC_KEY_PEM).is_ok());
}

#[tokio::test]
async fn a_served_key_the_verifier_cannot_use_fails_webhook_verifier() {
    let kick = MockServer::start().await;
    token_endpoint(&kick).await;
    Mock::given(method("GET"))
        .and(path("/public/v1/public-key"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"data": {"public_key": RSA_1024_SPKI}, "message": "OK"})),
        )
        .mount(&kick)
        .await;
    let error = client(&kick, Http::BuiltIn).webhook_verifier().await.expect_err("RSA-1024 served");
    let Error::Decode { path, reason, .. } = &error else { panic!("{error:?}") };
    assert_eq!(path, "data.public_key");
    assert!(reason.contains("1024 bits"), "{reason}");
}

/// The first item of a stream, whatever it was.
async fn first<T>(stream: impl futures::Stream<Item = kickrs::Result<T>>) -> kickrs::Result<()> {
    use futures::StreamExt;
    let mut stream = std::pin::pin!(stream);
    stream.next().await.expect("a stream yields its first page's error").map(drop)
}

/// Every facade method that asks Kick through an operation of another name (`fetch_channel` through
/// `fetch_channels`, a stream through its page method, ...) names itself in the errors it returns.
#[tokio::test]
async fn errors_name_the_method_the_user_called_not_the_operation_behind_it() {
    use kickrs::api::{CategoriesOptions, FetchDropsClaimsOptions, LivestreamsV2Options, WebhookEvent};

    let kick = MockServer::start().await;
    token_endpoint(&kick).await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"message": "Bad request", "data": null})))
        .mount(&kick)
        .await;
    Mock::given(method("POST"))
        .and(path("/public/v1/events/subscriptions"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"message": "Bad request", "data": null})))
        .mount(&kick)
        .await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"message": "Bad request", "data": null})))
        .mount(&kick)
        .await;
    let client = client(&kick, Http::BuiltIn);
    client
        .set_user_token(
            "user-token",
            "refresh",
            std::time::Duration::from_secs(3600),
            &[kickrs::auth::Scope::ChannelRead, kickrs::auth::Scope::UserRead],
        )
        .await
        .unwrap();

    #[allow(deprecated)]
    let livestream = client.fetch_livestream(1).await;
    let calls: Vec<(&str, kickrs::Result<()>)> = vec![
        ("fetch_channel", client.fetch_channel("xqc").await.map(drop)),
        ("fetch_channel", client.fetch_channel(668).await.map(drop)),
        ("fetch_current_channel", client.fetch_current_channel().await.map(drop)),
        ("fetch_user", client.fetch_user(1).await.map(drop)),
        ("fetch_livestream", livestream.map(drop)),
        ("subscribe_to_event", client.subscribe_to_event(WebhookEvent::ChatMessageSent, 1).await.map(drop)),
        ("unsubscribe_from_event", client.unsubscribe_from_event("sub-1").await),
        ("ensure_subscriptions", client.ensure_subscriptions(1, [WebhookEvent::ChatMessageSent]).await.map(drop)),
        ("fetch_categories_stream", first(client.fetch_categories_stream(CategoriesOptions::default())).await),
        (
            "fetch_livestreams_v2_stream",
            first(client.fetch_livestreams_v2_stream(LivestreamsV2Options::default())).await,
        ),
        (
            "fetch_drops_claims_stream",
            first(client.fetch_drops_claims_stream(FetchDropsClaimsOptions::default())).await,
        ),
    ];
    for (called, result) in calls {
        let error = result.expect_err(called);
        // (Each stream's first item is the failed first page.)
        let Error::Api { endpoint, .. } = &error else { panic!("{called}: expected Api, got {error:?}") };
        assert_eq!(endpoint.operation, called, "{error}");
        assert!(error.to_string().contains(called), "{error}");
        assert!(endpoint.uri.starts_with(&kick.uri()), "{called}: the full URI, got {}", endpoint.uri);
    }
}
