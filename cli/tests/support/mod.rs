//! Helpers for tests that run the built `kick` binary: a private config directory per test, a
//! running `kick mock serve`, and a webhook receiver built on kickrs' own verifier.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use bytes::Bytes;
use kickrs::webhooks::{Verifier, WebhookError};
use serde_json::Value;

/// A config directory of its own, so tests never share tokens, keys or delivery logs.
pub struct Kick {
    pub dir: tempfile::TempDir,
}

impl Kick {
    pub fn new() -> Self {
        Kick { dir: tempfile::tempdir().expect("temp dir") }
    }

    pub fn config_dir(&self) -> &Path {
        self.dir.path()
    }

    /// `kick ARGS` with this config directory and no KICK_* variables from the environment.
    pub fn command<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut command = Command::new(env!("CARGO_BIN_EXE_kick"));
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("KICK_") || name == "NO_COLOR" {
                command.env_remove(name);
            }
        }
        command.env("KICK_CONFIG_DIR", self.config_dir()).env("KICKRS_NO_BROWSER", "1").args(args);
        command
    }

    /// Runs `kick ARGS` to the end.
    pub fn run<I, S>(&self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        Run(self.command(args).output().expect("run kick"))
    }

    /// Starts `kick --json mock serve --port 0 EXTRA...` and waits for its banner.
    pub fn serve(&self, extra: &[&str]) -> Serve {
        let mut args = vec!["--json", "mock", "serve", "--port", "0"];
        args.extend_from_slice(extra);
        let mut child =
            self.command(&args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("start kick mock serve");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        stdout.read_line(&mut line).expect("read the banner");
        let info: Value = match serde_json::from_str(&line) {
            Ok(info) => info,
            Err(e) => {
                let _ = child.kill();
                let output = child.wait_with_output().expect("wait");
                panic!("no JSON banner ({e}): {line:?} stderr: {}", String::from_utf8_lossy(&output.stderr));
            }
        };
        Serve { child: Some(child), info }
    }
}

/// A finished run.
pub struct Run(pub Output);

impl Run {
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }

    /// Asserts success and returns stdout.
    pub fn ok(&self) -> String {
        assert!(
            self.0.status.success(),
            "kick failed ({}): stdout {} stderr {}",
            self.0.status,
            self.stdout(),
            self.stderr()
        );
        self.stdout()
    }

    /// Asserts failure and returns stderr.
    pub fn failed(&self) -> String {
        assert!(!self.0.status.success(), "kick succeeded unexpectedly: {}", self.stdout());
        self.stderr()
    }

    pub fn json(&self) -> Value {
        let out = self.ok();
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
    }
}

/// A running `kick mock serve`; stopped with SIGINT (Ctrl-C) when dropped or by [`Serve::stop`].
pub struct Serve {
    child: Option<Child>,
    pub info: Value,
}

impl Serve {
    pub fn api(&self) -> String {
        self.info["api_base_url"].as_str().expect("api_base_url").to_owned()
    }

    /// `--api-base-url ... --oauth-base-url ... --client-id ... --client-secret ...`
    pub fn creds(&self) -> Vec<String> {
        let field = |k: &str| self.info[k].as_str().expect(k).to_owned();
        vec![
            "--api-base-url".into(),
            field("api_base_url"),
            "--oauth-base-url".into(),
            field("oauth_base_url"),
            "--client-id".into(),
            field("client_id"),
            "--client-secret".into(),
            field("client_secret"),
        ]
    }

    /// Sends Ctrl-C (SIGINT) and waits; returns the exit status and what it printed on stderr.
    pub fn stop(mut self) -> (std::process::ExitStatus, String) {
        let child = self.child.take().expect("running");
        interrupt(&child);
        let output = child.wait_with_output().expect("wait for kick mock serve");
        (output.status, String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            interrupt(&child);
            let _ = child.wait();
        }
    }
}

/// SIGINT, as a terminal's Ctrl-C sends it.
fn interrupt(child: &Child) {
    let status = Command::new("kill").args(["-INT", &child.id().to_string()]).status().expect("run kill(1)");
    assert!(status.success(), "kill -INT failed");
}

/// A free port on 127.0.0.1 (bound and released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("free port").port()
}

/// What a receiver saw for one delivery.
#[derive(Debug, Clone)]
pub struct Seen {
    pub event: String,
    pub message_id: String,
    pub outcome: Result<(), String>,
    pub replayed: bool,
    pub body: Bytes,
    pub headers: HeaderMap,
}

/// A webhook receiver on 127.0.0.1 built on kickrs' `Verifier`: 200 for a valid delivery, 200
/// "duplicate" for a replay (as Kick wants), the error's status otherwise.
pub struct Receiver {
    pub url: String,
    pub seen: Arc<Mutex<Vec<Seen>>>,
}

type ReceiverState = (Arc<Verifier>, Arc<Mutex<Vec<Seen>>>);

pub async fn receiver(public_key_pem: &str) -> Receiver {
    let verifier = Arc::new(Verifier::new().with_public_key_pem(public_key_pem).expect("a public key PEM"));
    let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let app = axum::Router::new()
        .route(
            "/kick",
            axum::routing::post(
                |State((verifier, seen)): State<ReceiverState>, headers: HeaderMap, body: Bytes| async move {
                    let header =
                        |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
                    // A Drops claim has no type header: the verifier names it from its shape.
                    let mut event = header("kick-event-type");
                    let (status, text, outcome, replayed) = match verifier.verify(&headers, &body).await {
                        Ok(delivery) => {
                            event = delivery.meta().event_type.clone();
                            let decoded = delivery.decode(&body).map(|e| e.event_type().to_owned());
                            delivery.mark_handled().await;
                            match decoded {
                                Ok(event) => (StatusCode::OK, format!("accepted {event}"), Ok(()), false),
                                Err(e) => (StatusCode::BAD_REQUEST, e.to_string(), Err(e.to_string()), false),
                            }
                        }
                        Err(e @ WebhookError::Replayed { .. }) => {
                            (StatusCode::OK, format!("duplicate: {e}"), Err(e.to_string()), true)
                        }
                        Err(e) => (e.status(), e.to_string(), Err(e.to_string()), false),
                    };
                    seen.lock().unwrap().push(Seen {
                        event,
                        message_id: header("kick-event-message-id"),
                        outcome,
                        replayed,
                        body: body.clone(),
                        headers: headers.clone(),
                    });
                    (status, text)
                },
            ),
        )
        .with_state((verifier, seen.clone()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind the receiver");
    let url = format!("http://{}/kick", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    Receiver { url, seen }
}

/// GET a URL and return its JSON.
pub async fn get_json(url: &str) -> Value {
    kickrs::http_client_builder()
        .expect("TLS")
        .build()
        .expect("client")
        .get(url)
        .send()
        .await
        .expect("GET")
        .json()
        .await
        .expect("JSON")
}

pub fn path_str(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

pub fn files(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir).map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect()).unwrap_or_default()
}
