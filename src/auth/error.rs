//! Errors of the OAuth flows, token requests and token stores.
//!
//! No variant carries a secret: token endpoint bodies are never echoed, only the `error` /
//! `error_description` fields an OAuth server sends, and transport errors are stripped of URLs.

use crate::TransportError;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// What went wrong while logging in, fetching, refreshing or storing a token.
///
/// `Clone` so that one failed token request can be handed to every caller that waited on it.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// The user (or Kick) refused the authorization; the callback carried `error`.
    #[error("authorization denied: {error}{}", describe(description))]
    Denied {
        /// The `error` query parameter of the callback (e.g. `access_denied`).
        error: String,
        /// The `error_description` query parameter, when present.
        description: Option<String>,
    },
    /// The callback's `state` did not match the one this login sent (possible CSRF or a stale tab).
    #[error("the callback's state does not match this login (possible CSRF or an old browser tab)")]
    StateMismatch,
    /// No callback arrived in time.
    #[error("no authorization callback within {} s", after.as_secs())]
    Timeout {
        /// How long the login waited.
        after: Duration,
    },
    /// The loopback callback port is taken by another program.
    #[error("port {port} on 127.0.0.1 is already in use; pick another port for the login callback")]
    PortInUse {
        /// The port that could not be bound.
        port: u16,
    },
    /// The loopback callback server could not start or failed (other than the port being taken).
    #[error("the login callback server failed: {message}")]
    CallbackServer {
        /// What failed.
        message: String,
    },
    /// The redirect URI given for the login is not usable.
    #[error("invalid redirect_uri {uri:?}: {reason}")]
    InvalidRedirectUri {
        /// The URI as given.
        uri: String,
        /// Why it was refused.
        reason: &'static str,
    },
    /// Kick refused to exchange the authorization code for a token.
    #[error("code exchange refused (HTTP {status}): {error}{}", describe(description))]
    ExchangeRefused {
        /// HTTP status of the token endpoint's answer.
        status: u16,
        /// The OAuth `error` (or `message`) field; empty when the body was empty.
        error: String,
        /// The `error_description` field, when present.
        description: Option<String>,
    },
    /// Kick refused to refresh the user token (e.g. `invalid_grant`: the user must log in again).
    #[error("token refresh refused (HTTP {status}): {error}{}", describe(description))]
    RefreshRefused {
        /// HTTP status of the token endpoint's answer.
        status: u16,
        /// The OAuth `error` (or `message`) field; empty when the body was empty.
        error: String,
        /// The `error_description` field, when present.
        description: Option<String>,
    },
    /// Kick refused to issue an app token (client_credentials): usually a wrong client id or secret.
    #[error("app token request refused (HTTP {status}): {error}{}", describe(description))]
    AppTokenRefused {
        /// HTTP status of the token endpoint's answer.
        status: u16,
        /// The OAuth `error` (or `message`) field; empty when the body was empty.
        error: String,
        /// The `error_description` field, when present.
        description: Option<String>,
    },
    /// Kick refused to revoke a token.
    #[error("token revocation refused (HTTP {status}): {error}{}", describe(description))]
    RevokeRefused {
        /// HTTP status of the answer.
        status: u16,
        /// The OAuth `error` (or `message`) field; empty when the body was empty.
        error: String,
        /// The `error_description` field, when present.
        description: Option<String>,
    },
    /// Kick refused to introspect a token.
    #[error("token introspection refused (HTTP {status}): {error}{}", describe(description))]
    IntrospectRefused {
        /// HTTP status of the answer.
        status: u16,
        /// The `error` or `message` field; empty when the body was empty.
        error: String,
        /// The `error_description` field, when present.
        description: Option<String>,
    },
    /// The user token has expired and there is no refresh token to renew it: log in again.
    #[error("the user token expired and has no refresh token; log in again")]
    NoRefreshToken,
    /// An answer of the OAuth server could not be read (the body itself is never included).
    #[error("unreadable answer from the OAuth server: {message}")]
    InvalidResponse {
        /// What was wrong, e.g. the JSON path of a field with the wrong type.
        message: String,
    },
    /// The OAuth server could not be reached, or the connection failed before the whole answer came
    /// (the cause, e.g. a timeout, is [`source`](std::error::Error::source)).
    #[error("request to the OAuth server {url} failed")]
    Transport {
        /// The URL asked (OAuth URLs carry no secret: tokens travel in bodies and headers).
        url: String,
        /// What failed (connect, TLS, timeout, reset).
        #[source]
        source: TransportError,
    },
    /// The OAuth server answered with a redirect (or the answer came from another origin). Not followed:
    /// the request carried credentials that may only go to the configured OAuth origin. Nothing from
    /// this answer is stored.
    #[error("the OAuth server answered {url} with a redirect (HTTP {status}) to {}; credentials are only sent to the configured OAuth origin, so it was not followed", location.as_deref().unwrap_or("nowhere"))]
    Redirected {
        /// The URL asked.
        url: String,
        /// The redirect status (0 when the request itself did not point at the OAuth origin).
        status: u16,
        /// The `Location` the server gave, when it gave one.
        location: Option<String>,
    },
    /// The OAuth server's answer was longer than kickrs reads from it (a token answer is a few hundred
    /// bytes); reading stopped at the limit.
    #[error("the answer of the OAuth server to {url} is over {limit} bytes; reading stopped there")]
    AnswerTooLarge {
        /// The URL asked.
        url: String,
        /// The most bytes read from an OAuth answer.
        limit: usize,
    },
    /// Another client sharing the token store held the refresh lease for longer than the lease
    /// allows and saved no usable token meanwhile.
    #[error("waited {} ms for another client's token refresh; none was saved", waited.as_millis())]
    LeaseTimeout {
        /// How long this client waited.
        waited: Duration,
    },
    /// Loading or saving a token in the configured [`TokenStore`](super::TokenStore) failed.
    #[error("token store: {0}")]
    Store(#[from] StoreError),
    /// The background task that requested a token stopped without an answer (runtime shut down).
    #[error("the token request was interrupted: {message}")]
    Interrupted {
        /// Why.
        message: String,
    },
}

