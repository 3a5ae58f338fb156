//! (facade area: chat)
