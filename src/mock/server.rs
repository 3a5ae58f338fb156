//! The HTTP side: a listener whose connections can be cut on purpose, and the one handler that
//! logs, applies faults, checks the token and dispatches to the route table.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use axum::body::Body;
use axum::extract::connect_info::{ConnectInfo, Connected};
use axum::extract::{Request, State as AxumState};
use axum::response::Response;
use axum::serve::{IncomingStream, Listener};
use http::StatusCode;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

use super::faults::{Action, FaultTable};
use super::log::{RecordedRequest, RequestLog};
use super::oauth;
use super::reply::Reply;
use super::request::Req;
use super::routes::{self, Access, Ctx, Match};
use super::state::State;
use super::webhooks::Deliverer;
use crate::auth::TokenKind;

/// Largest request body MockKick reads (Kick's bodies are tiny).
const MAX_BODY: usize = 1 << 20;

/// What the server task and the `MockKick` handle share.
pub(crate) struct Shared {
    pub(crate) state: Mutex<State>,
    pub(crate) log: RequestLog,
    pub(crate) faults: FaultTable,
    pub(crate) deliverer: Deliverer,
}

impl Shared {
    pub(crate) fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Per-connection switch: once set, the socket refuses all further IO and is closed unanswered.
#[derive(Clone, Debug)]
pub(crate) struct ConnHandle {
    kill: Arc<AtomicBool>,
}

pub(crate) struct CuttableListener(pub(crate) TcpListener);

pub(crate) struct CuttableStream {
    inner: TcpStream,
    kill: Arc<AtomicBool>,
}

impl Listener for CuttableListener {
    type Io = CuttableStream;
    type Addr = ConnHandle;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            match self.0.accept().await {
                Ok((stream, _)) => {
                    // Small keep-alive answers must not wait for Nagle.
                    let _ = stream.set_nodelay(true);
                    let kill = Arc::new(AtomicBool::new(false));
                    let handle = ConnHandle { kill: kill.clone() };
                    return (CuttableStream { inner: stream, kill }, handle);
                }
                Err(_) => tokio::time::sleep(std::time::Duration::from_millis(5)).await,
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.0.local_addr().map(|_| ConnHandle { kill: Arc::new(AtomicBool::new(false)) })
    }
}

impl Connected<IncomingStream<'_, CuttableListener>> for ConnHandle {
    fn connect_info(stream: IncomingStream<'_, CuttableListener>) -> Self {
        stream.remote_addr().clone()
    }
}

fn cut() -> io::Error {
    io::Error::new(io::ErrorKind::ConnectionAborted, "connection dropped by MockKick fault")
}

impl CuttableStream {
    fn is_cut(&self) -> bool {
        self.kill.load(Ordering::Acquire)
    }
}

impl AsyncRead for CuttableStream {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        if self.is_cut() {
            return Poll::Ready(Err(cut()));
        }
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for CuttableStream {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        if self.is_cut() {
            return Poll::Ready(Err(cut()));
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        if self.is_cut() {
            return Poll::Ready(Err(cut()));
        }
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.is_cut() {
            return Poll::Ready(Err(cut()));
        }
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// Binds 127.0.0.1 on `port` (0: an ephemeral port).
pub(crate) async fn bind(port: u16) -> io::Result<(CuttableListener, SocketAddr)> {
    let listener = TcpListener::bind(("127.0.0.1", port)).await?;
    let addr = listener.local_addr()?;
    Ok((CuttableListener(listener), addr))
}

/// The only axum handler: every request goes through here.
pub(crate) async fn handle(
    AxumState(shared): AxumState<Arc<Shared>>,
    ConnectInfo(conn): ConnectInfo<ConnHandle>,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let body = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(_) => {
            return Reply::bad_request("request body too large or unreadable").into_response();
        }
    };
    let raw_query = parts.uri.query().unwrap_or("").to_owned();
    let req = Req {
        query: url::form_urlencoded::parse(raw_query.as_bytes()).into_owned().collect(),
        method: parts.method,
        path: parts.uri.path().to_owned(),
        headers: parts.headers,
        body,
    };
    shared.log.push(RecordedRequest {
        method: req.method.clone(),
        path: req.path.clone(),
        query: raw_query,
        headers: req
            .headers
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
            .collect(),
        body: req.body.clone(),
        received_at: std::time::Instant::now(),
    });

    for fault in shared.faults.take(&req.method, &req.path) {
        match fault.action() {
            Action::Delay(d) => tokio::time::sleep(d).await,
            Action::Reply(reply) => return reply.into_response(),
            Action::Drop => {
                conn.kill.store(true, Ordering::Release);
                let mut response = Response::new(Body::empty());
                *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
                return response;
            }
        }
    }

    let reply = {
        let mut state = shared.lock();
        let reply = dispatch(&mut state, &req);
        if !state.outbox.is_empty() {
            let events = std::mem::take(&mut state.outbox);
            shared.deliverer.send_all(&state, events);
        }
        reply
    };
    reply.into_response()
}

fn dispatch(state: &mut State, req: &Req) -> Reply {
    let (route, param) = match routes::find(&req.method, &req.path) {
        Match::Found(route, param) => (route, param),
        Match::WrongMethod => {
            return Reply::error(StatusCode::METHOD_NOT_ALLOWED, serde_json::json!({}), "Method Not Allowed");
        }
        Match::None => return Reply::not_found("Not Found"),
    };
    let caller = match route.access {
        Access::Public => None,
        Access::UserOrApp(scopes) | Access::UserOnly(scopes) => {
            let caller = match oauth::authenticate(state, req) {
                Ok(c) => c,
                Err(reply) => return reply,
            };
            let user_only = matches!(route.access, Access::UserOnly(_));
            if caller.kind == TokenKind::App && user_only {
                return Reply::forbidden("Forbidden: this endpoint needs a user access token");
            }
            if caller.kind == TokenKind::User && !caller.has_any_scope(scopes) {
                return Reply::forbidden(format!("Forbidden: missing scope {}", scopes.join(" or ")));
            }
            Some(caller)
        }
        Access::AppOnly => match oauth::authenticate(state, req) {
            Ok(caller) if caller.kind == TokenKind::App => Some(caller),
            Ok(_) => return Reply::error(StatusCode::UNAUTHORIZED, serde_json::Value::Null, "Unauthorized"),
            Err(reply) => return reply,
        },
    };
    let mut ctx = Ctx { state, req, caller, param };
    match (route.handler)(&mut ctx) {
        Ok(reply) | Err(reply) => reply,
    }
}
