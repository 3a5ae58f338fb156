//! REST endpoints: envelopes, limits, quirks and state changes.

use kickrs::mock::seed::{AURORA_ID, BYTEBARD_ID, CHATFAN_ID, MODMAX_ID, PIXELPINE_ID, QUIETCODER_ID};
use kickrs::mock::{MockKick, MockReward};
use kickrs::models::RedemptionStatus;
use reqwest::Method;
use serde_json::{Value, json};

use super::{call, get};

fn ids(data: &Value, key: &str) -> Vec<u64> {
    data.as_array().unwrap().iter().map(|v| v[key].as_u64().unwrap()).collect()
}

#[tokio::test]
async fn users_answer_own_user_with_email_and_others_without() {
    let mock = MockKick::start().await;
    let user = mock.issue_user_token(AURORA_ID, &[kickrs::auth::Scope::UserRead]);
    let me = get(&mock, &user, "/public/v1/users").await;
    assert_eq!(me.status, 200);
    assert_eq!(me.message(), "OK");
    assert_eq!(me.data()[0]["user_id"], AURORA_ID.get());
    assert_eq!(me.data()[0]["email"], "auroralive@example.com");

    let app = mock.issue_app_token();
    let many = get(&mock, &app, &format!("/public/v1/users?id={BYTEBARD_ID}&id={CHATFAN_ID}&id=999")).await;
    assert_eq!(ids(many.data(), "user_id"), [BYTEBARD_ID, CHATFAN_ID]);
    assert_eq!(many.data()[0]["email"], "");

    let no_id = get(&mock, &app, "/public/v1/users").await;
    assert_eq!(no_id.status, 400);
    let bad = get(&mock, &app, "/public/v1/users?id=abc").await;
    assert_eq!(bad.status, 400);
    assert!(bad.message().contains("id must be an integer"), "{}", bad.text);
}

#[tokio::test]
async fn channels_by_slug_id_or_token_with_kick_quirks() {
    let mock = MockKick::start().await;
    let app = mock.issue_app_token();
    let by_slug = get(&mock, &app, "/public/v1/channels?slug=auroralive").await;
    assert_eq!(by_slug.status, 200);
    let channel = &by_slug.data()[0];
    assert_eq!(channel["broadcaster_user_id"], AURORA_ID.get());
    assert_eq!(channel["stream"]["is_live"], true);
    assert_eq!(channel["category"]["name"], "Just Chatting");
    assert_eq!(channel["stream"]["key"], "", "app tokens never see the stream key");

    let unknown = get(&mock, &app, "/public/v1/channels?slug=nobody-here").await;
    assert_eq!((unknown.status, unknown.data().clone()), (200, json!([])));

    let mixed = get(&mock, &app, "/public/v1/channels?slug=auroralive&broadcaster_user_id=1001").await;
    assert_eq!(mixed.status, 400);
    assert_eq!(mixed.message(), "Invalid parameters or mixed parameter types");

    let offline = get(&mock, &app, &format!("/public/v1/channels?broadcaster_user_id={QUIETCODER_ID}")).await;
    assert_eq!(offline.data()[0]["stream"]["start_time"], "0001-01-01T00:00:00Z");
    assert_eq!(offline.data()[0]["stream"]["is_live"], false);

    let owner =
        mock.issue_user_token(AURORA_ID, &[kickrs::auth::Scope::ChannelRead, kickrs::auth::Scope::StreamkeyRead]);
    let own = get(&mock, &owner, "/public/v1/channels").await;
    assert!(own.data()[0]["stream"]["key"].as_str().unwrap().starts_with("sk_"));

    let too_many: String = (1..=51).map(|i| format!("broadcaster_user_id={i}&")).collect();
    let limit = get(&mock, &app, &format!("/public/v1/channels?{too_many}")).await;
    assert_eq!(limit.status, 400);
    assert!(limit.message().contains("at most 50"), "{}", limit.text);
    let long_slug = get(&mock, &app, &format!("/public/v1/channels?slug={}", "a".repeat(26))).await;
    assert_eq!(long_slug.status, 400);
    assert!(long_slug.message().contains("slug"), "{}", long_slug.text);
}

