//! The token manager the request pipeline asks for tokens: app tokens taken from the store or fetched
//! on need, user tokens loaded from the store and refreshed (proactively and after a 401), each
//! renewal single-flight in the process and across the clients sharing the store.

use std::fmt;
use std::sync::{Arc, PoisonError, RwLock};

use reqwest::header::HeaderValue;
use tokio::sync::OnceCell;

use super::config::{AuthConfig, AuthSettings};
use super::shared_app::{self, UsableApp};
use super::single_flight::TokenCell;
use super::token_admin::{self, TokenHint, TokenIntrospection};
use super::{AccessToken, AppToken, AuthError, AuthOptions, Scope, TokenKind, UserToken, oauth};
use crate::Error;

/// Holds the app and user tokens of one client and renews them. `Send + Sync`; clones share the
/// same tokens (a pending login keeps one).
#[derive(Clone)]
pub(crate) struct TokenManager {
    config: Arc<AuthSettings>,
    pub(super) app: Arc<TokenCell<AppToken>>,
    pub(super) user: Arc<TokenCell<UserToken>>,
    /// Set once the store has been read (or a token was set by hand before that).
    pub(super) loaded: Arc<OnceCell<()>>,
    /// The `Authorization` value last built for each kind (app, user), reused while the token stays
    /// the same so a call clones a header instead of formatting and checking a new one.
    bearers: Arc<[RwLock<Option<HeaderValue>>; 2]>,
}

/// A usable token of either kind, borrowed from its slot without copying the secret.
enum Fresh {
    App(Arc<AppToken>),
    User(Arc<UserToken>),
}

impl Fresh {
    fn access_token(&self) -> &AccessToken {
        match self {
            Fresh::App(token) => &token.access_token,
            Fresh::User(token) => token.access_token(),
        }
    }
}

/// `Bearer <token>` as a sensitive header value (never printed by `Debug`).
pub(crate) fn bearer_header(token: &AccessToken) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::from_str(&format!("Bearer {}", token.secret()))
        .map_err(|_| Error::Config("the access token contains characters a header cannot carry".into()))?;
    value.set_sensitive(true);
    Ok(value)
}

impl TokenManager {
    pub(crate) fn with_options(config: AuthConfig, options: AuthOptions) -> Self {
        Self {
            config: Arc::new(AuthSettings::new(config, options)),
            app: Arc::new(TokenCell::new()),
            user: Arc::new(TokenCell::new()),
            loaded: Arc::new(OnceCell::new()),
            bearers: Arc::new([RwLock::new(None), RwLock::new(None)]),
        }
    }

    pub(crate) fn config(&self) -> &AuthSettings {
        &self.config
    }

    /// A usable token of this kind: the app token is fetched on first need and again when it is
    /// within the refresh margin of expiry; the user token is loaded from the store on first need
    /// and refreshed within the margin. Concurrent callers share one token request.
    pub(crate) async fn access_token(&self, kind: TokenKind) -> Result<AccessToken, Error> {
        Ok(self.fresh(kind).await?.access_token().clone())
    }

    /// The `Authorization` header for a usable token of this kind (renewed as for
    /// [`access_token`](Self::access_token)), built once per token and then cloned.
    pub(crate) async fn bearer(&self, kind: TokenKind) -> Result<HeaderValue, Error> {
        let fresh = self.fresh(kind).await?;
        self.header_for(kind, fresh.access_token())
    }

    /// The `Authorization` header when a usable token of this kind is already at hand: the hot path,
    /// which neither awaits nor holds the (much larger) state of a renewal. `None`: call [`Self::bearer`].
    pub(crate) fn ready_bearer(&self, kind: TokenKind) -> Option<HeaderValue> {
        let fresh = self.fresh_at_hand(kind)?;
        self.header_for(kind, fresh.access_token()).ok()
    }

    /// The token of this kind already held, if it is valid for longer than the refresh margin.
    fn fresh_at_hand(&self, kind: TokenKind) -> Option<Fresh> {
        let margin = self.config.refresh_margin;
        match kind {
            TokenKind::App => self.app.current().filter(|t| t.is_fresh(margin)).map(Fresh::App),
            TokenKind::User => self.user.current().filter(|t| t.is_fresh(margin)).map(Fresh::User),
        }
    }

    fn header_for(&self, kind: TokenKind, token: &AccessToken) -> Result<HeaderValue, Error> {
        let slot = &self.bearers[usize::from(kind == TokenKind::User)];
        let cached = slot.read().unwrap_or_else(PoisonError::into_inner).clone();
        if let Some(header) =
            cached.filter(|h| h.as_bytes().strip_prefix(b"Bearer ") == Some(token.secret().as_bytes()))
        {
            return Ok(header);
        }
        let header = bearer_header(token)?;
        *slot.write().unwrap_or_else(PoisonError::into_inner) = Some(header.clone());
        Ok(header)
    }

