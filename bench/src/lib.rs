//! What the benchmarks share with the programs they start: the hand-written floor client and the
//! peak-RSS workload, which also runs as a program of its own per client (`src/bin/`).

pub mod floor;
pub mod rss;

/// The facade's builder as every benchmark process sets it up: MockKick's default app credentials, and
/// `base` for both the API and OAuth.
pub fn facade_builder(base: &str) -> kickrs::KickClientBuilder {
    kickrs::KickClient::builder()
        .client_id(kickrs::mock::seed::DEFAULT_CLIENT_ID)
        .client_secret(kickrs::mock::seed::DEFAULT_CLIENT_SECRET)
        .api_base_url(base)
        .oauth_base_url(base)
}
