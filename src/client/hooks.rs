//! The request pipeline every generated call goes through: the bearer token is attached here, a 401
//! leads to one refresh and one resend, the [`RetryPolicy`](super::RetryPolicy) decides about the rest,
//! and the optional rate limiter spaces the requests out. One `kick_request` span per attempt.

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::{AUTHORIZATION, CONTENT_LENGTH, HeaderValue};
use reqwest::{Method, StatusCode};

use tracing::Instrument;

use super::Core;
use super::body::{AnswerCap, DEFAULT_MAX_ANSWER_BYTES};
use super::call;
use super::resend::Resend;
use super::retry::{Outcome, RetryPolicy};
use crate::auth::{AccessToken, TokenKind, bearer_header};
use crate::{Error, raw};

impl ClientHooks<Core> for raw::Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        call::record_operation(info.operation_id);
        if info.operation_id == "fetch_categories" {
            super::url::literal_commas(request.url_mut());
        }
        let core = self.inner();
        match core.token_kind(info.operation_id) {
            Ok(None) => Ok(()),
            Ok(Some(kind)) => {
                let state = core.state();
                let bearer = match state.auth.ready_bearer(kind) {
                    Some(bearer) => bearer,
                    // A renewal's future is large; boxed, it does not weigh on every call's future.
                    None => Box::pin(token_with_retries(&state.retry, || state.auth.bearer(kind)))
                        .await
                        .map_err(call::raise)?,
                };
                request.headers_mut().insert(AUTHORIZATION, bearer);
                Ok(())
            }
            Err(error) => Err(call::raise(error)),
        }
    }

    async fn exec(&self, mut request: reqwest::Request, info: &OperationInfo) -> reqwest::Result<reqwest::Response> {
        let state = self.inner().state();
        // Needed only by the rate limiter and after a 401: not worked out for every call.
        let kind = || self.inner().token_kind(info.operation_id).ok().flatten();
        let method = request.method().clone();
        if let Some(timeout) = state.request_timeout
            && request.timeout().is_none()
        {
            *request.timeout_mut() = Some(timeout);
        }
        // A write without a body says so (kickpy does; some CDNs answer 411 to neither header).
        if request.body().is_none() && matches!(method, Method::POST | Method::PUT | Method::PATCH) {
            request.headers_mut().insert(CONTENT_LENGTH, HeaderValue::from_static("0"));
        }
        let mut refreshed = false;
        let mut sent = 0;
        loop {
            sent += 1;
            // A copy for a retry or a resend after a refresh; only a streamed body cannot be copied.
            let spare = Resend::of(&request);
            if spare.is_none() {
                call::describe_request(&request, sent);
            }
            if let Some(limiter) = &state.rate_limit {
                // One permit per request on the wire, resends and retries included.
                limiter.acquire(kind()).await;
            }
            let pending = self.client().execute(request);
            let (result, outcome) = attempt(pending, &method, info.operation_id, sent, state.max_answer_bytes).await;
            let Some(spare) = spare else {
                return result;
            };
            let unauthorized = matches!(outcome, Outcome::Answer(StatusCode::UNAUTHORIZED, _));
            if unauthorized
                && !refreshed
                && let Some(kind) = kind()
            {
                // One refresh and one resend of the same request; a second 401 goes back to the caller.
                refreshed = true;
                let mut next = spare.into_request();
                match Box::pin(self.renew_bearer(kind, &mut next)).await {
                    Ok(()) => {
                        request = next;
                        continue;
                    }
                    Err(error) => {
                        if let Some(error) = error {
                            call::keep(error);
                        }
                        call::describe_request(&next, sent);
                        return result;
                    }
                }
            }
            // The resend after a refresh belongs to the token, not to the retry policy: it uses up no retry.
            let tries = sent - u32::from(refreshed);
            match state.retry.decide(&method, &outcome, tries) {
                Some(wait) => {
                    let wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
                    tracing::debug!(operation = info.operation_id, attempt = sent, wait_ms, "retrying");
                    Box::pin(tokio::time::sleep(wait)).await;
                    request = spare.into_request();
                }
                None => {
                    call::record_last_request(spare, sent);
                    return result;
                }
            }
        }
    }
}

