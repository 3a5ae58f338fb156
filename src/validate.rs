//! Kick's input limits, checked before any request is sent.
//!
//! Every limit lives here, next to the rule that enforces it; the facade only calls these rules.

use std::num::NonZeroU64;

use crate::raw::types::{FetchChannelsSlugItem, UpdateChannelRequestStreamTitle};

/// An argument that breaks one of Kick's limits.
///
/// ```
/// let err = kickrs::validate::ValidationError::new("content", kickrs::validate::Problem::Length { len: 600, min: 1, max: 500 });
/// assert_eq!(err.to_string(), "`content` is 600 characters long; Kick allows 1 to 500");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{field}` {problem}")]
pub struct ValidationError {
    /// The argument at fault, named as in Kick's API.
    pub field: &'static str,
    /// What is wrong with it.
    pub problem: Problem,
}

impl ValidationError {
    /// Builds an error for `field`.
    pub fn new(field: &'static str, problem: Problem) -> Self {
        Self { field, problem }
    }
}

/// What is wrong with an argument, with the size found and the limit.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    /// A text outside its length range (counted in Unicode scalar values).
    #[error("is {len} characters long; Kick allows {}", allowed(*min, *max, usize::MAX))]
    Length {
        /// Length found.
        len: usize,
        /// Smallest length allowed.
        min: usize,
        /// Largest length allowed.
        max: usize,
    },
    /// A number outside its range.
    #[error("is {value}; Kick allows {}", allowed(*min, *max, i64::MAX))]
    Range {
        /// Value found.
        value: i64,
        /// Smallest value allowed.
        min: i64,
        /// Largest value allowed.
        max: i64,
    },
    /// A list with too few or too many items.
    #[error("has {count} items; Kick allows {}", allowed(*min, *max, usize::MAX))]
    Count {
        /// Items found.
        count: usize,
        /// Fewest allowed.
        min: usize,
        /// Most allowed.
        max: usize,
    },
    /// A list with the same item twice.
    #[error("lists `{value}` more than once; Kick wants unique values")]
    Duplicate {
        /// The repeated value.
        value: String,
    },
    /// A value in the wrong format.
    #[error("is `{value}`, not {expected}")]
    Format {
        /// Value found.
        value: String,
        /// The format Kick wants, e.g. `a #RRGGBB colour`.
        expected: &'static str,
    },
    /// A required argument is missing.
    #[error("is required {reason}")]
    Missing {
        /// When it is required.
        reason: &'static str,
    },
    /// Two arguments that cannot be used together.
    #[error("cannot be combined with `{other}`")]
    Conflict {
        /// The other argument.
        other: &'static str,
    },
    /// An update that sets nothing.
    #[error("sets no field; Kick needs at least one")]
    Empty,
    /// A length of time that is not a whole number of Kick's unit, or outside Kick's range.
    #[error("is {value:?}; Kick allows whole {unit} from {min} to {max}")]
    Duration {
        /// Length given.
        value: std::time::Duration,
        /// Kick's unit for this field: `minutes` or `seconds`.
        unit: &'static str,
        /// Shortest allowed, in `unit`.
        min: u64,
        /// Longest allowed, in `unit`.
        max: u64,
    },
    /// A value outside a fixed set (a sort order, a message kind).
    #[error("is `{value}`; Kick allows one of: {}", allowed.join(", "))]
    NotOneOf {
        /// Value found.
        value: String,
        /// Every value Kick accepts.
        allowed: &'static [&'static str],
    },
}

/// `min to max`, or `at least min` where Kick sets no upper limit (`max` is the type's largest value).
fn allowed<T: std::fmt::Display + PartialEq>(min: T, max: T, unbounded: T) -> String {
    if max == unbounded { format!("at least {min}") } else { format!("{min} to {max}") }
}

// ---------------------------------------------------------------- shared rules
// (length, range, count, uniqueness helpers used by both sections below)

