//! Webhooks end to end: MockKick signs and POSTs events, a receiver verifies them with the
//! key from `GET /public/v1/public-key`, failed deliveries are retried.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use bytes::Bytes;
use kickrs::mock::seed::{AURORA_ID, CHATFAN_ID, DEFAULT_CLIENT_ID};
use kickrs::mock::{MockKick, MockUser};
use kickrs::webhooks::{Event, Verifier};
use reqwest::Method;
use serde_json::json;

use super::call;

#[derive(Default)]
struct Receiver {
    received: Mutex<Vec<(HeaderMap, Bytes)>>,
    fail_first: Mutex<usize>,
}

/// A webhook receiver on 127.0.0.1 that records deliveries and fails the first `fail_first`.
async fn receiver(fail_first: usize) -> (String, Arc<Receiver>) {
    let shared = Arc::new(Receiver { fail_first: Mutex::new(fail_first), ..Receiver::default() });
    let app = axum::Router::new()
        .route(
            "/kick",
            axum::routing::post(|State(r): State<Arc<Receiver>>, headers: HeaderMap, body: Bytes| async move {
                r.received.lock().unwrap().push((headers, body));
                let mut fail = r.fail_first.lock().unwrap();
                if *fail > 0 {
                    *fail -= 1;
                    StatusCode::INTERNAL_SERVER_ERROR
                } else {
                    StatusCode::OK
                }
            }),
        )
        .with_state(shared.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/kick", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, shared)
}

async fn subscribe(mock: &MockKick, event: &str) {
    let app = mock.issue_app_token();
    let answer = call(
        mock,
        Method::POST,
        Some(&app),
        "/public/v1/events/subscriptions",
        Some(json!({
            "broadcaster_user_id": AURORA_ID, "method": "webhook", "events": [{"name": event, "version": 1}],
        })),
    )
    .await;
    assert_eq!(answer.status, 201, "{}", answer.text);
}

#[tokio::test]
async fn chat_message_is_delivered_signed_and_verifies_with_the_served_key() {
    let mock = MockKick::start().await;
    let (url, received) = receiver(0).await;
    mock.set_webhook_url(DEFAULT_CLIENT_ID, &url);
    subscribe(&mock, "chat.message.sent").await;

    let fan = mock.issue_user_token(CHATFAN_ID, &[kickrs::auth::Scope::ChatWrite]);
    let sent = call(
        &mock,
        Method::POST,
        Some(&fan),
        "/public/v1/chat",
        Some(json!({"type": "user", "broadcaster_user_id": AURORA_ID, "content": "webhook me"})),
    )
    .await;
    assert_eq!(sent.status, 200);
    mock.webhooks_idle().await;

    let key = call(&mock, Method::GET, None, "/public/v1/public-key", None).await;
    let pem = key.data()["public_key"].as_str().unwrap().to_owned();
    assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----"));
    assert_eq!(mock.public_key_pem().as_deref(), Some(pem.as_str()));

    let deliveries = received.received.lock().unwrap().clone();
    assert_eq!(deliveries.len(), 1);
    let (headers, body) = &deliveries[0];
    for name in [
        "kick-event-message-id",
        "kick-event-subscription-id",
        "kick-event-signature",
        "kick-event-message-timestamp",
        "kick-event-type",
        "kick-event-version",
    ] {
        assert!(headers.contains_key(name), "missing {name}");
    }
    assert_eq!(headers["kick-event-type"], "chat.message.sent");
    assert_eq!(headers["kick-event-subscription-id"], mock.subscriptions()[0].id.as_str());

    let verifier = Verifier::new().with_public_key_pem(&pem).unwrap();
    let delivery = verifier.verify(headers, body).await.unwrap();
    let Event::ChatMessageSent(message) = delivery.decode(body).unwrap() else { panic!("not a chat message") };
    assert_eq!(message.content, "webhook me");
    assert_eq!(message.message_id, sent.data()["message_id"].as_str().unwrap());

    let log = mock.webhook_deliveries();
    assert_eq!((log[0].attempts.clone(), log[0].delivered), (vec![Some(200)], true));
}

#[tokio::test]
async fn failed_deliveries_are_retried_with_the_same_message_id() {
    let mock =
        MockKick::builder().with_default_seed().webhook_retry_delays(vec![Duration::from_millis(10); 3]).start().await;
    let (url, received) = receiver(2).await;
    mock.set_webhook_url(DEFAULT_CLIENT_ID, &url);
    subscribe(&mock, "channel.followed").await;
    let follow = json!({"broadcaster": {"user_id": AURORA_ID}, "follower": {"user_id": CHATFAN_ID}});
    assert_eq!(mock.emit_event("channel.followed", AURORA_ID, follow), 1);
    assert_eq!(mock.emit_event("channel.followed", CHATFAN_ID, json!({})), 0, "no subscription there");
    mock.webhooks_idle().await;

    let log = mock.webhook_deliveries();
    assert_eq!(log[0].attempts, vec![Some(500), Some(500), Some(200)]);
    assert!(log[0].delivered);
    let ids: Vec<String> = received
        .received
        .lock()
        .unwrap()
        .iter()
        .map(|(h, _)| h["kick-event-message-id"].to_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 3);
    assert!(ids.iter().all(|id| *id == log[0].message_id));
}

#[tokio::test]
async fn deliveries_give_up_after_the_last_retry() {
    let mock = MockKick::builder()
        .user(MockUser::new(AURORA_ID, "aurora"))
        .webhook_retry_delays(vec![Duration::from_millis(5)])
        .start()
        .await;
    let (url, _) = receiver(usize::MAX).await;
    mock.set_webhook_url(DEFAULT_CLIENT_ID, &url);
    subscribe(&mock, "moderation.banned").await;
    let moderator = mock.issue_user_token(AURORA_ID, &[kickrs::auth::Scope::ModerationBan]);
    let ban = call(
        &mock,
        Method::POST,
        Some(&moderator),
        "/public/v1/moderation/bans",
        Some(json!({"broadcaster_user_id": AURORA_ID, "user_id": AURORA_ID})),
    )
    .await;
    assert_eq!(ban.status, 200);
    mock.webhooks_idle().await;
    let log = mock.webhook_deliveries();
    assert_eq!((log[0].attempts.clone(), log[0].delivered), (vec![Some(500), Some(500)], false));
}

#[tokio::test]
async fn an_instance_key_signs_deliveries_and_is_the_served_key_on_a_chosen_port() {
    // A key saved as PKCS#8 PEM and loaded back: what a sender and a receiver share across runs.
    let pem = kickrs::webhooks::signing::TestSigner::new().private_key_pem();
    let signer = kickrs::webhooks::signing::TestSigner::from_private_key_pem(&pem).unwrap();
    let public_pem = signer.public_key_pem();
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    let mock = MockKick::builder().with_default_seed().webhook_signer(signer).port(port).start().await;
    assert_eq!(mock.api_base_url(), format!("http://127.0.0.1:{port}"));

    let served = call(&mock, Method::GET, None, "/public/v1/public-key", None).await;
    assert_eq!(served.data()["public_key"].as_str(), Some(public_pem.as_str()));

    let (url, received) = receiver(0).await;
    mock.set_webhook_url(DEFAULT_CLIENT_ID, &url);
    subscribe(&mock, "channel.followed").await;
    let follow = json!({"broadcaster": {"user_id": AURORA_ID}, "follower": {"user_id": CHATFAN_ID}});
    assert_eq!(mock.emit_event("channel.followed", AURORA_ID, follow), 1);
    mock.webhooks_idle().await;
    let (headers, body) = received.received.lock().unwrap()[0].clone();
    let own_key = Verifier::new().with_public_key_pem(&public_pem).unwrap();
    assert!(own_key.verify(&headers, &body).await.is_ok());
    // The process-wide key of other MockKicks does not verify it.
    let shared_key = MockKick::start().await.public_key_pem().unwrap();
    assert_ne!(shared_key, public_pem);
    let other = Verifier::new().with_public_key_pem(&shared_key).unwrap();
    assert!(matches!(other.verify(&headers, &body).await, Err(kickrs::webhooks::WebhookError::BadSignature)));
}

#[test]
fn a_private_key_pem_that_is_not_one_is_refused_with_the_reason() {
    use kickrs::webhooks::signing::TestSigner;
    let public = TestSigner::new().public_key_pem();
    let err = TestSigner::from_private_key_pem(&public).unwrap_err().to_string();
    assert!(err.contains("-----BEGIN PRIVATE KEY-----"), "{err}");
    let err = TestSigner::from_private_key_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("not an RSA PKCS#8 key"), "{err}");
}
