//! The Drops claims facade against wiremock: the requests on the wire, Kick's page shape (cursor inside
//! `data`) read from its doc examples, the split of long update lists, the limits refused before
//! anything is sent, and Kick's 401 turned into an error that says the app needs an organization.

mod support;

use futures::{StreamExt, TryStreamExt};
use kickrs::api::FetchDropsClaimsOptions;
use kickrs::models::DropsClaimUpdate;
use kickrs::validate::Problem;
use kickrs::{Error, KickClient, RetryPolicy};
use serde_json::{Value, json};
use support::wire::{fixture, wire, wiremock_kick};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CLAIMS: &str = "/public/v1/drops/claims";

async fn kick() -> (MockServer, KickClient) {
    wiremock_kick(&[kickrs::auth::Scope::UserRead], RetryPolicy::off()).await
}

async fn answer(server: &MockServer, verb: &str, status: u16, body: Value) {
    Mock::given(method(verb))
        .and(path(CLAIMS))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(server)
        .await;
}

fn claims_page(claim_ids: &[&str], cursor: &str) -> Value {
    let claims: Vec<Value> = claim_ids
        .iter()
        .map(|id| {
            json!({
                "claim_id": id, "user_id": 1234, "campaign_id": "01JAXK8N4QWRTY5PM7ZEBVJDS8S",
                "reward_id": "01JAXK8N4QWRTY5PM7ZEBVJDS9T", "external_id": "", "external_status": "initiated",
                "created_at": "2026-01-15T12:00:00Z", "updated_at": "2026-01-15T12:00:00Z"
            })
        })
        .collect();
    json!({"data": {"claims": claims, "cursor": cursor}, "message": "OK"})
}

#[tokio::test]
async fn fetch_drops_claims_sends_every_filter_with_the_app_token_and_reads_kicks_page() {
    let _s = support::snapshots();
    let (server, client) = kick().await;
    answer(&server, "GET", 200, fixture("drops-claims/gokick__claims_page.json")).await;

    // Kick's docs example: campaign_id, limit, cursor and user_id together.
    let options = FetchDropsClaimsOptions {
        campaign_id: Some("01JAXK8N4QWRTY5PM7ZEBVJDS8S".into()),
        limit: Some(10),
        cursor: Some("01K0TDDR08Q5ZNWXK92VRXD7GW".into()),
        user_id: Some(1234.into()),
        ..Default::default()
    };
    let page = client.fetch_drops_claims(options).await.unwrap();
    assert_eq!(page.next_cursor.as_deref(), Some("01K0TDDR08Q5ZNWXK92SDH7SDH"));
    let claim = &page.items[0];
    assert_eq!((claim.claim_id.as_str(), claim.user_id.get()), ("01JAXK8N4QWRTY5PM7ZEBVGH2S", 1234));
    assert_eq!((claim.external_id.as_deref(), claim.external_status.as_str()), (Some("ext-123"), "initiated"));
    assert_eq!(claim.created_at.to_rfc3339(), "2026-01-15T12:00:00+00:00");

    // The other example: one claim by id; then the status filter; an empty cursor is not sent.
    let by_id = FetchDropsClaimsOptions { claim_id: Some("01JAXK8N4QWRTY5PM7ZEBVGH2S".into()), ..Default::default() };
    client.fetch_drops_claims(by_id).await.unwrap();
    let by_status = FetchDropsClaimsOptions {
        external_status: Some("processed".into()),
        cursor: Some(String::new()),
        ..Default::default()
    };
    client.fetch_drops_claims(by_status).await.unwrap();
    insta::assert_json_snapshot!("drops_fetch_drops_claims", wire(&server).await);
}

#[tokio::test]
async fn an_empty_page_has_no_next_cursor() {
    let (server, client) = kick().await;
    answer(&server, "GET", 200, fixture("drops-claims/gokick__empty.json")).await;
    let page = client.fetch_drops_claims(FetchDropsClaimsOptions::default()).await.unwrap();
    assert!(page.items.is_empty());
    assert!(!page.has_next());
}

