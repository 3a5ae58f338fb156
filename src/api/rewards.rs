//! Channel rewards (channel points) and their redemptions.

use futures::Stream;

use super::page::{self, Page};
use crate::KickClient;
use crate::auth::TokenKind;
use crate::ids::{RedemptionId, RewardId};
use crate::models::{ChannelReward, FailedRedemption, RedemptionStatus, RedemptionsByReward};
use crate::raw::types::{
    CreateChannelRewardRequest, FetchRewardRedemptionsStatus, RedemptionIdsRequest, UpdateChannelRewardRequest,
};
use crate::validate::{self, Problem, ValidationError};

/// Optional settings of [`KickClient::create_channel_reward`]; what is left out is not sent, and Kick's
/// defaults apply.
///
/// ```
/// let options = kickrs::api::CreateChannelRewardOptions {
///     background_color: Some("#ff8800".into()),
///     is_user_input_required: Some(true),
///     ..Default::default()
/// };
/// ```
#[derive(Clone, Debug, Default)]
pub struct CreateChannelRewardOptions {
    /// A `#RRGGBB` colour (Kick's default `#00e701`).
    pub background_color: Option<String>,
    /// At most 200 characters.
    pub description: Option<String>,
    /// Whether viewers can redeem it (default true).
    pub is_enabled: Option<bool>,
    /// Whether viewers must type something (default false).
    pub is_user_input_required: Option<bool>,
    /// Whether redemptions are accepted without review (default false).
    pub should_redemptions_skip_request_queue: Option<bool>,
}

/// The fields to change in [`KickClient::update_channel_reward`]; at least one must be set.
///
/// ```
/// let options = kickrs::api::UpdateChannelRewardOptions { is_paused: Some(true), ..Default::default() };
/// ```
#[derive(Clone, Debug, Default)]
pub struct UpdateChannelRewardOptions {
    /// A `#RRGGBB` colour.
    pub background_color: Option<String>,
    /// At least 1.
    pub cost: Option<u64>,
    /// At most 200 characters.
    pub description: Option<String>,
    /// Whether viewers can redeem it.
    pub is_enabled: Option<bool>,
    /// Whether redemptions are paused.
    pub is_paused: Option<bool>,
    /// Whether viewers must type something.
    pub is_user_input_required: Option<bool>,
    /// Whether redemptions are accepted without review.
    pub should_redemptions_skip_request_queue: Option<bool>,
    /// 1 to 50 characters.
    pub title: Option<String>,
}

/// Filters of [`KickClient::fetch_reward_redemptions`]. `ids` excludes `reward_id` and `status`.
///
/// ```
/// use kickrs::models::RedemptionStatus;
/// let options = kickrs::api::FetchRewardRedemptionsOptions {
///     status: Some(RedemptionStatus::Accepted),
///     ..Default::default()
/// };
/// ```
#[derive(Clone, Debug, Default)]
pub struct FetchRewardRedemptionsOptions {
    /// Only this reward's redemptions.
    pub reward_id: Option<RewardId>,
    /// Only redemptions in this state (Kick's default: pending).
    pub status: Option<RedemptionStatus>,
    /// Exactly these redemptions (1 to 25 unique ids), with no other filter.
    pub ids: Option<Vec<RedemptionId>>,
    /// Where to start: a previous page's `next_cursor`, passed as given (`""` or `None`: the first page).
    pub cursor: Option<String>,
}

