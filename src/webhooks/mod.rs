//! Verify, decode and dispatch Kick webhook deliveries.
//!
//! * [`Verifier`] checks a delivery (headers plus raw body) against Kick's RSA signature, a
//!   freshness window and a store of handled message ids, and gives a typed [`WebhookError`].
//!   [`KickClient::webhook_verifier`](crate::KickClient::webhook_verifier) builds one with the key
//!   Kick serves now.
//! * [`events`] holds typed payloads of the ten event types and of the Drops claim webhook
//!   ([`events::DropsRewardClaimed`], which Kick sends with three headers only), and [`Event`], the decoded
//!   form of any delivery (unknown types become [`Event::Unknown`]).
//! * [`Dispatcher`] runs typed handlers and says what to answer Kick; the `axum` module
//!   (feature `webhooks-axum`) serves it over HTTP, also as a standalone server.
//! * [`signing::TestSigner`] signs deliveries with a test key, for handler tests.
//! * [`chat`] splits chat content into text and `[emote:ID:NAME]` segments.

pub mod chat;
mod clock;
mod dedup;
mod dispatch;
mod error;
pub mod events;
mod headers;
mod key;
mod served_key;
pub mod signing;
mod verify;

#[cfg(feature = "webhooks-axum")]
pub mod axum;
#[cfg(feature = "webhooks-axum")]
mod serve;

pub use clock::{Clock, FixedClock, SystemClock};
pub use dedup::{DedupStore, InMemoryDedupStore, Reservation};
pub use dispatch::{Delivered, Dispatcher, Handled, Handler, response_status};
pub use error::{BoxError, PublicKeyError, WebhookError};
pub use events::{Event, EventPayload};
pub use headers::DeliveryHeader;
pub use key::{KICK_PUBLIC_KEY_PEM, PublicKey};
pub use verify::{DEFAULT_FRESHNESS_WINDOW, DEFAULT_MAX_BODY_BYTES, Delivery, DeliveryMeta, Verifier};
