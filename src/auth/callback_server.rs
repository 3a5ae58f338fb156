//! The loopback HTTP/1.1 listener that receives the browser's redirect after the user consents.
//!
//! Deliberately tiny: it reads one request head per connection, answers `GET <callback path>` with
//! a matching `state`, and gives everything else (favicon, scanners, other tabs) a 404 without
//! ending the wait. A callback with a wrong or missing `state` gets a 400 page and does not end the
//! wait either: any local web page can send one, and it must not abort the user's real login.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinSet;

use super::AuthError;

/// The longest request head accepted; a browser's redirect is far below this.
const MAX_HEAD: usize = 16 * 1024;
/// How long one connection may take to send its request head.
const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// How long the browser waits for the final page while the code is exchanged.
const PAGE_TIMEOUT: Duration = Duration::from_secs(60);
/// How long the login waits for the final page to reach the browser.
const WRITE_TIMEOUT: Duration = Duration::from_secs(5);

/// What a callback carried, once it is known to belong to this login.
#[derive(Debug)]
pub(crate) enum Callback {
    /// The user consented: exchange this code.
    Code(String),
    /// The authorization server reported an error (user denied, ...).
    Denied { error: String, description: Option<String> },
}

/// What one request to the listener is, for the login.
#[derive(Debug)]
enum Request {
    /// A callback of this login (its `state` matches).
    Callback(Callback),
    /// The callback path without this login's `state`: a stale tab or another page; 400, keep waiting.
    Foreign,
    /// Anything else (favicon, scanners): 404, keep waiting.
    Stray,
}

/// The page the browser gets at the end.
pub(crate) struct Page {
    pub(crate) status: u16,
    pub(crate) title: &'static str,
    pub(crate) message: String,
}

impl Page {
    pub(crate) fn success() -> Self {
        Page {
            status: 200,
            title: "Logged in to Kick",
            message: "You can close this tab and return to the application.".into(),
        }
    }

    pub(crate) fn failure(status: u16, message: String) -> Self {
        Page { status, title: "Kick login failed", message }
    }

    fn foreign() -> Self {
        Page::failure(400, "This login link does not belong to the login in progress.".into())
    }

    fn not_found() -> Self {
        Page {
            status: 404,
            title: "Not found",
            message: "This is the login callback of a local application; nothing here.".into(),
        }
    }
}

/// A callback and the way to answer the browser that sent it.
pub(crate) struct Delivery {
    pub(crate) callback: Callback,
    pub(crate) answer: Answer,
}

/// The browser waiting for its final page.
pub(crate) struct Answer {
    page: oneshot::Sender<Page>,
    written: oneshot::Receiver<()>,
}

impl Answer {
    /// Shows `page` and waits (briefly) until it is written, so stopping the server right after does
    /// not cut the page off.
    pub(crate) async fn send(self, page: Page) {
        if self.page.send(page).is_ok() {
            let _ = tokio::time::timeout(WRITE_TIMEOUT, self.written).await;
        }
    }
}

/// The running listener; dropping it stops it and every open connection.
pub(crate) struct CallbackServer {
    deliveries: mpsc::Receiver<Delivery>,
    _tasks: JoinSet<()>,
}

impl CallbackServer {
    /// Binds `127.0.0.1:port` (only loopback) and starts answering.
    pub(crate) async fn bind(port: u16, path: String, state: String) -> Result<Self, AuthError> {
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let listener = TcpListener::bind(address).await.map_err(|e| {
            if e.kind() == std::io::ErrorKind::AddrInUse {
                AuthError::PortInUse { port }
            } else {
                AuthError::CallbackServer { message: format!("binding {address}: {e}") }
            }
        })?;
        let (sender, deliveries) = mpsc::channel(4);
        let mut tasks = JoinSet::new();
        tasks.spawn(accept_loop(listener, Expected { path, state }, sender));
        Ok(Self { deliveries, _tasks: tasks })
    }

    /// The next callback that belongs to this login.
    pub(crate) async fn next(&mut self) -> Option<Delivery> {
        self.deliveries.recv().await
    }
}

#[derive(Clone)]
struct Expected {
    path: String,
    state: String,
}

/// Pause after a failed `accept` before trying again.
const ACCEPT_BACKOFF: std::time::Duration = std::time::Duration::from_millis(20);

async fn accept_loop(listener: TcpListener, expected: Expected, sender: mpsc::Sender<Delivery>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(serve(stream, expected.clone(), sender.clone()));
                }
                Err(e) => {
                    // Out of file descriptors and the like: back off instead of spinning on the error.
                    tracing::debug!(error = %e, "login callback: accept failed");
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                }
            },
            // Reap finished connections so the set does not grow.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

