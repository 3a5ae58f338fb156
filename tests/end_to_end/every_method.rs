//! Every facade method once against MockKick, each returning Ok with a plausible value: the facade
//! and MockKick agree on paths, parameter encodings, token kinds and bodies. Where a method changes
//! something, MockKick's state is checked too.

use std::collections::HashMap;

use futures::TryStreamExt;
use kickrs::api::{
    BanUserOptions, CategoriesOptions, ChatMessageType, CreateAdBreakOptions, CreateChannelRewardOptions,
    FetchEventsSubscriptionsOptions, FetchRewardRedemptionsOptions, LivestreamsOptions, LivestreamsV2Options,
    SendChatMessageOptions, UpdateChannelOptions, UpdateChannelRewardOptions, WebhookEvent,
};
use kickrs::auth::{Scope, TokenHint, TokenKind};
use kickrs::ids::{CategoryId, RedemptionId, SubscriptionId, UserId};
use kickrs::mock::MockKick;
use kickrs::mock::seed::{AURORA_ID, BYTEBARD_ID, CHATFAN_ID, MODMAX_ID, PIXELPINE_ID, QUIETCODER_ID};
use kickrs::models::RedemptionStatus;

use super::{log_in_with_browser, login_client, user_client};

const AURORA: UserId = AURORA_ID;

#[tokio::test]
async fn every_facade_method_works_against_mockkick() {
    let mock = MockKick::start().await;
    let client = user_client(&mock, AURORA_ID, &Scope::all()).await;

    users(&client).await;
    channels(&client, &mock).await;
    livestreams(&client).await;
    categories(&client).await;
    public_key(&client, &mock).await;
    chat(&client, &mock).await;
    moderation(&client, &mock).await;
    rewards(&client, &mock).await;
    kicks(&client).await;
    events(&client, &mock).await;
    ads(&client, &mock).await;
    auth(&client, &mock).await;

    let stats = client.raw().fetch_livestream_stats().await.unwrap().into_inner();
    assert_eq!(stats.data.map(|s| s.total_count), Some(3), "raw calls get tokens too");
    client.close().await;
}

async fn users(client: &kickrs::KickClient) {
    let fan = client.fetch_user(CHATFAN_ID).await.unwrap();
    assert_eq!((fan.user_id, fan.name.as_str()), (CHATFAN_ID, "chatfan42"));
    let two = client.fetch_users(&[AURORA, BYTEBARD_ID]).await.unwrap();
    let names: Vec<&str> = two.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(names, ["AuroraLive", "ByteBard"]);
    let me = client.fetch_current_user().await.unwrap();
    assert_eq!(me.user_id, AURORA);
}

async fn channels(client: &kickrs::KickClient, mock: &MockKick) {
    let by_slug = client.fetch_channel("bytebard").await.unwrap();
    assert_eq!((by_slug.broadcaster_user_id, by_slug.category.name.as_str()), (BYTEBARD_ID, "Software Development"));
    let by_id = client.fetch_channel(PIXELPINE_ID).await.unwrap();
    assert_eq!((by_id.slug.as_str(), by_id.stream.is_live), ("pixelpine", Some(true)));
    let slugs: Vec<String> =
        client.fetch_channels(["auroralive", "quietcoder"]).await.unwrap().into_iter().map(|c| c.slug).collect();
    assert_eq!(slugs, ["auroralive", "quietcoder"]);
    let ids: Vec<UserId> = client
        .fetch_channels(vec![BYTEBARD_ID, AURORA])
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.broadcaster_user_id)
        .collect();
    assert_eq!(ids, [BYTEBARD_ID, AURORA]);
    let mine = client.fetch_current_channel().await.unwrap();
    assert_eq!(mine.slug, "auroralive");
    assert!(mine.stream.key.is_some(), "streamkey:read shows the owner's stream key");

    let update = UpdateChannelOptions {
        stream_title: Some("Smoke test stream".into()),
        category_id: Some(57.into()),
        custom_tags: Some(vec!["testing".into(), "kickrs".into()]),
    };
    client.update_channel(update).await.unwrap();
    let stored = mock.channel(AURORA_ID).unwrap();
    assert_eq!(
        (stored.stream_title.as_str(), stored.category_id, stored.custom_tags),
        ("Smoke test stream", Some(57.into()), vec!["testing".to_string(), "kickrs".to_string()])
    );
}

