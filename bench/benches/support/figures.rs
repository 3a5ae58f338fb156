//! Latency samples, medians, rates and the printed table.

use std::time::Duration;

use super::calls::Variant;

/// What one variant measured in one workload.
#[derive(Default)]
pub struct Samples {
    pub latencies: Vec<Duration>,
    pub calls: u64,
    /// Wall time spent in this variant's batches (rates are calls / busy).
    pub busy: Duration,
    /// Each round's median latency and rate, to pair with the floor's in the same round.
    rounds: Vec<(Duration, f64)>,
}

impl Samples {
    /// Adds one round: its calls' latencies and the wall time the round took.
    pub fn add_round(&mut self, latencies: &[Duration], busy: Duration) {
        let mut sorted = latencies.to_vec();
        sorted.sort_unstable();
        let median = sorted.get(sorted.len() / 2).copied().unwrap_or_default();
        self.rounds.push((median, latencies.len() as f64 / busy.as_secs_f64().max(f64::EPSILON)));
        self.latencies.extend_from_slice(latencies);
        self.calls += latencies.len() as u64;
        self.busy += busy;
    }

    /// The median over rounds of this variant's figure divided by `floor`'s in the same round:
    /// (latency ratio, throughput ratio). Paired by round, so a machine that slows down for a while
    /// slows both sides of each ratio alike.
    pub fn paired_ratios(&self, floor: &Samples) -> (f64, f64) {
        let pairs = self.rounds.iter().zip(&floor.rounds);
        let (mut latency, mut rate): (Vec<f64>, Vec<f64>) = pairs
            .map(|((l, r), (fl, fr))| (l.as_secs_f64() / fl.as_secs_f64().max(f64::EPSILON), r / fr.max(f64::EPSILON)))
            .unzip();
        (median_f64(&mut latency), median_f64(&mut rate))
    }

    pub fn median(&self) -> Duration {
        let mut sorted = self.latencies.clone();
        sorted.sort_unstable();
        sorted.get(sorted.len() / 2).copied().unwrap_or_default()
    }

    pub fn percentile(&self, p: f64) -> Duration {
        let mut sorted = self.latencies.clone();
        sorted.sort_unstable();
        let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
        sorted.get(at).copied().unwrap_or_default()
    }

    pub fn per_second(&self) -> f64 {
        self.calls as f64 / self.busy.as_secs_f64().max(f64::EPSILON)
    }
}

/// Prints one workload: each variant's median latency, p90, req/s, and b/a, c/a.
pub fn print_workload(title: &str, results: &[(Variant, Samples)]) {
    println!("\n{title}");
    println!("  {:<24} {:>12} {:>12} {:>12} {:>9}", "variant", "median", "p90", "req/s", "calls");
    for (variant, samples) in results {
        println!(
            "  {:<24} {:>12} {:>12} {:>12.0} {:>9}",
            variant.label(),
            micros(samples.median()),
            micros(samples.percentile(0.9)),
            samples.per_second(),
            samples.calls
        );
    }
    let floor = &results[0].1;
    for (variant, samples) in &results[1..] {
        let (latency, rate) = samples.paired_ratios(floor);
        println!(
            "  {}: latency {latency:.3}, throughput {rate:.3} (medians of {} paired rounds)",
            variant.ratio_name(),
            floor.rounds.len()
        );
    }
}

fn median_f64(values: &mut [f64]) -> f64 {
    values.sort_unstable_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

pub fn micros(d: Duration) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1e6)
}

pub fn millis(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

pub fn median_of(mut values: Vec<Duration>) -> Duration {
    values.sort_unstable();
    values.get(values.len() / 2).copied().unwrap_or_default()
}

/// `/proc/loadavg`'s first three fields.
pub fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// A line of `/proc/self/status` such as `VmHWM`, in kB.
pub fn status_kb(key: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with(key))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Prints each call's future size, facade against floor.
pub fn print_future_sizes(sizes: &[(&str, usize, usize)]) {
    println!("\ncall future sizes in bytes (built, not polled)");
    println!("  {:<24} {:>8} {:>8}", "call", "facade", "floor");
    for (call, facade, floor) in sizes {
        println!("  {call:<24} {facade:>8} {floor:>8}");
    }
}
