//! Typed payloads of Kick's ten webhook event types (version 1) and of the Drops claim webhook, and
//! [`Event`], the decoded form of any delivery.
//!
//! Decoding is tolerant of what Kick really sends: unknown fields are ignored, `null` lists
//! read as empty, users may be partial, timestamps may carry any number of fractional digits
//! or an offset (they are converted to UTC).
//!
//! ```
//! use kickrs::webhooks::events::{Event, EventPayload, ChannelFollow};
//!
//! let body = br#"{"broadcaster":{"user_id":1},"follower":{"user_id":2,"username":"ann"}}"#;
//! let event = Event::decode(ChannelFollow::NAME, 1, body).unwrap();
//! let Event::ChannelFollow(follow) = event else { panic!("not a follow") };
//! assert_eq!(follow.follower.username.as_deref(), Some("ann"));
//! ```

mod channel;
mod chat;
mod drops;
mod kicks;
mod lenient;

pub(crate) use lenient::null_as_empty;
mod livestream;
mod moderation;
mod user;

pub use channel::{
    ChannelFollow, ChannelRewardRedemptionUpdated, ChannelSubCreated, ChannelSubGifts, ChannelSubRenewal,
    RedemptionReward,
};
pub use chat::{ChatMessageSent, Emote, EmotePosition, Reply};
pub use drops::DropsRewardClaimed;
pub use kicks::{Gift, KicksGifted};
pub use livestream::{LiveStreamMetadataUpdated, LiveStreamStatusUpdated, LivestreamCategory, LivestreamMetadata};
pub use moderation::{BanMetadata, ModerationBanned};
pub use user::{Badge, Identity, WebhookUser};

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::error::WebhookError;

/// A payload type of one Kick event, named by its `Kick-Event-Type` and `Kick-Event-Version`.
///
/// Used for typed dispatch (`Dispatcher::on::<ChatMessageSent>(...)`) and by the test signer.
pub trait EventPayload: Serialize + DeserializeOwned + Clone + Send + Sync + std::fmt::Debug + 'static {
    /// The `Kick-Event-Type` value, e.g. `chat.message.sent`.
    const NAME: &'static str;
    /// The `Kick-Event-Version` this type decodes.
    const VERSION: u32;

    /// Wraps the payload in its [`Event`] variant.
    fn into_event(self) -> Event;

    /// The payload if `event` is of this type.
    fn from_event(event: &Event) -> Option<&Self>;
}

