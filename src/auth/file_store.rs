//! A [`TokenStore`] in one JSON file, keyed by client id, written atomically with mode 0600 and
//! shared safely between processes through OS advisory locks on sibling lock files.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use futures::future::BoxFuture;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{AppToken, RefreshLease, StoreError, TokenStore, UserToken};

/// Keeps user tokens in a JSON file: `{"<client id>": {token}, ...}`, and app tokens beside it.
///
/// Opt-in only: kickrs never writes a file unless you pick this store. Each save writes a temporary
/// file (mode 0600 on Unix) beside the target, flushes it to disk and renames it over the target, so
/// a crash leaves either the old or the new file, never half of one. The file holds the tokens of
/// every client id that uses it.
///
/// Several processes on one machine may share the file. Each save reads, changes and replaces the
/// file while holding an exclusive OS advisory lock (`flock`) on `.<name>.lock` beside it, so no
/// process overwrites another's entry. The refresh lease of a client id is an exclusive lock on
/// `.<name>.<hex client id>.lease`: the OS drops it when its holder exits or is killed, so a dead
/// holder blocks nobody (the lease's time limit is not needed and not used). Locks are advisory
/// and local: a network file system may not honour them.
///
/// App tokens go to `.<name>.app-tokens` beside the file (same format, same lock), so that the
/// processes fetch one app token between them (their lease: `.<name>.<hex client id>.app-lease`);
/// the user token file keeps its format.
///
/// A save also cleans up after a crash: temporary files a killed process left behind (they hold
/// complete tokens) are removed, and a token file that is not valid JSON is moved aside to
/// `<name>.corrupt-<unix seconds>` with a warning, so a fresh login always recovers.
///
/// ```no_run
/// use kickrs::auth::FileTokenStore;
/// let store = FileTokenStore::new("/home/me/.config/mybot/kick-tokens.json");
/// ```
#[derive(Clone)]
pub struct FileTokenStore {
    path: Arc<PathBuf>,
    write_lock: Arc<tokio::sync::Mutex<()>>,
}

/// A token file's content: client id -> token.
type TokenFile<T> = BTreeMap<String, T>;

impl FileTokenStore {
    /// A store at `path` (created on first save; its directory must exist).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: Arc::new(path.into()), write_lock: Arc::new(tokio::sync::Mutex::new(())) }
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Removes the user token of `client_id` (e.g. after revoking it) under the same lock as a save,
    /// so an entry another process saves meanwhile is kept. Returns the token removed, if any.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), kickrs::auth::StoreError> {
    /// let store = kickrs::auth::FileTokenStore::new("/home/me/.config/mybot/kick-tokens.json");
    /// let removed = store.remove("my-client-id").await?;
    /// # let _ = removed;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// The file could not be locked, read or written.
    pub async fn remove(&self, client_id: &str) -> Result<Option<UserToken>, StoreError> {
        let client_id = client_id.to_owned();
        self.update(Arc::clone(&self.path), move |tokens: &mut TokenFile<UserToken>| tokens.remove(&client_id)).await
    }

    /// Where the app tokens are kept.
    fn app_path(&self) -> PathBuf {
        sibling(&self.path, "app-tokens")
    }

    /// Reads, changes and replaces the token file at `file` (the user or app tokens) while holding the
    /// store's lock.
    async fn update<T, R>(
        &self,
        file: Arc<PathBuf>,
        change: impl FnOnce(&mut TokenFile<T>) -> R + Send + 'static,
    ) -> Result<R, StoreError>
    where
        T: Serialize + DeserializeOwned + Send + 'static,
        R: Send + 'static,
    {
        // The in-process mutex keeps this process's saves from queueing on the OS lock in several
        // blocking threads at once.
        let _serialized = self.write_lock.lock().await;
        let lock = sibling(&self.path, "lock");
        blocking(move || {
            let _locked = lock_file(&lock, Wait::Block)?;
            remove_stale_temps(&file);
            let mut tokens = match read_file(&file) {
                Ok(tokens) => tokens,
                Err(FileError::Corrupt(error)) => {
                    move_aside(&file, &error)?;
                    TokenFile::new()
                }
                Err(FileError::Io(error)) => return Err(error),
            };
            let outcome = change(&mut tokens);
            write_atomically(&file, &tokens)?;
            Ok(outcome)
        })
        .await
    }

    /// The exclusive lock file `.<name>.<hex client id>.<what>`, unless another holder has it.
    async fn lease(&self, client_id: &str, what: &str) -> Result<Option<RefreshLease>, StoreError> {
        let lease_path = sibling(&self.path, &format!("{}.{what}", hex(client_id)));
        let locked = blocking(move || lock_file(&lease_path, Wait::No)).await?;
        Ok(locked.map(|file| RefreshLease::new().with_guard(file)))
    }
}

