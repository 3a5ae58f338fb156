//! The read side of the facade against wiremock: the exact request on the wire (snapshotted), the
//! decoded result, id lists split into chunks, cursor streams, not-found, Kick's error bodies and the
//! validation of every read limit.

mod support;

use std::time::Duration;

use futures::TryStreamExt;
use kickrs::api::{CategoriesOptions, ChannelRefs, LivestreamsOptions, LivestreamsV2Options, UpdateChannelOptions};
use kickrs::ids::{CategoryId, UserId};
use kickrs::validate::{Problem, ValidationError};
use kickrs::{Error, KickClient, RetryPolicy};
use serde_json::{Value, json};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use support::wire::{api_requests, fixture, wire, wiremock_kick};

struct Kick {
    server: MockServer,
    client: KickClient,
}

/// A wiremock Kick handing out `app-token`, and a client (retries off) with `user-token` set.
async fn kick() -> Kick {
    let (server, client) = wiremock_kick(
        &[kickrs::auth::Scope::UserRead, kickrs::auth::Scope::ChannelRead, kickrs::auth::Scope::ChannelWrite],
        RetryPolicy::off(),
    )
    .await;
    Kick { server, client }
}

/// Kick's envelope around one inner fixture.
fn envelope(data: Value) -> Value {
    json!({ "data": data, "message": "OK" })
}

async fn answer(server: &MockServer, verb: &str, at: &str, body: Value) {
    Mock::given(method(verb))
        .and(path(at))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(server)
        .await;
}

fn decoded<T: serde::de::DeserializeOwned>(value: &Value) -> T {
    serde_json::from_value(value.clone()).unwrap()
}

fn query_values(request: &Request, key: &str) -> Vec<String> {
    request.url.query_pairs().filter(|(k, _)| k == key).map(|(_, v)| v.into_owned()).collect()
}

// ---------------------------------------------------------------- public key and users

#[tokio::test]
async fn fetch_public_key_sends_no_token_and_returns_the_pem() {
    let _s = support::snapshots();
    let kick = kick().await;
    let body = fixture("public-key/gokick__public_key.json");
    answer(&kick.server, "GET", "/public/v1/public-key", body.clone()).await;

    let pem = kick.client.fetch_public_key().await.unwrap();

    assert_eq!(pem, body["data"]["public_key"].as_str().unwrap());
    insta::assert_json_snapshot!("reads_fetch_public_key", wire(&kick.server).await);
}

#[tokio::test]
async fn fetch_user_asks_for_one_id_with_the_app_token() {
    let _s = support::snapshots();
    let kick = kick().await;
    let body = fixture("users/gokick__one_user.json");
    answer(&kick.server, "GET", "/public/v1/users", body.clone()).await;

    let user = kick.client.fetch_user(117).await.unwrap();

    assert_eq!(user, decoded(&body["data"][0]));
    insta::assert_json_snapshot!("reads_fetch_user", wire(&kick.server).await);
}

#[tokio::test]
async fn fetch_users_without_ids_is_the_user_tokens_own_user() {
    let _s = support::snapshots();
    let kick = kick().await;
    let body = fixture("users/issue53__REAL_shape_cloudfront_picture.json");
    answer(&kick.server, "GET", "/public/v1/users", body.clone()).await;

    let users = kick.client.fetch_current_user().await.map(|user| vec![user]).unwrap();

    assert_eq!(users, decoded::<Vec<kickrs::models::User>>(&body["data"]));
    insta::assert_json_snapshot!("reads_fetch_users_me", wire(&kick.server).await);
}

#[tokio::test]
async fn fetch_users_splits_120_ids_into_100_and_20_in_order() {
    let kick = kick().await;
    let echo = |request: &Request| {
        let data: Vec<Value> = query_values(request, "id")
            .iter()
            .map(|id| json!({ "user_id": id.parse::<i64>().unwrap(), "name": format!("user{id}") }))
            .collect();
        ResponseTemplate::new(200).set_body_json(json!({ "data": data, "message": "OK" }))
    };
    Mock::given(method("GET")).and(path("/public/v1/users")).respond_with(echo).mount(&kick.server).await;
    let ids: Vec<u64> = (1..=120).collect();

    let users = kick.client.fetch_users(&ids).await.unwrap();

    assert_eq!(users.iter().map(|user| user.user_id).collect::<Vec<_>>(), ids);
    let mut chunks: Vec<Vec<String>> =
        api_requests(&kick.server).await.iter().map(|request| query_values(request, "id")).collect();
    chunks.sort_by_key(|chunk| chunk[0].parse::<i64>().unwrap());
    let expected: Vec<Vec<String>> =
        [1..=100, 101..=120].into_iter().map(|range| range.map(|id| id.to_string()).collect()).collect();
    assert_eq!(chunks, expected);
}

