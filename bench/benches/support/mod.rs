//! Pieces of the facade benchmark: the fixed-response server, the hand-written floor client, the
//! three ways of making each call, and the figures.

pub mod calls;
pub mod canned;
pub mod figures;
pub mod floor;
pub mod threads;
