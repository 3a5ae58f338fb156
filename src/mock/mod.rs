//! `MockKick`: an in-process fake of Kick's REST API and OAuth server for tests.
//!
//! [`MockKick`] is a real HTTP server on `127.0.0.1` (an ephemeral port each, so many can run in
//! one test process) that behaves like `api.kick.com` and `id.kick.com`: Kick's `{data, message}`
//! envelope and cursor pages, its status codes and error bodies, its parameter limits (checked
//! server-side, so a client bug shows up as a 400 as it would against Kick), the OAuth 2.1 + PKCE
//! flow, bearer-token checks (expiry, scopes, app vs user token), signed webhook deliveries, and
//! knobs to inject faults. The state is seeded (see [`seed`] for the default world) and inspectable.
//!
//! # A bot test
//!
//! Point a [`crate::KickClient`] at MockKick, run the bot's code, then assert on MockKick's state
//! (what Kick would have seen), not on what the bot says it did.
//!
//! ```
//! use kickrs::KickClient;
//! use kickrs::api::SendChatMessageOptions;
//! use kickrs::auth::Scope;
//! use kickrs::mock::{MockKick, seed};
//!
//! /// The bot under test: greets a channel.
//! async fn greet(client: &KickClient) -> kickrs::Result<()> {
//!     client.send_chat_message("hello from the bot", SendChatMessageOptions::default()).await?;
//!     Ok(())
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // #[tokio::test] async fn bot_greets_the_channel() {
//! let mock = MockKick::start().await;
//! // The bot, logged in as a seeded broadcaster (or run the whole PKCE flow: see the quickstart).
//! let client = mock.user_client(seed::AURORA_ID, &[Scope::ChatWrite]).await?;
//!
//! greet(&client).await?;
//!
//! let sent = mock.chat_messages();
//! assert_eq!(sent.last().map(|m| m.content.as_str()), Some("hello from the bot"));
//! # Ok(())
//! # }
//! ```
//!
//! # Which actions send which webhook events
//!
//! An event is POSTed, signed, to every app that subscribed to it for that broadcaster
//! (`subscribe_to_event`) and has a webhook URL ([`MockKick::set_webhook_url`]); a refused delivery is
//! retried. Everything not in this table changes state only.
//!
//! | Action (client method, or `MockKick` method) | Event sent |
//! |---|---|
//! | `send_chat_message` (`POST /public/v1/chat`) | `chat.message.sent` |
//! | `update_channel` (`PATCH /public/v1/channels`) | `livestream.metadata.updated` |
//! | `ban_user`, a timeout too (`POST /public/v1/moderation/bans`) | `moderation.banned` |
//! | `accept_reward_redemptions` / `reject_reward_redemptions` | `channel.reward.redemption.updated`, one per redemption changed |
//! | [`MockKick::claim_drop`], [`MockKick::resend_drops_claim`] | the Drops claim webhook, to the organization's URL ([`MockKick::set_drops_webhook_url`]) |
//! | [`MockKick::emit_event`] | the event named, with the payload given (how tests send follows, subscriptions, gifts, KICKs, `livestream.status.updated`, ...) |
//! | [`MockKick::go_live`], [`MockKick::go_offline`], `unban_user`, `delete_chat_message`, rewards, tokens | none |
//!
//! Faults and token knobs, for resilience tests:
//!
//! ```no_run
//! # async fn demo() {
//! use http::Method;
//! use kickrs::mock::{Fault, MockKick};
//!
//! let mock = MockKick::start().await;
//! mock.faults().next(Method::POST, "/public/v1/chat", 2, Fault::Status(503));
//! mock.expire_all_tokens(); // the client must refresh...
//! // ...exactly once:
//! assert_eq!(mock.token_request_count("refresh_token"), 1);
//! # }
//! ```

mod api;
mod faults;
mod ids;
mod log;
mod oauth;
mod reply;
mod request;
mod routes;
pub mod seed;
mod server;
mod state;
mod webhooks;

use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::watch;

