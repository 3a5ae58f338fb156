//! A proxy named in the environment (`HTTP_PROXY`, as reqwest's own client reads it) carries kickrs' calls
//! and token requests alike. This file is a test binary of its own with one test, because it sets a
//! process-wide variable before any thread that could read it starts.

use std::sync::{Arc, Mutex};

use kickrs::KickClient;
use kickrs::ids::UserId;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const TOKEN: &str = r#"{"access_token":"app-token-1","token_type":"Bearer","expires_in":3600}"#;
const CHANNELS: &str = r#"{"data":[{"broadcaster_user_id":7,"slug":"proxied","channel_description":"",
"stream_title":"through the proxy","banner_picture":null,"category":{"id":1,"name":"c","thumbnail":""},
"stream":{"is_live":false,"is_mature":false,"key":"","language":"en","start_time":"0001-01-01T00:00:00Z",
"thumbnail":"","url":"","viewer_count":0}}],"message":"OK"}"#;

/// A forward proxy on 127.0.0.1 that answers itself: it records each request line (absolute-form, as
/// a client sends to a proxy) and answers the token request and the channel lookup.
async fn proxy() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let log = log.clone();
            tokio::spawn(async move {
                let mut buffer = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") else {
                        match socket.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                        }
                        continue;
                    };
                    let head = String::from_utf8_lossy(&buffer[..end]).to_string();
                    let length: usize = head
                        .lines()
                        .find_map(|line| line.to_ascii_lowercase().strip_prefix("content-length:").map(str::to_owned))
                        .map_or(0, |value| value.trim().parse().unwrap());
                    while buffer.len() < end + 4 + length {
                        match socket.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                        }
                    }
                    buffer.drain(..end + 4 + length);
                    let line = head.lines().next().unwrap_or_default().to_string();
                    let body = if line.contains("/oauth/token") { TOKEN } else { CHANNELS };
                    log.lock().unwrap().push(line);
                    let answer = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    if socket.write_all(answer.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (address, seen)
}

#[test]
fn a_proxy_named_in_the_environment_carries_calls_and_token_requests() {
    // Before the runtime's threads exist: nothing else in this process reads the environment meanwhile.
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let (address, seen) = runtime.block_on(proxy());
    // SAFETY: this test binary runs this one test, on this thread, and no other thread has started yet
    // (the runtime above is single-threaded and idle).
    unsafe { std::env::set_var("HTTP_PROXY", &address) };
    // Hosts nothing listens on: only through the proxy can the calls succeed.
    let client = KickClient::builder()
        .client_id("id")
        .client_secret("secret")
        .api_base_url("http://api.kick.invalid")
        .oauth_base_url("http://id.kick.invalid")
        .build()
        .unwrap();
    let channel = runtime.block_on(client.fetch_channel(UserId::from(7))).unwrap();
    assert_eq!(channel.stream_title, "through the proxy");
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert!(seen[0].starts_with("POST http://id.kick.invalid/oauth/token "), "{seen:?}");
    assert!(seen[1].starts_with("GET http://api.kick.invalid/public/v1/channels?broadcaster_user_id=7 "), "{seen:?}");
}
