//! (facade area: kicks)
