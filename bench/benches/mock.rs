//! MockKick figures: time from `start()` to the first answer, and simple requests per second
//! (keep-alive reqwest clients from 64 concurrent tasks against `GET /public/v1/livestreams/stats`).
//! Run with `cargo bench -p kickrs-bench --bench mock`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use kickrs::mock::MockKick;

const TASKS: usize = 64;
const RUN_FOR: Duration = Duration::from_secs(3);

fn main() {
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("tokio runtime");
    runtime.block_on(async {
        startup().await;
        throughput().await;
    });
}

async fn startup() {
    let client = kickrs::http_client_builder().expect("TLS set-up").build().expect("client");
    let mut to_start = Vec::new();
    let mut to_answer = Vec::new();
    for _ in 0..30 {
        let begin = Instant::now();
        let mock = MockKick::start().await;
        to_start.push(begin.elapsed());
        let token = mock.issue_app_token();
        let status = client
            .get(format!("{}/public/v1/livestreams/stats", mock.api_base_url()))
            .bearer_auth(token)
            .send()
            .await
            .map(|r| r.status().as_u16());
        to_answer.push(begin.elapsed());
        assert_eq!(status.ok(), Some(200));
        mock.shutdown().await;
    }
    to_start.sort();
    to_answer.sort();
    println!(
        "startup: start() median {:?} max {:?}; start() to first answer median {:?} max {:?} (30 runs)",
        to_start[15], to_start[29], to_answer[15], to_answer[29]
    );
}

async fn throughput() {
    let mock = MockKick::start().await;
    let token = mock.issue_app_token();
    let url = format!("{}/public/v1/livestreams/stats", mock.api_base_url());
    let client =
        kickrs::http_client_builder().expect("TLS set-up").pool_max_idle_per_host(TASKS).build().expect("client");
    let done = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let begin = Instant::now();
    let tasks: Vec<_> = (0..TASKS)
        .map(|_| {
            let (client, url, token) = (client.clone(), url.clone(), token.clone());
            let (done, failed, stop) = (done.clone(), failed.clone(), stop.clone());
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    let ok = match client.get(&url).bearer_auth(&token).send().await {
                        Ok(r) => r.status().is_success() && r.bytes().await.is_ok(),
                        Err(_) => false,
                    };
                    let counter = if ok { &done } else { &failed };
                    counter.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    tokio::time::sleep(RUN_FOR).await;
    stop.store(true, Ordering::Relaxed);
    for task in tasks {
        let _ = task.await;
    }
    let elapsed = begin.elapsed().as_secs_f64();
    let done = done.load(Ordering::Relaxed);
    println!(
        "throughput: {:.0} requests/s ({done} answered, {} failed, {TASKS} keep-alive tasks, {elapsed:.1} s, client and server share 2 worker threads)",
        done as f64 / elapsed,
        failed.load(Ordering::Relaxed)
    );
}
