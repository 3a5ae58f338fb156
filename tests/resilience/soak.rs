//! The soak: 10,000 calls from 64 tasks (reads with app and user tokens, chat sends and channel
//! updates) while MockKick fails 10 % of requests at random and every token expires twice. Every call
//! must end in a value or a typed error, the token endpoint must answer exactly the renewals needed
//! (each expiry's renewal first meets a 503 there), and no chat message may land twice. Assertions are on invariants, never on timings.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use kickrs::api::UpdateChannelOptions;
use kickrs::mock::{Fault, MockKick, seed};
use kickrs::{Error, KickClient, RetryPolicy};
use reqwest::Method;

use super::{CHAT, TOKEN, builder, sent, user_client};

const CALLS: usize = 10_000;
const TASKS: usize = 64;
/// The random fault of each quarter of the run (`fail_randomly` takes one fault at a time).
const PHASES: [Fault; 4] =
    [Fault::Status(503), Fault::RateLimited { retry_after: None }, Fault::Status(500), Fault::DropConnection];
/// All tokens expire when this many calls have finished.
const EXPIRE_AFTER: [usize; 2] = [3_000, 7_000];

/// What one call ended with, for the tally.
fn outcome<T>(result: &Result<T, Error>) -> String {
    match result {
        Ok(_) => "ok".into(),
        Err(Error::Api { status, .. }) => format!("Api {}", status.as_u16()),
        Err(Error::RetriesExhausted { last, .. }) => {
            format!("RetriesExhausted ({})", outcome::<()>(&Err(clone_kind(last))))
        }
        Err(Error::RateLimited { .. }) => "RateLimited".into(),
        Err(Error::Transport { .. }) => "Transport".into(),
        Err(Error::Auth(_)) => "Auth".into(),
        Err(other) => format!("unexpected: {other}"),
    }
}

/// Enough of an error to name its kind again (errors are not `Clone`).
fn clone_kind(error: &Error) -> Error {
    match error {
        Error::Api { status, endpoint, .. } => {
            Error::Api { status: *status, message: None, code: None, data: None, endpoint: endpoint.clone() }
        }
        other => Error::Config(other.to_string()),
    }
}

