//! Token values: the secret wrappers, the user token with its refresh token, and the app token.

use std::fmt;
use std::time::Duration;

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use super::Scope;

/// How long Kick keeps a refresh token valid after issuing it, when the token response does not
/// say (`refresh_expires_in`).
pub const REFRESH_TOKEN_LIFETIME: Duration = Duration::from_secs(30 * 24 * 60 * 60);

/// Which kind of token a request is sent with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// App access token (client_credentials): public data, event subscriptions.
    App,
    /// User access token (authorization code + PKCE): acts on behalf of the user who logged in.
    User,
}

impl fmt::Display for TokenKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TokenKind::App => "app",
            TokenKind::User => "user",
        })
    }
}

macro_rules! secret_token {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone)]
        pub struct $name(SecretString);

        impl $name {
            /// Wraps a token value.
            pub fn new(value: impl Into<String>) -> Self {
                Self(SecretString::from(value.into()))
            }

            /// The token value itself; keep it out of logs.
            pub fn secret(&self) -> &str {
                self.0.expose_secret()
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "([redacted])"))
            }
        }

        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.secret() == other.secret()
            }
        }

        impl Eq for $name {}
    };
}

secret_token!(
    /// An access token (sent as `Authorization: Bearer ...`). `Debug` prints `[redacted]`.
    AccessToken
);
secret_token!(
    /// A refresh token (user tokens only; Kick rotates it on each refresh). `Debug` prints `[redacted]`.
    RefreshToken
);

/// A user access token with what is known about it.
///
/// Serializes to JSON **with the secrets in clear** (for token stores); `Debug` redacts them.
///
/// ```
/// use kickrs::auth::{Scope, UserToken};
/// let token = UserToken::new("access", Some("refresh".into()), std::time::Duration::from_secs(7200), &[kickrs::auth::Scope::UserRead, kickrs::auth::Scope::ChatWrite]);
/// assert_eq!(token.scopes(), Some(&[Scope::UserRead, Scope::ChatWrite][..]));
/// assert!(format!("{token:?}").contains("[redacted]"));
/// assert!(!format!("{token:?}").contains("access\""));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct UserToken {
    access_token: AccessToken,
    refresh_token: Option<RefreshToken>,
    expires_at: DateTime<Utc>,
    scopes: Option<Vec<Scope>>,
    refresh_issued_at: Option<DateTime<Utc>>,
    refresh_expires_in: Option<Duration>,
}

impl UserToken {
    /// A token received now, valid for `expires_in`, granting `scopes` (empty means unknown). The
    /// refresh token, if any, counts as issued now.
    pub fn new(
        access_token: impl Into<String>,
        refresh_token: Option<String>,
        expires_in: std::time::Duration,
        scopes: &[Scope],
    ) -> Self {
        Self::received(
            AccessToken::new(access_token),
            refresh_token.map(RefreshToken::new),
            Some(expires_in.as_secs()),
            Some(&Scope::join(scopes)),
            None,
            Utc::now(),
        )
    }

    /// Builds a token from a token endpoint answer received at `now`.
    pub(crate) fn received(
        access_token: AccessToken,
        refresh_token: Option<RefreshToken>,
        expires_in: Option<u64>,
        scope: Option<&str>,
        refresh_expires_in: Option<u64>,
        now: DateTime<Utc>,
    ) -> Self {
        let scopes = scope.map(Scope::parse_list).filter(|scopes| !scopes.is_empty());
        Self {
            refresh_issued_at: refresh_token.as_ref().map(|_| now),
            access_token,
            refresh_token,
            expires_at: expires_at(now, expires_in),
            scopes,
            refresh_expires_in: refresh_expires_in.map(Duration::from_secs),
        }
    }

    /// The result of a refresh answer: a missing refresh token or scope keeps the previous one
    /// (Kick may leave them out; losing the refresh token would force a new login).
    pub(crate) fn refreshed(mut self, previous: &UserToken) -> Self {
        if self.refresh_token.is_none() {
            self.refresh_token = previous.refresh_token.clone();
            self.refresh_issued_at = previous.refresh_issued_at;
            self.refresh_expires_in = previous.refresh_expires_in;
        }
        if self.scopes.is_none() {
            self.scopes = previous.scopes.clone();
        }
        self
    }

    /// The access token.
    pub fn access_token(&self) -> &AccessToken {
        &self.access_token
    }

    /// The refresh token, when Kick issued one.
    pub fn refresh_token(&self) -> Option<&RefreshToken> {
        self.refresh_token.as_ref()
    }

    /// When the access token expires.
    pub fn expires_at(&self) -> DateTime<Utc> {
        self.expires_at
    }

    /// The scopes granted, when Kick said which.
    pub fn scopes(&self) -> Option<&[Scope]> {
        self.scopes.as_deref()
    }

    /// When the refresh token was received, if there is one.
    pub fn refresh_token_issued_at(&self) -> Option<DateTime<Utc>> {
        self.refresh_issued_at
    }

    /// When the refresh token stops working: `refresh_expires_in` when Kick sent it, otherwise
    /// [`REFRESH_TOKEN_LIFETIME`] after it was received.
    pub fn refresh_token_expires_at(&self) -> Option<DateTime<Utc>> {
        let issued = self.refresh_issued_at?;
        let lifetime = self.refresh_expires_in.unwrap_or(REFRESH_TOKEN_LIFETIME);
        chrono::Duration::from_std(lifetime).ok().and_then(|lifetime| issued.checked_add_signed(lifetime))
    }

