//! Realistic webhook payloads for every event type, in the shapes Kick documents, about users of
//! the default mock world (so a trigger and `kick mock serve` tell the same story).

use chrono::{Duration, SecondsFormat, Utc};
use kickrs::ids::UserId;
use serde_json::{Map, Value, json};

use crate::fail::Fail;

/// Every event type `kick event trigger` sends: the library's own list, in Kick's documented order.
pub const EVENTS: &[&str] = kickrs::webhooks::events::EVENT_NAMES;

/// A Drops reward claim: no type header, so not among the events one subscribes to.
pub const DROPS_CLAIM: &str = "drops.claim";

/// What `kick event trigger` sends: every event type and the Drops claim.
pub fn triggerable() -> impl Iterator<Item = &'static str> {
    EVENTS.iter().copied().chain([DROPS_CLAIM])
}

/// A user as webhook payloads show them.
#[derive(Clone, Debug)]
pub struct Person {
    pub id: UserId,
    pub name: String,
    pub slug: String,
}

impl Person {
    pub fn new(id: impl Into<UserId>, name: &str) -> Self {
        Person { id: id.into(), name: name.to_owned(), slug: name.to_lowercase() }
    }

    /// A user of the default world by id, or a made-up `user<ID>`.
    pub fn known(id: impl Into<UserId>) -> Self {
        use kickrs::mock::seed::*;
        let id = id.into();
        let name = match id {
            AURORA_ID => "AuroraLive",
            BYTEBARD_ID => "ByteBard",
            PIXELPINE_ID => "PixelPine",
            QUIETCODER_ID => "QuietCoder",
            CHATFAN_ID => "chatfan42",
            MODMAX_ID => "modmax",
            _ => return Person::new(id, &format!("user{id}")),
        };
        Person::new(id, name)
    }

    /// The user object Kick sends (`identity` null, as for most users).
    pub fn json(&self) -> Value {
        json!({
            "is_anonymous": false,
            "user_id": self.id,
            "username": self.name,
            "is_verified": false,
            "profile_picture": format!("https://files.kick.com/images/user/{}/profile_image/conversion/default-fullsize.webp", self.id),
            "channel_slug": self.slug,
            "identity": null,
        })
    }
}

/// Who appears in a payload: the channel and up to two other users.
pub struct Cast {
    pub broadcaster: Person,
    /// The actor: chatter, follower, subscriber, gifter, moderator, redeemer, KICKs sender.
    pub actor: Person,
    /// The target where there is one: giftee, banned user.
    pub target: Person,
}

impl Cast {
    /// The default world's cast on `broadcaster`'s channel (AuroraLive by default).
    pub fn default_for(broadcaster: Option<UserId>) -> Self {
        use kickrs::mock::seed::{AURORA_ID, CHATFAN_ID, MODMAX_ID};
        Cast {
            broadcaster: Person::known(broadcaster.unwrap_or(AURORA_ID)),
            actor: Person::known(MODMAX_ID),
            target: Person::known(CHATFAN_ID),
        }
    }
}