/// One attempt on the wire, inside a span with its status or failure and (when the span is recorded)
/// its latency.
async fn attempt(
    pending: impl Future<Output = reqwest::Result<reqwest::Response>>,
    method: &reqwest::Method,
    operation: &'static str,
    attempt: u32,
    max_answer_bytes: usize,
) -> (reqwest::Result<reqwest::Response>, Outcome) {
    let span = tracing::debug_span!(
        "kick_request",
        operation,
        method = %method,
        attempt,
        status = tracing::field::Empty,
        error = tracing::field::Empty,
        latency_ms = tracing::field::Empty,
    );
    let started = (!span.is_disabled()).then(tokio::time::Instant::now);
    let result = pending.instrument(span.clone()).await.map(|mut response| {
        // For the decoding, which sees only the response; the default cap goes without saying (an
        // extension costs the response a map).
        if max_answer_bytes != DEFAULT_MAX_ANSWER_BYTES {
            response.extensions_mut().insert(AnswerCap(max_answer_bytes));
        }
        response
    });
    let (result, quota) = match result {
        Ok(response) if response.status() == StatusCode::TOO_MANY_REQUESTS => {
            match Box::pin(call::read_429(response, max_answer_bytes)).await {
                Ok((response, quota)) => (Ok(response), quota),
                Err(error) => (Err(error), false),
            }
        }
        other => (other, false),
    };
    if let Some(started) = started {
        span.record("latency_ms", u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX));
    }
    let outcome = match &result {
        Ok(response) => {
            span.record("status", response.status().as_u16());
            if quota {
                Outcome::Refused
            } else {
                Outcome::Answer(response.status(), call::retry_after(response.headers()))
            }
        }
        Err(error) => {
            span.record("error", failure(error));
            Outcome::Failed { reached_kick: !error.is_connect() }
        }
    };
    (result, outcome)
}

impl raw::Client {
    /// After a 401: a renewed token (or the one another task renewed meanwhile) into `request`.
    /// `Err(Some(_))` when the renewal failed, `Err(None)` when there is nothing to resend with.
    async fn renew_bearer(&self, kind: TokenKind, request: &mut reqwest::Request) -> Result<(), Option<Error>> {
        let rejected = bearer_of(request).ok_or(None)?;
        let state = self.inner().state();
        let fresh = token_with_retries(&state.retry, || state.auth.after_unauthorized(kind, &rejected)).await?;
        set_bearer(request, &fresh).map_err(|_| None)
    }
}

/// Runs a token request (through the token manager, so concurrent callers still share one) again
/// after a backoff while it fails for a passing reason: the OAuth server busy or out of reach.
async fn token_with_retries<T, F, Fut>(policy: &RetryPolicy, mut request: F) -> crate::Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = crate::Result<T>>,
{
    let mut attempt = 0;
    loop {
        attempt += 1;
        let error = match request().await {
            Ok(token) => return Ok(token),
            Err(error) => error,
        };
        let wait = policy.decide_token(&error, attempt).ok_or(error)?;
        let wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
        tracing::debug!(attempt, wait_ms, "token request failed; asking again");
        tokio::time::sleep(wait).await;
    }
}

/// What kind of failure an attempt without an answer was, for its span (no URL, no message).
fn failure(error: &reqwest::Error) -> &'static str {
    if error.is_timeout() {
        "timeout"
    } else if error.is_connect() {
        "connect"
    } else {
        "connection lost"
    }
}

impl Core {
    /// The token kind `operation` is sent with, or `None` for Kick's unauthenticated endpoints.
    ///
    /// The facade's choice wins; otherwise an app token where Kick accepts one (as kickpy does) and a
    /// user token elsewhere. A user token whose known scopes miss the operation's is refused here.
    pub(crate) fn token_kind(&self, operation: &str) -> crate::Result<Option<TokenKind>> {
        let Some(op) = raw::operation(operation) else {
            return Ok(None);
        };
        if !op.user_token && !op.app_token {
            return Ok(None);
        }
        let kind = call::requested_token().unwrap_or(if op.app_token { TokenKind::App } else { TokenKind::User });
        if kind == TokenKind::User
            && !op.user_scopes.is_empty()
            && let Some(granted) = self.state().auth.user_scopes()
            && !op.user_scopes.iter().any(|needed| granted.iter().any(|g| g.to_string() == *needed))
        {
            return Err(Error::MissingScope { scope: op.user_scopes.join(" or "), operation: op.id });
        }
        Ok(Some(kind))
    }
}

fn set_bearer(request: &mut reqwest::Request, token: &AccessToken) -> crate::Result<()> {
    request.headers_mut().insert(AUTHORIZATION, bearer_header(token)?);
    Ok(())
}

fn bearer_of(request: &reqwest::Request) -> Option<AccessToken> {
    let value = request.headers().get(AUTHORIZATION)?.to_str().ok()?;
    value.strip_prefix("Bearer ").map(AccessToken::new)
}
