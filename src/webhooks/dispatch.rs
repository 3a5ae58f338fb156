//! Typed handlers for verified deliveries, and the decision of what to answer Kick.
//!
//! Handlers are plain async closures. They return `Result<(), BoxError>`, so `Ok(())` needs no
//! annotation and `?` works on any error. State shared by every handler (a client, a database
//! pool) is given once with [`Dispatcher::with_state`] and arrives in [`Delivered::state`].
//!
//! ```
//! use kickrs::webhooks::events::ChatMessageSent;
//! use kickrs::webhooks::{Dispatcher, Verifier};
//!
//! #[derive(Clone)]
//! struct Bot {
//!     greeting: &'static str,
//! }
//!
//! let dispatcher = Dispatcher::new(Verifier::new())
//!     .with_state(Bot { greeting: "hello" })
//!     .on::<ChatMessageSent>(|message| async move {
//!         println!("{} {:?}: {}", message.state.greeting, message.sender.username, message.content);
//!         Ok(())
//!     })
//!     .on_error(|error, meta| eprintln!("webhook {meta:?} failed: {error}"));
//! # let _ = dispatcher;
//! ```

use std::collections::HashMap;
use std::future::Future;
use std::ops::Deref;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use futures::FutureExt as _;
use futures::future::BoxFuture;
use http::{HeaderMap, StatusCode};

use super::error::{BoxError, WebhookError};
use super::events::{Event, EventPayload};
use super::verify::{DeliveryMeta, Verifier};

/// A payload handed to a handler, with the headers of its delivery and the dispatcher's state.
/// Dereferences to the payload.
#[derive(Debug, Clone)]
pub struct Delivered<E, S = ()> {
    /// Message id, subscription id, timestamp, type and version of the delivery.
    pub meta: Arc<DeliveryMeta>,
    /// The decoded payload.
    pub payload: E,
    /// A clone of the state given to [`Dispatcher::with_state`] (`()` without one).
    pub state: S,
}

impl<E, S> Deref for Delivered<E, S> {
    type Target = E;

    fn deref(&self) -> &E {
        &self.payload
    }
}

/// What a successful [`Dispatcher::handle`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handled {
    /// `Kick-Event-Message-Id` of the delivery.
    pub message_id: crate::ids::EventMessageId,
    /// `Kick-Event-Type` of the delivery.
    pub event_type: String,
    /// How many handlers ran (0 is fine: the event is acknowledged).
    pub handlers_run: usize,
}

/// An async event handler: any `Fn(Delivered<E, S>) -> impl Future<Output = Result<(), BoxError>>`
/// that is `Send + Sync + 'static`.
///
/// The error type is fixed so that a closure ending in `Ok(())` needs no annotation; `?` converts
/// any `std::error::Error + Send + Sync` (and strings) into [`BoxError`].
pub trait Handler<E, S = ()>: Fn(Delivered<E, S>) -> <Self as Handler<E, S>>::Future + Send + Sync + 'static {
    /// The future the handler returns.
    type Future: Future<Output = Result<(), BoxError>> + Send + 'static;
}

impl<E, S, F, Fut> Handler<E, S> for F
where
    F: Fn(Delivered<E, S>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), BoxError>> + Send + 'static,
{
    type Future = Fut;
}

type ErasedHandler =
    Arc<dyn Fn(Arc<DeliveryMeta>, &Event) -> Option<BoxFuture<'static, Result<(), BoxError>>> + Send + Sync>;
type ErrorHook = Arc<dyn Fn(&WebhookError, Option<&DeliveryMeta>) + Send + Sync>;

/// Verifies deliveries, decodes them and runs the handlers registered for their type.
///
/// Handlers of one delivery run concurrently. The message id is recorded as handled only when
/// all of them succeed; otherwise the error hook is called for each failure and
/// [`Dispatcher::handle`] returns [`WebhookError::HandlerFailed`] (HTTP 500), so Kick retries
/// and the retry is handled again (handlers that had succeeded run again: make them
/// idempotent, keyed by [`DeliveryMeta::message_id`]).
///
/// `S` is the state handed to every handler registered after [`Dispatcher::with_state`].
pub struct Dispatcher<S = ()> {
    verifier: Verifier,
    handlers: HashMap<&'static str, Vec<ErasedHandler>>,
    catch_all: Vec<ErasedHandler>,
    error_hook: Option<ErrorHook>,
    state: S,
}

