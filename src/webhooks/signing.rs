//! Sign webhook deliveries the way Kick does, with a test key, so handlers can be tested.
//!
//! The keys are 32 fixed RSA-2048 keys that ship with kickrs (`test-keys.pem`, made with
//! `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048`): kickrs' one crypto library, *ring*, signs
//! but cannot generate RSA keys. They are public, so they prove nothing outside tests.
//!
//! ```
//! use kickrs::webhooks::signing::TestSigner;
//! use kickrs::webhooks::{Event, Verifier};
//!
//! let signer = TestSigner::new();
//! let body = br#"{"broadcaster":{"user_id":1},"follower":{"user_id":2}}"#;
//! let headers = signer.headers("channel.followed", 1, body);
//!
//! let verifier = Verifier::new().with_public_key(signer.public_key());
//! let delivery = futures::executor::block_on(verifier.verify(&headers, body)).unwrap();
//! assert!(matches!(delivery.decode(body).unwrap(), Event::ChannelFollow(_)));
//! ```

use std::sync::atomic::{AtomicUsize, Ordering};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, SecondsFormat, Utc};
use http::{HeaderMap, HeaderValue};
use rand::Rng as _;
use ring::rand::SystemRandom;
use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair};

use super::events::{DropsRewardClaimed, EventPayload};
use super::headers::DeliveryHeader;
use super::key::{PublicKey, signed_message};

/// An RSA key pair that signs deliveries exactly as Kick does (PKCS#1 v1.5, SHA-256, standard
/// base64), for tests of webhook handlers and for mock servers.
pub struct TestSigner {
    key_pair: RsaKeyPair,
    pkcs8: Vec<u8>,
    /// SPKI, the form Kick publishes.
    public_key_der: Vec<u8>,
}

/// Why a test key could not be loaded.
#[derive(Debug, Clone, thiserror::Error)]
#[error("could not load an RSA test key: {reason}")]
pub struct SigningError {
    reason: String,
}

/// The test keys, PKCS#8 PEM blocks one after another.
const TEST_KEYS: &str = include_str!("test-keys.pem");
/// Which test key the next [`TestSigner::new`] takes.
static NEXT_TEST_KEY: AtomicUsize = AtomicUsize::new(0);

impl TestSigner {
    /// The next of kickrs' 32 fixed RSA-2048 test keys: the first 32 signers of a process have different
    /// keys, then they repeat. The keys are published with kickrs: use them for tests only.
    ///
    /// # Panics
    /// If the embedded key does not load (a defect the test suite would show);
    /// use [`TestSigner::try_new`] to get an error instead.
    pub fn new() -> Self {
        Self::try_new().unwrap_or_else(|err| panic!("{err}"))
    }

    /// The next of kickrs' fixed RSA-2048 test keys (see [`TestSigner::new`]).
    ///
    /// # Errors
    /// [`SigningError`] if the embedded key does not load.
    pub fn try_new() -> Result<Self, SigningError> {
        let count = TEST_KEYS.matches(PRIVATE_END).count();
        let index = NEXT_TEST_KEY.fetch_add(1, Ordering::Relaxed) % count.max(1);
        let block = TEST_KEYS.split_inclusive(PRIVATE_END).nth(index).unwrap_or_default();
        Self::from_private_key_pem(block)
    }

    /// Loads a key pair from a PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), e.g. one written by
    /// [`private_key_pem`](Self::private_key_pem), so a sender and a receiver can share a key
    /// across runs.
    ///
    /// ```
    /// use kickrs::webhooks::signing::TestSigner;
    ///
    /// let signer = TestSigner::new();
    /// let again = TestSigner::from_private_key_pem(&signer.private_key_pem()).unwrap();
    /// assert_eq!(again.public_key_pem(), signer.public_key_pem());
    /// ```
    ///
    /// # Errors
    /// [`SigningError`] naming what is wrong: not PEM, not a `PRIVATE KEY` block, bad base64, or
    /// not an RSA key the crypto library accepts.
    pub fn from_private_key_pem(pem: &str) -> Result<Self, SigningError> {
        let fail = |reason: String| SigningError { reason };
        let pem = pem.replace("\\n", "\n");
        let begin = pem.find(PRIVATE_BEGIN).ok_or_else(|| fail(format!("no `{PRIVATE_BEGIN}` line")))?;
        let body = &pem[begin + PRIVATE_BEGIN.len()..];
        let end = body.find(PRIVATE_END).ok_or_else(|| fail(format!("no `{PRIVATE_END}` line")))?;
        let base64_text: String = body[..end].chars().filter(|c| !c.is_whitespace()).collect();
        let der = STANDARD.decode(base64_text).map_err(|err| fail(format!("bad base64 in the PEM: {err}")))?;
        Self::from_pkcs8_der(der)
    }

