//! OAuth: authorize + PKCE, the three grants, revoke, introspect, and the bearer checks.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use kickrs::mock::seed::{AURORA_ID, BYTEBARD_ID, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET};
use kickrs::mock::{App, MockKick, MockUser};
use reqwest::Method;
use ring::digest;
use serde_json::{Value, json};

use super::{call, get, http};

/// Authorize parameters to replace (`None` leaves the parameter out).
type Overrides<'a> = Vec<(&'a str, Option<&'a str>)>;

const REDIRECT: &str = "http://localhost:8910/callback";
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

fn challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(digest::digest(&digest::SHA256, verifier.as_bytes()))
}

fn authorize_query(overrides: &[(&str, Option<&str>)]) -> String {
    let challenge = challenge(VERIFIER);
    let mut params = vec![
        ("client_id", Some(DEFAULT_CLIENT_ID)),
        ("response_type", Some("code")),
        ("redirect_uri", Some(REDIRECT)),
        ("state", Some("xyz-state")),
        ("scope", Some("user:read chat:write")),
        ("code_challenge", Some(challenge.as_str())),
        ("code_challenge_method", Some("S256")),
    ];
    for (key, value) in overrides {
        if let Some(slot) = params.iter_mut().find(|(k, _)| k == key) {
            slot.1 = *value;
        }
    }
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in params {
        if let Some(v) = v {
            query.append_pair(k, v);
        }
    }
    query.finish()
}

/// Follows `/oauth/authorize` like a browser would, without following the redirect.
async fn authorize(mock: &MockKick, overrides: &[(&str, Option<&str>)]) -> reqwest::Response {
    http()
        .get(format!("{}/oauth/authorize?{}", mock.oauth_base_url(), authorize_query(overrides)))
        .send()
        .await
        .unwrap()
}

fn query_of(location: &str) -> Vec<(String, String)> {
    url::Url::parse(location).unwrap().query_pairs().into_owned().collect()
}

async fn code_from(mock: &MockKick) -> String {
    let response = authorize(mock, &[]).await;
    assert_eq!(response.status(), 302);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with(REDIRECT), "{location}");
    let pairs = query_of(&location);
    assert!(pairs.contains(&("state".to_owned(), "xyz-state".to_owned())));
    pairs.into_iter().find(|(k, _)| k == "code").unwrap().1
}

async fn token_call(mock: &MockKick, form: &[(&str, &str)]) -> (u16, Value) {
    let response = http().post(format!("{}/oauth/token", mock.oauth_base_url())).form(form).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn exchange(mock: &MockKick, code: &str, verifier: &str) -> (u16, Value) {
    token_call(
        mock,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", DEFAULT_CLIENT_ID),
            ("client_secret", DEFAULT_CLIENT_SECRET),
            ("code", code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", verifier),
        ],
    )
    .await
}

async fn refresh(mock: &MockKick, refresh_token: &str) -> (u16, Value) {
    token_call(
        mock,
        &[
            ("grant_type", "refresh_token"),
            ("client_id", DEFAULT_CLIENT_ID),
            ("client_secret", DEFAULT_CLIENT_SECRET),
            ("refresh_token", refresh_token),
        ],
    )
    .await
}

#[tokio::test]
async fn pkce_flow_accepts_the_right_verifier_and_refuses_a_wrong_one() {
    let mock = MockKick::start().await;
    let code = code_from(&mock).await;
    let (status, body) = exchange(&mock, &code, "wrong-verifier-wrong-verifier-wrong-verifier-x").await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "invalid_grant");
    assert!(body["error_description"].as_str().unwrap().contains("PKCE"));

    let code = code_from(&mock).await;
    let (status, body) = exchange(&mock, &code, VERIFIER).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 7200);
    assert_eq!(body["scope"], "user:read chat:write");
    assert!(body["refresh_token"].is_string());
    let access = body["access_token"].as_str().unwrap();

    let me = get(&mock, access, "/public/v1/users").await;
    assert_eq!(me.data()[0]["user_id"], AURORA_ID.get(), "the default authorizing user");
    let (again, _) = exchange(&mock, &code, VERIFIER).await;
    assert_eq!(again, 400, "codes are single use");

    let introspected = call(&mock, Method::POST, Some(access), "/oauth/token/introspect", None).await;
    assert_eq!(introspected.data()["active"], true);
    assert_eq!(introspected.data()["token_type"], "user");
    assert_eq!(introspected.data()["client_id"], DEFAULT_CLIENT_ID);
    assert_eq!(introspected.data()["scope"], "user:read chat:write");
}

