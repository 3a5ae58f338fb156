//! Which of an executable's code each client runs, and how many of the kernel's 64 KB fault-around
//! windows that code falls in (`facade code-pages`, through `bench/code-pages.sh`).
//!
//! The file-backed part of a process's RSS is mostly the executable's code pages. On a first touch of
//! code, Linux maps the pages around it that are already in the page cache, 64 KB aligned by default
//! (`fault_around_bytes`), so the code part of RSS is about 64 KB per window that holds any code the
//! process ran. Callgrind lists the functions run; `nm` gives their addresses and sizes; the count is
//! taken at each of the 16 places a 4 KB-aligned load address can fall within a window.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::process::Command;

const WINDOW: u64 = 64 * 1024;
const PAGE: u64 = 4096;
/// The calls of the shorter callgrind run; the longer one makes twice as many.
const CALLS: usize = 2_000;

/// One executable's text symbols: mangled name -> (address, size), and each one's demangled name (`nm`
/// lists both in the file's order when not sorting, so line n of one is line n of the other).
struct Symbols {
    at: HashMap<String, (u64, u64)>,
    readable: HashMap<String, String>,
    text_bytes: u64,
}

impl Symbols {
    fn of(program: &Path) -> Symbols {
        let list = |demangle: bool| {
            let mut command = Command::new("nm");
            command.args(["--defined-only", "-S", "--no-sort"]);
            if demangle {
                command.arg("-C");
            }
            let output = command.arg(program).output().expect("nm runs (binutils)");
            String::from_utf8_lossy(&output.stdout).into_owned()
        };
        let (mangled, demangled) = (list(false), list(true));
        let mut symbols = Symbols { at: HashMap::new(), readable: HashMap::new(), text_bytes: 0 };
        for (line, readable) in mangled.lines().zip(demangled.lines()) {
            let fields: Vec<&str> = line.splitn(4, ' ').collect();
            let [address, size, kind, name] = fields[..] else { continue };
            if !matches!(kind, "t" | "T" | "w" | "W") {
                continue;
            }
            let (Ok(address), Ok(size)) = (u64::from_str_radix(address, 16), u64::from_str_radix(size, 16)) else {
                continue;
            };
            if symbols.at.insert(name.to_string(), (address, size)).is_none() {
                symbols.text_bytes += size;
            }
            let readable = readable.splitn(4, ' ').nth(3).unwrap_or(name);
            symbols.readable.insert(name.to_string(), readable.to_string());
        }
        symbols
    }

    /// Code bytes and the mean, least and most 64 KB windows `functions` fall in.
    fn footprint<'a>(&self, functions: impl Iterator<Item = &'a String> + Clone) -> (u64, f64, usize, usize) {
        let bytes = functions.clone().filter_map(|name| self.at.get(name)).map(|&(_, size)| size).sum();
        let counts: Vec<usize> = (0..WINDOW / PAGE)
            .map(|slot| {
                let base = slot * PAGE;
                let mut windows = BTreeSet::new();
                for &(address, size) in functions.clone().filter_map(|name| self.at.get(name)) {
                    let (first, last) = (base + address, base + address + size.max(1) - 1);
                    windows.extend(first / WINDOW..=last / WINDOW);
                }
                windows.len()
            })
            .collect();
        let mean = counts.iter().sum::<usize>() as f64 / counts.len() as f64;
        (bytes, mean, *counts.iter().min().unwrap_or(&0), *counts.iter().max().unwrap_or(&0))
    }
}

/// Self cost (instructions) of each function of `object` in a callgrind output written with
/// `--demangle=no` and `--compress-pos=no`.
fn self_costs(callgrind_out: &Path, object: &str) -> HashMap<String, u64> {
    let text = std::fs::read_to_string(callgrind_out).expect("callgrind output");
    let (mut objects, mut functions) = (HashMap::new(), HashMap::new());
    let mut costs = HashMap::new();
    let (mut in_object, mut current, mut after_calls) = (false, None::<String>, false);
    // `name=(id) text` defines an id, `name=(id)` refers back to it; without compression, `name=text`.
    let named = |rest: &str, table: &mut HashMap<String, String>| -> String {
        let Some(rest) = rest.strip_prefix('(') else { return rest.to_string() };
        let (id, name) = rest.split_once(')').unwrap_or((rest, ""));
        if let Some(name) = name.strip_prefix(' ') {
            table.insert(id.to_string(), name.to_string());
        }
        table.get(id).cloned().unwrap_or_default()
    };
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("ob=") {
            in_object = named(rest, &mut objects).ends_with(object);
        } else if let Some(rest) = line.strip_prefix("cob=") {
            named(rest, &mut objects);
        } else if let Some(rest) = line.strip_prefix("fn=") {
            current = Some(named(rest, &mut functions));
        } else if let Some(rest) = line.strip_prefix("cfn=") {
            named(rest, &mut functions);
        } else if line.starts_with("calls=") {
            after_calls = true;
        } else if line.starts_with(|c: char| c.is_ascii_digit() || c == '+' || c == '-' || c == '*') {
            // The line after `calls=` is the call's inclusive cost, not this function's own.
            if std::mem::take(&mut after_calls) {
                continue;
            }
            if let (true, Some(function), Some(cost)) = (in_object, &current, line.split_whitespace().nth(1)) {
                *costs.entry(function.clone()).or_insert(0) += cost.parse::<u64>().unwrap_or(0);
            }
        }
    }
    costs
}

