//! Webhook receiver end to end: signed deliveries POSTed over real sockets on 127.0.0.1 to the
//! axum router and to the standalone `WebhookServer`.
#![cfg(feature = "webhooks-axum")]

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{TimeDelta, Utc};
use http::HeaderMap;
use kickrs::webhooks::axum::{WebhookServer, router};
use kickrs::webhooks::events::*;
use kickrs::webhooks::signing::{TestDelivery, TestSigner};
use kickrs::webhooks::{Delivered, Dispatcher, EventPayload, Verifier};

/// Message ids seen by handlers, per event type.
type Seen = Arc<Mutex<HashMap<String, Vec<String>>>>;

fn record<E: EventPayload>(dispatcher: Dispatcher, seen: &Seen) -> Dispatcher {
    let seen = seen.clone();
    dispatcher.on::<E>(move |delivered: Delivered<E>| {
        let seen = seen.clone();
        async move {
            let mut seen = seen.lock().unwrap();
            seen.entry(E::NAME.to_owned()).or_default().push(delivered.meta.message_id.to_string());
            Ok(())
        }
    })
}

/// A dispatcher with a recording handler for each of the ten event types.
fn recording_dispatcher(signer: &TestSigner) -> (Dispatcher, Seen) {
    let seen = Seen::default();
    let mut dispatcher = Dispatcher::new(Verifier::new().with_public_key(signer.public_key()));
    dispatcher = record::<ChatMessageSent>(dispatcher, &seen);
    dispatcher = record::<ChannelFollow>(dispatcher, &seen);
    dispatcher = record::<ChannelSubRenewal>(dispatcher, &seen);
    dispatcher = record::<ChannelSubGifts>(dispatcher, &seen);
    dispatcher = record::<ChannelSubCreated>(dispatcher, &seen);
    dispatcher = record::<ChannelRewardRedemptionUpdated>(dispatcher, &seen);
    dispatcher = record::<LiveStreamStatusUpdated>(dispatcher, &seen);
    dispatcher = record::<LiveStreamMetadataUpdated>(dispatcher, &seen);
    dispatcher = record::<ModerationBanned>(dispatcher, &seen);
    dispatcher = record::<KicksGifted>(dispatcher, &seen);
    (dispatcher, seen)
}

fn example_body(event_type: &str) -> Vec<u8> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/webhooks").join(event_type);
    let mut files: Vec<_> = std::fs::read_dir(folder).unwrap().map(|entry| entry.unwrap().path()).collect();
    files.sort();
    std::fs::read(&files[0]).unwrap()
}

