//! Why a webhook delivery was rejected or not handled, and what to answer Kick.

use std::time::Duration;

use http::StatusCode;

use super::headers::DeliveryHeader;

/// A boxed error returned by a user's event handler.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Why a webhook delivery could not be verified, decoded or handled.
///
/// [`WebhookError::status`] says what HTTP status the receiver answers Kick with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// A required delivery header is absent or empty.
    #[error("missing header {header}")]
    MissingHeader {
        /// The header that was missing.
        header: DeliveryHeader,
    },
    /// A delivery header is present but its value cannot be used.
    #[error("invalid header {header}: {reason}")]
    InvalidHeader {
        /// The offending header.
        header: DeliveryHeader,
        /// What is wrong with its value.
        reason: String,
    },
    /// The `Kick-Event-Signature` header is not valid standard base64.
    #[error("header {} is not valid base64: {reason}", DeliveryHeader::Signature)]
    BadBase64 {
        /// The decoder's complaint.
        reason: String,
    },
    /// The signature does not match the message id, timestamp and body under the configured key.
    #[error("signature does not match the body and headers (forged, altered or signed with another key)")]
    BadSignature,
    /// The delivery's timestamp is outside the freshness window.
    #[error(
        "stale delivery: timestamp is {age_seconds} s from now, outside the allowed window of {} s",
        window.as_secs()
    )]
    StaleTimestamp {
        /// How old the delivery is, in seconds (negative when it claims to come from the future).
        age_seconds: i64,
        /// The configured window.
        window: Duration,
    },
    /// This message id was already handled successfully (Kick re-delivered or someone replayed it).
    #[error("message {message_id} was already handled")]
    Replayed {
        /// The replayed [`DeliveryMeta::dedup_key`](super::DeliveryMeta::dedup_key): the
        /// `Kick-Event-Message-Id`, or `drops.claim:<claim_id>` for a Drops claim.
        message_id: String,
    },
    /// Another delivery with this message id is being handled right now.
    #[error("message {message_id} is being handled by a concurrent delivery")]
    InProgress {
        /// The [`DeliveryMeta::dedup_key`](super::DeliveryMeta::dedup_key) in flight.
        message_id: String,
    },
    /// The dedup store could not be asked whether this message id is new (e.g. Redis is out of
    /// reach); answered 503 so Kick delivers it again later.
    #[error("the webhook dedup store is unavailable: {message}")]
    DedupUnavailable {
        /// What failed.
        message: String,
    },
    /// The body is larger than the configured limit.
    #[error("body of {size} bytes exceeds the limit of {limit} bytes")]
    BodyTooLarge {
        /// The declared `Content-Length`, or the number of bytes read before giving up.
        size: u64,
        /// The configured limit in bytes.
        limit: u64,
    },
    /// The body is authentic but does not decode as the announced event type.
    #[error("malformed {event_type} payload at `{path}`: {reason}")]
    MalformedPayload {
        /// The `Kick-Event-Type` the body was decoded as.
        event_type: String,
        /// JSON path of the offending value (`.` for the document itself).
        path: String,
        /// What the decoder expected.
        reason: String,
    },
    /// An event handler returned an error (or panicked); the delivery was not handled.
    #[error("handler for {event_type} (message {message_id}) failed: {source}")]
    HandlerFailed {
        /// The event type being handled.
        event_type: String,
        /// The `Kick-Event-Message-Id` of the delivery.
        message_id: crate::ids::EventMessageId,
        /// The handler's error.
        #[source]
        source: BoxError,
    },
}

impl WebhookError {
    /// The HTTP status a receiver answers with for this outcome.
    ///
    /// Forged deliveries get 401, stale and malformed ones 400, an oversized body 413; a replay
    /// of an already handled message gets 200 (nothing more to do); a failed handler or a
    /// concurrent duplicate gets a 5xx so that Kick retries later.
    pub fn status(&self) -> StatusCode {
        match self {
            WebhookError::MissingHeader { .. }
            | WebhookError::InvalidHeader { .. }
            | WebhookError::StaleTimestamp { .. }
            | WebhookError::MalformedPayload { .. } => StatusCode::BAD_REQUEST,
            WebhookError::BadBase64 { .. } | WebhookError::BadSignature => StatusCode::UNAUTHORIZED,
            WebhookError::BodyTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            WebhookError::Replayed { .. } => StatusCode::OK,
            WebhookError::InProgress { .. } | WebhookError::DedupUnavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            WebhookError::HandlerFailed { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// True when Kick should deliver this message again later (a handler failed, or a
    /// concurrent delivery of the same message has not finished).
    pub fn is_retryable(&self) -> bool {
        self.status().is_server_error()
    }
}

/// Why a public key could not be used for verification.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PublicKeyError {
    /// The text is not a PEM block (`-----BEGIN PUBLIC KEY-----` ... `-----END PUBLIC KEY-----`).
    #[error("not a PEM public key: {reason}")]
    NotPem {
        /// What is missing or wrong.
        reason: String,
    },
    /// The PEM body is not base64.
    #[error("PEM body is not valid base64: {reason}")]
    BadBase64 {
        /// The decoder's complaint.
        reason: String,
    },
    /// The key is RSA, but of a size the verifier cannot check signatures with (it takes 2048 to 8192
    /// bits): refused when loaded rather than failing every delivery later.
    #[error("the RSA key has {bits} bits; webhook signatures are checked with RSA keys of 2048 to 8192 bits")]
    KeySize {
        /// The modulus size of the key that was given.
        bits: usize,
    },
    /// The DER is not an RSA public key of 2048 to 8192 bits.
    #[error("not an RSA public key usable for PKCS#1 v1.5 SHA-256 (2048-8192 bits): {reason}")]
    Rejected {
        /// The crypto library's reason.
        reason: String,
    },
}
