//! Webhooks: verification (real Kick delivery and test-signed ones), decoding of every
//! fixture, dispatch outcomes, chat helpers and property tests of the verify+decode path.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use futures::executor::block_on;
use http::{HeaderMap, HeaderValue};
use kickrs::models::RedemptionStatus;
use kickrs::webhooks::events::*;
use kickrs::webhooks::signing::{TestDelivery, TestSigner};
use kickrs::webhooks::{DeliveryHeader, FixedClock, KICK_PUBLIC_KEY_PEM, PublicKey, Verifier, WebhookError};
use serde_json::Value;

mod support;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/webhooks")
}

/// The real signed delivery: headers from `_signatures`, byte-exact body.
fn real_delivery() -> (HeaderMap, Vec<u8>, Value) {
    let description: Value = serde_json::from_slice(
        &std::fs::read(fixtures().join("_signatures/kicklib__REAL_livestream_status_updated.json")).unwrap(),
    )
    .unwrap();
    let body = std::fs::read(fixtures().join("livestream.status.updated/kicklib__REAL_signed_validation_payload.json"))
        .unwrap();
    assert_eq!(body.len() as u64, description["body_length_bytes"].as_u64().unwrap());
    let mut headers = HeaderMap::new();
    for (name, value) in description["headers"].as_object().unwrap() {
        headers.insert(
            http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
            HeaderValue::from_str(value.as_str().unwrap()).unwrap(),
        );
    }
    (headers, body, description)
}

/// A verifier for archived deliveries: Kick's key, no freshness window, no replay store.
fn archive_verifier() -> Verifier {
    Verifier::new().without_freshness_check().without_dedup()
}

#[test]
fn real_kick_delivery_verifies_with_kicks_published_key() {
    let (headers, body, _) = real_delivery();
    let delivery = block_on(archive_verifier().verify(&headers, &body)).unwrap();
    assert_eq!(delivery.meta().message_id, "01JQR5KV0QC94HMETWYNBWRW4Z");
    assert_eq!(delivery.meta().subscription_id.as_ref().map(|id| id.as_str()), Some("01JQ79DGGK8C9117GJN8EHCYGG"));
    assert_eq!(delivery.meta().version, 1);
    let Event::LiveStreamStatusUpdated(status) = delivery.decode(&body).unwrap() else {
        panic!("wrong variant");
    };
    assert_eq!(status.broadcaster.is_verified, None);
    assert_eq!(status.ended_at, None);
}

fn header_text(headers: &HeaderMap, header: DeliveryHeader) -> String {
    headers.get(header.name()).unwrap().to_str().unwrap().to_owned()
}

fn set_header(headers: &mut HeaderMap, header: DeliveryHeader, value: &str) {
    headers.insert(header.name(), HeaderValue::from_str(value).unwrap());
}

#[test]
fn real_delivery_negative_cases_fail_with_bad_signature() {
    let (headers, body, description) = real_delivery();
    let verifier = archive_verifier();
    let cases = description["negative_cases"].as_array().unwrap();
    assert_eq!(cases.len(), 5);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        assert_eq!(case["expected_valid"], false, "{name}");
        let mut headers = headers.clone();
        let mut body = body.clone();
        match name {
            "body_with_trailing_newline" => body.push(b'\n'),
            "body_reserialized_pretty" => {
                let value: Value = serde_json::from_slice(&body).unwrap();
                body = serde_json::to_vec_pretty(&value).unwrap();
            }
            "wrong_message_id" => {
                let subscription = header_text(&headers, DeliveryHeader::SubscriptionId);
                set_header(&mut headers, DeliveryHeader::MessageId, &subscription);
            }
            "timestamp_reformatted" => {
                set_header(&mut headers, DeliveryHeader::MessageTimestamp, "2025-04-01T07:56:19.000Z")
            }
            "body_hashed_alone" => {
                // A verifier that ignores the `{id}.{timestamp}.` prefix must not accept it.
                use base64::Engine as _;
                use ring::signature::{RSA_PKCS1_2048_8192_SHA256, UnparsedPublicKey};
                let signature = base64::engine::general_purpose::STANDARD
                    .decode(header_text(&headers, DeliveryHeader::Signature))
                    .unwrap();
                let key = PublicKey::kick();
                let key = UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, rsa_2048_pkcs1(key.der()));
                assert!(key.verify(&body, &signature).is_err(), "{name}");
                continue;
            }
            other => panic!("negative case {other} has no mutation in this test"),
        }
        let error = block_on(verifier.verify(&headers, &body)).unwrap_err();
        assert!(matches!(error, WebhookError::BadSignature), "{name}: {error:?}");
        assert_eq!(error.status(), 401);
    }
}

#[test]
fn real_delivery_freshness_follows_the_injected_clock() {
    let (headers, body, _) = real_delivery();
    let signed_at: DateTime<Utc> = "2025-04-01T07:56:19Z".parse().unwrap();
    let clock = Arc::new(FixedClock::new(signed_at + TimeDelta::minutes(2)));
    let verifier = Verifier::new().with_clock(clock.clone()).without_dedup();
    block_on(verifier.verify(&headers, &body)).unwrap();

    clock.set(signed_at + TimeDelta::minutes(6));
    match block_on(verifier.verify(&headers, &body)).unwrap_err() {
        WebhookError::StaleTimestamp { age_seconds, window } => {
            assert_eq!(age_seconds, 360);
            assert_eq!(window, Duration::from_secs(300));
        }
        other => panic!("expected stale, got {other:?}"),
    }

    // Today, with the system clock, the 2025 delivery is long stale.
    let error = block_on(Verifier::new().verify(&headers, &body)).unwrap_err();
    assert!(matches!(error, WebhookError::StaleTimestamp { age_seconds, .. } if age_seconds > 300));
    assert_eq!(error.status(), 400);
}