    /// Loads a key pair from a DER-encoded PKCS#8 RSA private key, e.g. one a key generator wrote.
    ///
    /// ```
    /// use kickrs::webhooks::signing::TestSigner;
    ///
    /// assert!(TestSigner::from_pkcs8_der(b"not a key".to_vec()).is_err());
    /// ```
    ///
    /// # Errors
    /// [`SigningError`] when the bytes are not an RSA key the crypto library accepts.
    pub fn from_pkcs8_der(pkcs8: impl Into<Vec<u8>>) -> Result<Self, SigningError> {
        let pkcs8 = pkcs8.into();
        let key_pair = RsaKeyPair::from_pkcs8(&pkcs8)
            .map_err(|err| SigningError { reason: format!("not an RSA PKCS#8 key: {err}") })?;
        let public_key_der = spki_of(key_pair.public().as_ref());
        Ok(Self { key_pair, pkcs8, public_key_der })
    }

    /// The private key as a PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), for
    /// [`from_private_key_pem`](Self::from_private_key_pem).
    pub fn private_key_pem(&self) -> String {
        pem_block("PRIVATE KEY", &self.pkcs8)
    }

    /// The public key as an SPKI PEM (`-----BEGIN PUBLIC KEY-----`), the format Kick publishes.
    pub fn public_key_pem(&self) -> String {
        pem_block("PUBLIC KEY", &self.public_key_der)
    }

    /// The public key, ready for [`Verifier::with_public_key`](super::Verifier::with_public_key).
    pub fn public_key(&self) -> PublicKey {
        // The DER is the public half of a key *ring* loaded, so it always parses.
        PublicKey::from_der(&self.public_key_der).unwrap_or_else(|err| panic!("test key does not parse: {err}"))
    }

    /// Signs `{message_id}.{timestamp}.{body}` and returns the base64 signature, the value of
    /// `Kick-Event-Signature`.
    ///
    /// # Panics
    /// If the crypto library fails to sign with a valid key (it does not).
    pub fn sign(&self, message_id: &str, timestamp: &str, body: &[u8]) -> String {
        let message = signed_message(message_id, timestamp, body);
        let mut signature = vec![0; self.key_pair.public().modulus_len()];
        self.key_pair
            .sign(&RSA_PKCS1_SHA256, &SystemRandom::new(), &message, &mut signature)
            .unwrap_or_else(|err| panic!("RSA signing failed: {err}"));
        STANDARD.encode(signature)
    }

    /// The full Kick header set for `body`, with a new message id, a new subscription id and
    /// the current time.
    pub fn headers(&self, event_type: &str, version: u32, body: &[u8]) -> HeaderMap {
        self.sign_delivery(&TestDelivery::new(event_type, version), body)
    }

    /// The full Kick header set for `body` with the ids and time in `delivery`.
    pub fn sign_delivery(&self, delivery: &TestDelivery, body: &[u8]) -> HeaderMap {
        let signature = self.sign(delivery.message_id.as_str(), &delivery.timestamp, body);
        let version = delivery.version.to_string();
        let values = [
            (DeliveryHeader::MessageId, delivery.message_id.as_str()),
            (DeliveryHeader::SubscriptionId, delivery.subscription_id.as_str()),
            (DeliveryHeader::Signature, signature.as_str()),
            (DeliveryHeader::MessageTimestamp, delivery.timestamp.as_str()),
            (DeliveryHeader::EventType, delivery.event_type.as_str()),
            (DeliveryHeader::EventVersion, version.as_str()),
        ];
        let mut headers = HeaderMap::new();
        for (header, value) in values {
            // Values that are not valid header text are left out, which a verifier reports as
            // a missing header: the honest outcome for a test that passes such a value.
            if let Ok(value) = HeaderValue::from_str(value) {
                headers.insert(header.name(), value);
            }
        }
        headers.insert(http::header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers
    }

    /// The three headers of a Drops claim delivery for `body` (`Kick-Event-Signature`,
    /// `Kick-Event-Message-ID`, `Kick-Event-Timestamp`), with a new message id and the current time.
    ///
    /// ```
    /// use kickrs::webhooks::signing::TestSigner;
    /// use kickrs::webhooks::{Event, Verifier};
    ///
    /// let signer = TestSigner::new();
    /// let body = br#"{"claim_id":"01KAAFHJ2PNXS48NG8XXPGWKCZ","user_id":7,"campaign_id":"01JA","reward_id":"01JB"}"#;
    /// let headers = signer.drops_claim_headers(body);
    /// assert_eq!(headers.len(), 4); // the three, plus Content-Type
    /// let verifier = Verifier::new().with_public_key(signer.public_key());
    /// let delivery = futures::executor::block_on(verifier.verify(&headers, body)).unwrap();
    /// assert!(matches!(delivery.decode(body).unwrap(), Event::DropsRewardClaimed(_)));
    /// ```
    pub fn drops_claim_headers(&self, body: &[u8]) -> HeaderMap {
        self.sign_drops_claim_delivery(&ulid_like(), &rfc3339_seconds(Utc::now()), body)
    }

    /// The three Drops claim headers for `body` with this message id and timestamp (signed verbatim).
    pub fn sign_drops_claim_delivery(&self, message_id: &str, timestamp: &str, body: &[u8]) -> HeaderMap {
        let signature = self.sign(message_id, timestamp, body);
        let values = [
            (DeliveryHeader::Signature, signature.as_str()),
            // Kick's drops guide spells it `Kick-Event-Message-ID`; header names are case-insensitive.
            (DeliveryHeader::MessageId, message_id),
            (DeliveryHeader::Timestamp, timestamp),
        ];
        let mut headers = HeaderMap::new();
        for (header, value) in values {
            if let Ok(value) = HeaderValue::from_str(value) {
                headers.insert(header.name(), value);
            }
        }
        headers.insert(http::header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers
    }

    /// Serialises `event` as Kick would and signs it: returns the headers and the body. A
    /// [`DropsRewardClaimed`] gets the three claim headers, every other event the six event headers.
    ///
    /// # Errors
    /// The serialisation error if `event` cannot be written as JSON.
    pub fn sign_event<E: EventPayload>(&self, event: &E) -> Result<(HeaderMap, Vec<u8>), serde_json::Error> {
        let body = serde_json::to_vec(event)?;
        let headers = if E::NAME == DropsRewardClaimed::NAME {
            self.drops_claim_headers(&body)
        } else {
            self.headers(E::NAME, E::VERSION, &body)
        };
        Ok((headers, body))
    }
}

impl Default for TestSigner {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for TestSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestSigner").field("public_key_der_len", &self.public_key_der.len()).finish_non_exhaustive()
    }
}

/// The header values of one test delivery (everything except the signature).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestDelivery {
    /// `Kick-Event-Message-Id`.
    pub message_id: crate::ids::EventMessageId,
    /// `Kick-Event-Subscription-Id`.
    pub subscription_id: crate::ids::SubscriptionId,
    /// `Kick-Event-Message-Timestamp` (RFC 3339), signed verbatim.
    pub timestamp: String,
    /// `Kick-Event-Type`.
    pub event_type: String,
    /// `Kick-Event-Version`.
    pub version: u32,
}

