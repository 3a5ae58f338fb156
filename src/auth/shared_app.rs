//! The app token shared through the token store: every client using the store reuses the app token
//! it holds, and while that will not do, one of them (the app lease's holder) asks Kick for a new one.
//!
//! An app token has no refresh token to lose, so sharing it only saves token requests: when the
//! store fails or the lease holder is slow, a client fetches its own app token instead of failing.

use std::time::Duration;

use super::{AccessToken, AppToken, AuthError, AuthSettings, StoreError, oauth};

/// Which stored app token can be used instead of fetching one.
pub(super) struct UsableApp {
    pub(super) margin: Duration,
    /// The token Kick answered 401 to, if that is why a new one is wanted: never taken back.
    pub(super) rejected: Option<AccessToken>,
}

impl UsableApp {
    fn accepts(&self, token: &AppToken) -> bool {
        token.is_fresh(self.margin) && self.rejected.as_ref().is_none_or(|r| token.access_token() != r)
    }
}

/// An app token good for `usable`: the store's, or one fetched (and saved) by the lease holder.
pub(super) async fn app_token(config: &AuthSettings, usable: &UsableApp) -> Result<AppToken, AuthError> {
    let store = &config.store;
    let client_id = config.client_id();
    let started = tokio::time::Instant::now();
    let give_up = config.refresh_lease * 2;
    let mut pause = POLL_FIRST;
    loop {
        match store.load_app_token(client_id).await {
            Ok(Some(token)) if usable.accepts(&token) => return Ok(token),
            Ok(_) => {}
            Err(e) => return fetch_alone(config, "could not read the stored app token", &e).await,
        }
        match store.try_app_lease(client_id, config.refresh_lease).await {
            Ok(Some(lease)) => {
                let outcome = fetch_holding(config, usable).await;
                if let Err(e) = store.release_app_lease(client_id, lease).await {
                    // It expires by itself; the others wait until then at most.
                    tracing::warn!(error = %e, "could not release the app-token lease");
                }
                return outcome;
            }
            Ok(None) => {}
            Err(e) => return fetch_alone(config, "could not take the app-token lease", &e).await,
        }
        if started.elapsed() >= give_up {
            let waited = StoreError::new(format!("the app-token lease was held for {:?}", started.elapsed()));
            return fetch_alone(config, "gave up waiting for another client's app token", &waited).await;
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(POLL_MAX);
    }
}

/// First pause while another client fetches the app token; doubled up to [`POLL_MAX`].
const POLL_FIRST: Duration = Duration::from_millis(10);
const POLL_MAX: Duration = Duration::from_millis(200);

/// With the lease held: the store is read once more (the previous holder may have saved just
/// before releasing), else a token is fetched and saved before it is used.
async fn fetch_holding(config: &AuthSettings, usable: &UsableApp) -> Result<AppToken, AuthError> {
    match config.store.load_app_token(config.client_id()).await {
        Ok(Some(token)) if usable.accepts(&token) => return Ok(token),
        Ok(_) => {}
        Err(e) => return fetch_alone(config, "could not read the stored app token", &e).await,
    }
    tracing::debug!("requesting an app token (client_credentials) for the clients sharing the store");
    let token = oauth::app_token(config).await?;
    if let Err(e) = config.store.save_app_token(config.client_id(), &token).await {
        // Still usable: the others fetch their own.
        tracing::warn!(error = %e, "could not save the app token");
    }
    Ok(token)
}

/// Fetches an app token for this client only, the store being of no help.
async fn fetch_alone(config: &AuthSettings, why: &str, error: &StoreError) -> Result<AppToken, AuthError> {
    tracing::warn!(error = %error, "{why}; requesting an app token for this client only");
    oauth::app_token(config).await
}
