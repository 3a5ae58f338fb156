//! Channels: by id or slug (one or many, split into requests of 50), the token's own channel, and
//! updates to the stream's title, category and tags.

use crate::auth::TokenKind;
use crate::ids::{CategoryId, UserId};
use crate::models::Channel;
use crate::raw::types::{FetchChannelsSlugItem, UpdateChannelRequest};
use crate::validate::{self, CHANNELS_PER_REQUEST};
use crate::{KickClient, Result};

use super::page::in_chunks;

/// One channel, named by its broadcaster's user id or by its slug.
///
/// ```
/// use kickrs::api::ChannelRef;
/// use kickrs::ids::UserId;
/// assert_eq!(ChannelRef::from(123), ChannelRef::Id(UserId::new(123)));
/// assert_eq!(ChannelRef::from("xqc"), ChannelRef::Slug("xqc".into()));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChannelRef {
    /// The broadcaster's user id.
    Id(UserId),
    /// The channel slug (at most 25 characters).
    Slug(String),
}

impl From<UserId> for ChannelRef {
    fn from(id: UserId) -> Self {
        Self::Id(id)
    }
}

impl From<&UserId> for ChannelRef {
    fn from(id: &UserId) -> Self {
        Self::Id(*id)
    }
}

impl From<u64> for ChannelRef {
    fn from(id: u64) -> Self {
        Self::Id(id.into())
    }
}

impl From<&str> for ChannelRef {
    fn from(slug: &str) -> Self {
        Self::Slug(slug.to_string())
    }
}

impl From<String> for ChannelRef {
    fn from(slug: String) -> Self {
        Self::Slug(slug)
    }
}

/// Several channels, all by broadcaster id or all by slug (Kick cannot mix both in one request).
///
/// ```
/// use kickrs::api::ChannelRefs;
/// use kickrs::ids::UserId;
/// assert_eq!(ChannelRefs::from(vec![1, 2]), ChannelRefs::Ids(vec![UserId::new(1), UserId::new(2)]));
/// assert_eq!(ChannelRefs::from(["a", "b"]), ChannelRefs::Slugs(vec!["a".into(), "b".into()]));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChannelRefs {
    /// Broadcaster user ids.
    Ids(Vec<UserId>),
    /// Channel slugs (each at most 25 characters).
    Slugs(Vec<String>),
}

impl From<Vec<UserId>> for ChannelRefs {
    fn from(ids: Vec<UserId>) -> Self {
        Self::Ids(ids)
    }
}

impl From<&[UserId]> for ChannelRefs {
    fn from(ids: &[UserId]) -> Self {
        Self::Ids(ids.to_vec())
    }
}

impl<const N: usize> From<[UserId; N]> for ChannelRefs {
    fn from(ids: [UserId; N]) -> Self {
        Self::Ids(ids.to_vec())
    }
}

impl From<Vec<u64>> for ChannelRefs {
    fn from(ids: Vec<u64>) -> Self {
        Self::Ids(ids.into_iter().map(UserId::from).collect())
    }
}

impl<const N: usize> From<[u64; N]> for ChannelRefs {
    fn from(ids: [u64; N]) -> Self {
        Self::Ids(ids.into_iter().map(UserId::from).collect())
    }
}

impl From<Vec<String>> for ChannelRefs {
    fn from(slugs: Vec<String>) -> Self {
        Self::Slugs(slugs)
    }
}

impl From<Vec<&str>> for ChannelRefs {
    fn from(slugs: Vec<&str>) -> Self {
        Self::Slugs(slugs.into_iter().map(str::to_string).collect())
    }
}

impl From<&[&str]> for ChannelRefs {
    fn from(slugs: &[&str]) -> Self {
        Self::Slugs(slugs.iter().map(|slug| slug.to_string()).collect())
    }
}

impl<const N: usize> From<[&str; N]> for ChannelRefs {
    fn from(slugs: [&str; N]) -> Self {
        Self::Slugs(slugs.iter().map(|slug| slug.to_string()).collect())
    }
}

/// What [`KickClient::update_channel`] changes; at least one field must be set.
///
/// ```
/// let options = kickrs::api::UpdateChannelOptions { stream_title: Some("Speedruns".into()), ..Default::default() };
/// ```
#[derive(Clone, Debug, Default)]
pub struct UpdateChannelOptions {
    /// The stream's category (at least 1).
    pub category_id: Option<CategoryId>,
    /// The stream's title (at least one character).
    pub stream_title: Option<String>,
    /// The stream's custom tags (at most 10); `Some(vec![])` clears them, `None` leaves them.
    pub custom_tags: Option<Vec<String>>,
}

