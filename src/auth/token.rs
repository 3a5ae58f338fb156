use secrecy::{ExposeSecret, SecretString};

/// Which of Kick's two token kinds a request carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// App access token (client credentials).
    App,
    /// User access token (authorization code + PKCE).
    User,
}

impl std::fmt::Display for TokenKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TokenKind::App => "app",
            TokenKind::User => "user",
        })
    }
}

/// A Kick OAuth scope such as `chat:write`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Scope(pub String);

impl std::fmt::Display for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A bearer token; prints as `[redacted]`.
#[derive(Clone)]
pub struct AccessToken(SecretString);

impl AccessToken {
    /// Wraps a token string.
    pub fn new(token: impl Into<String>) -> Self {
        Self(SecretString::from(token.into()))
    }
    pub(crate) fn secret(&self) -> &str {
        self.0.expose_secret()
    }
}

impl std::fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AccessToken([redacted])")
    }
}
