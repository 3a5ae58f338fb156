//! `kick mock serve` driven by the other commands, all as real processes: an app token from
//! `kick token app`, `kick api get --paginate` over several pages, errors with Kick's message,
//! state changes through `kick mock ...` that reach a webhook receiver, and a clean Ctrl-C.

mod support;

use serde_json::Value;
use support::{Kick, get_json, receiver};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_app_then_api_get_paginate_follows_every_cursor() {
    let kick = Kick::new();
    let serve = kick.serve(&[]);
    let creds = serve.creds();

    let token = kick.run(["token", "app"].iter().map(|s| s.to_string()).chain(creds.clone())).ok();
    let token = token.trim();
    assert_eq!(token.len(), 40, "an app token: {token}");
    // The token works against the mock directly.
    let categories: Value = kickrs::http_client_builder()
        .unwrap()
        .build()
        .unwrap()
        .get(format!("{}/public/v2/categories?limit=100", serve.api()))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let all = categories["data"].as_array().unwrap().clone();
    assert_eq!(all.len(), 6, "the default world has six categories");

    // Two a page: three pages, stitched into one array in order.
    let run = kick.run(
        ["api", "get", "/public/v2/categories", "--paginate", "-q", "limit=2"]
            .iter()
            .map(|s| s.to_string())
            .chain(creds.clone()),
    );
    let stdout = run.ok();
    assert_eq!(stdout.lines().count(), 1, "compact JSON when piped: {stdout}");
    let paged: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(paged.as_array().unwrap(), &all);
    let progress = run.stderr();
    for page in ["page 1: 2 items", "page 2: 4 items", "page 3: 6 items"] {
        assert!(progress.contains(page), "progress on stderr: {progress}");
    }
    assert!(!progress.contains("page 4"), "{progress}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_failures_exit_non_zero_with_kicks_message() {
    let kick = Kick::new();
    let serve = kick.serve(&[]);
    let creds = serve.creds();
    let args = |extra: &[&str]| extra.iter().map(|s| s.to_string()).chain(creds.clone()).collect::<Vec<_>>();

    let stderr = kick.run(args(&["api", "get", "/public/v2/categories", "-q", "limit=5000"])).failed();
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(stderr.starts_with("error: GET /public/v2/categories: 400 Bad Request:"), "{stderr}");
    assert!(stderr.contains("limit"), "Kick's message names the parameter: {stderr}");

    // A user-only endpoint without a stored user token fails before any request.
    let stderr = kick.run(args(&["api", "post", "chat", "-b", r#"{"type":"user","content":"hi"}"#])).failed();
    assert!(stderr.contains("needs a user token") && stderr.contains("kick token login"), "{stderr}");

    let stderr = kick.run(args(&["api", "post", "chat", "-b", "{not json"])).failed();
    assert!(stderr.contains("the -b value is not JSON"), "{stderr}");
    assert!(!stderr.contains("panicked") && !stderr.contains("backtrace"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mock_actions_change_state_and_send_signed_webhooks_then_ctrl_c_stops_cleanly() {
    let kick = Kick::new();
    // The receiver trusts the key `kick mock serve` will serve: the stored mock key, made here
    // by a first serve that is stopped again (the key outlives it in the config directory).
    let first = kick.serve(&[]);
    let pem = get_json(first.info["public_key_url"].as_str().unwrap()).await["data"]["public_key"]
        .as_str()
        .unwrap()
        .to_owned();
    drop(first);
    let receiver = receiver(&pem).await;
    let serve = kick.serve(&["--webhook-url", &receiver.url]);
    let served = get_json(serve.info["public_key_url"].as_str().unwrap()).await;
    assert_eq!(served["data"]["public_key"].as_str(), Some(pem.as_str()), "the same key across runs");

    let admin = serve.info["admin_url"].as_str().unwrap().to_owned();
    let act = |args: &[&str]| {
        let mut all = vec!["--json", "mock"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--admin-url", &admin]);
        kick.run(&all).json()
    };
    let answer = act(&["golive", "--broadcaster", "1004", "--title", "Back online"]);
    // The new title goes through the API (livestream.metadata.updated), then the stream starts.
    assert_eq!((answer["event"].as_str(), answer["deliveries"].as_u64()), (Some("livestream.status.updated"), Some(2)));
    let chat = act(&["chat", "--broadcaster", "1001", "--sender", "2001", "hello from a script"]);
    assert_eq!(chat["event"], "chat.message.sent");
    act(&["follow", "--broadcaster", "1001", "--user", "2001"]);
    act(&["subscribe", "--broadcaster", "1001", "--user", "2001", "--months", "3"]);
    act(&["gift", "--broadcaster", "1001", "--user", "2002", "--to", "2001", "--to", "1002"]);
    act(&["ban", "--broadcaster", "1001", "--user", "2001", "--duration", "5", "--reason", "spam"]);
    act(&["redeem", "--broadcaster", "1001", "--user", "2001", "--reward", "Hydrate!"]);
    act(&["kicks", "--broadcaster", "1001", "--user", "2001", "--amount", "250"]);
    act(&["offline", "--broadcaster", "1004"]);
    let claim = act(&["claim", "--user", "2001", "--reward", kickrs::mock::seed::DROPS_AXE_REWARD_ID]);
    assert_eq!((claim["event"].as_str(), claim["deliveries"].as_u64()), (Some("drops.claim"), Some(1)));

    // The state changed where the API shows it.
    let creds = serve.creds();
    let args = |extra: &[&str]| extra.iter().map(|s| s.to_string()).chain(creds.clone()).collect::<Vec<_>>();
    let channel = kick.run(args(&["api", "get", "channels", "-q", "broadcaster_user_id=1004"])).json();
    assert_eq!(channel["data"][0]["stream_title"], "Back online");
    assert_eq!(channel["data"][0]["stream"]["is_live"], false, "offline again");

    // A refused action says why, on one line, with a non-zero exit.
    let stderr =
        kick.run(["mock", "follow", "--broadcaster", "1001", "--user", "4242", "--admin-url", &admin]).failed();
    assert_eq!(stderr.trim(), "error: user 4242 is not in the mock's world");

    // Deliveries are sent in the background; wait for all eleven.
    let expected = [
        "livestream.metadata.updated",
        "livestream.status.updated",
        "chat.message.sent",
        "channel.followed",
        "channel.subscription.renewal",
        "channel.subscription.gifts",
        "moderation.banned",
        "channel.reward.redemption.updated",
        "kicks.gifted",
        "livestream.status.updated",
        "drops.claim",
    ];
    for _ in 0..100 {
        if receiver.seen.lock().unwrap().len() >= expected.len() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let seen = receiver.seen.lock().unwrap().clone();
    let mut events: Vec<&str> = seen.iter().map(|s| s.event.as_str()).collect();
    let mut want = expected.to_vec();
    events.sort_unstable();
    want.sort_unstable();
    assert_eq!(events, want);
    assert!(seen.iter().all(|s| s.outcome.is_ok()), "every delivery verifies and decodes: {seen:?}");
    let chat_body: Value =
        serde_json::from_slice(&seen.iter().find(|s| s.event == "chat.message.sent").unwrap().body).unwrap();
    assert_eq!(chat_body["content"], "hello from a script");
    assert_eq!(chat_body["message_id"], chat["message_id"]);
    let kicks: Value = serde_json::from_slice(&seen.iter().find(|s| s.event == "kicks.gifted").unwrap().body).unwrap();
    assert_eq!(kicks["gift"]["amount"], 250);

    let (status, stderr) = serve.stop();
    assert!(status.success(), "Ctrl-C is a clean stop: {status} {stderr}");
    assert!(stderr.contains("stopped"), "{stderr}");
    assert!(!kick.config_dir().join("mock-serve.json").exists(), "the running-server note is removed");
}
