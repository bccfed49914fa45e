//! `soak`: a long run of raw calls, each with a body no other call has, every answer
//! checked byte for byte against its request; optionally with the server killed (SIGKILL)
//! and restarted on the same port during the run.
//!
//! The server is this binary's `server` subcommand in a child process. The client is
//! `tchannel-runtime`'s `TChannel` in this process: `calls` raw calls to service `bench`,
//! endpoint `echo`, `in_flight` at a time. Call `n` sends arg2 `soak <n>` and an arg3 of
//! `size` bytes: `n` (8 bytes, big-endian), the run's seed (8 bytes), then pseudo-random
//! bytes drawn from the seed and `n`. Every call ends in exactly one of:
//!
//! - **ok**: an OK response whose arg2 and arg3 are the bytes sent;
//! - **mismatched**: an OK response whose arg2 or arg3 differ from what this call sent;
//! - **application error**: a response with the not-OK flag (the echo never sends one);
//! - **error**: a typed [`tchannel_runtime::Error`], counted by kind (`network`, `timeout`...);
//! - **hung**: the call's future neither answered nor failed by `timeout` + `watchdog`
//!   (an outer `tokio::time::timeout` around the call). Hung calls are the *lost* ones.
//!
//! A response that carries a call number whose answer was already seen counts as
//! **duplicated** (every response's arg3 starts with the number of the call it echoes).
//! A call that ended (ok or error) later than `timeout` + 100 ms counts as **late**.
//!
//! RSS (`VmRSS`) of this process and of the server is sampled before the first call
//! (start), when half the calls have ended (middle) and after the last (end).
//!
//! With `restarts` = N, the server is killed when call number `calls`/(N+1),
//! 2·`calls`/(N+1)... is reached (calls from that number on wait until it is dead), left
//! down for `outage`, and started again on the same `host:port`. The run is split into
//! phases at the kills; each phase after a kill reports the calls that ended in it by
//! outcome, how many failed before the first success, how long the server was down, and
//! when calls succeeded again (the first OK answer to a call *started* after the server
//! was dead). A restart after which no call was made is reported as not checked.
//!
//! With [`Fault::Stop`], the server is frozen (SIGSTOP) for `outage` and then resumed
//! (SIGCONT) instead: its connections stay open but nothing is answered, so calls must end
//! with a timeout, and the answers the server sends late, after it resumes, must not be
//! taken for the answers of newer calls. With [`Fault::Blackhole`], the port accepts TCP
//! connections during the outage but nothing ever answers the handshake.
//!
//! [`SoakReport::failures`] lists the correctness targets missed; `RELIABILITY.md` at the
//! workspace root has the commands and the figures.

use crate::compare::{spawn_server, ChildServer};
use bytes::{BufMut, Bytes, BytesMut};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::future::IntoFuture;
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tchannel_runtime::{Error, TChannel};
use tokio::time::Instant;

/// How much later than its timeout a call may end before it counts as late: scheduling
/// slack on a loaded machine, not a property of the runtime.
pub const LATE_SLACK: Duration = Duration::from_millis(100);

/// How often the stall probes wake up.
const STALL_TICK: Duration = Duration::from_millis(10);

/// The smallest arg3: the call number and the seed.
pub const MIN_SIZE: usize = 16;

const SERVICE: &str = "bench";
const ENDPOINT: &str = "echo";

/// What is done to the server at each of the `restarts`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Fault {
    /// SIGKILL, then a new server on the same port after the outage.
    Kill,
    /// SIGSTOP, then SIGCONT after the outage: the same process, frozen.
    Stop,
    /// SIGKILL, then for the outage a listener on the same port that never accepts (the
    /// kernel completes TCP handshakes into its backlog, nothing answers the init req),
    /// then a new server: a peer that is up at the TCP level and hung above it.
    Blackhole,
}

impl Fault {
    /// The name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Fault::Kill => "kill",
            Fault::Stop => "stop",
            Fault::Blackhole => "blackhole",
        }
    }
}

/// Settings of a soak run.
#[derive(Debug, Clone)]
pub struct SoakConfig {
    /// The `tchannel-bench` binary that serves `server`.
    pub exe: PathBuf,
    /// `--threads` for the server process (its default when `None`).
    pub server_threads: Option<usize>,
    /// Soak a server already running at this `host:port` (service `bench`, raw endpoint
    /// `echo` answering arg2 and arg3 unchanged) rather than starting one; no restarts
    /// then, and no server RSS.
    pub hostport: Option<String>,
    /// Calls to make in all.
    pub calls: u64,
    /// Calls in flight at any time (one connection).
    pub in_flight: usize,
    /// arg3 bytes of each call (at least [`MIN_SIZE`]).
    pub size: usize,
    /// Timeout of each call.
    pub timeout: Duration,
    /// How long after its timeout a call that has not ended is given up as hung.
    pub watchdog: Duration,
    /// How long after its timeout a call may end before it counts as late (default
    /// [`LATE_SLACK`]; tests on shared CI machines give more).
    pub late_slack: Duration,
    /// Times to kill (SIGKILL) and restart the server during the run (or to freeze it,
    /// with [`Fault::Stop`]).
    pub restarts: usize,
    /// What is done to the server at each restart.
    pub fault: Fault,
    /// How long the server stays down at each restart.
    pub outage: Duration,
    /// How long a caller waits after a failed call before its next one (so an outage
    /// does not turn into a busy loop of refused connects).
    pub error_pause: Duration,
    /// Seed of the bodies' random bytes.
    pub seed: u64,
}

