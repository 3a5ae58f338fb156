//! [`KickClientBuilder`]: every client setting in one place.

use std::time::Duration;

use secrecy::SecretString;

use super::KickClient;
use super::core::{Core, CoreState};
use std::sync::Arc;

use super::rate_limit::{LocalRateLimiter, RateLimit};
use super::retry::RetryPolicy;
use super::transport::{DirectSettings, Transport};
use crate::Error;
use crate::auth::{AuthConfig, AuthOptions, TokenManager};
use reqwest::header::HeaderValue;

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
    max_answer_bytes: Option<usize>,
    root_certificates: Vec<crate::TlsRootCertificate>,
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

    /// Use your own `reqwest::Client` (proxies, TLS roots, ...). The user agent setting is then yours too;
    /// the [`timeout`](Self::timeout) still applies to every request kickrs sends through it.
    ///
    /// Without one, kickrs sends through hyper's pooled client directly, with the settings below (and
    /// reqwest's defaults for the rest), which costs each call less than reqwest's `execute`; a proxy named
    /// in the environment (`HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY`) sends it through reqwest instead,
    /// which honours those.
    ///
    /// Build it with `.redirect(reqwest::redirect::Policy::none())`. Every request kickrs sends carries a
    /// credential (client secret, code, refresh or bearer token) or a body that may only go to Kick's
    /// origin, and a client that follows redirects re-sends them wherever a server points it, before
    /// kickrs sees the answer. kickrs cannot change your client's policy, so when your client follows
    /// redirects (reqwest's default) kickrs does not use it: it sends through a client of its own that
    /// never follows (with this builder's timeouts and user agent, but not your proxy or TLS settings)
    /// and logs a warning when the client is built.
    ///
    /// ```
    /// let http = kickrs::http_client_builder().unwrap().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    /// let client = kickrs::KickClient::builder().client_id("id").client_secret("s").http_client(http).build().unwrap();
    /// ```
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Trust `certificate` as a TLS root besides the system's, in the built-in HTTP client (a proxy that
    /// inspects TLS, a local test server); the built-in client's timeouts and user agent stay as set.
    /// Ignored when [`http_client`](Self::http_client) supplies the client.
    ///
    /// ```
    /// # fn demo(pem: &[u8]) -> Result<(), Box<dyn std::error::Error>> {
    /// let client = kickrs::KickClient::builder()
    ///     .client_id("id")
    ///     .client_secret("secret")
    ///     .tls_root_certificate(kickrs::TlsRootCertificate::from_pem(pem)?)
    ///     .build()?;
    /// # Ok(()) }
    /// ```
    pub fn tls_root_certificate(mut self, certificate: crate::TlsRootCertificate) -> Self {
        self.root_certificates.push(certificate);
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

    /// Time limit for one attempt of a request, answer included (default 30 s). It applies to every
    /// request, token requests included, whoever built the HTTP client.
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

    /// The most bytes read from one API answer (default [`crate::DEFAULT_MAX_ANSWER_BYTES`], 16 MiB, far above
    /// Kick's largest answers). Past it the call fails with [`Error::AnswerTooLarge`] and reading stops, so
    /// memory stays bounded whatever a server sends. OAuth answers have their own small cap (64 KiB).
    ///
    /// ```
    /// let client = kickrs::KickClient::builder().client_id("id").max_answer_bytes(1 << 20).build().unwrap();
    /// ```
    pub fn max_answer_bytes(mut self, bytes: usize) -> Self {
        self.max_answer_bytes = Some(bytes);
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
        let connect_timeout = self.connect_timeout.unwrap_or(Duration::from_secs(10));
        let root_certificates = &self.root_certificates;
        // kickrs' own client: reqwest's, which builds the requests, and the transport that sends them with
        // the same settings (src/client/transport.rs).
        let own_client = |user_agent: Option<String>| {
            let user_agent = user_agent.unwrap_or_else(|| format!("kickrs/{}", env!("CARGO_PKG_VERSION")));
            // One TLS set-up (the system's roots loaded once) for both.
            let tls = super::tls::client_config(root_certificates)?;
            let http = reqwest::Client::builder()
                .tls_backend_preconfigured(tls.clone())
                .user_agent(&user_agent)
                .connect_timeout(connect_timeout)
                .timeout(timeout)
                // Credentials never follow a redirect: a 3xx comes back to kickrs as an answer.
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;
            let settings = DirectSettings {
                tls,
                user_agent: HeaderValue::from_str(&user_agent)
                    .map_err(|_| Error::Config(format!("user_agent `{user_agent}` is not a valid header value")))?,
                connect_timeout,
                timeout,
            };
            let transport = Transport::own(settings, &http);
            Ok::<_, Error>((http, transport))
        };
        // `request_timeout`: a client of the caller's gets the timeout on each request; kickrs' own
        // client is built with it.
        let ((http, transport), request_timeout) = match self.http {
            Some(http) if !follows_redirects(&http) => ((http.clone(), Transport::Reqwest(http)), Some(timeout)),
            Some(_) => {
                tracing::warn!(
                    "the reqwest::Client given to http_client() follows redirects, which would re-send credentials \
                     to other hosts; kickrs sends through its own client instead (build yours with \
                     .redirect(reqwest::redirect::Policy::none()) to have it used)"
                );
                (own_client(self.user_agent)?, None)
            }
            None => (own_client(self.user_agent)?, None),
        };
        let client_id = self.client_id.unwrap_or_default();
        let auth = TokenManager::with_options(
            AuthConfig {
                client_id: client_id.clone(),
                client_secret: self.client_secret.unwrap_or_else(|| SecretString::from(String::new())),
                oauth_base_url: oauth_base_url.clone(),
                http: http.clone(),
                transport: transport.clone(),
                refresh_margin: self.refresh_margin.unwrap_or(Duration::from_secs(60)),
                timeout,
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
            request_timeout,
            max_answer_bytes: self.max_answer_bytes.unwrap_or(super::body::DEFAULT_MAX_ANSWER_BYTES),
            rate_limit: self.rate_limiter,
            transport,
        });
        Ok(KickClient::from_parts(&base, http, core))
    }
}

/// Whether `client` follows redirects. reqwest shows no policy but in `Debug`, where it names a
/// policy other than its default (follow up to 10); a custom policy may follow, so only `None` counts.
pub(crate) fn follows_redirects(client: &reqwest::Client) -> bool {
    !format!("{client:?}").contains("redirect_policy: \"Policy(None)\"")
}

fn parse_base(url: &str, field: &str) -> crate::Result<url::Url> {
    let parsed = url::Url::parse(url).map_err(|e| Error::Config(format!("{field} `{url}`: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Error::Config(format!("{field} `{url}` must be http or https")));
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::follows_redirects;
    use reqwest::redirect::Policy;

    /// Pins the only way reqwest tells its redirect policy: a reqwest upgrade that changes it fails here.
    #[test]
    fn a_client_that_follows_redirects_is_told_from_one_that_does_not() {
        assert!(follows_redirects(&crate::http_client_builder().unwrap().build().unwrap()));
        let with = |policy| crate::http_client_builder().unwrap().redirect(policy).build().unwrap();
        assert!(follows_redirects(&with(Policy::limited(3))));
        assert!(follows_redirects(&with(Policy::custom(|attempt| attempt.follow()))));
        assert!(!follows_redirects(&with(Policy::none())));
    }
}
