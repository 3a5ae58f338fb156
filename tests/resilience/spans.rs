//! Tracing: one `kick_request` span per attempt with operation, attempt, status (or failure) and
//! latency, and no secret anywhere in what a subscriber sees, even at TRACE level with the HTTP stack's
//! `log` lines forwarded.

use std::io::Write;
use std::sync::{Arc, Mutex};

use kickrs::mock::{Fault, MockKick};
use reqwest::Method;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::FmtSpan;

use super::{STATS, builder, user_client};

/// Everything the subscriber writes, kept in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// The closing lines of `kick_request` spans (FmtSpan::CLOSE prints every field recorded).
fn attempt_lines(text: &str, operation: &str) -> Vec<String> {
    let operation = format!("operation=\"{operation}\"");
    text.lines()
        .filter(|line| line.contains("kick_request{") && line.contains(&operation) && line.contains("close"))
        .map(str::to_owned)
        .collect()
}

#[tokio::test(start_paused = true)]
async fn one_span_per_attempt_with_status_and_latency_and_no_secret_in_the_output() {
    // With a single registered dispatcher, tracing asks the *registering* thread's subscriber whether a
    // new callsite is wanted, so a span first hit by a test running beside this one would be muted for
    // good. A second (silent) dispatcher makes tracing ask every registered subscriber instead.
    let _silent = tracing::Dispatch::new(tracing::subscriber::NoSubscriber::default());
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    // A current-thread runtime: MockKick, the client and the refresh task all log on this thread.
    let _guard = tracing::subscriber::set_default(subscriber);
    // Parts of the HTTP stack log through `log`: forward it to the subscriber of the thread (once per process).
    let _ = tracing_log::LogTracer::init();

    let mock = MockKick::start().await;
    let (client, issued) = user_client(&mock, builder(&mock)).await;
    mock.faults().next(Method::GET, STATS, 1, Fault::Status(503));
    client.fetch_livestream_stats().await.unwrap();
    mock.faults().next(Method::GET, STATS, 1, Fault::DropConnection);
    client.fetch_livestream_stats().await.unwrap();
    mock.expire_all_tokens();
    client.fetch_current_channel().await.unwrap();
    let text = captured.text();

    let stats = attempt_lines(&text, "fetch_livestream_stats");
    assert_eq!(stats.len(), 4, "two calls of two attempts each:\n{}", stats.join("\n"));
    for (line, (attempt, outcome)) in
        stats.iter().zip([(1, "status=503"), (2, "status=200"), (1, "error=\"connection lost\""), (2, "status=200")])
    {
        assert!(line.contains(&format!("attempt={attempt}")), "{line}");
        assert!(line.contains(outcome), "{line}");
        assert!(line.contains("method=GET") && line.contains("latency_ms="), "{line}");
    }
    let channels = attempt_lines(&text, "fetch_channels");
    assert_eq!(channels.len(), 2, "the 401 and the resend:\n{}", channels.join("\n"));
    assert!(channels[0].contains("attempt=1") && channels[0].contains("status=401"), "{}", channels[0]);
    assert!(channels[1].contains("attempt=2") && channels[1].contains("status=200"), "{}", channels[1]);
    assert!(text.contains("retrying"), "the waits are logged too");
    assert!(text.contains("hyper_util::"), "the HTTP stack's own log lines are captured too");

    // Every secret the client held or sent: the client secret, the issued pair, the refreshed pair and
    // every bearer token MockKick saw.
    let refreshed = client.user_token().await.unwrap().unwrap();
    let mut secrets = vec![
        mock.client_secret().to_owned(),
        issued.access_token.clone(),
        issued.refresh_token.clone().unwrap(),
        refreshed.access_token().secret().to_owned(),
        refreshed.refresh_token().unwrap().secret().to_owned(),
    ];
    for request in mock.requests() {
        if let Some(bearer) = request.header("authorization") {
            secrets.push(bearer.trim_start_matches("Bearer ").to_owned());
        }
    }
    assert!(secrets.len() >= 8, "app and user tokens were sent: {}", secrets.len());
    assert!(text.len() > 1_000, "the subscriber saw the traffic");
    for secret in &secrets {
        assert!(!text.contains(secret.as_str()), "a secret leaked into the trace output");
    }
}
