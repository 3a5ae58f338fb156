//! State shared by every clone of a client: configuration, tokens.

use std::sync::Arc;

use std::time::Duration;

use super::rate_limit::RateLimit;
use super::retry::RetryPolicy;
use super::transport::Transport;
use crate::auth::{TokenKind, TokenManager};

/// The state a [`crate::raw::Client`] carries (configuration and tokens), shared by every clone of a
/// [`crate::KickClient`]. Only the client builder makes one: get a raw client from
/// [`crate::KickClient::raw`].
#[derive(Clone)]
pub struct Core {
    state: Arc<CoreState>,
    origin: CallOrigin,
}

/// Who sends through a raw client: the caller of [`crate::KickClient::raw`], or the facade with the
/// token kind it chose. The facade keeps one raw client per choice, so a call carries its choice in the
/// client it runs on, not in per-call state.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CallOrigin {
    /// The facade's choice of token; `None`: the operation's default.
    pub token: Option<TokenKind>,
    /// Whether a facade call waits for the facts of a failure (see `call::Failure`).
    pub facade: bool,
}

impl CallOrigin {
    /// The raw client users get.
    pub const RAW: CallOrigin = CallOrigin { token: None, facade: false };

    /// The facade, with a token of `token` kind (`None`: the operation's default).
    pub const fn facade(token: Option<TokenKind>) -> CallOrigin {
        CallOrigin { token, facade: true }
    }
}

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
    /// Where requests go (API calls and token requests alike).
    pub transport: Transport,
}

impl Core {
    pub(crate) fn new(state: CoreState) -> Self {
        Self { state: Arc::new(state), origin: CallOrigin::RAW }
    }

    /// The same state, for calls from `origin`.
    pub(crate) fn for_origin(&self, origin: CallOrigin) -> Self {
        Self { state: self.state.clone(), origin }
    }

    pub(crate) fn state(&self) -> &CoreState {
        &self.state
    }

    pub(crate) fn origin(&self) -> CallOrigin {
        self.origin
    }
}

impl std::fmt::Debug for Core {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Core")
            .field("api_base_url", &self.state.api_base_url.as_str())
            .field("oauth_base_url", &self.state.oauth_base_url.as_str())
            .field("client_id", &self.state.client_id)
            .field("client_secret", &"[redacted]")
            .finish_non_exhaustive()
    }
}