#[tokio::test]
async fn fetch_drops_claims_stream_follows_the_claim_id_cursor_until_it_is_empty() {
    let _s = support::snapshots();
    let (server, client) = kick().await;
    let pages = [(None, &["C1", "C2"][..], "C2"), (Some("C2"), &["C3", "C4"][..], "C4"), (Some("C4"), &["C5"][..], "")];
    for (cursor, ids, next) in pages {
        let mock = Mock::given(method("GET")).and(path(CLAIMS)).and(query_param("limit", "2"));
        let mock = match cursor {
            Some(cursor) => mock.and(query_param("cursor", cursor)),
            None => mock.and(query_param_is_missing("cursor")),
        };
        mock.respond_with(ResponseTemplate::new(200).set_body_json(claims_page(ids, next)))
            .expect(1)
            .mount(&server)
            .await;
    }

    let options = FetchDropsClaimsOptions { limit: Some(2), ..Default::default() };
    let claims: Vec<_> = client.fetch_drops_claims_stream(options).try_collect().await.unwrap();
    let ids: Vec<&str> = claims.iter().map(|claim| claim.claim_id.as_str()).collect();
    assert_eq!(ids, ["C1", "C2", "C3", "C4", "C5"]);
    // `external_id: ""` (no reference) decodes as an empty value, not as a failure.
    assert_eq!(claims[0].external_id.as_deref(), Some(""));
    insta::assert_json_snapshot!("drops_fetch_drops_claims_stream", wire(&server).await);
}

#[tokio::test]
async fn update_drops_claims_sends_kicks_body_and_accepts_204() {
    let _s = support::snapshots();
    let (server, client) = kick().await;
    Mock::given(method("PATCH")).and(path(CLAIMS)).respond_with(ResponseTemplate::new(204)).mount(&server).await;

    // Kick's docs example body.
    let updates = [
        DropsClaimUpdate::new("01KAAFHJ2PNXS48NG8XXPGWKCZ", "processed"),
        DropsClaimUpdate::new("01KAAFHJ2PNXS48NG8XXPGWKCA", "initiated"),
    ];
    client.update_drops_claims(&updates).await.unwrap();
    insta::assert_json_snapshot!("drops_update_drops_claims", wire(&server).await);
}

#[tokio::test]
async fn more_than_100_updates_are_split_into_requests_of_100_in_order() {
    let (server, client) = kick().await;
    Mock::given(method("PATCH")).and(path(CLAIMS)).respond_with(ResponseTemplate::new(204)).mount(&server).await;

    let updates: Vec<DropsClaimUpdate> =
        (0..250).map(|n| DropsClaimUpdate::new(format!("01KAAFHJ2PNXS48NG8XX{n:06}"), "processed")).collect();
    client.update_drops_claims(&updates).await.unwrap();

    let sent = wire(&server).await;
    let bodies: Vec<Vec<String>> = sent
        .as_array()
        .unwrap()
        .iter()
        .map(|request| {
            let claims = request["body"]["claims"].as_array().unwrap();
            claims.iter().map(|claim| claim["claim_id"].as_str().unwrap().to_owned()).collect()
        })
        .collect();
    assert_eq!(bodies.iter().map(Vec::len).collect::<Vec<_>>(), [100, 100, 50]);
    let in_order: Vec<String> = bodies.into_iter().flatten().collect();
    let expected: Vec<kickrs::ids::ClaimId> = updates.iter().map(|update| update.claim_id.clone()).collect();
    assert_eq!(in_order, expected);
}

