//! The shared stores in one test process: Redis token store and lease, Redis dedup store, clients
//! sharing a store refreshing once, and what happens when Redis is out of reach, lost and back.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use kickrs::Error;
use kickrs::auth::{AppToken, AuthError, AuthOptions, MemoryTokenStore, TokenStore, UserToken};
use kickrs::fleet::{Redis, RedisError};
use kickrs::mock::MockKick;
use kickrs::webhooks::{DedupStore, Reservation};

use super::support::redis::{RedisServer, free_port};
use super::{client_with, refreshes, save_expired_token};

#[tokio::test]
async fn redis_unreachable_at_start_is_a_typed_error_naming_the_url_without_its_password() {
    let port = free_port();
    let error = Redis::connect(&format!("redis://:hunter2@127.0.0.1:{port}/0")).await.unwrap_err();
    match &error {
        RedisError::Unreachable { url, .. } => assert_eq!(url, &format!("redis://:***@127.0.0.1:{port}/0")),
        other => panic!("expected Unreachable, got {other:?}"),
    }
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(shown.contains(&format!("127.0.0.1:{port}")), "{shown}");

    let error = Redis::connect("http://bot:hunter2@example.com/").await.unwrap_err();
    assert!(matches!(error, RedisError::InvalidUrl { .. }), "{error:?}");
    assert!(!format!("{error} {error:?}").contains("hunter2"));
}

#[tokio::test]
async fn redis_token_store_keeps_tokens_out_of_key_names_and_leases_exclusively() {
    let server = RedisServer::start();
    let redis = Redis::connect(&server.url()).await.unwrap();
    let (store, other_process) = (redis.token_store(), Redis::connect(&server.url()).await.unwrap().token_store());
    assert!(store.load("app").await.unwrap().is_none());
    let token = UserToken::new(
        "secret-access",
        Some("secret-refresh".into()),
        std::time::Duration::from_secs(3600),
        &[kickrs::auth::Scope::UserRead],
    );
    store.save("app", &token).await.unwrap();
    let loaded = other_process.load("app").await.unwrap().expect("saved through another connection");
    assert_eq!(loaded.access_token().secret(), "secret-access");
    assert_eq!(loaded.refresh_token().unwrap().secret(), "secret-refresh");

    let lease = store.try_lease("app", Duration::from_secs(30)).await.unwrap().expect("free");
    assert!(other_process.try_lease("app", Duration::from_secs(30)).await.unwrap().is_none(), "held");
    assert!(other_process.try_lease("other-app", Duration::from_secs(30)).await.unwrap().is_some(), "per client id");
    // Giving back a lease that is not the current one leaves the current one alone.
    other_process.release("app", kickrs::auth::RefreshLease::new()).await.unwrap();
    assert!(other_process.try_lease("app", Duration::from_secs(30)).await.unwrap().is_none());
    store.release("app", lease).await.unwrap();
    let short = other_process.try_lease("app", Duration::from_millis(50)).await.unwrap().expect("released");
    tokio::time::sleep(Duration::from_millis(120)).await;
    assert!(store.try_lease("app", Duration::from_secs(30)).await.unwrap().is_some(), "expired: {short:?}");

    let mut conn = redis::Client::open(server.url()).unwrap().get_multiplexed_async_connection().await.unwrap();
    let keys: Vec<String> = redis::cmd("KEYS").arg("*").query_async(&mut conn).await.unwrap();
    assert!(keys.contains(&"kickrs:user-token:app".to_owned()), "{keys:?}");
    assert!(keys.iter().all(|k| !k.contains("secret")), "{keys:?}");
}

