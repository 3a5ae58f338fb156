//! The `--seed FILE` format of `kick mock serve`: the world MockKick serves, as JSON.
//!
//! ```json
//! {
//!   "categories": [{"id": 15, "name": "Just Chatting", "tags": ["IRL"]}],
//!   "users": [{"id": 1001, "name": "AuroraLive"}],
//!   "channels": [{"broadcaster_user_id": 1001, "slug": "auroralive", "title": "Morning coffee",
//!                 "category_id": 15, "tags": ["English"], "language": "en", "moderators": [2002],
//!                 "subscribers": 340}],
//!   "live": [{"broadcaster_user_id": 1001, "viewers": 1250, "minutes_ago": 95}],
//!   "rewards": [{"broadcaster_user_id": 1001, "title": "Hydrate!", "cost": 100,
//!                "description": "Make me drink some water", "input_required": false}]
//! }
//! ```
//!
//! Every list is optional. A user without a channel entry gets one whose slug is the lower-cased
//! name. `cli/examples/seed.json` is the default world written in this format.

use kickrs::mock::{MockCategory, MockChannel, MockKickBuilder, MockLiveStream, MockReward, MockUser};
use serde::Deserialize;

use crate::fail::Fail;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seed {
    #[serde(default)]
    categories: Vec<SeedCategory>,
    #[serde(default)]
    users: Vec<SeedUser>,
    #[serde(default)]
    channels: Vec<SeedChannel>,
    #[serde(default)]
    live: Vec<SeedLive>,
    #[serde(default)]
    rewards: Vec<SeedReward>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedCategory {
    id: u64,
    name: String,
    #[serde(default)]
    tags: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedUser {
    id: u64,
    name: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedChannel {
    broadcaster_user_id: u64,
    slug: String,
    title: Option<String>,
    category_id: Option<u64>,
    #[serde(default)]
    tags: Vec<String>,
    language: Option<String>,
    #[serde(default)]
    moderators: Vec<u64>,
    #[serde(default)]
    subscribers: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedLive {
    broadcaster_user_id: u64,
    #[serde(default)]
    viewers: u64,
    #[serde(default)]
    minutes_ago: i64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedReward {
    broadcaster_user_id: u64,
    title: String,
    cost: u64,
    #[serde(default)]
    description: String,
    #[serde(default)]
    input_required: bool,
}

impl Seed {
    /// Parses a seed file, naming the file, line and field on error.
    pub fn parse(name: &str, text: &str) -> Result<Seed, Fail> {
        let seed: Seed = serde_json::from_str(text).map_err(|e| Fail::new(format!("seed file {name}: {e}")))?;
        seed.check(name)?;
        Ok(seed)
    }

    /// References must point at something in the file.
    fn check(&self, name: &str) -> Result<(), Fail> {
        let user = |id: u64| self.users.iter().any(|u| u.id == id);
        let bad = |what: String| Err(Fail::new(format!("seed file {name}: {what}")));
        for c in &self.channels {
            if !user(c.broadcaster_user_id) {
                return bad(format!(
                    "channel `{}` belongs to user {}, who is not in `users`",
                    c.slug, c.broadcaster_user_id
                ));
            }
            if let Some(id) = c.category_id
                && !self.categories.iter().any(|k| k.id == id)
            {
                return bad(format!("channel `{}` has category_id {id}, which is not in `categories`", c.slug));
            }
        }
        for l in &self.live {
            if !user(l.broadcaster_user_id) {
                return bad(format!("live stream of user {}, who is not in `users`", l.broadcaster_user_id));
            }
        }
        for r in &self.rewards {
            if !user(r.broadcaster_user_id) {
                return bad(format!("reward `{}` of user {}, who is not in `users`", r.title, r.broadcaster_user_id));
            }
        }
        Ok(())
    }

    /// Adds the seed's world to a MockKick builder.
    pub fn apply(self, mut builder: MockKickBuilder) -> MockKickBuilder {
        for c in self.categories {
            builder = builder.category(MockCategory::new(c.id, &c.name).tags(c.tags));
        }
        for u in self.users {
            builder = builder.user(MockUser::new(u.id, &u.name));
        }
        for c in self.channels {
            let mut channel =
                MockChannel::new(c.broadcaster_user_id, &c.slug).tags(c.tags).subscribers(c.subscribers, 0);
            if let Some(title) = &c.title {
                channel = channel.title(title);
            }
            if let Some(id) = c.category_id {
                channel = channel.category(id);
            }
            if let Some(language) = &c.language {
                channel = channel.language(language);
            }
            for moderator in c.moderators {
                channel = channel.moderator(moderator);
            }
            builder = builder.channel(channel);
        }
        for l in self.live {
            let started = chrono::Utc::now() - chrono::Duration::minutes(l.minutes_ago);
            builder = builder.live(MockLiveStream::new(l.broadcaster_user_id).viewers(l.viewers).started_at(started));
        }
        for r in self.rewards {
            let mut reward = MockReward::new(r.broadcaster_user_id, &r.title, r.cost).description(&r.description);
            if r.input_required {
                reward = reward.input_required();
            }
            builder = builder.reward(reward);
        }
        builder
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_example_parses_and_bad_references_are_named() {
        let example = include_str!("../examples/seed.json");
        Seed::parse("seed.json", example).unwrap();
        let err = Seed::parse(
            "x.json",
            r#"{"users":[{"id":1,"name":"a"}],"channels":[{"broadcaster_user_id":2,"slug":"b"}]}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("channel `b` belongs to user 2"), "{err}");
        let err = Seed::parse("x.json", r#"{"users":[{"id":1,"nam":"a"}]}"#).unwrap_err().to_string();
        assert!(err.contains("x.json") && err.contains("unknown field `nam`"), "{err}");
    }
}