#[tokio::test]
async fn patch_channel_updates_state_and_enforces_limits() {
    let mock = MockKick::start().await;
    let token = mock.issue_user_token(AURORA_ID, &[kickrs::auth::Scope::ChannelWrite]);
    let ok = call(
        &mock,
        Method::PATCH,
        Some(&token),
        "/public/v1/channels",
        Some(json!({"stream_title": "New title", "category_id": 41, "custom_tags": ["a", "b"]})),
    )
    .await;
    assert_eq!((ok.status, ok.text.as_str()), (204, ""));
    let channel = mock.channel(AURORA_ID).unwrap();
    assert_eq!((channel.stream_title.as_str(), channel.category_id), ("New title", Some(41.into())));

    let cases = [
        (json!({}), "at least one"),
        (json!({"custom_tags": (0..11).map(|i| i.to_string()).collect::<Vec<_>>()}), "at most 10"),
        (json!({"stream_title": ""}), "stream_title"),
        (json!({"category_id": 0}), "category_id must be at least 1"),
        (json!({"category_id": 424242}), "does not exist"),
        (json!({"stream_title": 5}), "stream_title must be a string"),
    ];
    for (body, expected) in cases {
        let answer = call(&mock, Method::PATCH, Some(&token), "/public/v1/channels", Some(body.clone())).await;
        assert_eq!(answer.status, 400, "{body}");
        assert!(answer.message().contains(expected), "{body}: {}", answer.text);
    }
}

#[tokio::test]
async fn categories_v1_and_v2_with_exact_query_encodings() {
    let mock = MockKick::start().await;
    let app = mock.issue_app_token();
    let search = get(&mock, &app, "/public/v1/categories?q=craft").await;
    assert_eq!(search.data()[0]["name"], "Minecraft");
    assert_eq!(get(&mock, &app, "/public/v1/categories").await.status, 400);

    let one = get(&mock, &app, "/public/v1/categories/15").await;
    assert_eq!(one.data()["tags"], json!(["IRL", "Chatting"]));
    assert_eq!(one.data()["viewer_count"], 1250);
    assert_eq!(get(&mock, &app, "/public/v1/categories/999").await.status, 404);
    assert_eq!(get(&mock, &app, "/public/v1/categories/abc").await.status, 400);

    let by_ids = get(&mock, &app, "/public/v2/categories?id=15,41").await;
    assert_eq!(ids(by_ids.data(), "id"), [15, 41]);
    assert_eq!(by_ids.body["pagination"]["next_cursor"], "");

    let cases = [
        ("id=15&id=41", "comma-joined"),
        ("name=ab", "name must be 3 to 100"),
        ("tag=xy", "tag must be 3 to 100"),
        ("limit=0", "limit must be between 1 and 1000"),
        ("limit=1001", "limit must be between 1 and 1000"),
        ("cursor=abc", "cursor must be 4 to 28"),
        ("cursor=aaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "cursor must be 4 to 28"),
        ("id=0", "at least 1"),
        ("id=15&name=Minecraft", "mixed"),
    ];
    for (query, expected) in cases {
        let answer = get(&mock, &app, &format!("/public/v2/categories?{query}")).await;
        assert_eq!(answer.status, 400, "{query}");
        assert!(answer.message().contains(expected), "{query}: {}", answer.text);
    }

    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let query = if cursor.is_empty() { "limit=4".to_owned() } else { format!("limit=4&cursor={cursor}") };
        let page = get(&mock, &app, &format!("/public/v2/categories?{query}")).await;
        seen.extend(ids(page.data(), "id"));
        cursor = page.body["pagination"]["next_cursor"].as_str().unwrap().to_owned();
        if cursor.is_empty() {
            break;
        }
    }
    assert_eq!(seen, [13, 15, 28, 41, 57, 66]);

    let by_tag = get(&mock, &app, "/public/v2/categories?tag=Creative,Shooter").await;
    assert_eq!(ids(by_tag.data(), "id"), [28, 57, 66]);
}

