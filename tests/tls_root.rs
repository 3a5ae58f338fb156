//! `KickClientBuilder::tls_root_certificate`: the built-in client trusts a server whose certificate
//! comes from a private CA only when that CA is added, and then keeps one connection for the token
//! request and the calls. The server is a real TLS listener on 127.0.0.1 with the certificate the facade
//! benchmark uses (issued by a throwaway CA that the client is told to trust).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use kickrs::auth::AuthError;
use kickrs::{Error, KickClient, RetryPolicy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::{self, ServerConfig};

const CERT: &[u8] = include_bytes!("../bench/benches/support/tls/cert.pem");
const KEY: &[u8] = include_bytes!("../bench/benches/support/tls/key.pem");
/// The throwaway CA that issued `CERT` (see `bench/benches/support/tls.rs`).
const CA: &[u8] = include_bytes!("../bench/benches/support/tls/ca.pem");

fn server_config(alpn: &[&[u8]]) -> ServerConfig {
    let certs = vec![CertificateDer::from_pem_slice(CERT).unwrap()];
    let key = PrivateKeyDer::from_pem_slice(KEY).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    config
}

/// An HTTP/1.1-only TLS server answering the token request and the stats call; counts handshakes.
async fn server() -> (String, Arc<AtomicU64>) {
    let acceptor = TlsAcceptor::from(Arc::new(server_config(&[b"http/1.1"])));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("https://localhost:{}", listener.local_addr().unwrap().port());
    let handshakes = Arc::new(AtomicU64::new(0));
    let counted = handshakes.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let (acceptor, counted) = (acceptor.clone(), counted.clone());
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(stream).await else { return };
                counted.fetch_add(1, Ordering::Relaxed);
                let mut buffer = vec![0u8; 64 * 1024];
                let mut seen = Vec::new();
                loop {
                    let Ok(n) = tls.read(&mut buffer).await else { return };
                    if n == 0 {
                        return;
                    }
                    seen.extend_from_slice(&buffer[..n]);
                    // Requests here are small and one at a time; the token request's form body is not read.
                    while let Some(end) = seen.windows(4).position(|w| w == b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&seen[..end]).to_string();
                        let body_len = head
                            .lines()
                            .find_map(|l| {
                                l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_string())
                            })
                            .and_then(|v| v.parse::<usize>().ok())
                            .unwrap_or(0);
                        if seen.len() < end + 4 + body_len {
                            break;
                        }
                        seen.drain(..end + 4 + body_len);
                        let body = if head.starts_with("POST /oauth/token") {
                            r#"{"access_token":"app-token","token_type":"Bearer","expires_in":3600}"#
                        } else {
                            r#"{"data":{"total_count":7},"message":"OK"}"#
                        };
                        let answer = format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                            body.len()
                        );
                        if tls.write_all(answer.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                }
            });
        }
    });
    (base, handshakes)
}

fn client(base: &str, trust: bool) -> KickClient {
    let builder = KickClient::builder()
        .client_id("id")
        .client_secret("secret")
        .api_base_url(base)
        .oauth_base_url(base)
        .retry(RetryPolicy::off());
    let builder =
        if trust { builder.tls_root_certificate(kickrs::TlsRootCertificate::from_pem(CA).unwrap()) } else { builder };
    builder.build().unwrap()
}

#[tokio::test]
async fn a_private_ca_server_is_reached_only_with_its_root_added() {
    let (base, handshakes) = server().await;

    let refused = client(&base, false).fetch_livestream_stats().await.unwrap_err();
    // The first request is the app token's: refused at the TLS handshake, it fails as the OAuth server out of reach.
    assert!(
        matches!(refused, Error::Auth(AuthError::Transport { .. })),
        "an unknown issuer is a transport failure, got {refused:?}"
    );

    let trusting = client(&base, true);
    for _ in 0..5 {
        assert_eq!(trusting.fetch_livestream_stats().await.unwrap().total_count, 7);
    }
    // The token request and the five calls share one connection: one handshake beside the refused one.
    assert_eq!(handshakes.load(Ordering::Relaxed), 1, "the trusting client reuses its one connection");
}

