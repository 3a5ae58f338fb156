//! OAuth 2.1 + PKCE login, app and user tokens, refresh and token stores.
//!
//! (Placeholder on `main` until the auth work lands: just the types the client is wired to.)

mod error;
mod manager;
mod methods;
mod token;

pub use error::AuthError;
pub(crate) use manager::{AuthConfig, TokenManager};
pub use token::{AccessToken, Scope, TokenKind};
