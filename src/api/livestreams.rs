//! Live streams: v1 (deprecated by Kick), v2 cursor pages, per-user, and the global count.

use futures::Stream;

use crate::auth::TokenKind;
use crate::ids::{CategoryId, UserId};
use crate::models::{LiveStream, LiveStreamV2, LivestreamStats};
use crate::validate::{self, LIVESTREAM_BROADCASTERS_MAX, LIVESTREAMS_V2_FILTERS_MAX, USER_IDS_PER_REQUEST};
use crate::{KickClient, Result};

use super::page::{self, in_chunks, paginate};
use super::{LivestreamsSort, Page};

/// Filters of the v1 livestreams list ([`KickClient::fetch_livestreams`]).
///
/// ```
/// use kickrs::api::LivestreamsOptions;
/// let options = LivestreamsOptions { category_id: Some(15.into()), limit: Some(10), ..Default::default() };
/// ```
#[derive(Clone, Debug, Default)]
pub struct LivestreamsOptions {
    /// Only these broadcasters (at most 50; empty: any).
    pub broadcaster_user_ids: Vec<UserId>,
    /// Only this category.
    pub category_id: Option<CategoryId>,
    /// Only this language, e.g. `en`.
    pub language: Option<String>,
    /// How many streams (1 to 100; Kick's default is 25).
    pub limit: Option<u32>,
    /// Order (Kick's default is by viewer count).
    pub sort: Option<LivestreamsSort>,
}

/// Filters and cursor of the v2 livestreams list ([`KickClient::fetch_livestreams_v2`]).
///
/// ```
/// use kickrs::api::LivestreamsV2Options;
/// let options = LivestreamsV2Options { language_codes: vec!["en".into()], limit: Some(500), ..Default::default() };
/// ```
#[derive(Clone, Debug, Default)]
pub struct LivestreamsV2Options {
    /// Only these categories (at most 25).
    pub category_ids: Vec<CategoryId>,
    /// Only these languages, as BCP-47 codes (at most 25).
    pub language_codes: Vec<String>,
    /// Streams per page (1 to 1000; Kick's default is 100).
    pub limit: Option<u32>,
    /// Where to start: a previous page's `next_cursor`, passed as given (`""` or `None`: the first page).
    pub cursor: Option<String>,
}