/// The token of `client_id` in the token file at `path`; no lock: the file is only ever replaced
/// whole by a rename.
async fn load_entry<T: DeserializeOwned + Send + 'static>(
    path: PathBuf,
    client_id: &str,
) -> Result<Option<T>, StoreError> {
    let mut tokens = blocking(move || read_file::<T>(&path).map_err(FileError::into_store)).await?;
    Ok(tokens.remove(client_id))
}

impl std::fmt::Debug for FileTokenStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileTokenStore").field("path", &self.path).finish()
    }
}

impl TokenStore for FileTokenStore {
    fn load<'a>(&'a self, client_id: &'a str) -> BoxFuture<'a, Result<Option<UserToken>, StoreError>> {
        Box::pin(load_entry(self.path.to_path_buf(), client_id))
    }

    fn save<'a>(&'a self, client_id: &'a str, token: &'a UserToken) -> BoxFuture<'a, Result<(), StoreError>> {
        let (client_id, token) = (client_id.to_owned(), token.clone());
        Box::pin(self.update(Arc::clone(&self.path), move |tokens| {
            tokens.insert(client_id, token);
        }))
    }

    fn try_lease<'a>(
        &'a self,
        client_id: &'a str,
        _ttl: Duration,
    ) -> BoxFuture<'a, Result<Option<RefreshLease>, StoreError>> {
        Box::pin(self.lease(client_id, "lease"))
    }

    // The default `release` drops the lease, and with it the locked file: closing it unlocks it.

    fn load_app_token<'a>(&'a self, client_id: &'a str) -> BoxFuture<'a, Result<Option<AppToken>, StoreError>> {
        Box::pin(load_entry(self.app_path(), client_id))
    }

    fn save_app_token<'a>(&'a self, client_id: &'a str, token: &'a AppToken) -> BoxFuture<'a, Result<(), StoreError>> {
        let (client_id, token) = (client_id.to_owned(), token.clone());
        Box::pin(self.update(Arc::new(self.app_path()), move |tokens| {
            // Expired entries of other client ids are of no use to anyone.
            tokens.retain(|_, t: &mut AppToken| t.time_left() > Duration::ZERO);
            tokens.insert(client_id, token);
        }))
    }

    fn try_app_lease<'a>(
        &'a self,
        client_id: &'a str,
        _ttl: Duration,
    ) -> BoxFuture<'a, Result<Option<RefreshLease>, StoreError>> {
        Box::pin(self.lease(client_id, "app-lease"))
    }
}

enum Wait {
    Block,
    No,
}

/// Opens (creating) `path` and locks it exclusively; `None` when `Wait::No` and another holder has
/// it. The lock lasts until the returned file is closed, or its process dies.
fn lock_file(path: &Path, wait: Wait) -> Result<Option<fs::File>, StoreError> {
    let io_error = |e: io::Error| StoreError::with_source(format!("locking {}", path.display()), e);
    let file = open_lock(path).map_err(io_error)?;
    match wait {
        Wait::Block => fs4::FileExt::lock(&file).map_err(io_error)?,
        Wait::No => match fs4::FileExt::try_lock(&file) {
            Ok(()) => {}
            Err(fs4::TryLockError::WouldBlock) => return Ok(None),
            Err(fs4::TryLockError::Error(e)) => return Err(io_error(e)),
        },
    }
    Ok(Some(file))
}

/// `.<file name>.<suffix>` beside `path`.
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "tokens".to_owned());
    path.with_file_name(format!(".{name}.{suffix}"))
}

/// A client id as a file name part that is safe whatever characters it has.
fn hex(text: &str) -> String {
    text.bytes().map(|b| format!("{b:02x}")).collect()
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    tokio::task::spawn_blocking(work).await.map_err(|e| StoreError::with_source("token file task failed", e))?
}

/// Why the token file could not be read.
enum FileError {
    /// It could not be read at all (permissions, I/O).
    Io(StoreError),
    /// It was read but is not a token file.
    Corrupt(StoreError),
}

impl FileError {
    fn into_store(self) -> StoreError {
        match self {
            FileError::Io(error) | FileError::Corrupt(error) => error,
        }
    }
}

