//! kickrs end to end against MockKick, over real sockets on 127.0.0.1: the PKCE login with a
//! simulated browser, token refresh with rotation, signed webhook deliveries into the axum
//! receiver, the subscriptions reconciler, and every facade method once.
#![cfg(all(feature = "mock", feature = "webhooks-axum"))]

#[path = "end_to_end/drops.rs"]
mod drops;
#[path = "end_to_end/every_method.rs"]
mod every_method;
#[path = "end_to_end/login.rs"]
mod login;
#[path = "end_to_end/refresh.rs"]
mod refresh;
#[path = "end_to_end/streams.rs"]
mod streams;
#[path = "end_to_end/subscriptions.rs"]
mod subscriptions;
#[path = "end_to_end/webhooks.rs"]
mod webhooks;

use kickrs::KickClient;
use kickrs::auth::{AuthOptions, LoginOptions, Scope, UserToken};
use kickrs::mock::MockKick;
use tokio::sync::mpsc;
use url::Url;

/// A client of MockKick's default app with `options` (the browser is never opened).
pub fn client_with(mock: &MockKick, options: AuthOptions) -> KickClient {
    KickClient::builder()
        .client_id(mock.client_id())
        .client_secret(mock.client_secret())
        .api_base_url(mock.api_base_url())
        .oauth_base_url(mock.oauth_base_url())
        .auth_options(options.open_browser(false))
        .build()
        .unwrap()
}

/// A client with app credentials only.
pub fn app_client(mock: &MockKick) -> KickClient {
    mock.client().unwrap()
}

/// A client whose user token MockKick minted for `user_id` with `scopes`, as if the user had logged in.
pub async fn user_client(mock: &MockKick, user_id: kickrs::ids::UserId, scopes: &[Scope]) -> KickClient {
    mock.user_client(user_id, scopes).await.unwrap()
}

/// A client whose login URLs arrive on the returned channel instead of opening a browser.
pub fn login_client(mock: &MockKick) -> (KickClient, mpsc::UnboundedReceiver<Url>) {
    let (urls, received) = mpsc::unbounded_channel();
    let options = AuthOptions::default().on_authorize_url(move |url| {
        let _ = urls.send(url.clone());
    });
    (client_with(mock, options), received)
}

/// A port free right now, for the login's callback listener.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A browser: GETs `url` and follows redirects (MockKick's consent page sends it to the callback).
pub async fn browse(url: &Url) -> (u16, String) {
    let response = kickrs::http_client_builder().unwrap().build().unwrap().get(url.as_str()).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// Starts `client.authenticate(scopes)` on a free port, opens the login URL in the simulated browser
/// and returns the browser's page with the login's outcome.
pub async fn log_in_with_browser(
    client: &KickClient,
    urls: &mut mpsc::UnboundedReceiver<Url>,
    scopes: &'static [Scope],
) -> ((u16, String), Url, kickrs::Result<UserToken>) {
    let login = {
        let client = client.clone();
        let options = LoginOptions::default().port(free_port());
        tokio::spawn(async move { client.authenticate(scopes, options).await })
    };
    let url = urls.recv().await.unwrap();
    let page = browse(&url).await;
    (page, url, login.await.unwrap())
}

/// Requests MockKick received for `path`.
pub fn requests_to(mock: &MockKick, method: &str, path: &str) -> usize {
    mock.requests().iter().filter(|r| r.method.as_str() == method && r.path == path).count()
}
