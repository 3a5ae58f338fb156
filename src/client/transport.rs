//! How a request kickrs has built reaches the wire. kickrs' own HTTP client sends through hyper's pooled
//! client directly: reqwest's `Client::execute` turns every request's URI back into a `Url` twice (once for
//! redirect rules kickrs switches off, once more for the response), about a fifth of a small call's
//! instructions. A `reqwest::Client` of the caller's, or a proxy named in the environment, goes through
//! reqwest as before. API calls and token requests share one transport, so one connection pool.

use std::error::Error as StdError;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use bytes::Bytes;
use futures::future::Either;
use http_body::{Body as HttpBody, Frame, SizeHint};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::{Client as HyperClient, ResponseFuture};
use hyper_util::rt::{TokioExecutor, TokioTimer};
use reqwest::ResponseBuilderExt as _;
use reqwest::header::{ACCEPT, HeaderValue, USER_AGENT};
use tokio::time::Sleep;

type BoxError = Box<dyn StdError + Send + Sync>;
type Connector = hyper_rustls::HttpsConnector<HttpConnector>;

/// Where requests go: hyper directly (kickrs' own client) or a `reqwest::Client`.
#[derive(Clone)]
pub(crate) enum Transport {
    Direct(Arc<Direct>),
    Reqwest(reqwest::Client),
}

/// The settings kickrs' own client is built with.
pub(crate) struct DirectSettings {
    pub tls: rustls::ClientConfig,
    pub user_agent: HeaderValue,
    pub connect_timeout: Duration,
    pub timeout: Duration,
}

/// hyper's pooled client with the settings reqwest would apply to the same request.
pub(crate) struct Direct {
    client: HyperClient<Connector, reqwest::Body>,
    user_agent: HeaderValue,
    timeout: Duration,
}

impl Transport {
    /// Sends `request`; its own timeout, if set, wins over the client's. Everything before the wire is
    /// done here, so the future holds only what waiting for the answer needs.
    pub(crate) fn send(
        &self,
        request: reqwest::Request,
    ) -> impl Future<Output = reqwest::Result<reqwest::Response>> + Send + use<> {
        match self {
            Transport::Direct(direct) => Either::Left(direct.send(request)),
            Transport::Reqwest(client) => Either::Right(client.execute(request)),
        }
    }

    /// kickrs' own transport, or reqwest's `client` when the environment names a proxy (which reqwest
    /// honours and hyper alone does not).
    pub(crate) fn own(settings: DirectSettings, client: &reqwest::Client) -> Transport {
        if proxy_in_environment() {
            return Transport::Reqwest(client.clone());
        }
        Transport::Direct(Arc::new(Direct::new(settings)))
    }
}

/// Whether a proxy variable reqwest reads is set (reqwest's own client would then go through it).
fn proxy_in_environment() -> bool {
    ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"]
        .iter()
        .any(|name| std::env::var_os(name).is_some_and(|value| !value.is_empty()))
}

impl Direct {
    fn new(mut settings: DirectSettings) -> Self {
        // hyper-rustls offers h2 and http/1.1 itself (`enable_all_versions`) and refuses a set-up that already names them.
        settings.tls.alpn_protocols.clear();
        let mut http = HttpConnector::new();
        // As reqwest 0.13 sets up its connector by default.
        http.enforce_http(false);
        http.set_nodelay(true);
        http.set_connect_timeout(Some(settings.connect_timeout));
        http.set_keepalive(Some(Duration::from_secs(15)));
        http.set_keepalive_interval(Some(Duration::from_secs(15)));
        http.set_keepalive_retries(Some(3));
        #[cfg(any(target_os = "android", target_os = "fuchsia", target_os = "linux"))]
        http.set_tcp_user_timeout(Some(Duration::from_secs(30)));
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(settings.tls)
            .https_or_http()
            .enable_all_versions()
            .wrap_connector(http);
        let client = HyperClient::builder(TokioExecutor::new())
            .pool_idle_timeout(Duration::from_secs(90))
            .pool_timer(TokioTimer::new())
            .timer(TokioTimer::new())
            .build(connector);
        Self { client, user_agent: settings.user_agent, timeout: settings.timeout }
    }

    fn send(&self, request: reqwest::Request) -> Sending {
        let url = request.url().clone();
        let timeout = request.timeout().copied().unwrap_or(self.timeout);
        let mut request = match http::Request::<reqwest::Body>::try_from(request) {
            Ok(request) => request,
            Err(error) => return Sending(State::Failed(error)),
        };
        let headers = request.headers_mut();
        // reqwest's default headers: its user agent and `Accept: */*`, where the request has none.
        if !headers.contains_key(USER_AGENT) {
            headers.insert(USER_AGENT, self.user_agent.clone());
        }
        if !headers.contains_key(ACCEPT) {
            headers.insert(ACCEPT, HeaderValue::from_static("*/*"));
        }
        // One deadline for the answer and its body, as reqwest's timeout.
        let deadline = Box::pin(tokio::time::sleep(timeout));
        Sending(State::Waiting { answer: self.client.request(request), deadline, url })
    }
}

