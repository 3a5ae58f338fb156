//! Kick's data models: the generated types under kickpy's names, plus open enums that keep values
//! Kick adds later instead of failing the whole answer.

pub use crate::raw::types::{
    AdBreak, AdBreakLimits, AdBreakStatus, AdBreakStatusItem, Category, CategoryDetail, Channel, ChannelReward,
    ChannelRewardRedemption, ChatResponse, DropsClaim, DropsClaimUpdate, EventSpec, EventsSubscription,
    EventsSubscriptionCreated, FailedRedemption, KicksLeaderboard, KicksLeaderboardEntry, LiveStream,
    LiveStreamChannel, LiveStreamUser, LiveStreamV2, LivestreamStats, MinimalChannelReward, Pagination, RedemptionUser,
    RedemptionsByReward, Stream, User,
};

/// Read by every generated list field: `null` (as Kick sends for an empty list) is an empty list.
pub(crate) use crate::webhooks::events::null_as_empty;

/// Declares a string enum with a catch-all `Other` variant, serialised as Kick's strings.
macro_rules! open_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A value this version of kickrs does not know yet, kept as sent.
            Other(String),
        }

        impl $name {
            /// The value as Kick writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)+
                    Self::Other(other) => other,
                }
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($wire => Self::$variant,)+
                    other => Self::Other(other.to_string()),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = String::deserialize(deserializer)?;
                Ok(Self::from(value.as_str()))
            }
        }

        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({
                    "type": "string",
                    "description": concat!("One of: ", $($wire, " "),+, "(or a newer value)"),
                })
            }
        }
    };
}

pub(crate) use open_enum;

open_enum! {
    /// Where a channel-points redemption stands.
    ///
    /// ```
    /// use kickrs::models::RedemptionStatus;
    /// assert_eq!(RedemptionStatus::from("accepted"), RedemptionStatus::Accepted);
    /// assert_eq!(RedemptionStatus::from("refunded"), RedemptionStatus::Other("refunded".into()));
    /// ```
    RedemptionStatus {
        /// Waiting for the broadcaster.
        Pending = "pending",
        /// Accepted.
        Accepted = "accepted",
        /// Rejected.
        Rejected = "rejected",
    }
}

open_enum! {
    /// Why Kick could not accept or reject a redemption.
    FailedRedemptionReason {
        /// Kick gave no reason.
        Unknown = "UNKNOWN",
        /// The redemption is no longer pending.
        NotPending = "NOT_PENDING",
        /// No such redemption.
        NotFound = "NOT_FOUND",
        /// Another app owns the reward.
        NotOwned = "NOT_OWNED",
    }
}
