//! `compare`: the Rust TChannel server, the tchannel-node server and the plain echo under
//! the same load, one after another, as a Markdown table.
//!
//! Each TChannel server is loaded twice: by the Rust client (`tchannel-runtime`'s call API,
//! the headline numbers), and by the frame-level generator (pre-encoded call req frames,
//! [`Target::Frames`]), which shows what the server costs without the client.
//!
//! Each server runs in its own child process (the Rust ones are this binary's `server` and
//! `echo-server`), so the load generator in this process never shares a runtime with the
//! server it measures.

use crate::load::{self, LoadConfig, Target};
use crate::stats::Report;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::Duration;

/// Settings of a comparison.
#[derive(Debug, Clone)]
pub struct CompareConfig {
    /// Measured window of each run.
    pub duration: Duration,
    /// Warmup before each run.
    pub warmup: Duration,
    /// arg3 / payload bytes.
    pub size: usize,
    /// Calls in flight for the concurrent runs (the other runs use 1).
    pub in_flight: usize,
    /// The `tchannel-bench` binary that serves `server` and `echo-server`.
    pub exe: PathBuf,
    /// `peers/node/server.js`, or `None` to leave tchannel-node out.
    pub node_server: Option<PathBuf>,
    /// The `node` executable.
    pub node: String,
    /// Tokio worker threads of the load generator and of each Rust server. On the 2-core
    /// machine the numbers were taken on, 1 each does best (each process gets a core).
    pub threads: usize,
}

/// Where the tchannel-node server is: `explicit` if given, else
/// `$TCHANNEL_PEERS_DIR/node/server.js`, else the workspace's `peers/node/server.js`.
/// Fails with what to do when it or its `node_modules/tchannel` is missing.
pub fn find_node_server(explicit: Option<PathBuf>) -> Result<PathBuf, String> {
    let path = explicit.unwrap_or_else(|| {
        let peers = std::env::var_os("TCHANNEL_PEERS_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../peers"));
        peers.join("node/server.js")
    });
    if !path.is_file() {
        return Err(format!("{} not found", path.display()));
    }
    let modules = path
        .parent()
        .and_then(Path::parent)
        .map(|p| p.join("node_modules/tchannel"));
    if !modules.is_some_and(|m| m.is_dir()) {
        return Err(format!(
            "{}: tchannel-node is not installed beside it (run tools/install-peers.sh)",
            path.display()
        ));
    }
    Ok(path)
}

/// A server in a child process, killed when dropped.
pub(crate) struct ChildServer {
    child: Child,
    pub(crate) addr: String,
    // Kept open: the child may not expect a closed stdout.
    _stdout: Option<ChildStdout>,
}

impl ChildServer {
    /// The child's process id.
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Kills the child with SIGKILL (no chance to close its sockets cleanly) and reaps it.
    pub(crate) fn kill(&mut self) -> std::io::Result<()> {
        self.child.kill()?;
        self.child.wait().map(|_| ())
    }
}

impl Drop for ChildServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `cmd` and waits for its `listening on HOST:PORT` line on stdout.
pub(crate) fn spawn_server(what: &str, mut cmd: Command) -> Result<ChildServer, String> {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot start {what}: {e}"))?;
    let stdout = child.stdout.take().expect("piped");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        let r = reader.read_line(&mut line).map(|_| line);
        let _ = tx.send((r, reader.into_inner()));
    });
    let mut server = ChildServer {
        child,
        addr: String::new(),
        _stdout: None,
    };
    let (line, stdout) = rx
        .recv_timeout(Duration::from_secs(30))
        .map_err(|_| format!("{what} printed no `listening on` line within 30 s"))?;
    server._stdout = Some(stdout);
    let line = line.map_err(|e| format!("reading {what}'s stdout: {e}"))?;
    server.addr = line
        .trim()
        .strip_prefix("listening on ")
        .ok_or_else(|| format!("{what} printed {line:?}, not `listening on HOST:PORT`"))?
        .to_string();
    Ok(server)
}

/// One line of the table.
#[derive(Debug, Clone)]
pub struct Row {
    /// Calls in flight on the one connection.
    pub in_flight: usize,
    /// Which server.
    pub server: &'static str,
    /// The run's report, or why there is none.
    pub outcome: Result<Report, String>,
}

const RUST: &str = "Rust tchannel-runtime server";
const NODE: &str = "tchannel-node 4.0.1 server";
const PLAIN: &str = "plain tokio echo (ceiling)";
const RUST_FRAMES: &str = "Rust server, frame-level generator";
const NODE_FRAMES: &str = "tchannel-node server, frame-level generator";

