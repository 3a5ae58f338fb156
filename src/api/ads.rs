//! Ads: break status, starting a break, enrolling in Kick's ads programme.
//!
//! **Provenance:** these endpoints are in neither Kick's docs nor its spec. Their paths, scopes and
//! shapes come from kickpy 1.1.0 and a fork of KickLib (upstream KickLib does not have them), so Kick
//! may change or remove them without notice; the overlay marks each with `x-added` saying so.
//!
//! Kick refuses ad calls with a machine code in `data`, kept in [`crate::Error::Api`]'s `code`:
//! `CHANNEL_IS_NOT_LIVE`, `CHANNEL_NOT_OPTED_IN`, `ADS_BLOCKED`, `AUTO_ADS_ACTIVE` (400),
//! `AD_BREAK_ACTIVE` (409), `MAX_AD_BREAKS_REACHED` (429), `CHANNEL_IS_LIVE`, `CHANNEL_NEVER_STREAMED` (400).

use crate::auth::TokenKind;
use crate::ids::AdBreakId;
use crate::models::{AdBreak, AdBreakStatus};
use crate::raw::types::CreateAdBreakRequest;
use crate::{KickClient, validate};

/// Optional settings of [`KickClient::create_ad_break`].
///
/// ```
/// let options = kickrs::api::CreateAdBreakOptions {
///     ad_break_id: Some("0b6f8c1e-3c55-4d8a-9f57-0c1f7b8e2a11".into()),
/// };
/// ```
#[derive(Clone, Debug, Default)]
pub struct CreateAdBreakOptions {
    /// A UUID you choose so that a retried request starts one break only; a fresh random one when `None`.
    pub ad_break_id: Option<AdBreakId>,
}

impl KickClient {
    /// The token's channel ad status: opted in, blocked, auto ads, remaining breaks and recent breaks.
    ///
    /// Not in Kick's docs: from kickpy 1.1.0 and a KickLib fork, so Kick may change it without notice.
    ///
    /// Scope `ads:read` or `ads:write`, user token. `GET /public/v1/ads/ad-break-status`.
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// let status = client.fetch_ad_break_status().await?;
    /// println!("{} ad breaks left", status.remaining_ad_breaks);
    /// # Ok(()) }
    /// ```
    pub async fn fetch_ad_break_status(&self) -> crate::Result<AdBreakStatus> {
        let answer = self.call(Some(TokenKind::User), |raw| raw.fetch_ad_break_status()).await?;
        answer.into_inner().data.ok_or_else(|| self.empty_answer("fetch_ad_break_status"))
    }

    /// Starts an ad break of 7 to 300 whole seconds on the token's live channel.
    ///
    /// Not in Kick's docs: from kickpy 1.1.0 and a KickLib fork, so Kick may change it without notice.
    ///
    /// Scope `ads:write`, user token. `POST /public/v1/ads/ad-break`. Kick's refusals carry a code, e.g.
    /// `AD_BREAK_ACTIVE` with 409 (see the module notes).
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// match client.create_ad_break(std::time::Duration::from_secs(60), Default::default()).await {
    ///     Ok(ad_break) => println!("break {} started", ad_break.id),
    ///     Err(kickrs::Error::Api { code: Some(code), .. }) if code == "AD_BREAK_ACTIVE" => {}
    ///     Err(other) => return Err(other),
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn create_ad_break(
        &self,
        length: std::time::Duration,
        options: CreateAdBreakOptions,
    ) -> crate::Result<AdBreak> {
        let break_duration_seconds = validate::ad_break_length(length)?;
        let id = match options.ad_break_id {
            Some(id) => validate::uuid("ad_break_id", id.as_str()).map(|_| id)?,
            None => AdBreakId::new(uuid::Builder::from_random_bytes(rand::random()).into_uuid().to_string()),
        };
        let body = CreateAdBreakRequest { id, break_duration_seconds };
        let answer = self.call(Some(TokenKind::User), |raw| raw.create_ad_break(&body)).await?;
        answer.into_inner().data.ok_or_else(|| self.empty_answer("create_ad_break"))
    }

    /// Enrolls the token's channel in Kick's ads programme.
    ///
    /// Not in Kick's docs: from kickpy 1.1.0 and a KickLib fork, so Kick may change it without notice.
    ///
    /// Scope `ads:write`, user token. `POST /public/v1/ads/enroll` (no body).
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// client.enroll_in_ads().await?;
    /// # Ok(()) }
    /// ```
    pub async fn enroll_in_ads(&self) -> crate::Result<()> {
        self.call(Some(TokenKind::User), |raw| raw.enroll_in_ads()).await?;
        Ok(())
    }
}
