//! Latency samples, medians, rates and the printed table.

use std::time::Duration;

use kickrs_bench::rss::Memory;

use super::calls::Variant;

/// What one variant measured in one workload.
#[derive(Default)]
pub struct Samples {
    pub latencies: Vec<Duration>,
    pub calls: u64,
    /// Wall time spent in this variant's batches (rates are calls / busy).
    pub busy: Duration,
    /// Process CPU time spent in this variant's batches.
    pub cpu: Duration,
    /// Each round's median latency, rate and CPU per call, to pair with the floor's in the same round.
    rounds: Vec<Round>,
}

#[derive(Clone, Copy)]
struct Round {
    median: Duration,
    rate: f64,
    cpu_per_call: f64,
}

/// A variant's figures against the floor's: medians over rounds of the ratio within each round.
#[derive(Clone, Copy, Debug)]
pub struct Ratios {
    pub cpu: f64,
    pub latency: f64,
    pub throughput: f64,
}

impl Samples {
    /// Adds one round: its calls' latencies, the wall time and the process CPU time the round took.
    pub fn add_round(&mut self, latencies: &[Duration], busy: Duration, cpu: Duration) {
        let mut sorted = latencies.to_vec();
        sorted.sort_unstable();
        let median = sorted.get(sorted.len() / 2).copied().unwrap_or_default();
        let calls = latencies.len().max(1) as f64;
        self.rounds.push(Round {
            median,
            rate: calls / busy.as_secs_f64().max(f64::EPSILON),
            cpu_per_call: cpu.as_secs_f64() / calls,
        });
        self.latencies.extend_from_slice(latencies);
        self.calls += latencies.len() as u64;
        self.busy += busy;
        self.cpu += cpu;
    }

    /// The median over rounds of this variant's figure divided by `floor`'s in the same round. Paired
    /// by round, so a machine that slows down for a while slows both sides of each ratio alike.
    pub fn paired_ratios(&self, floor: &Samples) -> Ratios {
        let ratio = |a: f64, b: f64| a / b.max(f64::EPSILON);
        let pairs: Vec<_> = self.rounds.iter().zip(&floor.rounds).collect();
        let mut cpu: Vec<f64> = pairs.iter().map(|(r, f)| ratio(r.cpu_per_call, f.cpu_per_call)).collect();
        let mut latency: Vec<f64> =
            pairs.iter().map(|(r, f)| ratio(r.median.as_secs_f64(), f.median.as_secs_f64())).collect();
        let mut throughput: Vec<f64> = pairs.iter().map(|(r, f)| ratio(r.rate, f.rate)).collect();
        Ratios { cpu: median_f64(&mut cpu), latency: median_f64(&mut latency), throughput: median_f64(&mut throughput) }
    }