macro_rules! webhook_events {
    ($($variant:ident => $name:literal),+ $(,)?) => {
        /// A decoded webhook delivery: one variant per known event type, or [`Event::Unknown`].
        ///
        /// Serialises as `{"event": "<Variant>", "payload": {...}}` (e.g. for logging).
        #[derive(Debug, Clone, PartialEq, Serialize)]
        #[serde(tag = "event", content = "payload")]
        #[non_exhaustive]
        pub enum Event {
            $(
                #[doc = concat!("`", $name, "` version 1.")]
                $variant($variant),
            )+
            /// A Drops reward claim (a delivery without type and version headers; see [`DropsRewardClaimed`]).
            DropsRewardClaimed(DropsRewardClaimed),
            /// An event type or version this crate does not know, kept as raw JSON.
            Unknown {
                /// The `Kick-Event-Type` header.
                r#type: String,
                /// The `Kick-Event-Version` header.
                version: u32,
                /// The body as JSON.
                raw: serde_json::Value,
            },
        }

        $(
            impl EventPayload for $variant {
                const NAME: &'static str = $name;
                const VERSION: u32 = 1;

                fn into_event(self) -> Event {
                    Event::$variant(self)
                }

                fn from_event(event: &Event) -> Option<&Self> {
                    match event {
                        Event::$variant(payload) => Some(payload),
                        _ => None,
                    }
                }
            }
        )+

        /// The `Kick-Event-Type` names of every known event, in Kick's documented order (the events one
        /// subscribes to; a Drops claim has no type header and is not among them).
        pub const EVENT_NAMES: &[&str] = &[$($name),+];

        impl Event {
            /// Decodes `body` as the payload named by `event_type` and `version` (the
            /// `Kick-Event-Type` and `Kick-Event-Version` headers). Unknown names or versions
            /// give [`Event::Unknown`].
            ///
            /// # Errors
            /// [`WebhookError::MalformedPayload`] with the JSON path and reason when the body is
            /// not JSON or does not fit the announced type.
            pub fn decode(event_type: &str, version: u32, body: &[u8]) -> Result<Event, WebhookError> {
                match (event_type, version) {
                    $(
                        ($name, 1) => decode_json::<$variant>(event_type, body).map(Event::$variant),
                    )+
                    (DropsRewardClaimed::NAME, 1) => decode_json::<DropsRewardClaimed>(event_type, body).map(Event::DropsRewardClaimed),
                    _ => decode_json::<serde_json::Value>(event_type, body).map(|raw| Event::Unknown {
                        r#type: event_type.to_owned(),
                        version,
                        raw,
                    }),
                }
            }

            /// The `Kick-Event-Type` of this event.
            pub fn event_type(&self) -> &str {
                match self {
                    $(Event::$variant(_) => $name,)+
                    Event::DropsRewardClaimed(_) => DropsRewardClaimed::NAME,
                    Event::Unknown { r#type, .. } => r#type,
                }
            }

            /// The `Kick-Event-Version` of this event.
            pub fn version(&self) -> u32 {
                match self {
                    $(Event::$variant(_) => <$variant as EventPayload>::VERSION,)+
                    Event::DropsRewardClaimed(_) => <DropsRewardClaimed as EventPayload>::VERSION,
                    Event::Unknown { version, .. } => *version,
                }
            }
        }
    };
}

webhook_events! {
    ChatMessageSent => "chat.message.sent",
    ChannelFollow => "channel.followed",
    ChannelSubRenewal => "channel.subscription.renewal",
    ChannelSubGifts => "channel.subscription.gifts",
    ChannelSubCreated => "channel.subscription.new",
    ChannelRewardRedemptionUpdated => "channel.reward.redemption.updated",
    LiveStreamStatusUpdated => "livestream.status.updated",
    LiveStreamMetadataUpdated => "livestream.metadata.updated",
    ModerationBanned => "moderation.banned",
    KicksGifted => "kicks.gifted",
}

impl EventPayload for DropsRewardClaimed {
    /// Not a `Kick-Event-Type` (claims carry none): the name kickrs gives claim deliveries.
    const NAME: &'static str = "drops.claim";
    const VERSION: u32 = 1;

    fn into_event(self) -> Event {
        Event::DropsRewardClaimed(self)
    }

    fn from_event(event: &Event) -> Option<&Self> {
        match event {
            Event::DropsRewardClaimed(claim) => Some(claim),
            _ => None,
        }
    }
}

/// Deserialises a whole JSON document, reporting the path of the first offending value.
fn decode_json<T: DeserializeOwned>(event_type: &str, body: &[u8]) -> Result<T, WebhookError> {
    let malformed = |path: String, reason: String| WebhookError::MalformedPayload {
        event_type: event_type.to_owned(),
        path,
        reason,
    };
    // As text when the body is UTF-8 (see `client::decode::from_json`), as bytes otherwise.
    match std::str::from_utf8(body) {
        Ok(text) => decode_with(serde_json::Deserializer::from_str(text), malformed),
        Err(_) => decode_with(serde_json::Deserializer::from_slice(body), malformed),
    }
}

fn decode_with<'de, R: serde_json::de::Read<'de>, T: DeserializeOwned>(
    mut deserializer: serde_json::Deserializer<R>,
    malformed: impl Fn(String, String) -> WebhookError,
) -> Result<T, WebhookError> {
    let value = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|err| malformed(err.path().to_string(), err.inner().to_string()))?;
    deserializer.end().map_err(|err| malformed(".".to_owned(), err.to_string()))?;
    Ok(value)
}
