//! What the benchmarks share with the programs they start: the hand-written floor client and the
//! peak-RSS workload, which also runs as a program of its own per client (`src/bin/`).

pub mod floor;
pub mod rss;