impl SoakConfig {
    /// Defaults: 1,000,000 calls, 100 in flight, 100 bytes, 2 s timeout, 1 s watchdog,
    /// no restarts, 200 ms outages, 10 ms pause after an error.
    pub fn new(exe: PathBuf) -> Self {
        SoakConfig {
            exe,
            server_threads: None,
            hostport: None,
            calls: 1_000_000,
            in_flight: 100,
            size: 100,
            timeout: Duration::from_secs(2),
            watchdog: Duration::from_secs(1),
            late_slack: LATE_SLACK,
            restarts: 0,
            fault: Fault::Kill,
            outage: Duration::from_millis(200),
            error_pause: Duration::from_millis(10),
            seed: 2026,
        }
    }
}

/// The settings as reported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SoakSettings {
    /// Calls made.
    pub calls: u64,
    /// Calls in flight.
    pub in_flight: usize,
    /// arg3 bytes.
    pub size: usize,
    /// Timeout of each call, ms.
    pub timeout_ms: u64,
    /// Watchdog margin past the timeout, ms.
    pub watchdog_ms: u64,
    /// How long past its timeout a call may end before it counts as late, ms.
    pub late_slack_ms: u64,
    /// Server kills and restarts (or freezes).
    pub restarts: usize,
    /// What each restart did.
    pub fault: Fault,
    /// Server downtime per restart, ms.
    pub outage_ms: u64,
    /// Seed of the bodies.
    pub seed: u64,
}

/// Resident memory of both sides at one moment.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RssSample {
    /// Calls ended when the sample was taken.
    pub calls_ended: u64,
    /// This process (the client), KiB.
    pub client_kib: u64,
    /// The server process, KiB (0 if it could not be read or the soak did not start it).
    pub server_kib: u64,
    /// Which server process was sampled (0: none).
    pub server_pid: u32,
}

/// One phase of the run: from the start or a kill to the next kill or the end.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Phase {
    /// 0 before any kill; k after the k-th kill.
    pub phase: usize,
    /// When the phase began (the killed server reaped), seconds since the first call.
    pub began_s: f64,
    /// The call number at which the fault came: calls numbered from here on started only
    /// once the server was dead (or frozen).
    pub started_before: u64,
    /// Killed server reaped to the restarted server's `listening on` line, ms (phases
    /// after a kill).
    pub down_ms: Option<f64>,
    /// Killed server reaped to the first OK answer to a call started after that, ms
    /// (phases after a kill; `None` if no call succeeded again).
    pub recovered_ms: Option<f64>,
    /// Calls of this phase that started after the server was back (restarted or resumed).
    pub started_after_up: u64,
    /// Calls that ended in this phase with an OK, matching answer.
    pub ok: u64,
    /// Calls that ended in this phase with a typed error, by kind.
    pub errors: BTreeMap<String, u64>,
    /// Of those errors, how many ended before the phase's first success.
    pub failed_before_recovery: u64,
}

/// What a soak run measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SoakReport {
    /// The settings.
    pub settings: SoakSettings,
    /// First call to last, seconds.
    pub duration_s: f64,
    /// Calls ended per second over the run (ok or not).
    pub calls_per_sec: f64,
    /// Calls started.
    pub started: u64,
    /// Calls that ended with an answer or a typed error (not hung).
    pub ended: u64,
    /// OK answers that matched their request.
    pub ok: u64,
    /// Typed errors by kind, all phases.
    pub errors: BTreeMap<String, u64>,
    /// Answers with the application-error flag.
    pub app_errors: u64,
    /// OK answers whose arg2 or arg3 differ from the request's.
    pub mismatched: u64,
    /// Answers carrying a call number already answered.
    pub duplicated: u64,
    /// Calls given up by the watchdog (never answered nor failed).
    pub hung: u64,
    /// Calls started that did not end: `hung` plus any a crashed caller left.
    pub lost: u64,
    /// Calls that ended more than `late_slack` after their timeout.
    pub late: u64,
    /// The longest time any call took to end, ms.
    pub max_call_ms: f64,
    /// The first few numbers of hung, mismatched or duplicated calls, for reproducing.
    pub examples: Vec<String>,
    /// RSS before the first call.
    pub rss_start: RssSample,
    /// RSS when half of the calls had ended.
    pub rss_middle: RssSample,
    /// RSS after the last call ended.
    pub rss_end: RssSample,
    /// Phases (one more than the restarts).
    pub phases: Vec<Phase>,
    /// 1-minute load average at the start and at the end.
    pub load_average: [String; 2],
    /// The longest a plain OS thread of this process, sleeping 10 ms at a time, woke up
    /// late, ms: how long the machine kept the whole process off the CPU. Late calls with a
    /// stall as long as theirs are the machine's doing, not the runtime's.
    pub os_stall_ms: f64,
    /// The same for a task on the client's tokio runtime: larger than `os_stall_ms` when
    /// the runtime's own threads were blocked.
    pub tokio_stall_ms: f64,
}

