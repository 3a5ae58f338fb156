//! Framework-agnostic verification of a delivery: headers and raw body in, a verified
//! [`Delivery`] or a typed [`WebhookError`] out.
//!
//! ```
//! use std::time::Duration;
//! use kickrs::webhooks::Verifier;
//!
//! // Kick's published key, 5-minute freshness window, in-memory replay detection:
//! let verifier = Verifier::new();
//! // A tighter window and a key fetched at runtime:
//! let verifier = Verifier::new()
//!     .with_freshness_window(Duration::from_secs(60))
//!     .with_public_key_pem(kickrs::webhooks::KICK_PUBLIC_KEY_PEM)
//!     .unwrap();
//! # let _ = verifier;
//! ```

use std::sync::{Arc, RwLock};
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};
use http::HeaderMap;

use super::clock::{Clock, SystemClock};
use super::dedup::{DedupStore, InMemoryDedupStore, Reservation};
use super::error::{PublicKeyError, WebhookError};
use super::events::{DropsRewardClaimed, Event, EventPayload as _};
use super::headers::DeliveryHeader;
use super::key::{PublicKey, signed_message};

/// Default freshness window: deliveries signed more than this long ago (or ahead) are stale.
pub const DEFAULT_FRESHNESS_WINDOW: Duration = Duration::from_secs(5 * 60);

/// Default body size limit (Kick's payloads are a few KiB).
pub const DEFAULT_MAX_BODY_BYTES: u64 = 256 * 1024;

/// Checks Kick's signature, the freshness of the timestamp, the body size and replays.
#[derive(Debug)]
pub struct Verifier {
    key: RwLock<Arc<PublicKey>>,
    freshness_window: Option<Duration>,
    clock: Arc<dyn Clock>,
    max_body_bytes: u64,
    dedup: Option<Arc<dyn DedupStore>>,
}

impl Default for Verifier {
    fn default() -> Self {
        Self::new()
    }
}

impl Verifier {
    /// Kick's embedded public key, a 5-minute freshness window on the system clock, a
    /// 256 KiB body limit and an in-memory [`InMemoryDedupStore`].
    pub fn new() -> Self {
        Self {
            key: RwLock::new(Arc::new(PublicKey::kick())),
            freshness_window: Some(DEFAULT_FRESHNESS_WINDOW),
            clock: Arc::new(SystemClock),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            dedup: Some(InMemoryDedupStore::default().shared()),
        }
    }

    /// Uses `key` instead of Kick's published key.
    pub fn with_public_key(self, key: PublicKey) -> Self {
        self.set_public_key(key);
        self
    }

    /// Uses the PEM `pem` (e.g. from `fetch_public_key`) instead of Kick's published key.
    ///
    /// # Errors
    /// [`PublicKeyError`] when `pem` is not an RSA public key.
    pub fn with_public_key_pem(self, pem: &str) -> Result<Self, PublicKeyError> {
        self.set_public_key_pem(pem)?;
        Ok(self)
    }

    /// Replaces the key while the verifier is in use (deliveries in flight finish with the
    /// key they started with).
    pub fn set_public_key(&self, key: PublicKey) {
        *self.key.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = Arc::new(key);
    }

    /// Replaces the key with the PEM `pem` while the verifier is in use.
    ///
    /// # Errors
    /// [`PublicKeyError`] when `pem` is not an RSA public key; the old key stays in place.
    pub fn set_public_key_pem(&self, pem: &str) -> Result<(), PublicKeyError> {
        self.set_public_key(PublicKey::from_pem(pem)?);
        Ok(())
    }

    /// The key signatures are checked against.
    pub fn public_key(&self) -> Arc<PublicKey> {
        Arc::clone(&self.key.read().unwrap_or_else(|poisoned| poisoned.into_inner()))
    }

    /// Rejects deliveries whose timestamp is further than `window` from now (either way).
    pub fn with_freshness_window(mut self, window: Duration) -> Self {
        self.freshness_window = Some(window);
        self
    }

