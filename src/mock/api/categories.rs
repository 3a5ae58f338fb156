//! Categories: v1 search and lookup (deprecated by Kick, still served) and v2 cursor pages.

use serde_json::{Value, json};

use crate::ids::CategoryId;
use crate::mock::reply::{Handled, Reply};
use crate::mock::request::check_len;
use crate::mock::routes::Ctx;
use crate::mock::state::{MockCategory, State};

fn viewers(state: &State, category_id: CategoryId) -> u64 {
    state
        .live
        .values()
        .filter(|l| state.channels.get(&l.broadcaster_user_id).and_then(|c| c.category_id) == Some(category_id))
        .map(|l| l.viewer_count)
        .sum()
}

/// `GET /public/v1/categories?q=..&page=..`: up to 100 name matches per page.
pub(crate) fn search_v1(ctx: &mut Ctx<'_>) -> Handled {
    let q = ctx.req.one("q")?.filter(|q| !q.is_empty()).ok_or_else(|| Reply::bad_request("q is required"))?;
    let page = ctx.req.int_in("page", 1, i64::MAX)?.unwrap_or(1) as usize;
    let needle = q.to_lowercase();
    let data: Vec<Value> = ctx
        .state
        .categories
        .values()
        .filter(|c| c.name.to_lowercase().contains(&needle))
        .skip((page - 1).saturating_mul(100))
        .take(100)
        .map(|c| json!({"id": c.id, "name": c.name, "thumbnail": c.thumbnail}))
        .collect();
    Ok(Reply::ok(Value::Array(data)))
}

/// `GET /public/v1/categories/{category_id}`.
pub(crate) fn get_v1(ctx: &mut Ctx<'_>) -> Handled {
    let id: CategoryId = ctx
        .param
        .parse()
        .map_err(|_| Reply::bad_request(format!("category_id must be an integer (got {:?})", ctx.param)))?;
    let c = ctx.state.categories.get(&id).ok_or_else(|| Reply::not_found("Category not found"))?;
    Ok(Reply::ok(json!({
        "id": c.id,
        "name": c.name,
        "thumbnail": c.thumbnail,
        "tags": c.tags,
        "viewer_count": viewers(ctx.state, c.id),
    })))
}

/// `GET /public/v2/categories`: comma-joined `name`, `tag`, `id`; `limit` 1–1000; cursor pages.
pub(crate) fn list_v2(ctx: &mut Ctx<'_>) -> Handled {
    let req = ctx.req;
    let offset = req.cursor()?;
    let limit = req.int_in("limit", 1, 1000)?.unwrap_or(25) as usize;
    let names = req.comma_joined("name")?;
    let tags = req.comma_joined("tag")?;
    for name in &names {
        check_len("name", name, 3, 100)?;
    }
    for tag in &tags {
        check_len("tag", tag, 3, 100)?;
    }
    let ids = req
        .comma_joined("id")?
        .into_iter()
        .map(|v| match v.parse::<u64>() {
            Ok(n) if n >= 1 => Ok(CategoryId::new(n)),
            _ => Err(Reply::bad_request(format!("id must be an integer of at least 1 (got {v:?})"))),
        })
        .collect::<Result<Vec<CategoryId>, Reply>>()?;
    if !ids.is_empty() && (!names.is_empty() || !tags.is_empty()) {
        return Err(Reply::bad_request("Invalid parameters or mixed parameter types"));
    }
    let lower = |v: &[&str]| v.iter().map(|s| s.to_lowercase()).collect::<Vec<_>>();
    let (names, tags) = (lower(&names), lower(&tags));
    let wanted = |c: &MockCategory| {
        if !ids.is_empty() {
            return ids.contains(&c.id);
        }
        let name_ok = names.is_empty() || names.iter().any(|n| c.name.to_lowercase().contains(n));
        let tag_ok = tags.is_empty() || c.tags.iter().any(|t| tags.contains(&t.to_lowercase()));
        name_ok && tag_ok
    };
    let matching: Vec<Value> = ctx
        .state
        .categories
        .values()
        .filter(|c| wanted(c))
        .map(|c| json!({"id": c.id, "name": c.name, "thumbnail": c.thumbnail, "tags": c.tags}))
        .collect();
    let (page, next) = super::paginate(matching, offset, limit);
    Ok(Reply::page(page, next))
}
