//! What the facade costs over hand-written reqwest + serde_json, in one process and one run:
//! (a) the hand-written floor, (b) `kickrs::raw`, (c) the facade (token management and validation on),
//! against the same local servers, interleaved round by round so machine noise hits all three alike.
//!
//! Workloads: `fetch_channel` one after another (latency), `fetch_livestreams_v2` pages of 100 (decoding),
//! 64 concurrent tasks over a mix of endpoints (token lock and connection pool), on a minimal
//! fixed-response server over plain HTTP, over TLS with HTTP/2 (the 64 tasks then share one
//! connection) and over TLS with HTTP/1.1, and on MockKick; the TLS handshakes per 1,000 calls; a
//! refresh storm (1,000 calls on an expired user token); peak RSS of a process making 100,000 calls,
//! both as this binary re-run (`facade rss-child ...`) and as each client's program of its own
//! (`rss-facade`, `rss-floor`; see `kickrs_bench::rss`).
//!
//! The servers run in a child process (this binary re-run as `facade servers`), so this process's CPU
//! time is the clients' alone; with two CPUs or more the servers run on CPU 1 and the clients on CPU 0
//! (one tokio worker), as the issue's first measurements did, so neither shares a core with the
//! other. Each round records the clients' CPU time, and CPU per call is paired round by round with
//! the floor's like the wall-time figures. Each ratio is a median over paired rounds.
//!
//! Run with `cargo bench -p kickrs-bench --bench facade`; `bench/readme.sh` runs it three times and
//! writes the README's Performance figures from the runs' summaries (`KICKRS_BENCH_SUMMARY=<file>`
//! appends one run's summary to the file).

mod support;

use std::hint::black_box;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use kickrs::KickClient;
use kickrs::mock::{MockChannel, MockKick, MockLiveStream, MockUser, seed};
use kickrs_bench::rss;

use support::calls::{Clients, MIX, Op, Variant};
use support::canned;
use support::cpu::process_cpu;
use support::figures::{self, Samples, median_of, millis};
use support::floor::{Floor, Settings};
use support::servers::{self, Servers};
use support::{threads, tls};

/// Live streams seeded on top of MockKick's default world, so a v2 page holds 100.
const EXTRA_STREAMS: u64 = 100;
const CONCURRENT_TASKS: usize = 64;
const STORM_CALLS: usize = 1_000;
const RSS_CHILD: &str = "rss-child";
/// `facade profile <floor|bare|raw|facade> <rounds>`: only the 64-task mix on the canned server (rounds of 2,560
/// calls), for `perf record` or `valgrind --tool=callgrind`.
const PROFILE: &str = "profile";
/// `facade profile-seq <floor|bare|raw|facade> <calls> [channel|stats|category|users|page]`: one endpoint
/// (`fetch_channel` unless named), one call at a time on a one-thread runtime, so that callgrind's
/// instruction count per call is repeatable.
const PROFILE_SEQ: &str = "profile-seq";
/// `facade code-pages`: the code each client runs and the 64 KB windows it falls in, under callgrind
/// (see `support::code_pages`; `bench/code-pages.sh` builds and runs it).
const CODE_PAGES: &str = "code-pages";
/// Each client's program of its own (`bench/src/bin/`), which cargo builds for this benchmark.
const RSS_PROGRAMS: [(&str, rss::Client); 2] =
    [(env!("CARGO_BIN_EXE_rss-facade"), rss::Client::Facade), (env!("CARGO_BIN_EXE_rss-floor"), rss::Client::Floor)];
