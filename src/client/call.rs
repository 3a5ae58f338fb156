//! One facade call around one raw call: the token kind it asks for, and the translation of progenitor's
//! error into [`crate::Error`] with the status, Kick's message, the URI and the JSON path kept.

use std::cell::{Cell, RefCell};
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use progenitor_client::{Error as RawError, ResponseValue};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use tokio::task::futures::TaskLocalFuture;

use super::body::{self, ReadError};
use super::resend::Resend;
use crate::auth::TokenKind;
use crate::error::Endpoint;
use crate::{Error, KickClient};

/// How much of an undecodable body an error quotes.
const SNIPPET_CHARS: usize = 200;

tokio::task_local! {
    // Boxed: the task-local future moves its value in and out of the thread-local on every poll.
    static CALL: Box<CallState>;
}

/// What the hooks learn about the call in flight, for the facade to read back. Only the task that
/// runs the call touches it, hence cells rather than locks.
#[derive(Default)]
pub(crate) struct CallState {
    token: Option<TokenKind>,
    operation: Cell<Option<&'static str>>,
    /// The last request sent, for an error to name: taken from the spare kept for a resend, so a call
    /// formats no URI unless it fails.
    sent: RefCell<Option<SentRequest>>,
    error: RefCell<Option<Error>>,
    attempts: Cell<u32>,
    /// Set when an answer's body passed the cap (the decoding cannot build the typed error: it does not
    /// know the endpoint).
    too_large: Cell<Option<usize>>,
}

/// The method and URL of the request a call's answer came from.
struct SentRequest {
    method: reqwest::Method,
    url: reqwest::Url,
}

/// The token kind the facade asked for, if a facade call is in flight.
pub(crate) fn requested_token() -> Option<TokenKind> {
    CALL.try_with(|state| state.token).ok().flatten()
}

pub(crate) fn record_operation(operation: &'static str) {
    let _ = CALL.try_with(|state| state.operation.set(Some(operation)));
}

/// Keeps the spare copy of the call's last request for an error to name (moved in: a call that
/// succeeds formats no URI).
pub(crate) fn record_last_request(spare: Resend, attempts: u32) {
    record_sent(attempts, move || {
        let (method, url) = spare.into_method_and_url();
        SentRequest { method, url }
    });
}

/// Describes a request the call's answer may come from when there is no spare to keep (a streamed
/// body, or a resend that never happened because the refresh failed).
pub(crate) fn describe_request(request: &reqwest::Request, attempts: u32) {
    record_sent(attempts, || SentRequest { method: request.method().clone(), url: request.url().clone() });
}

/// Records the attempts made and the last request sent; `sent` runs only inside a facade call.
fn record_sent(attempts: u32, sent: impl FnOnce() -> SentRequest) {
    let _ = CALL.try_with(|state| {
        state.attempts.set(attempts);
        state.sent.replace(Some(sent()));
    });
}

/// Notes that an answer passed the cap of `limit` bytes, for the facade's error.
pub(crate) fn answer_too_large(limit: usize) {
    let _ = CALL.try_with(|state| state.too_large.set(Some(limit)));
}

/// Keeps a typed error raised inside a hook (where progenitor only carries strings) for the facade.
pub(crate) fn raise<E>(error: Error) -> RawError<E> {
    let message = error.to_string();
    keep(error);
    RawError::Custom(message)
}

/// Keeps a typed error for the facade without failing the raw call (e.g. a refresh that failed after a 401).
pub(crate) fn keep(error: Error) {
    let _ = CALL.try_with(|state| state.error.replace(Some(error)));
}

impl KickClient {
    /// Runs a raw call as `operation` with a token of `token` kind (None: the operation's default) and
    /// returns the decoded value or a typed error.
    pub(crate) fn call<T, F>(&self, token: Option<TokenKind>, raw_call: F) -> CallFuture<T, F>
    where
        T: DeserializeOwned,
        F: Future<Output = Result<ResponseValue<T>, RawError<()>>>,
    {
        let state = Box::new(CallState { token, ..CallState::default() });
        CallFuture { stage: Stage::Calling(Box::pin(CALL.scope(state, raw_call))), answer: PhantomData }
    }
}

/// A facade call in flight: the raw call with its state in scope, then, if it failed, the translation
/// of its error. The raw call's future (two kilobytes: request, spare for a resend, reqwest's own) is
/// boxed, so the future of every facade method that awaits one stays a few words long and is cheap
/// to move into a task, a `join` or a stream's buffer.
pub(crate) struct CallFuture<T, F: Future> {
    stage: Stage<F>,
    answer: PhantomData<fn() -> T>,
}

