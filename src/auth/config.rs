//! Settings of the token manager and the login flow.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use url::Url;

use crate::client::Transport;

use super::{DEFAULT_REFRESH_LEASE, MemoryTokenStore, TokenStore};

/// Default time before expiry at which a user or app token is renewed.
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// What the client builder hands to the token manager: app credentials, the OAuth host, the
/// shared HTTP client and the refresh margin.
pub(crate) struct AuthConfig {
    pub client_id: String,
    pub client_secret: SecretString,
    pub oauth_base_url: Url,
    /// Builds the token requests.
    pub http: reqwest::Client,
    /// Sends them (the API calls' transport, so one connection pool).
    pub transport: Transport,
    pub refresh_margin: Duration,
    /// Time limit for one token request, whoever built `http`.
    pub timeout: Duration,
}

type UrlHook = dyn Fn(&Url) + Send + Sync;

/// Optional auth settings: where user tokens are kept and how the login URL is shown.
///
/// ```
/// use kickrs::auth::{AuthOptions, FileTokenStore};
/// let options = AuthOptions::default()
///     .token_store(FileTokenStore::new("tokens.json"))
///     .open_browser(false)
///     .on_authorize_url(|url| println!("log in at {url}"));
/// ```
#[derive(Clone)]
#[must_use]
pub struct AuthOptions {
    store: Arc<dyn TokenStore>,
    refresh_lease: Duration,
    open_browser: bool,
    on_authorize_url: Option<Arc<UrlHook>>,
}

impl Default for AuthOptions {
    /// An in-memory token store (no file is written), and the browser opened on login unless the
    /// environment variable `KICKRS_NO_BROWSER` is set.
    fn default() -> Self {
        Self {
            store: Arc::new(MemoryTokenStore::new()),
            refresh_lease: DEFAULT_REFRESH_LEASE,
            open_browser: std::env::var_os("KICKRS_NO_BROWSER").is_none(),
            on_authorize_url: None,
        }
    }
}

impl AuthOptions {
    /// Where user tokens are loaded from and saved to (default: memory only).
    pub fn token_store(mut self, store: impl TokenStore + 'static) -> Self {
        self.store = Arc::new(store);
        self
    }

    /// Like [`token_store`](Self::token_store), for a store already in an `Arc`.
    pub fn shared_token_store(mut self, store: Arc<dyn TokenStore>) -> Self {
        self.store = store;
        self
    }

    /// How long a refresh lease is held at most ([`DEFAULT_REFRESH_LEASE`]): a process that dies
    /// while refreshing blocks the others sharing the store for no longer than this, and one that
    /// waits for another's refresh gives up after twice this. Keep it above the time
    /// a token request can take (the client's timeout). The app-token lease lasts as long; a client
    /// that waited twice this for another's app token fetches its own.
    pub fn refresh_lease(mut self, ttl: Duration) -> Self {
        self.refresh_lease = ttl.max(Duration::from_millis(1));
        self
    }

    /// Whether the login opens the system browser (the URL is always logged and printed as well).
    pub fn open_browser(mut self, open: bool) -> Self {
        self.open_browser = open;
        self
    }

    /// Called with every login URL before the browser opens (to show it in your own UI, or for
    /// tests that drive the login with a simulated browser).
    pub fn on_authorize_url(mut self, hook: impl Fn(&Url) + Send + Sync + 'static) -> Self {
        self.on_authorize_url = Some(Arc::new(hook));
        self
    }
}

impl fmt::Debug for AuthOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthOptions")
            .field("store", &self.store)
            .field("refresh_lease", &self.refresh_lease)
            .field("open_browser", &self.open_browser)
            .field("on_authorize_url", &self.on_authorize_url.as_ref().map(|_| "<hook>"))
            .finish()
    }
}

/// Everything the token manager and the login use.
pub(crate) struct AuthSettings {
    pub(crate) client_id: String,
    client_secret: SecretString,
    oauth_base_url: Url,
    pub(crate) http: reqwest::Client,
    pub(crate) transport: Transport,
    pub(crate) refresh_margin: Duration,
    pub(crate) timeout: Duration,
    pub(crate) store: Arc<dyn TokenStore>,
    pub(crate) refresh_lease: Duration,
    pub(crate) open_browser: bool,
    pub(crate) on_authorize_url: Option<Arc<UrlHook>>,
}

impl AuthSettings {
    pub(crate) fn new(config: AuthConfig, options: AuthOptions) -> Self {
        Self {
            client_id: config.client_id,
            client_secret: config.client_secret,
            oauth_base_url: config.oauth_base_url,
            http: config.http,
            transport: config.transport,
            refresh_margin: config.refresh_margin,
            timeout: config.timeout,
            store: options.store,
            refresh_lease: options.refresh_lease,
            open_browser: options.open_browser,
            on_authorize_url: options.on_authorize_url,
        }
    }

    /// The app's client id.
    pub(crate) fn client_id(&self) -> &str {
        &self.client_id
    }

    pub(crate) fn client_secret(&self) -> &str {
        self.client_secret.expose_secret()
    }

    /// `path` on the OAuth host, e.g. `oauth/token`.
    /// The only origin OAuth credentials are sent to.
    pub(crate) fn oauth_origin(&self) -> url::Origin {
        self.oauth_base_url.origin()
    }

    pub(crate) fn oauth_url(&self, path: &str) -> Url {
        let mut url = self.oauth_base_url.clone();
        let base = url.path().trim_end_matches('/').to_owned();
        url.set_path(&format!("{base}/{path}"));
        url.set_query(None);
        url
    }
}

impl fmt::Debug for AuthSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthSettings")
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .field("oauth_base_url", &self.oauth_base_url.as_str())
            .field("refresh_margin", &self.refresh_margin)
            .field("store", &self.store)
            .field("open_browser", &self.open_browser)
            .finish_non_exhaustive()
    }
}
