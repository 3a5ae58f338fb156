//! `kick token login` completed by a simulated browser (an HTTP client following the printed
//! URL), the stored token used, refreshed, shown and revoked; and a Python client (stdlib only)
//! getting a token from `kick mock serve` and calling an endpoint.

mod support;

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use support::{Kick, free_port};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_completes_with_a_simulated_browser_and_the_token_is_stored_used_and_revoked() {
    let kick = Kick::new();
    let serve = kick.serve(&[]);
    let creds = serve.creds();
    let args = |extra: &[&str]| extra.iter().map(|s| s.to_string()).chain(creds.clone()).collect::<Vec<_>>();
    let port = free_port().to_string();

    let mut login = kick
        .command(args(&["token", "login", "--no-browser", "--port", &port, "--scopes", "user:read,chat:write"]))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = BufReader::new(login.stderr.take().unwrap());
    let mut url = None;
    for line in stderr.lines() {
        let line = line.unwrap();
        if line.starts_with("http") {
            url = Some(line);
            break;
        }
    }
    let url = url.expect("the login URL is printed");
    assert!(url.starts_with(&format!("{}/oauth/authorize?", serve.api())), "{url}");
    assert!(url.contains("code_challenge_method=S256"), "{url}");

    // The "browser": follows the mock's redirect to the CLI's callback listener.
    let page = kickrs::http_client_builder().unwrap().build().unwrap().get(&url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Logged in"));
    let output = tokio::task::spawn_blocking(move || login.wait_with_output()).await.unwrap().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).contains("logged in: token stored"));

    // Stored per client id with mode 0600; `show` redacts unless --reveal.
    let tokens = kick.config_dir().join("tokens.json");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&tokens).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let stored: serde_json::Value = serde_json::from_slice(&std::fs::read(&tokens).unwrap()).unwrap();
    let client_id = serve.info["client_id"].as_str().unwrap();
    let access = stored[client_id]["access_token"].as_str().unwrap().to_owned();
    let shown = kick.run(args(&["token", "show"])).ok();
    assert!(!shown.contains(&access), "redacted: {shown}");
    assert!(
        shown.contains(&format!("{}…", &access[..4])) && shown.contains("scopes:        user:read chat:write"),
        "{shown}"
    );
    let revealed = kick.run(args(&["--json", "token", "show", "--reveal"])).json();
    assert_eq!(revealed["access_token"], access.as_str());

    // The user token is what a user-only endpoint gets.
    let sent = kick
        .run(args(&[
            "api",
            "post",
            "chat",
            "-b",
            r#"{"type":"user","content":"hi from kick","broadcaster_user_id":1001}"#,
        ]))
        .json();
    assert_eq!(sent["data"]["is_sent"], true);

    let refreshed = kick.run(args(&["--json", "token", "refresh"])).json();
    assert_ne!(refreshed["access_token"].as_str(), Some(access.as_str()));
    // Another process saved another client id's token; it holds the file's lock while `revoke` runs.
    let store = kickrs::auth::FileTokenStore::new(&tokens);
    let other = kickrs::auth::UserToken::new(
        "other-access",
        None,
        std::time::Duration::from_secs(3600),
        &[kickrs::auth::Scope::UserRead],
    );
    kickrs::auth::TokenStore::save(&store, "other-client", &other).await.unwrap();
    let lock = std::fs::File::open(kick.config_dir().join(".tokens.json.lock")).expect("the lock file of the saves");
    fs4::FileExt::lock(&lock).unwrap();
    let revoke =
        kick.command(args(&["token", "revoke"])).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    #[cfg(target_os = "linux")]
    {
        wait_until_blocked_on_a_file_lock(revoke.id()).await;
        let stored: serde_json::Value = serde_json::from_slice(&std::fs::read(&tokens).unwrap()).unwrap();
        assert!(stored.get(client_id).is_some(), "not removed while another process holds the lock");
    }
    drop(lock);
    let output = tokio::task::spawn_blocking(move || revoke.wait_with_output()).await.unwrap().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).contains("revoked"));
    let stderr = kick.run(args(&["token", "show"])).failed();
    assert!(stderr.contains("no stored user token"), "{stderr}");
    let stored: serde_json::Value = serde_json::from_slice(&std::fs::read(&tokens).unwrap()).unwrap();
    assert_eq!(stored.as_object().unwrap().keys().collect::<Vec<_>>(), ["other-client"], "the other entry is kept");
}

/// Waits until process `pid` appears in /proc/locks as waiting for a `flock` (a line `N: -> FLOCK ...`).
#[cfg(target_os = "linux")]
async fn wait_until_blocked_on_a_file_lock(pid: u32) {
    let pid = pid.to_string();
    for _ in 0..600 {
        let locks = std::fs::read_to_string("/proc/locks").unwrap();
        let waiting = locks.lines().any(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            fields.get(1) == Some(&"->") && fields.get(2) == Some(&"FLOCK") && fields.get(5) == Some(&pid.as_str())
        });
        if waiting {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("kick token revoke (pid {pid}) never waited for the token file's lock");
}

#[test]
fn credentials_come_from_flags_then_environment_then_the_config_file() {
    let kick = Kick::new();
    let stderr = kick.run(["token", "app"]).failed();
    assert_eq!(
        stderr.trim(),
        "error: no client id: pass --client-id, set KICK_CLIENT_ID, or put \"client_id\" in config.json"
    );
    // A server that is not there: the error names the request, on one line.
    std::fs::write(
        kick.config_dir().join("config.json"),
        r#"{"client_id": "from-file", "client_secret": "s", "oauth_base_url": "http://127.0.0.1:9"}"#,
    )
    .unwrap();
    let stderr = kick.run(["token", "app"]).failed();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    let mut command = kick.command(["--json", "token", "show"]);
    command.env("KICK_CLIENT_ID", "from-env");
    let stderr = support::Run(command.output().unwrap()).failed();
    assert!(stderr.contains("client id from-env"), "the environment wins over the file: {stderr}");
    let stderr = kick.run(["token", "show", "--client-id", "from-flag"]).failed();
    assert!(stderr.contains("client id from-flag"), "{stderr}");
    let stderr = kick.run(["token", "show"]).failed();
    assert!(stderr.contains("client id from-file"), "{stderr}");
}

#[test]
fn a_python_client_gets_a_token_from_kick_mock_serve_and_calls_an_endpoint() {
    let python = std::process::Command::new("python3").arg("--version").output();
    assert!(
        python.is_ok_and(|o| o.status.success()),
        "python3 is needed for this test (apt-get install python3); it shows the mock serves other languages"
    );
    let kick = Kick::new();
    let serve = kick.serve(&[]);
    let script = r#"
import json, sys, urllib.parse, urllib.request
base, client_id, secret = sys.argv[1:4]
form = urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}).encode()
token = json.load(urllib.request.urlopen(urllib.request.Request(base + "/oauth/token", data=form)))["access_token"]
request = urllib.request.Request(base + "/public/v1/channels?slug=auroralive", headers={"Authorization": "Bearer " + token})
channel = json.load(urllib.request.urlopen(request))["data"][0]
print(channel["slug"], channel["stream_title"], channel["stream"]["is_live"])
"#;
    let output = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(serve.info["oauth_base_url"].as_str().unwrap())
        .arg(serve.info["client_id"].as_str().unwrap())
        .arg(serve.info["client_secret"].as_str().unwrap())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "auroralive Morning coffee & chat True");
}
