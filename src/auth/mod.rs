//! OAuth 2.1 + PKCE login, app and user tokens, refresh and token stores.
//!
//! Kick has two kinds of tokens ([`TokenKind`]): an **app token** (client_credentials), fetched on
//! first need and fetched again when it expires or is rejected, and a **user token**, obtained by an
//! interactive login (PKCE S256 with a loopback callback, or [`PendingLogin`] for web apps that
//! receive the callback themselves) or set by hand, refreshed shortly before it expires and once
//! after a 401. Every renewal is single-flight: concurrent requests that find a token stale cause one
//! token request. New user tokens are saved to the [`TokenStore`] before they are used, because Kick
//! rotates refresh tokens.
//!
//! Secrets (client secret, access and refresh tokens, PKCE verifier, state) print as `[redacted]`
//! in `Debug` and never appear in errors or logs.

mod callback_server;
mod config;
mod error;
mod file_store;
mod http_adapter;
mod lease;
mod login;
mod manager;
mod methods;
mod oauth;
mod scope;
mod shared_app;
mod single_flight;
mod store;
mod token;
mod token_admin;
mod token_response;

#[cfg(test)]
mod tests;

pub use config::{AuthOptions, DEFAULT_REFRESH_MARGIN};
pub use error::{AuthError, StoreError};
pub use file_store::FileTokenStore;
pub use lease::{DEFAULT_REFRESH_LEASE, RefreshLease};
pub use login::{LoginOptions, PendingLogin};
pub use scope::Scope;
pub use store::{CallbackTokenStore, MemoryTokenStore, TokenStore};
pub use token::{AccessToken, AppToken, REFRESH_TOKEN_LIFETIME, RefreshToken, TokenKind, UserToken};
pub use token_admin::{TokenHint, TokenIntrospection};

pub(crate) use config::{AuthConfig, AuthSettings};
pub(crate) use manager::{TokenManager, bearer_header};