use crate::auth::{Scope, TokenKind};
use crate::ids::UserId;
use crate::{KickClient, KickClientBuilder};
use tokio::task::JoinHandle;

pub use faults::{Fault, Faults};
pub use log::RecordedRequest;
pub use oauth::{IssuedTokens, TokenRequest};
pub use state::{
    AdSettings, App, Ban, DropsCampaign, DropsReward, EventSubscription, KicksEntry, MockAdBreak, MockCategory,
    MockChannel, MockChatMessage, MockDropsClaim, MockLiveStream, MockReward, MockUser, Organization, Redemption,
};
pub use webhooks::{DROPS_CLAIM_EVENT, WebhookDelivery};

use server::Shared;
use state::State;

/// A running fake of Kick's API and OAuth server. Shuts down when dropped.
pub struct MockKick {
    shared: Arc<Shared>,
    addr: SocketAddr,
    shutdown: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for MockKick {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockKick").field("addr", &self.addr).finish_non_exhaustive()
    }
}

/// Seeds and configures a [`MockKick`] before it starts.
///
/// Starts empty except for the default app ([`seed::DEFAULT_CLIENT_ID`]); call
/// [`with_default_seed`](Self::with_default_seed) for the default world.
///
/// ```no_run
/// # async fn demo() {
/// use kickrs::mock::{MockCategory, MockChannel, MockLiveStream, MockKick, MockReward, MockUser};
///
/// let mock = MockKick::builder()
///     .category(MockCategory::new(15, "Just Chatting").tags(["IRL"]))
///     .user(MockUser::new(7, "streamer"))
///     .channel(MockChannel::new(7, "streamer").title("Hello").category(15))
///     .live(MockLiveStream::new(7).viewers(42))
///     .reward(MockReward::new(7, "Hydrate", 100))
///     .start()
///     .await;
/// # }
/// ```
pub struct MockKickBuilder {
    state: State,
    seed: u64,
    log_capacity: usize,
    retry_delays: Vec<Duration>,
    port: u16,
}

impl MockKickBuilder {
    fn new() -> Self {
        let mut state = State::default();
        state.apps.push(seed::default_app());
        MockKickBuilder {
            state,
            seed: 0x6b69_636b,
            log_capacity: 10_000,
            retry_delays: vec![Duration::from_secs(1), Duration::from_secs(5), Duration::from_secs(25)],
            port: 0,
        }
    }

    /// Adds the default world (see [`seed`]).
    pub fn with_default_seed(mut self) -> Self {
        seed::apply(&mut self.state);
        self
    }

    /// Adds a user and, unless one exists, a channel whose slug is the lower-cased name.
    pub fn user(mut self, user: MockUser) -> Self {
        self.state.channels.entry(user.id).or_insert_with(|| MockChannel::new(user.id, &user.name.to_lowercase()));
        self.state.oauth.authorizing_user.get_or_insert(user.id);
        self.state.users.insert(user.id, user);
        self
    }

    /// Adds or replaces a channel.
    pub fn channel(mut self, channel: MockChannel) -> Self {
        self.state.channels.insert(channel.broadcaster_user_id, channel);
        self
    }

    /// Puts a channel live.
    pub fn live(mut self, live: MockLiveStream) -> Self {
        self.state.live.insert(live.broadcaster_user_id, live);
        self
    }

    /// Adds a category.
    pub fn category(mut self, category: MockCategory) -> Self {
        self.state.categories.insert(category.id, category);
        self
    }

    /// Adds a reward.
    pub fn reward(mut self, reward: MockReward) -> Self {
        self.state.rewards.push(reward);
        self
    }

    /// Adds a redemption.
    pub fn redemption(mut self, redemption: Redemption) -> Self {
        self.state.redemptions.push(redemption);
        self
    }

    /// Adds a KICKs leaderboard entry.
    pub fn kicks(mut self, entry: KicksEntry) -> Self {
        self.state.kicks.push(entry);
        self
    }

