//! `kick event`: signed test deliveries (trigger, retrigger), key pairs, and checking a captured
//! delivery with the library's own verifier.

use std::path::Path;
use std::time::Duration;

use http::{HeaderMap, HeaderName, HeaderValue};
use kickrs::webhooks::signing::{TestDelivery, TestSigner};
use kickrs::webhooks::{Verifier, WebhookError};
use serde_json::json;

use crate::args::{KeypairArgs, RetriggerArgs, TriggerArgs, VerifyArgs};
use crate::config;
use crate::deliveries::{self, Sent};
use crate::fail::{Context, Fail};
use crate::output::{Output, Style};
use crate::payloads::{self, Cast};

fn http() -> Result<reqwest::Client, Fail> {
    Ok(kickrs::http_client_builder()?.user_agent("kick-cli").timeout(Duration::from_secs(10)).build()?)
}

fn read_text(path: &Path) -> Result<String, Fail> {
    std::fs::read_to_string(path).context(|| format!("reading {}", path.display()))
}

/// The signer for `--private-key`, or the local mock key.
fn signer(private_key: Option<&Path>) -> Result<TestSigner, Fail> {
    match private_key {
        Some(path) => {
            TestSigner::from_private_key_pem(&read_text(path)?).context(|| format!("loading {}", path.display()))
        }
        None => config::mock_signer(),
    }
}

/// Reports one sent delivery; fails when the receiver did not answer 2xx.
fn report(out: &Output, sent: &Sent, status: u16, answer: &str, verb: &str) -> Result<(), Fail> {
    let ok = (200..300).contains(&status);
    if out.json {
        out.json_value(&json!({
            "message_id": sent.message_id, "event": sent.event, "url": sent.url, "status": status, "answer": answer,
        }));
    } else {
        let status_text = out.paint(if ok { Style::Good } else { Style::Bad }, &status.to_string());
        out.line(&format!("{verb} {} {} to {}: {status_text} {answer}", sent.event, sent.message_id, sent.url));
    }
    if ok { Ok(()) } else { Err(Fail::new(format!("the receiver answered {status} to {}", sent.message_id))) }
}

pub async fn trigger(a: TriggerArgs, out: &Output) -> Result<(), Fail> {
    url::Url::parse(&a.forward_address).context(|| format!("--forward-address {}", a.forward_address))?;
    if a.count == 0 {
        return Err(Fail::new("--count must be at least 1"));
    }
    let signer = signer(a.private_key.as_deref())?;
    let http = http()?;
    let mut refused = None;
    for _ in 0..a.count {
        let mut payload = payloads::build(&a.event, &Cast::default_for(a.broadcaster))
            .ok_or_else(|| Fail::new(format!("unknown event type {}", a.event)))?;
        for assignment in &a.set {
            payloads::apply_set(&mut payload, assignment)?;
        }
        let body = serde_json::to_string(&payload)?;
        let delivery = TestDelivery::new(&a.event, 1);
        let headers = if a.event == payloads::DROPS_CLAIM {
            // A claim carries three headers only: signature, message id and timestamp.
            signer.sign_drops_claim_delivery(delivery.message_id.as_str(), &delivery.timestamp, body.as_bytes())
        } else {
            signer.sign_delivery(&delivery, body.as_bytes())
        };
        let sent = Sent {
            message_id: delivery.message_id.clone(),
            event: a.event.clone(),
            url: a.forward_address.clone(),
            headers: headers
                .iter()
                .map(|(name, value)| (name.as_str().to_owned(), String::from_utf8_lossy(value.as_bytes()).into_owned()))
                .collect(),
            body,
        };
        // Logged before sending, so a delivery the receiver refused can be retriggered.
        deliveries::record(&sent)?;
        let (status, answer) = deliveries::post(&http, &sent).await?;
        if let Err(fail) = report(out, &sent, status, &answer, "sent") {
            refused.get_or_insert(fail);
        }
    }
    refused.map_or(Ok(()), Err)
}

pub async fn retrigger(a: RetriggerArgs, out: &Output) -> Result<(), Fail> {
    let mut sent = deliveries::find(&a.id)?;
    if let Some(url) = a.forward_address {
        url::Url::parse(&url).context(|| format!("--forward-address {url}"))?;
        sent.url = url;
    }
    let (status, answer) = deliveries::post(&http()?, &sent).await?;
    report(out, &sent, status, &answer, "resent")
}

pub fn keypair(a: KeypairArgs, out: &Output) -> Result<(), Fail> {
    let private = a.out.join("private.pem");
    let public = a.out.join("public.pem");
    for path in [&private, &public] {
        if path.exists() && !a.force {
            return Err(Fail::new(format!("{} exists; pass --force to replace it", path.display())));
        }
    }
    std::fs::create_dir_all(&a.out).context(|| format!("creating {}", a.out.display()))?;
    let signer = fresh_signer()?;
    config::write_private(&private, signer.private_key_pem().as_bytes())?;
    std::fs::write(&public, signer.public_key_pem()).context(|| format!("writing {}", public.display()))?;
    if out.json {
        out.json_value(&json!({"private_key": private, "public_key": public}));
    } else {
        out.line(&format!("private key (for --private-key): {}", private.display()));
        out.line(&format!("public key (for your receiver):  {}", public.display()));
    }
    Ok(())
}