// ---------------------------------------------------------------- channels

#[tokio::test]
async fn fetch_channel_by_slug_and_by_id() {
    let _s = support::snapshots();
    let kick = kick().await;
    let body = fixture("channels/gokick__with_subscriber_counts.json");
    answer(&kick.server, "GET", "/public/v1/channels", body.clone()).await;

    let by_slug = kick.client.fetch_channel("xqc").await.unwrap();
    let by_id = kick.client.fetch_channel(117).await.unwrap();
    let by_string = kick.client.fetch_channel(String::from("xqc")).await.unwrap();

    let expected: kickrs::models::Channel = decoded(&body["data"][0]);
    assert_eq!((by_slug, by_id, by_string), (expected.clone(), expected.clone(), expected));
    insta::assert_json_snapshot!("reads_fetch_channel", wire(&kick.server).await);
}

#[tokio::test]
async fn fetch_channel_unknown_slug_is_not_found() {
    let kick = kick().await;
    answer(&kick.server, "GET", "/public/v1/channels", fixture("channels/nekiro__slug_not_found_empty.json")).await;

    let error = kick.client.fetch_channel("nobody-here").await.unwrap_err();

    // Named after the method called, with the URI asked and the status Kick really sent (200, no data).
    let Error::NotFound { endpoint, .. } = &error else { panic!("expected NotFound, got {error:?}") };
    let uri = format!("{}/public/v1/channels?slug=nobody-here", kick.server.uri());
    assert_eq!((endpoint.operation, endpoint.uri.as_str()), ("fetch_channel", uri.as_str()));
    assert_eq!(error.status(), Some(reqwest::StatusCode::OK));
    assert_eq!(api_requests(&kick.server).await.len(), 1);
}

#[tokio::test]
async fn fetch_channels_by_ids_repeats_the_key() {
    let _s = support::snapshots();
    let kick = kick().await;
    let body = fixture("channels/kicklib__channel_element.inner.json");
    answer(&kick.server, "GET", "/public/v1/channels", envelope(json!([body.clone(), body.clone()]))).await;

    let channels = kick.client.fetch_channels(vec![668, 4377088]).await.unwrap();
    let none = kick.client.fetch_channels(Vec::<u64>::new()).await.unwrap();

    assert_eq!(channels, vec![decoded::<kickrs::models::Channel>(&body); 2]);
    assert!(none.is_empty(), "an empty list asks nothing");
    insta::assert_json_snapshot!("reads_fetch_channels_by_ids", wire(&kick.server).await);
}

#[tokio::test]
async fn fetch_channels_splits_60_slugs_into_50_and_10_in_order() {
    let kick = kick().await;
    let echo = |request: &Request| {
        let data: Vec<Value> = query_values(request, "slug")
            .iter()
            .enumerate()
            .map(|(i, slug)| {
                json!({
                    "broadcaster_user_id": i, "slug": slug, "stream_title": "", "channel_description": "",
                    "category": { "id": 1, "name": "c", "thumbnail": "t" }, "stream": {}
                })
            })
            .collect();
        ResponseTemplate::new(200).set_body_json(json!({ "data": data, "message": "OK" }))
    };
    Mock::given(method("GET")).and(path("/public/v1/channels")).respond_with(echo).mount(&kick.server).await;
    let slugs: Vec<String> = (0..60).map(|i| format!("streamer-{i:02}")).collect();

    let channels = kick.client.fetch_channels(slugs.clone()).await.unwrap();

    assert_eq!(channels.iter().map(|channel| channel.slug.clone()).collect::<Vec<_>>(), slugs);
    let requests = api_requests(&kick.server).await;
    let mut chunks: Vec<Vec<String>> = requests.iter().map(|request| query_values(request, "slug")).collect();
    chunks.sort();
    assert_eq!(chunks, vec![slugs[..50].to_vec(), slugs[50..].to_vec()]);
    assert!(requests.iter().all(|r| r.headers.get("authorization").unwrap() == "Bearer app-token"));
}