#[tokio::test]
async fn livestreams_v1_v2_users_and_stats() {
    let mock = MockKick::start().await;
    let app = mock.issue_app_token();
    let v1 = get(&mock, &app, "/public/v1/livestreams").await;
    assert_eq!(ids(v1.data(), "broadcaster_user_id"), [PIXELPINE_ID, AURORA_ID, BYTEBARD_ID]);
    let by_start = get(&mock, &app, "/public/v1/livestreams?sort=started_at&limit=1").await;
    assert_eq!(ids(by_start.data(), "broadcaster_user_id"), [BYTEBARD_ID]);
    let spanish = get(&mock, &app, "/public/v1/livestreams?language=es").await;
    assert_eq!(ids(spanish.data(), "broadcaster_user_id"), [PIXELPINE_ID]);
    for (query, expected) in [("limit=101", "limit"), ("sort=random", "sort"), ("category_id=x", "category_id")] {
        let answer = get(&mock, &app, &format!("/public/v1/livestreams?{query}")).await;
        assert_eq!(answer.status, 400, "{query}");
        assert!(answer.message().contains(expected), "{}", answer.text);
    }

    let stats = get(&mock, &app, "/public/v1/livestreams/stats").await;
    assert_eq!(stats.data()["total_count"], 3);

    let first = get(&mock, &app, "/public/v2/livestreams?limit=1").await;
    assert_eq!(first.data()[0]["broadcaster_user"]["id"], PIXELPINE_ID.get(), "oldest first");
    assert_eq!(first.data()[0]["channel"]["slug"], "pixelpine");
    let cursor = first.body["pagination"]["next_cursor"].as_str().unwrap().to_owned();
    let second = get(&mock, &app, &format!("/public/v2/livestreams?limit=1&cursor={cursor}")).await;
    assert_eq!(second.data()[0]["broadcaster_user"]["id"], AURORA_ID.get());
    let too_many: String = (1..=26).map(|i| format!("category_id={i}&")).collect();
    assert_eq!(get(&mock, &app, &format!("/public/v2/livestreams?{too_many}")).await.status, 400);
    assert_eq!(get(&mock, &app, "/public/v2/livestreams?limit=1001").await.status, 400);

    let users =
        get(&mock, &app, &format!("/public/v1/users/livestreams?user_id={BYTEBARD_ID}&user_id={QUIETCODER_ID}")).await;
    assert_eq!(users.data().as_array().unwrap().len(), 1);
    assert_eq!(users.data()[0]["title"], "Writing a Rust client for Kick");
    assert!(users.body.get("pagination").is_none());
    assert_eq!(get(&mock, &app, "/public/v1/users/livestreams").await.status, 400);
    let too_many: String = (1..=101).map(|i| format!("user_id={i}&")).collect();
    assert_eq!(get(&mock, &app, &format!("/public/v1/users/livestreams?{too_many}")).await.status, 400);
}

#[tokio::test]
async fn chat_send_reply_and_delete() {
    let mock = MockKick::start().await;
    let fan = mock.issue_user_token(CHATFAN_ID, &[kickrs::auth::Scope::ChatWrite]);
    let sent = call(
        &mock,
        Method::POST,
        Some(&fan),
        "/public/v1/chat",
        Some(json!({"type": "user", "broadcaster_user_id": AURORA_ID, "content": "hi!"})),
    )
    .await;
    assert_eq!(sent.status, 200);
    assert_eq!(sent.data()["is_sent"], true);
    let id = sent.data()["message_id"].as_str().unwrap().to_owned();
    let reply = call(
        &mock,
        Method::POST,
        Some(&fan),
        "/public/v1/chat",
        Some(json!({"type": "bot", "content": "to my own channel", "reply_to_message_id": null})),
    )
    .await;
    assert_eq!(reply.status, 200);
    let messages = mock.chat_messages();
    let last = messages.last().unwrap();
    assert_eq!((last.broadcaster_user_id, last.sender_user_id), (CHATFAN_ID, CHATFAN_ID));

    let cases = [
        (
            json!({"type": "user", "broadcaster_user_id": AURORA_ID, "content": "x".repeat(501)}),
            400,
            "content must be 1 to 500",
        ),
        (json!({"type": "user", "content": "hi"}), 400, "broadcaster_user_id is required"),
        (json!({"type": "shout", "content": "hi"}), 400, "type must be user or bot"),
        (json!({"type": "user", "broadcaster_user_id": 77, "content": "hi"}), 400, "Bad request"),
        (json!({"type": "bot", "content": "hi", "reply_to_message_id": "nope"}), 400, "UUID"),
        (
            json!({"type": "bot", "content": "hi", "reply_to_message_id": "00000000-0000-4000-8000-000000000000"}),
            404,
            "not found",
        ),
    ];
    for (body, status, expected) in cases {
        let answer = call(&mock, Method::POST, Some(&fan), "/public/v1/chat", Some(body.clone())).await;
        assert_eq!(answer.status, status, "{body}");
        assert!(answer.message().contains(expected), "{body}: {}", answer.text);
    }
    let unknown_channel = call(
        &mock,
        Method::POST,
        Some(&fan),
        "/public/v1/chat",
        Some(json!({"type": "user", "broadcaster_user_id": 77, "content": "hi"})),
    )
    .await;
    assert_eq!(unknown_channel.data(), "Channel not found");

    let path = format!("/public/v1/chat/{id}");
    let not_mod = mock.issue_user_token(BYTEBARD_ID, &[kickrs::auth::Scope::ModerationChatMessageManage]);
    assert_eq!(call(&mock, Method::DELETE, Some(&not_mod), &path, None).await.status, 403);
    let moderator = mock.issue_user_token(MODMAX_ID, &[kickrs::auth::Scope::ModerationChatMessageManage]);
    let deleted = call(&mock, Method::DELETE, Some(&moderator), &path, None).await;
    assert_eq!((deleted.status, deleted.text.as_str()), (204, ""));
    assert!(mock.chat_messages().iter().any(|m| m.message_id == id && m.deleted));
    assert_eq!(call(&mock, Method::DELETE, Some(&moderator), &path, None).await.status, 404);
    assert_eq!(call(&mock, Method::DELETE, Some(&moderator), "/public/v1/chat/xyz", None).await.status, 400);
}

