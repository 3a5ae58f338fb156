//! Swagger 2.0 -> OpenAPI 3.0.3, for the subset of Swagger that swaggo (Kick's generator) emits.

use serde_json::{Map, Value, json};

use super::{API_BASE, BuildResult, SPEC};

const PARAMETER_SCHEMA_KEYS: &[&str] = &[
    "type",
    "format",
    "items",
    "enum",
    "default",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "uniqueItems",
    "pattern",
    "x-kickrs-id",
];

pub fn to_openapi3(swagger: &Value) -> BuildResult<Value> {
    if swagger.get("swagger").and_then(Value::as_str) != Some("2.0") {
        return Err(format!("{SPEC}: expected a Swagger 2.0 document"));
    }
    let mut paths = Map::new();
    for (path, item) in object(swagger, "paths")? {
        let mut converted = Map::new();
        for (method, operation) in item.as_object().ok_or_else(|| format!("path {path} is not an object"))? {
            let op = convert_operation(operation).map_err(|e| format!("{} {path}: {e}", method.to_uppercase()))?;
            converted.insert(method.clone(), op);
        }
        paths.insert(path.clone(), Value::Object(converted));
    }
    let mut schemas = swagger.get("definitions").cloned().unwrap_or_else(|| json!({}));
    let mut doc = json!({
        "openapi": "3.0.3",
        "info": swagger.get("info").cloned().unwrap_or_else(|| json!({"title": "Kick", "version": "1.0.0"})),
        "servers": [{"url": API_BASE}],
        "paths": paths,
        "components": {
            "schemas": schemas.take(),
            "securitySchemes": security_schemes(swagger),
        },
    });
    rewrite_all_refs(&mut doc);
    Ok(doc)
}

fn object<'a>(doc: &'a Value, key: &str) -> BuildResult<&'a Map<String, Value>> {
    doc.get(key).and_then(Value::as_object).ok_or_else(|| format!("{SPEC}: no `{key}` object"))
}

fn convert_operation(op: &Value) -> BuildResult<Value> {
    let mut out = Map::new();
    for key in
        ["operationId", "summary", "description", "tags", "deprecated", "security", "x-added", "x-kickrs-not-in-facade"]
    {
        if let Some(value) = op.get(key) {
            out.insert(key.to_string(), value.clone());
        }
    }
    let mut parameters = Vec::new();
    for param in op.get("parameters").and_then(Value::as_array).into_iter().flatten() {
        let name = param.get("name").and_then(Value::as_str).unwrap_or("?");
        match param.get("in").and_then(Value::as_str) {
            Some("body") => {
                let schema = param.get("schema").cloned().ok_or_else(|| format!("body `{name}` has no schema"))?;
                out.insert(
                    "requestBody".into(),
                    json!({
                        "required": param.get("required").and_then(Value::as_bool).unwrap_or(false),
                        "content": {"application/json": {"schema": schema}},
                    }),
                );
            }
            Some(location @ ("query" | "path" | "header")) => {
                let schema: Map<String, Value> = PARAMETER_SCHEMA_KEYS
                    .iter()
                    .filter_map(|key| param.get(*key).map(|v| (key.to_string(), v.clone())))
                    .collect();
                let mut converted = json!({
                    "name": name,
                    "in": location,
                    "required": location == "path" || param.get("required").and_then(Value::as_bool).unwrap_or(false),
                    "schema": schema,
                });
                if let Some(description) = param.get("description") {
                    converted["description"] = description.clone();
                }
                parameters.push(converted);
            }
            other => return Err(format!("parameter `{name}` in {other:?} is not supported")),
        }
    }
    if !parameters.is_empty() {
        out.insert("parameters".into(), Value::Array(parameters));
    }
    let mut responses = Map::new();
    for (code, response) in op.get("responses").and_then(Value::as_object).into_iter().flatten() {
        let mut converted = json!({
            "description": response.get("description").cloned().unwrap_or_else(|| json!(code)),
        });
        if let Some(schema) = response.get("schema") {
            converted["content"] = json!({"application/json": {"schema": schema}});
        }
        responses.insert(code.clone(), converted);
    }
    if responses.is_empty() {
        return Err("no responses".into());
    }
    out.insert("responses".into(), Value::Object(responses));
    Ok(Value::Object(out))
}

fn security_schemes(swagger: &Value) -> Value {
    let mut schemes = Map::new();
    for (name, scheme) in swagger.get("securityDefinitions").and_then(Value::as_object).into_iter().flatten() {
        let scopes = scheme.get("scopes").cloned().unwrap_or_else(|| json!({}));
        let token_url = scheme.get("tokenUrl").cloned().unwrap_or(Value::Null);
        let flows = match scheme.get("flow").and_then(Value::as_str) {
            Some("application") => json!({"clientCredentials": {"tokenUrl": token_url, "scopes": scopes}}),
            _ => json!({"authorizationCode": {
                "authorizationUrl": scheme.get("authorizationUrl").cloned().unwrap_or(Value::Null),
                "tokenUrl": token_url,
                "scopes": scopes,
            }}),
        };
        let mut converted = json!({"type": "oauth2", "flows": flows});
        if let Some(description) = scheme.get("description") {
            converted["description"] = description.clone();
        }
        schemes.insert(name.clone(), converted);
    }
    Value::Object(schemes)
}

fn rewrite_all_refs(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                match (key.as_str(), child.as_str()) {
                    ("$ref", Some(reference)) if reference.starts_with("#/definitions/") => {
                        *child = Value::String(reference.replacen("#/definitions/", "#/components/schemas/", 1));
                    }
                    _ => rewrite_all_refs(child),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(rewrite_all_refs),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_swagger_operation_becomes_openapi_3() {
        let swagger = json!({
            "swagger": "2.0",
            "paths": {"/public/v1/chat": {"post": {
                "operationId": "send_chat_message",
                "parameters": [
                    {"in": "body", "name": "body", "required": true, "schema": {"$ref": "#/definitions/Chat"}},
                    {"in": "query", "name": "id", "type": "array", "items": {"type": "integer"}, "maxItems": 50},
                ],
                "responses": {"200": {"description": "OK", "schema": {"$ref": "#/definitions/Chat"}}},
            }}},
            "definitions": {"Chat": {"type": "object"}},
        });
        let doc = to_openapi3(&swagger).unwrap();
        let op = &doc["paths"]["/public/v1/chat"]["post"];
        assert_eq!(doc["openapi"], "3.0.3");
        assert_eq!(op["requestBody"]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/Chat");
        assert_eq!(op["requestBody"]["required"], true);
        assert_eq!(
            op["parameters"][0],
            json!({"name": "id", "in": "query", "required": false,
                   "schema": {"type": "array", "items": {"type": "integer"}, "maxItems": 50}})
        );
        assert_eq!(
            op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Chat"
        );
        assert_eq!(doc["components"]["schemas"]["Chat"], json!({"type": "object"}));
    }

    #[test]
    fn an_unsupported_parameter_is_named_with_its_operation() {
        let swagger = json!({"swagger": "2.0", "paths": {"/x": {"post": {
            "parameters": [{"in": "formData", "name": "file"}], "responses": {"200": {"description": "OK"}},
        }}}});
        let error = to_openapi3(&swagger).unwrap_err();
        assert!(error.contains("POST /x") && error.contains("parameter `file`"), "{error}");
    }
}
