//! [`RedisTokenStore`]: user tokens and refresh leases in Redis.

use std::sync::LazyLock;
use std::time::Duration;

use ::redis::AsyncCommands as _;
use futures::future::BoxFuture;

use super::Redis;
use crate::auth::{RefreshLease, StoreError, TokenStore, UserToken};

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
/// by itself if its holder dies) and released with a compare-and-delete script. Tokens appear in
/// values only: never in key names, logs or errors.
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
        Box::pin(async move {
            let lease = RefreshLease::new();
            let ttl_ms = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1);
            let mut conn = self.redis.conn.clone();
            let taken: Option<String> = ::redis::cmd("SET")
                .arg(self.redis.key("refresh-lease", client_id))
                .arg(lease.id())
                .arg("NX")
                .arg("PX")
                .arg(ttl_ms)
                .query_async(&mut conn)
                .await
                .map_err(|e| self.redis.error("SET NX PX", e))?;
            Ok(taken.map(|_| lease))
        })
    }

    fn release<'a>(&'a self, client_id: &'a str, lease: RefreshLease) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let mut conn = self.redis.conn.clone();
            let _deleted: i64 = RELEASE
                .key(self.redis.key("refresh-lease", client_id))
                .arg(lease.id())
                .invoke_async(&mut conn)
                .await
                .map_err(|e| self.redis.error("lease release script", e))?;
            Ok(())
        })
    }
}
