//! 1,000 clients that send half a request head, against the webhook router served two ways: with
//! plain `axum::serve` (what `WebhookServer` did before issue 14, and what an app gets that serves the
//! router without limits) and with `WebhookServer` (default limits). For each: open file descriptors of
//! this process, how many heads the server closed within 30 s, and the latency of valid deliveries
//! before and while the heads hang (median of 20, as a ratio against the run's own baseline).
//!
//! ```text
//! cargo run -p kickrs-examples --example webhook_slow_clients --features webhooks-axum
//! ```

use std::sync::Arc;
use std::time::{Duration, Instant};

use kickrs::webhooks::axum::{WebhookServer, router};
use kickrs::webhooks::events::ChatMessageSent;
use kickrs::webhooks::signing::TestSigner;
use kickrs::webhooks::{Dispatcher, Verifier};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const HEADS: usize = 1000;
const BODY: &[u8] =
    include_bytes!("../tests/fixtures/webhooks/chat.message.sent/gokick__REAL_2025-02-22_no_identity.json");

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    for served_by in ["axum::serve (no limits)", "WebhookServer (default limits)"] {
        let signer = TestSigner::new();
        let dispatcher = Dispatcher::new(Verifier::new().with_public_key(signer.public_key()))
            .on::<ChatMessageSent>(|_| async { Ok(()) });
        let (url, address, _server) = if served_by.starts_with("axum") {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
            let address = listener.local_addr()?;
            let app = router(Arc::new(dispatcher), "/kick");
            let task = tokio::spawn(async move { axum::serve(listener, app).await });
            (format!("http://{address}/kick"), address, Served::Task(task))
        } else {
            let server =
                WebhookServer::new(dispatcher).path("/kick").bind_addr(([127, 0, 0, 1], 0).into()).listen().await?;
            (server.url(), server.local_addr(), Served::Server(server))
        };
        let http = kickrs::http_client_builder()?.build()?;
        let deliver = || async {
            let started = Instant::now();
            let headers = signer.headers("chat.message.sent", 1, BODY);
            let status = http.post(&url).headers(headers).body(BODY).send().await.map(|r| r.status().as_u16());
            (started.elapsed(), status)
        };
        let baseline = median(&mut latencies(&deliver).await);
        let fds_before = open_fds();
        let mut heads = Vec::with_capacity(HEADS);
        for _ in 0..HEADS {
            let mut socket = TcpStream::connect(address).await?;
            socket.write_all(b"POST /kick HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le").await?;
            heads.push(socket);
        }
        let under_load = median(&mut latencies(&deliver).await);
        let fds_with_heads = open_fds();
        let started = Instant::now();
        let mut closed = 0;
        for socket in &mut heads {
            let left = Duration::from_secs(30).saturating_sub(started.elapsed());
            let mut byte = [0u8; 64];
            if let Ok(Ok(0) | Err(_)) = tokio::time::timeout(left, socket.read(&mut byte)).await {
                closed += 1;
            }
        }
        let fds_after = open_fds();
        println!(
            "{served_by}: fds {fds_before} -> {fds_with_heads} with {HEADS} half-sent heads -> {fds_after} after 30 s \
             ({HEADS} client sockets still held); heads closed by the server within 30 s: {closed}/{HEADS} \
             (last after {:.1} s); valid delivery median {:.2} ms before, {:.2} ms while the heads hang (x{:.2})",
            started.elapsed().as_secs_f64(),
            baseline.as_secs_f64() * 1e3,
            under_load.as_secs_f64() * 1e3,
            under_load.as_secs_f64() / baseline.as_secs_f64(),
        );
    }
    Ok(())
}

/// Keeps a server running until dropped.
enum Served {
    Task(tokio::task::JoinHandle<std::io::Result<()>>),
    Server(#[allow(dead_code)] kickrs::webhooks::axum::RunningWebhookServer),
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Served::Task(task) = self {
            task.abort();
        }
    }
}

async fn latencies<F, Fut>(deliver: &F) -> Vec<Duration>
where
    F: Fn() -> Fut,
    Fut: Future<Output = (Duration, reqwest::Result<u16>)>,
{
    let mut all = Vec::new();
    for _ in 0..20 {
        let (took, status) = deliver().await;
        assert!(matches!(status, Ok(200)), "a valid delivery failed: {status:?}");
        all.push(took);
    }
    all
}

fn median(values: &mut [Duration]) -> Duration {
    values.sort();
    values[values.len() / 2]
}

/// Open file descriptors of this process (Linux); 0 elsewhere.
fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").map(|dir| dir.count()).unwrap_or(0)
}