enum Stage<F: Future> {
    Calling(Pin<Box<TaskLocalFuture<Box<CallState>, F>>>),
    Translating(Pin<Box<dyn Future<Output = Error> + Send>>),
}

impl<T, F> Future for CallFuture<T, F>
where
    T: DeserializeOwned + 'static,
    F: Future<Output = Result<ResponseValue<T>, RawError<()>>>,
{
    type Output = crate::Result<ResponseValue<T>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // Both stages are boxed: `CallFuture` is `Unpin` whatever `F` is.
        let this = self.get_mut();
        let error = match &mut this.stage {
            Stage::Translating(translating) => return translating.as_mut().poll(cx).map(Err),
            Stage::Calling(scoped) => match std::task::ready!(scoped.as_mut().poll(cx)) {
                Ok(value) => return Poll::Ready(Ok(value)),
                Err(error) => (error, scoped.as_mut().take_value().unwrap_or_default()),
            },
        };
        let (error, state) = error;
        let mut translating: Pin<Box<dyn Future<Output = Error> + Send>> = Box::pin(translate::<T>(state, error));
        let poll = translating.as_mut().poll(cx).map(Err);
        this.stage = Stage::Translating(translating);
        poll
    }
}

async fn translate<T: DeserializeOwned>(state: Box<CallState>, error: RawError<()>) -> Error {
    if let Some(typed) = state.error.into_inner() {
        return typed;
    }
    let attempts = state.attempts.get().max(1);
    let operation = state.operation.get().unwrap_or("unknown");
    let endpoint = match state.sent.into_inner() {
        Some(SentRequest { method, url }) => Endpoint { operation, method, uri: url.into() },
        None => Endpoint { operation, method: reqwest::Method::GET, uri: String::new() },
    };
    if let Some(limit) = state.too_large.get() {
        return Error::AnswerTooLarge { limit, endpoint };
    }
    match error {
        RawError::CommunicationError(source)
        | RawError::ResponseBodyError(source)
        | RawError::InvalidUpgrade(source) => Error::Transport { attempts, endpoint, source },
        RawError::InvalidResponsePayload(body, _) => decode_error::<T>(&body, StatusCode::OK, endpoint),
        RawError::UnexpectedResponse(response) => from_response(response, attempts, endpoint).await,
        RawError::ErrorResponse(value) => {
            Error::Api { status: value.status(), message: None, code: None, data: None, endpoint }
        }
        RawError::InvalidRequest(message) | RawError::Custom(message) => Error::Config(message),
    }
}

/// A decode failure with the JSON path that failed and the start of the body.
pub(crate) fn decode_error<T: DeserializeOwned>(body: &[u8], status: StatusCode, endpoint: Endpoint) -> Error {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let (path, reason) = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Err(error) => (error.path().to_string(), error.into_inner().to_string()),
        Ok(_) => (".".into(), "the body decodes on its own but not as the call expects".into()),
    };
    Error::Decode { path, reason, snippet: snippet(body), status, endpoint }
}

fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    if text.trim().is_empty() {
        return "(empty body)".into();
    }
    text.chars().take(SNIPPET_CHARS).collect()
}