async fn post(url: &str, headers: &HeaderMap, body: Vec<u8>) -> (u16, String) {
    let response = kickrs::http_client_builder()
        .unwrap()
        .build()
        .unwrap()
        .post(url)
        .headers(headers.clone())
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

#[tokio::test]
async fn axum_router_handles_every_event_type_exactly_once() {
    let signer = TestSigner::new();
    let (dispatcher, seen) = recording_dispatcher(&signer);
    let app = router(Arc::new(dispatcher), "/kick/webhooks");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/kick/webhooks", listener.local_addr().unwrap());
    let server = tokio::spawn(async move { axum::serve(listener, app).await });

    let mut sent = HashMap::new();
    for event_type in EVENT_NAMES {
        let body = example_body(event_type);
        let headers = signer.headers(event_type, 1, &body);
        let (status, text) = post(&url, &headers, body.clone()).await;
        assert_eq!((status, text.as_str()), (200, "ok"), "{event_type}");
        let message_id = headers["Kick-Event-Message-Id"].to_str().unwrap().to_owned();
        sent.insert(event_type.to_string(), vec![message_id]);
        if *event_type == "chat.message.sent" {
            // Kick re-delivers: acknowledged, not handled again.
            let (status, text) = post(&url, &headers, body).await;
            assert_eq!(status, 200);
            assert!(text.contains("already handled"), "{text}");
        }
    }
    assert_eq!(*seen.lock().unwrap(), sent);
    server.abort();
}

/// A standalone server whose follow handler fails on its first call, plus what it recorded.
struct Fixture {
    signer: TestSigner,
    url: String,
    follow_attempts: Arc<AtomicUsize>,
    errors: Arc<Mutex<Vec<String>>>,
    server: kickrs::webhooks::axum::RunningWebhookServer,
}

async fn standalone(max_body_bytes: u64) -> Fixture {
    let signer = TestSigner::new();
    let follow_attempts = Arc::new(AtomicUsize::new(0));
    let errors = Arc::new(Mutex::new(Vec::new()));
    let (attempts, sink) = (follow_attempts.clone(), errors.clone());
    let verifier = Verifier::new().with_public_key(signer.public_key()).with_max_body_bytes(max_body_bytes);
    let dispatcher = Dispatcher::new(verifier)
        .on::<ChannelFollow>(move |_| {
            let attempts = attempts.clone();
            async move {
                match attempts.fetch_add(1, Ordering::SeqCst) {
                    0 => Err(std::io::Error::other("first attempt fails").into()),
                    _ => Ok(()),
                }
            }
        })
        .on_error(move |error, _| sink.lock().unwrap().push(error.to_string()));
    let server = WebhookServer::new(dispatcher)
        .path("https://example.com/kick/hook?ignored=1")
        .bind_addr(([127, 0, 0, 1], 0).into())
        .listen()
        .await
        .unwrap();
    Fixture { url: server.url(), signer, follow_attempts, errors, server }
}

const FOLLOW: &[u8] = br#"{"broadcaster":{"user_id":1},"follower":{"user_id":2}}"#;

#[tokio::test]
async fn standalone_server_answers_each_outcome_with_the_right_status() {
    let fixture = standalone(16 * 1024).await;
    let signer = &fixture.signer;
    assert!(fixture.url.ends_with("/kick/hook"), "{}", fixture.url);

    // Forged: signed with another key.
    let forged = TestSigner::new().headers("channel.followed", 1, FOLLOW);
    assert_eq!(post(&fixture.url, &forged, FOLLOW.to_vec()).await.0, 401);

    // Stale: signed ten minutes ago.
    let old = TestDelivery::new("channel.followed", 1).at(Utc::now() - TimeDelta::minutes(10));
    let stale = signer.sign_delivery(&old, FOLLOW);
    let (status, text) = post(&fixture.url, &stale, FOLLOW.to_vec()).await;
    assert_eq!(status, 400);
    assert!(text.contains("stale"), "{text}");

    // Malformed but authentic.
    let bad = br#"{"broadcaster":{"user_id":1}}"#;
    let (status, text) = post(&fixture.url, &signer.headers("channel.followed", 1, bad), bad.to_vec()).await;
    assert_eq!(status, 400);
    assert!(text.contains("missing field `follower`"), "{text}");

    // Unknown but authentic: acknowledged so Kick keeps the subscription.
    let unknown = br#"{"x":1}"#;
    let headers = signer.headers("channel.brand_new", 1, unknown);
    assert_eq!(post(&fixture.url, &headers, unknown.to_vec()).await.0, 200);

    // Handler fails: retryable 500 without the handler's error text; the retry is handled.
    let headers = signer.headers("channel.followed", 1, FOLLOW);
    let (status, text) = post(&fixture.url, &headers, FOLLOW.to_vec()).await;
    assert_eq!(status, 500);
    assert!(!text.contains("first attempt fails"), "{text}");
    assert_eq!(post(&fixture.url, &headers, FOLLOW.to_vec()).await.0, 200);
    assert_eq!(post(&fixture.url, &headers, FOLLOW.to_vec()).await.0, 200);
    assert_eq!(fixture.follow_attempts.load(Ordering::SeqCst), 2);

    // Wrong method and path.
    let client = kickrs::http_client_builder().unwrap().build().unwrap();
    assert_eq!(client.get(&fixture.url).send().await.unwrap().status(), 405);
    let other_path = fixture.url.replace("/kick/hook", "/other");
    assert_eq!(post(&other_path, &headers, FOLLOW.to_vec()).await.0, 404);

    let errors = fixture.errors.lock().unwrap().clone();
    assert_eq!(errors.len(), 4, "{errors:#?}");
    assert!(errors[3].contains("first attempt fails"), "{errors:#?}");
    fixture.server.shutdown().await.unwrap();
}

#[tokio::test]
async fn oversized_bodies_are_refused_by_length_and_by_stream() {
    let fixture = standalone(1024).await;
    let big = vec![b' '; 64 * 1024];
    let headers = fixture.signer.headers("channel.followed", 1, &big);

    // Declared Content-Length over the limit.
    let (status, text) = post(&fixture.url, &headers, big.clone()).await;
    assert_eq!(status, 413);
    assert!(text.contains("65536") && text.contains("1024"), "{text}");

    // Chunked body with no Content-Length: cut off once past the limit.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = big.chunks(512).map(|chunk| Ok(chunk.to_vec())).collect();
    let response = kickrs::http_client_builder()
        .unwrap()
        .build()
        .unwrap()
        .post(&fixture.url)
        .headers(headers.clone())
        .body(reqwest::Body::wrap_stream(futures::stream::iter(chunks)))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    let text = response.text().await.unwrap();
    assert!(text.contains("limit of 1024 bytes"), "{text}");
    assert!(!text.contains("65536"), "the stream was not read in full: {text}");

    assert_eq!(fixture.follow_attempts.load(Ordering::SeqCst), 0);
    assert_eq!(fixture.errors.lock().unwrap().len(), 2);
    fixture.server.shutdown().await.unwrap();
}

#[tokio::test]
async fn axum_router_handles_a_drops_claim_once_per_claim_id() {
    let signer = TestSigner::new();
    let (dispatcher, seen) = recording_dispatcher(&signer);
    let dispatcher = record::<DropsRewardClaimed>(dispatcher, &seen);
    let app = router(Arc::new(dispatcher), "/drops");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/drops", listener.local_addr().unwrap());
    let server = tokio::spawn(async move { axum::serve(listener, app).await });

    let body = example_body("drops.claim");
    let first = signer.drops_claim_headers(&body);
    assert_eq!(post(&url, &first, body.clone()).await, (200, "ok".to_owned()));
    // Kick sends the same claim again under another message id: acknowledged, not handled twice.
    let (status, text) = post(&url, &signer.drops_claim_headers(&body), body.clone()).await;
    assert_eq!(status, 200);
    assert!(text.contains("already handled"), "{text}");
    // An event without its type header is still refused.
    let follow = example_body("channel.followed");
    let mut untyped = signer.headers("channel.followed", 1, &follow);
    untyped.remove("Kick-Event-Type");
    let (status, text) = post(&url, &untyped, follow).await;
    assert_eq!(status, 400);
    assert!(text.contains("Kick-Event-Type"), "{text}");

    let message_id = first["Kick-Event-Message-Id"].to_str().unwrap().to_owned();
    assert_eq!(seen.lock().unwrap().get("drops.claim"), Some(&vec![message_id]));
    server.abort();
}

// ---------------------------------------------------------------- issue 14: slow, idle and impatient senders

use std::time::Duration;

use kickrs::webhooks::axum::ConnectionLimits;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Fails a test that would hang on the old code instead of hanging the suite (not a timing assertion).
async fn within<T>(what: &str, future: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(30), future).await.unwrap_or_else(|_| panic!("{what} not within 30 s"))
}

