//! Fault knobs, the request log, several servers at once, shutdown.

use std::time::{Duration, Instant};

use kickrs::mock::seed::AURORA_ID;
use kickrs::mock::{Fault, MockKick};
use reqwest::Method;
use serde_json::json;

use super::{call, get, http};

const STATS: &str = "/public/v1/livestreams/stats";

#[tokio::test]
async fn next_n_requests_to_a_route_get_the_status_then_it_recovers() {
    let mock = MockKick::start().await;
    let token = mock.issue_app_token();
    mock.faults().next(Method::GET, STATS, 2, Fault::Status(503));
    assert_eq!(get(&mock, &token, "/public/v1/livestreams").await.status, 200, "other routes untouched");
    let first = get(&mock, &token, STATS).await;
    assert_eq!((first.status, first.body.clone()), (503, json!({"data": {}, "message": "Service Unavailable"})));
    assert_eq!(mock.faults().pending(), 1);
    assert_eq!(get(&mock, &token, STATS).await.status, 503);
    assert_eq!(get(&mock, &token, STATS).await.status, 200);

    mock.faults().next_any(1, Fault::Status(500)).next_any(1, Fault::Status(502));
    assert_eq!(get(&mock, &token, "/public/v1/livestreams").await.status, 500);
    assert_eq!(get(&mock, &token, STATS).await.status, 502);
}

#[tokio::test]
async fn rate_limits_with_and_without_retry_after() {
    let mock = MockKick::start().await;
    let token = mock.issue_user_token(AURORA_ID, &[kickrs::auth::Scope::ChatWrite]);
    mock.faults().next(Method::POST, "/public/v1/chat", 1, Fault::RateLimited { retry_after: Some(7) }).next(
        Method::POST,
        "/public/v1/chat",
        1,
        Fault::RateLimited { retry_after: None },
    );
    let body = json!({"type": "bot", "content": "hi"});
    let with = call(&mock, Method::POST, Some(&token), "/public/v1/chat", Some(body.clone())).await;
    assert_eq!(with.status, 429);
    assert_eq!(with.headers["retry-after"], "7");
    let without = call(&mock, Method::POST, Some(&token), "/public/v1/chat", Some(body.clone())).await;
    assert_eq!(without.status, 429);
    assert!(without.headers.get("retry-after").is_none());
    assert_eq!(call(&mock, Method::POST, Some(&token), "/public/v1/chat", Some(body)).await.status, 200);
    assert_eq!(mock.chat_messages().iter().filter(|m| m.content == "hi").count(), 1, "faulted sends did nothing");
}