#[tokio::test]
async fn a_failed_chunk_stops_the_split_and_is_returned() {
    let (server, client) = kick().await;
    Mock::given(method("PATCH"))
        .and(path(CLAIMS))
        .respond_with(ResponseTemplate::new(204))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    answer(&server, "PATCH", 500, fixture("drops-claims/kickdocs__500_internal.json")).await;

    let updates: Vec<DropsClaimUpdate> =
        (0..300).map(|n| DropsClaimUpdate::new(format!("claim-{n}"), "processed")).collect();
    let error = client.update_drops_claims(&updates).await.unwrap_err();
    assert!(matches!(&error, Error::Api { status, .. } if status.as_u16() == 500), "{error}");
    // The first 100 went through, the second request failed, the third was never sent.
    assert_eq!(wire(&server).await.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn kicks_401_says_the_app_must_belong_to_an_organization() {
    let (server, client) = kick().await;
    answer(&server, "GET", 401, fixture("drops-claims/kickdocs__401_unauthorized.json")).await;
    answer(&server, "PATCH", 403, json!({"data": null, "message": "Forbidden"})).await;

    let error = client.fetch_drops_claims(FetchDropsClaimsOptions::default()).await.unwrap_err();
    let Error::OrganizationRequired { status, message, endpoint } = &error else { panic!("{error:?}") };
    assert_eq!((status.as_u16(), message.as_deref()), (401, Some("Unauthorized")));
    assert_eq!(endpoint.operation, "fetch_drops_claims");
    assert!(error.to_string().contains("belongs to a Kick organization"), "{error}");
    // After the 401 the client renewed its app token once and resent, as for any app call.
    let gets = wire(&server).await.as_array().unwrap().len();
    assert_eq!(gets, 2);

    let error = client.update_drops_claims(&[DropsClaimUpdate::new("01KAAFHJ2PNXS48NG8XXPGWKCZ", "x")]).await;
    assert!(matches!(error, Err(Error::OrganizationRequired { status, .. }) if status.as_u16() == 403));
}

#[tokio::test]
async fn a_500_stays_an_api_error() {
    let (server, client) = kick().await;
    answer(&server, "GET", 500, fixture("drops-claims/kickdocs__500_internal.json")).await;
    let error = client.fetch_drops_claims(FetchDropsClaimsOptions::default()).await.unwrap_err();
    assert!(matches!(&error, Error::Api { message: Some(m), .. } if m == "Internal server error"), "{error}");
}

#[tokio::test]
async fn limits_are_refused_before_anything_is_sent() {
    let (server, client) = kick().await;
    let refused = |result: kickrs::Result<()>| match result {
        Err(Error::InvalidInput(error)) => (error.field, error.problem),
        other => panic!("not refused: {other:?}"),
    };
    let fetch = |options: FetchDropsClaimsOptions| {
        let client = client.clone();
        async move { client.fetch_drops_claims(options).await.map(drop) }
    };

    let (field, problem) = refused(fetch(FetchDropsClaimsOptions { limit: Some(1001), ..Default::default() }).await);
    assert_eq!((field, problem), ("limit", Problem::Range { value: 1001, min: 1, max: 1000 }));
    let (field, _) = refused(fetch(FetchDropsClaimsOptions { limit: Some(0), ..Default::default() }).await);
    assert_eq!(field, "limit");
    let (field, _) = refused(fetch(FetchDropsClaimsOptions { user_id: Some(0.into()), ..Default::default() }).await);
    assert_eq!(field, "user_id");
    let (field, _) = refused(fetch(FetchDropsClaimsOptions { claim_id: Some(" ".into()), ..Default::default() }).await);
    assert_eq!(field, "claim_id");

    let (field, problem) = refused(client.update_drops_claims(&[]).await);
    assert_eq!(field, "claims");
    assert!(matches!(problem, Problem::Missing { .. }));
    let twice = [DropsClaimUpdate::new("A", "processed"), DropsClaimUpdate::new("A", "failed")];
    let (field, problem) = refused(client.update_drops_claims(&twice).await);
    assert_eq!((field, problem), ("claims.claim_id", Problem::Duplicate { value: "A".into() }));
    // A repeat far apart (in different requests of 100) is refused too.
    let mut far: Vec<DropsClaimUpdate> = (0..150).map(|n| DropsClaimUpdate::new(format!("c{n}"), "ok")).collect();
    far.push(DropsClaimUpdate::new("c3", "ok"));
    assert_eq!(refused(client.update_drops_claims(&far).await).0, "claims.claim_id");
    let (field, _) = refused(client.update_drops_claims(&[DropsClaimUpdate::new("", "processed")]).await);
    assert_eq!(field, "claims.claim_id");
    let (field, _) = refused(client.update_drops_claims(&[DropsClaimUpdate::new("A", " ")]).await);
    assert_eq!(field, "claims.external_status");

    let invalid: Vec<_> = client
        .fetch_drops_claims_stream(FetchDropsClaimsOptions { limit: Some(5000), ..Default::default() })
        .collect()
        .await;
    assert_eq!(invalid.len(), 1);
    assert_eq!(wire(&server).await, json!([]));
}

#[test]
fn what_a_facade_call_needs_is_in_kickrs_api_and_its_enums_name_the_allowed_values() {
    use kickrs::api::{ChatMessageType, EventSpec, LivestreamsOptions, LivestreamsSort, RedemptionStatus};

    let options = LivestreamsOptions { sort: Some("started_at".parse().unwrap()), ..Default::default() };
    assert_eq!(options.sort, Some(LivestreamsSort::StartedAt));
    let error = "newest".parse::<LivestreamsSort>().unwrap_err();
    assert_eq!(error.field, "sort");
    assert_eq!(error.to_string(), "`sort` is `newest`; Kick allows one of: viewer_count, started_at");
    assert_eq!(LivestreamsSort::ALLOWED, ["viewer_count", "started_at"]);
    let error = "admin".parse::<ChatMessageType>().unwrap_err();
    assert_eq!(error.problem, Problem::NotOneOf { value: "admin".into(), allowed: &["user", "bot"] });
    for sort in [LivestreamsSort::ViewerCount, LivestreamsSort::StartedAt] {
        assert_eq!(sort.as_str().parse::<LivestreamsSort>().unwrap(), sort);
    }
    let _: (EventSpec, RedemptionStatus) = (("chat.message.sent", 1).into(), RedemptionStatus::from("pending"));
    let _ = kickrs::api::DropsClaimUpdate::new("01KAAFHJ2PNXS48NG8XXPGWKCZ", "processed");
}
