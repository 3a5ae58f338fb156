//! Where tokens are kept between runs and shared between clients: the [`TokenStore`] trait, an
//! in-memory store and a callback store. The file store lives in `file_store.rs`, the lease in `lease.rs`.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::future::BoxFuture;

use super::lease::LocalLeases;
use super::{AppToken, RefreshLease, StoreError, UserToken};

/// Keeps the user token (and, if it can, the app token) of each client id.
///
/// The client loads the token once, on first need, and saves every new token (login, refresh,
/// [`set_user_token`](crate::auth)) **before** using it: Kick rotates refresh tokens, so a token that
/// was used but not saved could be lost for good.
///
/// The store is treated as **shared**: several clients, in one process or many, may use it for
/// the same client id. Before refreshing, the client rereads the store (another one may have
/// refreshed already) and takes the client id's refresh lease ([`try_lease`](Self::try_lease)),
/// so one refresh happens per store, not per process. A store shared between processes must
/// implement the lease across them; the default lease is granted at once, which is right only for
/// a store no other process writes.
///
/// The app token (client_credentials) is shared the same way when the store keeps it
/// ([`load_app_token`](Self::load_app_token) and the app lease): the fleet then asks Kick for one
/// app token instead of one per process. The defaults keep nothing, so a store that implements
/// only the user token still works, with one app token per process.
///
/// Implement it to keep tokens in a database, keyring, etc. Futures are boxed so the trait can be
/// used as `Arc<dyn TokenStore>`:
///
/// ```
/// use futures::future::BoxFuture;
/// use kickrs::auth::{StoreError, TokenStore, UserToken};
///
/// #[derive(Debug)]
/// struct NoStore;
///
/// impl TokenStore for NoStore {
///     fn load<'a>(&'a self, _client_id: &'a str) -> BoxFuture<'a, Result<Option<UserToken>, StoreError>> {
///         Box::pin(async { Ok(None) })
///     }
///     fn save<'a>(&'a self, _client_id: &'a str, _token: &'a UserToken) -> BoxFuture<'a, Result<(), StoreError>> {
///         Box::pin(async { Ok(()) })
///     }
/// }
/// ```
pub trait TokenStore: Send + Sync + fmt::Debug {
    /// The saved user token of `client_id`, if any.
    fn load<'a>(&'a self, client_id: &'a str) -> BoxFuture<'a, Result<Option<UserToken>, StoreError>>;

    /// Saves (replaces) the user token of `client_id`.
    fn save<'a>(&'a self, client_id: &'a str, token: &'a UserToken) -> BoxFuture<'a, Result<(), StoreError>>;

    /// Takes the refresh lease of `client_id` for at most `ttl`, or `Ok(None)` while another holder
    /// has it. Only the holder refreshes; the others wait for the token it saves.
    ///
    /// The default grants every request: enough for a store that only this process uses (the
    /// client already refreshes once per process).
    fn try_lease<'a>(
        &'a self,
        _client_id: &'a str,
        _ttl: Duration,
    ) -> BoxFuture<'a, Result<Option<RefreshLease>, StoreError>> {
        Box::pin(async { Ok(Some(RefreshLease::new())) })
    }

    /// Gives back a lease from [`try_lease`](Self::try_lease); a lease that expired and was taken
    /// by another holder meanwhile stays theirs.
    fn release<'a>(&'a self, _client_id: &'a str, lease: RefreshLease) -> BoxFuture<'a, Result<(), StoreError>> {
        drop(lease);
        Box::pin(async { Ok(()) })
    }

    /// The saved app token of `client_id`, if any (it may be expired: the client checks). The
    /// default keeps none, so each process fetches its own.
    fn load_app_token<'a>(&'a self, _client_id: &'a str) -> BoxFuture<'a, Result<Option<AppToken>, StoreError>> {
        Box::pin(async { Ok(None) })
    }

    /// Saves (replaces) the app token of `client_id`. The default keeps nothing.
    fn save_app_token<'a>(
        &'a self,
        _client_id: &'a str,
        _token: &'a AppToken,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async { Ok(()) })
    }

    /// Takes the app-token lease of `client_id` (apart from the refresh lease) for at most `ttl`,
    /// or `Ok(None)` while another holder has it: only the holder asks Kick for an app token. The
    /// default grants every request, as [`try_lease`](Self::try_lease) does.
    fn try_app_lease<'a>(
        &'a self,
        _client_id: &'a str,
        _ttl: Duration,
    ) -> BoxFuture<'a, Result<Option<RefreshLease>, StoreError>> {
        Box::pin(async { Ok(Some(RefreshLease::new())) })
    }

    /// Gives back a lease from [`try_app_lease`](Self::try_app_lease).
    fn release_app_lease<'a>(
        &'a self,
        _client_id: &'a str,
        lease: RefreshLease,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        drop(lease);
        Box::pin(async { Ok(()) })
    }
}

/// Keeps tokens in memory only (the default): nothing survives the process.
///
/// Clones share the same tokens and leases, so one store can be given to several clients of one
/// process and they refresh once, and fetch one app token, between them.
#[derive(Clone, Default)]
pub struct MemoryTokenStore {
    tokens: Arc<Mutex<HashMap<String, UserToken>>>,
    app_tokens: Arc<Mutex<HashMap<String, AppToken>>>,
    leases: LocalLeases,
    app_leases: LocalLeases,
}

