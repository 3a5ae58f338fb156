//! (facade area: events)