/// Checks that `value` is `min..=max` characters long, counted as Unicode scalar values (as Kick counts).
///
/// ```
/// use kickrs::validate::{length, Problem};
/// assert!(length("title", "hi", 1, 50).is_ok());
/// assert_eq!(length("title", "", 1, 50).unwrap_err().problem, Problem::Length { len: 0, min: 1, max: 50 });
/// ```
pub fn length(field: &'static str, value: &str, min: usize, max: usize) -> Result<(), ValidationError> {
    let len = value.chars().count();
    if (min..=max).contains(&len) {
        Ok(())
    } else {
        Err(ValidationError::new(field, Problem::Length { len, min, max }))
    }
}

/// Checks every item of a list with [`length`]; the error names the first item at fault.
pub fn each_length<S: AsRef<str>>(
    field: &'static str,
    values: &[S],
    min: usize,
    max: usize,
) -> Result<(), ValidationError> {
    values.iter().try_for_each(|value| length(field, value.as_ref(), min, max))
}

/// Checks that `value` lies in `min..=max`.
///
/// ```
/// use kickrs::validate::{range, Problem};
/// assert!(range("limit", 100, 1, 100).is_ok());
/// assert_eq!(range("limit", 0, 1, 100).unwrap_err().problem, Problem::Range { value: 0, min: 1, max: 100 });
/// ```
pub fn range(field: &'static str, value: i64, min: i64, max: i64) -> Result<(), ValidationError> {
    if (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(ValidationError::new(field, Problem::Range { value, min, max }))
    }
}

/// Checks that every item of a list lies in `min..=max` (e.g. ids that must be at least 1).
pub fn each_range(field: &'static str, values: &[i64], min: i64, max: i64) -> Result<(), ValidationError> {
    values.iter().try_for_each(|value| range(field, *value, min, max))
}

/// Checks that a list has `min..=max` items.
///
/// ```
/// use kickrs::validate::{count, Problem};
/// assert!(count("ids", 25, 1, 25).is_ok());
/// assert_eq!(count("ids", 26, 1, 25).unwrap_err().problem, Problem::Count { count: 26, min: 1, max: 25 });
/// ```
pub fn count(field: &'static str, count: usize, min: usize, max: usize) -> Result<(), ValidationError> {
    if (min..=max).contains(&count) {
        Ok(())
    } else {
        Err(ValidationError::new(field, Problem::Count { count, min, max }))
    }
}

/// Checks that no item of a list appears twice; the error names the first repeated item.
///
/// ```
/// use kickrs::validate::{unique, Problem};
/// assert!(unique("ids", &["a", "b"]).is_ok());
/// assert_eq!(unique("ids", &["a", "b", "a"]).unwrap_err().problem, Problem::Duplicate { value: "a".into() });
/// ```
pub fn unique<T: std::fmt::Display + Eq + std::hash::Hash>(
    field: &'static str,
    values: &[T],
) -> Result<(), ValidationError> {
    let mut seen = std::collections::HashSet::with_capacity(values.len());
    match values.iter().find(|value| !seen.insert(*value)) {
        Some(repeated) => Err(ValidationError::new(field, Problem::Duplicate { value: repeated.to_string() })),
        None => Ok(()),
    }
}

/// Checks that an update sets at least one field (`field` names the whole update, e.g. `body`).
pub fn at_least_one(field: &'static str, any_set: bool) -> Result<(), ValidationError> {
    if any_set { Ok(()) } else { Err(ValidationError::new(field, Problem::Empty)) }
}

