//! Runs progenitor; a panic inside it is caught and traced to the operation that causes it.

use progenitor::{CrateVers, GenerationSettings, Generator, HooksMode, InterfaceStyle, TypeImpl};
use serde_json::{Value, json};

use super::BuildResult;
use super::check::Operation;

/// The bindings progenitor generates for `doc`, as a syntax tree.
pub fn bindings(doc: &Value, operations: &[Operation]) -> BuildResult<syn::File> {
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

fn try_generate(doc: &Value, open_enums: &[String]) -> Result<syn::File, String> {
    let spec: openapiv3::OpenAPI =
        serde_json::from_value(doc.clone()).map_err(|e| format!("not a valid OpenAPI 3.0 document: {e}"))?;
    let settings = settings(open_enums)?;
    let tokens =
        quiet_catch(|| Generator::new(&settings).generate_tokens(&spec))?.map_err(|e| format!("progenitor: {e}"))?;
    syn::parse2(tokens).map_err(|e| format!("generated code does not parse: {e}"))
}

/// progenitor's settings: the place to add type replacements or patches.
fn settings(open_enums: &[String]) -> Result<GenerationSettings, String> {
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Positional)
        .with_hooks(HooksMode::Expected)
        .with_inner_type("crate::client::Core".parse().map_err(|_| "inner type")?)
        .with_derive("schemars::JsonSchema")
        .with_derive("PartialEq")
        // `x-rust-type` paths name `kickrs::ids::*`; lib.rs makes `::kickrs` resolve inside the crate.
        .with_crate("kickrs", CrateVers::Any, None);
    for name in open_enums {
        // Hand-written in src/models.rs with a catch-all variant for values Kick adds later.
        settings.with_replacement(name, format!("crate::models::{name}"), [TypeImpl::Display].into_iter());
    }
    Ok(settings)
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
