//! An optional client-side limit of requests per minute, per token kind, so a bot stays under Kick's
//! (unpublished) limits instead of hitting them.

use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::auth::TokenKind;

/// A token bucket per token kind: `per_minute` requests a minute, with bursts up to `per_minute`.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    per_minute: u32,
    buckets: [Mutex<Bucket>; 2],
}

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    refilled: Instant,
}

impl RateLimiter {
    pub(crate) fn new(per_minute: u32) -> Self {
        let per_minute = per_minute.max(1);
        let bucket = || Mutex::new(Bucket { tokens: f64::from(per_minute), refilled: Instant::now() });
        Self { per_minute, buckets: [bucket(), bucket()] }
    }

    /// Waits until a request with a token of `kind` may go out.
    pub(crate) async fn acquire(&self, kind: Option<TokenKind>) {
        let bucket = &self.buckets[usize::from(kind == Some(TokenKind::User))];
        let rate = f64::from(self.per_minute) / 60.0;
        loop {
            let wait = {
                let mut bucket = bucket.lock().await;
                let now = Instant::now();
                let earned = now.duration_since(bucket.refilled).as_secs_f64() * rate;
                bucket.tokens = (bucket.tokens + earned).min(f64::from(self.per_minute));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_burst_passes_then_requests_are_spaced_out() {
        let limiter = RateLimiter::new(60);
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
