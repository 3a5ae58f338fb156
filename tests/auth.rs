//! Auth through the client: the request pipeline asks the token manager, a 401 leads to one refresh
//! and one resend of the same request, a missing token or scope fails before anything is sent.
//! Kick's API and OAuth host are modelled by one wiremock server on 127.0.0.1.

use kickrs::KickClient;
use kickrs::auth::{Scope, TokenKind};
use serde_json::json;
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> KickClient {
    KickClient::builder()
        .client_id("client-1")
        .client_secret("secret-1")
        .api_base_url(server.uri())
        .oauth_base_url(server.uri())
        .build()
        .unwrap()
}

fn chat_request() -> kickrs::raw::types::SendChatMessageRequest {
    serde_json::from_value(json!({"content": "hello chat", "type": "user", "broadcaster_user_id": 123})).unwrap()
}

async fn chat_endpoint(server: &MockServer, bearer: &str, response: ResponseTemplate) {
    Mock::given(method("POST"))
        .and(path("/public/v1/chat"))
        .and(header("authorization", format!("Bearer {bearer}").as_str()))
        .respond_with(response)
        .mount(server)
        .await;
}

async fn refresh_endpoint(server: &MockServer) {
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(body_string_contains("grant_type=refresh_token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "user-2", "token_type": "Bearer", "refresh_token": "refresh-2",
            "expires_in": 7200, "scope": "chat:write user:read"
        })))
        .mount(server)
        .await;
}

fn unauthorized() -> ResponseTemplate {
    ResponseTemplate::new(401).set_body_json(json!({"data": {}, "message": "Unauthorized"}))
}

#[tokio::test]
async fn a_401_refreshes_once_and_resends_the_same_body() {
    let server = MockServer::start().await;
    chat_endpoint(&server, "user-1", unauthorized()).await;
    chat_endpoint(
        &server,
        "user-2",
        ResponseTemplate::new(200).set_body_json(json!({
            "data": {"is_sent": true, "message_id": "0e6ec0b0-8a3a-4a35-9b8a-5a0c3b9f1e2d"}, "message": "OK"
        })),
    )
    .await;
    refresh_endpoint(&server).await;
    let client = client(&server);
    client
        .set_user_token(
            "user-1",
            "refresh-1",
            std::time::Duration::from_secs(3600),
            &[kickrs::auth::Scope::ChatWrite, kickrs::auth::Scope::UserRead],
        )
        .await
        .unwrap();

    client.raw().send_chat_message(&chat_request()).await.unwrap();

    let requests = server.received_requests().await.unwrap();
    let route: Vec<String> = requests.iter().map(|r| r.url.path().to_owned()).collect();
    assert_eq!(route, ["/public/v1/chat", "/oauth/token", "/public/v1/chat"]);
    assert_eq!(requests[0].body, requests[2].body, "the same body is sent again");
    let sent: serde_json::Value = serde_json::from_slice(&requests[2].body).unwrap();
    assert_eq!(sent["content"], "hello chat");
    let token = client.user_token().await.unwrap().unwrap();
    assert_eq!(token.refresh_token().unwrap().secret(), "refresh-2");
}

#[tokio::test]
async fn a_second_401_is_returned_after_one_refresh() {
    let server = MockServer::start().await;
    chat_endpoint(&server, "user-1", unauthorized()).await;
    chat_endpoint(&server, "user-2", unauthorized()).await;
    refresh_endpoint(&server).await;
    let client = client(&server);
    client
        .set_user_token("user-1", "refresh-1", std::time::Duration::from_secs(3600), &[kickrs::auth::Scope::ChatWrite])
        .await
        .unwrap();

    let err = client.raw().send_chat_message(&chat_request()).await.unwrap_err();

    assert_eq!(err.status(), Some(reqwest::StatusCode::UNAUTHORIZED), "{err:?}");
    let route: Vec<String> =
        server.received_requests().await.unwrap().iter().map(|r| r.url.path().to_owned()).collect();
    assert_eq!(route, ["/public/v1/chat", "/oauth/token", "/public/v1/chat"]);
}

#[tokio::test]
async fn a_user_endpoint_without_a_user_token_fails_before_any_request() {
    let server = MockServer::start().await;
    let client = client(&server);
    let err = client.raw().send_chat_message(&chat_request()).await.unwrap_err();
    assert!(err.to_string().contains("no user token"), "{err}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_missing_scope_fails_before_any_request() {
    let server = MockServer::start().await;
    let client = client(&server);
    client
        .set_user_token("user-1", "refresh-1", std::time::Duration::from_secs(3600), &[kickrs::auth::Scope::UserRead])
        .await
        .unwrap();
    let err = client.raw().send_chat_message(&chat_request()).await.unwrap_err();
    assert!(err.to_string().contains("chat:write"), "{err}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn introspection_through_the_client_uses_the_app_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(body_string_contains("grant_type=client_credentials"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "app-1", "token_type": "Bearer", "expires_in": 3600})),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth/token/introspect"))
        .and(header("authorization", "Bearer app-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": {"active": true, "client_id": "client-1", "token_type": "app"}, "message": "OK"
        })))
        .mount(&server)
        .await;
    let info = client(&server).introspect_token(TokenKind::App).await.unwrap();
    assert!(info.active);
    assert_eq!(info.token_type.as_deref(), Some("app"));
    assert_eq!(info.scopes, None);
}

#[tokio::test]
async fn user_token_reports_scopes_and_refresh_time_left() {
    let server = MockServer::start().await;
    let client = client(&server);
    assert!(client.user_token().await.unwrap().is_none());
    client
        .set_user_token(
            "user-1",
            "refresh-1",
            std::time::Duration::from_secs(3600),
            &[kickrs::auth::Scope::ChatWrite, kickrs::auth::Scope::KicksRead],
        )
        .await
        .unwrap();
    let token = client.user_token().await.unwrap().unwrap();
    assert_eq!(token.scopes(), Some(&[Scope::ChatWrite, Scope::KicksRead][..]));
    assert!(token.refresh_token_time_left().unwrap() > std::time::Duration::from_secs(29 * 24 * 3600));
    assert!(!format!("{client:?}").contains("user-1"));
}
