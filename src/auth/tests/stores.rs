//! The file store: permissions, atomic replacement, keying by client id, reported load errors.

use crate::auth::{CallbackTokenStore, FileTokenStore, TokenStore, UserToken};

fn token(access: &str) -> UserToken {
    UserToken::new(
        access,
        Some(format!("{access}-refresh")),
        std::time::Duration::from_secs(3600),
        &[crate::auth::Scope::UserRead],
    )
}

#[tokio::test]
async fn file_store_round_trips_per_client_id() {
    let dir = tempfile::tempdir().unwrap();
    let store = FileTokenStore::new(dir.path().join("tokens.json"));
    assert!(store.load("app-a").await.unwrap().is_none(), "no file yet");

    store.save("app-a", &token("a1")).await.unwrap();
    store.save("app-b", &token("b1")).await.unwrap();

    let a = store.load("app-a").await.unwrap().unwrap();
    assert_eq!(a, token_with_times(&a, "a1"));
    assert_eq!(store.load("app-b").await.unwrap().unwrap().access_token().secret(), "b1");
    assert!(store.load("app-c").await.unwrap().is_none());
}

/// `token(access)` with the times of `like` (seconds precision in the file).
fn token_with_times(like: &UserToken, access: &str) -> UserToken {
    let json = serde_json::json!({
        "access_token": access,
        "refresh_token": format!("{access}-refresh"),
        "expires_at": like.expires_at().timestamp(),
        "scope": "user:read",
        "refresh_token_issued_at": like.refresh_token_issued_at().unwrap().timestamp(),
    });
    serde_json::from_value(json).unwrap()
}

#[cfg(unix)]
#[tokio::test]
async fn file_store_writes_mode_0600_by_atomic_replacement() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    let store = FileTokenStore::new(&path);
    store.save("app", &token("first")).await.unwrap();
    assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);

    // A hard link keeps the old inode: replacement by rename leaves it untouched, an in-place
    // rewrite would change it.
    let old = dir.path().join("old-inode");
    std::fs::hard_link(&path, &old).unwrap();
    let inode = std::fs::metadata(&path).unwrap().ino();
    store.save("app", &token("second")).await.unwrap();

    assert_ne!(std::fs::metadata(&path).unwrap().ino(), inode, "a new file was renamed over the old one");
    assert!(std::fs::read_to_string(&old).unwrap().contains("\"first\""));
    assert!(std::fs::read_to_string(&path).unwrap().contains("\"second\""));
    assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    // Besides the two links, only the lock file the saves lock (kept: deleting it would race).
    let temporary: Vec<_> = names.iter().filter(|n| n.to_string_lossy().ends_with(".tmp")).collect();
    assert!(temporary.is_empty(), "no temporary file left behind: {names:?}");
    assert_eq!(names.len(), 3, "{names:?}");
}

#[tokio::test]
async fn unreadable_token_file_is_reported_without_its_content() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    std::fs::write(&path, r#"{"app": {"access_token": "leaky-secret", "expires_at": "soon"}}"#).unwrap();
    let err = FileTokenStore::new(&path).load("app").await.unwrap_err();
    let message = err.to_string();
    assert!(message.contains("is not a kickrs token file"), "{message}");
    assert!(!message.contains("leaky-secret") && !format!("{err:?}").contains("leaky-secret"));
}

#[tokio::test]
async fn concurrent_saves_to_one_file_keep_every_client() {
    let dir = tempfile::tempdir().unwrap();
    let store = FileTokenStore::new(dir.path().join("tokens.json"));
    let saves = (0..20).map(|i| {
        let store = store.clone();
        tokio::spawn(async move { store.save(&format!("app-{i}"), &token(&format!("t{i}"))).await })
    });
    for save in futures::future::join_all(saves).await {
        save.unwrap().unwrap();
    }
    for i in 0..20 {
        let loaded = store.load(&format!("app-{i}")).await.unwrap().unwrap();
        assert_eq!(loaded.access_token().secret(), format!("t{i}"));
    }
}

