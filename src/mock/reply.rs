//! Responses in Kick's shapes: the `{data, message}` envelope, cursor pages, REST and OAuth errors.

use axum::body::Body;
use axum::response::Response;
use http::{HeaderValue, StatusCode, header};
use serde_json::{Value, json};

/// What a handler answers; turned into an HTTP response by the server.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) body: ReplyBody,
    pub(crate) headers: Vec<(header::HeaderName, HeaderValue)>,
}

#[derive(Debug)]
pub(crate) enum ReplyBody {
    Json(Value),
    Text(&'static str, String),
    Empty,
}

/// Handlers return `Err(reply)` for an error answer, so `?` stops at the first bad parameter.
pub(crate) type Handled = Result<Reply, Reply>;

impl Reply {
    pub(crate) fn new(status: StatusCode, body: ReplyBody) -> Self {
        Reply { status, body, headers: Vec::new() }
    }

    /// `200 {"data": data, "message": "OK"}`.
    pub(crate) fn ok(data: Value) -> Self {
        Self::with_status(StatusCode::OK, data)
    }

    /// `{"data": data, "message": "OK"}` with another success status (e.g. 201).
    pub(crate) fn with_status(status: StatusCode, data: Value) -> Self {
        Self::new(status, ReplyBody::Json(json!({"data": data, "message": "OK"})))
    }

    /// A cursor page: `{"data": [...], "message": "OK", "pagination": {"next_cursor": ".."}}`.
    pub(crate) fn page(data: Vec<Value>, next_cursor: Option<String>) -> Self {
        Self::new(
            StatusCode::OK,
            ReplyBody::Json(json!({
                "data": data,
                "message": "OK",
                "pagination": {"next_cursor": next_cursor.unwrap_or_default()},
            })),
        )
    }

    /// 204 with no body.
    pub(crate) fn no_content() -> Self {
        Self::new(StatusCode::NO_CONTENT, ReplyBody::Empty)
    }

    /// A Kick REST error: `{"data": data, "message": message}`.
    pub(crate) fn error(status: StatusCode, data: Value, message: impl Into<String>) -> Self {
        let message: String = message.into();
        Self::new(status, ReplyBody::Json(json!({"data": data, "message": message})))
    }

    /// 400 `{"data": {}, "message": message}`; the message names the field and the limit.
    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::error(StatusCode::BAD_REQUEST, json!({}), message)
    }

    /// 401 exactly as Kick sends it.
    pub(crate) fn unauthorized() -> Self {
        Self::error(StatusCode::UNAUTHORIZED, json!({}), "Unauthorized")
    }

    /// 403 with a message saying what was missing.
    pub(crate) fn forbidden(message: impl Into<String>) -> Self {
        Self::error(StatusCode::FORBIDDEN, json!({}), message)
    }

    /// 404 with a message naming what was not found.
    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Self::error(StatusCode::NOT_FOUND, json!({}), message)
    }

    /// An OAuth server error: `{"error": code, "error_description": description}`.
    pub(crate) fn oauth_error(status: StatusCode, code: &str, description: impl Into<String>) -> Self {
        let description: String = description.into();
        Self::new(status, ReplyBody::Json(json!({"error": code, "error_description": description})))
    }

    /// A plain JSON body without the envelope (OAuth token responses).
    pub(crate) fn raw_json(value: Value) -> Self {
        Self::new(StatusCode::OK, ReplyBody::Json(value))
    }

    /// A plain-text body.
    pub(crate) fn text(status: StatusCode, text: impl Into<String>) -> Self {
        Self::new(status, ReplyBody::Text("text/plain; charset=utf-8", text.into()))
    }

    /// Adds a response header.
    pub(crate) fn header(mut self, name: header::HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }

    pub(crate) fn into_response(self) -> Response {
        let (content_type, body) = match self.body {
            ReplyBody::Json(v) => (Some("application/json; charset=utf-8"), Body::from(v.to_string())),
            ReplyBody::Text(ct, text) => (Some(ct), Body::from(text)),
            ReplyBody::Empty => (None, Body::empty()),
        };
        let mut response = Response::new(body);
        *response.status_mut() = self.status;
        let headers = response.headers_mut();
        if let Some(ct) = content_type {
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
        }
        for (name, value) in self.headers {
            headers.append(name, value);
        }
        response
    }
}
