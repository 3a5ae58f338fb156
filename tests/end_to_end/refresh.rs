//! Refresh against MockKick: an expired token is refreshed once, and with refresh-token rotation on
//! the new refresh token is saved (before the new access token is used) and works next time.

use std::sync::{Arc, Mutex};

use kickrs::auth::{AuthOptions, CallbackTokenStore};
use kickrs::mock::MockKick;
use kickrs::mock::seed::AURORA_ID;

use super::{client_with, requests_to};

/// One call of the store's save hook.
#[derive(Debug, Clone)]
struct Saved {
    refresh_token: String,
    /// Whether MockKick had already received a request bearing this access token when it was saved.
    access_token_already_used: bool,
}

/// A store that records every save, checking against MockKick's request log whether the token was used first.
fn recording_store(mock: &Arc<MockKick>) -> (CallbackTokenStore, Arc<Mutex<Vec<Saved>>>) {
    let saves = Arc::new(Mutex::new(Vec::new()));
    let (mock, log) = (Arc::clone(mock), Arc::clone(&saves));
    let store = CallbackTokenStore::new(None, move |_client_id, token| {
        let bearer = format!("Bearer {}", token.access_token().secret());
        let used = mock.requests().iter().any(|r| r.header("authorization") == Some(bearer.as_str()));
        let refresh_token = token.refresh_token().map(|t| t.secret().to_owned()).unwrap_or_default();
        log.lock().unwrap().push(Saved { refresh_token, access_token_already_used: used });
        Ok(())
    });
    (store, saves)
}

#[tokio::test]
async fn an_expired_token_is_refreshed_once_and_the_rotated_refresh_token_is_stored() {
    let mock = Arc::new(MockKick::start().await);
    mock.rotate_refresh_tokens(true);
    let (store, saves) = recording_store(&mock);
    let client = client_with(&mock, AuthOptions::default().token_store(store));
    let issued = mock.issue_user_tokens(AURORA_ID, &[kickrs::auth::Scope::ChannelRead, kickrs::auth::Scope::ChatWrite]);
    let first_refresh = issued.refresh_token.clone().unwrap();
    client
        .set_user_token(
            issued.access_token.clone(),
            first_refresh.clone(),
            std::time::Duration::from_secs(7200),
            &issued.scopes,
        )
        .await
        .unwrap();

    // MockKick expires the token early: the client still believes it valid, gets a 401, refreshes once.
    mock.expire_all_tokens();
    let channel = client.fetch_current_channel().await.unwrap();
    assert_eq!(channel.slug, "auroralive");
    assert_eq!(mock.token_request_count("refresh_token"), 1);
    assert_eq!(requests_to(&mock, "GET", "/public/v1/channels"), 2, "one 401, one resend");

    let saved = saves.lock().unwrap().clone();
    assert_eq!(saved.len(), 2, "{saved:?}");
    assert_eq!(saved[0].refresh_token, first_refresh);
    let rotated = saved[1].refresh_token.clone();
    assert!(!rotated.is_empty() && rotated != first_refresh);
    assert!(!saved[1].access_token_already_used, "the refreshed token was saved before it was used");
    let current = client.user_token().await.unwrap().unwrap();
    assert_eq!(current.refresh_token().unwrap().secret(), rotated);

    // Rotation: the first refresh token is dead now; the stored one is what keeps the user logged in.
    mock.expire_all_tokens();
    client.send_chat_message("still logged in", Default::default()).await.unwrap();
    assert_eq!(mock.token_request_count("refresh_token"), 2);
    assert!(mock.token_requests().iter().all(|r| r.status == 200), "{:?}", mock.token_requests());
    let refused = kickrs::http_client_builder()
        .unwrap()
        .build()
        .unwrap()
        .post(format!("{}/oauth/token", mock.oauth_base_url()))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", first_refresh.as_str()),
            ("client_id", mock.client_id()),
            ("client_secret", mock.client_secret()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400, "MockKick refuses the rotated-out refresh token");
    assert_eq!(saves.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn a_token_near_expiry_is_refreshed_before_the_call_with_no_401() {
    let mock = Arc::new(MockKick::start().await);
    let (store, saves) = recording_store(&mock);
    let client = client_with(&mock, AuthOptions::default().token_store(store));
    let issued = mock.issue_user_tokens(AURORA_ID, &[kickrs::auth::Scope::KicksRead]);
    // 30 s left is inside the default 60 s margin.
    client
        .set_user_token(
            issued.access_token.clone(),
            issued.refresh_token.clone().unwrap(),
            std::time::Duration::from_secs(30),
            &issued.scopes,
        )
        .await
        .unwrap();

    let board = client.fetch_kicks_leaderboard(None).await.unwrap();
    assert!(!board.lifetime.is_empty());

    assert_eq!(mock.token_request_count("refresh_token"), 1);
    assert_eq!(requests_to(&mock, "GET", "/public/v1/kicks/leaderboard"), 1, "refreshed first, sent once");
    let old_bearer = format!("Bearer {}", issued.access_token);
    assert!(mock.requests().iter().all(|r| r.header("authorization") != Some(old_bearer.as_str())));
    let saved = saves.lock().unwrap().clone();
    assert_eq!(saved.len(), 2);
    assert!(!saved[1].access_token_already_used);
    let current = client.user_token().await.unwrap().unwrap();
    assert!(current.expires_at() > chrono::Utc::now() + chrono::Duration::hours(1));
}
