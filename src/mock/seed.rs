//! The default world: a few realistic channels, categories, rewards and an app to log in with.

use chrono::Utc;

use crate::ids::{MessageId, UserId};
use crate::models::RedemptionStatus;

use super::state::{
    App, DropsCampaign, DropsReward, KicksEntry, MockCategory, MockChannel, MockChatMessage, MockDropsClaim,
    MockLiveStream, MockReward, MockUser, Organization, Redemption, State,
};

/// Client id of the app every MockKick has (use it for `KickClient::builder()` in tests).
pub const DEFAULT_CLIENT_ID: &str = "01JMXCKAPP0000000000000000";
/// Client secret of [`DEFAULT_CLIENT_ID`].
pub const DEFAULT_CLIENT_SECRET: &str = "mockkick-client-secret-3f9a2c";
/// A second app in the default seed; it owns one reward, so the default app may not change it.
pub const OTHER_CLIENT_ID: &str = "01JMXCKQTHER00000000000000";
/// Live broadcaster who logs in through `/oauth/authorize` by default (`auroralive`).
pub const AURORA_ID: UserId = UserId::new(1001);
/// Live broadcaster streaming software development (`bytebard`).
pub const BYTEBARD_ID: UserId = UserId::new(1002);
/// Live broadcaster streaming Minecraft in Spanish (`pixelpine`).
pub const PIXELPINE_ID: UserId = UserId::new(1003);
/// Offline broadcaster (`quietcoder`).
pub const QUIETCODER_ID: UserId = UserId::new(1004);
/// A viewer who chats and redeems rewards (`chatfan42`).
pub const CHATFAN_ID: UserId = UserId::new(2001);
/// A viewer who moderates `auroralive` (`modmax`).
pub const MODMAX_ID: UserId = UserId::new(2002);

/// The organization the default app belongs to (`Pinewood Games`), so Drops calls work.
pub const ORGANIZATION_ID: &str = "01JMXCKQRG0000000000000000";
/// Pinewood Games' Drops campaign, in Minecraft (category 41).
pub const DROPS_CAMPAIGN_ID: &str = "01JMXCKDR0PSCAMPA1GN000000";
/// A reward of [`DROPS_CAMPAIGN_ID`] with the external id `pw-sapling-skin`.
pub const DROPS_SAPLING_REWARD_ID: &str = "01JMXCKDR0PSREWARD00000001";
/// A reward of [`DROPS_CAMPAIGN_ID`] without an external id.
pub const DROPS_AXE_REWARD_ID: &str = "01JMXCKDR0PSREWARD00000002";
/// `chatfan42`'s claim of the sapling skin, still `initiated`.
pub const DROPS_CHATFAN_CLAIM_ID: &str = "01JMXCKDR0PSC1A1M000000001";
/// `modmax`'s claim of the axe, already `processed`.
pub const DROPS_MODMAX_CLAIM_ID: &str = "01JMXCKDR0PSC1A1M000000002";

/// The app every MockKick starts with.
pub(crate) fn default_app() -> App {
    App::new(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)
}