impl SoakReport {
    /// The report as one JSON line.
    pub fn json(&self) -> String {
        serde_json::to_string(self).expect("a report serializes")
    }

    /// End RSS over middle RSS minus one, in percent, for (client, server); `None` when
    /// the server was restarted in between (different processes) or a sample is missing.
    pub fn rss_growth_pct(&self) -> (Option<f64>, Option<f64>) {
        let pct = |mid: u64, end: u64| (mid > 0).then(|| (end as f64 / mid as f64 - 1.0) * 100.0);
        let server = if self.rss_middle.server_pid == self.rss_end.server_pid {
            pct(self.rss_middle.server_kib, self.rss_end.server_kib)
        } else {
            None
        };
        (
            pct(self.rss_middle.client_kib, self.rss_end.client_kib),
            server,
        )
    }

    /// Why the run failed the correctness targets (no lost, duplicated, mismatched, hung
    /// or late calls, no application errors, calls succeed again after every restart);
    /// empty when it met them. RSS growth is reported, not judged here.
    pub fn failures(&self) -> Vec<String> {
        let mut f = Vec::new();
        for (n, what) in [
            (self.lost, "lost"),
            (self.hung, "hung"),
            (self.duplicated, "duplicated"),
            (self.mismatched, "mismatched"),
            (self.app_errors, "answered with an application error"),
            (self.late, "ended later than their timeout"),
        ] {
            if n > 0 {
                f.push(format!("{n} calls {what}"));
            }
        }
        if self.started != self.settings.calls {
            f.push(format!(
                "{} calls started, not {}",
                self.started, self.settings.calls
            ));
        }
        for p in self.phases.iter().skip(1) {
            if p.recovered_ms.is_some() {
                continue;
            }
            if p.started_after_up > 0 {
                f.push(format!(
                    "no call succeeded after restart {} of the server ({} were made after it came back)",
                    p.phase, p.started_after_up
                ));
            } else {
                f.push(format!(
                    "restart {} of the server was not checked: no call was made after it came back (make --calls larger or --outage shorter)",
                    p.phase
                ));
            }
        }
        f
    }

