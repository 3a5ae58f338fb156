//! Ads: break status, starting a break, enrolling (kickpy 1.1's endpoints and error codes).

use chrono::Utc;
use http::StatusCode;
use serde_json::{Value, json};

use crate::mock::reply::{Handled, Reply};
use crate::mock::routes::Ctx;
use crate::mock::state::{MockAdBreak, MockChannel};

fn code(status: StatusCode, code: &str, message: &str) -> Reply {
    Reply::error(status, json!(code), message)
}

/// Breaks started within the current period.
fn used_in_period(channel: &MockChannel) -> u32 {
    let since = Utc::now() - chrono::Duration::seconds(channel.ads.period_seconds as i64);
    channel.ads.ad_breaks.iter().filter(|b| b.created_at > since).count() as u32
}

fn remaining(channel: &MockChannel) -> u32 {
    channel.ads.max_per_period.saturating_sub(used_in_period(channel))
}

fn is_running(b: &MockAdBreak) -> bool {
    b.created_at + chrono::Duration::seconds(b.break_duration_seconds as i64) > Utc::now()
}

fn own_channel<'s>(ctx: &'s mut Ctx<'_>) -> Result<&'s mut MockChannel, Reply> {
    let user = ctx.caller()?.user()?;
    ctx.state
        .channels
        .get_mut(&user)
        .ok_or_else(|| code(StatusCode::NOT_FOUND, "CHANNEL_NOT_FOUND", "Channel not found"))
}

/// `GET /public/v1/ads/ad-break-status`.
pub(crate) fn status(ctx: &mut Ctx<'_>) -> Handled {
    let channel = own_channel(ctx)?;
    let breaks: Vec<Value> = channel
        .ads
        .ad_breaks
        .iter()
        .map(|b| {
            json!({
                "id": b.id,
                "status": if is_running(b) { "active" } else { "completed" },
                "source": b.source,
                "break_duration_seconds": b.break_duration_seconds,
                "created_at": super::rfc3339(b.created_at),
            })
        })
        .collect();
    Ok(Reply::ok(json!({
        "opted_in": channel.ads.opted_in,
        "ads_blocked": channel.ads.ads_blocked,
        "auto_ads_active": channel.ads.auto_ads_active,
        "remaining_ad_breaks": remaining(channel),
        "limits": {"max": channel.ads.max_per_period, "period_seconds": channel.ads.period_seconds},
        "ad_breaks": breaks,
    })))
}

/// `POST /public/v1/ads/ad-break`: `{id?, break_duration_seconds 7–300}`.
pub(crate) fn start_break(ctx: &mut Ctx<'_>) -> Handled {
    let body = ctx.req.json_object()?;
    let duration = body
        .opt_int("break_duration_seconds", 7, 300)?
        .ok_or_else(|| Reply::bad_request("break_duration_seconds is required"))? as u32;
    let id = match body.opt_str("id")? {
        Some(id) if !id.is_empty() => id.to_owned(),
        _ => crate::mock::ids::uuid().to_string(),
    };
    let user = ctx.caller()?.user()?;
    let live = ctx.state.live.contains_key(&user);
    let channel = own_channel(ctx)?;
    if !live {
        return Err(code(StatusCode::BAD_REQUEST, "CHANNEL_IS_NOT_LIVE", "Channel is not live"));
    }
    if !channel.ads.opted_in {
        return Err(code(StatusCode::BAD_REQUEST, "CHANNEL_NOT_OPTED_IN", "Channel is not enrolled in ads"));
    }
    if channel.ads.ads_blocked {
        return Err(code(StatusCode::BAD_REQUEST, "ADS_BLOCKED", "Ads are blocked for this channel"));
    }
    if channel.ads.auto_ads_active {
        return Err(code(StatusCode::BAD_REQUEST, "AUTO_ADS_ACTIVE", "Automatic ads are active"));
    }
    if channel.ads.ad_breaks.iter().any(is_running) {
        return Err(code(StatusCode::CONFLICT, "AD_BREAK_ACTIVE", "An ad break is already running"));
    }
    if remaining(channel) == 0 {
        return Err(code(StatusCode::TOO_MANY_REQUESTS, "MAX_AD_BREAKS_REACHED", "No ad breaks left in this period"));
    }
    channel.ads.ad_breaks.push(MockAdBreak {
        id: id.clone().into(),
        status: "active".to_owned(),
        source: "manual".to_owned(),
        break_duration_seconds: duration,
        created_at: Utc::now(),
    });
    Ok(Reply::ok(json!({"id": id, "remaining_ad_breaks": remaining(channel)})))
}

/// `POST /public/v1/ads/enroll`: refused while live or if the channel never streamed.
pub(crate) fn enroll(ctx: &mut Ctx<'_>) -> Handled {
    let user = ctx.caller()?.user()?;
    let live = ctx.state.live.contains_key(&user);
    let channel = own_channel(ctx)?;
    if live {
        return Err(code(StatusCode::BAD_REQUEST, "CHANNEL_IS_LIVE", "Channel is live"));
    }
    if !channel.ads.ever_streamed {
        return Err(code(StatusCode::BAD_REQUEST, "CHANNEL_NEVER_STREAMED", "Channel has never streamed"));
    }
    channel.ads.opted_in = true;
    Ok(Reply::ok(json!({})))
}