#[tokio::test]
async fn bans_and_timeouts() {
    let mock = MockKick::start().await;
    let moderator = mock.issue_user_token(MODMAX_ID, &[kickrs::auth::Scope::ModerationBan]);
    let timeout = call(
        &mock,
        Method::POST,
        Some(&moderator),
        "/public/v1/moderation/bans",
        Some(json!({"broadcaster_user_id": AURORA_ID, "user_id": CHATFAN_ID, "duration": 10, "reason": "spam"})),
    )
    .await;
    assert_eq!((timeout.status, timeout.data().clone()), (200, json!({})));
    let bans = mock.bans();
    assert_eq!(bans.len(), 1);
    assert!(bans[0].expires_at.is_some());
    assert_eq!(bans[0].reason.as_deref(), Some("spam"));

    let cases = [
        (
            json!({"broadcaster_user_id": AURORA_ID, "user_id": CHATFAN_ID, "duration": 10081}),
            "duration must be between 1 and 10080",
        ),
        (json!({"broadcaster_user_id": AURORA_ID, "user_id": CHATFAN_ID, "duration": 0}), "duration"),
        (
            json!({"broadcaster_user_id": AURORA_ID, "user_id": CHATFAN_ID, "reason": "r".repeat(101)}),
            "reason must be at most 100",
        ),
        (json!({"broadcaster_user_id": AURORA_ID}), "user_id is required"),
    ];
    for (body, expected) in cases {
        let answer =
            call(&mock, Method::POST, Some(&moderator), "/public/v1/moderation/bans", Some(body.clone())).await;
        assert_eq!(answer.status, 400, "{body}");
        assert!(answer.message().contains(expected), "{body}: {}", answer.text);
    }
    let outsider = mock.issue_user_token(BYTEBARD_ID, &[kickrs::auth::Scope::ModerationBan]);
    let refused = call(
        &mock,
        Method::POST,
        Some(&outsider),
        "/public/v1/moderation/bans",
        Some(json!({"broadcaster_user_id": AURORA_ID, "user_id": CHATFAN_ID})),
    )
    .await;
    assert_eq!(refused.status, 403);

    let unban = call(
        &mock,
        Method::DELETE,
        Some(&moderator),
        "/public/v1/moderation/bans",
        Some(json!({"broadcaster_user_id": AURORA_ID, "user_id": CHATFAN_ID})),
    )
    .await;
    assert_eq!((unban.status, unban.data().clone()), (200, json!({})));
    assert!(mock.bans().is_empty());
}

