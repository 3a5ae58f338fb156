use std::sync::Mutex;
use std::time::Duration;

use secrecy::SecretString;

use super::{AccessToken, Scope, TokenKind};
use crate::Error;

/// What the token manager needs from the client builder.
pub(crate) struct AuthConfig {
    pub client_id: String,
    pub client_secret: SecretString,
    pub oauth_base_url: url::Url,
    pub http: reqwest::Client,
    pub refresh_margin: Duration,
}

/// Placeholder until the auth work lands: holds tokens set by hand.
pub(crate) struct TokenManager {
    #[allow(dead_code)]
    config: AuthConfig,
    user: Mutex<Option<AccessToken>>,
}

impl TokenManager {
    pub(crate) fn new(config: AuthConfig) -> Self {
        Self { config, user: Mutex::new(None) }
    }

    pub(crate) async fn access_token(&self, kind: TokenKind) -> Result<AccessToken, Error> {
        let user = self.user.lock().map_err(|_| Error::MissingToken { kind })?.clone();
        user.ok_or(Error::MissingToken { kind })
    }

    pub(crate) async fn after_unauthorized(
        &self,
        kind: TokenKind,
        _rejected: &AccessToken,
    ) -> Result<AccessToken, Error> {
        Err(Error::MissingToken { kind })
    }

    pub(crate) fn user_scopes(&self) -> Option<Vec<Scope>> {
        None
    }
}