impl KickClient {
    /// The token's channel rewards (an empty list when there are none; kickpy raises `NotFound`).
    ///
    /// Scope `channel:rewards:read` or `channel:rewards:write`, user token. `GET /public/v1/channels/rewards`.
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// for reward in client.fetch_channel_rewards().await? {
    ///     println!("{} costs {}", reward.title, reward.cost);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn fetch_channel_rewards(&self) -> crate::Result<Vec<ChannelReward>> {
        let answer = self.call(Some(TokenKind::User), |raw| raw.fetch_channel_rewards()).await?;
        Ok(answer.into_inner().data)
    }

    /// Creates a channel reward (`cost` at least 1, `title` 1 to 50 characters).
    ///
    /// Scope `channel:rewards:write`, user token. `POST /public/v1/channels/rewards`.
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// let reward = client.create_channel_reward(500, "Hydrate", Default::default()).await?;
    /// println!("created {}", reward.id);
    /// # Ok(()) }
    /// ```
    pub async fn create_channel_reward(
        &self,
        cost: u64,
        title: &str,
        options: CreateChannelRewardOptions,
    ) -> crate::Result<ChannelReward> {
        let body = CreateChannelRewardRequest {
            cost: validate::reward_cost(cost)?,
            title: validate::reward_title(title)?,
            description: options.description.as_deref().map(validate::reward_description).transpose()?,
            background_color: colour(options.background_color)?,
            is_enabled: options.is_enabled,
            is_user_input_required: options.is_user_input_required,
            should_redemptions_skip_request_queue: options.should_redemptions_skip_request_queue,
        };
        let answer = self.call(Some(TokenKind::User), |raw| raw.create_channel_reward(&body)).await?;
        answer.into_inner().data.ok_or_else(|| self.empty_answer("create_channel_reward"))
    }

    /// Changes some fields of a reward this app created; fields left `None` are not sent.
    ///
    /// Scope `channel:rewards:write`, user token. `PATCH /public/v1/channels/rewards/{id}`.
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// let paused = kickrs::api::UpdateChannelRewardOptions { is_paused: Some(true), ..Default::default() };
    /// client.update_channel_reward("01HZX3Q4T5V6W7X8Y9Z0ABCDEF", paused).await?;
    /// # Ok(()) }
    /// ```
    pub async fn update_channel_reward(
        &self,
        reward_id: impl Into<RewardId>,
        options: UpdateChannelRewardOptions,
    ) -> crate::Result<ChannelReward> {
        let reward_id = reward_id.into();
        validate::path_id("reward_id", reward_id.as_str())?;
        let body = UpdateChannelRewardRequest {
            background_color: colour(options.background_color)?,
            cost: options.cost.map(validate::reward_cost).transpose()?,
            description: options.description.as_deref().map(validate::reward_description).transpose()?,
            is_enabled: options.is_enabled,
            is_paused: options.is_paused,
            is_user_input_required: options.is_user_input_required,
            should_redemptions_skip_request_queue: options.should_redemptions_skip_request_queue,
            title: options.title.as_deref().map(validate::reward_title).transpose()?,
        };
        validate::at_least_one("options", body != UpdateChannelRewardRequest::default())?;
        let answer = self.call(Some(TokenKind::User), |raw| raw.update_channel_reward(&reward_id, &body)).await?;
        answer.into_inner().data.ok_or_else(|| self.empty_answer("update_channel_reward"))
    }

    /// Deletes a reward this app created.
    ///
    /// Scope `channel:rewards:write`, user token. `DELETE /public/v1/channels/rewards/{id}`.
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// client.delete_channel_reward("01HZX3Q4T5V6W7X8Y9Z0ABCDEF").await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete_channel_reward(&self, reward_id: impl Into<RewardId>) -> crate::Result<()> {
        let reward_id = reward_id.into();
        validate::path_id("reward_id", reward_id.as_str())?;
        self.call(Some(TokenKind::User), |raw| raw.delete_channel_reward(&reward_id)).await?;
        Ok(())
    }

    /// One page of redemptions, grouped by reward.
    ///
    /// Scope `channel:rewards:read` or `channel:rewards:write`, user token.
    /// `GET /public/v1/channels/rewards/redemptions`.
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// let page = client.fetch_reward_redemptions(Default::default()).await?;
    /// for group in &page.items {
    ///     println!("{}: {} pending", group.reward.title, group.redemptions.len());
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn fetch_reward_redemptions(
        &self,
        options: FetchRewardRedemptionsOptions,
    ) -> crate::Result<Page<RedemptionsByReward>> {
        if let Some(ids) = &options.ids {
            validate::redemption_ids(ids)?;
        }
        validate::redemption_filters(options.ids.is_some(), options.reward_id.is_some(), options.status.is_some())?;
        let status = options.status.as_ref().map(status_filter).transpose()?;
        let page = self
            .call(Some(TokenKind::User), |raw| {
                raw.fetch_reward_redemptions(
                    page::sent_cursor(options.cursor.as_deref()),
                    options.ids.as_ref(),
                    options.reward_id.as_ref(),
                    status,
                )
            })
            .await?
            .into_inner();
        Ok(Page::new(page.data, Some(page.pagination.next_cursor)))
    }

    /// Every redemption group across pages, fetched page by page as the stream is read.
    ///
    /// Same scope, token and call as [`KickClient::fetch_reward_redemptions`]; an invalid filter is the
    /// stream's only item.
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// use futures::TryStreamExt;
    /// let all: Vec<_> = client.fetch_reward_redemptions_stream(Default::default()).try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn fetch_reward_redemptions_stream(
        &self,
        options: FetchRewardRedemptionsOptions,
    ) -> impl Stream<Item = crate::Result<RedemptionsByReward>> + Send + 'static {
        let client = self.clone();
        page::paginate("fetch_reward_redemptions_stream", options.cursor.clone(), move |cursor| {
            let (client, options) = (client.clone(), FetchRewardRedemptionsOptions { cursor, ..options.clone() });
            async move { client.fetch_reward_redemptions(options).await }
        })
    }

    /// Accepts pending redemptions (1 to 25 unique ids) and returns the ones that failed; an empty
    /// list means all were accepted (kickpy raises `NotFound` then).
    ///
    /// Scope `channel:rewards:write`, user token. `POST /public/v1/channels/rewards/redemptions/accept`.
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// let failed = client.accept_reward_redemptions(["01J0000000000000000000000A"]).await?;
    /// for failure in failed {
    ///     eprintln!("{}: {}", failure.id, failure.reason);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn accept_reward_redemptions<I>(&self, ids: I) -> crate::Result<Vec<FailedRedemption>>
    where
        I: IntoIterator,
        I::Item: Into<RedemptionId>,
    {
        let body = redemption_ids_body(ids)?;
        let answer = self.call(Some(TokenKind::User), |raw| raw.accept_reward_redemptions(&body)).await?;
        Ok(answer.into_inner().data)
    }

    /// Rejects pending redemptions (1 to 25 unique ids) and returns the ones that failed; an empty
    /// list means all were rejected.
    ///
    /// Scope `channel:rewards:write`, user token. `POST /public/v1/channels/rewards/redemptions/reject`.
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// let failed = client.reject_reward_redemptions(["01J0000000000000000000000A"]).await?;
    /// assert!(failed.is_empty());
    /// # Ok(()) }
    /// ```
    pub async fn reject_reward_redemptions<I>(&self, ids: I) -> crate::Result<Vec<FailedRedemption>>
    where
        I: IntoIterator,
        I::Item: Into<RedemptionId>,
    {
        let body = redemption_ids_body(ids)?;
        let answer = self.call(Some(TokenKind::User), |raw| raw.reject_reward_redemptions(&body)).await?;
        Ok(answer.into_inner().data)
    }
}

fn redemption_ids_body<I>(ids: I) -> Result<RedemptionIdsRequest, ValidationError>
where
    I: IntoIterator,
    I::Item: Into<RedemptionId>,
{
    let ids: Vec<RedemptionId> = ids.into_iter().map(Into::into).collect();
    validate::redemption_ids(&ids)?;
    Ok(RedemptionIdsRequest { ids })
}

fn colour(colour: Option<String>) -> Result<Option<String>, ValidationError> {
    if let Some(colour) = &colour {
        validate::hex_colour("background_color", colour)?;
    }
    Ok(colour)
}

fn status_filter(status: &RedemptionStatus) -> Result<FetchRewardRedemptionsStatus, ValidationError> {
    status.as_str().parse().map_err(|_| {
        ValidationError::new(
            "status",
            Problem::Format { value: status.to_string(), expected: "pending, accepted or rejected" },
        )
    })
}
