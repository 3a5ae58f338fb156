//! (facade area: categories)
