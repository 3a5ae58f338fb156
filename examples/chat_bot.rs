//! A chat bot that answers `!uptime` and `!title` in its broadcaster's chat, driven by Kick's webhooks,
//! run against MockKick:
//!
//! ```text
//! cargo run -p kickrs-examples --example chat_bot --features mock,webhooks-axum
//! ```
//!
//! A viewer types the commands; MockKick delivers each message as a signed `chat.message.sent`
//! webhook; the bot, holding the broadcaster's user token, reads the channel and replies in the chat.

use std::time::Duration;

use kickrs::api::{SendChatMessageOptions, WebhookEvent};
use kickrs::auth::Scope;
use kickrs::mock::MockKick;
use kickrs::mock::seed::{AURORA_ID, CHATFAN_ID};
use kickrs::webhooks::axum::WebhookServer;
use kickrs::webhooks::events::ChatMessageSent;
use kickrs::webhooks::{Delivered, Dispatcher};
use kickrs::{KickClient, ids::UserId};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// What the bot answers to a chat message, if it is a command.
async fn answer(bot: &KickClient, message: &ChatMessageSent) -> Result<Option<String>, BoxError> {
    let Some(channel) = message.broadcaster.user_id else {
        return Ok(None);
    };
    match message.content.trim() {
        "!title" => {
            let channel = bot.fetch_channel(channel).await?;
            Ok(Some(format!("Title: {}", channel.stream_title)))
        }
        "!uptime" => Ok(Some(uptime(bot, channel).await?)),
        _ => Ok(None),
    }
}

async fn uptime(bot: &KickClient, channel: UserId) -> Result<String, BoxError> {
    let live = bot.fetch_user_livestreams([channel]).await?;
    Ok(match live.first() {
        Some(stream) => {
            let minutes = (chrono::Utc::now() - stream.started_at).num_minutes();
            format!("Live for {}h {:02}m", minutes / 60, minutes % 60)
        }
        None => "Offline right now".to_owned(),
    })
}

/// The webhook handler: the bot's client arrives as the dispatcher's state.
async fn on_chat(message: Delivered<ChatMessageSent, KickClient>) -> Result<(), BoxError> {
    if let Some(reply) = answer(&message.state, &message).await? {
        let options =
            SendChatMessageOptions { reply_to_message_id: Some(message.message_id.clone()), ..Default::default() };
        message.state.send_chat_message(&reply, options).await?;
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let mock = MockKick::start().await;
    let bot = mock.user_client(AURORA_ID, &[Scope::ChatWrite, Scope::ChannelRead, Scope::EventsSubscribe]).await?;

    // The bot's webhook receiver, with its client shared by every handler.
    let dispatcher =
        Dispatcher::new(bot.webhook_verifier().await?).with_state(bot.clone()).on::<ChatMessageSent>(on_chat);
    let server = WebhookServer::new(dispatcher).bind_addr(([127, 0, 0, 1], 0).into()).listen().await?;
    mock.set_webhook_url(mock.client_id(), &server.url());
    bot.subscribe_to_event(WebhookEvent::ChatMessageSent, AURORA_ID).await?;

    // A viewer types the commands in AuroraLive's chat.
    let viewer = mock.user_client(CHATFAN_ID, &[Scope::ChatWrite]).await?;
    for command in ["!title", "!uptime", "hello"] {
        let to_aurora = SendChatMessageOptions {
            message_type: Some(kickrs::api::ChatMessageType::User),
            broadcaster_user_id: Some(AURORA_ID),
            ..Default::default()
        };
        viewer.send_chat_message(command, to_aurora).await?;
    }
    wait_for_replies(&mock, 2).await?;

    for message in mock.chat_messages() {
        println!("{:>6}: {}", message.sender_user_id, message.content);
    }
    server.shutdown().await?;
    Ok(())
}

/// Waits until the bot has posted `count` replies (each webhook may chain into another delivery).
async fn wait_for_replies(mock: &MockKick, count: usize) -> Result<(), BoxError> {
    for _ in 0..100 {
        mock.webhooks_idle().await;
        let replies = mock.chat_messages().iter().filter(|m| m.sender_user_id == AURORA_ID).count();
        if replies >= count {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Err(format!("the bot posted fewer than {count} replies").into())
}
