//! One token slot with single-flight renewal.
//!
//! Readers take a short read lock to clone an `Arc` snapshot. A renewal runs in a spawned task whose
//! result is shared by every caller that wants it; no lock is held while it runs, and dropping any
//! caller (even the one that started it) neither cancels it nor leaves the others waiting forever.

use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock};

use futures::FutureExt;
use futures::future::{BoxFuture, Shared};

use super::AuthError;

type Outcome<T> = Result<Arc<T>, AuthError>;

struct Flight<T> {
    id: u64,
    outcome: Shared<BoxFuture<'static, Outcome<T>>>,
}

struct Snapshot<T> {
    /// Bumped by [`TokenCell::set`], so a renewal started before a token was set by hand does not
    /// overwrite it.
    generation: u64,
    value: Option<Arc<T>>,
}

/// A token of one kind and its in-flight renewal, if any.
pub(crate) struct TokenCell<T> {
    snapshot: RwLock<Snapshot<T>>,
    flight: Mutex<Option<Flight<T>>>,
    next_flight: Mutex<u64>,
}

impl<T: Send + Sync + 'static> TokenCell<T> {
    pub(crate) fn new() -> Self {
        Self {
            snapshot: RwLock::new(Snapshot { generation: 0, value: None }),
            flight: Mutex::new(None),
            next_flight: Mutex::new(0),
        }
    }

    /// The current token, if any.
    pub(crate) fn current(&self) -> Option<Arc<T>> {
        self.snapshot.read().unwrap_or_else(PoisonError::into_inner).value.clone()
    }

    /// Replaces the token (login, `set_user_token`); a renewal already running will not overwrite it.
    pub(crate) fn set(&self, value: Arc<T>) {
        let mut snapshot = self.snapshot.write().unwrap_or_else(PoisonError::into_inner);
        snapshot.generation += 1;
        snapshot.value = Some(value);
    }

    /// Sets the token only if there is none yet (a stored token loaded late must not win over one
    /// set meanwhile).
    pub(crate) fn set_if_empty(&self, value: Arc<T>) {
        let mut snapshot = self.snapshot.write().unwrap_or_else(PoisonError::into_inner);
        if snapshot.value.is_none() {
            snapshot.value = Some(value);
        }
    }

    fn generation(&self) -> u64 {
        self.snapshot.read().unwrap_or_else(PoisonError::into_inner).generation
    }

    /// Publishes a renewed token unless the token was set by hand since the renewal started.
    pub(crate) fn publish(&self, value: Arc<T>, started_at_generation: u64) {
        let mut snapshot = self.snapshot.write().unwrap_or_else(PoisonError::into_inner);
        if snapshot.generation == started_at_generation {
            snapshot.value = Some(value);
        }
    }

    fn flight(&self) -> MutexGuard<'_, Option<Flight<T>>> {
        self.flight.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Renews the token once for all concurrent callers.
    ///
    /// If a renewal is running, waits for it. Otherwise, if `needed(current)` says the current token
    /// will do, returns it; else spawns `renew(current, generation)` and waits for it. `renew` gets
    /// the generation to pass to [`publish`](Self::publish) if it must publish before failing; on
    /// success its token is published here.
    pub(crate) async fn renew<Fut>(
        self: &Arc<Self>,
        needed: impl FnOnce(Option<&Arc<T>>) -> bool,
        renew: impl FnOnce(Option<Arc<T>>, u64) -> Fut,
    ) -> Outcome<T>
    where
        Fut: Future<Output = Result<T, AuthError>> + Send + 'static,
    {
        let outcome = {
            let mut flight = self.flight();
            match flight.as_ref() {
                Some(running) => running.outcome.clone(),
                None => {
                    let current = self.current();
                    if let Some(token) = current.as_ref().filter(|t| !needed(Some(t))) {
                        return Ok(Arc::clone(token));
                    }
                    let id = self.next_flight_id();
                    let generation = self.generation();
                    let work = renew(current, generation);
                    let cell = Arc::clone(self);
                    let task = tokio::spawn(async move {
                        let _land = Landing { cell: &cell, id };
                        let outcome = work.await.map(Arc::new);
                        if let Ok(token) = &outcome {
                            cell.publish(Arc::clone(token), generation);
                        }
                        outcome
                    });
                    let outcome = async move {
                        task.await.unwrap_or_else(|e| Err(AuthError::Interrupted { message: e.to_string() }))
                    }
                    .boxed()
                    .shared();
                    *flight = Some(Flight { id, outcome: outcome.clone() });
                    outcome
                }
            }
        };
        outcome.await
    }

    fn next_flight_id(&self) -> u64 {
        let mut next = self.next_flight.lock().unwrap_or_else(PoisonError::into_inner);
        *next += 1;
        *next
    }
}

/// Clears the finished flight when the renewal task ends, also if it panics or is cancelled, so a
/// later caller starts a new renewal instead of joining a dead one.
struct Landing<'a, T> {
    cell: &'a TokenCell<T>,
    id: u64,
}

impl<T> Drop for Landing<'_, T> {
    fn drop(&mut self) {
        let mut flight = self.cell.flight.lock().unwrap_or_else(PoisonError::into_inner);
        if flight.as_ref().is_some_and(|f| f.id == self.id) {
            *flight = None;
        }
    }
}
