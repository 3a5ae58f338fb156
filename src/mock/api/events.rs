//! Webhook event subscriptions: list, create (201, per-event results), delete (204).

use chrono::Utc;
use http::StatusCode;
use serde_json::{Value, json};

use crate::mock::oauth::TokenKind;
use crate::mock::reply::{Handled, Reply};
use crate::mock::routes::Ctx;
use crate::mock::state::EventSubscription;

/// Kick's event types (all version 1).
pub(crate) const EVENT_TYPES: &[&str] = &[
    "chat.message.sent",
    "channel.followed",
    "channel.subscription.renewal",
    "channel.subscription.gifts",
    "channel.subscription.new",
    "channel.reward.redemption.updated",
    "livestream.status.updated",
    "livestream.metadata.updated",
    "moderation.banned",
    "kicks.gifted",
];

/// Subscriptions per event type per app.
const MAX_PER_EVENT: usize = 10_000;
/// `chat.message.sent` subscriptions for an unverified app.
const MAX_CHAT_UNVERIFIED: usize = 1_000;

fn subscription_json(s: &EventSubscription) -> Value {
    json!({
        "id": s.id,
        "app_id": s.app_id,
        "broadcaster_user_id": s.broadcaster_user_id,
        "event": s.event,
        "version": s.version,
        "method": s.method,
        "created_at": super::rfc3339(s.created_at),
        "updated_at": super::rfc3339(s.updated_at),
    })
}

/// `GET`: the calling app's subscriptions (a user token sees its own channel's), optional filter.
pub(crate) fn list(ctx: &mut Ctx<'_>) -> Handled {
    let caller = ctx.caller()?;
    let filter = ctx.req.int_in("broadcaster_user_id", 1, i64::MAX)?.map(|n| n as u64);
    let data: Vec<Value> = ctx
        .state
        .subscriptions
        .iter()
        .filter(|s| s.app_id == caller.client_id)
        .filter(|s| caller.kind == TokenKind::App || Some(s.broadcaster_user_id) == caller.user_id)
        .filter(|s| filter.is_none_or(|b| b == s.broadcaster_user_id))
        .map(subscription_json)
        .collect();
    Ok(Reply::ok(Value::Array(data)))
}

/// `POST`: `{events: [{name, version}], method: "webhook", broadcaster_user_id}`; 201.
pub(crate) fn create(ctx: &mut Ctx<'_>) -> Handled {
    let caller = ctx.caller()?;
    let body = ctx.req.json_object()?;
    let events =
        body.opt_array("events")?.filter(|e| !e.is_empty()).ok_or_else(|| Reply::bad_request("events is required"))?;
    if let Some(method) = body.opt_str("method")?
        && method != "webhook"
    {
        return Err(Reply::bad_request(format!("method must be webhook (got {method:?})")));
    }
    let broadcaster = match caller.kind {
        TokenKind::User => caller.user()?,
        TokenKind::App => body
            .opt_int("broadcaster_user_id", 1, i64::MAX)?
            .map(|n| n as u64)
            .ok_or_else(|| Reply::bad_request("broadcaster_user_id is required with an app access token"))?,
    };
    if !ctx.state.channels.contains_key(&broadcaster) {
        return Err(Reply::bad_request(format!("broadcaster_user_id {broadcaster} has no channel")));
    }
    let mut wanted = Vec::new();
    for event in events {
        let name = event.get("name").and_then(Value::as_str);
        let version = event.get("version").and_then(Value::as_u64);
        match (name, version) {
            (Some(name), Some(version)) => wanted.push((name.to_owned(), version)),
            _ => {
                return Err(Reply::bad_request("each event needs a string name and an integer version"));
            }
        }
    }
    let client_id = caller.client_id.clone();
    let state = &mut *ctx.state;
    let verified = state.app(&client_id).is_some_and(|a| a.verified);
    let now = Utc::now();
    let mut results = Vec::new();
    for (name, version) in wanted {
        if !EVENT_TYPES.contains(&name.as_str()) || version != 1 {
            results.push(json!({"name": name, "version": version, "error": "unknown event or version"}));
            continue;
        }
        let existing = state.subscriptions.iter().find(|s| {
            s.app_id == client_id && s.broadcaster_user_id == broadcaster && s.event == name && s.version == version
        });
        if let Some(s) = existing {
            results.push(json!({"name": name, "version": version, "subscription_id": s.id}));
            continue;
        }
        let count = state.subscriptions.iter().filter(|s| s.app_id == client_id && s.event == name).count();
        let limit = if name == "chat.message.sent" && !verified { MAX_CHAT_UNVERIFIED } else { MAX_PER_EVENT };
        if count >= limit {
            results.push(json!({
                "name": name,
                "version": version,
                "error": format!("subscription limit of {limit} reached for {name}"),
            }));
            continue;
        }
        let subscription = EventSubscription {
            id: crate::mock::ids::ulid(),
            app_id: client_id.clone(),
            broadcaster_user_id: broadcaster,
            event: name.clone(),
            version,
            method: "webhook".to_owned(),
            created_at: now,
            updated_at: now,
        };
        results.push(json!({"name": name, "version": version, "subscription_id": subscription.id}));
        state.subscriptions.push(subscription);
    }
    Ok(Reply::with_status(StatusCode::CREATED, Value::Array(results)))
}

/// `DELETE ?id=..&id=..`: the calling app's subscriptions; 204.
pub(crate) fn delete(ctx: &mut Ctx<'_>) -> Handled {
    let caller = ctx.caller()?;
    let ids = ctx.req.repeated_strings("id", usize::MAX)?;
    if ids.is_empty() {
        return Err(Reply::bad_request("id is required"));
    }
    let client_id = caller.client_id.clone();
    ctx.state.subscriptions.retain(|s| !(s.app_id == client_id && ids.contains(&s.id.as_str())));
    Ok(Reply::no_content())
}
