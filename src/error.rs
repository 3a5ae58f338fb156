//! One error type for every kickrs call.

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::{Method, StatusCode};

use crate::auth::{AuthError, TokenKind};
use crate::validate::ValidationError;

/// The result of a kickrs call.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Which Kick call an error came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// The method the user called, e.g. `fetch_channel` (for a raw call, its operation id, e.g.
    /// `fetch_channels`).
    pub operation: &'static str,
    /// HTTP method.
    pub method: Method,
    /// The full request URI (tokens are never part of a URI).
    pub uri: String,
}

impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({} {})", self.operation, self.method, self.uri)
    }
}

/// Everything that can go wrong in a kickrs call.
///
/// ```
/// # async fn demo(client: kickrs::KickClient) {
/// match client.fetch_channel("xqc").await {
///     Ok(channel) => println!("{}", channel.stream_title),
///     Err(kickrs::Error::NotFound { .. }) => println!("no such channel"),
///     Err(kickrs::Error::RateLimited { retry_after, .. }) => println!("slow down: {retry_after:?}"),
///     Err(other) => eprintln!("{other}"),
/// }
/// # }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An argument broke one of Kick's limits; nothing was sent.
    #[error(transparent)]
    InvalidInput(#[from] ValidationError),

    /// Kick answered with an error status.
    #[error("Kick answered {status} to {endpoint}{}", kick_message(message, data))]
    Api {
        /// HTTP status.
        status: StatusCode,
        /// Kick's `message` field (or OAuth's `error`), when the body had one.
        message: Option<String>,
        /// A machine-readable code Kick put in `data` (e.g. `AD_BREAK_ACTIVE`), when there was one.
        code: Option<String>,
        /// The `data` field of Kick's error body, as sent.
        data: Option<serde_json::Value>,
        /// The call that failed.
        endpoint: Endpoint,
    },

    /// Kick refused to create a webhook subscription because the app holds as many as it may:
    /// [`EVENT_SUBSCRIPTIONS_MAX_UNVERIFIED`](crate::validate::EVENT_SUBSCRIPTIONS_MAX_UNVERIFIED) (1,000) for
    /// an unverified app, [`EVENT_SUBSCRIPTIONS_MAX_VERIFIED`](crate::validate::EVENT_SUBSCRIPTIONS_MAX_VERIFIED)
    /// (10,000) for one Kick verified. Kick answers 400 `{"data": "event subscription limit reached"}`
    /// (KickDevDocs#100, #398). Remove unused subscriptions, or ask Kick (developers@kick.com) to verify
    /// the app.
    ///
    /// ```
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// use kickrs::api::WebhookEvent;
    /// match client.subscribe_to_event(WebhookEvent::ChatMessageSent, 123).await {
    ///     Err(kickrs::Error::SubscriptionLimitReached { .. }) => eprintln!("at the limit: unsubscribe first"),
    ///     other => { other?; }
    /// }
    /// # Ok(()) }
    /// ```
    #[error(
        "Kick refused {endpoint}: event subscription limit reached (an app may hold {} subscriptions, {} once \
         Kick verifies it)",
        crate::validate::EVENT_SUBSCRIPTIONS_MAX_UNVERIFIED,
        crate::validate::EVENT_SUBSCRIPTIONS_MAX_VERIFIED
    )]
    SubscriptionLimitReached {
        /// The call that was refused.
        endpoint: Endpoint,
    },

    /// Kick refused a Drops call (401 or 403): only an app token of an OAuth app that belongs to a
    /// Kick organization may read or update Drops claims. Organizations are registered by e-mail to
    /// developers@kick.com (Kick's organization-management docs).
    #[error(
        "Kick answered {status} to {endpoint}: Drops calls need an app access token of an OAuth app that belongs \
         to a Kick organization (see Kick's organization-management docs){}",
        kick_message(message, &None)
    )]
    OrganizationRequired {
        /// HTTP status (401 or 403).
        status: StatusCode,
        /// Kick's message, when it sent one.
        message: Option<String>,
        /// The call that was refused.
        endpoint: Endpoint,
    },

    /// The resource does not exist: a 404, or an answer with no data to a single-resource fetch (then
    /// `status` is the real one, usually 200).
    #[error("not found: {endpoint} (HTTP {status}){}", kick_message(message, &None))]
    NotFound {
        /// The status Kick answered with.
        status: StatusCode,
        /// Kick's message, when it sent one.
        message: Option<String>,
        /// The call that found nothing.
        endpoint: Endpoint,
    },

    /// Kick answered 429 and the retry policy gave up (or is off).
    #[error("rate limited by Kick on {endpoint} after {attempts} attempt(s){}", retry_hint(retry_after))]
    RateLimited {
        /// Kick's `Retry-After`, when it sent one.
        retry_after: Option<Duration>,
        /// How many requests were made.
        attempts: u32,
        /// The call that was refused.
        endpoint: Endpoint,
    },

    /// The call needs a token of this kind and the client has none.
    #[error("no {kind} token: call authenticate() or set_user_token() first")]
    MissingToken {
        /// The token kind the call needs.
        kind: TokenKind,
    },

    /// The user token lacks a scope this call needs; nothing was sent.
    #[error("`{operation}` needs the `{scope}` scope, which the user token was not granted")]
    MissingScope {
        /// The scope the call needs (any one of several, where Kick accepts several).
        scope: String,
        /// The operation id.
        operation: &'static str,
    },

    /// Login, token exchange or refresh failed.
    #[error(transparent)]
    Auth(#[from] AuthError),

    /// The request never got an HTTP answer (connect, TLS, timeout, reset); the cause is
    /// [`source`](std::error::Error::source).
    #[error("could not reach Kick for {endpoint} after {attempts} attempt(s)")]
    Transport {
        /// How many requests were made.
        attempts: u32,
        /// The call that failed.
        endpoint: Endpoint,
        /// What failed.
        #[source]
        source: TransportError,
    },

    /// Kick answered, but the body is not what the call expects.
    #[error("cannot decode the answer of {endpoint} at `{path}`: {reason}; body starts with: {snippet}")]
    Decode {
        /// The JSON path that failed, e.g. `data[0].stream.start_time`.
        path: String,
        /// What was wrong there.
        reason: String,
        /// The start of the body (Kick's answers carry no secrets; token answers are never quoted).
        snippet: String,
        /// HTTP status of the answer.
        status: StatusCode,
        /// The call whose answer failed to decode.
        endpoint: Endpoint,
    },

    /// Kick kept failing for a passing reason (502/503/504) until the retry policy gave up; the last
    /// failure is [`source`](std::error::Error::source) (and its status is [`Error::status`]).
    #[error("gave up after {attempts} attempts")]
    RetriesExhausted {
        /// How many requests were made.
        attempts: u32,
        /// The last failure.
        #[source]
        last: Box<Error>,
    },

    /// Kick's server answered with a redirect. Not followed: the request carried a bearer token or a
    /// body, which go only to the API base URL's origin.
    #[error("Kick answered {endpoint} with a redirect ({status}) to {}; requests are only sent to the API base URL's origin, so it was not followed", location.as_deref().unwrap_or("nowhere"))]
    Redirected {
        /// The redirect status (301, 302, 303, 307, 308...).
        status: StatusCode,
        /// The `Location` header, when there was one.
        location: Option<String>,
        /// The call that was redirected.
        endpoint: Endpoint,
    },

    /// The answer was longer than the client reads ([`crate::KickClientBuilder::max_answer_bytes`]);
    /// reading stopped there.
    #[error("the answer of {endpoint} is over {limit} bytes (max_answer_bytes); reading stopped there")]
    AnswerTooLarge {
        /// The cap that was passed, in bytes.
        limit: usize,
        /// The call whose answer was too large.
        endpoint: Endpoint,
    },

    /// A paginated stream got a `next_cursor` it had already followed: the server would send the same
    /// pages for ever, so the stream ends here.
    #[error("{operation} sent the cursor `{cursor}` a second time; the stream stops instead of looping")]
    RepeatedCursor {
        /// The paginated method, e.g. `fetch_categories`.
        operation: &'static str,
        /// The cursor that came back.
        cursor: String,
    },

    /// The client was configured wrongly (a bad base URL, ...).
    #[error("invalid client configuration: {0}")]
    Config(String),
}

