//! `GET` and `PATCH /public/v1/channels`.

use serde_json::{Value, json};

use crate::mock::oauth::Caller;
use crate::mock::reply::{Handled, Reply};
use crate::mock::request::check_len;
use crate::mock::routes::Ctx;
use crate::mock::state::{MockChannel, State};
use crate::mock::webhooks::Outgoing;

/// Kick's zero time for a channel that is not live.
const ZERO_TIME: &str = "0001-01-01T00:00:00Z";

fn channel_json(state: &State, channel: &MockChannel, caller: &Caller) -> Value {
    let live = state.live.get(&channel.broadcaster_user_id);
    let sees_key = caller.user_id == Some(channel.broadcaster_user_id) && caller.has_any_scope(&["streamkey:read"]);
    let secret = |v: &str| {
        if sees_key { v.to_owned() } else { String::new() }
    };
    json!({
        "broadcaster_user_id": channel.broadcaster_user_id,
        "slug": channel.slug,
        "channel_description": channel.description,
        "banner_picture": channel.banner_picture,
        "stream_title": channel.stream_title,
        "category": state.category_json(channel.category_id),
        "active_subscribers_count": channel.active_subscribers_count,
        "canceled_subscribers_count": channel.canceled_subscribers_count,
        "stream": {
            "url": secret(&channel.stream_url),
            "key": secret(&channel.stream_key),
            "is_live": live.is_some(),
            "is_mature": channel.is_mature,
            "language": channel.language,
            "start_time": live.map_or(ZERO_TIME.to_owned(), |l| super::rfc3339(l.started_at)),
            "viewer_count": live.map_or(0, |l| l.viewer_count),
            "thumbnail": live.map_or("", |l| l.thumbnail.as_str()),
            "custom_tags": channel.custom_tags,
        },
    })
}

/// Channels by `broadcaster_user_id` or `slug` (never both), or the token user's channel.
pub(crate) fn get(ctx: &mut Ctx<'_>) -> Handled {
    let caller = ctx.caller()?;
    let req = ctx.req;
    if req.has("broadcaster_user_id") && req.has("slug") {
        return Err(Reply::bad_request("Invalid parameters or mixed parameter types"));
    }
    let ids = req.repeated_ids("broadcaster_user_id", 50)?;
    let slugs = req.repeated_strings("slug", 50)?;
    for slug in &slugs {
        check_len("slug", slug, 1, 25)?;
    }
    let state = &*ctx.state;
    let channels: Vec<&MockChannel> = if !slugs.is_empty() {
        slugs.iter().filter_map(|s| state.channel_by_slug(s)).collect()
    } else if !ids.is_empty() {
        ids.iter().filter_map(|id| state.channels.get(id)).collect()
    } else {
        state.channels.get(&caller.user()?).into_iter().collect()
    };
    let data: Vec<Value> = channels.into_iter().map(|c| channel_json(state, c, caller)).collect();
    Ok(Reply::ok(Value::Array(data)))
}

/// Updates the token user's channel; 204.
pub(crate) fn patch(ctx: &mut Ctx<'_>) -> Handled {
    let user_id = ctx.caller()?.user()?;
    let body = ctx.req.json_object()?;
    let category_id = body.opt_id("category_id")?;
    let tags = body.opt_str_list("custom_tags")?;
    let title = body.opt_str("stream_title")?;
    if category_id.is_none() && tags.is_none() && title.is_none() {
        return Err(Reply::bad_request("at least one of category_id, custom_tags or stream_title must be set"));
    }
    if let Some(tags) = &tags
        && tags.len() > 10
    {
        return Err(Reply::bad_request(format!("custom_tags accepts at most 10 tags (got {})", tags.len())));
    }
    if let Some(title) = title {
        check_len("stream_title", title, 1, usize::MAX)?;
    }
    if let Some(id) = category_id
        && !ctx.state.categories.contains_key(&id)
    {
        return Err(Reply::bad_request(format!("category_id {id} does not exist")));
    }
    let state = &mut *ctx.state;
    let channel = state.channels.get_mut(&user_id).ok_or_else(|| Reply::not_found("Channel not found"))?;
    if let Some(id) = category_id {
        channel.category_id = Some(id);
    }
    if let Some(tags) = tags {
        channel.custom_tags = tags;
    }
    if let Some(title) = title {
        channel.stream_title = title.to_owned();
    }
    let channel = channel.clone();
    let payload = json!({
        "broadcaster": crate::mock::webhooks::user_json(state, user_id),
        "metadata": {
            "title": channel.stream_title,
            "language": channel.language,
            "has_mature_content": channel.is_mature,
            "category": state.category_json(channel.category_id),
        },
    });
    state.outbox.push(Outgoing::new("livestream.metadata.updated", user_id, payload));
    Ok(Reply::no_content())
}
