//! The fleet with real OS processes: `kickrs-fleet-node` spawned several times against one
//! MockKick (refresh-token rotation on) and one redis-server. Each test prints its figures.

use std::collections::HashMap;
use std::io::{BufRead as _, BufReader, Write as _};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use http::Method;
use kickrs::auth::{FileTokenStore, TokenStore};
use kickrs::fleet::Redis;
use kickrs::mock::{Fault, MockKick};
use kickrs::webhooks::signing::TestSigner;

use super::support::redis::RedisServer;
use super::{refreshes, save_expired_token};

const PROCESSES: usize = 4;

/// One spawned `kickrs-fleet-node`, its stdout read line by line on a thread.
struct Node {
    name: String,
    child: Child,
    stdin: Option<ChildStdin>,
    lines: mpsc::Receiver<String>,
}

impl Node {
    fn spawn(name: &str, role: &str, options: &[(&str, String)]) -> Node {
        let mut command = Command::new(env!("CARGO_BIN_EXE_kickrs-fleet-node"));
        command.arg(role).args(["--name", name]);
        for (key, value) in options {
            command.arg(format!("--{key}")).arg(value);
        }
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawning kickrs-fleet-node");
        let stdout = child.stdout.take().expect("stdout");
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        Node { name: name.to_owned(), stdin: child.stdin.take(), child, lines }
    }

