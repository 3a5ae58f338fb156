//! Where user tokens are kept between runs: the [`TokenStore`] trait, an in-memory store and a
//! callback store. The file store lives in `file_store.rs`.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use futures::future::BoxFuture;

use super::{StoreError, UserToken};

/// Keeps the user token of each client id.
///
/// The client loads the token once, on first need, and saves every new token (login, refresh,
/// [`set_user_token`](crate::auth)) **before** using it: Kick rotates refresh tokens, so a token that
/// was used but not saved could be lost for good.
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
}

/// Keeps tokens in memory only (the default): nothing survives the process.
///
/// Clones share the same tokens, so one store can be given to several clients.
#[derive(Clone, Default)]
pub struct MemoryTokenStore {
    tokens: Arc<Mutex<HashMap<String, UserToken>>>,
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
}

type SaveHook = dyn Fn(&str, &UserToken) -> Result<(), StoreError> + Send + Sync;

/// Hands every new user token to a closure, for applications that keep tokens elsewhere.
///
/// `initial` is what [`TokenStore::load`] returns (e.g. a token read from your own storage).
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
    on_save: Arc<SaveHook>,
}

impl CallbackTokenStore {
    /// A store that loads `initial` and calls `on_save` with each new token.
    pub fn new(
        initial: Option<UserToken>,
        on_save: impl Fn(&str, &UserToken) -> Result<(), StoreError> + Send + Sync + 'static,
    ) -> Self {
        Self { initial, on_save: Arc::new(on_save) }
    }
}

impl fmt::Debug for CallbackTokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallbackTokenStore").field("initial", &self.initial).finish_non_exhaustive()
    }
}

impl TokenStore for CallbackTokenStore {
    fn load<'a>(&'a self, _client_id: &'a str) -> BoxFuture<'a, Result<Option<UserToken>, StoreError>> {
        Box::pin(async move { Ok(self.initial.clone()) })
    }

    fn save<'a>(&'a self, client_id: &'a str, token: &'a UserToken) -> BoxFuture<'a, Result<(), StoreError>> {
        let result = (self.on_save)(client_id, token);
        Box::pin(async move { result })
    }
}
