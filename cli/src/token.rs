//! `kick token`: PKCE login, app tokens, refresh, revoke and show, with user tokens kept per
//! client id in the config directory's `tokens.json` (the library's `FileTokenStore`, mode 0600;
//! app tokens beside it in `.tokens.json.app-tokens`).

use std::time::Duration;

use kickrs::auth::{AuthOptions, LoginOptions, Scope, TokenHint, TokenKind, UserToken};
use serde_json::json;

use crate::args::{LoginArgs, ShowArgs, TokenArgs};
use crate::config;
use crate::fail::Fail;
use crate::output::{Output, Style};

/// `abcd…wxyz (40 chars)`: enough to tell tokens apart, not enough to use one.
pub fn redact(secret: &str) -> String {
    let count = secret.chars().count();
    if count <= 12 {
        return format!("[redacted] ({count} chars)");
    }
    let head: String = secret.chars().take(4).collect();
    let tail: String = secret.chars().skip(count - 4).collect();
    format!("{head}…{tail} ({count} chars)")
}

fn token_json(token: &UserToken, reveal: bool) -> serde_json::Value {
    let shown = |s: &str| if reveal { s.to_owned() } else { redact(s) };
    json!({
        "access_token": shown(token.access_token().secret()),
        "refresh_token": token.refresh_token().map(|t| shown(t.secret())),
        "expires_at": token.expires_at().to_rfc3339(),
        "scopes": token.scopes().map(|s| s.iter().map(|s| s.as_str().to_owned()).collect::<Vec<_>>()),
        "refresh_token_expires_at": token.refresh_token_expires_at().map(|t| t.to_rfc3339()),
    })
}

fn print_token(out: &Output, client_id: &str, token: &UserToken, reveal: bool) {
    let value = token_json(token, reveal);
    if out.json {
        let mut value = value;
        value["client_id"] = json!(client_id);
        out.json_value(&value);
        return;
    }
    out.line(&format!("{} {client_id}", out.paint(Style::Bold, "client id:    ")));
    out.line(&format!("{} {}", out.paint(Style::Bold, "access token: "), value["access_token"].as_str().unwrap_or("")));
    out.line(&format!(
        "{} {}",
        out.paint(Style::Bold, "refresh token:"),
        value["refresh_token"].as_str().unwrap_or("(none)")
    ));
    out.line(&format!("{} {}", out.paint(Style::Bold, "expires at:   "), value["expires_at"].as_str().unwrap_or("")));
    let scopes = token.scopes().map(Scope::join).unwrap_or_else(|| "(unknown)".to_owned());
    out.line(&format!("{} {scopes}", out.paint(Style::Bold, "scopes:       ")));
}

pub async fn login(a: LoginArgs, out: &Output) -> Result<(), Fail> {
    let creds = a.creds.resolve()?;
    let scopes = Scope::parse_list(&a.scopes.replace(',', " "));
    if scopes.is_empty() {
        return Err(Fail::new("--scopes: give at least one scope, e.g. --scopes user:read,chat:write"));
    }
    // The library prints the URL on stderr itself; the browser only opens when asked for.
    let client = creds.client(AuthOptions::default().open_browser(!a.no_browser))?;
    let options = LoginOptions::default().port(a.port).timeout(Duration::from_secs(a.timeout));
    let token = client.authenticate(&scopes, options).await?;
    if !out.json {
        out.line(&format!("{} token stored for {}", out.paint(Style::Good, "logged in:"), creds.client_id));
    }
    print_token(out, &creds.client_id, &token, false);
    Ok(())
}

pub async fn app(a: TokenArgs, out: &Output) -> Result<(), Fail> {
    let creds = a.creds.resolve()?;
    let client = creds.client(AuthOptions::default())?;
    let token = client.access_token(TokenKind::App).await?;
    // Printed in full: an app token is fetched to be used (e.g. in `curl -H "Authorization: Bearer ..."`).
    if out.json {
        out.json_value(&json!({"access_token": token.secret(), "token_type": "Bearer", "client_id": creds.client_id}));
    } else {
        out.line(token.secret());
    }
    Ok(())
}

pub async fn refresh(a: TokenArgs, out: &Output) -> Result<(), Fail> {
    let creds = a.creds.resolve()?;
    let client = creds.client(AuthOptions::default())?;
    let token = client.refresh_user_token().await.map_err(|e| match e {
        kickrs::Error::MissingToken { .. } => no_token(&creds.client_id),
        other => other.into(),
    })?;
    if !out.json {
        out.line(&format!("{} new token stored for {}", out.paint(Style::Good, "refreshed:"), creds.client_id));
    }
    print_token(out, &creds.client_id, &token, false);
    Ok(())
}

fn no_token(client_id: &str) -> Fail {
    Fail::new(format!("no stored user token for client id {client_id}; run `kick token login` first"))
}

pub async fn revoke(a: TokenArgs, out: &Output) -> Result<(), Fail> {
    let creds = a.creds.resolve()?;
    let client = creds.client(AuthOptions::default())?;
    let token = client.user_token().await?.ok_or_else(|| no_token(&creds.client_id))?;
    client.revoke_token(token.access_token().secret(), Some(TokenHint::AccessToken)).await?;
    if let Some(refresh) = token.refresh_token() {
        client.revoke_token(refresh.secret(), Some(TokenHint::RefreshToken)).await?;
    }
    forget(&creds.client_id).await?;
    if out.json {
        out.json_value(&json!({"revoked": true, "client_id": creds.client_id}));
    } else {
        out.line(&format!(
            "{} the user token of {} (and removed it locally)",
            out.paint(Style::Good, "revoked:"),
            creds.client_id
        ));
    }
    Ok(())
}

/// Removes a client id's user token from the token file, under the file's lock (another `kick` or
/// bot process may be saving to it at the same time).
async fn forget(client_id: &str) -> Result<(), Fail> {
    let store = kickrs::auth::FileTokenStore::new(config::dir()?.join("tokens.json"));
    store.remove(client_id).await.map_err(|e| Fail::new(crate::fail::chain(&e)))?;
    Ok(())
}

pub async fn show(a: ShowArgs, out: &Output) -> Result<(), Fail> {
    let creds = a.creds.resolve()?;
    let store = kickrs::auth::FileTokenStore::new(config::dir()?.join("tokens.json"));
    let token = kickrs::auth::TokenStore::load(&store, &creds.client_id)
        .await
        .map_err(|e| Fail::new(crate::fail::chain(&e)))?
        .ok_or_else(|| no_token(&creds.client_id))?;
    print_token(out, &creds.client_id, &token, a.reveal);
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn redaction_keeps_only_the_ends_of_long_secrets() {
        let shown = super::redact("abcdefghijklmnopqrstuvwxyz0123456789");
        assert_eq!(shown, "abcd…6789 (36 chars)");
        assert_eq!(super::redact("short-secret"), "[redacted] (12 chars)");
    }
}
