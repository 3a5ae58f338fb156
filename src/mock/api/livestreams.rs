//! Live streams: v1 list (deprecated by Kick), v2 cursor pages, by user ids, and stats.

use serde_json::{Value, json};

use crate::ids::{CategoryId, ChannelId};
use crate::mock::reply::{Handled, Reply};
use crate::mock::routes::Ctx;
use crate::mock::state::{MockLiveStream, State};

/// Kick's channel ids differ from user ids; an offset keeps them apart so a mix-up shows.
const CHANNEL_ID_OFFSET: u64 = 9_000_000;

fn v1_json(state: &State, live: &MockLiveStream) -> Option<Value> {
    let channel = state.channels.get(&live.broadcaster_user_id)?;
    let user = state.users.get(&live.broadcaster_user_id)?;
    Some(json!({
        "broadcaster_user_id": live.broadcaster_user_id,
        "channel_id": ChannelId::new(live.broadcaster_user_id.get() + CHANNEL_ID_OFFSET),
        "slug": channel.slug,
        "stream_title": channel.stream_title,
        "started_at": super::rfc3339(live.started_at),
        "viewer_count": live.viewer_count,
        "language": channel.language,
        "has_mature_content": channel.is_mature,
        "thumbnail": live.thumbnail,
        "profile_picture": user.profile_picture,
        "custom_tags": channel.custom_tags,
        "category": state.category_json(channel.category_id),
    }))
}

fn v2_json(state: &State, live: &MockLiveStream) -> Option<Value> {
    let channel = state.channels.get(&live.broadcaster_user_id)?;
    let user = state.users.get(&live.broadcaster_user_id)?;
    Some(json!({
        "id": live.id,
        "title": channel.stream_title,
        "thumbnail": live.thumbnail,
        "started_at": super::rfc3339(live.started_at),
        "viewer_count": live.viewer_count,
        "language_code": channel.language,
        "tags": channel.custom_tags,
        "has_mature_content": channel.is_mature,
        "broadcaster_user": {"id": user.id, "username": user.name, "profile_picture": user.profile_picture},
        "category": state.category_json(channel.category_id),
        "channel": {"slug": channel.slug},
    }))
}

fn category_of(state: &State, live: &MockLiveStream) -> Option<CategoryId> {
    state.channels.get(&live.broadcaster_user_id).and_then(|c| c.category_id)
}

fn language_of<'s>(state: &'s State, live: &MockLiveStream) -> &'s str {
    state.channels.get(&live.broadcaster_user_id).map_or("", |c| c.language.as_str())
}

/// `GET /public/v1/livestreams`.
pub(crate) fn list_v1(ctx: &mut Ctx<'_>) -> Handled {
    let req = ctx.req;
    let ids = req.repeated_ids("broadcaster_user_id", 50)?;
    let category = req.id("category_id")?;
    let language = req.one("language")?;
    let limit = req.int_in("limit", 1, 100)?.unwrap_or(25) as usize;
    let by_start = match req.one("sort")?.unwrap_or("viewer_count") {
        "viewer_count" => false,
        "started_at" => true,
        other => {
            return Err(Reply::bad_request(format!("sort must be viewer_count or started_at (got {other:?})")));
        }
    };
    let state = &*ctx.state;
    let mut streams: Vec<&MockLiveStream> = state
        .live
        .values()
        .filter(|l| ids.is_empty() || ids.contains(&l.broadcaster_user_id))
        .filter(|l| category.is_none() || category_of(state, l) == category)
        .filter(|l| language.is_none_or(|lang| language_of(state, l) == lang))
        .collect();
    if by_start {
        streams.sort_by_key(|l| std::cmp::Reverse(l.started_at));
    } else {
        streams.sort_by_key(|l| std::cmp::Reverse(l.viewer_count));
    }
    let data: Vec<Value> = streams.into_iter().take(limit).filter_map(|l| v1_json(state, l)).collect();
    Ok(Reply::ok(Value::Array(data)))
}

/// `GET /public/v2/livestreams`: repeated `category_id` and `language_code` (≤ 25 each),
/// `limit` 1–1000 (default 100), oldest first, cursor pages.
pub(crate) fn list_v2(ctx: &mut Ctx<'_>) -> Handled {
    let req = ctx.req;
    let offset = req.cursor()?;
    let limit = req.int_in("limit", 1, 1000)?.unwrap_or(100) as usize;
    let categories = req.repeated_ids("category_id", 25)?;
    let languages = req.repeated_strings("language_code", 25)?;
    let state = &*ctx.state;
    let mut streams: Vec<&MockLiveStream> = state
        .live
        .values()
        .filter(|l| categories.is_empty() || category_of(state, l).is_some_and(|c| categories.contains(&c)))
        .filter(|l| languages.is_empty() || languages.contains(&language_of(state, l)))
        .collect();
    streams.sort_by_key(|l| l.started_at);
    let all: Vec<Value> = streams.into_iter().filter_map(|l| v2_json(state, l)).collect();
    let (page, next) = super::paginate(all, offset, limit);
    Ok(Reply::page(page, next))
}

/// `GET /public/v1/users/livestreams?user_id=..`: required, repeated, ≤ 100; not paginated.
pub(crate) fn by_users(ctx: &mut Ctx<'_>) -> Handled {
    let ids = ctx.req.repeated_ids("user_id", 100)?;
    if ids.is_empty() {
        return Err(Reply::bad_request("user_id is required"));
    }
    let state = &*ctx.state;
    let data: Vec<Value> = ids.iter().filter_map(|id| state.live.get(id)).filter_map(|l| v2_json(state, l)).collect();
    Ok(Reply::ok(Value::Array(data)))
}

/// `GET /public/v1/livestreams/stats`.
pub(crate) fn stats(ctx: &mut Ctx<'_>) -> Handled {
    Ok(Reply::ok(json!({"total_count": ctx.state.live.len()})))
}
