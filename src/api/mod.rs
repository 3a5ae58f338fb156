//! The facade: kickpy's methods on [`crate::KickClient`], one file per endpoint area.

mod ads;
mod categories;
mod channels;
mod chat;
mod events;
mod kicks;
mod livestreams;
mod moderation;
mod page;
mod public_key;
mod rewards;
mod users;

pub use categories::CategoriesOptions;
pub use channels::{ChannelRef, ChannelRefs, UpdateChannelOptions};
pub use livestreams::{LivestreamsOptions, LivestreamsV2Options};
pub use page::Page;

pub use ads::CreateAdBreakOptions;
pub use chat::{ChatMessageType, SendChatMessageOptions};
pub use events::{EnsuredSubscriptions, FetchEventsSubscriptionsOptions, WebhookEvent};
pub use moderation::BanUserOptions;
pub use rewards::{CreateChannelRewardOptions, FetchRewardRedemptionsOptions, UpdateChannelRewardOptions};
