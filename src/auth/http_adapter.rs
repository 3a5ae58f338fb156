//! Runs the `oauth2` crate's token requests over the crate's own reqwest client (oauth2's built-in
//! reqwest support would pull a second reqwest into the tree).

use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;

use oauth2::{AsyncHttpClient, HttpRequest, HttpResponse};

/// An `oauth2` HTTP client for one token request; remembers the answer's status, which `oauth2`'s
/// errors do not carry.
pub(crate) struct OAuthHttp<'a> {
    http: &'a reqwest::Client,
    status: Mutex<Option<u16>>,
}

impl<'a> OAuthHttp<'a> {
    pub(crate) fn new(http: &'a reqwest::Client) -> Self {
        Self { http, status: Mutex::new(None) }
    }

    /// The HTTP status of the last answer, if one arrived.
    pub(crate) fn last_status(&self) -> Option<u16> {
        *self.status.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A failed HTTP exchange with the OAuth server; the message has no URL (revocation URLs can carry
/// a token) and no body.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(crate) struct TransportError(pub(crate) String);

impl From<reqwest::Error> for TransportError {
    fn from(e: reqwest::Error) -> Self {
        TransportError(e.without_url().to_string())
    }
}

impl<'c> AsyncHttpClient<'c> for OAuthHttp<'_> {
    type Error = TransportError;
    type Future = Pin<Box<dyn Future<Output = Result<HttpResponse, TransportError>> + Send + 'c>>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(async move {
            let request = reqwest::Request::try_from(request)?;
            let response = self.http.execute(request).await?;
            let status = response.status();
            *self.status.lock().unwrap_or_else(|e| e.into_inner()) = Some(status.as_u16());
            let headers = response.headers().clone();
            let body = response.bytes().await?;
            let mut answer = http::Response::new(body.to_vec());
            *answer.status_mut() = status;
            *answer.headers_mut() = headers;
            Ok(answer)
        })
    }
}