/// The error for a value outside a fixed set, naming every allowed value (the facade's enums parse with it).
///
/// ```
/// let error = kickrs::validate::one_of("sort", "newest", &["viewer_count", "started_at"]);
/// assert_eq!(error.to_string(), "`sort` is `newest`; Kick allows one of: viewer_count, started_at");
/// ```
pub fn one_of(field: &'static str, value: &str, allowed: &'static [&'static str]) -> ValidationError {
    ValidationError::new(field, Problem::NotOneOf { value: value.to_string(), allowed })
}

/// Builds one of the spec's checked string types (`raw::types`, e.g. `SendChatMessageRequestContent`) and
/// reports a refusal as a [`Problem::Length`] with the limits the spec states (`min`, `max`), so the spec
/// stays the judge and the error still names the size and the limit.
pub fn spec_text<T>(field: &'static str, value: &str, min: usize, max: usize) -> Result<T, ValidationError>
where
    T: for<'a> TryFrom<&'a str>,
{
    T::try_from(value)
        .map_err(|_| ValidationError::new(field, Problem::Length { len: value.chars().count(), min, max }))
}

/// A number from 1 to `max`, as the spec's non-zero type (`NonZeroU64`).
pub fn positive(field: &'static str, value: u64, max: u64) -> Result<NonZeroU64, ValidationError> {
    let out_of_range = || {
        let clamp = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        ValidationError::new(field, Problem::Range { value: clamp(value), min: 1, max: clamp(max) })
    };
    if value > max {
        return Err(out_of_range());
    }
    NonZeroU64::new(value).ok_or_else(out_of_range)
}

// ---------------------------------------------------------------- reads: users, channels, livestreams, categories

/// User ids Kick takes per `GET /users` or `GET /users/livestreams` request (longer lists are split).
pub const USER_IDS_PER_REQUEST: usize = 100;
/// Broadcaster ids or slugs Kick takes per `GET /channels` request (longer lists are split).
pub const CHANNELS_PER_REQUEST: usize = 50;
/// Broadcaster ids one v1 livestreams request takes (not split: `limit` and `sort` apply to the whole answer).
pub const LIVESTREAM_BROADCASTERS_MAX: usize = 50;
/// Longest channel slug.
pub const SLUG_MAX_CHARS: usize = 25;
/// Most custom tags on a channel.
pub const CUSTOM_TAGS_MAX: usize = 10;
/// `limit` range of the v1 livestreams list.
pub const LIVESTREAMS_V1_LIMIT_MAX: u32 = 100;
/// `limit` range of the v2 livestreams list.
pub const LIVESTREAMS_V2_LIMIT_MAX: u32 = 1000;
/// Most `category_id` or `language_code` filters on the v2 livestreams list.
pub const LIVESTREAMS_V2_FILTERS_MAX: usize = 25;
/// `limit` range of the v2 categories list.
pub const CATEGORIES_LIMIT_MAX: u32 = 1000;
/// Length of each category name or tag filter.
pub const CATEGORY_FILTER_CHARS: (usize, usize) = (3, 100);

/// A page size `1..=max`, as the spec's non-zero type.
pub fn page_limit(field: &'static str, limit: u32, max: u32) -> Result<NonZeroU64, ValidationError> {
    positive(field, u64::from(limit), u64::from(max))
}

/// A numeric id Kick wants positive (user, channel and category ids): not 0.
///
/// ```
/// use kickrs::validate::{positive_id, Problem};
/// assert!(positive_id("category_id", 28).is_ok());
/// assert_eq!(positive_id("category_id", 0).unwrap_err().problem, Problem::Range { value: 0, min: 1, max: i64::MAX });
/// ```
pub fn positive_id(field: &'static str, id: u64) -> Result<(), ValidationError> {
    match id {
        0 => Err(ValidationError::new(field, Problem::Range { value: 0, min: 1, max: i64::MAX })),
        _ => Ok(()),
    }
}

/// Every numeric id of a list is positive.
pub fn each_positive_id<I: Copy + Into<u64>>(field: &'static str, ids: &[I]) -> Result<(), ValidationError> {
    ids.iter().try_for_each(|id| positive_id(field, (*id).into()))
}

/// A channel slug: 1 to 25 characters (an empty slug would ask for the token's own channel).
pub fn channel_slug(slug: &str) -> Result<FetchChannelsSlugItem, ValidationError> {
    length("slug", slug, 1, SLUG_MAX_CHARS)?;
    spec_text("slug", slug, 1, SLUG_MAX_CHARS)
}

/// A stream title for `update_channel`: at least one character (the spec's `minLength`).
///
/// ```
/// let err = kickrs::validate::stream_title("").unwrap_err();
/// assert_eq!(err.to_string(), "`stream_title` is 0 characters long; Kick allows at least 1");
/// ```
pub fn stream_title(title: &str) -> Result<UpdateChannelRequestStreamTitle, ValidationError> {
    spec_text("stream_title", title, 1, usize::MAX)
}

/// Custom tags for `update_channel`: at most 10 (none clears them).
pub fn custom_tags(tags: &[String]) -> Result<(), ValidationError> {
    count("custom_tags", tags.len(), 0, CUSTOM_TAGS_MAX)
}

/// Category name or tag filters (each 3 to 100 characters), comma-joined as Kick wants them;
/// `None` for an empty list.
pub fn category_filters(field: &'static str, values: &[String]) -> Result<Option<String>, ValidationError> {
    each_length(field, values, CATEGORY_FILTER_CHARS.0, CATEGORY_FILTER_CHARS.1)?;
    // The separator: a comma inside one value would split it in two on Kick's side.
    if values.iter().any(|value| value.contains(',')) {
        let value = values.iter().find(|value| value.contains(',')).cloned().unwrap_or_default();
        return Err(ValidationError::new(
            field,
            Problem::Format { value, expected: "a value without commas (Kick joins the list with commas)" },
        ));
    }
    Ok((!values.is_empty()).then(|| values.join(",")))
}

/// A list that must not be empty.
pub fn required_list(field: &'static str, len: usize) -> Result<(), ValidationError> {
    if len == 0 {
        Err(ValidationError::new(field, Problem::Missing { reason: "(at least one value)" }))
    } else {
        Ok(())
    }
}

// ---------------------------------------------------------------- writes: chat, moderation, rewards, kicks, ads, events

/// Kick's longest chat message, in Unicode scalar values.
pub(crate) const CHAT_CONTENT_MAX: usize = 500;
/// Longest ban or timeout, in minutes (one week).
pub(crate) const BAN_DURATION_MAX_MINUTES: u32 = 10_080;
/// Longest ban reason.
pub(crate) const BAN_REASON_MAX: usize = 100;
/// Longest reward title.
pub(crate) const REWARD_TITLE_MAX: usize = 50;
/// Longest reward description.
pub(crate) const REWARD_DESCRIPTION_MAX: usize = 200;
/// Most redemption ids per request (Kick cannot take more, so a longer list is refused, not split).
pub(crate) const REDEMPTION_IDS_MAX: usize = 25;
/// Largest kicks leaderboard.
pub(crate) const LEADERBOARD_TOP_MAX: u32 = 100;
/// Shortest and longest ad break, in seconds.
pub(crate) const AD_BREAK_SECONDS: (u32, u32) = (7, 300);
/// `limit` range of the Drops claims list (Kick's default is 10).
pub const DROPS_CLAIMS_LIMIT_MAX: u32 = 1000;
/// Claim updates Kick takes per `PATCH /drops/claims` request (longer lists are split, in order).
pub const DROPS_CLAIM_UPDATES_PER_REQUEST: usize = 100;
/// Webhook subscriptions an unverified app may hold (Kick counts them, so kickrs cannot check before
/// sending; past it Kick answers 400 "event subscription limit reached": KickDevDocs#100, #398).
pub const EVENT_SUBSCRIPTIONS_MAX_UNVERIFIED: usize = 1_000;
/// Webhook subscriptions an app Kick verified may hold (Kick's API FAQ: "from 1,000 to 10,000").
pub const EVENT_SUBSCRIPTIONS_MAX_VERIFIED: usize = 10_000;

/// Kick's own constraint types reject what these rules already refused; should one ever disagree,
/// its complaint still names the field.
fn spec_type<T, E>(field: &'static str, value: &str, parsed: Result<T, E>) -> Result<T, ValidationError> {
    parsed.map_err(|_| {
        ValidationError::new(field, Problem::Format { value: value.to_string(), expected: "what Kick's spec allows" })
    })
}

/// An id that goes into a URL path: an empty one would address another endpoint.
pub(crate) fn path_id(field: &'static str, id: &str) -> Result<(), ValidationError> {
    if id.trim().is_empty() {
        return Err(ValidationError::new(
            field,
            Problem::Missing { reason: "(an empty id would address another endpoint)" },
        ));
    }
    Ok(())
}

/// A UUID, as Kick wants for chat message ids and ad break ids.
pub(crate) fn uuid(field: &'static str, value: &str) -> Result<uuid::Uuid, ValidationError> {
    uuid::Uuid::parse_str(value)
        .map_err(|_| ValidationError::new(field, Problem::Format { value: value.to_string(), expected: "a UUID" }))
}

/// Chat content: 1 to 500 Unicode scalar values.
pub(crate) fn chat_content(content: &str) -> Result<crate::raw::types::SendChatMessageRequestContent, ValidationError> {
    length("content", content, 1, CHAT_CONTENT_MAX)?;
    spec_type("content", content, content.try_into())
}

/// A `user` message goes to a named channel; a `bot` message to the token's own.
pub(crate) fn chat_broadcaster(
    is_user_message: bool,
    broadcaster_user_id: Option<crate::ids::UserId>,
) -> Result<(), ValidationError> {
    if is_user_message && broadcaster_user_id.is_none() {
        return Err(ValidationError::new("broadcaster_user_id", Problem::Missing { reason: "when `type` is `user`" }));
    }
    Ok(())
}

/// A timeout of 1 to 10080 whole minutes, as the number of minutes Kick takes.
pub(crate) fn ban_duration(duration: std::time::Duration) -> Result<NonZeroU64, ValidationError> {
    let minutes = whole_units("duration", duration, 60, "minutes", 1, u64::from(BAN_DURATION_MAX_MINUTES))?;
    NonZeroU64::new(minutes)
        .ok_or_else(|| ValidationError::new("duration", Problem::Range { value: 0, min: 1, max: 1 }))
}

/// `duration` as a whole number of units of `unit_secs` seconds, between `min` and `max` units.
fn whole_units(
    field: &'static str,
    duration: std::time::Duration,
    unit_secs: u64,
    unit: &'static str,
    min: u64,
    max: u64,
) -> Result<u64, ValidationError> {
    let secs = duration.as_secs();
    let units = secs / unit_secs;
    let whole = duration.subsec_nanos() == 0 && secs.is_multiple_of(unit_secs);
    if whole && (min..=max).contains(&units) {
        Ok(units)
    } else {
        Err(ValidationError::new(field, Problem::Duration { value: duration, unit, min, max }))
    }
}

/// A ban reason of at most 100 characters.
pub(crate) fn ban_reason(reason: &str) -> Result<crate::raw::types::BanUserRequestReason, ValidationError> {
    length("reason", reason, 0, BAN_REASON_MAX)?;
    spec_type("reason", reason, reason.try_into())
}

/// A reward cost of at least 1.
pub(crate) fn reward_cost(cost: u64) -> Result<NonZeroU64, ValidationError> {
    positive("cost", cost, i64::MAX as u64)
}

/// A reward title: required, so not empty, and at most 50 characters; as the body's spec type.
pub(crate) fn reward_title<'a, T: TryFrom<&'a str>>(title: &'a str) -> Result<T, ValidationError> {
    length("title", title, 1, REWARD_TITLE_MAX)?;
    spec_type("title", title, T::try_from(title))
}

/// A reward description of at most 200 characters, as the body's spec type.
pub(crate) fn reward_description<'a, T: TryFrom<&'a str>>(description: &'a str) -> Result<T, ValidationError> {
    length("description", description, 0, REWARD_DESCRIPTION_MAX)?;
    spec_type("description", description, T::try_from(description))
}

/// A `#RRGGBB` colour.
pub(crate) fn hex_colour(field: &'static str, colour: &str) -> Result<(), ValidationError> {
    let digits = colour.strip_prefix('#').unwrap_or_default();
    if colour.len() == 7 && digits.len() == 6 && digits.chars().all(|c| c.is_ascii_hexdigit()) {
        Ok(())
    } else {
        Err(ValidationError::new(field, Problem::Format { value: colour.to_string(), expected: "a #RRGGBB colour" }))
    }
}

/// 1 to 25 unique redemption ids.
pub(crate) fn redemption_ids(ids: &[crate::ids::RedemptionId]) -> Result<(), ValidationError> {
    count("ids", ids.len(), 1, REDEMPTION_IDS_MAX)?;
    unique("ids", ids)
}

/// The `id` filter of the redemption list excludes every other filter.
pub(crate) fn redemption_filters(has_ids: bool, has_reward_id: bool, has_status: bool) -> Result<(), ValidationError> {
    let other = match (has_reward_id, has_status) {
        (true, _) => "reward_id",
        (_, true) => "status",
        _ => return Ok(()),
    };
    if has_ids { Err(ValidationError::new("ids", Problem::Conflict { other })) } else { Ok(()) }
}

/// A kicks leaderboard size of 1 to 100.
pub(crate) fn leaderboard_top(top: u32) -> Result<NonZeroU64, ValidationError> {
    positive("top", u64::from(top), u64::from(LEADERBOARD_TOP_MAX))
}

/// An ad break of 7 to 300 whole seconds, as the number of seconds Kick takes.
pub(crate) fn ad_break_length(length: std::time::Duration) -> Result<i64, ValidationError> {
    let (min, max) = AD_BREAK_SECONDS;
    let seconds = whole_units("break_duration_seconds", length, 1, "seconds", u64::from(min), u64::from(max))?;
    // At most 300 here, so the conversion cannot saturate.
    Ok(i64::try_from(seconds).unwrap_or(i64::MAX))
}

/// Ids sent as a list: none of them blank.
pub(crate) fn no_blank_ids<I: AsRef<str>>(field: &'static str, ids: &[I]) -> Result<(), ValidationError> {
    match ids.iter().map(AsRef::as_ref).find(|id| id.trim().is_empty()) {
        Some(blank) => {
            Err(ValidationError::new(field, Problem::Format { value: blank.to_owned(), expected: "a non-blank id" }))
        }
        None => Ok(()),
    }
}

/// Filters of the Drops claims list: ids not blank, a user id of at least 1.
pub(crate) fn drops_claims_filters(
    campaign_id: Option<&crate::ids::DropsCampaignId>,
    user_id: Option<crate::ids::UserId>,
    claim_id: Option<&crate::ids::ClaimId>,
) -> Result<(), ValidationError> {
    for (field, id) in
        [("campaign_id", campaign_id.map(|id| id.as_str())), ("claim_id", claim_id.map(|id| id.as_str()))]
    {
        if let Some(id) = id {
            no_blank_ids(field, &[id.to_string()])?;
        }
    }
    match user_id {
        Some(user_id) => positive_id("user_id", user_id.get()),
        None => Ok(()),
    }
}

/// Drops claim updates: at least one, each with a non-blank claim id and status, no claim id twice (in
/// the whole list, which may span several requests: a repeat would leave the result to request order).
pub(crate) fn drops_claim_updates(updates: &[crate::models::DropsClaimUpdate]) -> Result<(), ValidationError> {
    required_list("claims", updates.len())?;
    let ids: Vec<&str> = updates.iter().map(|update| update.claim_id.as_str()).collect();
    if let Some(blank) = ids.iter().find(|id| id.trim().is_empty()) {
        let problem = Problem::Format { value: (*blank).to_string(), expected: "a non-blank claim id" };
        return Err(ValidationError::new("claims.claim_id", problem));
    }
    if let Some(update) = updates.iter().find(|update| update.external_status.trim().is_empty()) {
        let problem = Problem::Format { value: update.external_status.clone(), expected: "a non-blank status" };
        return Err(ValidationError::new("claims.external_status", problem));
    }
    unique("claims.claim_id", &ids)
}

/// A webhook event to subscribe to: a name and a version of at least 1.
pub(crate) fn event_spec(name: &str, version: i64) -> Result<(), ValidationError> {
    if name.trim().is_empty() {
        return Err(ValidationError::new("events.name", Problem::Missing { reason: "for every event" }));
    }
    range("events.version", version, 1, i64::MAX)
}
