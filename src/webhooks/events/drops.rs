//! A Drops reward claim, which Kick POSTs to an organization's webhook URL.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A viewer claimed a Drops reward (Kick's docs, drops/drops-guide.md "Fulfillment").
///
/// Unlike the other events it arrives with three headers only (`Kick-Event-Signature`,
/// `Kick-Event-Message-ID`, `Kick-Event-Timestamp`: no type, version or subscription), signed the
/// same way. [`Verifier`](crate::webhooks::Verifier) recognises that shape and gives it the name
/// `drops.claim` (`DropsRewardClaimed::NAME`); replays are recognised by the claim id, as Kick asks (it may
/// send one claim under several message ids). Answer 200 quickly, then mark the claim fulfilled with
/// [`update_drops_claims`](crate::KickClient::update_drops_claims).
///
/// ```
/// use kickrs::webhooks::events::DropsRewardClaimed;
/// use kickrs::webhooks::{Event, EventPayload};
///
/// let body = br#"{"claim_id":"01KAAFHJ2PNXS48NG8XXPGWKCZ","user_id":1234,
///     "campaign_id":"01JAXK8N4QWRTY5PM7ZEBVJDS8S","reward_id":"01JAXK8N4QWRTY5PM7ZEBVJDS9T"}"#;
/// let Event::DropsRewardClaimed(claim) = Event::decode(DropsRewardClaimed::NAME, 1, body).unwrap() else { panic!() };
/// assert_eq!(claim.user_id, 1234);
/// assert_eq!(claim.external_id, None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DropsRewardClaimed {
    /// The claim's ULID: the idempotency key.
    pub claim_id: crate::ids::ClaimId,
    /// The viewer who claimed.
    pub user_id: crate::ids::UserId,
    /// The campaign's ULID.
    pub campaign_id: crate::ids::DropsCampaignId,
    /// The reward's ULID.
    pub reward_id: crate::ids::DropsRewardId,
    /// The organization's own reference for the reward, when it set one.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::lenient::empty_as_none")]
    pub external_id: Option<String>,
}