/// A signer with a newly generated RSA-2048 key (`TestSigner::new` hands out kickrs' published test keys, which
/// a key file a receiver is told to trust must not be).
fn fresh_signer() -> Result<TestSigner, Fail> {
    use aws_lc_rs::encoding::AsDer as _;
    let key = aws_lc_rs::rsa::KeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048)
        .map_err(|e| Fail::new(format!("generating the key: {e}")))?;
    let pkcs8 = key.as_der().map_err(|e| Fail::new(format!("encoding the key: {e}")))?;
    TestSigner::from_pkcs8_der(pkcs8.as_ref()).context(|| "loading the generated key".to_owned())
}

/// Reads a headers file: a JSON object of names to values, or `Name: value` lines (a request or
/// status line first, as in an HTTP dump, is skipped).
fn parse_headers(text: &str) -> Result<HeaderMap, Fail> {
    let mut headers = HeaderMap::new();
    let mut insert = |name: &str, value: &str| -> Result<(), Fail> {
        let name = HeaderName::try_from(name.trim()).map_err(|_| Fail::new(format!("bad header name `{name}`")))?;
        let value =
            HeaderValue::try_from(value.trim()).map_err(|_| Fail::new(format!("bad value for header {name}")))?;
        headers.insert(name, value);
        Ok(())
    };
    if text.trim_start().starts_with('{') {
        let object: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(text).map_err(|e| Fail::new(format!("headers file is not a JSON object: {e}")))?;
        for (name, value) in object {
            let value = match value {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            insert(&name, &value)?;
        }
    } else {
        for (number, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || (number == 0 && line.contains(" HTTP/") || line.starts_with("HTTP/")) {
                continue;
            }
            let (name, value) = line
                .split_once(':')
                .ok_or_else(|| Fail::new(format!("headers file line {}: expected `Name: value`", number + 1)))?;
            insert(name, value)?;
        }
    }
    Ok(headers)
}

pub async fn verify(a: VerifyArgs, out: &Output) -> Result<(), Fail> {
    let headers = parse_headers(&read_text(&a.headers)?)?;
    let body = std::fs::read(&a.body).context(|| format!("reading {}", a.body.display()))?;
    let (verifier, key_name) = match (&a.public_key, a.mock_key) {
        (Some(path), _) => (
            Verifier::new().with_public_key_pem(&read_text(path)?).context(|| format!("loading {}", path.display()))?,
            path.display().to_string(),
        ),
        (None, true) => {
            (Verifier::new().with_public_key(config::mock_signer()?.public_key()), "the mock key".to_owned())
        }
        (None, false) => (Verifier::new(), "Kick's public key".to_owned()),
    };
    let verifier = if a.any_age { verifier.without_freshness_check() } else { verifier }.without_dedup();
    let delivery = verifier.verify(&headers, &body).await.map_err(|e| {
        let mut message = format!("verification failed: {e}");
        if matches!(e, WebhookError::BadSignature) {
            message.push_str(&format!(" [checked against {key_name}]"));
            if body.ends_with(b"\n") {
                message.push_str("; the body file ends with a newline, which the signed body may not have");
            }
        }
        Fail::new(message)
    })?;
    let meta = delivery.meta().clone();
    let event = delivery.decode(&body).map_err(|e| Fail::new(format!("signature ok, but the payload fails: {e}")))?;
    if out.json {
        out.json_value(&json!({
            "valid": true, "message_id": meta.message_id, "event": meta.event_type, "version": meta.version,
            "timestamp": meta.timestamp.to_rfc3339(), "key": key_name,
            "known_type": !matches!(event, kickrs::webhooks::Event::Unknown { .. }),
        }));
    } else {
        out.line(&format!(
            "{} {} v{} message {} signed {} with {key_name}; payload decodes",
            out.paint(Style::Good, "valid:"),
            meta.event_type,
            meta.version,
            meta.message_id,
            meta.timestamp.to_rfc3339(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_parse_from_an_http_dump_and_from_json() {
        let dump = "POST /kick HTTP/1.1\r\nKick-Event-Type: chat.message.sent\r\nKick-Event-Version: 1\r\n\r\n";
        let headers = parse_headers(dump).unwrap();
        assert_eq!(headers["kick-event-type"], "chat.message.sent");
        assert_eq!(headers.len(), 2);
        let headers = parse_headers(r#"{"Kick-Event-Version": 1, "Kick-Event-Type": "kicks.gifted"}"#).unwrap();
        assert_eq!(headers["kick-event-version"], "1");
        let err = parse_headers("Kick-Event-Type chat").unwrap_err().to_string();
        assert!(err.contains("line 1: expected `Name: value`"), "{err}");
    }
}
