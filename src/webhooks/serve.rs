//! How [`WebhookServer`](super::axum::WebhookServer) serves its connections so that slow and idle
//! clients cannot hold it: a time limit on each request head, on each body (in the receiver), on the
//! idle time of a kept-alive connection, and a cap on open connections.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use ::axum::Router;
use ::axum::extract::Request;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, oneshot, watch};
use tokio::task::JoinSet;
use tokio::time::Instant;

/// The time limits and the connection cap of a [`WebhookServer`](super::axum::WebhookServer).
///
/// ```
/// use std::time::Duration;
/// let limits = kickrs::webhooks::axum::ConnectionLimits::default()
///     .header_read_timeout(Duration::from_secs(5))
///     .max_connections(256);
/// assert_eq!(limits.max_connections_value(), 256);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConnectionLimits {
    header_read_timeout: Duration,
    body_read_timeout: Duration,
    idle_timeout: Duration,
    max_connections: usize,
}

impl Default for ConnectionLimits {
    /// Heads within 10 s, bodies within 30 s, 60 s idle between requests, 1,024 connections.
    fn default() -> Self {
        Self {
            header_read_timeout: Duration::from_secs(10),
            body_read_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(60),
            max_connections: 1024,
        }
    }
}

impl ConnectionLimits {
    /// A request head (request line and headers) must arrive whole within this time, or the connection
    /// is closed.
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.header_read_timeout = timeout;
        self
    }

    /// A request body must arrive whole within this time, or the request gets a 408.
    pub fn body_read_timeout(mut self, timeout: Duration) -> Self {
        self.body_read_timeout = timeout;
        self
    }

    /// A connection with no request in flight and no bytes moving for this long is closed.
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = timeout;
        self
    }

    /// At most this many connections are open at once (at least 1); further ones wait in the listen
    /// backlog until one closes.
    pub fn max_connections(mut self, connections: usize) -> Self {
        self.max_connections = connections.max(1);
        self
    }

    /// The connection cap.
    pub fn max_connections_value(&self) -> usize {
        self.max_connections
    }

    /// The body time limit (read by the receiver from the request's extensions).
    pub(crate) fn body_timeout(&self) -> BodyReadTimeout {
        BodyReadTimeout(self.body_read_timeout)
    }
}

/// The body time limit of the server a request came through; the receiver falls back to
/// [`DEFAULT_BODY_READ_TIMEOUT`] in a router served some other way.
#[derive(Clone, Copy, Debug)]
pub(crate) struct BodyReadTimeout(pub(crate) Duration);

/// The body time limit of a receiver mounted in an app's own server.
pub(crate) const DEFAULT_BODY_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// Accepts connections (within the cap) and serves `app` on each until `stop` fires; then lets the
/// requests in flight finish and waits for every connection to close.
pub(crate) async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    mut stop: oneshot::Receiver<()>,
) -> std::io::Result<()> {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let app = app.layer(::axum::Extension(limits.body_timeout()));
    let (stopping, stopped) = watch::channel(false);
    let mut connections = JoinSet::new();
    loop {
        let slot = tokio::select! {
            _ = &mut stop => break,
            slot = Arc::clone(&slots).acquire_owned() => slot.map_err(std::io::Error::other)?,
        };
        let stream = tokio::select! {
            _ = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(error) => {
                    // Out of file descriptors and the like: back off instead of spinning.
                    tracing::debug!(%error, "webhook server: accept failed");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
        };
        let (app, stopped) = (app.clone(), stopped.clone());
        connections.spawn(async move {
            connection(stream, app, limits, stopped).await;
            drop(slot);
        });
        // Reap finished connections so the set does not grow.
        while connections.try_join_next().is_some() {}
    }
    drop(listener);
    let _ = stopping.send(true);
    while connections.join_next().await.is_some() {}
    Ok(())
}

/// Serves one connection until the client closes it, a time limit passes, it sits idle too long, or
/// the server stops (then the request in flight finishes first).
async fn connection(stream: TcpStream, app: Router, limits: ConnectionLimits, mut stopped: watch::Receiver<bool>) {
    let activity = Arc::new(Activity::new());
    let io = TokioIo::new(Watched { io: stream, activity: Arc::clone(&activity) });
    let counted = Arc::clone(&activity);
    let app = app.layer(::axum::middleware::from_fn(move |request: Request, next: ::axum::middleware::Next| {
        let busy = counted.begin();
        async move {
            let response = next.run(request).await;
            drop(busy);
            response
        }
    }));
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(limits.header_read_timeout);
    let served = builder.serve_connection(io, TowerToHyperService::new(app));
    tokio::pin!(served);
    let mut stopping = false;
    loop {
        // Idle time counts only between requests: a handler may take as long as it takes.
        let wait = match activity.in_flight() {
            0 => limits.idle_timeout.saturating_sub(activity.quiet_for()),
            _ => limits.idle_timeout,
        };
        tokio::select! {
            _ = &mut served => return,
            changed = stopped.changed(), if !stopping => {
                stopping = true;
                if changed.is_ok() {
                    served.as_mut().graceful_shutdown();
                }
            }
            _ = tokio::time::sleep(wait.max(Duration::from_millis(10))) => {
                if activity.in_flight() == 0 && activity.quiet_for() >= limits.idle_timeout {
                    // Dropping the connection closes the socket.
                    return;
                }
            }
        }
    }
}

/// When bytes last moved on a connection, and how many of its requests are in flight.
struct Activity {
    started: Instant,
    last_ms: AtomicU64,
    in_flight: AtomicUsize,
}

impl Activity {
    fn new() -> Self {
        Self { started: Instant::now(), last_ms: AtomicU64::new(0), in_flight: AtomicUsize::new(0) }
    }

    fn touch(&self) {
        let now = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_ms.store(now, Ordering::Relaxed);
    }

    fn quiet_for(&self) -> Duration {
        let last = Duration::from_millis(self.last_ms.load(Ordering::Relaxed));
        self.started.elapsed().saturating_sub(last)
    }

    fn in_flight(&self) -> usize {
        self.in_flight.load(Ordering::Relaxed)
    }

    fn begin(self: &Arc<Self>) -> Busy {
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        Busy(Arc::clone(self))
    }
}

/// A request in flight; its end counts as activity.
struct Busy(Arc<Activity>);

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
        self.0.touch();
    }
}

/// A socket that records when bytes move.
struct Watched {
    io: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.io).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.touch();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<std::io::Result<usize>> {
        let polled = Pin::new(&mut self.io).poll_write(cx, data);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        polled
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}