#[test]
fn public_key_can_be_replaced_at_runtime_from_pem() {
    let (headers, body, _) = real_delivery();
    let signer = TestSigner::new();
    let verifier = archive_verifier().with_public_key_pem(&signer.public_key_pem()).unwrap();
    assert!(matches!(block_on(verifier.verify(&headers, &body)), Err(WebhookError::BadSignature)));
    // As JSON from GET /public/v1/public-key would carry it: with escaped newlines.
    verifier.set_public_key_pem(&KICK_PUBLIC_KEY_PEM.replace('\n', "\\n")).unwrap();
    block_on(verifier.verify(&headers, &body)).unwrap();

    assert!(verifier.set_public_key_pem("not a key").is_err());
    assert!(verifier.set_public_key_pem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n").is_err());
    // A rejected key leaves the old one in place.
    block_on(verifier.verify(&headers, &body)).unwrap();
}

/// Folder name (= event type) to the body of one documented example of it.
fn example_bodies() -> Vec<(String, Vec<u8>)> {
    let mut examples = Vec::new();
    for name in EVENT_NAMES {
        let folder = fixtures().join(name);
        let mut files: Vec<_> = std::fs::read_dir(&folder).unwrap().map(|entry| entry.unwrap().path()).collect();
        files.sort();
        let pick = files
            .iter()
            .find(|path| path.file_name().unwrap().to_str().unwrap().starts_with("kickdocs__"))
            .unwrap_or(&files[0]);
        examples.push((name.to_string(), std::fs::read(pick).unwrap()));
    }
    examples
}

struct Signed {
    signer: TestSigner,
    verifier: Verifier,
}

fn signed() -> Signed {
    let signer = TestSigner::new();
    let verifier = Verifier::new().with_public_key(signer.public_key());
    Signed { signer, verifier }
}

#[test]
fn genuine_delivery_of_each_event_type_verifies_and_decodes() {
    let Signed { signer, verifier } = signed();
    let examples = example_bodies();
    assert_eq!(examples.len(), 10);
    for (event_type, body) in examples {
        let headers = signer.headers(&event_type, 1, &body);
        let delivery = block_on(verifier.verify(&headers, &body)).unwrap();
        assert_eq!(delivery.meta().event_type, event_type);
        assert_eq!(delivery.meta().message_id.as_str().len(), 26);
        let event = delivery.decode(&body).unwrap();
        assert_eq!(event.event_type(), event_type);
        assert!(!matches!(event, Event::Unknown { .. }), "{event_type} decoded as Unknown");
    }
}

#[test]
fn sign_event_round_trips_a_typed_payload() {
    let Signed { signer, verifier } = signed();
    let body = std::fs::read(fixtures().join("moderation.banned/kickdocs__timeout.json")).unwrap();
    let Event::ModerationBanned(ban) = Event::decode("moderation.banned", 1, &body).unwrap() else {
        panic!("not a ban")
    };
    let (headers, body) = signer.sign_event(&ban).unwrap();
    assert_eq!(header_text(&headers, DeliveryHeader::EventType), "moderation.banned");
    assert_eq!(header_text(&headers, DeliveryHeader::EventVersion), "1");
    let delivery = block_on(verifier.verify(&headers, &body)).unwrap();
    assert_eq!(delivery.decode(&body).unwrap(), Event::ModerationBanned(ban));
}

#[test]
fn test_signer_pem_is_spki_and_signature_is_kicks_scheme() {
    let signer = TestSigner::new();
    let pem = signer.public_key_pem();
    assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----\n"));
    assert!(pem.ends_with("-----END PUBLIC KEY-----\n"));
    let key = PublicKey::from_pem(&pem).unwrap();
    // RSA-2048 SPKI DER is 294 bytes.
    assert_eq!(key.der().len(), 294);
    let signature = signer.sign("01ID", "2025-01-01T00:00:00Z", b"{}");
    use base64::Engine as _;
    let raw = base64::engine::general_purpose::STANDARD.decode(&signature).unwrap();
    assert_eq!(raw.len(), 256);
    use ring::signature::{RSA_PKCS1_2048_8192_SHA256, UnparsedPublicKey};
    UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, rsa_2048_pkcs1(key.der()))
        .verify(b"01ID.2025-01-01T00:00:00Z.{}", &raw)
        .unwrap();
}

/// The PKCS#1 `RSAPublicKey` inside an RSA-2048 SPKI (what *ring* verifies with): the bytes after its fixed
/// 24-byte header, an independent check of kickrs' own DER walk.
fn rsa_2048_pkcs1(spki: &[u8]) -> &[u8] {
    const HEADER: &[u8] = &[
        0x30, 0x82, 0x01, 0x22, 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05,
        0x00, 0x03, 0x82, 0x01, 0x0f, 0x00,
    ];
    assert_eq!(&spki[..HEADER.len()], HEADER, "not an RSA-2048 SPKI");
    &spki[HEADER.len()..]
}

#[test]
fn tampered_body_is_a_bad_signature() {
    let Signed { signer, verifier } = signed();
    let body = br#"{"broadcaster":{"user_id":1},"follower":{"user_id":2}}"#;
    let headers = signer.headers("channel.followed", 1, body);
    let tampered = br#"{"broadcaster":{"user_id":1},"follower":{"user_id":3}}"#;
    let error = block_on(verifier.verify(&headers, tampered)).unwrap_err();
    assert!(matches!(error, WebhookError::BadSignature), "{error:?}");
    assert_eq!(error.status(), 401);
}

#[test]
fn delivery_signed_with_another_key_is_a_bad_signature() {
    let Signed { verifier, .. } = signed();
    let other = TestSigner::new();
    let body = b"{}";
    let headers = other.headers("channel.followed", 1, body);
    assert!(matches!(block_on(verifier.verify(&headers, body)), Err(WebhookError::BadSignature)));
}

#[test]
fn signature_that_is_not_base64_is_rejected_as_such() {
    let Signed { signer, verifier } = signed();
    let body = b"{}";
    let mut headers = signer.headers("channel.followed", 1, body);
    set_header(&mut headers, DeliveryHeader::Signature, "not*base64!");
    let error = block_on(verifier.verify(&headers, body)).unwrap_err();
    assert!(matches!(error, WebhookError::BadBase64 { .. }), "{error:?}");
    assert!(error.to_string().contains("Kick-Event-Signature"), "{error}");
    assert_eq!(error.status(), 401);
}

#[test]
fn each_missing_header_is_named() {
    let Signed { signer, verifier } = signed();
    let body = b"{}";
    let headers = signer.headers("channel.followed", 1, body);
    for header in [
        DeliveryHeader::MessageId,
        DeliveryHeader::MessageTimestamp,
        DeliveryHeader::Signature,
        DeliveryHeader::EventType,
        DeliveryHeader::EventVersion,
    ] {
        let mut headers = headers.clone();
        headers.remove(header.name());
        let error = block_on(verifier.verify(&headers, body)).unwrap_err();
        match &error {
            WebhookError::MissingHeader { header: named } => assert_eq!(*named, header),
            other => panic!("{header}: expected missing header, got {other:?}"),
        }
        assert!(error.to_string().contains(header.name()), "{error}");
        assert_eq!(error.status(), 400);
    }
    // The subscription id is not signed; its absence is tolerated.
    let mut headers = headers.clone();
    headers.remove(DeliveryHeader::SubscriptionId.name());
    let delivery = block_on(verifier.verify(&headers, body)).unwrap();
    assert_eq!(delivery.meta().subscription_id, None);
}

#[test]
fn early_2025_x_event_header_names_are_accepted() {
    let Signed { signer, verifier } = signed();
    let body = b"{}";
    let headers = signer.headers("channel.followed", 1, body);
    let mut legacy = HeaderMap::new();
    for header in DeliveryHeader::ALL {
        legacy.insert(header.legacy_name(), headers.get(header.name()).unwrap().clone());
    }
    let delivery = block_on(verifier.verify(&legacy, body)).unwrap();
    assert_eq!(delivery.meta().message_id, header_text(&headers, DeliveryHeader::MessageId));
}

