//! `kicks.gifted`.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::user::WebhookUser;

/// A viewer gifted KICKs to a channel (`kicks.gifted`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct KicksGifted {
    /// The channel owner.
    pub broadcaster: WebhookUser,
    /// The viewer who sent the gift.
    pub sender: WebhookUser,
    /// The gift.
    pub gift: Gift,
    /// When it was sent.
    pub created_at: DateTime<Utc>,
}

/// A KICKs gift.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Gift {
    /// Number of KICKs.
    pub amount: u64,
    /// Gift name, e.g. `Rage Quit`.
    #[serde(default)]
    pub name: String,
    /// Gift type, e.g. `BASIC`, `LEVEL_UP`.
    #[serde(default, rename = "type")]
    pub r#type: String,
    /// Tier, e.g. `BASIC`, `MID`.
    #[serde(default)]
    pub tier: String,
    /// The sender's message.
    #[serde(default)]
    pub message: String,
    /// How long the gift is pinned in chat, in seconds (absent before late 2025).
    #[serde(default)]
    pub pinned_time_seconds: Option<u64>,
}
