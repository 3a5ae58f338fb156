//! Fault injection: answer chosen requests with errors, delays, broken bodies or a dropped socket.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use http::{HeaderValue, Method, StatusCode, header};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;

use super::reply::{Reply, ReplyBody};

/// What to do instead of (or before) the normal answer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Answer with this status and a Kick error body `{"data": {}, "message": ...}`.
    Status(u16),
    /// Answer 429, with `Retry-After: <seconds>` when `retry_after` is set.
    RateLimited {
        /// Seconds to put in `Retry-After`; `None` sends no such header.
        retry_after: Option<u64>,
    },
    /// Wait this long, then answer normally.
    Delay(Duration),
    /// Close the socket without writing any response.
    DropConnection,
    /// Answer 200 with `Content-Type: application/json` and a truncated JSON body.
    MalformedJson,
    /// Answer this status with an HTML page, as a CDN in front of Kick does.
    HtmlError(u16),
    /// Answer 200 with an empty body.
    EmptyBody,
}

/// What the server should do with a request after consulting the fault table.
pub(crate) enum Action {
    Reply(Reply),
    Delay(Duration),
    Drop,
}

impl Fault {
    pub(crate) fn action(&self) -> Action {
        match self {
            Fault::Status(code) => {
                let status = StatusCode::from_u16(*code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                let message = status.canonical_reason().unwrap_or("Error");
                Action::Reply(Reply::error(status, json!({}), message))
            }
            Fault::RateLimited { retry_after } => {
                let reply = Reply::error(StatusCode::TOO_MANY_REQUESTS, json!({}), "Too Many Requests");
                Action::Reply(match retry_after {
                    Some(secs) => reply.header(header::RETRY_AFTER, HeaderValue::from(*secs)),
                    None => reply,
                })
            }
            Fault::Delay(d) => Action::Delay(*d),
            Fault::DropConnection => Action::Drop,
            Fault::MalformedJson => Action::Reply(Reply::new(
                StatusCode::OK,
                ReplyBody::Text("application/json", r#"{"data": [{"id": 1, "name": "#.to_owned()),
            )),
            Fault::HtmlError(code) => {
                let status = StatusCode::from_u16(*code).unwrap_or(StatusCode::BAD_GATEWAY);
                let page = format!(
                    "<!DOCTYPE html>\n<html><head><title>{code} {reason}</title></head>\
                     <body><h1>{code} {reason}</h1><p>The origin did not answer. (cdn)</p></body></html>\n",
                    reason = status.canonical_reason().unwrap_or("Error")
                );
                Action::Reply(Reply::new(status, ReplyBody::Text("text/html; charset=utf-8", page)))
            }
            Fault::EmptyBody => Action::Reply(Reply::new(StatusCode::OK, ReplyBody::Empty)),
        }
    }
}

struct Armed {
    method: Option<Method>,
    path: Option<String>,
    remaining: usize,
    fault: Fault,
}

struct RandomFailures {
    rate: f64,
    fault: Fault,
    rng: StdRng,
}

#[derive(Default)]
struct Table {
    armed: Vec<Armed>,
    random: Option<RandomFailures>,
    delay_all: Option<Duration>,
}

/// The server's fault table. `any` lets the request path skip the lock when nothing is armed.
pub(crate) struct FaultTable {
    any: AtomicBool,
    table: Mutex<Table>,
    seed: u64,
}

impl FaultTable {
    pub(crate) fn new(seed: u64) -> Self {
        FaultTable { any: AtomicBool::new(false), table: Mutex::new(Table::default()), seed }
    }

    fn edit(&self, f: impl FnOnce(&mut Table)) {
        let mut table = self.table.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut table);
        let any = !table.armed.is_empty() || table.random.is_some() || table.delay_all.is_some();
        self.any.store(any, Ordering::Release);
    }

    /// The faults to apply to this request, in order (a delay may precede another fault).
    pub(crate) fn take(&self, method: &Method, path: &str) -> Vec<Fault> {
        if !self.any.load(Ordering::Acquire) {
            return Vec::new();
        }
        let mut out = Vec::new();
        self.edit(|table| {
            if let Some(d) = table.delay_all {
                out.push(Fault::Delay(d));
            }
            let hit = table.armed.iter().position(|a| {
                a.method.as_ref().is_none_or(|m| m == method) && a.path.as_deref().is_none_or(|p| p == path)
            });
            if let Some(i) = hit {
                let armed = &mut table.armed[i];
                out.push(armed.fault.clone());
                armed.remaining -= 1;
                if armed.remaining == 0 {
                    table.armed.remove(i);
                }
            } else if let Some(random) = &mut table.random
                && random.rng.random_bool(random.rate)
            {
                out.push(random.fault.clone());
            }
        });
        out
    }
}

/// The fault knobs of one [`MockKick`](super::MockKick), from [`MockKick::faults`](super::MockKick::faults).
///
/// ```no_run
/// # async fn demo() {
/// use std::time::Duration;
/// use http::Method;
/// use kickrs::mock::{Fault, MockKick};
///
/// let mock = MockKick::start().await;
/// // The next two chat sends get 503, then the route answers normally again.
/// mock.faults().next(Method::POST, "/public/v1/chat", 2, Fault::Status(503));
/// // Any route: one 429 with `Retry-After: 3`.
/// mock.faults().next_any(1, Fault::RateLimited { retry_after: Some(3) });
/// // Soak tests: 10 % of requests fail (seeded, so runs repeat).
/// mock.faults().fail_randomly(0.10, Fault::Status(502));
/// mock.faults().delay_all(Duration::from_millis(20));
/// mock.faults().clear();
/// # }
/// ```
pub struct Faults<'a> {
    table: &'a FaultTable,
}

