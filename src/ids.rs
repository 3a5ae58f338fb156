//! Typed ids: one type per kind of thing Kick numbers or names, so a category id cannot be passed
//! where a user id is expected.
//!
//! Every id serialises exactly as Kick writes it (a number or a string), prints as it does on the
//! wire, and parses back with [`str::parse`]. The facade takes `impl Into<UserId>` and the like, so
//! an integer literal, or the id a model or webhook payload gives you, passes straight through.
//!
//! ```
//! use kickrs::ids::{CategoryId, RewardId, UserId};
//!
//! let user = UserId::from(4377088);
//! assert_eq!(user.get(), 4377088);
//! assert_eq!(user.to_string(), "4377088");
//! assert_eq!("4377088".parse::<UserId>()?, user);
//! assert_eq!(serde_json::to_string(&user)?, "4377088");
//!
//! let reward: RewardId = "01HZX5A4Q2".into();
//! assert_eq!(reward.as_str(), "01HZX5A4Q2");
//! # let _ = CategoryId::from(28);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Ids of different kinds do not mix:
//!
//! ```compile_fail
//! # async fn demo(client: kickrs::KickClient) {
//! let chess = kickrs::ids::CategoryId::from(28);
//! let _ = client.fetch_user(chess).await; // a category id is not a user id
//! # }
//! ```

use std::fmt;
use std::str::FromStr;

macro_rules! numeric_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(u64);

        impl $name {
            /// The id from its number.
            pub const fn new(id: u64) -> Self {
                Self(id)
            }

            /// The number Kick uses.
            pub const fn get(self) -> u64 {
                self.0
            }
        }

        // Only `u64`: with a single integer impl an untyped literal (`fetch_user(123)`) infers to it.
        impl From<u64> for $name {
            fn from(id: u64) -> Self {
                Self(id)
            }
        }

        impl From<&u64> for $name {
            fn from(id: &u64) -> Self {
                Self(*id)
            }
        }

        impl From<$name> for u64 {
            fn from(id: $name) -> u64 {
                id.0
            }
        }

        impl From<&$name> for $name {
            fn from(id: &$name) -> Self {
                *id
            }
        }

        impl PartialEq<u64> for $name {
            fn eq(&self, other: &u64) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<$name> for u64 {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl FromStr for $name {
            type Err = std::num::ParseIntError;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                text.parse().map(Self)
            }
        }

        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({ "type": "integer", "format": "uint64", "minimum": 0 })
            }
        }
    };
}

macro_rules! string_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The id from its text.
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            /// The text Kick uses.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The text, owned.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                Self(id)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.to_owned())
            }
        }

        impl From<&String> for $name {
            fn from(id: &String) -> Self {
                Self(id.clone())
            }
        }

        impl From<&$name> for $name {
            fn from(id: &$name) -> Self {
                id.clone()
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<$name> for String {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl PartialEq<$name> for &str {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl FromStr for $name {
            type Err = std::convert::Infallible;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Ok(Self(text.to_owned()))
            }
        }

        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({ "type": "string" })
            }
        }
    };
}

numeric_id! {
    /// A Kick user. A channel's owner is a user too: Kick's `broadcaster_user_id` is a `UserId`.
    UserId
}

numeric_id! {
    /// A channel's own number (`channel_id` in livestream answers), distinct from its owner's [`UserId`].
    ChannelId
}

numeric_id! {
    /// A stream category such as "Just Chatting".
    CategoryId
}

string_id! {
    /// A live stream (a UUID in the v2 livestream answers).
    LivestreamId
}

string_id! {
    /// A channel-points reward (a ULID).
    RewardId
}

string_id! {
    /// One redemption of a channel-points reward (a ULID).
    RedemptionId
}

string_id! {
    /// A webhook event subscription (a ULID).
    SubscriptionId
}

string_id! {
    /// A chat message (a UUID).
    MessageId
}

string_id! {
    /// A Drops reward claim.
    ClaimId
}

string_id! {
    /// A Drops campaign of an organization (a ULID).
    DropsCampaignId
}

string_id! {
    /// A Drops reward, which viewers claim; distinct from a channel-points [`RewardId`].
    DropsRewardId
}

string_id! {
    /// An ad break (a UUID; kickrs makes one up when you do not choose it).
    AdBreakId
}

string_id! {
    /// An OAuth app, as Kick names it in subscriptions and token introspection (its client id).
    ClientId
}

string_id! {
    /// One webhook delivery (`Kick-Event-Message-Id`, a ULID); Kick's retries of it keep the id.
    EventMessageId
}

string_id! {
    /// A chat emote (`[emote:ID:NAME]` in message text).
    EmoteId
}
