//! MockKick's world: the records it serves, seeds and lets tests inspect.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};

use super::oauth::OAuthState;
use super::seed::DEFAULT_CLIENT_ID;
use crate::ids::{
    AdBreakId, CategoryId, ClaimId, ClientId, DropsCampaignId, DropsRewardId, LivestreamId, MessageId, RedemptionId,
    RewardId, SubscriptionId, UserId,
};
use crate::models::RedemptionStatus;

/// A Kick user account.
#[derive(Debug, Clone, PartialEq)]
pub struct MockUser {
    /// Kick user id.
    pub id: UserId,
    /// Username.
    pub name: String,
    /// E-mail, shown only to the user's own token.
    pub email: String,
    /// Avatar URL.
    pub profile_picture: String,
}

impl MockUser {
    /// A user with a made-up e-mail and avatar URL.
    pub fn new(id: impl Into<UserId>, name: &str) -> Self {
        let id = id.into();
        MockUser {
            id,
            name: name.to_owned(),
            email: format!("{}@example.com", name.to_lowercase()),
            profile_picture: format!(
                "https://files.kick.com/images/user/{id}/profile_image/conversion/default-fullsize.webp"
            ),
        }
    }
}

/// A user's channel: stream info, stream key, moderators and ad settings.
#[derive(Debug, Clone, PartialEq)]
pub struct MockChannel {
    /// Owner's user id (Kick's channel key).
    pub broadcaster_user_id: UserId,
    /// URL slug.
    pub slug: String,
    /// Channel description.
    pub description: String,
    /// Banner URL.
    pub banner_picture: String,
    /// Stream title (kept while offline).
    pub stream_title: String,
    /// Category id, if one is set.
    pub category_id: Option<CategoryId>,
    /// Custom tags (at most 10).
    pub custom_tags: Vec<String>,
    /// Stream language code.
    pub language: String,
    /// Mature content flag.
    pub is_mature: bool,
    /// Stream key, shown only to the owner with `streamkey:read`.
    pub stream_key: String,
    /// RTMPS ingest URL, shown like the key.
    pub stream_url: String,
    /// Active subscribers (gifted included).
    pub active_subscribers_count: u64,
    /// Canceled subscribers.
    pub canceled_subscribers_count: u64,
    /// Users who may moderate this channel besides its owner.
    pub moderators: Vec<UserId>,
    /// Ad settings and past ad breaks.
    pub ads: AdSettings,
}

impl MockChannel {
    /// An offline channel with a title, no category and ads enrolled.
    pub fn new(broadcaster_user_id: impl Into<UserId>, slug: &str) -> Self {
        MockChannel {
            broadcaster_user_id: broadcaster_user_id.into(),
            slug: slug.to_owned(),
            description: format!("Welcome to {slug}'s channel"),
            banner_picture: "https://kick.com/img/default-banner-pictures/default2.jpeg".to_owned(),
            stream_title: format!("{slug} is streaming"),
            category_id: None,
            custom_tags: Vec::new(),
            language: "en".to_owned(),
            is_mature: false,
            stream_key: format!("sk_us-west-2_{}", super::ids::token(24)),
            stream_url: "rtmps://fa723fc1b171.global-contribute.live-video.net".to_owned(),
            active_subscribers_count: 0,
            canceled_subscribers_count: 0,
            moderators: Vec::new(),
            ads: AdSettings::default(),
        }
    }

    /// Sets the stream title.
    pub fn title(mut self, title: &str) -> Self {
        self.stream_title = title.to_owned();
        self
    }

    /// Sets the category.
    pub fn category(mut self, category_id: impl Into<CategoryId>) -> Self {
        self.category_id = Some(category_id.into());
        self
    }