#[test]
fn unusable_version_and_timestamp_headers_are_named() {
    let Signed { signer, verifier } = signed();
    let body = b"{}";
    let headers = signer.headers("channel.followed", 1, body);

    let mut bad_version = headers.clone();
    set_header(&mut bad_version, DeliveryHeader::EventVersion, "v1");
    let error = block_on(verifier.verify(&bad_version, body)).unwrap_err();
    assert!(matches!(error, WebhookError::InvalidHeader { header: DeliveryHeader::EventVersion, .. }), "{error:?}");

    // A timestamp that is not RFC 3339 (signed as such, so only the parse can fail).
    let delivery = TestDelivery { timestamp: "yesterday".to_owned(), ..TestDelivery::new("channel.followed", 1) };
    let headers = signer.sign_delivery(&delivery, body);
    let error = block_on(verifier.verify(&headers, body)).unwrap_err();
    assert!(matches!(error, WebhookError::InvalidHeader { header: DeliveryHeader::MessageTimestamp, .. }), "{error:?}");
    assert!(error.to_string().contains("Kick-Event-Message-Timestamp"), "{error}");
}

#[test]
fn stale_and_future_timestamps_are_rejected_with_age_and_window() {
    let Signed { signer, verifier } = signed();
    let body = b"{}";
    let now = Utc::now();
    let old = TestDelivery::new("channel.followed", 1).at(now - TimeDelta::minutes(10));
    match block_on(verifier.verify(&signer.sign_delivery(&old, body), body)).unwrap_err() {
        WebhookError::StaleTimestamp { age_seconds, window } => {
            assert!((599..=660).contains(&age_seconds), "{age_seconds}");
            assert_eq!(window, Duration::from_secs(300));
        }
        other => panic!("expected stale, got {other:?}"),
    }
    let future = TestDelivery::new("channel.followed", 1).at(now + TimeDelta::minutes(10));
    match block_on(verifier.verify(&signer.sign_delivery(&future, body), body)).unwrap_err() {
        WebhookError::StaleTimestamp { age_seconds, .. } => assert!(age_seconds < -500),
        other => panic!("expected stale, got {other:?}"),
    }
    // A wider window accepts the old one.
    let relaxed = Verifier::new().with_public_key(signer.public_key()).with_freshness_window(Duration::from_secs(3600));
    block_on(relaxed.verify(&signer.sign_delivery(&old, body), body)).unwrap();
}

#[test]
fn replayed_message_id_is_recognised_only_after_it_was_handled() {
    let Signed { signer, verifier } = signed();
    let body = b"{}";
    let headers = signer.headers("channel.followed", 1, body);

    let first = block_on(verifier.verify(&headers, body)).unwrap();
    // While the first is in flight, a duplicate is told to come back later.
    let error = block_on(verifier.verify(&headers, body)).unwrap_err();
    assert!(matches!(error, WebhookError::InProgress { .. }), "{error:?}");
    assert!(error.is_retryable());
    // Dropped without being handled: a re-delivery goes through again.
    drop(first);
    let second = block_on(verifier.verify(&headers, body)).unwrap();
    block_on(second.mark_handled());
    let error = block_on(verifier.verify(&headers, body)).unwrap_err();
    match &error {
        WebhookError::Replayed { message_id } => {
            assert_eq!(*message_id, header_text(&headers, DeliveryHeader::MessageId));
        }
        other => panic!("expected replay, got {other:?}"),
    }
    assert_eq!(error.status(), 200);
    assert!(!error.is_retryable());
}

#[test]
fn in_memory_dedup_store_is_bounded_in_size_and_age() {
    use kickrs::webhooks::{DedupStore, InMemoryDedupStore, Reservation};
    let store = InMemoryDedupStore::new(2, TimeDelta::minutes(10));
    let start = Utc::now();
    let reserve = |id, at| block_on(store.reserve(id, at)).unwrap();
    for id in ["a", "b", "c"] {
        assert_eq!(reserve(id, start), Reservation::Reserved);
        block_on(store.complete(id, start)).unwrap();
    }
    assert_eq!(store.len(), 2);
    // The oldest was forgotten; the two newest are remembered.
    assert_eq!(reserve("a", start), Reservation::Reserved);
    block_on(store.release("a")).unwrap();
    assert_eq!(reserve("c", start), Reservation::AlreadyHandled);
    // After the retention period everything is forgotten.
    assert_eq!(reserve("c", start + TimeDelta::minutes(11)), Reservation::Reserved);
    assert_eq!(store.len(), 0);
}

#[test]
fn oversized_body_is_rejected_with_size_and_limit() {
    let signer = TestSigner::new();
    let verifier = Verifier::new().with_public_key(signer.public_key()).with_max_body_bytes(64);
    let body = vec![b' '; 65];
    let headers = signer.headers("channel.followed", 1, &body);
    let error = block_on(verifier.verify(&headers, &body)).unwrap_err();
    match error {
        WebhookError::BodyTooLarge { size, limit } => assert_eq!((size, limit), (65, 64)),
        ref other => panic!("expected too large, got {other:?}"),
    }
    assert_eq!(error.status(), 413);
    assert!(error.to_string().contains("65") && error.to_string().contains("64"));
}

