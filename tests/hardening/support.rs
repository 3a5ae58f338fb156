//! A Kick on wiremock that hands out tokens, a second origin that must receive nothing, and clients.

use std::time::Duration;

use kickrs::{KickClient, RetryPolicy};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Which HTTP client a test's `KickClient` sends through.
#[derive(Clone, Copy, Debug)]
pub enum Http {
    /// The one kickrs builds.
    BuiltIn,
    /// The caller's own client with reqwest's default policy, which follows redirects.
    UserFollowing,
    /// The caller's client that does not follow redirects.
    UserNotFollowing,
}

pub const EVERY_HTTP: [Http; 3] = [Http::BuiltIn, Http::UserFollowing, Http::UserNotFollowing];

/// A client of `kick` (API and OAuth on the same server) sending through `http`, retries off.
pub fn client(kick: &MockServer, http: Http) -> KickClient {
    client_with(kick, http, |builder| builder)
}

pub fn client_with(
    kick: &MockServer,
    http: Http,
    more: impl FnOnce(kickrs::KickClientBuilder) -> kickrs::KickClientBuilder,
) -> KickClient {
    let builder = KickClient::builder()
        .client_id("id")
        .client_secret("the-client-secret")
        .api_base_url(kick.uri())
        .oauth_base_url(kick.uri())
        .retry(RetryPolicy::off())
        .auth_options(kickrs::auth::AuthOptions::default().open_browser(false));
    let builder = match http {
        Http::BuiltIn => builder,
        Http::UserFollowing => builder.http_client(kickrs::http_client_builder().unwrap().build().unwrap()),
        Http::UserNotFollowing => builder.http_client(
            kickrs::http_client_builder()
                .unwrap()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("a client"),
        ),
    };
    more(builder).build().expect("a client")
}

/// Kick's token endpoint handing out `app-token` (lower priority than a test's own mounts).
/// The built-in client's builder for a server at `base` (API and OAuth), retries off.
pub fn builder_at(base: &str) -> kickrs::KickClientBuilder {
    KickClient::builder()
        .client_id("id")
        .client_secret("secret")
        .api_base_url(base)
        .oauth_base_url(base)
        .retry(RetryPolicy::off())
}

pub async fn token_endpoint(kick: &MockServer) {
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "app-token", "token_type": "Bearer", "expires_in": 3600
        })))
        .with_priority(10)
        .mount(kick)
        .await;
}

/// Another origin that answers everything with a token and data, as an attacker would.
pub async fn other_origin() -> MockServer {
    let other = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "stolen-token", "refresh_token": "stolen-refresh", "token_type": "Bearer",
            "expires_in": 3600, "data": {"active": true}, "message": "OK"
        })))
        .mount(&other)
        .await;
    other
}

/// Kick's `{data, message}` envelope.
pub fn envelope(data: Value) -> Value {
    json!({ "data": data, "message": "OK" })
}

/// Fails a test that would hang on the old code instead of hanging the suite (not a timing assertion).
pub async fn within<T>(what: &str, future: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(30), future).await.unwrap_or_else(|_| panic!("{what} never ended"))
}
