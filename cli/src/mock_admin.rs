//! The admin surface of `kick mock serve`: `POST {admin}/actions` with one JSON action changes the
//! mock's state and sends the webhook Kick would send. `kick mock golive|chat|...` are its client;
//! scripts in any language can POST the same JSON, e.g.
//! `{"action": "follow", "broadcaster": 1001, "user": 2001}`.
//!
//! Chat and bans go through the mock's own API (with a token of the acting user), so state and
//! webhook are exactly what a real call produces; the other actions change state where MockKick
//! keeps it and emit the event.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use http::StatusCode;
use kickrs::mock::{MockKick, MockLiveStream, Redemption};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::args::{AdminTarget, MockAction};
use crate::config;
use crate::fail::Fail;
use crate::output::{Output, Style};
use crate::payloads::{self, Cast, Person};

/// One state change, as JSON on the wire.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "lowercase", deny_unknown_fields)]
pub enum Action {
    Golive { broadcaster: u64, title: Option<String>, viewers: u64 },
    Offline { broadcaster: u64 },
    Chat { broadcaster: u64, sender: u64, content: String },
    Follow { broadcaster: u64, user: u64 },
    Subscribe { broadcaster: u64, user: u64, months: u64 },
    Gift { broadcaster: u64, user: u64, giftees: Vec<u64> },
    Ban { broadcaster: u64, user: u64, duration: Option<u64>, reason: Option<String> },
    Redeem { broadcaster: u64, user: u64, reward: String, input: String },
    Kicks { broadcaster: u64, user: u64, amount: u64 },
    Claim { user: u64, reward: String },
}

type Answer = (StatusCode, Json<Value>);

/// An HTTP client with kickrs' TLS set-up (kickrs compiles no other TLS provider).
fn http() -> Result<reqwest::Client, Answer> {
    let fail = |e: String| refuse(StatusCode::INTERNAL_SERVER_ERROR, format!("building an HTTP client: {e}"));
    let builder = kickrs::http_client_builder().map_err(|e| fail(e.to_string()))?;
    builder.build().map_err(|e| fail(e.to_string()))
}

fn refuse(status: StatusCode, message: String) -> Answer {
    (status, Json(json!({"message": message})))
}

pub fn router(mock: Arc<MockKick>) -> axum::Router {
    axum::Router::new()
        .route(
            "/actions",
            axum::routing::post(|State(mock): State<Arc<MockKick>>, body: axum::body::Bytes| async move {
                match serde_json::from_slice::<Action>(&body) {
                    Ok(action) => perform(&mock, action).await,
                    Err(e) => refuse(StatusCode::BAD_REQUEST, format!("not an action: {e}")),
                }
            }),
        )
        .with_state(mock)
}

/// A user of the mock's world, as payloads show them.
fn person(mock: &MockKick, id: u64) -> Result<Person, Answer> {
    let user = mock.users().into_iter().find(|u| u.id == id);
    let user = user.ok_or_else(|| refuse(StatusCode::NOT_FOUND, format!("user {id} is not in the mock's world")))?;
    let slug = mock.channel(id).map_or_else(|| user.name.to_lowercase(), |c| c.slug);
    Ok(Person { id: id.into(), name: user.name, slug })
}

fn cast(mock: &MockKick, broadcaster: u64, actor: u64, target: Option<u64>) -> Result<Cast, Answer> {
    Ok(Cast {
        broadcaster: person(mock, broadcaster)?,
        actor: person(mock, actor)?,
        target: match target {
            Some(id) => person(mock, id)?,
            None => person(mock, actor)?,
        },
    })
}