impl<S> std::fmt::Debug for Dispatcher<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut handled_types: Vec<_> = self.handlers.keys().collect();
        handled_types.sort();
        f.debug_struct("Dispatcher")
            .field("verifier", &self.verifier)
            .field("handled_types", &handled_types)
            .field("catch_all_handlers", &self.catch_all.len())
            .field("has_error_hook", &self.error_hook.is_some())
            .finish()
    }
}

impl Dispatcher {
    /// A dispatcher with no handlers and no state that verifies with `verifier`.
    pub fn new(verifier: Verifier) -> Self {
        Self { verifier, handlers: HashMap::new(), catch_all: Vec::new(), error_hook: None, state: () }
    }
}

impl<S> Dispatcher<S> {
    /// Hands a clone of `state` to every handler registered from here on (as `Delivered::state`),
    /// as axum's `Router::with_state` does. Handlers registered before keep the state they had.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use kickrs::webhooks::events::ChannelFollow;
    /// use kickrs::webhooks::{Dispatcher, Verifier};
    ///
    /// let followers = Arc::new(std::sync::atomic::AtomicU64::new(0));
    /// let dispatcher = Dispatcher::new(Verifier::new()).with_state(followers).on::<ChannelFollow>(|follow| async move {
    ///     follow.state.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    ///     Ok(())
    /// });
    /// # let _ = dispatcher;
    /// ```
    pub fn with_state<T>(self, state: T) -> Dispatcher<T> {
        let Dispatcher { verifier, handlers, catch_all, error_hook, state: _ } = self;
        Dispatcher { verifier, handlers, catch_all, error_hook, state }
    }

    /// The verifier (e.g. to replace the public key at runtime).
    pub fn verifier(&self) -> &Verifier {
        &self.verifier
    }

    /// Runs `handler` for every delivery of event type `E` (at version `E::VERSION`).
    pub fn on<E: EventPayload>(mut self, handler: impl Handler<E, S>) -> Self
    where
        S: Clone + Send + Sync + 'static,
    {
        let state = self.state.clone();
        let erased: ErasedHandler = Arc::new(move |meta, event| {
            let payload = E::from_event(event)?.clone();
            Some(handler(Delivered { meta, payload, state: state.clone() }).boxed())
        });
        self.handlers.entry(E::NAME).or_default().push(erased);
        self
    }

    /// Runs `handler` for every verified delivery, including [`Event::Unknown`] ones.
    pub fn on_any(mut self, handler: impl Handler<Event, S>) -> Self
    where
        S: Clone + Send + Sync + 'static,
    {
        let state = self.state.clone();
        self.catch_all.push(Arc::new(move |meta, event| {
            let payload = event.clone();
            Some(handler(Delivered { meta, payload, state: state.clone() }).boxed())
        }));
        self
    }

    /// Calls `hook` for every delivery that is rejected or whose handlers fail (replays of
    /// handled messages are not failures and are not reported). `meta` is present once the
    /// delivery's signature was verified.
    pub fn on_error<F>(mut self, hook: F) -> Self
    where
        F: Fn(&WebhookError, Option<&DeliveryMeta>) + Send + Sync + 'static,
    {
        self.error_hook = Some(Arc::new(hook));
        self
    }

