//! The same call made three ways: (a) the hand-written floor, (b) `kickrs::raw`, (c) the facade; and
//! (a0) the floor again on reqwest's default client, to show what kickrs's client settings cost.

use kickrs::ids::{CategoryId, UserId};
use std::num::NonZeroU64;

use kickrs::KickClient;
use kickrs::api::LivestreamsV2Options;

use super::floor::Floor;

/// One of the clients under comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    Floor,
    BareFloor,
    Raw,
    Facade,
}

impl Variant {
    /// The floor first: the ratios are taken against it.
    pub const ALL: [Variant; 4] = [Variant::Floor, Variant::BareFloor, Variant::Raw, Variant::Facade];

    pub fn label(self) -> &'static str {
        match self {
            Variant::Floor => "(a) reqwest+serde_json",
            Variant::BareFloor => "(a0) same, reqwest defaults",
            Variant::Raw => "(b) kickrs::raw",
            Variant::Facade => "(c) facade",
        }
    }

    /// The name of its ratio to the floor.
    pub fn ratio_name(self) -> &'static str {
        match self {
            Variant::Floor => "a/a",
            Variant::BareFloor => "a0/a",
            Variant::Raw => "b/a",
            Variant::Facade => "c/a",
        }
    }

    /// The variants, rotated by `round` so each runs in each position equally often.
    pub fn rotated(round: usize) -> [Variant; 4] {
        let mut order = Self::ALL;
        order.rotate_left(round % Self::ALL.len());
        order
    }
}

/// An endpoint of the workloads.
#[derive(Clone, Copy, Debug)]
pub enum Op {
    /// `GET /public/v1/channels?broadcaster_user_id=..` (one channel).
    Channel,
    /// `GET /public/v2/livestreams?limit=100` (a page of 100 streams).
    LiveStreamsPage,
    /// `GET /public/v1/livestreams/stats`.
    Stats,
    /// `GET /public/v1/categories/{id}`.
    Category,
    /// `GET /public/v1/users/livestreams?user_id=..` (three users).
    UserLivestreams,
}

/// The mixed workload's endpoints, taken in turn.
pub const MIX: [Op; 4] = [Op::Channel, Op::Stats, Op::Category, Op::UserLivestreams];

/// The streams per page of the decoding workload.
pub const PAGE_LIMIT: u32 = 100;

/// The clients, all pointed at the same server.
pub struct Clients {
    pub floor: Floor,
    pub bare_floor: Floor,
    pub facade: KickClient,
    pub channel_id: UserId,
    pub category_id: CategoryId,
    pub user_ids: Vec<UserId>,
}

impl Clients {
    /// Makes one call; returns how many items came back (checked, so no variant measures failures).
    pub async fn call(&self, variant: Variant, op: Op) -> usize {
        let items = match variant {
            Variant::Floor => self.floor_call(&self.floor, op).await,
            Variant::BareFloor => self.floor_call(&self.bare_floor, op).await,
            Variant::Raw => self.raw_call(op).await,
            Variant::Facade => self.facade_call(op).await,
        };
        match items {
            Ok(n) if n > 0 => n,
            Ok(_) => panic!("{} {op:?}: empty answer", variant.label()),
            Err(e) => panic!("{} {op:?}: {e}", variant.label()),
        }
    }

    async fn floor_call(&self, floor: &Floor, op: Op) -> Result<usize, String> {
        let items = match op {
            Op::Channel => floor.channel(self.channel_id.get()).await.map(|c| usize::from(c.broadcaster_user_id > 0)),
            Op::LiveStreamsPage => floor.livestreams_v2(PAGE_LIMIT).await.map(|(n, _)| n),
            Op::Stats => floor.stats().await.map(|s| usize::from(s.total_count > 0)),
            Op::Category => floor.category(self.category_id.get()).await.map(|_| 1),
            Op::UserLivestreams => {
                floor.user_livestreams(&self.user_ids.iter().map(|id| id.get()).collect::<Vec<_>>()).await
            }
        };
        items.map_err(|e| e.to_string())
    }

    async fn raw_call(&self, op: Op) -> Result<usize, String> {
        let raw = self.facade.raw();
        let items = match op {
            Op::Channel => {
                raw.fetch_channels(Some(&vec![self.channel_id]), None).await.map(|r| r.into_inner().data.len())
            }
            Op::LiveStreamsPage => {
                let limit = NonZeroU64::new(u64::from(PAGE_LIMIT));
                raw.fetch_livestreams_v2(None, None, None, limit).await.map(|r| r.into_inner().data.len())
            }
            Op::Stats => raw.fetch_livestream_stats().await.map(|r| r.into_inner().data.map_or(0, |_| 1)),
            Op::Category => raw.fetch_category(&self.category_id).await.map(|r| r.into_inner().data.map_or(0, |_| 1)),
            Op::UserLivestreams => raw.fetch_user_livestreams(&self.user_ids).await.map(|r| r.into_inner().data.len()),
        };
        items.map_err(|e| e.to_string())
    }

    #[allow(deprecated)] // v1 category lookup: measured while Kick still serves it
    async fn facade_call(&self, op: Op) -> Result<usize, String> {
        let facade = &self.facade;
        let items = match op {
            Op::Channel => facade.fetch_channel(self.channel_id).await.map(|_| 1),
            Op::LiveStreamsPage => {
                let options = LivestreamsV2Options { limit: Some(PAGE_LIMIT), ..Default::default() };
                facade.fetch_livestreams_v2(options).await.map(|page| page.items.len())
            }
            Op::Stats => facade.fetch_livestream_stats().await.map(|_| 1),
            Op::Category => facade.fetch_category(self.category_id).await.map(|_| 1),
            Op::UserLivestreams => facade.fetch_user_livestreams(&self.user_ids).await.map(|v| v.len()),
        };
        items.map_err(|e| e.to_string())
    }
}

impl Clients {
    /// The size in bytes of each workload call's future, facade against floor (built, never polled):
    /// every call moves its future at least once, so these bytes are memory traffic per call.
    #[allow(deprecated)] // v1 category lookup: measured while Kick still serves it
    pub fn future_sizes(&self) -> Vec<(&'static str, usize, usize)> {
        use std::mem::size_of_val;
        let (facade, floor) = (&self.facade, &self.floor);
        let options = || LivestreamsV2Options { limit: Some(PAGE_LIMIT), ..Default::default() };
        vec![
            ("fetch_channel", size_of_val(&facade.fetch_channel(self.channel_id)), size_of_val(&floor.channel(1))),
            (
                "fetch_livestreams_v2",
                size_of_val(&facade.fetch_livestreams_v2(options())),
                size_of_val(&floor.livestreams_v2(PAGE_LIMIT)),
            ),
            ("fetch_livestream_stats", size_of_val(&facade.fetch_livestream_stats()), size_of_val(&floor.stats())),
            ("fetch_category", size_of_val(&facade.fetch_category(self.category_id)), size_of_val(&floor.category(1))),
            (
                "fetch_user_livestreams",
                size_of_val(&facade.fetch_user_livestreams(&self.user_ids)),
                size_of_val(&floor.user_livestreams(&self.user_ids.iter().map(|id| id.get()).collect::<Vec<_>>())),
            ),
        ]
    }
}