#[test]
fn malformed_payload_names_the_json_path_and_reason() {
    let Signed { signer, verifier } = signed();
    let body = br#"{"broadcaster":{"user_id":1},"follower":{"user_id":"two"}}"#;
    let headers = signer.headers("channel.followed", 1, body);
    let error = block_on(verifier.verify(&headers, body)).unwrap().decode(body).unwrap_err();
    match &error {
        WebhookError::MalformedPayload { event_type, path, reason } => {
            assert_eq!(event_type, "channel.followed");
            assert_eq!(path, "follower.user_id");
            assert!(reason.contains("invalid type"), "{reason}");
        }
        other => panic!("expected malformed, got {other:?}"),
    }
    assert_eq!(error.status(), 400);

    let missing = Event::decode("chat.message.sent", 1, br#"{"message_id":"m"}"#).unwrap_err();
    assert!(missing.to_string().contains("missing field `broadcaster`"), "{missing}");

    let not_json = Event::decode("channel.followed", 1, b"{\"broadcaster\":").unwrap_err();
    assert!(matches!(not_json, WebhookError::MalformedPayload { .. }), "{not_json:?}");
    let trailing = Event::decode("weird.new.event", 1, b"{} {}").unwrap_err();
    assert!(matches!(trailing, WebhookError::MalformedPayload { .. }), "{trailing:?}");
}

#[test]
fn unknown_event_types_and_versions_decode_as_unknown() {
    let Signed { signer, verifier } = signed();
    let body = br#"{"raider":{"user_id":7},"viewers":120}"#;
    let headers = signer.headers("channel.raid.incoming", 1, body);
    let event = block_on(verifier.verify(&headers, body)).unwrap().decode(body).unwrap();
    match event {
        Event::Unknown { r#type, version, raw } => {
            assert_eq!(r#type, "channel.raid.incoming");
            assert_eq!(version, 1);
            assert_eq!(raw["viewers"], 120);
        }
        other => panic!("expected unknown, got {other:?}"),
    }
    // A known type at a version this crate does not know is not forced into the v1 model.
    let event = Event::decode("channel.followed", 2, br#"{"follower":"new shape"}"#).unwrap();
    assert!(matches!(event, Event::Unknown { version: 2, .. }), "{event:?}");
}

/// Every payload file in the event folders, as (event type, file name, bytes).
fn fixture_payloads() -> Vec<(String, String, Vec<u8>)> {
    let mut payloads = Vec::new();
    for folder in std::fs::read_dir(fixtures()).unwrap() {
        let folder = folder.unwrap().path();
        let event_type = folder.file_name().unwrap().to_str().unwrap().to_owned();
        if !folder.is_dir() || event_type.starts_with('_') {
            continue;
        }
        for file in std::fs::read_dir(&folder).unwrap() {
            let file = file.unwrap().path();
            let name = file.file_name().unwrap().to_str().unwrap().to_owned();
            payloads.push((event_type.clone(), name, std::fs::read(&file).unwrap()));
        }
    }
    payloads.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    payloads
}

fn decode_fixture(event_type: &str, file: &str) -> Event {
    let body = std::fs::read(fixtures().join(event_type).join(file)).unwrap();
    Event::decode(event_type, 1, &body).unwrap()
}

#[test]
fn every_webhook_fixture_decodes_as_its_event_type() {
    let _s = support::snapshots();
    let payloads = fixture_payloads();
    // INDEX.md lists 40; `drops.claim/` adds Kick's drops guide example twice (with and without
    // `external_id`), its type-name placeholders replaced by the values of Kick's drops API examples.
    assert_eq!(payloads.len(), 42, "fixture count changed");
    let mut decoded = serde_json::Map::new();
    for (event_type, file, body) in payloads {
        let event = Event::decode(&event_type, 1, &body).unwrap_or_else(|err| panic!("{event_type}/{file}: {err}"));
        assert_eq!(event.event_type(), event_type, "{file}");
        assert!(!matches!(event, Event::Unknown { .. }), "{event_type}/{file}");
        decoded.insert(format!("{event_type}/{file}"), serde_json::to_value(&event).unwrap());
    }
    insta::assert_json_snapshot!("webhooks_fixtures_decoded", decoded);
}

#[test]
fn fragments_decode_single_fields() {
    let read = |name: &str| std::fs::read(fixtures().join("_fragments").join(name)).unwrap();
    let number: Emote = serde_json::from_slice(&read("gokick__emote_id_number.json")).unwrap();
    let string: Emote = serde_json::from_slice(&read("gokick__emote_id_string.json")).unwrap();
    assert_eq!(number.emote_id, "42");
    assert_eq!(number, string);

    let no_identity: WebhookUser = serde_json::from_slice(&read("gokick__user_identity_null.json")).unwrap();
    assert_eq!(no_identity.identity, None);
    assert_eq!(no_identity.profile_picture, None, "\"\" means no picture");
    assert_eq!(no_identity.channel_slug, None);
    let with_identity: WebhookUser =
        serde_json::from_slice(&read("gokick__user_identity_object_empty_badges.json")).unwrap();
    let identity = with_identity.identity.unwrap();
    assert_eq!(identity.username_color.as_deref(), Some("#fff"));
    assert!(identity.badges.is_empty());
}

#[test]
fn real_payload_oddities_decode() {
    // Capitalised `Category` key.
    let Event::LiveStreamMetadataUpdated(meta) =
        decode_fixture("livestream.metadata.updated", "issue238__REAL_shape_capitalized_Category_key.json")
    else {
        panic!()
    };
    assert!(meta.metadata.category.is_some());
    assert_eq!(meta.broadcaster.is_verified, None);

    // Anonymous gifters: all-null fields, username only, and the real one flagged false.
    for file in [
        "kickdocs-hist__2025-02-17_anonymous_all_null.json",
        "kickdocs-hist__2025-02-17_anonymous_username_only.json",
        "kicklib__anonymous_nulls_is_anonymous_false.json",
    ] {
        let Event::ChannelSubGifts(gifts) = decode_fixture("channel.subscription.gifts", file) else { panic!() };
        assert!(gifts.gifter.unwrap().appears_anonymous(), "{file}");
    }

    // Nanosecond timestamps keep their precision.
    let Event::ChatMessageSent(chat) =
        decode_fixture("chat.message.sent", "thestaticmage__REAL_reply_nanosecond_created_at.json")
    else {
        panic!()
    };
    assert_eq!(chat.created_at.unwrap().timestamp_subsec_nanos(), 561_408_909);
    assert!(chat.emotes.is_empty(), "emotes: null reads as empty");
    assert_eq!(chat.replies_to.unwrap().sender.identity, None);

    // Explicit `replies_to: null`, absent identity and created_at.
    let Event::ChatMessageSent(chat) = decode_fixture("chat.message.sent", "thestaticmage__REAL_replies_to_null.json")
    else {
        panic!()
    };
    assert_eq!(chat.replies_to, None);
    let Event::ChatMessageSent(chat) = decode_fixture("chat.message.sent", "gokick__REAL_2025-02-22_no_identity.json")
    else {
        panic!()
    };
    assert_eq!((chat.created_at, chat.sender.identity), (None, None));

    // Badges null inside an identity object.
    let Event::ChannelFollow(follow) =
        decode_fixture("channel.followed", "kickdocs-hist__2025-04-07_identity_badges_null.json")
    else {
        panic!()
    };
    assert!(follow.follower.identity.unwrap().badges.is_empty());

    // Offsets convert to UTC; `ended_at: null` while live.
    let Event::LiveStreamStatusUpdated(live) = decode_fixture("livestream.status.updated", "kickdocs__started.json")
    else {
        panic!()
    };
    assert_eq!(live.started_at.to_rfc3339(), "2025-01-01T00:00:00+00:00");
    assert_eq!(live.ended_at, None);

    // Timeout vs permanent ban.
    let Event::ModerationBanned(timeout) = decode_fixture("moderation.banned", "kickdocs__timeout.json") else {
        panic!()
    };
    assert!(!timeout.is_permanent());
    let Event::ModerationBanned(ban) = decode_fixture("moderation.banned", "kicklib__permanent_ban.json") else {
        panic!()
    };
    assert!(ban.is_permanent());

    // kicks.gifted before pinned_time_seconds existed; redemption status.
    let Event::KicksGifted(kicks) = decode_fixture("kicks.gifted", "kicklib-hist__no_pinned_time.json") else {
        panic!()
    };
    assert_eq!(kicks.gift.pinned_time_seconds, None);
    let Event::ChannelRewardRedemptionUpdated(redemption) =
        decode_fixture("channel.reward.redemption.updated", "kickdocs__rejected.json")
    else {
        panic!()
    };
    assert_eq!(redemption.status, RedemptionStatus::Rejected);

    // Renewals before April 2025 had no expires_at.
    let Event::ChannelSubRenewal(renewal) =
        decode_fixture("channel.subscription.renewal", "kickdocs-hist__2025-02-17_no_expires_at.json")
    else {
        panic!()
    };
    assert_eq!(renewal.expires_at, None);
}

#[test]
fn webhook_payload_schemas_are_generated() {
    let schema = schemars::schema_for!(ChatMessageSent);
    let text = serde_json::to_string(&schema).unwrap();
    assert!(text.contains("replies_to") && text.contains("emote_id"), "{text}");
    let status = serde_json::to_value(schemars::schema_for!(RedemptionStatus)).unwrap();
    assert_eq!(status["type"], "string");
}

mod chat_content {
    use kickrs::webhooks::chat::{ChatSegment, parse_chat_content};

    #[test]
    fn docs_example_splits_into_text_and_emotes() {
        let content = "Hello [emote:4148074:HYPERCLAP] [emote:4148074:HYPERCLAP] [emote:37226:KEKW]";
        assert_eq!(
            parse_chat_content(content),
            [
                ChatSegment::Text("Hello "),
                ChatSegment::Emote { id: "4148074", name: "HYPERCLAP" },
                ChatSegment::Text(" "),
                ChatSegment::Emote { id: "4148074", name: "HYPERCLAP" },
                ChatSegment::Text(" "),
                ChatSegment::Emote { id: "37226", name: "KEKW" },
            ]
        );
    }

    #[test]
    fn malformed_tokens_stay_text() {
        for content in [
            "[emote:abc:KEKW]",
            "[emote::KEKW]",
            "[emote:1:]",
            "[emote:1:KE KW]",
            "[emote:1:KEKW",
            "[emote:1]",
            "[emote:",
            "héllo [EMOTE:1:X] ✓",
        ] {
            assert_eq!(parse_chat_content(content), [ChatSegment::Text(content)], "{content}");
        }
        assert_eq!(parse_chat_content(""), []);
    }

    #[test]
    fn tokens_next_to_text_and_each_other() {
        assert_eq!(
            parse_chat_content("[emote:1:A][emote:2:B]ünï[emote:x:C][emote:3:D]"),
            [
                ChatSegment::Emote { id: "1", name: "A" },
                ChatSegment::Emote { id: "2", name: "B" },
                ChatSegment::Text("ünï[emote:x:C]"),
                ChatSegment::Emote { id: "3", name: "D" },
            ]
        );
    }
}

mod dispatch {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use kickrs::webhooks::{DeliveryMeta, Dispatcher, response_status};

    use super::*;

    type Reports = Arc<Mutex<Vec<(String, Option<String>)>>>;

    /// A dispatcher for `signer`'s key whose error hook records (error, message id).
    fn dispatcher(signer: &TestSigner) -> (Dispatcher, Reports) {
        let reports: Reports = Arc::default();
        let sink = reports.clone();
        let dispatcher = Dispatcher::new(Verifier::new().with_public_key(signer.public_key())).on_error(
            move |error, meta: Option<&DeliveryMeta>| {
                let id = meta.map(|meta| meta.message_id.to_string());
                sink.lock().unwrap().push((error.to_string(), id));
            },
        );
        (dispatcher, reports)
    }

    #[tokio::test]
    async fn typed_handler_runs_once_and_replays_are_acknowledged() {
        let signer = TestSigner::new();
        let (dispatcher, reports) = dispatcher(&signer);
        let chats = Arc::new(Mutex::new(Vec::new()));
        let follows = Arc::new(AtomicUsize::new(0));
        let (seen, follow_count) = (chats.clone(), follows.clone());
        let dispatcher = dispatcher
            .on::<ChatMessageSent>(move |message| {
                let seen = seen.clone();
                async move {
                    seen.lock().unwrap().push((message.meta.message_id.clone(), message.content.clone()));
                    Ok(())
                }
            })
            .on::<ChannelFollow>(move |_| {
                let follow_count = follow_count.clone();
                async move {
                    follow_count.fetch_add(1, Ordering::SeqCst);
                    Ok(())
                }
            });

        let body = std::fs::read(fixtures().join("chat.message.sent/kickdocs__reply_with_emotes.json")).unwrap();
        let headers = signer.headers("chat.message.sent", 1, &body);
        let result = dispatcher.handle(&headers, &body).await;
        assert_eq!(response_status(&result), 200);
        let handled = result.unwrap();
        assert_eq!((handled.event_type.as_str(), handled.handlers_run), ("chat.message.sent", 1));

        let again = dispatcher.handle(&headers, &body).await;
        assert!(matches!(again, Err(WebhookError::Replayed { .. })), "{again:?}");
        assert_eq!(response_status(&again), 200);

        let seen = chats.lock().unwrap().clone();
        assert_eq!(seen.len(), 1, "handled exactly once");
        assert_eq!(seen[0].0, handled.message_id);
        assert!(seen[0].1.starts_with("Hello [emote:4148074:HYPERCLAP]"));
        assert_eq!(follows.load(Ordering::SeqCst), 0, "follow handler not called for chat");
        assert!(reports.lock().unwrap().is_empty(), "a replay is not an error");
    }

    /// State given once with `with_state` reaches every handler registered after it, without a
    /// clone per handler; handlers registered before keep theirs; `Ok(())` needs no annotation.
    #[tokio::test]
    async fn handlers_share_the_dispatchers_state() {
        #[derive(Clone, Default)]
        struct Bot {
            chats: Arc<Mutex<Vec<String>>>,
            follows: Arc<AtomicUsize>,
        }
        let signer = TestSigner::new();
        let bot = Bot::default();
        let before = Arc::new(AtomicUsize::new(0));
        let stateless = before.clone();
        let dispatcher = Dispatcher::new(Verifier::new().with_public_key(signer.public_key()))
            .on::<ChannelFollow>(move |_| {
                stateless.fetch_add(1, Ordering::SeqCst);
                async { Ok(()) }
            })
            .with_state(bot.clone())
            .on::<ChatMessageSent>(|message| async move {
                message.state.chats.lock().unwrap().push(message.content.clone());
                Ok(())
            })
            .on::<ChannelFollow>(|follow| async move {
                follow.state.follows.fetch_add(1, Ordering::SeqCst);
                Ok(())
            });

        let chat = std::fs::read(fixtures().join("chat.message.sent/kickdocs__reply_with_emotes.json")).unwrap();
        let follow = br#"{"broadcaster":{"user_id":1},"follower":{"user_id":2}}"#;
        let handled = dispatcher.handle(&signer.headers("chat.message.sent", 1, &chat), &chat).await.unwrap();
        assert_eq!(handled.handlers_run, 1);
        let handled = dispatcher.handle(&signer.headers("channel.followed", 1, follow), follow).await.unwrap();
        assert_eq!(handled.handlers_run, 2);

        let content: serde_json::Value = serde_json::from_slice(&chat).unwrap();
        assert_eq!(*bot.chats.lock().unwrap(), [content["content"].as_str().unwrap().to_owned()]);
        assert_eq!(bot.follows.load(Ordering::SeqCst), 1);
        assert_eq!(before.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn failing_handler_is_retryable_reported_and_handled_on_retry() {
        let signer = TestSigner::new();
        let (dispatcher, reports) = dispatcher(&signer);
        let attempts = Arc::new(AtomicUsize::new(0));
        let counter = attempts.clone();
        let dispatcher = dispatcher.on::<ChannelFollow>(move |_| {
            let counter = counter.clone();
            async move {
                if counter.fetch_add(1, Ordering::SeqCst) == 0 {
                    return Err(std::io::Error::other("database unavailable").into());
                }
                Ok(())
            }
        });
        let body = br#"{"broadcaster":{"user_id":1},"follower":{"user_id":2}}"#;
        let headers = signer.headers("channel.followed", 1, body);
        let message_id = header_text(&headers, DeliveryHeader::MessageId);

        let first = dispatcher.handle(&headers, body).await;
        let error = first.as_ref().unwrap_err();
        assert!(matches!(error, WebhookError::HandlerFailed { .. }), "{error:?}");
        assert!(error.is_retryable());
        assert_eq!(response_status(&first), 500);
        {
            let reports = reports.lock().unwrap();
            assert_eq!(reports.len(), 1);
            assert!(reports[0].0.contains("database unavailable"), "{:?}", reports[0]);
            assert_eq!(reports[0].1.as_deref(), Some(message_id.as_str()));
        }

        // Kick's retry of the same message is handled, then recognised as a replay.
        assert_eq!(response_status(&dispatcher.handle(&headers, body).await), 200);
        assert!(matches!(dispatcher.handle(&headers, body).await, Err(WebhookError::Replayed { .. })));
        assert_eq!(attempts.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn panicking_handler_is_a_handler_failure() {
        let signer = TestSigner::new();
        let (dispatcher, reports) = dispatcher(&signer);
        let dispatcher = dispatcher.on::<ChannelFollow>(|follow| async move {
            if follow.follower.user_id == Some(2.into()) {
                panic!("bug in handler");
            }
            Ok(())
        });
        let body = br#"{"broadcaster":{"user_id":1},"follower":{"user_id":2}}"#;
        let headers = signer.headers("channel.followed", 1, body);
        let result = dispatcher.handle(&headers, body).await;
        assert!(matches!(result, Err(WebhookError::HandlerFailed { .. })), "{result:?}");
        assert!(reports.lock().unwrap()[0].0.contains("panicked"));
    }

    #[tokio::test]
    async fn unknown_authentic_event_is_acknowledged_and_seen_by_on_any() {
        let signer = TestSigner::new();
        let (dispatcher, reports) = dispatcher(&signer);
        let types = Arc::new(Mutex::new(Vec::new()));
        let sink = types.clone();
        let dispatcher = dispatcher.on_any(move |event| {
            let sink = sink.clone();
            async move {
                sink.lock().unwrap().push(event.payload.event_type().to_owned());
                Ok(())
            }
        });
        let body = br#"{"something":"new"}"#;
        let headers = signer.headers("channel.hype_train.started", 1, body);
        let result = dispatcher.handle(&headers, body).await;
        assert_eq!(response_status(&result), 200);
        assert_eq!(*types.lock().unwrap(), ["channel.hype_train.started"]);
        assert!(reports.lock().unwrap().is_empty());
    }

    #[tokio::test]
    async fn forged_and_malformed_deliveries_are_reported_and_refused() {
        let signer = TestSigner::new();
        let (dispatcher, reports) = dispatcher(&signer);
        let calls = Arc::new(AtomicUsize::new(0));
        let counter = calls.clone();
        let dispatcher = dispatcher.on_any(move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
            async { Ok(()) }
        });

        let body = br#"{"broadcaster":{"user_id":1},"follower":{"user_id":2}}"#;
        let forged = TestSigner::new().headers("channel.followed", 1, body);
        assert_eq!(response_status(&dispatcher.handle(&forged, body).await), 401);

        let malformed = br#"{"broadcaster":{"user_id":1},"follower":"nobody"}"#;
        let headers = signer.headers("channel.followed", 1, malformed);
        assert_eq!(response_status(&dispatcher.handle(&headers, malformed).await), 400);

        assert_eq!(calls.load(Ordering::SeqCst), 0);
        let reports = reports.lock().unwrap();
        assert_eq!(reports.len(), 2);
        assert_eq!(reports[0].1, None, "forged delivery has no trusted metadata");
        assert!(reports[1].0.contains("`follower`"), "{:?}", reports[1]);
        assert!(reports[1].1.is_some());
    }
}

/// Property tests of the verify+decode path (cargo fuzz needs nightly; these run on stable).
mod properties {
    use std::sync::LazyLock;

    use proptest::prelude::*;

    use super::*;

    /// One key for all cases: generating RSA keys per case would dominate the run time.
    static SIGNER: LazyLock<TestSigner> = LazyLock::new(TestSigner::new);

    fn verifier() -> Verifier {
        Verifier::new().with_public_key(SIGNER.public_key()).without_freshness_check().without_dedup()
    }

    const NAMES: &[&str] = &[
        "Kick-Event-Message-Id",
        "Kick-Event-Subscription-Id",
        "Kick-Event-Signature",
        "Kick-Event-Message-Timestamp",
        "Kick-Event-Type",
        "Kick-Event-Version",
        "X-Event-Signature",
        "X-Event-Type",
        "Content-Length",
        "Content-Type",
    ];

    fn arbitrary_headers() -> impl Strategy<Value = HeaderMap> {
        let value = prop_oneof![
            "[ -~]{0,40}",
            "[A-Za-z0-9+/=]{0,400}",
            "(chat\\.message\\.sent|channel\\.followed|kicks\\.gifted|[a-z.]{0,20})",
            "[0-9]{0,3}",
            "20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|\\.[0-9]{1,9}Z|[+-][0-9]{2}:[0-9]{2})",
        ];
        proptest::collection::vec((proptest::sample::select(NAMES), value), 0..12).prop_map(|pairs| {
            let mut headers = HeaderMap::new();
            for (name, value) in pairs {
                if let Ok(value) = HeaderValue::from_str(&value) {
                    headers.insert(name, value);
                }
            }
            headers
        })
    }

    /// A JSON value of bounded depth and size.
    fn arbitrary_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
            "[ -~]{0,12}".prop_map(Value::from),
            "20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?Z".prop_map(Value::from),
        ];
        leaf.prop_recursive(3, 24, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                proptest::collection::btree_map("[a-z_]{1,12}", inner, 0..5)
                    .prop_map(|map| Value::Object(map.into_iter().collect())),
            ]
        })
    }

    /// Replaces the value at a pseudo-random position in `document` with `replacement`.
    fn graft(document: &mut Value, mut choice: usize, replacement: Value) {
        let mut node = document;
        loop {
            let len = match &*node {
                Value::Object(map) => map.len(),
                Value::Array(items) => items.len(),
                _ => 0,
            };
            if len == 0 || choice.is_multiple_of(4) {
                *node = replacement;
                return;
            }
            let index = choice % len;
            choice /= 4;
            node = match node {
                Value::Object(map) => map.values_mut().nth(index).unwrap(),
                Value::Array(items) => &mut items[index],
                _ => unreachable!(),
            };
        }
    }

    fn fixture_documents() -> Vec<(String, Value)> {
        fixture_payloads()
            .into_iter()
            .map(|(event_type, _, body)| (event_type, serde_json::from_slice(&body).unwrap()))
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn arbitrary_headers_and_bodies_are_rejected_without_panicking(
            headers in arbitrary_headers(),
            body in proptest::collection::vec(any::<u8>(), 0..1024),
        ) {
            // Nobody can produce a valid signature without the key.
            let result = block_on(verifier().verify(&headers, &body));
            prop_assert!(result.is_err(), "{result:?}");
            for name in EVENT_NAMES {
                let _ = Event::decode(name, 1, &body);
            }
        }

        #[test]
        fn mutated_genuine_deliveries_are_rejected(
            which in 0..10usize,
            position in any::<usize>(),
            mask in 1..=255u8,
            target in 0..3u8,
        ) {
            let (event_type, body) = example_bodies().swap_remove(which);
            let headers = SIGNER.headers(&event_type, 1, &body);
            prop_assert!(block_on(verifier().verify(&headers, &body)).is_ok());
            let (mut headers, mut body) = (headers, body);
            let header = [DeliveryHeader::Signature, DeliveryHeader::MessageId, DeliveryHeader::MessageTimestamp];
            match target {
                0 => {
                    let index = position % body.len();
                    body[index] ^= mask;
                }
                _ => {
                    let header = header[usize::from(target) % 3];
                    let mut value = header_text(&headers, header).into_bytes();
                    let index = position % value.len();
                    value[index] = b'!' + (value[index] ^ mask) % 94;
                    let value = String::from_utf8(value).unwrap();
                    prop_assume!(value != header_text(&headers, header));
                    set_header(&mut headers, header, &value);
                }
            }
            let error = block_on(verifier().verify(&headers, &body)).unwrap_err();
            prop_assert!(
                matches!(error, WebhookError::BadSignature | WebhookError::BadBase64 { .. }),
                "{error:?}"
            );
        }

        #[test]
        fn grafted_payloads_decode_or_name_a_path(
            which in any::<usize>(),
            choice in any::<usize>(),
            replacement in arbitrary_json(),
        ) {
            let documents = fixture_documents();
            let (event_type, mut document) = documents[which % documents.len()].clone();
            graft(&mut document, choice, replacement);
            let body = serde_json::to_vec(&document).unwrap();
            match Event::decode(&event_type, 1, &body) {
                Ok(event) => prop_assert_eq!(event.event_type(), event_type.as_str()),
                Err(WebhookError::MalformedPayload { path, reason, .. }) => {
                    prop_assert!(!path.is_empty() && !reason.is_empty());
                }
                Err(other) => prop_assert!(false, "unexpected error {other:?}"),
            }
        }
    }

    /// Fuzz-style runner: `cargo test --test webhooks -- --ignored --nocapture fuzz_runner`
    /// (cases from `KICKRS_FUZZ_CASES`, default 200000). Prints executions and elapsed time.
    #[test]
    #[ignore = "long-running fuzz-style runner; prints figures"]
    fn fuzz_runner() {
        use proptest::strategy::ValueTree;
        use proptest::test_runner::TestRunner;

        let cases: u64 = std::env::var("KICKRS_FUZZ_CASES").ok().and_then(|text| text.parse().ok()).unwrap_or(200_000);
        let documents = fixture_documents();
        let genuine: Vec<(HeaderMap, Vec<u8>)> = example_bodies()
            .into_iter()
            .map(|(event_type, body)| (SIGNER.headers(&event_type, 1, &body), body))
            .collect();
        let verifier = verifier();
        let mut runner = TestRunner::deterministic();
        let headers_strategy = arbitrary_headers();
        let json_strategy = arbitrary_json();
        let started = std::time::Instant::now();
        let (mut verified, mut decoded, mut rejected) = (0u64, 0u64, 0u64);
        for case in 0..cases {
            let seed = case as usize;
            match case % 3 {
                // Arbitrary headers with a genuine body.
                0 => {
                    let headers = headers_strategy.new_tree(&mut runner).unwrap().current();
                    let body = &genuine[seed % genuine.len()].1;
                    assert!(block_on(verifier.verify(&headers, body)).is_err());
                    rejected += 1;
                }
                // A genuine delivery with one body byte flipped (or untouched every 64th case).
                1 => {
                    let (headers, body) = &genuine[seed % genuine.len()];
                    let mut body = body.clone();
                    if case % 64 != 1 {
                        let index = (seed / 7) % body.len();
                        body[index] ^= 1 << (case % 8);
                    }
                    match block_on(verifier.verify(headers, &body)) {
                        Ok(delivery) => {
                            delivery.decode(&body).unwrap();
                            verified += 1;
                        }
                        Err(_) => rejected += 1,
                    }
                }
                // Structural mutation of a fixture, straight into the decoder.
                _ => {
                    let (event_type, document) = &documents[seed % documents.len()];
                    let mut document = document.clone();
                    let replacement = json_strategy.new_tree(&mut runner).unwrap().current();
                    graft(&mut document, seed.wrapping_mul(2_654_435_761), replacement);
                    let body = serde_json::to_vec(&document).unwrap();
                    if Event::decode(event_type, 1, &body).is_ok() {
                        decoded += 1;
                    } else {
                        rejected += 1;
                    }
                }
            }
        }
        let elapsed = started.elapsed();
        println!(
            "fuzz_runner: {cases} executions in {:.2} s ({:.0}/s): {verified} verified+decoded, \
             {decoded} mutated payloads decoded, {rejected} rejected, 0 panics",
            elapsed.as_secs_f64(),
            cases as f64 / elapsed.as_secs_f64()
        );
    }
}

// ---------------------------------------------------------------- Drops claims (three headers only)

fn claim_body() -> Vec<u8> {
    std::fs::read(fixtures().join("drops.claim/kickdocs__claim.json")).unwrap()
}

#[test]
fn a_drops_claim_with_its_three_headers_verifies_and_decodes() {
    let Signed { signer, verifier } = signed();
    let body = claim_body();
    let headers = signer.drops_claim_headers(&body);
    for header in DeliveryHeader::DROPS_CLAIM {
        assert!(headers.contains_key(header.name()), "{header}");
    }
    for header in [DeliveryHeader::EventType, DeliveryHeader::EventVersion, DeliveryHeader::MessageTimestamp] {
        assert!(!headers.contains_key(header.name()), "{header}");
    }

    let delivery = block_on(verifier.verify(&headers, &body)).unwrap();
    let meta = delivery.meta().clone();
    assert_eq!(
        (meta.event_type.as_str(), meta.version, meta.subscription_id.as_ref().map(|id| id.as_str())),
        ("drops.claim", 1, None)
    );
    assert_eq!(meta.message_id, header_text(&headers, DeliveryHeader::MessageId));
    assert_eq!(meta.dedup_key, "drops.claim:01KAAFHJ2PNXS48NG8XXPGWKCZ");
    let Event::DropsRewardClaimed(claim) = delivery.decode(&body).unwrap() else { panic!("not a claim") };
    assert_eq!(claim.claim_id, "01KAAFHJ2PNXS48NG8XXPGWKCZ");
    assert_eq!((claim.user_id.get(), claim.external_id.as_deref()), (1234, Some("ext-123")));
    assert_eq!(claim.reward_id, "01JAXK8N4QWRTY5PM7ZEBVJDS9T");
}

#[test]
fn a_claim_sent_again_under_a_new_message_id_is_a_replay_of_its_claim_id() {
    let Signed { signer, verifier } = signed();
    let body = claim_body();
    let first = signer.drops_claim_headers(&body);
    block_on(block_on(verifier.verify(&first, &body)).unwrap().mark_handled());

    let again = signer.drops_claim_headers(&body);
    assert_ne!(header_text(&first, DeliveryHeader::MessageId), header_text(&again, DeliveryHeader::MessageId));
    let error = block_on(verifier.verify(&again, &body)).unwrap_err();
    assert!(
        matches!(&error, WebhookError::Replayed { message_id } if message_id.ends_with("01KAAFHJ2PNXS48NG8XXPGWKCZ"))
    );
    assert_eq!(error.status(), http::StatusCode::OK);

    // Another claim is not a replay.
    let other = std::fs::read(fixtures().join("drops.claim/kickdocs__claim_without_external_id.json")).unwrap();
    let delivery = block_on(verifier.verify(&signer.drops_claim_headers(&other), &other)).unwrap();
    let Event::DropsRewardClaimed(claim) = delivery.decode(&other).unwrap() else { panic!("not a claim") };
    assert_eq!(claim.external_id, None);
}

#[test]
fn claim_headers_are_checked_like_the_events() {
    let Signed { signer, verifier } = signed();
    let body = claim_body();

    // Altered body: the signature no longer matches.
    let headers = signer.drops_claim_headers(&body);
    let mut altered = body.clone();
    altered[20] ^= 1;
    assert!(matches!(block_on(verifier.verify(&headers, &altered)), Err(WebhookError::BadSignature)));

    // Signed by another key.
    let stranger = TestSigner::new().drops_claim_headers(&body);
    assert!(matches!(block_on(verifier.verify(&stranger, &body)), Err(WebhookError::BadSignature)));

    // An old claim is stale.
    let old = signs_claim_at(&signer, &body, &signing_time(Utc::now() - TimeDelta::minutes(10)));
    assert!(matches!(block_on(verifier.verify(&old, &body)), Err(WebhookError::StaleTimestamp { .. })));

    // Kick does not document the timestamp's format: Unix seconds are read too, garbage is named.
    let unix = signs_claim_at(&signer, &body, &Utc::now().timestamp().to_string());
    block_on(verifier.verify(&unix, &body)).unwrap();
    let garbage = signs_claim_at(&signer, &body, "soon");
    let error = block_on(verifier.verify(&garbage, &body)).unwrap_err();
    assert!(matches!(error, WebhookError::InvalidHeader { header: DeliveryHeader::Timestamp, .. }), "{error:?}");
    assert!(error.to_string().contains("Kick-Event-Timestamp"), "{error}");

    // Without its message id a claim is refused, naming the header.
    let mut no_id = signer.drops_claim_headers(&body);
    no_id.remove(DeliveryHeader::MessageId.name());
    let error = block_on(verifier.verify(&no_id, &body)).unwrap_err();
    assert!(matches!(error, WebhookError::MissingHeader { header: DeliveryHeader::MessageId }), "{error:?}");
}

fn signing_time(time: DateTime<Utc>) -> String {
    kickrs::webhooks::signing::rfc3339_seconds(time)
}

fn signs_claim_at(signer: &TestSigner, body: &[u8], timestamp: &str) -> HeaderMap {
    signer.sign_drops_claim_delivery(&kickrs::webhooks::signing::ulid_like(), timestamp, body)
}

#[test]
fn other_events_without_their_type_header_are_still_refused() {
    let Signed { signer, verifier } = signed();
    let follow = br#"{"broadcaster":{"user_id":1},"follower":{"user_id":2}}"#;

    // An event delivery missing Kick-Event-Type: refused as before, naming the header.
    let mut untyped = signer.headers("channel.followed", 1, follow);
    untyped.remove(DeliveryHeader::EventType.name());
    let error = block_on(verifier.verify(&untyped, follow)).unwrap_err();
    assert!(matches!(error, WebhookError::MissingHeader { header: DeliveryHeader::EventType }), "{error:?}");

    // Missing its version: refused too (the claim shape needs all the event-only headers absent).
    let mut unversioned = signer.headers("channel.followed", 1, follow);
    unversioned.remove(DeliveryHeader::EventVersion.name());
    let error = block_on(verifier.verify(&unversioned, follow)).unwrap_err();
    assert!(matches!(error, WebhookError::MissingHeader { header: DeliveryHeader::EventVersion }), "{error:?}");

    // An event body sent in the claim shape is not taken for a claim: it fails to decode as one.
    let disguised = signer.drops_claim_headers(follow);
    let delivery = block_on(verifier.verify(&disguised, follow)).unwrap();
    let error = delivery.decode(follow).unwrap_err();
    assert!(
        matches!(&error, WebhookError::MalformedPayload { event_type, .. } if event_type == "drops.claim"),
        "{error:?}"
    );
    assert_eq!(error.status(), http::StatusCode::BAD_REQUEST);
}

#[test]
fn test_signer_signs_a_typed_claim_in_the_claim_shape() {
    let Signed { signer, verifier } = signed();
    let claim: DropsRewardClaimed = serde_json::from_slice(&claim_body()).unwrap();
    let (headers, body) = signer.sign_event(&claim).unwrap();
    assert!(!headers.contains_key(DeliveryHeader::EventType.name()));
    assert!(headers.contains_key("kick-event-message-id") && headers.contains_key("kick-event-timestamp"));
    let delivery = block_on(verifier.verify(&headers, &body)).unwrap();
    assert_eq!(delivery.decode(&body).unwrap(), Event::DropsRewardClaimed(claim));
}