    /// Verifies, decodes and dispatches one delivery. Map the result to an HTTP status with
    /// [`response_status`].
    ///
    /// Handlers that have started run to completion (on a task of the Tokio runtime) even if this
    /// future is dropped, e.g. because Kick's request timed out; the id is then recorded as handled, so
    /// Kick's redelivery is answered as a duplicate rather than run again.
    ///
    /// # Errors
    /// The [`WebhookError`] that stopped the delivery; [`WebhookError::Replayed`] means it was
    /// handled before (answer 2xx).
    pub async fn handle(&self, headers: &HeaderMap, body: &[u8]) -> Result<Handled, WebhookError> {
        let delivery = match self.verifier.verify(headers, body).await {
            Ok(delivery) => delivery,
            Err(error) => return Err(self.report(error, None)),
        };
        let meta = Arc::new(delivery.meta().clone());
        let event = match delivery.decode(body) {
            Ok(event) => event,
            Err(error) => return Err(self.report(error, Some(&meta))),
        };

        let handlers = self.handlers.get(event.event_type()).into_iter().flatten();
        let futures: Vec<_> =
            handlers.chain(&self.catch_all).filter_map(|handler| start(handler, Arc::clone(&meta), &event)).collect();
        let handlers_run = futures.len();
        if handlers_run == 0 {
            tracing::info!(
                message_id = %meta.message_id,
                event_type = %meta.event_type,
                "webhook acknowledged with no handler registered"
            );
        }

        // Once started, the handlers run to completion even if the sender goes away (Kick's request
        // timed out and this future was dropped): a task of their own finishes them and then records
        // the id as handled, so the redelivery is answered as a duplicate instead of running them again.
        let hook = self.error_hook.clone();
        let finish = async move {
            let outcomes = futures::future::join_all(futures).await;
            let mut failures = outcomes
                .into_iter()
                .filter_map(Result::err)
                .map(|source| WebhookError::HandlerFailed {
                    event_type: meta.event_type.clone(),
                    message_id: meta.message_id.clone(),
                    source,
                })
                .collect::<Vec<_>>();
            if failures.is_empty() {
                delivery.mark_handled().await;
                return Ok(Handled {
                    message_id: meta.message_id.clone(),
                    event_type: meta.event_type.clone(),
                    handlers_run,
                });
            }
            // Dropping `delivery` un-reserves the id so Kick's retry is handled again.
            drop(delivery);
            let first = failures.remove(0);
            for failure in failures {
                report_to(hook.as_ref(), failure, Some(&meta));
            }
            Err(report_to(hook.as_ref(), first, Some(&meta)))
        };
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => runtime.spawn(finish).await.unwrap_or_else(|join| {
                Err(WebhookError::HandlerFailed {
                    event_type: String::new(),
                    message_id: crate::ids::EventMessageId::new(""),
                    source: BoxError::from(format!("handler task failed: {join}")),
                })
            }),
            // No runtime to hand the work to: run it here.
            Err(_) => finish.await,
        }
    }

    pub(crate) fn report(&self, error: WebhookError, meta: Option<&DeliveryMeta>) -> WebhookError {
        report_to(self.error_hook.as_ref(), error, meta)
    }
}

/// Starts one handler, turning a panic (while starting or while running) into an error.
/// Logs a delivery that was not handled and tells the app's error hook (a replay only at debug level).
fn report_to(hook: Option<&ErrorHook>, error: WebhookError, meta: Option<&DeliveryMeta>) -> WebhookError {
    if matches!(error, WebhookError::Replayed { .. }) {
        tracing::debug!(%error, "webhook replay acknowledged");
        return error;
    }
    tracing::warn!(%error, status = error.status().as_u16(), "webhook delivery not handled");
    if let Some(hook) = hook {
        hook(&error, meta);
    }
    error
}

fn start(
    handler: &ErasedHandler,
    meta: Arc<DeliveryMeta>,
    event: &Event,
) -> Option<BoxFuture<'static, Result<(), BoxError>>> {
    let panicked = || BoxError::from("handler panicked");
    match std::panic::catch_unwind(AssertUnwindSafe(|| handler(meta, event))) {
        Ok(Some(future)) => Some(
            AssertUnwindSafe(future)
                .catch_unwind()
                .map(move |outcome| outcome.unwrap_or_else(|_| Err(panicked())))
                .boxed(),
        ),
        Ok(None) => None,
        Err(_) => Some(futures::future::ready(Err(panicked())).boxed()),
    }
}

/// The HTTP status to answer Kick with for the result of [`Dispatcher::handle`]: 200 when
/// handled or already handled, otherwise [`WebhookError::status`].
pub fn response_status(result: &Result<Handled, WebhookError>) -> StatusCode {
    match result {
        Ok(_) => StatusCode::OK,
        Err(error) => error.status(),
    }
}
