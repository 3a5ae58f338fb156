//! Categories: the v2 cursor list (by name, tag or id) and one category by id.

use futures::Stream;

use crate::auth::TokenKind;
use crate::ids::CategoryId;
use crate::models::{Category, CategoryDetail};
use crate::validate::{self, CATEGORIES_LIMIT_MAX, Problem, ValidationError};
use crate::{KickClient, Result};

use super::Page;
use super::page::{self, paginate};

/// Filters and cursor of the v2 categories list ([`KickClient::fetch_categories`]).
///
/// `query` is kickpy's search text, sent as Kick's `name` filter as is; it cannot be combined with
/// `names`.
///
/// ```
/// use kickrs::api::CategoriesOptions;
/// let search = CategoriesOptions { query: Some("fortnite".into()), ..Default::default() };
/// let by_id = CategoriesOptions { category_ids: vec![15.into(), 28.into()], ..Default::default() };
/// ```
#[derive(Clone, Debug, Default)]
pub struct CategoriesOptions {
    /// Search text (3 to 100 characters), sent as `name`.
    pub query: Option<String>,
    /// Category names (each 3 to 100 characters), sent comma-joined as `name`.
    pub names: Vec<String>,
    /// Tags (each 3 to 100 characters), sent comma-joined as `tag`.
    pub tags: Vec<String>,
    /// Category ids (each at least 1), sent comma-joined as `id`.
    pub category_ids: Vec<CategoryId>,
    /// Where to start: a previous page's `next_cursor`, passed as given (`""` or `None`: the first page).
    pub cursor: Option<String>,
    /// Categories per page (1 to 1000; Kick's default is 25).
    pub limit: Option<u32>,
}

impl KickClient {
    /// One page of categories (v2) matching names, tags or ids, with the cursor of the next page.
    ///
    /// Token: app. `GET /public/v2/categories?name=a,b&tag=x,y&id=1,2` (comma-joined, as Kick wants).
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// use kickrs::api::CategoriesOptions;
    /// let page = client
    ///     .fetch_categories(CategoriesOptions { query: Some("chess".into()), ..Default::default() })
    ///     .await?;
    /// for category in &page.items {
    ///     println!("{} {}", category.id, category.name);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn fetch_categories(&self, options: CategoriesOptions) -> Result<Page<Category>> {
        let CategoriesOptions { query, names, tags, category_ids, cursor, limit } = options;
        let name = match query {
            Some(_) if !names.is_empty() => {
                return Err(ValidationError::new("query", Problem::Conflict { other: "names" }).into());
            }
            Some(query) => validate::category_filters("query", &[query])?,
            None => validate::category_filters("name", &names)?,
        };
        let tag = validate::category_filters("tag", &tags)?;
        validate::each_positive_id("id", &category_ids)?;
        let id = (!category_ids.is_empty())
            .then(|| category_ids.iter().map(CategoryId::to_string).collect::<Vec<_>>().join(","));
        let limit = limit.map(|limit| validate::page_limit("limit", limit, CATEGORIES_LIMIT_MAX)).transpose()?;
        let cursor = page::sent_cursor(cursor.as_deref());
        let answer = self
            .call(Some(TokenKind::App), |raw| {
                raw.fetch_categories(cursor, id.as_deref(), limit, name.as_deref(), tag.as_deref())
            })
            .await?
            .into_inner();
        Ok(Page::new(answer.data, Some(answer.pagination.next_cursor)))
    }

    /// Every matching category (v2) across all pages, fetched page by page as the stream is read.
    ///
    /// Starts at `options.cursor`; stops after the page whose `next_cursor` is empty, or at the first error
    /// (which is yielded).
    ///
    /// Token: app. `GET /public/v2/categories`, once per page.
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// use futures::TryStreamExt;
    /// use kickrs::api::CategoriesOptions;
    /// let options = CategoriesOptions { tags: vec!["shooter".into()], limit: Some(1000), ..Default::default() };
    /// let all: Vec<_> = client.fetch_categories_stream(options).try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn fetch_categories_stream(
        &self,
        options: CategoriesOptions,
    ) -> impl Stream<Item = Result<Category>> + Send + 'static {
        let client = self.clone();
        paginate("fetch_categories_stream", options.cursor.clone(), move |cursor| {
            let (client, options) = (client.clone(), CategoriesOptions { cursor, ..options.clone() });
            async move { client.fetch_categories(options).await }
        })
    }

    /// One category by id, with its tags and viewer count; [`crate::Error::NotFound`] when there is none.
    ///
    /// Token: app. `GET /public/v1/categories/{category_id}`, deprecated by Kick (changelog 15/01/2026)
    /// but still served; [`KickClient::fetch_categories`] with `category_ids` returns the same category
    /// (without the viewer count).
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// # #[allow(deprecated)]
    /// let chess = client.fetch_category(28).await?;
    /// println!("{} watching {}", chess.viewer_count.unwrap_or(0), chess.name);
    /// # Ok(()) }
    /// ```
    #[deprecated(
        note = "Kick deprecated the v1 categories endpoints (changelog 15/01/2026); use fetch_categories with \
                CategoriesOptions { category_ids: vec![id], .. }"
    )]
    pub async fn fetch_category(&self, category_id: impl Into<CategoryId>) -> Result<CategoryDetail> {
        let category_id = category_id.into();
        validate::positive_id("category_id", category_id.get())?;
        let answer = self.call(Some(TokenKind::App), |raw| raw.fetch_category(&category_id)).await?;
        answer.into_inner().data.ok_or_else(|| self.empty_answer("fetch_category"))
    }
}
