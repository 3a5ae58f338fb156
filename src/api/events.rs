//! Webhook event subscriptions: list, subscribe (one, many, or only what is missing), unsubscribe.

use crate::auth::TokenKind;
use crate::error::Endpoint;
use crate::ids::{SubscriptionId, UserId};
use crate::models::{EventSpec, EventsSubscription, EventsSubscriptionCreated, open_enum};
use crate::raw::types::{SubscribeRequest, SubscribeRequestMethod};
use crate::validate::{self, ValidationError};
use crate::{Error, KickClient};

open_enum! {
    /// The webhook events Kick sends, by their wire names (all at version 1). Variant names follow
    /// kickpy's `WebhookEvent`; the ban event is `moderation.banned`, as Kick documents it.
    ///
    /// ```
    /// use kickrs::api::WebhookEvent;
    /// assert_eq!(WebhookEvent::ChatMessageSent.as_str(), "chat.message.sent");
    /// assert_eq!(WebhookEvent::from("moderation.banned"), WebhookEvent::ModerationUserBanned);
    /// assert_eq!(WebhookEvent::from("clip.created"), WebhookEvent::Other("clip.created".into()));
    /// ```
    WebhookEvent {
        /// A chat message was sent.
        ChatMessageSent = "chat.message.sent",
        /// Someone followed the channel.
        ChannelFollowed = "channel.followed",
        /// A new subscription.
        ChannelSubNew = "channel.subscription.new",
        /// Gifted subscriptions.
        ChannelSubGifts = "channel.subscription.gifts",
        /// A renewed subscription.
        ChannelSubRenewal = "channel.subscription.renewal",
        /// The stream went live or offline.
        LivestreamStatusUpdated = "livestream.status.updated",
        /// The stream's title, language, category or maturity changed.
        LivestreamMetadataUpdated = "livestream.metadata.updated",
        /// A user was banned or timed out.
        ModerationUserBanned = "moderation.banned",
        /// KICKs were gifted.
        KicksGifted = "kicks.gifted",
        /// A channel-points redemption changed state.
        ChannelRewardRedemptionUpdated = "channel.reward.redemption.updated",
    }
}

impl WebhookEvent {
    /// The version every event Kick documents is at.
    pub const VERSION: i64 = 1;
}

impl From<WebhookEvent> for EventSpec {
    /// The event at version 1.
    fn from(event: WebhookEvent) -> Self {
        (event, WebhookEvent::VERSION).into()
    }
}

impl From<(WebhookEvent, i64)> for EventSpec {
    fn from((event, version): (WebhookEvent, i64)) -> Self {
        EventSpec { name: event.as_str().to_string(), version }
    }
}

impl From<(&str, i64)> for EventSpec {
    fn from((name, version): (&str, i64)) -> Self {
        EventSpec { name: name.to_string(), version }
    }
}

/// Filters of [`KickClient::fetch_events_subscriptions`].
///
/// ```
/// let options = kickrs::api::FetchEventsSubscriptionsOptions { broadcaster_user_id: Some(123.into()) };
/// ```
#[derive(Clone, Debug, Default)]
pub struct FetchEventsSubscriptionsOptions {
    /// Only this channel's subscriptions.
    pub broadcaster_user_id: Option<UserId>,
}

/// What [`KickClient::ensure_subscriptions`] found and did.
///
/// ```
/// # fn report(outcome: kickrs::api::EnsuredSubscriptions) {
/// if !outcome.is_complete() {
///     eprintln!("{} event(s) still without a subscription", outcome.not_created.len());
/// }
/// # }
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct EnsuredSubscriptions {
    /// The subscriptions it created, one per missing event Kick answered for (check each one's `error`).
    pub created: Vec<EventsSubscriptionCreated>,
    /// The subscriptions that already covered an asked-for event, left as they were.
    pub existing: Vec<EventsSubscription>,
    /// Asked-for events that still have no subscription: refused one by one (the reason is in the
    /// matching `created` entry's `error`) or refused because the app reached its limit.
    pub not_created: Vec<EventSpec>,
    /// Kick refused with "event subscription limit reached" (see
    /// [`Error::SubscriptionLimitReached`]); `created` then holds what Kick created before refusing,
    /// found by listing again.
    pub limit_reached: bool,
}

impl EnsuredSubscriptions {
    /// Whether every asked-for event now has a subscription.
    pub fn is_complete(&self) -> bool {
        self.not_created.is_empty()
    }
}

