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
use super::transport;
use crate::auth::{AccessToken, TokenKind, bearer_header};
use crate::{Error, raw};

impl ClientHooks<Core> for raw::Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
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
                        .map_err(|error| call::raise(core, info.operation_id, error))?,
                };
                request.headers_mut().insert(AUTHORIZATION, bearer);
                Ok(())
            }
            Err(error) => Err(call::raise(core, info.operation_id, error)),
        }
    }

    async fn exec(&self, mut request: reqwest::Request, info: &OperationInfo) -> reqwest::Result<reqwest::Response> {
        let state = self.inner().state();
        if let Some(timeout) = state.request_timeout
            && request.timeout().is_none()
        {
            *request.timeout_mut() = Some(timeout);
        }
        // A write without a body says so (kickpy does; some CDNs answer 411 to neither header).
        if request.body().is_none() && matches!(*request.method(), Method::POST | Method::PUT | Method::PATCH) {
            request.headers_mut().insert(CONTENT_LENGTH, HeaderValue::from_static("0"));
        }
        // A copy for a retry or a resend after a refresh; only a streamed body cannot be copied, and
        // goes once.
        let Some(spare) = Resend::of(&request) else {
            return Box::pin(self.send_once(request, info, 1)).await;
        };
        self.permit(info).await;
        let (result, outcome) = self.send(request, spare.method(), info, 1).await;
        if matches!(outcome, Outcome::Answer(status, _) if status.is_success()) {
            return result;
        }
        // Anything but a success (a 401 to renew the token for, a retry, an error to name) goes on in a
        // future of its own: the state it needs does not weigh on every call's.
        Box::pin(self.after_first_answer(info, spare, result, outcome)).await
    }
}

impl raw::Client {
    /// Waits for the rate limiter (if any) to let one more request of `info`'s operation go: one permit
    /// per request on the wire, resends and retries included. Before the request is handed to the
    /// transport, whose timeout starts then.
    async fn permit(&self, info: &OperationInfo) {
        if let Some(limiter) = &self.inner().state().rate_limit {
            limiter.acquire(self.token_kind_of(info)).await;
        }
    }

    /// One request on the wire (the permit taken): the answer or failure, and what the retry policy reads
    /// from it. Takes the transport's small future, not the request, so no caller's future holds the
    /// request twice.
    fn send(
        &self,
        request: reqwest::Request,
        method: &Method,
        info: &OperationInfo,
        sent: u32,
    ) -> impl Future<Output = (reqwest::Result<reqwest::Response>, Outcome)> {
        let max_answer_bytes = self.inner().state().max_answer_bytes;
        attempt(self.inner().state().transport.send(request), method, info.operation_id, sent, max_answer_bytes)
    }

    /// The token kind of `info`'s operation for this client, if it sends one.
    fn token_kind_of(&self, info: &OperationInfo) -> Option<TokenKind> {
        self.inner().token_kind(info.operation_id).ok().flatten()
    }

    /// After a first answer that is not a success: one refresh and one resend on a 401, retries as the
    /// policy decides, and, when the call fails, the request it failed on noted for its error.
    async fn after_first_answer(
        &self,
        info: &OperationInfo,
        mut spare: Resend,
        mut result: reqwest::Result<reqwest::Response>,
        mut outcome: Outcome,
    ) -> reqwest::Result<reqwest::Response> {
        let core = self.inner();
        let state = core.state();
        let method = spare.method().clone();
        let mut refreshed = false;
        let mut sent = 1;
        loop {
            let unauthorized = matches!(outcome, Outcome::Answer(StatusCode::UNAUTHORIZED, _));
            let request = if unauthorized
                && !refreshed
                && let Some(kind) = self.token_kind_of(info)
            {
                // One refresh and one resend of the same request; a second 401 goes back to the caller.
                refreshed = true;
                match self.renewed(kind, spare).await {
                    Ok(next) => next,
                    Err((error, next)) => {
                        call::note_request(core, info.operation_id, &next, sent);
                        if let Some(error) = error {
                            call::keep(core, error);
                        }
                        return result;
                    }
                }
            } else {
                // The resend after a refresh belongs to the token, not to the retry policy: it uses up no retry.
                let tries = sent - u32::from(refreshed);
                let Some(wait) = state.retry.decide(&method, &outcome, tries) else {
                    if !succeeded(&result) {
                        call::note_sent(core, info.operation_id, spare, sent);
                    }
                    return result;
                };
                let wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
                tracing::debug!(operation = info.operation_id, attempt = sent, wait_ms, "retrying");
                drop(result);
                tokio::time::sleep(wait).await;
                spare.into_request()
            };
            sent += 1;
            let Some(next_spare) = Resend::of(&request) else {
                // Rebuilt from a spare, a request always has one; should that change, it goes once more.
                return self.send_once(request, info, sent).await;
            };
            spare = next_spare;
            self.permit(info).await;
            (result, outcome) = self.send(request, spare.method(), info, sent).await;
        }
    }

    /// Sends a request with a streamed body, which cannot be copied, as attempt `sent`: once, without a retry or a resend
    /// after a refresh, described beforehand so that a failure can name it.
    async fn send_once(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
        sent: u32,
    ) -> reqwest::Result<reqwest::Response> {
        let (method, url) = (request.method().clone(), request.url().clone());
        self.permit(info).await;
        let (result, _) = self.send(request, &method, info, sent).await;
        if !succeeded(&result) {
            call::note_method_and_url(self.inner(), info.operation_id, method, url, sent);
        }
        result
    }

    /// After a 401: the request again from its spare, with a renewed token (or the one another task
    /// renewed meanwhile). On failure, the renewal's error (`None`: nothing to resend with) and the
    /// request that was not sent, for the error to name.
    async fn renewed(
        &self,
        kind: TokenKind,
        spare: Resend,
    ) -> Result<reqwest::Request, (Option<Error>, reqwest::Request)> {
        let mut next = spare.into_request();
        match self.renew_bearer(kind, &mut next).await {
            Ok(()) => Ok(next),
            Err(error) => Err((error, next)),
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
            Outcome::Failed { reached_kick: !error.is_connect() && !transport::refused_unprocessed(error) }
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

/// Whether the call ends here with a success answer (the generated code decodes it; anything else comes
/// back to a facade call as an error, which names the request).
fn succeeded(result: &reqwest::Result<reqwest::Response>) -> bool {
    result.as_ref().is_ok_and(|response| response.status().is_success())
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
        let kind = self.origin().token.unwrap_or(if op.app_token { TokenKind::App } else { TokenKind::User });
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