/// The two shapes a measured process takes (see `kickrs_bench::rss`).
const SHARED_SHAPE: &str = "this benchmark's binary (both clients, MockKick and the servers in one executable)";
const OWN_SHAPE: &str = "a program of its own per client (only what that client needs, as a user's program)";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some(RSS_CHILD) => {
            let client = rss::Client::named(&args[2]).expect("rss-child <facade|floor> <base> [calls]");
            return rss::run(client, &args[3], args.get(4).and_then(|n| n.parse().ok()).unwrap_or(rss::CALLS));
        }
        Some(PROFILE) => return profile(&args[2], args.get(3).and_then(|s| s.parse().ok()).unwrap_or(10)),
        Some(PROFILE_SEQ) => {
            let calls = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1000);
            return profile_seq(&args[2], calls, op_named(args.get(4).map_or("channel", String::as_str)));
        }
        Some(servers::SERVERS) => return servers_child(),
        Some(CODE_PAGES) => return code_pages(),
        _ => {}
    }
    let cpus = num_cpus();
    let servers = Servers::spawn();
    // After the server process started (it pins itself to the other CPU), before any thread of ours.
    let pinned = support::pin::pin_to(support::pin::CLIENT_CPU);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    runtime.block_on(async {
        let load_before = figures::load();
        let started = Instant::now();
        println!("facade benchmark: {cpus} cpus, load average before: {load_before}");
        let placement = if pinned {
            format!(
                "Clients pinned to CPU {}, servers to CPU {} (one tokio worker for the clients)",
                support::pin::CLIENT_CPU,
                support::pin::SERVER_CPU
            )
        } else {
            "Clients and servers share the CPUs (fewer than two, or pinning refused)".to_string()
        };
        println!("{placement}");
        let cert = tls::certificate();
        let on_canned = Arc::new(clients(&servers.canned, None).await);
        let on_mock = Arc::new(clients(&servers.mockkick, None).await);
        let on_h2 = Arc::new(clients(&servers.tls_h2, Some(&cert)).await);
        let on_h1 = Arc::new(clients(&servers.tls_h1, Some(&cert)).await);
        let sizes = on_canned.future_sizes();
        figures::print_future_sizes(&sizes);

        let mut rows = Vec::new();
        let (seq, page, mix) = (Op::Channel, Op::LiveStreamsPage, CONCURRENT_TASKS);
        for (transport, clients) in [("plain HTTP/1.1", &on_canned), ("TLS, HTTP/2", &on_h2), ("TLS, HTTP/1.1", &on_h1)]
        {
            let results = spawned(sequential(clients.clone(), seq, 60, 50)).await;
            rows.push(figures::print_workload(&format!("fetch_channel, one call at a time ({transport})"), &results));
            let results = spawned(sequential(clients.clone(), page, 60, 6)).await;
            let title = format!("fetch_livestreams_v2, pages of 100 streams, one at a time ({transport})");
            rows.push(figures::print_workload(&title, &results));
            let results = concurrent(clients.clone(), 40, 10).await;
            rows.push(figures::print_workload(&format!("{mix} tasks, mix of 4 endpoints ({transport})"), &results));
        }
        let results = concurrent(on_mock.clone(), 40, 8).await;
        rows.push(figures::print_workload(&format!("{mix} tasks, mix of 4 endpoints (MockKick)"), &results));
        println!(
            "\ntoken requests: canned server {} (one per client: two floors, facade)",
            servers.counters().canned_tokens
        );

        let handshakes = connections(&servers, &cert).await;
        refresh_storm(5).await;
        let rss = peak_rss(&servers.canned);
        let load_after = figures::load();
        println!(
            "\nload average after: {load_after} (before: {load_before}); run took {:.0} s",
            started.elapsed().as_secs_f64()
        );
        if let Ok(path) = std::env::var("KICKRS_BENCH_SUMMARY") {
            let summary = figures::summary(&rows, &handshakes, &rss, &sizes, &load_before, &load_after, &placement);
            append(&path, &summary);
        }
    });
}

fn append(path: &str, text: &str) {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new().create(true).append(true).open(path).expect("summary file opens");
    file.write_all(text.as_bytes()).expect("summary written");
}

/// The child process serving MockKick, the canned server and the two TLS servers (see `support::servers`).
fn servers_child() {
    support::pin::pin_to(support::pin::SERVER_CPU);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("tokio runtime");
    let (mock, bodies) = runtime.block_on(async {
        let mock = threads::start_on_own_thread("mockkick", || seeded_mock().start());
        let bodies = canned_bodies(&mock).await;
        (mock, bodies)
    });
    servers::serve(mock, bodies);
}