fn time(offset: Duration) -> String {
    (Utc::now() + offset).to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn ulid() -> String {
    kickrs::webhooks::signing::ulid_like()
}

/// A payload of `event` about `cast`; `None` for an event type this tool does not know.
pub fn build(event: &str, cast: &Cast) -> Option<Value> {
    let b = cast.broadcaster.json();
    let (actor, target) = (cast.actor.json(), cast.target.json());
    let payload = match event {
        "chat.message.sent" => json!({
            "message_id": uuid::Uuid::new_v4().to_string(),
            "replies_to": null,
            "broadcaster": b,
            "sender": actor,
            "content": "Hello chat [emote:37226:KEKW]",
            "emotes": [{"emote_id": "37226", "positions": [{"s": 11, "e": 28}]}],
            "created_at": time(Duration::zero()),
        }),
        "channel.followed" => json!({"broadcaster": b, "follower": actor}),
        "channel.subscription.renewal" => json!({
            "broadcaster": b, "subscriber": actor, "duration": 3,
            "created_at": time(Duration::zero()), "expires_at": time(Duration::days(30)),
        }),
        "channel.subscription.gifts" => json!({
            "broadcaster": b, "gifter": actor, "giftees": [target],
            "created_at": time(Duration::zero()), "expires_at": time(Duration::days(30)),
        }),
        "channel.subscription.new" => json!({
            "broadcaster": b, "subscriber": actor, "duration": 1,
            "created_at": time(Duration::zero()), "expires_at": time(Duration::days(30)),
        }),
        "channel.reward.redemption.updated" => json!({
            "id": ulid(),
            "user_input": "",
            "status": "pending",
            "redeemed_at": time(Duration::zero()),
            "reward": {"id": ulid(), "title": "Hydrate!", "cost": 100, "description": "Make me drink some water"},
            "redeemer": without_identity(actor),
            "broadcaster": without_identity(b),
        }),
        "livestream.status.updated" => json!({
            "broadcaster": b, "is_live": true, "title": format!("{} is live", cast.broadcaster.name),
            "started_at": time(Duration::zero()), "ended_at": null,
        }),
        "livestream.metadata.updated" => json!({
            "broadcaster": b,
            "metadata": {
                "title": "Morning coffee & chat", "language": "en", "has_mature_content": false,
                "category": {"id": 15, "name": "Just Chatting",
                             "thumbnail": "https://files.kick.com/images/subcategories/15/banner/conversion/thumb.webp"},
            },
        }),
        "moderation.banned" => json!({
            "broadcaster": b, "moderator": actor, "banned_user": target,
            "metadata": {"reason": "spam", "created_at": time(Duration::zero()), "expires_at": time(Duration::minutes(10))},
        }),
        "kicks.gifted" => json!({
            "broadcaster": without_identity(b),
            "sender": without_identity(actor),
            "gift": {"amount": 100, "name": "Full Send", "type": "BASIC", "tier": "BASIC", "message": "gg", "pinned_time_seconds": 0},
            "created_at": time(Duration::zero()),
        }),
        DROPS_CLAIM => json!({
            "claim_id": ulid(),
            "user_id": cast.actor.id,
            "campaign_id": kickrs::mock::seed::DROPS_CAMPAIGN_ID,
            "reward_id": kickrs::mock::seed::DROPS_SAPLING_REWARD_ID,
            "external_id": "pw-sapling-skin",
        }),
        _ => return None,
    };
    Some(payload)
}

/// Kick leaves `is_anonymous` and `identity` out of the users in some payloads.
fn without_identity(mut user: Value) -> Value {
    if let Some(object) = user.as_object_mut() {
        object.remove("is_anonymous");
        object.remove("identity");
    }
    user
}

/// Applies `--set a.b.c=value`: the value is JSON when it parses as JSON, else text. Missing
/// objects on the path are created; an index into an array is a number (`giftees.0.username`).
pub fn apply_set(payload: &mut Value, assignment: &str) -> Result<(), Fail> {
    let (path, raw) = assignment
        .split_once('=')
        .ok_or_else(|| Fail::new(format!("--set {assignment}: expected FIELD=VALUE, e.g. --set content=hello")))?;
    if path.is_empty() {
        return Err(Fail::new(format!("--set {assignment}: the field path is empty")));
    }
    let value = serde_json::from_str(raw).unwrap_or_else(|_| Value::String(raw.to_owned()));
    let mut node = payload;
    let parts: Vec<&str> = path.split('.').collect();
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        node = match node {
            Value::Array(items) => {
                let index: usize = part.parse().map_err(|_| {
                    Fail::new(format!("--set {path}: `{part}` indexes an array, so it must be a number"))
                })?;
                let len = items.len();
                items.get_mut(index).ok_or_else(|| {
                    Fail::new(format!("--set {path}: index {index} is past the end (the array has {len})"))
                })?
            }
            other => {
                if !other.is_object() {
                    *other = Value::Object(Map::new());
                }
                let Value::Object(map) = other else { unreachable!("made an object above") };
                map.entry(part.to_string()).or_insert(Value::Null)
            }
        };
        if last {
            *node = value;
            return Ok(());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_type_of_the_library_has_a_payload_that_decodes_as_its_type() {
        assert_eq!(triggerable().count(), EVENTS.len() + 1);
        for event in triggerable() {
            let body = serde_json::to_vec(&build(event, &Cast::default_for(None)).unwrap()).unwrap();
            let decoded = kickrs::webhooks::Event::decode(event, 1, &body).unwrap();
            assert_eq!(decoded.event_type(), event);
            assert!(!matches!(decoded, kickrs::webhooks::Event::Unknown { .. }), "{event}");
        }
    }

    #[test]
    fn set_overrides_nested_fields_as_json_or_text_and_names_bad_paths() {
        let mut payload = build("channel.subscription.gifts", &Cast::default_for(Some(1002.into()))).unwrap();
        apply_set(&mut payload, "gifter.username=bob").unwrap();
        apply_set(&mut payload, "giftees.0.user_id=77").unwrap();
        apply_set(&mut payload, "extra.flag=true").unwrap();
        assert_eq!(payload["gifter"]["username"], "bob");
        assert_eq!(payload["giftees"][0]["user_id"], 77);
        assert_eq!(payload["extra"]["flag"], true);
        assert_eq!(payload["broadcaster"]["username"], "ByteBard");
        let err = apply_set(&mut payload, "giftees.5.user_id=1").unwrap_err().to_string();
        assert!(err.contains("index 5 is past the end"), "{err}");
        let err = apply_set(&mut payload, "no-equals-sign").unwrap_err().to_string();
        assert!(err.contains("expected FIELD=VALUE"), "{err}");
    }
}
