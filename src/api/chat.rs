//! Chat: send a message as the bot or the user, delete a message.

use crate::auth::TokenKind;
use crate::ids::{MessageId, UserId};
use crate::models::ChatResponse;
use crate::raw::types::SendChatMessageRequest;
use crate::{KickClient, validate};

use super::ChatMessageType;

/// Optional settings of [`KickClient::send_chat_message`].
///
/// ```
/// use kickrs::api::{ChatMessageType, SendChatMessageOptions};
/// let options = SendChatMessageOptions {
///     message_type: Some(ChatMessageType::User),
///     broadcaster_user_id: Some(123.into()),
///     ..Default::default()
/// };
/// ```
#[derive(Clone, Debug, Default)]
pub struct SendChatMessageOptions {
    /// `bot` (the default: posts to the token's own channel) or `user` (needs `broadcaster_user_id`).
    pub message_type: Option<ChatMessageType>,
    /// The channel to post in; required for `user` messages, also sent for `bot` ones when set.
    pub broadcaster_user_id: Option<UserId>,
    /// The message this one replies to (Kick's message ids are UUIDs).
    pub reply_to_message_id: Option<MessageId>,
}

impl KickClient {
    /// Sends a chat message (1 to 500 characters, counted as Unicode scalar values).
    ///
    /// Scope `chat:write`, user token. `POST /public/v1/chat`.
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// let sent = client.send_chat_message("hello chat", Default::default()).await?;
    /// println!("sent {} ({})", sent.message_id, sent.is_sent);
    /// # Ok(()) }
    /// ```
    pub async fn send_chat_message(
        &self,
        content: &str,
        options: SendChatMessageOptions,
    ) -> crate::Result<ChatResponse> {
        let type_ = options.message_type.unwrap_or(ChatMessageType::Bot);
        let content = validate::chat_content(content)?;
        validate::chat_broadcaster(type_ == ChatMessageType::User, options.broadcaster_user_id)?;
        if let Some(id) = &options.reply_to_message_id {
            validate::uuid("reply_to_message_id", id.as_str())?;
        }
        let reply_to_message_id = options.reply_to_message_id;
        let body = SendChatMessageRequest {
            content,
            broadcaster_user_id: options.broadcaster_user_id,
            reply_to_message_id,
            type_: type_.into(),
        };
        let answer = self.call(Some(TokenKind::User), |raw| raw.send_chat_message(&body)).await?;
        answer.into_inner().data.ok_or_else(|| self.empty_answer("send_chat_message"))
    }

    /// Deletes a chat message by its id.
    ///
    /// Scope `moderation:chat_message:manage`, user token. `DELETE /public/v1/chat/{message_id}`.
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// client.delete_chat_message("5d1a6c42-52b5-4a35-a8a4-2a4d7e1b6f0e").await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete_chat_message(&self, message_id: impl Into<MessageId>) -> crate::Result<()> {
        let message_id = message_id.into();
        validate::path_id("message_id", message_id.as_str())?;
        self.call(Some(TokenKind::User), |raw| raw.delete_chat_message(&message_id)).await?;
        Ok(())
    }
}