    async fn fresh(&self, kind: TokenKind) -> Result<Fresh, Error> {
        if let Some(fresh) = self.fresh_at_hand(kind) {
            return Ok(fresh);
        }
        let margin = self.config.refresh_margin;
        match kind {
            TokenKind::App => {
                let token = self.renew_app(move |current| current.is_none_or(|t| !t.is_fresh(margin)), None).await?;
                Ok(Fresh::App(token))
            }
            TokenKind::User => {
                let current = self.user_token().await?;
                if current.is_fresh(margin) {
                    return Ok(Fresh::User(current));
                }
                let token = self.renew_user(move |current| current.is_none_or(|t| !t.is_fresh(margin)), None).await?;
                Ok(Fresh::User(token))
            }
        }
    }

    /// Kick answered 401 to a request sent with `rejected`: refresh (user) or refetch (app) once.
    /// If another task already replaced `rejected`, returns the current token without a request.
    pub(crate) async fn after_unauthorized(
        &self,
        kind: TokenKind,
        rejected: &AccessToken,
    ) -> Result<AccessToken, Error> {
        let rejected = rejected.clone();
        match kind {
            TokenKind::App => {
                let stale = rejected.clone();
                let token = self
                    .renew_app(move |current| current.is_none_or(|t| t.access_token == stale), Some(rejected))
                    .await?;
                Ok(token.access_token.clone())
            }
            TokenKind::User => {
                self.user_token().await?;
                let stale = rejected.clone();
                let token = self
                    .renew_user(move |current| current.is_none_or(|t| *t.access_token() == stale), Some(rejected))
                    .await?;
                Ok(token.access_token().clone())
            }
        }
    }

    /// Refreshes the user token now, however fresh it is (saved to the store like any refresh).
    /// The current token counts as rejected, so the shared store's copy of it is not taken instead;
    /// a newer one another process saved meanwhile is.
    pub(crate) async fn refresh_user_now(&self) -> Result<Arc<UserToken>, Error> {
        let current = self.user_token().await?;
        Ok(self.renew_user(|_| true, Some(current.access_token().clone())).await?)
    }

    /// Scopes granted to the user token, when known (for a pre-request scope check). `None` before
    /// the stored token was loaded, i.e. until the first [`access_token`](Self::access_token) of
    /// kind `User`.
    pub(crate) fn user_scopes(&self) -> Option<Vec<Scope>> {
        self.user.current()?.scopes().map(<[Scope]>::to_vec)
    }

    /// The current user token (loaded from the store on first call), or `Missing`.
    pub(crate) async fn user_token(&self) -> Result<Arc<UserToken>, Error> {
        self.load_stored().await?;
        self.user.current().ok_or(Error::MissingToken { kind: TokenKind::User })
    }

    /// Saves `token` to the store, then makes it the user token (login, `set_user_token`).
    pub(crate) async fn install_user_token(&self, token: UserToken) -> Result<(), AuthError> {
        self.config.store.save(&self.config.client_id, &token).await?;
        self.user.set(Arc::new(token));
        // A token set by hand wins over whatever the store held.
        let _ = self.loaded.set(());
        Ok(())
    }

    /// kickpy's `set_user_token`: installs a token obtained elsewhere (saved to the store first).
    pub(crate) async fn set_user_token(
        &self,
        access_token: &str,
        refresh_token: Option<&str>,
        expires_in: u64,
        scope: &str,
    ) -> Result<(), AuthError> {
        let token = UserToken::received(
            super::AccessToken::new(access_token),
            refresh_token.map(super::RefreshToken::new),
            Some(expires_in),
            Some(scope),
            None,
            chrono::Utc::now(),
        );
        self.install_user_token(token).await
    }

    /// Revokes `token` at Kick.
    pub(crate) async fn revoke_token(&self, token: &str, hint: Option<TokenHint>) -> Result<(), AuthError> {
        token_admin::revoke(&self.config, token, hint).await
    }

    /// Introspects the current token of `kind` (fetched or refreshed first, like for any request).
    pub(crate) async fn introspect_token(&self, kind: TokenKind) -> Result<TokenIntrospection, Error> {
        let token = self.access_token(kind).await?;
        Ok(token_admin::introspect(&self.config, &token).await?)
    }

    /// Reads the store once; a failed read is reported and retried on the next call.
    async fn load_stored(&self) -> Result<(), AuthError> {
        self.loaded
            .get_or_try_init(|| async {
                if let Some(token) = self.config.store.load(&self.config.client_id).await? {
                    tracing::debug!(expires_at = %token.expires_at(), "loaded the stored user token");
                    self.user.set_if_empty(Arc::new(token));
                }
                Ok::<(), AuthError>(())
            })
            .await
            .map(|_| ())
    }

    /// Renews the app token once per process (the cell's single flight) and once per store: the
    /// flight takes the store's app token, or fetches one while holding the store's app lease.
    /// `rejected` is the access token Kick answered 401 to, if that is why.
    async fn renew_app(
        &self,
        needed: impl FnOnce(Option<&Arc<AppToken>>) -> bool,
        rejected: Option<AccessToken>,
    ) -> Result<Arc<AppToken>, AuthError> {
        let config = Arc::clone(&self.config);
        self.app
            .renew(needed, move |_, _| async move {
                let usable = UsableApp { margin: config.refresh_margin, rejected };
                shared_app::app_token(&config, &usable).await
            })
            .await
    }

