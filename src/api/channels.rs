//! (facade area: channels)
