//! Drops against MockKick: the seeded claims read page by page, Kick's limits and errors, and a claim
//! from the viewer's click through the signed three-header webhook into the axum receiver, whose
//! handler marks it fulfilled with `update_drops_claims`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::TryStreamExt;
use kickrs::api::FetchDropsClaimsOptions;
use kickrs::mock::seed::{
    CHATFAN_ID, DROPS_AXE_REWARD_ID, DROPS_CAMPAIGN_ID, DROPS_CHATFAN_CLAIM_ID, DROPS_MODMAX_CLAIM_ID,
    DROPS_SAPLING_REWARD_ID, MODMAX_ID, OTHER_CLIENT_ID,
};
use kickrs::mock::{DROPS_CLAIM_EVENT, MockKick};
use kickrs::models::DropsClaimUpdate;
use kickrs::webhooks::axum::WebhookServer;
use kickrs::webhooks::events::DropsRewardClaimed;
use kickrs::webhooks::{Delivered, Dispatcher};
use kickrs::{Error, KickClient};

use super::{app_client, requests_to};

const CLAIMS: &str = "/public/v1/drops/claims";

fn other_app(mock: &MockKick) -> KickClient {
    KickClient::builder()
        .client_id(OTHER_CLIENT_ID)
        .client_secret("other-app-secret")
        .api_base_url(mock.api_base_url())
        .oauth_base_url(mock.oauth_base_url())
        .build()
        .unwrap()
}

