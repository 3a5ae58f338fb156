//! The user objects embedded in every webhook payload.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::ids::UserId;

use super::lenient::{empty_as_none, null_as_empty, null_as_false};

/// A user as webhook payloads describe them (broadcaster, sender, follower, gifter, ...).
///
/// Every field is optional because Kick sends partial objects: anonymous gifters with all
/// fields `null`, `{"is_anonymous": true}` only, or `{"username": "Anonymous"}` only, and the
/// compact users of `kicks.gifted` and `channel.reward.redemption.updated` have no
/// `is_anonymous` or `identity`. Empty strings in `profile_picture` and `channel_slug` read as
/// `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct WebhookUser {
    /// Kick's `is_anonymous` flag (absent or `null` reads as `false`). Kick has sent anonymous
    /// gifts with this flag `false`; see [`WebhookUser::appears_anonymous`].
    #[serde(default, deserialize_with = "null_as_false")]
    pub is_anonymous: bool,
    /// The user's numeric id.
    #[serde(default)]
    pub user_id: Option<UserId>,
    /// The user's display name.
    #[serde(default)]
    pub username: Option<String>,
    /// Whether the user is verified (`null` in some real payloads).
    #[serde(default)]
    pub is_verified: Option<bool>,
    /// Avatar URL.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub profile_picture: Option<String>,
    /// The user's channel slug.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub channel_slug: Option<String>,
    /// Chat identity (colour and badges); Kick sends it for chat senders only.
    #[serde(default)]
    pub identity: Option<Identity>,
}

impl WebhookUser {
    /// True when the user is flagged anonymous or carries no user id (Kick's anonymous gifts
    /// do not always set the flag).
    pub fn appears_anonymous(&self) -> bool {
        self.is_anonymous || self.user_id.is_none()
    }
}

/// A chat sender's identity: name colour and badges.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Identity {
    /// Name colour, e.g. `#FF5733` (`""` reads as `None`).
    #[serde(default, deserialize_with = "empty_as_none")]
    pub username_color: Option<String>,
    /// Badges (`null` reads as empty).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub badges: Vec<Badge>,
}

/// A chat badge such as `moderator` or `subscriber`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Badge {
    /// Display text, e.g. `Subscriber`.
    #[serde(default)]
    pub text: String,
    /// Machine name, e.g. `subscriber`.
    #[serde(default, rename = "type")]
    pub r#type: String,
    /// Count for counted badges (months subscribed, subs gifted).
    #[serde(default)]
    pub count: Option<u32>,
}
