//! Generates kickrs' raw bindings from Kick's vendored spec.
//!
//! openapi/kick-swagger.yaml (Kick's Swagger 2.0, unchanged)
//!   -> openapi/corrections.overlay.yaml (OpenAPI Overlay 1.0: every correction, one action each)
//!   -> OpenAPI 3.0 (progenitor reads nothing else)
//!   -> progenitor -> $OUT_DIR/kick_raw.rs, plus the operation table and the final document.
//!
//! Any fault in the spec or a correction stops the build with a message naming the action, operation or
//! schema at fault, never a backtrace from inside the generator.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

const SPEC: &str = "openapi/kick-swagger.yaml";
const OVERLAY: &str = "openapi/corrections.overlay.yaml";
const API_BASE: &str = "https://api.kick.com";

type BuildResult<T> = Result<T, String>;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=openapi");
    if let Err(message) = run() {
        eprintln!("\nkickrs build: {message}\n");
        std::process::exit(1);
    }
}

fn run() -> BuildResult<()> {
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").map_err(|e| format!("OUT_DIR: {e}"))?);
    let deny_unknown = std::env::var_os("CARGO_FEATURE_DENY_UNKNOWN_FIELDS").is_some();

    let (oas3, operations) = pipeline(&read_yaml(Path::new(SPEC))?, &read_yaml(Path::new(OVERLAY))?, deny_unknown)?;
    let spec_json = serde_json::to_string_pretty(&oas3).map_err(|e| e.to_string())?;
    write(&out_dir.join("kick-openapi3.json"), &spec_json)?;
    write(&out_dir.join("kick_operations.rs"), &operation_table(&operations))?;
    #[cfg(not(test))]
    write(&out_dir.join("kick_raw.rs"), &generate::bindings(&oas3, &operations)?)?;
    Ok(())
}

/// Vendored Swagger 2.0 + corrections -> the OpenAPI 3.0 document progenitor reads, and its operations.
/// (Also run by the spec drift tests, which include this file.)
pub fn pipeline(spec: &Value, corrections: &Value, deny_unknown: bool) -> BuildResult<(Value, Vec<Operation>)> {
    let mut swagger = spec.clone();
    overlay::apply(&mut swagger, corrections)?;
    let mut oas3 = convert::to_openapi3(&swagger)?;
    normalize::flatten_all_of(&mut oas3)?;
    if deny_unknown {
        normalize::deny_unknown_fields(&mut oas3);
    }
    let operations = check::operations(&oas3)?;
    Ok((oas3, operations))
}

pub fn read_yaml(path: &Path) -> BuildResult<Value> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_yaml_ng::from_str(&text).map_err(|e| format!("{} is not valid YAML: {e}", path.display()))
}

