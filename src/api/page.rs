//! Cursor pages and the streams that walk them, and id lists split into per-request chunks.

use std::collections::HashSet;

use futures::{Stream, StreamExt, TryStreamExt, stream};

/// How many chunk requests of one split call run at once.
const CHUNKS_IN_FLIGHT: usize = 4;

/// One page of a cursor-paginated answer.
///
/// ```
/// let page = kickrs::api::Page { items: vec![1, 2], next_cursor: Some("abcd".to_string()) };
/// assert!(page.has_next());
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// Pass it back as `cursor` for the next page; `None` on the last page (Kick sends `""` there).
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// Builds a page from Kick's `data` and `pagination.next_cursor`, treating `""` as "no more pages".
    pub(crate) fn new(items: Vec<T>, next_cursor: Option<String>) -> Self {
        Self { items, next_cursor: next_cursor.filter(|cursor| !cursor.is_empty()) }
    }

    /// Whether another page follows.
    pub fn has_next(&self) -> bool {
        self.next_cursor.is_some()
    }
}

impl<T> IntoIterator for Page<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// The cursor a paginated method sends: an empty one means "from the start", as no cursor does (Kick
/// sends `""` as the last page's `next_cursor`, so it is never sent back). The one policy of every
/// paginated method; cursors are otherwise passed as given: they are Kick's own tokens.
pub(crate) fn sent_cursor(cursor: Option<&str>) -> Option<&str> {
    cursor.filter(|cursor| !cursor.is_empty())
}

/// Every item of every page of `operation`, starting at `cursor`: `fetch` is called with each page's
/// cursor in turn. An error ends the stream after it is yielded; so does a cursor that comes back a
/// second time ([`crate::Error::RepeatedCursor`]), which would otherwise loop for ever.
pub(crate) fn paginate<T, F, Fut>(
    operation: &'static str,
    cursor: Option<String>,
    fetch: F,
) -> impl Stream<Item = crate::Result<T>> + Send + 'static
where
    // Every `*_stream` can be handed to `tokio::spawn`: the fetcher owns a clone of the client.
    T: Send + 'static,
    F: FnMut(Option<String>) -> Fut + Send + 'static,
    Fut: Future<Output = crate::Result<Page<T>>> + Send + 'static,
{
    enum Next {
        Page(Option<String>),
        Done,
    }
    let seen: HashSet<String> = cursor.iter().filter(|cursor| !cursor.is_empty()).cloned().collect();
    stream::unfold((Next::Page(cursor), fetch, seen), move |(next, mut fetch, mut seen)| async move {
        let Next::Page(cursor) = next else {
            return None;
        };
        Some(match fetch(cursor).await {
            Ok(page) => {
                let (next, repeated) = match page.next_cursor {
                    Some(cursor) if !page.items.is_empty() => {
                        if seen.insert(cursor.clone()) {
                            (Next::Page(Some(cursor)), None)
                        } else {
                            (Next::Done, Some(crate::Error::RepeatedCursor { operation, cursor }))
                        }
                    }
                    _ => (Next::Done, None),
                };
                let items = page.items.into_iter().map(Ok).chain(repeated.map(Err));
                (stream::iter(items).left_stream(), (next, fetch, seen))
            }
            Err(error) => {
                (stream::iter(vec![Err(error.called_as(operation))]).right_stream(), (Next::Done, fetch, seen))
            }
        })
    })
    .flatten()
}

/// Splits `ids` into requests of at most `per_request` ids, runs a few at a time, and joins the answers
/// in the order of `ids`. The first error fails the whole call.
pub(crate) async fn in_chunks<I, T, F, Fut>(ids: &[I], per_request: usize, mut fetch: F) -> crate::Result<Vec<T>>
where
    I: Clone,
    F: FnMut(Vec<I>) -> Fut,
    Fut: Future<Output = crate::Result<Vec<T>>>,
{
    let per_request = per_request.max(1);
    // Most calls fit in one request: no stream machinery for them.
    match ids.len() {
        0 => return Ok(Vec::new()),
        n if n <= per_request => return fetch(ids.to_vec()).await,
        _ => {}
    }
    let parts: Vec<Vec<T>> = stream::iter(ids.chunks(per_request).map(<[I]>::to_vec))
        .map(fetch)
        .buffered(CHUNKS_IN_FLIGHT)
        .try_collect()
        .await?;
    Ok(parts.into_iter().flatten().collect())
}
