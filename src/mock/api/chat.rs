//! `POST /public/v1/chat` and `DELETE /public/v1/chat/{message_id}`.

use chrono::Utc;
use http::StatusCode;
use serde_json::json;

use crate::ids::MessageId;
use crate::mock::reply::{Handled, Reply};
use crate::mock::request::check_len;
use crate::mock::routes::Ctx;
use crate::mock::state::MockChatMessage;
use crate::mock::webhooks::{Outgoing, user_json};

/// Sends a message as the token's user; `bot` messages go to the token user's own channel.
pub(crate) fn send(ctx: &mut Ctx<'_>) -> Handled {
    let sender = ctx.caller()?.user()?;
    let body = ctx.req.json_object()?;
    let content = body.req_str("content")?;
    check_len("content", content, 1, 500)?;
    let kind = body.req_str("type")?;
    let broadcaster = match kind {
        "user" => body
            .opt_id("broadcaster_user_id")?
            .ok_or_else(|| Reply::bad_request("broadcaster_user_id is required when type is user"))?,
        "bot" => sender,
        other => {
            return Err(Reply::bad_request(format!("type must be user or bot (got {other:?})")));
        }
    };
    let reply_to = body
        .opt_str("reply_to_message_id")?
        .map(|id| {
            uuid::Uuid::parse_str(id)
                .map(|uuid| MessageId::new(uuid.to_string()))
                .map_err(|_| Reply::bad_request(format!("reply_to_message_id must be a UUID (got {id:?})")))
        })
        .transpose()?;
    let state = &mut *ctx.state;
    if !state.channels.contains_key(&broadcaster) {
        return Err(Reply::error(StatusCode::BAD_REQUEST, json!("Channel not found"), "Bad request"));
    }
    let replied = match &reply_to {
        Some(id) => Some(
            state
                .chat
                .iter()
                .find(|m| m.message_id == *id && m.broadcaster_user_id == broadcaster)
                .cloned()
                .ok_or_else(|| Reply::not_found("Message to reply to not found"))?,
        ),
        None => None,
    };
    let message = MockChatMessage {
        message_id: MessageId::new(crate::mock::ids::uuid().to_string()),
        broadcaster_user_id: broadcaster,
        sender_user_id: sender,
        content: content.to_owned(),
        kind: kind.to_owned(),
        reply_to_message_id: reply_to,
        sent_at: Utc::now(),
        deleted: false,
    };
    let mut sender_json = user_json(state, sender);
    sender_json["identity"] = json!({"username_color": "#1475E1", "badges": []});
    let payload = json!({
        "message_id": message.message_id.to_string(),
        "replies_to": replied.map(|r| json!({
            "message_id": r.message_id.to_string(),
            "content": r.content,
            "sender": user_json(state, r.sender_user_id),
        })),
        "broadcaster": user_json(state, broadcaster),
        "sender": sender_json,
        "content": message.content,
        "emotes": [],
        "created_at": super::rfc3339(message.sent_at),
    });
    state.outbox.push(Outgoing::new("chat.message.sent", broadcaster, payload));
    let reply = Reply::ok(json!({"is_sent": true, "message_id": message.message_id}));
    state.chat.push(message);
    Ok(reply)
}

/// Deletes a message; the token's user must own or moderate its channel. 204.
pub(crate) fn delete(ctx: &mut Ctx<'_>) -> Handled {
    let user = ctx.caller()?.user()?;
    let id = uuid::Uuid::parse_str(ctx.param)
        .map(|uuid| MessageId::new(uuid.to_string()))
        .map_err(|_| Reply::bad_request(format!("message_id must be a UUID (got {:?})", ctx.param)))?;
    let state = &mut *ctx.state;
    let broadcaster = state
        .chat
        .iter()
        .find(|m| m.message_id == id && !m.deleted)
        .map(|m| m.broadcaster_user_id)
        .ok_or_else(|| Reply::not_found("Message not found"))?;
    if !state.can_moderate(user, broadcaster) {
        return Err(Reply::forbidden("Forbidden: not a moderator of this channel"));
    }
    for message in state.chat.iter_mut().filter(|m| m.message_id == id) {
        message.deleted = true;
    }
    Ok(Reply::no_content())
}