impl<'a> Faults<'a> {
    pub(crate) fn new(table: &'a FaultTable) -> Self {
        Faults { table }
    }

    /// Answers the next `times` requests to `method` + `path` (exact path, no query) with `fault`.
    /// Several armed faults are used in the order they were armed.
    pub fn next(&self, method: Method, path: &str, times: usize, fault: Fault) -> &Self {
        self.arm(Some(method), Some(path.to_owned()), times, fault)
    }

    /// Answers the next `times` requests, whatever their route, with `fault`.
    pub fn next_any(&self, times: usize, fault: Fault) -> &Self {
        self.arm(None, None, times, fault)
    }

    fn arm(&self, method: Option<Method>, path: Option<String>, times: usize, fault: Fault) -> &Self {
        if times > 0 {
            self.table.edit(|t| t.armed.push(Armed { method, path, remaining: times, fault }));
        }
        self
    }

    /// Answers each request with `fault` with probability `rate` (0.0–1.0), drawn from an RNG
    /// seeded by [`MockKickBuilder::seed`](super::MockKickBuilder::seed), so a run repeats.
    pub fn fail_randomly(&self, rate: f64, fault: Fault) -> &Self {
        let seed = self.table.seed;
        self.table.edit(|t| {
            t.random = Some(RandomFailures { rate: rate.clamp(0.0, 1.0), fault, rng: StdRng::seed_from_u64(seed) })
        });
        self
    }

    /// Delays every answer by `delay` (until [`clear`](Self::clear)).
    pub fn delay_all(&self, delay: Duration) -> &Self {
        self.table.edit(|t| t.delay_all = Some(delay));
        self
    }

    /// Disarms every fault, the random failure rate and the delay.
    pub fn clear(&self) -> &Self {
        self.table.edit(|t| *t = Table::default());
        self
    }

    /// How many armed one-shot faults are still waiting to fire.
    pub fn pending(&self) -> usize {
        let table = self.table.table.lock().unwrap_or_else(|p| p.into_inner());
        table.armed.iter().map(|a| a.remaining).sum()
    }
}