impl MemoryTokenStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn tokens(&self) -> std::sync::MutexGuard<'_, HashMap<String, UserToken>> {
        // A panic while holding this lock cannot leave a map half-updated, so poison is harmless.
        self.tokens.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl fmt::Debug for MemoryTokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryTokenStore").field("client_ids", &self.tokens().keys().collect::<Vec<_>>()).finish()
    }
}

impl TokenStore for MemoryTokenStore {
    fn load<'a>(&'a self, client_id: &'a str) -> BoxFuture<'a, Result<Option<UserToken>, StoreError>> {
        let token = self.tokens().get(client_id).cloned();
        Box::pin(async move { Ok(token) })
    }

    fn save<'a>(&'a self, client_id: &'a str, token: &'a UserToken) -> BoxFuture<'a, Result<(), StoreError>> {
        self.tokens().insert(client_id.to_owned(), token.clone());
        Box::pin(async { Ok(()) })
    }

    fn try_lease<'a>(
        &'a self,
        client_id: &'a str,
        ttl: Duration,
    ) -> BoxFuture<'a, Result<Option<RefreshLease>, StoreError>> {
        let lease = self.leases.try_take(client_id, ttl);
        Box::pin(async move { Ok(lease) })
    }

    fn release<'a>(&'a self, client_id: &'a str, lease: RefreshLease) -> BoxFuture<'a, Result<(), StoreError>> {
        self.leases.release(client_id, &lease);
        Box::pin(async { Ok(()) })
    }

    fn load_app_token<'a>(&'a self, client_id: &'a str) -> BoxFuture<'a, Result<Option<AppToken>, StoreError>> {
        let token = self.app_tokens.lock().unwrap_or_else(|e| e.into_inner()).get(client_id).cloned();
        Box::pin(async move { Ok(token) })
    }

    fn save_app_token<'a>(&'a self, client_id: &'a str, token: &'a AppToken) -> BoxFuture<'a, Result<(), StoreError>> {
        self.app_tokens.lock().unwrap_or_else(|e| e.into_inner()).insert(client_id.to_owned(), token.clone());
        Box::pin(async { Ok(()) })
    }

    fn try_app_lease<'a>(
        &'a self,
        client_id: &'a str,
        ttl: Duration,
    ) -> BoxFuture<'a, Result<Option<RefreshLease>, StoreError>> {
        let lease = self.app_leases.try_take(client_id, ttl);
        Box::pin(async move { Ok(lease) })
    }

    fn release_app_lease<'a>(
        &'a self,
        client_id: &'a str,
        lease: RefreshLease,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        self.app_leases.release(client_id, &lease);
        Box::pin(async { Ok(()) })
    }
}

type SaveHook = dyn Fn(&str, &UserToken) -> Result<(), StoreError> + Send + Sync;

/// Hands every new user token to a closure, for applications that keep tokens elsewhere.
///
/// `initial` is what [`TokenStore::load`] returns (e.g. a token read from your own storage) until
/// a token is saved; then `load` returns the last token saved through this store (clones share
/// it). Its refresh lease is kept in memory, so it serializes the refreshes of one process only:
/// for a fleet of processes, use a store they share (a file, Redis).
///
/// ```
/// use kickrs::auth::CallbackTokenStore;
/// let store = CallbackTokenStore::new(None, |client_id, token| {
///     println!("new token for {client_id}, expires {}", token.expires_at());
///     Ok(())
/// });
/// ```
#[derive(Clone)]
pub struct CallbackTokenStore {
    initial: Option<UserToken>,
    saved: Arc<Mutex<HashMap<String, UserToken>>>,
    on_save: Arc<SaveHook>,
    leases: LocalLeases,
}

impl CallbackTokenStore {
    /// A store that loads `initial` and calls `on_save` with each new token.
    pub fn new(
        initial: Option<UserToken>,
        on_save: impl Fn(&str, &UserToken) -> Result<(), StoreError> + Send + Sync + 'static,
    ) -> Self {
        Self { initial, saved: Arc::default(), on_save: Arc::new(on_save), leases: LocalLeases::default() }
    }
}

impl fmt::Debug for CallbackTokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallbackTokenStore").field("initial", &self.initial).finish_non_exhaustive()
    }
}

impl TokenStore for CallbackTokenStore {
    fn load<'a>(&'a self, client_id: &'a str) -> BoxFuture<'a, Result<Option<UserToken>, StoreError>> {
        // The initial token's refresh token is dead once a refreshed token was saved.
        let saved = self.saved.lock().unwrap_or_else(|e| e.into_inner()).get(client_id).cloned();
        Box::pin(async move { Ok(saved.or_else(|| self.initial.clone())) })
    }

    fn save<'a>(&'a self, client_id: &'a str, token: &'a UserToken) -> BoxFuture<'a, Result<(), StoreError>> {
        let result = (self.on_save)(client_id, token);
        if result.is_ok() {
            self.saved.lock().unwrap_or_else(|e| e.into_inner()).insert(client_id.to_owned(), token.clone());
        }
        Box::pin(async move { result })
    }

    fn try_lease<'a>(
        &'a self,
        client_id: &'a str,
        ttl: Duration,
    ) -> BoxFuture<'a, Result<Option<RefreshLease>, StoreError>> {
        let lease = self.leases.try_take(client_id, ttl);
        Box::pin(async move { Ok(lease) })
    }

    fn release<'a>(&'a self, client_id: &'a str, lease: RefreshLease) -> BoxFuture<'a, Result<(), StoreError>> {
        self.leases.release(client_id, &lease);
        Box::pin(async { Ok(()) })
    }
}
