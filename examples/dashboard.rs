//! A dashboard of the live streams in one category, refreshed on a background task, run against
//! MockKick:
//!
//! ```text
//! cargo run -p kickrs-examples --example dashboard --features mock
//! ```
//!
//! It finds the category by name, then pages through its live streams (`fetch_livestreams_v2_stream`,
//! moved into `tokio::spawn`) every refresh and prints a table. Between two refreshes a channel goes live.

use std::time::Duration;

use futures::TryStreamExt as _;
use kickrs::KickClient;
use kickrs::api::{CategoriesOptions, LivestreamsV2Options};
use kickrs::ids::CategoryId;
use kickrs::mock::seed::QUIETCODER_ID;
use kickrs::mock::{MockKick, MockLiveStream};
use kickrs::models::LiveStreamV2;
use tokio::sync::mpsc;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Every live stream in `category`, most watched first, paging 2 at a time to show the cursor at work.
fn refresh(client: &KickClient, category: CategoryId) -> tokio::task::JoinHandle<kickrs::Result<Vec<LiveStreamV2>>> {
    // The stream owns a clone of the client, so it can run on a task of its own.
    let options = LivestreamsV2Options { category_ids: vec![category], limit: Some(2), ..Default::default() };
    let pages = client.fetch_livestreams_v2_stream(options);
    tokio::spawn(async move {
        let mut streams: Vec<LiveStreamV2> = pages.try_collect().await?;
        streams.sort_by_key(|stream| std::cmp::Reverse(stream.viewer_count));
        Ok(streams)
    })
}

/// Sends a fresh table every 200 ms until the dashboard stops listening.
async fn redraw(client: KickClient, category: CategoryId, tables: mpsc::Sender<Result<Vec<LiveStreamV2>, BoxError>>) {
    let mut ticks = tokio::time::interval(Duration::from_millis(200));
    loop {
        ticks.tick().await;
        // The task's own failure (a panic) or the API's error, either way shown on the dashboard.
        let streams = match refresh(&client, category).await {
            Ok(streams) => streams.map_err(BoxError::from),
            Err(task) => Err(BoxError::from(task)),
        };
        if tables.send(streams).await.is_err() {
            return;
        }
    }
}

fn print_table(round: usize, category: &str, streams: &[LiveStreamV2]) {
    println!("\n[{round}] {category}: {} live", streams.len());
    for stream in streams {
        println!("  {:<14} {:>6} viewers  {}", stream.channel.slug, stream.viewer_count, stream.title);
    }
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let mock = MockKick::start().await;
    let client = mock.client()?;

    let query = CategoriesOptions { query: Some("Software".into()), ..Default::default() };
    let category = client.fetch_categories(query).await?.items.into_iter().next().ok_or("no such category")?;
    println!("Watching {} (category {})", category.name, category.id);

    // The refresher redraws every 200 ms until the dashboard closes.
    let (tables, mut received) = mpsc::channel(1);
    let refresher = tokio::spawn(redraw(client.clone(), category.id, tables));

    let first = received.recv().await.ok_or("the refresher stopped")??;
    print_table(1, &category.name, &first);
    // QuietCoder (category Software Development) goes live; a later refresh shows it.
    mock.go_live(MockLiveStream::new(QUIETCODER_ID).viewers(75));
    let mut round = 1;
    let latest = loop {
        round += 1;
        let streams = received.recv().await.ok_or("the refresher stopped")??;
        if streams.len() != first.len() || round > 10 {
            break streams;
        }
    };
    print_table(round, &category.name, &latest);
    drop(received);
    refresher.await?;

    if latest.len() != first.len() + 1 {
        return Err(format!("expected one more live stream once QuietCoder went live, saw {}", latest.len()).into());
    }
    Ok(())
}
