//! Every REST payload in `tests/fixtures/api/` (copied from the shared fixture set, see its INDEX.md)
//! decodes through kickrs' models, or, where INDEX.md marks it a placeholder or malformed, fails with
//! an error that names the JSON path. Plus one named test per REST oddity INDEX.md lists.

use std::path::{Path, PathBuf};

use kickrs::models;
use kickrs::raw::types as raw;
use serde::de::DeserializeOwned;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/api");

/// Decodes `bytes` as `T`; on failure, the JSON path that failed and why (as `kickrs::Error::Decode` reports it).
fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, (String, String)> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|error| (error.path().to_string(), error.into_inner().to_string()))
}

fn check<T: DeserializeOwned>(bytes: &[u8]) -> Result<(), (String, String)> {
    decode::<T>(bytes).map(drop)
}

/// Kick's error bodies, as loosely as they come (the client reads them the same way).
#[derive(serde::Deserialize)]
struct ErrorBody {
    #[allow(dead_code)]
    data: Option<serde_json::Value>,
    message: Option<String>,
    error: Option<String>,
}

fn check_error_body(bytes: &[u8]) -> Result<(), (String, String)> {
    let body: ErrorBody = decode(bytes)?;
    match (body.message, body.error) {
        (None, None) => Err((".".into(), "an error body with neither `message` nor `error`".into())),
        _ => Ok(()),
    }
}

/// The OAuth token answer. It has no generated model (Kick's spec types it as a string); the auth
/// module owns its real decoding, this mirrors the fields it needs.
#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct TokenAnswer {
    access_token: String,
    token_type: String,
    expires_in: u64,
    refresh_token: Option<String>,
    scope: Option<String>,
}

/// How one fixture file is decoded: by folder, by `.inner.json`, and error bodies by name.
fn decode_fixture(folder: &str, name: &str, bytes: &[u8]) -> Result<(), (String, String)> {
    let inner = name.ends_with(".inner.json");
    let is_error = ["400", "401", "403", "404", "500"].iter().any(|code| name.contains(&format!("_{code}_")));
    if folder == "_errors" || is_error {
        return check_error_body(bytes);
    }
    match (folder, inner) {
        ("_envelope", false) => check::<raw::KickResponse>(bytes),
        ("categories-v1", false) => check::<raw::SearchCategoriesV1Response>(bytes),
        ("categories-v1" | "categories-v2", true) => check::<models::Category>(bytes),
        ("categories-v2", false) => check::<raw::CategoriesPage>(bytes),
        ("category-v1", false) => check::<raw::FetchCategoryResponse>(bytes),
        ("category-v1", true) => check::<models::CategoryDetail>(bytes),
        ("channel-rewards", false) => check::<raw::FetchChannelRewardsResponse>(bytes),
        ("channel-rewards-create", false) => check::<raw::CreateChannelRewardResponse>(bytes),
        ("channel-rewards-update", false) => check::<raw::UpdateChannelRewardResponse>(bytes),
        ("channel-rewards" | "channel-rewards-create" | "channel-rewards-update", true) => {
            check::<models::ChannelReward>(bytes)
        }
        ("channels", false) => check::<raw::FetchChannelsResponse>(bytes),
        ("channels", true) => check::<models::Channel>(bytes),
        ("chat", false) => check::<raw::SendChatMessageResponse>(bytes),
        ("chat", true) => check::<models::ChatResponse>(bytes),
        // Kick's own page shape: the cursor lives inside `data` (overlay: DropsClaimsResponse).
        ("drops-claims", false) => check::<raw::DropsClaimsResponse>(bytes),
        ("events-subscriptions", false) => check::<raw::FetchEventsSubscriptionsResponse>(bytes),
        ("events-subscriptions", true) => check::<Vec<models::EventsSubscription>>(bytes),
        ("events-subscriptions-create", false) => check::<raw::SubscribeToEventsResponse>(bytes),
        // KickLib models the POST result like a listed subscription (INDEX.md); that is what it decodes as.
        ("events-subscriptions-create", true) => check::<models::EventsSubscription>(bytes),
        ("kicks-leaderboard", false) => check::<raw::FetchKicksLeaderboardResponse>(bytes),
        ("livestreams", false) => check::<raw::FetchLivestreamsResponse>(bytes),
        ("livestreams", true) => check::<models::LiveStream>(bytes),
        ("livestreams-stats", false) => check::<raw::FetchLivestreamStatsResponse>(bytes),
        ("livestreams-stats", true) => check::<models::LivestreamStats>(bytes),
        ("moderation-bans", false) => check::<raw::BanUserResponse>(bytes),
        ("moderation-unban", false) => check::<raw::UnbanUserResponse>(bytes),
        // The revoke answer carries nothing (Kick's real one is the text `OK`); the auth module ignores it.
        ("oauth-revoke", false) => check::<serde_json::Map<String, serde_json::Value>>(bytes),
        ("oauth-token", false) => check::<TokenAnswer>(bytes),
        ("public-key", false) => check::<raw::PublicKeyResponse>(bytes),
        ("public-key", true) => check::<raw::PublicKeyData>(bytes),
        ("redemptions", false) => check::<raw::RedemptionsPage>(bytes),
        ("redemptions", true) => check::<models::RedemptionsByReward>(bytes),
        ("redemptions-accept", false) => check::<raw::AcceptRewardRedemptionsResponse>(bytes),
        ("redemptions-reject", false) => check::<raw::RejectRewardRedemptionsResponse>(bytes),
        ("token-introspect", false) => check::<raw::IntrospectTokenV1Response>(bytes),
        ("token-introspect", true) => check::<raw::TokenIntrospectionData>(bytes),
        ("users", false) => check::<raw::FetchUsersResponse>(bytes),
        ("users", true) => check::<models::User>(bytes),
        _ => panic!("no model mapped for {folder}/{name}: add it to the table"),
    }
}

