//! A wiremock stand-in for Kick that hands out an app token, and a view of what went over the wire.

use kickrs::{KickClient, RetryPolicy};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A server whose `/oauth/token` answers `app-token`, and a client for it holding `user-token` with `scopes`.
pub async fn wiremock_kick(scopes: &[kickrs::auth::Scope], retry: RetryPolicy) -> (MockServer, KickClient) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "app-token", "token_type": "Bearer", "expires_in": 3600
        })))
        .with_priority(1)
        .mount(&server)
        .await;
    let client = KickClient::builder()
        .client_id("id")
        .client_secret("secret")
        .api_base_url(server.uri())
        .oauth_base_url(server.uri())
        .retry(retry)
        .build()
        .unwrap();
    client.set_user_token("user-token", "refresh", std::time::Duration::from_secs(3600), scopes).await.unwrap();
    (server, client)
}

/// Requests that reached the API (the token requests left out).
pub async fn api_requests(server: &MockServer) -> Vec<Request> {
    let all = server.received_requests().await.unwrap_or_default();
    all.into_iter().filter(|request| request.url.path() != "/oauth/token").collect()
}

/// The API requests as they went over the wire: method, path, query as sent, token kind and JSON body.
pub async fn wire(server: &MockServer) -> Value {
    let requests = api_requests(server).await;
    let seen = requests.iter().map(|request| {
        let token = match request.headers.get("authorization").and_then(|v| v.to_str().ok()) {
            Some("Bearer app-token") => "app",
            Some("Bearer user-token") => "user",
            Some(_) => "other",
            None => "none",
        };
        let body: Value = if request.body.is_empty() { Value::Null } else { request.body_json().unwrap() };
        json!({
            "method": request.method.to_string(),
            "path": request.url.path(),
            "query": request.url.query(),
            "token": token,
            "body": body,
        })
    });
    Value::Array(seen.collect())
}

/// A JSON fixture from `tests/fixtures/api/`.
pub fn fixture(rel: &str) -> Value {
    let path = format!("{}/tests/fixtures/api/{rel}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}
