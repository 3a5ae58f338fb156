//! Peak memory (VmHWM, Linux) of one `fetch_livestream_stats` whose answer is 1 GiB, with a given
//! answer cap. Run it twice, as separate processes (the peak is per process):
//!
//! ```text
//! cargo run --release --example answer_cap_rss -- 2000000000          # cap above the answer: read whole
//! cargo run --release --example answer_cap_rss                        # default cap (16 MiB)
//! cargo run --release --example answer_cap_rss -- 16777216 chunked    # no Content-Length announced
//! ```
//!
//! The server runs in the same process and writes the answer from one 64 KiB buffer, so it adds no
//! more than that to the figure.

use std::time::Instant;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

const ANSWER_BYTES: u64 = 1 << 30;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let cap = args.next().map(|cap| cap.parse::<usize>()).transpose()?.unwrap_or(kickrs::DEFAULT_MAX_ANSWER_BYTES);
    let chunked = args.next().as_deref() == Some("chunked");
    let base = serve(chunked).await?;
    let client = kickrs::KickClient::builder()
        .client_id("id")
        .client_secret("secret")
        .api_base_url(&base)
        .oauth_base_url(&base)
        .retry(kickrs::RetryPolicy::off())
        .timeout(std::time::Duration::from_secs(300))
        .max_answer_bytes(cap)
        .build()?;
    let before = peak_rss_kib();
    let started = Instant::now();
    let outcome = match client.fetch_livestream_stats().await {
        Ok(_) => "decoded".to_owned(),
        Err(kickrs::Error::AnswerTooLarge { limit, .. }) => format!("AnswerTooLarge (limit {limit})"),
        Err(other) => format!("error: {other}"),
    };
    println!(
        "answer 1 GiB{}, cap {cap} bytes: {outcome} in {:.1} s; peak RSS {} MiB (before the call {} MiB)",
        if chunked { " chunked" } else { " with Content-Length" },
        started.elapsed().as_secs_f64(),
        peak_rss_kib() / 1024,
        before / 1024,
    );
    Ok(())
}

/// Serves a small token answer at `/oauth/token` and a 1 GiB JSON answer anywhere else.
async fn serve(chunked: bool) -> std::io::Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut head = vec![0u8; 8192];
                let read = stream.read(&mut head).await.unwrap_or(0);
                let head = String::from_utf8_lossy(&head[..read]);
                if head.starts_with("POST /oauth/token") {
                    let body = r#"{"access_token":"app","token_type":"Bearer","expires_in":3600}"#;
                    let answer = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = stream.write_all(answer.as_bytes()).await;
                    return;
                }
                let framing = if chunked {
                    "transfer-encoding: chunked".to_owned()
                } else {
                    format!("content-length: {ANSWER_BYTES}")
                };
                let start = format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n{framing}\r\n\r\n");
                if stream.write_all(start.as_bytes()).await.is_err() {
                    return;
                }
                let block = vec![b' '; 64 * 1024];
                let chunk_head = format!("{:x}\r\n", block.len());
                let mut sent = 0;
                while sent < ANSWER_BYTES {
                    let written = if chunked {
                        stream.write_all(chunk_head.as_bytes()).await.is_ok()
                            && stream.write_all(&block).await.is_ok()
                            && stream.write_all(b"\r\n").await.is_ok()
                    } else {
                        stream.write_all(&block).await.is_ok()
                    };
                    if !written {
                        return;
                    }
                    sent += block.len() as u64;
                }
                if chunked {
                    let _ = stream.write_all(b"0\r\n\r\n").await;
                }
            });
        }
    });
    Ok(base)
}

/// The process's peak resident set (VmHWM) in KiB; 0 where /proc is not available.
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
