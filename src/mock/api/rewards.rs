//! Channel-points rewards and their redemptions.

use crate::ids::{RewardId, UserId};
use std::collections::HashSet;

use serde_json::{Value, json};

use crate::mock::ids::is_ulid;
use crate::mock::reply::{Handled, Reply};
use crate::mock::request::{JsonBody, check_len};
use crate::mock::routes::Ctx;
use crate::mock::state::MockReward;
use crate::mock::webhooks::{Outgoing, user_json};
use crate::models::RedemptionStatus;

/// Kick allows this many rewards per channel (enabled and disabled).
const MAX_REWARDS: usize = 15;
/// Redemptions per page.
const REDEMPTION_PAGE: usize = 25;

fn reward_json(r: &MockReward) -> Value {
    json!({
        "id": r.id,
        "title": r.title,
        "description": r.description,
        "cost": r.cost,
        "background_color": r.background_color,
        "is_enabled": r.is_enabled,
        "is_paused": r.is_paused,
        "is_user_input_required": r.is_user_input_required,
        "should_redemptions_skip_request_queue": r.should_redemptions_skip_request_queue,
    })
}

fn is_hex_color(s: &str) -> bool {
    s.strip_prefix('#').is_some_and(|hex| matches!(hex.len(), 3 | 6) && hex.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Applies the fields present in `body` to `reward`, checking Kick's limits; returns how many were set.
fn apply_fields(reward: &mut MockReward, body: &JsonBody, allow_pause: bool) -> Result<usize, Reply> {
    let mut set = 0;
    if let Some(title) = body.opt_str("title")? {
        check_len("title", title, 1, 50)?;
        reward.title = title.to_owned();
        set += 1;
    }
    if let Some(cost) = body.opt_int("cost", 1, i64::MAX)? {
        reward.cost = cost as u64;
        set += 1;
    }
    if let Some(description) = body.opt_str("description")? {
        check_len("description", description, 0, 200)?;
        reward.description = description.to_owned();
        set += 1;
    }
    if let Some(color) = body.opt_str("background_color")? {
        if !is_hex_color(color) {
            return Err(Reply::bad_request(format!(
                "background_color must be a hex colour like #00e701 (got {color:?})"
            )));
        }
        reward.background_color = color.to_owned();
        set += 1;
    }
    let mut flags: Vec<(&str, &mut bool)> = vec![
        ("is_enabled", &mut reward.is_enabled),
        ("is_user_input_required", &mut reward.is_user_input_required),
        ("should_redemptions_skip_request_queue", &mut reward.should_redemptions_skip_request_queue),
    ];
    if allow_pause {
        flags.push(("is_paused", &mut reward.is_paused));
    }
    for (field, slot) in flags {
        if let Some(v) = body.opt_bool(field)? {
            *slot = v;
            set += 1;
        }
    }
    Ok(set)
}

/// `GET /public/v1/channels/rewards`: the token user's rewards.
pub(crate) fn list(ctx: &mut Ctx<'_>) -> Handled {
    let user = ctx.caller()?.user()?;
    let data: Vec<Value> =
        ctx.state.rewards.iter().filter(|r| r.broadcaster_user_id == user).map(reward_json).collect();
    Ok(Reply::ok(Value::Array(data)))
}

/// `POST /public/v1/channels/rewards`: at most 15 per channel; owned by the calling app.
pub(crate) fn create(ctx: &mut Ctx<'_>) -> Handled {
    let caller = ctx.caller()?;
    let user = caller.user()?;
    let body = ctx.req.json_object()?;
    let title = body.req_str("title")?;
    if !body.is_set("cost") {
        return Err(Reply::bad_request("cost is required"));
    }
    let mut reward = MockReward::new(user, title, 1).by_app(&caller.client_id);
    apply_fields(&mut reward, &body, false)?;
    let count = ctx.state.rewards.iter().filter(|r| r.broadcaster_user_id == user).count();
    if count >= MAX_REWARDS {
        return Err(Reply::bad_request(format!("a channel can have at most {MAX_REWARDS} rewards")));
    }
    let data = reward_json(&reward);
    ctx.state.rewards.push(reward);
    Ok(Reply::ok(data))
}

/// Finds the token user's reward `ctx.param` and checks that the calling app created it.
fn owned_reward(ctx: &Ctx<'_>) -> Result<usize, Reply> {
    let caller = ctx.caller()?;
    let user = caller.user()?;
    if !is_ulid(ctx.param) {
        return Err(Reply::bad_request(format!("id must be a ULID (got {:?})", ctx.param)));
    }
    let index = ctx
        .state
        .rewards
        .iter()
        .position(|r| r.id.as_str().eq_ignore_ascii_case(ctx.param) && r.broadcaster_user_id == user)
        .ok_or_else(|| Reply::not_found("Reward not found"))?;
    if ctx.state.rewards[index].app_client_id != caller.client_id {
        return Err(Reply::forbidden("Forbidden: only the app that created this reward can change it"));
    }
    Ok(index)
}

/// `PATCH /public/v1/channels/rewards/{id}`: at least one field.
pub(crate) fn update(ctx: &mut Ctx<'_>) -> Handled {
    let index = owned_reward(ctx)?;
    let body = ctx.req.json_object()?;
    let mut reward = ctx.state.rewards[index].clone();
    if apply_fields(&mut reward, &body, true)? == 0 {
        return Err(Reply::bad_request("at least one field must be set"));
    }
    let data = reward_json(&reward);
    ctx.state.rewards[index] = reward;
    Ok(Reply::ok(data))
}

/// `DELETE /public/v1/channels/rewards/{id}`: 204.
pub(crate) fn delete(ctx: &mut Ctx<'_>) -> Handled {
    let index = owned_reward(ctx)?;
    ctx.state.rewards.remove(index);
    Ok(Reply::no_content())
}

/// `GET /public/v1/channels/rewards/redemptions`: grouped by reward, cursor pages.
pub(crate) fn redemptions(ctx: &mut Ctx<'_>) -> Handled {
    let caller = ctx.caller()?;
    let user = caller.user()?;
    let req = ctx.req;
    let ids = req.repeated_strings("id", usize::MAX)?;
    let reward_id = req.one("reward_id")?;
    let status = req.one("status")?;
    if !ids.is_empty() && (reward_id.is_some() || status.is_some() || req.has("cursor")) {
        return Err(Reply::bad_request("id cannot be combined with other filters"));
    }
    for id in ids.iter().chain(reward_id.iter()) {
        if !is_ulid(id) {
            return Err(Reply::bad_request(format!("{id:?} is not a ULID")));
        }
    }
    let status = match status {
        None => RedemptionStatus::Pending,
        Some(s) => match RedemptionStatus::from(s) {
            RedemptionStatus::Other(_) => {
                return Err(Reply::bad_request(format!("status must be pending, accepted or rejected (got {s:?})")));
            }
            known => known,
        },
    };
    let offset = req.cursor()?;
    let state = &*ctx.state;
    let channel_reward =
        |reward_id: &RewardId| state.rewards.iter().find(|r| r.id == *reward_id && r.broadcaster_user_id == user);
    let matching: Vec<_> = state
        .redemptions
        .iter()
        .filter(|r| channel_reward(&r.reward_id).is_some())
        .filter(|r| {
            if ids.is_empty() {
                r.status == status && reward_id.is_none_or(|id| r.reward_id == id)
            } else {
                ids.contains(&r.id.as_str())
            }
        })
        .collect();
    let (page, next) = super::paginate(matching, offset, REDEMPTION_PAGE);
    let mut groups: Vec<(RewardId, Vec<Value>)> = Vec::new();
    for r in page {
        let item = json!({
            "id": r.id,
            "redeemed_at": super::rfc3339(r.redeemed_at),
            "redeemer": {"user_id": r.redeemer_user_id},
            "status": r.status.as_str(),
            "user_input": r.user_input,
        });
        match groups.iter_mut().find(|(id, _)| *id == r.reward_id) {
            Some((_, items)) => items.push(item),
            None => groups.push((r.reward_id.clone(), vec![item])),
        }
    }
    let data = groups
        .into_iter()
        .filter_map(|(reward_id, items)| {
            let reward = channel_reward(&reward_id)?;
            Some(json!({
                "reward": {
                    "id": reward.id,
                    "title": reward.title,
                    "cost": reward.cost,
                    "description": reward.description,
                    "can_manage": reward.app_client_id == caller.client_id,
                    "is_deleted": false,
                },
                "redemptions": items,
            }))
        })
        .collect();
    Ok(Reply::page(data, next))
}

/// `POST .../redemptions/accept`.
pub(crate) fn accept(ctx: &mut Ctx<'_>) -> Handled {
    settle(ctx, RedemptionStatus::Accepted)
}

/// `POST .../redemptions/reject`.
pub(crate) fn reject(ctx: &mut Ctx<'_>) -> Handled {
    settle(ctx, RedemptionStatus::Rejected)
}

/// Accepts or rejects 1–25 unique ids; answers only the failures.
fn settle(ctx: &mut Ctx<'_>, to: RedemptionStatus) -> Handled {
    let caller = ctx.caller()?;
    let user = caller.user()?;
    let client_id = caller.client_id.clone();
    let body = ctx.req.json_object()?;
    let ids = body.opt_str_list("ids")?.ok_or_else(|| Reply::bad_request("ids is required"))?;
    if ids.is_empty() || ids.len() > 25 {
        return Err(Reply::bad_request(format!("ids must hold 1 to 25 ids (got {})", ids.len())));
    }
    if ids.iter().collect::<HashSet<_>>().len() != ids.len() {
        return Err(Reply::bad_request("ids must be unique"));
    }
    if let Some(bad) = ids.iter().find(|id| !is_ulid(id)) {
        return Err(Reply::bad_request(format!("ids: {bad:?} is not a ULID")));
    }
    let state = &mut *ctx.state;
    let mut failed = Vec::new();
    for id in &ids {
        let Some(index) = state.redemptions.iter().position(|r| r.id == id.as_str()) else {
            failed.push(json!({"id": id, "reason": "NOT_FOUND"}));
            continue;
        };
        let reward_id = state.redemptions[index].reward_id.clone();
        let Some(reward) = state.rewards.iter().find(|r| r.id == reward_id && r.broadcaster_user_id == user).cloned()
        else {
            failed.push(json!({"id": id, "reason": "NOT_FOUND"}));
            continue;
        };
        if reward.app_client_id != client_id {
            failed.push(json!({"id": id, "reason": "NOT_OWNED"}));
            continue;
        }
        if state.redemptions[index].status != RedemptionStatus::Pending {
            failed.push(json!({"id": id, "reason": "NOT_PENDING"}));
            continue;
        }
        state.redemptions[index].status = to.clone();
        let r = state.redemptions[index].clone();
        let payload = json!({
            "id": r.id,
            "user_input": r.user_input,
            "status": to.as_str(),
            "redeemed_at": super::rfc3339(r.redeemed_at),
            "reward": {"id": reward.id, "title": reward.title, "cost": reward.cost, "description": reward.description},
            "redeemer": compact_user(state, r.redeemer_user_id),
            "broadcaster": compact_user(state, user),
        });
        state.outbox.push(Outgoing::new("channel.reward.redemption.updated", user, payload));
    }
    Ok(Reply::ok(Value::Array(failed)))
}

/// Redemption events carry users without `is_anonymous` and `identity`.
fn compact_user(state: &crate::mock::state::State, user_id: UserId) -> Value {
    let mut user = user_json(state, user_id);
    if let Some(map) = user.as_object_mut() {
        map.remove("is_anonymous");
        map.remove("identity");
    }
    user
}
