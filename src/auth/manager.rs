//! Placeholder token manager on `main` until the auth work lands: fetches an app token by
//! client_credentials and holds a user token set by hand. No refresh, no single-flight, no store.

use std::sync::Mutex;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};

use super::{AccessToken, AuthError, Scope, TokenKind};
use crate::Error;

/// What the token manager needs from the client builder.
pub(crate) struct AuthConfig {
    pub client_id: String,
    pub client_secret: SecretString,
    pub oauth_base_url: url::Url,
    pub http: reqwest::Client,
    #[allow(dead_code)]
    pub refresh_margin: Duration,
}

pub(crate) struct TokenManager {
    config: AuthConfig,
    app: Mutex<Option<AccessToken>>,
    user: Mutex<Option<(AccessToken, Vec<Scope>)>>,
}

#[derive(serde::Deserialize)]
struct TokenAnswer {
    access_token: String,
}

impl TokenManager {
    pub(crate) fn new(config: AuthConfig) -> Self {
        Self { config, app: Mutex::new(None), user: Mutex::new(None) }
    }

    pub(crate) fn set_user(&self, token: AccessToken, scopes: Vec<Scope>) {
        *self.user.lock().unwrap_or_else(|e| e.into_inner()) = Some((token, scopes));
    }

    pub(crate) async fn access_token(&self, kind: TokenKind) -> Result<AccessToken, Error> {
        match kind {
            TokenKind::User => self
                .user
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .as_ref()
                .map(|(token, _)| token.clone())
                .ok_or(Error::MissingToken { kind }),
            TokenKind::App => {
                if let Some(token) = self.app.lock().unwrap_or_else(|e| e.into_inner()).clone() {
                    return Ok(token);
                }
                let token = self.fetch_app_token().await?;
                *self.app.lock().unwrap_or_else(|e| e.into_inner()) = Some(token.clone());
                Ok(token)
            }
        }
    }

    async fn fetch_app_token(&self) -> Result<AccessToken, Error> {
        let url = self.config.oauth_base_url.join("oauth/token").map_err(|e| Error::Config(e.to_string()))?;
        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", self.config.client_id.as_str()),
            ("client_secret", self.config.client_secret.expose_secret()),
        ];
        let refused = |status: u16, error: String| Error::Auth(AuthError::ExchangeRefused { status, error });
        let response = self.config.http.post(url).form(&form).send().await.map_err(|e| refused(0, e.to_string()))?;
        let status = response.status().as_u16();
        if !response.status().is_success() {
            return Err(refused(status, "token request refused".into()));
        }
        let answer: TokenAnswer =
            response.json().await.map_err(|_| refused(status, "undecodable token answer".into()))?;
        Ok(AccessToken::new(answer.access_token))
    }

    pub(crate) async fn after_unauthorized(
        &self,
        kind: TokenKind,
        _rejected: &AccessToken,
    ) -> Result<AccessToken, Error> {
        if kind == TokenKind::App {
            *self.app.lock().unwrap_or_else(|e| e.into_inner()) = None;
            return self.access_token(kind).await;
        }
        Err(Error::MissingToken { kind })
    }

    pub(crate) fn user_scopes(&self) -> Option<Vec<Scope>> {
        self.user.lock().unwrap_or_else(|e| e.into_inner()).as_ref().map(|(_, scopes)| scopes.clone())
    }
}