    /// A Markdown summary: the outcome table, RSS, and one row per phase.
    pub fn markdown(&self) -> String {
        let s = &self.settings;
        let mut m = String::new();
        m.push_str(&format!(
            "soak: {} raw calls, {} in flight, {}-byte arg3, timeout {} ms, {} restart(s) (fault: {}, {} ms down each); {:.1} s, {:.0} calls/s; load average {} at the start, {} at the end\n\n",
            s.calls, s.in_flight, s.size, s.timeout_ms, s.restarts, s.fault.name(), s.outage_ms,
            self.duration_s, self.calls_per_sec, self.load_average[0], self.load_average[1]
        ));
        let errors: u64 = self.errors.values().sum();
        let all_kinds = kinds(&self.errors);
        m.push_str("| started | ok | typed errors | lost (hung) | duplicated | mismatched | app errors | late | longest call (ms) |\n");
        m.push_str("|---:|---:|---|---:|---:|---:|---:|---:|---:|\n");
        m.push_str(&format!(
            "| {} | {} | {errors}{} | {} ({}) | {} | {} | {} | {} | {:.0} |\n\n",
            self.started,
            self.ok,
            if all_kinds.is_empty() {
                String::new()
            } else {
                format!(" ({all_kinds})")
            },
            self.lost,
            self.hung,
            self.duplicated,
            self.mismatched,
            self.app_errors,
            self.late,
            self.max_call_ms
        ));
        let (client_pct, server_pct) = self.rss_growth_pct();
        let pct = |p: Option<f64>| match p {
            Some(p) => format!(
                "{p:+.1}% {}",
                if p <= 10.0 { "(met)" } else { "(**not met**)" }
            ),
            None => "n/a (server restarted in between)".to_string(),
        };
        m.push_str("| RSS (KiB) | start | middle | end | end vs middle (target <= +10%) |\n|---|---:|---:|---:|---|\n");
        m.push_str(&format!(
            "| client | {} | {} | {} | {} |\n",
            self.rss_start.client_kib,
            self.rss_middle.client_kib,
            self.rss_end.client_kib,
            pct(client_pct)
        ));
        m.push_str(&format!(
            "| server | {} (pid {}) | {} (pid {}) | {} (pid {}) | {} |\n\n",
            self.rss_start.server_kib,
            self.rss_start.server_pid,
            self.rss_middle.server_kib,
            self.rss_middle.server_pid,
            self.rss_end.server_kib,
            self.rss_end.server_pid,
            pct(server_pct)
        ));
        if self.phases.len() > 1 {
            m.push_str("| phase | began (s) | server down (ms) | calls succeed again after (ms) | ok | typed errors | failed before recovery |\n");
            m.push_str("|---|---:|---:|---:|---:|---|---:|\n");
            let ms = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.0}"));
            for p in &self.phases {
                let errors: u64 = p.errors.values().sum();
                m.push_str(&format!(
                    "| {} | {:.2} | {} | {} | {} | {errors}{} | {} |\n",
                    if p.phase == 0 {
                        format!("before the first {}", s.fault.name())
                    } else {
                        format!("after {} {}", s.fault.name(), p.phase)
                    },
                    p.began_s,
                    ms(p.down_ms),
                    if p.phase > 0 && p.recovered_ms.is_none() && p.started_after_up == 0 {
                        "not checked (no call after the restart)".to_string()
                    } else if p.phase > 0 && p.recovered_ms.is_none() {
                        "**never**".to_string()
                    } else {
                        ms(p.recovered_ms)
                    },
                    p.ok,
                    if p.errors.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", kinds(&p.errors))
                    },
                    p.failed_before_recovery
                ));
            }
            m.push('\n');
        }
        let failures = self.failures();
        if failures.is_empty() {
            m.push_str("correctness targets: **met** (0 lost, 0 duplicated, 0 mismatched, every call ended within its timeout, calls succeed after every restart)\n");
        } else {
            m.push_str(&format!(
                "correctness targets: **not met**: {}\n",
                failures.join("; ")
            ));
        }
        m.push_str(&format!(
            "\nlongest stall of the soak process: {:.0} ms for an OS thread, {:.0} ms for a tokio task (10 ms sleeps woken late; a call late by about as much was held up by the machine)\n",
            self.os_stall_ms, self.tokio_stall_ms
        ));
        if !self.examples.is_empty() {
            m.push_str(&format!("\nexamples: {}\n", self.examples.join("; ")));
        }
        m
    }
}

fn kinds(errors: &BTreeMap<String, u64>) -> String {
    errors
        .iter()
        .map(|(k, n)| format!("{k}: {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A short name for the kind of a typed error, for counting.
pub fn error_kind(e: &Error) -> &'static str {
    type Is = fn(&Error) -> bool;
    let checks: [(Is, &'static str); 14] = [
        (Error::is_timeout, "timeout"),
        (Error::is_network, "network"),
        (Error::is_closed, "closed"),
        (Error::is_busy, "busy"),
        (Error::is_declined, "declined"),
        (Error::is_cancelled, "cancelled"),
        (Error::is_unexpected, "unexpected"),
        (Error::is_checksum, "checksum"),
        (Error::is_bad_request, "bad_request"),
        (Error::is_unhealthy, "unhealthy"),
        (Error::is_protocol, "protocol"),
        (Error::is_no_peer_available, "no_peer_available"),
        (Error::is_scheme, "scheme"),
        (Error::is_already_listening, "already_listening"),
    ];
    checks
        .iter()
        .find(|(is, _)| is(e))
        .map_or("other", |(_, name)| name)
}

/// `VmRSS` of a process (`"self"` or a pid) in KiB; 0 when it cannot be read.
pub fn rss_kib(pid: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.split_whitespace().next()?.parse().ok())
        })
        .unwrap_or(0)
}

/// The 1-minute load average, for the record.
pub fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "unknown".into())
}

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// arg2 and arg3 of call `n`: no other call of the run (nor of another run with another
/// seed) sends the same bytes.
pub fn request(seed: u64, n: u64, size: usize) -> (Bytes, Bytes) {
    let mut body = BytesMut::with_capacity(size.max(MIN_SIZE));
    body.put_u64(n);
    body.put_u64(seed);
    let mut state = seed ^ n.wrapping_mul(0xd6e8_feb8_6659_fd93);
    while body.len() < size {
        let r = splitmix64(&mut state).to_le_bytes();
        let take = (size - body.len()).min(8);
        body.put_slice(&r[..take]);
    }
    (Bytes::from(format!("soak {n}")), body.freeze())
}

/// The call number an answer's arg3 carries, if it has one.
fn number_in(body: &[u8]) -> Option<u64> {
    body.get(..8)
        .map(|b| u64::from_be_bytes(b.try_into().expect("8 bytes")))
}

/// The server process, shared by the controller (which kills and restarts it) and the
/// RSS sampler; `None` when the run is pointed at a server started elsewhere.
struct Server {
    child: Option<ChildServer>,
}