/// Call number `n`: mostly reads, some user writes.
async fn call(client: &KickClient, n: usize) -> (String, Option<String>) {
    match n % 10 {
        0..=3 => (outcome(&client.fetch_livestream_stats().await), None),
        4 | 5 => (outcome(&client.fetch_channel(seed::BYTEBARD_ID).await), None),
        6 => (outcome(&client.fetch_current_user().await), None),
        7 => (outcome(&client.fetch_current_channel().await), None),
        8 => {
            let content = format!("soak message {n}");
            (outcome(&client.send_chat_message(&content, Default::default()).await), Some(content))
        }
        _ => {
            let options = UpdateChannelOptions { stream_title: Some(format!("soak title {n}")), ..Default::default() };
            (outcome(&client.update_channel(options).await), None)
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_calls_ride_through_random_faults_and_two_token_expiries() {
    let mock =
        Arc::new(MockKick::builder().with_default_seed().seed(0x50a6).request_log_capacity(100_000).start().await);
    let policy = RetryPolicy::default().base_backoff(Duration::from_millis(1)).max_backoff(Duration::from_millis(8));
    let (client, _) = user_client(&mock, builder(&mock).retry(policy).timeout(Duration::from_secs(20))).await;
    let started = std::time::Instant::now();
    let finished = Arc::new(AtomicUsize::new(0));
    let mut tally: BTreeMap<String, usize> = BTreeMap::new();
    let mut chats_sent = HashSet::new();
    let mut chat_phase = HashMap::new();

    let per_phase = CALLS / PHASES.len();
    for (phase, fault) in PHASES.iter().enumerate() {
        mock.faults().fail_randomly(0.10, fault.clone());
        let tasks: Vec<_> = (0..TASKS)
            .map(|task| {
                let (client, mock, finished) = (client.clone(), mock.clone(), finished.clone());
                tokio::spawn(async move {
                    let mut results = Vec::new();
                    for n in (phase * per_phase + task..(phase + 1) * per_phase).step_by(TASKS) {
                        results.push(call(&client, n).await);
                        if EXPIRE_AFTER.contains(&(finished.fetch_add(1, Ordering::SeqCst) + 1)) {
                            // The renewal that follows meets a busy token endpoint first.
                            mock.faults().next(Method::POST, TOKEN, 1, Fault::Status(503));
                            mock.expire_all_tokens();
                        }
                    }
                    results
                })
            })
            .collect();
        for task in tasks {
            for (result, chat) in task.await.expect("no call panicked") {
                if let Some(content) = chat {
                    if result == "ok" {
                        chats_sent.insert(content.clone());
                    }
                    chat_phase.insert(content, phase);
                }
                *tally.entry(result).or_default() += 1;
            }
        }
    }
    mock.faults().clear();
    let elapsed = started.elapsed();

    let token_posts = sent(&mock, Method::POST, TOKEN);
    let app_tokens = mock.token_request_count("client_credentials");
    let refreshes = mock.token_request_count("refresh_token");
    println!("soak: {CALLS} calls, {TASKS} tasks, {elapsed:?}");
    println!("soak outcomes: {tally:#?}");
    println!(
        "soak requests: {} API requests, {token_posts} POST /oauth/token ({app_tokens} app tokens and {refreshes} \
         refreshes answered, the rest failed by the injected faults)",
        mock.requests().len() - token_posts
    );

    assert_eq!(tally.values().sum::<usize>(), CALLS);
    let unexpected: Vec<_> = tally.keys().filter(|k| k.starts_with("unexpected")).collect();
    assert!(unexpected.is_empty(), "every failure is one of the typed kinds: {unexpected:?}");
    assert!(tally["ok"] >= CALLS * 9 / 10, "most calls ride through: {tally:?}");
    assert_eq!(finished.load(Ordering::SeqCst), CALLS);

    // Exactly the renewals needed: the first app token plus one per expiry; one user refresh per expiry.
    assert_eq!(app_tokens, 1 + EXPIRE_AFTER.len());
    assert_eq!(refreshes, EXPIRE_AFTER.len());
    assert!(token_posts >= app_tokens + refreshes + EXPIRE_AFTER.len(), "the 503s at the token endpoint were met");

    // A chat message lands once if its call succeeded, never if it failed.
    let landed: Vec<String> =
        mock.chat_messages().into_iter().map(|m| m.content).filter(|c| c.starts_with("soak message")).collect();
    assert_eq!(landed.len(), landed.iter().collect::<HashSet<_>>().len(), "no chat message landed twice");
    assert_eq!(landed.into_iter().collect::<HashSet<_>>(), chats_sent);
    // A chat POST is sent again only after a 401 (once, with the refreshed token) or a 429 (up to the
    // policy's three attempts); the 503s, 500s and drops of the other phases never repeat it.
    let mut posts: HashMap<String, usize> = HashMap::new();
    for request in mock.requests().iter().filter(|r| r.method == Method::POST && r.path == CHAT) {
        *posts.entry(request.json().unwrap()["content"].as_str().unwrap().to_owned()).or_default() += 1;
    }
    println!("soak chat: {} sent, at most {} POSTs for one message", chats_sent.len(), posts.values().max().unwrap());
    for (content, count) in &posts {
        let limit = if chat_phase[content] == 1 { 1 + 3 } else { 1 + 1 };
        assert!(*count <= limit, "{content} was POSTed {count} times");
    }

    // The client is still healthy, and needs no further token.
    client.fetch_current_channel().await.unwrap();
    client.fetch_livestream_stats().await.unwrap();
    assert_eq!(mock.token_request_count("client_credentials") + mock.token_request_count("refresh_token"), 5);
}
