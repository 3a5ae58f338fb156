//! The write side of the facade (chat, moderation, rewards, kicks, ads, event subscriptions) against
//! wiremock: the exact requests on the wire, the decoded answers, Kick's error codes, and every
//! write-side limit refused before anything is sent.

mod support;

use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use kickrs::api::{
    BanUserOptions, ChatMessageType, CreateAdBreakOptions, CreateChannelRewardOptions, FetchEventsSubscriptionsOptions,
    FetchRewardRedemptionsOptions, SendChatMessageOptions, UpdateChannelRewardOptions, WebhookEvent,
};
use kickrs::models::{EventSpec, FailedRedemptionReason, RedemptionStatus};
use kickrs::{Error, KickClient, RetryPolicy};
use serde_json::{Value, json};
use support::wire::{fixture, wire, wiremock_kick};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A wiremock Kick with its token endpoint, and a client holding an app and a user token.
async fn kick() -> (MockServer, KickClient) {
    wiremock_kick(&kickrs::auth::Scope::all(), RetryPolicy::off()).await
}

async fn answer(server: &MockServer, verb: &str, at: &str, status: u16, body: Value) {
    Mock::given(method(verb))
        .and(path(at))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(server)
        .await;
}

async fn no_content(server: &MockServer, verb: &str, at: &str) {
    Mock::given(method(verb)).and(path(at)).respond_with(ResponseTemplate::new(204)).mount(server).await;
}

const MESSAGE_ID: &str = "9c3b2a10-4d5e-4f60-8a7b-1c2d3e4f5a6b";

fn chat_sent() -> Value {
    json!({"data": {"is_sent": true, "message_id": MESSAGE_ID}, "message": "OK"})
}

// ---------------------------------------------------------------- chat

#[tokio::test]
async fn send_chat_message_sends_bot_by_default_and_user_with_its_channel() {
    let _s = support::snapshots();
    let (server, client) = kick().await;
    answer(&server, "POST", "/public/v1/chat", 200, chat_sent()).await;

    let sent = client.send_chat_message("hello chat", SendChatMessageOptions::default()).await.unwrap();
    assert!(sent.is_sent);
    assert_eq!(sent.message_id.to_string(), MESSAGE_ID);

    let reply = SendChatMessageOptions {
        message_type: Some(ChatMessageType::User),
        broadcaster_user_id: Some(123.into()),
        reply_to_message_id: Some(MESSAGE_ID.into()),
    };
    client.send_chat_message("a reply 👋", reply).await.unwrap();
    insta::assert_json_snapshot!("writes_send_chat_message", wire(&server).await);
}

#[tokio::test]
async fn delete_chat_message_sends_the_id_in_the_path() {
    let _s = support::snapshots();
    let (server, client) = kick().await;
    no_content(&server, "DELETE", &format!("/public/v1/chat/{MESSAGE_ID}")).await;
    client.delete_chat_message(MESSAGE_ID).await.unwrap();
    insta::assert_json_snapshot!("writes_delete_chat_message", wire(&server).await);
}

// ---------------------------------------------------------------- moderation

#[tokio::test]
async fn ban_timeout_and_unban_succeed_with_an_empty_data_object() {
    let _s = support::snapshots();
    let (server, client) = kick().await;
    answer(
        &server,
        "POST",
        "/public/v1/moderation/bans",
        200,
        fixture("moderation-bans/gokick__ok_empty_data_object.json"),
    )
    .await;
    answer(
        &server,
        "DELETE",
        "/public/v1/moderation/bans",
        200,
        fixture("moderation-unban/gokick__ok_empty_data_object.json"),
    )
    .await;

    client.ban_user(123, 456, BanUserOptions::default()).await.unwrap();
    let timeout = BanUserOptions { duration: Some(Duration::from_secs(10 * 60)), reason: Some("spam".into()) };
    client.ban_user(123, 456, timeout).await.unwrap();
    client.unban_user(123, 456).await.unwrap();
    insta::assert_json_snapshot!("writes_ban_and_unban", wire(&server).await);
}

// ---------------------------------------------------------------- rewards

#[tokio::test]
async fn fetch_channel_rewards_decodes_the_list_and_an_empty_one() {
    let _s = support::snapshots();
    let (server, client) = kick().await;
    Mock::given(method("GET"))
        .and(path("/public/v1/channels/rewards"))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("channel-rewards/gokick__list.json")))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    answer(&server, "GET", "/public/v1/channels/rewards", 200, json!({"data": [], "message": "OK"})).await;

    let rewards = client.fetch_channel_rewards().await.unwrap();
    assert_eq!(rewards.len(), 1);
    assert_eq!((rewards[0].title.as_str(), rewards[0].cost), ("Song Request", 100));
    assert_eq!(rewards[0].background_color.as_deref(), Some("#00e701"));
    assert!(client.fetch_channel_rewards().await.unwrap().is_empty());
    insta::assert_json_snapshot!("writes_fetch_channel_rewards", wire(&server).await);
}