impl KickClient {
    /// One channel by broadcaster id or slug; [`crate::Error::NotFound`] when there is none (Kick
    /// answers an unknown slug with 200 and no data).
    ///
    /// Token: app. `GET /public/v1/channels?broadcaster_user_id=<id>` or `?slug=<slug>`.
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// let by_slug = client.fetch_channel("xqc").await?;
    /// let by_id = client.fetch_channel(by_slug.broadcaster_user_id).await?;
    /// # Ok(()) }
    /// ```
    pub async fn fetch_channel(&self, channel: impl Into<ChannelRef>) -> Result<Channel> {
        let (channels, query) = match channel.into() {
            ChannelRef::Id(id) => (
                self.channels_by_ids(vec![id]).await.map_err(|e| e.called_as("fetch_channel"))?,
                ("broadcaster_user_id", id.to_string()),
            ),
            ChannelRef::Slug(slug) => {
                let slugs = vec![validate::channel_slug(&slug)?];
                (
                    self.channels_by_slugs(slugs).await.map_err(|e| e.called_as("fetch_channel"))?,
                    ("slug", slug.to_string()),
                )
            }
        };
        let query = Some((query.0, query.1.as_str()));
        channels.into_iter().next().ok_or_else(|| self.empty_answer_of("fetch_channel", "fetch_channels", query))
    }

    /// Several channels, by broadcaster ids or by slugs; unknown ones are left out, as Kick does.
    ///
    /// More than 50 ids or slugs are split into several requests (Kick's maximum) joined in order.
    /// Every slug is checked (1 to 25 characters) before anything is sent. An empty list asks nothing
    /// and returns nothing; for the token's own channel use [`KickClient::fetch_current_channel`].
    ///
    /// Token: app. `GET /public/v1/channels?broadcaster_user_id=..&broadcaster_user_id=..` or `?slug=..&slug=..`.
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// let channels = client.fetch_channels(["xqc", "trainwreckstv"]).await?;
    /// let channels = client.fetch_channels(vec![668, 4377088]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn fetch_channels(&self, channels: impl Into<ChannelRefs>) -> Result<Vec<Channel>> {
        match channels.into() {
            ChannelRefs::Ids(ids) => in_chunks(&ids, CHANNELS_PER_REQUEST, |chunk| self.channels_by_ids(chunk)).await,
            ChannelRefs::Slugs(slugs) => {
                let slugs = slugs.iter().map(|slug| validate::channel_slug(slug)).collect::<Result<Vec<_>, _>>()?;
                in_chunks(&slugs, CHANNELS_PER_REQUEST, |chunk| self.channels_by_slugs(chunk)).await
            }
        }
    }

    /// The user token's own channel (with the stream key and URL when the token has `streamkey:read`).
    ///
    /// Token: user (scope `channel:read`). `GET /public/v1/channels` with no parameters.
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// let mine = client.fetch_current_channel().await?;
    /// println!("live at kick.com/{}", mine.slug);
    /// # Ok(()) }
    /// ```
    pub async fn fetch_current_channel(&self) -> Result<Channel> {
        let answer = self
            .call(Some(TokenKind::User), |raw| raw.fetch_channels(None, None))
            .await
            .map_err(|e| e.called_as("fetch_current_channel"))?;
        let none = || self.empty_answer_of("fetch_current_channel", "fetch_channels", None);
        answer.into_inner().data.into_iter().next().ok_or_else(none)
    }

    /// Changes the stream's category, title or custom tags on the user token's channel.
    ///
    /// At least one field must be set; the title needs a character, `category_id` must be at least 1
    /// and there may be at most 10 tags. Unset fields are left out of the body; `custom_tags:
    /// Some(vec![])` is sent and clears the tags.
    ///
    /// Token: user (scope `channel:write`). `PATCH /public/v1/channels` with a JSON body.
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// use kickrs::api::UpdateChannelOptions;
    /// client
    ///     .update_channel(UpdateChannelOptions {
    ///         stream_title: Some("Any% attempts".into()),
    ///         custom_tags: Some(vec!["speedrun".into()]),
    ///         ..Default::default()
    ///     })
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn update_channel(&self, options: UpdateChannelOptions) -> Result<()> {
        let UpdateChannelOptions { category_id, stream_title, custom_tags } = options;
        validate::at_least_one(
            "update_channel",
            category_id.is_some() || stream_title.is_some() || custom_tags.is_some(),
        )?;
        if let Some(tags) = &custom_tags {
            validate::custom_tags(tags)?;
        }
        let body = UpdateChannelRequest {
            category_id: category_id
                .map(|id| validate::positive_id("category_id", id.get()).map(|()| id))
                .transpose()?,
            stream_title: stream_title.as_deref().map(validate::stream_title).transpose()?,
            custom_tags,
        };
        self.call(Some(TokenKind::User), |raw| raw.update_channel(&body)).await?;
        Ok(())
    }

    async fn channels_by_ids(&self, ids: Vec<UserId>) -> Result<Vec<Channel>> {
        let answer = self.call(Some(TokenKind::App), |raw| raw.fetch_channels(Some(&ids), None)).await?;
        Ok(answer.into_inner().data)
    }

    async fn channels_by_slugs(&self, slugs: Vec<FetchChannelsSlugItem>) -> Result<Vec<Channel>> {
        let answer = self.call(Some(TokenKind::App), |raw| raw.fetch_channels(None, Some(&slugs))).await?;
        Ok(answer.into_inner().data)
    }
}