    /// Accepts deliveries of any age (signature, size and replay checks still apply).
    pub fn without_freshness_check(mut self) -> Self {
        self.freshness_window = None;
        self
    }

    /// Reads "now" from `clock` (for tests; the default is the system clock).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Refuses bodies larger than `limit` bytes.
    pub fn with_max_body_bytes(mut self, limit: u64) -> Self {
        self.max_body_bytes = limit;
        self
    }

    /// The body size limit in bytes.
    pub fn max_body_bytes(&self) -> u64 {
        self.max_body_bytes
    }

    /// Records handled message ids in `store` instead of the default in-memory store.
    pub fn with_dedup_store(mut self, store: Arc<dyn DedupStore>) -> Self {
        self.dedup = Some(store);
        self
    }

    /// Does not look for replayed message ids.
    pub fn without_dedup(mut self) -> Self {
        self.dedup = None;
        self
    }

    /// Fails with [`WebhookError::BodyTooLarge`] when `size` exceeds the limit.
    pub fn check_body_size(&self, size: u64) -> Result<(), WebhookError> {
        if size > self.max_body_bytes {
            return Err(WebhookError::BodyTooLarge { size, limit: self.max_body_bytes });
        }
        Ok(())
    }

    /// Verifies a delivery: body size, headers, signature over the raw `body`, freshness, and
    /// that it was not handled already (by message id; a Drops claim by claim id, see
    /// [`DeliveryMeta::dedup_key`]).
    ///
    /// The returned [`Delivery`] holds the message id's reservation: call
    /// [`Delivery::mark_handled`] once the event is processed; dropping it instead lets a
    /// re-delivery of the same id through again.
    ///
    /// # Errors
    /// The first failed check, as a [`WebhookError`].
    pub async fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<Delivery, WebhookError> {
        self.check_body_size(body.len() as u64)?;
        let meta = self.verify_signature(headers, body)?;
        let now = self.clock.now();
        self.check_freshness(meta.timestamp, now)?;
        let claim = self.reserve(&meta.dedup_key, now).await?;
        Ok(Delivery { meta, claim })
    }

    /// Checks the headers and the signature only (no size, freshness or replay check), e.g.
    /// for archived deliveries.
    ///
    /// An event delivery needs its six headers. A Drops claim is the one delivery Kick sends with
    /// three (`Kick-Event-Signature`, `Kick-Event-Message-ID`, `Kick-Event-Timestamp`); it is recognised
    /// by that shape (a `Kick-Event-Timestamp` and none of the headers only events carry), so an event
    /// that lacks its type header is still refused, and a body that is not a claim fails to decode.
    ///
    /// # Errors
    /// [`WebhookError::MissingHeader`], [`WebhookError::InvalidHeader`],
    /// [`WebhookError::BadBase64`] or [`WebhookError::BadSignature`].
    pub fn verify_signature(&self, headers: &HeaderMap, body: &[u8]) -> Result<DeliveryMeta, WebhookError> {
        if is_drops_claim(headers) {
            return self.verify_claim_signature(headers, body);
        }
        let message_id = DeliveryHeader::MessageId.read(headers)?;
        let timestamp_text = DeliveryHeader::MessageTimestamp.read(headers)?;
        let signature_text = DeliveryHeader::Signature.read(headers)?;
        let event_type = DeliveryHeader::EventType.read(headers)?;
        let version_text = DeliveryHeader::EventVersion.read(headers)?;
        self.check_signature(message_id, timestamp_text, signature_text, body)?;

        let timestamp = DateTime::parse_from_rfc3339(timestamp_text)
            .map_err(|err| WebhookError::InvalidHeader {
                header: DeliveryHeader::MessageTimestamp,
                reason: format!("not an RFC 3339 time ({err})"),
            })?
            .with_timezone(&Utc);
        let version = version_text.parse::<u32>().map_err(|err| WebhookError::InvalidHeader {
            header: DeliveryHeader::EventVersion,
            reason: format!("not a version number ({err})"),
        })?;
        let subscription_id = DeliveryHeader::SubscriptionId.read(headers).ok().map(crate::ids::SubscriptionId::from);

        Ok(DeliveryMeta {
            message_id: message_id.into(),
            subscription_id,
            timestamp,
            event_type: event_type.to_owned(),
            version,
            dedup_key: message_id.to_owned(),
        })
    }