// The v1 calls are deprecated by Kick and still served; they stay covered until Kick removes them.
#[allow(deprecated)]
async fn livestreams(client: &kickrs::KickClient) {
    let one = client.fetch_livestream(PIXELPINE_ID).await.unwrap();
    assert_eq!((one.slug.as_str(), one.viewer_count), ("pixelpine", 2100));
    let top = client.fetch_livestreams(LivestreamsOptions { limit: Some(2), ..Default::default() }).await.unwrap();
    let top: Vec<UserId> = top.iter().map(|s| s.broadcaster_user_id).collect();
    assert_eq!(top, [PIXELPINE_ID, AURORA], "by viewer count");

    let filtered = LivestreamsOptions {
        broadcaster_user_ids: vec![AURORA, BYTEBARD_ID, PIXELPINE_ID],
        language: Some("en".into()),
        sort: Some(kickrs::api::LivestreamsSort::StartedAt),
        ..Default::default()
    };
    let english: Vec<UserId> =
        client.fetch_livestreams(filtered).await.unwrap().iter().map(|s| s.broadcaster_user_id).collect();
    assert_eq!(english.len(), 2, "pixelpine streams in Spanish: {english:?}");
    assert!(english.contains(&AURORA) && english.contains(&BYTEBARD_ID));

    let spanish_or_software = LivestreamsV2Options {
        category_ids: vec![41.into(), 66.into()],
        language_codes: vec!["es".into(), "de".into()],
        ..Default::default()
    };
    let found = client.fetch_livestreams_v2(spanish_or_software).await.unwrap();
    assert_eq!(found.items.iter().map(|s| s.channel.slug.as_str()).collect::<Vec<_>>(), ["pixelpine"]);
    let first =
        client.fetch_livestreams_v2(LivestreamsV2Options { limit: Some(2), ..Default::default() }).await.unwrap();
    assert_eq!(first.items.len(), 2);
    assert!(first.has_next());
    let all: Vec<_> = client
        .fetch_livestreams_v2_stream(LivestreamsV2Options { limit: Some(2), ..Default::default() })
        .try_collect()
        .await
        .unwrap();
    let mut slugs: Vec<&str> = all.iter().map(|s| s.channel.slug.as_str()).collect();
    slugs.sort();
    assert_eq!(slugs, ["auroralive", "bytebard", "pixelpine"]);

    let live = client.fetch_user_livestreams(&[AURORA, QUIETCODER_ID]).await.unwrap();
    assert_eq!(live.iter().map(|s| s.broadcaster_user.id).collect::<Vec<_>>(), [AURORA], "offline users left out");
    assert_eq!(client.fetch_livestream_stats().await.unwrap().total_count, 3);
}

#[allow(deprecated)]
async fn categories(client: &kickrs::KickClient) {
    let search = CategoriesOptions { query: Some("mine".into()), ..Default::default() };
    let found = client.fetch_categories(search).await.unwrap();
    assert_eq!(found.items.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["Minecraft"]);
    let by_ids = CategoriesOptions { category_ids: vec![15.into(), 28.into()], ..Default::default() };
    let mut ids: Vec<CategoryId> = client.fetch_categories(by_ids).await.unwrap().items.iter().map(|c| c.id).collect();
    ids.sort();
    assert_eq!(ids, [15, 28]);
    let by_tags =
        CategoriesOptions { tags: vec!["Creative".into(), "Shooter".into()], limit: Some(1), ..Default::default() };
    let all: Vec<_> = client.fetch_categories_stream(by_tags).try_collect().await.unwrap();
    let mut names: Vec<&str> = all.iter().map(|c| c.name.as_str()).collect();
    names.sort();
    assert_eq!(names, ["Counter-Strike 2", "Music", "Software Development"], "three pages of one");

    let minecraft = client.fetch_category(41).await.unwrap();
    assert_eq!((minecraft.name.as_str(), minecraft.tags.len()), ("Minecraft", 2));
}

async fn public_key(client: &kickrs::KickClient, mock: &MockKick) {
    let pem = client.fetch_public_key().await.unwrap();
    assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----"));
    assert_eq!(Some(pem), mock.public_key_pem());
    let verifier = client.webhook_verifier().await.unwrap();
    assert_ne!(verifier.public_key().der(), kickrs::webhooks::PublicKey::kick().der(), "MockKick's key, not Kick's");
}

async fn chat(client: &kickrs::KickClient, mock: &MockKick) {
    let bot = client.send_chat_message("bot says hi", Default::default()).await.unwrap();
    assert!(bot.is_sent);
    let reply = SendChatMessageOptions {
        message_type: Some(ChatMessageType::User),
        broadcaster_user_id: Some(AURORA),
        reply_to_message_id: Some(bot.message_id.clone()),
    };
    let answer = client.send_chat_message("replying to myself", reply).await.unwrap();
    client.delete_chat_message(&bot.message_id).await.unwrap();

    let messages: HashMap<_, _> = mock.chat_messages().into_iter().map(|m| (m.message_id.clone(), m)).collect();
    let (bot_stored, reply_stored) = (&messages[&bot.message_id], &messages[&answer.message_id]);
    assert_eq!((bot_stored.kind.as_str(), bot_stored.deleted), ("bot", true));
    assert_eq!(reply_stored.reply_to_message_id.as_ref(), Some(&bot.message_id));
    assert_eq!((reply_stored.kind.as_str(), reply_stored.broadcaster_user_id), ("user", AURORA_ID));
}

