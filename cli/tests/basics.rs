//! What users of a good CLI expect: help with examples on every command, shell completions, no
//! colour when piped or with NO_COLOR, one-line errors, `--seed` files.

mod support;

use support::Kick;

const COMMANDS: &[&[&str]] = &[
    &[],
    &["mock"],
    &["mock", "serve"],
    &["mock", "golive"],
    &["mock", "offline"],
    &["mock", "chat"],
    &["mock", "follow"],
    &["mock", "subscribe"],
    &["mock", "gift"],
    &["mock", "ban"],
    &["mock", "redeem"],
    &["mock", "kicks"],
    &["mock", "claim"],
    &["event"],
    &["event", "trigger"],
    &["event", "retrigger"],
    &["event", "keypair"],
    &["event", "verify"],
    &["token"],
    &["token", "login"],
    &["token", "app"],
    &["token", "refresh"],
    &["token", "revoke"],
    &["token", "show"],
    &["api"],
    &["completions"],
];

#[test]
fn every_command_has_help_with_examples() {
    let kick = Kick::new();
    for command in COMMANDS {
        let mut args = command.to_vec();
        args.push("--help");
        let help = kick.run(&args).ok();
        assert!(help.contains("Usage: kick"), "{command:?}: {help}");
        assert!(help.contains("Example"), "{command:?} has no examples: {help}");
        assert!(!help.contains('\x1b'), "no colour when piped: {command:?}");
    }
}

#[test]
fn completions_are_generated_for_each_shell() {
    let kick = Kick::new();
    for (shell, marker) in [("bash", "complete -F"), ("zsh", "#compdef kick"), ("fish", "complete -c kick")] {
        let script = kick.run(["completions", shell]).ok();
        assert!(script.contains(marker), "{shell}: {}", &script[..script.len().min(200)]);
        assert!(script.contains("retrigger"), "{shell} completes subcommands");
    }
}

#[test]
fn errors_are_one_line_without_colour_when_piped_or_with_no_color() {
    let kick = Kick::new();
    let mut command = kick.command(["event", "retrigger", "--id", "nope"]);
    command.env("NO_COLOR", "1");
    let run = support::Run(command.output().unwrap());
    let stderr = run.failed();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("error: no delivery nope"), "{stderr}");
    assert!(!stderr.contains('\x1b'));
    assert_eq!(run.0.status.code(), Some(1));
}

#[test]
fn serve_takes_a_seed_file_and_refuses_a_bad_one_with_the_reason() {
    let kick = Kick::new();
    let seed = kick.config_dir().join("seed.json");
    std::fs::write(
        &seed,
        r#"{"categories": [{"id": 7, "name": "Chess"}], "users": [{"id": 5, "name": "Knight"}],
            "channels": [{"broadcaster_user_id": 5, "slug": "knight", "title": "Openings", "category_id": 7}],
            "live": [{"broadcaster_user_id": 5, "viewers": 9}]}"#,
    )
    .unwrap();
    let serve = kick.serve(&["--seed", &support::path_str(&seed)]);
    let creds = serve.creds();
    let live = kick.run(["api", "get", "/public/v2/livestreams"].iter().map(|s| s.to_string()).chain(creds)).json();
    let streams = live["data"].as_array().unwrap();
    assert_eq!(streams.len(), 1, "{live}");
    assert_eq!(streams[0]["channel"]["slug"], "knight");
    assert_eq!(streams[0]["category"]["name"], "Chess");
    drop(serve);

    std::fs::write(&seed, r#"{"users": [{"id": 5, "name": "Knight"}], "live": [{"broadcaster_user_id": 6}]}"#).unwrap();
    let stderr = kick.run(["mock", "serve", "--port", "0", "--seed", &support::path_str(&seed)]).failed();
    assert!(stderr.contains("live stream of user 6, who is not in `users`"), "{stderr}");
}
