//! OpenAPI Overlay 1.0: each action's target is an RFC 9535 JSONPath query (the `serde_json_path` crate).

use serde_json::Value;
use serde_json_path::{JsonPath, PathElement};

use super::{BuildResult, OVERLAY};

pub fn apply(doc: &mut Value, overlay: &Value) -> BuildResult<()> {
    if overlay.get("overlay").and_then(Value::as_str) != Some("1.0.0") {
        return Err(format!("{OVERLAY}: expected `overlay: 1.0.0`"));
    }
    let actions =
        overlay.get("actions").and_then(Value::as_array).ok_or_else(|| format!("{OVERLAY}: no `actions` list"))?;
    for (index, action) in actions.iter().enumerate() {
        apply_action(doc, action).map_err(|e| {
            let target = action.get("target").and_then(Value::as_str).unwrap_or("?");
            format!("{OVERLAY}, action #{} (target `{target}`): {e}", index + 1)
        })?;
    }
    Ok(())
}

fn apply_action(doc: &mut Value, action: &Value) -> BuildResult<()> {
    let target = action.get("target").and_then(Value::as_str).ok_or("no `target`")?;
    if action.get("description").and_then(Value::as_str).is_none_or(str::is_empty) {
        return Err("every correction needs a one-line `description` saying why".into());
    }
    let found = select(doc, target)?;
    if found.is_empty() {
        return Err("matches nothing in the spec (stale correction?)".into());
    }
    if action.get("remove").and_then(Value::as_bool) == Some(true) {
        for location in found.iter().rev() {
            remove_at(doc, location)?;
        }
    } else if let Some(update) = action.get("update") {
        for location in &found {
            merge(get_mut(doc, location)?, update);
        }
    } else if let Some(replacement) = action.get("x-replace") {
        for location in &found {
            *get_mut(doc, location)? = replacement.clone();
        }
    } else if let Some(new_name) = action.get("x-rename").and_then(Value::as_str) {
        rename_definitions(doc, &found, new_name, false)?;
    } else if let Some(into) = action.get("x-merge-into").and_then(Value::as_str) {
        rename_definitions(doc, &found, into, true)?;
    } else {
        return Err("needs one of `update`, `remove: true`, `x-replace`, `x-rename`, `x-merge-into`".into());
    }
    Ok(())
}

/// Overlay `update`: objects merge recursively, anything else is replaced.
fn merge(into: &mut Value, update: &Value) {
    match (into, update) {
        (Value::Object(base), Value::Object(patch)) => {
            for (key, value) in patch {
                match base.get_mut(key) {
                    Some(existing) => merge(existing, value),
                    None => {
                        base.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (slot, value) => *slot = value.clone(),
    }
}

fn rename_definitions(doc: &mut Value, found: &[Vec<Key>], new_name: &str, merge_into: bool) -> BuildResult<()> {
    for location in found {
        let [Key::Name(root), Key::Name(old_name)] = location.as_slice() else {
            return Err("x-rename / x-merge-into must target one definition".into());
        };
        let definitions = doc.get_mut(root.as_str()).and_then(Value::as_object_mut).ok_or("no definitions")?;
        let exists = definitions.contains_key(new_name);
        if merge_into && !exists {
            return Err(format!("cannot merge into `{new_name}`: no such definition"));
        }
        if !merge_into && exists {
            return Err(format!("cannot rename to `{new_name}`: the name is taken (use x-merge-into)"));
        }
        let schema = definitions.remove(old_name.as_str()).ok_or("definition vanished")?;
        if !merge_into {
            definitions.insert(new_name.to_string(), schema);
        }
        let from = format!("#/{root}/{old_name}");
        let to = format!("#/{root}/{new_name}");
        rewrite_refs(doc, &from, &to);
    }
    Ok(())
}

pub fn rewrite_refs(value: &mut Value, from: &str, to: &str) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if key == "$ref" && child.as_str() == Some(from) {
                    *child = Value::String(to.to_string());
                } else {
                    rewrite_refs(child, from, to);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|child| rewrite_refs(child, from, to)),
        _ => {}
    }
}

/// Every location `target` matches, each once, sorted (so that removals go from the last index back).
fn select(doc: &Value, target: &str) -> BuildResult<Vec<Vec<Key>>> {
    let path = JsonPath::parse(target).map_err(|e| format!("not an RFC 9535 JSONPath: {e}"))?;
    let mut found: Vec<Vec<Key>> = path
        .query_located(doc)
        .locations()
        .map(|location| {
            location
                .iter()
                .map(|step| match step {
                    PathElement::Name(name) => Key::Name(name.to_string()),
                    PathElement::Index(index) => Key::Index(*index),
                })
                .collect()
        })
        .collect();
    found.sort();
    found.dedup();
    Ok(found)
}

/// A concrete step to a node: an object key or an array index.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Key {
    Name(String),
    Index(usize),
}

fn get_mut<'a>(doc: &'a mut Value, location: &[Key]) -> BuildResult<&'a mut Value> {
    let mut node = doc;
    for key in location {
        node = match key {
            Key::Name(name) => node.get_mut(name.as_str()),
            Key::Index(index) => node.get_mut(*index),
        }
        .ok_or("path vanished while applying")?;
    }
    Ok(node)
}