fn event(name: &'static str, cast: &Cast, edit: impl FnOnce(&mut Value)) -> Result<Value, Answer> {
    let mut payload = payloads::build(name, cast)
        .ok_or_else(|| refuse(StatusCode::INTERNAL_SERVER_ERROR, format!("no payload for {name}")))?;
    edit(&mut payload);
    Ok(payload)
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Calls the mock's own API as `user` with `scope`; the answer's `data` or Kick's message.
async fn as_user(
    mock: &MockKick,
    user: u64,
    scope: &str,
    method: http::Method,
    path: &str,
    body: Value,
) -> Result<Value, Answer> {
    let token = mock.issue_user_token(user, &[scope.into()]);
    let response = http()?
        .request(method, format!("{}{path}", mock.api_base_url()))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .map_err(|e| refuse(StatusCode::BAD_GATEWAY, format!("calling the mock API: {e}")))?;
    let status = response.status();
    let value: Value = response.json().await.unwrap_or(Value::Null);
    if !status.is_success() {
        let message = value["message"].as_str().unwrap_or("refused").to_owned();
        let status = StatusCode::from_u16(status.as_u16()).unwrap_or(StatusCode::BAD_REQUEST);
        return Err(refuse(status, format!("Kick's API said {}: {message}", status.as_u16())));
    }
    Ok(value["data"].clone())
}

async fn perform(mock: &MockKick, action: Action) -> Answer {
    let before = mock.webhook_deliveries().len();
    match apply(mock, action).await {
        Ok((event, mut detail)) => {
            detail["event"] = json!(event);
            detail["deliveries"] = json!(mock.webhook_deliveries().len() - before);
            (StatusCode::OK, Json(detail))
        }
        Err(answer) => answer,
    }
}

async fn apply(mock: &MockKick, action: Action) -> Result<(&'static str, Value), Answer> {
    let emit = |name: &'static str, broadcaster: u64, payload: Value| {
        mock.emit_event(name, broadcaster, payload);
        Ok((name, json!({})))
    };
    match action {
        Action::Golive { broadcaster, title, viewers } => {
            let cast = cast(mock, broadcaster, broadcaster, None)?;
            if let Some(title) = &title {
                as_user(
                    mock,
                    broadcaster,
                    "channel:write",
                    http::Method::PATCH,
                    "/public/v1/channels",
                    json!({"stream_title": title}),
                )
                .await?;
            }
            let title = mock.channel(broadcaster).map(|c| c.stream_title).unwrap_or_default();
            mock.go_live(MockLiveStream::new(broadcaster).viewers(viewers));
            let payload = event("livestream.status.updated", &cast, |p| {
                p["title"] = json!(title);
                p["started_at"] = json!(now());
            })?;
            emit("livestream.status.updated", broadcaster, payload)
        }
        Action::Offline { broadcaster } => {
            let cast = cast(mock, broadcaster, broadcaster, None)?;
            let started = mock.live_streams().into_iter().find(|l| l.broadcaster_user_id == broadcaster);
            let started =
                started.ok_or_else(|| refuse(StatusCode::CONFLICT, format!("user {broadcaster} is not live")))?;
            mock.go_offline(broadcaster);
            let title = mock.channel(broadcaster).map(|c| c.stream_title).unwrap_or_default();
            let payload = event("livestream.status.updated", &cast, |p| {
                p["is_live"] = json!(false);
                p["title"] = json!(title);
                p["started_at"] = json!(started.started_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
                p["ended_at"] = json!(now());
            })?;
            emit("livestream.status.updated", broadcaster, payload)
        }
        Action::Chat { broadcaster, sender, content } => {
            let sent = as_user(
                mock,
                sender,
                "chat:write",
                http::Method::POST,
                "/public/v1/chat",
                json!({"type": "user", "broadcaster_user_id": broadcaster, "content": content}),
            )
            .await?;
            Ok(("chat.message.sent", json!({"message_id": sent["message_id"]})))
        }
        Action::Follow { broadcaster, user } => {
            let payload = event("channel.followed", &cast(mock, broadcaster, user, None)?, |_| {})?;
            emit("channel.followed", broadcaster, payload)
        }
        Action::Subscribe { broadcaster, user, months } => {
            let name = if months > 1 { "channel.subscription.renewal" } else { "channel.subscription.new" };
            let payload = event(name, &cast(mock, broadcaster, user, None)?, |p| p["duration"] = json!(months.max(1)))?;
            emit(name, broadcaster, payload)
        }
        Action::Gift { broadcaster, user, giftees } => {
            let cast = cast(mock, broadcaster, user, None)?;
            let giftees =
                giftees.iter().map(|id| person(mock, *id).map(|p| p.json())).collect::<Result<Vec<_>, _>>()?;
            let payload = event("channel.subscription.gifts", &cast, |p| p["giftees"] = json!(giftees))?;
            emit("channel.subscription.gifts", broadcaster, payload)
        }
        Action::Ban { broadcaster, user, duration, reason } => {
            let mut body = json!({"broadcaster_user_id": broadcaster, "user_id": user});
            if let Some(duration) = duration {
                body["duration"] = json!(duration);
            }
            if let Some(reason) = reason {
                body["reason"] = json!(reason);
            }
            as_user(mock, broadcaster, "moderation:ban", http::Method::POST, "/public/v1/moderation/bans", body)
                .await?;
            Ok(("moderation.banned", json!({})))
        }
        Action::Redeem { broadcaster, user, reward, input } => {
            let cast = cast(mock, broadcaster, user, None)?;
            let found = mock.rewards(broadcaster).into_iter().find(|r| r.id == reward || r.title == reward);
            let found = found.ok_or_else(|| {
                refuse(
                    StatusCode::NOT_FOUND,
                    format!("no reward `{reward}` (title or id) on the channel of user {broadcaster}"),
                )
            })?;
            let redemption = Redemption::new(&found.id, user).input(&input);
            let payload = event("channel.reward.redemption.updated", &cast, |p| {
                p["id"] = json!(redemption.id);
                p["user_input"] = json!(input);
                p["reward"] =
                    json!({"id": found.id, "title": found.title, "cost": found.cost, "description": found.description});
            })?;
            mock.add_redemption(redemption);
            emit("channel.reward.redemption.updated", broadcaster, payload)
        }
        Action::Claim { user, reward } => {
            let claim = mock.claim_drop(user, &reward).ok_or_else(|| {
                refuse(StatusCode::NOT_FOUND, format!("no user {user} or no Drops reward {reward} in the mock's world"))
            })?;
            Ok((payloads::DROPS_CLAIM, json!({"claim_id": claim.claim_id})))
        }
        Action::Kicks { broadcaster, user, amount } => {
            let payload =
                event("kicks.gifted", &cast(mock, broadcaster, user, None)?, |p| p["gift"]["amount"] = json!(amount))?;
            emit("kicks.gifted", broadcaster, payload)
        }
    }
}

// ---- the client side: `kick mock golive|chat|...` ------------------------------------------

fn into_action(action: MockAction) -> (AdminTarget, Action) {
    match action {
        MockAction::Golive { target, broadcaster, title, viewers } => {
            (target, Action::Golive { broadcaster, title, viewers })
        }
        MockAction::Offline { target, broadcaster } => (target, Action::Offline { broadcaster }),
        MockAction::Chat { target, broadcaster, sender, content } => {
            (target, Action::Chat { broadcaster, sender, content })
        }
        MockAction::Follow { target, broadcaster, user } => (target, Action::Follow { broadcaster, user }),
        MockAction::Subscribe { target, broadcaster, user, months } => {
            (target, Action::Subscribe { broadcaster, user, months })
        }
        MockAction::Gift { target, broadcaster, user, giftees } => {
            (target, Action::Gift { broadcaster, user, giftees })
        }
        MockAction::Ban { target, broadcaster, user, duration, reason } => {
            (target, Action::Ban { broadcaster, user, duration, reason })
        }
        MockAction::Redeem { target, broadcaster, user, reward, input } => {
            (target, Action::Redeem { broadcaster, user, reward, input })
        }
        MockAction::Claim { target, user, reward } => (target, Action::Claim { user, reward }),
        MockAction::Kicks { target, broadcaster, user, amount } => {
            (target, Action::Kicks { broadcaster, user, amount })
        }
    }
}

fn admin_url(target: AdminTarget) -> Result<String, Fail> {
    if let Some(url) = target.admin_url {
        return Ok(url);
    }
    let path = config::serve_info_path()?;
    let text = std::fs::read_to_string(&path).map_err(|_| {
        Fail::new("no running `kick mock serve` found: start one, or pass --admin-url (or set KICK_MOCK_ADMIN_URL)")
    })?;
    let info: config::ServeInfo =
        serde_json::from_str(&text).map_err(|e| Fail::new(format!("{}: {e}", path.display())))?;
    Ok(info.admin_url)
}

pub async fn run(action: MockAction, out: &Output) -> Result<(), Fail> {
    let (target, action) = into_action(action);
    let url = format!("{}/actions", admin_url(target)?.trim_end_matches('/'));
    let response = kickrs::http_client_builder()?
        .build()?
        .post(&url)
        .json(&action)
        .send()
        .await
        .map_err(|e| Fail::new(format!("cannot reach the mock at {url} (is `kick mock serve` running?): {e}")))?;
    let status = response.status();
    let value: Value = response.json().await.unwrap_or(Value::Null);
    if !status.is_success() {
        return Err(Fail::new(value["message"].as_str().unwrap_or("the mock refused the action").to_owned()));
    }
    if out.json {
        out.json_value(&value);
    } else {
        let deliveries = value["deliveries"].as_u64().unwrap_or(0);
        let mut line = format!(
            "{} {} ({deliveries} webhook deliver{})",
            out.paint(Style::Good, "done:"),
            value["event"].as_str().unwrap_or("?"),
            if deliveries == 1 { "y" } else { "ies" }
        );
        if let Some(id) = value["message_id"].as_str() {
            line.push_str(&format!(", message {id}"));
        }
        if let Some(id) = value["claim_id"].as_str() {
            line.push_str(&format!(", claim {id}"));
        }
        out.line(&line);
    }
    Ok(())
}
