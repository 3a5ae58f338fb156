//! The one retry policy: what is retried, how long to wait, when to give up.

use std::time::Duration;

use reqwest::{Method, StatusCode};

use crate::Error;
use crate::auth::AuthError;

/// How the client retries requests that Kick refused for a passing reason.
///
/// * 429: waits for `Retry-After` when Kick sends it (up to `max_retry_after`), otherwise backs off; a
///   429 that carries a machine code (`MAX_AD_BREAKS_REACHED`) is a quota refusal and is not retried.
/// * 502/503/504, timeouts and connection resets: retried for idempotent requests (GET, PATCH, DELETE).
/// * Writes that are not idempotent (`POST /chat`, creating rewards, subscribing, ...) are retried only when
///   the request provably never reached Kick: a connect error or a 429.
/// * A token request that fails the same passing way (429, 502/503/504, unreachable) is made again with
///   the same backoff: nothing went to the API yet, and a repeated token request is harmless.
///
/// ```
/// use std::time::Duration;
/// let policy = kickrs::RetryPolicy::default().max_attempts(5).base_backoff(Duration::from_millis(100));
/// let client = kickrs::KickClient::builder().client_id("id").client_secret("s").retry(policy).build().unwrap();
/// let no_retries = kickrs::RetryPolicy::off();
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    pub(crate) max_attempts: u32,
    pub(crate) base_backoff: Duration,
    pub(crate) max_backoff: Duration,
    pub(crate) max_retry_after: Duration,
    pub(crate) jitter: bool,
}

impl Default for RetryPolicy {
    /// 3 attempts, backoff from 250 ms doubling up to 10 s with jitter, honour `Retry-After` up to 60 s.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(60),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// No retries at all: every answer goes straight back to the caller.
    pub fn off() -> Self {
        Self { max_attempts: 1, ..Self::default() }
    }

    /// Total attempts including the first (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// First backoff; each retry doubles it.
    pub fn base_backoff(mut self, backoff: Duration) -> Self {
        self.base_backoff = backoff;
        self
    }

    /// Longest backoff between two attempts.
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// Longest `Retry-After` the client waits for; a longer one is returned to the caller as
    /// [`crate::Error::RateLimited`] at once.
    pub fn max_retry_after(mut self, wait: Duration) -> Self {
        self.max_retry_after = wait;
        self
    }

    /// Randomise backoffs (each wait drawn between half and all of it) so many clients do not retry in
    /// step (default on).
    pub fn jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    /// The wait before attempt `attempt + 1`, after `attempt` attempts failed.
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        let exponent = attempt.saturating_sub(1).min(16);
        let full = self.base_backoff.saturating_mul(1 << exponent).min(self.max_backoff);
        if self.jitter { full.mul_f64(rand::random_range(0.5..=1.0)) } else { full }
    }
}

/// What happened to one attempt, as far as retrying is concerned.
pub(crate) enum Outcome {
    /// An HTTP answer with this status and optional `Retry-After`.
    Answer(StatusCode, Option<Duration>),
    /// An answer no retry can change: a 429 that is a quota refusal with a machine code.
    Refused,
    /// No answer; `reached_kick` is false only when Kick provably did not process the request: the
    /// connection was never made, or HTTP/2 refused the request unprocessed.
    Failed { reached_kick: bool },
}

/// Whether a repeat of `method` is harmless on Kick (reads, updates that set a value, deletes).
pub(crate) fn idempotent(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::PUT | Method::PATCH | Method::DELETE)
}

impl RetryPolicy {
    /// How long to wait before retrying, or `None` to stop here.
    pub(crate) fn decide(&self, method: &Method, outcome: &Outcome, attempts_made: u32) -> Option<Duration> {
        if attempts_made >= self.max_attempts {
            return None;
        }
        match outcome {
            Outcome::Refused => None,
            Outcome::Answer(StatusCode::TOO_MANY_REQUESTS, Some(wait)) => {
                (*wait <= self.max_retry_after).then_some(*wait)
            }
            Outcome::Answer(StatusCode::TOO_MANY_REQUESTS, None) => Some(self.backoff(attempts_made)),
            Outcome::Answer(status, _) => {
                let passing = matches!(
                    *status,
                    StatusCode::BAD_GATEWAY | StatusCode::SERVICE_UNAVAILABLE | StatusCode::GATEWAY_TIMEOUT
                );
                (passing && idempotent(method)).then(|| self.backoff(attempts_made))
            }
            Outcome::Failed { reached_kick } => {
                (!reached_kick || idempotent(method)).then(|| self.backoff(attempts_made))
            }
        }
    }
}

