//! Drops: the reward claims of an organization's campaigns, read page by page and marked fulfilled.
//!
//! Kick serves these only to an app token of an OAuth app that belongs to a Kick organization; its
//! 401 or 403 here becomes [`crate::Error::OrganizationRequired`], which says so. Claims also arrive as
//! webhooks: see [`crate::webhooks::events::DropsRewardClaimed`].

use crate::ids::{ClaimId, DropsCampaignId, UserId};
use futures::Stream;

use super::page::{self, Page};
use crate::auth::TokenKind;
use crate::models::{DropsClaim, DropsClaimUpdate};
use crate::raw::types::UpdateDropsClaimsRequest;
use crate::validate::{self, DROPS_CLAIM_UPDATES_PER_REQUEST, DROPS_CLAIMS_LIMIT_MAX};
use crate::{Error, KickClient, Result};

/// Filters and cursor of [`KickClient::fetch_drops_claims`]; what is left `None` is not sent.
///
/// ```
/// let options = kickrs::api::FetchDropsClaimsOptions {
///     campaign_id: Some("01JAXK8N4QWRTY5PM7ZEBVJDS8S".into()),
///     external_status: Some("initiated".into()),
///     limit: Some(100),
///     ..Default::default()
/// };
/// ```
#[derive(Clone, Debug, Default)]
pub struct FetchDropsClaimsOptions {
    /// Only this campaign's claims.
    pub campaign_id: Option<DropsCampaignId>,
    /// Only this viewer's claims (at least 1).
    pub user_id: Option<UserId>,
    /// Only this claim.
    pub claim_id: Option<ClaimId>,
    /// Only claims in this fulfilment status (e.g. `initiated`, which Kick sets on new claims).
    pub external_status: Option<String>,
    /// Claims per page (1 to 1000; Kick's default is 10).
    pub limit: Option<u32>,
    /// Where to start: a previous page's `next_cursor` (Kick's cursor is the last claim id seen).
    pub cursor: Option<String>,
}

impl DropsClaimUpdate {
    /// The update that sets `claim_id`'s fulfilment status to `external_status`.
    ///
    /// ```
    /// let update = kickrs::models::DropsClaimUpdate::new("01KAAFHJ2PNXS48NG8XXPGWKCZ", "processed");
    /// assert_eq!(update.external_status, "processed");
    /// ```
    pub fn new(claim_id: impl Into<ClaimId>, external_status: impl Into<String>) -> Self {
        Self { claim_id: claim_id.into(), external_status: external_status.into() }
    }
}

impl KickClient {
    /// One page of the organization's Drops claims, oldest first, with the cursor of the next page.
    ///
    /// App token of an OAuth app that belongs to an organization ([`Error::OrganizationRequired`]
    /// otherwise). `GET /public/v1/drops/claims`; Kick's page is `{data: {claims, cursor}}`.
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// use kickrs::api::FetchDropsClaimsOptions;
    /// let options = FetchDropsClaimsOptions { external_status: Some("initiated".into()), ..Default::default() };
    /// let page = client.fetch_drops_claims(options).await?;
    /// for claim in &page.items {
    ///     println!("{} claimed reward {}", claim.user_id, claim.reward_id);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn fetch_drops_claims(&self, options: FetchDropsClaimsOptions) -> Result<Page<DropsClaim>> {
        let FetchDropsClaimsOptions { campaign_id, user_id, claim_id, external_status, limit, cursor } = options;
        validate::drops_claims_filters(campaign_id.as_ref(), user_id, claim_id.as_ref())?;
        let limit = limit.map(|limit| validate::page_limit("limit", limit, DROPS_CLAIMS_LIMIT_MAX)).transpose()?;
        let answer = self
            .call(Some(TokenKind::App), |raw| {
                raw.fetch_drops_claims(
                    campaign_id.as_ref(),
                    claim_id.as_ref(),
                    page::sent_cursor(cursor.as_deref()),
                    external_status.as_deref(),
                    limit,
                    user_id.as_ref(),
                )
            })
            .await
            .map_err(organization_required)?
            .into_inner();
        Ok(Page::new(answer.data.claims, answer.data.cursor))
    }

    /// Every Drops claim across pages, fetched page by page as the stream is read.
    ///
    /// Same token and call as [`KickClient::fetch_drops_claims`]; stops after the page with an empty
    /// cursor (or no claims), or at the first error, which is yielded.
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// use futures::TryStreamExt;
    /// use kickrs::api::FetchDropsClaimsOptions;
    /// let options = FetchDropsClaimsOptions { limit: Some(1000), ..Default::default() };
    /// let all: Vec<_> = client.fetch_drops_claims_stream(options).try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn fetch_drops_claims_stream(
        &self,
        options: FetchDropsClaimsOptions,
    ) -> impl Stream<Item = Result<DropsClaim>> + Send + 'static {
        let client = self.clone();
        page::paginate("fetch_drops_claims_stream", options.cursor.clone(), move |cursor| {
            let (client, options) = (client.clone(), FetchDropsClaimsOptions { cursor, ..options.clone() });
            async move { client.fetch_drops_claims(options).await }
        })
    }

    /// Sets the fulfilment status (`external_status`) of claims.
    ///
    /// At least one update, each with a non-blank claim id and status, no claim id twice. Kick takes at
    /// most 100 per request; a longer list is **split** into requests of 100, sent one after another in
    /// the list's order. Split rather than refused because a page of claims holds up to 1000 and
    /// fulfilling a page is the common case; safe because setting a status is idempotent: if a request
    /// fails, the earlier ones stay applied, the error is returned, and calling again with the same list
    /// converges to the same state (which is also why a claim id may not appear twice).
    ///
    /// App token of an OAuth app that belongs to an organization ([`Error::OrganizationRequired`]
    /// otherwise). `PATCH /public/v1/drops/claims` with `{"claims": [...]}`, answered 204.
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// use kickrs::models::DropsClaimUpdate;
    /// client.update_drops_claims(&[DropsClaimUpdate::new("01KAAFHJ2PNXS48NG8XXPGWKCZ", "processed")]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn update_drops_claims(&self, updates: &[DropsClaimUpdate]) -> Result<()> {
        validate::drops_claim_updates(updates)?;
        for chunk in updates.chunks(DROPS_CLAIM_UPDATES_PER_REQUEST) {
            let body = UpdateDropsClaimsRequest { claims: chunk.to_vec() };
            self.call(Some(TokenKind::App), |raw| raw.update_drops_claims(&body))
                .await
                .map_err(organization_required)?;
        }
        Ok(())
    }
}

/// Kick's 401 or 403 on a Drops call: the app is not an organization's, which the error now says.
fn organization_required(error: Error) -> Error {
    match error {
        Error::Api { status, message, endpoint, .. }
            if status == reqwest::StatusCode::UNAUTHORIZED || status == reqwest::StatusCode::FORBIDDEN =>
        {
            Error::OrganizationRequired { status, message, endpoint }
        }
        other => other,
    }
}
