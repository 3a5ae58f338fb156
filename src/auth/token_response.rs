//! Kick's token endpoint answer, read leniently: `expires_in` may come as a number or a numeric
//! string, `token_type` in any case, and 2026 answers add `refresh_expires_in`.

use oauth2::basic::BasicTokenType;
use serde::{Deserialize, Deserializer, Serialize};

/// The JSON body of a successful `POST /oauth/token`.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct KickTokenResponse {
    access_token: oauth2::AccessToken,
    #[serde(default = "bearer", deserialize_with = "token_type")]
    token_type: BasicTokenType,
    #[serde(default, deserialize_with = "lenient_seconds")]
    expires_in: Option<u64>,
    #[serde(default)]
    refresh_token: Option<oauth2::RefreshToken>,
    #[serde(default, rename = "scope", deserialize_with = "scope_list")]
    scopes: Option<Vec<oauth2::Scope>>,
    #[serde(default, deserialize_with = "lenient_seconds")]
    refresh_expires_in: Option<u64>,
}

impl KickTokenResponse {
    /// Seconds the access token lives, as Kick sent them.
    pub(crate) fn expires_in_secs(&self) -> Option<u64> {
        self.expires_in
    }

    /// Seconds the refresh token lives, when Kick says (2026 answers).
    pub(crate) fn refresh_expires_in(&self) -> Option<u64> {
        self.refresh_expires_in
    }

    /// The granted scopes as one space-separated string.
    pub(crate) fn scope_string(&self) -> Option<String> {
        self.scopes.as_ref().map(|scopes| scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" "))
    }
}

impl oauth2::TokenResponse for KickTokenResponse {
    type TokenType = BasicTokenType;

    fn access_token(&self) -> &oauth2::AccessToken {
        &self.access_token
    }

    fn token_type(&self) -> &BasicTokenType {
        &self.token_type
    }

    fn expires_in(&self) -> Option<std::time::Duration> {
        self.expires_in.map(std::time::Duration::from_secs)
    }

    fn refresh_token(&self) -> Option<&oauth2::RefreshToken> {
        self.refresh_token.as_ref()
    }

    fn scopes(&self) -> Option<&Vec<oauth2::Scope>> {
        self.scopes.as_ref()
    }
}

fn bearer() -> BasicTokenType {
    BasicTokenType::Bearer
}

fn token_type<'de, D: Deserializer<'de>>(d: D) -> Result<BasicTokenType, D::Error> {
    let name = Option::<String>::deserialize(d)?.unwrap_or_default();
    Ok(match name.to_ascii_lowercase().as_str() {
        "" | "bearer" => BasicTokenType::Bearer,
        "mac" => BasicTokenType::Mac,
        _ => BasicTokenType::Extension(name),
    })
}

fn lenient_seconds<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Seconds {
        Number(u64),
        Float(f64),
        Text(String),
    }
    Ok(match Option::<Seconds>::deserialize(d)? {
        Some(Seconds::Number(n)) => Some(n),
        Some(Seconds::Float(f)) if f.is_finite() && f >= 0.0 => Some(f as u64),
        Some(Seconds::Text(text)) => text.trim().parse().ok(),
        _ => None,
    })
}

fn scope_list<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<oauth2::Scope>>, D::Error> {
    let text = Option::<String>::deserialize(d)?.unwrap_or_default();
    let scopes: Vec<_> = text.split_whitespace().map(|s| oauth2::Scope::new(s.to_owned())).collect();
    Ok(Some(scopes).filter(|s| !s.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_kick_shapes() {
        let real: KickTokenResponse = serde_json::from_str(
            r#"{"access_token":"a","token_type":"Bearer","refresh_token":"r","expires_in":7200,"scope":"user:read chat:write"}"#,
        )
        .unwrap();
        assert_eq!(real.expires_in_secs(), Some(7200));
        assert_eq!(real.scope_string().as_deref(), Some("user:read chat:write"));
        let placeholder: KickTokenResponse = serde_json::from_str(
            r#"{"access_token":"","token_type":"","refresh_token":"","expires_in":"","scope":""}"#,
        )
        .unwrap();
        assert_eq!(placeholder.expires_in_secs(), None);
        assert_eq!(placeholder.scope_string(), None);
        let newer: KickTokenResponse =
            serde_json::from_str(r#"{"access_token":"a","expires_in":"3600","refresh_expires_in":2592000}"#).unwrap();
        assert_eq!(newer.expires_in_secs(), Some(3600));
        assert_eq!(newer.refresh_expires_in(), Some(2_592_000));
    }
}
