//! Pieces of the facade benchmark: the fixed-response servers (plain and TLS, in a child process),
//! the hand-written floor client, the ways of making each call, CPU time and pinning, and the figures.

pub mod calls;
pub mod canned;
pub mod code_pages;
pub mod cpu;
pub mod figures;
pub mod pin;
pub mod servers;
pub mod threads;
pub mod tls;

/// The floor lives in the bench crate's library: the peak-RSS programs (`src/bin/`) run it too.
pub use kickrs_bench::floor;
