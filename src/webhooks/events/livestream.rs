//! Livestream events: going live or offline, and title/category changes.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::ids::CategoryId;

use super::lenient::empty_as_none;
use super::user::WebhookUser;

/// A stream started or ended (`livestream.status.updated`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LiveStreamStatusUpdated {
    /// The channel owner.
    pub broadcaster: WebhookUser,
    /// True when the stream just started, false when it ended.
    pub is_live: bool,
    /// Stream title.
    #[serde(default)]
    pub title: String,
    /// When the stream started.
    pub started_at: DateTime<Utc>,
    /// When it ended (`null` while live).
    #[serde(default)]
    pub ended_at: Option<DateTime<Utc>>,
}

/// A live stream's title, language, category or mature flag changed
/// (`livestream.metadata.updated`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LiveStreamMetadataUpdated {
    /// The channel owner.
    pub broadcaster: WebhookUser,
    /// The new metadata.
    pub metadata: LivestreamMetadata,
}

/// Metadata of a live stream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LivestreamMetadata {
    /// Stream title.
    #[serde(default)]
    pub title: String,
    /// Language code, e.g. `en`.
    #[serde(default)]
    pub language: String,
    /// Whether the stream is marked mature.
    #[serde(default)]
    pub has_mature_content: bool,
    /// The category (Kick has sent the key as `Category`; both spellings are read).
    #[serde(default, alias = "Category")]
    pub category: Option<LivestreamCategory>,
}

/// A stream category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LivestreamCategory {
    /// Category id.
    pub id: CategoryId,
    /// Category name.
    #[serde(default)]
    pub name: String,
    /// Thumbnail URL (`""` reads as `None`).
    #[serde(default, deserialize_with = "empty_as_none")]
    pub thumbnail: Option<String>,
}
