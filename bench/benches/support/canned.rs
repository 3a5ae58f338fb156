//! A fixed-response HTTP/1.1 server on 127.0.0.1: one canned JSON body per path whatever the query,
//! keep-alive, on a thread of its own, so it costs the same (next to nothing) for every client.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use super::threads;

/// What a running canned server offers.
pub struct Canned {
    /// `http://127.0.0.1:<port>`.
    pub base_url: String,
    token_requests: Arc<AtomicU64>,
}

impl Canned {
    /// How many `POST /oauth/token` it answered.
    pub fn token_requests(&self) -> u64 {
        self.token_requests.load(Ordering::Relaxed)
    }
}

/// Starts a server answering `bodies` (path -> JSON) with 200 and anything else with 404.
pub fn start(bodies: Vec<(String, Vec<u8>)>) -> Canned {
    let answers: HashMap<String, Vec<u8>> = bodies.into_iter().map(|(path, body)| (path, response(&body))).collect();
    let answers = Arc::new(answers);
    let token_requests = Arc::new(AtomicU64::new(0));
    let counter = token_requests.clone();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    listener.set_nonblocking(true).expect("nonblocking listener");
    let base_url = format!("http://{}", listener.local_addr().expect("local addr"));
    threads::serve_forever("canned-server", async move {
        let listener = TcpListener::from_std(listener).expect("tokio listener");
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(serve(stream, answers.clone(), counter.clone()));
        }
    });
    Canned { base_url, token_requests }
}

fn response(body: &[u8]) -> Vec<u8> {
    let mut out =
        format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n", body.len())
            .into_bytes();
    out.extend_from_slice(body);
    out
}

const NOT_FOUND: &[u8] = b"HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}";

async fn serve(mut stream: TcpStream, answers: Arc<HashMap<String, Vec<u8>>>, token_requests: Arc<AtomicU64>) {
    let _ = stream.set_nodelay(true);
    let mut buffer = Vec::with_capacity(16 * 1024);
    let mut chunk = vec![0u8; 16 * 1024];
    loop {
        let head_end = loop {
            if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break at + 4;
            }
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        };
        // Only writes carry a body here; a GET's headers are not even looked at.
        let body_len = if buffer.starts_with(b"GET ") { 0 } else { content_length(&buffer[..head_end]) };
        while buffer.len() < head_end + body_len {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        }
        let mut words = buffer[..head_end].split(|&b| b == b' ');
        let (method, target) = (words.next().unwrap_or_default(), words.next().unwrap_or_default());
        let path = target.split(|&b| b == b'?').next().unwrap_or_default();
        let path = std::str::from_utf8(path).unwrap_or_default();
        if method == b"POST" && path == "/oauth/token" {
            token_requests.fetch_add(1, Ordering::Relaxed);
        }
        let answer = answers.get(path).map_or(NOT_FOUND, Vec::as_slice);
        if stream.write_all(answer).await.is_err() {
            return;
        }
        buffer.drain(..head_end + body_len);
    }
}

fn content_length(head: &[u8]) -> usize {
    String::from_utf8_lossy(head)
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse().ok())
        .unwrap_or(0)
}
