//! The facade: kickpy's methods on [`crate::KickClient`], one file per endpoint area.

mod ads;
mod categories;
mod channels;
mod chat;
mod choices;
mod drops;
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
pub use chat::SendChatMessageOptions;
pub use choices::{ChatMessageType, LivestreamsSort};
pub use drops::FetchDropsClaimsOptions;
pub use events::{EnsuredSubscriptions, FetchEventsSubscriptionsOptions, WebhookEvent};
pub use moderation::BanUserOptions;
pub use rewards::{CreateChannelRewardOptions, FetchRewardRedemptionsOptions, UpdateChannelRewardOptions};

// Model types that facade arguments take, so a call can be written with `kickrs::api` alone.
pub use crate::models::{DropsClaimUpdate, EventSpec, RedemptionStatus};

impl crate::KickClient {
    /// The error for a single-resource fetch whose `data` came back empty (Kick's 200 with no data,
    /// e.g. for an unknown slug), named after the method the user called.
    pub(crate) fn empty_answer(&self, operation: &'static str) -> crate::Error {
        self.empty_answer_of(operation, operation, None)
    }

    /// [`Self::empty_answer`] for a method (`called`) that asked through another operation (`raw`), with
    /// the query it sent, so the error names the full request URI.
    pub(crate) fn empty_answer_of(
        &self,
        called: &'static str,
        raw: &'static str,
        query: Option<(&str, &str)>,
    ) -> crate::Error {
        let op = crate::raw::operation(raw);
        let mut uri = self.core().state().api_base_url.clone();
        let base = uri.path().trim_end_matches('/').to_owned();
        uri.set_path(&format!("{base}{}", op.map(|op| op.path).unwrap_or_default()));
        if let Some((name, value)) = query {
            uri.query_pairs_mut().append_pair(name, value);
        }
        crate::Error::NotFound {
            status: reqwest::StatusCode::OK,
            message: Some("Kick answered with no data".into()),
            endpoint: crate::error::Endpoint {
                operation: called,
                method: op.map(|op| op.method).unwrap_or("GET").parse().unwrap_or_default(),
                uri: uri.into(),
            },
        }
    }
}