fn read_file<T: DeserializeOwned>(path: &Path) -> Result<TokenFile<T>, FileError> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(TokenFile::new()),
        Err(e) => {
            return Err(FileError::Io(StoreError::with_source(format!("reading {}", path.display()), e)));
        }
    };
    // serde_json's message could quote a token value, so only the location is reported.
    serde_json::from_slice(&bytes).map_err(|e| {
        FileError::Corrupt(StoreError::new(format!(
            "{} is not a kickrs token file (invalid at line {}, column {})",
            path.display(),
            e.line(),
            e.column()
        )))
    })
}

/// Moves a corrupt token file out of the way (kept for inspection, not deleted: it may be a user's
/// hand edit), so the save that follows starts a fresh file.
fn move_aside(path: &Path, why: &StoreError) -> Result<(), StoreError> {
    let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "tokens".to_owned());
    let aside = path.with_file_name(format!("{name}.corrupt-{seconds}"));
    fs::rename(path, &aside)
        .map_err(|e| StoreError::with_source(format!("moving the corrupt {} aside", path.display()), e))?;
    tracing::warn!(reason = %why, moved_to = %aside.display(), "token file was corrupt; moved aside, starting a new one");
    Ok(())
}

/// How old a temporary file of a live process must be before it counts as left behind (a save takes
/// milliseconds; this covers platforms where a process cannot be checked).
const STALE_TEMP_AGE: std::time::Duration = std::time::Duration::from_secs(60);

/// Removes the temporary files of saves that never finished (the process was killed between writing
/// and renaming). Ours cannot be in flight (saves are serialized); another process's is stale once
/// that process is gone or the file is old.
fn remove_stale_temps(path: &Path) {
    let Some(dir) = path.parent().map(|d| if d.as_os_str().is_empty() { Path::new(".") } else { d }) else {
        return;
    };
    let prefix = temp_prefix(path);
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|name| temp_pid(name, &prefix)) else {
            continue;
        };
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|modified| modified.elapsed().ok())
            .is_some_and(|age| age >= STALE_TEMP_AGE);
        if pid == std::process::id() || !process_alive(pid) || old {
            match fs::remove_file(entry.path()) {
                Ok(()) => tracing::debug!(file = %entry.path().display(), "removed a stale token temp file"),
                Err(e) => tracing::debug!(error = %e, "could not remove a stale token temp file"),
            }
        }
    }
}

/// The process id in a temporary file name of this store (`.<name>.<pid>-<random>.tmp`).
fn temp_pid(file_name: &str, prefix: &str) -> Option<u32> {
    let rest = file_name.strip_prefix(prefix)?.strip_suffix(".tmp")?;
    let (pid, random) = rest.split_once('-')?;
    (random.len() == 16 && random.bytes().all(|b| b.is_ascii_hexdigit())).then_some(())?;
    pid.parse().ok()
}

/// Whether process `pid` still runs; `true` where that cannot be told (the age rule then applies).
fn process_alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") { Path::new(&format!("/proc/{pid}")).exists() } else { true }
}

fn write_atomically<T: Serialize>(path: &Path, tokens: &TokenFile<T>) -> Result<(), StoreError> {
    let io_error = |what: &str, e: io::Error| StoreError::with_source(format!("{what} {}", path.display()), e);
    let json = serde_json::to_vec_pretty(tokens).map_err(|e| StoreError::with_source("encoding tokens", e))?;
    let temp = temp_path(path);
    let written = (|| {
        let mut file = open_private(&temp)?;
        file.write_all(&json)?;
        file.sync_all()?;
        fs::rename(&temp, path)
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&temp);
        return Err(io_error("writing", e));
    }
    // Make the rename itself durable; not every platform can open a directory, so best effort.
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && let Ok(dir) = fs::File::open(dir)
    {
        let _ = dir.sync_all();
    }
    Ok(())
}

fn temp_prefix(path: &Path) -> String {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "tokens".to_owned());
    format!(".{name}.")
}

fn temp_path(path: &Path) -> PathBuf {
    path.with_file_name(format!("{}{}-{:016x}.tmp", temp_prefix(path), std::process::id(), rand::random::<u64>()))
}

#[cfg(unix)]
fn open_lock(path: &Path) -> io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new().read(true).write(true).create(true).truncate(false).mode(0o600).open(path)
}

#[cfg(not(unix))]
fn open_lock(path: &Path) -> io::Result<fs::File> {
    fs::OpenOptions::new().read(true).write(true).create(true).truncate(false).open(path)
}

#[cfg(unix)]
fn open_private(path: &Path) -> io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)
}

#[cfg(not(unix))]
fn open_private(path: &Path) -> io::Result<fs::File> {
    fs::OpenOptions::new().write(true).create_new(true).open(path)
}