/// Files INDEX.md marks placeholder or malformed, with the JSON path their decode error must name.
const MUST_FAIL: &[(&str, &str)] = &[
    // "start-time-1" placeholders instead of RFC 3339 times (kick-go-sdk mocks).
    ("channels/kickgosdk__by_slug_two.json", "data[0].stream.start_time"),
    ("channels/kickgosdk__one_full_stream.json", "data[0].stream.start_time"),
    ("channels/kickgosdk__two_channels_one_with_custom_tags.json", "data[0].stream.start_time"),
    ("livestreams/gokick__list.json", "data[0].started_at"),
    ("livestreams/kickgosdk__current_user_custom_tags.json", "data[0].started_at"),
    ("livestreams/kickgosdk__two.json", "data[0].started_at"),
    ("events-subscriptions/gokick__list.json", "data[0].created_at"),
    ("events-subscriptions/kickgosdk__list_two.json", "data[0].created_at"),
    // Docs placeholders: `expires_in: ""` where Kick sends a number.
    ("oauth-token/kickdocs__authorization_code_placeholder.json", "expires_in"),
    ("oauth-token/kickdocs__client_credentials_placeholder.json", "expires_in"),
    // (Placeholder chat message ids such as "text" decode: a `MessageId` is opaque text, not a parsed UUID.)
    // A created reward without its id (kick-go-sdk mock); Kick always sends the id.
    ("channel-rewards-create/kickgosdk__only_cost_title.json", "data"),
    // A redeemer with `broadcaster_user_id` instead of the spec's `user_id` (kick-go-sdk mock).
    ("redemptions/kickgosdk__page_redeemer_broadcaster_user_id.json", "data[0].redemptions[0].redeemer"),
];

fn fixture_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for folder in std::fs::read_dir(FIXTURES).unwrap() {
        for file in std::fs::read_dir(folder.unwrap().path()).unwrap() {
            files.push(file.unwrap().path());
        }
    }
    files.sort();
    files
}

fn relative(path: &Path) -> String {
    path.strip_prefix(FIXTURES).unwrap().to_string_lossy().replace('\\', "/")
}

