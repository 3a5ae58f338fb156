//! Generates kickrs' raw bindings from Kick's vendored spec. One stage per file under `build/`:
//!
//! 1. spec: `openapi/kick-swagger.yaml` (Kick's Swagger 2.0, unchanged) and the corrections
//! 2. overlay: `openapi/corrections.overlay.yaml` (OpenAPI Overlay 1.0, one action per correction)
//! 3. convert: Swagger 2.0 -> OpenAPI 3.0 (progenitor reads nothing else), then normalize
//! 4. check: faults named by operation or schema before the generator sees the document
//! 5. generate: progenitor -> a syntax tree; rewrite: the per-call savings applied to that tree
//! 6. write: `$OUT_DIR/kick_raw.rs`, the operation table and the final document
//!
//! Any fault in the spec or a correction stops the build with a message naming the action, operation or
//! schema at fault, never a backtrace from inside the generator. `tests/spec_drift.rs` includes this file
//! to run stages 1 to 4 (and their unit tests) without the generator.

#[path = "build/check.rs"]
mod check;
#[path = "build/convert.rs"]
mod convert;
#[cfg(not(test))]
#[path = "build/generate.rs"]
mod generate;
#[path = "build/normalize.rs"]
mod normalize;
#[path = "build/overlay.rs"]
mod overlay;
#[path = "build/rewrite.rs"]
mod rewrite;
#[path = "build/spec.rs"]
mod spec;
#[path = "build/write.rs"]
mod write;

use std::path::{Path, PathBuf};

use serde_json::Value;

pub use check::Operation;
pub use spec::read_yaml;

const SPEC: &str = "openapi/kick-swagger.yaml";
const OVERLAY: &str = "openapi/corrections.overlay.yaml";
const API_BASE: &str = "https://api.kick.com";

type BuildResult<T> = Result<T, String>;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=build");
    println!("cargo:rerun-if-changed=openapi");
    println!("cargo:rerun-if-env-changed={}", rewrite::SKIP_ENV);
    if let Err(message) = run() {
        eprintln!("\nkickrs build: {message}\n");
        std::process::exit(1);
    }
}

fn run() -> BuildResult<()> {
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").map_err(|e| format!("OUT_DIR: {e}"))?);
    let deny_unknown = std::env::var_os("CARGO_FEATURE_DENY_UNKNOWN_FIELDS").is_some();
    let (spec, corrections) = (read_yaml(Path::new(SPEC))?, read_yaml(Path::new(OVERLAY))?);
    let (oas3, operations) = pipeline(&spec, &corrections, deny_unknown)?;
    #[cfg(not(test))]
    let bindings = {
        let skip = std::env::var(rewrite::SKIP_ENV).unwrap_or_default();
        Some(rewrite::all(generate::bindings(&oas3, &operations)?, &skip)?)
    };
    #[cfg(test)]
    let bindings: Option<String> = None;
    write::outputs(&out_dir, &oas3, &operations, bindings.as_deref())
}

/// Vendored Swagger 2.0 + corrections -> the OpenAPI 3.0 document progenitor reads, and its operations.
/// (Also run by the spec drift tests, which include this file.)
pub fn pipeline(spec: &Value, corrections: &Value, deny_unknown: bool) -> BuildResult<(Value, Vec<Operation>)> {
    let mut swagger = spec.clone();
    overlay::apply(&mut swagger, corrections)?;
    let mut oas3 = convert::to_openapi3(&swagger)?;
    normalize::flatten_all_of(&mut oas3)?;
    normalize::typed_ids(&mut oas3)?;
    if deny_unknown {
        normalize::deny_unknown_fields(&mut oas3);
    }
    let operations = check::operations(&oas3)?;
    Ok((oas3, operations))
}