    /// A Drops claim delivery: signed over `{message_id}.{timestamp}.{body}` like the events, with
    /// `Kick-Event-Timestamp` as the timestamp.
    fn verify_claim_signature(&self, headers: &HeaderMap, body: &[u8]) -> Result<DeliveryMeta, WebhookError> {
        let message_id = DeliveryHeader::MessageId.read(headers)?;
        let timestamp_text = DeliveryHeader::Timestamp.read(headers)?;
        let signature_text = DeliveryHeader::Signature.read(headers)?;
        self.check_signature(message_id, timestamp_text, signature_text, body)?;
        let timestamp = claim_timestamp(timestamp_text)?;
        // Kick asks for idempotence on the claim id: a claim sent again under a new message id is a replay.
        let dedup_key = serde_json::from_slice::<ClaimKey>(body)
            .map_or_else(|_| message_id.to_owned(), |key| format!("{}:{}", DropsRewardClaimed::NAME, key.claim_id));
        Ok(DeliveryMeta {
            message_id: message_id.into(),
            subscription_id: None,
            timestamp,
            event_type: DropsRewardClaimed::NAME.to_owned(),
            version: DropsRewardClaimed::VERSION,
            dedup_key,
        })
    }

    fn check_signature(
        &self,
        message_id: &str,
        timestamp_text: &str,
        signature_text: &str,
        body: &[u8],
    ) -> Result<(), WebhookError> {
        let signature =
            STANDARD.decode(signature_text).map_err(|err| WebhookError::BadBase64 { reason: err.to_string() })?;
        let message = signed_message(message_id, timestamp_text, body);
        if self.public_key().verifies(&message, &signature) { Ok(()) } else { Err(WebhookError::BadSignature) }
    }

    fn check_freshness(&self, timestamp: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), WebhookError> {
        let Some(window) = self.freshness_window else {
            return Ok(());
        };
        let age = now - timestamp;
        let within = age.abs().to_std().map(|age| age <= window).unwrap_or(false);
        if within { Ok(()) } else { Err(WebhookError::StaleTimestamp { age_seconds: age.num_seconds(), window }) }
    }

    async fn reserve(&self, key: &str, now: DateTime<Utc>) -> Result<Option<DedupClaim>, WebhookError> {
        let Some(store) = &self.dedup else {
            return Ok(None);
        };
        let reservation =
            store.reserve(key, now).await.map_err(|e| WebhookError::DedupUnavailable { message: e.to_string() })?;
        match reservation {
            Reservation::Reserved => Ok(Some(DedupClaim {
                store: Arc::clone(store),
                clock: Arc::clone(&self.clock),
                key: key.to_owned(),
                finished: false,
            })),
            Reservation::InProgress => Err(WebhookError::InProgress { message_id: key.to_owned() }),
            Reservation::AlreadyHandled => Err(WebhookError::Replayed { message_id: key.to_owned() }),
        }
    }
}

/// A Drops claim delivery: `Kick-Event-Timestamp` present and none of the headers only events carry.
fn is_drops_claim(headers: &HeaderMap) -> bool {
    let event_only = [
        DeliveryHeader::MessageTimestamp,
        DeliveryHeader::EventType,
        DeliveryHeader::EventVersion,
        DeliveryHeader::SubscriptionId,
    ];
    DeliveryHeader::Timestamp.is_present(headers) && !event_only.iter().any(|header| header.is_present(headers))
}

/// The claim id, read before the full decode so that replays are keyed on it.
#[derive(serde::Deserialize)]
struct ClaimKey {
    claim_id: String,
}