fn write(path: &Path, contents: &str) -> BuildResult<()> {
    std::fs::write(path, contents).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

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

fn operation_table(operations: &[Operation]) -> String {
    let mut out = String::from(
        "/// Every operation of the corrected spec, in path order.\npub const OPERATIONS: &[Operation] = &[\n",
    );
    for op in operations {
        let _ = writeln!(
            out,
            "    Operation {{ id: {:?}, method: {:?}, path: {:?}, user_scopes: &{:?}, user_token: {}, app_token: {}, deprecated: {}, added: {:?}, not_in_facade: {:?} }},",
            op.id,
            op.method,
            op.path,
            op.user_scopes,
            op.user_token,
            op.app_token,
            op.deprecated,
            op.added,
            op.not_in_facade
        );
    }
    out.push_str("];\n\n/// The index of an operation in [`OPERATIONS`] (a `match`, so a lookup costs no scan).\n");
    out.push_str("fn operation_index(id: &str) -> Option<usize> {\n    match id {\n");
    for (index, op) in operations.iter().enumerate() {
        let _ = writeln!(out, "        {:?} => Some({index}),", op.id);
    }
    out.push_str("        _ => None,\n    }\n}\n");
    out
}

/// OpenAPI Overlay 1.0, with the JSONPath subset the corrections use.
mod overlay {
    use super::*;

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
        let path = jsonpath::parse(target)?;
        let found = jsonpath::select(doc, &path);
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

    /// A concrete step to a node: an object key or an array index.
    #[derive(Clone, Debug)]
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

    pub mod jsonpath {
        use super::super::BuildResult;
        use super::Key;
        use serde_json::Value;

        #[derive(Debug)]
        pub enum Segment {
            Names(Vec<String>),
            Wildcard,
            Index(usize),
            Filter { key: String, value: String },
        }

        pub fn parse(text: &str) -> BuildResult<Vec<Segment>> {
            let mut rest = text.strip_prefix('$').ok_or("a target starts with `$`")?;
            let mut segments = Vec::new();
            while !rest.is_empty() {
                if let Some(after) = rest.strip_prefix(".*") {
                    segments.push(Segment::Wildcard);
                    rest = after;
                } else if let Some(after) = rest.strip_prefix('.') {
                    let end = after.find(['.', '[']).unwrap_or(after.len());
                    segments.push(Segment::Names(vec![after[..end].to_string()]));
                    rest = &after[end..];
                } else if let Some(after) = rest.strip_prefix("[?(@.") {
                    let end = after.find(")]").ok_or("unclosed filter")?;
                    let (key, value) = after[..end].split_once("==").ok_or("filters compare with ==")?;
                    segments.push(Segment::Filter {
                        key: key.trim().to_string(),
                        value: value.trim().trim_matches(['\'', '"']).to_string(),
                    });
                    rest = &after[end + 2..];
                } else if let Some(after) = rest.strip_prefix('[') {
                    let end = after.find(']').ok_or("unclosed [")?;
                    let inner = &after[..end];
                    segments.push(if inner == "*" {
                        Segment::Wildcard
                    } else if let Ok(index) = inner.parse() {
                        Segment::Index(index)
                    } else {
                        Segment::Names(
                            inner.split(',').map(|name| name.trim().trim_matches(['\'', '"']).to_string()).collect(),
                        )
                    });
                    rest = &after[end + 1..];
                } else {
                    return Err(format!("cannot read `{rest}`"));
                }
            }
            Ok(segments)
        }

        /// Every location the path matches, in document order.
        pub fn select(doc: &Value, path: &[Segment]) -> Vec<Vec<Key>> {
            let mut current: Vec<(Vec<Key>, &Value)> = vec![(Vec::new(), doc)];
            for segment in path {
                let mut next = Vec::new();
                for (location, node) in current {
                    match (segment, node) {
                        (Segment::Names(names), Value::Object(map)) => {
                            for name in names {
                                if let Some(child) = map.get(name) {
                                    next.push((extend(&location, Key::Name(name.clone())), child));
                                }
                            }
                        }
                        (Segment::Wildcard, Value::Object(map)) => {
                            for (name, child) in map {
                                next.push((extend(&location, Key::Name(name.clone())), child));
                            }
                        }
                        (Segment::Wildcard, Value::Array(items)) => {
                            for (index, child) in items.iter().enumerate() {
                                next.push((extend(&location, Key::Index(index)), child));
                            }
                        }
                        (Segment::Index(index), Value::Array(items)) => {
                            if let Some(child) = items.get(*index) {
                                next.push((extend(&location, Key::Index(*index)), child));
                            }
                        }
                        (Segment::Filter { key, value }, Value::Array(items)) => {
                            for (index, child) in items.iter().enumerate() {
                                if child.get(key).and_then(Value::as_str) == Some(value.as_str()) {
                                    next.push((extend(&location, Key::Index(index)), child));
                                }
                            }
                        }
                        _ => {}
                    }
                }
                current = next;
            }
            current.into_iter().map(|(location, _)| location).collect()
        }

        fn extend(location: &[Key], key: Key) -> Vec<Key> {
            let mut at = location.to_vec();
            at.push(key);
            at
        }
    }
}

/// Swagger 2.0 -> OpenAPI 3.0.3, for the subset of Swagger that swaggo (Kick's generator) emits.
mod convert {
    use super::*;

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
        for key in [
            "operationId",
            "summary",
            "description",
            "tags",
            "deprecated",
            "security",
            "x-added",
            "x-kickrs-not-in-facade",
        ] {
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
}

/// Shape changes that keep the wire meaning but suit the generator.
mod normalize {
    use super::*;

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
                        for (name, schema) in
                            resolved.get("properties").and_then(Value::as_object).into_iter().flatten()
                        {
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
}

/// Checks that name the operation or schema at fault before the generator sees the document.
mod check {
    use super::*;

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
                    user_scopes
                        .extend(scopes.as_array().into_iter().flatten().filter_map(Value::as_str).map(String::from));
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
}

/// Runs progenitor; a panic inside it is caught and traced to the operation that causes it.
#[cfg(not(test))]
mod generate {
    use super::*;
    use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TypeImpl};

    pub fn bindings(doc: &Value, operations: &[Operation]) -> BuildResult<String> {
        let open_enums: Vec<String> = doc["components"]["schemas"]
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(_, schema)| schema.get("x-kickrs-open-enum").and_then(Value::as_bool) == Some(true))
            .map(|(name, _)| name.clone())
            .collect();
        match try_generate(doc, &open_enums) {
            Ok(code) => Ok(code),
            Err(error) => Err(blame(doc, operations, &open_enums, error)),
        }
    }

    fn try_generate(doc: &Value, open_enums: &[String]) -> Result<String, String> {
        let spec: openapiv3::OpenAPI =
            serde_json::from_value(doc.clone()).map_err(|e| format!("not a valid OpenAPI 3.0 document: {e}"))?;
        let mut settings = GenerationSettings::new();
        settings
            .with_interface(InterfaceStyle::Positional)
            .with_hooks(HooksMode::Expected)
            .with_inner_type("crate::client::Core".parse().map_err(|_| "inner type")?)
            .with_derive("schemars::JsonSchema")
            .with_derive("PartialEq");
        for name in open_enums {
            // Hand-written in src/models.rs with a catch-all variant for values Kick adds later.
            settings.with_replacement(name, format!("crate::models::{name}"), [TypeImpl::Display].into_iter());
        }
        let tokens = quiet_catch(|| Generator::new(&settings).generate_tokens(&spec))?
            .map_err(|e| format!("progenitor: {e}"))?;
        let file: syn::File = syn::parse2(tokens).map_err(|e| format!("generated code does not parse: {e}"))?;
        let code = without_api_version_header(prettyplease::unparse(&file))?;
        requests_from_parsed_base(decoding_without_header_copy(code))
    }

    /// progenitor hands reqwest each call's URL as a string (`format!("{}/public/v1/...", self.baseurl)`),
    /// which reqwest parses in full, scheme and host (with IDNA processing) included: the most costly
    /// step of building a request. The calls go through `Core::request` instead, which sets the path on
    /// the base URL parsed once. A progenitor that builds requests in another shape fails the build here.
    pub fn requests_from_parsed_base(code: String) -> Result<String, String> {
        let urls = code.matches("let url = format!(").count();
        let mut code = code;
        let mut rewritten = 0;
        for (call, method) in
            [("get", "GET"), ("post", "POST"), ("put", "PUT"), ("patch", "PATCH"), ("delete", "DELETE")]
        {
            let args = format!("(&self.client, ::reqwest::Method::{method}, url)");
            for (from, to) in [
                (format!(".client\n            .{call}(url)"), format!(".inner\n            .request{args}")),
                (format!("self.client.{call}(url)"), format!("self.inner.request{args}")),
            ] {
                rewritten += code.matches(&from).count();
                code = code.replace(&from, &to);
            }
        }
        if rewritten != urls {
            return Err(format!(
                "progenitor builds {urls} request URLs but build.rs recognised {rewritten} request builders: \
                 update `requests_from_parsed_base`"
            ));
        }
        Ok(code)
    }

    /// progenitor decodes a 200 with `ResponseValue::from_response`, which copies the response's header
    /// map before reading the body; `crate::client::decode::response_value` moves it out instead (same
    /// result, same errors). Every call that decodes a body pays that copy, hence the rewrite.
    pub fn decoding_without_header_copy(code: String) -> String {
        code.replace(
            "ResponseValue::from_response(response).await",
            "crate::client::decode::response_value(response).await",
        )
    }

    /// progenitor builds an `api-version: <info.version>` header map on every call (there is no setting to
    /// turn it off) and Kick defines no such header: dropping it here spares each call a map allocated,
    /// merged into the request and removed again. A progenitor that emits it in another shape fails the
    /// build here, so the header never reaches Kick unnoticed.
    pub fn without_api_version_header(code: String) -> Result<String, String> {
        const BUILD: &str = concat!(
            "        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);\n",
            "        header_map\n",
            "            .append(\n",
            "                ::reqwest::header::HeaderName::from_static(\"api-version\"),\n",
            "                ::reqwest::header::HeaderValue::from_static(Self::api_version()),\n",
            "            );\n",
        );
        // `.headers(header_map)` on a line of its own, or inline in a short builder chain.
        const USE_LINE: &str = "            .headers(header_map)\n";
        const USE: &str = ".headers(header_map)";
        let builds = code.matches(BUILD).count();
        let stripped = code.replace(BUILD, "").replace(USE_LINE, "").replace(USE, "");
        let known_shape = builds > 0
            && code.matches(USE).count() == builds
            && !stripped.contains("header_map")
            && !stripped.contains("\"api-version\"");
        if known_shape {
            Ok(stripped)
        } else if code.contains("\"api-version\"") {
            Err("progenitor emits the `api-version` header in a shape build.rs does not know: \
                 update `without_api_version_header`"
                .into())
        } else {
            Ok(code)
        }
    }

    fn quiet_catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
        std::panic::set_hook(previous);
        result.map_err(|payload| {
            payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "the generator panicked".into())
        })
    }

    /// Regenerates one operation at a time to name the one the generator chokes on.
    fn blame(doc: &Value, operations: &[Operation], open_enums: &[String], error: String) -> String {
        for op in operations {
            let mut single = doc.clone();
            let method = op.method.to_lowercase();
            let only = json!({ &op.path: { &method: doc["paths"][&op.path][&method].clone() } });
            single["paths"] = only;
            if let Err(cause) = try_generate(&single, open_enums) {
                return format!("generating operation `{}` ({} {}) failed: {cause}", op.id, op.method, op.path);
            }
        }
        let mut schemas_only = doc.clone();
        schemas_only["paths"] = json!({});
        match try_generate(&schemas_only, open_enums) {
            Err(cause) => format!("generating the schemas in components failed: {cause}"),
            Ok(_) => format!("generating the bindings failed: {error}"),
        }
    }
}