#[tokio::test]
async fn create_channel_reward_sends_cost_title_and_the_options_given() {
    let _s = support::snapshots();
    let (server, client) = kick().await;
    answer(&server, "POST", "/public/v1/channels/rewards", 200, fixture("channel-rewards-create/gokick__created.json"))
        .await;

    let reward =
        client.create_channel_reward(100, "Song Request", CreateChannelRewardOptions::default()).await.unwrap();
    assert_eq!(reward.id, "01HZ8X9K2M4N6P8Q0R2S4T6V8W0Y2Z4");
    let options = CreateChannelRewardOptions {
        background_color: Some("#FF8800".into()),
        description: Some("Request a song by providing a URL".into()),
        is_enabled: Some(false),
        is_user_input_required: Some(true),
        should_redemptions_skip_request_queue: Some(true),
    };
    client.create_channel_reward(100, "Song Request", options).await.unwrap();
    insta::assert_json_snapshot!("writes_create_channel_reward", wire(&server).await);
}

#[tokio::test]
async fn update_channel_reward_sends_only_the_fields_set() {
    let _s = support::snapshots();
    let (server, client) = kick().await;
    let id = "01HZ8X9K2M4N6P8Q0R2S4T6V8W";
    answer(
        &server,
        "PATCH",
        &format!("/public/v1/channels/rewards/{id}"),
        200,
        fixture("channel-rewards-update/gokick__partial_update.json"),
    )
    .await;

    let options = UpdateChannelRewardOptions {
        cost: Some(200),
        title: Some("New Title".into()),
        is_paused: Some(false),
        ..Default::default()
    };
    let reward = client.update_channel_reward(id, options).await.unwrap();
    assert_eq!((reward.title.as_str(), reward.cost), ("New Title", 200));
    insta::assert_json_snapshot!("writes_update_channel_reward", wire(&server).await);
}

#[tokio::test]
async fn delete_channel_reward_sends_the_id_in_the_path() {
    let _s = support::snapshots();
    let (server, client) = kick().await;
    no_content(&server, "DELETE", "/public/v1/channels/rewards/01HZ8X9K2M4N6P8Q0R2S4T6V8W").await;
    client.delete_channel_reward("01HZ8X9K2M4N6P8Q0R2S4T6V8W").await.unwrap();
    insta::assert_json_snapshot!("writes_delete_channel_reward", wire(&server).await);
}

fn redemption_page(reward: &str, redemption: &str, next_cursor: &str) -> Value {
    json!({
        "data": [{
            "reward": {"id": reward, "title": "Hydrate", "cost": 50, "description": "drink", "can_manage": true},
            "redemptions": [{
                "id": redemption,
                "redeemed_at": "2026-01-15T10:20:30.123456789Z",
                "redeemer": {"user_id": 42},
                "status": "pending",
                "user_input": "now"
            }]
        }],
        "message": "OK",
        "pagination": {"next_cursor": next_cursor}
    })
}

#[tokio::test]
async fn fetch_reward_redemptions_sends_filters_and_reads_the_cursor() {
    let _s = support::snapshots();
    let (server, client) = kick().await;
    answer(&server, "GET", "/public/v1/channels/rewards/redemptions", 200, redemption_page("R1", "X1", "Y3Vyc29yMg=="))
        .await;

    let filtered = FetchRewardRedemptionsOptions {
        reward_id: Some("01J00000000000000000000RWD".into()),
        status: Some(RedemptionStatus::Accepted),
        cursor: Some("Y3Vyc29yMQ==".into()),
        ..Default::default()
    };
    let page = client.fetch_reward_redemptions(filtered).await.unwrap();
    assert_eq!(page.next_cursor.as_deref(), Some("Y3Vyc29yMg=="));
    assert_eq!(page.items[0].reward.title, "Hydrate");
    let redemption = &page.items[0].redemptions[0];
    assert_eq!((redemption.redeemer.user_id.get(), &redemption.status), (42, &RedemptionStatus::Pending));
    assert_eq!(redemption.redeemed_at.timestamp_subsec_nanos(), 123_456_789);

    let by_ids = FetchRewardRedemptionsOptions { ids: Some(vec!["X1".into(), "X2".into()]), ..Default::default() };
    client.fetch_reward_redemptions(by_ids).await.unwrap();
    // An empty cursor (Kick's "last page") is not sent back as `cursor=`.
    let empty_cursor = FetchRewardRedemptionsOptions { cursor: Some(String::new()), ..Default::default() };
    client.fetch_reward_redemptions(empty_cursor).await.unwrap();
    insta::assert_json_snapshot!("writes_fetch_reward_redemptions", wire(&server).await);
}

#[tokio::test]
async fn fetch_reward_redemptions_stream_walks_every_page_until_the_empty_cursor() {
    let _s = support::snapshots();
    let (server, client) = kick().await;
    let at = "/public/v1/channels/rewards/redemptions";
    for (cursor, reward, next) in [(None, "R1", "c2c2"), (Some("c2c2"), "R2", "c3c3"), (Some("c3c3"), "R3", "")] {
        let mock = Mock::given(method("GET")).and(path(at));
        let mock = match cursor {
            Some(cursor) => mock.and(query_param("cursor", cursor)),
            None => mock.and(query_param_is_missing("cursor")),
        };
        mock.respond_with(ResponseTemplate::new(200).set_body_json(redemption_page(
            reward,
            &format!("X-{reward}"),
            next,
        )))
        .expect(1)
        .mount(&server)
        .await;
    }

    let options = FetchRewardRedemptionsOptions { status: Some(RedemptionStatus::Pending), ..Default::default() };
    let groups: Vec<_> = client.fetch_reward_redemptions_stream(options).try_collect().await.unwrap();
    let rewards: Vec<&str> = groups.iter().map(|group| group.reward.id.as_str()).collect();
    assert_eq!(rewards, ["R1", "R2", "R3"]);
    insta::assert_json_snapshot!("writes_fetch_reward_redemptions_stream", wire(&server).await);
}

