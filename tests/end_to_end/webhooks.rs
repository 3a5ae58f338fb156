//! MockKick signs and POSTs events to the axum receiver (`WebhookServer` on 127.0.0.1:0), whose
//! verifier uses the key fetched with `fetch_public_key`; every event reaches its handler exactly
//! once, also when the first attempt failed and MockKick re-delivered.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use kickrs::api::{BanUserOptions, SendChatMessageOptions, UpdateChannelOptions, WebhookEvent as Subscribe};
use kickrs::mock::MockKick;
use kickrs::mock::seed::{AURORA_ID, CHATFAN_ID};
use kickrs::webhooks::axum::{RunningWebhookServer, WebhookServer};
use kickrs::webhooks::events::{
    ChannelFollow, ChannelRewardRedemptionUpdated, ChatMessageSent, LiveStreamMetadataUpdated, ModerationBanned,
};
use kickrs::webhooks::{BoxError, Delivered, Dispatcher, EventPayload, Verifier, WebhookError};
use serde_json::json;

use super::{app_client, user_client};

/// `(event type, message id)` of each event a handler completed.
type Seen = Arc<Mutex<Vec<(String, String)>>>;

fn record<E: EventPayload>(dispatcher: Dispatcher, seen: &Seen) -> Dispatcher {
    let seen = Arc::clone(seen);
    dispatcher.on::<E>(move |delivered: Delivered<E>| {
        let seen = Arc::clone(&seen);
        async move {
            seen.lock().unwrap().push((E::NAME.to_owned(), delivered.meta.message_id.to_string()));
            Ok(())
        }
    })
}

/// Serves `dispatcher` on 127.0.0.1 and points MockKick's default app at it.
async fn receiver(mock: &MockKick, dispatcher: Dispatcher) -> RunningWebhookServer {
    let server = WebhookServer::new(dispatcher)
        .path("/kick/webhooks")
        .bind_addr(([127, 0, 0, 1], 0).into())
        .listen()
        .await
        .unwrap();
    mock.set_webhook_url(mock.client_id(), &server.url());
    server
}

fn quick_retries() -> Vec<Duration> {
    vec![Duration::from_millis(20); 3]
}

