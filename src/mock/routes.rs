//! The route table: every Kick endpoint MockKick serves, who may call it, and its handler.
//! Scopes mirror the spec's `security` (user scopes are any-of; `UserOnly` routes refuse app tokens).

use http::Method;

use super::api::{ads, categories, channels, chat, drops, events, kicks, livestreams, moderation, rewards, users};
use super::oauth::{self, Caller};
use super::reply::{Handled, Reply};
use super::request::Req;
use super::state::State;

/// Who may call a route.
pub(crate) enum Access {
    /// No token needed (OAuth endpoints, public key; introspect checks its own bearer).
    Public,
    /// A user token with one of these scopes (none listed = any user token), or an app token.
    UserOrApp(&'static [&'static str]),
    /// Only a user token with one of these scopes.
    UserOnly(&'static [&'static str]),
    /// Only an app token (Drops); a user token gets Kick's 401.
    AppOnly,
}

/// What a handler gets: the locked state, the request, the caller and the `{id}` path segment.
pub(crate) struct Ctx<'a> {
    pub(crate) state: &'a mut State,
    pub(crate) req: &'a Req,
    pub(crate) caller: Option<Caller>,
    pub(crate) param: &'a str,
}

impl Ctx<'_> {
    /// The authenticated caller (always set on non-public routes).
    pub(crate) fn caller(&self) -> Result<&Caller, Reply> {
        self.caller.as_ref().ok_or_else(Reply::unauthorized)
    }
}

pub(crate) struct Route {
    pub(crate) method: Method,
    /// Path; a `{}` segment matches one path segment, handed over as `Ctx::param`.
    pub(crate) path: &'static str,
    pub(crate) access: Access,
    pub(crate) handler: fn(&mut Ctx<'_>) -> Handled,
}

pub(crate) enum Match<'r, 'p> {
    Found(&'r Route, &'p str),
    WrongMethod,
    None,
}

const REWARDS_READ: &[&str] = &["channel:rewards:read", "channel:rewards:write"];
const REWARDS_WRITE: &[&str] = &["channel:rewards:write"];

fn route(method: Method, path: &'static str, access: Access, handler: fn(&mut Ctx<'_>) -> Handled) -> Route {
    Route { method, path, access, handler }
}

fn table() -> Vec<Route> {
    use Access::*;
    vec![
        route(Method::GET, "/oauth/authorize", Public, |c| oauth::authorize(c.state, c.req)),
        route(Method::POST, "/oauth/token", Public, |c| oauth::token(c.state, c.req)),
        route(Method::POST, "/oauth/revoke", Public, |c| oauth::revoke(c.state, c.req)),
        route(Method::POST, "/oauth/token/introspect", Public, |c| oauth::introspect(c.state, c.req)),
        route(Method::POST, "/public/v1/token/introspect", Public, |c| oauth::introspect(c.state, c.req)),
        route(Method::GET, "/public/v1/public-key", Public, super::webhooks::public_key),
        route(Method::GET, "/public/v1/users", UserOrApp(&["user:read"]), users::get),
        route(Method::GET, "/public/v1/channels", UserOrApp(&["channel:read"]), channels::get),
        route(Method::PATCH, "/public/v1/channels", UserOnly(&["channel:write"]), channels::patch),
        route(Method::GET, "/public/v1/channels/rewards", UserOnly(REWARDS_READ), rewards::list),
        route(Method::POST, "/public/v1/channels/rewards", UserOnly(REWARDS_WRITE), rewards::create),
        route(Method::GET, "/public/v1/channels/rewards/redemptions", UserOnly(REWARDS_READ), rewards::redemptions),
        route(Method::POST, "/public/v1/channels/rewards/redemptions/accept", UserOnly(REWARDS_WRITE), rewards::accept),
        route(Method::POST, "/public/v1/channels/rewards/redemptions/reject", UserOnly(REWARDS_WRITE), rewards::reject),
        route(Method::PATCH, "/public/v1/channels/rewards/{}", UserOnly(REWARDS_WRITE), rewards::update),
        route(Method::DELETE, "/public/v1/channels/rewards/{}", UserOnly(REWARDS_WRITE), rewards::delete),
        route(Method::GET, "/public/v1/categories", UserOrApp(&[]), categories::search_v1),
        route(Method::GET, "/public/v1/categories/{}", UserOrApp(&[]), categories::get_v1),
        route(Method::GET, "/public/v2/categories", UserOrApp(&[]), categories::list_v2),
        route(Method::GET, "/public/v1/livestreams", UserOrApp(&[]), livestreams::list_v1),
        route(Method::GET, "/public/v1/livestreams/stats", UserOrApp(&[]), livestreams::stats),
        route(Method::GET, "/public/v2/livestreams", UserOrApp(&[]), livestreams::list_v2),
        route(Method::GET, "/public/v1/users/livestreams", UserOrApp(&[]), livestreams::by_users),
        route(Method::POST, "/public/v1/chat", UserOnly(&["chat:write"]), chat::send),
        route(Method::DELETE, "/public/v1/chat/{}", UserOnly(&["moderation:chat_message:manage"]), chat::delete),
        route(Method::POST, "/public/v1/moderation/bans", UserOnly(&["moderation:ban"]), moderation::ban),
        route(Method::DELETE, "/public/v1/moderation/bans", UserOnly(&["moderation:ban"]), moderation::unban),
        route(Method::GET, "/public/v1/kicks/leaderboard", UserOnly(&["kicks:read"]), kicks::leaderboard),
        route(Method::GET, "/public/v1/events/subscriptions", UserOrApp(&[]), events::list),
        route(Method::POST, "/public/v1/events/subscriptions", UserOrApp(&["events:subscribe"]), events::create),
        route(Method::DELETE, "/public/v1/events/subscriptions", UserOrApp(&["events:subscribe"]), events::delete),
        route(Method::GET, "/public/v1/ads/ad-break-status", UserOnly(&["ads:read", "ads:write"]), ads::status),
        route(Method::POST, "/public/v1/ads/ad-break", UserOnly(&["ads:write"]), ads::start_break),
        route(Method::POST, "/public/v1/ads/enroll", UserOnly(&["ads:write"]), ads::enroll),
        route(Method::GET, "/public/v1/drops/claims", AppOnly, drops::list),
        route(Method::PATCH, "/public/v1/drops/claims", AppOnly, drops::update),
    ]
}

static TABLE: std::sync::LazyLock<Vec<Route>> = std::sync::LazyLock::new(table);

fn matches<'p>(pattern: &str, path: &'p str) -> Option<&'p str> {
    let mut param = "";
    let mut pattern_parts = pattern.split('/');
    let mut path_parts = path.split('/');
    loop {
        match (pattern_parts.next(), path_parts.next()) {
            (None, None) => return Some(param),
            (Some("{}"), Some(seg)) if !seg.is_empty() => param = seg,
            (Some(a), Some(b)) if a == b => {}
            _ => return None,
        }
    }
}

/// Finds the route for a request; exact paths win over `{}` patterns.
pub(crate) fn find<'p>(method: &Method, path: &'p str) -> Match<'static, 'p> {
    let mut path_known = false;
    for route in TABLE.iter() {
        if let Some(param) = matches(route.path, path) {
            if route.method == *method {
                return Match::Found(route, param);
            }
            path_known = true;
        }
    }
    if path_known { Match::WrongMethod } else { Match::None }
}
