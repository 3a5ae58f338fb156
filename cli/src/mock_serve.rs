//! `kick mock serve`: MockKick as a standalone server on a fixed port, plus the admin server that
//! `kick mock golive|chat|...` (or any HTTP client) use to change its state.

use std::sync::Arc;

use kickrs::mock::MockKick;
use serde_json::json;

use crate::args::ServeArgs;
use crate::config::{self, ServeInfo};
use crate::fail::{Context, Fail};
use crate::output::{Output, Style};
use crate::payloads::EVENTS;
use crate::seed::Seed;

pub async fn serve(a: ServeArgs, out: &Output) -> Result<(), Fail> {
    let mut builder = MockKick::builder();
    builder = match &a.seed {
        Some(path) => {
            let text = std::fs::read_to_string(path).context(|| format!("reading the seed file {}", path.display()))?;
            Seed::parse(&path.display().to_string(), &text)?.apply(builder)
        }
        None => builder.with_default_seed(),
    };
    if let Some(url) = &a.webhook_url {
        url::Url::parse(url).context(|| format!("--webhook-url {url}"))?;
    }
    let mock = builder
        .port(a.port)
        .webhook_signer(config::mock_signer()?)
        .try_start()
        .await
        .map_err(|e| Fail::new(format!("cannot listen on 127.0.0.1:{}: {e} (pick another with --port)", a.port)))?;
    let mock = Arc::new(mock);
    if let Some(url) = &a.webhook_url {
        mock.set_webhook_url(mock.client_id(), url);
        mock.set_drops_webhook_url(mock.client_id(), url);
        subscribe_everything(&mock).await?;
    }

    let admin = tokio::net::TcpListener::bind(("127.0.0.1", a.admin_port))
        .await
        .map_err(|e| Fail::new(format!("cannot listen on 127.0.0.1:{} for the admin server: {e}", a.admin_port)))?;
    let admin_addr = admin.local_addr().context(|| "reading the admin address".to_owned())?;
    let info = ServeInfo {
        api_base_url: mock.api_base_url(),
        oauth_base_url: mock.oauth_base_url(),
        admin_url: format!("http://{admin_addr}"),
        public_key_url: format!("{}/public/v1/public-key", mock.api_base_url()),
        client_id: mock.client_id().to_owned(),
        client_secret: mock.client_secret().to_owned(),
        pid: std::process::id(),
    };
    let info_path = config::ensure_dir()?.join("mock-serve.json");
    config::write_private(&info_path, serde_json::to_string_pretty(&info)?.as_bytes())?;

    let (stop, mut stopped) = tokio::sync::watch::channel(false);
    let router = crate::mock_admin::router(Arc::clone(&mock));
    let admin_task = tokio::spawn(async move {
        let _ = axum::serve(admin, router)
            .with_graceful_shutdown(async move {
                let _ = stopped.wait_for(|s| *s).await;
            })
            .await;
    });

    print_banner(out, &info, a.webhook_url.as_deref());
    wait_for_stop_signal().await;
    out.note("stopping MockKick...");
    let _ = stop.send(true);
    let _ = admin_task.await;
    // Only remove the file if it still describes this process (another serve may have replaced it).
    if let Ok(text) = std::fs::read_to_string(&info_path)
        && let Ok(saved) = serde_json::from_str::<ServeInfo>(&text)
        && saved.pid == info.pid
    {
        let _ = std::fs::remove_file(&info_path);
    }
    if let Ok(mock) = Arc::try_unwrap(mock) {
        mock.shutdown().await;
    }
    out.note("stopped");
    Ok(())
}

fn print_banner(out: &Output, info: &ServeInfo, webhook_url: Option<&str>) {
    if out.json {
        let mut value = serde_json::to_value(info).unwrap_or_default();
        value["webhook_url"] = json!(webhook_url);
        out.json_value(&value);
        return;
    }
    let label = |text: &str| out.paint(Style::Bold, &format!("{text:<16}"));
    out.line(&format!("{} (Ctrl-C to stop)", out.paint(Style::Good, "MockKick is running")));
    out.line("");
    out.line(&format!("  {}{}", label("API base URL"), info.api_base_url));
    out.line(&format!("  {}{}", label("OAuth base URL"), info.oauth_base_url));
    out.line(&format!("  {}{}", label("Client ID"), info.client_id));
    out.line(&format!("  {}{}", label("Client secret"), info.client_secret));
    out.line(&format!("  {}{}", label("Public key"), info.public_key_url));
    out.line(&format!("  {}{}", label("Admin URL"), info.admin_url));
    if let Some(url) = webhook_url {
        out.line(&format!("  {}{url} (every event of every channel)", label("Webhooks to")));
    }
    out.line("");
    out.line(&format!(
        "  export KICK_API_BASE_URL={api} KICK_OAUTH_BASE_URL={oauth} KICK_CLIENT_ID={id} KICK_CLIENT_SECRET={secret}",
        api = info.api_base_url,
        oauth = info.oauth_base_url,
        id = info.client_id,
        secret = info.client_secret,
    ));
}

/// Subscribes the default app to every event of every channel, through the mock's own API.
async fn subscribe_everything(mock: &MockKick) -> Result<(), Fail> {
    let http = kickrs::http_client_builder()?.build()?;
    let token = mock.issue_app_token();
    let events: Vec<_> = EVENTS.iter().map(|name| json!({"name": name, "version": 1})).collect();
    for user in mock.users() {
        let answer = http
            .post(format!("{}/public/v1/events/subscriptions", mock.api_base_url()))
            .bearer_auth(&token)
            .json(&json!({"broadcaster_user_id": user.id, "method": "webhook", "events": events}))
            .send()
            .await?;
        if !answer.status().is_success() {
            let status = answer.status();
            let text = answer.text().await.unwrap_or_default();
            return Err(Fail::new(format!("subscribing to the events of user {}: {status} {text}", user.id)));
        }
    }
    Ok(())
}

/// Ctrl-C, or SIGTERM on Unix (what service managers and test harnesses send).
async fn wait_for_stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
