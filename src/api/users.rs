//! (facade area: users)
