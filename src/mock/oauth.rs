//! Kick's OAuth server (`/oauth/authorize`, `/oauth/token`, `/oauth/revoke`, `/oauth/token/introspect`)
//! and the bearer-token check every API call goes through.

use std::collections::HashMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use http::{HeaderValue, StatusCode, header};
use ring::digest;
use serde_json::{Value, json};

use super::ids;
use super::reply::{Handled, Reply};
use super::request::Req;
use super::state::State;
use crate::auth::TokenKind;
use crate::ids::UserId;

/// Every scope MockKick knows: Kick's eleven plus the ads scopes.
pub(crate) const ALL_SCOPES: &[&str] = &[
    "user:read",
    "channel:read",
    "channel:write",
    "channel:rewards:read",
    "channel:rewards:write",
    "chat:write",
    "streamkey:read",
    "events:subscribe",
    "moderation:ban",
    "moderation:chat_message:manage",
    "kicks:read",
    "ads:read",
    "ads:write",
];

/// One call to `POST /oauth/token`, as logged for tests ("exactly one refresh").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRequest {
    /// `authorization_code`, `refresh_token`, `client_credentials`, or what the client sent.
    pub grant_type: String,
    /// The client id sent, if any.
    pub client_id: Option<crate::ids::ClientId>,
    /// The HTTP status MockKick answered.
    pub status: u16,
}

struct AccessGrant {
    kind: TokenKind,
    client_id: String,
    user_id: Option<UserId>,
    scopes: Vec<String>,
    expires_at: DateTime<Utc>,
}

struct RefreshGrant {
    client_id: String,
    user_id: UserId,
    scopes: Vec<String>,
}

struct AuthCode {
    client_id: String,
    redirect_uri: String,
    challenge: String,
    scopes: Vec<String>,
    user_id: UserId,
    expires_at: DateTime<Utc>,
}

/// Tokens, codes and the OAuth knobs.
pub(crate) struct OAuthState {
    access: HashMap<String, AccessGrant>,
    refresh: HashMap<String, RefreshGrant>,
    codes: HashMap<String, AuthCode>,
    pub(crate) authorizing_user: Option<UserId>,
    pub(crate) deny_next: Option<String>,
    pub(crate) rotate_refresh_tokens: bool,
    pub(crate) token_lifetime_secs: i64,
    pub(crate) token_requests: Vec<TokenRequest>,
}

impl Default for OAuthState {
    fn default() -> Self {
        OAuthState {
            access: HashMap::new(),
            refresh: HashMap::new(),
            codes: HashMap::new(),
            authorizing_user: None,
            deny_next: None,
            rotate_refresh_tokens: false,
            token_lifetime_secs: 7200,
            token_requests: Vec::new(),
        }
    }
}

/// Tokens handed out by one grant.
#[derive(Clone, PartialEq, Eq)]
pub struct IssuedTokens {
    /// Access token (send as `Authorization: Bearer ...`).
    pub access_token: String,
    /// Refresh token (user tokens only).
    pub refresh_token: Option<String>,
    /// How long the access token lives.
    pub expires_in: std::time::Duration,
    /// The scopes granted.
    pub scopes: Vec<crate::auth::Scope>,
}

impl std::fmt::Debug for IssuedTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedTokens")
            .field("access_token", &"[redacted]")
            .field("refresh_token", &self.refresh_token.as_ref().map(|_| "[redacted]"))
            .field("expires_in", &self.expires_in)
            .field("scopes", &self.scopes)
            .finish()
    }
}

impl OAuthState {
    pub(crate) fn issue(
        &mut self,
        kind: TokenKind,
        client_id: &str,
        user_id: Option<UserId>,
        scopes: Vec<String>,
    ) -> IssuedTokens {
        let access_token = ids::token(40);
        let lifetime = self.token_lifetime_secs;
        let refresh_token = match (kind, user_id) {
            (TokenKind::User, Some(user_id)) => {
                let token = ids::token(40);
                self.refresh.insert(
                    token.clone(),
                    RefreshGrant { client_id: client_id.to_owned(), user_id, scopes: scopes.clone() },
                );
                Some(token)
            }
            _ => None,
        };
        let scope = scopes.join(" ");
        self.access.insert(
            access_token.clone(),
            AccessGrant {
                kind,
                client_id: client_id.to_owned(),
                user_id,
                scopes,
                expires_at: Utc::now() + chrono::Duration::seconds(lifetime),
            },
        );
        let expires_in = std::time::Duration::from_secs(lifetime.max(0).unsigned_abs());
        IssuedTokens { access_token, refresh_token, expires_in, scopes: crate::auth::Scope::parse_list(&scope) }
    }

    pub(crate) fn expire_all(&mut self) {
        let past = Utc::now() - chrono::Duration::seconds(1);
        for grant in self.access.values_mut() {
            grant.expires_at = past;
        }
    }

    pub(crate) fn invalidate_refresh_tokens(&mut self) {
        self.refresh.clear();
    }

    pub(crate) fn revoke(&mut self, token: &str) {
        self.access.remove(token);
        self.refresh.remove(token);
    }

