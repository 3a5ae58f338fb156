//! [`RedisRateLimiter`]: one request budget for every process of a fleet.

use std::sync::LazyLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use futures::future::BoxFuture;

use super::Redis;
use crate::auth::TokenKind;
use crate::client::{LocalRateLimiter, RateLimit};

/// A sliding log in a sorted set, checked and appended in one atomic script on Redis's clock:
/// entries older than the window go, then the request is counted if fewer than `limit` remain;
/// otherwise the script answers how many milliseconds until the oldest leaves the window.
static ADMIT: LazyLock<::redis::Script> = LazyLock::new(|| {
    ::redis::Script::new(
        r"
local t = redis.call('TIME')
-- Milliseconds: Lua passes numbers to Redis with 14 significant digits.
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window + 1000)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)
",
    )
});

/// A request budget shared through Redis: at most `limit` requests per `window` for the app token of
/// a client id and, apart, for its user token, whatever the number of processes. A request over
/// the budget waits until it fits; it never fails for it.
///
/// The budget is a sliding log (a sorted set per token kind, `kickrs:rate:<client id>:<app|user>`),
/// so no window of that length ever holds more than `limit` admissions. Each admission is counted
/// for `window + margin`: the margin (1/50 of the window, at least 100 ms; see
/// [`with_margin`](Self::with_margin)) absorbs the time from admission to arrival at Kick, so
/// Kick's own count stays within the budget too.
///
/// If Redis cannot be asked, the process falls back to an in-process limiter with the same budget
/// (logged), so calls keep flowing; the fleet as a whole may then exceed the budget until Redis is
/// back.
///
/// ```no_run
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use std::time::Duration;
/// let redis = kickrs::fleet::Redis::connect("redis://127.0.0.1:6379/").await?;
/// let client = kickrs::KickClient::builder()
///     .client_id("my-client-id")
///     .rate_limiter(redis.rate_limiter("my-client-id", 100, Duration::from_secs(10)))
///     .build()?;
/// # let _ = client;
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct RedisRateLimiter {
    redis: Redis,
    keys: [String; 2],
    limit: u32,
    window: Duration,
    margin: Duration,
    fallback: LocalRateLimiter,
    degraded: AtomicBool,
}

impl RedisRateLimiter {
    /// `limit` requests per `window` (both at least 1) for each token kind of `client_id`.
    pub fn new(redis: Redis, client_id: &str, limit: u32, window: Duration) -> Self {
        let limit = limit.max(1);
        let window = window.max(Duration::from_millis(1));
        let keys = [redis.key("rate", &format!("{client_id}:app")), redis.key("rate", &format!("{client_id}:user"))];
        Self {
            redis,
            keys,
            limit,
            window,
            margin: (window / 50).max(Duration::from_millis(100)),
            fallback: LocalRateLimiter::new(limit, window),
            degraded: AtomicBool::new(false),
        }
    }

    /// Counts each admission for `window + margin` instead of the default margin.
    pub fn with_margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    async fn wait(&self, kind: Option<TokenKind>) {
        let key = &self.keys[usize::from(kind == Some(TokenKind::User))];
        let window_ms = u64::try_from((self.window + self.margin).as_millis()).unwrap_or(u64::MAX).max(1);
        loop {
            let member = format!("{:032x}", rand::random::<u128>());
            let mut conn = self.redis.conn.clone();
            let answer: Result<u64, _> =
                ADMIT.key(key).arg(self.limit).arg(window_ms).arg(member).invoke_async(&mut conn).await;
            match answer {
                Ok(0) => {
                    if self.degraded.swap(false, Ordering::Relaxed) {
                        tracing::info!(url = self.redis.url(), "shared rate limit back on Redis");
                    }
                    return;
                }
                Ok(wait_ms) => tokio::time::sleep(Duration::from_millis(wait_ms)).await,
                Err(error) => {
                    if !self.degraded.swap(true, Ordering::Relaxed) {
                        let error = self.redis.error("rate limit script", error);
                        tracing::warn!(%error, "shared rate limit unavailable; limiting this process alone");
                    }
                    self.fallback.wait(kind).await;
                    return;
                }
            }
        }
    }
}

impl RateLimit for RedisRateLimiter {
    fn acquire(&self, kind: Option<TokenKind>) -> BoxFuture<'_, ()> {
        Box::pin(self.wait(kind))
    }
}