/// Fresh clients (facade and floor) on each TLS server: 1,000 calls one at a time, then a burst of
/// 64 at once; the server counts the TLS handshakes and the protocol each connection settled on.
async fn connections(servers: &Servers, cert: &kickrs::TlsRootCertificate) -> Vec<figures::Handshakes> {
    const CALLS: usize = 1_000;
    println!(
        "\nTLS handshakes per {CALLS} calls (fresh client: its token request, {CALLS} fetch_channel one at a time, then 64 at once)"
    );
    let mut seen = Vec::new();
    for (transport, base, h2) in [("TLS, HTTP/2", &servers.tls_h2, true), ("TLS, HTTP/1.1", &servers.tls_h1, false)] {
        for variant in [Variant::Floor, Variant::Facade] {
            let before = servers.counters();
            let clients = Arc::new(clients_for(base, Some(cert), variant).await);
            for _ in 0..CALLS {
                black_box(clients.call(variant, Op::Channel).await);
            }
            let burst: Vec<_> = (0..CONCURRENT_TASKS)
                .map(|_| {
                    let clients = clients.clone();
                    tokio::spawn(async move { clients.call(variant, Op::Channel).await })
                })
                .collect();
            for call in burst {
                black_box(call.await.expect("burst call"));
            }
            let after = servers.counters();
            let delta = if h2 { after.tls_h2 - before.tls_h2 } else { after.tls_h1 - before.tls_h1 };
            let calls = (CALLS + CONCURRENT_TASKS) as u64;
            let row = figures::Handshakes {
                transport,
                variant: variant.label(),
                handshakes: delta.handshakes,
                h2: delta.h2,
                token_requests: delta.token_requests,
                calls,
            };
            println!(
                "  {transport:<14} {:<28} {} handshakes ({} HTTP/2) for {calls} calls and {} token request(s): {:.1} per 1,000 calls",
                row.variant,
                row.handshakes,
                row.h2,
                row.token_requests,
                row.per_thousand()
            );
            seen.push(row);
        }
    }
    seen
}

fn num_cpus() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// MockKick's default world plus enough live streams for a full page.
fn seeded_mock() -> kickrs::mock::MockKickBuilder {
    let mut builder = MockKick::builder().with_default_seed().request_log_capacity(64);
    for n in 0..EXTRA_STREAMS {
        let id = 50_000 + n;
        let name = format!("streamer{n}");
        builder = builder
            .user(MockUser::new(id, &name))
            .channel(MockChannel::new(id, &name).title("Benchmark stream with a title of usual length").category(15))
            .live(MockLiveStream::new(id).viewers(100 + n));
    }
    builder
}

/// The canned server's answers, taken from MockKick once so their shapes are Kick's.
async fn canned_bodies(mock: &MockKick) -> Vec<(String, Vec<u8>)> {
    let http = kickrs::http_client_builder().expect("TLS set-up").build().expect("client");
    let token = mock.issue_app_token();
    let base = mock.api_base_url();
    let get = |path: &'static str, query: &'static str| {
        let request = http.get(format!("{base}{path}{query}")).bearer_auth(&token);
        async move { (path.to_string(), body_of(request).await) }
    };
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", seed::DEFAULT_CLIENT_ID),
        ("client_secret", seed::DEFAULT_CLIENT_SECRET),
    ];
    let token_body = body_of(http.post(format!("{}/oauth/token", mock.oauth_base_url())).form(&form)).await;
    vec![
        ("/oauth/token".to_string(), token_body),
        get("/public/v1/channels", "?broadcaster_user_id=1001").await,
        get("/public/v2/livestreams", "?limit=100").await,
        get("/public/v1/livestreams/stats", "").await,
        get("/public/v1/categories/15", "").await,
        get("/public/v1/users/livestreams", "?user_id=1001&user_id=1002&user_id=1003").await,
    ]
}

async fn body_of(request: reqwest::RequestBuilder) -> Vec<u8> {
    let response = request.send().await.expect("MockKick answers").error_for_status().expect("MockKick says 200");
    response.bytes().await.expect("body").to_vec()
}

fn facade_client(base: &str, root: Option<&kickrs::TlsRootCertificate>) -> KickClient {
    let builder = kickrs_bench::facade_builder(base);
    let builder = match root {
        Some(root) => builder.tls_root_certificate(root.clone()),
        None => builder,
    };
    builder.build().expect("facade client")
}

