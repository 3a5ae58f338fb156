//! `kickrs-fleet-node`: one process of a test fleet, spawned N times by `tests/fleet.rs` (only
//! built with the features `mock`, `redis` and `webhooks-axum`). Not a tool for users.
//!
//! Roles (first argument), options as `--name value`:
//! - `calls`: a client whose user token lives in a shared store (`--store redis:<url>` or
//!   `file:<path>`) makes `--calls` concurrent calls after reading `go` on stdin;
//! - `app-calls`: the same with app-token calls (the app token shared through the store);
//! - `paced`: `--calls` concurrent app-token calls through a Redis rate limiter
//!   (`--limit` per `--window-ms`, each admission counted `--margin-ms` longer), after `go`;
//! - `save`: `--rounds` saves of `--client-id`'s token into a token file (`--file`);
//! - `receive`: a webhook receiver on a free port with Redis dedup, printing `handled <id>` per
//!   delivery its handler runs; stops when stdin closes.
//!
//! Each role prints `ready` (or `listening <url>`) when set up, then one `result <json>` line.

use std::collections::HashMap;
use std::io::{BufRead as _, Write as _};
use std::sync::Arc;
use std::time::Duration;

use kickrs::KickClient;
use kickrs::auth::{AuthOptions, FileTokenStore, TokenStore, UserToken};
use kickrs::fleet::Redis;
use kickrs::webhooks::axum::WebhookServer;
use kickrs::webhooks::{Dispatcher, Verifier};

type Fallible<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(role) = args.first().cloned() else {
        fail("usage: kickrs-fleet-node <calls|app-calls|paced|save|receive> [--option value]...")
    };
    let options: HashMap<String, String> = args[1..]
        .chunks(2)
        .filter_map(|pair| Some((pair[0].trim_start_matches("--").to_owned(), pair.get(1)?.clone())))
        .collect();
    let outcome = match role.as_str() {
        "calls" => calls(&options).await,
        "app-calls" => app_calls(&options).await,
        "paced" => paced(&options).await,
        "save" => save(&options).await,
        "receive" => receive(&options).await,
        other => Err(format!("unknown role {other}").into()),
    };
    if let Err(error) = outcome {
        fail(&error.to_string());
    }
}

fn fail(message: &str) -> ! {
    eprintln!("kickrs-fleet-node: {message}");
    std::process::exit(2)
}

fn option<'a>(options: &'a HashMap<String, String>, name: &str) -> Fallible<&'a str> {
    options.get(name).map(String::as_str).ok_or_else(|| format!("missing --{name}").into())
}

fn number(options: &HashMap<String, String>, name: &str) -> Fallible<u64> {
    Ok(option(options, name)?.parse()?)
}

fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

/// Blocks until the parent writes `go` (so that every process starts its calls together).
async fn wait_for_go() -> Fallible<()> {
    tokio::task::spawn_blocking(|| {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        if line.trim() == "go" { Ok(()) } else { Err(format!("expected go, read {line:?}").into()) }
    })
    .await?
}

async fn store(spec: &str) -> Fallible<Arc<dyn TokenStore>> {
    if let Some(url) = spec.strip_prefix("redis:") {
        Ok(Arc::new(Redis::connect(url).await?.token_store()))
    } else if let Some(path) = spec.strip_prefix("file:") {
        Ok(Arc::new(FileTokenStore::new(path)))
    } else {
        Err(format!("--store must be redis:<url> or file:<path>, not {spec}").into())
    }
}

fn client(options: &HashMap<String, String>) -> Fallible<kickrs::KickClientBuilder> {
    Ok(KickClient::builder()
        .client_id(option(options, "client-id")?)
        .client_secret(option(options, "secret")?)
        .api_base_url(option(options, "api")?)
        .oauth_base_url(option(options, "oauth")?)
        .user_agent(format!("kickrs-fleet-node/{}", option(options, "name")?)))
}

