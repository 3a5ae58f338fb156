//! Spec drift guard: the generated operations as a reviewable snapshot, and every operation of Kick's
//! spec either wrapped by the facade or left out on purpose by a correction.

mod support;

// The same pipeline build.rs runs (overlay, Swagger 2.0 -> OpenAPI 3.0, checks), minus code generation.
#[allow(dead_code)]
#[path = "../build.rs"]
mod build_script;

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

/// One line per operation: method, path, operationId, parameters, body and response types.
fn operation_table(doc: &Value) -> String {
    let mut lines = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            let params: Vec<String> = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| {
                    format!(
                        "{}{}:{}:{}",
                        p["name"].as_str().unwrap_or("?"),
                        if p["required"] == Value::Bool(true) { "!" } else { "" },
                        p["in"].as_str().unwrap_or("?"),
                        type_name(&p["schema"]),
                    )
                })
                .collect();
            let body = op["requestBody"]["content"]["application/json"]["schema"].clone();
            let responses: Vec<String> = op["responses"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(code, r)| format!("{code}={}", type_name(&r["content"]["application/json"]["schema"])))
                .collect();
            lines.push(format!(
                "{:<6} {:<45} {:<28} params[{}] body[{}] -> {}",
                method.to_uppercase(),
                path,
                op["operationId"].as_str().unwrap_or("?"),
                params.join(", "),
                if body.is_null() { String::new() } else { type_name(&body) },
                responses.join(" "),
            ));
        }
    }
    lines.join("\n")
}

fn type_name(schema: &Value) -> String {
    if let Some(path) = schema["x-rust-type"]["path"].as_str() {
        return path.rsplit("::").next().unwrap_or("?").to_string();
    }
    if let Some(reference) = schema["$ref"].as_str() {
        return reference.rsplit('/').next().unwrap_or("?").to_string();
    }
    match schema["type"].as_str() {
        Some("array") => format!("[{}]", type_name(&schema["items"])),
        Some("object") => {
            let fields: Vec<String> = schema["properties"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(name, s)| format!("{name}: {}", type_name(s)))
                .collect();
            format!("{{{}}}", fields.join(", "))
        }
        Some(other) => schema["format"].as_str().map_or(other.to_string(), |f| format!("{other}({f})")),
        None if schema.is_null() => "-".into(),
        None => "any".into(),
    }
}

/// Operation ids the facade calls, found by reading its sources (`|raw| raw.<operation>(`).
fn facade_operations() -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for dir in ["src/api", "src/auth", "src/webhooks"] {
        let Ok(entries) = std::fs::read_dir(Path::new(MANIFEST_DIR).join(dir)) else { continue };
        for entry in entries.flatten() {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            // A facade call names its raw operation as `|raw| raw.fetch_x(..)`, or in a block.
            for piece in text.split("|raw|").skip(1) {
                let Some(call) = piece.trim_start().trim_start_matches('{').trim_start().strip_prefix("raw.") else {
                    continue;
                };
                let name: String = call.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                found.insert(name);
            }
        }
    }
    found
}

/// Operations neither wrapped by the facade nor left out by a correction.
fn uncovered(operations: &[build_script::Operation], wrapped: &BTreeSet<String>) -> Vec<String> {
    operations
        .iter()
        .filter(|op| op.not_in_facade.is_none() && !wrapped.contains(&op.id))
        .map(|op| format!("{} ({} {})", op.id, op.method, op.path))
        .collect()
}

fn vendored() -> (Value, Value) {
    let dir = Path::new(MANIFEST_DIR).join("openapi");
    (
        build_script::read_yaml(&dir.join("kick-swagger.yaml")).unwrap(),
        build_script::read_yaml(&dir.join("corrections.overlay.yaml")).unwrap(),
    )
}

#[test]
fn generated_operations_match_the_snapshot() {
    let _s = support::snapshots();
    let doc: Value = serde_json::from_str(kickrs::raw::OPENAPI_JSON).unwrap();
    insta::assert_snapshot!("generated_operations", operation_table(&doc));
}

#[test]
fn the_build_and_this_test_see_the_same_operations() {
    let (spec, corrections) = vendored();
    let (_, operations) = build_script::pipeline(&spec, &corrections, false).unwrap();
    let here: Vec<&str> = operations.iter().map(|op| op.id.as_str()).collect();
    let built: Vec<&str> = kickrs::raw::OPERATIONS.iter().map(|op| op.id).collect();
    assert_eq!(here, built);
    // 29 in Kick's spec, 4 OAuth ones removed, 7 added after the spec was captured (2 of them Drops).
    assert_eq!(built.len(), 32);
    assert_eq!(kickrs::raw::OPERATIONS.iter().filter(|op| op.added.is_some()).count(), 7);
    for id in ["fetch_drops_claims", "update_drops_claims"] {
        let op = kickrs::raw::operation(id).unwrap();
        assert!(op.added.is_some_and(|source| source.contains("drops/public-api.md")), "{op:?}");
        assert!(op.app_token && !op.user_token, "{op:?}");
    }
    // The ads endpoints say where they come from, and that Kick may change them.
    for id in ["fetch_ad_break_status", "create_ad_break", "enroll_in_ads"] {
        let source = kickrs::raw::operation(id).and_then(|op| op.added).unwrap_or_default();
        assert!(source.contains("kickpy 1.1.0") && source.contains("KickLib fork"), "{id}: {source}");
        assert!(source.contains("without notice"), "{id}: {source}");
    }
}