    fn active(&self, token: &str) -> Option<&AccessGrant> {
        self.access.get(token).filter(|g| g.expires_at > Utc::now())
    }
}

/// Who is calling, from a valid bearer token.
pub(crate) struct Caller {
    pub(crate) kind: TokenKind,
    pub(crate) client_id: String,
    pub(crate) user_id: Option<UserId>,
    pub(crate) scopes: Vec<String>,
}

impl Caller {
    pub(crate) fn has_any_scope(&self, scopes: &[&str]) -> bool {
        scopes.is_empty() || scopes.iter().any(|s| self.scopes.iter().any(|have| have == s))
    }

    /// The token's user; app tokens get a 403 (routes that need a user are marked user-only,
    /// so this only fires on endpoints where an app token must name the user instead).
    pub(crate) fn user(&self) -> Result<UserId, Reply> {
        self.user_id.ok_or_else(|| Reply::bad_request("this request needs a user access token or explicit ids"))
    }
}

fn bearer(req: &Req) -> Option<&str> {
    let value = req.header("authorization")?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Checks the bearer token: 401 when missing, unknown, revoked or expired.
pub(crate) fn authenticate(state: &State, req: &Req) -> Result<Caller, Reply> {
    let token = bearer(req).ok_or_else(Reply::unauthorized)?;
    let grant = state.oauth.active(token).ok_or_else(Reply::unauthorized)?;
    Ok(Caller {
        kind: grant.kind,
        client_id: grant.client_id.clone(),
        user_id: grant.user_id,
        scopes: grant.scopes.clone(),
    })
}

fn invalid_request(description: impl Into<String>) -> Reply {
    Reply::oauth_error(StatusCode::BAD_REQUEST, "invalid_request", description)
}

fn split_scopes(scope: &str) -> Vec<String> {
    scope.split_whitespace().map(str::to_owned).collect()
}

/// `GET /oauth/authorize`: checks the parameters, then redirects with a code (or a denial).
pub(crate) fn authorize(state: &mut State, req: &Req) -> Handled {
    let param = |key: &str| -> Result<&str, Reply> {
        req.one(key)
            .map_err(|_| invalid_request(format!("{key} must be given once")))?
            .filter(|v| !v.is_empty())
            .ok_or_else(|| invalid_request(format!("{key} is required")))
    };
    let client_id = param("client_id")?;
    let app = state
        .app(client_id)
        .ok_or_else(|| Reply::oauth_error(StatusCode::BAD_REQUEST, "invalid_client", "unknown client_id"))?;
    if param("response_type")? != "code" {
        return Err(Reply::oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_response_type",
            "response_type must be code",
        ));
    }
    let redirect_uri = param("redirect_uri")?;
    let parsed = url::Url::parse(redirect_uri).map_err(|_| invalid_request("redirect_uri must be an absolute URL"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(invalid_request("redirect_uri must be http or https"));
    }
    if !app.redirect_uris.is_empty() && !app.redirect_uris.iter().any(|u| u == redirect_uri) {
        return Err(invalid_request("redirect_uri is not registered for this app"));
    }
    let oauth_state = param("state")?;
    let scopes = split_scopes(param("scope")?);
    if let Some(unknown) = scopes.iter().find(|s| !ALL_SCOPES.contains(&s.as_str())) {
        return Err(Reply::oauth_error(StatusCode::BAD_REQUEST, "invalid_scope", format!("unknown scope {unknown}")));
    }
    let challenge = param("code_challenge")?;
    if !(43..=128).contains(&challenge.len()) {
        return Err(invalid_request("code_challenge must be 43 to 128 characters"));
    }
    if param("code_challenge_method")? != "S256" {
        return Err(invalid_request("code_challenge_method must be S256"));
    }

    let mut target = parsed.clone();
    if let Some(description) = state.oauth.deny_next.take() {
        target
            .query_pairs_mut()
            .append_pair("error", "access_denied")
            .append_pair("error_description", &description)
            .append_pair("state", oauth_state);
    } else {
        let user_id = state
            .oauth
            .authorizing_user
            .or_else(|| state.users.keys().next().copied())
            .ok_or_else(|| invalid_request("MockKick has no user to log in as"))?;
        let code = ids::token(32);
        state.oauth.codes.insert(
            code.clone(),
            AuthCode {
                client_id: client_id.to_owned(),
                redirect_uri: redirect_uri.to_owned(),
                challenge: challenge.to_owned(),
                scopes,
                user_id,
                expires_at: Utc::now() + chrono::Duration::minutes(10),
            },
        );
        target.query_pairs_mut().append_pair("code", &code).append_pair("state", oauth_state);
    }
    let location = HeaderValue::from_str(target.as_str())
        .map_err(|_| invalid_request("redirect_uri is not a valid header value"))?;
    Ok(Reply::new(StatusCode::FOUND, super::reply::ReplyBody::Empty).header(header::LOCATION, location))
}

/// `POST /oauth/token`: the three grants, each logged in `token_requests`.
pub(crate) fn token(state: &mut State, req: &Req) -> Handled {
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&req.body).into_owned().collect();
    let field = |key: &str| form.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    let grant_type = field("grant_type").unwrap_or("").to_owned();
    let client_id = field("client_id").map(str::to_owned);
    let result = grant(state, req, &field);
    let status = match &result {
        Ok(r) | Err(r) => r.status.as_u16(),
    };
    state.oauth.token_requests.push(TokenRequest { grant_type, client_id: client_id.map(Into::into), status });
    result
}

