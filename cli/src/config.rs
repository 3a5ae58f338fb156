//! The config directory and what lives in it: credentials, stored tokens, the mock key, the
//! delivery log and the address of a running `kick mock serve`.
//!
//! Credentials come from flags, then the environment (`KICK_CLIENT_ID`, `KICK_CLIENT_SECRET`,
//! `KICK_API_BASE_URL`, `KICK_OAUTH_BASE_URL`, read by clap into the same flags), then
//! `config.json` in the config directory.

use std::io::Write;
use std::path::{Path, PathBuf};

use kickrs::KickClient;
use kickrs::auth::{AuthOptions, FileTokenStore};
use kickrs::webhooks::signing::TestSigner;
use serde::{Deserialize, Serialize};

use crate::args::Creds;
use crate::fail::{Context, Fail};

/// The tool's directory: `$KICK_CONFIG_DIR`, else the OS config directory + `/kick`
/// (`$XDG_CONFIG_HOME` or `~/.config` on Linux, `~/Library/Application Support` on macOS,
/// `%APPDATA%` on Windows).
pub fn dir() -> Result<PathBuf, Fail> {
    if let Some(dir) = std::env::var_os("KICK_CONFIG_DIR").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    let home = || std::env::var_os("HOME").filter(|h| !h.is_empty()).map(PathBuf::from);
    let base = if cfg!(windows) {
        std::env::var_os("APPDATA").map(PathBuf::from)
    } else if cfg!(target_os = "macos") {
        home().map(|h| h.join("Library/Application Support"))
    } else {
        std::env::var_os("XDG_CONFIG_HOME")
            .filter(|d| !d.is_empty())
            .map(PathBuf::from)
            .or_else(|| home().map(|h| h.join(".config")))
    };
    base.map(|b| b.join("kick")).ok_or_else(|| Fail::new("no config directory: set KICK_CONFIG_DIR (or HOME)"))
}

/// The config directory, created (mode 0700 on Unix) if missing.
pub fn ensure_dir() -> Result<PathBuf, Fail> {
    let dir = dir()?;
    std::fs::create_dir_all(&dir).context(|| format!("creating {}", dir.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700));
    }
    Ok(dir)
}

/// Writes a file readable by its owner only (0600 on Unix), replacing it.
pub fn write_private(path: &Path, contents: &[u8]) -> Result<(), Fail> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).context(|| format!("writing {}", path.display()))?;
    file.write_all(contents).context(|| format!("writing {}", path.display()))
}

/// `config.json`: defaults for the credential flags.
#[derive(Debug, Default, Deserialize, Serialize)]
struct FileConfig {
    client_id: Option<String>,
    client_secret: Option<String>,
    api_base_url: Option<String>,
    oauth_base_url: Option<String>,
}

fn file_config() -> Result<FileConfig, Fail> {
    let path = dir()?.join("config.json");
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes).context(|| format!("reading {}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(FileConfig::default()),
        Err(e) => Err(e).context(|| format!("reading {}", path.display())),
    }
}

/// Credentials and base URLs after flags, environment and config file are merged.
pub struct Resolved {
    pub client_id: String,
    client_secret: String,
    pub api_base_url: String,
    pub oauth_base_url: String,
}

impl Creds {
    pub fn resolve(&self) -> Result<Resolved, Fail> {
        let file = file_config()?;
        let missing = |what: &str, flag: &str, env: &str| {
            Fail::new(format!(
                "no {what}: pass --{flag}, set {env}, or put \"{}\" in config.json",
                flag.replace('-', "_")
            ))
        };
        let client_id = self
            .client_id
            .clone()
            .or(file.client_id)
            .ok_or_else(|| missing("client id", "client-id", "KICK_CLIENT_ID"))?;
        let client_secret = self
            .client_secret
            .clone()
            .or(file.client_secret)
            .ok_or_else(|| missing("client secret", "client-secret", "KICK_CLIENT_SECRET"))?;
        Ok(Resolved {
            client_id,
            client_secret,
            api_base_url: self
                .api_base_url
                .clone()
                .or(file.api_base_url)
                .unwrap_or(kickrs::KICK_API_BASE_URL.to_owned()),
            oauth_base_url: self
                .oauth_base_url
                .clone()
                .or(file.oauth_base_url)
                .unwrap_or(kickrs::KICK_OAUTH_BASE_URL.to_owned()),
        })
    }
}

impl Resolved {
    /// A client whose user tokens live in `tokens.json` of the config directory (per client id).
    pub fn client(&self, options: AuthOptions) -> Result<KickClient, Fail> {
        let store = FileTokenStore::new(ensure_dir()?.join("tokens.json"));
        Ok(KickClient::builder()
            .client_id(&self.client_id)
            .client_secret(&self.client_secret)
            .api_base_url(&self.api_base_url)
            .oauth_base_url(&self.oauth_base_url)
            .auth_options(options.token_store(store))
            .build()?)
    }
}

/// The local mock key: what `kick mock serve` signs deliveries with and `kick event trigger`
/// signs with by default. Made on first use and kept (0600) so receivers can trust it across runs.
pub fn mock_signer() -> Result<TestSigner, Fail> {
    let path = ensure_dir()?.join("mock-webhook-key.pem");
    match std::fs::read_to_string(&path) {
        Ok(pem) => TestSigner::from_private_key_pem(&pem).context(|| format!("loading {}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let signer = TestSigner::try_new().context(|| "making the mock key".to_owned())?;
            write_private(&path, signer.private_key_pem().as_bytes())?;
            Ok(signer)
        }
        Err(e) => Err(e).context(|| format!("reading {}", path.display())),
    }
}

/// What a running `kick mock serve` saved about itself.
#[derive(Debug, Deserialize, Serialize)]
pub struct ServeInfo {
    pub api_base_url: String,
    pub oauth_base_url: String,
    pub admin_url: String,
    pub public_key_url: String,
    pub client_id: String,
    pub client_secret: String,
    pub pid: u32,
}

pub fn serve_info_path() -> Result<PathBuf, Fail> {
    Ok(dir()?.join("mock-serve.json"))
}