#[test]
fn every_operation_is_wrapped_or_left_out_on_purpose() {
    let missing = uncovered_in_vendored_spec();
    assert!(missing.is_empty(), "operations neither in the facade nor left out by a correction: {missing:?}");
}

fn uncovered_in_vendored_spec() -> Vec<String> {
    let (spec, corrections) = vendored();
    let (_, operations) = build_script::pipeline(&spec, &corrections, false).unwrap();
    uncovered(&operations, &facade_operations())
}

/// A newer Kick spec with one more operation, applied from a temporary directory like a spec update.
#[test]
fn a_new_operation_in_kicks_spec_is_caught_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let (mut spec, corrections) = vendored();
    spec["paths"]["/public/v1/clips"] = serde_json::json!({
        "get": {"summary": "Get clips", "responses": {"200": {"description": "OK"}}}
    });
    let changed = dir.path().join("kick-swagger.yaml");
    std::fs::write(&changed, serde_yaml_ng::to_string(&spec).unwrap()).unwrap();
    let spec = build_script::read_yaml(&changed).unwrap();

    // Without an operationId the build stops and names the operation.
    let error = build_script::pipeline(&spec, &corrections, false).unwrap_err();
    assert!(error.contains("GET /public/v1/clips has no operationId"), "{error}");

    // With one, the drift guard names it until the facade wraps it or a correction leaves it out.
    let mut named = spec.clone();
    named["paths"]["/public/v1/clips"]["get"]["operationId"] = "fetch_clips".into();
    let (_, operations) = build_script::pipeline(&named, &corrections, false).unwrap();
    let before = uncovered_in_vendored_spec();
    let missing: Vec<String> =
        uncovered(&operations, &facade_operations()).into_iter().filter(|op| !before.contains(op)).collect();
    assert_eq!(missing, vec!["fetch_clips (GET /public/v1/clips)".to_string()]);
}

#[test]
fn a_stale_correction_fails_with_its_target() {
    let (spec, mut corrections) = vendored();
    corrections["actions"].as_array_mut().unwrap().push(serde_json::json!({
        "target": "$.paths['/public/v1/nowhere'].get",
        "update": {"operationId": "nothing"},
        "description": "points at nothing",
    }));
    let error = build_script::pipeline(&spec, &corrections, false).unwrap_err();
    assert!(error.contains("$.paths['/public/v1/nowhere'].get") && error.contains("matches nothing"), "{error}");
}

#[test]
fn kicks_spec_is_vendored_unchanged() {
    let spec = std::fs::read(Path::new(MANIFEST_DIR).join("openapi/kick-swagger.yaml")).unwrap();
    // sha256 of Kick's doc.yaml as published (see openapi/README.md).
    let digest = ring::digest::digest(&ring::digest::SHA256, &spec);
    let hex: String = digest.as_ref().iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(hex, "75c787028254e43c99f76494a2541fc333bd7f01aeaca2d59ba9effbf1dcec41");
}

/// Names that hold an id: `id`, `ids`, `*_id`, `*_ids`.
fn names_an_id(name: &str) -> bool {
    name == "id" || name == "ids" || name.ends_with("_id") || name.ends_with("_ids")
}

/// Whether `schema` (or, for a list, its items) is one of `kickrs::ids`.
fn is_typed_id(schema: &Value) -> bool {
    let typed = |s: &Value| s["x-rust-type"]["path"].as_str().is_some_and(|path| path.starts_with("kickrs::ids::"));
    typed(schema) || typed(&schema["items"])
}

/// Id-named fields that are not one of Kick's ids, each with the reason.
const NOT_KICK_IDS: &[(&str, &str)] = &[
    ("DropsClaim.external_id", "the organization's own reward reference, free text (Drops guide)"),
    ("GET /public/v2/categories ?id", "one comma-joined text of ids; the facade takes a Vec<CategoryId>"),
];

/// Every id-named property of a model and every id-named parameter, in the document the generator sees.
fn untyped_ids(doc: &Value) -> Vec<String> {
    let mut untyped = Vec::new();
    for (model, schema) in doc["components"]["schemas"].as_object().into_iter().flatten() {
        for (name, property) in schema["properties"].as_object().into_iter().flatten() {
            if names_an_id(name) && !is_typed_id(property) {
                untyped.push(format!("{model}.{name}"));
            }
        }
    }
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            for parameter in op["parameters"].as_array().into_iter().flatten() {
                let name = parameter["name"].as_str().unwrap_or_default();
                if names_an_id(name) && !is_typed_id(&parameter["schema"]) {
                    untyped.push(format!("{} {path} ?{name}", method.to_uppercase()));
                }
            }
        }
    }
    untyped
}

/// One id vocabulary (issue 13): every id in a generated model or parameter is a `kickrs::ids` type,
/// through the overlay's typed-id table. A new Kick spec with a new id field fails here by name.
#[test]
fn every_id_in_the_generated_api_is_a_typed_id() {
    let (spec, corrections) = vendored();
    let (oas3, _) = build_script::pipeline(&spec, &corrections, false).unwrap();
    let mut untyped = untyped_ids(&oas3);
    untyped.retain(|field| !NOT_KICK_IDS.iter().any(|(exempt, _)| field == exempt));
    assert!(untyped.is_empty(), "add these to the typed-id table in openapi/corrections.overlay.yaml: {untyped:#?}");
}
