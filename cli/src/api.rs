//! `kick api`: any endpoint, with the token kind it needs, query and body from flags, and
//! `--paginate` following Kick's `pagination.next_cursor`.

use std::io::IsTerminal;

use kickrs::auth::{AuthOptions, TokenKind};
use serde_json::Value;

use crate::args::{ApiArgs, ApiMethod, TokenChoice};
use crate::fail::{Context, Fail};
use crate::output::Output;

/// Kick's own limit is 1000 items a page; this stops a server that never ends its cursors.
const MAX_PAGES: usize = 10_000;

/// `channels` → `/public/v1/channels`; a path with a leading slash is taken as it is.
fn full_path(path: &str) -> String {
    if path.starts_with('/') { path.to_owned() } else { format!("/public/v1/{path}") }
}

fn method_name(method: ApiMethod) -> &'static str {
    match method {
        ApiMethod::Get => "GET",
        ApiMethod::Post => "POST",
        ApiMethod::Patch => "PATCH",
        ApiMethod::Put => "PUT",
        ApiMethod::Delete => "DELETE",
    }
}

/// Matches a spec path template (`/public/v1/channels/rewards/{id}`) against a concrete path.
fn template_matches(template: &str, path: &str) -> bool {
    let (mut t, mut p) = (template.split('/'), path.split('/'));
    loop {
        match (t.next(), p.next()) {
            (None, None) => return true,
            (Some(a), Some(b)) if a == b || (a.starts_with('{') && !b.is_empty()) => {}
            _ => return false,
        }
    }
}

/// The token an endpoint needs: none for public ones, an app token where Kick takes one (as the
/// library does), a user token where only a user token will do. Unknown endpoints get the app token.
fn token_for(method: &str, path: &str) -> Option<TokenKind> {
    let op = kickrs::raw::OPERATIONS
        .iter()
        .find(|op| op.method.eq_ignore_ascii_case(method) && template_matches(op.path, path));
    match op {
        Some(op) if !op.app_token && !op.user_token => None,
        Some(op) if op.app_token => Some(TokenKind::App),
        Some(_) => Some(TokenKind::User),
        None => Some(TokenKind::App),
    }
}

fn parse_query(pairs: &[String]) -> Result<Vec<(String, String)>, Fail> {
    pairs
        .iter()
        .map(|pair| {
            pair.split_once('=')
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .ok_or_else(|| Fail::new(format!("-q {pair}: expected KEY=VALUE, e.g. -q slug=auroralive")))
        })
        .collect()
}

fn parse_body(body: &str) -> Result<Value, Fail> {
    let (text, source) = match body.strip_prefix('@') {
        Some(path) => (std::fs::read_to_string(path).context(|| format!("-b @{path}: reading the file"))?, path),
        None => (body.to_owned(), "the -b value"),
    };
    serde_json::from_str(&text).map_err(|e| Fail::new(format!("{source} is not JSON: {e}")))
}

/// Kick's message from an error answer (`{"message": ...}` or OAuth's `error_description`).
fn kick_message(text: &str) -> String {
    let parsed: Option<Value> = serde_json::from_str(text).ok();
    let pick = |key: &str| parsed.as_ref().and_then(|v| v.get(key)).and_then(Value::as_str).map(str::to_owned);
    pick("message").or_else(|| pick("error_description")).or_else(|| pick("error")).unwrap_or_else(|| {
        let text: String = text.chars().take(200).collect();
        if text.trim().is_empty() { "(empty answer)".to_owned() } else { text }
    })
}