/// `Kick-Event-Timestamp`: Kick does not document its format, so RFC 3339 (as the events' timestamp)
/// or Unix seconds.
fn claim_timestamp(text: &str) -> Result<DateTime<Utc>, WebhookError> {
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Ok(time.with_timezone(&Utc));
    }
    text.parse::<i64>().ok().and_then(|seconds| DateTime::from_timestamp(seconds, 0)).ok_or_else(|| {
        WebhookError::InvalidHeader {
            header: DeliveryHeader::Timestamp,
            reason: "neither an RFC 3339 time nor Unix seconds".to_owned(),
        }
    })
}

/// The delivery headers of a verified webhook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryMeta {
    /// `Kick-Event-Message-Id` (ULID, the idempotency key).
    pub message_id: crate::ids::EventMessageId,
    /// `Kick-Event-Subscription-Id`, if sent.
    pub subscription_id: Option<crate::ids::SubscriptionId>,
    /// `Kick-Event-Message-Timestamp` (`Kick-Event-Timestamp` for a Drops claim).
    pub timestamp: DateTime<Utc>,
    /// `Kick-Event-Type` (`drops.claim` for a Drops claim, which has no type header).
    pub event_type: String,
    /// `Kick-Event-Version` (1 for a Drops claim).
    pub version: u32,
    /// What replays are recognised by: the message id, or for a Drops claim `drops.claim:<claim_id>`
    /// (Kick may send one claim under several message ids and asks for idempotence on the claim id).
    pub dedup_key: String,
}

/// A verified delivery, holding the reservation of its message id until it is marked handled
/// or dropped.
#[derive(Debug)]
pub struct Delivery {
    meta: DeliveryMeta,
    claim: Option<DedupClaim>,
}

impl Delivery {
    /// The delivery headers.
    pub fn meta(&self) -> &DeliveryMeta {
        &self.meta
    }

    /// Decodes `body` (the same bytes that were verified) as the announced event type.
    ///
    /// # Errors
    /// [`WebhookError::MalformedPayload`] with the JSON path and reason.
    pub fn decode(&self, body: &[u8]) -> Result<Event, WebhookError> {
        Event::decode(&self.meta.event_type, self.meta.version, body)
    }

    /// Records the message id as handled, so a re-delivery is recognised as a replay.
    ///
    /// If the dedup store fails now, the failure is logged and the reservation left to expire in
    /// the store: the event was handled, and a re-delivery after that may be handled again.
    pub async fn mark_handled(mut self) -> DeliveryMeta {
        if let Some(mut claim) = self.claim.take() {
            claim.complete().await;
        }
        self.meta
    }
}

/// A dedup key (message id, or claim key) reserved in a [`DedupStore`]; released on drop unless finished.
#[derive(Debug)]
struct DedupClaim {
    store: Arc<dyn DedupStore>,
    clock: Arc<dyn Clock>,
    key: String,
    finished: bool,
}

impl DedupClaim {
    async fn complete(&mut self) {
        self.finished = true;
        if let Err(error) = self.store.complete(&self.key, self.clock.now()).await {
            tracing::warn!(%error, key = %self.key, "could not record the webhook as handled");
        }
    }
}

impl Drop for DedupClaim {
    fn drop(&mut self) {
        if self.finished {
            return;
        }
        let (store, key) = (Arc::clone(&self.store), std::mem::take(&mut self.key));
        let release = async move {
            if let Err(error) = store.release(&key).await {
                tracing::warn!(%error, %key, "could not release a webhook reservation; it expires by itself");
            }
        };
        // An in-memory store is done at once; a remote one finishes in the background when a runtime
        // is at hand (otherwise its reservation expires by itself).
        let mut release = Box::pin(release);
        if futures::FutureExt::now_or_never(&mut release).is_none()
            && let Ok(runtime) = tokio::runtime::Handle::try_current()
        {
            runtime.spawn(release);
        }
    }
}