#[tokio::test]
async fn authorize_validates_parameters_and_can_deny() {
    let mock = MockKick::builder()
        .user(MockUser::new(5, "solo"))
        .app_config(App::new("01JMXCKSTR1CT000000000000", "s").redirect_uri("https://app.example/cb"))
        .start()
        .await;
    let challenge = challenge(VERIFIER);
    let cases: Vec<(Overrides, &str, &str)> = vec![
        (vec![("code_challenge", None)], "invalid_request", "code_challenge is required"),
        (vec![("code_challenge_method", Some("plain"))], "invalid_request", "S256"),
        (vec![("state", None)], "invalid_request", "state is required"),
        (vec![("client_id", Some("nope"))], "invalid_client", "client_id"),
        (vec![("response_type", Some("token"))], "unsupported_response_type", "code"),
        (vec![("scope", Some("user:read god:mode"))], "invalid_scope", "god:mode"),
        (vec![("code_challenge", Some("short"))], "invalid_request", "43 to 128"),
        (vec![("client_id", Some("01JMXCKSTR1CT000000000000"))], "invalid_request", "not registered"),
        (
            vec![("redirect_uri", Some("ftp://x/cb")), ("code_challenge", Some(challenge.as_str()))],
            "invalid_request",
            "http",
        ),
    ];
    for (overrides, error, description) in cases {
        let response = authorize(&mock, &overrides).await;
        assert_eq!(response.status(), 400, "{overrides:?}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"], error, "{overrides:?}");
        assert!(body["error_description"].as_str().unwrap().contains(description), "{overrides:?}: {body}");
    }

    mock.deny_next_authorization("The user denied the request");
    let denied = authorize(&mock, &[]).await;
    assert_eq!(denied.status(), 302);
    let pairs = query_of(denied.headers()["location"].to_str().unwrap());
    assert!(pairs.contains(&("error".to_owned(), "access_denied".to_owned())));
    assert!(pairs.contains(&("error_description".to_owned(), "The user denied the request".to_owned())));
    assert!(pairs.contains(&("state".to_owned(), "xyz-state".to_owned())));
    assert!(!pairs.iter().any(|(k, _)| k == "code"));
    assert_eq!(authorize(&mock, &[]).await.status(), 302, "the denial applies once");
}

#[tokio::test]
async fn token_endpoint_checks_client_grant_and_content_type() {
    let mock = MockKick::start().await;
    let (status, body) = token_call(
        &mock,
        &[("grant_type", "client_credentials"), ("client_id", DEFAULT_CLIENT_ID), ("client_secret", "wrong")],
    )
    .await;
    assert_eq!((status, body["error"].as_str()), (401, Some("invalid_client")));
    let (status, body) = token_call(
        &mock,
        &[("grant_type", "password"), ("client_id", DEFAULT_CLIENT_ID), ("client_secret", DEFAULT_CLIENT_SECRET)],
    )
    .await;
    assert_eq!((status, body["error"].as_str()), (400, Some("unsupported_grant_type")));
    let (status, body) = token_call(&mock, &[("client_id", DEFAULT_CLIENT_ID)]).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_request")));

    let json_body = http()
        .post(format!("{}/oauth/token", mock.oauth_base_url()))
        .json(&json!({"grant_type": "client_credentials", "client_id": DEFAULT_CLIENT_ID, "client_secret": DEFAULT_CLIENT_SECRET}))
        .send()
        .await
        .unwrap();
    assert_eq!(json_body.status(), 400, "Kick wants a form body");

    let (status, body) = token_call(
        &mock,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", DEFAULT_CLIENT_ID),
            ("client_secret", DEFAULT_CLIENT_SECRET),
        ],
    )
    .await;
    assert_eq!(status, 200);
    assert!(body.get("refresh_token").is_none(), "app tokens have no refresh token: {body}");
    assert_eq!(body["expires_in"], 7200);
    let app = body["access_token"].as_str().unwrap();
    assert_eq!(get(&mock, app, "/public/v1/livestreams/stats").await.status, 200);

    let code = code_from(&mock).await;
    let (status, body) = token_call(
        &mock,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", DEFAULT_CLIENT_ID),
            ("client_secret", DEFAULT_CLIENT_SECRET),
            ("code", &code),
            ("redirect_uri", "http://localhost:9999/other"),
            ("code_verifier", VERIFIER),
        ],
    )
    .await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_grant")));

    let grants: Vec<String> = mock.token_requests().into_iter().map(|r| r.grant_type).collect();
    assert_eq!(grants, ["client_credentials", "password", "", "", "client_credentials", "authorization_code"]);
    assert_eq!(mock.token_request_count("client_credentials"), 2);
}

