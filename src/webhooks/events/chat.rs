//! `chat.message.sent`.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::ids::MessageId;

use super::lenient::{null_as_empty, string_or_number};
use super::user::WebhookUser;
use crate::webhooks::chat::{ChatSegment, parse_chat_content};

/// A chat message was sent in a channel (`chat.message.sent`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ChatMessageSent {
    /// The message's id (a UUID in real payloads).
    pub message_id: MessageId,
    /// The message this one replies to (absent or `null` when it is not a reply).
    #[serde(default)]
    pub replies_to: Option<Reply>,
    /// The channel owner.
    pub broadcaster: WebhookUser,
    /// Who sent the message.
    pub sender: WebhookUser,
    /// The text, with emotes inlined as `[emote:ID:NAME]` (see [`ChatMessageSent::segments`]).
    pub content: String,
    /// Emote positions (`null` in every real payload so far; absent reads as empty too).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub emotes: Vec<Emote>,
    /// When the message was sent (absent before mid-2025).
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
}

impl ChatMessageSent {
    /// The content split into text and `[emote:ID:NAME]` segments.
    pub fn segments(&self) -> Vec<ChatSegment<'_>> {
        parse_chat_content(&self.content)
    }
}

/// The parent of a reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Reply {
    /// The parent message's id.
    pub message_id: MessageId,
    /// The parent message's text.
    #[serde(default)]
    pub content: String,
    /// Who sent the parent message.
    pub sender: WebhookUser,
}

/// Where one emote appears in a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Emote {
    /// The emote's id (Kick sends a numeric string, sometimes a number; kept as text).
    #[serde(deserialize_with = "emote_id")]
    pub emote_id: crate::ids::EmoteId,
    /// Each occurrence in the content.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub positions: Vec<EmotePosition>,
}

/// An emote id sent as a string or a number.
fn emote_id<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<crate::ids::EmoteId, D::Error> {
    string_or_number(deserializer).map(crate::ids::EmoteId::from)
}

/// One occurrence of an emote: start and end offsets in the content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EmotePosition {
    /// Start offset.
    pub s: u32,
    /// End offset.
    pub e: u32,
}