impl AuthError {
    pub(crate) fn transport(url: &reqwest::Url, source: reqwest::Error) -> Self {
        let mut url = url.clone();
        url.set_query(None);
        // The URL is kept here, once; the source does not repeat it.
        AuthError::Transport { url: url.to_string(), source: TransportError::from_reqwest(source) }
    }

    /// True when the only way forward is a new interactive login (refresh token rejected or missing).
    pub fn needs_login(&self) -> bool {
        match self {
            AuthError::NoRefreshToken => true,
            AuthError::RefreshRefused { status, error, .. } => {
                error == "invalid_grant" || *status == 400 || *status == 401
            }
            _ => false,
        }
    }
}

fn describe(description: &Option<String>) -> String {
    match description {
        Some(text) if !text.is_empty() => format!(" ({text})"),
        _ => String::new(),
    }
}

/// A token store failed to load or save.
///
/// Built by [`TokenStore`](super::TokenStore) implementations; carries a message and optionally the
/// underlying error. Never contains a token.
#[derive(Clone)]
pub struct StoreError {
    message: String,
    source: Option<Arc<dyn std::error::Error + Send + Sync>>,
    transient: bool,
}

impl StoreError {
    /// A store error with a message only.
    pub fn new(message: impl Into<String>) -> Self {
        Self { message: message.into(), source: None, transient: false }
    }

    /// A store error caused by `source`.
    pub fn with_source(message: impl Into<String>, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self { message: message.into(), source: Some(Arc::new(source)), transient: false }
    }

    /// Marks the failure as passing (the store is out of reach for now, e.g. a lost connection):
    /// a token request that failed on it is tried again after a backoff.
    ///
    /// ```
    /// use kickrs::auth::StoreError;
    /// let error = StoreError::new("connection refused").transient();
    /// assert!(error.is_transient());
    /// ```
    pub fn transient(mut self) -> Self {
        self.transient = true;
        self
    }

    /// True for a failure marked [`transient`](Self::transient).
    pub fn is_transient(&self) -> bool {
        self.transient
    }
}

impl fmt::Debug for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoreError")
            .field("message", &self.message)
            .field("source", &self.source.as_ref().map(|s| s.to_string()))
            .field("transient", &self.transient)
            .finish()
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            Some(source) => write!(f, "{}: {source}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for StoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|s| s as &(dyn std::error::Error + 'static))
    }
}