impl KickClient {
    /// The live stream of one broadcaster; [`crate::Error::NotFound`] when they are offline.
    ///
    /// Deprecated by Kick (livestreams v1, changelog 23/06/2026) but still served; use
    /// [`KickClient::fetch_user_livestreams`], which answers in the v2 shape.
    ///
    /// Token: app. `GET /public/v1/livestreams?broadcaster_user_id=<id>`.
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// # #[allow(deprecated)]
    /// let live = client.fetch_livestream(668).await?;
    /// println!("{} viewers", live.viewer_count);
    /// # Ok(()) }
    /// ```
    #[deprecated(
        note = "Kick deprecated livestreams v1 (changelog 23/06/2026); use fetch_user_livestreams with the one id"
    )]
    pub async fn fetch_livestream(&self, broadcaster_user_id: impl Into<UserId>) -> Result<LiveStream> {
        let broadcaster_user_id = broadcaster_user_id.into();
        let options = LivestreamsOptions { broadcaster_user_ids: vec![broadcaster_user_id], ..Default::default() };
        #[allow(deprecated)]
        let streams = self.fetch_livestreams(options).await.map_err(|e| e.called_as("fetch_livestream"))?;
        let id = broadcaster_user_id.to_string();
        let query = Some(("broadcaster_user_id", id.as_str()));
        streams.into_iter().next().ok_or_else(|| self.empty_answer_of("fetch_livestream", "fetch_livestreams", query))
    }

    /// Live streams matching the filters (no match: an empty list).
    ///
    /// Deprecated by Kick (livestreams v1, changelog 23/06/2026) but still served; use
    /// [`KickClient::fetch_livestreams_v2`] (cursor pages) instead.
    /// At most 50 broadcaster ids (not split, since `limit` and `sort` apply to the whole answer) and
    /// `limit` 1 to 100.
    ///
    /// Token: app. `GET /public/v1/livestreams` (repeated `broadcaster_user_id`).
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// use kickrs::api::{LivestreamsOptions, LivestreamsSort};
    /// let newest = LivestreamsOptions { limit: Some(5), sort: Some(LivestreamsSort::StartedAt), ..Default::default() };
    /// # #[allow(deprecated)]
    /// let top = client.fetch_livestreams(newest).await?;
    /// # Ok(()) }
    /// ```
    #[deprecated(note = "Kick deprecated livestreams v1 (changelog 23/06/2026); use fetch_livestreams_v2")]
    pub async fn fetch_livestreams(&self, options: LivestreamsOptions) -> Result<Vec<LiveStream>> {
        let LivestreamsOptions { broadcaster_user_ids, category_id, language, limit, sort } = options;
        validate::count("broadcaster_user_id", broadcaster_user_ids.len(), 0, LIVESTREAM_BROADCASTERS_MAX)?;
        let limit =
            limit.map(|limit| validate::page_limit("limit", limit, validate::LIVESTREAMS_V1_LIMIT_MAX)).transpose()?;
        let ids = (!broadcaster_user_ids.is_empty()).then_some(&broadcaster_user_ids);
        let answer = self
            .call(Some(TokenKind::App), |raw| {
                raw.fetch_livestreams(ids, category_id.as_ref(), language.as_deref(), limit, sort.map(Into::into))
            })
            .await?;
        Ok(answer.into_inner().data)
    }

    /// One page of live streams (v2), oldest first, with the cursor of the next page.
    ///
    /// `limit` 1 to 1000, at most 25 category ids and 25 language codes.
    ///
    /// Token: app. `GET /public/v2/livestreams` (repeated `category_id` and `language_code`).
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// use kickrs::api::LivestreamsV2Options;
    /// let page = client.fetch_livestreams_v2(LivestreamsV2Options::default()).await?;
    /// if let Some(cursor) = page.next_cursor {
    ///     let next = client
    ///         .fetch_livestreams_v2(LivestreamsV2Options { cursor: Some(cursor), ..Default::default() })
    ///         .await?;
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn fetch_livestreams_v2(&self, options: LivestreamsV2Options) -> Result<Page<LiveStreamV2>> {
        let LivestreamsV2Options { category_ids, language_codes, limit, cursor } = options;
        validate::count("category_id", category_ids.len(), 0, LIVESTREAMS_V2_FILTERS_MAX)?;
        validate::count("language_code", language_codes.len(), 0, LIVESTREAMS_V2_FILTERS_MAX)?;
        let limit =
            limit.map(|limit| validate::page_limit("limit", limit, validate::LIVESTREAMS_V2_LIMIT_MAX)).transpose()?;
        let categories = (!category_ids.is_empty()).then_some(&category_ids);
        let languages = (!language_codes.is_empty()).then_some(&language_codes);
        let answer = self
            .call(Some(TokenKind::App), |raw| {
                raw.fetch_livestreams_v2(categories, page::sent_cursor(cursor.as_deref()), languages, limit)
            })
            .await?
            .into_inner();
        Ok(Page::new(answer.data, Some(answer.pagination.next_cursor)))
    }

    /// Every live stream (v2) across all pages, fetched page by page as the stream is read.
    ///
    /// Starts at `options.cursor`; stops after the page whose `next_cursor` is empty, or at the first error
    /// (which is yielded).
    ///
    /// Token: app. `GET /public/v2/livestreams`, once per page.
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// use futures::TryStreamExt;
    /// use kickrs::api::LivestreamsV2Options;
    /// let all: Vec<_> = client.fetch_livestreams_v2_stream(LivestreamsV2Options::default()).try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn fetch_livestreams_v2_stream(
        &self,
        options: LivestreamsV2Options,
    ) -> impl Stream<Item = Result<LiveStreamV2>> + Send + 'static {
        let client = self.clone();
        paginate("fetch_livestreams_v2_stream", options.cursor.clone(), move |cursor| {
            let (client, options) = (client.clone(), LivestreamsV2Options { cursor, ..options.clone() });
            async move { client.fetch_livestreams_v2(options).await }
        })
    }

    /// The live streams (v2 shape) of these users; offline users are left out.
    ///
    /// More than 100 ids are split into several requests (Kick's maximum) joined in order; an empty
    /// list is refused.
    ///
    /// Token: app. `GET /public/v1/users/livestreams?user_id=..&user_id=..`.
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// let live = client.fetch_user_livestreams([668, 4377088]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn fetch_user_livestreams<I>(&self, user_ids: I) -> Result<Vec<LiveStreamV2>>
    where
        I: IntoIterator,
        I::Item: Into<UserId>,
    {
        let user_ids: Vec<UserId> = user_ids.into_iter().map(Into::into).collect();
        validate::required_list("user_id", user_ids.len())?;
        in_chunks(&user_ids, USER_IDS_PER_REQUEST, |chunk| async move {
            let answer = self.call(Some(TokenKind::App), |raw| raw.fetch_user_livestreams(&chunk)).await?;
            Ok(answer.into_inner().data)
        })
        .await
    }

    /// How many streams are live on Kick right now.
    ///
    /// Token: app (or user, no scope needed). `GET /public/v1/livestreams/stats`.
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// let stats = client.fetch_livestream_stats().await?;
    /// println!("{} streams live", stats.total_count);
    /// # Ok(()) }
    /// ```
    pub async fn fetch_livestream_stats(&self) -> Result<LivestreamStats> {
        let answer = self.call(None, |raw| raw.fetch_livestream_stats()).await?;
        answer.into_inner().data.ok_or_else(|| self.empty_answer("fetch_livestream_stats"))
    }
}
