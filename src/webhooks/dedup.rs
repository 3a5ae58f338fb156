//! Recognising re-delivered and replayed `Kick-Event-Message-Id`s.
//!
//! A message id is *reserved* when its delivery is verified, *completed* once every handler
//! succeeded and *released* when a handler failed, so Kick's retry is handled again.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, TimeDelta, Utc};
use futures::future::BoxFuture;

use crate::auth::StoreError;

/// What a [`DedupStore`] knows about a message id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reservation {
    /// Not seen before: the caller now owns it and must finish or abandon it.
    Reserved,
    /// Another delivery of the same id is being handled right now.
    InProgress,
    /// Already handled successfully.
    AlreadyHandled,
}

/// Remembers which message ids were handled and which are being handled.
///
/// Shared by every receiver behind a load balancer (`kickrs::fleet::RedisDedupStore`, feature
/// `redis`), it makes a delivery that is in flight on one replica answer "in progress" (503, so
/// Kick retries later) on another rather than run twice. A failing store fails the delivery with
/// [`WebhookError::DedupUnavailable`](super::WebhookError::DedupUnavailable) (503): nothing runs
/// unrecorded.
///
/// ```
/// use chrono::{DateTime, Utc};
/// use futures::future::BoxFuture;
/// use kickrs::auth::StoreError;
/// use kickrs::webhooks::{DedupStore, Reservation};
///
/// /// Handles every delivery, duplicates too.
/// #[derive(Debug)]
/// struct NoDedup;
///
/// impl DedupStore for NoDedup {
///     fn reserve<'a>(&'a self, _id: &'a str, _now: DateTime<Utc>) -> BoxFuture<'a, Result<Reservation, StoreError>> {
///         Box::pin(async { Ok(Reservation::Reserved) })
///     }
///     fn complete<'a>(&'a self, _id: &'a str, _now: DateTime<Utc>) -> BoxFuture<'a, Result<(), StoreError>> {
///         Box::pin(async { Ok(()) })
///     }
///     fn release<'a>(&'a self, _id: &'a str) -> BoxFuture<'a, Result<(), StoreError>> {
///         Box::pin(async { Ok(()) })
///     }
/// }
/// ```
pub trait DedupStore: Send + Sync + std::fmt::Debug {
    /// Reserves `message_id` if it is new.
    fn reserve<'a>(&'a self, message_id: &'a str, now: DateTime<Utc>)
    -> BoxFuture<'a, Result<Reservation, StoreError>>;
    /// Records `message_id` as handled (after every handler succeeded).
    fn complete<'a>(&'a self, message_id: &'a str, now: DateTime<Utc>) -> BoxFuture<'a, Result<(), StoreError>>;
    /// Drops the reservation of `message_id` (a handler failed; Kick will retry).
    fn release<'a>(&'a self, message_id: &'a str) -> BoxFuture<'a, Result<(), StoreError>>;
}

/// An in-memory [`DedupStore`] bounded in size and age: it remembers at most `capacity`
/// handled ids, each for at most `retention`, forgetting the oldest first.
///
/// ```
/// # futures::executor::block_on(async {
/// use chrono::Utc;
/// use kickrs::webhooks::{DedupStore, InMemoryDedupStore, Reservation};
///
/// let store = InMemoryDedupStore::default();
/// let now = Utc::now();
/// assert_eq!(store.reserve("01J", now).await?, Reservation::Reserved);
/// assert_eq!(store.reserve("01J", now).await?, Reservation::InProgress);
/// store.complete("01J", now).await?;
/// assert_eq!(store.reserve("01J", now).await?, Reservation::AlreadyHandled);
/// # Ok::<(), kickrs::auth::StoreError>(())
/// # }).unwrap();
/// ```
#[derive(Debug)]
pub struct InMemoryDedupStore {
    capacity: usize,
    retention: TimeDelta,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    in_progress: HashSet<String>,
    handled: HashMap<String, DateTime<Utc>>,
    /// Handled ids in the order they were finished, for eviction.
    order: VecDeque<(String, DateTime<Utc>)>,
}

impl InMemoryDedupStore {
    /// Default number of handled ids remembered.
    pub const DEFAULT_CAPACITY: usize = 100_000;
    /// Default time a handled id is remembered (Kick retries within hours).
    pub const DEFAULT_RETENTION: TimeDelta = TimeDelta::hours(24);

    /// A store remembering at most `capacity` ids for at most `retention` each.
    pub fn new(capacity: usize, retention: TimeDelta) -> Self {
        Self { capacity: capacity.max(1), retention, state: Mutex::new(State::default()) }
    }

    /// Wrapped for sharing, as the verifier takes it.
    pub fn shared(self) -> Arc<dyn DedupStore> {
        Arc::new(self)
    }

    /// How many handled ids are remembered right now.
    pub fn len(&self) -> usize {
        self.lock().handled.len()
    }

    /// True when no handled id is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Default for InMemoryDedupStore {
    fn default() -> Self {
        Self::new(Self::DEFAULT_CAPACITY, Self::DEFAULT_RETENTION)
    }
}

impl State {
    fn evict(&mut self, capacity: usize, oldest_kept: DateTime<Utc>) {
        while let Some((id, finished_at)) = self.order.front() {
            if self.order.len() <= capacity && *finished_at >= oldest_kept {
                break;
            }
            // Only forget the entry if it was not refreshed by a later finish.
            if self.handled.get(id) == Some(finished_at) {
                self.handled.remove(id);
            }
            self.order.pop_front();
        }
    }
}

impl InMemoryDedupStore {
    fn reserve_now(&self, message_id: &str, now: DateTime<Utc>) -> Reservation {
        let mut state = self.lock();
        state.evict(self.capacity, now - self.retention);
        if state.handled.contains_key(message_id) {
            Reservation::AlreadyHandled
        } else if !state.in_progress.insert(message_id.to_owned()) {
            Reservation::InProgress
        } else {
            Reservation::Reserved
        }
    }

    fn complete_now(&self, message_id: &str, now: DateTime<Utc>) {
        let mut state = self.lock();
        state.in_progress.remove(message_id);
        state.handled.insert(message_id.to_owned(), now);
        state.order.push_back((message_id.to_owned(), now));
        state.evict(self.capacity, now - self.retention);
    }
}

impl DedupStore for InMemoryDedupStore {
    fn reserve<'a>(
        &'a self,
        message_id: &'a str,
        now: DateTime<Utc>,
    ) -> BoxFuture<'a, Result<Reservation, StoreError>> {
        let reservation = self.reserve_now(message_id, now);
        Box::pin(async move { Ok(reservation) })
    }

    fn complete<'a>(&'a self, message_id: &'a str, now: DateTime<Utc>) -> BoxFuture<'a, Result<(), StoreError>> {
        self.complete_now(message_id, now);
        Box::pin(async { Ok(()) })
    }

    fn release<'a>(&'a self, message_id: &'a str) -> BoxFuture<'a, Result<(), StoreError>> {
        self.lock().in_progress.remove(message_id);
        Box::pin(async { Ok(()) })
    }
}
