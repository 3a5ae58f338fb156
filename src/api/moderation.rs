//! (facade area: moderation)
