//! One facade call around one raw call: the token kind it asks for, and the translation of progenitor's
//! error into [`crate::Error`] with the status, Kick's message, the URI and the JSON path kept.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use progenitor_client::{Error as RawError, ResponseValue};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use crate::auth::TokenKind;
use crate::error::Endpoint;
use crate::{Error, KickClient};

/// How much of an undecodable body an error quotes.
const SNIPPET_CHARS: usize = 200;

tokio::task_local! {
    static CALL: Arc<CallState>;
}

/// What the hooks learn about the call in flight, for the facade to read back.
#[derive(Default)]
pub(crate) struct CallState {
    token: Option<TokenKind>,
    endpoint: Mutex<Option<Endpoint>>,
    error: Mutex<Option<Error>>,
    attempts: Mutex<u32>,
}

/// The token kind the facade asked for, if a facade call is in flight.
pub(crate) fn requested_token() -> Option<TokenKind> {
    CALL.try_with(|state| state.token).ok().flatten()
}

pub(crate) fn record_endpoint(endpoint: Endpoint) {
    let _ = CALL.try_with(|state| lock(&state.endpoint).replace(endpoint));
}

pub(crate) fn record_attempts(attempts: u32) {
    let _ = CALL.try_with(|state| *lock(&state.attempts) = attempts);
}

/// Keeps a typed error raised inside a hook (where progenitor only carries strings) for the facade.
pub(crate) fn raise<E>(error: Error) -> RawError<E> {
    let message = error.to_string();
    keep(error);
    RawError::Custom(message)
}

/// Keeps a typed error for the facade without failing the raw call (e.g. a refresh that failed after a 401).
pub(crate) fn keep(error: Error) {
    let _ = CALL.try_with(|state| lock(&state.error).replace(error));
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl KickClient {
    /// Runs a raw call as `operation` with a token of `token` kind (None: the operation's default) and
    /// returns the decoded value or a typed error.
    pub(crate) async fn call<T, F>(&self, token: Option<TokenKind>, raw_call: F) -> crate::Result<ResponseValue<T>>
    where
        T: DeserializeOwned,
        F: Future<Output = Result<ResponseValue<T>, RawError<()>>>,
    {
        let state = Arc::new(CallState { token, ..CallState::default() });
        let result = CALL.scope(state.clone(), raw_call).await;
        match result {
            Ok(value) => Ok(value),
            Err(error) => Err(translate::<T>(&state, error).await),
        }
    }
}

async fn translate<T: DeserializeOwned>(state: &CallState, error: RawError<()>) -> Error {
    if let Some(typed) = lock(&state.error).take() {
        return typed;
    }
    let attempts = (*lock(&state.attempts)).max(1);
    let endpoint = lock(&state.endpoint).clone().unwrap_or_else(|| Endpoint {
        operation: "unknown",
        method: reqwest::Method::GET,
        uri: String::new(),
    });
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
    let body = response.bytes().await.unwrap_or_default();
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
        StatusCode::NOT_FOUND => Error::NotFound { message, endpoint },
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
pub(crate) async fn read_429(response: reqwest::Response) -> reqwest::Result<(reqwest::Response, bool)> {
    let (status, version, headers) = (response.status(), response.version(), response.headers().clone());
    let body = response.bytes().await?;
    let parsed: ErrorBody = serde_json::from_slice(&body).unwrap_or_default();
    let quota = parsed.data.as_ref().and_then(machine_code).is_some();
    let mut rebuilt = http::Response::new(body);
    *rebuilt.status_mut() = status;
    *rebuilt.version_mut() = version;
    *rebuilt.headers_mut() = headers;
    Ok((reqwest::Response::from(rebuilt), quota))
}

/// A code such as `AD_BREAK_ACTIVE`: `data` itself when it is an upper-case word, or `data.code`.
fn machine_code(data: &serde_json::Value) -> Option<String> {
    let candidate = data.as_str().or_else(|| data.get("code").and_then(serde_json::Value::as_str))?;
    let looks_like_code =
        !candidate.is_empty() && candidate.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    looks_like_code.then(|| candidate.to_string())
}

/// `Retry-After` in seconds (Kick documents none; RFC 9110 also allows a date, which is ignored).
pub(crate) fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}
