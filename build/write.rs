//! The files the crate includes: the bindings, the operation table and the final document.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;

use super::BuildResult;
use super::check::Operation;

/// Writes `kick_raw.rs`, `kick_operations.rs` and `kick-openapi3.json` into `out_dir`.
pub fn outputs(out_dir: &Path, oas3: &Value, operations: &[Operation], bindings: Option<&str>) -> BuildResult<()> {
    let spec_json = serde_json::to_string_pretty(oas3).map_err(|e| e.to_string())?;
    file(&out_dir.join("kick-openapi3.json"), &spec_json)?;
    file(&out_dir.join("kick_operations.rs"), &operation_table(operations))?;
    if let Some(code) = bindings {
        file(&out_dir.join("kick_raw.rs"), code)?;
    }
    Ok(())
}

fn file(path: &Path, contents: &str) -> BuildResult<()> {
    std::fs::write(path, contents).map_err(|e| format!("cannot write {}: {e}", path.display()))
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