#[tokio::test]
async fn fetch_current_channel_uses_the_user_token_and_no_query() {
    let _s = support::snapshots();
    let kick = kick().await;
    let body = fixture("channels/kicklib__channel_element.inner.json");
    answer(&kick.server, "GET", "/public/v1/channels", envelope(json!([body.clone()]))).await;

    let channel = kick.client.fetch_current_channel().await.unwrap();

    assert_eq!(channel, decoded(&body));
    insta::assert_json_snapshot!("reads_fetch_current_channel", wire(&kick.server).await);
}

#[tokio::test]
async fn update_channel_sends_only_the_fields_set_and_empty_tags() {
    let _s = support::snapshots();
    let kick = kick().await;
    Mock::given(method("PATCH"))
        .and(path("/public/v1/channels"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&kick.server)
        .await;

    let all = UpdateChannelOptions {
        category_id: Some(15.into()),
        stream_title: Some("Any% attempts".into()),
        custom_tags: Some(vec!["speedrun".into(), "chill".into()]),
    };
    kick.client.update_channel(all).await.unwrap();
    let clear_tags = UpdateChannelOptions { custom_tags: Some(vec![]), ..Default::default() };
    kick.client.update_channel(clear_tags).await.unwrap();
    let title_only = UpdateChannelOptions { stream_title: Some("Just a title".into()), ..Default::default() };
    kick.client.update_channel(title_only).await.unwrap();

    insta::assert_json_snapshot!("reads_update_channel", wire(&kick.server).await);
}

// ---------------------------------------------------------------- livestreams

#[tokio::test]
#[allow(deprecated)]
async fn fetch_livestream_and_fetch_livestreams_v1() {
    let _s = support::snapshots();
    let kick = kick().await;
    let body = fixture("livestreams/kicklib__livestream_element.inner.json");
    answer(&kick.server, "GET", "/public/v1/livestreams", envelope(json!([body.clone()]))).await;

    let one = kick.client.fetch_livestream(668).await.unwrap();
    let options = LivestreamsOptions {
        broadcaster_user_ids: vec![668.into(), 4377088.into()],
        category_id: Some(15.into()),
        language: Some("en".into()),
        limit: Some(10),
        sort: Some(kickrs::api::LivestreamsSort::StartedAt),
    };
    let many = kick.client.fetch_livestreams(options).await.unwrap();

    let expected: kickrs::models::LiveStream = decoded(&body);
    assert_eq!((one, many), (expected.clone(), vec![expected]));
    insta::assert_json_snapshot!("reads_fetch_livestreams_v1", wire(&kick.server).await);
}

#[tokio::test]
#[allow(deprecated)]
async fn offline_livestream_is_not_found_but_an_empty_list_is_empty() {
    let kick = kick().await;
    answer(&kick.server, "GET", "/public/v1/livestreams", fixture("livestreams/gokick__empty.json")).await;

    let offline = kick.client.fetch_livestream(668).await.unwrap_err();
    let none = kick.client.fetch_livestreams(LivestreamsOptions::default()).await.unwrap();

    assert!(matches!(offline, Error::NotFound { ref endpoint, .. } if endpoint.operation == "fetch_livestream"));
    assert!(none.is_empty());
}

/// No v2 livestream payload exists in any source (INDEX.md gaps); this one follows the spec's shape.
fn live_v2(n: u32) -> Value {
    json!({
        "id": format!("6f1e9a52-0d5c-4a8e-9b7e-00000000000{n}"), "title": format!("stream {n}"), "thumbnail": "t",
        "started_at": "2026-06-23T18:00:00.123456789Z", "viewer_count": n, "language_code": "en", "tags": ["en"],
        "has_mature_content": false, "broadcaster_user": { "id": n, "username": format!("user{n}"), "profile_picture": null },
        "category": { "id": 15, "name": "Just Chatting", "thumbnail": "t" }, "channel": { "slug": format!("user{n}") }
    })
}

/// Serves three pages keyed by `cursor`: none -> 1, `cursor-two` -> 2, `cursor-three` -> 3 (last, `""`).
fn three_pages(item: fn(u32) -> Value) -> impl Fn(&Request) -> ResponseTemplate {
    move |request: &Request| {
        let (items, next) = match query_values(request, "cursor").first().map(String::as_str) {
            None => (vec![item(1), item(2)], "cursor-two"),
            Some("cursor-two") => (vec![item(3), item(4)], "cursor-three"),
            _ => (vec![item(5)], ""),
        };
        ResponseTemplate::new(200)
            .set_body_json(json!({ "data": items, "message": "OK", "pagination": { "next_cursor": next } }))
    }
}

#[tokio::test]
async fn fetch_livestreams_v2_page_repeats_filters() {
    let _s = support::snapshots();
    let kick = kick().await;
    answer(
        &kick.server,
        "GET",
        "/public/v2/livestreams",
        json!({ "data": [live_v2(1)], "message": "OK", "pagination": { "next_cursor": "abcd1234" } }),
    )
    .await;
    let options = LivestreamsV2Options {
        category_ids: vec![15.into(), 28.into()],
        language_codes: vec!["en".into(), "de".into()],
        limit: Some(2),
        cursor: Some("zyxw9876".into()),
    };

    let page = kick.client.fetch_livestreams_v2(options).await.unwrap();

    assert_eq!(page.items, vec![decoded::<kickrs::models::LiveStreamV2>(&live_v2(1))]);
    assert_eq!(page.next_cursor.as_deref(), Some("abcd1234"));
    assert_eq!(page.items[0].started_at.timestamp_subsec_nanos(), 123_456_789);
    insta::assert_json_snapshot!("reads_fetch_livestreams_v2", wire(&kick.server).await);
}

#[tokio::test]
async fn fetch_livestreams_v2_stream_walks_three_pages_until_the_empty_cursor() {
    let _s = support::snapshots();
    let kick = kick().await;
    Mock::given(method("GET"))
        .and(path("/public/v2/livestreams"))
        .respond_with(three_pages(live_v2))
        .mount(&kick.server)
        .await;
    let options = LivestreamsV2Options { limit: Some(2), ..Default::default() };

    let all: Vec<_> = kick.client.fetch_livestreams_v2_stream(options).try_collect().await.unwrap();

    assert_eq!(all.iter().map(|live| live.viewer_count).collect::<Vec<_>>(), [1, 2, 3, 4, 5]);
    insta::assert_json_snapshot!("reads_fetch_livestreams_v2_stream", wire(&kick.server).await);
}

#[tokio::test]
async fn fetch_user_livestreams_repeats_user_id() {
    let _s = support::snapshots();
    let kick = kick().await;
    answer(&kick.server, "GET", "/public/v1/users/livestreams", envelope(json!([live_v2(7)]))).await;

    let live = kick.client.fetch_user_livestreams(&[7, 8]).await.unwrap();

    assert_eq!(live, vec![decoded::<kickrs::models::LiveStreamV2>(&live_v2(7))]);
    insta::assert_json_snapshot!("reads_fetch_user_livestreams", wire(&kick.server).await);
}

#[tokio::test]
async fn fetch_user_livestreams_splits_120_ids_into_100_and_20() {
    let kick = kick().await;
    answer(&kick.server, "GET", "/public/v1/users/livestreams", envelope(json!([live_v2(1)]))).await;
    let ids: Vec<u64> = (1..=120).collect();

    let live = kick.client.fetch_user_livestreams(&ids).await.unwrap();

    assert_eq!(live.len(), 2, "one answer per chunk, joined");
    let mut sizes: Vec<usize> =
        api_requests(&kick.server).await.iter().map(|request| query_values(request, "user_id").len()).collect();
    sizes.sort();
    assert_eq!(sizes, [20, 100]);
}

#[tokio::test]
async fn fetch_livestream_stats_with_the_app_token() {
    let _s = support::snapshots();
    let kick = kick().await;
    let body = fixture("livestreams-stats/gokick__stats.json");
    answer(&kick.server, "GET", "/public/v1/livestreams/stats", body.clone()).await;

    let stats = kick.client.fetch_livestream_stats().await.unwrap();

    assert_eq!(stats, decoded(&body["data"]));
    insta::assert_json_snapshot!("reads_fetch_livestream_stats", wire(&kick.server).await);
}

// ---------------------------------------------------------------- categories

#[tokio::test]
async fn fetch_categories_joins_filters_with_commas() {
    let _s = support::snapshots();
    let kick = kick().await;
    let body = fixture("categories-v2/gokick__page_mixed_tags.json");
    answer(&kick.server, "GET", "/public/v2/categories", body.clone()).await;

    let search = CategoriesOptions { query: Some("just chatting".into()), ..Default::default() };
    let page = kick.client.fetch_categories(search).await.unwrap();
    let filters = CategoriesOptions {
        names: vec!["Slots".into(), "Just Chatting".into()],
        tags: vec!["irl".into(), "casino".into()],
        category_ids: vec![15.into(), 28.into()],
        cursor: Some("abcd".into()),
        limit: Some(50),
        ..Default::default()
    };
    kick.client.fetch_categories(filters).await.unwrap();

    assert_eq!(page.items, decoded::<Vec<kickrs::models::Category>>(&body["data"]));
    assert_eq!(page.next_cursor.as_deref(), Some("next-page"));
    insta::assert_json_snapshot!("reads_fetch_categories", wire(&kick.server).await);
}

fn category(n: u32) -> Value {
    json!({ "id": n, "name": format!("category {n}"), "thumbnail": "t", "tags": [] })
}

#[tokio::test]
async fn fetch_categories_stream_walks_three_pages_until_the_empty_cursor() {
    let _s = support::snapshots();
    let kick = kick().await;
    Mock::given(method("GET"))
        .and(path("/public/v2/categories"))
        .respond_with(three_pages(category))
        .mount(&kick.server)
        .await;
    let options = CategoriesOptions { tags: vec!["shooter".into()], limit: Some(2), ..Default::default() };

    let all: Vec<_> = kick.client.fetch_categories_stream(options).try_collect().await.unwrap();

    assert_eq!(all.iter().map(|category| category.id).collect::<Vec<_>>(), [1, 2, 3, 4, 5]);
    insta::assert_json_snapshot!("reads_fetch_categories_stream", wire(&kick.server).await);
}

#[tokio::test]
#[allow(deprecated)]
async fn fetch_category_by_id() {
    let _s = support::snapshots();
    let kick = kick().await;
    let body = fixture("category-v1/kickgosdk-hist__detail_with_tags.json");
    answer(&kick.server, "GET", "/public/v1/categories/28", body.clone()).await;

    let detail = kick.client.fetch_category(28).await.unwrap();

    assert_eq!(detail, decoded(&body["data"]));
    insta::assert_json_snapshot!("reads_fetch_category", wire(&kick.server).await);
}

// ---------------------------------------------------------------- Kick's error answers

/// What a test checks of an error: kind, status, Kick's message, `data`, and the endpoint.
#[derive(Debug, PartialEq)]
struct Seen {
    kind: &'static str,
    status: Option<u16>,
    message: Option<String>,
    data: Option<Value>,
    retry_after: Option<Duration>,
    decode_path: Option<String>,
}

fn seen(error: &Error) -> (Seen, &kickrs::error::Endpoint) {
    let status = error.status().map(|status| status.as_u16());
    let base = |kind| Seen { kind, status, message: None, data: None, retry_after: None, decode_path: None };
    match error {
        Error::Api { message, data, endpoint, .. } => {
            (Seen { message: message.clone(), data: data.clone(), ..base("Api") }, endpoint)
        }
        Error::NotFound { message, endpoint, .. } => (Seen { message: message.clone(), ..base("NotFound") }, endpoint),
        Error::RateLimited { retry_after, endpoint, .. } => {
            (Seen { retry_after: *retry_after, ..base("RateLimited") }, endpoint)
        }
        Error::Decode { path, endpoint, .. } => (Seen { decode_path: Some(path.clone()), ..base("Decode") }, endpoint),
        other => panic!("unexpected error kind: {other:?}"),
    }
}

fn json_answer(status: u16, rel: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(fixture(rel))
}

#[tokio::test]
async fn kick_error_answers_keep_status_message_and_endpoint() {
    let html = "<!DOCTYPE html><html><body><h1>503 Service Temporarily Unavailable</h1></body></html>";
    let expect = |kind, status, message: Option<&str>| Seen {
        kind,
        status: Some(status),
        message: message.map(str::to_string),
        data: None,
        retry_after: None,
        decode_path: None,
    };
    let cases: Vec<(&str, ResponseTemplate, Seen)> = vec![
        (
            "401 with data {}",
            json_answer(401, "_errors/issue253__REAL_401_unauthorized_data_empty_object.json"),
            Seen { data: Some(json!({})), ..expect("Api", 401, Some("Unauthorized")) },
        ),
        (
            "400 with string data",
            json_answer(400, "chat/issue123__REAL_400_data_is_string.json"),
            Seen { data: Some(json!("Channel not found")), ..expect("Api", 400, Some("Bad request")) },
        ),
        (
            "404 message only",
            json_answer(404, "_errors/nekiro__404_message_only.json"),
            expect("NotFound", 404, Some("missing")),
        ),
        (
            "429 with Retry-After",
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "7")
                .set_body_json(json!({ "message": "Too Many Requests" })),
            Seen { retry_after: Some(Duration::from_secs(7)), ..expect("RateLimited", 429, None) },
        ),
        (
            "WAF 403",
            json_answer(403, "_errors/issue225__REAL_403_waf_security_policy.json"),
            expect("Api", 403, Some("Request blocked by security policy.")),
        ),
        (
            "500 data null",
            json_answer(500, "_errors/gokick__500_internal_server_error_data_null.json"),
            Seen { data: None, ..expect("Api", 500, Some("internal server error")) },
        ),
        ("HTML 503", ResponseTemplate::new(503).set_body_raw(html, "text/html"), expect("Api", 503, Some(html))),
        (
            "empty 200",
            ResponseTemplate::new(200).set_body_raw("", "application/json"),
            Seen { decode_path: Some(".".into()), ..expect("Decode", 200, None) },
        ),
        (
            "placeholder start_time",
            json_answer(200, "channels/kickgosdk__by_slug_two.json"),
            Seen { decode_path: Some("data[0].stream.start_time".into()), ..expect("Decode", 200, None) },
        ),
    ];
    for (name, response, want) in cases {
        let kick = kick().await;
        Mock::given(method("GET")).and(path("/public/v1/channels")).respond_with(response).mount(&kick.server).await;

        let error = kick.client.fetch_channel("xqc").await.unwrap_err();

        let (got, endpoint) = seen(&error);
        assert_eq!(got, want, "{name}: {error}");
        // Named after the method the user called, not the raw operation (`fetch_channels`) behind it.
        assert_eq!(endpoint.operation, "fetch_channel", "{name}");
        assert_eq!(endpoint.method, reqwest::Method::GET, "{name}");
        assert_eq!(endpoint.uri, format!("{}/public/v1/channels?slug=xqc", kick.server.uri()), "{name}");
        assert!(error.to_string().contains("fetch_channel ("), "{name}: the message names the call: {error}");
    }
}