fn remove_at(doc: &mut Value, location: &[Key]) -> BuildResult<()> {
    let (last, parent) = location.split_last().ok_or("cannot remove the whole document")?;
    match (get_mut(doc, parent)?, last) {
        (Value::Object(map), Key::Name(name)) => {
            map.remove(name.as_str());
        }
        (Value::Array(items), Key::Index(index)) if *index < items.len() => {
            items.remove(*index);
        }
        _ => return Err("path vanished while removing".into()),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn overlay(actions: Value) -> Value {
        json!({"overlay": "1.0.0", "actions": actions})
    }

    fn spec() -> Value {
        json!({
            "paths": {"/a": {"get": {"parameters": [{"name": "id"}, {"name": "slug"}, {"name": "id"}]}}},
            "definitions": {"endpoints.Old": {"type": "object"}, "Other": {"$ref": "#/definitions/endpoints.Old"}},
        })
    }

    #[test]
    fn filters_unions_and_wildcards_select_as_rfc_9535_says() {
        let mut doc = spec();
        apply(&mut doc, &overlay(json!([
            {"target": "$.paths['/a'].get.parameters[?(@.name=='id')]", "update": {"maxItems": 5}, "description": "d"},
            {"target": "$.paths.*.*.parameters[?@.name=='slug']", "update": {"in": "query"}, "description": "d"},
            {"target": "$.paths['/a']['get','put'].parameters[1]", "update": {"x": 1}, "description": "d"},
        ]))).unwrap();
        let params = &doc["paths"]["/a"]["get"]["parameters"];
        assert_eq!(params[0], json!({"name": "id", "maxItems": 5}));
        assert_eq!(params[1], json!({"name": "slug", "in": "query", "x": 1}));
        assert_eq!(params[2], json!({"name": "id", "maxItems": 5}));
    }

    #[test]
    fn removals_of_several_array_items_keep_the_rest() {
        let mut doc = spec();
        let remove =
            json!([{"target": "$.paths['/a'].get.parameters[?@.name=='id']", "remove": true, "description": "d"}]);
        apply(&mut doc, &overlay(remove)).unwrap();
        assert_eq!(doc["paths"]["/a"]["get"]["parameters"], json!([{"name": "slug"}]));
    }

    #[test]
    fn a_rename_moves_the_definition_and_every_ref() {
        let mut doc = spec();
        let rename = json!([{"target": "$.definitions['endpoints.Old']", "x-rename": "New", "description": "d"}]);
        apply(&mut doc, &overlay(rename)).unwrap();
        assert_eq!(doc["definitions"]["New"], json!({"type": "object"}));
        assert_eq!(doc["definitions"]["Other"]["$ref"], "#/definitions/New");
        assert!(doc["definitions"].get("endpoints.Old").is_none());
    }

    #[test]
    fn a_target_that_is_not_jsonpath_or_matches_nothing_is_named() {
        let bad = json!([{"target": "$.paths[?(@.name==)]", "remove": true, "description": "d"}]);
        let error = apply(&mut spec(), &overlay(bad)).unwrap_err();
        assert!(error.contains("action #1") && error.contains("not an RFC 9535 JSONPath"), "{error}");
        let stale = json!([{"target": "$.paths['/b']", "remove": true, "description": "d"}]);
        let error = apply(&mut spec(), &overlay(stale)).unwrap_err();
        assert!(error.contains("$.paths['/b']") && error.contains("matches nothing"), "{error}");
    }

    #[test]
    fn an_action_without_a_reason_is_refused() {
        let error = apply(&mut spec(), &overlay(json!([{"target": "$.paths", "remove": true}]))).unwrap_err();
        assert!(error.contains("needs a one-line `description`"), "{error}");
    }
}
