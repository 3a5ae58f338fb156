//! Drops claims: the list (Kick's `{data: {claims, cursor}}` page) and the status update (204), for
//! the app of an organization only; any other app gets Kick's 401 `{"data": null, "message": "Unauthorized"}`.

use std::collections::HashSet;

use chrono::Utc;
use http::StatusCode;
use serde_json::{Value, json};

use crate::mock::reply::{Handled, Reply};
use crate::mock::routes::Ctx;
use crate::mock::state::MockDropsClaim;
use crate::validate::{DROPS_CLAIM_UPDATES_PER_REQUEST, DROPS_CLAIMS_LIMIT_MAX};

/// Kick's default page size for claims.
const DEFAULT_LIMIT: i64 = 10;

pub(crate) fn claim_json(claim: &MockDropsClaim) -> Value {
    json!({
        "claim_id": claim.claim_id,
        "user_id": claim.user_id,
        "campaign_id": claim.campaign_id,
        "reward_id": claim.reward_id,
        "external_id": claim.external_id.clone().unwrap_or_default(),
        "external_status": claim.external_status,
        "created_at": super::rfc3339(claim.created_at),
        "updated_at": super::rfc3339(claim.updated_at),
    })
}

/// The claim webhook's body as Kick documents it: `{claim_id, user_id, campaign_id, reward_id,
/// external_id?}` (no `external_id` when the reward has none).
pub(crate) fn claim_webhook_body(claim: &MockDropsClaim) -> String {
    let mut body = json!({
        "claim_id": claim.claim_id,
        "user_id": claim.user_id,
        "campaign_id": claim.campaign_id,
        "reward_id": claim.reward_id,
    });
    if let (Some(external_id), Some(map)) = (&claim.external_id, body.as_object_mut()) {
        map.insert("external_id".to_owned(), json!(external_id));
    }
    body.to_string()
}

/// Kick's answer to an app that is not an organization's (its docs show only this 401 for Drops).
fn unauthorized() -> Reply {
    Reply::error(StatusCode::UNAUTHORIZED, Value::Null, "Unauthorized")
}

/// The caller's organization id, or Kick's 401.
fn organization(ctx: &Ctx<'_>) -> Result<String, Reply> {
    let caller = ctx.caller()?;
    ctx.state.organization_of(&caller.client_id).map(|org| org.id.clone()).ok_or_else(unauthorized)
}

/// `GET ?campaign_id&user_id&claim_id&external_status&limit&cursor`: the organization's claims in the
/// order they were made, starting after the claim named by `cursor`.
pub(crate) fn list(ctx: &mut Ctx<'_>) -> Handled {
    let org = organization(ctx)?;
    let req = ctx.req;
    let limit = req.int_in("limit", 1, i64::from(DROPS_CLAIMS_LIMIT_MAX))?.unwrap_or(DEFAULT_LIMIT) as usize;
    let user_id = req.int_in("user_id", 1, i64::MAX)?.map(|n| n as u64);
    let campaign_id = req.one("campaign_id")?;
    let claim_id = req.one("claim_id")?;
    let external_status = req.one("external_status")?;
    let cursor = req.one("cursor")?.filter(|c| !c.is_empty());
    let state = &*ctx.state;
    let mine: Vec<&MockDropsClaim> = state
        .drops_claims
        .iter()
        .filter(|c| state.campaign_of(&c.campaign_id, &org))
        .filter(|c| campaign_id.is_none_or(|id| c.campaign_id == id))
        .filter(|c| user_id.is_none_or(|id| c.user_id == id))
        .filter(|c| claim_id.is_none_or(|id| c.claim_id == id))
        .filter(|c| external_status.is_none_or(|status| c.external_status == status))
        .collect();
    let start = match cursor {
        None => 0,
        Some(cursor) => match state.drops_claims.iter().position(|c| c.claim_id == cursor) {
            // The page starts after the cursor's claim, wherever the filters put it.
            Some(at) => mine.iter().take_while(|c| claim_index(state, c) <= at).count(),
            None => return Err(Reply::bad_request(format!("cursor {cursor} is not a claim id"))),
        },
    };
    let page: Vec<&MockDropsClaim> = mine.iter().skip(start).take(limit).copied().collect();
    let more = start + page.len() < mine.len();
    let cursor = match page.last() {
        Some(last) if more => last.claim_id.to_string(),
        _ => String::new(),
    };
    let claims: Vec<Value> = page.into_iter().map(claim_json).collect();
    Ok(Reply::ok(json!({"claims": claims, "cursor": cursor})))
}

fn claim_index(state: &crate::mock::state::State, claim: &MockDropsClaim) -> usize {
    state.drops_claims.iter().position(|c| c.claim_id == claim.claim_id).unwrap_or(usize::MAX)
}

/// `PATCH {"claims": [{claim_id, external_status}]}`: 1 to 100 unique claims of the organization,
/// each object with exactly those two fields; 204. Nothing changes unless every update is valid.
pub(crate) fn update(ctx: &mut Ctx<'_>) -> Handled {
    let org = organization(ctx)?;
    let body = ctx.req.json_object()?;
    let claims = body.opt_array("claims")?.ok_or_else(|| Reply::bad_request("claims is required"))?;
    if claims.is_empty() || claims.len() > DROPS_CLAIM_UPDATES_PER_REQUEST {
        return Err(Reply::bad_request(format!(
            "claims must hold 1 to {DROPS_CLAIM_UPDATES_PER_REQUEST} items (got {})",
            claims.len()
        )));
    }
    let mut updates = Vec::with_capacity(claims.len());
    let mut seen = HashSet::new();
    for (index, item) in claims.iter().enumerate() {
        let Some(object) = item.as_object() else {
            return Err(Reply::bad_request(format!("claims[{index}] must be an object")));
        };
        if let Some(extra) = object.keys().find(|k| *k != "claim_id" && *k != "external_status") {
            return Err(Reply::bad_request(format!(
                "claims[{index}] may hold only claim_id and external_status (got {extra})"
            )));
        }
        let text = |field: &str| object.get(field).and_then(Value::as_str).filter(|s| !s.trim().is_empty());
        let (Some(claim_id), Some(status)) = (text("claim_id"), text("external_status")) else {
            return Err(Reply::bad_request(format!("claims[{index}] needs a claim_id and an external_status")));
        };
        if !seen.insert(claim_id) {
            return Err(Reply::bad_request(format!("claim {claim_id} is listed more than once")));
        }
        let known = ctx
            .state
            .drops_claims
            .iter()
            .any(|c| c.claim_id == claim_id && ctx.state.campaign_of(&c.campaign_id, &org));
        if !known {
            return Err(Reply::bad_request(format!("claim {claim_id} not found")));
        }
        updates.push((claim_id.to_owned(), status.to_owned()));
    }
    let now = Utc::now();
    for (claim_id, status) in updates {
        if let Some(claim) = ctx.state.drops_claims.iter_mut().find(|c| c.claim_id == claim_id) {
            claim.external_status = status;
            claim.updated_at = now;
        }
    }
    Ok(Reply::no_content())
}
