//! `GET /public/v1/users`.

use serde_json::{Value, json};

use crate::mock::reply::{Handled, Reply};
use crate::mock::routes::Ctx;

/// Users by repeated `id`, or the token's own user when no id is given.
pub(crate) fn get(ctx: &mut Ctx<'_>) -> Handled {
    let caller = ctx.caller()?;
    let ids = ctx.req.repeated_ids("id", usize::MAX)?;
    let ids = if ids.is_empty() { vec![caller.user()?] } else { ids };
    let data: Vec<Value> = ids
        .iter()
        .filter_map(|id| ctx.state.users.get(id))
        .map(|u| {
            let own = caller.user_id == Some(u.id);
            json!({
                "user_id": u.id,
                "name": u.name,
                "email": if own { u.email.as_str() } else { "" },
                "profile_picture": u.profile_picture,
            })
        })
        .collect();
    Ok(Reply::ok(Value::Array(data)))
}
