//! Item 5: decoding takes what Kick really sends: `null` for any list of any model reads as empty.

use futures::TryStreamExt;
use kickrs::api::{CategoriesOptions, FetchRewardRedemptionsOptions};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::support::{Http, client, token_endpoint};

async fn answer(kick: &MockServer, at: &str, body: serde_json::Value) {
    Mock::given(method("GET"))
        .and(path(at))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(kick)
        .await;
}

#[tokio::test]
async fn null_lists_read_as_empty_in_every_model() {
    let kick = MockServer::start().await;
    token_endpoint(&kick).await;
    answer(
        &kick,
        "/public/v2/categories",
        json!({"data": [{"id": 1, "name": "x", "tags": null, "thumbnail": "t"}], "message": "OK",
               "pagination": {"next_cursor": ""}}),
    )
    .await;
    answer(
        &kick,
        "/public/v1/channels/rewards/redemptions",
        json!({"data": [{"redemptions": null, "reward": {"can_manage": true, "cost": 1, "description": "d",
                "id": "r", "is_deleted": false, "title": "t"}}], "message": "OK", "pagination": {"next_cursor": ""}}),
    )
    .await;
    answer(&kick, "/public/v1/users", json!({"data": null, "message": "OK"})).await;
    let client = client(&kick, Http::BuiltIn);
    client
        .set_user_token("u", "r", std::time::Duration::from_secs(3600), &[kickrs::auth::Scope::ChannelRewardsRead])
        .await
        .unwrap();

    let categories: Vec<_> = client.fetch_categories_stream(CategoriesOptions::default()).try_collect().await.unwrap();
    assert_eq!(categories.len(), 1);
    assert!(categories[0].tags.is_empty());

    let groups = client.fetch_reward_redemptions(FetchRewardRedemptionsOptions::default()).await.unwrap();
    assert!(groups.items[0].redemptions.is_empty());

    // A list answer whose `data` is null is an empty list (then "no such user" for a single fetch).
    let users = client.fetch_users(&[1, 2]).await.unwrap();
    assert!(users.is_empty());
}