pub async fn call(a: ApiArgs, out: &Output) -> Result<(), Fail> {
    let creds = a.creds.resolve()?;
    let path = full_path(&a.path);
    let method = method_name(a.method);
    let query = parse_query(&a.query)?;
    let body = a.body.as_deref().map(parse_body).transpose()?;
    if a.paginate && a.method != ApiMethod::Get {
        return Err(Fail::new("--paginate works with `get` only"));
    }
    let kind = match a.token {
        TokenChoice::Auto => token_for(method, &path),
        TokenChoice::App => Some(TokenKind::App),
        TokenChoice::User => Some(TokenKind::User),
        TokenChoice::None => None,
    };
    let bearer = match kind {
        Some(kind) => {
            let client = creds.client(AuthOptions::default())?;
            let token = client.access_token(kind).await.map_err(|e| match e {
                kickrs::Error::MissingToken { .. } => Fail::new(format!(
                    "{method} {path} needs a user token and none is stored for {}; run `kick token login`",
                    creds.client_id
                )),
                other => other.into(),
            })?;
            Some(token)
        }
        None => None,
    };
    let url = url::Url::parse(&format!("{}{path}", creds.api_base_url.trim_end_matches('/')))
        .context(|| format!("building the URL from {}", creds.api_base_url))?;
    let http = kickrs::http_client_builder()?.user_agent("kick-cli").build()?;
    let http_method = http::Method::from_bytes(method.as_bytes()).map_err(|_| Fail::new("bad method"))?;

    let progress_tty = std::io::stderr().is_terminal();
    let mut items: Vec<Value> = Vec::new();
    let mut cursor: Option<String> = None;
    for page in 1..=MAX_PAGES {
        let mut pairs = query.clone();
        if let Some(cursor) = &cursor {
            pairs.retain(|(k, _)| k != "cursor");
            pairs.push(("cursor".to_owned(), cursor.clone()));
        }
        let mut page_url = url.clone();
        if !pairs.is_empty() {
            page_url.query_pairs_mut().extend_pairs(&pairs);
        }
        let mut request = http.request(http_method.clone(), page_url).header("Accept", "application/json");
        if let Some(token) = &bearer {
            request = request.bearer_auth(token.secret());
        }
        if let Some(body) = &body {
            request = request.json(body);
        }
        let response =
            request.send().await.map_err(|e| Fail::new(format!("{method} {path}: {}", crate::fail::chain(&e))))?;
        let status = response.status();
        let text = response.text().await.map_err(|e| Fail::new(format!("{method} {path}: {e}")))?;
        if !status.is_success() {
            return Err(Fail::new(format!("{method} {path}: {status}: {}", kick_message(&text))));
        }
        if !a.paginate {
            match serde_json::from_str::<Value>(&text) {
                Ok(value) => out.json_value(&value),
                Err(_) if text.is_empty() => {}
                Err(_) => out.line(&text),
            }
            return Ok(());
        }
        let value: Value =
            serde_json::from_str(&text).map_err(|e| Fail::new(format!("{method} {path}: answer is not JSON: {e}")))?;
        match value.get("data") {
            Some(Value::Array(page_items)) => items.extend(page_items.iter().cloned()),
            _ => return Err(Fail::new(format!("{method} {path}: --paginate needs an answer whose `data` is a list"))),
        }
        let next = value.pointer("/pagination/next_cursor").and_then(Value::as_str).filter(|c| !c.is_empty());
        let line =
            format!("page {page}: {} items so far{}", items.len(), if next.is_some() { ", fetching more" } else { "" });
        if progress_tty {
            eprint!("\r\x1b[2K{line}");
        } else {
            out.note(&line);
        }
        match next {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    if progress_tty {
        eprintln!();
    }
    out.json_value(&Value::Array(items));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_get_the_token_kind_the_spec_asks_for() {
        assert_eq!(token_for("GET", "/public/v1/channels"), Some(TokenKind::App));
        assert_eq!(token_for("POST", "/public/v1/moderation/bans"), Some(TokenKind::User));
        assert_eq!(token_for("DELETE", "/public/v1/channels/rewards/01ABC"), Some(TokenKind::User));
        assert_eq!(token_for("GET", "/public/v1/public-key"), None);
        assert_eq!(full_path("channels"), "/public/v1/channels");
        assert_eq!(full_path("/public/v2/categories"), "/public/v2/categories");
    }

    #[test]
    fn kick_messages_are_found_in_rest_and_oauth_errors() {
        assert_eq!(kick_message(r#"{"data":{},"message":"Forbidden: missing scope"}"#), "Forbidden: missing scope");
        assert_eq!(kick_message(r#"{"error":"invalid_grant","error_description":"expired"}"#), "expired");
        assert_eq!(kick_message(""), "(empty answer)");
    }
}