#[test]
fn every_rest_fixture_decodes_or_names_the_failing_path() {
    let files = fixture_files();
    assert!(files.len() >= 100, "the fixture set was not copied: {} files", files.len());
    let mut problems = Vec::new();
    let mut failed_as_expected = 0;
    for path in &files {
        let rel = relative(path);
        let (folder, name) = rel.split_once('/').unwrap();
        let bytes = std::fs::read(path).unwrap();
        let expected = MUST_FAIL.iter().find(|(file, _)| *file == rel).map(|(_, path)| *path);
        match (decode_fixture(folder, name, &bytes), expected) {
            (Ok(()), None) => {}
            // Under `deny-unknown-fields` a misnamed key fails one level deeper, at the key itself.
            (Err((path, _)), Some(want)) if path == want || path.starts_with(&format!("{want}.")) => {
                failed_as_expected += 1
            }
            (Err((path, reason)), Some(want)) => {
                problems.push(format!("{rel}: failed at `{path}` ({reason}), want `{want}`"))
            }
            (Err((path, reason)), None) => problems.push(format!("{rel}: failed at `{path}`: {reason}")),
            (Ok(()), Some(want)) => problems.push(format!("{rel}: decoded, but INDEX.md says it breaks at `{want}`")),
        }
    }
    assert!(problems.is_empty(), "{} fixture problems:\n{}", problems.len(), problems.join("\n"));
    assert_eq!(failed_as_expected, MUST_FAIL.len(), "a MUST_FAIL entry names no file");
}

fn fixture(rel: &str) -> Vec<u8> {
    std::fs::read(Path::new(FIXTURES).join(rel)).unwrap()
}

fn fixture_json(rel: &str) -> serde_json::Value {
    serde_json::from_slice(&fixture(rel)).unwrap()
}

// ---------------------------------------------------------------- oddities (INDEX.md) that concern REST

#[test]
fn oddity_nanosecond_timestamps_keep_every_digit() {
    let mut live = fixture_json("livestreams/kicklib__livestream_element.inner.json");
    live["started_at"] = "2025-08-20T07:05:42.561408909Z".into();
    let live: models::LiveStream = serde_json::from_value(live).unwrap();
    assert_eq!(live.started_at.to_rfc3339(), "2025-08-20T07:05:42.561408909+00:00");
}

#[test]
fn oddity_offset_timestamps_become_utc() {
    let live: models::LiveStream = decode(&fixture("livestreams/kicklib__livestream_element.inner.json")).unwrap();
    assert_eq!(live.started_at.to_rfc3339(), "2025-04-03T01:00:00+00:00");
}

#[test]
fn oddity_go_zero_values_on_an_offline_channel_decode() {
    let channel: models::Channel =
        decode(&fixture("channels/issue308__REAL_shape_offline_zero_values.inner.json")).unwrap();
    // Kick sends year 1 and zeros instead of nulls; they decode as sent (no invented values).
    assert_eq!(channel.stream.start_time.map(|t| t.to_rfc3339()).as_deref(), Some("0001-01-01T00:00:00+00:00"));
    assert_eq!((channel.category.id.get(), channel.category.name.as_str()), (0, ""));
    assert_eq!((channel.stream_title.as_str(), channel.stream.url.as_deref()), ("", Some("")));
    assert!(channel.active_subscribers_count.is_none(), "absent counts stay None");
}

#[test]
fn oddity_error_data_is_an_empty_object_or_a_string() {
    let unauthorized: raw::KickResponse =
        decode(&fixture("_errors/issue253__REAL_401_unauthorized_data_empty_object.json")).unwrap();
    assert_eq!(unauthorized.data, Some(serde_json::json!({})));
    assert_eq!(unauthorized.message.as_deref(), Some("Unauthorized"));
    let bad_request: raw::KickResponse = decode(&fixture("chat/issue123__REAL_400_data_is_string.json")).unwrap();
    assert_eq!(bad_request.data, Some(serde_json::json!("Channel not found")));
}

