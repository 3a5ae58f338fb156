//! The command line: every command, its flags and the examples its `--help` shows.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Kick developer tool: a local mock of Kick's API, signed test webhooks, tokens and API calls.
#[derive(Parser, Debug)]
#[command(name = "kick", version, about, propagate_version = true)]
#[command(after_help = "\
Examples:
  kick mock serve                                  # a local Kick API + OAuth server
  kick token app --api-base-url http://127.0.0.1:8080 --oauth-base-url http://127.0.0.1:8080
  kick api get channels -q slug=auroralive
  kick event trigger chat.message.sent --forward-address http://localhost:3000/kick
  kick completions bash > /etc/bash_completion.d/kick")]
pub struct Cli {
    /// Print results as JSON (for scripts) instead of text.
    #[arg(long, global = true)]
    pub json: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run MockKick (a fake Kick API and OAuth server) and drive it.
    #[command(after_help = "\
Examples:
  kick mock serve --port 8080 --webhook-url http://localhost:3000/kick
  kick mock golive --broadcaster 1001
  kick mock chat --broadcaster 1001 --sender 2001 'hello chat'")]
    Mock {
        #[command(subcommand)]
        command: MockCommand,
    },
    /// Send signed webhook deliveries, resend them, check captured ones.
    #[command(after_help = "\
Examples:
  kick event trigger channel.followed --forward-address http://localhost:3000/kick
  kick event keypair --out keys/
  kick event verify --headers captured.headers --body captured.json")]
    Event {
        #[command(subcommand)]
        command: EventCommand,
    },
    /// Get, refresh, revoke and show OAuth tokens (stored per client id).
    #[command(after_help = "\
Examples:
  kick token login --scopes user:read,chat:write
  kick token app
  kick token show --reveal")]
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Call any Kick API endpoint with the stored token.
    Api(ApiArgs),
    /// Print a shell completion script.
    #[command(after_help = "\
Examples:
  kick completions bash > ~/.local/share/bash-completion/completions/kick
  kick completions zsh > ~/.zfunc/_kick
  kick completions fish > ~/.config/fish/completions/kick.fish")]
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
}

// ---- mock ---------------------------------------------------------------------------------

#[derive(Subcommand, Debug)]
pub enum MockCommand {
    /// Start MockKick and keep it running until Ctrl-C.
    #[command(after_help = "\
Prints the API and OAuth base URLs, a client id and secret, the public-key URL and the admin
URL that `kick mock golive|chat|...` talk to (also saved in the config directory, so those
commands find a running server by themselves).

Examples:
  kick mock serve
  kick mock serve --port 8080 --seed my-world.json
  kick mock serve --webhook-url http://localhost:3000/kick")]
    Serve(ServeArgs),
    #[command(flatten)]
    Action(MockAction),
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Port of the API and OAuth server on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Port of the admin server that `kick mock golive|chat|...` use (0: any free port).
    #[arg(long, default_value_t = 0)]
    pub admin_port: u16,
    /// The world to serve, as JSON (see cli/examples/seed.json); default: the built-in world.
    #[arg(long, value_name = "FILE")]
    pub seed: Option<PathBuf>,
    /// Where signed webhook deliveries go; the default app is subscribed to every event of every
    /// channel, and its organization's Drops claims go there too.
    #[arg(long, value_name = "URL")]
    pub webhook_url: Option<String>,
}

