//! The closed sets of values facade options take (sort orders, message kinds), owned by the facade so
//! they are reachable from `kickrs::api` and parse with an error that lists what Kick accepts.

use crate::validate::{self, ValidationError};

/// Declares a string enum Kick accepts only a fixed set of values for: `as_str`, `Display`, `FromStr`
/// (refusing with the allowed values named) and the conversion into the generated request type.
macro_rules! closed_enum {
    (
        $(#[$meta:meta])*
        $name:ident ($field:literal) => $raw:ty {
            $($(#[$vmeta:meta])* $variant:ident = $wire:literal),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every value Kick accepts, as written on the wire.
            pub const ALLOWED: &'static [&'static str] = &[$($wire),+];

            /// The value as Kick writes it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $wire,)+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = ValidationError;

            /// Parses Kick's wire value; anything else is refused with the allowed values listed.
            fn from_str(value: &str) -> Result<Self, ValidationError> {
                match value {
                    $($wire => Ok(Self::$variant),)+
                    other => Err(validate::one_of($field, other, Self::ALLOWED)),
                }
            }
        }

        impl From<$name> for $raw {
            fn from(value: $name) -> Self {
                match value {
                    $($name::$variant => <$raw>::$variant,)+
                }
            }
        }
    };
}

closed_enum! {
    /// The order of the v1 livestreams list ([`LivestreamsOptions::sort`](super::LivestreamsOptions::sort)).
    ///
    /// ```
    /// use kickrs::api::LivestreamsSort;
    /// assert_eq!("started_at".parse::<LivestreamsSort>().unwrap(), LivestreamsSort::StartedAt);
    /// let error = "newest".parse::<LivestreamsSort>().unwrap_err();
    /// assert_eq!(error.to_string(), "`sort` is `newest`; Kick allows one of: viewer_count, started_at");
    /// ```
    LivestreamsSort("sort") => crate::raw::types::FetchLivestreamsSort {
        /// Most viewers first (Kick's default).
        ViewerCount = "viewer_count",
        /// Most recently started first.
        StartedAt = "started_at",
    }
}

closed_enum! {
    /// Who a chat message is sent as: Kick's `type` field of `POST /public/v1/chat`.
    ///
    /// ```
    /// use kickrs::api::ChatMessageType;
    /// assert_eq!("user".parse::<ChatMessageType>().unwrap(), ChatMessageType::User);
    /// assert!("admin".parse::<ChatMessageType>().unwrap_err().to_string().contains("user, bot"));
    /// ```
    ChatMessageType("type") => crate::raw::types::SendChatMessageRequestType {
        /// As the user, in the channel named by `broadcaster_user_id`.
        User = "user",
        /// As the bot, in the token's own channel.
        Bot = "bot",
    }
}
