//! (facade area: public_key)
