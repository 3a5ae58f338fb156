//! Item 3: pagination always ends. A cursor that comes back a second time ends every `*_stream()` with
//! a typed error naming the method and the cursor; cursors Kick sends are passed back as sent.

use futures::{StreamExt, TryStreamExt};
use kickrs::api::{CategoriesOptions, FetchRewardRedemptionsOptions, LivestreamsV2Options};
use kickrs::{Error, KickClient};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use super::support::{Http, client, token_endpoint};

fn category(n: u64) -> Value {
    json!({ "id": n, "name": format!("category {n}"), "tags": ["x"], "thumbnail": "t" })
}

fn live(n: u64) -> Value {
    json!({
        "id": format!("6f1e9a52-0d5c-4a8e-9b7e-00000000000{n}"), "title": "s", "thumbnail": "t",
        "started_at": "2026-06-23T18:00:00Z", "viewer_count": n, "language_code": "en", "tags": ["en"],
        "has_mature_content": false, "broadcaster_user": { "id": n, "username": "u", "profile_picture": null },
        "category": { "id": 15, "name": "Just Chatting", "thumbnail": "t" }, "channel": { "slug": "u" }
    })
}

fn redemption_group(n: u64) -> Value {
    json!({
        "redemptions": [{"id": format!("redemption-{n}"), "redeemed_at": "2025-12-19T06:26:36Z",
            "redeemer": {"user_id": 42}, "status": "pending", "user_input": "m"}],
        "reward": {"can_manage": true, "cost": 101, "description": "d", "id": format!("reward-{n}"),
            "is_deleted": false, "title": "t"}
    })
}

/// A server whose every page at `at` says the next one is at `cursor`.
async fn stuck_at(at: &str, item: fn(u64) -> Value, cursor: &'static str) -> (MockServer, KickClient) {
    let kick = MockServer::start().await;
    token_endpoint(&kick).await;
    Mock::given(method("GET"))
        .and(path(at))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({ "data": [item(1)], "message": "OK", "pagination": { "next_cursor": cursor } })),
        )
        .mount(&kick)
        .await;
    let client = client(&kick, Http::BuiltIn);
    client
        .set_user_token("u", "r", std::time::Duration::from_secs(3600), &[kickrs::auth::Scope::ChannelRewardsRead])
        .await
        .unwrap();
    (kick, client)
}

/// At most 50 items of `stream` (the old code would loop for ever); the last must be the error.
async fn ends_with_repeated_cursor<T: std::fmt::Debug>(
    stream: impl futures::Stream<Item = kickrs::Result<T>>,
    operation: &str,
    cursor: &str,
) -> usize {
    let items: Vec<_> = stream.take(50).collect().await;
    let Some(Err(Error::RepeatedCursor { operation: op, cursor: c })) = items.last() else {
        panic!("{operation}: no RepeatedCursor after {} items: {:?}", items.len(), items.last())
    };
    assert_eq!((*op, c.as_str()), (operation, cursor));
    assert!(Error::RepeatedCursor { operation: op, cursor: c.clone() }.to_string().contains(cursor));
    items.len()
}

#[tokio::test]
async fn every_stream_ends_when_a_cursor_comes_back() {
    let (kick, client) = stuck_at("/public/v2/categories", category, "same-cursor").await;
    let seen = ends_with_repeated_cursor(
        client.fetch_categories_stream(CategoriesOptions::default()),
        "fetch_categories_stream",
        "same-cursor",
    )
    .await;
    assert_eq!(seen, 3, "page 1, page 2 (asked with the cursor), then the error");
    assert_eq!(kick.received_requests().await.unwrap().iter().filter(|r| r.url.path() != "/oauth/token").count(), 2);

    let (_kick, client) = stuck_at("/public/v2/livestreams", live, "same-cursor").await;
    let stream = client.fetch_livestreams_v2_stream(LivestreamsV2Options::default());
    ends_with_repeated_cursor(stream, "fetch_livestreams_v2_stream", "same-cursor").await;

    let (_kick, client) = stuck_at("/public/v1/channels/rewards/redemptions", redemption_group, "same-cursor").await;
    let stream = client.fetch_reward_redemptions_stream(FetchRewardRedemptionsOptions::default());
    ends_with_repeated_cursor(stream, "fetch_reward_redemptions_stream", "same-cursor").await;
}

/// A cycle longer than one page (a -> b -> a) is caught as well; and a starting cursor counts as seen.
#[tokio::test]
async fn a_cycle_of_cursors_ends_the_stream() {
    let kick = MockServer::start().await;
    token_endpoint(&kick).await;
    Mock::given(method("GET"))
        .and(path("/public/v2/categories"))
        .respond_with(|request: &Request| {
            let cursor = request.url.query_pairs().find(|(k, _)| k == "cursor").map(|(_, v)| v.into_owned());
            let next = if cursor.as_deref() == Some("cursor-a") { "cursor-b" } else { "cursor-a" };
            ResponseTemplate::new(200)
                .set_body_json(json!({ "data": [category(1)], "message": "OK", "pagination": { "next_cursor": next } }))
        })
        .mount(&kick)
        .await;
    let client = client(&kick, Http::BuiltIn);
    let options = CategoriesOptions { cursor: Some("cursor-b".into()), ..Default::default() };
    ends_with_repeated_cursor(client.fetch_categories_stream(options), "fetch_categories_stream", "cursor-b").await;
}

/// Kick's cursors are its own tokens: a long one is sent back as it came, not refused as input.
#[tokio::test]
async fn a_long_server_cursor_is_passed_back_as_sent() {
    let long = "c".repeat(200);
    let kick = MockServer::start().await;
    token_endpoint(&kick).await;
    let next = long.clone();
    Mock::given(method("GET"))
        .and(path("/public/v2/categories"))
        .respond_with(move |request: &Request| {
            let cursor = request.url.query_pairs().find(|(k, _)| k == "cursor").map(|(_, v)| v.into_owned());
            let (item, next) = if cursor.is_none() { (category(1), next.as_str()) } else { (category(2), "") };
            ResponseTemplate::new(200)
                .set_body_json(json!({ "data": [item], "message": "OK", "pagination": { "next_cursor": next } }))
        })
        .mount(&kick)
        .await;
    let client = client(&kick, Http::BuiltIn);
    let all: Vec<_> = client.fetch_categories_stream(CategoriesOptions::default()).try_collect().await.unwrap();
    assert_eq!(all.len(), 2);
    let requests = kick.received_requests().await.unwrap();
    let sent: Vec<_> = requests
        .iter()
        .filter_map(|r| r.url.query_pairs().find(|(k, _)| k == "cursor").map(|(_, v)| v.into_owned()))
        .collect();
    assert_eq!(sent, [long]);
}