/// Kick's message and, when `data` is plain text (e.g. `"Channel not found"`), that text too.
fn kick_message(message: &Option<String>, data: &Option<serde_json::Value>) -> String {
    let detail = data.as_ref().and_then(serde_json::Value::as_str).filter(|text| !text.trim().is_empty());
    match (message.as_deref(), detail) {
        (Some(message), Some(detail)) if message != detail => format!(": {message} ({detail})"),
        (Some(message), _) => format!(": {message}"),
        (None, Some(detail)) => format!(": {detail}"),
        (None, None) => String::new(),
    }
}

fn retry_hint(retry_after: &Option<Duration>) -> String {
    retry_after.map(|d| format!(" (Retry-After {} s)", d.as_secs())).unwrap_or_default()
}

impl Error {
    /// Names the facade method the user called (e.g. `fetch_channel`) in place of the operation it went
    /// through (`fetch_channels`), so the error points at the caller's own line.
    pub(crate) fn called_as(mut self, method: &'static str) -> Self {
        match &mut self {
            Error::Api { endpoint, .. }
            | Error::SubscriptionLimitReached { endpoint, .. }
            | Error::OrganizationRequired { endpoint, .. }
            | Error::NotFound { endpoint, .. }
            | Error::RateLimited { endpoint, .. }
            | Error::Transport { endpoint, .. }
            | Error::Decode { endpoint, .. }
            | Error::Redirected { endpoint, .. }
            | Error::AnswerTooLarge { endpoint, .. } => endpoint.operation = method,
            Error::MissingScope { operation, .. } => *operation = method,
            Error::RetriesExhausted { last, .. } => {
                let inner = std::mem::replace(last.as_mut(), Error::Config(String::new()));
                **last = inner.called_as(method);
            }
            _ => {}
        }
        self
    }