    /// Sets the custom tags.
    pub fn tags<I: IntoIterator<Item = S>, S: Into<String>>(mut self, tags: I) -> Self {
        self.custom_tags = tags.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the language code.
    pub fn language(mut self, language: &str) -> Self {
        self.language = language.to_owned();
        self
    }

    /// Adds a moderator.
    pub fn moderator(mut self, user_id: impl Into<UserId>) -> Self {
        self.moderators.push(user_id.into());
        self
    }

    /// Sets the subscriber counts.
    pub fn subscribers(mut self, active: u64, canceled: u64) -> Self {
        self.active_subscribers_count = active;
        self.canceled_subscribers_count = canceled;
        self
    }
}

/// A channel's ad settings (what `GET /public/v1/ads/ad-break-status` reports).
#[derive(Debug, Clone, PartialEq)]
pub struct AdSettings {
    /// Enrolled in ads.
    pub opted_in: bool,
    /// Ads blocked for this channel.
    pub ads_blocked: bool,
    /// Automatic ads running (manual breaks refused).
    pub auto_ads_active: bool,
    /// Manual ad breaks allowed per period.
    pub max_per_period: u32,
    /// Length of the period in seconds.
    pub period_seconds: u64,
    /// Whether the channel has ever streamed (enrolment needs it).
    pub ever_streamed: bool,
    /// Ad breaks run so far, oldest first.
    pub ad_breaks: Vec<MockAdBreak>,
}

impl Default for AdSettings {
    fn default() -> Self {
        AdSettings {
            opted_in: true,
            ads_blocked: false,
            auto_ads_active: false,
            max_per_period: 3,
            period_seconds: 3600,
            ever_streamed: true,
            ad_breaks: Vec::new(),
        }
    }
}

/// One ad break.
#[derive(Debug, Clone, PartialEq)]
pub struct MockAdBreak {
    /// Ad break id (the client may choose it).
    pub id: AdBreakId,
    /// `active` while running, then `completed`.
    pub status: String,
    /// `manual` (through the API) or `auto`.
    pub source: String,
    /// Length in seconds (7–300).
    pub break_duration_seconds: u32,
    /// Start time.
    pub created_at: DateTime<Utc>,
}

/// A category with tags.
#[derive(Debug, Clone, PartialEq)]
pub struct MockCategory {
    /// Category id.
    pub id: CategoryId,
    /// Name.
    pub name: String,
    /// Thumbnail URL.
    pub thumbnail: String,
    /// Tags.
    pub tags: Vec<String>,
}

impl MockCategory {
    /// A category with a made-up thumbnail and no tags.
    pub fn new(id: impl Into<CategoryId>, name: &str) -> Self {
        let id = id.into();
        MockCategory {
            id,
            name: name.to_owned(),
            thumbnail: format!("https://files.kick.com/images/subcategories/{id}/banner/conversion/thumb.webp"),
            tags: Vec::new(),
        }
    }

    /// Sets the tags.
    pub fn tags<I: IntoIterator<Item = S>, S: Into<String>>(mut self, tags: I) -> Self {
        self.tags = tags.into_iter().map(Into::into).collect();
        self
    }
}

/// A running live stream; title, category, tags and language come from the [`MockChannel`].
#[derive(Debug, Clone, PartialEq)]
pub struct MockLiveStream {
    /// The streaming channel's owner.
    pub broadcaster_user_id: UserId,
    /// Livestream id (a UUID, as in v2 answers).
    pub id: LivestreamId,
    /// Start time.
    pub started_at: DateTime<Utc>,
    /// Viewers.
    pub viewer_count: u64,
    /// Thumbnail URL.
    pub thumbnail: String,
}

impl MockLiveStream {
    /// A stream started ten minutes ago with 100 viewers.
    pub fn new(broadcaster_user_id: impl Into<UserId>) -> Self {
        let broadcaster_user_id = broadcaster_user_id.into();
        MockLiveStream {
            broadcaster_user_id,
            id: LivestreamId::new(super::ids::uuid().to_string()),
            started_at: Utc::now() - chrono::Duration::minutes(10),
            viewer_count: 100,
            thumbnail: format!("https://images.kick.com/video_thumbnails/{broadcaster_user_id}/thumb.webp"),
        }
    }

    /// Sets the viewer count.
    pub fn viewers(mut self, viewer_count: u64) -> Self {
        self.viewer_count = viewer_count;
        self
    }