/// Every variant's client on `base`, trusting `root` for TLS.
async fn clients(base: &str, root: Option<&kickrs::TlsRootCertificate>) -> Clients {
    let connect = |settings: Settings| {
        Floor::connect(settings.client(root), base, seed::DEFAULT_CLIENT_ID, seed::DEFAULT_CLIENT_SECRET)
    };
    let floor = connect(Settings::LikeKickrs).await.expect("floor token");
    let bare_floor = connect(Settings::Defaults).await.expect("floor token");
    let user_ids = vec![seed::AURORA_ID, seed::BYTEBARD_ID, seed::PIXELPINE_ID];
    Clients {
        floor,
        bare_floor,
        facade: facade_client(base, root),
        channel_id: seed::AURORA_ID,
        category_id: 15.into(),
        user_ids,
    }
}

/// Clients for one variant's connection count: only that variant's client talks to the server (the
/// others are pointed at an address nothing listens on and never called).
async fn clients_for(base: &str, root: Option<&kickrs::TlsRootCertificate>, variant: Variant) -> Clients {
    let nowhere = "http://127.0.0.1:9";
    let floor_http = Settings::LikeKickrs.client(root);
    let floor = if variant == Variant::Floor {
        Floor::connect(floor_http, base, seed::DEFAULT_CLIENT_ID, seed::DEFAULT_CLIENT_SECRET)
            .await
            .expect("floor token")
    } else {
        Floor::with_token(Settings::LikeKickrs, nowhere, "unused")
    };
    let facade = facade_client(if variant == Variant::Facade { base } else { nowhere }, root);
    Clients {
        floor,
        bare_floor: Floor::with_token(Settings::Defaults, nowhere, "unused"),
        facade,
        channel_id: seed::AURORA_ID,
        category_id: 15.into(),
        user_ids: vec![seed::AURORA_ID],
    }
}

/// Runs a workload as a task on the runtime's workers (as a bot's loop would run), not on the main thread.
async fn spawned<T: Send + 'static>(work: impl Future<Output = T> + Send + 'static) -> T {
    tokio::spawn(work).await.expect("workload task")
}

fn empty_results() -> Vec<(Variant, Samples)> {
    Variant::ALL.into_iter().map(|variant| (variant, Samples::default())).collect()
}

fn slot(results: &mut [(Variant, Samples)], variant: Variant) -> &mut Samples {
    &mut results.iter_mut().find(|(v, _)| *v == variant).expect("every variant has a slot").1
}

/// `rounds` rounds; in each, every variant makes `batch` calls one after another.
async fn sequential(clients: Arc<Clients>, op: Op, rounds: usize, batch: usize) -> Vec<(Variant, Samples)> {
    for variant in Variant::ALL {
        for _ in 0..50 {
            black_box(clients.call(variant, op).await);
        }
    }
    let mut results = empty_results();
    for round in 0..rounds {
        for variant in Variant::rotated(round) {
            let mut latencies = Vec::with_capacity(batch);
            let (began, cpu) = (Instant::now(), process_cpu());
            for _ in 0..batch {
                let call_began = Instant::now();
                black_box(clients.call(variant, op).await);
                latencies.push(call_began.elapsed());
            }
            slot(&mut results, variant).add_round(&latencies, began.elapsed(), process_cpu() - cpu);
        }
    }
    results
}

/// `rounds` rounds; in each, every variant runs 64 tasks of `per_task` calls over [`MIX`].
async fn concurrent(clients: Arc<Clients>, rounds: usize, per_task: usize) -> Vec<(Variant, Samples)> {
    for variant in Variant::ALL {
        concurrent_round(&clients, variant, 4).await;
    }
    let mut results = empty_results();
    for round in 0..rounds {
        for variant in Variant::rotated(round) {
            let (began, cpu) = (Instant::now(), process_cpu());
            let latencies = concurrent_round(&clients, variant, per_task).await;
            slot(&mut results, variant).add_round(&latencies, began.elapsed(), process_cpu() - cpu);
        }
    }
    results
}

async fn concurrent_round(clients: &Arc<Clients>, variant: Variant, per_task: usize) -> Vec<Duration> {
    let tasks: Vec<_> = (0..CONCURRENT_TASKS)
        .map(|task| {
            let clients = clients.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(per_task);
                for n in 0..per_task {
                    let op = MIX[(task + n) % MIX.len()];
                    let began = Instant::now();
                    black_box(clients.call(variant, op).await);
                    latencies.push(began.elapsed());
                }
                latencies
            })
        })
        .collect();
    let mut all = Vec::with_capacity(CONCURRENT_TASKS * per_task);
    for task in tasks {
        all.extend(task.await.expect("workload task"));
    }
    all
}