    /// The HTTP status Kick answered with, when there was an answer.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { status, .. }
            | Error::Decode { status, .. }
            | Error::Redirected { status, .. }
            | Error::NotFound { status, .. } => Some(*status),
            Error::RetriesExhausted { last, .. } => last.status(),
            Error::SubscriptionLimitReached { .. } => Some(StatusCode::BAD_REQUEST),
            Error::OrganizationRequired { status, .. } => Some(*status),
            Error::RateLimited { .. } => Some(StatusCode::TOO_MANY_REQUESTS),
            _ => None,
        }
    }
}

/// Why a request got no whole answer: connecting, TLS, a timeout, or the connection lost mid-answer. It
/// reads as its cause (`Display` and [`source`](std::error::Error::source) are the cause's), whichever way
/// kickrs sent the request.
///
/// ```
/// fn worth_retrying(error: &kickrs::Error) -> bool {
///     matches!(error, kickrs::Error::Transport { source, .. } if source.is_timeout() || source.is_connect())
/// }
/// ```
#[derive(Clone)]
pub struct TransportError(Arc<dyn StdError + Send + Sync>);

impl TransportError {
    /// From the error reqwest returned, which is kickrs' own transport's failure carried through
    /// reqwest's type, or reqwest's (then without its URL: the error that holds this one names it).
    pub(crate) fn from_reqwest(error: reqwest::Error) -> Self {
        match crate::client::transport::carried_cause(&error) {
            Some(cause) => Self(cause),
            None => Self(Arc::new(error.without_url())),
        }
    }

    /// True when the time allowed ran out: connecting, or waiting for the answer or its body.
    pub fn is_timeout(&self) -> bool {
        self.chain().any(|error| {
            error.downcast_ref::<reqwest::Error>().is_some_and(reqwest::Error::is_timeout)
                || error.downcast_ref::<hyper::Error>().is_some_and(hyper::Error::is_timeout)
                || error.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut)
        })
    }

    /// True when no connection was made (refused, unreachable, DNS, TLS handshake): the request was
    /// not sent.
    pub fn is_connect(&self) -> bool {
        self.chain().any(|error| {
            error.downcast_ref::<reqwest::Error>().is_some_and(reqwest::Error::is_connect)
                || error
                    .downcast_ref::<hyper_util::client::legacy::Error>()
                    .is_some_and(hyper_util::client::legacy::Error::is_connect)
        })
    }

    /// The cause and its sources, in order.
    fn chain(&self) -> impl Iterator<Item = &(dyn StdError + 'static)> {
        causes(&*self.0)
    }
}

/// `error` and its sources, in order: what kickrs looks through to tell a failure's kind.
pub(crate) fn causes<'a>(error: &'a (dyn StdError + 'static)) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
    std::iter::successors(Some(error), |&error| error.source())
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl StdError for TransportError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.0.source()
    }
}