    /// Sets the start time.
    pub fn started_at(mut self, started_at: DateTime<Utc>) -> Self {
        self.started_at = started_at;
        self
    }
}

/// A chat message sent through `POST /public/v1/chat` (or seeded).
#[derive(Debug, Clone, PartialEq)]
pub struct MockChatMessage {
    /// Message id (a UUID).
    pub message_id: MessageId,
    /// Channel it was sent to.
    pub broadcaster_user_id: UserId,
    /// Sending user (the token's user).
    pub sender_user_id: UserId,
    /// Text.
    pub content: String,
    /// `user` or `bot`.
    pub kind: String,
    /// The message it replies to.
    pub reply_to_message_id: Option<MessageId>,
    /// When it was sent.
    pub sent_at: DateTime<Utc>,
    /// Deleted by a moderator.
    pub deleted: bool,
}

/// A ban (no `expires_at`) or a timeout.
#[derive(Debug, Clone, PartialEq)]
pub struct Ban {
    /// Channel.
    pub broadcaster_user_id: UserId,
    /// Banned user.
    pub user_id: UserId,
    /// Who banned.
    pub moderator_user_id: UserId,
    /// Reason, if given.
    pub reason: Option<String>,
    /// When.
    pub created_at: DateTime<Utc>,
    /// End of a timeout; `None` for a permanent ban.
    pub expires_at: Option<DateTime<Utc>>,
}

/// A channel-points reward.
#[derive(Debug, Clone, PartialEq)]
pub struct MockReward {
    /// Reward id (ULID).
    pub id: RewardId,
    /// Channel.
    pub broadcaster_user_id: UserId,
    /// Client id of the app that created it; only that app may change it.
    pub app_client_id: ClientId,
    /// Title (≤ 50).
    pub title: String,
    /// Description (≤ 200).
    pub description: String,
    /// Cost in points (≥ 1).
    pub cost: u64,
    /// Hex colour.
    pub background_color: String,
    /// Enabled.
    pub is_enabled: bool,
    /// Paused.
    pub is_paused: bool,
    /// Viewer must type a text.
    pub is_user_input_required: bool,
    /// Redemptions skip the queue.
    pub should_redemptions_skip_request_queue: bool,
}

impl MockReward {
    /// An enabled reward owned by the default app.
    pub fn new(broadcaster_user_id: impl Into<UserId>, title: &str, cost: u64) -> Self {
        MockReward {
            id: RewardId::new(super::ids::ulid()),
            broadcaster_user_id: broadcaster_user_id.into(),
            app_client_id: DEFAULT_CLIENT_ID.into(),
            title: title.to_owned(),
            description: String::new(),
            cost,
            background_color: "#00e701".to_owned(),
            is_enabled: true,
            is_paused: false,
            is_user_input_required: false,
            should_redemptions_skip_request_queue: false,
        }
    }

    /// Sets the id (a ULID), so redemptions can be seeded against it.
    pub fn id(mut self, id: impl Into<RewardId>) -> Self {
        self.id = id.into();
        self
    }

    /// Marks the reward as created by another app.
    pub fn by_app(mut self, client_id: &str) -> Self {
        self.app_client_id = client_id.into();
        self
    }

    /// Sets the description.
    pub fn description(mut self, description: &str) -> Self {
        self.description = description.to_owned();
        self
    }

    /// Requires user input.
    pub fn input_required(mut self) -> Self {
        self.is_user_input_required = true;
        self
    }
}

/// A viewer's redemption of a reward.
#[derive(Debug, Clone, PartialEq)]
pub struct Redemption {
    /// Redemption id (ULID).
    pub id: RedemptionId,
    /// The reward.
    pub reward_id: RewardId,
    /// Who redeemed.
    pub redeemer_user_id: UserId,
    /// Text the viewer typed (`""` if none).
    pub user_input: String,
    /// Status.
    pub status: RedemptionStatus,
    /// When.
    pub redeemed_at: DateTime<Utc>,
}

impl Redemption {
    /// A pending redemption made a minute ago.
    pub fn new(reward_id: impl Into<RewardId>, redeemer_user_id: impl Into<UserId>) -> Self {
        Redemption {
            id: RedemptionId::new(super::ids::ulid()),
            reward_id: reward_id.into(),
            redeemer_user_id: redeemer_user_id.into(),
            user_input: String::new(),
            status: RedemptionStatus::Pending,
            redeemed_at: Utc::now() - chrono::Duration::minutes(1),
        }
    }

    /// Sets the user input.
    pub fn input(mut self, text: &str) -> Self {
        self.user_input = text.to_owned();
        self
    }

    /// Sets the status.
    pub fn status(mut self, status: RedemptionStatus) -> Self {
        self.status = status;
        self
    }
}

/// KICKs a user gifted in one channel, per leaderboard window.
#[derive(Debug, Clone, PartialEq)]
pub struct KicksEntry {
    /// Channel.
    pub broadcaster_user_id: UserId,
    /// Gifter.
    pub user_id: UserId,
    /// All time.
    pub lifetime: u64,
    /// This month.
    pub month: u64,
    /// This week.
    pub week: u64,
}

/// A webhook event subscription.
#[derive(Debug, Clone, PartialEq)]
pub struct EventSubscription {
    /// Subscription id (ULID).
    pub id: SubscriptionId,
    /// Client id of the subscribing app.
    pub app_id: ClientId,
    /// Channel.
    pub broadcaster_user_id: UserId,
    /// Event name, e.g. `chat.message.sent`.
    pub event: String,
    /// Event version.
    pub version: u64,
    /// Always `webhook`.
    pub method: String,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Updated.
    pub updated_at: DateTime<Utc>,
}

/// A Kick organization, the owner of Drops campaigns. Its OAuth app (`client_id`) may read and update
/// the claims of its campaigns; claim webhooks go to its `webhook_url`.
#[derive(Debug, Clone, PartialEq)]
pub struct Organization {
    /// Organization id (ULID).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Client id of the organization's OAuth app.
    pub client_id: ClientId,
    /// Where claim webhooks are POSTed (given to Kick at registration).
    pub webhook_url: Option<String>,
}

impl Organization {
    /// An organization owning the app `client_id`, without a webhook URL.
    pub fn new(name: &str, client_id: &str) -> Self {
        Organization { id: super::ids::ulid(), name: name.to_owned(), client_id: client_id.into(), webhook_url: None }
    }

