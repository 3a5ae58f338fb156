//! State shared by every clone of a client: configuration, tokens.

use std::sync::Arc;

use std::time::Duration;

use super::rate_limit::RateLimit;
use super::retry::RetryPolicy;
use crate::auth::TokenManager;

/// The state a [`crate::raw::Client`] carries (configuration and tokens), shared by every clone of a
/// [`crate::KickClient`]. Only the client builder makes one: get a raw client from
/// [`crate::KickClient::raw`].
#[derive(Clone)]
pub struct Core(Arc<CoreState>);

pub(crate) struct CoreState {
    pub api_base_url: url::Url,
    pub oauth_base_url: url::Url,
    pub client_id: String,
    pub auth: TokenManager,
    pub retry: RetryPolicy,
    /// Set on each request that has none when the HTTP client is the caller's; `None` when kickrs
    /// built the client, which applies the same timeout itself (a per-request timeout costs every
    /// request a map in its extensions).
    pub request_timeout: Option<Duration>,
    /// The most bytes read from one API answer.
    pub max_answer_bytes: usize,
    pub rate_limit: Option<Arc<dyn RateLimit>>,
}

impl Core {
    pub(crate) fn new(state: CoreState) -> Self {
        Self(Arc::new(state))
    }
}

impl Core {
    pub(crate) fn state(&self) -> &CoreState {
        &self.0
    }
}

impl std::fmt::Debug for Core {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Core")
            .field("api_base_url", &self.0.api_base_url.as_str())
            .field("oauth_base_url", &self.0.oauth_base_url.as_str())
            .field("client_id", &self.0.client_id)
            .field("client_secret", &"[redacted]")
            .finish_non_exhaustive()
    }
}
