//! The peak-RSS workload with the facade, in a program that holds nothing else (see `kickrs_bench::rss`).

use kickrs_bench::rss::{self, Client};

fn main() {
    let (base, calls) = rss::args(Client::Facade);
    rss::facade(&base, calls);
}
