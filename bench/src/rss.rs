//! The peak-RSS workload: one process makes 100,000 `fetch_channel` calls, 16 in flight, on the canned
//! server, then reports its peak RSS. It runs in two shapes. The facade bench's own binary re-run
//! (`facade rss-child <facade|floor> <base>`) holds both clients, MockKick and the servers, so the
//! executable's code pages each client touches are pages of that shared binary. A program of its own
//! per client (`rss-facade <base>`, `rss-floor <base>`) holds only what that client needs, as a user's
//! program would.

use futures::StreamExt;
use kickrs::mock::seed;

use crate::floor::{Floor, Settings};

/// Calls a measured process makes.
pub const CALLS: usize = 100_000;
/// Calls in flight at once.
pub const IN_FLIGHT: usize = 16;

/// Which client a measured process runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Client {
    Facade,
    Floor,
}

impl Client {
    pub fn named(name: &str) -> Option<Client> {
        match name {
            "facade" => Some(Client::Facade),
            "floor" => Some(Client::Floor),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Client::Facade => "facade",
            Client::Floor => "floor",
        }
    }
}

/// A process's memory in kB: peak RSS, and at the end its anonymous and file-backed parts.
#[derive(Clone, Copy, Debug)]
pub struct Memory {
    pub peak: u64,
    pub anon: u64,
    pub file: u64,
}

impl Memory {
    /// The `peak-kB`, `anon-kB` and `file-kB` lines [`run`] prints.
    pub fn from_report(stdout: &str) -> Option<Memory> {
        let kb = |name: &str| {
            stdout.lines().find_map(|line| line.strip_prefix(name)).and_then(|kb| kb.trim().parse::<u64>().ok())
        };
        Some(Memory { peak: kb("peak-kB ")?, anon: kb("anon-kB ")?, file: kb("file-kB ")? })
    }
}

/// A line of `/proc/self/status` such as `VmHWM`, in kB.
pub fn status_kb(key: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with(key))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Makes `calls` calls with `client` on `base` (the canned server) and prints one line for a reader,
/// then `peak-kB`, `anon-kB` and `file-kB` lines for [`Memory::from_report`].
pub fn run(client: Client, base: &str, calls: usize) {
    match client {
        Client::Facade => facade(base, calls),
        Client::Floor => floor(base, calls),
    }
}

/// [`run`] with the facade alone, so that a program calling only this links no floor code.
pub fn facade(base: &str, calls: usize) {
    measured(Client::Facade, calls, async {
        let facade = crate::facade_builder(base).build().expect("facade client");
        let facade = &facade;
        futures::stream::iter(0..calls)
            .map(|_| async move { facade.fetch_channel(seed::AURORA_ID).await.is_ok() })
            .buffer_unordered(IN_FLIGHT)
            .filter(|ok| std::future::ready(*ok))
            .count()
            .await
    });
}

/// [`run`] with the floor alone, so that a program calling only this links no facade code.
pub fn floor(base: &str, calls: usize) {
    measured(Client::Floor, calls, async {
        let http = Settings::LikeKickrs.client(None);
        let floor =
            Floor::connect(http, base, seed::DEFAULT_CLIENT_ID, seed::DEFAULT_CLIENT_SECRET).await.expect("token");
        let floor = &floor;
        futures::stream::iter(0..calls)
            .map(|_| async move { floor.channel(seed::AURORA_ID.get()).await.is_ok() })
            .buffer_unordered(IN_FLIGHT)
            .filter(|ok| std::future::ready(*ok))
            .count()
            .await
    });
}

/// Runs `calls_made` (which returns how many calls succeeded) on a multi-thread runtime, then reports.
fn measured(client: Client, calls: usize, calls_made: impl Future<Output = usize>) {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    let began = std::time::Instant::now();
    let done = runtime.block_on(calls_made);
    let mb = |key| status_kb(key).map_or("?".into(), |kb| format!("{:.1} MB", kb as f64 / 1024.0));
    println!(
        "  {:<7} {done} of {calls} calls ok in {:.1} s: peak RSS (VmHWM) {}, RSS at the end {} ({} anonymous, {} file-backed)",
        client.label(),
        began.elapsed().as_secs_f64(),
        mb("VmHWM:"),
        mb("VmRSS:"),
        mb("RssAnon:"),
        mb("RssFile:")
    );
    for (key, line) in [("VmHWM:", "peak-kB"), ("RssAnon:", "anon-kB"), ("RssFile:", "file-kB")] {
        if let Some(kb) = status_kb(key) {
            println!("{line} {kb}");
        }
    }
}

/// The arguments `<base-url> [calls]` of a program of its own.
pub fn args(client: Client) -> (String, usize) {
    let args: Vec<String> = std::env::args().collect();
    let Some(base) = args.get(1) else {
        eprintln!("usage: rss-{} <canned server base URL> [calls (default {CALLS})]", client.label());
        std::process::exit(2);
    };
    (base.clone(), args.get(2).and_then(|n| n.parse().ok()).unwrap_or(CALLS))
}