/// True once the server has closed `socket` (end of stream or reset), reading whatever it sent first.
async fn closed_by_server(socket: &mut tokio::net::TcpStream) -> Vec<u8> {
    let mut seen = Vec::new();
    let mut buffer = [0u8; 1024];
    loop {
        match socket.read(&mut buffer).await {
            Ok(0) | Err(_) => return seen,
            Ok(n) => seen.extend_from_slice(&buffer[..n]),
        }
    }
}

fn chat_dispatcher(signer: &TestSigner, handled: &Arc<AtomicUsize>) -> Dispatcher {
    let handled = handled.clone();
    Dispatcher::new(Verifier::new().with_public_key(signer.public_key())).on::<ChatMessageSent>(move |_| {
        let handled = handled.clone();
        async move {
            handled.fetch_add(1, Ordering::SeqCst);
            Ok(())
        }
    })
}

/// Item 10: 1,000 connections that send half a request head are all closed by the server (default
/// limits: heads within 10 s) while a valid delivery is still handled.
#[tokio::test]
async fn half_sent_heads_are_closed_while_valid_deliveries_pass() {
    let signer = TestSigner::new();
    let handled = Arc::new(AtomicUsize::new(0));
    let server = WebhookServer::new(chat_dispatcher(&signer, &handled))
        .path("/kick")
        .bind_addr(([127, 0, 0, 1], 0).into())
        .listen()
        .await
        .unwrap();
    let mut half_open = Vec::new();
    for _ in 0..1000 {
        let mut socket = tokio::net::TcpStream::connect(server.local_addr()).await.unwrap();
        socket.write_all(b"POST /kick HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le").await.unwrap();
        half_open.push(socket);
    }

    let body = example_body("chat.message.sent");
    let (status, _) = post(&server.url(), &signer.headers("chat.message.sent", 1, &body), body).await;
    assert_eq!(status, 200, "a valid delivery passes while 1,000 heads hang");
    assert_eq!(handled.load(Ordering::SeqCst), 1);

    within("closing 1,000 half-sent heads", async {
        for socket in &mut half_open {
            closed_by_server(socket).await;
        }
    })
    .await;
    server.shutdown().await.unwrap();
}

