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
mod url;

pub use body::DEFAULT_MAX_ANSWER_BYTES;
pub use builder::{KICK_API_BASE_URL, KICK_OAUTH_BASE_URL, KickClientBuilder};
pub use core::Core;
pub use rate_limit::{LocalRateLimiter, RateLimit};
pub use retry::RetryPolicy;
pub use tls::{TlsRootCertificate, http_client_builder, http_client_builder_trusting};

use crate::raw;

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
#[derive(Clone, Debug)]
pub struct KickClient {
    raw: raw::Client,
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
        &self.raw
    }

    /// Closes the client, for kickpy parity. Connections close when the last clone is dropped.
    pub async fn close(self) {}

    pub(crate) fn core(&self) -> &Core {
        progenitor_client::ClientInfo::inner(&self.raw)
    }
}
