//! The PKCE login: a simulated browser (reqwest following the authorize redirect) drives the
//! loopback callback.

use std::collections::HashMap;
use std::time::Duration;

use base64::Engine;
use tokio::sync::mpsc;
use url::Url;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::*;
use crate::auth::login::{authenticate, authorization_url};
use crate::auth::{AuthError, LoginOptions, Scope, TokenKind};

/// What the fake consent page does with the browser.
#[derive(Clone)]
enum Consent {
    Grant(&'static str),
    Deny,
}

impl Respond for Consent {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let query: HashMap<_, _> = request.url.query_pairs().into_owned().collect();
        let mut back = Url::parse(&query["redirect_uri"]).unwrap();
        match self {
            Consent::Grant(code) => back.query_pairs_mut().append_pair("code", code),
            Consent::Deny => back
                .query_pairs_mut()
                .append_pair("error", "access_denied")
                .append_pair("error_description", "The user said <no>"),
        };
        back.query_pairs_mut().append_pair("state", &query["state"]);
        ResponseTemplate::new(302).insert_header("Location", back.as_str())
    }
}

async fn consent_page(server: &MockServer, consent: Consent) {
    Mock::given(method("GET")).and(path("/oauth/authorize")).respond_with(consent).mount(server).await;
}

/// A manager whose login URLs arrive on the returned channel.
fn login_manager(server: &MockServer) -> (Arc<TokenManager>, mpsc::UnboundedReceiver<Url>) {
    let (urls, received) = mpsc::unbounded_channel();
    let options = AuthOptions::default().on_authorize_url(move |url| {
        let _ = urls.send(url.clone());
    });
    (manager_at(&server.uri(), options), received)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn start(
    tokens: &Arc<TokenManager>,
    options: LoginOptions,
) -> tokio::task::JoinHandle<Result<crate::auth::UserToken, AuthError>> {
    let tokens = Arc::clone(tokens);
    tokio::spawn(async move { authenticate(&tokens, &[Scope::UserRead, Scope::ChatWrite], options).await })
}

/// A login in progress on a free port against an OAuth host that grants `code` and exchanges it for
/// user-1's tokens: the host, the manager, the consent URL the login announced, the port and the login.
struct GrantedLogin {
    server: OAuthHost,
    tokens: Arc<TokenManager>,
    url: Url,
    port: u16,
    login: tokio::task::JoinHandle<Result<crate::auth::UserToken, AuthError>>,
}

async fn granted_login(code: &'static str) -> GrantedLogin {
    let server = oauth_host().await;
    consent_page(&server, Consent::Grant(code)).await;
    token_endpoint(
        &server,
        "authorization_code",
        ResponseTemplate::new(200).set_body_json(user_token_json("user-1", "refresh-1", 7200)),
    )
    .await;
    let (tokens, mut urls) = login_manager(&server);
    let port = free_port();
    let login = start(&tokens, LoginOptions::default().port(port));
    let url = urls.recv().await.unwrap();
    GrantedLogin { server, tokens, url, port, login }
}

fn query(url: &Url) -> HashMap<String, String> {
    url.query_pairs().into_owned().collect()
}

/// A browser that follows redirects.
async fn browse(url: &str) -> (u16, String) {
    let response = crate::http_client_builder().unwrap().build().unwrap().get(url).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn full_pkce_login_with_a_simulated_browser() {
    let GrantedLogin { server, tokens, url, port, login } = granted_login("code-123").await;

    let redirect_uri = format!("http://127.0.0.1:{port}/callback");
    let keys: Vec<String> = url.query_pairs().map(|(k, _)| k.into_owned()).collect();
    // Kick's workaround: a sacrificial 127.0.0.1 parameter before redirect_uri.
    assert_eq!(
        keys,
        [
            "redirect",
            "response_type",
            "client_id",
            "state",
            "code_challenge",
            "code_challenge_method",
            "redirect_uri",
            "scope"
        ]
    );
    let sent = query(&url);
    assert_eq!(sent["redirect"], "127.0.0.1");
    assert_eq!(sent["response_type"], "code");
    assert_eq!(sent["client_id"], CLIENT_ID);
    assert_eq!(sent["code_challenge_method"], "S256");
    assert_eq!(sent["redirect_uri"], redirect_uri);
    assert_eq!(sent["scope"], "user:read chat:write");

    let (status, page) = browse(url.as_str()).await;
    assert_eq!(status, 200);
    assert!(page.contains("You can close this tab"), "{page}");
    let token = login.await.unwrap().unwrap();
    assert_eq!(token.access_token().secret(), "user-1");

    let forms = token_forms(&server).await;
    assert_eq!(forms.len(), 1);
    let verifier = forms[0]["code_verifier"].clone();
    assert_form(
        &forms[0],
        &[
            ("grant_type", "authorization_code"),
            ("code", "code-123"),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
            ("redirect_uri", &redirect_uri),
            ("code_verifier", &verifier),
        ],
    );
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(ring::digest::digest(&ring::digest::SHA256, verifier.as_bytes()));
    assert_eq!(sent["code_challenge"], challenge, "S256 of the verifier sent in the exchange");
    assert!((43..=128).contains(&verifier.len()));
    assert!(sent["state"].len() >= 16 && sent["state"] != verifier);

    // The client now has the user token, without another request.
    assert_eq!(tokens.access_token(TokenKind::User).await.unwrap().secret(), "user-1");
    assert_eq!(token_forms(&server).await.len(), 1);
}

#[tokio::test]
async fn denied_consent_is_a_typed_error_and_nothing_is_exchanged() {
    let server = oauth_host().await;
    consent_page(&server, Consent::Deny).await;
    let (tokens, mut urls) = login_manager(&server);
    let login = start(&tokens, LoginOptions::default().port(free_port()));

    let url = urls.recv().await.unwrap();
    let (status, page) = browse(url.as_str()).await;
    assert_eq!(status, 400);
    assert!(page.contains("access_denied") && page.contains("&lt;no&gt;"), "escaped: {page}");
    let err = login.await.unwrap().unwrap_err();
    assert!(
        matches!(&err, AuthError::Denied { error, description } if error == "access_denied" && description.as_deref() == Some("The user said <no>")),
        "{err:?}"
    );
    assert!(token_forms(&server).await.is_empty());
}

/// Any local web page can hit the callback; only the callback with this login's state may end it.
#[tokio::test]
async fn foreign_callbacks_get_400_and_the_login_keeps_waiting_for_its_own() {
    let GrantedLogin { server, tokens: _tokens, url, port, login } = granted_login("real-code").await;

    let base = format!("http://127.0.0.1:{port}/callback");
    for foreign in ["?state=x", "?code=c&state=forged", "?code=c", "", "?error=access_denied&state=other", "?error=x"] {
        let (status, page) = browse(&format!("{base}{foreign}")).await;
        assert_eq!(status, 400, "{foreign}");
        assert!(page.contains("does not belong to the login in progress"), "{foreign}: {page}");
        assert!(!login.is_finished(), "{foreign} ended the login");
    }
    assert!(token_forms(&server).await.is_empty());

    assert_eq!(browse(url.as_str()).await.0, 200);
    login.await.unwrap().unwrap();
    let forms = token_forms(&server).await;
    assert_eq!(forms.len(), 1);
    assert_eq!(forms[0]["code"], "real-code");
}

#[tokio::test(start_paused = true)]
async fn login_times_out_when_no_callback_comes() {
    let tokens = manager_at("http://127.0.0.1:9", AuthOptions::default());
    let options = LoginOptions::default().port(free_port()).timeout(Duration::from_secs(300));
    let err = authenticate(&tokens, &[Scope::UserRead], options).await.unwrap_err();
    assert!(matches!(err, AuthError::Timeout { after } if after == Duration::from_secs(300)), "{err:?}");
    assert_eq!(err.to_string(), "no authorization callback within 300 s");
}

#[tokio::test]
async fn stray_requests_get_404_and_do_not_end_the_wait() {
    let GrantedLogin { server, tokens: _tokens, url, port, login } = granted_login("real-code").await;
    let state = query(&url)["state"].clone();

    let base = format!("http://127.0.0.1:{port}");
    for stray in ["/favicon.ico", "/", &format!("/other?code=x&state={state}")] {
        assert_eq!(browse(&format!("{base}{stray}")).await.0, 404, "{stray}");
    }
    let post = crate::http_client_builder()
        .unwrap()
        .build()
        .unwrap()
        .post(format!("{base}/callback?code=x&state={state}"))
        .send()
        .await
        .unwrap();
    assert_eq!(post.status().as_u16(), 404);
    // A scanner that connects and sends nothing does not block the real callback either.
    let _idle = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    assert!(!login.is_finished());

    assert_eq!(browse(url.as_str()).await.0, 200);
    login.await.unwrap().unwrap();
    let forms = token_forms(&server).await;
    assert_eq!(forms.len(), 1);
    assert_eq!(forms[0]["code"], "real-code");
}

#[tokio::test]
async fn port_in_use_is_a_typed_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let server = oauth_host().await;
    let (tokens, _urls) = login_manager(&server);
    let err = authenticate(&tokens, &[Scope::UserRead], LoginOptions::default().port(port)).await.unwrap_err();
    assert!(matches!(err, AuthError::PortInUse { port: p } if p == port), "{err:?}");
}

#[tokio::test]
async fn refused_code_exchange_is_typed_and_shown_to_the_browser() {
    let server = oauth_host().await;
    consent_page(&server, Consent::Grant("code-1")).await;
    token_endpoint(
        &server,
        "authorization_code",
        ResponseTemplate::new(400)
            .set_body_json(serde_json::json!({"error": "invalid_grant", "error_description": "code expired"})),
    )
    .await;
    let (tokens, mut urls) = login_manager(&server);
    let login = start(&tokens, LoginOptions::default().port(free_port()));
    let (status, page) = browse(urls.recv().await.unwrap().as_str()).await;
    assert_eq!(status, 400);
    assert!(page.contains("code exchange refused"), "{page}");
    let err = login.await.unwrap().unwrap_err();
    assert!(
        matches!(&err, AuthError::ExchangeRefused { status: 400, error, description } if error == "invalid_grant" && description.as_deref() == Some("code expired")),
        "{err:?}"
    );
    assert!(matches!(tokens.access_token(TokenKind::User).await, Err(crate::Error::MissingToken { .. })));
}

#[tokio::test]
async fn web_app_login_checks_state_then_exchanges() {
    let server = oauth_host().await;
    token_endpoint(
        &server,
        "authorization_code",
        ResponseTemplate::new(200).set_body_json(user_token_json("user-1", "refresh-1", 7200)),
    )
    .await;
    let tokens = manager(&server);
    let redirect: Url = "https://bot.example/kick/callback".parse().unwrap();

    let (url, pending) = authorization_url(&tokens, &[Scope::ChatWrite], &redirect).unwrap();
    let sent = query(&url);
    assert!(!sent.contains_key("redirect"), "the workaround is only for 127.0.0.1");
    assert_eq!(sent["redirect_uri"], redirect.as_str());
    assert_eq!(sent["state"], pending.state());

    let (_, other) = authorization_url(&tokens, &[Scope::ChatWrite], &redirect).unwrap();
    assert_ne!(other.state(), pending.state(), "a fresh state per login");
    assert!(matches!(other.complete("code-9", "not-its-state").await, Err(AuthError::StateMismatch)));
    assert!(token_forms(&server).await.is_empty());

    let state = pending.state().to_owned();
    let token = pending.complete("code-9", &state).await.unwrap();
    assert_eq!(token.scopes(), Some(&[Scope::UserRead, Scope::ChatWrite][..]));
    let forms = token_forms(&server).await;
    assert_eq!(forms[0]["redirect_uri"], redirect.as_str());
    assert_eq!(forms[0]["code"], "code-9");
    assert_eq!(tokens.access_token(TokenKind::User).await.unwrap().secret(), "user-1");
}

#[tokio::test]
async fn loopback_login_refuses_a_non_loopback_redirect_uri() {
    let server = oauth_host().await;
    let (tokens, _urls) = login_manager(&server);
    let options = LoginOptions::default().redirect_uri("https://bot.example/cb".parse().unwrap());
    let err = authenticate(&tokens, &[Scope::UserRead], options).await.unwrap_err();
    assert!(matches!(err, AuthError::InvalidRedirectUri { .. }), "{err:?}");
}
