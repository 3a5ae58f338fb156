//! (facade area: rewards)