fn grant<'f>(state: &mut State, req: &Req, field: &dyn Fn(&str) -> Option<&'f str>) -> Handled {
    let form_type = req.header("content-type").is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    if !form_type {
        return Err(invalid_request("Content-Type must be application/x-www-form-urlencoded"));
    }
    let required =
        |key: &str| field(key).filter(|v| !v.is_empty()).ok_or_else(|| invalid_request(format!("{key} is required")));
    let grant_type = required("grant_type")?;
    let client_id = required("client_id")?;
    let client_secret = required("client_secret")?;
    let client_ok = state.app(client_id).is_some_and(|app| app.client_secret == client_secret);
    if !client_ok {
        return Err(Reply::oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "client authentication failed"));
    }
    let invalid_grant = |d: &str| Reply::oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", d);
    let issued = match grant_type {
        "authorization_code" => {
            let code = required("code")?;
            let redirect_uri = required("redirect_uri")?;
            let verifier = required("code_verifier")?;
            let grant = state
                .oauth
                .codes
                .remove(code)
                .filter(|c| c.expires_at > Utc::now() && c.client_id == client_id)
                .ok_or_else(|| invalid_grant("authorization code is invalid, expired or already used"))?;
            if grant.redirect_uri != redirect_uri {
                return Err(invalid_grant("redirect_uri does not match the authorization request"));
            }
            if !(43..=128).contains(&verifier.len()) {
                return Err(invalid_request("code_verifier must be 43 to 128 characters"));
            }
            let computed = URL_SAFE_NO_PAD.encode(digest::digest(&digest::SHA256, verifier.as_bytes()));
            if computed != grant.challenge {
                return Err(invalid_grant("code_verifier does not match the code_challenge (PKCE S256)"));
            }
            state.oauth.issue(TokenKind::User, client_id, Some(grant.user_id), grant.scopes)
        }
        "refresh_token" => {
            let refresh = required("refresh_token")?;
            let (user_id, scopes) = match state.oauth.refresh.get(refresh) {
                Some(g) if g.client_id == client_id => (g.user_id, g.scopes.clone()),
                _ => return Err(invalid_grant("refresh token is invalid or revoked")),
            };
            if state.oauth.rotate_refresh_tokens {
                state.oauth.refresh.remove(refresh);
            }
            state.oauth.issue(TokenKind::User, client_id, Some(user_id), scopes)
        }
        "client_credentials" => state.oauth.issue(TokenKind::App, client_id, None, Vec::new()),
        other => {
            return Err(Reply::oauth_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                format!("grant_type {other} is not supported"),
            ));
        }
    };
    let mut body = json!({
        "access_token": issued.access_token,
        "token_type": "Bearer",
        "expires_in": issued.expires_in.as_secs(),
    });
    if let Some(refresh) = issued.refresh_token {
        body["refresh_token"] = Value::String(refresh);
        body["scope"] = Value::String(crate::auth::Scope::join(&issued.scopes));
    }
    Ok(Reply::raw_json(body))
}

/// `POST /oauth/revoke?token=..` (or the same fields in a form body): 200 `OK` whether or not the
/// token was known (RFC 7009).
pub(crate) fn revoke(state: &mut State, req: &Req) -> Handled {
    let from_form =
        |key: &str| url::form_urlencoded::parse(&req.body).find(|(k, _)| k == key).map(|(_, v)| v.into_owned());
    let token = req
        .one("token")
        .map_err(|_| invalid_request("token must be given once"))?
        .map(str::to_owned)
        .or_else(|| from_form("token"))
        .filter(|t| !t.is_empty())
        .ok_or_else(|| invalid_request("token is required"))?;
    for hint_key in ["token_hint_type", "token_type_hint"] {
        let hint = req.one(hint_key).ok().flatten().map(str::to_owned).or_else(|| from_form(hint_key));
        if let Some(hint) = hint
            && !matches!(hint.as_str(), "access_token" | "refresh_token")
        {
            return Err(invalid_request(format!("{hint_key} must be access_token or refresh_token")));
        }
    }
    state.oauth.revoke(&token);
    Ok(Reply::text(StatusCode::OK, "OK"))
}

/// `POST /oauth/token/introspect` (and the deprecated `/public/v1/token/introspect`).
pub(crate) fn introspect(state: &State, req: &Req) -> Handled {
    let token = bearer(req).ok_or_else(Reply::unauthorized)?;
    Ok(Reply::ok(match state.oauth.active(token) {
        Some(grant) => json!({
            "active": true,
            "client_id": grant.client_id,
            "token_type": match grant.kind { TokenKind::App => "app", TokenKind::User => "user" },
            "scope": grant.scopes.join(" "),
            "exp": grant.expires_at.timestamp(),
        }),
        None => json!({"active": false}),
    }))
}
