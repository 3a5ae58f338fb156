//! Webhook delivery as Kick does it: signed POSTs to the subscribing app's URL, with retries,
//! and the public key at `GET /public/v1/public-key`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use chrono::Utc;
use serde_json::{Value, json};
use tokio::sync::{Notify, watch};

use crate::webhooks::signing::TestSigner;

use super::reply::{Handled, Reply};
use super::routes::Ctx;
use super::state::State;
use crate::ids::{SubscriptionId, UserId};

/// An event a handler (or a test) produced, before it is matched to subscriptions.
pub(crate) struct Outgoing {
    event: &'static str,
    broadcaster_user_id: UserId,
    payload: Value,
}

impl Outgoing {
    pub(crate) fn new(event: &'static str, broadcaster_user_id: UserId, payload: Value) -> Self {
        Outgoing { event, broadcaster_user_id, payload }
    }
}

/// A webhook user object as Kick sends it.
pub(crate) fn user_json(state: &State, user_id: UserId) -> Value {
    let user = state.users.get(&user_id);
    json!({
        "is_anonymous": false,
        "user_id": user_id,
        "username": user.map_or("", |u| u.name.as_str()),
        "is_verified": false,
        "profile_picture": user.map_or("", |u| u.profile_picture.as_str()),
        "channel_slug": state.channels.get(&user_id).map_or("", |c| c.slug.as_str()),
        "identity": null,
    })
}

/// `GET /public/v1/public-key`: the PEM MockKick signs with (no token needed).
pub(crate) fn public_key(ctx: &mut Ctx<'_>) -> Handled {
    match public_key_pem(ctx.state) {
        Some(pem) => Ok(Reply::ok(json!({"public_key": pem}))),
        None => {
            Err(Reply::error(http::StatusCode::INTERNAL_SERVER_ERROR, json!({}), "webhook signing is not available"))
        }
    }
}

/// The name [`WebhookDelivery::event`] gives a Drops claim delivery (which carries no type header).
pub const DROPS_CLAIM_EVENT: &str = "drops.claim";

/// What happened to one webhook message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookDelivery {
    /// `Kick-Event-Message-Id` (the same on every retry).
    pub message_id: crate::ids::EventMessageId,
    /// `Kick-Event-Subscription-Id`; `None` for a Drops claim, which has no subscription.
    pub subscription_id: Option<SubscriptionId>,
    /// `Kick-Event-Type`, or [`DROPS_CLAIM_EVENT`] for a Drops claim.
    pub event: String,
    /// Target URL.
    pub url: String,
    /// One entry per attempt: the HTTP status, or `None` when the request failed.
    pub attempts: Vec<Option<u16>>,
    /// True once an attempt got a 2xx.
    pub delivered: bool,
}

/// One message to send; it is signed on the delivery task, off the state lock.
struct Message {
    index: usize,
    url: String,
    message_id: String,
    kind: MessageKind,
    body: String,
    /// The instance's own key, if it has one (else the process-wide key).
    signer: Option<Arc<TestSigner>>,
}

/// What a message is: an event of a subscription, or a Drops claim (sent to the organization's URL).
enum MessageKind {
    Event { subscription_id: SubscriptionId, event: &'static str, version: u64 },
    DropsClaim,
}

impl Message {
    /// Kick's delivery headers (six for an event, the three Kick documents for a Drops claim); `None`
    /// when no signing key is available.
    fn headers(&self) -> Option<Vec<(&'static str, String)>> {
        let timestamp = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let signer = match &self.signer {
            Some(own) => Arc::clone(own),
            None => signer()?,
        };
        let signature = signer.sign(&self.message_id, &timestamp, self.body.as_bytes());
        Some(match &self.kind {
            MessageKind::Event { subscription_id, event, version } => vec![
                ("Kick-Event-Message-Id", self.message_id.clone()),
                ("Kick-Event-Subscription-Id", subscription_id.to_string()),
                ("Kick-Event-Signature", signature),
                ("Kick-Event-Message-Timestamp", timestamp),
                ("Kick-Event-Type", (*event).to_owned()),
                ("Kick-Event-Version", version.to_string()),
            ],
            MessageKind::DropsClaim => vec![
                ("Kick-Event-Signature", signature),
                ("Kick-Event-Message-ID", self.message_id.clone()),
                ("Kick-Event-Timestamp", timestamp),
            ],
        })
    }
}

/// Sends messages in the background and keeps the delivery log.
pub(crate) struct Deliverer {
    /// Built on first use: a TLS-capable client costs milliseconds, and most mocks never deliver.
    /// `None` when no client could be built (no system root certificates): each attempt then fails.
    client: OnceLock<Option<reqwest::Client>>,
    retry_delays: Vec<Duration>,
    log: Arc<Mutex<Vec<WebhookDelivery>>>,
    in_flight: Arc<AtomicUsize>,
    idle: Arc<Notify>,
    shutdown: watch::Receiver<bool>,
}

impl Deliverer {
    pub(crate) fn new(retry_delays: Vec<Duration>, shutdown: watch::Receiver<bool>) -> Self {
        Deliverer {
            client: OnceLock::new(),
            retry_delays,
            log: Arc::default(),
            in_flight: Arc::default(),
            idle: Arc::default(),
            shutdown,
        }
    }

