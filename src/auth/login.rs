//! The user login: authorization URL with PKCE and state, the loopback callback flow
//! (`authenticate`), and the variant for web apps that receive the callback themselves.

use std::fmt;
use std::time::Duration;

use oauth2::{CsrfToken, EndpointSet, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl};
use url::Url;

use super::callback_server::{Callback, CallbackServer, Delivery, Page};
use super::manager::TokenManager;
use super::oauth::{self, KickOAuthClient};
use super::{AuthError, AuthSettings, Scope, UserToken};

/// Options of [`authenticate`](crate::auth): where the browser comes back and how long to wait.
///
/// ```
/// use kickrs::auth::LoginOptions;
/// use std::time::Duration;
/// let options = LoginOptions::default().port(8080).timeout(Duration::from_secs(120));
/// assert_eq!(options.redirect_uri_for_port().as_str(), "http://127.0.0.1:8080/callback");
/// ```
#[derive(Debug, Clone)]
pub struct LoginOptions {
    redirect_uri: Option<Url>,
    port: u16,
    timeout: Duration,
}

impl Default for LoginOptions {
    /// `http://127.0.0.1:3000/callback`, 300 s.
    fn default() -> Self {
        Self { redirect_uri: None, port: 3000, timeout: Duration::from_secs(300) }
    }
}

impl LoginOptions {
    /// The redirect URI registered for the app; it must be `http` on `127.0.0.1` or `localhost`.
    /// The callback listener uses its port (80 if none) and path. Default:
    /// `http://127.0.0.1:{port}/callback`.
    pub fn redirect_uri(mut self, uri: Url) -> Self {
        self.redirect_uri = Some(uri);
        self
    }

    /// The callback port when no redirect URI is given (default 3000).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// How long to wait for the user (default 300 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The redirect URI that will be used.
    pub fn redirect_uri_for_port(&self) -> Url {
        self.redirect_uri.clone().unwrap_or_else(|| {
            let mut uri = Url::parse("http://127.0.0.1/callback").expect("constant URL is valid");
            let _ = uri.set_port(Some(self.port));
            uri
        })
    }
}

/// A login started with [`authorization_url`](crate::auth): finish it with the `code` and `state`
/// your redirect handler received. `Debug` redacts the PKCE verifier and state.
pub struct PendingLogin {
    manager: TokenManager,
    client: KickOAuthClient<EndpointSet>,
    verifier: PkceCodeVerifier,
    state: CsrfToken,
}

impl fmt::Debug for PendingLogin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PendingLogin")
            .field("client_id", &self.manager.config().client_id())
            .field("verifier", &"[redacted]")
            .field("state", &"[redacted]")
            .finish()
    }
}

impl PendingLogin {
    /// The `state` this login expects back (to find the pending login of a callback).
    pub fn state(&self) -> &str {
        self.state.secret()
    }

    /// Checks `state`, exchanges `code` (with the PKCE verifier), saves the token to the store and
    /// makes it the client's user token.
    pub async fn complete(self, code: &str, state: &str) -> Result<UserToken, AuthError> {
        if state != self.state.secret() {
            return Err(AuthError::StateMismatch);
        }
        let token = oauth::exchange_code(self.manager.config(), &self.client, code.to_owned(), self.verifier).await?;
        self.manager.install_user_token(token.clone()).await?;
        Ok(token)
    }
}

/// Builds the authorize URL for `scopes` and the login waiting for its callback.
///
/// `redirect_uri` must be `http` or `https`. For a `127.0.0.1` redirect URI the URL starts with
/// Kick's documented sacrificial `redirect=127.0.0.1` parameter, because Kick's authorize page
/// rewrites the first `127.0.0.1` it finds to `localhost`.
pub(crate) fn authorization_url(
    manager: &TokenManager,
    scopes: &[Scope],
    redirect_uri: &Url,
) -> Result<(Url, PendingLogin), AuthError> {
    if !matches!(redirect_uri.scheme(), "http" | "https") || redirect_uri.host().is_none() {
        return Err(invalid(redirect_uri, "must be an http or https URL"));
    }
    let config = manager.config();
    let mut authorize = config.oauth_url("oauth/authorize");
    if redirect_uri.host_str() == Some("127.0.0.1") {
        authorize.query_pairs_mut().append_pair("redirect", "127.0.0.1");
    }
    let client = oauth::login_client(config, authorize).set_redirect_uri(RedirectUrl::from_url(redirect_uri.clone()));
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state) = client
        .authorize_url(CsrfToken::new_random)
        .add_scopes(scopes.iter().map(|s| oauth2::Scope::new(s.to_string())))
        .set_pkce_challenge(challenge)
        .url();
    let pending = PendingLogin { manager: manager.clone(), client, verifier, state };
    Ok((url, pending))
}

/// The whole interactive login: listen on loopback, show the URL, wait for the callback, exchange.
pub(crate) async fn authenticate(
    manager: &TokenManager,
    scopes: &[Scope],
    options: LoginOptions,
) -> Result<UserToken, AuthError> {
    let redirect_uri = options.redirect_uri_for_port();
    let (port, path) = loopback_target(&redirect_uri)?;
    let (url, pending) = authorization_url(manager, scopes, &redirect_uri)?;
    // Listen before the browser can come back.
    let mut server = CallbackServer::bind(port, path, pending.state().to_owned()).await?;
    show_url(manager.config(), &url);

    let delivery = tokio::time::timeout(options.timeout, server.next())
        .await
        .map_err(|_| AuthError::Timeout { after: options.timeout })?
        .ok_or_else(|| AuthError::CallbackServer { message: "the callback listener stopped".into() })?;
    let Delivery { callback, answer } = delivery;
    let outcome = match callback {
        Callback::Code(code) => {
            let state = pending.state().to_owned();
            pending.complete(&code, &state).await
        }
        Callback::Denied { error, description } => Err(AuthError::Denied { error, description }),
    };
    let page = match &outcome {
        Ok(_) => Page::success(),
        Err(e) => Page::failure(400, e.to_string()),
    };
    answer.send(page).await;
    outcome
}

/// The port and path to listen on for a loopback redirect URI.
fn loopback_target(uri: &Url) -> Result<(u16, String), AuthError> {
    if uri.scheme() != "http" {
        return Err(invalid(uri, "a loopback redirect URI must use http"));
    }
    if !matches!(uri.host_str(), Some("127.0.0.1" | "localhost")) {
        return Err(invalid(uri, "the host must be 127.0.0.1 or localhost"));
    }
    let port = uri.port_or_known_default().unwrap_or(80);
    Ok((port, uri.path().to_owned()))
}

fn invalid(uri: &Url, reason: &'static str) -> AuthError {
    AuthError::InvalidRedirectUri { uri: uri.to_string(), reason }
}

/// Always prints and logs the URL (headless machines), then opens the browser if configured.
fn show_url(config: &AuthSettings, url: &Url) {
    if let Some(hook) = &config.on_authorize_url {
        hook(url);
    }
    tracing::info!(%url, "open this URL to log in to Kick");
    eprintln!("Open this URL in a browser to log in to Kick:\n{url}");
    if config.open_browser {
        let url = url.to_string();
        tokio::task::spawn_blocking(move || {
            if let Err(e) = webbrowser::open(&url) {
                tracing::warn!(error = %e, "could not open a browser; open the URL by hand");
            }
        });
    }
}
