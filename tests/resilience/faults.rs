//! One fault at a time: the number of requests each one costs, the waits (on tokio's paused clock)
//! and the typed error left when the client gives up.

use std::time::Duration;

use kickrs::auth::AuthError;
use kickrs::mock::{Fault, MockKick};
use kickrs::{Error, RetryPolicy};
use reqwest::{Method, StatusCode};
use tokio::time::Instant;

use super::{CHAT, STATS, TOKEN, builder, sent, user_client};

fn chat(content: &str) -> (String, kickrs::api::SendChatMessageOptions) {
    (content.to_owned(), Default::default())
}

#[tokio::test(start_paused = true)]
async fn a_429_with_retry_after_waits_exactly_that_long_then_succeeds() {
    let mock = MockKick::start().await;
    let client = builder(&mock).build().unwrap();
    mock.faults().next(Method::GET, STATS, 1, Fault::RateLimited { retry_after: Some(7) });
    let start = Instant::now();
    client.fetch_livestream_stats().await.unwrap();
    let waited = start.elapsed();
    assert!(waited >= Duration::from_secs(7) && waited < Duration::from_millis(7_100), "{waited:?}");
    assert_eq!(sent(&mock, Method::GET, STATS), 2);
}

#[tokio::test(start_paused = true)]
async fn a_429_without_retry_after_backs_off_exponentially() {
    let mock = MockKick::start().await;
    let client = builder(&mock).build().unwrap();
    mock.faults().next(Method::GET, STATS, 2, Fault::RateLimited { retry_after: None });
    let start = Instant::now();
    client.fetch_livestream_stats().await.unwrap();
    let waited = start.elapsed();
    // 250 ms, then 500 ms (jitter off).
    assert!(waited >= Duration::from_millis(750) && waited < Duration::from_millis(850), "{waited:?}");
    assert_eq!(sent(&mock, Method::GET, STATS), 3);
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_beyond_the_cap_is_returned_at_once() {
    let mock = MockKick::start().await;
    let policy = RetryPolicy::default().max_retry_after(Duration::from_secs(60));
    let client = builder(&mock).retry(policy).build().unwrap();
    mock.faults().next(Method::GET, STATS, 1, Fault::RateLimited { retry_after: Some(120) });
    let start = Instant::now();
    let error = client.fetch_livestream_stats().await.unwrap_err();
    assert_eq!(start.elapsed(), Duration::ZERO, "no wait at all");
    match &error {
        Error::RateLimited { retry_after, attempts, endpoint } => {
            assert_eq!((*retry_after, *attempts), (Some(Duration::from_secs(120)), 1));
            assert_eq!(endpoint.operation, "fetch_livestream_stats");
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    assert!(error.to_string().contains("Retry-After 120 s"), "{error}");
    assert_eq!(sent(&mock, Method::GET, STATS), 1);
}

#[tokio::test(start_paused = true)]
async fn repeated_429s_end_in_rate_limited_with_the_attempt_count() {
    let mock = MockKick::start().await;
    let client = builder(&mock).build().unwrap();
    mock.faults().next(Method::GET, STATS, 5, Fault::RateLimited { retry_after: Some(2) });
    let start = Instant::now();
    let error = client.fetch_livestream_stats().await.unwrap_err();
    assert!(matches!(error, Error::RateLimited { attempts: 3, retry_after: Some(_), .. }), "{error:?}");
    assert!(error.to_string().contains("after 3 attempt(s)"), "{error}");
    assert!(start.elapsed() >= Duration::from_secs(4) && start.elapsed() < Duration::from_millis(4_100));
    assert_eq!(sent(&mock, Method::GET, STATS), 3);
}

#[tokio::test(start_paused = true)]
async fn a_500_is_not_retried() {
    let mock = MockKick::start().await;
    let client = builder(&mock).build().unwrap();
    mock.faults().next(Method::GET, STATS, 1, Fault::Status(500));
    let error = client.fetch_livestream_stats().await.unwrap_err();
    assert!(matches!(&error, Error::Api { status: StatusCode::INTERNAL_SERVER_ERROR, .. }), "{error:?}");
    assert_eq!(sent(&mock, Method::GET, STATS), 1);
}

#[tokio::test(start_paused = true)]
async fn a_502_and_a_503_are_retried_for_a_read() {
    let mock = MockKick::start().await;
    let client = builder(&mock).build().unwrap();
    mock.faults().next(Method::GET, STATS, 1, Fault::Status(502)).next(Method::GET, STATS, 1, Fault::Status(503));
    let start = Instant::now();
    let stats = client.fetch_livestream_stats().await.unwrap();
    assert_eq!(stats.total_count, 3);
    assert!(start.elapsed() >= Duration::from_millis(750), "{:?}", start.elapsed());
    assert_eq!(sent(&mock, Method::GET, STATS), 3);
}

#[tokio::test(start_paused = true)]
async fn persistent_503s_exhaust_the_retries_with_the_count_and_the_last_answer() {
    let mock = MockKick::start().await;
    let client = builder(&mock).retry(RetryPolicy::default().jitter(false).max_attempts(4)).build().unwrap();
    mock.faults().next(Method::GET, STATS, 10, Fault::Status(503));
    let error = client.fetch_livestream_stats().await.unwrap_err();
    match &error {
        Error::RetriesExhausted { attempts: 4, last } => {
            assert!(matches!(**last, Error::Api { status: StatusCode::SERVICE_UNAVAILABLE, .. }), "{last:?}");
        }
        other => panic!("expected RetriesExhausted, got {other:?}"),
    }
    let text = with_causes(&error);
    assert!(text.contains("after 4 attempts") && text.contains("503"), "{text}");
    assert_eq!(sent(&mock, Method::GET, STATS), 4);
}

#[tokio::test(start_paused = true)]
async fn retries_off_sends_once() {
    let mock = MockKick::start().await;
    let client = builder(&mock).retry(RetryPolicy::off()).build().unwrap();
    mock.faults().next(Method::GET, STATS, 1, Fault::Status(503));
    let error = client.fetch_livestream_stats().await.unwrap_err();
    assert!(matches!(&error, Error::Api { status: StatusCode::SERVICE_UNAVAILABLE, .. }), "{error:?}");
    assert_eq!(sent(&mock, Method::GET, STATS), 1);
}

#[tokio::test(start_paused = true)]
async fn a_chat_message_is_never_resent_after_a_500_or_a_503() {
    let mock = MockKick::start().await;
    let (client, _) = user_client(&mock, builder(&mock)).await;
    let before = mock.chat_messages().len();
    for status in [500, 503] {
        mock.clear_requests();
        mock.faults().next(Method::POST, CHAT, 1, Fault::Status(status));
        let (content, options) = chat(&format!("hello {status}"));
        let error = client.send_chat_message(&content, options).await.unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status), "{error:?}");
        assert!(matches!(error, Error::Api { .. }), "a plain answer, not a retry: {error:?}");
        assert_eq!(sent(&mock, Method::POST, CHAT), 1, "one POST for a {status}");
    }
    assert_eq!(mock.chat_messages().len(), before);
}

#[tokio::test(start_paused = true)]
async fn a_chat_message_refused_with_429_is_sent_again_and_lands_once() {
    let mock = MockKick::start().await;
    let (client, _) = user_client(&mock, builder(&mock)).await;
    mock.faults().next(Method::POST, CHAT, 1, Fault::RateLimited { retry_after: Some(1) });
    let (content, options) = chat("after the 429");
    let start = Instant::now();
    client.send_chat_message(&content, options).await.unwrap();
    assert!(start.elapsed() >= Duration::from_secs(1));
    assert_eq!(sent(&mock, Method::POST, CHAT), 2);
    assert_eq!(mock.chat_messages().iter().filter(|m| m.content == content).count(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_chat_message_is_sent_again_when_no_connection_could_be_made() {
    // A port nobody listens on: every attempt fails to connect, so Kick provably saw nothing.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let mock = MockKick::start().await;
    let (client, _) = user_client(&mock, builder(&mock).api_base_url(url)).await;
    let start = Instant::now();
    let (content, options) = chat("nobody home");
    let error = client.send_chat_message(&content, options).await.unwrap_err();
    match &error {
        Error::Transport { attempts: 3, source, .. } => assert!(source.is_connect(), "{source:?}"),
        other => panic!("expected Transport, got {other:?}"),
    }
    assert!(error.to_string().contains("after 3 attempt(s)"), "{error}");
    assert!(start.elapsed() >= Duration::from_millis(750), "backed off: {:?}", start.elapsed());
}

#[tokio::test(start_paused = true)]
async fn a_slow_read_past_the_timeout_is_retried() {
    let mock = MockKick::start().await;
    let client = builder(&mock).timeout(Duration::from_secs(5)).build().unwrap();
    client.fetch_livestream_stats().await.unwrap(); // app token fetched, connection open
    mock.clear_requests();
    mock.faults().next(Method::GET, STATS, 2, Fault::Delay(Duration::from_secs(60)));
    let start = Instant::now();
    client.fetch_livestream_stats().await.unwrap();
    let waited = start.elapsed();
    // Two timeouts of 5 s and backoffs of 250 ms and 500 ms.
    assert!(waited >= Duration::from_millis(10_750) && waited < Duration::from_secs(12), "{waited:?}");
    assert_eq!(sent(&mock, Method::GET, STATS), 3);
}

#[tokio::test(start_paused = true)]
async fn slow_reads_exhaust_the_retries_with_a_timeout_error() {
    let mock = MockKick::start().await;
    let client = builder(&mock).timeout(Duration::from_secs(5)).build().unwrap();
    mock.faults().next(Method::GET, STATS, 3, Fault::Delay(Duration::from_secs(60)));
    let error = client.fetch_livestream_stats().await.unwrap_err();
    match &error {
        Error::Transport { attempts: 3, source, .. } => assert!(source.is_timeout(), "{source:?}"),
        other => panic!("expected Transport, got {other:?}"),
    }
    let text = with_causes(&error);
    assert!(text.contains("after 3 attempt(s)") && text.contains("timed out"), "{text}");
    assert_eq!(sent(&mock, Method::GET, STATS), 3);
}

#[tokio::test(start_paused = true)]
async fn a_slow_chat_message_is_not_resent_after_the_timeout() {
    let mock = MockKick::start().await;
    let (client, _) = user_client(&mock, builder(&mock).timeout(Duration::from_secs(5))).await;
    mock.faults().next(Method::POST, CHAT, 1, Fault::Delay(Duration::from_secs(60)));
    let (content, options) = chat("slow one");
    let error = client.send_chat_message(&content, options).await.unwrap_err();
    match &error {
        Error::Transport { attempts: 1, source, .. } => assert!(source.is_timeout(), "{source:?}"),
        other => panic!("expected Transport, got {other:?}"),
    }
    // Let MockKick finish the delayed answer, if it still runs: Kick may well have posted it.
    tokio::time::sleep(Duration::from_secs(120)).await;
    assert_eq!(sent(&mock, Method::POST, CHAT), 1);
    assert!(mock.chat_messages().iter().filter(|m| m.content == content).count() <= 1);
}

#[tokio::test(start_paused = true)]
async fn a_dropped_connection_is_retried_for_a_read() {
    let mock = MockKick::start().await;
    let client = builder(&mock).build().unwrap();
    mock.faults().next(Method::GET, STATS, 1, Fault::DropConnection);
    client.fetch_livestream_stats().await.unwrap();
    assert_eq!(sent(&mock, Method::GET, STATS), 2);
}

#[tokio::test(start_paused = true)]
async fn dropped_connections_exhaust_the_retries_with_a_transport_error() {
    let mock = MockKick::start().await;
    let client = builder(&mock).build().unwrap();
    mock.faults().next(Method::GET, STATS, 3, Fault::DropConnection);
    let error = client.fetch_livestream_stats().await.unwrap_err();
    assert!(matches!(error, Error::Transport { attempts: 3, .. }), "{error:?}");
    let text = with_causes(&error);
    assert!(text.contains("after 3 attempt(s)") && text.contains("connection closed"), "{text}");
    assert_eq!(sent(&mock, Method::GET, STATS), 3);
}

#[tokio::test(start_paused = true)]
async fn a_chat_message_is_not_resent_on_a_dropped_connection() {
    let mock = MockKick::start().await;
    let (client, _) = user_client(&mock, builder(&mock)).await;
    mock.faults().next(Method::POST, CHAT, 1, Fault::DropConnection);
    let (content, options) = chat("dropped");
    let error = client.send_chat_message(&content, options).await.unwrap_err();
    assert!(matches!(error, Error::Transport { attempts: 1, .. }), "{error:?}");
    assert_eq!(sent(&mock, Method::POST, CHAT), 1);
    assert!(!mock.chat_messages().iter().any(|m| m.content == content));
}

#[tokio::test(start_paused = true)]
async fn malformed_json_is_a_decode_error_and_not_retried() {
    let mock = MockKick::start().await;
    let client = builder(&mock).build().unwrap();
    mock.faults().next(Method::GET, STATS, 1, Fault::MalformedJson);
    let error = client.fetch_livestream_stats().await.unwrap_err();
    match &error {
        Error::Decode { status, snippet, endpoint, .. } => {
            assert_eq!(*status, StatusCode::OK);
            assert!(snippet.starts_with(r#"{"data": [{"id": 1"#), "{snippet}");
            assert_eq!(endpoint.operation, "fetch_livestream_stats");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    assert_eq!(sent(&mock, Method::GET, STATS), 1);
}

#[tokio::test(start_paused = true)]
async fn an_html_error_page_is_retried_as_a_502_then_reported_with_its_text() {
    let mock = MockKick::start().await;
    let client = builder(&mock).build().unwrap();
    mock.faults().next(Method::GET, STATS, 3, Fault::HtmlError(502));
    let error = client.fetch_livestream_stats().await.unwrap_err();
    match &error {
        Error::RetriesExhausted { attempts: 3, last } => match &**last {
            Error::Api { status, message, .. } => {
                assert_eq!(*status, StatusCode::BAD_GATEWAY);
                assert!(message.as_deref().is_some_and(|m| m.contains("502 Bad Gateway")), "{message:?}");
            }
            other => panic!("expected Api inside, got {other:?}"),
        },
        other => panic!("expected RetriesExhausted, got {other:?}"),
    }
    assert_eq!(sent(&mock, Method::GET, STATS), 3);
}

#[tokio::test(start_paused = true)]
async fn an_empty_200_is_a_decode_error_and_not_retried() {
    let mock = MockKick::start().await;
    let client = builder(&mock).build().unwrap();
    mock.faults().next(Method::GET, STATS, 1, Fault::EmptyBody);
    let error = client.fetch_livestream_stats().await.unwrap_err();
    match &error {
        Error::Decode { status, snippet, .. } => {
            assert_eq!((*status, snippet.as_str()), (StatusCode::OK, "(empty body)"))
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    assert_eq!(sent(&mock, Method::GET, STATS), 1);
}

const CHANNELS: &str = "/public/v1/channels";

#[tokio::test(start_paused = true)]
async fn the_resend_after_a_401_uses_up_no_retry() {
    let mock = MockKick::start().await;
    let (client, _) = user_client(&mock, builder(&mock)).await;
    mock.faults().next(Method::GET, CHANNELS, 1, Fault::Status(401)).next(Method::GET, CHANNELS, 2, Fault::Status(503));
    let channel = client.fetch_current_channel().await.unwrap();
    assert_eq!(channel.slug, "auroralive");
    // 401, resend with the refreshed token, then the policy's three attempts: 503, 503, 200.
    assert_eq!(sent(&mock, Method::GET, CHANNELS), 4);
    assert_eq!(mock.token_request_count("refresh_token"), 1);

    mock.clear_requests();
    mock.faults().next(Method::GET, CHANNELS, 1, Fault::Status(401)).next(Method::GET, CHANNELS, 9, Fault::Status(503));
    let error = client.fetch_current_channel().await.unwrap_err();
    // The count names every request sent, the resend included.
    assert!(matches!(error, Error::RetriesExhausted { attempts: 4, .. }), "{error:?}");
    assert_eq!(sent(&mock, Method::GET, CHANNELS), 4);
    assert_eq!(mock.token_request_count("refresh_token"), 2);
}

#[tokio::test(start_paused = true)]
async fn the_rate_limiter_takes_one_permit_per_request_sent_resends_and_retries_included() {
    let mock = MockKick::start().await;
    // One request a minute per token kind, and a burst of one.
    let (client, _) = user_client(&mock, builder(&mock).rate_limit(1)).await;
    mock.faults().next(Method::GET, CHANNELS, 1, Fault::Status(401)).next(Method::GET, CHANNELS, 1, Fault::Status(503));
    let start = Instant::now();
    client.fetch_current_channel().await.unwrap();
    // Sent at 0 s, 60 s (the resend after the refresh) and 120 s (the retry after the 503): a skipped
    // permit would make it shorter, a permit taken twice longer.
    let waited = start.elapsed();
    assert!(waited >= Duration::from_secs(120) && waited < Duration::from_secs(121), "{waited:?}");
    assert_eq!(sent(&mock, Method::GET, CHANNELS), 3);

    // App-token calls have their own bucket, still full.
    let start = Instant::now();
    client.fetch_livestream_stats().await.unwrap();
    assert_eq!(start.elapsed(), Duration::ZERO);
}

#[tokio::test(start_paused = true)]
async fn a_busy_or_unreachable_token_endpoint_is_asked_again() {
    let mock = MockKick::start().await;
    let client = builder(&mock).build().unwrap();
    mock.faults().next(Method::POST, TOKEN, 1, Fault::Status(503)).next(Method::POST, TOKEN, 1, Fault::DropConnection);
    let start = Instant::now();
    client.fetch_livestream_stats().await.unwrap();
    assert!(start.elapsed() >= Duration::from_millis(750), "{:?}", start.elapsed());
    assert_eq!(sent(&mock, Method::POST, TOKEN), 3);
    assert_eq!(mock.token_request_count("client_credentials"), 1, "one answered");
    assert_eq!(sent(&mock, Method::GET, STATS), 1);

    // The same for the refresh after a 401.
    let (client, _) = user_client(&mock, builder(&mock)).await;
    mock.clear_requests();
    mock.expire_all_tokens();
    mock.faults().next(Method::POST, TOKEN, 1, Fault::HtmlError(502));
    client.fetch_current_channel().await.unwrap();
    assert_eq!(sent(&mock, Method::POST, TOKEN), 2);
    assert_eq!(mock.token_request_count("refresh_token"), 1);
    assert_eq!(sent(&mock, Method::GET, CHANNELS), 2, "the 401 and the resend");
}

#[tokio::test(start_paused = true)]
async fn a_token_endpoint_that_stays_down_ends_in_an_auth_error_naming_the_status() {
    let mock = MockKick::start().await;
    let client = builder(&mock).build().unwrap();
    mock.faults().next(Method::POST, TOKEN, 5, Fault::Status(503));
    let error = client.fetch_livestream_stats().await.unwrap_err();
    assert!(matches!(&error, Error::Auth(AuthError::AppTokenRefused { status: 503, .. })), "{error:?}");
    assert_eq!(sent(&mock, Method::POST, TOKEN), 3);
    assert_eq!(sent(&mock, Method::GET, STATS), 0, "nothing sent without a token");
}

#[tokio::test(start_paused = true)]
async fn a_refused_client_secret_is_not_asked_again() {
    let mock = MockKick::start().await;
    let client = builder(&mock).client_secret("not-the-secret").build().unwrap();
    let error = client.fetch_livestream_stats().await.unwrap_err();
    assert!(matches!(&error, Error::Auth(AuthError::AppTokenRefused { .. })), "{error:?}");
    assert_eq!(sent(&mock, Method::POST, TOKEN), 1);
}

#[tokio::test]
async fn a_429_with_a_machine_code_is_a_quota_refusal_and_not_retried() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    let refusal = serde_json::json!({"data": "MAX_AD_BREAKS_REACHED", "message": "No ad breaks left"});
    Mock::given(method("POST"))
        .and(path("/public/v1/ads/ad-break"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "30").set_body_json(refusal))
        .mount(&server)
        .await;
    let client = kickrs::KickClient::builder().api_base_url(server.uri()).build().unwrap();
    client
        .set_user_token(
            "user-token",
            "refresh-token",
            std::time::Duration::from_secs(7200),
            &[kickrs::auth::Scope::AdsWrite],
        )
        .await
        .unwrap();
    let error = client.create_ad_break(std::time::Duration::from_secs(60), Default::default()).await.unwrap_err();
    match &error {
        Error::Api { status, code, .. } => {
            assert_eq!((*status, code.as_deref()), (StatusCode::TOO_MANY_REQUESTS, Some("MAX_AD_BREAKS_REACHED")));
        }
        other => panic!("expected Api, got {other:?}"),
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "no wait of 30 s, no second POST");
}

/// The error's Display followed by each cause's (each layer says its own part once).
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut next = error.source();
    while let Some(cause) = next {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        next = cause.source();
    }
    text
}