#[tokio::test]
async fn callback_store_hands_over_each_saved_token() {
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    let store = CallbackTokenStore::new(Some(token("initial")), move |client_id, token| {
        log.lock().unwrap().push(format!("{client_id}:{}", token.access_token().secret()));
        Ok(())
    });
    assert_eq!(store.load("app").await.unwrap().unwrap().access_token().secret(), "initial");
    store.save("app", &token("next")).await.unwrap();
    assert_eq!(*seen.lock().unwrap(), ["app:next"]);
}

#[test]
fn refresh_token_time_left_counts_from_issue() {
    let fresh = token("a");
    let left = fresh.refresh_token_time_left().unwrap();
    assert!(left <= crate::auth::REFRESH_TOKEN_LIFETIME);
    assert!(left > crate::auth::REFRESH_TOKEN_LIFETIME - std::time::Duration::from_secs(3600));

    let issued_long_ago: UserToken = serde_json::from_value(serde_json::json!({
        "access_token": "a", "refresh_token": "r", "expires_at": 0, "refresh_token_issued_at": 0
    }))
    .unwrap();
    assert_eq!(issued_long_ago.refresh_token_time_left(), Some(std::time::Duration::ZERO));

    let kick_said: UserToken = serde_json::from_value(serde_json::json!({
        "access_token": "a", "refresh_token": "r", "expires_at": 0,
        "refresh_token_issued_at": chrono::Utc::now().timestamp(), "refresh_expires_in": 7200
    }))
    .unwrap();
    assert!(kick_said.refresh_token_time_left().unwrap() <= std::time::Duration::from_secs(7200));
    assert!(UserToken::new("a", None, std::time::Duration::from_secs(10), &[]).refresh_token_time_left().is_none());
}

/// A process killed between writing its temporary file and renaming it leaves a complete token behind:
/// the next save removes it (and every other left-behind one), but not the file of a save in flight.
#[cfg(target_os = "linux")]
#[tokio::test]
async fn a_save_removes_temp_files_that_killed_saves_left_behind() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    let store = FileTokenStore::new(&path);
    store.save("app", &token("first")).await.unwrap();

    // A real process that ran and is gone, as one killed with -9 mid-save would be.
    let mut gone = std::process::Command::new("true").spawn().unwrap();
    let dead_pid = gone.id();
    gone.wait().unwrap();
    let orphan = |pid: u32, n: u64| dir.path().join(format!(".tokens.json.{pid}-{n:016x}.tmp"));
    let left_behind = [orphan(dead_pid, 1), orphan(dead_pid, 2), orphan(std::process::id(), 3)];
    for file in &left_behind {
        std::fs::write(file, r#"{"app":{"access_token":"orphaned-secret"}}"#).unwrap();
    }
    // PID 1 runs: a fresh temp file of a live process is a save in flight and is kept.
    let in_flight = orphan(1, 4);
    std::fs::write(&in_flight, "{}").unwrap();
    let unrelated = dir.path().join(".tokens.json.notes.tmp");
    std::fs::write(&unrelated, "mine").unwrap();

    store.save("app", &token("second")).await.unwrap();

    for file in &left_behind {
        assert!(!file.exists(), "{} was left behind", file.display());
    }
    assert!(in_flight.exists(), "a live process's save in flight was removed");
    assert!(unrelated.exists(), "a file not named like ours was removed");
    assert_eq!(store.load("app").await.unwrap().unwrap().access_token().secret(), "second");
}

/// A corrupt token file must not block a fresh login: the save moves it aside and starts over.
#[tokio::test]
async fn a_save_moves_a_corrupt_token_file_aside_and_succeeds() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    std::fs::write(&path, b"{\"app\": {\"access_token\": \"half-writ").unwrap();
    let store = FileTokenStore::new(&path);
    assert!(store.load("app").await.is_err(), "a corrupt file is still reported on load");

    store.save("app", &token("fresh")).await.unwrap();

    assert_eq!(store.load("app").await.unwrap().unwrap().access_token().secret(), "fresh");
    let aside: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("tokens.json.corrupt-"))
        .collect();
    assert_eq!(aside.len(), 1, "the corrupt file is kept aside for inspection");
    let kept = std::fs::read(dir.path().join(&aside[0])).unwrap();
    assert!(kept.ends_with(b"half-writ"), "moved, not rewritten");
}
