//! Item 7: the wire matches Kick's docs and kickpy: `Content-Length: 0` on a POST without a body,
//! literal commas in comma-joined filters, and one empty-cursor policy for every paginated method.

use futures::TryStreamExt;
use kickrs::api::{CategoriesOptions, FetchRewardRedemptionsOptions, LivestreamsV2Options};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::support::{Http, client, token_endpoint};

async fn last_page(kick: &MockServer, at: &str) {
    Mock::given(method("GET"))
        .and(path(at))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({ "data": [], "message": "OK", "pagination": { "next_cursor": "" } })),
        )
        .mount(kick)
        .await;
}

#[tokio::test]
async fn a_post_without_a_body_says_content_length_0() {
    let kick = MockServer::start().await;
    token_endpoint(&kick).await;
    for at in ["/public/v1/token/introspect", "/oauth/token/introspect"] {
        Mock::given(method("POST"))
            .and(path(at))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(json!({ "data": {"active": true}, "message": "OK" })),
            )
            .mount(&kick)
            .await;
    }
    let client = client(&kick, Http::BuiltIn);
    client
        .set_user_token("u", "r", std::time::Duration::from_secs(3600), &[kickrs::auth::Scope::UserRead])
        .await
        .unwrap();
    let _ = client.raw().introspect_token_v1().await;
    client.introspect_token(kickrs::auth::TokenKind::User).await.unwrap();

    let requests = kick.received_requests().await.unwrap();
    for at in ["/public/v1/token/introspect", "/oauth/token/introspect"] {
        let request = requests.iter().find(|r| r.url.path() == at).expect("sent");
        let length = request.headers.get("content-length").map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(length.as_deref(), Some("0"), "{at}: {:?}", request.headers);
        assert!(request.headers.get("transfer-encoding").is_none());
    }
}

#[tokio::test]
async fn comma_joined_category_filters_go_out_with_literal_commas() {
    let kick = MockServer::start().await;
    token_endpoint(&kick).await;
    last_page(&kick, "/public/v2/categories").await;
    let client = client(&kick, Http::BuiltIn);
    let options = CategoriesOptions {
        category_ids: vec![15.into(), 28.into()],
        tags: vec!["shooter".into(), "co-op".into()],
        ..Default::default()
    };
    client.fetch_categories(options).await.unwrap();
    let requests = kick.received_requests().await.unwrap();
    let request = requests.iter().find(|r| r.url.path() == "/public/v2/categories").expect("sent");
    let query = request.url.query().unwrap_or_default();
    assert!(query.contains("id=15,28") && query.contains("tag=shooter,co-op"), "{query}");
    assert!(!query.contains("%2C"), "{query}");

    let comma = CategoriesOptions { names: vec!["a,b,c".into()], ..Default::default() };
    let error = client.fetch_categories(comma).await.expect_err("a comma inside one name would split it");
    assert!(matches!(&error, kickrs::Error::InvalidInput(e) if e.field == "name"), "{error:?}");
}

/// `cursor: Some("")` means "from the first page" for every paginated method: no `cursor` is sent.
#[tokio::test]
async fn an_empty_cursor_is_the_first_page_for_every_paginated_method() {
    let kick = MockServer::start().await;
    token_endpoint(&kick).await;
    for at in ["/public/v2/categories", "/public/v2/livestreams", "/public/v1/channels/rewards/redemptions"] {
        last_page(&kick, at).await;
    }
    let client = client(&kick, Http::BuiltIn);
    client
        .set_user_token("u", "r", std::time::Duration::from_secs(3600), &[kickrs::auth::Scope::ChannelRewardsRead])
        .await
        .unwrap();
    let empty = || Some(String::new());
    client.fetch_categories(CategoriesOptions { cursor: empty(), ..Default::default() }).await.unwrap();
    client.fetch_livestreams_v2(LivestreamsV2Options { cursor: empty(), ..Default::default() }).await.unwrap();
    client
        .fetch_reward_redemptions(FetchRewardRedemptionsOptions { cursor: empty(), ..Default::default() })
        .await
        .unwrap();
    let _: Vec<_> = client
        .fetch_categories_stream(CategoriesOptions { cursor: empty(), ..Default::default() })
        .try_collect()
        .await
        .unwrap();

    let requests = kick.received_requests().await.unwrap();
    let api: Vec<_> = requests.iter().filter(|r| r.url.path() != "/oauth/token").collect();
    assert_eq!(api.len(), 4);
    for request in api {
        assert!(!request.url.query_pairs().any(|(k, _)| k == "cursor"), "{}", request.url);
    }
}
