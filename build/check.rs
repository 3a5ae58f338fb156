//! Checks that name the operation or schema at fault before the generator sees the document.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{BuildResult, OVERLAY};

/// One operation of the final document, as the client's token and retry policy needs it.
#[derive(Debug)]
pub struct Operation {
    pub id: String,
    pub method: String,
    pub path: String,
    /// Scopes a user token needs (any one of them); empty when any user token will do.
    pub user_scopes: Vec<String>,
    pub user_token: bool,
    pub app_token: bool,
    pub deprecated: bool,
    pub added: Option<String>,
    /// Why the facade leaves this operation to `kickrs::raw` (set by a correction).
    pub not_in_facade: Option<String>,
}

pub fn operations(doc: &Value) -> BuildResult<Vec<Operation>> {
    let schemas = &doc["components"]["schemas"];
    let mut dangling = Vec::new();
    find_dangling_refs(doc, schemas, "", &mut dangling);
    if let Some((at, name)) = dangling.first() {
        return Err(format!("schema `{name}` is referenced at {at} but not defined"));
    }
    let mut seen = BTreeMap::new();
    let mut operations = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            let where_ = format!("{} {path}", method.to_uppercase());
            let id = op
                .get("operationId")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("operation {where_} has no operationId (add one in {OVERLAY})"))?;
            if let Some(other) = seen.insert(id.to_string(), where_.clone()) {
                return Err(format!("operationId `{id}` is used by both {other} and {where_}"));
            }
            for param in op.get("parameters").and_then(Value::as_array).into_iter().flatten() {
                let schema = &param["schema"];
                if schema.get("type").and_then(Value::as_str) == Some("array") {
                    for key in ["format", "minLength", "maxLength", "minimum", "maximum", "pattern"] {
                        if schema.get(key).is_some() {
                            return Err(format!(
                                "operation `{id}` ({where_}): array parameter `{}` has `{key}` on the array; it belongs in `items`",
                                param["name"].as_str().unwrap_or("?")
                            ));
                        }
                    }
                }
            }
            operations.push(describe(id, method, path, op));
        }
    }
    Ok(operations)
}

fn describe(id: &str, method: &str, path: &str, op: &Value) -> Operation {
    let mut user_scopes = Vec::new();
    let (mut user_token, mut app_token) = (false, false);
    for requirement in op.get("security").and_then(Value::as_array).into_iter().flatten() {
        for (scheme, scopes) in requirement.as_object().into_iter().flatten() {
            if scheme == "AppAccessToken" {
                app_token = true;
            } else {
                user_token = true;
                user_scopes.extend(scopes.as_array().into_iter().flatten().filter_map(Value::as_str).map(String::from));
            }
        }
    }
    Operation {
        id: id.to_string(),
        method: method.to_uppercase(),
        path: path.to_string(),
        user_scopes,
        user_token,
        app_token,
        deprecated: op.get("deprecated").and_then(Value::as_bool).unwrap_or(false),
        added: op.get("x-added").and_then(Value::as_str).map(String::from),
        not_in_facade: op.get("x-kickrs-not-in-facade").and_then(Value::as_str).map(String::from),
    }
}

fn find_dangling_refs(value: &Value, schemas: &Value, at: &str, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                if let ("$ref", Some(reference)) = (key.as_str(), child.as_str()) {
                    let name = reference.trim_start_matches("#/components/schemas/");
                    if schemas.get(name).is_none() {
                        out.push((at.to_string(), name.to_string()));
                    }
                } else {
                    find_dangling_refs(child, schemas, &format!("{at}/{key}"), out);
                }
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                find_dangling_refs(child, schemas, &format!("{at}/{index}"), out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_operation_carries_its_tokens_and_scopes() {
        let doc = json!({"paths": {"/public/v1/chat": {"post": {
            "operationId": "send_chat_message",
            "security": [{"AppAccessToken": []}, {"UserAccessToken": ["chat:write"]}],
            "x-added": "later",
        }}}});
        let ops = operations(&doc).unwrap();
        assert_eq!((ops[0].id.as_str(), ops[0].method.as_str()), ("send_chat_message", "POST"));
        assert!(ops[0].app_token && ops[0].user_token);
        assert_eq!(ops[0].user_scopes, ["chat:write"]);
        assert_eq!(ops[0].added.as_deref(), Some("later"));
    }

    #[test]
    fn faults_are_named_before_the_generator_runs() {
        let dangling = json!({"paths": {"/a": {"get": {"operationId": "a", "responses": {"200":
            {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Gone"}}}}}}}}});
        assert!(operations(&dangling).unwrap_err().contains("schema `Gone` is referenced"));

        let twice = json!({"paths": {"/a": {"get": {"operationId": "x"}}, "/b": {"get": {"operationId": "x"}}}});
        assert!(operations(&twice).unwrap_err().contains("`x` is used by both GET /a and GET /b"));

        let array_format = json!({"paths": {"/a": {"get": {"operationId": "a", "parameters": [
            {"name": "id", "schema": {"type": "array", "format": "ulid", "items": {"type": "string"}}}]}}}});
        let error = operations(&array_format).unwrap_err();
        assert!(error.contains("array parameter `id` has `format` on the array"), "{error}");
    }
}
