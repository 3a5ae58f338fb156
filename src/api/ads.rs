//! (facade area: ads)