#[tokio::test]
async fn refresh_issues_a_new_pair_and_rotation_can_be_enforced() {
    let mock = MockKick::start().await;
    let tokens = mock.issue_user_tokens(AURORA_ID, &[kickrs::auth::Scope::UserRead]);
    let old_refresh = tokens.refresh_token.clone().unwrap();
    let (status, body) = refresh(&mock, &old_refresh).await;
    assert_eq!(status, 200);
    assert_ne!(body["refresh_token"], old_refresh.as_str());
    assert_eq!(body["scope"], "user:read");
    let (status, _) = refresh(&mock, &old_refresh).await;
    assert_eq!(status, 200, "Kick's refresh tokens are reusable by default");

    mock.rotate_refresh_tokens(true);
    let newest = refresh(&mock, &old_refresh).await.1["refresh_token"].as_str().unwrap().to_owned();
    let (status, body) = refresh(&mock, &old_refresh).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_grant")));
    assert_eq!(refresh(&mock, &newest).await.0, 200);
    assert_eq!(mock.token_request_count("refresh_token"), 5);

    mock.invalidate_refresh_tokens();
    assert_eq!(refresh(&mock, &newest).await.0, 400);
}

#[tokio::test]
async fn bearer_checks_expiry_scope_kind_and_revocation() {
    let mock = MockKick::start().await;
    let none = call(&mock, Method::GET, None, "/public/v1/livestreams/stats", None).await;
    assert_eq!((none.status, none.body.clone()), (401, json!({"data": {}, "message": "Unauthorized"})));
    assert_eq!(get(&mock, "made-up", "/public/v1/livestreams/stats").await.status, 401);

    let user = mock.issue_user_token(AURORA_ID, &[kickrs::auth::Scope::UserRead]);
    let scope = get(&mock, &user, "/public/v1/channels").await;
    assert_eq!(scope.status, 403);
    assert!(scope.message().contains("channel:read"), "{}", scope.text);
    let reward_read = mock.issue_user_token(AURORA_ID, &[kickrs::auth::Scope::ChannelRewardsWrite]);
    assert_eq!(get(&mock, &reward_read, "/public/v1/channels/rewards").await.status, 200, "read or write scope");

    let app = mock.issue_app_token();
    assert_eq!(get(&mock, &app, "/public/v1/channels?slug=auroralive").await.status, 200);
    let kind = get(&mock, &app, "/public/v1/kicks/leaderboard").await;
    assert_eq!(kind.status, 403, "user-only endpoint refuses app tokens");
    assert!(kind.message().contains("user access token"));

    mock.expire_all_tokens();
    assert_eq!(get(&mock, &user, "/public/v1/users").await.status, 401);
    assert_eq!(get(&mock, &app, "/public/v1/livestreams/stats").await.status, 401);
    let expired = call(&mock, Method::POST, Some(&app), "/oauth/token/introspect", None).await;
    assert_eq!(expired.data(), &json!({"active": false}));

    let fresh = mock.issue_user_token(BYTEBARD_ID, &[kickrs::auth::Scope::UserRead]);
    let revoked = http()
        .post(format!("{}/oauth/revoke?token={fresh}&token_hint_type=access_token", mock.oauth_base_url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 200);
    assert_eq!(revoked.text().await.unwrap(), "OK");
    assert_eq!(get(&mock, &fresh, "/public/v1/users").await.status, 401);
    let missing = http().post(format!("{}/oauth/revoke", mock.oauth_base_url())).send().await.unwrap();
    assert_eq!(missing.status(), 400);
    // The same fields in a form body (what kickrs sends): a bad hint is refused there too.
    let other = mock.issue_user_token(BYTEBARD_ID, &[kickrs::auth::Scope::UserRead]);
    let revoke_form = |hint: &str| {
        http()
            .post(format!("{}/oauth/revoke", mock.oauth_base_url()))
            .form(&[("token", other.as_str()), ("token_hint_type", hint)])
            .send()
    };
    let bad_hint = revoke_form("id_token").await.unwrap();
    assert_eq!(bad_hint.status(), 400);
    assert!(bad_hint.text().await.unwrap().contains("token_hint_type"));
    assert_eq!(get(&mock, &other, "/public/v1/users").await.status, 200, "a refused revoke revokes nothing");
    assert_eq!(revoke_form("access_token").await.unwrap().status(), 200);
    assert_eq!(get(&mock, &other, "/public/v1/users").await.status, 401);

    let deprecated =
        call(&mock, Method::POST, Some(&mock.issue_app_token()), "/public/v1/token/introspect", None).await;
    assert_eq!(deprecated.data()["token_type"], "app");
    assert_eq!(call(&mock, Method::POST, None, "/oauth/token/introspect", None).await.status, 401);
}

#[tokio::test]
async fn token_lifetime_is_configurable() {
    let mock = MockKick::builder().with_default_seed().token_lifetime(Duration::from_secs(60)).start().await;
    let tokens = mock.issue_user_tokens(AURORA_ID, &[]);
    assert_eq!(tokens.expires_in, std::time::Duration::from_secs(60));
    assert!(!format!("{tokens:?}").contains(&tokens.access_token), "Debug hides tokens");
    mock.set_token_lifetime(Duration::ZERO);
    let dead = mock.issue_app_token();
    assert_eq!(get(&mock, &dead, "/public/v1/livestreams/stats").await.status, 401);
}

#[tokio::test]
async fn the_client_hands_out_usable_tokens_and_refreshes_the_user_token_on_demand() {
    let mock = MockKick::start().await;
    let client = kickrs::KickClient::builder()
        .client_id(mock.client_id())
        .client_secret(mock.client_secret())
        .api_base_url(mock.api_base_url())
        .oauth_base_url(mock.oauth_base_url())
        .build()
        .unwrap();
    let app = client.access_token(kickrs::auth::TokenKind::App).await.unwrap();
    let answer = super::call(&mock, Method::GET, Some(app.secret()), "/public/v1/categories/15", None).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(mock.token_request_count("client_credentials"), 1);

    let issued = mock.issue_user_tokens(AURORA_ID, &[kickrs::auth::Scope::UserRead]);
    let refresh_token = issued.refresh_token.clone().unwrap();
    client
        .set_user_token(
            issued.access_token.clone(),
            refresh_token,
            std::time::Duration::from_secs(3600),
            &[kickrs::auth::Scope::UserRead],
        )
        .await
        .unwrap();
    let renewed = client.refresh_user_token().await.unwrap();
    assert_ne!(renewed.access_token().secret(), issued.access_token);
    assert_eq!(mock.token_request_count("refresh_token"), 1, "refreshed although still fresh");
    let user = client.access_token(kickrs::auth::TokenKind::User).await.unwrap();
    assert_eq!(user.secret(), renewed.access_token().secret());
    let me = super::call(&mock, Method::GET, Some(user.secret()), "/public/v1/users", None).await;
    assert_eq!(me.data()[0]["user_id"], AURORA_ID.get(), "{}", me.text);
}