#[tokio::test]
async fn a_refused_filter_is_the_streams_only_item() {
    let (server, client) = kick().await;
    let options = FetchRewardRedemptionsOptions { ids: Some(vec![]), ..Default::default() };
    let items: Vec<_> = client.fetch_reward_redemptions_stream(options).collect().await;
    assert_eq!(items.len(), 1);
    assert!(matches!(&items[0], Err(Error::InvalidInput(e)) if e.field == "ids"));
    assert_eq!(wire(&server).await, json!([]));
}

#[tokio::test]
async fn accept_with_empty_data_is_success_and_reject_returns_the_failures() {
    let _s = support::snapshots();
    let (server, client) = kick().await;
    let accept = "/public/v1/channels/rewards/redemptions/accept";
    answer(&server, "POST", accept, 200, fixture("redemptions-accept/kickgosdk__all_ok_empty.json")).await;
    answer(
        &server,
        "POST",
        "/public/v1/channels/rewards/redemptions/reject",
        200,
        fixture("redemptions-reject/kickgosdk__one_failed.json"),
    )
    .await;

    let ids = vec!["01J0000000000000000000000A".to_string(), "01J0000000000000000000000B".to_string()];
    assert!(client.accept_reward_redemptions(&ids).await.unwrap().is_empty());
    let failed = client.reject_reward_redemptions(&ids[..1]).await.unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!((failed[0].id.as_str(), &failed[0].reason), ("id-1", &FailedRedemptionReason::NotOwned));
    insta::assert_json_snapshot!("writes_accept_reject_redemptions", wire(&server).await);
}

// ---------------------------------------------------------------- kicks

#[tokio::test]
async fn fetch_kicks_leaderboard_always_sends_top() {
    let _s = support::snapshots();
    let (server, client) = kick().await;
    answer(&server, "GET", "/public/v1/kicks/leaderboard", 200, fixture("kicks-leaderboard/gokick__leaderboard.json"))
        .await;

    let board = client.fetch_kicks_leaderboard(None).await.unwrap();
    assert_eq!(board.lifetime.len(), 2);
    assert_eq!((board.week[0].username.as_str(), board.week[0].gifted_amount), ("weekly-champion", 100));
    client.fetch_kicks_leaderboard(25).await.unwrap();
    insta::assert_json_snapshot!("writes_fetch_kicks_leaderboard", wire(&server).await);
}

// ---------------------------------------------------------------- ads

#[tokio::test]
async fn ads_status_break_and_enrolment_on_the_wire() {
    let _s = support::snapshots();
    let (server, client) = kick().await;
    let status = json!({
        "data": {
            "ad_breaks": [{
                "break_duration_seconds": 60, "created_at": "2026-01-10T12:00:00Z",
                "id": "0b6f8c1e-3c55-4d8a-9f57-0c1f7b8e2a11", "source": "manual", "status": "completed"
            }],
            "ads_blocked": false, "auto_ads_active": false, "limits": {"max": 3, "period_seconds": 3600},
            "opted_in": true, "remaining_ad_breaks": 2
        },
        "message": "OK"
    });
    answer(&server, "GET", "/public/v1/ads/ad-break-status", 200, status).await;
    let created =
        json!({"data": {"id": "0b6f8c1e-3c55-4d8a-9f57-0c1f7b8e2a11", "remaining_ad_breaks": 1}, "message": "OK"});
    answer(&server, "POST", "/public/v1/ads/ad-break", 200, created).await;
    answer(&server, "POST", "/public/v1/ads/enroll", 200, json!({"data": {}, "message": "OK"})).await;

    let status = client.fetch_ad_break_status().await.unwrap();
    assert!(status.opted_in);
    assert_eq!((status.remaining_ad_breaks, status.ad_breaks[0].break_duration_seconds), (2, 60));
    let given = CreateAdBreakOptions { ad_break_id: Some("0b6f8c1e-3c55-4d8a-9f57-0c1f7b8e2a11".into()) };
    let ad_break = client.create_ad_break(Duration::from_secs(60), given).await.unwrap();
    assert_eq!(ad_break.remaining_ad_breaks, 1);
    client.create_ad_break(Duration::from_secs(30), CreateAdBreakOptions::default()).await.unwrap();
    client.enroll_in_ads().await.unwrap();

    let sent = wire(&server).await;
    let fresh = uuid::Uuid::parse_str(sent[2]["body"]["id"].as_str().unwrap()).unwrap();
    assert_eq!(fresh.get_version_num(), 4);
    insta::assert_json_snapshot!("writes_ads", sent, {"[2].body.id" => "[fresh uuid v4]"});
}

