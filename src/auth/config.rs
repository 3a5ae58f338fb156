//! Settings of the token manager and the login flow.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use url::Url;

use super::{MemoryTokenStore, TokenStore};

/// Kick's OAuth host.
pub const KICK_OAUTH_URL: &str = "https://id.kick.com";

/// Default time before expiry at which a user or app token is renewed.
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(60);

type UrlHook = dyn Fn(&Url) + Send + Sync;

/// Everything the token manager needs: app credentials, where Kick's OAuth server is, the HTTP
/// client, the token store and how to show the login URL.
///
/// `Debug` redacts the client secret.
///
/// ```
/// use kickrs::auth::{AuthConfig, FileTokenStore};
/// let config = AuthConfig::new("my-client-id", "my-client-secret")
///     .token_store(FileTokenStore::new("tokens.json"))
///     .refresh_margin(std::time::Duration::from_secs(120))
///     .open_browser(false);
/// assert!(!format!("{config:?}").contains("my-client-secret"));
/// ```
#[derive(Clone)]
pub struct AuthConfig {
    pub(crate) client_id: String,
    pub(crate) client_secret: SecretString,
    pub(crate) oauth_base_url: Url,
    pub(crate) http: reqwest::Client,
    pub(crate) store: Arc<dyn TokenStore>,
    pub(crate) refresh_margin: Duration,
    pub(crate) open_browser: bool,
    pub(crate) on_authorize_url: Option<Arc<UrlHook>>,
}

impl AuthConfig {
    /// Settings for the app `client_id` / `client_secret`, with Kick's OAuth host, an in-memory token
    /// store, a 60 s refresh margin and the browser opened on login (unless the environment
    /// variable `KICKRS_NO_BROWSER` is set).
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret: SecretString::from(client_secret.into()),
            oauth_base_url: Url::parse(KICK_OAUTH_URL).expect("KICK_OAUTH_URL is a valid URL"),
            http: reqwest::Client::new(),
            store: Arc::new(MemoryTokenStore::new()),
            refresh_margin: DEFAULT_REFRESH_MARGIN,
            open_browser: std::env::var_os("KICKRS_NO_BROWSER").is_none(),
            on_authorize_url: None,
        }
    }

    /// Where Kick's OAuth server is (tests point it at a local fake).
    pub fn oauth_base_url(mut self, url: Url) -> Self {
        self.oauth_base_url = url;
        self
    }

    /// The HTTP client for token requests (share the one the API client uses).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = http;
        self
    }

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

    /// How long before expiry a token is renewed (default 60 s).
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = margin;
        self
    }

    /// Whether [`authenticate`](crate::auth) opens the system browser (the URL is always logged and
    /// printed as well).
    pub fn open_browser(mut self, open: bool) -> Self {
        self.open_browser = open;
        self
    }

    /// Called with every login URL before the browser opens (e.g. to show it in your own UI, or
    /// for tests that drive the login with a simulated browser).
    pub fn on_authorize_url(mut self, hook: impl Fn(&Url) + Send + Sync + 'static) -> Self {
        self.on_authorize_url = Some(Arc::new(hook));
        self
    }

    /// The app's client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    pub(crate) fn client_secret(&self) -> &str {
        self.client_secret.expose_secret()
    }

    /// `path` on the OAuth host, e.g. `oauth/token`.
    pub(crate) fn oauth_url(&self, path: &str) -> Url {
        let mut url = self.oauth_base_url.clone();
        let base = url.path().trim_end_matches('/').to_owned();
        url.set_path(&format!("{base}/{path}"));
        url.set_query(None);
        url
    }
}

impl fmt::Debug for AuthConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthConfig")
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .field("oauth_base_url", &self.oauth_base_url.as_str())
            .field("store", &self.store)
            .field("refresh_margin", &self.refresh_margin)
            .field("open_browser", &self.open_browser)
            .finish_non_exhaustive()
    }
}
