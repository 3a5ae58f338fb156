//! Fuzz target for the webhook verify+decode path.
//!
//! Input layout: one mode byte, then NUL-separated message id, timestamp, signature, event
//! type, version and body. Every 16th mode re-signs the input with a test key so the decoder
//! behind a successful verification is reached too.
#![no_main]

use std::sync::LazyLock;

use http::{HeaderMap, HeaderValue};
use kickrs::webhooks::events::EVENT_NAMES;
use kickrs::webhooks::signing::TestSigner;
use kickrs::webhooks::{DeliveryHeader, Event, Verifier};
use libfuzzer_sys::fuzz_target;

static SIGNER: LazyLock<TestSigner> = LazyLock::new(TestSigner::new);
static VERIFIER: LazyLock<Verifier> = LazyLock::new(|| {
    Verifier::new()
        .with_public_key(SIGNER.public_key())
        .without_freshness_check()
        .without_dedup()
});

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let mut fields = rest.splitn(6, |byte| *byte == 0);
    let mut text = || std::str::from_utf8(fields.next().unwrap_or_default()).unwrap_or("");
    let (message_id, timestamp, signature, event_type, version) =
        (text(), text(), text(), text(), text());
    let body = fields.next().unwrap_or_default();

    let signature = if mode.is_multiple_of(16) {
        SIGNER.sign(message_id, timestamp, body)
    } else {
        signature.to_owned()
    };
    let mut headers = HeaderMap::new();
    for (header, value) in [
        (DeliveryHeader::MessageId, message_id),
        (DeliveryHeader::MessageTimestamp, timestamp),
        (DeliveryHeader::Signature, signature.as_str()),
        (DeliveryHeader::EventType, event_type),
        (DeliveryHeader::EventVersion, version),
    ] {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(header.name(), value);
        }
    }
    if let Ok(delivery) = futures::executor::block_on(VERIFIER.verify(&headers, body)) {
        let _ = delivery.decode(body);
    }
    for name in EVENT_NAMES {
        let _ = Event::decode(name, 1, body);
    }
    // A Drops claim has no type header; kickrs decodes it under this name.
    let _ = Event::decode("drops.claim", 1, body);
});