#[tokio::test]
async fn ads_refusals_carry_kicks_machine_code() {
    let (server, client) = kick().await;
    let at = "/public/v1/ads/ad-break";
    let refusals = [
        (400, json!({"data": "CHANNEL_IS_NOT_LIVE", "message": "Channel is not live"})),
        (409, json!({"data": "AD_BREAK_ACTIVE", "message": "Conflict"})),
        (429, json!({"data": "MAX_AD_BREAKS_REACHED", "message": "Ratelimited"})),
        (400, json!({"data": {"code": "ADS_BLOCKED"}, "message": "Bad request"})),
    ];
    for (status, body) in refusals {
        server.reset().await;
        answer(&server, "POST", at, status, body.clone()).await;
        let error = client.create_ad_break(Duration::from_secs(60), CreateAdBreakOptions::default()).await.unwrap_err();
        match error {
            Error::Api { status: got, code, message, endpoint, .. } => {
                assert_eq!(got.as_u16(), status);
                let expected = body["data"].as_str().or(body["data"]["code"].as_str());
                assert_eq!(code.as_deref(), expected);
                assert_eq!(message.as_deref(), body["message"].as_str());
                assert_eq!(endpoint.operation, "create_ad_break");
            }
            other => panic!("{status}: expected Error::Api, got {other:?}"),
        }
    }

    // A 429 without a code is throttling; a 404 with one is still "not found".
    server.reset().await;
    Mock::given(method("POST"))
        .and(path(at))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "7")
                .set_body_json(json!({"data": null, "message": "Too many requests"})),
        )
        .mount(&server)
        .await;
    let error = client.create_ad_break(Duration::from_secs(60), CreateAdBreakOptions::default()).await.unwrap_err();
    assert!(matches!(error, Error::RateLimited { retry_after: Some(wait), .. } if wait.as_secs() == 7), "{error:?}");
    answer(&server, "POST", "/public/v1/ads/enroll", 404, json!({"data": "CHANNEL_NOT_FOUND", "message": "Not found"}))
        .await;
    let error = client.enroll_in_ads().await.unwrap_err();
    assert!(matches!(&error, Error::NotFound { message: Some(m), .. } if m == "Not found"), "{error:?}");
}

