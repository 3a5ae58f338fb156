//! Verify, decode and dispatch Kick webhook deliveries.