#[tokio::test]
async fn redis_token_store_shares_the_app_token_with_its_lifetime_as_expiry_and_its_own_lease() {
    let server = RedisServer::start();
    let redis = Redis::connect(&server.url()).await.unwrap();
    let (store, other_process) = (redis.token_store(), Redis::connect(&server.url()).await.unwrap().token_store());
    assert!(store.load_app_token("app").await.unwrap().is_none());
    store.save_app_token("app", &AppToken::new("secret-app-access", 600)).await.unwrap();
    let loaded = other_process.load_app_token("app").await.unwrap().expect("saved through another connection");
    assert_eq!(loaded.access_token().secret(), "secret-app-access");
    assert!(store.load("app").await.unwrap().is_none(), "apart from the user token");

    let mut conn = redis::Client::open(server.url()).unwrap().get_multiplexed_async_connection().await.unwrap();
    let ttl: i64 = redis::cmd("PTTL").arg("kickrs:app-token:app").query_async(&mut conn).await.unwrap();
    assert!((590_000..=600_000).contains(&ttl), "the key expires with the token: {ttl} ms");
    // An expired token is not written (it would live forever without a TTL).
    store.save_app_token("gone", &AppToken::new("secret-expired", 0)).await.unwrap();
    assert!(store.load_app_token("gone").await.unwrap().is_none());

    // The app lease is not the refresh lease: both can be held at once, each by one holder.
    let refresh = store.try_lease("app", Duration::from_secs(30)).await.unwrap().expect("free");
    let app = store.try_app_lease("app", Duration::from_secs(30)).await.unwrap().expect("a lease of its own");
    assert!(other_process.try_app_lease("app", Duration::from_secs(30)).await.unwrap().is_none(), "held");
    other_process.release_app_lease("app", kickrs::auth::RefreshLease::new()).await.unwrap();
    assert!(other_process.try_app_lease("app", Duration::from_secs(30)).await.unwrap().is_none(), "not anyone's");
    store.release_app_lease("app", app).await.unwrap();
    assert!(other_process.try_app_lease("app", Duration::from_secs(30)).await.unwrap().is_some(), "released");
    store.release("app", refresh).await.unwrap();

    let keys: Vec<String> = redis::cmd("KEYS").arg("*").query_async(&mut conn).await.unwrap();
    assert!(keys.contains(&"kickrs:app-token-lease:app".to_owned()), "{keys:?}");
    assert!(keys.iter().all(|k| !k.contains("secret")), "{keys:?}");
}

#[tokio::test]
async fn redis_dedup_store_reserves_a_message_once_across_receivers() {
    let server = RedisServer::start();
    let window = Duration::from_secs(300);
    let a = Redis::connect(&server.url()).await.unwrap().dedup_store(window);
    let b = Redis::connect(&server.url()).await.unwrap().dedup_store(window);
    let now = Utc::now();
    assert_eq!(a.reserve("01A", now).await.unwrap(), Reservation::Reserved);
    assert_eq!(b.reserve("01A", now).await.unwrap(), Reservation::InProgress);
    // A failed handler releases: Kick's retry is handled again, on any replica.
    a.release("01A").await.unwrap();
    assert_eq!(b.reserve("01A", now).await.unwrap(), Reservation::Reserved);
    b.complete("01A", now).await.unwrap();
    assert_eq!(a.reserve("01A", now).await.unwrap(), Reservation::AlreadyHandled);
    // Releasing a completed id does not forget it.
    a.release("01A").await.unwrap();
    assert_eq!(a.reserve("01A", now).await.unwrap(), Reservation::AlreadyHandled);

    let mut conn = redis::Client::open(server.url()).unwrap().get_multiplexed_async_connection().await.unwrap();
    let ttl: i64 = redis::cmd("TTL").arg("kickrs:webhook:01A").query_async(&mut conn).await.unwrap();
    assert!((250..=300).contains(&ttl), "the freshness window is the TTL: {ttl}");
}

/// Two clients (think: two processes) sharing a store, 100 concurrent calls each on an expired token.
async fn two_clients_refresh_once(store: Arc<dyn TokenStore>) {
    let mock = MockKick::start().await;
    mock.rotate_refresh_tokens(true);
    save_expired_token(&mock, store.as_ref()).await;
    let clients: Vec<_> =
        (0..2).map(|_| client_with(&mock, AuthOptions::default().shared_token_store(Arc::clone(&store)))).collect();
    let calls = clients.iter().flat_map(|client| (0..100).map(move |_| client.fetch_current_channel()));
    let results = futures::future::join_all(calls).await;
    let failed: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(failed.is_empty(), "{} failed: {:?}", failed.len(), failed.first());
    assert_eq!(refreshes(&mock), (1, 1), "one refresh for both clients");
}

#[tokio::test]
async fn clients_sharing_a_memory_store_refresh_once() {
    two_clients_refresh_once(Arc::new(MemoryTokenStore::new())).await;
}

#[tokio::test]
async fn clients_sharing_a_redis_store_refresh_once() {
    let server = RedisServer::start();
    two_clients_refresh_once(Arc::new(Redis::connect(&server.url()).await.unwrap().token_store())).await;
}

