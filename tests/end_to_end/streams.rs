//! Every `*_stream()` owns what it needs: it can be moved into `tokio::spawn` after the client that
//! made it is gone, and it still pages through MockKick.

use futures::TryStreamExt as _;
use kickrs::api::{CategoriesOptions, FetchDropsClaimsOptions, FetchRewardRedemptionsOptions, LivestreamsV2Options};
use kickrs::auth::Scope;
use kickrs::mock::MockKick;
use kickrs::mock::seed::AURORA_ID;

#[tokio::test]
async fn every_stream_runs_on_its_own_task_after_the_client_is_dropped() {
    let mock = MockKick::start().await;
    let app = mock.client().unwrap();
    let broadcaster = mock.user_client(AURORA_ID, &[Scope::ChannelRewardsRead]).await.unwrap();

    // Pages of one item, so each stream follows cursors.
    let categories = tokio::spawn(
        app.fetch_categories_stream(CategoriesOptions { limit: Some(1), ..Default::default() }).try_collect::<Vec<_>>(),
    );
    let live = tokio::spawn(
        app.fetch_livestreams_v2_stream(LivestreamsV2Options { limit: Some(1), ..Default::default() })
            .try_collect::<Vec<_>>(),
    );
    let claims = tokio::spawn(
        app.fetch_drops_claims_stream(FetchDropsClaimsOptions { limit: Some(1), ..Default::default() })
            .try_collect::<Vec<_>>(),
    );
    let redemptions = tokio::spawn(
        broadcaster.fetch_reward_redemptions_stream(FetchRewardRedemptionsOptions::default()).try_collect::<Vec<_>>(),
    );
    drop((app, broadcaster));

    let categories = categories.await.unwrap().unwrap();
    let live = live.await.unwrap().unwrap();
    let claims = claims.await.unwrap().unwrap();
    let redemptions = redemptions.await.unwrap().unwrap();

    assert_eq!(categories.len(), mock.categories().len());
    assert_eq!(live.len(), mock.live_streams().len());
    assert_eq!(claims.len(), mock.drops_claims().len());
    let redeemed: usize = redemptions.iter().map(|group| group.redemptions.len()).sum();
    let aurora_rewards: Vec<_> = mock.rewards(AURORA_ID).into_iter().map(|reward| reward.id).collect();
    // Without a status filter Kick lists the pending ones.
    let pending = |r: &&kickrs::mock::Redemption| matches!(r.status, kickrs::models::RedemptionStatus::Pending);
    let aurora_redemptions =
        mock.redemptions().iter().filter(|r| aurora_rewards.contains(&r.reward_id)).filter(pending).count();
    assert_eq!(redeemed, aurora_redemptions);
    assert!(categories.len() > 1 && live.len() > 1 && claims.len() > 1, "a stream of one page proves little");
    assert!(redeemed > 0);
}