// ---------------------------------------------------------------- validation of every read limit

/// One facade call of the validation table.
enum Call {
    Livestreams(LivestreamsOptions),
    LivestreamsV2(LivestreamsV2Options),
    Categories(CategoriesOptions),
    Category(u64),
    Channel(&'static str),
    Channels(ChannelRefs),
    UpdateChannel(UpdateChannelOptions),
    UserLivestreams(Vec<u64>),
}

#[allow(deprecated)] // v1 calls stay validated while Kick still serves them
async fn run(client: &KickClient, call: Call) -> kickrs::Result<()> {
    match call {
        Call::Livestreams(options) => client.fetch_livestreams(options).await.map(drop),
        Call::LivestreamsV2(options) => client.fetch_livestreams_v2(options).await.map(drop),
        Call::Categories(options) => client.fetch_categories(options).await.map(drop),
        Call::Category(id) => client.fetch_category(id).await.map(drop),
        Call::Channel(slug) => client.fetch_channel(slug).await.map(drop),
        Call::Channels(channels) => client.fetch_channels(channels).await.map(drop),
        Call::UpdateChannel(options) => client.update_channel(options).await,
        Call::UserLivestreams(ids) => client.fetch_user_livestreams(&ids).await.map(drop),
    }
}

fn text(len: usize) -> String {
    "é".repeat(len)
}

fn v1(limit: u32) -> Call {
    Call::Livestreams(LivestreamsOptions { limit: Some(limit), ..Default::default() })
}

fn v1_ids(count: u64) -> Call {
    Call::Livestreams(LivestreamsOptions {
        broadcaster_user_ids: (1..=count).map(UserId::new).collect(),
        ..Default::default()
    })
}

fn v2(options: LivestreamsV2Options) -> Call {
    Call::LivestreamsV2(options)
}

fn cats(options: CategoriesOptions) -> Call {
    Call::Categories(options)
}

fn update(options: UpdateChannelOptions) -> Call {
    Call::UpdateChannel(options)
}

fn length(len: usize, min: usize, max: usize) -> Problem {
    Problem::Length { len, min, max }
}

fn range(value: i64, min: i64, max: i64) -> Problem {
    Problem::Range { value, min, max }
}

fn count(count: usize, min: usize, max: usize) -> Problem {
    Problem::Count { count, min, max }
}

#[tokio::test]
async fn read_limits_at_the_boundary_inside_and_outside() {
    type Case = (&'static str, Call, Option<(&'static str, Problem)>);
    let ok = None;
    let bad = |field, problem| Some((field, problem));
    let tags = |n: usize| (0..n).map(|i| format!("tag{i}")).collect::<Vec<_>>();
    let cases: Vec<Case> = vec![
        ("v1 limit 0", v1(0), bad("limit", range(0, 1, 100))),
        ("v1 limit 1", v1(1), ok.clone()),
        ("v1 limit 50", v1(50), ok.clone()),
        ("v1 limit 100", v1(100), ok.clone()),
        ("v1 limit 101", v1(101), bad("limit", range(101, 1, 100))),
        ("v1 50 broadcasters", v1_ids(50), ok.clone()),
        ("v1 51 broadcasters", v1_ids(51), bad("broadcaster_user_id", count(51, 0, 50))),
        (
            "v2 limit 0",
            v2(LivestreamsV2Options { limit: Some(0), ..Default::default() }),
            bad("limit", range(0, 1, 1000)),
        ),
        ("v2 limit 1000", v2(LivestreamsV2Options { limit: Some(1000), ..Default::default() }), ok.clone()),
        (
            "v2 limit 1001",
            v2(LivestreamsV2Options { limit: Some(1001), ..Default::default() }),
            bad("limit", range(1001, 1, 1000)),
        ),
        (
            "v2 25 categories",
            v2(LivestreamsV2Options { category_ids: (1..=25).map(CategoryId::new).collect(), ..Default::default() }),
            ok.clone(),
        ),
        (
            "v2 26 categories",
            v2(LivestreamsV2Options { category_ids: (1..=26).map(CategoryId::new).collect(), ..Default::default() }),
            bad("category_id", count(26, 0, 25)),
        ),
        ("v2 25 languages", v2(LivestreamsV2Options { language_codes: tags(25), ..Default::default() }), ok.clone()),
        (
            "v2 26 languages",
            v2(LivestreamsV2Options { language_codes: tags(26), ..Default::default() }),
            bad("language_code", count(26, 0, 25)),
        ),
        (
            "categories limit 0",
            cats(CategoriesOptions { limit: Some(0), ..Default::default() }),
            bad("limit", range(0, 1, 1000)),
        ),
        ("categories limit 1", cats(CategoriesOptions { limit: Some(1), ..Default::default() }), ok.clone()),
        ("categories limit 1000", cats(CategoriesOptions { limit: Some(1000), ..Default::default() }), ok.clone()),
        (
            "categories limit 1001",
            cats(CategoriesOptions { limit: Some(1001), ..Default::default() }),
            bad("limit", range(1001, 1, 1000)),
        ),
        // Cursors are Kick's own tokens, passed back as sent whatever their length.
        ("cursor 3", cats(CategoriesOptions { cursor: Some(text(3)), ..Default::default() }), ok.clone()),
        ("cursor 200", cats(CategoriesOptions { cursor: Some(text(200)), ..Default::default() }), ok.clone()),
        (
            "name 2",
            cats(CategoriesOptions { names: vec![text(2)], ..Default::default() }),
            bad("name", length(2, 3, 100)),
        ),
        ("name 3", cats(CategoriesOptions { names: vec![text(3)], ..Default::default() }), ok.clone()),
        ("name 100", cats(CategoriesOptions { names: vec![text(100)], ..Default::default() }), ok.clone()),
        (
            "second name 101",
            cats(CategoriesOptions { names: vec![text(50), text(101)], ..Default::default() }),
            bad("name", length(101, 3, 100)),
        ),
        (
            "query 2",
            cats(CategoriesOptions { query: Some(text(2)), ..Default::default() }),
            bad("query", length(2, 3, 100)),
        ),
        ("query 3", cats(CategoriesOptions { query: Some(text(3)), ..Default::default() }), ok.clone()),
        (
            "query and names",
            cats(CategoriesOptions { query: Some(text(5)), names: vec![text(5)], ..Default::default() }),
            bad("query", Problem::Conflict { other: "names" }),
        ),
        ("tag 2", cats(CategoriesOptions { tags: vec![text(2)], ..Default::default() }), bad("tag", length(2, 3, 100))),
        ("tag 100", cats(CategoriesOptions { tags: vec![text(100)], ..Default::default() }), ok.clone()),
        (
            "tag 101",
            cats(CategoriesOptions { tags: vec![text(101)], ..Default::default() }),
            bad("tag", length(101, 3, 100)),
        ),
        (
            "category id 0 in list",
            cats(CategoriesOptions { category_ids: vec![1.into(), 0.into()], ..Default::default() }),
            bad("id", range(0, 1, i64::MAX)),
        ),
        (
            "category id 1 in list",
            cats(CategoriesOptions { category_ids: vec![1.into()], ..Default::default() }),
            ok.clone(),
        ),
        ("category 0", Call::Category(0), bad("category_id", range(0, 1, i64::MAX))),
        ("category 1", Call::Category(1), ok.clone()),
        ("slug empty", Call::Channel(""), bad("slug", length(0, 1, 25))),
        ("slug 25", Call::Channel("abcdefghijklmnopqrstuvwxy"), ok.clone()),
        ("slug 26", Call::Channel("abcdefghijklmnopqrstuvwxyz"), bad("slug", length(26, 1, 25))),
        (
            "one long slug among 60",
            Call::Channels(ChannelRefs::Slugs(
                (0..60).map(|i| if i == 55 { "x".repeat(26) } else { format!("s{i}") }).collect(),
            )),
            bad("slug", length(26, 1, 25)),
        ),
        ("update nothing", update(UpdateChannelOptions::default()), bad("update_channel", Problem::Empty)),
        (
            "update empty title",
            update(UpdateChannelOptions { stream_title: Some(String::new()), ..Default::default() }),
            bad("stream_title", length(0, 1, usize::MAX)),
        ),
        (
            "update title 1",
            update(UpdateChannelOptions { stream_title: Some(text(1)), ..Default::default() }),
            ok.clone(),
        ),
        (
            "update 10 tags",
            update(UpdateChannelOptions { custom_tags: Some(tags(10)), ..Default::default() }),
            ok.clone(),
        ),
        (
            "update 11 tags",
            update(UpdateChannelOptions { custom_tags: Some(tags(11)), ..Default::default() }),
            bad("custom_tags", count(11, 0, 10)),
        ),
        (
            "update category 0",
            update(UpdateChannelOptions { category_id: Some(0.into()), ..Default::default() }),
            bad("category_id", range(0, 1, i64::MAX)),
        ),
        (
            "update category 1",
            update(UpdateChannelOptions { category_id: Some(1.into()), ..Default::default() }),
            ok.clone(),
        ),
        (
            "user livestreams none",
            Call::UserLivestreams(vec![]),
            bad("user_id", Problem::Missing { reason: "(at least one value)" }),
        ),
        ("user livestreams one", Call::UserLivestreams(vec![1]), ok),
    ];

    let kick = kick().await;
    let anything = json!({ "data": [], "message": "OK", "pagination": { "next_cursor": "" } });
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(anything))
        .with_priority(10)
        .mount(&kick.server)
        .await;
    for (name, call, want) in cases {
        let before = api_requests(&kick.server).await.len();
        let result = run(&kick.client, call).await;
        let sent = api_requests(&kick.server).await.len() - before;
        match want {
            Some((field, problem)) => {
                let Err(Error::InvalidInput(error)) = result else {
                    panic!("{name}: expected invalid input, got {result:?}")
                };
                assert_eq!(error, ValidationError::new(field, problem), "{name}");
                assert!(error.to_string().starts_with(&format!("`{field}` ")), "{name}: {error}");
                assert_eq!(sent, 0, "{name}: nothing may be sent for invalid input");
            }
            None => {
                assert!(!matches!(result, Err(Error::InvalidInput(_))), "{name}: refused: {result:?}");
                assert!(sent >= 1, "{name}: the request should have been sent");
            }
        }
    }
}