#[tokio::test]
async fn the_seeded_claims_are_listed_filtered_and_walked_page_by_page() {
    let mock = MockKick::start().await;
    let client = app_client(&mock);
    for user_id in [CHATFAN_ID, MODMAX_ID] {
        mock.claim_drop(user_id, DROPS_AXE_REWARD_ID).unwrap();
    }

    let all: Vec<_> = client
        .fetch_drops_claims_stream(FetchDropsClaimsOptions { limit: Some(1), ..Default::default() })
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<kickrs::ids::ClaimId> = all.iter().map(|claim| claim.claim_id.clone()).collect();
    let expected: Vec<kickrs::ids::ClaimId> = mock.drops_claims().into_iter().map(|claim| claim.claim_id).collect();
    // chatfan's sapling, modmax's axe, chatfan's new axe (modmax already had the axe: no new claim).
    assert_eq!(expected.len(), 3);
    assert_eq!(ids, expected);
    assert_eq!(requests_to(&mock, "GET", CLAIMS), 3);

    let initiated = FetchDropsClaimsOptions { external_status: Some("initiated".into()), ..Default::default() };
    let page = client.fetch_drops_claims(initiated).await.unwrap();
    assert_eq!(page.items.len(), 2);
    assert!(!page.has_next());
    let modmax = FetchDropsClaimsOptions {
        user_id: Some(MODMAX_ID),
        campaign_id: Some(DROPS_CAMPAIGN_ID.into()),
        ..Default::default()
    };
    let page = client.fetch_drops_claims(modmax).await.unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(
        (page.items[0].claim_id.as_str(), page.items[0].external_status.as_str()),
        (DROPS_MODMAX_CLAIM_ID, "processed")
    );
    assert_eq!(page.items[0].external_id, Some(String::new()));
    let sapling = client
        .fetch_drops_claims(FetchDropsClaimsOptions {
            claim_id: Some(DROPS_CHATFAN_CLAIM_ID.into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(sapling.items[0].external_id.as_deref(), Some("pw-sapling-skin"));
}

#[tokio::test]
async fn an_app_outside_any_organization_is_told_it_needs_one() {
    let mock = MockKick::start().await;
    let error = other_app(&mock).fetch_drops_claims(FetchDropsClaimsOptions::default()).await.unwrap_err();
    assert!(matches!(&error, Error::OrganizationRequired { status, .. } if status.as_u16() == 401), "{error:?}");
    assert!(error.to_string().contains("organization"), "{error}");
    let update = [DropsClaimUpdate::new(DROPS_CHATFAN_CLAIM_ID, "processed")];
    let error = other_app(&mock).update_drops_claims(&update).await.unwrap_err();
    assert!(matches!(error, Error::OrganizationRequired { .. }), "{error:?}");
    assert_eq!(mock.drops_claim(DROPS_CHATFAN_CLAIM_ID).unwrap().external_status, "initiated");
}

#[tokio::test]
async fn mockkick_holds_kicks_limits_when_the_raw_client_skips_validation() {
    let mock = MockKick::start().await;
    let client = app_client(&mock);
    // The facade refuses these before sending; the raw bindings do not, and MockKick answers as Kick would.
    client.fetch_drops_claims(FetchDropsClaimsOptions::default()).await.unwrap();
    let too_many = kickrs::raw::types::UpdateDropsClaimsRequest {
        claims: (0..101).map(|n| DropsClaimUpdate::new(format!("c{n}"), "processed")).collect(),
    };
    let error = client.raw().update_drops_claims(&too_many).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
    let unknown = kickrs::raw::types::UpdateDropsClaimsRequest {
        claims: vec![DropsClaimUpdate::new(DROPS_CHATFAN_CLAIM_ID, "processed"), DropsClaimUpdate::new("nope", "x")],
    };
    assert!(client.raw().update_drops_claims(&unknown).await.is_err());
    // Nothing applied from a refused request.
    assert_eq!(mock.drops_claim(DROPS_CHATFAN_CLAIM_ID).unwrap().external_status, "initiated");
    let limit = std::num::NonZeroU64::new(1001);
    let error = client.raw().fetch_drops_claims(None, None, None, None, limit, None).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
    // A user token is not accepted (app tokens only): Kick's 401.
    let user_token = mock.issue_user_token(CHATFAN_ID, &[kickrs::auth::Scope::UserRead]);
    let answer = kickrs::http_client_builder()
        .unwrap()
        .build()
        .unwrap()
        .get(format!("{}{CLAIMS}", mock.api_base_url()))
        .bearer_auth(user_token)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 401);
}

#[tokio::test]
async fn a_claim_goes_from_the_viewer_through_the_webhook_to_update_drops_claims() {
    let mock =
        MockKick::builder().with_default_seed().webhook_retry_delays(vec![Duration::from_millis(20); 3]).start().await;
    let client = app_client(&mock);
    let handled: Arc<Mutex<Vec<(kickrs::ids::EventMessageId, DropsRewardClaimed)>>> = Arc::default();

    // The organization's receiver: verify with the key Kick serves, fulfil, then mark the claim processed.
    let dispatcher = {
        let (client, handled) = (client.clone(), Arc::clone(&handled));
        Dispatcher::new(client.webhook_verifier().await.unwrap()).on::<DropsRewardClaimed>(
            move |claim: Delivered<DropsRewardClaimed>| {
                let (client, handled) = (client.clone(), Arc::clone(&handled));
                async move {
                    client.update_drops_claims(&[DropsClaimUpdate::new(claim.claim_id.clone(), "processed")]).await?;
                    handled.lock().unwrap().push((claim.meta.message_id.clone(), claim.payload.clone()));
                    Ok(())
                }
            },
        )
    };
    let server =
        WebhookServer::new(dispatcher).path("/drops").bind_addr(([127, 0, 0, 1], 0).into()).listen().await.unwrap();
    mock.set_drops_webhook_url(mock.client_id(), &server.url());

    let claim = mock.claim_drop(CHATFAN_ID, DROPS_AXE_REWARD_ID).unwrap();
    assert_eq!(claim.external_status, "initiated");
    mock.webhooks_idle().await;

    let deliveries = mock.webhook_deliveries();
    assert_eq!(deliveries.len(), 1);
    assert_eq!(
        (deliveries[0].event.as_str(), deliveries[0].attempts.as_slice()),
        (DROPS_CLAIM_EVENT, &[Some(200)][..])
    );
    let seen = handled.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].0, deliveries[0].message_id);
    let payload = &seen[0].1;
    assert_eq!(
        (payload.claim_id.as_str(), payload.user_id, payload.reward_id.as_str(), payload.campaign_id.as_str()),
        (claim.claim_id.as_str(), CHATFAN_ID, DROPS_AXE_REWARD_ID, DROPS_CAMPAIGN_ID)
    );
    assert_eq!(payload.external_id, None);
    assert_eq!(mock.drops_claim(claim.claim_id.as_str()).unwrap().external_status, "processed");

    // Kick sends the claim again under a new message id: acknowledged (200), not fulfilled twice.
    assert!(mock.resend_drops_claim(claim.claim_id.as_str()));
    mock.webhooks_idle().await;
    let deliveries = mock.webhook_deliveries();
    assert_eq!(deliveries.len(), 2);
    assert_ne!(deliveries[0].message_id, deliveries[1].message_id);
    assert_eq!(deliveries[1].attempts, [Some(200)]);
    assert_eq!(handled.lock().unwrap().len(), 1);
    assert_eq!(requests_to(&mock, "PATCH", CLAIMS), 1);

    // A reward with an external id carries it in the webhook.
    let sapling = mock.claim_drop(MODMAX_ID, DROPS_SAPLING_REWARD_ID).unwrap();
    mock.webhooks_idle().await;
    let seen = handled.lock().unwrap().clone();
    assert_eq!(seen.len(), 2);
    assert_eq!(
        (seen[1].1.claim_id.as_str(), seen[1].1.external_id.as_deref()),
        (sapling.claim_id.as_str(), Some("pw-sapling-skin"))
    );
    server.shutdown().await.unwrap();
}
