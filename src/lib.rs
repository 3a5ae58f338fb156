//! # kickrs
//!
//! A Rust client for the [Kick.com](https://kick.com) public API, for bots, dashboards and broadcaster
//! tools. It offers what the Python library kickpy offers, under the same method names, but typed,
//! validated before anything is sent, safe under load, and testable offline.
//!
//! ## Common jobs
//!
//! ### Read public data (app token)
//!
//! [`KickClient::new`] takes your app's credentials; the app token is fetched on first need and renewed.
//! Ids are typed ([`ids`]): the ids an answer gives pass straight to the next call.
//!
//! ```no_run
//! # async fn demo() -> kickrs::Result<()> {
//! use kickrs::KickClient;
//! use kickrs::api::LivestreamsV2Options;
//!
//! let client = KickClient::new("client-id", "client-secret")?;
//! let channel = client.fetch_channel("xqc").await?;
//! println!("{}: {}", channel.slug, channel.stream_title);
//!
//! let options = LivestreamsV2Options { category_ids: vec![15.into()], ..Default::default() };
//! let page = client.fetch_livestreams_v2(options).await?;
//! for stream in &page.items {
//!     println!("{} viewers: {}", stream.viewer_count, stream.title);
//! }
//! # Ok(()) }
//! ```
//!
//! ### Act as a user (login, tokens)
//!
//! [`KickClient::authenticate`] runs the OAuth 2.1 + PKCE login in the browser; a token you stored
//! goes back in with [`KickClient::set_user_token`]. Tokens are refreshed before they expire, and kept in
//! a [`TokenStore`](auth::TokenStore) of your choice ([`auth`]).
//!
//! ```no_run
//! # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
//! use kickrs::auth::{LoginOptions, Scope};
//!
//! client.authenticate(&[Scope::ChatWrite, Scope::ModerationBan], LoginOptions::default()).await?;
//! client.send_chat_message("hello from kickrs", Default::default()).await?;
//! # Ok(()) }
//! ```
//!
//! ### Receive webhooks
//!
//! A [`Dispatcher`](webhooks::Dispatcher) verifies each delivery (signature, freshness, replays), decodes
//! it into its payload type ([`webhooks::events`]) and runs your handler; with feature `webhooks-axum`,
//! [`WebhookServer`](webhooks::axum::WebhookServer) serves it. Subscribe with
//! [`KickClient::ensure_subscriptions`].
//!
//! ```no_run
//! # #[cfg(feature = "webhooks-axum")]
//! # async fn demo(client: kickrs::KickClient) -> Result<(), Box<dyn std::error::Error>> {
//! use kickrs::webhooks::axum::WebhookServer;
//! use kickrs::webhooks::events::ChatMessageSent;
//! use kickrs::webhooks::{Delivered, Dispatcher};
//!
//! /// Handlers are plain async functions; the client arrives as the dispatcher's state.
//! async fn on_chat(message: Delivered<ChatMessageSent, kickrs::KickClient>) -> Result<(), kickrs::webhooks::BoxError> {
//!     if message.content == "!ping" {
//!         message.state.send_chat_message("pong", Default::default()).await?;
//!     }
//!     Ok(())
//! }
//!
//! let verifier = client.webhook_verifier().await?;
//! let dispatcher = Dispatcher::new(verifier).with_state(client).on::<ChatMessageSent>(on_chat);
//! let _server = WebhookServer::new(dispatcher).path("/kick/webhooks").listen().await?;
//! # Ok(()) }
//! ```
//!
//! ### Test with MockKick (feature `mock`)
//!
//! `kickrs::mock::MockKick` is a fake Kick (API, OAuth and webhook deliveries) on a local port, seeded with
//! a few channels: point a client at it and run your code offline.
//!
//! ```
//! # #[cfg(feature = "mock")]
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use kickrs::auth::Scope;
//! use kickrs::mock::{MockKick, seed};
//!
//! let mock = MockKick::start().await;
//! let app = mock.client()?; // app credentials
//! assert_eq!(app.fetch_channel("auroralive").await?.broadcaster_user_id, seed::AURORA_ID);
//!
//! let client = mock.user_client(seed::AURORA_ID, &[Scope::ChatWrite]).await?; // logged in
//! client.send_chat_message("hello", Default::default()).await?;
//! let sent = mock.chat_messages().pop().map(|message| message.content);
//! assert_eq!(sent.as_deref(), Some("hello"));
//! # mock.shutdown().await;
//! # Ok(()) }
//! # #[cfg(not(feature = "mock"))]
//! # fn main() {}
//! ```
//!
//! ### Run a fleet (feature `redis`)
//!
//! Processes of one bot share the user token, webhook dedup and the request budget through one Redis
//! (`kickrs::fleet`): one refresh per fleet, each delivery handled once, one rate limit.
//!
//! ```no_run
//! # #[cfg(feature = "redis")]
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use std::time::Duration;
//!
//! use kickrs::KickClient;
//! use kickrs::auth::AuthOptions;
//! use kickrs::fleet::Redis;
//!
//! let redis = Redis::connect("redis://redis.internal:6379/").await?;
//! let client = KickClient::builder()
//!     .client_id("client-id")
//!     .client_secret("client-secret")
//!     .auth_options(AuthOptions::default().token_store(redis.token_store()))
//!     .rate_limiter(redis.rate_limiter("client-id", 100, Duration::from_secs(60)))
//!     .build()?;
//! # Ok(()) }
//! ```
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
//! * `fleet` (feature `redis`): token store, webhook dedup and rate limiter shared through Redis.
//!
//! Each type has one name: no two public types or traits share one (checked in CI), so an import never
//! needs an alias.
#![cfg_attr(docsrs, feature(doc_cfg))]
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
    RateLimit, RetryPolicy, TlsRootCertificate, http_client_builder, http_client_builder_trusting,
};
pub use error::{Error, Result, TransportError};

// Compiles the README's example as a doctest, so it cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
