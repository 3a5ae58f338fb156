//! `POST` and `DELETE /public/v1/moderation/bans`.

use chrono::Utc;
use serde_json::json;

use crate::ids::UserId;
use crate::mock::reply::{Handled, Reply};
use crate::mock::request::check_len;
use crate::mock::routes::Ctx;
use crate::mock::state::Ban;
use crate::mock::webhooks::{Outgoing, user_json};

fn target(ctx: &Ctx<'_>, body: &crate::mock::request::JsonBody) -> Result<(UserId, UserId, UserId), Reply> {
    let moderator = ctx.caller()?.user()?;
    let broadcaster = body.req_id("broadcaster_user_id")?;
    let user = body.req_id("user_id")?;
    if !ctx.state.channels.contains_key(&broadcaster) {
        return Err(Reply::bad_request(format!("broadcaster_user_id {broadcaster} has no channel")));
    }
    if !ctx.state.users.contains_key(&user) {
        return Err(Reply::bad_request(format!("user_id {user} does not exist")));
    }
    if !ctx.state.can_moderate(moderator, broadcaster) {
        return Err(Reply::forbidden("Forbidden: not a moderator of this channel"));
    }
    Ok((moderator, broadcaster, user))
}

/// Bans (no `duration`) or times out (`duration` 1–10080 minutes); `reason` ≤ 100. `data: {}`.
pub(crate) fn ban(ctx: &mut Ctx<'_>) -> Handled {
    let body = ctx.req.json_object()?;
    let (moderator, broadcaster, user) = target(ctx, &body)?;
    let duration = body.opt_int("duration", 1, 10080)?;
    let reason = body.opt_str("reason")?;
    if let Some(reason) = reason {
        check_len("reason", reason, 0, 100)?;
    }
    let now = Utc::now();
    let ban = Ban {
        broadcaster_user_id: broadcaster,
        user_id: user,
        moderator_user_id: moderator,
        reason: reason.map(str::to_owned),
        created_at: now,
        expires_at: duration.map(|m| now + chrono::Duration::minutes(m)),
    };
    let state = &mut *ctx.state;
    let payload = json!({
        "broadcaster": user_json(state, broadcaster),
        "moderator": user_json(state, moderator),
        "banned_user": user_json(state, user),
        "metadata": {
            "reason": ban.reason.clone().unwrap_or_default(),
            "created_at": super::rfc3339(ban.created_at),
            "expires_at": ban.expires_at.map(super::rfc3339),
        },
    });
    state.outbox.push(Outgoing::new("moderation.banned", broadcaster, payload));
    state.bans.retain(|b| !(b.broadcaster_user_id == broadcaster && b.user_id == user));
    state.bans.push(ban);
    Ok(Reply::ok(json!({})))
}

/// Lifts a ban or timeout (JSON body on a DELETE, as Kick does). `data: {}`.
pub(crate) fn unban(ctx: &mut Ctx<'_>) -> Handled {
    let body = ctx.req.json_object()?;
    let (_, broadcaster, user) = target(ctx, &body)?;
    ctx.state.bans.retain(|b| !(b.broadcaster_user_id == broadcaster && b.user_id == user));
    Ok(Reply::ok(json!({})))
}