async fn serve(mut stream: TcpStream, expected: Expected, sender: mpsc::Sender<Delivery>) {
    let target = match tokio::time::timeout(READ_TIMEOUT, read_target(&mut stream)).await {
        Ok(Some(target)) => target,
        _ => return,
    };
    let (written, written_signal) = oneshot::channel();
    let page = match classify(&target, &expected) {
        Request::Stray => Page::not_found(),
        Request::Foreign => Page::foreign(),
        Request::Callback(callback) => {
            let (reply, page) = oneshot::channel();
            let answer = Answer { page: reply, written: written_signal };
            if sender.send(Delivery { callback, answer }).await.is_err() {
                return;
            }
            match tokio::time::timeout(PAGE_TIMEOUT, page).await {
                Ok(Ok(page)) => page,
                _ => Page::failure(500, "The login did not finish.".into()),
            }
        }
    };
    let _ = stream.write_all(&render(&page)).await;
    let _ = stream.shutdown().await;
    let _ = written.send(());
}

/// Reads the request head and returns the target of a `GET` (`/path?query`); `None` otherwise.
async fn read_target(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::with_capacity(1024);
    let mut buffer = [0u8; 2048];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let read = stream.read(&mut buffer).await.ok()?;
        if read == 0 || head.len() + read > MAX_HEAD {
            break;
        }
        head.extend_from_slice(&buffer[..read]);
    }
    let line = head.split(|&b| b == b'\r' || b == b'\n').next()?;
    let line = std::str::from_utf8(line).ok()?;
    let mut parts = line.split(' ');
    let (method, target) = (parts.next()?, parts.next()?);
    // Anything but GET gets a 404 below through an impossible target.
    Some(if method == "GET" { target.to_owned() } else { String::new() })
}

/// Decides what a request means for the login. Only a request carrying this login's `state` can end
/// it; the state is checked before anything else in the query is looked at.
fn classify(target: &str, expected: &Expected) -> Request {
    let Some(url) = url::Url::parse("http://127.0.0.1").ok().and_then(|base| base.join(target).ok()) else {
        return Request::Stray;
    };
    if target.is_empty() || url.path() != expected.path {
        return Request::Stray;
    }
    let query = |name: &str| url.query_pairs().find(|(key, _)| key == name).map(|(_, value)| value.into_owned());
    if query("state").as_deref() != Some(expected.state.as_str()) {
        return Request::Foreign;
    }
    if let Some(error) = query("error") {
        return Request::Callback(Callback::Denied { error, description: query("error_description") });
    }
    match query("code").filter(|c| !c.is_empty()) {
        Some(code) => Request::Callback(Callback::Code(code)),
        None => Request::Foreign,
    }
}

fn render(page: &Page) -> Vec<u8> {
    let body = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body><h1>{title}</h1><p>{message}</p></body></html>",
        title = page.title,
        message = escape_html(&page.message),
    );
    let reason = match page.status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        _ => "Internal Server Error",
    };
    format!(
        "HTTP/1.1 {} {reason}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n{body}",
        page.status,
        body.len()
    )
    .into_bytes()
}

/// Escapes text reflected into the page (error descriptions come from the query string).
fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expected() -> Expected {
        Expected { path: "/callback".into(), state: "s1".into() }
    }

    #[test]
    fn classifies_callbacks() {
        let e = expected();
        let is = |target: &str, want: &str| {
            let got = format!("{:?}", classify(target, &e));
            assert!(got.starts_with(want), "{target}: {got}");
        };
        assert!(matches!(classify("/callback?code=c&state=s1", &e), Request::Callback(Callback::Code(c)) if c == "c"));
        assert!(matches!(
            classify("/callback?error=access_denied&error_description=no&state=s1", &e),
            Request::Callback(Callback::Denied { error, description }) if error == "access_denied" && description.as_deref() == Some("no")
        ));
        // Only this login's state can end it; everything else on the callback path is foreign.
        is("/callback?code=c&state=zz", "Foreign");
        is("/callback?error=access_denied&state=zz", "Foreign");
        is("/callback?error=access_denied", "Foreign");
        is("/callback", "Foreign");
        is("/callback?code=c", "Foreign");
        is("/callback?state=s1", "Foreign");
        is("/favicon.ico", "Stray");
        is("", "Stray");
    }

    #[test]
    fn reflected_text_is_escaped() {
        let page = render(&Page::failure(400, "<script>alert(1)</script>".into()));
        let page = String::from_utf8(page).unwrap();
        assert!(page.contains("&lt;script&gt;"));
        assert!(!page.contains("<script>"));
    }
}
