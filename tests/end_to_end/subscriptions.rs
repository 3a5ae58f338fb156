//! `ensure_subscriptions` against MockKick: only the missing subscriptions are created, and a second
//! call creates none (Kick would accept duplicates and deliver every event twice).

use kickrs::api::WebhookEvent;
use kickrs::mock::MockKick;
use kickrs::mock::seed::{AURORA_ID, BYTEBARD_ID};

use super::{app_client, requests_to};

const PATH: &str = "/public/v1/events/subscriptions";

#[tokio::test]
async fn ensure_subscriptions_creates_only_what_is_missing_and_then_nothing() {
    let mock = MockKick::start().await;
    let client = app_client(&mock);
    let aurora = AURORA_ID;
    let followed = client.subscribe_to_event(WebhookEvent::ChannelFollowed, aurora).await.unwrap();
    // Another channel's subscription to the same event does not count for aurora.
    client.subscribe_to_event(WebhookEvent::ChatMessageSent, BYTEBARD_ID).await.unwrap();
    let wanted = [WebhookEvent::ChatMessageSent, WebhookEvent::ChannelFollowed, WebhookEvent::KicksGifted];

    let first = client.ensure_subscriptions(aurora, wanted.clone()).await.unwrap();

    let mut created: Vec<&str> = first.created.iter().map(|c| c.name.as_str()).collect();
    created.sort();
    assert_eq!(created, ["chat.message.sent", "kicks.gifted"]);
    assert!(first.created.iter().all(|c| c.error.is_none() && c.subscription_id.is_some()), "{first:?}");
    assert_eq!(first.existing.len(), 1);
    assert_eq!(Some(first.existing[0].id.clone()), followed.subscription_id);
    let on_aurora =
        |mock: &MockKick| mock.subscriptions().iter().filter(|s| s.broadcaster_user_id == AURORA_ID).count();
    assert_eq!(on_aurora(&mock), 3);

    let second = client.ensure_subscriptions(aurora, wanted).await.unwrap();

    assert!(second.created.is_empty(), "{second:?}");
    assert_eq!(second.existing.len(), 3);
    assert_eq!(on_aurora(&mock), 3);
    // Two single subscribes, then one POST for the two missing events; the second call only listed.
    assert_eq!(requests_to(&mock, "POST", PATH), 3);
    assert_eq!(requests_to(&mock, "GET", PATH), 2);
    let listed = mock.requests().into_iter().filter(|r| r.method == "GET" && r.path == PATH).last().unwrap();
    assert_eq!(listed.query_values("broadcaster_user_id"), [AURORA_ID.to_string()]);
}

#[tokio::test]
async fn at_the_subscription_limit_kicks_400_is_typed_and_ensure_reports_what_it_could_not_create() {
    use kickrs::Error;
    use kickrs::mock::App;
    use kickrs::mock::seed::{DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET};

    // Kick's limit is 1,000 (10,000 verified); the mock's app is capped at 3 so the test reaches it.
    let capped = App::new(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET).subscription_limit(3);
    let mock = MockKick::builder().with_default_seed().app_config(capped).start().await;
    let client = app_client(&mock);
    let aurora = AURORA_ID;
    client.subscribe_to_event(WebhookEvent::ChannelFollowed, aurora).await.unwrap();
    let wanted = [
        WebhookEvent::ChannelFollowed,
        WebhookEvent::ChatMessageSent,
        WebhookEvent::KicksGifted,
        WebhookEvent::ModerationUserBanned,
    ];

    let outcome = client.ensure_subscriptions(aurora, wanted).await.unwrap();

    assert!(outcome.limit_reached);
    assert!(!outcome.is_complete());
    assert_eq!(outcome.existing.len(), 1);
    // MockKick created what fitted before refusing; the second listing found those two.
    let created: Vec<&str> = outcome.created.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(created, ["chat.message.sent", "kicks.gifted"]);
    assert!(outcome.created.iter().all(|c| c.subscription_id.is_some()));
    let not_created: Vec<&str> = outcome.not_created.iter().map(|spec| spec.name.as_str()).collect();
    assert_eq!(not_created, ["moderation.banned"]);
    assert_eq!(mock.subscriptions().len(), 3);
    assert_eq!(requests_to(&mock, "GET", PATH), 2);

    // One more subscription is Kick's 400 "event subscription limit reached", as a typed error.
    let error = client.subscribe_to_event(WebhookEvent::KicksGifted, BYTEBARD_ID).await.unwrap_err();
    assert!(
        matches!(&error, Error::SubscriptionLimitReached { endpoint } if endpoint.operation == "subscribe_to_event")
    );
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
    let text = error.to_string();
    assert!(text.contains("event subscription limit reached") && text.contains("1000"), "{text}");
}
