//! `kick event` as real processes against a receiver built on kickrs' `Verifier`: every event
//! type is accepted with the mock key and with a `kick event keypair` key, an altered body and a
//! foreign key are refused, `retrigger` is answered as a duplicate, and `verify` says what failed.

mod support;

use serde_json::Value;
use support::{Kick, path_str, receiver};

const EVENTS: [&str; 11] = [
    "chat.message.sent",
    "channel.followed",
    "channel.subscription.renewal",
    "channel.subscription.gifts",
    "channel.subscription.new",
    "channel.reward.redemption.updated",
    "livestream.status.updated",
    "livestream.metadata.updated",
    "moderation.banned",
    "kicks.gifted",
    "drops.claim",
];

/// The public half of the stored mock key, as `kick mock serve` serves it.
async fn mock_public_key(kick: &Kick) -> String {
    let serve = kick.serve(&[]);
    let url = serve.info["public_key_url"].as_str().unwrap().to_owned();
    support::get_json(&url).await["data"]["public_key"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_event_type_signed_with_the_mock_key_is_accepted_and_retrigger_is_a_duplicate() {
    let kick = Kick::new();
    let receiver = receiver(&mock_public_key(&kick).await).await;

    for event in EVENTS {
        let out = kick.run(["--json", "event", "trigger", event, "--forward-address", &receiver.url]).json();
        assert_eq!(out["status"], 200, "{event}: {out}");
        assert_eq!(out["answer"], format!("accepted {event}"));
    }
    let seen = receiver.seen.lock().unwrap().clone();
    assert_eq!(seen.iter().map(|s| s.event.as_str()).collect::<Vec<_>>(), EVENTS);
    assert!(seen.iter().all(|s| s.outcome.is_ok()), "{seen:?}");

    // --count, --broadcaster and --set shape the payloads.
    let out = kick.run([
        "event",
        "trigger",
        "chat.message.sent",
        "-F",
        &receiver.url,
        "--count",
        "3",
        "--broadcaster",
        "1002",
        "--set",
        "content=!uptime",
        "--set",
        "sender.username=bob",
        "--set",
        "replies_to=null",
    ]);
    assert_eq!(
        out.ok().lines().filter(|l| l.contains(": 200 accepted chat.message.sent")).count(),
        3,
        "{}",
        out.stdout()
    );
    let seen = receiver.seen.lock().unwrap().clone();
    let last: Vec<Value> = seen[11..].iter().map(|s| serde_json::from_slice(&s.body).unwrap()).collect();
    assert_eq!(last.len(), 3);
    let ids: std::collections::HashSet<_> = seen[11..].iter().map(|s| s.message_id.clone()).collect();
    assert_eq!(ids.len(), 3, "each delivery has its own message id");
    for body in &last {
        assert_eq!(body["broadcaster"]["user_id"], 1002);
        assert_eq!(body["broadcaster"]["username"], "ByteBard");
        assert_eq!(body["content"], "!uptime");
        assert_eq!(body["sender"]["username"], "bob");
    }

    // Retrigger resends the first delivery byte for byte: the receiver's dedup calls it a replay.
    let first = seen[0].clone();
    let out = kick.run(["event", "retrigger", "--id", &first.message_id]).ok();
    assert!(out.contains("duplicate: message") && out.contains("already handled"), "{out}");
    let again = receiver.seen.lock().unwrap().last().cloned().unwrap();
    assert!(again.replayed);
    assert_eq!(again.body, first.body, "same body bytes");
    for name in ["kick-event-message-id", "kick-event-signature", "kick-event-message-timestamp", "kick-event-type"] {
        assert_eq!(again.headers[name], first.headers[name], "{name} resent as it was");
    }

    let stderr = kick.run(["event", "retrigger", "--id", "01NOTSENT0000000000000000"]).failed();
    assert!(stderr.contains("no delivery 01NOTSENT0000000000000000"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_keypair_key_is_accepted_by_its_receiver_and_other_keys_or_altered_bodies_are_refused() {
    let kick = Kick::new();
    let keys = kick.config_dir().join("keys");
    let out = kick.run(["event", "keypair", "--out", &path_str(&keys)]).ok();
    assert!(out.contains("private.pem") && out.contains("public.pem"), "{out}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(keys.join("private.pem")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the private key is the owner's only");
    }
    let stderr = kick.run(["event", "keypair", "--out", &path_str(&keys)]).failed();
    assert!(stderr.contains("exists; pass --force"), "{stderr}");

    let public = std::fs::read_to_string(keys.join("public.pem")).unwrap();
    let receiver = receiver(&public).await;
    let private = path_str(&keys.join("private.pem"));
    for event in EVENTS {
        let out =
            kick.run(["--json", "event", "trigger", event, "-F", &receiver.url, "--private-key", &private]).json();
        assert_eq!(out["status"], 200, "{event}: {out}");
    }

    // The mock key is not the receiver's key: refused, and the command fails saying so.
    let run = kick.run(["event", "trigger", "kicks.gifted", "-F", &receiver.url]);
    let stderr = run.failed();
    assert!(run.stdout().contains(": 401 signature does not match"), "{}", run.stdout());
    assert!(stderr.contains("the receiver answered 401"), "{stderr}");

    // An altered body with the original headers is refused by the receiver...
    let good = receiver.seen.lock().unwrap()[0].clone();
    let mut altered = good.body.to_vec();
    let at = altered.iter().position(|b| *b == b'1').expect("a digit to change");
    altered[at] = b'2';
    let mut request = kickrs::http_client_builder().unwrap().build().unwrap().post(&receiver.url).body(altered.clone());
    for (name, value) in &good.headers {
        if name != "content-length" && name != "host" {
            request = request.header(name, value);
        }
    }
    let answer = request.send().await.unwrap();
    assert_eq!(answer.status(), 401);
    assert!(answer.text().await.unwrap().contains("signature does not match"));

    // ...and by `kick event verify`, which says what failed; the original verifies.
    let dir = kick.config_dir();
    let headers_text: String = good.headers.iter().map(|(n, v)| format!("{}: {}\n", n, v.to_str().unwrap())).collect();
    std::fs::write(dir.join("h.txt"), format!("POST /kick HTTP/1.1\n{headers_text}")).unwrap();
    std::fs::write(dir.join("good.json"), &good.body).unwrap();
    std::fs::write(dir.join("bad.json"), &altered).unwrap();
    let verify = |body: &str, extra: &[&str]| {
        let mut args = vec!["event", "verify", "--headers", "h.txt", "--body", body];
        args.extend_from_slice(extra);
        let mut command = kick.command(&args);
        command.current_dir(dir);
        support::Run(command.output().unwrap())
    };
    let ok = verify("good.json", &["--public-key", &path_str(&keys.join("public.pem"))]).ok();
    assert!(ok.starts_with("valid: chat.message.sent v1 message"), "{ok}");
    let stderr = verify("bad.json", &["--public-key", &path_str(&keys.join("public.pem"))]).failed();
    assert!(stderr.starts_with("error: verification failed: signature does not match"), "{stderr}");
    let stderr = verify("good.json", &["--mock-key"]).failed();
    assert!(
        stderr.contains("signature does not match") && stderr.contains("[checked against the mock key]"),
        "{stderr}"
    );
    let stderr = verify("good.json", &[]).failed();
    assert!(stderr.contains("[checked against Kick's public key]"), "{stderr}");

    // A missing header is named.
    std::fs::write(
        dir.join("h.txt"),
        headers_text.lines().filter(|l| !l.starts_with("kick-event-signature")).collect::<Vec<_>>().join("\n"),
    )
    .unwrap();
    let stderr = verify("good.json", &["--public-key", &path_str(&keys.join("public.pem"))]).failed();
    assert!(stderr.contains("missing header Kick-Event-Signature"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trigger_checks_its_input_before_sending() {
    let kick = Kick::new();
    let stderr = kick.run(["event", "trigger", "chat.message.sent", "-F", "not a url"]).failed();
    assert!(stderr.contains("--forward-address not a url"), "{stderr}");
    let stderr = kick.run(["event", "trigger", "no.such.event", "-F", "http://127.0.0.1:9/"]).failed();
    assert!(stderr.contains("invalid value 'no.such.event'"), "{stderr}");
    let stderr =
        kick.run(["event", "trigger", "channel.followed", "-F", "http://127.0.0.1:9/", "--set", "oops"]).failed();
    assert!(stderr.contains("--set oops: expected FIELD=VALUE"), "{stderr}");
}
