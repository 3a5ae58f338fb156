//! Shape changes that keep the wire meaning but suit the generator.

use serde_json::{Map, Value, json};

use super::BuildResult;

/// Kick writes envelopes as `allOf: [{$ref: KickResponse}, {properties: {data: T}}]`; typify cannot
/// reconcile the two `data` properties, so object-only allOfs become one object (later members win).
pub fn flatten_all_of(doc: &mut Value) -> BuildResult<()> {
    let schemas = doc["components"]["schemas"].clone();
    flatten(doc, &schemas)
}

fn flatten(value: &mut Value, schemas: &Value) -> BuildResult<()> {
    match value {
        Value::Object(map) => {
            if let Some(Value::Array(members)) = map.get("allOf") {
                let mut properties = Map::new();
                let mut required: Vec<Value> = Vec::new();
                for member in members {
                    let resolved = resolve(member, schemas)?;
                    for (name, schema) in resolved.get("properties").and_then(Value::as_object).into_iter().flatten() {
                        properties.insert(name.clone(), schema.clone());
                    }
                    for name in resolved.get("required").and_then(Value::as_array).into_iter().flatten() {
                        if !required.contains(name) {
                            required.push(name.clone());
                        }
                    }
                }
                map.remove("allOf");
                map.insert("type".into(), json!("object"));
                map.insert("properties".into(), Value::Object(properties));
                if !required.is_empty() {
                    map.insert("required".into(), Value::Array(required));
                }
            }
            for child in map.values_mut() {
                flatten(child, schemas)?;
            }
        }
        Value::Array(items) => {
            for child in items {
                flatten(child, schemas)?;
            }
        }
        _ => {}
    }
    Ok(())
}

fn resolve<'a>(schema: &'a Value, schemas: &'a Value) -> BuildResult<&'a Value> {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let name = reference.trim_start_matches("#/components/schemas/");
            schemas.get(name).ok_or_else(|| format!("schema `{name}` is referenced but not defined"))
        }
        None => Ok(schema),
    }
}

/// `x-kickrs-id: UserId` (set by the overlay's typed-id table) becomes typify's `x-rust-type`, so the
/// field or parameter is generated as `kickrs::ids::UserId`; on an array it types the items.
pub fn typed_ids(value: &mut Value) -> BuildResult<()> {
    match value {
        Value::Object(map) => {
            if let Some(marker) = map.remove("x-kickrs-id") {
                let name = marker.as_str().ok_or("x-kickrs-id names a type in kickrs::ids")?;
                let rust_type = json!({"crate": "kickrs", "version": "*", "path": format!("kickrs::ids::{name}")});
                let target = match map.get_mut("items") {
                    Some(Value::Object(items)) => items,
                    _ => &mut *map,
                };
                target.insert("x-rust-type".into(), rust_type);
            }
            map.values_mut().try_for_each(typed_ids)
        }
        Value::Array(items) => items.iter_mut().try_for_each(typed_ids),
        _ => Ok(()),
    }
}

/// Feature `deny-unknown-fields`: every object with declared properties refuses extra keys, so a CI
/// job notices the day Kick adds a field.
pub fn deny_unknown_fields(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.get("type").and_then(Value::as_str) == Some("object") && map.contains_key("properties") {
                map.entry("additionalProperties").or_insert(json!(false));
            }
            map.values_mut().for_each(deny_unknown_fields);
        }
        Value::Array(items) => items.iter_mut().for_each(deny_unknown_fields),
        _ => {}
    }
}
