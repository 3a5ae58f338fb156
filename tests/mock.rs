//! MockKick driven with plain reqwest: every endpoint's success, error and quirk behaviour,
//! the OAuth flow and token checks, and each fault knob.
#![cfg(feature = "mock")]

#[path = "mock/auth.rs"]
mod auth;
#[path = "mock/faults.rs"]
mod faults;
#[path = "mock/rest.rs"]
mod rest;
#[path = "mock/webhooks.rs"]
mod webhooks;

use kickrs::mock::MockKick;
use reqwest::Method;
use reqwest::header::HeaderMap;
use serde_json::Value;

/// One answer: status, JSON body (`Null` when not JSON), raw text and headers.
pub struct Answer {
    pub status: u16,
    pub body: Value,
    pub text: String,
    pub headers: HeaderMap,
}

impl Answer {
    pub fn data(&self) -> &Value {
        &self.body["data"]
    }

    pub fn message(&self) -> &str {
        self.body["message"].as_str().unwrap_or("")
    }
}

thread_local! {
    // One client per test thread (each #[tokio::test] runs on its own thread and runtime);
    // building a TLS-capable client per request is slow.
    static CLIENT: reqwest::Client = kickrs::http_client_builder().unwrap()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
}

pub fn http() -> reqwest::Client {
    CLIENT.with(Clone::clone)
}

/// Sends a request to `mock` with an optional bearer token and JSON body.
pub async fn call(mock: &MockKick, method: Method, token: Option<&str>, path: &str, body: Option<Value>) -> Answer {
    let mut request = http().request(method, format!("{}{}", mock.api_base_url(), path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    Answer { status, body: serde_json::from_str(&text).unwrap_or(Value::Null), text, headers }
}

pub async fn get(mock: &MockKick, token: &str, path: &str) -> Answer {
    call(mock, Method::GET, Some(token), path, None).await
}