#[test]
fn oddity_error_without_message_or_data() {
    let waf: ErrorBody = decode(&fixture("_errors/issue225__REAL_403_waf_security_policy.json")).unwrap();
    assert_eq!((waf.message, waf.error.as_deref()), (None, Some("Request blocked by security policy.")));
    let message_only: raw::KickResponse = decode(&fixture("_errors/gokick__500_message_only.json")).unwrap();
    assert_eq!((message_only.data, message_only.message.as_deref()), (None, Some("internal server error")));
}

#[test]
fn oddity_empty_cursor_on_the_last_page() {
    let page: raw::CategoriesPage = decode(&fixture("categories-v2/gokick__empty_last_page.json")).unwrap();
    assert_eq!((page.data.len(), page.pagination.next_cursor.as_str()), (0, ""));
}

#[test]
fn oddity_page_without_message() {
    let page: raw::CategoriesPage = decode(&fixture("categories-v2/gokick__no_message_key.json")).unwrap();
    assert_eq!((page.message, page.data[0].id.get()), (None, 117));
}

#[test]
fn oddity_missing_tags_decode_as_none_listed() {
    let page: raw::CategoriesPage = decode(&fixture("categories-v2/gokick__page_mixed_tags.json")).unwrap();
    let tags: Vec<usize> = page.data.iter().map(|category| category.tags.len()).collect();
    assert_eq!(tags, [1, 0]);
}

#[test]
fn oddity_empty_strings_for_no_value() {
    let users: raw::FetchUsersResponse =
        decode(&fixture("users/issue206-325__SYNTH_empty_name_and_email.json")).unwrap();
    assert_eq!((users.data[0].name.as_str(), users.data[0].email.as_deref()), ("", Some("")));
}

#[test]
fn oddity_success_with_empty_data_object_or_list() {
    let ban: raw::BanUserResponse = decode(&fixture("moderation-bans/gokick__ok_empty_data_object.json")).unwrap();
    assert_eq!(ban.data.map(|data| data.0), Some(serde_json::json!({})));
    let channels: raw::FetchChannelsResponse = decode(&fixture("channels/nekiro__slug_not_found_empty.json")).unwrap();
    assert!(channels.data.is_empty());
}

#[test]
fn oddity_message_text_is_not_stable() {
    let messages: Vec<Option<String>> =
        ["users/gokick__one_user.json", "users/issue53__REAL_shape_cloudfront_picture.json"]
            .iter()
            .map(|rel| decode::<raw::FetchUsersResponse>(&fixture(rel)).unwrap().message)
            .collect();
    assert_ne!(messages[0], messages[1], "the models decode whatever `message` says");
}

#[test]
fn oddity_unknown_fields_are_ignored() {
    let mut user = fixture_json("users/kicklib__user_element.inner.json");
    user["added_by_kick_later"] = serde_json::json!({"nested": [1, 2]});
    let result = decode::<models::User>(user.to_string().as_bytes());
    if cfg!(feature = "deny-unknown-fields") {
        // The CI job that watches for Kick's changes: the new field is named.
        assert_eq!(result.unwrap_err().0, "added_by_kick_later");
    } else {
        assert!(result.unwrap().user_id.get() > 0);
    }
}

#[test]
fn oddity_drops_claims_keep_their_cursor_inside_data() {
    let page: raw::DropsClaimsResponse = decode(&fixture("drops-claims/gokick__claims_page.json")).unwrap();
    assert_eq!(page.data.cursor.as_deref(), Some("01K0TDDR08Q5ZNWXK92SDH7SDH"));
    let claim = &page.data.claims[0];
    assert_eq!(
        (claim.claim_id.as_str(), claim.user_id.get(), claim.external_status.as_str()),
        ("01JAXK8N4QWRTY5PM7ZEBVGH2S", 1234, "initiated")
    );
    let empty: raw::DropsClaimsResponse = decode(&fixture("drops-claims/gokick__empty.json")).unwrap();
    assert!(empty.data.claims.is_empty());
    assert_eq!(empty.data.cursor.as_deref(), Some(""));
}
