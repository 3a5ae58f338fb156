//! The floor: what someone would write by hand with reqwest and serde_json, with their own structs
//! for the fields they decode and one app token fetched up front.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde::de::DeserializeOwned;

type Failure = Box<dyn std::error::Error + Send + Sync>;

// The structs mirror Kick's answers; fields are decoded for the cost and not read afterwards.
#[derive(Deserialize)]
struct Envelope<T> {
    data: T,
}

#[derive(Deserialize)]
#[allow(dead_code)]
pub struct Category {
    id: i64,
    name: String,
    thumbnail: String,
    #[serde(default)]
    tags: Vec<String>,
    viewer_count: Option<i64>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
pub struct Stream {
    #[serde(default)]
    custom_tags: Vec<String>,
    is_live: Option<bool>,
    is_mature: Option<bool>,
    key: Option<String>,
    language: Option<String>,
    start_time: Option<DateTime<Utc>>,
    thumbnail: Option<String>,
    url: Option<String>,
    viewer_count: Option<i64>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
pub struct Channel {
    pub broadcaster_user_id: i64,
    slug: String,
    channel_description: String,
    stream_title: String,
    banner_picture: Option<String>,
    category: Category,
    stream: Stream,
    active_subscribers_count: Option<i64>,
    canceled_subscribers_count: Option<i64>,
    active_gifted_subscribers_count: Option<i64>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Broadcaster {
    id: i64,
    username: String,
    profile_picture: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Slug {
    slug: String,
}

#[derive(Deserialize)]
#[allow(dead_code)]
pub struct LiveStream {
    id: uuid::Uuid,
    title: String,
    thumbnail: String,
    started_at: DateTime<Utc>,
    viewer_count: i64,
    language_code: String,
    #[serde(default)]
    tags: Vec<String>,
    has_mature_content: bool,
    broadcaster_user: Broadcaster,
    category: Category,
    channel: Slug,
}

#[derive(Deserialize)]
struct Cursor {
    next_cursor: String,
}

#[derive(Deserialize)]
struct LiveStreamPage {
    data: Vec<LiveStream>,
    pagination: Cursor,
}

#[derive(Deserialize)]
pub struct Stats {
    pub total_count: i64,
}

#[derive(Deserialize)]
struct AppToken {
    access_token: String,
}

/// How the floor's `reqwest::Client` is set up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Settings {
    /// As kickrs sets up its own by default: a 30 s total timeout, a 10 s connect timeout, a user
    /// agent and no redirect following. The facade is compared with this floor: the same work on the wire, written by hand.
    LikeKickrs,
    /// A client with reqwest's defaults (only the TLS provider is kickrs'): no timeout and no user agent, for what those settings cost.
    Defaults,
}

impl Settings {
    /// The client, trusting `root` besides the system's roots (the TLS workloads' server); TLS as kickrs
    /// sets it up (rustls with *ring*).
    pub fn client(self, root: Option<&kickrs::TlsRootCertificate>) -> reqwest::Client {
        let roots: Vec<_> = root.into_iter().cloned().collect();
        let builder = kickrs::http_client_builder_trusting(&roots).expect("TLS set-up");
        let builder = match self {
            Settings::Defaults => builder,
            Settings::LikeKickrs => builder
                .user_agent("floor/0.1.0")
                .connect_timeout(std::time::Duration::from_secs(10))
                .timeout(std::time::Duration::from_secs(30))
                .redirect(reqwest::redirect::Policy::none()),
        };
        builder.build().expect("reqwest client")
    }
}

/// A hand-written Kick client: one `reqwest::Client`, one app token.
pub struct Floor {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl Floor {
    /// Fetches an app token (client credentials) from `base` and keeps it.
    pub async fn connect(
        http: reqwest::Client,
        base: &str,
        client_id: &str,
        client_secret: &str,
    ) -> Result<Self, Failure> {
        let form = [("grant_type", "client_credentials"), ("client_id", client_id), ("client_secret", client_secret)];
        let token: AppToken =
            http.post(format!("{base}/oauth/token")).form(&form).send().await?.error_for_status()?.json().await?;
        Ok(Self { http, base: base.to_string(), token: token.access_token })
    }

    /// Uses `token` (e.g. a user token) instead of fetching an app token.
    pub fn with_token(settings: Settings, base: &str, token: &str) -> Self {
        Self { http: settings.client(None), base: base.to_string(), token: token.to_string() }
    }

    async fn get<T: DeserializeOwned>(&self, path: &str, query: &[(&str, String)]) -> Result<T, Failure> {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .query(query)
            .bearer_auth(&self.token)
            .send()
            .await?
            .error_for_status()?;
        let body = response.bytes().await?;
        Ok(serde_json::from_slice::<Envelope<T>>(&body)?.data)
    }

    pub async fn channel(&self, id: u64) -> Result<Channel, Failure> {
        let channels: Vec<Channel> =
            self.get("/public/v1/channels", &[("broadcaster_user_id", id.to_string())]).await?;
        channels.into_iter().next().ok_or_else(|| "no such channel".into())
    }

    /// The token's own channel (a user token).
    pub async fn current_channel(&self) -> Result<Channel, Failure> {
        let channels: Vec<Channel> = self.get("/public/v1/channels", &[]).await?;
        channels.into_iter().next().ok_or_else(|| "no channel".into())
    }

    /// One page; returns its length and whether a cursor came back.
    pub async fn livestreams_v2(&self, limit: u32) -> Result<(usize, bool), Failure> {
        let response = self
            .http
            .get(format!("{}/public/v2/livestreams", self.base))
            .query(&[("limit", limit)])
            .bearer_auth(&self.token)
            .send()
            .await?
            .error_for_status()?;
        let body = response.bytes().await?;
        let page: LiveStreamPage = serde_json::from_slice(&body)?;
        Ok((page.data.len(), !page.pagination.next_cursor.is_empty()))
    }

    pub async fn stats(&self) -> Result<Stats, Failure> {
        self.get("/public/v1/livestreams/stats", &[]).await
    }

    pub async fn category(&self, id: u64) -> Result<Category, Failure> {
        self.get(&format!("/public/v1/categories/{id}"), &[]).await
    }

    pub async fn user_livestreams(&self, ids: &[u64]) -> Result<usize, Failure> {
        let query: Vec<(&str, String)> = ids.iter().map(|id| ("user_id", id.to_string())).collect();
        let streams: Vec<LiveStream> = self.get("/public/v1/users/livestreams", &query).await?;
        Ok(streams.len())
    }
}
