//! The request pipeline every generated call goes through: the bearer token is attached here, and a
//! 401 leads to one refresh and one resend.

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::AUTHORIZATION;

use tracing::Instrument;

use super::Core;
use super::call;
use super::retry::Outcome;
use crate::auth::{AccessToken, TokenKind, bearer_header};
use crate::error::Endpoint;
use crate::{Error, raw};

impl ClientHooks<Core> for raw::Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        // progenitor adds `api-version: <spec version>`; Kick defines no such header.
        request.headers_mut().remove("api-version");
        call::record_endpoint(Endpoint {
            operation: info.operation_id,
            method: request.method().clone(),
            uri: request.url().to_string(),
        });
        let core = self.inner();
        match core.token_kind(info.operation_id) {
            Ok(None) => Ok(()),
            Ok(Some(kind)) => {
                let bearer = core.state().auth.bearer(kind).await.map_err(call::raise)?;
                request.headers_mut().insert(AUTHORIZATION, bearer);
                Ok(())
            }
            Err(error) => Err(call::raise(error)),
        }
    }

    async fn exec(&self, request: reqwest::Request, info: &OperationInfo) -> reqwest::Result<reqwest::Response> {
        let state = self.inner().state();
        let kind = self.inner().token_kind(info.operation_id).ok().flatten();
        let method = request.method().clone();
        let mut request = request;
        if request.timeout().is_none() {
            *request.timeout_mut() = Some(state.timeout);
        }
        let mut refreshed = false;
        let mut attempt = 0;
        loop {
            attempt += 1;
            // A copy for a retry or a resend after a refresh; only a streamed body cannot be copied.
            let spare = request.try_clone();
            if let Some(limiter) = &state.rate_limit {
                limiter.acquire(kind).await;
            }
            let span = tracing::debug_span!(
                "kick_request",
                operation = info.operation_id,
                method = %method,
                attempt,
                status = tracing::field::Empty,
                latency_ms = tracing::field::Empty,
            );
            let started = tokio::time::Instant::now();
            let result = self.client().execute(request).instrument(span.clone()).await;
            span.record("latency_ms", u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX));
            call::record_attempts(attempt);
            let outcome = match &result {
                Ok(response) => {
                    span.record("status", response.status().as_u16());
                    Outcome::Answer(response.status(), call::retry_after(response.headers()))
                }
                Err(error) => Outcome::Failed { reached_kick: !error.is_connect() },
            };
            let Some(mut next) = spare else {
                return result;
            };
            let unauthorized = matches!(outcome, Outcome::Answer(reqwest::StatusCode::UNAUTHORIZED, _));
            if let (true, false, Some(kind)) = (unauthorized, refreshed, kind) {
                // One refresh and one resend of the same request; a second 401 goes back to the caller.
                refreshed = true;
                let Some(rejected) = bearer_of(&next) else {
                    return result;
                };
                match self.inner().state().auth.after_unauthorized(kind, &rejected).await {
                    Ok(fresh) if set_bearer(&mut next, &fresh).is_ok() => {
                        request = next;
                        continue;
                    }
                    Ok(_) => return result,
                    Err(error) => {
                        call::keep(error);
                        return result;
                    }
                }
            }
            match state.retry.decide(&method, &outcome, attempt) {
                Some(wait) => {
                    tracing::debug!(parent: &span, wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX), "retrying");
                    tokio::time::sleep(wait).await;
                    request = next;
                }
                None => return result,
            }
        }
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