    /// Sets where claim webhooks go.
    pub fn webhook_url(mut self, url: &str) -> Self {
        self.webhook_url = Some(url.to_owned());
        self
    }
}

/// A Drops campaign of an organization, in one category.
#[derive(Debug, Clone, PartialEq)]
pub struct DropsCampaign {
    /// Campaign id (ULID).
    pub id: DropsCampaignId,
    /// The owning organization's id.
    pub organization_id: String,
    /// Display name.
    pub name: String,
    /// The category streams must be in.
    pub category_id: CategoryId,
}

impl DropsCampaign {
    /// A campaign of `organization_id` in `category_id`.
    pub fn new(organization_id: &str, name: &str, category_id: impl Into<CategoryId>) -> Self {
        DropsCampaign {
            id: super::ids::ulid().into(),
            organization_id: organization_id.to_owned(),
            name: name.to_owned(),
            category_id: category_id.into(),
        }
    }
}

/// A reward of a Drops campaign (Kick allows up to 12 per campaign).
#[derive(Debug, Clone, PartialEq)]
pub struct DropsReward {
    /// Reward id (ULID).
    pub id: DropsRewardId,
    /// The campaign it belongs to.
    pub campaign_id: DropsCampaignId,
    /// Display name.
    pub name: String,
    /// The organization's own reference for it, sent along in claims.
    pub external_id: Option<String>,
}

impl DropsReward {
    /// A reward of `campaign_id` without an external id.
    pub fn new(campaign_id: impl Into<DropsCampaignId>, name: &str) -> Self {
        DropsReward {
            id: super::ids::ulid().into(),
            campaign_id: campaign_id.into(),
            name: name.to_owned(),
            external_id: None,
        }
    }

    /// Sets the organization's reference for the reward.
    pub fn external_id(mut self, external_id: &str) -> Self {
        self.external_id = Some(external_id.to_owned());
        self
    }
}

/// A viewer's claim of a Drops reward.
#[derive(Debug, Clone, PartialEq)]
pub struct MockDropsClaim {
    /// Claim id (ULID).
    pub claim_id: ClaimId,
    /// The viewer who claimed.
    pub user_id: UserId,
    /// The reward's campaign.
    pub campaign_id: DropsCampaignId,
    /// The reward claimed.
    pub reward_id: DropsRewardId,
    /// The reward's external id, when it has one.
    pub external_id: Option<String>,
    /// The organization's fulfilment status; `initiated` when the claim is made.
    pub external_status: String,
    /// Claimed.
    pub created_at: DateTime<Utc>,
    /// Last status change.
    pub updated_at: DateTime<Utc>,
}

/// A registered app: client id and secret, allowed redirect URIs, webhook URL.
#[derive(Clone, PartialEq)]
pub struct App {
    /// Client id.
    pub client_id: ClientId,
    pub(crate) client_secret: String,
    /// Allowed redirect URIs; empty allows any `http(s)` URI.
    pub redirect_uris: Vec<String>,
    /// Where webhook events for this app's subscriptions are POSTed.
    pub webhook_url: Option<String>,
    /// Verified apps may hold 10,000 webhook subscriptions instead of 1,000.
    pub verified: bool,
    /// Overrides Kick's subscription limit (1,000, or 10,000 when verified) for this app, so a test can
    /// reach it without creating a thousand subscriptions.
    pub subscription_limit: Option<usize>,
}

impl App {
    /// An app with no redirect URI restriction and no webhook URL.
    pub fn new(client_id: &str, client_secret: &str) -> Self {
        App {
            client_id: client_id.into(),
            client_secret: client_secret.to_owned(),
            redirect_uris: Vec::new(),
            webhook_url: None,
            verified: false,
            subscription_limit: None,
        }
    }

