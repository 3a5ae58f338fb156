//! Cursor pages, and streams that walk them.

use futures::{Stream, StreamExt, stream};

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

/// Every item of every page, starting at `cursor`: `fetch` is called with each page's cursor in turn.
/// An error ends the stream after it is yielded.
pub(crate) fn paginate<T, F, Fut>(cursor: Option<String>, fetch: F) -> impl Stream<Item = crate::Result<T>>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = crate::Result<Page<T>>>,
{
    enum Next {
        Page(Option<String>),
        Done,
    }
    stream::unfold((Next::Page(cursor), fetch), |(next, mut fetch)| async move {
        let Next::Page(cursor) = next else {
            return None;
        };
        Some(match fetch(cursor).await {
            Ok(page) => {
                let next = match page.next_cursor {
                    Some(cursor) if !page.items.is_empty() => Next::Page(Some(cursor)),
                    _ => Next::Done,
                };
                (stream::iter(page.items.into_iter().map(Ok)).left_stream(), (next, fetch))
            }
            Err(error) => (stream::iter(vec![Err(error)]).right_stream(), (Next::Done, fetch)),
        })
    })
    .flatten()
}
