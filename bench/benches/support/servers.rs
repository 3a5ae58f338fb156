//! The benchmark's servers in a child process of their own (this binary re-run as `facade servers`), so
//! the clients' CPU time is this process's alone: MockKick, the canned plain-HTTP server, and the
//! canned answers over TLS offering HTTP/2 and offering HTTP/1.1 only.
//!
//! Protocol: the child prints `ready <mockkick> <canned> <tls-h2> <tls-h1>` (base URLs); then, for each
//! `seen` line on its stdin, one line of counters; it exits when its stdin closes.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::Mutex;

use super::canned;
use super::tls::{self, Offer, Seen};

pub const SERVERS: &str = "servers";

/// The child's base URLs and a line to ask it for its counters.
pub struct Servers {
    pub mockkick: String,
    pub canned: String,
    pub tls_h2: String,
    pub tls_h1: String,
    talk: Mutex<(ChildStdin, BufReader<ChildStdout>)>,
    child: Child,
}

/// What the child has counted so far.
#[derive(Clone, Copy, Debug, Default)]
pub struct Counters {
    /// `POST /oauth/token` answered by the canned plain-HTTP server.
    pub canned_tokens: u64,
    pub tls_h2: Seen,
    pub tls_h1: Seen,
}

impl Servers {
    /// Starts the child and waits for its URLs.
    pub fn spawn() -> Servers {
        let exe = std::env::current_exe().expect("own path");
        let mut child = Command::new(exe)
            .arg(SERVERS)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("server process starts");
        let stdin = child.stdin.take().expect("piped stdin");
        let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        let mut line = String::new();
        stdout.read_line(&mut line).expect("server process answers");
        let urls: Vec<String> = line.split_whitespace().map(String::from).collect();
        assert!(urls.len() == 5 && urls[0] == "ready", "server process said {line:?}");
        Servers {
            mockkick: urls[1].clone(),
            canned: urls[2].clone(),
            tls_h2: urls[3].clone(),
            tls_h1: urls[4].clone(),
            talk: Mutex::new((stdin, stdout)),
            child,
        }
    }

    pub fn counters(&self) -> Counters {
        let mut talk = self.talk.lock().expect("server pipe");
        let (stdin, stdout) = &mut *talk;
        writeln!(stdin, "seen").expect("server process listens");
        let mut line = String::new();
        stdout.read_line(&mut line).expect("server process answers");
        let n: Vec<u64> = line.split_whitespace().filter_map(|word| word.parse().ok()).collect();
        assert_eq!(n.len(), 9, "server process said {line:?}");
        let seen =
            |at: usize| Seen { handshakes: n[at], h2: n[at + 1], token_requests: n[at + 2], requests: n[at + 3] };
        Counters { canned_tokens: n[0], tls_h2: seen(1), tls_h1: seen(5) }
    }
}

impl Drop for Servers {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The child's side: starts the servers, prints their URLs, answers `seen` until stdin closes.
pub fn serve(mock: kickrs::mock::MockKick, bodies: Vec<(String, Vec<u8>)>) {
    let canned = canned::start(bodies.clone());
    let tls_h2 = tls::start(bodies.clone(), Offer::Http2);
    let tls_h1 = tls::start(bodies, Offer::Http1);
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "ready {} {} {} {}", mock.api_base_url(), canned.base_url, tls_h2.base_url, tls_h1.base_url)
        .and_then(|()| stdout.flush())
        .expect("parent listens");
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        if line.trim() != "seen" {
            continue;
        }
        let (a, b) = (tls_h2.seen(), tls_h1.seen());
        let counts = [
            canned.token_requests(),
            a.handshakes,
            a.h2,
            a.token_requests,
            a.requests,
            b.handshakes,
            b.h2,
            b.token_requests,
            b.requests,
        ];
        let words: Vec<String> = counts.iter().map(u64::to_string).collect();
        if writeln!(stdout, "{}", words.join(" ")).and_then(|()| stdout.flush()).is_err() {
            break;
        }
    }
}
