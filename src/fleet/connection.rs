//! The connection every fleet store shares, and the errors of opening it.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use ::redis::aio::{ConnectionManager, ConnectionManagerConfig};

use crate::auth::StoreError;

/// Default prefix of every key kickrs writes.
pub const DEFAULT_KEY_PREFIX: &str = "kickrs:";

/// One connection to a Redis primary, shared by the stores made from it (cheap to clone). It
/// reconnects by itself when Redis was lost and is back.
///
/// ```no_run
/// # async fn demo() -> Result<(), kickrs::fleet::RedisError> {
/// let redis = kickrs::fleet::Redis::connect("redis://:password@127.0.0.1:6379/0").await?;
/// assert_eq!(redis.url(), "redis://:***@127.0.0.1:6379/0");
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Redis {
    pub(crate) conn: ConnectionManager,
    url: Arc<str>,
    prefix: Arc<str>,
}

/// Opening a Redis connection failed. The URL is given without its password.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum RedisError {
    /// The URL is not a Redis URL.
    #[error("invalid Redis URL {url}: {reason}")]
    InvalidUrl {
        /// The URL, password hidden.
        url: String,
        /// Why it was refused.
        reason: String,
    },
    /// Redis did not answer at this URL.
    #[error("Redis at {url} is unreachable: {message}")]
    Unreachable {
        /// The URL, password hidden.
        url: String,
        /// The connection error.
        message: String,
    },
}

impl Redis {
    /// Connects to the Redis at `url` (`redis://[user:password@]host:port[/db]`) and checks that it
    /// answers. Commands time out after 2 s, so a lost Redis fails calls instead of hanging them.
    ///
    /// # Errors
    /// [`RedisError::InvalidUrl`] or [`RedisError::Unreachable`], naming the URL without its password.
    pub async fn connect(url: &str) -> Result<Self, RedisError> {
        let shown = redact(url);
        let client = ::redis::Client::open(url)
            .map_err(|e| RedisError::InvalidUrl { url: shown.clone(), reason: scrub(&e.to_string(), url) })?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(2)))
            .set_response_timeout(Some(Duration::from_secs(2)))
            .set_number_of_retries(2)
            .set_max_delay(Duration::from_millis(500));
        let conn = ConnectionManager::new_with_config(client, config)
            .await
            .map_err(|e| RedisError::Unreachable { url: shown.clone(), message: scrub(&e.to_string(), url) })?;
        let redis = Self { conn, url: shown.into(), prefix: DEFAULT_KEY_PREFIX.into() };
        redis
            .ping()
            .await
            .map_err(|e| RedisError::Unreachable { url: redis.url().to_owned(), message: e.to_string() })?;
        Ok(redis)
    }

    /// Puts every key under `prefix` instead of `kickrs:` (e.g. one prefix per bot on a shared Redis).
    pub fn with_key_prefix(mut self, prefix: &str) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// The URL connected to, password hidden.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Checks that Redis answers.
    ///
    /// # Errors
    /// A transient [`StoreError`] when it does not.
    pub async fn ping(&self) -> Result<(), StoreError> {
        let mut conn = self.conn.clone();
        ::redis::cmd("PING").query_async::<String>(&mut conn).await.map_err(|e| self.error("PING", e))?;
        Ok(())
    }

    /// A token store keeping each client id's user and app tokens, and their leases, in this Redis.
    pub fn token_store(&self) -> super::RedisTokenStore {
        super::RedisTokenStore::new(self.clone())
    }

    /// A webhook dedup store in this Redis; a message id is remembered for `window` (use the
    /// verifier's freshness window: an older delivery is refused as stale anyway).
    pub fn dedup_store(&self, window: Duration) -> super::RedisDedupStore {
        super::RedisDedupStore::new(self.clone(), window)
    }

    /// A request budget of `limit` requests per `window` for `client_id`'s app token and, apart,
    /// for its user token, shared by every process using this Redis.
    pub fn rate_limiter(&self, client_id: &str, limit: u32, window: Duration) -> super::RedisRateLimiter {
        super::RedisRateLimiter::new(self.clone(), client_id, limit, window)
    }

    /// `<prefix><what>:<id>`.
    pub(crate) fn key(&self, what: &str, id: &str) -> String {
        format!("{}{what}:{id}", self.prefix)
    }

    /// A store error for a failed command: transient when Redis was out of reach or too slow. The
    /// message names the command and the URL, never a value.
    pub(crate) fn error(&self, command: &str, error: ::redis::RedisError) -> StoreError {
        let transient = error.is_io_error()
            || error.is_connection_dropped()
            || error.is_connection_refusal()
            || error.is_timeout()
            || error.is_unrecoverable_error();
        let kind = if transient { "unreachable" } else { "refused the command" };
        let failure = StoreError::new(format!("Redis at {} {kind} ({command}): {:?}", self.url, error.kind()));
        if transient { failure.transient() } else { failure }
    }
}

impl fmt::Debug for Redis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Redis").field("url", &self.url).field("prefix", &self.prefix).finish_non_exhaustive()
    }
}

/// `url` with its password replaced by `***` (the whole URL hidden when it does not parse, as it
/// might still hold one).
pub(crate) fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) => {
            if parsed.password().is_some() {
                let _ = parsed.set_password(Some("***"));
            }
            parsed.to_string()
        }
        Err(_) => "<unparseable URL>".to_owned(),
    }
}

/// `message` without the raw URL or its password, in case a driver message quotes them.
fn scrub(message: &str, url: &str) -> String {
    let mut message = message.replace(url, &redact(url));
    if let Ok(parsed) = url::Url::parse(url)
        && let Some(password) = parsed.password().filter(|p| !p.is_empty())
    {
        message = message.replace(password, "***");
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_never_shows_in_the_url_or_a_message() {
        assert_eq!(redact("redis://:hunter2@10.0.0.1:6379/1"), "redis://:***@10.0.0.1:6379/1");
        assert_eq!(redact("redis://bot:hunter2@redis/"), "redis://bot:***@redis/");
        assert_eq!(redact("redis://127.0.0.1:6379/"), "redis://127.0.0.1:6379/");
        assert_eq!(redact("not a url hunter2"), "<unparseable URL>");
        let scrubbed = scrub("failed: redis://:hunter2@h/ said hunter2", "redis://:hunter2@h/");
        assert!(!scrubbed.contains("hunter2"), "{scrubbed}");
    }
}