#[tokio::test]
async fn rewards_crud_limits_and_app_ownership() {
    let mock = MockKick::start().await;
    let token = mock.issue_user_token(AURORA_ID, &[kickrs::auth::Scope::ChannelRewardsWrite]);
    let list = get(&mock, &token, "/public/v1/channels/rewards").await;
    assert_eq!(list.data().as_array().unwrap().len(), 3);

    let created = call(
        &mock,
        Method::POST,
        Some(&token),
        "/public/v1/channels/rewards",
        Some(json!({"title": "Stretch", "cost": 50})),
    )
    .await;
    assert_eq!(created.status, 200);
    assert_eq!(created.data()["background_color"], "#00e701");
    assert_eq!(created.data()["is_enabled"], true);
    let id = created.data()["id"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 26);

    let cases = [
        (json!({"title": "t".repeat(51), "cost": 1}), "title must be 1 to 50"),
        (json!({"title": "ok", "cost": 0}), "cost must be at least 1"),
        (json!({"title": "ok"}), "cost is required"),
        (json!({"cost": 5}), "title is required"),
        (json!({"title": "ok", "cost": 5, "description": "d".repeat(201)}), "description must be at most 200"),
        (json!({"title": "ok", "cost": 5, "background_color": "green"}), "background_color"),
    ];
    for (body, expected) in cases {
        let answer = call(&mock, Method::POST, Some(&token), "/public/v1/channels/rewards", Some(body.clone())).await;
        assert_eq!(answer.status, 400, "{body}");
        assert!(answer.message().contains(expected), "{body}: {}", answer.text);
    }

    let path = format!("/public/v1/channels/rewards/{id}");
    let updated = call(&mock, Method::PATCH, Some(&token), &path, Some(json!({"is_paused": true, "cost": 75}))).await;
    assert_eq!((updated.data()["is_paused"].clone(), updated.data()["cost"].clone()), (json!(true), json!(75)));
    assert_eq!(call(&mock, Method::PATCH, Some(&token), &path, Some(json!({}))).await.status, 400);

    let foreign = mock.rewards(AURORA_ID).into_iter().find(|r| r.title == "Pick the next game").unwrap();
    let other = call(
        &mock,
        Method::PATCH,
        Some(&token),
        &format!("/public/v1/channels/rewards/{}", foreign.id),
        Some(json!({"cost": 1})),
    )
    .await;
    assert_eq!(other.status, 403);
    assert!(other.message().contains("only the app that created"), "{}", other.text);
    assert_eq!(
        call(&mock, Method::DELETE, Some(&token), "/public/v1/channels/rewards/not-a-ulid", None).await.status,
        400
    );
    assert_eq!(
        call(&mock, Method::DELETE, Some(&token), "/public/v1/channels/rewards/01ARZ3NDEKTSV4RRFFQ69G5FAV", None)
            .await
            .status,
        404
    );
    assert_eq!(call(&mock, Method::DELETE, Some(&token), &path, None).await.status, 204);
    assert!(mock.rewards(AURORA_ID).iter().all(|r| r.id != id));

    for i in 0..12 {
        let answer = call(
            &mock,
            Method::POST,
            Some(&token),
            "/public/v1/channels/rewards",
            Some(json!({"title": format!("r{i}"), "cost": 1})),
        )
        .await;
        assert_eq!(answer.status, 200, "reward {i}: {}", answer.text);
    }
    let sixteenth = call(
        &mock,
        Method::POST,
        Some(&token),
        "/public/v1/channels/rewards",
        Some(json!({"title": "one too many", "cost": 1})),
    )
    .await;
    assert_eq!(sixteenth.status, 400);
    assert!(sixteenth.message().contains("at most 15"), "{}", sixteenth.text);
}

