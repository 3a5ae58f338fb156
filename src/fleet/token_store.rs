//! [`RedisTokenStore`]: user and app tokens, and their leases, in Redis.

use std::sync::LazyLock;
use std::time::Duration;

use ::redis::AsyncCommands as _;
use futures::future::BoxFuture;

use super::Redis;
use crate::auth::{AppToken, RefreshLease, StoreError, TokenStore, UserToken};

/// Deletes the lease only if it still holds this holder's id (a lease that expired and was taken
/// by another process stays theirs).
static RELEASE: LazyLock<::redis::Script> = LazyLock::new(|| {
    ::redis::Script::new(
        "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end",
    )
});

/// A [`TokenStore`] in Redis, for processes on any number of machines.
///
/// Keys (prefix `kickrs:` by default): `kickrs:user-token:<client id>` holds the user token as
/// JSON, `kickrs:refresh-lease:<client id>` the refresh lease, taken with `SET NX PX` (it expires
/// by itself if its holder dies) and released with a compare-and-delete script.
/// `kickrs:app-token:<client id>` holds the app token, expiring with it, and
/// `kickrs:app-token-lease:<client id>` the lease of fetching one, so the fleet asks Kick for one
/// app token. Tokens appear in values only: never in key names, logs or errors.
///
/// ```no_run
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use kickrs::auth::AuthOptions;
/// let redis = kickrs::fleet::Redis::connect("redis://127.0.0.1:6379/").await?;
/// let options = AuthOptions::default().token_store(redis.token_store());
/// # let _ = options;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct RedisTokenStore {
    redis: Redis,
}

impl RedisTokenStore {
    /// A store on `redis` (same as [`Redis::token_store`]).
    pub fn new(redis: Redis) -> Self {
        Self { redis }
    }
}

impl RedisTokenStore {
    /// Takes the lease in `key` for `ttl` (`SET NX PX`), or `None` while another holder has it.
    async fn take_lease(&self, key: String, ttl: Duration) -> Result<Option<RefreshLease>, StoreError> {
        let lease = RefreshLease::new();
        let ttl_ms = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1);
        let mut conn = self.redis.conn.clone();
        let taken: Option<String> = ::redis::cmd("SET")
            .arg(key)
            .arg(lease.id())
            .arg("NX")
            .arg("PX")
            .arg(ttl_ms)
            .query_async(&mut conn)
            .await
            .map_err(|e| self.redis.error("SET NX PX", e))?;
        Ok(taken.map(|_| lease))
    }

    /// Deletes the lease in `key` if it is still `lease`.
    async fn give_back(&self, key: String, lease: RefreshLease) -> Result<(), StoreError> {
        let mut conn = self.redis.conn.clone();
        let _deleted: i64 = RELEASE
            .key(key)
            .arg(lease.id())
            .invoke_async(&mut conn)
            .await
            .map_err(|e| self.redis.error("lease release script", e))?;
        Ok(())
    }
}

impl TokenStore for RedisTokenStore {
    fn load<'a>(&'a self, client_id: &'a str) -> BoxFuture<'a, Result<Option<UserToken>, StoreError>> {
        Box::pin(async move {
            let mut conn = self.redis.conn.clone();
            let json: Option<Vec<u8>> =
                conn.get(self.redis.key("user-token", client_id)).await.map_err(|e| self.redis.error("GET", e))?;
            let Some(json) = json else { return Ok(None) };
            // serde_json's message could quote a token value, so only the location is reported.
            serde_json::from_slice(&json).map(Some).map_err(|e| {
                StoreError::new(format!(
                    "the user token of {client_id} in Redis is not a kickrs token (invalid at column {})",
                    e.column()
                ))
            })
        })
    }

    fn save<'a>(&'a self, client_id: &'a str, token: &'a UserToken) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let json = serde_json::to_vec(token).map_err(|e| StoreError::with_source("encoding the token", e))?;
            let mut conn = self.redis.conn.clone();
            let () = conn
                .set(self.redis.key("user-token", client_id), json)
                .await
                .map_err(|e| self.redis.error("SET", e))?;
            Ok(())
        })
    }

    fn try_lease<'a>(
        &'a self,
        client_id: &'a str,
        ttl: Duration,
    ) -> BoxFuture<'a, Result<Option<RefreshLease>, StoreError>> {
        Box::pin(self.take_lease(self.redis.key("refresh-lease", client_id), ttl))
    }

    fn release<'a>(&'a self, client_id: &'a str, lease: RefreshLease) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(self.give_back(self.redis.key("refresh-lease", client_id), lease))
    }

    fn load_app_token<'a>(&'a self, client_id: &'a str) -> BoxFuture<'a, Result<Option<AppToken>, StoreError>> {
        Box::pin(async move {
            let mut conn = self.redis.conn.clone();
            let json: Option<Vec<u8>> =
                conn.get(self.redis.key("app-token", client_id)).await.map_err(|e| self.redis.error("GET", e))?;
            let Some(json) = json else { return Ok(None) };
            // As for the user token: the location only, never the value.
            serde_json::from_slice(&json).map(Some).map_err(|e| {
                StoreError::new(format!(
                    "the app token of {client_id} in Redis is not a kickrs token (invalid at column {})",
                    e.column()
                ))
            })
        })
    }

    fn save_app_token<'a>(&'a self, client_id: &'a str, token: &'a AppToken) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            // The key lives as long as the token: Redis drops it when it expires.
            let ttl_ms = u64::try_from(token.time_left().as_millis()).unwrap_or(u64::MAX);
            if ttl_ms == 0 {
                return Ok(());
            }
            let json = serde_json::to_vec(token).map_err(|e| StoreError::with_source("encoding the token", e))?;
            let mut conn = self.redis.conn.clone();
            let () = conn
                .pset_ex(self.redis.key("app-token", client_id), json, ttl_ms)
                .await
                .map_err(|e| self.redis.error("SET PX", e))?;
            Ok(())
        })
    }

    fn try_app_lease<'a>(
        &'a self,
        client_id: &'a str,
        ttl: Duration,
    ) -> BoxFuture<'a, Result<Option<RefreshLease>, StoreError>> {
        Box::pin(self.take_lease(self.redis.key("app-token-lease", client_id), ttl))
    }

    fn release_app_lease<'a>(
        &'a self,
        client_id: &'a str,
        lease: RefreshLease,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(self.give_back(self.redis.key("app-token-lease", client_id), lease))
    }
}
