//! What it takes to send a request again (a retry, or a resend after a refresh), kept for every
//! attempt but almost never used: so it copies as little as it can. A request without a body and
//! with a few headers (every generated GET and DELETE) keeps its parts on the stack, the header
//! values shared rather than copied; anything else is a full [`reqwest::Request::try_clone`].

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, Request, Url, Version};

/// Headers kept without a map: a generated call without a body sends `Accept` and `Authorization`
/// (one with a body is copied whole).
const FEW_HEADERS: usize = 2;

/// A request to send again, if need be.
pub(crate) enum Resend {
    /// A request without a body, by parts.
    Parts(Parts),
    /// A full copy (a body, or many headers).
    Copy(Request),
}

pub(crate) struct Parts {
    method: Method,
    url: Url,
    version: Version,
    timeout: Option<Duration>,
    headers: [Option<(HeaderName, HeaderValue)>; FEW_HEADERS],
}

impl Resend {
    /// What sending `request` again takes, or `None` when its body is a stream that cannot be copied.
    pub(crate) fn of(request: &Request) -> Option<Self> {
        if request.body().is_some() || request.headers().len() > FEW_HEADERS {
            return request.try_clone().map(Self::Copy);
        }
        let mut headers: [Option<(HeaderName, HeaderValue)>; FEW_HEADERS] = Default::default();
        for (slot, (name, value)) in headers.iter_mut().zip(request.headers()) {
            *slot = Some((name.clone(), value.clone()));
        }
        Some(Self::Parts(Parts {
            method: request.method().clone(),
            url: request.url().clone(),
            version: request.version(),
            timeout: request.timeout().copied(),
            headers,
        }))
    }

    /// The request's method.
    pub(crate) fn method(&self) -> &Method {
        match self {
            Self::Parts(parts) => &parts.method,
            Self::Copy(request) => request.method(),
        }
    }

    /// The method and URL alone (to name the request in an error).
    pub(crate) fn into_method_and_url(self) -> (Method, Url) {
        match self {
            Self::Parts(parts) => (parts.method, parts.url),
            Self::Copy(request) => (request.method().clone(), request.url().clone()),
        }
    }

    /// The request, rebuilt.
    pub(crate) fn into_request(self) -> Request {
        let parts = match self {
            Self::Copy(request) => return request,
            Self::Parts(parts) => parts,
        };
        let mut request = Request::new(parts.method, parts.url);
        *request.version_mut() = parts.version;
        if parts.timeout.is_some() {
            *request.timeout_mut() = parts.timeout;
        }
        let mut headers = HeaderMap::with_capacity(FEW_HEADERS);
        for (name, value) in parts.headers.into_iter().flatten() {
            headers.append(name, value);
        }
        *request.headers_mut() = headers;
        request
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{ACCEPT, AUTHORIZATION};

    fn get_with(headers: &[(HeaderName, &'static str)]) -> Request {
        let mut request =
            Request::new(Method::GET, Url::parse("http://127.0.0.1:9/public/v1/channels?slug=a").unwrap());
        for (name, value) in headers {
            request.headers_mut().append(name.clone(), HeaderValue::from_static(value));
        }
        request
    }

    fn same(a: &Request, b: &Request) {
        assert_eq!((a.method(), a.url(), a.version(), a.timeout()), (b.method(), b.url(), b.version(), b.timeout()));
        assert_eq!(a.headers(), b.headers());
        assert_eq!(a.body().and_then(|body| body.as_bytes()), b.body().and_then(|body| body.as_bytes()));
    }

    #[test]
    fn a_get_comes_back_whole_from_its_parts() {
        let mut request = get_with(&[(ACCEPT, "application/json"), (AUTHORIZATION, "Bearer t")]);
        *request.timeout_mut() = Some(Duration::from_secs(3));
        let resend = Resend::of(&request).expect("copyable");
        assert!(matches!(resend, Resend::Parts(_)));
        same(&resend.into_request(), &request);
        let (method, url) = Resend::of(&request).expect("copyable").into_method_and_url();
        assert_eq!((&method, &url), (request.method(), request.url()));
    }

    #[test]
    fn repeated_headers_keep_every_value_in_order() {
        let request = get_with(&[(ACCEPT, "a"), (ACCEPT, "b"), (AUTHORIZATION, "Bearer t")]);
        same(&Resend::of(&request).expect("copyable").into_request(), &request);
    }

    #[test]
    fn a_body_or_many_headers_take_a_full_copy() {
        let mut with_body = get_with(&[(ACCEPT, "application/json")]);
        *with_body.body_mut() = Some(reqwest::Body::from("{\"content\":\"hi\"}"));
        let resend = Resend::of(&with_body).expect("copyable");
        assert!(matches!(resend, Resend::Copy(_)));
        same(&resend.into_request(), &with_body);

        let many = get_with(&[(ACCEPT, "a"), (ACCEPT, "b"), (ACCEPT, "c"), (ACCEPT, "d"), (AUTHORIZATION, "e")]);
        let resend = Resend::of(&many).expect("copyable");
        assert!(matches!(resend, Resend::Copy(_)));
        same(&resend.into_request(), &many);
    }
}
