//! The canned answers over TLS (certificate and key committed in `bench/benches/support/tls/`),
//! served by hyper with HTTP/2 and HTTP/1.1 offered by ALPN, or HTTP/1.1
//! alone; it counts the TLS handshakes it accepts and which protocol each connection settled on.
//!
//! `tls/cert.pem` (key `tls/key.pem`) is a P-256 certificate for `localhost` and 127.0.0.1 issued by
//! `tls/ca.pem`, a throwaway CA made with `openssl` whose key was discarded; clients trust `ca.pem`.
//! (A self-signed leaf is refused by webpki as a CA used as an end entity.)

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::{self, ServerConfig};

use super::threads;

const CERT: &[u8] = include_bytes!("tls/cert.pem");
const KEY: &[u8] = include_bytes!("tls/key.pem");
const CA: &[u8] = include_bytes!("tls/ca.pem");

/// The protocols a server offers by ALPN.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Offer {
    /// `h2` first, then `http/1.1`: what Kick's hosts do.
    Http2,
    /// `http/1.1` only.
    Http1,
}

/// The CA that issued the server's certificate, for clients to trust.
pub fn certificate() -> kickrs::TlsRootCertificate {
    kickrs::TlsRootCertificate::from_pem(CA).expect("committed CA certificate parses")
}

/// What a running TLS server counts.
#[derive(Default)]
pub struct Counters {
    handshakes: AtomicU64,
    h2: AtomicU64,
    token_requests: AtomicU64,
    requests: AtomicU64,
}

/// A snapshot of [`Counters`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Seen {
    pub handshakes: u64,
    pub h2: u64,
    pub token_requests: u64,
    pub requests: u64,
}

impl std::ops::Sub for Seen {
    type Output = Seen;
    fn sub(self, earlier: Seen) -> Seen {
        Seen {
            handshakes: self.handshakes - earlier.handshakes,
            h2: self.h2 - earlier.h2,
            token_requests: self.token_requests - earlier.token_requests,
            requests: self.requests - earlier.requests,
        }
    }
}

pub struct TlsCanned {
    /// `https://localhost:<port>`.
    pub base_url: String,
    counters: Arc<Counters>,
}

impl TlsCanned {
    pub fn seen(&self) -> Seen {
        let load = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
        let counters = &self.counters;
        Seen {
            handshakes: load(&counters.handshakes),
            h2: load(&counters.h2),
            token_requests: load(&counters.token_requests),
            requests: load(&counters.requests),
        }
    }
}

/// Starts a TLS server on its own thread answering `bodies` (path -> JSON) with 200, anything else 404.
pub fn start(bodies: Vec<(String, Vec<u8>)>, offer: Offer) -> TlsCanned {
    let answers: Arc<HashMap<String, Bytes>> =
        Arc::new(bodies.into_iter().map(|(path, body)| (path, Bytes::from(body))).collect());
    let counters = Arc::new(Counters::default());
    let acceptor = TlsAcceptor::from(Arc::new(server_config(offer)));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    listener.set_nonblocking(true).expect("nonblocking listener");
    let base_url = format!("https://localhost:{}", listener.local_addr().expect("local addr").port());
    let seen = counters.clone();
    threads::serve_forever("tls-server", async move {
        let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
        while let Ok((stream, _)) = listener.accept().await {
            let _ = stream.set_nodelay(true);
            let (acceptor, answers, counters) = (acceptor.clone(), answers.clone(), seen.clone());
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(stream).await else { return };
                counters.handshakes.fetch_add(1, Ordering::Relaxed);
                let h2 = tls.get_ref().1.alpn_protocol() == Some(b"h2");
                if h2 {
                    counters.h2.fetch_add(1, Ordering::Relaxed);
                }
                let service = hyper::service::service_fn(move |request| {
                    std::future::ready(Ok::<_, Infallible>(answer(&request, &answers, &counters)))
                });
                let io = TokioIo::new(tls);
                if h2 {
                    let _ = hyper::server::conn::http2::Builder::new(TokioExecutor::new())
                        .serve_connection(io, service)
                        .await;
                } else {
                    let _ = hyper::server::conn::http1::Builder::new().serve_connection(io, service).await;
                }
            });
        }
    });
    TlsCanned { base_url, counters }
}

fn server_config(offer: Offer) -> ServerConfig {
    let certs = vec![CertificateDer::from_pem_slice(CERT).expect("committed certificate parses")];
    let key = PrivateKeyDer::from_pem_slice(KEY).expect("committed key parses");
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .expect("certificate and key match");
    config.alpn_protocols = match offer {
        Offer::Http2 => vec![b"h2".to_vec(), b"http/1.1".to_vec()],
        Offer::Http1 => vec![b"http/1.1".to_vec()],
    };
    config
}

fn answer(request: &Request<Incoming>, answers: &HashMap<String, Bytes>, counters: &Counters) -> Response<Full<Bytes>> {
    counters.requests.fetch_add(1, Ordering::Relaxed);
    let path = request.uri().path();
    if request.method() == hyper::Method::POST && path == "/oauth/token" {
        counters.token_requests.fetch_add(1, Ordering::Relaxed);
    }
    // A token request's form body is not read: the answer does not depend on it.
    let (status, body) = match answers.get(path) {
        Some(body) => (StatusCode::OK, body.clone()),
        None => (StatusCode::NOT_FOUND, Bytes::from_static(b"{}")),
    };
    let mut response = Response::new(Full::new(body));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(hyper::header::CONTENT_TYPE, hyper::header::HeaderValue::from_static("application/json"));
    response
}
