//! The three programs a new user writes first (a chat bot, a dashboard, a moderation tool) run as
//! real processes against MockKick, and read the way issue 13 asked: no numeric `as` casts, no
//! annotation on a handler's `Ok(())`, no client clone per handler.
#![cfg(all(feature = "mock", feature = "webhooks-axum"))]

use std::path::PathBuf;
use std::process::Command;

const PROGRAMS: [&str; 3] = ["chat_bot", "dashboard", "moderation"];

/// `target/<profile>/examples/<name>`: `cargo test` builds the examples before it runs the tests.
fn example_binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    let profile_dir = exe.parent().and_then(|deps| deps.parent()).expect("target/<profile>/deps/<test>");
    let binary = profile_dir.join("examples").join(name);
    assert!(
        binary.exists(),
        "{} is not built; run the whole suite (`cargo test -p kickrs-examples --all-features` builds the examples) or \
         `cargo build -p kickrs-examples --all-features --examples` first",
        binary.display()
    );
    binary
}

/// Runs the program to its end and returns what it printed; it must exit with success.
fn run(name: &str) -> String {
    let output = Command::new(example_binary(name)).output().expect("the example starts");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "{name}: {stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    stdout
}

fn source(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("{name}.rs"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_chat_bot_answers_both_commands_in_chat() {
    let stdout = run("chat_bot");
    assert!(stdout.contains("1001: Title: Morning coffee & chat"), "{stdout}");
    assert!(stdout.contains("1001: Live for 1h 3"), "AuroraLive went live 95 minutes before: {stdout}");
    assert_eq!(stdout.matches("1001: ").count(), 2, "one reply per command, none to `hello`: {stdout}");
}

#[test]
fn the_dashboard_shows_a_channel_that_went_live_between_refreshes() {
    let stdout = run("dashboard");
    assert!(stdout.contains("Software Development: 1 live"), "{stdout}");
    assert!(stdout.contains("Software Development: 2 live"), "{stdout}");
    assert!(stdout.contains("quietcoder"), "{stdout}");
}

#[test]
fn the_moderation_tool_times_out_bans_and_deletes() {
    let stdout = run("moderation");
    assert!(stdout.contains("user 2001 banned until"), "{stdout}");
    assert!(stdout.contains("user 2002 banned for good: scam link"), "{stdout}");
    assert!(stdout.contains("this darn lag  (deleted)"), "{stdout}");
}

#[test]
fn the_programs_need_no_casts_no_result_annotations_and_no_clone_per_handler() {
    for name in PROGRAMS {
        let text = source(name);
        for (number, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            for numeric in ["u8", "u16", "u32", "u64", "usize", "i8", "i16", "i32", "i64", "isize", "f32", "f64"] {
                assert!(!code.contains(&format!(" as {numeric}")), "{name}.rs:{}: a numeric cast: {line}", number + 1);
            }
            assert!(!code.contains("Ok::<(), "), "{name}.rs:{}: an annotated handler result: {line}", number + 1);
        }
        // Handlers are registered as named functions taking the state, not closures cloning a client.
        for registration in text.match_indices(".on::<").map(|(at, _)| &text[at..]) {
            let call = &registration[..registration.find(')').unwrap_or(registration.len())];
            assert!(!call.contains("clone"), "{name}.rs: a handler clones: {call}");
        }
    }
}
