//! # kickrs
//!
//! A Rust client for the [Kick.com](https://kick.com) public API, for bots, dashboards and broadcaster
//! tools. It offers what the Python library kickpy offers, under the same method names, but typed,
//! validated before anything is sent, safe under load, and testable offline.
//!
//! ## Layers
//!
//! * [`raw`]: bindings that `build.rs` generates with progenitor from Kick's own spec, vendored unchanged
//!   in `openapi/kick-swagger.yaml`, with the project's corrections kept as data in
//!   `openapi/corrections.overlay.yaml` (an OpenAPI Overlay). A new Kick spec is a file swap and a rebuild.
//!   The raw bindings stay reachable through [`KickClient::raw`] as an escape hatch; tokens are attached
//!   to raw calls too.
//! * The facade, [`KickClient`]: kickpy's method names, input validation ([`validate`]), token
//!   management ([`auth`]), pagination and one [`Error`] type. Its models ([`models`]) are the generated
//!   types.
//! * [`webhooks`]: verify, decode and dispatch Kick's signed webhook deliveries.
//! * `mock` (feature `mock`): `MockKick`, a real in-process fake of Kick's API and OAuth server for tests.
//!
//! ```no_run
//! # async fn demo() -> kickrs::Result<()> {
//! let client = kickrs::KickClient::new("client-id", "client-secret")?;
//! let stats = client.raw().fetch_livestream_stats().await;
//! # Ok(()) }
//! ```
#![warn(missing_docs)]
// Errors are the cold path, and one flat enum reads better in a `match` than boxed variants.
#![allow(clippy::result_large_err)]

// Generated models name typed ids as `::kickrs::ids::*` (typify's `x-rust-type` paths); this makes that
// path resolve inside the crate too.
extern crate self as kickrs;

pub mod api;
pub mod auth;
mod client;
pub mod error;
pub mod ids;
pub mod models;
pub mod raw;
pub mod validate;
pub mod webhooks;

#[cfg(feature = "redis")]
pub mod fleet;
#[cfg(feature = "mock")]
pub mod mock;

pub use client::{
    DEFAULT_MAX_ANSWER_BYTES, KICK_API_BASE_URL, KICK_OAUTH_BASE_URL, KickClient, KickClientBuilder, LocalRateLimiter,
    RateLimit, RetryPolicy,
};
pub use error::{Error, Result};

// Compiles the README's example as a doctest, so it cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
