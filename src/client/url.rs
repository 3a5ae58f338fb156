//! Request URLs from the base URL parsed once: setting a path on a copy of it costs a fraction of
//! parsing the whole URL again (scheme, host with IDNA processing, port) for every call.

use reqwest::{Method, Request, RequestBuilder, Url};

use super::Core;

impl Core {
    /// The generated code's request builder for `url`, its base URL followed by the operation's path.
    /// A URL that does not start with this client's base URL is left to reqwest to parse.
    pub(crate) fn request(&self, http: &reqwest::Client, method: Method, url: String) -> RequestBuilder {
        match endpoint(&self.state().api_base_url, &url) {
            Some(parsed) => RequestBuilder::from_parts(http.clone(), Request::new(method, parsed)),
            None => http.request(method, url),
        }
    }
}

/// `full` as a URL, built by setting the path of `base` (which it must start with); `None` when it does
/// not have that simple shape (another base, a query or a fragment of its own).
fn endpoint(base: &Url, full: &str) -> Option<Url> {
    if base.query().is_some() || base.fragment().is_some() {
        return None;
    }
    let rest = full.strip_prefix(base.as_str().trim_end_matches('/'))?;
    if !rest.starts_with('/') || rest.contains(['?', '#']) {
        return None;
    }
    let mut url = base.clone();
    match base.path().trim_end_matches('/') {
        "" => url.set_path(rest),
        prefix => url.set_path(&format!("{prefix}{rest}")),
    }
    Some(url)
}

/// Sends the commas of comma-joined filters (`id=15,28`) as literal commas, as Kick's docs and kickpy
/// write them, rather than the `%2C` a form encoder makes. The values themselves cannot hold a comma
/// ([`crate::validate::category_filters`]), so every comma is a separator.
pub(crate) fn literal_commas(url: &mut Url) {
    if let Some(query) = url.query().filter(|query| query.contains("%2C")) {
        let query = query.replace("%2C", ",");
        url.set_query(Some(&query));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comma_joined_filters_keep_literal_commas() {
        let mut url = Url::parse("https://api.kick.com/public/v2/categories?id=15%2C28&name=a%2Cb&tag=x%26y").unwrap();
        literal_commas(&mut url);
        assert_eq!(url.query(), Some("id=15,28&name=a,b&tag=x%26y"));
    }

    /// Whatever the base and path, the URL is the one a full parse gives, or the full parse is left to reqwest.
    #[test]
    fn the_url_is_what_parsing_the_whole_string_gives() {
        let bases =
            ["https://api.kick.com", "https://api.kick.com/", "http://127.0.0.1:8080", "http://proxy.local/kick/"];
        let paths = [
            "/public/v1/channels",
            "/public/v1/categories/15",
            "/public/v1/chat/01HZ%2F..%3Fx",
            "/public/v1/kicks/../leaderboard",
            "/public/v1/a b/ü",
            "/public/v1/moderation/bans/",
        ];
        for base in bases {
            let parsed_base = Url::parse(base).unwrap();
            let prefix = parsed_base.as_str().trim_end_matches('/');
            for path in paths {
                let full = format!("{prefix}{path}");
                let built = endpoint(&parsed_base, &full).expect("a base URL and a path");
                assert_eq!(built, Url::parse(&full).unwrap(), "{full}");
            }
        }
    }

    #[test]
    fn anything_else_is_left_to_a_full_parse() {
        let base = Url::parse("https://api.kick.com").unwrap();
        assert_eq!(endpoint(&base, "https://other.example/public/v1/channels"), None);
        assert_eq!(endpoint(&base, "https://api.kick.com.evil/public"), None);
        assert_eq!(endpoint(&base, "https://api.kick.com/public?x=1"), None);
        assert_eq!(endpoint(&Url::parse("https://api.kick.com/?v=1").unwrap(), "https://api.kick.com/public"), None);
    }
}
