//! A [`TokenStore`] in one JSON file, keyed by client id, written atomically with mode 0600.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use futures::future::BoxFuture;

use super::{StoreError, TokenStore, UserToken};

/// Keeps user tokens in a JSON file: `{"<client id>": {token}, ...}`.
///
/// Opt-in only: kickrs never writes a file unless you pick this store. Each save writes a temporary
/// file (mode 0600 on Unix) beside the target, flushes it to disk and renames it over the target, so
/// a crash leaves either the old or the new file, never half of one. Saves from one process are
/// serialized; the file holds the tokens of every client id that uses it.
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

type TokenFile = BTreeMap<String, UserToken>;

impl FileTokenStore {
    /// A store at `path` (created on first save; its directory must exist).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: Arc::new(path.into()), write_lock: Arc::new(tokio::sync::Mutex::new(())) }
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl std::fmt::Debug for FileTokenStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileTokenStore").field("path", &self.path).finish()
    }
}

impl TokenStore for FileTokenStore {
    fn load<'a>(&'a self, client_id: &'a str) -> BoxFuture<'a, Result<Option<UserToken>, StoreError>> {
        Box::pin(async move {
            let path = Arc::clone(&self.path);
            let mut tokens = blocking(move || read_file(&path)).await?;
            Ok(tokens.remove(client_id))
        })
    }

    fn save<'a>(&'a self, client_id: &'a str, token: &'a UserToken) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let _serialized = self.write_lock.lock().await;
            let path = Arc::clone(&self.path);
            let (client_id, token) = (client_id.to_owned(), token.clone());
            blocking(move || {
                let mut tokens = read_file(&path)?;
                tokens.insert(client_id, token);
                write_atomically(&path, &tokens)
            })
            .await
        })
    }
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    tokio::task::spawn_blocking(work).await.map_err(|e| StoreError::with_source("token file task failed", e))?
}

fn read_file(path: &Path) -> Result<TokenFile, StoreError> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(TokenFile::new()),
        Err(e) => {
            return Err(StoreError::with_source(format!("reading {}", path.display()), e));
        }
    };
    // serde_json's message could quote a token value, so only the location is reported.
    serde_json::from_slice(&bytes).map_err(|e| {
        StoreError::new(format!(
            "{} is not a kickrs token file (invalid at line {}, column {})",
            path.display(),
            e.line(),
            e.column()
        ))
    })
}

fn write_atomically(path: &Path, tokens: &TokenFile) -> Result<(), StoreError> {
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

fn temp_path(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "tokens".to_owned());
    path.with_file_name(format!(".{name}.{}-{:016x}.tmp", std::process::id(), rand::random::<u64>()))
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