#[tokio::test]
async fn redemptions_list_accept_and_reject_report_only_failures() {
    let mock = MockKick::builder()
        .with_default_seed()
        .reward(MockReward::new(AURORA_ID, "Extra", 10).id("01ARZ3NDEKTSV4RRFFQ69G5FAV"))
        .start()
        .await;
    let token = mock.issue_user_token(
        AURORA_ID,
        &[kickrs::auth::Scope::ChannelRewardsRead, kickrs::auth::Scope::ChannelRewardsWrite],
    );
    let pending = get(&mock, &token, "/public/v1/channels/rewards/redemptions").await;
    assert_eq!(pending.status, 200);
    assert_eq!(pending.body["pagination"]["next_cursor"], "");
    let groups = pending.data().as_array().unwrap();
    assert_eq!(groups.len(), 3, "{}", pending.text);
    assert!(groups.iter().all(|g| g["redemptions"][0]["status"] == "pending"));
    let accepted = get(&mock, &token, "/public/v1/channels/rewards/redemptions?status=accepted").await;
    assert_eq!(accepted.data().as_array().unwrap().len(), 1);
    for query in ["status=maybe", "id=01ARZ3NDEKTSV4RRFFQ69G5FAV&status=pending", "reward_id=nope"] {
        let answer = get(&mock, &token, &format!("/public/v1/channels/rewards/redemptions?{query}")).await;
        assert_eq!(answer.status, 400, "{query}: {}", answer.text);
    }

    let all = mock.redemptions();
    let rewards = mock.rewards(AURORA_ID);
    let foreign = rewards.iter().find(|r| r.title == "Pick the next game").unwrap();
    let mine_pending = all.iter().find(|r| r.status == RedemptionStatus::Pending && r.reward_id != foreign.id).unwrap();
    let done = all.iter().find(|r| r.status == RedemptionStatus::Accepted).unwrap();
    let not_owned = all.iter().find(|r| r.reward_id == foreign.id).unwrap();
    let body = json!({"ids": [mine_pending.id, done.id, not_owned.id, "01ARZ3NDEKTSV4RRFFQ69G5FAW"]});
    let answer =
        call(&mock, Method::POST, Some(&token), "/public/v1/channels/rewards/redemptions/reject", Some(body)).await;
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.data(),
        &json!([
            {"id": done.id, "reason": "NOT_PENDING"},
            {"id": not_owned.id, "reason": "NOT_OWNED"},
            {"id": "01ARZ3NDEKTSV4RRFFQ69G5FAW", "reason": "NOT_FOUND"},
        ])
    );
    let after = mock.redemptions();
    assert_eq!(after.iter().find(|r| r.id == mine_pending.id).unwrap().status, RedemptionStatus::Rejected);

    let remaining = after.iter().find(|r| r.status == RedemptionStatus::Pending && r.reward_id != foreign.id).unwrap();
    let all_ok = call(
        &mock,
        Method::POST,
        Some(&token),
        "/public/v1/channels/rewards/redemptions/accept",
        Some(json!({"ids": [remaining.id]})),
    )
    .await;
    assert_eq!((all_ok.status, all_ok.data().clone()), (200, json!([])));

    let ulids: Vec<String> = (0..26).map(|i| format!("01ARZ3NDEKTSV4RRFFQ69G5F{i:02}")).collect();
    for (body, expected) in [
        (json!({"ids": []}), "1 to 25"),
        (json!({"ids": ulids}), "1 to 25"),
        (json!({"ids": [remaining.id, remaining.id]}), "unique"),
        (json!({"ids": ["nope"]}), "ULID"),
    ] {
        let answer = call(
            &mock,
            Method::POST,
            Some(&token),
            "/public/v1/channels/rewards/redemptions/accept",
            Some(body.clone()),
        )
        .await;
        assert_eq!(answer.status, 400, "{body}");
        assert!(answer.message().contains(expected), "{body}: {}", answer.text);
    }
}

#[tokio::test]
async fn kicks_leaderboard_ranks_each_window() {
    let mock = MockKick::start().await;
    let token = mock.issue_user_token(AURORA_ID, &[kickrs::auth::Scope::KicksRead]);
    let board = get(&mock, &token, "/public/v1/kicks/leaderboard?top=2").await;
    assert_eq!(
        board.data()["lifetime"],
        json!([
            {"rank": 1, "user_id": CHATFAN_ID, "username": "chatfan42", "gifted_amount": 5000},
            {"rank": 2, "user_id": MODMAX_ID, "username": "modmax", "gifted_amount": 2500},
        ])
    );
    assert_eq!(board.data()["week"].as_array().unwrap().len(), 1);
    for top in ["0", "101", "x"] {
        assert_eq!(get(&mock, &token, &format!("/public/v1/kicks/leaderboard?top={top}")).await.status, 400);
    }
}

