//! The one way kickrs talks to the OAuth server: every token request (oauth2's, revocation,
//! introspection) goes through [`send`], which applies the client's timeout, never lets credentials
//! follow a redirect, and caps the answer's size. [`OAuthHttp`] runs the `oauth2` crate's requests
//! over it (oauth2's built-in reqwest support would pull a second reqwest into the tree).

use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;

use bytes::Bytes;
use oauth2::{AsyncHttpClient, HttpRequest, HttpResponse};
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, LOCATION};

use super::{AuthError, AuthSettings};
use crate::client::body::{OAUTH_MAX_ANSWER_BYTES, ReadError, read_capped};
use crate::error::TransportError;

/// An OAuth server's answer, read whole.
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

/// Sends `request` to the OAuth server. A redirect is refused (whatever the HTTP client would do with
/// it: the request carries the client secret, a code, a refresh token or a bearer token), so is an
/// answer that came from another origin, and an answer over [`OAUTH_MAX_ANSWER_BYTES`].
pub(crate) async fn send(config: &AuthSettings, mut request: reqwest::Request) -> Result<Answer, AuthError> {
    let url = request.url().clone();
    if url.origin() != config.oauth_origin() {
        return Err(AuthError::Redirected { url: endpoint(&url), status: 0, location: Some(url.to_string()) });
    }
    *request.timeout_mut() = Some(config.timeout);
    // A POST without a body says so (introspection), as the API pipeline does.
    if request.body().is_none() && request.method() == reqwest::Method::POST {
        request.headers_mut().insert(reqwest::header::CONTENT_LENGTH, reqwest::header::HeaderValue::from_static("0"));
    }
    let mut response = config.transport.send(request).await.map_err(|source| AuthError::transport(&url, source))?;
    let status = response.status();
    if status.is_redirection() || response.url().origin() != config.oauth_origin() {
        let location = match response.headers().get(LOCATION) {
            Some(value) => Some(String::from_utf8_lossy(value.as_bytes()).into_owned()),
            None => Some(response.url().to_string()),
        };
        return Err(AuthError::Redirected { url: endpoint(&url), status: status.as_u16(), location });
    }
    let headers = response.headers().clone();
    let body = read_capped(&mut response, OAUTH_MAX_ANSWER_BYTES).await.map_err(|error| match error {
        ReadError::TooLarge { limit } => AuthError::AnswerTooLarge { url: endpoint(&url), limit },
        ReadError::Transport(source) => AuthError::transport(&url, source),
    })?;
    Ok(Answer { status, headers, body })
}

/// The URL an error names: OAuth URLs carry no secret (tokens go in bodies and headers), but a query
/// is dropped anyway.
fn endpoint(url: &reqwest::Url) -> String {
    let mut url = url.clone();
    url.set_query(None);
    url.to_string()
}

/// An `oauth2` HTTP client for one token request; remembers the answer's status, which `oauth2`'s
/// errors do not carry.
pub(crate) struct OAuthHttp<'a> {
    config: &'a AuthSettings,
    status: Mutex<Option<u16>>,
}

impl<'a> OAuthHttp<'a> {
    pub(crate) fn new(config: &'a AuthSettings) -> Self {
        Self { config, status: Mutex::new(None) }
    }

    /// The HTTP status of the last answer, if one arrived.
    pub(crate) fn last_status(&self) -> Option<u16> {
        *self.status.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A failed HTTP exchange with the OAuth server, as the typed error it becomes.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(crate) struct OAuthHttpError(pub(crate) AuthError);

impl<'c> AsyncHttpClient<'c> for OAuthHttp<'_> {
    type Error = OAuthHttpError;
    type Future = Pin<Box<dyn Future<Output = Result<HttpResponse, OAuthHttpError>> + Send + 'c>>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(async move {
            let request = reqwest::Request::try_from(request).map_err(|source| {
                OAuthHttpError(AuthError::Transport {
                    url: String::new(),
                    source: TransportError::from_reqwest(source),
                })
            })?;
            let answer = send(self.config, request).await.map_err(OAuthHttpError)?;
            *self.status.lock().unwrap_or_else(|e| e.into_inner()) = Some(answer.status.as_u16());
            let mut response = http::Response::new(answer.body.to_vec());
            *response.status_mut() = answer.status;
            *response.headers_mut() = answer.headers;
            Ok(response)
        })
    }
}