/// Fills `state` with the default world (on top of what is there).
pub(crate) fn apply(state: &mut State) {
    for category in [
        MockCategory::new(15, "Just Chatting").tags(["IRL", "Chatting"]),
        MockCategory::new(28, "Counter-Strike 2").tags(["FPS", "Shooter", "Competitive"]),
        MockCategory::new(41, "Minecraft").tags(["Sandbox", "Survival"]),
        MockCategory::new(13, "Grand Theft Auto V").tags(["Open World", "Roleplay"]),
        MockCategory::new(57, "Music").tags(["Music", "Creative"]),
        MockCategory::new(66, "Software Development").tags(["Programming", "Creative"]),
    ] {
        state.categories.insert(category.id, category);
    }

    let channels = [
        (
            MockUser::new(AURORA_ID, "AuroraLive"),
            MockChannel::new(AURORA_ID, "auroralive")
                .title("Morning coffee & chat")
                .category(15)
                .tags(["English", "Cozy"])
                .moderator(MODMAX_ID)
                .subscribers(340, 12),
        ),
        (
            MockUser::new(BYTEBARD_ID, "ByteBard"),
            MockChannel::new(BYTEBARD_ID, "bytebard")
                .title("Writing a Rust client for Kick")
                .category(66)
                .tags(["Rust", "Programming"])
                .subscribers(58, 3),
        ),
        (
            MockUser::new(PIXELPINE_ID, "PixelPine"),
            MockChannel::new(PIXELPINE_ID, "pixelpine")
                .title("Survival hardcore día 100")
                .category(41)
                .language("es")
                .subscribers(1210, 40),
        ),
        (
            MockUser::new(QUIETCODER_ID, "QuietCoder"),
            MockChannel::new(QUIETCODER_ID, "quietcoder").title("Offline for now").category(66),
        ),
        (MockUser::new(CHATFAN_ID, "chatfan42"), MockChannel::new(CHATFAN_ID, "chatfan42")),
        (MockUser::new(MODMAX_ID, "modmax"), MockChannel::new(MODMAX_ID, "modmax")),
    ];
    for (user, channel) in channels {
        state.channels.insert(user.id, channel);
        state.users.insert(user.id, user);
    }
    let now = Utc::now();
    for live in [
        MockLiveStream::new(AURORA_ID).viewers(1250).started_at(now - chrono::Duration::minutes(95)),
        MockLiveStream::new(BYTEBARD_ID).viewers(320).started_at(now - chrono::Duration::minutes(40)),
        MockLiveStream::new(PIXELPINE_ID).viewers(2100).started_at(now - chrono::Duration::minutes(180)),
    ] {
        state.live.insert(live.broadcaster_user_id, live);
    }

    let hydrate = MockReward::new(AURORA_ID, "Hydrate!", 100).description("Make me drink some water");
    let song =
        MockReward::new(AURORA_ID, "Song request", 500).description("Name a song for the playlist").input_required();
    let game = MockReward::new(AURORA_ID, "Pick the next game", 2500).by_app(OTHER_CLIENT_ID);
    state.redemptions.extend([
        Redemption::new(&hydrate.id, CHATFAN_ID),
        Redemption::new(&song.id, MODMAX_ID).input("Never Gonna Give You Up"),
        Redemption::new(&hydrate.id, CHATFAN_ID).status(RedemptionStatus::Accepted).input(""),
        Redemption::new(&game.id, CHATFAN_ID),
    ]);
    state.rewards.extend([hydrate, song, game]);

    state.kicks.extend([
        KicksEntry { broadcaster_user_id: AURORA_ID, user_id: CHATFAN_ID, lifetime: 5000, month: 1200, week: 300 },
        KicksEntry { broadcaster_user_id: AURORA_ID, user_id: MODMAX_ID, lifetime: 2500, month: 2500, week: 0 },
        KicksEntry { broadcaster_user_id: AURORA_ID, user_id: BYTEBARD_ID, lifetime: 100, month: 0, week: 0 },
    ]);
    state.chat.push(MockChatMessage {
        message_id: MessageId::new(super::ids::uuid().to_string()),
        broadcaster_user_id: AURORA_ID,
        sender_user_id: CHATFAN_ID,
        content: "hello chat!".to_owned(),
        kind: "user".to_owned(),
        reply_to_message_id: None,
        sent_at: now - chrono::Duration::minutes(2),
        deleted: false,
    });
    state.apps.push(App::new(OTHER_CLIENT_ID, "other-app-secret"));

    // Drops: the default app is Pinewood Games' (the other app belongs to no organization).
    let mut pinewood = Organization::new("Pinewood Games", DEFAULT_CLIENT_ID);
    pinewood.id = ORGANIZATION_ID.to_owned();
    let mut campaign = DropsCampaign::new(ORGANIZATION_ID, "Pinewood launch week", 41);
    campaign.id = DROPS_CAMPAIGN_ID.into();
    let mut sapling = DropsReward::new(DROPS_CAMPAIGN_ID, "Pine sapling skin").external_id("pw-sapling-skin");
    sapling.id = DROPS_SAPLING_REWARD_ID.into();
    let mut axe = DropsReward::new(DROPS_CAMPAIGN_ID, "Lumberjack axe");
    axe.id = DROPS_AXE_REWARD_ID.into();
    let claimed = now - chrono::Duration::hours(3);
    state.drops_claims.extend([
        MockDropsClaim {
            claim_id: DROPS_CHATFAN_CLAIM_ID.into(),
            user_id: CHATFAN_ID,
            campaign_id: DROPS_CAMPAIGN_ID.into(),
            reward_id: sapling.id.clone(),
            external_id: sapling.external_id.clone(),
            external_status: "initiated".to_owned(),
            created_at: claimed,
            updated_at: claimed,
        },
        MockDropsClaim {
            claim_id: DROPS_MODMAX_CLAIM_ID.into(),
            user_id: MODMAX_ID,
            campaign_id: DROPS_CAMPAIGN_ID.into(),
            reward_id: axe.id.clone(),
            external_id: None,
            external_status: "processed".to_owned(),
            created_at: claimed,
            updated_at: now - chrono::Duration::hours(1),
        },
    ]);
    state.organizations.push(pinewood);
    state.drops_campaigns.push(campaign);
    state.drops_rewards.extend([sapling, axe]);
    state.oauth.authorizing_user.get_or_insert(AURORA_ID);
}
