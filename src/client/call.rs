//! One facade call around one raw call, and the translation of progenitor's error into
//! [`crate::Error`] with the status, Kick's message, the URI and the JSON path kept.
//!
//! A call carries no state of its own: the facade's choice of token travels in the raw client it calls
//! through ([`super::core::CallOrigin`]), and the facts of a failure that progenitor's error cannot hold
//! (a typed error, the request sent, the attempts) are written by the hooks into a thread-local
//! [`Failure`] record only on a facade call's failure path, right before the error is returned. The
//! generated code passes that error up with `?` and no await in between, so the facade's poll that
//! receives it runs on the same thread, in the same poll, and takes the record there. A call that
//! succeeds allocates nothing for its bookkeeping and, in a release build, touches no thread-local (a
//! debug build checks that none was left behind).

use std::cell::Cell;
use std::time::Duration;

use progenitor_client::{Error as RawError, ResponseValue};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use super::Core;
use super::body::{self, ReadError};
use super::resend::Resend;
use crate::TransportError;
use crate::auth::TokenKind;
use crate::error::Endpoint;
use crate::{Error, KickClient, raw};

/// How much of an undecodable body an error quotes.
const SNIPPET_CHARS: usize = 200;

thread_local! {
    /// The failure of the facade call being polled on this thread, between the hook that wrote it and
    /// the facade's poll that takes it (the same poll): empty at every await.
    static FAILURE: Cell<Option<Box<Failure>>> = const { Cell::new(None) };
}

/// What the hooks know about a failed facade call that progenitor's error does not carry.
#[derive(Default)]
pub(crate) struct Failure {
    operation: Option<&'static str>,
    /// The last request sent, for the error to name.
    sent: Option<SentRequest>,
    attempts: u32,
    /// A typed error raised in a hook (progenitor's errors carry strings only).
    error: Option<Error>,
    /// Set when an answer's body passed the cap of this many bytes.
    too_large: Option<usize>,
}

/// The method and URL of the request a call's answer came from.
struct SentRequest {
    method: reqwest::Method,
    url: reqwest::Url,
}

/// Adds to the failure record of the facade call in this poll; nothing for a raw call, whose record
/// nobody would take.
fn note(core: &Core, add: impl FnOnce(&mut Failure)) {
    if !core.origin().facade {
        return;
    }
    let _ = FAILURE.try_with(|slot| {
        let mut failure = slot.take().unwrap_or_default();
        add(&mut failure);
        slot.set(Some(failure));
    });
}

/// The failure record written in this poll, if any (and the slot emptied).
fn take_failure() -> Option<Box<Failure>> {
    FAILURE.try_with(Cell::take).ok().flatten()
}

/// Notes the last request sent (from the spare kept for a resend: a call that succeeds formats no
/// URI) and the attempts made, for a facade call about to fail.
pub(crate) fn note_sent(core: &Core, operation: &'static str, spare: Resend, attempts: u32) {
    let (method, url) = spare.into_method_and_url();
    note_method_and_url(core, operation, method, url, attempts);
}

/// Names the request a failed call's answer came from when there is no spare to take it from (a
/// streamed body, described before it went).
pub(crate) fn note_method_and_url(
    core: &Core,
    operation: &'static str,
    method: reqwest::Method,
    url: reqwest::Url,
    attempts: u32,
) {
    note(core, move |failure| {
        failure.operation = Some(operation);
        failure.sent = Some(SentRequest { method, url });
        failure.attempts = attempts;
    });
}

/// Names a request that was never sent (the resend after a refresh that failed).
pub(crate) fn note_request(core: &Core, operation: &'static str, request: &reqwest::Request, attempts: u32) {
    note_method_and_url(core, operation, request.method().clone(), request.url().clone(), attempts);
}

/// Notes that an answer of `operation` from `url` could not be decoded (the decoding only sees the
/// response, whose method the operation's table gives).
pub(crate) fn note_answer(core: &Core, operation: &'static str, url: &reqwest::Url) {
    note(core, |failure| {
        let method = raw::operation(operation)
            .and_then(|op| reqwest::Method::from_bytes(op.method.as_bytes()).ok())
            .unwrap_or(reqwest::Method::GET);
        failure.operation = Some(operation);
        failure.sent = Some(SentRequest { method, url: url.clone() });
    });
}

/// Notes that an answer passed the cap of `limit` bytes, for the facade's error.
pub(crate) fn answer_too_large(core: &Core, limit: usize) {
    note(core, |failure| failure.too_large = Some(limit));
}