/// Item 10: a body dripping in is cut off with a 408 at the body time limit; an idle kept-alive
/// connection is closed at the idle limit.
#[tokio::test]
async fn a_dripping_body_gets_408_and_an_idle_connection_is_closed() {
    let signer = TestSigner::new();
    let handled = Arc::new(AtomicUsize::new(0));
    let limits =
        ConnectionLimits::default().body_read_timeout(Duration::from_secs(1)).idle_timeout(Duration::from_secs(1));
    let server = WebhookServer::new(chat_dispatcher(&signer, &handled))
        .path("/kick")
        .bind_addr(([127, 0, 0, 1], 0).into())
        .limits(limits)
        .listen()
        .await
        .unwrap();

    let mut drip = tokio::net::TcpStream::connect(server.local_addr()).await.unwrap();
    drip.write_all(b"POST /kick HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{").await.unwrap();
    let mut answer = [0u8; 12];
    within("the 408", drip.read_exact(&mut answer)).await.unwrap();
    assert_eq!(&answer, b"HTTP/1.1 408");

    let mut idle = tokio::net::TcpStream::connect(server.local_addr()).await.unwrap();
    idle.write_all(b"GET /other HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").await.unwrap();
    let seen = within("closing an idle connection", closed_by_server(&mut idle)).await;
    assert!(seen.starts_with(b"HTTP/1.1 "), "the request was answered before the idle close");
    assert_eq!(handled.load(Ordering::SeqCst), 0);
}

/// Item 10: past the connection cap, a new connection waits until one closes.
#[tokio::test]
async fn connections_past_the_cap_wait_for_a_free_slot() {
    let signer = TestSigner::new();
    let handled = Arc::new(AtomicUsize::new(0));
    let limits = ConnectionLimits::default().max_connections(2).header_read_timeout(Duration::from_secs(2));
    let server = WebhookServer::new(chat_dispatcher(&signer, &handled))
        .path("/kick")
        .bind_addr(([127, 0, 0, 1], 0).into())
        .limits(limits)
        .listen()
        .await
        .unwrap();
    let mut holders = Vec::new();
    for _ in 0..2 {
        holders.push(tokio::net::TcpStream::connect(server.local_addr()).await.unwrap());
    }
    // The third connection is in the backlog: its request is not answered while both slots are held...
    let body = example_body("chat.message.sent");
    let headers = signer.headers("chat.message.sent", 1, &body);
    let url = server.url();
    let third = tokio::spawn(async move { post(&url, &headers, body).await });
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(handled.load(Ordering::SeqCst), 0, "served past the cap");
    // ...and is once the holders are closed (by their header time limit).
    let (status, _) = within("the third connection", third).await.unwrap();
    assert_eq!(status, 200);
}

/// Item 11: a handler that has started runs to completion even when the sender gives up (Kick's
/// request timed out), and the redelivery is answered as a duplicate without running it again.
#[tokio::test]
async fn a_started_handler_finishes_when_the_sender_gives_up() {
    let signer = TestSigner::new();
    let (starts, completions) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let (started, completed) = (starts.clone(), completions.clone());
    let dispatcher =
        Dispatcher::new(Verifier::new().with_public_key(signer.public_key())).on::<ChatMessageSent>(move |_| {
            started.fetch_add(1, Ordering::SeqCst);
            let completed = completed.clone();
            async move {
                tokio::time::sleep(Duration::from_millis(1500)).await;
                completed.fetch_add(1, Ordering::SeqCst);
                Ok(())
            }
        });
    let server =
        WebhookServer::new(dispatcher).path("/kick").bind_addr(([127, 0, 0, 1], 0).into()).listen().await.unwrap();
    let body = example_body("chat.message.sent");
    let headers = signer.headers("chat.message.sent", 1, &body);

    let impatient = kickrs::http_client_builder().unwrap().timeout(Duration::from_millis(200)).build().unwrap();
    let gave_up = impatient.post(server.url()).headers(headers.clone()).body(body.clone()).send().await;
    assert!(gave_up.is_err_and(|error| error.is_timeout()), "the sender gave up first");

    within("the handler to finish", async {
        while completions.load(Ordering::SeqCst) == 0 {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    let (status, _) = post(&server.url(), &headers, body).await;
    assert_eq!(status, 200, "the redelivery is acknowledged as a duplicate");
    assert_eq!((starts.load(Ordering::SeqCst), completions.load(Ordering::SeqCst)), (1, 1));
}