#[tokio::test]
async fn a_prose_data_string_is_not_taken_for_a_code() {
    let (server, client) = kick().await;
    answer(&server, "POST", "/public/v1/chat", 400, fixture("chat/issue123__REAL_400_data_is_string.json")).await;
    let error = client.send_chat_message("hi", SendChatMessageOptions::default()).await.unwrap_err();
    match error {
        Error::Api { code, message, data, .. } => {
            assert_eq!(code, None);
            assert_eq!(message.as_deref(), Some("Bad request"));
            assert_eq!(data, Some(json!("Channel not found")));
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

#[tokio::test]
async fn a_rejected_app_token_is_renewed_once_then_kicks_401_body_is_kept() {
    let (server, client) = kick().await;
    answer(
        &server,
        "GET",
        "/public/v1/events/subscriptions",
        401,
        fixture("_errors/issue253__REAL_401_unauthorized_data_empty_object.json"),
    )
    .await;
    let error = client.fetch_events_subscriptions(FetchEventsSubscriptionsOptions::default()).await.unwrap_err();
    match error {
        Error::Api { status, message, code, data, endpoint } => {
            assert_eq!(status.as_u16(), 401);
            assert_eq!(message.as_deref(), Some("Unauthorized"));
            assert_eq!((code, data), (None, Some(json!({}))));
            assert_eq!(endpoint.operation, "fetch_events_subscriptions");
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
    let sent = wire(&server).await;
    assert_eq!(sent.as_array().unwrap().len(), 2, "one resend after a fresh app token: {sent}");
}

// ---------------------------------------------------------------- events

fn subscription(id: &str, event: &str, version: i64, broadcaster: i64) -> Value {
    json!({
        "id": id, "app_id": "01HAPP0000000000000000000A", "broadcaster_user_id": broadcaster, "event": event,
        "version": version, "method": "webhook",
        "created_at": "2026-01-10T12:00:00Z", "updated_at": "2026-01-10T12:00:00.5+11:00"
    })
}

#[tokio::test]
async fn fetch_events_subscriptions_uses_the_app_token_and_the_filter() {
    let _s = support::snapshots();
    let (server, client) = kick().await;
    let list =
        json!({"data": [subscription("01HSUB000000000000000000A1", "chat.message.sent", 1, 123)], "message": "OK"});
    answer(&server, "GET", "/public/v1/events/subscriptions", 200, list).await;

    let all = client.fetch_events_subscriptions(FetchEventsSubscriptionsOptions::default()).await.unwrap();
    assert_eq!(
        (all[0].event.as_str(), all[0].version, all[0].broadcaster_user_id.get()),
        ("chat.message.sent", 1, 123)
    );
    let filtered = FetchEventsSubscriptionsOptions { broadcaster_user_id: Some(123.into()) };
    client.fetch_events_subscriptions(filtered).await.unwrap();
    insta::assert_json_snapshot!("writes_fetch_events_subscriptions", wire(&server).await);
}

#[tokio::test]
async fn subscribe_accepts_kicks_201_and_surfaces_a_per_event_error() {
    let _s = support::snapshots();
    let (server, client) = kick().await;
    let at = "/public/v1/events/subscriptions";
    let created = json!({
        "data": [{"name": "chat.message.sent", "version": 1, "subscription_id": "01HSUB000000000000000000A1"}],
        "message": "OK"
    });
    Mock::given(method("POST"))
        .and(path(at))
        .respond_with(ResponseTemplate::new(201).set_body_json(created))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    answer(&server, "POST", at, 201, fixture("events-subscriptions-create/gokick__result_with_error_and_id.json"))
        .await;

    let one = client.subscribe_to_event(WebhookEvent::ChatMessageSent, 123).await.unwrap();
    assert_eq!(one.subscription_id.as_ref().map(|id| id.as_str()), Some("01HSUB000000000000000000A1"));
    match client.subscribe_to_event("channel.followed", 123).await.unwrap_err() {
        Error::Api { status, message, .. } => {
            assert_eq!(status.as_u16(), 201);
            assert_eq!(message.as_deref(), Some("error"));
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
    let many = client
        .subscribe_to_events(
            123,
            [
                EventSpec::from(WebhookEvent::ModerationUserBanned),
                (WebhookEvent::KicksGifted, 1).into(),
                ("livestream.status.updated", 2).into(),
            ],
        )
        .await
        .unwrap();
    assert_eq!(many[0].error.as_deref(), Some("error"));
    insta::assert_json_snapshot!("writes_subscribe_to_events", wire(&server).await);
}

#[tokio::test]
async fn unsubscribe_repeats_id_in_the_query() {
    let _s = support::snapshots();
    let (server, client) = kick().await;
    no_content(&server, "DELETE", "/public/v1/events/subscriptions").await;
    client.unsubscribe_from_event("01HSUB000000000000000000A1").await.unwrap();
    let ids = ["01HSUB000000000000000000A1".to_string(), "01HSUB000000000000000000A2".to_string()];
    client.unsubscribe_from_events(&ids).await.unwrap();
    insta::assert_json_snapshot!("writes_unsubscribe_from_events", wire(&server).await);
}

#[tokio::test]
async fn ensure_subscriptions_creates_only_the_missing_pairs() {
    let _s = support::snapshots();
    let (server, client) = kick().await;
    let at = "/public/v1/events/subscriptions";
    let existing = json!({"data": [
        subscription("01HSUB000000000000000000A1", "chat.message.sent", 1, 123),
        subscription("01HSUB000000000000000000A2", "kicks.gifted", 2, 123),
        subscription("01HSUB000000000000000000A3", "channel.followed", 1, 999),
    ], "message": "OK"});
    answer(&server, "GET", at, 200, existing).await;
    let created = json!({"data": [
        {"name": "kicks.gifted", "version": 1, "subscription_id": "01HSUB000000000000000000B1"},
        {"name": "channel.followed", "version": 1, "subscription_id": "01HSUB000000000000000000B2"}
    ], "message": "OK"});
    answer(&server, "POST", at, 201, created).await;

    let wanted = [
        WebhookEvent::ChatMessageSent,
        WebhookEvent::KicksGifted,
        WebhookEvent::ChannelFollowed,
        WebhookEvent::ChatMessageSent,
    ];
    let outcome = client.ensure_subscriptions(123, wanted).await.unwrap();
    let kept: Vec<&str> = outcome.existing.iter().map(|sub| sub.id.as_str()).collect();
    assert_eq!(kept, ["01HSUB000000000000000000A1"]);
    assert_eq!(outcome.created.len(), 2);

    let sent = wire(&server).await;
    assert_eq!(
        sent[1]["body"]["events"],
        json!([{"name": "kicks.gifted", "version": 1}, {"name": "channel.followed", "version": 1}])
    );
    insta::assert_json_snapshot!("writes_ensure_subscriptions", sent);
}

#[tokio::test]
async fn ensure_subscriptions_posts_nothing_when_all_exist() {
    let (server, client) = kick().await;
    let existing =
        json!({"data": [subscription("01HSUB000000000000000000A1", "chat.message.sent", 1, 123)], "message": "OK"});
    answer(&server, "GET", "/public/v1/events/subscriptions", 200, existing).await;
    let outcome = client.ensure_subscriptions(123, [WebhookEvent::ChatMessageSent]).await.unwrap();
    assert!(outcome.created.is_empty());
    assert_eq!(outcome.existing.len(), 1);
    let sent = wire(&server).await;
    assert_eq!(sent.as_array().unwrap().len(), 1);
    assert_eq!(sent[0]["method"], "GET");
}

// ---------------------------------------------------------------- validation

type Call = Box<dyn Fn(KickClient) -> futures::future::LocalBoxFuture<'static, kickrs::Result<()>>>;

fn call<F, Fut>(f: F) -> Call
where
    F: Fn(KickClient) -> Fut + 'static,
    Fut: Future<Output = kickrs::Result<()>> + 'static,
{
    Box::new(move |client| Box::pin(f(client)))
}

/// A Kick that accepts every write, for the cases that must go through.
async fn accepting_kick() -> (MockServer, KickClient) {
    let (server, client) = kick().await;
    let reward = fixture("channel-rewards-create/gokick__created.json");
    answer(&server, "POST", "/public/v1/chat", 200, chat_sent()).await;
    answer(&server, "POST", "/public/v1/moderation/bans", 200, json!({"data": {}, "message": "OK"})).await;
    answer(&server, "POST", "/public/v1/channels/rewards", 200, reward.clone()).await;
    answer(&server, "PATCH", "/public/v1/channels/rewards/R1", 200, reward).await;
    answer(&server, "GET", "/public/v1/channels/rewards/redemptions", 200, redemption_page("R1", "X1", "")).await;
    answer(
        &server,
        "POST",
        "/public/v1/channels/rewards/redemptions/accept",
        200,
        json!({"data": [], "message": "OK"}),
    )
    .await;
    answer(
        &server,
        "POST",
        "/public/v1/channels/rewards/redemptions/reject",
        200,
        json!({"data": [], "message": "OK"}),
    )
    .await;
    answer(&server, "GET", "/public/v1/kicks/leaderboard", 200, fixture("kicks-leaderboard/gokick__leaderboard.json"))
        .await;
    let ad_break =
        json!({"data": {"id": "0b6f8c1e-3c55-4d8a-9f57-0c1f7b8e2a11", "remaining_ad_breaks": 1}, "message": "OK"});
    answer(&server, "POST", "/public/v1/ads/ad-break", 200, ad_break).await;
    let created =
        json!({"data": [{"name": "chat.message.sent", "version": 1, "subscription_id": "S1"}], "message": "OK"});
    answer(&server, "POST", "/public/v1/events/subscriptions", 201, created).await;
    no_content(&server, "DELETE", "/public/v1/events/subscriptions").await;
    (server, client)
}

fn chat(content: String) -> Call {
    call(move |client| {
        let content = content.clone();
        async move { client.send_chat_message(&content, SendChatMessageOptions::default()).await.map(drop) }
    })
}

fn chat_with(options: SendChatMessageOptions) -> Call {
    call(move |client| {
        let options = options.clone();
        async move { client.send_chat_message("hi", options).await.map(drop) }
    })
}

fn ban(options: BanUserOptions) -> Call {
    call(move |client| {
        let options = options.clone();
        async move { client.ban_user(1, 2, options).await }
    })
}

fn create_reward(cost: u64, title: String, options: CreateChannelRewardOptions) -> Call {
    call(move |client| {
        let (title, options) = (title.clone(), options.clone());
        async move { client.create_channel_reward(cost, &title, options).await.map(drop) }
    })
}

fn update_reward(id: &'static str, options: UpdateChannelRewardOptions) -> Call {
    call(move |client| {
        let options = options.clone();
        async move { client.update_channel_reward(id, options).await.map(drop) }
    })
}

fn redemptions(options: FetchRewardRedemptionsOptions) -> Call {
    call(move |client| {
        let options = options.clone();
        async move { client.fetch_reward_redemptions(options).await.map(drop) }
    })
}

fn accept(ids: Vec<kickrs::ids::RedemptionId>) -> Call {
    call(move |client| {
        let ids = ids.clone();
        async move { client.accept_reward_redemptions(&ids).await.map(drop) }
    })
}

fn reject(ids: Vec<kickrs::ids::RedemptionId>) -> Call {
    call(move |client| {
        let ids = ids.clone();
        async move { client.reject_reward_redemptions(&ids).await.map(drop) }
    })
}

fn top(top: u32) -> Call {
    call(move |client| async move { client.fetch_kicks_leaderboard(top).await.map(drop) })
}

fn ad_break(seconds: u64, ad_break_id: Option<&'static str>) -> Call {
    call(move |client| async move {
        let options = CreateAdBreakOptions { ad_break_id: ad_break_id.map(Into::into) };
        client.create_ad_break(Duration::from_secs(seconds), options).await.map(drop)
    })
}

fn subscribe(events: Vec<EventSpec>) -> Call {
    call(move |client| {
        let events = events.clone();
        async move { client.subscribe_to_events(123, events).await.map(drop) }
    })
}

fn ids(n: usize) -> Vec<kickrs::ids::RedemptionId> {
    (0..n).map(|i| format!("01J{i:023}").into()).collect()
}

fn text(n: usize) -> String {
    "é".repeat(n)
}

#[tokio::test]
async fn every_write_limit_is_checked_at_its_boundary_before_sending() {
    use kickrs::validate::{Problem, ValidationError};
    let length = |field, len, min, max| Some(ValidationError::new(field, Problem::Length { len, min, max }));
    let range = |field, value, min, max| Some(ValidationError::new(field, Problem::Range { value, min, max }));
    let duration =
        |field, value, unit, min, max| Some(ValidationError::new(field, Problem::Duration { value, unit, min, max }));
    let minutes = |n: u64| Duration::from_secs(n * 60);
    let timeout = |length: Duration| ban(BanUserOptions { duration: Some(length), ..Default::default() });
    let count = |field, count, min, max| Some(ValidationError::new(field, Problem::Count { count, min, max }));
    let format = |field, value: &str, expected| {
        Some(ValidationError::new(field, Problem::Format { value: value.into(), expected }))
    };
    let missing = |field, reason| Some(ValidationError::new(field, Problem::Missing { reason }));
    let colour = |c: &str| CreateChannelRewardOptions { background_color: Some(c.into()), ..Default::default() };
    let description = |n| CreateChannelRewardOptions { description: Some(text(n)), ..Default::default() };
    let with_ids = |ids| FetchRewardRedemptionsOptions { ids: Some(ids), ..Default::default() };
    let user_message = SendChatMessageOptions { message_type: Some(ChatMessageType::User), ..Default::default() };
    let cost_max = i64::MAX;

    let cases: Vec<(&str, Call, Option<ValidationError>)> = vec![
        // Chat content: 1 to 500 Unicode scalar values (multi-byte characters count once).
        ("content 500", chat(text(500)), None),
        ("content 499", chat(text(499)), None),
        ("content 500 emoji", chat("👋".repeat(500)), None),
        ("content 501", chat(text(501)), length("content", 501, 1, 500)),
        ("content 1", chat(text(1)), None),
        ("content 2", chat(text(2)), None),
        ("content 0", chat(String::new()), length("content", 0, 1, 500)),
        (
            "user message with a channel",
            chat_with(SendChatMessageOptions { broadcaster_user_id: Some(1.into()), ..user_message.clone() }),
            None,
        ),
        (
            "user message without a channel",
            chat_with(user_message),
            missing("broadcaster_user_id", "when `type` is `user`"),
        ),
        (
            "reply to a uuid",
            chat_with(SendChatMessageOptions { reply_to_message_id: Some(MESSAGE_ID.into()), ..Default::default() }),
            None,
        ),
        (
            "reply to a non-uuid",
            chat_with(SendChatMessageOptions { reply_to_message_id: Some("abc".into()), ..Default::default() }),
            format("reply_to_message_id", "abc", "a UUID"),
        ),
        (
            "delete message without id",
            call(|c| async move { c.delete_chat_message("").await }),
            missing("message_id", "(an empty id would address another endpoint)"),
        ),
        // Bans: 1 to 10080 whole minutes, reason at most 100 characters.
        ("duration 1 min", timeout(minutes(1)), None),
        ("duration 2 min", timeout(minutes(2)), None),
        ("duration 0", timeout(Duration::ZERO), duration("duration", Duration::ZERO, "minutes", 1, 10_080)),
        ("duration 10080 min", timeout(minutes(10_080)), None),
        ("duration 10079 min", timeout(minutes(10_079)), None),
        ("duration 10081 min", timeout(minutes(10_081)), duration("duration", minutes(10_081), "minutes", 1, 10_080)),
        // Seconds are not silently rounded to minutes (nor read as minutes).
        (
            "duration 90 s",
            timeout(Duration::from_secs(90)),
            duration("duration", Duration::from_secs(90), "minutes", 1, 10_080),
        ),
        (
            "duration 59 s",
            timeout(Duration::from_secs(59)),
            duration("duration", Duration::from_secs(59), "minutes", 1, 10_080),
        ),
        (
            "duration 10 min + 1 ms",
            timeout(minutes(10) + Duration::from_millis(1)),
            duration("duration", minutes(10) + Duration::from_millis(1), "minutes", 1, 10_080),
        ),
        ("reason 100", ban(BanUserOptions { reason: Some(text(100)), ..Default::default() }), None),
        ("reason 99", ban(BanUserOptions { reason: Some(text(99)), ..Default::default() }), None),
        (
            "reason 101",
            ban(BanUserOptions { reason: Some(text(101)), ..Default::default() }),
            length("reason", 101, 0, 100),
        ),
        // Rewards: cost at least 1, title 1 to 50, description at most 200, #RRGGBB colour.
        ("cost 1", create_reward(1, "t".into(), Default::default()), None),
        ("cost 2", create_reward(2, "t".into(), Default::default()), None),
        ("cost 0", create_reward(0, "t".into(), Default::default()), range("cost", 0, 1, cost_max)),
        ("title 50", create_reward(1, text(50), Default::default()), None),
        ("title 49", create_reward(1, text(49), Default::default()), None),
        ("title 51", create_reward(1, text(51), Default::default()), length("title", 51, 1, 50)),
        ("title 0", create_reward(1, String::new(), Default::default()), length("title", 0, 1, 50)),
        ("description 200", create_reward(1, "t".into(), description(200)), None),
        ("description 199", create_reward(1, "t".into(), description(199)), None),
        ("description 201", create_reward(1, "t".into(), description(201)), length("description", 201, 0, 200)),
        ("colour #A1b2C3", create_reward(1, "t".into(), colour("#A1b2C3")), None),
        (
            "colour #12345",
            create_reward(1, "t".into(), colour("#12345")),
            format("background_color", "#12345", "a #RRGGBB colour"),
        ),
        (
            "colour #1234567",
            create_reward(1, "t".into(), colour("#1234567")),
            format("background_color", "#1234567", "a #RRGGBB colour"),
        ),
        (
            "colour 123456",
            create_reward(1, "t".into(), colour("123456")),
            format("background_color", "123456", "a #RRGGBB colour"),
        ),
        (
            "colour #12345G",
            create_reward(1, "t".into(), colour("#12345G")),
            format("background_color", "#12345G", "a #RRGGBB colour"),
        ),
        (
            "update one field",
            update_reward("R1", UpdateChannelRewardOptions { is_enabled: Some(false), ..Default::default() }),
            None,
        ),
        (
            "update nothing",
            update_reward("R1", UpdateChannelRewardOptions::default()),
            Some(ValidationError::new("options", Problem::Empty)),
        ),
        (
            "update cost 0",
            update_reward("R1", UpdateChannelRewardOptions { cost: Some(0), ..Default::default() }),
            range("cost", 0, 1, cost_max),
        ),
        (
            "update title 51",
            update_reward("R1", UpdateChannelRewardOptions { title: Some(text(51)), ..Default::default() }),
            length("title", 51, 1, 50),
        ),
        (
            "update colour",
            update_reward(
                "R1",
                UpdateChannelRewardOptions { background_color: Some("red".into()), ..Default::default() },
            ),
            format("background_color", "red", "a #RRGGBB colour"),
        ),
        (
            "update without id",
            update_reward("", UpdateChannelRewardOptions { is_paused: Some(true), ..Default::default() }),
            missing("reward_id", "(an empty id would address another endpoint)"),
        ),
        (
            "delete reward without id",
            call(|c| async move { c.delete_channel_reward(" ").await }),
            missing("reward_id", "(an empty id would address another endpoint)"),
        ),
        // Redemption filters: ids 1 to 25, unique, exclusive with reward_id and status.
        ("filter ids 25", redemptions(with_ids(ids(25))), None),
        ("filter ids 24", redemptions(with_ids(ids(24))), None),
        ("filter ids 26", redemptions(with_ids(ids(26))), count("ids", 26, 1, 25)),
        ("filter ids 1", redemptions(with_ids(ids(1))), None),
        ("filter ids 0", redemptions(with_ids(ids(0))), count("ids", 0, 1, 25)),
        (
            "filter ids repeated",
            redemptions(with_ids(vec!["A".into(), "B".into(), "A".into()])),
            Some(ValidationError::new("ids", Problem::Duplicate { value: "A".into() })),
        ),
        (
            "filter ids with status",
            redemptions(FetchRewardRedemptionsOptions { status: Some(RedemptionStatus::Pending), ..with_ids(ids(1)) }),
            Some(ValidationError::new("ids", Problem::Conflict { other: "status" })),
        ),
        (
            "filter ids with reward",
            redemptions(FetchRewardRedemptionsOptions { reward_id: Some("R1".into()), ..with_ids(ids(1)) }),
            Some(ValidationError::new("ids", Problem::Conflict { other: "reward_id" })),
        ),
        (
            "filter ids with cursor",
            redemptions(FetchRewardRedemptionsOptions { cursor: Some("abcd".into()), ..with_ids(ids(1)) }),
            None,
        ),
        (
            "filter unknown status",
            redemptions(FetchRewardRedemptionsOptions {
                status: Some(RedemptionStatus::Other("refunded".into())),
                ..Default::default()
            }),
            format("status", "refunded", "pending, accepted or rejected"),
        ),
        // Accept and reject: 1 to 25 unique ids.
        ("accept 25", accept(ids(25)), None),
        ("accept 24", accept(ids(24)), None),
        ("accept 26", accept(ids(26)), count("ids", 26, 1, 25)),
        ("accept 1", accept(ids(1)), None),
        ("accept 0", accept(ids(0)), count("ids", 0, 1, 25)),
        (
            "accept repeated",
            accept(vec!["A".into(), "A".into()]),
            Some(ValidationError::new("ids", Problem::Duplicate { value: "A".into() })),
        ),
        ("reject 25", reject(ids(25)), None),
        ("reject 26", reject(ids(26)), count("ids", 26, 1, 25)),
        (
            "reject repeated",
            reject(vec!["B".into(), "A".into(), "B".into()]),
            Some(ValidationError::new("ids", Problem::Duplicate { value: "B".into() })),
        ),
        // Kicks leaderboard: top 1 to 100.
        ("top 1", top(1), None),
        ("top 2", top(2), None),
        ("top 0", top(0), range("top", 0, 1, 100)),
        ("top 100", top(100), None),
        ("top 99", top(99), None),
        ("top 101", top(101), range("top", 101, 1, 100)),
        // Ad breaks: 7 to 300 whole seconds, a UUID id.
        ("ad break 7", ad_break(7, None), None),
        ("ad break 8", ad_break(8, None), None),
        (
            "ad break 6",
            ad_break(6, None),
            duration("break_duration_seconds", Duration::from_secs(6), "seconds", 7, 300),
        ),
        ("ad break 300", ad_break(300, None), None),
        ("ad break 299", ad_break(299, None), None),
        (
            "ad break 301",
            ad_break(301, None),
            duration("break_duration_seconds", Duration::from_secs(301), "seconds", 7, 300),
        ),
        ("ad break id not a uuid", ad_break(60, Some("break-1")), format("ad_break_id", "break-1", "a UUID")),
        // Event subscriptions: at least one event, named, version at least 1; at least one id to remove.
        ("subscribe one", subscribe(vec![WebhookEvent::ChatMessageSent.into()]), None),
        ("subscribe none", subscribe(vec![]), missing("events", "(at least one value)")),
        (
            "subscribe version 0",
            subscribe(vec![("chat.message.sent", 0).into()]),
            range("events.version", 0, 1, i64::MAX),
        ),
        ("subscribe unnamed", subscribe(vec![("", 1).into()]), missing("events.name", "for every event")),
        (
            "unsubscribe one",
            call(|c| async move { c.unsubscribe_from_events(ids(1).iter().map(|id| id.as_str())).await }),
            None,
        ),
        (
            "unsubscribe a blank id",
            call(|c| async move { c.unsubscribe_from_event(" ").await }),
            format("id", " ", "a non-blank id"),
        ),
        (
            "unsubscribe none",
            call(|c| async move { c.unsubscribe_from_events(Vec::<kickrs::ids::SubscriptionId>::new()).await }),
            missing("id", "(at least one value)"),
        ),
    ];

    let (accepting, client) = accepting_kick().await;
    for (name, run, expected) in cases {
        match expected {
            None => {
                if let Err(error) = run(client.clone()).await {
                    panic!("{name}: expected success, got {error}");
                }
            }
            Some(expected) => {
                let (server, client) = kick().await;
                match run(client).await {
                    Err(Error::InvalidInput(error)) => {
                        assert_eq!(error, expected, "{name}");
                        assert!(error.to_string().contains(expected.field), "{name}: {error}");
                    }
                    other => panic!("{name}: expected {expected}, got {other:?}"),
                }
                assert_eq!(wire(&server).await, json!([]), "{name}: a request reached the server");
                assert!(server.received_requests().await.unwrap().is_empty(), "{name}: even a token request");
            }
        }
    }
    assert!(!wire(&accepting).await.as_array().unwrap().is_empty());
}
