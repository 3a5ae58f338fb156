//! [`KickClient`] and its builder.

pub(crate) mod body;
mod builder;
pub(crate) mod call;
mod core;
pub(crate) mod decode;
mod hooks;
mod rate_limit;
mod resend;
mod retry;
mod tls;
pub(crate) mod transport;
mod url;

pub use body::DEFAULT_MAX_ANSWER_BYTES;
pub use builder::{KICK_API_BASE_URL, KICK_OAUTH_BASE_URL, KickClientBuilder};
pub use core::Core;
pub use rate_limit::{LocalRateLimiter, RateLimit};
pub use retry::RetryPolicy;
pub use tls::{TlsRootCertificate, http_client_builder, http_client_builder_trusting};
pub(crate) use transport::Transport;

use std::sync::Arc;

use crate::auth::TokenKind;
use crate::raw;
use core::CallOrigin;

/// The Kick API client: kickpy's methods, typed, validated and with tokens managed for you.
///
/// Cheap to clone: clones share the connection pool and the tokens.
///
/// ```no_run
/// # async fn demo() -> kickrs::Result<()> {
/// let client = kickrs::KickClient::new("my-client-id", "my-client-secret")?;
/// let channel = client.fetch_channel("xqc").await?;
/// println!("{} is streaming {}", channel.slug, channel.stream_title);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct KickClient {
    clients: Arc<RawClients>,
}

/// One raw client per origin of calls, all on the same state and connection pool: the one [`KickClient::raw`]
/// hands out, and the facade's, one per choice of token.
struct RawClients {
    raw: raw::Client,
    facade_default: raw::Client,
    facade_app: raw::Client,
    facade_user: raw::Client,
}

impl RawClients {
    fn new(base: &str, http: reqwest::Client, core: Core) -> Self {
        let client = |origin| raw::Client::new_with_client(base, http.clone(), core.for_origin(origin));
        Self {
            raw: client(CallOrigin::RAW),
            facade_default: client(CallOrigin::facade(None)),
            facade_app: client(CallOrigin::facade(Some(TokenKind::App))),
            facade_user: client(CallOrigin::facade(Some(TokenKind::User))),
        }
    }
}

impl std::fmt::Debug for KickClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KickClient").field("raw", &self.clients.raw).finish()
    }
}

impl KickClient {
    /// A client for Kick's real API with default settings.
    ///
    /// ```
    /// let client = kickrs::KickClient::new("id", "secret").unwrap();
    /// ```
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<String>) -> crate::Result<Self> {
        Self::builder().client_id(client_id).client_secret(client_secret).build()
    }

    /// Starts a [`KickClientBuilder`] for base URLs, an own `reqwest::Client`, retries, timeouts...
    ///
    /// ```
    /// let client = kickrs::KickClient::builder()
    ///     .client_id("id")
    ///     .client_secret("secret")
    ///     .api_base_url("http://127.0.0.1:8080")
    ///     .build()
    ///     .unwrap();
    /// ```
    pub fn builder() -> KickClientBuilder {
        KickClientBuilder::default()
    }

    /// The generated bindings, for what the facade does not cover. Tokens are attached (and refreshed)
    /// for raw calls too.
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) {
    /// let stats = client.raw().fetch_livestream_stats().await;
    /// # }
    /// ```
    pub fn raw(&self) -> &raw::Client {
        &self.clients.raw
    }

    /// The raw client the facade calls through with a token of `token` kind (`None`: the operation's
    /// default).
    pub(crate) fn raw_as(&self, token: Option<TokenKind>) -> &raw::Client {
        match token {
            None => &self.clients.facade_default,
            Some(TokenKind::App) => &self.clients.facade_app,
            Some(TokenKind::User) => &self.clients.facade_user,
        }
    }

    fn from_parts(base: &str, http: reqwest::Client, core: Core) -> Self {
        Self { clients: Arc::new(RawClients::new(base, http, core)) }
    }

    /// Closes the client, for kickpy parity. Connections close when the last clone is dropped.
    pub async fn close(self) {}

    pub(crate) fn core(&self) -> &Core {
        progenitor_client::ClientInfo::inner(&self.clients.raw)
    }
}