async fn moderation(client: &kickrs::KickClient, mock: &MockKick) {
    let timeout =
        BanUserOptions { duration: Some(std::time::Duration::from_secs(10 * 60)), reason: Some("spam".into()) };
    client.ban_user(AURORA, CHATFAN_ID, timeout).await.unwrap();
    let bans = mock.bans();
    assert_eq!(bans.len(), 1);
    assert_eq!((bans[0].user_id, bans[0].reason.as_deref()), (CHATFAN_ID, Some("spam")));
    assert!(bans[0].expires_at.is_some(), "a timeout, not a permanent ban");
    client.unban_user(AURORA, CHATFAN_ID).await.unwrap();
    assert!(mock.bans().is_empty());
}

async fn rewards(client: &kickrs::KickClient, mock: &MockKick) {
    assert_eq!(client.fetch_channel_rewards().await.unwrap().len(), 3);
    let options = CreateChannelRewardOptions {
        background_color: Some("#ff8800".into()),
        is_user_input_required: Some(true),
        ..Default::default()
    };
    let created = client.create_channel_reward(750, "Pick my hat", options).await.unwrap();
    assert_eq!((created.cost, created.is_user_input_required), (750, Some(true)));
    let paused = UpdateChannelRewardOptions { is_paused: Some(true), cost: Some(800), ..Default::default() };
    let updated = client.update_channel_reward(&created.id, paused).await.unwrap();
    assert_eq!((updated.is_paused, updated.cost), (Some(true), 800));
    client.delete_channel_reward(&created.id).await.unwrap();
    assert_eq!(mock.rewards(AURORA_ID).len(), 3);

    let page = client.fetch_reward_redemptions(Default::default()).await.unwrap();
    let pending: Vec<(RedemptionId, UserId)> = page
        .items
        .iter()
        .filter(|group| group.reward.can_manage == Some(true))
        .flat_map(|group| group.redemptions.iter().map(|r| (r.id.clone(), r.redeemer.user_id)))
        .collect();
    assert_eq!(pending.len(), 2, "{pending:?}");
    let streamed: Vec<_> = client.fetch_reward_redemptions_stream(Default::default()).try_collect().await.unwrap();
    assert_eq!(streamed, page.items);
    let by_fan = pending.iter().find(|(_, who)| *who == CHATFAN_ID).unwrap().0.clone();
    let by_mod = pending.iter().find(|(_, who)| *who == MODMAX_ID).unwrap().0.clone();
    assert!(client.accept_reward_redemptions(std::slice::from_ref(&by_fan)).await.unwrap().is_empty());
    assert!(client.reject_reward_redemptions(std::slice::from_ref(&by_mod)).await.unwrap().is_empty());
    let statuses: HashMap<RedemptionId, RedemptionStatus> =
        mock.redemptions().into_iter().map(|r| (r.id, r.status)).collect();
    assert_eq!((&statuses[&by_fan], &statuses[&by_mod]), (&RedemptionStatus::Accepted, &RedemptionStatus::Rejected));
    let by_ids =
        FetchRewardRedemptionsOptions { ids: Some(vec![by_fan.clone(), by_mod.clone()]), ..Default::default() };
    let both = client.fetch_reward_redemptions(by_ids).await.unwrap();
    let mut ids: Vec<&str> = both.items.iter().flat_map(|g| &g.redemptions).map(|r| r.id.as_str()).collect();
    ids.sort();
    let mut expected = [by_fan.as_str(), by_mod.as_str()];
    expected.sort();
    assert_eq!(ids, expected, "`id` filters alone, whatever the status");
    let accepted = FetchRewardRedemptionsOptions { status: Some(RedemptionStatus::Accepted), ..Default::default() };
    let accepted = client.fetch_reward_redemptions(accepted).await.unwrap();
    assert!(accepted.items.iter().flat_map(|g| &g.redemptions).any(|r| r.id == by_fan));
}

async fn kicks(client: &kickrs::KickClient) {
    let board = client.fetch_kicks_leaderboard(None).await.unwrap();
    let top = &board.lifetime[0];
    assert_eq!((top.user_id, top.gifted_amount, top.rank), (CHATFAN_ID, 5000, 1));
    assert_eq!(board.month[0].user_id, MODMAX_ID);
}