type SharedServer = Arc<Mutex<Server>>;

/// RSS of this process and of the server now.
fn sample(server: &SharedServer, calls_ended: u64) -> RssSample {
    let pid = server
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .child
        .as_ref()
        .map_or(0, ChildServer::pid);
    RssSample {
        calls_ended,
        client_kib: rss_kib("self"),
        server_kib: if pid == 0 {
            0
        } else {
            rss_kib(&pid.to_string())
        },
        server_pid: pid,
    }
}

fn server_command(cfg: &SoakConfig, listen: &str) -> Command {
    let mut cmd = Command::new(&cfg.exe);
    if let Some(t) = cfg.server_threads {
        cmd.args(["--threads", &t.to_string()]);
    }
    cmd.args(["server", "--listen", listen]);
    cmd
}

/// Starts the server on `listen`, retrying for a while if the port is not free yet.
fn start_server(cfg: &SoakConfig, listen: &str) -> Result<Server, String> {
    let mut last = String::new();
    for _ in 0..100 {
        match spawn_server("the server", server_command(cfg, listen)) {
            Ok(child) => return Ok(Server { child: Some(child) }),
            Err(e) => last = e,
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Err(format!("cannot start the server on {listen}: {last}"))
}

#[derive(Default)]
struct Tally {
    ok: u64,
    app_errors: u64,
    mismatched: u64,
    duplicated: u64,
    hung: u64,
    late: u64,
    max_call: Duration,
    examples: Vec<String>,
    phases: Vec<PhaseTally>,
}

struct PhaseTally {
    /// When calls started to end in this phase: just before the kill signal, so that
    /// every failure the kill causes lands in this phase.
    began: Instant,
    /// When the killed server had been reaped (its sockets closed); the start for phase 0.
    /// Recovery is the first OK answer to a call started after this.
    dead: Option<Instant>,
    started_before: u64,
    up: Option<Instant>,
    started_after_up: u64,
    recovered: Option<Instant>,
    ok: u64,
    errors: BTreeMap<&'static str, u64>,
    failed_before_recovery: u64,
}

impl PhaseTally {
    fn new(began: Instant, started_before: u64) -> Self {
        PhaseTally {
            began,
            dead: None,
            started_before,
            up: None,
            started_after_up: 0,
            recovered: None,
            ok: 0,
            errors: BTreeMap::new(),
            failed_before_recovery: 0,
        }
    }
}

impl Tally {
    fn example(&mut self, s: String) {
        if self.examples.len() < 10 {
            self.examples.push(s);
        }
    }
}

struct Shared {
    cfg: SoakConfig,
    hostport: String,
    next: AtomicU64,
    ended: AtomicU64,
    /// Set when every caller has returned.
    finished: AtomicBool,
    /// Index of the current phase (kills so far).
    phase: AtomicUsize,
    /// One bit per call number: its answer has been seen.
    answered: Vec<AtomicU64>,
    /// Faults applied so far (the server dead or frozen). A call numbered at or past the
    /// k-th fault's threshold waits until it is applied, so that every fault lands at its
    /// point of the run however briefly the run lasts.
    faults: tokio::sync::watch::Sender<usize>,
    tally: Mutex<Tally>,
}

impl Shared {
    /// Call number at which fault `k` (1-based) is applied.
    fn threshold(&self, k: usize) -> u64 {
        (u128::from(self.cfg.calls) * k as u128 / (self.cfg.restarts as u128 + 1)) as u64
    }

    /// Waits until every fault due before call `n` has been applied.
    async fn wait_for_faults(&self, n: u64) {
        let due = (1..=self.cfg.restarts)
            .take_while(|&k| self.threshold(k) <= n)
            .count();
        if due == 0 {
            return;
        }
        let mut rx = self.faults.subscribe();
        let _ = rx.wait_for(|&applied| applied >= due).await;
    }

    fn tally(&self) -> std::sync::MutexGuard<'_, Tally> {
        self.tally.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Marks call `n`'s answer as seen; true if it had been seen already.
    fn seen_before(&self, n: u64) -> bool {
        match self.answered.get((n / 64) as usize) {
            Some(word) => {
                let bit = 1u64 << (n % 64);
                word.fetch_or(bit, Ordering::Relaxed) & bit != 0
            }
            None => false,
        }
    }
}

/// Runs the soak: starts the server, makes the calls, restarts the server as configured,
/// and reports. Fails only when the run cannot be made (bad settings, the server does not
/// start, the first call fails); what goes wrong during the run is counted.
pub async fn run(cfg: &SoakConfig) -> Result<SoakReport, String> {
    if cfg.in_flight == 0 || cfg.calls == 0 {
        return Err("--calls and --in-flight must be at least 1".into());
    }
    if cfg.size < MIN_SIZE {
        return Err(format!(
            "--size {}: each body carries its call number and the seed, so at least {MIN_SIZE} bytes",
            cfg.size
        ));
    }
    let load_start = loadavg();
    let (server, hostport) = match &cfg.hostport {
        Some(hp) if cfg.restarts > 0 => {
            return Err(format!(
                "--restarts needs a server the soak started, not --hostport {hp}"
            ))
        }
        Some(hp) => (Server { child: None }, hp.clone()),
        None => {
            let c = cfg.clone();
            let server = tokio::task::spawn_blocking(move || start_server(&c, "127.0.0.1:0"))
                .await
                .map_err(|e| e.to_string())??;
            let hostport = server.child.as_ref().expect("started").addr.clone();
            (server, hostport)
        }
    };
    let server = Arc::new(Mutex::new(server));

    let ch = TChannel::builder("tchannel-bench-soak")
        .default_timeout(cfg.timeout)
        .build();
    // Connect and check the endpoint answers before the run (with a call number past
    // the run's, so it never collides with one of them).
    let (h, b) = request(cfg.seed, u64::MAX, cfg.size);
    let res = ch
        .raw(SERVICE, ENDPOINT)
        .hostport(&hostport)
        // However short the run's timeout, the connection gets made.
        .timeout(cfg.timeout.max(Duration::from_secs(5)))
        .headers(h.clone())
        .body(b.clone())
        .await
        .map_err(|e| format!("first call to {hostport} failed: {e}"))?;
    if !res.ok || res.headers != h || res.body != b {
        return Err(format!(
            "first call to {hostport} was not echoed (ok={}, {} bytes)",
            res.ok,
            res.body.len()
        ));
    }

    let began = Instant::now();
    let shared = Arc::new(Shared {
        cfg: cfg.clone(),
        hostport: hostport.clone(),
        next: AtomicU64::new(0),
        ended: AtomicU64::new(0),
        finished: AtomicBool::new(false),
        phase: AtomicUsize::new(0),
        faults: tokio::sync::watch::Sender::new(0),
        answered: (0..cfg.calls.div_ceil(64))
            .map(|_| AtomicU64::new(0))
            .collect(),
        tally: Mutex::new(Tally {
            phases: vec![PhaseTally {
                dead: Some(began),
                ..PhaseTally::new(began, 0)
            }],
            ..Tally::default()
        }),
    });
    // After the run's own bookkeeping (one bit per call) is allocated, so that start to
    // middle is what the calls cost.
    let rss_start = sample(&server, 0);
    let callers: Vec<_> = (0..cfg.in_flight)
        .map(|_| {
            let ch = ch.clone();
            let shared = shared.clone();
            tokio::spawn(async move { caller(ch, shared).await })
        })
        .collect();
    let controller = tokio::spawn(control(shared.clone(), server.clone()));
    let os_stall = {
        let shared = shared.clone();
        std::thread::spawn(move || {
            let mut worst = Duration::ZERO;
            while !shared.finished.load(Ordering::Acquire) {
                let t = std::time::Instant::now();
                std::thread::sleep(STALL_TICK);
                worst = worst.max(t.elapsed().saturating_sub(STALL_TICK));
            }
            worst
        })
    };
    let tokio_stall = {
        let shared = shared.clone();
        tokio::spawn(async move {
            let mut worst = Duration::ZERO;
            while !shared.finished.load(Ordering::Acquire) {
                let t = Instant::now();
                tokio::time::sleep(STALL_TICK).await;
                worst = worst.max(t.elapsed().saturating_sub(STALL_TICK));
            }
            worst
        })
    };

    let mut crashed = 0;
    for t in callers {
        if t.await.is_err() {
            crashed += 1;
        }
    }
    let finished = Instant::now();
    shared.finished.store(true, Ordering::Release);
    let os_stall_ms = os_stall.join().unwrap_or_default().as_secs_f64() * 1e3;
    let tokio_stall_ms = tokio_stall
        .await
        .map_or(0.0, |d: Duration| d.as_secs_f64() * 1e3);
    let rss_middle = controller.await.map_err(|e| e.to_string())??;
    let rss_end = sample(&server, shared.ended.load(Ordering::Relaxed));
    ch.close().await;
    drop(server);

    let started = shared.next.load(Ordering::Relaxed).min(cfg.calls);
    let ended = shared.ended.load(Ordering::Relaxed);
    let t = shared.tally();
    let duration = finished - began;
    let phases = t
        .phases
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let dead = p.dead.unwrap_or(p.began);
            let ms = |at: Option<Instant>| at.map(|at| (at - dead).as_secs_f64() * 1e3);
            Phase {
                phase: i,
                began_s: (dead - began).as_secs_f64(),
                started_before: p.started_before,
                down_ms: ms(p.up),
                recovered_ms: if i == 0 { None } else { ms(p.recovered) },
                started_after_up: p.started_after_up,
                ok: p.ok,
                errors: p.errors.iter().map(|(k, n)| (k.to_string(), *n)).collect(),
                failed_before_recovery: p.failed_before_recovery,
            }
        })
        .collect::<Vec<_>>();
    let mut errors = BTreeMap::new();
    for p in &phases {
        for (k, n) in &p.errors {
            *errors.entry(k.clone()).or_insert(0) += n;
        }
    }
    if crashed > 0 {
        eprintln!("tchannel-bench soak: {crashed} caller task(s) panicked");
    }
    Ok(SoakReport {
        settings: SoakSettings {
            calls: cfg.calls,
            in_flight: cfg.in_flight,
            size: cfg.size,
            timeout_ms: cfg.timeout.as_millis() as u64,
            watchdog_ms: cfg.watchdog.as_millis() as u64,
            late_slack_ms: cfg.late_slack.as_millis() as u64,
            restarts: cfg.restarts,
            fault: cfg.fault,
            outage_ms: cfg.outage.as_millis() as u64,
            seed: cfg.seed,
        },
        duration_s: duration.as_secs_f64(),
        calls_per_sec: ended as f64 / duration.as_secs_f64().max(1e-9),
        started,
        ended,
        ok: t.ok,
        errors,
        app_errors: t.app_errors,
        mismatched: t.mismatched,
        duplicated: t.duplicated,
        hung: t.hung,
        lost: started - ended.min(started),
        late: t.late,
        max_call_ms: t.max_call.as_secs_f64() * 1e3,
        examples: t.examples.clone(),
        rss_start,
        rss_middle,
        rss_end,
        phases,
        load_average: [load_start, loadavg()],
        os_stall_ms,
        tokio_stall_ms,
    })
}

