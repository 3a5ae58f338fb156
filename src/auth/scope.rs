//! Kick's OAuth scopes.

use std::fmt;
use std::str::FromStr;

/// One OAuth scope a user can grant to the app.
///
/// Parses from and displays as Kick's wire names; unknown names are kept in [`Scope::Other`], so a
/// scope Kick adds later still round-trips.
///
/// ```
/// use kickrs::auth::Scope;
/// let scopes = Scope::parse_list("user:read  chat:write future:thing");
/// assert_eq!(scopes, vec![Scope::UserRead, Scope::ChatWrite, Scope::Other("future:thing".into())]);
/// assert_eq!(Scope::join(&scopes), "user:read chat:write future:thing");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Scope {
    /// `user:read`: user information (name, id, ...).
    UserRead,
    /// `channel:read`: channel information.
    ChannelRead,
    /// `channel:write`: update livestream metadata.
    ChannelWrite,
    /// `channel:rewards:read`: read channel point rewards.
    ChannelRewardsRead,
    /// `channel:rewards:write`: manage channel point rewards.
    ChannelRewardsWrite,
    /// `chat:write`: send chat messages.
    ChatWrite,
    /// `streamkey:read`: read the stream URL and key.
    StreamkeyRead,
    /// `events:subscribe`: subscribe to channel events.
    EventsSubscribe,
    /// `moderation:ban`: ban and unban users.
    ModerationBan,
    /// `moderation:chat_message:manage`: moderate chat messages.
    ModerationChatMessageManage,
    /// `kicks:read`: KICKs information such as leaderboards.
    KicksRead,
    /// `ads:read`: ad break status.
    AdsRead,
    /// `ads:write`: start ad breaks and enroll in ads.
    AdsWrite,
    /// A scope this version of kickrs does not know.
    Other(String),
}

const KNOWN: [(Scope, &str); 13] = [
    (Scope::UserRead, "user:read"),
    (Scope::ChannelRead, "channel:read"),
    (Scope::ChannelWrite, "channel:write"),
    (Scope::ChannelRewardsRead, "channel:rewards:read"),
    (Scope::ChannelRewardsWrite, "channel:rewards:write"),
    (Scope::ChatWrite, "chat:write"),
    (Scope::StreamkeyRead, "streamkey:read"),
    (Scope::EventsSubscribe, "events:subscribe"),
    (Scope::ModerationBan, "moderation:ban"),
    (Scope::ModerationChatMessageManage, "moderation:chat_message:manage"),
    (Scope::KicksRead, "kicks:read"),
    (Scope::AdsRead, "ads:read"),
    (Scope::AdsWrite, "ads:write"),
];

impl Scope {
    /// Every scope kickrs knows, in Kick's documentation order.
    pub fn all() -> Vec<Scope> {
        KNOWN.iter().map(|(scope, _)| scope.clone()).collect()
    }

    /// The wire name, e.g. `"chat:write"`.
    pub fn as_str(&self) -> &str {
        match self {
            Scope::Other(name) => name,
            known => KNOWN.iter().find(|(scope, _)| scope == known).map_or("", |(_, name)| name),
        }
    }

    /// Parses a space-separated scope string as Kick sends it; empty parts are skipped.
    pub fn parse_list(scopes: &str) -> Vec<Scope> {
        scopes.split_whitespace().map(Scope::from).collect()
    }

    /// Joins scopes with single spaces, as the authorize URL and token responses carry them.
    pub fn join(scopes: &[Scope]) -> String {
        scopes.iter().map(Scope::as_str).collect::<Vec<_>>().join(" ")
    }
}

impl FromStr for Scope {
    type Err = std::convert::Infallible;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Ok(KNOWN
            .iter()
            .find(|(_, known)| *known == name)
            .map_or_else(|| Scope::Other(name.to_owned()), |(scope, _)| scope.clone()))
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Scope {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Scope {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Ok(Scope::from(name.as_str()))
    }
}

impl From<&str> for Scope {
    fn from(name: &str) -> Self {
        match name.parse() {
            Ok(scope) => scope,
            Err(never) => match never {},
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_scope_round_trips() {
        for scope in Scope::all() {
            assert_eq!(Scope::from(scope.to_string().as_str()), scope);
        }
        assert_eq!(Scope::all().len(), 13);
    }

    #[test]
    fn unknown_scope_is_kept() {
        assert_eq!(Scope::from("x:y"), Scope::Other("x:y".into()));
        assert_eq!(Scope::Other("x:y".into()).to_string(), "x:y");
    }
}
