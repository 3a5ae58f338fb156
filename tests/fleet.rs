//! Scale-out: several clients and processes sharing one token store, webhook dedup store and rate
//! limit, against a real `redis-server` the tests start themselves and MockKick with refresh-token
//! rotation on. The fleet tests spawn real OS processes (`kickrs-fleet-node`, tests/fleet/node.rs).
#![cfg(all(feature = "mock", feature = "redis", feature = "webhooks-axum"))]

#[path = "fleet/processes.rs"]
mod processes;
#[path = "fleet/stores.rs"]
mod stores;
mod support;

use kickrs::KickClient;
use kickrs::auth::{AuthOptions, TokenStore, UserToken};
use kickrs::mock::MockKick;
use kickrs::mock::seed::AURORA_ID;

/// A client of MockKick's default app with `options` (the browser is never opened).
pub fn client_with(mock: &MockKick, options: AuthOptions) -> KickClient {
    KickClient::builder()
        .client_id(mock.client_id())
        .client_secret(mock.client_secret())
        .api_base_url(mock.api_base_url())
        .oauth_base_url(mock.oauth_base_url())
        .auth_options(options.open_browser(false))
        .build()
        .expect("client")
}

/// Issues Aurora a token at MockKick and saves it to `store` as already expired, so the first call of
/// any client using the store has to refresh it. Returns the refresh token saved.
pub async fn save_expired_token(mock: &MockKick, store: &dyn TokenStore) -> String {
    let issued = mock.issue_user_tokens(AURORA_ID, &[kickrs::auth::Scope::ChannelRead, kickrs::auth::Scope::ChatWrite]);
    let refresh = issued.refresh_token.clone().expect("a refresh token");
    let token = UserToken::new(
        issued.access_token.clone(),
        Some(refresh.clone()),
        std::time::Duration::from_secs(0),
        &issued.scopes,
    );
    store.save(mock.client_id(), &token).await.expect("saving the expired token");
    refresh
}

/// Refresh requests MockKick answered with 200, and all it received.
pub fn refreshes(mock: &MockKick) -> (usize, usize) {
    let requests = mock.token_requests();
    let refresh = requests.iter().filter(|r| r.grant_type == "refresh_token");
    let granted = refresh.clone().filter(|r| r.status == 200).count();
    (granted, refresh.count())
}
