//! The raw bindings progenitor generates from `openapi/` at build time.
#![allow(missing_docs, clippy::all, clippy::pedantic, rustdoc::bare_urls, rustdoc::broken_intra_doc_links)]
include!(concat!(env!("OUT_DIR"), "/kick_raw.rs"));

pub use crate::client::Core;

/// One operation of the corrected spec: what the client's token policy needs to know about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operation {
    /// operationId (the raw method's name).
    pub id: &'static str,
    /// HTTP method.
    pub method: &'static str,
    /// Path under the API base URL.
    pub path: &'static str,
    /// Scopes a user token needs, any one of them; empty when any user token will do.
    pub user_scopes: &'static [&'static str],
    /// Kick accepts a user token.
    pub user_token: bool,
    /// Kick accepts an app token.
    pub app_token: bool,
    /// Kick marks it deprecated.
    pub deprecated: bool,
    /// Set for operations Kick added after the vendored spec was captured: where they are described.
    pub added: Option<&'static str>,
    /// Set when the facade leaves this operation to the raw bindings on purpose: why.
    pub not_in_facade: Option<&'static str>,
}

include!(concat!(env!("OUT_DIR"), "/kick_operations.rs"));

/// The corrected spec as OpenAPI 3.0 JSON, exactly as progenitor read it.
pub const OPENAPI_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/kick-openapi3.json"));

/// Looks an operation up by its id (every request does, to pick its token).
pub fn operation(id: &str) -> Option<&'static Operation> {
    operation_index(id).and_then(|index| OPERATIONS.get(index))
}
