//! A ready webhook receiver: an axum router around a [`Dispatcher`], and [`WebhookServer`], a
//! standalone server for when the app has no HTTP server of its own (feature `webhooks-axum`).
//!
//! Answers: 200 for handled, unknown-but-authentic and already-handled deliveries; 401 for
//! forged ones; 400 for stale or malformed ones; 413 for bodies over the limit (refused from
//! `Content-Length` or as soon as the stream passes the limit); 500 when a handler failed and
//! 503 while a duplicate is in flight, so Kick retries.
//!
//! [`WebhookServer`] limits how long a request head, a body and an idle connection may take, and how
//! many connections are open ([`ConnectionLimits`]), so slow or half-open clients cannot pile up.
//! The [`router`] alone limits the body time (30 s); when you mount it in your own server, set the
//! rest there, e.g. with hyper's header read timeout and a connection cap:
//!
//! ```no_run
//! use std::sync::Arc;
//! use std::time::Duration;
//! use hyper_util::rt::{TokioIo, TokioTimer};
//! use hyper_util::service::TowerToHyperService;
//! use kickrs::webhooks::{Dispatcher, Verifier};
//!
//! # async fn run() -> std::io::Result<()> {
//! let app = axum::Router::new()
//!     .route("/health", axum::routing::get(|| async { "ok" }))
//!     .merge(kickrs::webhooks::axum::router(Arc::new(Dispatcher::new(Verifier::new())), "/kick/webhooks"));
//! let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
//! let slots = Arc::new(tokio::sync::Semaphore::new(1024)); // at most 1,024 connections
//! loop {
//!     let slot = slots.clone().acquire_owned().await.expect("never closed");
//!     let (stream, _) = listener.accept().await?;
//!     let service = TowerToHyperService::new(app.clone());
//!     tokio::spawn(async move {
//!         let mut http = hyper::server::conn::http1::Builder::new();
//!         // A head must arrive within 10 s (also when a kept-alive connection waits for its next one).
//!         http.timer(TokioTimer::new()).header_read_timeout(Duration::from_secs(10));
//!         let _ = http.serve_connection(TokioIo::new(stream), service).await;
//!         drop(slot);
//!     });
//! }
//! # }
//! ```
//!
//! ```no_run
//! use kickrs::webhooks::axum::WebhookServer;
//! use kickrs::webhooks::events::ChannelFollow;
//! use kickrs::webhooks::{BoxError, Dispatcher, Verifier};
//!
//! # async fn run() -> std::io::Result<()> {
//! let dispatcher = Dispatcher::new(Verifier::new()).on::<ChannelFollow>(|follow| async move {
//!     println!("new follower: {:?}", follow.follower.username);
//!     Ok(())
//! });
//! let server = WebhookServer::new(dispatcher)
//!     .path("/kick/webhooks")
//!     .bind_addr(([0, 0, 0, 0], 8080).into())
//!     .listen()
//!     .await?;
//! println!("listening on {}", server.url());
//! # server.shutdown().await
//! # }
//! ```

use std::net::SocketAddr;
use std::sync::Arc;

use ::axum::Router;
use ::axum::body::Body;
use ::axum::extract::{Request, State};
use ::axum::response::{IntoResponse, Response};
use ::axum::routing::post;
use futures::StreamExt as _;
use http::{HeaderValue, StatusCode, header};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::dispatch::{Dispatcher, response_status};
use super::error::WebhookError;
pub use super::serve::ConnectionLimits;
use super::serve::{BodyReadTimeout, DEFAULT_BODY_READ_TIMEOUT};

/// A router that receives Kick's POSTs at `path` (a path such as `/webhooks`, or a full URL
/// whose path is used). Merge it into an app's router or serve it alone.
pub fn router<S: Send + Sync + 'static>(dispatcher: Arc<Dispatcher<S>>, path: &str) -> Router {
    Router::new().route(&route_path(path), post(receive::<S>)).with_state(dispatcher)
}

/// The axum handler behind [`router`], for apps that build their own routes:
/// `.route("/hook", post(receive)).with_state(Arc::new(dispatcher))`.
pub async fn receive<S: Send + Sync + 'static>(
    State(dispatcher): State<Arc<Dispatcher<S>>>,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let limit = dispatcher.verifier().max_body_bytes();
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|text| text.parse::<u64>().ok());
    if let Some(size) = declared
        && let Err(error) = dispatcher.verifier().check_body_size(size)
    {
        return error_response(&dispatcher.report(error, None));
    }
    let within = parts.extensions.get::<BodyReadTimeout>().map_or(DEFAULT_BODY_READ_TIMEOUT, |timeout| timeout.0);
    let Ok(body) = tokio::time::timeout(within, read_capped(body, limit)).await else {
        tracing::warn!(timeout_ms = within.as_millis() as u64, "webhook body did not arrive in time");
        return (StatusCode::REQUEST_TIMEOUT, "body did not arrive in time").into_response();
    };
    let body = match body {
        Ok(body) => body,
        Err(ReadError::TooLarge(error)) => return error_response(&dispatcher.report(error, None)),
        Err(ReadError::Stream(reason)) => {
            tracing::warn!(%reason, "webhook body could not be read");
            return (StatusCode::BAD_REQUEST, "body could not be read").into_response();
        }
    };
    let result = dispatcher.handle(&parts.headers, &body).await;
    match &result {
        Ok(_) => (response_status(&result), "ok").into_response(),
        Err(error) => error_response(error),
    }
}

