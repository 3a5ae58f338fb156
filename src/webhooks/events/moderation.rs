//! `moderation.banned`.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::user::WebhookUser;

/// A user was banned or timed out in a channel (`moderation.banned`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ModerationBanned {
    /// The channel owner.
    pub broadcaster: WebhookUser,
    /// Who issued the ban.
    pub moderator: WebhookUser,
    /// Who was banned.
    pub banned_user: WebhookUser,
    /// Reason and duration.
    pub metadata: BanMetadata,
}

impl ModerationBanned {
    /// True for a permanent ban, false for a timeout.
    pub fn is_permanent(&self) -> bool {
        self.metadata.expires_at.is_none()
    }
}

/// Details of a ban.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BanMetadata {
    /// The reason the moderator gave.
    #[serde(default)]
    pub reason: String,
    /// When the ban was issued.
    pub created_at: DateTime<Utc>,
    /// When a timeout ends (`null` for a permanent ban).
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
}