/// Prints how many of the calls succeeded, and the distinct errors of the others.
fn report<T>(results: Vec<kickrs::Result<T>>) {
    let ok = results.iter().filter(|r| r.is_ok()).count();
    let mut errors: Vec<String> = results.iter().filter_map(|r| r.as_ref().err()).map(ToString::to_string).collect();
    errors.sort();
    errors.dedup();
    let failed = results.len() - ok;
    say(&format!("result {}", serde_json::json!({ "ok": ok, "failed": failed, "errors": errors })));
}

/// A client whose tokens live in the store given by `--store`, leases held `--lease-ms` at most.
async fn shared_client(options: &HashMap<String, String>) -> Fallible<KickClient> {
    let lease = Duration::from_millis(number(options, "lease-ms")?);
    let auth = AuthOptions::default().shared_token_store(store(option(options, "store")?).await?).refresh_lease(lease);
    Ok(client(options)?.auth_options(auth.open_browser(false)).build()?)
}

async fn calls(options: &HashMap<String, String>) -> Fallible<()> {
    let client = shared_client(options).await?;
    say("ready");
    wait_for_go().await?;
    let calls = (0..number(options, "calls")?).map(|_| client.fetch_current_channel());
    report(futures::future::join_all(calls).await);
    Ok(())
}

async fn app_calls(options: &HashMap<String, String>) -> Fallible<()> {
    let client = shared_client(options).await?;
    say("ready");
    wait_for_go().await?;
    let calls = (0..number(options, "calls")?).map(|_| client.fetch_channel("auroralive"));
    report(futures::future::join_all(calls).await);
    Ok(())
}

async fn paced(options: &HashMap<String, String>) -> Fallible<()> {
    let redis = Redis::connect(option(options, "redis")?).await?;
    let limit = u32::try_from(number(options, "limit")?)?;
    let window = Duration::from_millis(number(options, "window-ms")?);
    let margin = Duration::from_millis(number(options, "margin-ms")?);
    let limiter = redis.rate_limiter(option(options, "client-id")?, limit, window).with_margin(margin);
    let client = client(options)?.rate_limiter(limiter).build()?;
    say("ready");
    wait_for_go().await?;
    let calls = (0..number(options, "calls")?).map(|_| client.fetch_channel("auroralive"));
    report(futures::future::join_all(calls).await);
    Ok(())
}

async fn save(options: &HashMap<String, String>) -> Fallible<()> {
    let store = FileTokenStore::new(option(options, "file")?);
    let client_id = option(options, "client-id")?;
    say("ready");
    wait_for_go().await?;
    let rounds = number(options, "rounds")?;
    for round in 1..=rounds {
        let token = UserToken::new(
            format!("{client_id}-{round}"),
            Some(format!("r-{round}")),
            std::time::Duration::from_secs(3600),
            &[kickrs::auth::Scope::UserRead],
        );
        store.save(client_id, &token).await?;
    }
    say(&format!("result {}", serde_json::json!({ "ok": rounds, "failed": 0, "errors": [] })));
    Ok(())
}

async fn receive(options: &HashMap<String, String>) -> Fallible<()> {
    let redis = Redis::connect(option(options, "redis")?).await?;
    let pem = std::fs::read_to_string(option(options, "key-pem")?)?;
    let pause = Duration::from_millis(number(options, "handler-ms")?);
    let verifier = Verifier::new()
        .with_public_key_pem(&pem)?
        .with_dedup_store(Arc::new(redis.dedup_store(Duration::from_secs(300))));
    let dispatcher = Dispatcher::new(verifier).on_any(move |delivered| async move {
        // Long enough for a duplicate sent meanwhile to reach another replica while this one runs.
        tokio::time::sleep(pause).await;
        say(&format!("handled {}", delivered.meta.message_id));
        Ok(())
    });
    let server = WebhookServer::new(dispatcher)
        .path("/webhooks")
        .bind_addr(std::net::SocketAddr::from(([127, 0, 0, 1], 0)))
        .listen()
        .await?;
    say(&format!("listening {}", server.url()));
    // Runs until the parent closes stdin.
    tokio::task::spawn_blocking(|| {
        let mut sink = String::new();
        while std::io::stdin().lock().read_line(&mut sink).map(|n| n > 0).unwrap_or(false) {}
    })
    .await?;
    server.shutdown().await?;
    say("result {}");
    Ok(())
}