    /// Adds a Kick organization (its app may then use the Drops endpoints).
    pub fn organization(mut self, organization: Organization) -> Self {
        self.state.organizations.push(organization);
        self
    }

    /// Adds a Drops campaign.
    pub fn drops_campaign(mut self, campaign: DropsCampaign) -> Self {
        self.state.drops_campaigns.push(campaign);
        self
    }

    /// Adds a Drops reward.
    pub fn drops_reward(mut self, reward: DropsReward) -> Self {
        self.state.drops_rewards.push(reward);
        self
    }

    /// Adds a Drops claim (after the ones already there, which is the order Kick's cursor walks).
    pub fn drops_claim(mut self, claim: MockDropsClaim) -> Self {
        self.state.drops_claims.push(claim);
        self
    }

    /// Registers another app (client id and secret).
    pub fn app(self, client_id: &str, client_secret: &str) -> Self {
        self.app_config(App::new(client_id, client_secret))
    }

    /// Registers an app with redirect URIs or a webhook URL (replaces one with the same id).
    pub fn app_config(mut self, app: App) -> Self {
        self.state.apps.retain(|a| a.client_id != app.client_id);
        self.state.apps.push(app);
        self
    }

    /// The user who "logs in" at `/oauth/authorize` (default: the first user added).
    pub fn authorize_as(mut self, user_id: impl Into<UserId>) -> Self {
        self.state.oauth.authorizing_user = Some(user_id.into());
        self
    }

    /// Lifetime of issued access tokens (default 7200 s, as Kick).
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.state.oauth.token_lifetime_secs = lifetime.as_secs() as i64;
        self
    }

    /// Seed of the RNG behind [`Faults::fail_randomly`].
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// How many requests the request log keeps (default 10,000; 0 turns it off).
    pub fn request_log_capacity(mut self, capacity: usize) -> Self {
        self.log_capacity = capacity;
        self
    }

    /// Waits between webhook delivery attempts (default 1 s, 5 s, 25 s: four attempts in all).
    pub fn webhook_retry_delays(mut self, delays: Vec<Duration>) -> Self {
        self.retry_delays = delays;
        self
    }

    /// Listens on this port of 127.0.0.1 instead of an ephemeral one (for a standalone server whose
    /// URL other programs are configured with); [`try_start`](Self::try_start) fails if it is taken.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let mock = kickrs::mock::MockKick::builder().with_default_seed().port(8080).try_start().await?;
    /// assert_eq!(mock.api_base_url(), "http://127.0.0.1:8080");
    /// # Ok(()) }
    /// ```
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Signs webhook deliveries with `signer` instead of the key all MockKicks of the process share,
    /// e.g. a key loaded with [`TestSigner::from_private_key_pem`] that a receiver already trusts.
    /// `GET /public/v1/public-key` then serves its public half.
    ///
    /// ```no_run
    /// # async fn demo() {
    /// use kickrs::mock::MockKick;
    /// use kickrs::webhooks::signing::TestSigner;
    ///
    /// let signer = TestSigner::new();
    /// let public_pem = signer.public_key_pem();
    /// let mock = MockKick::builder().with_default_seed().webhook_signer(signer).start().await;
    /// assert_eq!(mock.public_key_pem(), Some(public_pem));
    /// # }
    /// ```
    ///
    /// [`TestSigner::from_private_key_pem`]: crate::webhooks::signing::TestSigner::from_private_key_pem
    pub fn webhook_signer(mut self, signer: crate::webhooks::signing::TestSigner) -> Self {
        self.state.webhook_signer = Some(Arc::new(signer));
        self
    }

    /// Starts the server; panics if 127.0.0.1 cannot be bound (see [`try_start`](Self::try_start)).
    pub async fn start(self) -> MockKick {
        match self.try_start().await {
            Ok(mock) => mock,
            Err(e) => panic!("MockKick could not listen on 127.0.0.1: {e}"),
        }
    }

    /// Starts the server on 127.0.0.1 (an ephemeral port unless [`port`](Self::port) chose one).
    pub async fn try_start(self) -> io::Result<MockKick> {
        let (listener, addr) = server::bind(self.port).await?;
        let (shutdown, stop) = watch::channel(false);
        webhooks::warm_up_signer();
        let shared = Arc::new(Shared {
            state: Mutex::new(self.state),
            log: log::RequestLog::new(self.log_capacity),
            faults: faults::FaultTable::new(self.seed),
            deliverer: webhooks::Deliverer::new(self.retry_delays, stop.clone()),
        });
        let app = axum::Router::new()
            .fallback(server::handle)
            .with_state(shared.clone())
            .into_make_service_with_connect_info::<server::ConnHandle>();
        let mut stop_signal = stop;
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(async move {
                let _ = stop_signal.wait_for(|stop| *stop).await;
            });
            let _ = serve.await;
        });
        Ok(MockKick { shared, addr, shutdown, task: Some(task) })
    }
}

