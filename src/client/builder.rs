//! [`KickClientBuilder`]: every client setting in one place.

use std::time::Duration;

use secrecy::SecretString;

use super::KickClient;
use super::core::{Core, CoreState};
use std::sync::Arc;

use super::rate_limit::{LocalRateLimiter, RateLimit};
use super::retry::RetryPolicy;
use crate::auth::{AuthConfig, AuthOptions, TokenManager};
use crate::{Error, raw};

/// Kick's REST host.
pub const KICK_API_BASE_URL: &str = "https://api.kick.com";
/// Kick's OAuth host.
pub const KICK_OAUTH_BASE_URL: &str = "https://id.kick.com";

/// Builds a [`KickClient`].
///
/// ```
/// use std::time::Duration;
/// let client = kickrs::KickClient::builder()
///     .client_id("id")
///     .client_secret("secret")
///     .refresh_margin(Duration::from_secs(120))
///     .build()
///     .unwrap();
/// ```
#[derive(Default)]
#[must_use]
pub struct KickClientBuilder {
    client_id: Option<String>,
    client_secret: Option<SecretString>,
    api_base_url: Option<String>,
    oauth_base_url: Option<String>,
    http: Option<reqwest::Client>,
    user_agent: Option<String>,
    refresh_margin: Option<Duration>,
    retry: Option<RetryPolicy>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    rate_limiter: Option<Arc<dyn RateLimit>>,
    auth_options: Option<AuthOptions>,
}

impl std::fmt::Debug for KickClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KickClientBuilder")
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret.as_ref().map(|_| "[redacted]"))
            .field("api_base_url", &self.api_base_url)
            .field("oauth_base_url", &self.oauth_base_url)
            .finish_non_exhaustive()
    }
}

impl KickClientBuilder {
    /// Your app's client id (Kick developer settings).
    pub fn client_id(mut self, client_id: impl Into<String>) -> Self {
        self.client_id = Some(client_id.into());
        self
    }

    /// Your app's client secret. Never printed or logged.
    pub fn client_secret(mut self, client_secret: impl Into<String>) -> Self {
        self.client_secret = Some(SecretString::from(client_secret.into()));
        self
    }

    /// REST base URL (default `https://api.kick.com`); point it at a `MockKick` in tests.
    pub fn api_base_url(mut self, url: impl Into<String>) -> Self {
        self.api_base_url = Some(url.into());
        self
    }

    /// OAuth base URL (default `https://id.kick.com`).
    pub fn oauth_base_url(mut self, url: impl Into<String>) -> Self {
        self.oauth_base_url = Some(url.into());
        self
    }

    /// Use your own `reqwest::Client` (proxies, TLS roots, ...). The user agent setting is then yours too.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// User agent for the built-in HTTP client (default `kickrs/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Refresh a user token this long before it expires (default 60 s).
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = Some(margin);
        self
    }

    /// How requests are retried ([`RetryPolicy::default`]: 3 attempts; [`RetryPolicy::off`] for none).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Time limit for one attempt of a request, answer included (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Time limit for opening a connection (default 10 s; built-in HTTP client only).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Send at most this many requests a minute per token kind (off by default), waiting as needed:
    /// a [`LocalRateLimiter`] for this client (and its clones) only.
    pub fn rate_limit(mut self, requests_per_minute: u32) -> Self {
        self.rate_limiter = Some(Arc::new(LocalRateLimiter::per_minute(requests_per_minute)));
        self
    }

    /// Asks `limiter` before each request instead of the in-process limiter of
    /// [`rate_limit`](Self::rate_limit): e.g. one budget shared by a fleet of processes
    /// (`kickrs::fleet::RedisRateLimiter`, feature `redis`).
    pub fn rate_limiter(mut self, limiter: impl RateLimit + 'static) -> Self {
        self.rate_limiter = Some(Arc::new(limiter));
        self
    }

    /// Like [`rate_limiter`](Self::rate_limiter), for a limiter already in an `Arc`.
    pub fn shared_rate_limiter(mut self, limiter: Arc<dyn RateLimit>) -> Self {
        self.rate_limiter = Some(limiter);
        self
    }

    /// Token store, browser opening and login hooks ([`AuthOptions`]; default: tokens in memory only).
    pub fn auth_options(mut self, options: AuthOptions) -> Self {
        self.auth_options = Some(options);
        self
    }

    /// Builds the client. Fails on a malformed base URL or when the HTTP client cannot be built.
    pub fn build(self) -> crate::Result<KickClient> {
        let api_base_url = parse_base(self.api_base_url.as_deref().unwrap_or(KICK_API_BASE_URL), "api_base_url")?;
        let oauth_base_url =
            parse_base(self.oauth_base_url.as_deref().unwrap_or(KICK_OAUTH_BASE_URL), "oauth_base_url")?;
        let timeout = self.timeout.unwrap_or(Duration::from_secs(30));
        // The built-in client applies the timeout itself; a client of the caller's gets it per request
        // (which costs each request a map in its extensions, copied again for a possible resend).
        let (http, per_request_timeout) = match self.http {
            Some(http) => (http, Some(timeout)),
            None => (
                reqwest::Client::builder()
                    .user_agent(self.user_agent.unwrap_or_else(|| format!("kickrs/{}", env!("CARGO_PKG_VERSION"))))
                    .connect_timeout(self.connect_timeout.unwrap_or(Duration::from_secs(10)))
                    .timeout(timeout)
                    .build()
                    .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?,
                None,
            ),
        };
        let client_id = self.client_id.unwrap_or_default();
        let auth = TokenManager::with_options(
            AuthConfig {
                client_id: client_id.clone(),
                client_secret: self.client_secret.unwrap_or_else(|| SecretString::from(String::new())),
                oauth_base_url: oauth_base_url.clone(),
                http: http.clone(),
                refresh_margin: self.refresh_margin.unwrap_or(Duration::from_secs(60)),
            },
            self.auth_options.unwrap_or_default(),
        );
        let base = api_base_url.as_str().trim_end_matches('/').to_string();
        let core = Core::new(CoreState {
            api_base_url,
            oauth_base_url,
            client_id,
            auth,
            retry: self.retry.unwrap_or_default(),
            per_request_timeout,
            rate_limit: self.rate_limiter,
        });
        Ok(KickClient { raw: raw::Client::new_with_client(&base, http, core) })
    }
}

fn parse_base(url: &str, field: &str) -> crate::Result<url::Url> {
    let parsed = url::Url::parse(url).map_err(|e| Error::Config(format!("{field} `{url}`: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Error::Config(format!("{field} `{url}` must be http or https")));
    }
    Ok(parsed)
}
