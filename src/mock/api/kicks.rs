//! `GET /public/v1/kicks/leaderboard`.

use serde_json::{Value, json};

use crate::mock::reply::{Handled, Reply};
use crate::mock::routes::Ctx;
use crate::mock::state::KicksEntry;

/// The token user's board: `top` 1–100 (default 10) per window, highest first.
pub(crate) fn leaderboard(ctx: &mut Ctx<'_>) -> Handled {
    let user = ctx.caller()?.user()?;
    let top = ctx.req.int_in("top", 1, 100)?.unwrap_or(10) as usize;
    let state = &*ctx.state;
    let board = |amount: fn(&KicksEntry) -> u64| -> Vec<Value> {
        let mut entries: Vec<&KicksEntry> =
            state.kicks.iter().filter(|k| k.broadcaster_user_id == user && amount(k) > 0).collect();
        entries.sort_by(|a, b| amount(b).cmp(&amount(a)).then(a.user_id.cmp(&b.user_id)));
        entries
            .into_iter()
            .take(top)
            .enumerate()
            .map(|(i, k)| {
                json!({
                    "rank": i + 1,
                    "user_id": k.user_id,
                    "username": state.users.get(&k.user_id).map_or("", |u| u.name.as_str()),
                    "gifted_amount": amount(k),
                })
            })
            .collect()
    };
    Ok(Reply::ok(json!({
        "lifetime": board(|k| k.lifetime),
        "month": board(|k| k.month),
        "week": board(|k| k.week),
    })))
}