/// A TLS server offering HTTP/2 and HTTP/1.1 (hyper's), answering the token request and the stats call;
/// counts connections and notes each request's protocol version.
async fn h2_server() -> (String, Arc<AtomicU64>, Arc<std::sync::Mutex<Vec<(String, http::Version)>>>) {
    use http_body_util::Full;
    use hyper::body::Bytes;

    let acceptor = TlsAcceptor::from(Arc::new(server_config(&[b"h2", b"http/1.1"])));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("https://localhost:{}", listener.local_addr().unwrap().port());
    let connections = Arc::new(AtomicU64::new(0));
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let (counted, log) = (connections.clone(), seen.clone());
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let (acceptor, counted, log) = (acceptor.clone(), counted.clone(), log.clone());
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(stream).await else { return };
                counted.fetch_add(1, Ordering::Relaxed);
                let h2 = tls.get_ref().1.alpn_protocol() == Some(b"h2");
                let service = hyper::service::service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
                    log.lock().unwrap().push((request.uri().path().to_string(), request.version()));
                    let body = if request.uri().path() == "/oauth/token" {
                        r#"{"access_token":"app-token","token_type":"Bearer","expires_in":3600}"#
                    } else {
                        r#"{"data":{"total_count":7},"message":"OK"}"#
                    };
                    let answer = hyper::Response::builder()
                        .header("content-type", "application/json")
                        .body(Full::new(Bytes::from_static(body.as_bytes())))
                        .unwrap();
                    async move { Ok::<_, std::convert::Infallible>(answer) }
                });
                let io = hyper_util::rt::TokioIo::new(tls);
                if h2 {
                    let _ = hyper::server::conn::http2::Builder::new(hyper_util::rt::TokioExecutor::new())
                        .serve_connection(io, service)
                        .await;
                } else {
                    let _ = hyper::server::conn::http1::Builder::new().serve_connection(io, service).await;
                }
            });
        }
    });
    (base, connections, seen)
}

#[tokio::test]
async fn token_requests_and_calls_share_one_http2_connection() {
    let (base, connections, seen) = h2_server().await;
    let client = client(&base, true);
    for _ in 0..3 {
        assert_eq!(client.fetch_livestream_stats().await.unwrap().total_count, 7);
    }
    let burst: Vec<_> = (0..16).map(|_| client.fetch_livestream_stats()).collect();
    for answer in futures::future::join_all(burst).await {
        assert_eq!(answer.unwrap().total_count, 7);
    }
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 20, "the token request and 19 calls: {seen:?}");
    assert_eq!(seen[0].0, "/oauth/token");
    assert!(seen.iter().all(|(_, version)| *version == http::Version::HTTP_2), "all over HTTP/2: {seen:?}");
    assert_eq!(connections.load(Ordering::Relaxed), 1, "one connection for the token request and every call");
}

/// An HTTP/2-only TLS server (the `h2` crate's) that refuses the first event subscription request with
/// `REFUSED_STREAM`, as a loaded server may, and answers the rest; logs each request it saw.
async fn refusing_h2_server() -> (String, Arc<std::sync::Mutex<Vec<String>>>) {
    let acceptor = TlsAcceptor::from(Arc::new(server_config(&[b"h2"])));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("https://localhost:{}", listener.local_addr().unwrap().port());
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let refused_once = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let Ok(tls) = acceptor.accept(stream).await else { continue };
            let Ok(mut connection) = h2::server::handshake(tls).await else { continue };
            let (log, refused_once) = (log.clone(), refused_once.clone());
            tokio::spawn(async move {
                while let Some(Ok((request, mut respond))) = connection.accept().await {
                    let line = format!("{} {}", request.method(), request.uri().path());
                    if line == "POST /public/v1/events/subscriptions" && !refused_once.swap(true, Ordering::SeqCst) {
                        log.lock().unwrap().push(format!("{line} refused"));
                        respond.send_reset(h2::Reason::REFUSED_STREAM);
                        continue;
                    }
                    log.lock().unwrap().push(line);
                    let body: &'static [u8] = if request.uri().path() == "/oauth/token" {
                        br#"{"access_token":"app-token","token_type":"Bearer","expires_in":3600}"#
                    } else {
                        br#"{"data":[{"name":"chat.message.sent","version":1,"subscription_id":"sub-1","error":null}],"message":"OK"}"#
                    };
                    // Answered without reading the request body: the server has all it needs.
                    let answer = http::Response::builder().header("content-type", "application/json").body(()).unwrap();
                    if let Ok(mut send) = respond.send_response(answer, false) {
                        let _ = send.send_data(hyper::body::Bytes::from_static(body), true);
                    }
                }
            });
        }
    });
    (base, seen)
}

#[tokio::test]
async fn a_write_refused_unprocessed_over_http2_is_sent_again_and_lands_once() {
    let (base, seen) = refusing_h2_server().await;
    let client = KickClient::builder()
        .client_id("id")
        .client_secret("secret")
        .api_base_url(&base)
        .oauth_base_url(&base)
        .tls_root_certificate(kickrs::TlsRootCertificate::from_pem(CA).unwrap())
        .build()
        .unwrap();
    let created =
        client.subscribe_to_events(123_u64, [kickrs::api::WebhookEvent::ChatMessageSent]).await.expect("sent again");
    assert_eq!(created.len(), 1);
    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        seen,
        ["POST /oauth/token", "POST /public/v1/events/subscriptions refused", "POST /public/v1/events/subscriptions"],
        "the refused stream was never processed, so the write goes again, once"
    );
}
