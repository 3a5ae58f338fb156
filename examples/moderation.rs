//! A moderation tool that watches a channel's chat through webhooks, run against MockKick:
//!
//! ```text
//! cargo run -p kickrs-examples --example moderation --features mock,webhooks-axum
//! ```
//!
//! A message with a blocked word is deleted and its sender timed out for ten minutes; a message with a
//! scam link gets its sender banned for good. The ids in the webhook payload go straight back to
//! `delete_chat_message` and `ban_user`.

use std::sync::Arc;
use std::time::Duration;

use kickrs::KickClient;
use kickrs::api::{BanUserOptions, ChatMessageType, SendChatMessageOptions, WebhookEvent};
use kickrs::auth::Scope;
use kickrs::mock::MockKick;
use kickrs::mock::seed::{AURORA_ID, CHATFAN_ID, MODMAX_ID};
use kickrs::webhooks::axum::WebhookServer;
use kickrs::webhooks::events::ChatMessageSent;
use kickrs::webhooks::{Delivered, Dispatcher};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Shared by every handler: the moderator's client and the rules.
#[derive(Clone)]
struct Moderator {
    client: KickClient,
    blocked_words: Arc<Vec<&'static str>>,
}

async fn on_chat(message: Delivered<ChatMessageSent, Moderator>) -> Result<(), BoxError> {
    let (Some(channel), Some(sender)) = (message.broadcaster.user_id, message.sender.user_id) else {
        return Ok(());
    };
    let text = message.content.to_lowercase();
    let moderator = &message.state;
    if text.contains("free-kicks.example") {
        let ban = BanUserOptions { reason: Some("scam link".into()), ..Default::default() };
        moderator.client.ban_user(channel, sender, ban).await?;
    } else if moderator.blocked_words.iter().any(|word| text.contains(word)) {
        moderator.client.delete_chat_message(message.message_id.clone()).await?;
        let timeout = BanUserOptions { duration: Some(Duration::from_secs(10 * 60)), reason: Some("language".into()) };
        moderator.client.ban_user(channel, sender, timeout).await?;
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let mock = MockKick::start().await;
    // The broadcaster's moderation tool: its token may ban and manage chat messages.
    let scopes = [Scope::ModerationBan, Scope::ModerationChatMessageManage, Scope::EventsSubscribe];
    let client = mock.user_client(AURORA_ID, &scopes).await?;

    let moderator = Moderator { client: client.clone(), blocked_words: Arc::new(vec!["darn"]) };
    let dispatcher =
        Dispatcher::new(client.webhook_verifier().await?).with_state(moderator).on::<ChatMessageSent>(on_chat);
    let server = WebhookServer::new(dispatcher).bind_addr(([127, 0, 0, 1], 0).into()).listen().await?;
    mock.set_webhook_url(mock.client_id(), &server.url());
    client.subscribe_to_event(WebhookEvent::ChatMessageSent, AURORA_ID).await?;

    let in_aurora = || SendChatMessageOptions {
        message_type: Some(ChatMessageType::User),
        broadcaster_user_id: Some(AURORA_ID),
        ..Default::default()
    };
    let chatfan = mock.user_client(CHATFAN_ID, &[Scope::ChatWrite]).await?;
    let modmax = mock.user_client(MODMAX_ID, &[Scope::ChatWrite]).await?;
    chatfan.send_chat_message("this darn lag", in_aurora()).await?;
    modmax.send_chat_message("free KICKs at free-kicks.example", in_aurora()).await?;
    chatfan.send_chat_message("gg", in_aurora()).await?;
    mock.webhooks_idle().await;

    for ban in mock.bans() {
        let until = ban.expires_at.map_or("for good".to_owned(), |at| format!("until {}", at.format("%H:%M")));
        println!("user {} banned {until}: {}", ban.user_id, ban.reason.unwrap_or_default());
    }
    for message in mock.chat_messages() {
        println!(
            "{:>6}: {}{}",
            message.sender_user_id,
            message.content,
            if message.deleted { "  (deleted)" } else { "" }
        );
    }

    let bans = mock.bans();
    let timed_out = bans.iter().any(|b| b.user_id == CHATFAN_ID && b.expires_at.is_some());
    let banned = bans.iter().any(|b| b.user_id == MODMAX_ID && b.expires_at.is_none());
    let deleted = mock.chat_messages().iter().filter(|m| m.deleted).count();
    server.shutdown().await?;
    if timed_out && banned && deleted == 1 {
        Ok(())
    } else {
        Err(format!("unexpected outcome: timed out {timed_out}, banned {banned}, deleted {deleted}").into())
    }
}
