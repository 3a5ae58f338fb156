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
}

impl Samples {
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
        let name = if *variant == Variant::Raw { "b/a" } else { "c/a" };
        println!(
            "  {name}: latency {:.3} (median), throughput {:.3} (req/s)",
            samples.median().as_secs_f64() / floor.median().as_secs_f64().max(f64::EPSILON),
            samples.per_second() / floor.per_second().max(f64::EPSILON),
        );
    }
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