#[tokio::test]
async fn event_subscriptions_create_list_delete() {
    let mock = MockKick::start().await;
    let app = mock.issue_app_token();
    let path = "/public/v1/events/subscriptions";
    let missing = call(
        &mock,
        Method::POST,
        Some(&app),
        path,
        Some(json!({"events": [{"name": "chat.message.sent", "version": 1}], "method": "webhook"})),
    )
    .await;
    assert_eq!(missing.status, 400);
    assert!(missing.message().contains("broadcaster_user_id is required"), "{}", missing.text);

    let created = call(
        &mock,
        Method::POST,
        Some(&app),
        path,
        Some(json!({
            "broadcaster_user_id": AURORA_ID,
            "method": "webhook",
            "events": [{"name": "chat.message.sent", "version": 1}, {"name": "no.such.event", "version": 1}],
        })),
    )
    .await;
    assert_eq!(created.status, 201);
    assert_eq!(created.data()[0]["name"], "chat.message.sent");
    let id = created.data()[0]["subscription_id"].as_str().unwrap().to_owned();
    assert!(created.data()[1]["error"].is_string());

    let listed = get(&mock, &app, path).await;
    assert_eq!(listed.data()[0]["id"], id.as_str());
    assert_eq!(listed.data()[0]["app_id"], mock.client_id());
    let filtered = get(&mock, &app, &format!("{path}?broadcaster_user_id={BYTEBARD_ID}")).await;
    assert_eq!(filtered.data(), &json!([]));

    let user = mock.issue_user_token(BYTEBARD_ID, &[kickrs::auth::Scope::EventsSubscribe]);
    let by_user = call(
        &mock,
        Method::POST,
        Some(&user),
        path,
        Some(json!({"events": [{"name": "channel.followed", "version": 1}], "broadcaster_user_id": AURORA_ID})),
    )
    .await;
    assert_eq!(by_user.status, 201);
    assert!(
        mock.subscriptions().iter().any(|s| s.event == "channel.followed" && s.broadcaster_user_id == BYTEBARD_ID),
        "a user token subscribes its own channel"
    );

    assert_eq!(call(&mock, Method::DELETE, Some(&app), path, None).await.status, 400);
    let deleted = call(&mock, Method::DELETE, Some(&app), &format!("{path}?id={id}"), None).await;
    assert_eq!((deleted.status, deleted.text.as_str()), (204, ""));
    assert!(mock.subscriptions().iter().all(|s| s.id != id));
}

#[tokio::test]
async fn ads_status_breaks_and_enrolment() {
    let mock = MockKick::start().await;
    let token = mock.issue_user_token(AURORA_ID, &[kickrs::auth::Scope::AdsRead, kickrs::auth::Scope::AdsWrite]);
    let status = get(&mock, &token, "/public/v1/ads/ad-break-status").await;
    assert_eq!(status.data()["opted_in"], true);
    assert_eq!(status.data()["remaining_ad_breaks"], 3);
    assert_eq!(status.data()["limits"], json!({"max": 3, "period_seconds": 3600}));

    let path = "/public/v1/ads/ad-break";
    let short = call(&mock, Method::POST, Some(&token), path, Some(json!({"break_duration_seconds": 6}))).await;
    assert_eq!(short.status, 400);
    let started =
        call(&mock, Method::POST, Some(&token), path, Some(json!({"id": "my-break", "break_duration_seconds": 60})))
            .await;
    assert_eq!(started.data(), &json!({"id": "my-break", "remaining_ad_breaks": 2}));
    let again = call(&mock, Method::POST, Some(&token), path, Some(json!({"break_duration_seconds": 60}))).await;
    assert_eq!((again.status, again.data().clone()), (409, json!("AD_BREAK_ACTIVE")));
    let live_enrol = call(&mock, Method::POST, Some(&token), "/public/v1/ads/enroll", None).await;
    assert_eq!((live_enrol.status, live_enrol.data().clone()), (400, json!("CHANNEL_IS_LIVE")));

    let offline = mock.issue_user_token(QUIETCODER_ID, &[kickrs::auth::Scope::AdsWrite]);
    let not_live = call(&mock, Method::POST, Some(&offline), path, Some(json!({"break_duration_seconds": 30}))).await;
    assert_eq!((not_live.status, not_live.data().clone()), (400, json!("CHANNEL_IS_NOT_LIVE")));
    assert_eq!(call(&mock, Method::POST, Some(&offline), "/public/v1/ads/enroll", None).await.status, 200);
}

#[tokio::test]
async fn unknown_routes_and_methods() {
    let mock = MockKick::start().await;
    let token = mock.issue_user_token(AURORA_ID, &kickrs::auth::Scope::all());
    assert_eq!(get(&mock, &token, "/public/v1/nothing").await.status, 404);
    assert_eq!(call(&mock, Method::PUT, Some(&token), "/public/v1/chat", None).await.status, 405);
    let bad_json = super::http()
        .post(format!("{}/public/v1/chat", mock.api_base_url()))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(bad_json.status(), 400);
}
