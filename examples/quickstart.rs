//! A short tour of kickrs.
//!
//! Without `KICK_CLIENT_ID`/`KICK_CLIENT_SECRET` it starts `MockKick` (the fake Kick server that ships
//! with kickrs, feature `mock`) and walks through reads, a PKCE login, chat, rewards and a verified
//! webhook, all on 127.0.0.1:
//!
//! ```text
//! cargo run -p kickrs-examples --example quickstart --features mock
//! ```
//!
//! With both variables set it runs only the read-only part against Kick itself, with an app token
//! (`KICK_CHANNEL` picks the channel to look up, default `xqc`):
//!
//! ```text
//! KICK_CLIENT_ID=... KICK_CLIENT_SECRET=... cargo run -p kickrs-examples --example quickstart
//! ```

use std::process::ExitCode;

use kickrs::KickClient;
use kickrs::api::LivestreamsV2Options;

type TourResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

// One thread keeps the tour's output in order (the login prints its URL before the browser moves).
#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let id = std::env::var("KICK_CLIENT_ID").ok().filter(|v| !v.is_empty());
    let secret = std::env::var("KICK_CLIENT_SECRET").ok().filter(|v| !v.is_empty());
    let outcome = match (id, secret) {
        (Some(id), Some(secret)) => real_kick(id, secret).await,
        (id, secret) => {
            if id.is_some() != secret.is_some() {
                println!("Only one of KICK_CLIENT_ID and KICK_CLIENT_SECRET is set; both are needed for real Kick.");
            }
            match offline::run().await {
                Some(outcome) => outcome,
                None => return ExitCode::from(2),
            }
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("quickstart failed: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The read-only part against Kick itself. Nothing secret is printed: the client redacts its
/// secret and tokens everywhere.
async fn real_kick(client_id: String, client_secret: String) -> TourResult {
    let slug = std::env::var("KICK_CHANNEL").unwrap_or_else(|_| "xqc".to_owned());
    println!("KICK_CLIENT_ID and KICK_CLIENT_SECRET are set: reading from Kick (api.kick.com) with an app token.");
    let client = KickClient::new(client_id, client_secret)?;
    read_only_tour(&client, &slug).await
}

/// Looks up a channel, lists a page of live streams and the live count: the same calls against
/// Kick and against MockKick.
async fn read_only_tour(client: &KickClient, slug: &str) -> TourResult {
    step(1, &format!("Look up the channel `{slug}` (app token, fetched on first need)"));
    let channel = client.fetch_channel(slug).await?;
    let status = match (channel.stream.is_live, channel.stream.viewer_count) {
        (Some(true), viewers) => format!("live with {} viewers", viewers.unwrap_or(0)),
        _ => "offline".to_owned(),
    };
    println!(
        "   {} (broadcaster {}): \"{}\" in {}, {status}",
        channel.slug, channel.broadcaster_user_id, channel.stream_title, channel.category.name
    );

    step(2, "List live streams (v2 cursor pages, first page of up to 5)");
    let page = client.fetch_livestreams_v2(LivestreamsV2Options { limit: Some(5), ..Default::default() }).await?;
    for stream in &page.items {
        println!(
            "   {:<16} {:>6} viewers  {:<20} {}",
            stream.channel.slug, stream.viewer_count, stream.category.name, stream.title
        );
    }
    let more = if page.has_next() { "more pages follow (pass `next_cursor` back)" } else { "that was the last page" };
    let stats = client.fetch_livestream_stats().await?;
    println!("   {more}; {} streams live in all", stats.total_count);
    Ok(())
}

fn step(number: u32, title: &str) {
    println!("\n{number}. {title}");
}

#[cfg(not(feature = "mock"))]
mod offline {
    /// Without the `mock` feature there is no MockKick to tour.
    pub async fn run() -> Option<super::TourResult> {
        eprintln!(
            "No KICK_CLIENT_ID/KICK_CLIENT_SECRET set, and this build has no MockKick to tour instead.\n\
             Run the offline tour with:   cargo run -p kickrs-examples --example quickstart --features mock\n\
             or read from Kick with:      KICK_CLIENT_ID=... KICK_CLIENT_SECRET=... cargo run -p kickrs-examples --example quickstart"
        );
        None
    }
}

#[cfg(feature = "mock")]
mod offline {
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    use axum::body::Bytes;
    use axum::extract::State;
    use axum::http::{HeaderMap, StatusCode};
    use kickrs::KickClient;
    use kickrs::api::{CreateChannelRewardOptions, FetchRewardRedemptionsOptions, WebhookEvent};
    use kickrs::auth::{AuthOptions, LoginOptions, Scope};
    use kickrs::mock::seed::{AURORA_ID, CHATFAN_ID};
    use kickrs::mock::{MockKick, Redemption};
    use kickrs::webhooks::events::ChatMessageSent;
    use kickrs::webhooks::{Delivered, Dispatcher, response_status};
    use tokio::sync::mpsc;
    use url::Url;

    use super::{TourResult, step};

    /// How long the tour waits for MockKick's webhook delivery before giving up.
    const WEBHOOK_WAIT: Duration = Duration::from_secs(5);

    pub async fn run() -> Option<TourResult> {
        Some(tour().await)
    }

    async fn tour() -> TourResult {
        let started = Instant::now();
        let mock = MockKick::start().await;
        println!(
            "No KICK_CLIENT_ID/KICK_CLIENT_SECRET set: touring MockKick, the fake Kick server that ships with \
             kickrs,\nat {} (seeded with a few channels, categories and an app).",
            mock.api_base_url()
        );
        // The login URL goes to the simulated browser below instead of a real one.
        let (login_urls, urls) = mpsc::unbounded_channel();
        let client = KickClient::builder()
            .client_id(mock.client_id())
            .client_secret(mock.client_secret())
            .api_base_url(mock.api_base_url())
            .oauth_base_url(mock.oauth_base_url())
            .auth_options(AuthOptions::default().open_browser(false).on_authorize_url(move |url| {
                let _ = login_urls.send(url.clone());
            }))
            .build()?;

        super::read_only_tour(&client, "auroralive").await?;
        log_in(&client, urls).await?;
        chat(&client).await?;
        rewards(&client, &mock).await?;
        webhooks(&client, &mock).await?;

        println!(
            "\nTour finished in {:.1} s. Next: the rustdoc of `KickClient`, `kickrs::mock` and `kickrs::webhooks`.",
            started.elapsed().as_secs_f64()
        );
        mock.shutdown().await;
        Ok(())
    }

    async fn log_in(client: &KickClient, mut urls: mpsc::UnboundedReceiver<Url>) -> TourResult {
        step(3, "Log in as a user (OAuth 2.1 + PKCE, the callback served on 127.0.0.1)");
        let port = free_port()?;
        let scopes = [
            Scope::UserRead,
            Scope::ChannelRead,
            Scope::ChatWrite,
            Scope::ChannelRewardsRead,
            Scope::ChannelRewardsWrite,
        ];
        let login = {
            let client = client.clone();
            tokio::spawn(async move { client.authenticate(&scopes, LoginOptions::default().port(port)).await })
        };
        let url = urls.recv().await.ok_or("the login ended before showing its URL")?;
        println!("   (above: the consent page's URL, which kickrs prints for the user to open in a browser)");
        println!("   A simulated browser opens it: MockKick approves as AuroraLive and redirects to");
        println!("   http://127.0.0.1:{port}/callback, where kickrs checks `state` and exchanges the code.");
        // kickrs compiles one TLS provider (rustls with ring) and hands it to the clients built from this builder.
        let page = kickrs::http_client_builder()?.build()?.get(url.as_str()).send().await?;
        let landed = page.status();
        let text = page.text().await?;
        println!("   the browser shows: {landed}, \"{}\"", headline(&text));
        let token = login.await??;
        let granted: Vec<String> = token.scopes().unwrap_or_default().iter().map(ToString::to_string).collect();
        let me = client.fetch_current_user().await?;
        println!("   logged in as {}; granted: {}", me.name, granted.join(" "));
        Ok(())
    }

    async fn chat(client: &KickClient) -> TourResult {
        step(4, "Send a chat message (user token, scope chat:write)");
        let sent = client.send_chat_message("Hello from the kickrs quickstart!", Default::default()).await?;
        println!("   sent to AuroraLive's chat as the bot: message {} (is_sent: {})", sent.message_id, sent.is_sent);
        Ok(())
    }

    async fn rewards(client: &KickClient, mock: &MockKick) -> TourResult {
        step(5, "Create a channel-points reward and accept a redemption");
        let options = CreateChannelRewardOptions {
            description: Some("Stand up and stretch with the streamer".into()),
            ..Default::default()
        };
        let reward = client.create_channel_reward(300, "Stretch break", options).await?;
        println!("   created \"{}\" for {} points (id {})", reward.title, reward.cost, reward.id);
        // On Kick a viewer would redeem it; MockKick lets the tour play the viewer.
        mock.add_redemption(Redemption::new(&reward.id, CHATFAN_ID));
        println!("   chatfan42 redeems it (MockKick adds a pending redemption)");
        let filter = FetchRewardRedemptionsOptions { reward_id: Some(reward.id.clone()), ..Default::default() };
        let pending = client.fetch_reward_redemptions(filter).await?;
        let ids: Vec<kickrs::ids::RedemptionId> =
            pending.items.iter().flat_map(|group| group.redemptions.iter().map(|r| r.id.clone())).collect();
        if ids.is_empty() {
            return Err("the redemption did not show up as pending".into());
        }
        let failed = client.accept_reward_redemptions(&ids).await?;
        println!("   pending: {}; accepted: {}; failed: {}", ids.len(), ids.len() - failed.len(), failed.len());
        Ok(())
    }

    async fn webhooks(client: &KickClient, mock: &MockKick) -> TourResult {
        step(6, "Webhooks: subscribe to chat events, receive and verify a signed delivery");
        let verifier = client.webhook_verifier().await?;
        println!("   the verifier checks signatures with the key from GET /public/v1/public-key");
        let (seen, mut received) = mpsc::unbounded_channel();
        let dispatcher = Dispatcher::new(verifier).on::<ChatMessageSent>(move |message: Delivered<ChatMessageSent>| {
            let seen = seen.clone();
            async move {
                let _ = seen.send(message);
                Ok(())
            }
        });
        let (url, receiver) = serve(dispatcher).await?;
        // On Kick this URL is set in the app's developer settings.
        mock.set_webhook_url(mock.client_id(), &url);
        println!("   receiver listening at {url}");

        let broadcaster = AURORA_ID;
        let first = client.ensure_subscriptions(broadcaster, [WebhookEvent::ChatMessageSent]).await?;
        let again = client.ensure_subscriptions(broadcaster, [WebhookEvent::ChatMessageSent]).await?;
        println!(
            "   ensure_subscriptions(chat.message.sent): created {}; called again: created {}, kept {}",
            first.created.len(),
            again.created.len(),
            again.existing.len()
        );

        client.send_chat_message("Who is ready for a webhook?", Default::default()).await?;
        let message = tokio::time::timeout(WEBHOOK_WAIT, received.recv())
            .await
            .map_err(|_| "no webhook arrived in time")?
            .ok_or("the receiver stopped")?;
        let sender = message.sender.username.as_deref().unwrap_or("?");
        println!(
            "   received {} {} (signature, freshness and replay checks passed): {sender}: {}",
            message.meta.event_type, message.meta.message_id, message.content
        );
        receiver.abort();
        Ok(())
    }

    /// A webhook receiver on 127.0.0.1 around `dispatcher`. (With the `webhooks-axum` feature,
    /// `kickrs::webhooks::axum::WebhookServer` does this and also refuses oversized bodies early.)
    async fn serve(dispatcher: Dispatcher) -> std::io::Result<(String, tokio::task::JoinHandle<()>)> {
        async fn receive(State(dispatcher): State<Arc<Dispatcher>>, headers: HeaderMap, body: Bytes) -> StatusCode {
            response_status(&dispatcher.handle(&headers, &body).await)
        }
        let app =
            axum::Router::new().route("/kick/webhooks", axum::routing::post(receive)).with_state(Arc::new(dispatcher));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}/kick/webhooks", listener.local_addr()?);
        let task = tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, app).await {
                eprintln!("webhook receiver stopped: {error}");
            }
        });
        Ok((url, task))
    }

    /// A port that is free right now, for the login's callback listener.
    fn free_port() -> std::io::Result<u16> {
        Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
    }

    /// The heading and first paragraph of the page, for one line of output.
    fn headline(html: &str) -> String {
        let inside = |open: &str, close: &str| html.split(open).nth(1).and_then(|rest| rest.split(close).next());
        match (inside("<h1>", "</h1>"), inside("<p>", "</p>")) {
            (Some(title), Some(text)) => format!("{title}. {text}"),
            _ => html.chars().take(80).collect(),
        }
    }
}