    /// The next line starting with `prefix` (others are skipped), its rest returned.
    fn expect(&self, prefix: &str, within: Duration) -> String {
        let deadline = Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = tokio::task::block_in_place(|| self.lines.recv_timeout(left))
                .unwrap_or_else(|e| panic!("{}: no `{prefix}` line within {within:?} ({e})", self.name));
            if let Some(rest) = line.strip_prefix(prefix) {
                return rest.trim().to_owned();
            }
        }
    }

    fn say(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        writeln!(stdin, "{line}").and_then(|()| stdin.flush()).expect("writing to the node");
    }

    /// The node's `result` line, as JSON.
    fn result(&self, within: Duration) -> serde_json::Value {
        serde_json::from_str(&self.expect("result ", within)).expect("result JSON")
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn mock_options(mock: &MockKick) -> Vec<(&'static str, String)> {
    vec![
        ("api", mock.api_base_url()),
        ("oauth", mock.oauth_base_url()),
        ("client-id", mock.client_id().to_owned()),
        ("secret", mock.client_secret().to_owned()),
    ]
}

/// Starts `PROCESSES` nodes, waits until each is ready, then lets them all go at once.
fn start_together(role: &str, options: &[(&str, String)]) -> Vec<Node> {
    let mut nodes: Vec<Node> = (0..PROCESSES).map(|i| Node::spawn(&format!("node{i}"), role, options)).collect();
    for node in &nodes {
        node.expect("ready", Duration::from_secs(30));
    }
    for node in &mut nodes {
        node.say("go");
    }
    nodes
}

fn assert_all_ok(result: &serde_json::Value, calls: u64, name: &str) {
    assert_eq!(result["failed"], 0, "{name}: {result}");
    assert_eq!(result["ok"], calls, "{name}: {result}");
}

/// 4 processes x 250 concurrent calls on an expired user token in `store` (a spec the node reads).
async fn one_refresh_for_the_fleet(mock: &MockKick, store: &str) {
    let started = Instant::now();
    let mut options = mock_options(mock);
    options.extend([("store", store.to_owned()), ("calls", "250".into()), ("lease-ms", "10000".into())]);
    let nodes = start_together("calls", &options);
    for node in &nodes {
        assert_all_ok(&node.result(Duration::from_secs(120)), 250, &node.name);
    }
    let (granted, received) = refreshes(mock);
    eprintln!(
        "fleet figures ({store}): {PROCESSES} processes x 250 calls, {granted} refresh granted of {received} received, \
         {:?}",
        started.elapsed()
    );
    assert_eq!((granted, received), (1, 1), "exactly one refresh request for the whole fleet");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_processes_refresh_an_expired_token_once_through_redis() {
    let server = RedisServer::start();
    let mock = MockKick::start().await;
    mock.rotate_refresh_tokens(true);
    let store = Redis::connect(&server.url()).await.unwrap().token_store();
    save_expired_token(&mock, &store).await;
    one_refresh_for_the_fleet(&mock, &format!("redis:{}", server.url())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_processes_refresh_an_expired_token_once_through_a_token_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    let mock = MockKick::start().await;
    mock.rotate_refresh_tokens(true);
    save_expired_token(&mock, &FileTokenStore::new(&path)).await;
    one_refresh_for_the_fleet(&mock, &format!("file:{}", path.display())).await;
}

/// 4 processes x 250 concurrent app-token calls, the app token shared through `store` (empty at first).
async fn one_app_token_for_the_fleet(mock: &MockKick, store: &str) {
    let started = Instant::now();
    let mut options = mock_options(mock);
    options.extend([("store", store.to_owned()), ("calls", "250".into()), ("lease-ms", "10000".into())]);
    let nodes = start_together("app-calls", &options);
    for node in &nodes {
        assert_all_ok(&node.result(Duration::from_secs(120)), 250, &node.name);
    }
    let requested = mock.token_request_count("client_credentials");
    let calls = mock.requests().iter().filter(|r| r.path.starts_with("/public/")).count();
    eprintln!(
        "fleet figures (app token, {store}): {PROCESSES} processes x 250 calls, {calls} calls at MockKick, \
         {requested} client_credentials requests, {:?}",
        started.elapsed()
    );
    assert_eq!(calls, PROCESSES * 250);
    assert_eq!(requested, 1, "exactly one app token request for the whole fleet");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_processes_fetch_one_app_token_through_redis() {
    let server = RedisServer::start();
    let mock = MockKick::start().await;
    one_app_token_for_the_fleet(&mock, &format!("redis:{}", server.url())).await;
    // Kept with its lifetime as the key's expiry, under a key without the token in it.
    let redis = Redis::connect(&server.url()).await.unwrap();
    let stored = redis.token_store().load_app_token(mock.client_id()).await.unwrap().expect("the app token is stored");
    assert!(stored.time_left() > Duration::from_secs(60), "{stored:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_processes_fetch_one_app_token_through_a_token_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    let mock = MockKick::start().await;
    one_app_token_for_the_fleet(&mock, &format!("file:{}", path.display())).await;
    let stored = FileTokenStore::new(&path).load_app_token(mock.client_id()).await.unwrap();
    assert!(stored.is_some(), "the app token is in the store");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lease_holder_killed_mid_refresh_holds_the_others_up_for_the_lease_only() {
    let server = RedisServer::start();
    let mock = MockKick::start().await;
    mock.rotate_refresh_tokens(true);
    let store = Redis::connect(&server.url()).await.unwrap().token_store();
    save_expired_token(&mock, &store).await;
    kill_the_lease_holder(&mock, &format!("redis:{}", server.url())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_file_lease_holder_killed_mid_refresh_holds_nobody_up() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    let mock = MockKick::start().await;
    mock.rotate_refresh_tokens(true);
    save_expired_token(&mock, &FileTokenStore::new(&path)).await;
    kill_the_lease_holder(&mock, &format!("file:{}", path.display())).await;
}

/// 4 processes refresh through `store` (2 s leases); the one whose refresh reaches MockKick first is
/// SIGKILLed while MockKick holds that request. The others must finish, with one more refresh at most.
async fn kill_the_lease_holder(mock: &MockKick, store: &str) {
    // The first refresh hangs at MockKick before it is processed: its sender is killed meanwhile.
    mock.faults().next(Method::POST, "/oauth/token", 1, Fault::Delay(Duration::from_secs(30)));
    let mut options = mock_options(mock);
    options.extend([("store", store.to_owned()), ("calls", "50".into()), ("lease-ms", "2000".into())]);
    let started = Instant::now();
    let mut nodes = start_together("calls", &options);

    let holder = loop {
        let agent =
            mock.requests().iter().find(|r| r.method == Method::POST && r.path == "/oauth/token").and_then(|r| {
                r.header("user-agent").and_then(|a| a.strip_prefix("kickrs-fleet-node/")).map(str::to_owned)
            });
        if let Some(agent) = agent {
            break agent;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "no refresh request arrived");
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    let index = nodes.iter().position(|n| n.name == holder).expect("the holder is one of the nodes");
    let mut killed = nodes.remove(index);
    killed.child.kill().expect("SIGKILL the lease holder");
    let _ = killed.child.wait();
    let killed_at = started.elapsed();

    for node in &nodes {
        assert_all_ok(&node.result(Duration::from_secs(60)), 50, &node.name);
    }
    let (granted, received) = refreshes(mock);
    let sent = mock.requests().iter().filter(|r| r.method == Method::POST && r.path == "/oauth/token").count();
    eprintln!(
        "fleet figures (SIGKILL, {store}): holder {holder} killed at {killed_at:?}; survivors done at {:?}; \
         refresh requests sent {sent}, processed {received}, granted {granted}",
        started.elapsed()
    );
    assert_eq!(granted, 1, "the survivors refreshed once");
    assert!(sent <= 2, "one more refresh than the killed one at most: {sent}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn processes_saving_to_one_token_file_lose_no_update() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    let rounds = 40;
    let mut nodes: Vec<Node> = (0..PROCESSES)
        .map(|i| {
            let options = [
                ("file", path.display().to_string()),
                ("client-id", format!("client{i}")),
                ("rounds", rounds.to_string()),
            ];
            Node::spawn(&format!("node{i}"), "save", &options)
        })
        .collect();
    for node in &nodes {
        node.expect("ready", Duration::from_secs(30));
    }
    for node in &mut nodes {
        node.say("go");
    }
    for node in &nodes {
        assert_all_ok(&node.result(Duration::from_secs(60)), rounds, &node.name);
    }
    let store = FileTokenStore::new(&path);
    for i in 0..PROCESSES {
        let token = store.load(&format!("client{i}")).await.unwrap().expect("every client's entry is there");
        assert_eq!(token.access_token().secret(), format!("client{i}-{rounds}"), "the last save of client{i} won");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_processes_share_one_rate_limit() {
    let server = RedisServer::start();
    let mock = MockKick::start().await;
    let (limit, window, per_process) = (100_usize, Duration::from_secs(10), 40_u64);
    let mut options = mock_options(&mock);
    options.extend([
        ("redis", server.url()),
        ("limit", limit.to_string()),
        ("window-ms", window.as_millis().to_string()),
        ("calls", per_process.to_string()),
        // Transit from admission to MockKick's log takes up to a few hundred ms on a busy CI machine.
        ("margin-ms", "1000".into()),
    ]);
    let started = Instant::now();
    let nodes = start_together("paced", &options);
    for node in &nodes {
        assert_all_ok(&node.result(Duration::from_secs(60)), per_process, &node.name);
    }
    let mut arrivals: Vec<Instant> =
        mock.requests().iter().filter(|r| r.path.starts_with("/public/")).map(|r| r.received_at).collect();
    arrivals.sort();
    assert_eq!(arrivals.len(), PROCESSES * per_process as usize);
    // The most requests MockKick saw in any window of that length.
    let busiest =
        (0..arrivals.len()).map(|i| arrivals[i..].iter().take_while(|t| **t - arrivals[i] < window).count()).max();
    let span = arrivals[arrivals.len() - 1] - arrivals[0];
    eprintln!(
        "fleet figures (rate limit): {} calls from {PROCESSES} processes, at most {busiest:?} in any {window:?} \
         (budget {limit}), first to last {span:?}, total {:?}",
        arrivals.len(),
        started.elapsed()
    );
    assert!(busiest.unwrap_or(0) <= limit, "over the budget: {busiest:?}");
    assert!(span >= window, "the calls above the budget waited for the window: {span:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn four_receivers_handle_each_of_10000_deliveries_exactly_once() {
    const DELIVERIES: usize = 10_000;
    const SENDERS: usize = 64;
    let server = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let signer = TestSigner::new();
    let pem = dir.path().join("key.pem");
    std::fs::write(&pem, signer.public_key_pem()).unwrap();
    let options = [("redis", server.url()), ("key-pem", pem.display().to_string()), ("handler-ms", "5".into())];
    let mut receivers: Vec<Node> =
        (0..PROCESSES).map(|i| Node::spawn(&format!("receiver{i}"), "receive", &options)).collect();
    let urls: Vec<String> = receivers.iter().map(|r| r.expect("listening", Duration::from_secs(30))).collect();

    let body = br#"{"broadcaster":{"user_id":1},"follower":{"user_id":2}}"#.to_vec();
    let started = Instant::now();
    let http = kickrs::http_client_builder().unwrap().build().unwrap();
    let senders = (0..SENDERS).map(|sender| {
        let (http, urls, body) = (http.clone(), urls.clone(), body.clone());
        let signer = &signer;
        async move {
            let mut stats = Stats::default();
            let mut replica = sender;
            for k in (sender..DELIVERIES).step_by(SENDERS) {
                let headers = signer.headers("channel.followed", 1, &body);
                let first = deliver(&http, &urls[replica % PROCESSES], &headers, &body);
                replica += 1;
                if k % 10 == 0 {
                    // A duplicate on the next replica: half while the first is still in its handler,
                    // half once it is done.
                    let other = &urls[replica % PROCESSES];
                    if k % 20 == 0 {
                        let (a, b) = futures::join!(first, deliver(&http, other, &headers, &body));
                        stats.add(a);
                        stats.add(b);
                    } else {
                        stats.add(first.await);
                        stats.add(deliver(&http, other, &headers, &body).await);
                    }
                } else {
                    stats.add(first.await);
                }
                stats.sent.push(headers["kick-event-message-id"].to_str().unwrap().to_owned());
            }
            stats
        }
    });
    let stats: Vec<Stats> = futures::future::join_all(senders).await;
    let sending = started.elapsed();
    let failures: Vec<&String> = stats.iter().flat_map(|s| &s.failures).collect();
    assert!(failures.is_empty(), "{} deliveries failed, e.g. {:?}", failures.len(), failures.first());

    let mut handled: HashMap<String, usize> = HashMap::new();
    for receiver in &mut receivers {
        receiver.stdin = None; // closing stdin stops it
    }
    for receiver in &receivers {
        loop {
            let line = tokio::task::block_in_place(|| receiver.lines.recv_timeout(Duration::from_secs(30)))
                .unwrap_or_else(|e| panic!("{}: no result line ({e})", receiver.name));
            if let Some(id) = line.strip_prefix("handled ") {
                *handled.entry(id.to_owned()).or_default() += 1;
            } else if line.starts_with("result") {
                break;
            }
        }
    }
    let sent: Vec<&String> = stats.iter().flat_map(|s| &s.sent).collect();
    let in_progress: usize = stats.iter().map(|s| s.in_progress).sum();
    let twice: Vec<_> = handled.iter().filter(|(_, n)| **n > 1).collect();
    let lost: Vec<_> = sent.iter().filter(|id| !handled.contains_key(id.as_str())).collect();
    eprintln!(
        "fleet figures (webhooks): {} deliveries + {} duplicates from {SENDERS} senders to {PROCESSES} receivers \
         in {sending:?}; handled {} distinct, {} twice, {} lost; {in_progress} answers were 503 in progress",
        sent.len(),
        DELIVERIES / 10,
        handled.len(),
        twice.len(),
        lost.len()
    );
    assert_eq!(sent.len(), DELIVERIES);
    assert!(twice.is_empty(), "handled more than once: {:?}", &twice[..twice.len().min(5)]);
    assert!(lost.is_empty(), "never handled: {:?}", &lost[..lost.len().min(5)]);
    assert_eq!(handled.len(), DELIVERIES);
    assert!(in_progress > 0, "some duplicates reached a replica while the first copy was in its handler");
}

#[derive(Default)]
struct Stats {
    sent: Vec<String>,
    failures: Vec<String>,
    in_progress: usize,
}

impl Stats {
    fn add(&mut self, outcome: Outcome) {
        self.in_progress += outcome.in_progress;
        if let Err(failure) = outcome.result {
            self.failures.push(failure);
        }
    }
}

struct Outcome {
    result: Result<(), String>,
    in_progress: usize,
}

/// POSTs a delivery as Kick does: again after a 503 (in progress elsewhere), until a 200.
async fn deliver(http: &reqwest::Client, url: &str, headers: &http::HeaderMap, body: &[u8]) -> Outcome {
    let mut in_progress = 0;
    for _ in 0..200 {
        let answer = http.post(url).headers(headers.clone()).body(body.to_vec()).send().await;
        match answer.map(|r| r.status().as_u16()) {
            Ok(200) => return Outcome { result: Ok(()), in_progress },
            Ok(503) => {
                in_progress += 1;
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            Ok(status) => return Outcome { result: Err(format!("{url}: HTTP {status}")), in_progress },
            Err(error) => return Outcome { result: Err(format!("{url}: {error}")), in_progress },
        }
    }
    Outcome { result: Err(format!("{url}: still in progress after 200 tries")), in_progress }
}