/// Where a running `kick mock serve` is.
#[derive(Args, Debug, Clone)]
pub struct AdminTarget {
    /// Admin URL of the running mock (default: the one `kick mock serve` saved).
    #[arg(long, env = "KICK_MOCK_ADMIN_URL", value_name = "URL")]
    pub admin_url: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum MockAction {
    /// Put a channel live (sends livestream.status.updated).
    #[command(after_help = "Example:\n  kick mock golive --broadcaster 1004 --title 'Back online' --viewers 12")]
    Golive {
        #[command(flatten)]
        target: AdminTarget,
        /// The broadcaster's user id.
        #[arg(long)]
        broadcaster: u64,
        /// Stream title.
        #[arg(long)]
        title: Option<String>,
        /// Viewer count.
        #[arg(long, default_value_t = 1)]
        viewers: u64,
    },
    /// End a channel's stream (sends livestream.status.updated).
    #[command(after_help = "Example:\n  kick mock offline --broadcaster 1001")]
    Offline {
        #[command(flatten)]
        target: AdminTarget,
        /// The broadcaster's user id.
        #[arg(long)]
        broadcaster: u64,
    },
    /// Post a chat message as a user (sends chat.message.sent).
    #[command(after_help = "Example:\n  kick mock chat --broadcaster 1001 --sender 2001 'hello chat'")]
    Chat {
        #[command(flatten)]
        target: AdminTarget,
        /// The channel's broadcaster user id.
        #[arg(long)]
        broadcaster: u64,
        /// The sender's user id.
        #[arg(long)]
        sender: u64,
        /// The message.
        content: String,
    },
    /// Follow a channel (sends channel.followed).
    #[command(after_help = "Example:\n  kick mock follow --broadcaster 1001 --user 2001")]
    Follow {
        #[command(flatten)]
        target: AdminTarget,
        /// The channel's broadcaster user id.
        #[arg(long)]
        broadcaster: u64,
        /// The follower's user id.
        #[arg(long)]
        user: u64,
    },
    /// Subscribe to a channel (sends channel.subscription.new, or .renewal with --months > 1).
    #[command(after_help = "Example:\n  kick mock subscribe --broadcaster 1001 --user 2001 --months 3")]
    Subscribe {
        #[command(flatten)]
        target: AdminTarget,
        /// The channel's broadcaster user id.
        #[arg(long)]
        broadcaster: u64,
        /// The subscriber's user id.
        #[arg(long)]
        user: u64,
        /// Months subscribed so far.
        #[arg(long, default_value_t = 1)]
        months: u64,
    },
    /// Gift subscriptions (sends channel.subscription.gifts).
    #[command(after_help = "Example:\n  kick mock gift --broadcaster 1001 --user 2002 --to 2001 --to 1002")]
    Gift {
        #[command(flatten)]
        target: AdminTarget,
        /// The channel's broadcaster user id.
        #[arg(long)]
        broadcaster: u64,
        /// The gifter's user id.
        #[arg(long)]
        user: u64,
        /// A giftee's user id (repeatable).
        #[arg(long = "to", required = true)]
        giftees: Vec<u64>,
    },
    /// Ban or time out a user (sends moderation.banned).
    #[command(after_help = "Example:\n  kick mock ban --broadcaster 1001 --user 2001 --duration 10 --reason spam")]
    Ban {
        #[command(flatten)]
        target: AdminTarget,
        /// The channel's broadcaster user id (who bans).
        #[arg(long)]
        broadcaster: u64,
        /// The user to ban.
        #[arg(long)]
        user: u64,
        /// Timeout in minutes (none: a permanent ban).
        #[arg(long)]
        duration: Option<u64>,
        /// Reason.
        #[arg(long)]
        reason: Option<String>,
    },
    /// Redeem a channel reward (sends channel.reward.redemption.updated).
    #[command(after_help = "Example:\n  kick mock redeem --broadcaster 1001 --user 2001 --reward 'Hydrate!'")]
    Redeem {
        #[command(flatten)]
        target: AdminTarget,
        /// The channel's broadcaster user id.
        #[arg(long)]
        broadcaster: u64,
        /// The redeemer's user id.
        #[arg(long)]
        user: u64,
        /// Reward title or id.
        #[arg(long)]
        reward: String,
        /// The viewer's text, for rewards that ask for one.
        #[arg(long, default_value = "")]
        input: String,
    },
    /// Claim a Drops reward (sends the signed claim to the organization's webhook URL).
    #[command(after_help = "Example:\n  kick mock claim --user 2001 --reward 01JMXCKDR0PSREWARD00000002")]
    Claim {
        #[command(flatten)]
        target: AdminTarget,
        /// The viewer's user id.
        #[arg(long)]
        user: u64,
        /// The Drops reward id.
        #[arg(long)]
        reward: String,
    },
    /// Gift KICKs (sends kicks.gifted).
    #[command(after_help = "Example:\n  kick mock kicks --broadcaster 1001 --user 2001 --amount 100")]
    Kicks {
        #[command(flatten)]
        target: AdminTarget,
        /// The channel's broadcaster user id.
        #[arg(long)]
        broadcaster: u64,
        /// The sender's user id.
        #[arg(long)]
        user: u64,
        /// How many KICKs.
        #[arg(long, default_value_t = 100)]
        amount: u64,
    },
}

// ---- event --------------------------------------------------------------------------------

#[derive(Subcommand, Debug)]
pub enum EventCommand {
    /// Send a realistic signed delivery of an event type to a URL.
    #[command(after_help = "\
Signed with the local mock key (the key `kick mock serve` signs with and serves at
/public/v1/public-key), or with --private-key. Every delivery is logged for `kick event retrigger`.

Examples:
  kick event trigger chat.message.sent --forward-address http://localhost:3000/kick
  kick event trigger channel.followed -F http://localhost:3000/kick --count 5 --broadcaster 1002
  kick event trigger chat.message.sent -F http://localhost:3000/kick --set content='!uptime' --set sender.username=bob
  kick event trigger kicks.gifted -F http://localhost:3000/kick --private-key keys/private.pem")]
    Trigger(TriggerArgs),
    /// Resend an earlier delivery byte for byte (same id, timestamp, signature and body).
    #[command(after_help = "Example:\n  kick event retrigger --id 01JQ4Z8M6V2X9N3T5R7B1C0D2E")]
    Retrigger(RetriggerArgs),
    /// Write a key pair for --private-key (private.pem) and for your receiver (public.pem).
    #[command(after_help = "Example:\n  kick event keypair --out keys/")]
    Keypair(KeypairArgs),
    /// Check a captured delivery's signature, timestamp and payload, saying what failed.
    #[command(after_help = "\
The headers file holds `Name: value` lines (as curl -D or an HTTP dump writes them) or a JSON
object. Without a key option, Kick's published key is used.

Examples:
  kick event verify --headers delivery.headers --body delivery.json
  kick event verify --headers h.txt --body b.json --public-key keys/public.pem --any-age
  kick event verify --headers h.txt --body b.json --mock-key")]
    Verify(VerifyArgs),
}

#[derive(Args, Debug)]
pub struct TriggerArgs {
    /// Event type (e.g. chat.message.sent), or drops.claim for a Drops reward claim.
    #[arg(value_parser = clap::builder::PossibleValuesParser::new(crate::payloads::triggerable()))]
    pub event: String,
    /// Where to POST the delivery.
    #[arg(long, short = 'F', value_name = "URL")]
    pub forward_address: String,
    /// Override a payload field: a dotted path and a value (JSON, or text).
    #[arg(long = "set", value_name = "FIELD=VALUE")]
    pub set: Vec<String>,
    /// How many deliveries to send (each with its own message id).
    #[arg(long, default_value_t = 1)]
    pub count: u32,
    /// The broadcaster's user id in the payload.
    #[arg(long, value_name = "ID")]
    pub broadcaster: Option<kickrs::ids::UserId>,
    /// Sign with this PKCS#8 private key (from `kick event keypair`) instead of the mock key.
    #[arg(long, value_name = "PEM")]
    pub private_key: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct RetriggerArgs {
    /// The Kick-Event-Message-Id of the delivery to resend.
    #[arg(long)]
    pub id: String,
    /// Send it here instead of where it went first.
    #[arg(long, short = 'F', value_name = "URL")]
    pub forward_address: Option<String>,
}

#[derive(Args, Debug)]
pub struct KeypairArgs {
    /// Directory for private.pem (mode 0600) and public.pem.
    #[arg(long, default_value = ".")]
    pub out: PathBuf,
    /// Replace existing files.
    #[arg(long)]
    pub force: bool,
}

#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// File with the delivery's headers.
    #[arg(long, value_name = "FILE")]
    pub headers: PathBuf,
    /// File with the raw body.
    #[arg(long, value_name = "FILE")]
    pub body: PathBuf,
    /// Check against this public key (PEM) instead of Kick's.
    #[arg(long, value_name = "PEM", conflicts_with = "mock_key")]
    pub public_key: Option<PathBuf>,
    /// Check against the local mock key (what `kick event trigger` and `kick mock serve` sign with).
    #[arg(long)]
    pub mock_key: bool,
    /// Skip the 5-minute freshness check (for old captures).
    #[arg(long)]
    pub any_age: bool,
}

// ---- token --------------------------------------------------------------------------------

/// Which app, and where Kick is.
#[derive(Args, Debug, Clone)]
pub struct Creds {
    /// The app's client id.
    #[arg(long, env = "KICK_CLIENT_ID")]
    pub client_id: Option<String>,
    /// The app's client secret.
    #[arg(long, env = "KICK_CLIENT_SECRET", hide_env_values = true)]
    pub client_secret: Option<String>,
    /// API base URL (e.g. the one `kick mock serve` prints).
    #[arg(long, env = "KICK_API_BASE_URL", value_name = "URL")]
    pub api_base_url: Option<String>,
    /// OAuth base URL.
    #[arg(long, env = "KICK_OAUTH_BASE_URL", value_name = "URL")]
    pub oauth_base_url: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Log a user in (PKCE in the browser) and store the user token.
    #[command(after_help = "\
The login URL is always printed, for machines without a browser. The app's redirect URI must be
http://127.0.0.1:PORT/callback.

Examples:
  kick token login --scopes user:read,chat:write
  kick token login --port 3000 --no-browser")]
    Login(LoginArgs),
    /// Fetch an app token (client credentials) and print it.
    #[command(after_help = "Example:\n  curl -H \"Authorization: Bearer $(kick token app)\" ...")]
    App(TokenArgs),
    /// Refresh the stored user token now.
    #[command(after_help = "Example:\n  kick token refresh")]
    Refresh(TokenArgs),
    /// Revoke the stored user token at Kick and forget it.
    #[command(after_help = "Example:\n  kick token revoke")]
    Revoke(TokenArgs),
    /// Show the stored user token (secrets redacted unless --reveal).
    #[command(after_help = "Examples:\n  kick token show\n  kick token show --json --reveal | jq -r .access_token")]
    Show(ShowArgs),
}

#[derive(Args, Debug)]
pub struct TokenArgs {
    #[command(flatten)]
    pub creds: Creds,
}

#[derive(Args, Debug)]
pub struct LoginArgs {
    #[command(flatten)]
    pub creds: Creds,
    /// Scopes, comma or space separated (default: user:read).
    #[arg(long, default_value = "user:read")]
    pub scopes: String,
    /// Port of the local callback listener.
    #[arg(long, default_value_t = 3000)]
    pub port: u16,
    /// Do not open a browser (the URL is printed either way).
    #[arg(long)]
    pub no_browser: bool,
    /// Give up after this many seconds.
    #[arg(long, default_value_t = 300)]
    pub timeout: u64,
}

#[derive(Args, Debug)]
pub struct ShowArgs {
    #[command(flatten)]
    pub creds: Creds,
    /// Print the access and refresh tokens in full.
    #[arg(long)]
    pub reveal: bool,
}

// ---- api ----------------------------------------------------------------------------------

#[derive(Args, Debug)]
#[command(after_help = "\
PATH is a full path (/public/v1/channels) or one relative to /public/v1 (channels).
Output is indented on a terminal and compact when piped; a failed call exits with status 1
and Kick's message.

Examples:
  kick api get channels -q slug=auroralive
  kick api get livestreams --paginate -q limit=100          # all pages as one array
  kick api post chat -b '{\"type\":\"user\",\"content\":\"hi\",\"broadcaster_user_id\":1001}'
  kick api patch channels -b @channel.json
  kick api delete /public/v1/events/subscriptions -q id=01JQ...")]
pub struct ApiArgs {
    /// HTTP method.
    pub method: ApiMethod,
    /// Endpoint path.
    pub path: String,
    /// Query parameter (repeatable).
    #[arg(short = 'q', long = "query", value_name = "KEY=VALUE")]
    pub query: Vec<String>,
    /// JSON body, or @FILE to read it from a file.
    #[arg(short = 'b', long = "body", value_name = "JSON|@FILE")]
    pub body: Option<String>,
    /// Follow Kick's cursors and print every page's items as one array.
    #[arg(long)]
    pub paginate: bool,
    /// Token to send (default: the kind the endpoint needs; app where Kick takes either).
    #[arg(long, value_enum, default_value_t = TokenChoice::Auto)]
    pub token: TokenChoice,
    #[command(flatten)]
    pub creds: Creds,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiMethod {
    Get,
    Post,
    Patch,
    Put,
    Delete,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenChoice {
    /// What the endpoint needs.
    Auto,
    /// The app token.
    App,
    /// The stored user token.
    User,
    /// No token.
    None,
}
