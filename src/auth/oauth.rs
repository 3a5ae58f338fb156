//! Token requests to `POST /oauth/token` through the `oauth2` crate: code exchange, refresh and
//! client credentials, with Kick's refusals turned into [`AuthError`]s.

use chrono::Utc;
use oauth2::basic::{BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse};
use oauth2::{
    AuthType, AuthUrl, ClientId, ClientSecret, EndpointNotSet, EndpointSet, RequestTokenError, StandardRevocableToken,
    TokenResponse, TokenUrl,
};

use super::http_adapter::{OAuthHttp, OAuthHttpError};
use super::token::expires_at;
use super::token_response::KickTokenResponse;
use super::{AccessToken, AppToken, AuthError, AuthSettings, RefreshToken, UserToken};

/// The `oauth2` client for Kick with the token endpoint set (and, for logins, the authorize one).
pub(crate) type KickOAuthClient<HasAuthUrl = EndpointNotSet> = oauth2::Client<
    BasicErrorResponse,
    KickTokenResponse,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    HasAuthUrl,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

/// Which request Kick refused; picks the [`AuthError`] variant.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Refusal {
    Exchange,
    Refresh,
    AppToken,
    Revoke,
    Introspect,
}

impl Refusal {
    pub(crate) fn error(self, status: u16, error: String, description: Option<String>) -> AuthError {
        match self {
            Refusal::Exchange => AuthError::ExchangeRefused { status, error, description },
            Refusal::Refresh => AuthError::RefreshRefused { status, error, description },
            Refusal::AppToken => AuthError::AppTokenRefused { status, error, description },
            Refusal::Revoke => AuthError::RevokeRefused { status, error, description },
            Refusal::Introspect => AuthError::IntrospectRefused { status, error, description },
        }
    }

    /// The refusal for an error body in any of the shapes Kick's hosts use: OAuth
    /// `{error, error_description}`, REST `{message}`, or empty / not JSON.
    pub(crate) fn with_body(self, status: u16, body: &[u8]) -> AuthError {
        #[derive(serde::Deserialize)]
        struct ErrorBody {
            error: Option<serde_json::Value>,
            error_description: Option<String>,
            message: Option<String>,
        }
        let parsed = serde_json::from_slice::<ErrorBody>(body).ok();
        let (error, description) = match parsed {
            Some(ErrorBody { error: Some(serde_json::Value::String(error)), error_description, .. }) => {
                (error, error_description)
            }
            Some(ErrorBody { message: Some(message), .. }) => (message, None),
            _ if body.iter().all(u8::is_ascii_whitespace) => ("empty response body".into(), None),
            _ => ("unreadable error body".into(), None),
        };
        self.error(status, error, description)
    }
}

/// The `oauth2` client for token requests (credentials in the form body, as Kick wants them).
pub(crate) fn token_client(config: &AuthSettings) -> KickOAuthClient {
    oauth2::Client::new(ClientId::new(config.client_id.clone()))
        .set_client_secret(ClientSecret::new(config.client_secret().to_owned()))
        .set_auth_type(AuthType::RequestBody)
        .set_token_uri(TokenUrl::from_url(config.oauth_url("oauth/token")))
}

/// The `oauth2` client for a login; `authorize_url` may carry leading query parameters.
pub(crate) fn login_client(config: &AuthSettings, authorize_url: url::Url) -> KickOAuthClient<EndpointSet> {
    token_client(config).set_auth_uri(AuthUrl::from_url(authorize_url))
}

/// Runs one token request and maps `oauth2`'s errors; the status is taken from the adapter.
async fn token_request<F>(http: &OAuthHttp<'_>, refusal: Refusal, request: F) -> Result<KickTokenResponse, AuthError>
where
    F: std::future::Future<Output = Result<KickTokenResponse, RequestTokenError<OAuthHttpError, BasicErrorResponse>>>,
{
    let result = request.await;
    let status = http.last_status().unwrap_or(0);
    if let Ok(answer) = &result
        && answer.access_token().secret().is_empty()
    {
        return Err(AuthError::InvalidResponse { message: "token response has an empty `access_token`".into() });
    }
    result.map_err(|e| match e {
        RequestTokenError::ServerResponse(body) => {
            refusal.error(status, body.error().as_ref().to_owned(), body.error_description().cloned())
        }
        RequestTokenError::Request(OAuthHttpError(error)) => error,
        RequestTokenError::Parse(e, _) if status == 200 => AuthError::InvalidResponse {
            // The path only: serde's message could quote a token.
            message: format!("token response has an unexpected shape at `{}`", e.path()),
        },
        RequestTokenError::Parse(_, body) => refusal.with_body(status, &body),
        RequestTokenError::Other(message) if status == 200 => AuthError::InvalidResponse { message },
        RequestTokenError::Other(_) => refusal.with_body(status, b""),
    })
}

/// `grant_type=authorization_code` with the PKCE verifier.
pub(crate) async fn exchange_code(
    config: &AuthSettings,
    client: &KickOAuthClient<EndpointSet>,
    code: String,
    verifier: oauth2::PkceCodeVerifier,
) -> Result<UserToken, AuthError> {
    let http = OAuthHttp::new(config);
    let request =
        client.exchange_code(oauth2::AuthorizationCode::new(code)).set_pkce_verifier(verifier).request_async(&http);
    let answer = token_request(&http, Refusal::Exchange, request).await?;
    Ok(user_token(answer))
}

/// `grant_type=refresh_token`; what Kick leaves out is kept from `previous`.
pub(crate) async fn refresh(config: &AuthSettings, previous: &UserToken) -> Result<UserToken, AuthError> {
    let refresh_token = previous.refresh_token().ok_or(AuthError::NoRefreshToken)?;
    let refresh_token = oauth2::RefreshToken::new(refresh_token.secret().to_owned());
    let client = token_client(config);
    let http = OAuthHttp::new(config);
    let request = client.exchange_refresh_token(&refresh_token).request_async(&http);
    let answer = token_request(&http, Refusal::Refresh, request).await?;
    Ok(user_token(answer).refreshed(previous))
}

/// `grant_type=client_credentials`.
pub(crate) async fn app_token(config: &AuthSettings) -> Result<AppToken, AuthError> {
    let client = token_client(config);
    let http = OAuthHttp::new(config);
    let request = client.exchange_client_credentials().request_async(&http);
    let answer = token_request(&http, Refusal::AppToken, request).await?;
    Ok(AppToken {
        access_token: AccessToken::new(answer.access_token().secret().to_owned()),
        expires_at: expires_at(Utc::now(), answer.expires_in_secs()),
    })
}

fn user_token(answer: KickTokenResponse) -> UserToken {
    UserToken::received(
        AccessToken::new(answer.access_token().secret().to_owned()),
        answer.refresh_token().filter(|t| !t.secret().is_empty()).map(|t| RefreshToken::new(t.secret().to_owned())),
        answer.expires_in_secs(),
        answer.scope_string().as_deref(),
        answer.refresh_expires_in(),
        Utc::now(),
    )
}
