//! Placeholder on `main` until the auth work lands.

use super::{AccessToken, Scope};
use crate::KickClient;

impl KickClient {
    /// Sets the user token by hand, as kickpy's `set_user_token` (placeholder: no refresh yet).
    pub async fn set_user_token(
        &self,
        access_token: impl Into<String>,
        _refresh_token: impl Into<String>,
        _expires_in: u64,
        scope: &str,
    ) -> crate::Result<()> {
        let scopes = scope.split_whitespace().map(|s| Scope(s.to_string())).collect();
        self.core().state().auth.set_user(AccessToken::new(access_token), scopes);
        Ok(())
    }
}