    /// Renews the user token once per process (the cell's single flight) and once per store: the
    /// flight rereads the store and refreshes only while holding the store's refresh lease.
    /// `rejected` is the access token Kick answered 401 to, if that is why.
    async fn renew_user(
        &self,
        needed: impl FnOnce(Option<&Arc<UserToken>>) -> bool,
        rejected: Option<AccessToken>,
    ) -> Result<Arc<UserToken>, AuthError> {
        let config = Arc::clone(&self.config);
        let cell = Arc::clone(&self.user);
        self.user
            .renew(needed, move |current, generation| async move {
                let usable = Usable { margin: config.refresh_margin, rejected };
                let token = shared_refresh(&config, current, &usable).await?;
                match token {
                    Renewed::FromStore(token) => Ok(token),
                    Renewed::Refreshed(token, saved) => match saved {
                        Ok(()) => Ok(token),
                        Err(e) => {
                            // Keep it in memory anyway; the old refresh token is dead now.
                            cell.publish(Arc::new(token), generation);
                            Err(AuthError::Store(e))
                        }
                    },
                }
            })
            .await
    }
}

/// Which stored token can be used instead of refreshing.
struct Usable {
    margin: std::time::Duration,
    rejected: Option<AccessToken>,
}

impl Usable {
    fn accepts(&self, token: &UserToken) -> bool {
        token.is_fresh(self.margin) && self.rejected.as_ref().is_none_or(|r| token.access_token() != r)
    }
}

enum Renewed {
    /// Another client sharing the store refreshed already.
    FromStore(UserToken),
    /// Refreshed here, with the outcome of saving it.
    Refreshed(UserToken, Result<(), super::StoreError>),
}

/// A refresh that happens once among all the clients sharing the store: reread the store, and
/// while its token will not do, either take the refresh lease and refresh, or wait for the lease
/// holder to save its token.
async fn shared_refresh(
    config: &AuthSettings,
    current: Option<Arc<UserToken>>,
    usable: &Usable,
) -> Result<Renewed, AuthError> {
    let store = &config.store;
    let client_id = config.client_id();
    let started = tokio::time::Instant::now();
    // A holder that dies keeps the lease until it expires; then one of the waiters takes it. Twice the
    // lease leaves room for that, and for a holder that saves just before its lease runs out.
    let give_up = config.refresh_lease * 2;
    let mut pause = LEASE_POLL_FIRST;
    loop {
        let stored = store.load(client_id).await?;
        if let Some(token) = stored.filter(|t| usable.accepts(t)) {
            tracing::debug!("the store holds a newer user token; no refresh needed");
            return Ok(Renewed::FromStore(token));
        }
        if let Some(lease) = store.try_lease(client_id, config.refresh_lease).await? {
            let outcome = refresh_holding(config, current.as_deref(), usable).await;
            if let Err(e) = store.release(client_id, lease).await {
                // It expires by itself; the others wait until then at most.
                tracing::warn!(error = %e, "could not release the refresh lease");
            }
            return outcome;
        }
        if started.elapsed() >= give_up {
            return Err(AuthError::LeaseTimeout { waited: started.elapsed() });
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(LEASE_POLL_MAX);
    }
}

/// First pause while another client holds the refresh lease; doubled up to [`LEASE_POLL_MAX`].
const LEASE_POLL_FIRST: std::time::Duration = std::time::Duration::from_millis(10);
const LEASE_POLL_MAX: std::time::Duration = std::time::Duration::from_millis(200);

/// The refresh itself, with the lease held: the store is read once more (the previous holder may
/// have saved just before releasing), then its refresh token, the newest, is spent.
async fn refresh_holding(
    config: &AuthSettings,
    current: Option<&UserToken>,
    usable: &Usable,
) -> Result<Renewed, AuthError> {
    let stored = config.store.load(config.client_id()).await?;
    if let Some(token) = stored.as_ref().filter(|t| usable.accepts(t)) {
        return Ok(Renewed::FromStore(token.clone()));
    }
    let base = stored.as_ref().or(current).ok_or(AuthError::NoRefreshToken)?;
    tracing::debug!("refreshing the user token");
    let token = oauth::refresh(config, base).await?;
    // Kick rotates refresh tokens: save before anyone uses the new access token.
    let saved = config.store.save(config.client_id(), &token).await;
    if let Err(e) = &saved {
        tracing::warn!(error = %e, "could not save the refreshed user token");
    }
    Ok(Renewed::Refreshed(token, saved))
}

impl fmt::Debug for TokenManager {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenManager")
            .field("config", &self.config)
            .field("app_token", &self.app.current())
            .field("user_token", &self.user.current())
            .finish()
    }
}