impl MockKick {
    /// Starts a MockKick with the default world ([`seed`]); panics if it cannot listen.
    pub async fn start() -> MockKick {
        Self::builder().with_default_seed().start().await
    }

    /// A builder that starts from an empty world (plus the default app).
    pub fn builder() -> MockKickBuilder {
        MockKickBuilder::new()
    }

    /// Base URL of the REST API, e.g. `http://127.0.0.1:PORT` (paths are `/public/v1/...`).
    pub fn api_base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Base URL of the OAuth server (same server; paths are `/oauth/...`).
    pub fn oauth_base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The socket address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Client id of the default app.
    pub fn client_id(&self) -> &'static str {
        seed::DEFAULT_CLIENT_ID
    }

    /// Client secret of the default app.
    pub fn client_secret(&self) -> &'static str {
        seed::DEFAULT_CLIENT_SECRET
    }

    /// Stops accepting requests and waits for the server to finish open connections.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }

    fn read<T>(&self, f: impl FnOnce(&State) -> T) -> T {
        f(&self.shared.lock())
    }

    fn write<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        f(&mut self.shared.lock())
    }

    // ---- state -------------------------------------------------------------------------

    /// All users.
    pub fn users(&self) -> Vec<MockUser> {
        self.read(|s| s.users.values().cloned().collect())
    }

    /// One channel (by its owner's user id).
    pub fn channel(&self, broadcaster_user_id: impl Into<UserId>) -> Option<MockChannel> {
        let id = broadcaster_user_id.into();
        self.read(|s| s.channels.get(&id).cloned())
    }

    /// All categories.
    pub fn categories(&self) -> Vec<MockCategory> {
        self.read(|s| s.categories.values().cloned().collect())
    }

    /// Channels live right now.
    pub fn live_streams(&self) -> Vec<MockLiveStream> {
        self.read(|s| s.live.values().cloned().collect())
    }

    /// Puts a channel live (or updates its stream).
    pub fn go_live(&self, live: MockLiveStream) {
        self.write(|s| {
            if let Some(channel) = s.channels.get_mut(&live.broadcaster_user_id) {
                channel.ads.ever_streamed = true;
            }
            s.live.insert(live.broadcaster_user_id, live);
        })
    }

    /// Ends a channel's stream.
    pub fn go_offline(&self, broadcaster_user_id: impl Into<UserId>) {
        let id = broadcaster_user_id.into();
        self.write(|s| s.live.remove(&id));
    }

    /// Every chat message, oldest first (deleted ones are flagged, not removed).
    pub fn chat_messages(&self) -> Vec<MockChatMessage> {
        self.read(|s| s.chat.clone())
    }

    /// Current bans and timeouts.
    pub fn bans(&self) -> Vec<Ban> {
        self.read(|s| s.bans.clone())
    }

    /// A channel's rewards.
    pub fn rewards(&self, broadcaster_user_id: impl Into<UserId>) -> Vec<MockReward> {
        let broadcaster_user_id = broadcaster_user_id.into();
        self.read(|s| s.rewards.iter().filter(|r| r.broadcaster_user_id == broadcaster_user_id).cloned().collect())
    }

    /// Every redemption.
    pub fn redemptions(&self) -> Vec<Redemption> {
        self.read(|s| s.redemptions.clone())
    }

    /// Adds a redemption (a viewer redeems a reward now).
    pub fn add_redemption(&self, redemption: Redemption) {
        self.write(|s| s.redemptions.push(redemption));
    }

    /// Every event subscription.
    pub fn subscriptions(&self) -> Vec<EventSubscription> {
        self.read(|s| s.subscriptions.clone())
    }

    /// Registered apps.
    pub fn apps(&self) -> Vec<App> {
        self.read(|s| s.apps.clone())
    }

    // ---- drops -------------------------------------------------------------------------

    /// Kick organizations.
    pub fn organizations(&self) -> Vec<Organization> {
        self.read(|s| s.organizations.clone())
    }

    /// Drops rewards of every campaign.
    pub fn drops_rewards(&self) -> Vec<DropsReward> {
        self.read(|s| s.drops_rewards.clone())
    }

    /// Every Drops claim, in the order they were made.
    pub fn drops_claims(&self) -> Vec<MockDropsClaim> {
        self.read(|s| s.drops_claims.clone())
    }

    /// One Drops claim by id.
    pub fn drops_claim(&self, claim_id: impl AsRef<str>) -> Option<MockDropsClaim> {
        let claim_id = claim_id.as_ref();
        self.read(|s| s.drops_claims.iter().find(|c| c.claim_id == claim_id).cloned())
    }

    /// Sets where the organization of the app `client_id` receives claim webhooks.
    pub fn set_drops_webhook_url(&self, client_id: &str, url: &str) {
        self.write(|s| {
            if let Some(org) = s.organizations.iter_mut().find(|o| o.client_id == client_id) {
                org.webhook_url = Some(url.to_owned());
            }
        })
    }

    /// A viewer claims a Drops reward from their inventory, as on kick.com: the claim is recorded with
    /// status `initiated` and, when the organization has a webhook URL, Kick's claim webhook is sent
    /// (signed, with only `Kick-Event-Signature`, `Kick-Event-Message-ID` and `Kick-Event-Timestamp`).
    /// A reward the viewer already claimed gives the existing claim and sends nothing. `None` when the
    /// user or the reward is unknown.
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// use kickrs::mock::{MockKick, seed};
    /// let mock = MockKick::start().await;
    /// mock.set_drops_webhook_url(mock.client_id(), "http://127.0.0.1:8080/drops");
    /// let claim = mock.claim_drop(seed::CHATFAN_ID, seed::DROPS_AXE_REWARD_ID).expect("seeded");
    /// mock.webhooks_idle().await; // the signed claim webhook was POSTed (and retried if refused)
    /// assert_eq!(mock.drops_claim(&claim.claim_id).map(|c| c.external_status), Some("initiated".into()));
    /// # Ok(()) }
    /// ```
    pub fn claim_drop(&self, user_id: impl Into<UserId>, reward_id: &str) -> Option<MockDropsClaim> {
        let user_id = user_id.into();
        let mut guard = self.shared.lock();
        let state = &mut *guard;
        if !state.users.contains_key(&user_id) {
            return None;
        }
        let reward = state.drops_rewards.iter().find(|r| r.id == reward_id)?.clone();
        if let Some(claim) = state.drops_claims.iter().find(|c| c.user_id == user_id && c.reward_id == reward_id) {
            return Some(claim.clone());
        }
        let now = chrono::Utc::now();
        let claim = MockDropsClaim {
            claim_id: ids::ulid().into(),
            user_id,
            campaign_id: reward.campaign_id.clone(),
            reward_id: reward.id.clone(),
            external_id: reward.external_id.clone(),
            external_status: "initiated".to_owned(),
            created_at: now,
            updated_at: now,
        };
        state.drops_claims.push(claim.clone());
        self.send_claim_webhook(state, &claim);
        Some(claim)
    }

    /// Sends the webhook of an existing claim again, under a new message id (as Kick may: its docs ask
    /// receivers to be idempotent on the claim id). False when there is no such claim or no webhook URL.
    pub fn resend_drops_claim(&self, claim_id: impl AsRef<str>) -> bool {
        let claim_id = claim_id.as_ref();
        let state = self.shared.lock();
        match state.drops_claims.iter().find(|c| c.claim_id == claim_id) {
            Some(claim) => self.send_claim_webhook(&state, claim),
            None => false,
        }
    }

    fn send_claim_webhook(&self, state: &State, claim: &MockDropsClaim) -> bool {
        let organization = state
            .drops_campaigns
            .iter()
            .find(|c| c.id == claim.campaign_id)
            .and_then(|campaign| state.organizations.iter().find(|o| o.id == campaign.organization_id));
        let Some(url) = organization.and_then(|o| o.webhook_url.clone()) else {
            return false;
        };
        self.shared.deliverer.send_claim(state, &url, api::drops::claim_webhook_body(claim));
        true
    }

    // ---- auth --------------------------------------------------------------------------

    /// A builder for a [`KickClient`] of the mock's default app, pointed at this mock (to add
    /// settings before `build()`; [`MockKick::client`] builds it as it is).
    pub fn client_builder(&self) -> KickClientBuilder {
        KickClient::builder()
            .client_id(self.client_id())
            .client_secret(self.client_secret())
            .api_base_url(self.api_base_url())
            .oauth_base_url(self.oauth_base_url())
    }

    /// A [`KickClient`] of the mock's default app (app token only), pointed at this mock.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> kickrs::Result<()> {
    /// let mock = kickrs::mock::MockKick::start().await;
    /// let client = mock.client()?;
    /// let chess = client.fetch_categories(kickrs::api::CategoriesOptions::default()).await?;
    /// # let _ = chess;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`crate::Error::Config`] if the HTTP client cannot be built.
    pub fn client(&self) -> crate::Result<KickClient> {
        self.client_builder().build()
    }

    /// A [`KickClient`] logged in as `user_id` with `scopes`, as if the user had gone through the
    /// login: MockKick mints the tokens (refreshable, with rotation if enabled) and the client
    /// holds them.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> kickrs::Result<()> {
    /// use kickrs::auth::Scope;
    /// use kickrs::mock::{MockKick, seed};
    /// let mock = MockKick::start().await;
    /// let bot = mock.user_client(seed::AURORA_ID, &[Scope::ChatWrite, Scope::UserRead]).await?;
    /// bot.send_chat_message("hello", Default::default()).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// As [`MockKick::client`], and the store's error if saving the tokens fails.
    pub async fn user_client(&self, user_id: impl Into<UserId>, scopes: &[Scope]) -> crate::Result<KickClient> {
        let client = self.client()?;
        let issued = self.issue_user_tokens(user_id, scopes);
        let refresh = issued.refresh_token.clone().unwrap_or_default();
        client.set_user_token(issued.access_token.clone(), refresh, issued.expires_in, &issued.scopes).await?;
        Ok(client)
    }

    /// Mints a user access token for the default app, as if the user had logged in.
    pub fn issue_user_token(&self, user_id: impl Into<UserId>, scopes: &[Scope]) -> String {
        self.issue_user_tokens(user_id, scopes).access_token
    }

    /// Mints a user access and refresh token pair for the default app.
    pub fn issue_user_tokens(&self, user_id: impl Into<UserId>, scopes: &[Scope]) -> IssuedTokens {
        let user_id = user_id.into();
        let scopes = scopes.iter().map(|scope| scope.as_str().to_owned()).collect();
        self.write(|s| s.oauth.issue(TokenKind::User, seed::DEFAULT_CLIENT_ID, Some(user_id), scopes))
    }

    /// Mints an app access token for the default app.
    pub fn issue_app_token(&self) -> String {
        self.write(|s| s.oauth.issue(TokenKind::App, seed::DEFAULT_CLIENT_ID, None, Vec::new())).access_token
    }

    /// Makes every access token issued so far expired (refresh tokens stay valid).
    pub fn expire_all_tokens(&self) {
        self.write(|s| s.oauth.expire_all());
    }

    /// Revokes one access or refresh token.
    pub fn revoke_token(&self, token: &str) {
        self.write(|s| s.oauth.revoke(token));
    }

    /// Lifetime of tokens issued from now on.
    pub fn set_token_lifetime(&self, lifetime: Duration) {
        self.write(|s| s.oauth.token_lifetime_secs = lifetime.as_secs() as i64);
    }

    /// The user who "logs in" at the next `/oauth/authorize`.
    pub fn set_authorizing_user(&self, user_id: impl Into<UserId>) {
        let id = user_id.into();
        self.write(|s| s.oauth.authorizing_user = Some(id));
    }

    /// The next `/oauth/authorize` redirects with `error=access_denied` and this description.
    pub fn deny_next_authorization(&self, description: &str) {
        self.write(|s| s.oauth.deny_next = Some(description.to_owned()));
    }

    /// With rotation on, a refresh token works once (Kick's are reusable by default).
    pub fn rotate_refresh_tokens(&self, on: bool) {
        self.write(|s| s.oauth.rotate_refresh_tokens = on);
    }

    /// Makes every refresh token issued so far fail with `invalid_grant`.
    pub fn invalidate_refresh_tokens(&self) {
        self.write(|s| s.oauth.invalidate_refresh_tokens());
    }

    /// Every `POST /oauth/token` call, oldest first.
    pub fn token_requests(&self) -> Vec<TokenRequest> {
        self.read(|s| s.oauth.token_requests.clone())
    }

    /// How many `POST /oauth/token` calls used this `grant_type` (answered or refused).
    pub fn token_request_count(&self, grant_type: &str) -> usize {
        self.read(|s| s.oauth.token_requests.iter().filter(|r| r.grant_type == grant_type).count())
    }

    // ---- observability and faults -------------------------------------------------------

    /// The requests received, oldest first (bounded; see
    /// [`MockKickBuilder::request_log_capacity`]).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.log.snapshot()
    }

    /// Empties the request log.
    pub fn clear_requests(&self) {
        self.shared.log.clear();
    }

    /// The fault knobs.
    pub fn faults(&self) -> Faults<'_> {
        Faults::new(&self.shared.faults)
    }

    // ---- webhooks ----------------------------------------------------------------------

    /// Sets (or changes) where an app's webhook events are POSTed.
    pub fn set_webhook_url(&self, client_id: &str, url: &str) {
        self.write(|s| {
            if let Some(app) = s.apps.iter_mut().find(|a| a.client_id == client_id) {
                app.webhook_url = Some(url.to_owned());
            }
        })
    }

    /// Sends an event to every subscription for `event` on `broadcaster_user_id` whose app has a
    /// webhook URL; returns how many deliveries started. `payload` is the JSON body Kick would send.
    pub fn emit_event(
        &self,
        event: &'static str,
        broadcaster_user_id: impl Into<UserId>,
        payload: serde_json::Value,
    ) -> usize {
        let broadcaster_user_id = broadcaster_user_id.into();
        let state = self.shared.lock();
        self.shared.deliverer.send_all(&state, vec![webhooks::Outgoing::new(event, broadcaster_user_id, payload)])
    }

    /// The PEM public key webhooks are signed with (also at `GET /public/v1/public-key`).
    pub fn public_key_pem(&self) -> Option<String> {
        self.read(webhooks::public_key_pem)
    }

    /// Every webhook message sent so far, with its attempts.
    pub fn webhook_deliveries(&self) -> Vec<WebhookDelivery> {
        self.shared.deliverer.deliveries()
    }

    /// Waits until no webhook delivery (or retry) is in flight.
    pub async fn webhooks_idle(&self) {
        self.shared.deliverer.idle().await
    }
}

impl Drop for MockKick {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
    }
}
