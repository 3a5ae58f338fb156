//! Fault injection against MockKick through the facade: what is retried and how often (counted in
//! MockKick's request log), how long the waits are (tokio's paused clock), cancellation, tracing and a
//! concurrent soak.
#![cfg(feature = "mock")]

#[path = "resilience/cancel.rs"]
mod cancel;
#[path = "resilience/faults.rs"]
mod faults;
#[path = "resilience/soak.rs"]
mod soak;
#[path = "resilience/spans.rs"]
mod spans;

use kickrs::mock::{IssuedTokens, MockKick, seed};
use kickrs::{KickClient, KickClientBuilder, RetryPolicy};
use reqwest::Method;

pub const STATS: &str = "/public/v1/livestreams/stats";
pub const CHAT: &str = "/public/v1/chat";
pub const TOKEN: &str = "/oauth/token";

/// A client builder pointed at `mock`, with the default retry policy minus jitter (so paused-clock
/// waits are exact).
pub fn builder(mock: &MockKick) -> KickClientBuilder {
    KickClient::builder()
        .client_id(mock.client_id())
        .client_secret(mock.client_secret())
        .api_base_url(mock.api_base_url())
        .oauth_base_url(mock.oauth_base_url())
        .retry(RetryPolicy::default().jitter(false))
}

/// A client with every scope of `auroralive`'s user token (and its refresh token) installed.
pub async fn user_client(mock: &MockKick, builder: KickClientBuilder) -> (KickClient, IssuedTokens) {
    let client = builder.build().unwrap();
    let tokens = mock.issue_user_tokens(seed::AURORA_ID, &kickrs::auth::Scope::all());
    let refresh = tokens.refresh_token.clone().unwrap();
    client
        .set_user_token(tokens.access_token.clone(), refresh, std::time::Duration::from_secs(7200), &tokens.scopes)
        .await
        .unwrap();
    (client, tokens)
}

/// How many requests MockKick received for `method` + `path`.
pub fn sent(mock: &MockKick, method: Method, path: &str) -> usize {
    mock.requests().iter().filter(|r| r.method == method && r.path == path).count()
}