/// Kick's error bodies, as loosely as they come: `{data, message}`, `{message}`, OAuth's
/// `{error, error_description}`, a WAF's `{error, reference}`, HTML or nothing.
#[derive(serde::Deserialize, Default)]
struct ErrorBody {
    data: Option<serde_json::Value>,
    message: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

async fn from_response(response: reqwest::Response, attempts: u32, endpoint: Endpoint) -> Error {
    let status = response.status();
    let retry_after = retry_after(response.headers());
    if status.is_redirection() {
        let location = response.headers().get(reqwest::header::LOCATION);
        let location = location.map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
        return Error::Redirected { status, location, endpoint };
    }
    let limit = body::cap_of(&response);
    let body = match body::read_capped(response, limit).await {
        Ok(body) => body,
        Err(ReadError::TooLarge { limit }) => return Error::AnswerTooLarge { limit, endpoint },
        Err(ReadError::Transport(source)) => return Error::Transport { attempts, endpoint, source },
    };
    if status.is_success() {
        return decode_error::<serde_json::Value>(&body, status, endpoint);
    }
    let parsed: ErrorBody = serde_json::from_slice(&body).unwrap_or_default();
    let message = parsed
        .message
        .or_else(|| match (parsed.error, parsed.error_description) {
            (Some(error), Some(description)) => Some(format!("{error}: {description}")),
            (error, description) => error.or(description),
        })
        .or_else(|| (!body.is_empty()).then(|| snippet(&body)));
    let code = parsed.data.as_ref().and_then(machine_code);
    match status {
        StatusCode::NOT_FOUND => Error::NotFound { status, message, endpoint },
        StatusCode::BAD_REQUEST if parsed.data.as_ref().is_some_and(subscription_limit) => {
            Error::SubscriptionLimitReached { endpoint }
        }
        // A 429 with a machine code (e.g. `MAX_AD_BREAKS_REACHED`) is a quota refusal, not throttling.
        StatusCode::TOO_MANY_REQUESTS if code.is_none() => Error::RateLimited { retry_after, attempts, endpoint },
        _ => {
            let error = Error::Api { status, message, code, data: parsed.data, endpoint };
            let passing = matches!(status.as_u16(), 502..=504);
            if passing && attempts > 1 { Error::RetriesExhausted { attempts, last: Box::new(error) } } else { error }
        }
    }
}

/// Reads a 429's body into memory to tell throttling from a quota refusal that carries a machine code
/// (`MAX_AD_BREAKS_REACHED`), which no wait lifts; returns the response rebuilt around the same body.
pub(crate) async fn read_429(response: reqwest::Response, limit: usize) -> reqwest::Result<(reqwest::Response, bool)> {
    let (status, version, headers) = (response.status(), response.version(), response.headers().clone());
    let body = match body::read_capped(response, limit).await {
        Ok(body) => body,
        Err(ReadError::Transport(error)) => return Err(error),
        Err(ReadError::TooLarge { limit }) => {
            // Not retried (a quota refusal as far as the policy is concerned); the call names the cap.
            answer_too_large(limit);
            let mut empty = http::Response::new(bytes::Bytes::new());
            *empty.status_mut() = status;
            return Ok((reqwest::Response::from(empty), true));
        }
    };
    let parsed: ErrorBody = serde_json::from_slice(&body).unwrap_or_default();
    let quota = parsed.data.as_ref().and_then(machine_code).is_some();
    let mut rebuilt = http::Response::new(body);
    *rebuilt.status_mut() = status;
    *rebuilt.version_mut() = version;
    *rebuilt.headers_mut() = headers;
    if limit != body::DEFAULT_MAX_ANSWER_BYTES {
        rebuilt.extensions_mut().insert(body::AnswerCap(limit));
    }
    Ok((reqwest::Response::from(rebuilt), quota))
}

/// A code such as `AD_BREAK_ACTIVE`: `data` itself when it is an upper-case word, or `data.code`.
fn machine_code(data: &serde_json::Value) -> Option<String> {
    let candidate = data.as_str().or_else(|| data.get("code").and_then(serde_json::Value::as_str))?;
    let looks_like_code =
        !candidate.is_empty() && candidate.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    looks_like_code.then(|| candidate.to_string())
}

/// Kick's refusal of a subscription past the app's limit: `data` is "event subscription limit reached".
fn subscription_limit(data: &serde_json::Value) -> bool {
    data.as_str().is_some_and(|text| text.trim().eq_ignore_ascii_case("event subscription limit reached"))
}

/// `Retry-After` as seconds or as an HTTP-date (RFC 9110 allows both; Kick documents neither). A date
/// in the past means "now".
pub(crate) fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    // IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) is an RFC 2822 date.
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    Some((at.with_timezone(&chrono::Utc) - chrono::Utc::now()).to_std().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};

    fn after(value: &str) -> Option<Duration> {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_str(value).unwrap());
        retry_after(&headers)
    }

    #[test]
    fn retry_after_is_read_as_seconds_or_as_an_http_date() {
        assert_eq!(after("7"), Some(Duration::from_secs(7)));
        let in_a_minute = (chrono::Utc::now() + chrono::TimeDelta::seconds(60)).format("%a, %d %b %Y %H:%M:%S GMT");
        let wait = after(&in_a_minute.to_string()).expect("an HTTP-date is honoured");
        assert!(wait > Duration::from_secs(55) && wait <= Duration::from_secs(60), "{wait:?}");
        assert_eq!(after("Sun, 06 Nov 1994 08:49:37 GMT"), Some(Duration::ZERO), "a past date means now");
        assert_eq!(after("soon"), None);
    }
}
