//! The refresh lease: while one holder has it, no other client sharing the same [`TokenStore`]
//! refreshes that client id's user token (Kick rotates refresh tokens, so a second refresh with the
//! same refresh token would kill the login).
//!
//! [`TokenStore`]: super::TokenStore

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Default time a refresh lease is held at most: a holder that dies mid-refresh blocks the others
/// for no longer than this.
pub const DEFAULT_REFRESH_LEASE: Duration = Duration::from_secs(30);

/// Proof of holding the refresh lease of one client id, handed back to
/// [`TokenStore::release`](super::TokenStore::release).
///
/// `id` is a random value, so a release only removes the lease it was given (a lease that expired
/// and was taken by someone else stays theirs). A store may attach a `guard` (e.g. a locked file)
/// that holds the lease for as long as it lives.
///
/// ```
/// use kickrs::auth::RefreshLease;
/// let lease = RefreshLease::new();
/// assert_eq!(lease.id().len(), 32);
/// ```
pub struct RefreshLease {
    id: String,
    guard: Option<Box<dyn Send + Sync>>,
}

impl RefreshLease {
    /// A lease with a fresh random id.
    pub fn new() -> Self {
        Self { id: format!("{:032x}", rand::random::<u128>()), guard: None }
    }

    /// Keeps `guard` alive as long as the lease (dropped on release).
    pub fn with_guard(mut self, guard: impl Send + Sync + 'static) -> Self {
        self.guard = Some(Box::new(guard));
        self
    }

    /// The random id that tells this lease from any other.
    pub fn id(&self) -> &str {
        &self.id
    }
}

impl Default for RefreshLease {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for RefreshLease {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RefreshLease").field("id", &self.id).field("guarded", &self.guard.is_some()).finish()
    }
}

/// Leases kept in this process's memory, with expiry (the memory and callback stores use them).
#[derive(Clone, Default)]
pub(crate) struct LocalLeases {
    held: Arc<Mutex<HashMap<String, (String, Instant)>>>,
}

impl LocalLeases {
    /// The lease of `client_id` for `ttl`, unless a live one is held.
    pub(crate) fn try_take(&self, client_id: &str, ttl: Duration) -> Option<RefreshLease> {
        let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        let now = Instant::now();
        if held.get(client_id).is_some_and(|(_, until)| *until > now) {
            return None;
        }
        let lease = RefreshLease::new();
        held.insert(client_id.to_owned(), (lease.id.clone(), now + ttl));
        Some(lease)
    }

    /// Drops the lease of `client_id` if it is still `lease`.
    pub(crate) fn release(&self, client_id: &str, lease: &RefreshLease) {
        let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        if held.get(client_id).is_some_and(|(id, _)| *id == lease.id) {
            held.remove(client_id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_local_lease_excludes_others_until_released_or_expired() {
        let leases = LocalLeases::default();
        let first = leases.try_take("app", Duration::from_secs(60)).expect("free at first");
        assert!(leases.try_take("app", Duration::from_secs(60)).is_none(), "held");
        assert!(leases.try_take("other-app", Duration::from_secs(60)).is_some(), "per client id");
        // A stale lease handed back by someone else does not free the current one.
        leases.release("app", &RefreshLease::new());
        assert!(leases.try_take("app", Duration::from_secs(60)).is_none());
        leases.release("app", &first);
        let short = leases.try_take("app", Duration::from_millis(1)).expect("free after release");
        std::thread::sleep(Duration::from_millis(5));
        assert!(leases.try_take("app", Duration::from_secs(60)).is_some(), "expired: {short:?}");
    }
}
