//! A ready webhook receiver: an axum router around a [`Dispatcher`], and [`WebhookServer`], a
//! standalone server for when the app has no HTTP server of its own (feature `webhooks-axum`).
//!
//! Answers: 200 for handled, unknown-but-authentic and already-handled deliveries; 401 for
//! forged ones; 400 for stale or malformed ones; 413 for bodies over the limit (refused from
//! `Content-Length` or as soon as the stream passes the limit); 500 when a handler failed and
//! 503 while a duplicate is in flight, so Kick retries.
//!
//! ```no_run
//! use kickrs::webhooks::axum::WebhookServer;
//! use kickrs::webhooks::events::ChannelFollow;
//! use kickrs::webhooks::{BoxError, Dispatcher, Verifier};
//!
//! # async fn run() -> std::io::Result<()> {
//! let dispatcher = Dispatcher::new(Verifier::new()).on::<ChannelFollow>(|follow| async move {
//!     println!("new follower: {:?}", follow.follower.username);
//!     Ok::<(), BoxError>(())
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

/// A router that receives Kick's POSTs at `path` (a path such as `/webhooks`, or a full URL
/// whose path is used). Merge it into an app's router or serve it alone.
pub fn router(dispatcher: Arc<Dispatcher>, path: &str) -> Router {
    Router::new().route(&route_path(path), post(receive)).with_state(dispatcher)
}

/// The axum handler behind [`router`], for apps that build their own routes:
/// `.route("/hook", post(receive)).with_state(Arc::new(dispatcher))`.
pub async fn receive(State(dispatcher): State<Arc<Dispatcher>>, request: Request) -> Response {
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
    let body = match read_capped(body, limit).await {
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
#[derive(Debug)]
pub struct WebhookServer {
    dispatcher: Arc<Dispatcher>,
    path: String,
    bind_addr: SocketAddr,
}

impl WebhookServer {
    /// Default bind address: every interface, port 8080 (kickpy's default).
    pub const DEFAULT_BIND_ADDR: SocketAddr =
        SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED), 8080);

    /// A server for `dispatcher` at path `/` on [`WebhookServer::DEFAULT_BIND_ADDR`].
    pub fn new(dispatcher: Dispatcher) -> Self {
        Self::from_shared(Arc::new(dispatcher))
    }

    /// A server for a dispatcher shared with other code.
    pub fn from_shared(dispatcher: Arc<Dispatcher>) -> Self {
        Self { dispatcher, path: "/".to_owned(), bind_addr: Self::DEFAULT_BIND_ADDR }
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

    /// Binds the address and serves in a background task; returns once the socket is bound.
    ///
    /// # Errors
    /// The I/O error if the address cannot be bound.
    pub async fn listen(self) -> std::io::Result<RunningWebhookServer> {
        let listener = tokio::net::TcpListener::bind(self.bind_addr).await?;
        let local_addr = listener.local_addr()?;
        let app = router(self.dispatcher, &self.path);
        let (shutdown, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            ::axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    // A dropped sender also means "stop".
                    let _ = stopped.await;
                })
                .await
        });
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