#[tokio::test]
async fn broken_bodies_html_pages_and_empty_answers() {
    let mock = MockKick::start().await;
    let token = mock.issue_app_token();
    mock.faults()
        .next(Method::GET, STATS, 1, Fault::MalformedJson)
        .next(Method::GET, STATS, 1, Fault::HtmlError(502))
        .next(Method::GET, STATS, 1, Fault::EmptyBody);
    let malformed = get(&mock, &token, STATS).await;
    assert_eq!(malformed.status, 200);
    assert!(malformed.headers["content-type"].to_str().unwrap().starts_with("application/json"));
    assert!(serde_json::from_str::<serde_json::Value>(&malformed.text).is_err());

    let html = get(&mock, &token, STATS).await;
    assert_eq!(html.status, 502);
    assert!(html.headers["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(html.text.contains("<html>"));

    let empty = get(&mock, &token, STATS).await;
    assert_eq!((empty.status, empty.text.as_str()), (200, ""));
}

#[tokio::test]
async fn dropped_connection_gives_no_response_and_the_next_request_works() {
    let mock = MockKick::start().await;
    let token = mock.issue_app_token();
    mock.faults().next(Method::GET, STATS, 1, Fault::DropConnection);
    let client = http();
    let url = format!("{}{STATS}", mock.api_base_url());
    let error = client.get(&url).bearer_auth(&token).send().await.unwrap_err();
    assert!(!error.is_status() && !error.is_timeout(), "{error:?}");
    let after = client.get(&url).bearer_auth(&token).send().await.unwrap();
    assert_eq!(after.status(), 200);
}

#[tokio::test]
async fn delays_hold_the_answer_back() {
    let mock = MockKick::start().await;
    let token = mock.issue_app_token();
    mock.faults().next(Method::GET, STATS, 1, Fault::Delay(Duration::from_millis(150)));
    let started = Instant::now();
    assert_eq!(get(&mock, &token, STATS).await.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(150));

    mock.faults().delay_all(Duration::from_millis(50));
    let started = Instant::now();
    get(&mock, &token, STATS).await;
    assert!(started.elapsed() >= Duration::from_millis(50));
    mock.faults().clear();
    assert_eq!(mock.faults().pending(), 0);
}

async fn failure_pattern(mock: &MockKick) -> Vec<bool> {
    let token = mock.issue_app_token();
    mock.faults().fail_randomly(0.25, Fault::Status(503));
    let mut pattern = Vec::new();
    for _ in 0..80 {
        pattern.push(get(mock, &token, STATS).await.status == 503);
    }
    pattern
}

#[tokio::test]
async fn random_failures_are_seeded_and_repeatable() {
    let a = MockKick::builder().with_default_seed().seed(42).start().await;
    let b = MockKick::builder().with_default_seed().seed(42).start().await;
    let (pa, pb) = (failure_pattern(&a).await, failure_pattern(&b).await);
    assert_eq!(pa, pb, "same seed, same failures");
    let failures = pa.iter().filter(|f| **f).count();
    assert!((1..80).contains(&failures), "some but not all fail: {failures}");
}

#[tokio::test]
async fn request_log_records_method_path_query_headers_and_body() {
    let mock = MockKick::start().await;
    let token = mock.issue_user_token(AURORA_ID, &[kickrs::auth::Scope::ChatWrite]);
    get(&mock, &token, "/public/v1/livestreams?broadcaster_user_id=1&broadcaster_user_id=2").await;
    call(&mock, Method::POST, Some(&token), "/public/v1/chat", Some(json!({"type": "bot", "content": "logged"}))).await;
    let log = mock.requests();
    assert_eq!(log.len(), 2);
    assert_eq!((log[0].method.as_str(), log[0].path.as_str()), ("GET", "/public/v1/livestreams"));
    assert_eq!(log[0].query_values("broadcaster_user_id"), ["1", "2"]);
    assert_eq!(log[1].header("authorization"), Some(format!("Bearer {token}").as_str()));
    assert_eq!(log[1].json().unwrap()["content"], "logged");
    assert!(!format!("{:?}", log[1]).contains(&token), "Debug hides the bearer token");
    mock.clear_requests();
    assert!(mock.requests().is_empty());

    let small = MockKick::builder().request_log_capacity(2).start().await;
    for _ in 0..5 {
        call(&small, Method::GET, None, STATS, None).await;
    }
    assert_eq!(small.requests().len(), 2, "the log is bounded");
}

#[tokio::test]
async fn two_mocks_run_side_by_side_with_separate_state() {
    let a = MockKick::start().await;
    let b = MockKick::start().await;
    assert_ne!(a.api_base_url(), b.api_base_url());
    let token = a.issue_user_token(AURORA_ID, &[kickrs::auth::Scope::ChatWrite]);
    assert_eq!(get(&b, &token, STATS).await.status, 401, "tokens belong to one server");
    call(&a, Method::POST, Some(&token), "/public/v1/chat", Some(json!({"type": "bot", "content": "only in a"}))).await;
    assert!(a.chat_messages().iter().any(|m| m.content == "only in a"));
    assert!(!b.chat_messages().iter().any(|m| m.content == "only in a"));
}

#[tokio::test]
async fn shutdown_stops_the_server() {
    let mock = MockKick::start().await;
    let url = format!("{}{STATS}", mock.api_base_url());
    mock.shutdown().await;
    assert!(http().get(&url).send().await.is_err());
}