/// One caller: takes the next call number, makes the call under a watchdog, checks and
/// counts the outcome, until every call has been started.
async fn caller(ch: TChannel, s: Arc<Shared>) {
    let cfg = &s.cfg;
    loop {
        let n = s.next.fetch_add(1, Ordering::Relaxed);
        if n >= cfg.calls {
            return;
        }
        s.wait_for_faults(n).await;
        let (headers, body) = request(cfg.seed, n, cfg.size);
        let call = ch
            .raw(SERVICE, ENDPOINT)
            .hostport(&s.hostport)
            .timeout(cfg.timeout)
            .headers(headers.clone())
            .body(body.clone());
        let start = Instant::now();
        let outcome = tokio::time::timeout(cfg.timeout + cfg.watchdog, call.into_future()).await;
        let end = Instant::now();
        let took = end - start;
        let phase = s.phase.load(Ordering::Acquire);
        let hung = outcome.is_err();
        let mut failed = false;
        let duplicate = match &outcome {
            Ok(Ok(res)) => number_in(&res.body).is_some_and(|m| s.seen_before(m)),
            _ => false,
        };
        {
            let mut t = s.tally();
            let p = &mut t.phases[phase];
            if p.up.is_some_and(|up| start >= up) {
                p.started_after_up += 1;
            }
            if duplicate {
                t.duplicated += 1;
                t.example(format!("call {n}: duplicated answer"));
            }
            match outcome {
                Err(_) => {
                    t.hung += 1;
                    t.example(format!(
                        "call {n}: no answer and no error after {} ms",
                        took.as_millis()
                    ));
                    failed = true;
                }
                Ok(Ok(res)) if !res.ok => {
                    t.app_errors += 1;
                    failed = true;
                }
                Ok(Ok(res)) if res.headers != headers || res.body != body => {
                    t.mismatched += 1;
                    let m = number_in(&res.body);
                    t.example(format!(
                        "call {n}: answer for {} ({} header bytes, {} body bytes)",
                        m.map_or("an unknown call".to_string(), |m| format!("call {m}")),
                        res.headers.len(),
                        res.body.len()
                    ));
                    failed = true;
                }
                Ok(Ok(_)) => {
                    t.ok += 1;
                    let p = &mut t.phases[phase];
                    p.ok += 1;
                    if p.recovered.is_none() && p.dead.is_some_and(|d| start >= d) {
                        p.recovered = Some(end);
                    }
                }
                Ok(Err(e)) => {
                    let p = &mut t.phases[phase];
                    *p.errors.entry(error_kind(&e)).or_insert(0) += 1;
                    if p.recovered.is_none() {
                        p.failed_before_recovery += 1;
                    }
                    failed = true;
                }
            }
            if !hung {
                t.max_call = t.max_call.max(took);
                if took > cfg.timeout + cfg.late_slack {
                    t.late += 1;
                    t.example(format!("call {n}: ended after {} ms", took.as_millis()));
                }
            }
        }
        if !hung {
            s.ended.fetch_add(1, Ordering::Release);
        }
        if failed && !cfg.error_pause.is_zero() {
            tokio::time::sleep(cfg.error_pause).await;
        }
    }
}

