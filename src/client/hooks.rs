//! The request pipeline every generated call goes through: the bearer token is attached here, and a
//! 401 leads to one refresh and one resend.

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::{AUTHORIZATION, HeaderValue};

use super::Core;
use super::call;
use crate::auth::{AccessToken, TokenKind};
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
                let token = core.state().auth.access_token(kind).await.map_err(call::raise)?;
                set_bearer(request, &token).map_err(call::raise)
            }
            Err(error) => Err(call::raise(error)),
        }
    }

    async fn exec(&self, request: reqwest::Request, info: &OperationInfo) -> reqwest::Result<reqwest::Response> {
        let core = self.inner();
        let resend = request.try_clone();
        let rejected = bearer_of(&request);
        let response = self.client().execute(request).await?;
        call::record_attempts(1);
        if response.status() != reqwest::StatusCode::UNAUTHORIZED {
            return Ok(response);
        }
        let (Some(mut resend), Some(rejected), Ok(Some(kind))) = (resend, rejected, core.token_kind(info.operation_id))
        else {
            return Ok(response);
        };
        // One refresh and one resend of the same request; a second 401 goes back to the caller.
        match core.state().auth.after_unauthorized(kind, &rejected).await {
            Ok(fresh) if set_bearer(&mut resend, &fresh).is_ok() => {
                let again = self.client().execute(resend).await;
                call::record_attempts(2);
                again
            }
            Ok(_) => Ok(response),
            Err(error) => {
                call::keep(error);
                Ok(response)
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
    let mut value = HeaderValue::from_str(&format!("Bearer {}", token.secret()))
        .map_err(|_| Error::Config("the access token contains characters a header cannot carry".into()))?;
    value.set_sensitive(true);
    request.headers_mut().insert(AUTHORIZATION, value);
    Ok(())
}

fn bearer_of(request: &reqwest::Request) -> Option<AccessToken> {
    let value = request.headers().get(AUTHORIZATION)?.to_str().ok()?;
    value.strip_prefix("Bearer ").map(AccessToken::new)
}