/// The response for a delivery that was not handled (or was a replay).
fn error_response(error: &WebhookError) -> Response {
    let text = match error {
        // Handler errors stay in the app's logs and error hook, not in the reply to Kick.
        WebhookError::HandlerFailed { .. } => "handler failed; retry later".to_owned(),
        other => other.to_string(),
    };
    let mut response = (error.status(), text).into_response();
    if error.status() == StatusCode::SERVICE_UNAVAILABLE {
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    }
    response
}

enum ReadError {
    TooLarge(WebhookError),
    Stream(String),
}

/// Reads the body, giving up as soon as it grows past `limit` bytes.
async fn read_capped(body: Body, limit: u64) -> Result<Vec<u8>, ReadError> {
    let mut stream = body.into_data_stream();
    let mut collected = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|err| ReadError::Stream(err.to_string()))?;
        collected.extend_from_slice(&chunk);
        let size = collected.len() as u64;
        if size > limit {
            return Err(ReadError::TooLarge(WebhookError::BodyTooLarge { size, limit }));
        }
    }
    Ok(collected)
}

/// The path part of `path` (a full URL is accepted, as in kickpy), always starting with `/`.
fn route_path(path: &str) -> String {
    let path = match url::Url::parse(path) {
        Ok(url) if url.has_host() => url.path().to_owned(),
        _ => path.to_owned(),
    };
    if path.starts_with('/') { path } else { format!("/{path}") }
}

/// A standalone webhook server (kickpy's `WebhookServer`): binds an address and serves
/// [`router`] on it until shut down.
pub struct WebhookServer {
    /// Builds the router for a path; the dispatcher's state type stays out of the server's type.
    make_router: Box<dyn FnOnce(&str) -> Router + Send>,
    path: String,
    bind_addr: SocketAddr,
    limits: ConnectionLimits,
}

impl std::fmt::Debug for WebhookServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookServer")
            .field("path", &self.path)
            .field("bind_addr", &self.bind_addr)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl WebhookServer {
    /// Default bind address: every interface, port 8080 (kickpy's default).
    pub const DEFAULT_BIND_ADDR: SocketAddr =
        SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED), 8080);

    /// A server for `dispatcher` at path `/` on [`WebhookServer::DEFAULT_BIND_ADDR`].
    pub fn new<S: Send + Sync + 'static>(dispatcher: Dispatcher<S>) -> Self {
        Self::from_shared(Arc::new(dispatcher))
    }

    /// A server for a dispatcher shared with other code.
    pub fn from_shared<S: Send + Sync + 'static>(dispatcher: Arc<Dispatcher<S>>) -> Self {
        Self {
            make_router: Box::new(move |path| router(dispatcher, path)),
            path: "/".to_owned(),
            bind_addr: Self::DEFAULT_BIND_ADDR,
            limits: ConnectionLimits::default(),
        }
    }

    /// Receives at `path` (or the path part of a full URL).
    pub fn path(mut self, path: &str) -> Self {
        self.path = route_path(path);
        self
    }

    /// Binds `addr` (port 0 picks a free port; see [`RunningWebhookServer::local_addr`]).
    pub fn bind_addr(mut self, addr: SocketAddr) -> Self {
        self.bind_addr = addr;
        self
    }

    /// Time limits and connection cap ([`ConnectionLimits::default`]: heads in 10 s, bodies in 30 s,
    /// 60 s idle, 1,024 connections).
    pub fn limits(mut self, limits: ConnectionLimits) -> Self {
        self.limits = limits;
        self
    }

    /// Binds the address and serves in a background task; returns once the socket is bound.
    ///
    /// # Errors
    /// The I/O error if the address cannot be bound.
    pub async fn listen(self) -> std::io::Result<RunningWebhookServer> {
        let listener = tokio::net::TcpListener::bind(self.bind_addr).await?;
        let local_addr = listener.local_addr()?;
        let app = (self.make_router)(&self.path);
        let (shutdown, stopped) = oneshot::channel::<()>();
        // A dropped sender also means "stop".
        let task = tokio::spawn(super::serve::serve(listener, app, self.limits, stopped));
        Ok(RunningWebhookServer { local_addr, path: self.path, shutdown: Some(shutdown), task: Some(task) })
    }
}

/// A [`WebhookServer`] that is serving. Dropping it stops the server gracefully in the
/// background; [`RunningWebhookServer::shutdown`] also waits for it.
#[derive(Debug)]
pub struct RunningWebhookServer {
    local_addr: SocketAddr,
    path: String,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

impl RunningWebhookServer {
    /// The bound address.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// `http://{local_addr}{path}`, where Kick (or a test) should POST.
    pub fn url(&self) -> String {
        format!("http://{}{}", self.local_addr, self.path)
    }

    /// Stops accepting deliveries, lets those in flight finish, and waits.
    ///
    /// # Errors
    /// The server's I/O error, if it failed while serving.
    pub async fn shutdown(mut self) -> std::io::Result<()> {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        match self.task.take() {
            Some(task) => task.await.map_err(std::io::Error::other)?,
            None => Ok(()),
        }
    }
}

impl Drop for RunningWebhookServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}
