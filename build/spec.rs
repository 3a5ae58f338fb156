//! Reading the vendored spec and the corrections (both YAML).

use std::path::Path;

use serde_json::Value;

use super::BuildResult;

pub fn read_yaml(path: &Path) -> BuildResult<Value> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_yaml_ng::from_str(&text).map_err(|e| format!("{} is not valid YAML: {e}", path.display()))
}