/// Runs the comparison. Each finished run's report is passed to `progress` as it
/// completes; the rows come back in the order of the table.
pub fn run(cfg: &CompareConfig, mut progress: impl FnMut(&Row)) -> Result<Vec<Row>, String> {
    let mut rust_cmd = Command::new(&cfg.exe);
    let threads = cfg.threads.max(1).to_string();
    rust_cmd.args(["--threads", &threads, "server", "--listen", "127.0.0.1:0"]);
    let rust = spawn_server("the Rust server", rust_cmd)?;
    let mut plain_cmd = Command::new(&cfg.exe);
    plain_cmd.args([
        "--threads",
        &threads,
        "echo-server",
        "--listen",
        "127.0.0.1:0",
    ]);
    let plain = spawn_server("the plain echo server", plain_cmd)?;
    let node = match &cfg.node_server {
        Some(path) => {
            let mut node_cmd = Command::new(&cfg.node);
            node_cmd
                .arg(path)
                .args(["--host", "127.0.0.1", "--port", "0"]);
            spawn_server("the tchannel-node server", node_cmd)
        }
        None => Err("tchannel-node server not configured".to_string()),
    };

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cfg.threads.max(1))
        .enable_all()
        .build()
        .map_err(|e| format!("tokio runtime: {e}"))?;
    let mut rows = Vec::new();
    for in_flight in [cfg.in_flight, 1] {
        let node_addr = node
            .as_ref()
            .map(|s| s.addr.as_str())
            .map_err(|e| e.as_str());
        let servers: [(&'static str, Target, Result<&str, &str>); 5] = [
            (RUST, Target::Tchannel, Ok(rust.addr.as_str())),
            (NODE, Target::Tchannel, node_addr),
            (PLAIN, Target::Plain, Ok(plain.addr.as_str())),
            (RUST_FRAMES, Target::Frames, Ok(rust.addr.as_str())),
            (NODE_FRAMES, Target::Frames, node_addr),
        ];
        for (server, target, addr) in servers {
            let outcome = match addr {
                Ok(addr) => {
                    let mut lc = LoadConfig::new(target, addr);
                    // The interop peers' service name, so the frames are byte for byte the
                    // same for both TChannel servers.
                    lc.service = "interop".into();
                    lc.in_flight = in_flight;
                    lc.size = cfg.size;
                    lc.duration = cfg.duration;
                    lc.warmup = cfg.warmup;
                    rt.block_on(load::run(&lc))
                }
                Err(why) => Err(why.to_string()),
            };
            let row = Row {
                in_flight,
                server,
                outcome,
            };
            progress(&row);
            rows.push(row);
        }
    }
    drop((rust, plain, node));
    Ok(rows)
}

fn find<'a>(rows: &'a [Row], in_flight: usize, server: &str) -> Option<&'a Report> {
    rows.iter()
        .find(|r| r.in_flight == in_flight && r.server == server)
        .and_then(|r| r.outcome.as_ref().ok())
}

/// The table of rows, then the targets of issue 2 with met / not met.
pub fn markdown(cfg: &CompareConfig, rows: &[Row]) -> String {
    let mut s = String::new();
    s.push_str(&format!(
        "| load: 1 connection, {}-byte payload | server | calls/s | p50 (µs) | p99 (µs) | p99.9 (µs) | errors |\n",
        cfg.size
    ));
    s.push_str("|---|---|---:|---:|---:|---:|---:|\n");
    for r in rows {
        let load = if r.in_flight == 1 {
            "1 in flight (sequential)".to_string()
        } else {
            format!("{} in flight", r.in_flight)
        };
        match &r.outcome {
            Ok(rep) => s.push_str(&format!(
                "| {load} | {} | {:.0} | {:.0} | {:.0} | {:.0} | {} |\n",
                r.server, rep.calls_per_sec, rep.p50_us, rep.p99_us, rep.p999_us, rep.errors
            )),
            Err(e) => s.push_str(&format!(
                "| {load} | {} | not run: {} | | | | |\n",
                r.server,
                e.replace('|', "/")
            )),
        }
    }
    s.push('\n');
    s.push_str("| target (issue 2) | measured | |\n|---|---|---|\n");
    let n = cfg.in_flight;
    let ratio = |a: Option<f64>, b: Option<f64>| a.zip(b).map(|(a, b)| a / b);
    let verdict = |r: Option<f64>, ok: &dyn Fn(f64) -> bool| match r {
        Some(r) if ok(r) => "**met**",
        Some(_) => "**not met**",
        None => "not measured",
    };
    let fmt = |r: Option<f64>| r.map_or("n/a".to_string(), |r| format!("{r:.2}x"));
    let cps = |inf, srv| find(rows, inf, srv).map(|r| r.calls_per_sec);
    let p50 = |inf, srv| find(rows, inf, srv).map(|r| r.p50_us);

    let r = ratio(cps(n, RUST), cps(n, NODE));
    s.push_str(&format!(
        "| Rust server calls/s >= 5x tchannel-node's ({n} in flight) | {} | {} |\n",
        fmt(r),
        verdict(r, &|r| r >= 5.0)
    ));
    let r = ratio(cps(n, RUST), cps(n, PLAIN));
    s.push_str(&format!(
        "| Rust server calls/s >= 0.5x plain echo's ({n} in flight) | {} | {} |\n",
        fmt(r),
        verdict(r, &|r| r >= 0.5)
    ));
    let r = ratio(p50(1, RUST), p50(1, PLAIN));
    s.push_str(&format!(
        "| Rust server p50 <= 1.5x plain echo's (1 in flight) | {} | {} |\n",
        fmt(r),
        verdict(r, &|r| r <= 1.5)
    ));
    let r = ratio(cps(1, RUST), cps(1, NODE));
    s.push_str(&format!(
        "| (for information) Rust server calls/s vs tchannel-node's (1 in flight) | {} | |\n",
        fmt(r)
    ));
    let r = ratio(cps(n, RUST_FRAMES), cps(n, NODE_FRAMES));
    s.push_str(&format!(
        "| (for information) the same, frame-level generator ({n} in flight) | {} | |\n",
        fmt(r)
    ));
    let r = ratio(cps(n, RUST_FRAMES), cps(n, PLAIN));
    s.push_str(&format!(
        "| (for information) Rust server vs plain echo, frame-level generator ({n} in flight) | {} | |\n",
        fmt(r)
    ));
    s
}
