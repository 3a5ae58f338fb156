//! Channel events: follows, subscriptions, gifted subscriptions and reward redemptions.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::ids::{RedemptionId, RewardId};
use crate::models::RedemptionStatus;

use super::lenient::null_as_empty;
use super::user::WebhookUser;

/// A user followed a channel (`channel.followed`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ChannelFollow {
    /// The channel owner.
    pub broadcaster: WebhookUser,
    /// The new follower.
    pub follower: WebhookUser,
}

/// A user subscribed to a channel for the first time (`channel.subscription.new`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ChannelSubCreated {
    /// The channel owner.
    pub broadcaster: WebhookUser,
    /// The subscriber.
    pub subscriber: WebhookUser,
    /// Subscription length in months.
    pub duration: u32,
    /// When the subscription started.
    pub created_at: DateTime<Utc>,
    /// When it ends (Kick's value can be off by days, KickDevDocs#368).
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
}

/// A user's subscription was renewed (`channel.subscription.renewal`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ChannelSubRenewal {
    /// The channel owner.
    pub broadcaster: WebhookUser,
    /// The subscriber.
    pub subscriber: WebhookUser,
    /// Cumulative subscription length in months.
    pub duration: u32,
    /// When the renewal happened.
    pub created_at: DateTime<Utc>,
    /// When it ends (absent in payloads before April 2025).
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
}

/// A user gifted subscriptions (`channel.subscription.gifts`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ChannelSubGifts {
    /// The channel owner.
    pub broadcaster: WebhookUser,
    /// The gifter. For anonymous gifts Kick sends an object whose fields are `null` (and has
    /// sent one with `is_anonymous: false`); use [`WebhookUser::appears_anonymous`].
    #[serde(default)]
    pub gifter: Option<WebhookUser>,
    /// The recipients.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub giftees: Vec<WebhookUser>,
    /// When the gift happened.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    /// When the gifted subscriptions end (absent in early payloads).
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
}

/// A channel-points reward redemption changed state (`channel.reward.redemption.updated`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ChannelRewardRedemptionUpdated {
    /// The redemption's id (ULID).
    pub id: RedemptionId,
    /// What the viewer typed, if the reward asks for input.
    #[serde(default)]
    pub user_input: String,
    /// `pending`, `accepted` or `rejected`.
    pub status: RedemptionStatus,
    /// When the reward was redeemed.
    pub redeemed_at: DateTime<Utc>,
    /// The reward redeemed.
    pub reward: RedemptionReward,
    /// The viewer who redeemed it.
    pub redeemer: WebhookUser,
    /// The channel owner.
    pub broadcaster: WebhookUser,
}

/// The reward in a redemption.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RedemptionReward {
    /// The reward's id (ULID).
    pub id: RewardId,
    /// Title shown to viewers.
    pub title: String,
    /// Cost in channel points.
    pub cost: u64,
    /// Description shown to viewers.
    #[serde(default)]
    pub description: String,
}