/// Runs `command` under callgrind, writing to `out`.
fn callgrind(command: &[&str], out: &Path) {
    let status = Command::new("valgrind")
        .args(["--tool=callgrind", "--demangle=no", "--compress-pos=no", "--compress-strings=no"])
        .arg(format!("--callgrind-out-file={}", out.display()))
        .args(command)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("valgrind runs (apt-get install valgrind)");
    assert!(status.success(), "callgrind failed on {command:?}");
}

/// One client's process: what it ran, and what it ran once per call.
struct Profile {
    ran: HashSet<String>,
    per_call: HashSet<String>,
}

/// `program args... <calls>` run for [`CALLS`] and twice as many calls: a function whose own cost grows
/// by at least one instruction per added call runs per call; the rest ran once (set-up, first calls).
fn profile(label: &str, program: &Path, args: &[&str], symbols: &Symbols, scratch: &Path) -> Profile {
    let object = program.file_name().and_then(|name| name.to_str()).expect("program name");
    let mut runs = Vec::new();
    for calls in [CALLS, 2 * CALLS] {
        let out = scratch.join(format!("{}-{calls}.callgrind", label.replace(' ', "-")));
        let calls = calls.to_string();
        let mut command = vec![program.to_str().expect("program path")];
        command.extend_from_slice(args);
        command.push(&calls);
        callgrind(&command, &out);
        runs.push(self_costs(&out, object));
    }
    let ran = runs[1].keys().filter(|name| symbols.at.contains_key(*name)).cloned().collect();
    let per_call = runs[1]
        .iter()
        .filter(|(name, cost)| {
            let before = runs[0].get(*name).copied().unwrap_or(0);
            symbols.at.contains_key(*name) && **cost >= before + CALLS as u64
        })
        .map(|(name, _)| name.clone())
        .collect();
    Profile { ran, per_call }
}

fn print_row(label: &str, symbols: &Symbols, functions: &HashSet<String>) {
    let (bytes, mean, least, most) = symbols.footprint(functions.iter());
    println!(
        "  {label:<38} {:>5} functions {:>6} KB of code in {mean:>5.1} windows ({least}-{most}), {:>6.2} MB",
        functions.len(),
        bytes / 1024,
        mean * WINDOW as f64 / (1024.0 * 1024.0)
    );
}

/// With `KICKRS_CODE_PAGES_LIST` set: each window (load address at a window's start) and the functions
/// run in it, fewest first, those run per call marked `*`.
fn list_windows(symbols: &Symbols, ran: &HashSet<String>, per_call: &HashSet<String>) {
    let mut windows: HashMap<u64, Vec<(u64, &String)>> = HashMap::new();
    for name in ran {
        if let Some(&(address, size)) = symbols.at.get(name) {
            for window in address / WINDOW..=(address + size.max(1) - 1) / WINDOW {
                windows.entry(window).or_default().push((size, name));
            }
        }
    }
    let mut windows: Vec<_> = windows.into_iter().collect();
    windows.sort_by_key(|(window, functions)| (functions.len(), *window));
    for (window, functions) in windows {
        println!("   window {:#x}: {} functions", window * WINDOW, functions.len());
        for (size, name) in functions {
            let mark = if per_call.contains(name) { '*' } else { ' ' };
            let readable = symbols.readable.get(name).map_or(name.as_str(), String::as_str);
            println!("     {mark} {size:>6} {}", readable.chars().take(160).collect::<String>());
        }
    }
}

/// One measured process: the shape it stands for, its client, its program and the arguments before
/// `<canned base URL> <calls>`.
pub struct Run<'a> {
    pub shape: &'a str,
    pub client: &'a str,
    pub program: &'a Path,
    pub args: Vec<&'a str>,
}

/// Profiles each run and prints its code bytes and windows, all code run and per-call code apart, and
/// for the facade its windows without its token code (`kickrs::auth`, `oauth2`).
pub fn report(runs: &[Run], canned: &str) {
    let scratch = std::env::temp_dir().join(format!("kickrs-code-pages-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("scratch directory");
    let mut shape = "";
    for run in runs {
        let symbols = Symbols::of(run.program);
        if run.shape != shape {
            shape = run.shape;
            println!("\n{shape}");
        }
        let name = run.program.file_name().map_or_else(String::new, |name| name.to_string_lossy().into_owned());
        println!(" {} in {name} ({} KB of code in all)", run.client, symbols.text_bytes / 1024);
        let mut args = run.args.clone();
        args.push(canned);
        let profile = profile(run.client, run.program, &args, &symbols, &scratch);
        print_row("ran", &symbols, &profile.ran);
        print_row("ran per call", &symbols, &profile.per_call);
        if std::env::var_os("KICKRS_CODE_PAGES_LIST").is_some() {
            list_windows(&symbols, &profile.ran, &profile.per_call);
        }
        if run.client == "facade" {
            let token_code = |name: &String| {
                let readable = symbols.readable.get(name).map_or("", String::as_str);
                readable.contains("kickrs::auth") || readable.contains("oauth2::")
            };
            let without: HashSet<String> = profile.ran.iter().filter(|name| !token_code(name)).cloned().collect();
            print_row("ran, without kickrs::auth and oauth2", &symbols, &without);
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
}
