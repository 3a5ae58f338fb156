//! Unit tests of token renewal, login and stores against a wiremock model of Kick's OAuth host.
//! (The client-level end-to-end test lives with the client, against MockKick.)

mod app_sharing;
mod login;
mod redaction;
mod renewal;
mod stores;

use std::collections::HashMap;
use std::ops::Deref;
use std::sync::Arc;

use serde_json::json;
use wiremock::matchers::{body_string_contains, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use secrecy::SecretString;

use super::manager::TokenManager;
use super::{AuthConfig, AuthOptions, TokenStore};

/// A wiremock OAuth host that is dropped on a thread of its own. wiremock checks its expectations in
/// `Drop` with `futures::executor::block_on`; inside a tokio task whose coop budget is spent (a test that
/// has just joined a thousand calls) the lock it awaits answers "not yet" forever and the test spins.
/// A fresh thread has no tokio budget to spend.
pub(super) struct OAuthHost(Option<MockServer>);

impl Deref for OAuthHost {
    type Target = MockServer;

    fn deref(&self) -> &MockServer {
        self.0.as_ref().expect("the server is only taken when dropped")
    }
}

impl Drop for OAuthHost {
    fn drop(&mut self) {
        let Some(server) = self.0.take() else { return };
        let verified = std::thread::spawn(move || drop(server)).join();
        // A failed expectation panics in that thread: fail the test with it, unless it is failing already.
        if let Err(panic) = verified
            && !std::thread::panicking()
        {
            std::panic::resume_unwind(panic);
        }
    }
}

/// Starts an [`OAuthHost`].
pub(super) async fn oauth_host() -> OAuthHost {
    OAuthHost(Some(MockServer::start().await))
}

pub(super) const CLIENT_ID: &str = "client-id-1";
pub(super) const CLIENT_SECRET: &str = "client-secret-XYZ";

/// What the client builder would pass, for an OAuth host at `base`.
pub(super) fn config(base: &str) -> AuthConfig {
    let http = crate::http_client_builder().unwrap().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    AuthConfig {
        client_id: CLIENT_ID.into(),
        client_secret: SecretString::from(CLIENT_SECRET),
        oauth_base_url: base.parse().unwrap(),
        http: http.clone(),
        transport: crate::client::Transport::Reqwest(http),
        refresh_margin: crate::auth::DEFAULT_REFRESH_MARGIN,
        timeout: std::time::Duration::from_secs(30),
    }
}

/// A manager for the OAuth host at `base` with `options` (browser always off).
pub(super) fn manager_at(base: &str, options: AuthOptions) -> Arc<TokenManager> {
    Arc::new(TokenManager::with_options(config(base), options.open_browser(false)))
}

pub(super) fn manager(server: &MockServer) -> Arc<TokenManager> {
    manager_at(&server.uri(), AuthOptions::default())
}

pub(super) fn manager_with_store(server: &MockServer, store: impl TokenStore + 'static) -> Arc<TokenManager> {
    manager_at(&server.uri(), AuthOptions::default().token_store(store))
}

/// Kick's answer to a user token grant.
pub(super) fn user_token_json(access: &str, refresh: &str, expires_in: u64) -> serde_json::Value {
    json!({
        "access_token": access,
        "token_type": "Bearer",
        "refresh_token": refresh,
        "expires_in": expires_in,
        "scope": "user:read chat:write",
    })
}

/// Kick's answer to a client_credentials grant.
pub(super) fn app_token_json(access: &str, expires_in: u64) -> serde_json::Value {
    json!({"access_token": access, "token_type": "Bearer", "expires_in": expires_in})
}

/// Answers `POST /oauth/token` with `grant_type=<grant>` by `response`.
pub(super) async fn token_endpoint(server: &MockServer, grant: &str, response: ResponseTemplate) {
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(body_string_contains(format!("grant_type={grant}")))
        .respond_with(response)
        .mount(server)
        .await;
}

/// Answers every `client_credentials` grant with app token `access`, valid `expires_in` seconds.
pub(super) async fn app_token_endpoint(server: &MockServer, access: &str, expires_in: u64) {
    let answer = ResponseTemplate::new(200).set_body_json(app_token_json(access, expires_in));
    token_endpoint(server, "client_credentials", answer).await;
}

/// The form bodies of every request the server received, in order.
pub(super) async fn token_forms(server: &MockServer) -> Vec<HashMap<String, String>> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| r.url.path() == "/oauth/token")
        .map(|r| url::form_urlencoded::parse(&r.body).into_owned().collect::<HashMap<_, _>>())
        .collect()
}

/// Asserts one form's exact key set and values.
pub(super) fn assert_form(form: &HashMap<String, String>, expected: &[(&str, &str)]) {
    let expected: HashMap<String, String> = expected.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    assert_eq!(form, &expected);
}

/// The hang [`OAuthHost`] exists for, made certain: the coop budget spent exactly, then the host dropped.
#[test]
fn an_oauth_host_dropped_with_the_coop_budget_spent_does_not_hang() {
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let host = oauth_host().await;
            while tokio::task::coop::has_budget_remaining() {
                tokio::task::coop::consume_budget().await;
            }
            drop(host);
        });
        let _ = done.send(());
    });
    let dropped = finished.recv_timeout(std::time::Duration::from_secs(20));
    assert!(dropped.is_ok(), "dropping the OAuth host with the coop budget spent did not return in 20 s");
}