/// 1,000 concurrent `fetch_current_channel` on an expired user token, against MockKick (its own instance).
async fn refresh_storm(reps: usize) {
    let mock = threads::start_on_own_thread("mockkick-storm", || MockKick::builder().with_default_seed().start());
    let base = mock.api_base_url();
    let client = Arc::new(facade_client(&base, None));
    // Open the pool's connections first, as a client in a hot loop would have them.
    install_user_token(&client, &mock, false).await;
    for _ in 0..2 {
        storm(&client, STORM_CALLS).await;
    }
    let (mut with_refresh, mut fresh, mut one, mut floor) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut refreshes = Vec::new();
    for _ in 0..reps {
        install_user_token(&client, &mock, true).await;
        let before = mock.token_request_count("refresh_token");
        with_refresh.push(storm(&client, STORM_CALLS).await);
        refreshes.push(mock.token_request_count("refresh_token") - before);

        install_user_token(&client, &mock, true).await;
        one.push(storm(&client, 1).await);

        install_user_token(&client, &mock, false).await;
        fresh.push(storm(&client, STORM_CALLS).await);
    }
    // After the facade's storms: they expire every token MockKick issued, this one included.
    let floor_client = Arc::new(Floor::with_token(
        Settings::LikeKickrs,
        &base,
        &mock.issue_user_token(seed::AURORA_ID, &[kickrs::auth::Scope::ChannelRead]),
    ));
    floor_storm(&floor_client).await;
    for _ in 0..reps {
        floor.push(floor_storm(&floor_client).await);
    }
    let (with_refresh, one, fresh, floor) =
        (median_of(with_refresh), median_of(one), median_of(fresh), median_of(floor));
    println!(
        "\nrefresh storm (MockKick, {STORM_CALLS} concurrent fetch_current_channel on an expired user token, medians of {reps})"
    );
    println!("  token requests per storm (refresh_token): {refreshes:?}");
    println!("  all {STORM_CALLS} done:                       {}", millis(with_refresh));
    println!("  one refresh + one call:                {}", millis(one));
    println!("  {STORM_CALLS} calls, token still valid:        {}", millis(fresh));
    println!("  {STORM_CALLS} calls, hand-written reqwest:     {}", millis(floor));
    println!(
        "  storm / (refresh + one call) = {:.1}; storm / (refresh + call + {STORM_CALLS} valid-token calls) = {:.2}",
        with_refresh.as_secs_f64() / one.as_secs_f64(),
        with_refresh.as_secs_f64() / (one + fresh).as_secs_f64(),
    );
}

async fn install_user_token(client: &KickClient, mock: &MockKick, expired: bool) {
    let tokens = mock.issue_user_tokens(seed::AURORA_ID, &[kickrs::auth::Scope::ChannelRead]);
    if expired {
        mock.expire_all_tokens();
    }
    let refresh = tokens.refresh_token.unwrap_or_default();
    client
        .set_user_token(
            tokens.access_token,
            refresh,
            Duration::from_secs(if expired { 0 } else { 3600 }),
            &[kickrs::auth::Scope::ChannelRead],
        )
        .await
        .expect("set token");
}

async fn storm(client: &Arc<KickClient>, calls: usize) -> Duration {
    let began = Instant::now();
    let tasks: Vec<_> = (0..calls)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.fetch_current_channel().await.map(|c| c.broadcaster_user_id) })
        })
        .collect();
    for task in tasks {
        let id = task.await.expect("storm task").expect("storm call");
        assert_eq!(id, seed::AURORA_ID);
    }
    began.elapsed()
}

