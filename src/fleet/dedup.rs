//! [`RedisDedupStore`]: webhook message ids shared by every receiver.

use std::sync::LazyLock;
use std::time::Duration;

use ::redis::AsyncCommands as _;
use chrono::{DateTime, Utc};
use futures::future::BoxFuture;

use super::Redis;
use crate::auth::StoreError;
use crate::webhooks::{DedupStore, Reservation};

const PENDING: &str = "pending";
const DONE: &str = "done";

/// Reserves the id with `SET NX EX` and otherwise says what holds it, in one round trip.
static RESERVE: LazyLock<::redis::Script> = LazyLock::new(|| {
    ::redis::Script::new(
        "if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2]) then return 'reserved' end \
         return redis.call('GET', KEYS[1]) or 'reserved-again'",
    )
});

/// Drops a reservation that is still pending (never a completed one).
static RELEASE: LazyLock<::redis::Script> = LazyLock::new(|| {
    ::redis::Script::new(
        "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end",
    )
});

/// A [`DedupStore`] in Redis shared by every webhook receiver: a delivery in flight on one replica
/// is answered "in progress" (503, Kick retries) on the others, and a handled one "already handled".
///
/// Key `kickrs:webhook:<message id>` holds `pending` or `done` and expires after the window (a
/// replica that dies mid-handler frees its reservation then).
///
/// ```no_run
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use std::sync::Arc;
/// use kickrs::webhooks::{DEFAULT_FRESHNESS_WINDOW, Verifier};
/// let redis = kickrs::fleet::Redis::connect("redis://127.0.0.1:6379/").await?;
/// let verifier = Verifier::new().with_dedup_store(Arc::new(redis.dedup_store(DEFAULT_FRESHNESS_WINDOW)));
/// # let _ = verifier;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct RedisDedupStore {
    redis: Redis,
    window_secs: u64,
}

impl RedisDedupStore {
    /// A store on `redis` remembering each id for `window` (at least 1 s).
    pub fn new(redis: Redis, window: Duration) -> Self {
        Self { redis, window_secs: window.as_secs().max(1) }
    }
}

impl DedupStore for RedisDedupStore {
    fn reserve<'a>(
        &'a self,
        message_id: &'a str,
        _now: DateTime<Utc>,
    ) -> BoxFuture<'a, Result<Reservation, StoreError>> {
        Box::pin(async move {
            let mut conn = self.redis.conn.clone();
            let state: String = RESERVE
                .key(self.redis.key("webhook", message_id))
                .arg(PENDING)
                .arg(self.window_secs)
                .invoke_async(&mut conn)
                .await
                .map_err(|e| self.redis.error("reserve script", e))?;
            Ok(match state.as_str() {
                DONE => Reservation::AlreadyHandled,
                PENDING => Reservation::InProgress,
                // `reserved`, or the key expired between SET and GET: the caller may try again.
                "reserved" => Reservation::Reserved,
                _ => Reservation::InProgress,
            })
        })
    }

    fn complete<'a>(&'a self, message_id: &'a str, _now: DateTime<Utc>) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let mut conn = self.redis.conn.clone();
            let () = conn
                .set_ex(self.redis.key("webhook", message_id), DONE, self.window_secs)
                .await
                .map_err(|e| self.redis.error("SET EX", e))?;
            Ok(())
        })
    }

    fn release<'a>(&'a self, message_id: &'a str) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let mut conn = self.redis.conn.clone();
            let _deleted: i64 = RELEASE
                .key(self.redis.key("webhook", message_id))
                .arg(PENDING)
                .invoke_async(&mut conn)
                .await
                .map_err(|e| self.redis.error("release script", e))?;
            Ok(())
        })
    }
}
