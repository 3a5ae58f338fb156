//! Client-side request budgets, so a bot stays under Kick's (unpublished) limits instead of hitting
//! them: the [`RateLimit`] trait the request pipeline asks before each request, and the in-process
//! [`LocalRateLimiter`]. A limiter shared by several processes lives in `kickrs::fleet`.

use std::fmt;
use std::time::Duration;

use futures::future::BoxFuture;
use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::auth::TokenKind;

/// Decides when a request may go out. The client calls [`acquire`](Self::acquire) once per request
/// on the wire (retries and resends included) and sends when it returns.
///
/// A limiter keeps a separate budget per token kind: one for the app token, one for the user token
/// (`None`: a request without a token, counted with the app's).
///
/// ```
/// use futures::future::BoxFuture;
/// use kickrs::RateLimit;
/// use kickrs::auth::TokenKind;
///
/// /// Lets everything through (what a client without a limiter does).
/// #[derive(Debug)]
/// struct Unlimited;
///
/// impl RateLimit for Unlimited {
///     fn acquire(&self, _kind: Option<TokenKind>) -> BoxFuture<'_, ()> {
///         Box::pin(async {})
///     }
/// }
/// let client = kickrs::KickClient::builder().rate_limiter(Unlimited).build().unwrap();
/// ```
pub trait RateLimit: Send + Sync + fmt::Debug {
    /// Waits until one more request with a token of `kind` fits the budget, and counts it.
    fn acquire(&self, kind: Option<TokenKind>) -> BoxFuture<'_, ()>;
}

/// An in-process budget: at most `limit` requests per `window` for each token kind, as a token
/// bucket (a burst of `limit`, then one request every `window / limit`). What
/// [`KickClientBuilder::rate_limit`](crate::KickClientBuilder::rate_limit) installs.
///
/// ```
/// use std::time::Duration;
/// use kickrs::LocalRateLimiter;
/// let limiter = LocalRateLimiter::new(100, Duration::from_secs(10));
/// let client = kickrs::KickClient::builder().rate_limiter(limiter).build().unwrap();
/// ```
#[derive(Debug)]
pub struct LocalRateLimiter {
    limit: u32,
    window: Duration,
    buckets: [Mutex<Bucket>; 2],
}

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    refilled: Instant,
}

impl LocalRateLimiter {
    /// At most `limit` requests per `window` for each token kind (both at least 1).
    pub fn new(limit: u32, window: Duration) -> Self {
        let limit = limit.max(1);
        let window = window.max(Duration::from_millis(1));
        let bucket = || Mutex::new(Bucket { tokens: f64::from(limit), refilled: Instant::now() });
        Self { limit, window, buckets: [bucket(), bucket()] }
    }

    /// `requests_per_minute` requests a minute for each token kind.
    pub fn per_minute(requests_per_minute: u32) -> Self {
        Self::new(requests_per_minute, Duration::from_secs(60))
    }

    /// Waits until a request with a token of `kind` may go out.
    pub(crate) async fn wait(&self, kind: Option<TokenKind>) {
        let bucket = &self.buckets[usize::from(kind == Some(TokenKind::User))];
        let rate = f64::from(self.limit) / self.window.as_secs_f64();
        loop {
            let wait = {
                let mut bucket = bucket.lock().await;
                let now = Instant::now();
                let earned = now.duration_since(bucket.refilled).as_secs_f64() * rate;
                bucket.tokens = (bucket.tokens + earned).min(f64::from(self.limit));
                bucket.refilled = now;
                if bucket.tokens >= 1.0 {
                    bucket.tokens -= 1.0;
                    return;
                }
                Duration::from_secs_f64((1.0 - bucket.tokens) / rate)
            };
            tokio::time::sleep(wait).await;
        }
    }
}

impl RateLimit for LocalRateLimiter {
    fn acquire(&self, kind: Option<TokenKind>) -> BoxFuture<'_, ()> {
        Box::pin(self.wait(kind))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_burst_passes_then_requests_are_spaced_out() {
        let limiter = LocalRateLimiter::per_minute(60);
        let start = Instant::now();
        for _ in 0..60 {
            limiter.acquire(Some(TokenKind::App)).await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
        limiter.acquire(Some(TokenKind::App)).await;
        limiter.acquire(Some(TokenKind::App)).await;
        assert!(start.elapsed() >= Duration::from_secs(2), "{:?}", start.elapsed());
        // The user token's bucket is separate and still full.
        let before = Instant::now();
        limiter.acquire(Some(TokenKind::User)).await;
        assert_eq!(before.elapsed(), Duration::ZERO);
    }
}