/// Fails the raw call with a typed error raised in a hook of `operation` (progenitor only carries
/// strings): the facade call gets the typed error back.
pub(crate) fn raise<E>(core: &Core, operation: &'static str, error: Error) -> RawError<E> {
    let message = error.to_string();
    note(core, |failure| {
        failure.operation = Some(operation);
        failure.error = Some(error);
    });
    RawError::Custom(message)
}

/// Keeps a typed error for the facade without failing the raw call (a refresh that failed after a 401:
/// the 401 goes back to the caller).
pub(crate) fn keep(core: &Core, error: Error) {
    note(core, |failure| failure.error = Some(error));
}

impl KickClient {
    /// Runs the raw call `raw_call` makes on the facade's raw client for a token of `token` kind (None:
    /// the operation's default) and returns the decoded value or a typed error.
    ///
    /// The raw call's future stays inline: boxing it cost a heap block per call and measured dearer
    /// than the moves it saves (`tests/future_sizes.rs`). The translation of an error, a cold path that
    /// may read a body, is boxed.
    pub(crate) async fn call<'a, T, F>(
        &'a self,
        token: Option<TokenKind>,
        raw_call: impl FnOnce(&'a raw::Client) -> F,
    ) -> crate::Result<ResponseValue<T>>
    where
        T: DeserializeOwned,
        F: Future<Output = Result<ResponseValue<T>, RawError<()>>>,
    {
        let error = match raw_call(self.raw_as(token)).await {
            Ok(value) => {
                debug_assert!(take_failure().is_none(), "a failure record left behind by a call that succeeded");
                return Ok(value);
            }
            Err(error) => error,
        };
        // Taken in the poll the error came back in, on the thread the hooks wrote it from.
        let failure = take_failure().unwrap_or_default();
        Err(Box::pin(translate::<T>(failure, error)).await)
    }
}

async fn translate<T: DeserializeOwned>(failure: Box<Failure>, error: RawError<()>) -> Error {
    let Failure { operation, sent, attempts, error: typed, too_large } = *failure;
    if let Some(typed) = typed {
        return typed;
    }
    let attempts = attempts.max(1);
    let operation = operation.unwrap_or("unknown");
    let endpoint = match sent {
        Some(SentRequest { method, url }) => Endpoint { operation, method, uri: url.into() },
        // A success status the generated code did not expect (the hooks name only failures): the
        // answer still says where it came from.
        None => {
            let uri = match &error {
                RawError::UnexpectedResponse(response) => response.url().to_string(),
                _ => String::new(),
            };
            Endpoint { operation, method: reqwest::Method::GET, uri }
        }
    };
    if let Some(limit) = too_large {
        return Error::AnswerTooLarge { limit, endpoint };
    }
    match error {
        RawError::CommunicationError(source)
        | RawError::ResponseBodyError(source)
        | RawError::InvalidUpgrade(source) => {
            Error::Transport { attempts, endpoint, source: TransportError::from_reqwest(source) }
        }
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

async fn from_response(mut response: reqwest::Response, attempts: u32, endpoint: Endpoint) -> Error {
    if let Some(PassedCap(limit)) = response.extensions().get::<PassedCap>().copied() {
        return Error::AnswerTooLarge { limit, endpoint };
    }
    let status = response.status();
    let retry_after = retry_after(response.headers());
    if status.is_redirection() {
        let location = response.headers().get(reqwest::header::LOCATION);
        let location = location.map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
        return Error::Redirected { status, location, endpoint };
    }
    let limit = body::cap_of(&response);
    let body = match body::read_capped(&mut response, limit).await {
        Ok(body) => body,
        Err(ReadError::TooLarge { limit }) => return Error::AnswerTooLarge { limit, endpoint },
        Err(ReadError::Transport(source)) => {
            return Error::Transport { attempts, endpoint, source: TransportError::from_reqwest(source) };
        }
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

/// On a 429 rebuilt without its body, which passed the cap of this many bytes.
#[derive(Clone, Copy)]
struct PassedCap(usize);

/// Reads a 429's body into memory to tell throttling from a quota refusal that carries a machine code
/// (`MAX_AD_BREAKS_REACHED`), which no wait lifts; returns the response rebuilt around the same body.
pub(crate) async fn read_429(
    mut response: reqwest::Response,
    limit: usize,
) -> reqwest::Result<(reqwest::Response, bool)> {
    let (status, version, headers) = (response.status(), response.version(), response.headers().clone());
    let body = match body::read_capped(&mut response, limit).await {
        Ok(body) => body,
        Err(ReadError::Transport(error)) => return Err(error),
        Err(ReadError::TooLarge { limit }) => {
            // Not retried (a quota refusal as far as the policy is concerned); the call names the cap.
            let mut empty = http::Response::new(bytes::Bytes::new());
            *empty.status_mut() = status;
            empty.extensions_mut().insert(PassedCap(limit));
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
