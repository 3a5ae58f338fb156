//! One module per area of Kick's REST API; each handler checks Kick's limits and builds Kick's JSON.

pub(crate) mod ads;
pub(crate) mod categories;
pub(crate) mod channels;
pub(crate) mod chat;
pub(crate) mod drops;
pub(crate) mod events;
pub(crate) mod kicks;
pub(crate) mod livestreams;
pub(crate) mod moderation;
pub(crate) mod rewards;
pub(crate) mod users;

/// Kick's timestamp format (RFC 3339, UTC, `Z`).
pub(crate) fn rfc3339(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Slices one page out of `items` starting at `offset`; the cursor is `None` on the last page.
pub(crate) fn paginate<T>(items: Vec<T>, offset: usize, limit: usize) -> (Vec<T>, Option<String>) {
    let total = items.len();
    let page: Vec<T> = items.into_iter().skip(offset).take(limit).collect();
    let next = (offset + limit < total).then(|| super::ids::cursor_for(offset + limit));
    (page, next)
}
