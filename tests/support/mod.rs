//! Shared test setup. Every test binary that snapshots does `mod support;` and binds
//! [`snapshots`] once, so all insta snapshots land in the top-level `snapshots/` folder.
#![allow(dead_code)]

/// Points insta at `<crate>/snapshots` for as long as the returned guard lives.
pub fn snapshots() -> insta::internals::SettingsBindDropGuard {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind_to_scope()
}

pub mod redis;
pub mod wire;