async fn events(client: &kickrs::KickClient, mock: &MockKick) {
    assert!(client.fetch_events_subscriptions(Default::default()).await.unwrap().is_empty());
    let chat = client.subscribe_to_event(WebhookEvent::ChatMessageSent, AURORA).await.unwrap();
    let chat_id = chat.subscription_id.clone().unwrap();
    let more =
        client.subscribe_to_events(AURORA, [WebhookEvent::ChannelFollowed, WebhookEvent::KicksGifted]).await.unwrap();
    assert!(more.iter().all(|c| c.error.is_none()), "{more:?}");
    let ensured = client.ensure_subscriptions(AURORA, [WebhookEvent::ChatMessageSent]).await.unwrap();
    assert!(ensured.created.is_empty());
    let listed = client
        .fetch_events_subscriptions(FetchEventsSubscriptionsOptions { broadcaster_user_id: Some(AURORA) })
        .await
        .unwrap();
    assert_eq!(listed.len(), 3);
    assert!(listed.iter().all(|s| s.app_id.as_ref().is_some_and(|app| app == mock.client_id())));

    client.unsubscribe_from_event(&chat_id).await.unwrap();
    assert_eq!(mock.subscriptions().len(), 2);
    let rest: Vec<SubscriptionId> = more.into_iter().filter_map(|c| c.subscription_id).collect();
    client.unsubscribe_from_events(&rest).await.unwrap();
    assert!(mock.subscriptions().is_empty());
}

async fn ads(client: &kickrs::KickClient, mock: &MockKick) {
    let before = client.fetch_ad_break_status().await.unwrap();
    assert!(before.remaining_ad_breaks > 0 && before.ad_breaks.is_empty(), "{before:?}");
    // Kick enrolls only offline channels and starts breaks only on live ones.
    let live = mock.live_streams().into_iter().find(|s| s.broadcaster_user_id == AURORA_ID).unwrap();
    mock.go_offline(AURORA_ID);
    client.enroll_in_ads().await.unwrap();
    mock.go_live(live);
    let id = "0b6f8c1e-3c55-4d8a-9f57-0c1f7b8e2a11";
    let started = client
        .create_ad_break(std::time::Duration::from_secs(30), CreateAdBreakOptions { ad_break_id: Some(id.into()) })
        .await
        .unwrap();
    assert_eq!(started.id, id);
    let after = client.fetch_ad_break_status().await.unwrap();
    assert!(after.opted_in);
    assert_eq!(after.remaining_ad_breaks, before.remaining_ad_breaks - 1);
}

async fn auth(client: &kickrs::KickClient, mock: &MockKick) {
    let user = client.introspect_token(TokenKind::User).await.unwrap();
    assert_eq!((user.active, user.token_type.as_deref()), (true, Some("user")));
    let app = client.introspect_token(TokenKind::App).await.unwrap();
    assert_eq!((app.active, app.token_type.as_deref()), (true, Some("app")));

    // Revoking the user's access token: the next user call is refused once, refreshes and goes through.
    let token = client.user_token().await.unwrap().unwrap();
    client.revoke_token(token.access_token().secret(), Some(TokenHint::AccessToken)).await.unwrap();
    let refreshes = mock.token_request_count("refresh_token");
    assert_eq!(client.fetch_current_channel().await.unwrap().slug, "auroralive");
    assert_eq!(mock.token_request_count("refresh_token"), refreshes + 1);

    // The web-app login: the app's own server receives the redirect and finishes the login.
    let redirect = "https://bot.example/kick/callback".parse().unwrap();
    let (url, pending) = client.authorization_url(&[Scope::UserRead, Scope::KicksRead], &redirect).unwrap();
    let no_redirects =
        kickrs::http_client_builder().unwrap().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let consent = no_redirects.get(url.as_str()).send().await.unwrap();
    assert_eq!(consent.status(), 302);
    let back: url::Url = consent.headers()["location"].to_str().unwrap().parse().unwrap();
    assert!(back.as_str().starts_with(redirect.as_str()), "{back}");
    let query: HashMap<String, String> = back.query_pairs().into_owned().collect();
    let web_token = pending.complete(&query["code"], &query["state"]).await.unwrap();
    assert_eq!(web_token.scopes(), Some(&[Scope::UserRead, Scope::KicksRead][..]));
    assert_eq!(client.fetch_kicks_leaderboard(3).await.unwrap().lifetime.len(), 3);

    // The loopback login, through a simulated browser.
    let (login, mut urls) = login_client(mock);
    let ((status, _), _, outcome) = log_in_with_browser(&login, &mut urls, &[Scope::UserRead]).await;
    assert_eq!(status, 200);
    assert_eq!(outcome.unwrap().scopes(), Some(&[Scope::UserRead][..]));
    assert_eq!(login.fetch_current_user().await.unwrap().user_id, AURORA);
}