    /// How many webhook subscriptions this app may hold.
    pub fn max_subscriptions(&self) -> usize {
        use crate::validate::{EVENT_SUBSCRIPTIONS_MAX_UNVERIFIED, EVENT_SUBSCRIPTIONS_MAX_VERIFIED};
        let kicks = if self.verified { EVENT_SUBSCRIPTIONS_MAX_VERIFIED } else { EVENT_SUBSCRIPTIONS_MAX_UNVERIFIED };
        self.subscription_limit.unwrap_or(kicks)
    }

    /// Caps this app's webhook subscriptions at `limit` (instead of Kick's 1,000 or 10,000).
    pub fn subscription_limit(mut self, limit: usize) -> Self {
        self.subscription_limit = Some(limit);
        self
    }

    /// Restricts redirect URIs to this list (exact match).
    pub fn redirect_uri(mut self, uri: &str) -> Self {
        self.redirect_uris.push(uri.to_owned());
        self
    }

    /// Sets the webhook URL.
    pub fn webhook_url(mut self, url: &str) -> Self {
        self.webhook_url = Some(url.to_owned());
        self
    }
}

impl fmt::Debug for App {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("App")
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .field("redirect_uris", &self.redirect_uris)
            .field("webhook_url", &self.webhook_url)
            .field("verified", &self.verified)
            .field("subscription_limit", &self.subscription_limit)
            .finish()
    }
}

/// Everything the server knows, behind one mutex that is never held across an await.
#[derive(Default)]
pub(crate) struct State {
    pub(crate) users: BTreeMap<UserId, MockUser>,
    pub(crate) channels: BTreeMap<UserId, MockChannel>,
    pub(crate) categories: BTreeMap<CategoryId, MockCategory>,
    pub(crate) live: BTreeMap<UserId, MockLiveStream>,
    pub(crate) chat: Vec<MockChatMessage>,
    pub(crate) bans: Vec<Ban>,
    pub(crate) rewards: Vec<MockReward>,
    pub(crate) redemptions: Vec<Redemption>,
    pub(crate) kicks: Vec<KicksEntry>,
    pub(crate) subscriptions: Vec<EventSubscription>,
    pub(crate) apps: Vec<App>,
    pub(crate) organizations: Vec<Organization>,
    pub(crate) drops_campaigns: Vec<DropsCampaign>,
    pub(crate) drops_rewards: Vec<DropsReward>,
    /// In the order they were claimed (the order Kick's cursor walks).
    pub(crate) drops_claims: Vec<MockDropsClaim>,
    pub(crate) oauth: OAuthState,
    /// Webhook events produced by handlers, sent once the handler returns.
    pub(crate) outbox: Vec<super::webhooks::Outgoing>,
    /// The key given to [`super::MockKickBuilder::webhook_signer`]; `None`: the process-wide key.
    pub(crate) webhook_signer: Option<std::sync::Arc<crate::webhooks::signing::TestSigner>>,
}

impl State {
    pub(crate) fn app(&self, client_id: &str) -> Option<&App> {
        self.apps.iter().find(|a| a.client_id == client_id)
    }

    /// The organization whose OAuth app is `client_id`.
    pub(crate) fn organization_of(&self, client_id: &str) -> Option<&Organization> {
        self.organizations.iter().find(|o| o.client_id == client_id)
    }

    /// Whether the campaign `campaign_id` belongs to `organization_id`.
    pub(crate) fn campaign_of(&self, campaign_id: &DropsCampaignId, organization_id: &str) -> bool {
        self.drops_campaigns.iter().any(|c| &c.id == campaign_id && c.organization_id == organization_id)
    }

    pub(crate) fn channel_by_slug(&self, slug: &str) -> Option<&MockChannel> {
        self.channels.values().find(|c| c.slug == slug)
    }

    pub(crate) fn category_json(&self, id: Option<CategoryId>) -> serde_json::Value {
        match id.and_then(|id| self.categories.get(&id)) {
            Some(c) => serde_json::json!({"id": c.id, "name": c.name, "thumbnail": c.thumbnail}),
            None => serde_json::json!({"id": 0, "name": "", "thumbnail": ""}),
        }
    }

    /// Whether `user_id` may moderate `broadcaster_user_id`'s channel.
    pub(crate) fn can_moderate(&self, user_id: UserId, broadcaster_user_id: UserId) -> bool {
        user_id == broadcaster_user_id
            || self.channels.get(&broadcaster_user_id).is_some_and(|c| c.moderators.contains(&user_id))
    }
}