impl KickClient {
    /// The app's webhook subscriptions (an empty list when there are none; kickpy raises `NotFound`),
    /// optionally for one channel.
    ///
    /// No scope, app token. `GET /public/v1/events/subscriptions`.
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// let options = kickrs::api::FetchEventsSubscriptionsOptions { broadcaster_user_id: Some(123.into()) };
    /// for sub in client.fetch_events_subscriptions(options).await? {
    ///     println!("{} v{} ({})", sub.event, sub.version, sub.id);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn fetch_events_subscriptions(
        &self,
        options: FetchEventsSubscriptionsOptions,
    ) -> crate::Result<Vec<EventsSubscription>> {
        Ok(self
            .call(Some(TokenKind::App), |raw| raw.fetch_events_subscriptions(options.broadcaster_user_id.as_ref()))
            .await?
            .into_inner()
            .data)
    }

    /// Subscribes a channel to one webhook event at version 1; Kick's per-event refusal becomes an
    /// [`Error::Api`] carrying Kick's reason, and an app at its subscription limit gets
    /// [`Error::SubscriptionLimitReached`].
    ///
    /// App token (`events:subscribe` with a user token). `POST /public/v1/events/subscriptions`, which
    /// answers 201.
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// use kickrs::api::WebhookEvent;
    /// let created = client.subscribe_to_event(WebhookEvent::ChatMessageSent, 123).await?;
    /// println!("subscription {:?}", created.subscription_id);
    /// # Ok(()) }
    /// ```
    pub async fn subscribe_to_event(
        &self,
        event: impl Into<WebhookEvent>,
        broadcaster_user_id: impl Into<UserId>,
    ) -> crate::Result<EventsSubscriptionCreated> {
        let spec = EventSpec::from(event.into());
        let answer = self
            .subscribe(broadcaster_user_id.into(), vec![spec])
            .await
            .map_err(|e| e.called_as("subscribe_to_event"))?;
        let status = answer.status();
        let created = answer
            .into_inner()
            .data
            .into_iter()
            .next()
            .ok_or_else(|| self.empty_answer("subscribe_to_events").called_as("subscribe_to_event"))?;
        match &created.error {
            Some(reason) => Err(Error::Api {
                status,
                message: Some(reason.clone()),
                code: None,
                data: serde_json::to_value(&created).ok(),
                endpoint: subscribe_endpoint(),
            }
            .called_as("subscribe_to_event")),
            None => Ok(created),
        }
    }

    /// Subscribes a channel to several webhook events in one request: [`WebhookEvent`]s (version 1),
    /// `(WebhookEvent, version)` or `(&str, version)` pairs, or [`EventSpec`]s. Kick answers per event;
    /// an event it refused has its `error` set. An app at its subscription limit (1,000, or 10,000 once
    /// verified) gets [`Error::SubscriptionLimitReached`].
    ///
    /// App token (`events:subscribe` with a user token). `POST /public/v1/events/subscriptions`.
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// use kickrs::api::WebhookEvent;
    /// let results = client
    ///     .subscribe_to_events(123, [WebhookEvent::ChatMessageSent, WebhookEvent::ChannelFollowed])
    ///     .await?;
    /// for refused in results.iter().filter(|r| r.error.is_some()) {
    ///     eprintln!("{}: {:?}", refused.name, refused.error);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn subscribe_to_events<E: Into<EventSpec>>(
        &self,
        broadcaster_user_id: impl Into<UserId>,
        events: impl IntoIterator<Item = E>,
    ) -> crate::Result<Vec<EventsSubscriptionCreated>> {
        let specs = event_specs(events)?;
        Ok(self.subscribe(broadcaster_user_id.into(), specs).await?.into_inner().data)
    }

    /// Removes one webhook subscription.
    ///
    /// App token (`events:subscribe` with a user token). `DELETE /public/v1/events/subscriptions?id=`.
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// client.unsubscribe_from_event("01HZX3Q4T5V6W7X8Y9Z0ABCDEF").await?;
    /// # Ok(()) }
    /// ```
    pub async fn unsubscribe_from_event(&self, subscription_id: impl Into<SubscriptionId>) -> crate::Result<()> {
        self.unsubscribe_from_events([subscription_id]).await.map_err(|e| e.called_as("unsubscribe_from_event"))
    }

    /// Removes several webhook subscriptions in one request (`id` repeated in the query).
    ///
    /// App token (`events:subscribe` with a user token). `DELETE /public/v1/events/subscriptions`.
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// client.unsubscribe_from_events(["01HZX3Q4T5V6W7X8Y9Z0ABCDEF", "01HZX3Q4T5V6W7X8Y9Z0ABCDEG"]).await?;
    /// // Or every subscription the app has:
    /// let all = client.fetch_events_subscriptions(Default::default()).await?;
    /// client.unsubscribe_from_events(all.iter().map(|sub| &sub.id)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn unsubscribe_from_events<I>(&self, subscription_ids: I) -> crate::Result<()>
    where
        I: IntoIterator,
        I::Item: Into<SubscriptionId>,
    {
        let ids: Vec<SubscriptionId> = subscription_ids.into_iter().map(Into::into).collect();
        validate::required_list("id", ids.len())?;
        validate::no_blank_ids("id", &ids)?;
        self.call(Some(TokenKind::App), |raw| raw.unsubscribe_from_events(&ids)).await?;
        Ok(())
    }

    /// Makes sure a channel is subscribed to each event: lists its subscriptions, then creates only the
    /// missing `(name, version)` pairs (Kick accepts duplicates, which would deliver every event twice).
    ///
    /// What could not be created is reported, not lost: events Kick refused one by one, or all of the
    /// rest when the app reached its subscription limit (then it lists again to see what Kick created
    /// before refusing), end up in [`EnsuredSubscriptions::not_created`]; the call still succeeds.
    ///
    /// App token. `GET` then, when something is missing, `POST /public/v1/events/subscriptions` (and a
    /// second `GET` after a limit refusal).
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// use kickrs::api::WebhookEvent;
    /// let outcome = client
    ///     .ensure_subscriptions(123, [WebhookEvent::ChatMessageSent, WebhookEvent::KicksGifted])
    ///     .await?;
    /// println!("created {}, kept {}", outcome.created.len(), outcome.existing.len());
    /// # Ok(()) }
    /// ```
    pub async fn ensure_subscriptions<E: Into<EventSpec>>(
        &self,
        broadcaster_user_id: impl Into<UserId>,
        events: impl IntoIterator<Item = E>,
    ) -> crate::Result<EnsuredSubscriptions> {
        let broadcaster_user_id = broadcaster_user_id.into();
        let wanted = event_specs(events)?;
        let options = FetchEventsSubscriptionsOptions { broadcaster_user_id: Some(broadcaster_user_id) };
        let current: Vec<EventsSubscription> = self
            .fetch_events_subscriptions(options)
            .await
            .map_err(|e| e.called_as("ensure_subscriptions"))?
            .into_iter()
            .filter(|sub| sub.broadcaster_user_id == broadcaster_user_id)
            .collect();
        let missing: Vec<EventSpec> =
            wanted.iter().filter(|spec| !current.iter().any(|sub| covers(sub, spec))).cloned().collect();
        let existing: Vec<EventsSubscription> =
            current.into_iter().filter(|sub| wanted.iter().any(|spec| covers(sub, spec))).collect();
        if missing.is_empty() {
            return Ok(EnsuredSubscriptions {
                created: Vec::new(),
                existing,
                not_created: Vec::new(),
                limit_reached: false,
            });
        }
        match self.subscribe(broadcaster_user_id, missing.clone()).await {
            Ok(answer) => {
                let created = answer.into_inner().data;
                let made = |spec: &EventSpec| {
                    created.iter().any(|c| c.name == spec.name && c.version == spec.version && c.error.is_none())
                };
                let not_created = missing.into_iter().filter(|spec| !made(spec)).collect();
                Ok(EnsuredSubscriptions { created, existing, not_created, limit_reached: false })
            }
            Err(Error::SubscriptionLimitReached { .. }) => {
                let options = FetchEventsSubscriptionsOptions { broadcaster_user_id: Some(broadcaster_user_id) };
                let after =
                    self.fetch_events_subscriptions(options).await.map_err(|e| e.called_as("ensure_subscriptions"))?;
                let new_subscription = |spec: &EventSpec| {
                    after.iter().find(|sub| sub.broadcaster_user_id == broadcaster_user_id && covers(sub, spec))
                };
                let (mut created, mut not_created) = (Vec::new(), Vec::new());
                for spec in missing {
                    match new_subscription(&spec) {
                        Some(sub) => created.push(EventsSubscriptionCreated {
                            name: spec.name.clone(),
                            version: spec.version,
                            subscription_id: Some(sub.id.clone()),
                            error: None,
                        }),
                        None => not_created.push(spec),
                    }
                }
                tracing::warn!(
                    broadcaster_user_id = broadcaster_user_id.get(),
                    not_created = not_created.len(),
                    "event subscription limit reached; some subscriptions were not created"
                );
                Ok(EnsuredSubscriptions { created, existing, not_created, limit_reached: true })
            }
            Err(other) => Err(other.called_as("ensure_subscriptions")),
        }
    }

    async fn subscribe(
        &self,
        broadcaster_user_id: UserId,
        events: Vec<EventSpec>,
    ) -> crate::Result<progenitor_client::ResponseValue<crate::raw::types::SubscribeToEventsResponse>> {
        let body = SubscribeRequest {
            broadcaster_user_id: Some(broadcaster_user_id),
            events,
            method: Some(SubscribeRequestMethod::Webhook),
        };
        self.call(Some(TokenKind::App), |raw| raw.subscribe_to_events(&body)).await
    }
}

/// Whether a subscription is for this `(name, version)`.
fn covers(sub: &EventsSubscription, spec: &EventSpec) -> bool {
    sub.event == spec.name && sub.version == spec.version
}

/// The asked-for events, checked: at least one, each named, each at version 1 or later; repeats dropped.
fn event_specs<E: Into<EventSpec>>(events: impl IntoIterator<Item = E>) -> Result<Vec<EventSpec>, ValidationError> {
    let mut specs: Vec<EventSpec> = Vec::new();
    for spec in events.into_iter().map(Into::into) {
        validate::event_spec(&spec.name, spec.version)?;
        if !specs.contains(&spec) {
            specs.push(spec);
        }
    }
    validate::required_list("events", specs.len())?;
    Ok(specs)
}

/// Where a refused subscription was asked for (the answer no longer carries its request).
fn subscribe_endpoint() -> Endpoint {
    Endpoint {
        operation: "subscribe_to_events",
        method: reqwest::Method::POST,
        uri: "/public/v1/events/subscriptions".into(),
    }
}
