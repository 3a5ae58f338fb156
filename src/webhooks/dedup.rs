//! Recognising re-delivered and replayed `Kick-Event-Message-Id`s.
//!
//! A message id is *reserved* when its delivery is verified, *finished* once every handler
//! succeeded and *abandoned* when a handler failed, so Kick's retry is handled again.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, TimeDelta, Utc};

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

/// Remembers which message ids were handled. Implement it over a shared store (Redis, SQL)
/// when several receivers run behind a load balancer; the calls are synchronous and short.
pub trait DedupStore: Send + Sync + std::fmt::Debug {
    /// Reserves `message_id` if it is new.
    fn reserve(&self, message_id: &str, now: DateTime<Utc>) -> Reservation;
    /// Records `message_id` as handled (after every handler succeeded).
    fn finish(&self, message_id: &str, now: DateTime<Utc>);
    /// Drops the reservation of `message_id` (a handler failed; Kick will retry).
    fn abandon(&self, message_id: &str);
}

/// An in-memory [`DedupStore`] bounded in size and age: it remembers at most `capacity`
/// handled ids, each for at most `retention`, forgetting the oldest first.
///
/// ```
/// use chrono::Utc;
/// use kickrs::webhooks::{DedupStore, InMemoryDedupStore, Reservation};
///
/// let store = InMemoryDedupStore::default();
/// let now = Utc::now();
/// assert_eq!(store.reserve("01J", now), Reservation::Reserved);
/// assert_eq!(store.reserve("01J", now), Reservation::InProgress);
/// store.finish("01J", now);
/// assert_eq!(store.reserve("01J", now), Reservation::AlreadyHandled);
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

impl DedupStore for InMemoryDedupStore {
    fn reserve(&self, message_id: &str, now: DateTime<Utc>) -> Reservation {
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

    fn finish(&self, message_id: &str, now: DateTime<Utc>) {
        let mut state = self.lock();
        state.in_progress.remove(message_id);
        state.handled.insert(message_id.to_owned(), now);
        state.order.push_back((message_id.to_owned(), now));
        state.evict(self.capacity, now - self.retention);
    }

    fn abandon(&self, message_id: &str) {
        self.lock().in_progress.remove(message_id);
    }
}
