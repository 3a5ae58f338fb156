//! Running several processes as one bot (feature `redis`): one Redis primary holds what they share.
//!
//! - [`RedisTokenStore`]: the user and app tokens of each client id, and their leases, so the fleet
//!   refreshes once, fetches one app token, and every process uses the rotated token;
//! - [`RedisDedupStore`]: webhook message ids reserved and handled, so a delivery runs once across
//!   every receiver;
//! - [`RedisRateLimiter`]: one request budget per app and per user token for all processes.
//!
//! Connect once per process with [`Redis::connect`] and make the three from it:
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use std::time::Duration;
//! use kickrs::KickClient;
//! use kickrs::auth::AuthOptions;
//! use kickrs::fleet::Redis;
//!
//! let redis = Redis::connect("redis://127.0.0.1:6379/").await?;
//! let client = KickClient::builder()
//!     .client_id("my-client-id")
//!     .client_secret("my-secret")
//!     .auth_options(AuthOptions::default().token_store(redis.token_store()))
//!     .rate_limiter(redis.rate_limiter("my-client-id", 100, Duration::from_secs(60)))
//!     .build()?;
//! # let _ = client;
//! # Ok(())
//! # }
//! ```
//!
//! Redis crate: `redis` (redis-rs, the maintained Rust client), with its Tokio connection manager,
//! which reconnects by itself after Redis comes back.

mod connection;
mod dedup;
mod rate_limit;
mod token_store;

pub use connection::{Redis, RedisError};
pub use dedup::RedisDedupStore;
pub use rate_limit::RedisRateLimiter;
pub use token_store::RedisTokenStore;