    pub(crate) fn deliveries(&self) -> Vec<WebhookDelivery> {
        self.log.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Waits until no delivery (including retries) is in flight.
    pub(crate) async fn idle(&self) {
        loop {
            let notified = self.idle.notified();
            if self.in_flight.load(Ordering::Acquire) == 0 {
                return;
            }
            notified.await;
        }
    }

    /// Matches `events` to subscriptions whose app has a webhook URL and starts sending them.
    /// Called with the state locked; only spawns, never awaits.
    pub(crate) fn send_all(&self, state: &State, events: Vec<Outgoing>) -> usize {
        let mut sent = 0;
        for event in events {
            let body = event.payload.to_string();
            for sub in state
                .subscriptions
                .iter()
                .filter(|s| s.event == event.event && s.broadcaster_user_id == event.broadcaster_user_id)
            {
                let Some(url) = state.app(sub.app_id.as_str()).and_then(|a| a.webhook_url.clone()) else {
                    continue;
                };
                let message_id = super::ids::ulid();
                let index = {
                    let mut log = self.log.lock().unwrap_or_else(|p| p.into_inner());
                    log.push(WebhookDelivery {
                        message_id: message_id.clone().into(),
                        subscription_id: Some(sub.id.clone()),
                        event: event.event.to_owned(),
                        url: url.clone(),
                        attempts: Vec::new(),
                        delivered: false,
                    });
                    log.len() - 1
                };
                self.spawn(Message {
                    index,
                    url,
                    message_id,
                    kind: MessageKind::Event {
                        subscription_id: sub.id.clone(),
                        event: event.event,
                        version: sub.version,
                    },
                    body: body.clone(),
                    signer: state.webhook_signer.clone(),
                });
                sent += 1;
            }
        }
        sent
    }

    /// Starts sending a Drops claim (`body` as Kick sends it) to an organization's webhook URL.
    pub(crate) fn send_claim(&self, state: &State, url: &str, body: String) {
        let message_id = super::ids::ulid();
        let index = {
            let mut log = self.log.lock().unwrap_or_else(|p| p.into_inner());
            log.push(WebhookDelivery {
                message_id: message_id.clone().into(),
                subscription_id: None,
                event: DROPS_CLAIM_EVENT.to_owned(),
                url: url.to_owned(),
                attempts: Vec::new(),
                delivered: false,
            });
            log.len() - 1
        };
        let signer = state.webhook_signer.clone();
        self.spawn(Message { index, url: url.to_owned(), message_id, kind: MessageKind::DropsClaim, body, signer });
    }

    fn spawn(&self, message: Message) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        self.in_flight.fetch_add(1, Ordering::AcqRel);
        let client = self
            .client
            .get_or_init(|| {
                let builder = crate::http_client_builder().ok()?;
                builder.user_agent("Go-http-client/1.1").timeout(Duration::from_secs(10)).build().ok()
            })
            .clone();
        let delays = self.retry_delays.clone();
        let log = self.log.clone();
        let in_flight = self.in_flight.clone();
        let idle = self.idle.clone();
        let mut shutdown = self.shutdown.clone();
        runtime.spawn(async move {
            // Key generation blocks; keep it off the async workers.
            if message.signer.is_none() {
                let _ = tokio::task::spawn_blocking(signer).await;
            }
            for wait in std::iter::once(Duration::ZERO).chain(delays) {
                tokio::select! {
                    _ = tokio::time::sleep(wait) => {}
                    _ = shutdown.wait_for(|stop| *stop) => break,
                }
                // Each attempt is signed afresh with its own timestamp; the message id stays.
                let Some(headers) = message.headers() else {
                    break;
                };
                let status = match &client {
                    Some(client) => {
                        let mut request = client
                            .post(&message.url)
                            .header("Content-Type", "application/json")
                            .body(message.body.clone());
                        for (name, value) in headers {
                            request = request.header(name, value);
                        }
                        request.send().await.ok().map(|r| r.status())
                    }
                    None => None,
                };
                let ok = status.is_some_and(|s| s.is_success());
                {
                    let mut log = log.lock().unwrap_or_else(|p| p.into_inner());
                    if let Some(entry) = log.get_mut(message.index) {
                        entry.attempts.push(status.map(|s| s.as_u16()));
                        entry.delivered = ok;
                    }
                }
                if ok {
                    break;
                }
            }
            in_flight.fetch_sub(1, Ordering::AcqRel);
            idle.notify_waiters();
        });
    }
}

/// The process-wide signing key. RSA-2048 generation takes tens of milliseconds, so it is made
/// once per process, on a blocking thread that `start()` kicks off ([`warm_up_signer`]).
static SIGNER: OnceLock<Option<Arc<TestSigner>>> = OnceLock::new();

fn signer() -> Option<Arc<TestSigner>> {
    SIGNER.get_or_init(|| TestSigner::try_new().ok().map(Arc::new)).clone()
}

/// Starts generating the key in the background so the first webhook or public-key call is quick.
pub(crate) fn warm_up_signer() {
    if SIGNER.get().is_none()
        && let Ok(runtime) = tokio::runtime::Handle::try_current()
    {
        runtime.spawn_blocking(|| {
            signer();
        });
    }
}

/// The public key PEM webhooks are signed with: the instance's own key, else the process-wide one.
pub(crate) fn public_key_pem(state: &State) -> Option<String> {
    match &state.webhook_signer {
        Some(own) => Some(own.public_key_pem()),
        None => signer().map(|s| s.public_key_pem()),
    }
}
