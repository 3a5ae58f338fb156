//! The local log of deliveries `kick event trigger` sent, so `kick event retrigger` can resend
//! one byte for byte: `deliveries.jsonl` in the config directory, one JSON object per line.

use std::io::{BufRead, Write};

use serde::{Deserialize, Serialize};

use crate::config;
use crate::fail::{Context, Fail};

/// One sent delivery, exactly as it went out.
#[derive(Debug, Serialize, Deserialize)]
pub struct Sent {
    pub message_id: kickrs::ids::EventMessageId,
    pub event: String,
    pub url: String,
    /// Header names and values in the order they were sent.
    pub headers: Vec<(String, String)>,
    /// The body text (the tool only sends JSON, so text keeps it byte for byte).
    pub body: String,
}

fn path() -> Result<std::path::PathBuf, Fail> {
    Ok(config::ensure_dir()?.join("deliveries.jsonl"))
}

/// Appends `sent` to the log.
pub fn record(sent: &Sent) -> Result<(), Fail> {
    let path = path()?;
    let mut line = serde_json::to_string(sent)?;
    line.push('\n');
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&path).context(|| format!("opening {}", path.display()))?;
    file.write_all(line.as_bytes()).context(|| format!("writing {}", path.display()))
}

/// The last logged delivery with this message id.
pub fn find(message_id: &str) -> Result<Sent, Fail> {
    let path = path()?;
    let file = std::fs::File::open(&path).map_err(|_| {
        Fail::new(format!("no delivery {message_id} in the log ({} does not exist yet)", path.display()))
    })?;
    let mut found = None;
    for line in std::io::BufReader::new(file).lines() {
        let line = line.context(|| format!("reading {}", path.display()))?;
        if let Ok(sent) = serde_json::from_str::<Sent>(&line)
            && sent.message_id == message_id
        {
            found = Some(sent);
        }
    }
    found.ok_or_else(|| Fail::new(format!("no delivery {message_id} in {}", path.display())))
}

/// POSTs a delivery; returns the receiver's status and (at most 200 characters of) its answer.
pub async fn post(http: &reqwest::Client, sent: &Sent) -> Result<(u16, String), Fail> {
    let mut request = http.post(&sent.url).body(sent.body.clone());
    for (name, value) in &sent.headers {
        request = request.header(name, value);
    }
    let response =
        request.send().await.map_err(|e| Fail::new(format!("POST {}: {}", sent.url, crate::fail::chain(&e))))?;
    let status = response.status().as_u16();
    let text = response.text().await.unwrap_or_default();
    Ok((status, text.chars().take(200).collect()))
}
