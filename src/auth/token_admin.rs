//! Revoking and introspecting tokens (`POST /oauth/revoke`, `POST /oauth/token/introspect`),
//! written by hand: Kick's parameter name and Bearer-authenticated introspection are not what the
//! `oauth2` crate's RFC 7009 / 7662 requests send.

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::http_adapter::send;
use super::oauth::Refusal;
use super::{AccessToken, AuthError, AuthSettings, Scope};

/// Which kind of token is being revoked (Kick's `token_hint_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenHint {
    /// An access token.
    AccessToken,
    /// A refresh token.
    RefreshToken,
}

impl TokenHint {
    fn as_str(self) -> &'static str {
        match self {
            TokenHint::AccessToken => "access_token",
            TokenHint::RefreshToken => "refresh_token",
        }
    }
}

/// What Kick says about a token (`POST /oauth/token/introspect`).
///
/// Inactive tokens carry only `active: false`; older answers have no `token_type`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TokenIntrospection {
    /// Whether the token is valid.
    pub active: bool,
    /// The app the token belongs to.
    pub client_id: Option<crate::ids::ClientId>,
    /// `"app"` or `"user"` (kept as sent: other values have been seen).
    pub token_type: Option<String>,
    /// The granted scopes, when sent.
    pub scopes: Option<Vec<Scope>>,
    /// When the token expires (`exp`, Unix seconds, UTC).
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(Deserialize)]
struct Envelope {
    data: Option<RawIntrospection>,
}

#[derive(Deserialize)]
struct RawIntrospection {
    #[serde(default)]
    active: bool,
    #[serde(default)]
    client_id: Option<serde_json::Value>,
    #[serde(default)]
    token_type: Option<String>,
    #[serde(default)]
    scope: Option<String>,
    #[serde(default)]
    exp: Option<i64>,
}

impl From<RawIntrospection> for TokenIntrospection {
    fn from(raw: RawIntrospection) -> Self {
        let client_id = match raw.client_id {
            Some(serde_json::Value::String(id)) => Some(id),
            Some(serde_json::Value::Number(id)) => Some(id.to_string()),
            _ => None,
        };
        Self {
            active: raw.active,
            client_id: client_id.filter(|id| !id.is_empty()).map(Into::into),
            token_type: raw.token_type,
            scopes: raw.scope.as_deref().map(Scope::parse_list).filter(|s| !s.is_empty()),
            expires_at: raw.exp.and_then(|exp| DateTime::from_timestamp(exp, 0)),
        }
    }
}

/// Revokes `token` (sent in the form body, so it never appears in a URL).
pub(crate) async fn revoke(config: &AuthSettings, token: &str, hint: Option<TokenHint>) -> Result<(), AuthError> {
    let mut form = vec![("token", token)];
    if let Some(hint) = hint {
        form.push(("token_hint_type", hint.as_str()));
    }
    let url = config.oauth_url("oauth/revoke");
    let request = config.http.post(url.clone()).form(&form).build().map_err(|e| AuthError::transport(&url, e))?;
    let answer = send(config, request).await?;
    if answer.status.is_success() {
        return Ok(());
    }
    Err(Refusal::Revoke.with_body(answer.status.as_u16(), &answer.body))
}

/// Asks Kick about `token` (sent as the Bearer credential).
pub(crate) async fn introspect(config: &AuthSettings, token: &AccessToken) -> Result<TokenIntrospection, AuthError> {
    let url = config.oauth_url("oauth/token/introspect");
    let request =
        config.http.post(url.clone()).bearer_auth(token.secret()).build().map_err(|e| AuthError::transport(&url, e))?;
    let answer = send(config, request).await?;
    let (status, body) = (answer.status, answer.body);
    if !status.is_success() {
        return Err(Refusal::Introspect.with_body(status.as_u16(), &body));
    }
    let envelope: Envelope = serde_json::from_slice(&body).map_err(|e| AuthError::InvalidResponse {
        message: format!("introspection answer is not the expected JSON (line {}, column {})", e.line(), e.column()),
    })?;
    let data = envelope
        .data
        .ok_or_else(|| AuthError::InvalidResponse { message: "introspection answer has no `data`".into() })?;
    Ok(data.into())
}