    /// How long the refresh token has left (zero once expired); `None` without a refresh token.
    /// When this runs low, ask the user to log in again.
    pub fn refresh_token_time_left(&self) -> Option<Duration> {
        let left = self.refresh_token_expires_at()? - Utc::now();
        Some(left.to_std().unwrap_or(Duration::ZERO))
    }

    /// True while the access token is valid for at least `margin` more.
    pub(crate) fn is_fresh(&self, margin: Duration) -> bool {
        is_fresh(self.expires_at, margin)
    }
}

impl fmt::Debug for UserToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserToken")
            .field("access_token", &self.access_token)
            .field("refresh_token", &self.refresh_token)
            .field("expires_at", &self.expires_at)
            .field("scopes", &self.scopes)
            .field("refresh_token_issued_at", &self.refresh_issued_at)
            .finish()
    }
}

/// The stored form of a [`UserToken`]; times are Unix seconds (UTC).
#[derive(Serialize, Deserialize)]
struct StoredUserToken {
    access_token: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    expires_at: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    scope: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token_issued_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_expires_in: Option<u64>,
}

impl Serialize for UserToken {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        StoredUserToken {
            access_token: self.access_token.secret().to_owned(),
            refresh_token: self.refresh_token.as_ref().map(|t| t.secret().to_owned()),
            expires_at: self.expires_at.timestamp(),
            scope: self.scopes.as_deref().map(Scope::join),
            refresh_token_issued_at: self.refresh_issued_at.map(|t| t.timestamp()),
            refresh_expires_in: self.refresh_expires_in.map(|d| d.as_secs()),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for UserToken {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let stored = StoredUserToken::deserialize(deserializer)?;
        let time = |secs: i64, field: &str| {
            DateTime::from_timestamp(secs, 0).ok_or_else(|| D::Error::custom(format!("{field} out of range: {secs}")))
        };
        Ok(Self {
            access_token: AccessToken::new(stored.access_token),
            refresh_token: stored.refresh_token.map(RefreshToken::new),
            expires_at: time(stored.expires_at, "expires_at")?,
            scopes: stored.scope.as_deref().map(Scope::parse_list).filter(|s| !s.is_empty()),
            refresh_issued_at: stored
                .refresh_token_issued_at
                .map(|secs| time(secs, "refresh_token_issued_at"))
                .transpose()?,
            refresh_expires_in: stored.refresh_expires_in.map(Duration::from_secs),
        })
    }
}

/// An app access token (client_credentials). It has no refresh token: when it expires or is
/// rejected, a new one is fetched.
///
/// Token stores keep it so that every process sharing a store uses one app token
/// ([`TokenStore::load_app_token`](super::TokenStore::load_app_token)). Serializes to JSON **with
/// the secret in clear** (for token stores); `Debug` redacts it.
///
/// ```
/// use kickrs::auth::AppToken;
/// let token = AppToken::new("app-access", 3600);
/// assert_eq!(token.access_token().secret(), "app-access");
/// assert!(token.time_left() > std::time::Duration::from_secs(3500));
/// assert!(!format!("{token:?}").contains("app-access"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct AppToken {
    pub(crate) access_token: AccessToken,
    pub(crate) expires_at: DateTime<Utc>,
}

impl AppToken {
    /// A token received now, valid `expires_in` seconds.
    pub fn new(access_token: impl Into<String>, expires_in: u64) -> Self {
        Self { access_token: AccessToken::new(access_token), expires_at: expires_at(Utc::now(), Some(expires_in)) }
    }

    /// The access token.
    pub fn access_token(&self) -> &AccessToken {
        &self.access_token
    }

    /// When the access token expires.
    pub fn expires_at(&self) -> DateTime<Utc> {
        self.expires_at
    }

    /// How long the access token stays valid (zero once expired).
    pub fn time_left(&self) -> Duration {
        (self.expires_at - Utc::now()).to_std().unwrap_or(Duration::ZERO)
    }

    pub(crate) fn is_fresh(&self, margin: Duration) -> bool {
        is_fresh(self.expires_at, margin)
    }
}

impl fmt::Debug for AppToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppToken")
            .field("access_token", &self.access_token)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// The stored form of an [`AppToken`]; `expires_at` in Unix seconds (UTC).
#[derive(Serialize, Deserialize)]
struct StoredAppToken {
    access_token: String,
    expires_at: i64,
}

impl Serialize for AppToken {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        StoredAppToken { access_token: self.access_token.secret().to_owned(), expires_at: self.expires_at.timestamp() }
            .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for AppToken {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let stored = StoredAppToken::deserialize(deserializer)?;
        let expires_at = DateTime::from_timestamp(stored.expires_at, 0)
            .ok_or_else(|| D::Error::custom(format!("expires_at out of range: {}", stored.expires_at)))?;
        Ok(Self { access_token: AccessToken::new(stored.access_token), expires_at })
    }
}

/// `now + expires_in`; a missing lifetime counts as already expired, so the token is renewed on
/// next use instead of being trusted forever.
pub(crate) fn expires_at(now: DateTime<Utc>, expires_in: Option<u64>) -> DateTime<Utc> {
    let secs = i64::try_from(expires_in.unwrap_or(0)).unwrap_or(i64::MAX);
    now.checked_add_signed(chrono::Duration::seconds(secs.min(100 * 365 * 24 * 3600))).unwrap_or(now)
}

/// Asked on every call, so in integer microseconds rather than with chrono's calendar arithmetic.
fn is_fresh(expires_at: DateTime<Utc>, margin: Duration) -> bool {
    let micros = |d: Duration| i64::try_from(d.as_micros()).unwrap_or(i64::MAX);
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, micros);
    expires_at.timestamp_micros() > now.saturating_add(micros(margin))
}