/// Kills and restarts the server at the thresholds and takes the middle RSS sample.
async fn control(s: Arc<Shared>, server: SharedServer) -> Result<RssSample, String> {
    let r = control_loop(&s, server).await;
    if r.is_err() {
        // Callers waiting for a fault that will not come must not wait forever.
        s.faults.send_replace(usize::MAX);
    }
    r
}

async fn control_loop(s: &Arc<Shared>, server: SharedServer) -> Result<RssSample, String> {
    let cfg = &s.cfg;
    let restarts = cfg.restarts;
    let mut done = 0;
    let mut middle = None;
    loop {
        let ended = s.ended.load(Ordering::Acquire);
        if middle.is_none() && ended >= cfg.calls.div_ceil(2) {
            middle = Some(sample(&server, ended));
        }
        let started = s.next.load(Ordering::Relaxed).min(cfg.calls);
        if done < restarts && started >= s.threshold(done + 1) {
            done += 1;
            restart(s, &server, done).await?;
            continue;
        }
        if done == restarts && (middle.is_some() || s.finished.load(Ordering::Acquire)) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    Ok(middle.unwrap_or_default())
}

/// Applies fault `k`: switches to a new phase, kills the server (or freezes it), records
/// when it is dead (reaped: the kernel has closed its sockets) or frozen and lets the calls
/// past the threshold go, then after the outage restarts the server on the same port (or
/// resumes it).
async fn restart(s: &Arc<Shared>, server: &SharedServer, k: usize) -> Result<(), String> {
    {
        let mut t = s.tally();
        t.phases
            .push(PhaseTally::new(Instant::now(), s.threshold(k)));
        s.phase.store(t.phases.len() - 1, Ordering::Release);
    }
    let fault = s.cfg.fault;
    let srv = server.clone();
    let killed = tokio::task::spawn_blocking(move || -> Result<Instant, String> {
        let mut srv = srv.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(child) = srv.child.as_mut() {
            match fault {
                Fault::Kill | Fault::Blackhole => child
                    .kill()
                    .map_err(|e| format!("cannot kill the server: {e}"))?,
                Fault::Stop => {
                    signal(child.pid(), "STOP")?;
                    // The signal is queued, not yet acted on: wait until every thread
                    // of the server has stopped, so the phase begins when it answers no more.
                    wait_stopped(child.pid())?;
                }
            }
        }
        Ok(Instant::now())
    })
    .await
    .map_err(|e| e.to_string())??;
    if let Some(p) = s.tally().phases.last_mut() {
        p.dead = Some(killed);
    }
    // The calls held back at the threshold go now, into the outage.
    s.faults.send_replace(k);
    let cfg = s.cfg.clone();
    let srv = server.clone();
    let hostport = s.hostport.clone();
    let up = tokio::task::spawn_blocking(move || -> Result<Instant, String> {
        if fault == Fault::Blackhole {
            let hole = bind_retrying(&hostport)?;
            std::thread::sleep(cfg.outage.saturating_sub(killed.elapsed()));
            drop(hole);
        }
        std::thread::sleep(cfg.outage.saturating_sub(killed.elapsed()));
        match fault {
            Fault::Kill | Fault::Blackhole => {
                let new = start_server(&cfg, &hostport)?;
                srv.lock().unwrap_or_else(|p| p.into_inner()).child = new.child;
            }
            Fault::Stop => {
                if let Some(child) = &srv.lock().unwrap_or_else(|p| p.into_inner()).child {
                    signal(child.pid(), "CONT")?;
                }
            }
        }
        Ok(Instant::now())
    })
    .await
    .map_err(|e| e.to_string())??;
    if let Some(p) = s.tally().phases.last_mut() {
        p.up = Some(up);
    }
    Ok(())
}

/// A listener on `hostport` that is never accepted from, retrying while the port is busy.
fn bind_retrying(hostport: &str) -> Result<std::net::TcpListener, String> {
    let mut last = None;
    for _ in 0..100 {
        match std::net::TcpListener::bind(hostport) {
            Ok(l) => return Ok(l),
            Err(e) => last = Some(e),
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Err(format!(
        "cannot listen on {hostport} for the blackhole: {}",
        last.map_or(String::new(), |e| e.to_string())
    ))
}

/// Waits (up to 5 s) until `/proc/<pid>/status` says the process is stopped.
fn wait_stopped(pid: u32) -> Result<(), String> {
    let path = format!("/proc/{pid}/status");
    let give_up = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        let status = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
        if status
            .lines()
            .any(|l| l.starts_with("State:") && l.contains("(stopped)"))
        {
            return Ok(());
        }
        if std::time::Instant::now() > give_up {
            return Err(format!("the server (pid {pid}) did not stop within 5 s"));
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Sends SIGSTOP or SIGCONT with the system's `kill` (no libc binding needed for two
/// signals).
fn signal(pid: u32, sig: &str) -> Result<(), String> {
    let status = Command::new("kill")
        .args([&format!("-{sig}"), &pid.to_string()])
        .status()
        .map_err(|e| format!("cannot run kill -{sig}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("kill -{sig} {pid} failed: {status}"))
    }
}
