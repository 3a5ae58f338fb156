//! Live streams: v1 (deprecated by Kick), v2 cursor pages, per-user, and the global count.

use crate::models::LivestreamStats;
use crate::{Error, KickClient};

impl KickClient {
    /// How many streams are live on Kick right now.
    ///
    /// Token: app (or user, no scope needed). `GET /public/v1/livestreams/stats`.
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// let stats = client.fetch_livestream_stats().await?;
    /// println!("{} streams live", stats.total_count);
    /// # Ok(()) }
    /// ```
    pub async fn fetch_livestream_stats(&self) -> crate::Result<LivestreamStats> {
        let answer = self.call(None, self.raw().fetch_livestream_stats()).await?;
        answer.into_inner().data.ok_or_else(|| self.empty_answer("fetch_livestream_stats"))
    }
}

impl KickClient {
    /// The error for a single-resource fetch whose `data` came back empty.
    pub(crate) fn empty_answer(&self, operation: &'static str) -> Error {
        let op = crate::raw::operation(operation);
        Error::NotFound {
            message: Some("Kick answered with no data".into()),
            endpoint: crate::error::Endpoint {
                operation,
                method: op.map(|op| op.method).unwrap_or("GET").parse().unwrap_or_default(),
                uri: op.map(|op| op.path.to_string()).unwrap_or_default(),
            },
        }
    }
}