async fn floor_storm(floor: &Arc<Floor>) -> Duration {
    let began = Instant::now();
    let tasks: Vec<_> = (0..STORM_CALLS)
        .map(|_| {
            let floor = floor.clone();
            tokio::spawn(async move {
                floor.current_channel().await.map(|c| c.broadcaster_user_id).map_err(|e| e.to_string())
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("floor task").expect("floor call");
    }
    began.elapsed()
}

/// Peak RSS of a process making [`rss::CALLS`] calls with each client, in both shapes `kickrs_bench::rss`
/// describes: this binary re-run, and each client's program of its own.
fn peak_rss(canned: &str) -> figures::PeakRss {
    println!(
        "\npeak RSS of a process making {} fetch_channel calls ({} in flight, canned server)",
        rss::CALLS,
        rss::IN_FLIGHT
    );
    let exe = std::env::current_exe().expect("own path");
    println!(" {SHARED_SHAPE}:");
    let shared = [rss::Client::Facade, rss::Client::Floor]
        .map(|client| measure(Command::new(&exe).args([RSS_CHILD, client.label(), canned]), client));
    println!(" {OWN_SHAPE}:");
    let own = RSS_PROGRAMS.map(|(program, client)| measure(Command::new(program).arg(canned), client));
    let pair = |[facade, floor]: [Option<rss::Memory>; 2]| Some((facade?, floor?));
    figures::PeakRss { shared: pair(shared), own: pair(own) }
}

fn code_pages() {
    let servers = Servers::spawn();
    let exe = std::env::current_exe().expect("own path");
    let mut runs = Vec::new();
    for client in [rss::Client::Floor, rss::Client::Facade] {
        let args = vec![RSS_CHILD, client.label()];
        runs.push(support::code_pages::Run { shape: SHARED_SHAPE, client: client.label(), program: &exe, args });
    }
    for (program, client) in RSS_PROGRAMS.iter().rev() {
        let program = std::path::Path::new(program);
        runs.push(support::code_pages::Run { shape: OWN_SHAPE, client: client.label(), program, args: vec![] });
    }
    support::code_pages::report(&runs, &servers.canned);
}

/// Runs one measured process and reads its report.
fn measure(command: &mut Command, client: rss::Client) -> Option<rss::Memory> {
    let output = command.output().expect("child runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        println!("  {}: child failed: {}", client.label(), String::from_utf8_lossy(&output.stderr));
    }
    stdout.lines().filter(|line| !line.contains("-kB ")).for_each(|line| println!("{line}"));
    rss::Memory::from_report(&stdout)
}

fn variant_named(name: &str) -> Variant {
    match name {
        "floor" => Variant::Floor,
        "bare" => Variant::BareFloor,
        "raw" => Variant::Raw,
        _ => Variant::Facade,
    }
}

fn op_named(name: &str) -> Op {
    match name {
        "stats" => Op::Stats,
        "category" => Op::Category,
        "users" => Op::UserLivestreams,
        "page" => Op::LiveStreamsPage,
        _ => Op::Channel,
    }
}

fn profile_seq(variant: &str, calls: usize, op: Op) {
    let variant = variant_named(variant);
    let mock = std::thread::spawn(|| {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("tokio runtime");
        runtime.block_on(async {
            let mock = seeded_mock().start().await;
            let canned = canned::start(canned_bodies(&mock).await);
            drop(mock);
            canned
        })
    });
    let canned = mock.join().expect("servers start");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("tokio runtime");
    let clients = runtime.block_on(async {
        let clients = clients(&canned.base_url, None).await;
        // Warm the connection and the token first, as a hot loop has them.
        for _ in 0..10 {
            black_box(clients.call(variant, op).await);
        }
        clients
    });
    measured_calls(&runtime, &clients, variant, op, calls);
    println!("{}: {calls} calls", variant.label());
}

/// The calls alone, for `valgrind --tool=callgrind --toggle-collect='*measured_calls*'`.
#[inline(never)]
fn measured_calls(runtime: &tokio::runtime::Runtime, clients: &Clients, variant: Variant, op: Op, calls: usize) {
    runtime.block_on(async {
        for _ in 0..calls {
            black_box(clients.call(variant, op).await);
        }
    });
}

fn profile(variant: &str, rounds: usize) {
    let variant = variant_named(variant);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    runtime.block_on(async {
        let mock = threads::start_on_own_thread("mockkick", || seeded_mock().start());
        let canned = canned::start(canned_bodies(&mock).await);
        let clients = Arc::new(clients(&canned.base_url, None).await);
        let began = Instant::now();
        let mut calls = 0;
        for _ in 0..rounds {
            calls += concurrent_round(&clients, variant, 40).await.len();
        }
        println!("{}: {:.0} req/s", variant.label(), calls as f64 / began.elapsed().as_secs_f64());
    });
}
