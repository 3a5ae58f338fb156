//! kickrs: a Rust client for the Kick.com public API (crate docs are written in the foundation work).

pub mod auth;
pub mod webhooks;

#[cfg(feature = "mock")]
pub mod mock;