/// A request on its way: the answer's head, within the deadline.
pub(crate) struct Sending(State);

enum State {
    Waiting { answer: ResponseFuture, deadline: Pin<Box<Sleep>>, url: reqwest::Url },
    Failed(reqwest::Error),
    Done,
}

impl Future for Sending {
    type Output = reqwest::Result<reqwest::Response>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let State::Waiting { answer, deadline, .. } = &mut self.0 else {
            return match std::mem::replace(&mut self.0, State::Done) {
                State::Failed(error) => Poll::Ready(Err(error)),
                _ => panic!("`Sending` polled after it completed"),
            };
        };
        let answer = match Pin::new(answer).poll(cx) {
            Poll::Ready(answer) => answer,
            Poll::Pending => {
                ready!(deadline.as_mut().poll(cx));
                self.0 = State::Done;
                return Poll::Ready(Err(carried(timed_out())));
            }
        };
        let State::Waiting { deadline, url, .. } = std::mem::replace(&mut self.0, State::Done) else {
            unreachable!("matched above");
        };
        Poll::Ready(answer.map(|answer| response(answer, url, deadline)).map_err(carried))
    }
}

/// hyper's answer as reqwest's, naming `url` and with its body under `deadline`.
fn response(
    answer: http::Response<hyper::body::Incoming>,
    url: reqwest::Url,
    deadline: Pin<Box<Sleep>>,
) -> reqwest::Response {
    let (mut parts, body) = answer.into_parts();
    // The URL the answer names (`Response::url`), which reqwest keeps in an extension of its own.
    if let Ok(marker) = http::Response::builder().url(url).body(()) {
        parts.extensions.extend(marker.into_parts().0.extensions);
    }
    let body = reqwest::Body::wrap(Deadline { body, deadline });
    reqwest::Response::from(http::Response::from_parts(parts, body))
}

/// Whether the server refused `error`'s request before processing any of it, so that sending it again is
/// safe even for a write (RFC 9113, section 8.7): an HTTP/2 stream refused (`REFUSED_STREAM`), or one
/// above the last stream a graceful shutdown (`GOAWAY` with `NO_ERROR`) still serves, as a server rotating
/// its connections sends. reqwest's own client resends these by itself.
pub(crate) fn refused_unprocessed(error: &reqwest::Error) -> bool {
    crate::error::causes(error).filter_map(|error| error.downcast_ref::<h2::Error>()).any(|error| {
        error.is_remote()
            && ((error.is_reset() && error.reason() == Some(h2::Reason::REFUSED_STREAM))
                || (error.is_go_away() && error.reason() == Some(h2::Reason::NO_ERROR)))
    })
}

/// A response body that fails once the request's deadline has passed.
struct Deadline {
    body: hyper::body::Incoming,
    deadline: Pin<Box<Sleep>>,
}

impl HttpBody for Deadline {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = &mut *self;
        if let Poll::Ready(frame) = Pin::new(&mut this.body).poll_frame(cx) {
            return Poll::Ready(frame.map(|frame| frame.map_err(BoxError::from)));
        }
        this.deadline.as_mut().poll(cx).map(|()| Some(Err(timed_out().into())))
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

fn timed_out() -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::TimedOut, "timed out waiting for the answer (the client's timeout)")
}

/// A `reqwest::Error` with `error` as its cause: the generated code takes reqwest's errors, and reqwest
/// makes them only itself, so `error` goes in as the failure of a body read through reqwest. Its source is
/// [`Carried`], which kickrs' own errors unwrap again ([`carried_cause`]); reqwest's `is_timeout` and
/// `is_connect` look through the sources, so a raw call's error still answers them.
fn carried(error: impl Into<BoxError>) -> reqwest::Error {
    let cause = Carried(Arc::from(error.into()));
    let mut response = reqwest::Response::from(http::Response::new(reqwest::Body::wrap(Failing(Some(cause)))));
    let mut read = std::pin::pin!(response.chunk());
    match read.as_mut().poll(&mut Context::from_waker(std::task::Waker::noop())) {
        Poll::Ready(Err(error)) => error,
        // A failing body fails on its first poll; nothing here waits.
        _ => unreachable!("a failing body read through reqwest fails at once"),
    }
}

/// The cause kickrs' transport put in a `reqwest::Error`, if it is one of those.
pub(crate) fn carried_cause(error: &reqwest::Error) -> Option<Arc<dyn StdError + Send + Sync>> {
    crate::error::causes(error).find_map(|error| error.downcast_ref::<Carried>()).map(|carried| carried.0.clone())
}

/// A failure of kickrs' own transport inside a `reqwest::Error`.
#[derive(Debug)]
struct Carried(Arc<dyn StdError + Send + Sync>);

impl std::fmt::Display for Carried {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the request got no answer")
    }
}

impl StdError for Carried {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&*self.0)
    }
}

struct Failing(Option<Carried>);

impl HttpBody for Failing {
    type Data = Bytes;
    type Error = Carried;

    fn poll_frame(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Carried>>> {
        Poll::Ready(self.0.take().map(Err))
    }
}