#[tokio::test]
async fn each_event_reaches_its_handler_exactly_once_including_after_a_failed_first_attempt() {
    let mock = MockKick::builder().with_default_seed().webhook_retry_delays(quick_retries()).start().await;
    let app = app_client(&mock);
    let seen = Seen::default();
    let (follow_calls, errors) = (Arc::new(AtomicUsize::new(0)), Arc::new(Mutex::new(Vec::new())));

    let mut dispatcher = Dispatcher::new(app.webhook_verifier().await.unwrap());
    dispatcher = record::<ChatMessageSent>(dispatcher, &seen);
    dispatcher = record::<LiveStreamMetadataUpdated>(dispatcher, &seen);
    dispatcher = record::<ModerationBanned>(dispatcher, &seen);
    dispatcher = record::<ChannelRewardRedemptionUpdated>(dispatcher, &seen);
    let (calls, follows_seen, sink) = (Arc::clone(&follow_calls), Arc::clone(&seen), Arc::clone(&errors));
    dispatcher = dispatcher
        .on::<ChannelFollow>(move |follow: Delivered<ChannelFollow>| {
            let (calls, seen) = (Arc::clone(&calls), Arc::clone(&follows_seen));
            async move {
                if calls.fetch_add(1, Ordering::SeqCst) == 0 {
                    return Err(BoxError::from("the database is briefly down"));
                }
                seen.lock().unwrap().push((ChannelFollow::NAME.to_owned(), follow.meta.message_id.to_string()));
                Ok(())
            }
        })
        .on_error(move |error: &WebhookError, _| sink.lock().unwrap().push(error.to_string()));
    let server = receiver(&mock, dispatcher).await;

    let wanted = [
        Subscribe::ChatMessageSent,
        Subscribe::ChannelFollowed,
        Subscribe::LivestreamMetadataUpdated,
        Subscribe::ModerationUserBanned,
        Subscribe::ChannelRewardRedemptionUpdated,
    ];
    let ensured = app.ensure_subscriptions(AURORA_ID, wanted).await.unwrap();
    assert_eq!(ensured.created.len(), 5);

    // What happens on the channel: a viewer chats twice, the broadcaster retitles the stream, times
    // the viewer out and accepts a redemption, and someone follows.
    let viewer = user_client(&mock, CHATFAN_ID, &[kickrs::auth::Scope::ChatWrite]).await;
    let to_aurora = SendChatMessageOptions {
        message_type: Some(kickrs::api::ChatMessageType::User),
        broadcaster_user_id: Some(AURORA_ID),
        ..Default::default()
    };
    for text in ["first!", "hello aurora"] {
        viewer.send_chat_message(text, to_aurora.clone()).await.unwrap();
    }
    let aurora = user_client(
        &mock,
        AURORA_ID,
        &[
            kickrs::auth::Scope::ChannelWrite,
            kickrs::auth::Scope::ModerationBan,
            kickrs::auth::Scope::ChannelRewardsRead,
            kickrs::auth::Scope::ChannelRewardsWrite,
        ],
    )
    .await;
    let title = UpdateChannelOptions { stream_title: Some("Webhooks, end to end".into()), ..Default::default() };
    aurora.update_channel(title).await.unwrap();
    let timeout =
        BanUserOptions { duration: Some(std::time::Duration::from_secs(5 * 60)), reason: Some("caps".into()) };
    aurora.ban_user(AURORA_ID, CHATFAN_ID, timeout).await.unwrap();
    let pending = aurora.fetch_reward_redemptions(Default::default()).await.unwrap();
    let own = pending.items.iter().find(|group| group.reward.can_manage == Some(true)).unwrap();
    let failed = aurora.accept_reward_redemptions(&[own.redemptions[0].id.clone()]).await.unwrap();
    assert!(failed.is_empty(), "{failed:?}");
    let follow =
        json!({"broadcaster": {"user_id": AURORA_ID}, "follower": {"user_id": CHATFAN_ID, "username": "chatfan42"}});
    assert_eq!(mock.emit_event("channel.followed", AURORA_ID, follow), 1);
    mock.webhooks_idle().await;

    let deliveries = mock.webhook_deliveries();
    let mut kinds: Vec<&str> = deliveries.iter().map(|d| d.event.as_str()).collect();
    kinds.sort();
    assert_eq!(
        kinds,
        [
            "channel.followed",
            "channel.reward.redemption.updated",
            "chat.message.sent",
            "chat.message.sent",
            "livestream.metadata.updated",
            "moderation.banned"
        ]
    );
    for delivery in &deliveries {
        let expected: &[Option<u16>] =
            if delivery.event == "channel.followed" { &[Some(500), Some(200)] } else { &[Some(200)] };
        assert_eq!(delivery.attempts, expected, "{delivery:?}");
        assert!(delivery.delivered);
    }

    let mut handled = seen.lock().unwrap().clone();
    let mut sent: Vec<(String, String)> =
        deliveries.iter().map(|d| (d.event.clone(), d.message_id.to_string())).collect();
    handled.sort();
    sent.sort();
    assert_eq!(handled, sent, "every delivered message handled once, by the handler of its type");
    assert_eq!(follow_calls.load(Ordering::SeqCst), 2, "failed once, handled on MockKick's retry");
    let errors = errors.lock().unwrap().clone();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("the database is briefly down"), "{errors:?}");
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn kicks_embedded_key_refuses_mockkicks_signatures() {
    let mock =
        MockKick::builder().with_default_seed().webhook_retry_delays(vec![Duration::from_millis(5)]).start().await;
    let app = app_client(&mock);
    let handled = Arc::new(AtomicUsize::new(0));
    let errors = Arc::new(Mutex::new(Vec::new()));
    let (count, sink) = (Arc::clone(&handled), Arc::clone(&errors));
    // Kick's real key, not the one MockKick serves: every delivery is a forgery to this verifier.
    let dispatcher = Dispatcher::new(Verifier::new())
        .on::<ChannelFollow>(move |_| {
            count.fetch_add(1, Ordering::SeqCst);
            async { Ok(()) }
        })
        .on_error(move |error: &WebhookError, _| {
            sink.lock().unwrap().push(matches!(error, WebhookError::BadSignature))
        });
    let server = receiver(&mock, dispatcher).await;
    app.subscribe_to_event(Subscribe::ChannelFollowed, AURORA_ID).await.unwrap();

    let follow = json!({"broadcaster": {"user_id": AURORA_ID}, "follower": {"user_id": CHATFAN_ID}});
    assert_eq!(mock.emit_event("channel.followed", AURORA_ID, follow), 1);
    mock.webhooks_idle().await;

    let deliveries = mock.webhook_deliveries();
    assert_eq!(deliveries[0].attempts, [Some(401), Some(401)]);
    assert!(!deliveries[0].delivered);
    assert_eq!(handled.load(Ordering::SeqCst), 0);
    assert_eq!(*errors.lock().unwrap(), [true, true], "each attempt refused as a bad signature");
    server.shutdown().await.unwrap();
}

/// The handler's view of one delivery: the typed payload matches what was sent.
#[tokio::test]
async fn the_handler_gets_the_typed_payload_and_headers_of_the_chat_message_sent() {
    let mock = MockKick::start().await;
    let app = app_client(&mock);
    let received: Arc<Mutex<Vec<Delivered<ChatMessageSent>>>> = Arc::default();
    let sink = Arc::clone(&received);
    let dispatcher = Dispatcher::new(app.webhook_verifier().await.unwrap()).on::<ChatMessageSent>(move |message| {
        sink.lock().unwrap().push(message);
        async { Ok(()) }
    });
    let server = receiver(&mock, dispatcher).await;
    let created = app.subscribe_to_event(Subscribe::ChatMessageSent, AURORA_ID).await.unwrap();

    let viewer = user_client(&mock, CHATFAN_ID, &[kickrs::auth::Scope::ChatWrite]).await;
    let options = SendChatMessageOptions {
        message_type: Some(kickrs::api::ChatMessageType::User),
        broadcaster_user_id: Some(AURORA_ID),
        ..Default::default()
    };
    let sent = viewer.send_chat_message("GG [emote:37226:KEKW]", options).await.unwrap();
    mock.webhooks_idle().await;

    let received = received.lock().unwrap().clone();
    assert_eq!(received.len(), 1);
    let message = &received[0];
    assert_eq!(message.message_id, sent.message_id.to_string());
    assert_eq!(message.content, "GG [emote:37226:KEKW]");
    assert_eq!(message.sender.user_id, Some(CHATFAN_ID));
    assert_eq!(message.broadcaster.user_id, Some(AURORA_ID));
    assert_eq!(message.meta.event_type, "chat.message.sent");
    assert_eq!(message.meta.subscription_id, created.subscription_id);
    assert_eq!(message.segments().len(), 2, "text and one emote");
    let by_id: HashMap<_, _> = mock.webhook_deliveries().into_iter().map(|d| (d.message_id.clone(), d)).collect();
    assert!(by_id.contains_key(&message.meta.message_id));
    server.shutdown().await.unwrap();
}
