//! The bounded log of requests MockKick received, for tests to assert on.

use std::collections::VecDeque;
use std::fmt;
use std::sync::Mutex;

use bytes::Bytes;
use http::Method;

/// One request as MockKick received it.
///
/// `Debug` hides the `Authorization` header and OAuth form bodies, which carry secrets.
#[derive(Clone)]
pub struct RecordedRequest {
    /// HTTP method.
    pub method: Method,
    /// Path without the query, e.g. `/public/v1/chat`.
    pub path: String,
    /// The raw query string (without `?`), `""` when there was none.
    pub query: String,
    /// Header names (lower case) and values, in the order received.
    pub headers: Vec<(String, String)>,
    /// The raw request body.
    pub body: Bytes,
    /// When MockKick received it (after reading the body), e.g. to count requests per time window.
    pub received_at: std::time::Instant,
}

impl RecordedRequest {
    /// The first value of a header (name compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Every value of a query key, decoded, in order (`?id=1&id=2` gives `["1", "2"]`).
    pub fn query_values(&self, key: &str) -> Vec<String> {
        url::form_urlencoded::parse(self.query.as_bytes())
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.into_owned())
            .collect()
    }

    /// The body parsed as JSON, if it is JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The body as text (lossy UTF-8).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

impl fmt::Debug for RecordedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| {
                let secret = k.eq_ignore_ascii_case("authorization");
                (k.as_str(), if secret { "[redacted]" } else { v.as_str() })
            })
            .collect();
        let body = if self.path.starts_with("/oauth/") {
            format!("[{} bytes redacted]", self.body.len())
        } else {
            self.body_text()
        };
        f.debug_struct("RecordedRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &headers)
            .field("body", &body)
            .finish()
    }
}

/// Keeps the most recent `capacity` requests; older ones fall off.
pub(crate) struct RequestLog {
    entries: Mutex<VecDeque<RecordedRequest>>,
    capacity: usize,
}

impl RequestLog {
    pub(crate) fn new(capacity: usize) -> Self {
        RequestLog { entries: Mutex::new(VecDeque::with_capacity(capacity.min(1024))), capacity }
    }

    pub(crate) fn push(&self, request: RecordedRequest) {
        if self.capacity == 0 {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() == self.capacity {
            entries.pop_front();
        }
        entries.push_back(request);
    }

    pub(crate) fn snapshot(&self) -> Vec<RecordedRequest> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.iter().cloned().collect()
    }

    pub(crate) fn clear(&self) {
        self.entries.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }
}