#[tokio::test]
async fn clients_sharing_a_token_file_refresh_once() {
    let dir = tempfile::tempdir().unwrap();
    two_clients_refresh_once(Arc::new(kickrs::auth::FileTokenStore::new(dir.path().join("tokens.json")))).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_lost_app_token_calls_go_on_with_a_token_of_their_own() {
    let mut server = RedisServer::start();
    let mock = MockKick::start().await;
    let store = Redis::connect(&server.url()).await.unwrap().token_store();
    let client = client_with(&mock, AuthOptions::default().token_store(store));
    server.stop();
    // No refresh token is at stake, so the store being gone costs one token request, not the call.
    client.fetch_channel("auroralive").await.expect("an app-token call without Redis");
    client.fetch_channel("auroralive").await.expect("and the token is kept in the process");
    assert_eq!(mock.token_request_count("client_credentials"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_lost_mid_run_fails_refreshes_typed_and_the_client_recovers_when_it_is_back() {
    let mut server = RedisServer::start();
    let mock = MockKick::start().await;
    mock.rotate_refresh_tokens(true);
    let store = Redis::connect(&server.url()).await.unwrap().token_store();
    let issued = mock.issue_user_tokens(kickrs::mock::seed::AURORA_ID, &[kickrs::auth::Scope::ChannelRead]);
    let token = UserToken::new(
        issued.access_token.clone(),
        issued.refresh_token.clone(),
        std::time::Duration::from_secs(3600),
        &issued.scopes,
    );
    store.save(mock.client_id(), &token).await.unwrap();
    let client = client_with(&mock, AuthOptions::default().token_store(store));
    client.fetch_current_channel().await.expect("token loaded from Redis");

    server.stop();
    // A fresh token needs no store: calls go on.
    for _ in 0..3 {
        client.fetch_current_channel().await.expect("calls with a fresh token keep working");
    }
    // A refresh needs the store: retried with backoff, then a typed, transient store error.
    mock.expire_all_tokens();
    let started = std::time::Instant::now();
    let error = client.fetch_current_channel().await.unwrap_err();
    match &error {
        Error::Auth(AuthError::Store(store)) => assert!(store.is_transient(), "{store:?}"),
        other => panic!("expected a store error, got {other:?}"),
    }
    let shown = error.to_string();
    assert!(shown.contains("Redis at redis://127.0.0.1:"), "{shown}");
    assert_eq!(refreshes(&mock), (0, 0), "no refresh token spent without the lease");
    eprintln!("refresh gave up after {:?}: {shown}", started.elapsed());

    server.restart();
    // The same client, not rebuilt: its connection comes back and the refresh goes through.
    let mut recovered = None;
    for _ in 0..50 {
        match client.fetch_current_channel().await {
            Ok(channel) => {
                recovered = Some(channel);
                break;
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
    assert_eq!(recovered.expect("recovered once Redis was back").slug, "auroralive");
    assert_eq!(refreshes(&mock), (1, 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_lost_deliveries_are_answered_503_and_handled_once_it_is_back() {
    use kickrs::webhooks::signing::TestSigner;
    use kickrs::webhooks::{Verifier, WebhookError};
    let mut server = RedisServer::start();
    let redis = Redis::connect(&server.url()).await.unwrap();
    let signer = TestSigner::new();
    let verifier = Verifier::new()
        .with_public_key(signer.public_key())
        .with_dedup_store(Arc::new(redis.dedup_store(Duration::from_secs(300))));
    let body = br#"{"broadcaster":{"user_id":1},"follower":{"user_id":2}}"#;
    let headers = signer.headers("channel.followed", 1, body);

    server.stop();
    let error = verifier.verify(&headers, body).await.unwrap_err();
    assert!(matches!(error, WebhookError::DedupUnavailable { .. }), "{error:?}");
    assert_eq!(error.status(), 503, "Kick delivers it again later");

    server.restart();
    let mut delivery = None;
    for _ in 0..50 {
        match verifier.verify(&headers, body).await {
            Ok(verified) => {
                delivery = Some(verified);
                break;
            }
            Err(WebhookError::DedupUnavailable { .. }) => tokio::time::sleep(Duration::from_millis(100)).await,
            Err(other) => panic!("{other:?}"),
        }
    }
    delivery.expect("handled once Redis is back").mark_handled().await;
    assert!(matches!(verifier.verify(&headers, body).await, Err(WebhookError::Replayed { .. })));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_lost_the_shared_rate_limit_falls_back_to_a_budget_per_process() {
    use kickrs::RateLimit;
    use kickrs::auth::TokenKind;
    let mut server = RedisServer::start();
    let limiter = Redis::connect(&server.url()).await.unwrap().rate_limiter("app", 3, Duration::from_secs(3600));
    for _ in 0..3 {
        limiter.acquire(Some(TokenKind::App)).await;
    }
    // The shared budget is spent: a fourth request waits (for an hour).
    let fourth = tokio::time::timeout(Duration::from_millis(300), limiter.acquire(Some(TokenKind::App))).await;
    assert!(fourth.is_err(), "over the shared budget, a request waits");

    server.stop();
    // Without Redis, this process's own budget (3 per hour, still unspent) lets requests go on.
    for _ in 0..3 {
        tokio::time::timeout(Duration::from_secs(10), limiter.acquire(Some(TokenKind::App)))
            .await
            .expect("the in-process budget admits while Redis is out of reach");
    }
    let over = tokio::time::timeout(Duration::from_millis(300), limiter.acquire(Some(TokenKind::App))).await;
    assert!(over.is_err(), "the in-process budget holds too");
}