    /// The median over rounds of CPU time per call.
    pub fn cpu_per_call(&self) -> Duration {
        let mut per_call: Vec<f64> = self.rounds.iter().map(|r| r.cpu_per_call).collect();
        Duration::from_secs_f64(median_f64(&mut per_call).max(0.0))
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

/// One workload's outcome for the summary: the facade against the floor.
#[derive(Clone, Debug)]
pub struct Row {
    pub workload: String,
    pub facade: Ratios,
    pub facade_cpu: Duration,
    pub floor_cpu: Duration,
}

/// Prints one workload: each variant's median latency, p90, req/s, CPU per call, and its ratios to
/// the floor; returns the facade's row for the summary.
pub fn print_workload(title: &str, results: &[(Variant, Samples)]) -> Row {
    println!("\n{title}");
    println!("  {:<28} {:>10} {:>10} {:>9} {:>12} {:>8}", "variant", "median", "p90", "req/s", "CPU/call", "calls");
    for (variant, samples) in results {
        println!(
            "  {:<28} {:>10} {:>10} {:>9.0} {:>12} {:>8}",
            variant.label(),
            micros(samples.median()),
            micros(samples.percentile(0.9)),
            samples.per_second(),
            micros(samples.cpu_per_call()),
            samples.calls
        );
    }
    let floor = &results[0].1;
    let mut facade = None;
    for (variant, samples) in &results[1..] {
        let ratios = samples.paired_ratios(floor);
        println!(
            "  {}: CPU/call {:.3}, latency {:.3}, throughput {:.3} (medians of {} paired rounds)",
            variant.ratio_name(),
            ratios.cpu,
            ratios.latency,
            ratios.throughput,
            floor.rounds.len()
        );
        if *variant == Variant::Facade {
            facade = Some((ratios, samples.cpu_per_call()));
        }
    }
    let (facade, facade_cpu) = facade.expect("the facade is measured");
    Row { workload: title.to_string(), facade, facade_cpu, floor_cpu: floor.cpu_per_call() }
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

/// `n` with a comma between groups of three digits (100,000).
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// Prints each call's future size, facade against floor.
pub fn print_future_sizes(sizes: &[(&str, usize, usize)]) {
    println!("\ncall future sizes in bytes (built, not polled)");
    println!("  {:<24} {:>8} {:>8}", "call", "facade", "floor");
    for (call, facade, floor) in sizes {
        println!("  {call:<24} {facade:>8} {floor:>8}");
    }
}

/// TLS handshakes a fresh client caused for a number of calls.
pub struct Handshakes {
    pub transport: &'static str,
    pub variant: &'static str,
    pub handshakes: u64,
    /// Of the handshakes, those that settled on HTTP/2.
    pub h2: u64,
    pub token_requests: u64,
    pub calls: u64,
}

impl Handshakes {
    pub fn per_thousand(&self) -> f64 {
        self.handshakes as f64 * 1000.0 / self.calls.max(1) as f64
    }
}

/// Peak RSS (facade, floor) of the measured processes, in each shape `kickrs_bench::rss` describes; `None`
/// where a child did not report.
pub struct PeakRss {
    pub shared: Option<(Memory, Memory)>,
    pub own: Option<(Memory, Memory)>,
}

/// One run's figures as Markdown, for `bench/readme.sh` to gather into the README.
pub fn summary(
    rows: &[Row],
    handshakes: &[Handshakes],
    rss: &PeakRss,
    sizes: &[(&str, usize, usize)],
    load_before: &str,
    load_after: &str,
    placement: &str,
) -> String {
    let mut out = format!(
        "\n#### Run at {} (load average before {load_before}, after {load_after})\n\n",
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC")
    );
    if let Ok(note) = std::env::var("KICKRS_BENCH_NOTE") {
        out.push_str(&format!("{note}\n\n"));
    }
    out.push_str(&format!("{placement}.\n\n"));
    out.push_str("| workload | CPU/call c/a | facade CPU/call | floor CPU/call | latency c/a | throughput c/a |\n");
    out.push_str("|---|---|---|---|---|---|\n");
    for row in rows {
        out.push_str(&format!(
            "| {} | **{:.3}** | {} | {} | {:.3} | {:.3} |\n",
            row.workload,
            row.facade.cpu,
            micros(row.facade_cpu),
            micros(row.floor_cpu),
            row.facade.latency,
            row.facade.throughput
        ));
    }
    out.push('\n');
    for seen in handshakes {
        out.push_str(&format!(
            "- {} {}: {} TLS handshake(s), {} on HTTP/2, for {} calls and {} token request(s) ({:.1} per 1,000 calls)\n",
            seen.transport,
            seen.variant,
            seen.handshakes,
            seen.h2,
            seen.calls,
            seen.token_requests,
            seen.per_thousand()
        ));
    }
    let mb = |kb: u64| kb as f64 / 1024.0;
    let ratio = |a: u64, b: u64| a as f64 / b.max(1) as f64;
    for (shape, figures) in [
        ("this benchmark's binary, which holds both clients", &rss.shared),
        ("a program of its own per client", &rss.own),
    ] {
        match figures {
            Some((facade, floor)) => out.push_str(&format!(
                "- peak RSS, {} fetch_channel calls, {shape}: facade {:.1} MB, floor {:.1} MB, c/a **{:.3}**; at the \
                 end, anonymous memory {:.1} MB against {:.1} MB (c/a {:.3}), file-backed (mostly the executable's \
                 code pages) {:.1} MB against {:.1} MB (c/a {:.3})\n",
                thousands(kickrs_bench::rss::CALLS),
                mb(facade.peak),
                mb(floor.peak),
                ratio(facade.peak, floor.peak),
                mb(facade.anon),
                mb(floor.anon),
                ratio(facade.anon, floor.anon),
                mb(facade.file),
                mb(floor.file),
                ratio(facade.file, floor.file)
            )),
            None => out.push_str(&format!("- peak RSS, {shape}: a child did not report it\n")),
        }
    }
    let sizes: Vec<String> =
        sizes.iter().map(|(call, facade, floor)| format!("{call} {facade} (floor {floor})")).collect();
    out.push_str(&format!("- call future sizes in bytes, built and not polled: {}\n", sizes.join(", ")));
    out
}