impl TestDelivery {
    /// A delivery of `event_type`/`version` with fresh ULID-like ids, stamped now.
    pub fn new(event_type: &str, version: u32) -> Self {
        Self {
            message_id: ulid_like().into(),
            subscription_id: ulid_like().into(),
            timestamp: rfc3339_seconds(Utc::now()),
            event_type: event_type.to_owned(),
            version,
        }
    }

    /// The same delivery stamped at `time` instead of now.
    pub fn at(mut self, time: DateTime<Utc>) -> Self {
        self.timestamp = rfc3339_seconds(time);
        self
    }
}

const PRIVATE_BEGIN: &str = "-----BEGIN PRIVATE KEY-----";
const PRIVATE_END: &str = "-----END PRIVATE KEY-----";

/// The SPKI of a PKCS#1 `RSAPublicKey`: `SEQUENCE { SEQUENCE { rsaEncryption, NULL }, BIT STRING { key } }`.
fn spki_of(rsa_public_key: &[u8]) -> Vec<u8> {
    const RSA_ENCRYPTION: &[u8] = &[0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00];
    let algorithm = der(0x30, RSA_ENCRYPTION);
    let key = der(0x03, &[&[0][..], rsa_public_key].concat());
    der(0x30, &[algorithm, key].concat())
}

/// One DER element: `tag`, the definite length of `content`, `content`.
fn der(tag: u8, content: &[u8]) -> Vec<u8> {
    let len = content.len().to_be_bytes();
    let significant = &len[len.iter().position(|&byte| byte != 0).unwrap_or(len.len() - 1)..];
    let mut element = vec![tag];
    match content.len() {
        0..=0x7f => element.extend(significant),
        _ => {
            element.push(0x80 | significant.len() as u8);
            element.extend(significant);
        }
    }
    element.extend_from_slice(content);
    element
}

/// A PEM block: base64 of `der` in 64-character lines between BEGIN/END `label` lines.
fn pem_block(label: &str, der: &[u8]) -> String {
    let encoded = STANDARD.encode(der);
    let mut pem = format!("-----BEGIN {label}-----\n");
    for line in encoded.as_bytes().chunks(64) {
        pem.push_str(&String::from_utf8_lossy(line));
        pem.push('\n');
    }
    pem.push_str(&format!("-----END {label}-----\n"));
    pem
}

/// Formats a time as Kick does in `Kick-Event-Message-Timestamp` (`2025-04-01T07:56:19Z`).
pub fn rfc3339_seconds(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A new 26-character ULID-like id (48-bit millisecond time, 80 random bits, Crockford base32),
/// shaped like Kick's message and subscription ids.
pub fn ulid_like() -> String {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let millis = u128::try_from(Utc::now().timestamp_millis()).unwrap_or(0) & ((1 << 48) - 1);
    let random = rand::rng().random::<u128>() & ((1 << 80) - 1);
    let value = (millis << 80) | random;
    (0..26).rev().map(|index| char::from(ALPHABET[((value >> (index * 5)) & 0x1f) as usize])).collect()
}