impl RetryPolicy {
    /// How long to wait before asking the OAuth server again after `error`, or `None` to give up.
    pub(crate) fn decide_token(&self, error: &Error, attempts_made: u32) -> Option<Duration> {
        let passing = match error {
            Error::Auth(AuthError::Transport { .. }) => true,
            Error::Auth(AuthError::Store(store)) => store.is_transient(),
            Error::Auth(AuthError::AppTokenRefused { status, .. } | AuthError::RefreshRefused { status, .. }) => {
                matches!(status, 429 | 502..=504)
            }
            _ => false,
        };
        (passing && attempts_made < self.max_attempts).then(|| self.backoff(attempts_made))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn post_is_retried_only_when_kick_never_saw_it() {
        let policy = RetryPolicy::default().jitter(false);
        let post = Method::POST;
        assert!(policy.decide(&post, &Outcome::Answer(StatusCode::SERVICE_UNAVAILABLE, None), 1).is_none());
        assert!(policy.decide(&post, &Outcome::Answer(StatusCode::INTERNAL_SERVER_ERROR, None), 1).is_none());
        assert!(policy.decide(&post, &Outcome::Failed { reached_kick: true }, 1).is_none());
        assert!(policy.decide(&post, &Outcome::Failed { reached_kick: false }, 1).is_some());
        assert!(policy.decide(&post, &Outcome::Answer(StatusCode::TOO_MANY_REQUESTS, None), 1).is_some());
    }

    #[test]
    fn reads_are_retried_on_passing_failures_until_the_attempts_run_out() {
        let policy = RetryPolicy::default().max_attempts(3).jitter(false);
        let get = Method::GET;
        let busy = Outcome::Answer(StatusCode::SERVICE_UNAVAILABLE, None);
        assert_eq!(policy.decide(&get, &busy, 1), Some(Duration::from_millis(250)));
        assert_eq!(policy.decide(&get, &busy, 2), Some(Duration::from_millis(500)));
        assert_eq!(policy.decide(&get, &busy, 3), None);
        assert_eq!(policy.decide(&get, &Outcome::Answer(StatusCode::INTERNAL_SERVER_ERROR, None), 1), None);
    }

    #[test]
    fn retry_after_is_honoured_up_to_the_cap() {
        let policy = RetryPolicy::default().max_retry_after(Duration::from_secs(30));
        let get = Method::GET;
        let soon = Outcome::Answer(StatusCode::TOO_MANY_REQUESTS, Some(Duration::from_secs(7)));
        let late = Outcome::Answer(StatusCode::TOO_MANY_REQUESTS, Some(Duration::from_secs(31)));
        assert_eq!(policy.decide(&get, &soon, 1), Some(Duration::from_secs(7)));
        assert_eq!(policy.decide(&get, &late, 1), None);
    }

    #[test]
    fn token_requests_are_repeated_only_for_passing_failures() {
        let policy = RetryPolicy::default().jitter(false);
        let refused = |status| Error::Auth(AuthError::RefreshRefused { status, error: "x".into(), description: None });
        let source = crate::TransportError::from_reqwest(
            reqwest::Request::try_from(http::Request::new(reqwest::Body::from(""))).unwrap_err(),
        );
        let unreachable = Error::Auth(AuthError::Transport { url: "https://id.kick.com/oauth/token".into(), source });
        assert_eq!(policy.decide_token(&unreachable, 1), Some(Duration::from_millis(250)));
        assert_eq!(policy.decide_token(&refused(503), 2), Some(Duration::from_millis(500)));
        assert_eq!(policy.decide_token(&refused(503), 3), None, "attempts used up");
        assert_eq!(policy.decide_token(&refused(400), 1), None, "invalid_grant: log in again");
        assert_eq!(policy.decide_token(&refused(500), 1), None);
        assert_eq!(policy.decide_token(&Error::Auth(AuthError::NoRefreshToken), 1), None);
    }

    #[test]
    fn backoff_doubles_up_to_the_maximum() {
        let policy = RetryPolicy::default().jitter(false).max_backoff(Duration::from_secs(1));
        let waits: Vec<_> = (1..=4).map(|attempt| policy.backoff(attempt)).collect();
        assert_eq!(waits, [250, 500, 1000, 1000].map(Duration::from_millis));
    }
}
