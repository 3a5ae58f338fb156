//! Webhook event subscriptions: list, create (201, per-event results), delete (204).

use crate::ids::{SubscriptionId, UserId};
use chrono::Utc;
use http::StatusCode;
use serde_json::{Value, json};

use crate::auth::TokenKind;
use crate::mock::reply::{Handled, Reply};
use crate::mock::routes::Ctx;
use crate::mock::state::EventSubscription;

/// Kick's event types (all version 1): the webhook module's list, so the two cannot drift.
pub(crate) const EVENT_TYPES: &[&str] = crate::webhooks::events::EVENT_NAMES;

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
    let filter: Option<UserId> = ctx.req.id("broadcaster_user_id")?;
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
///
/// An app holds at most 1,000 subscriptions (10,000 once verified). Past that Kick answers 400
/// `{"data": "event subscription limit reached", "message": "Bad request"}`; whether it creates the
/// events of a batch that still fit is undocumented, and MockKick does (the stricter case for a client,
/// which must then list to learn what exists).
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
            .opt_id("broadcaster_user_id")?
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
    let limit =
        state.app(&client_id).map_or(crate::validate::EVENT_SUBSCRIPTIONS_MAX_UNVERIFIED, |a| a.max_subscriptions());
    let mut limit_reached = false;
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
        if state.subscriptions.iter().filter(|s| s.app_id == client_id).count() >= limit {
            limit_reached = true;
            continue;
        }
        let subscription = EventSubscription {
            id: SubscriptionId::new(crate::mock::ids::ulid()),
            app_id: client_id.clone().into(),
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
    if limit_reached {
        return Err(Reply::error(StatusCode::BAD_REQUEST, json!("event subscription limit reached"), "Bad request"));
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
