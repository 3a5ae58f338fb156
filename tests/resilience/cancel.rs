//! Dropping a call's future (here with `tokio::time::timeout`) mid-request, mid-wait or mid-refresh
//! leaves the client usable and its tokens consistent.

use std::time::Duration;

use kickrs::mock::{Fault, MockKick};
use reqwest::Method;
use tokio::time::{Instant, timeout};

use super::{STATS, TOKEN, builder, sent, user_client};

const CHANNELS: &str = "/public/v1/channels";

/// The bearer token of the last request MockKick received for `path`.
fn last_bearer(mock: &MockKick, path: &str) -> String {
    let requests = mock.requests();
    let last = requests.iter().rev().find(|r| r.path == path).unwrap();
    last.header("authorization").unwrap().trim_start_matches("Bearer ").to_owned()
}

#[tokio::test(start_paused = true)]
async fn a_call_dropped_while_kick_is_slow_leaves_the_client_usable() {
    let mock = MockKick::start().await;
    let client = builder(&mock).build().unwrap();
    mock.faults().next(Method::GET, STATS, 1, Fault::Delay(Duration::from_secs(20)));
    assert!(timeout(Duration::from_secs(1), client.fetch_livestream_stats()).await.is_err());
    let start = Instant::now();
    client.fetch_livestream_stats().await.unwrap();
    assert!(start.elapsed() < Duration::from_secs(1), "no wait left behind: {:?}", start.elapsed());
    assert_eq!(sent(&mock, Method::GET, STATS), 2);
    assert_eq!(mock.token_request_count("client_credentials"), 1);
}

#[tokio::test(start_paused = true)]
async fn a_call_dropped_during_a_retry_wait_sends_nothing_more() {
    let mock = MockKick::start().await;
    let client = builder(&mock).build().unwrap();
    mock.faults().next(Method::GET, STATS, 1, Fault::RateLimited { retry_after: Some(30) });
    assert!(timeout(Duration::from_secs(5), client.fetch_livestream_stats()).await.is_err());
    tokio::time::sleep(Duration::from_secs(60)).await;
    assert_eq!(sent(&mock, Method::GET, STATS), 1, "the dropped call did not retry behind our back");
    client.fetch_livestream_stats().await.unwrap();
    assert_eq!(sent(&mock, Method::GET, STATS), 2);
}

#[tokio::test(start_paused = true)]
async fn a_call_dropped_during_the_first_app_token_fetch_leaves_one_token_request() {
    let mock = MockKick::start().await;
    let client = builder(&mock).build().unwrap();
    mock.faults().next(Method::POST, TOKEN, 1, Fault::Delay(Duration::from_secs(10)));
    assert!(timeout(Duration::from_secs(1), client.fetch_livestream_stats()).await.is_err());
    // The next call joins the fetch still under way instead of starting another one.
    client.fetch_livestream_stats().await.unwrap();
    client.fetch_livestream_stats().await.unwrap();
    assert_eq!(mock.token_request_count("client_credentials"), 1);
    assert_eq!(sent(&mock, Method::POST, TOKEN), 1);
    assert_eq!(sent(&mock, Method::GET, STATS), 2);
}

#[tokio::test(start_paused = true)]
async fn a_call_dropped_mid_refresh_leaves_exactly_one_refresh_and_a_consistent_token() {
    let mock = MockKick::start().await;
    let (client, issued) = user_client(&mock, builder(&mock)).await;
    mock.expire_all_tokens();
    mock.faults().next(Method::POST, TOKEN, 1, Fault::Delay(Duration::from_secs(10)));
    // 401 with the expired token, then the refresh hangs: the call is dropped during it.
    assert!(timeout(Duration::from_secs(1), client.fetch_current_channel()).await.is_err());
    assert_eq!(sent(&mock, Method::POST, TOKEN), 1, "the refresh was under way");

    // A call made while the refresh still runs waits for that refresh...
    assert_eq!(client.fetch_current_channel().await.unwrap().slug, "auroralive");
    // ...and one made long after uses its token straight away.
    tokio::time::sleep(Duration::from_secs(30)).await;
    mock.clear_requests();
    client.fetch_current_channel().await.unwrap();
    assert_eq!(sent(&mock, Method::GET, CHANNELS), 1, "no 401 any more");

    assert_eq!(mock.token_request_count("refresh_token"), 1);
    let token = client.user_token().await.unwrap().unwrap();
    assert_ne!(token.access_token().secret(), issued.access_token);
    assert_eq!(token.access_token().secret(), last_bearer(&mock, CHANNELS), "the client holds what Kick accepts");
    assert!(token.refresh_token().is_some());
}

#[tokio::test(start_paused = true)]
async fn an_app_call_dropped_mid_refetch_after_a_401_leaves_one_new_app_token() {
    let mock = MockKick::start().await;
    let client = builder(&mock).build().unwrap();
    client.fetch_livestream_stats().await.unwrap();
    mock.expire_all_tokens();
    mock.faults().next(Method::POST, TOKEN, 1, Fault::Delay(Duration::from_secs(10)));
    assert!(timeout(Duration::from_secs(1), client.fetch_livestream_stats()).await.is_err());
    let calls: Vec<_> = (0..8).map(|_| client.fetch_livestream_stats()).collect();
    for result in futures::future::join_all(calls).await {
        result.unwrap();
    }
    assert_eq!(mock.token_request_count("client_credentials"), 2, "the first fetch and one after the expiry");
}
