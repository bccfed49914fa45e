//! `tchannel-bench`: servers to measure against and a TChannel/plain load generator.
//! Run `tchannel-bench --help`; `BENCHMARKS.md` has the commands and the numbers.

use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;
use tchannel_bench::compare::{self, CompareConfig};
use tchannel_bench::load::{self, LoadConfig, Target};
use tchannel_bench::server;
use tchannel_bench::soak::{self, SoakConfig};

#[derive(Parser)]
#[command(
    name = "tchannel-bench",
    about = "Load generator and servers for measuring tchannel-rs"
)]
struct Cli {
    /// Tokio worker threads (default: one per core; `compare`: 1 per process).
    #[arg(long, global = true)]
    threads: Option<usize>,
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Rust TChannel raw echo server: services `bench` and `interop`, endpoint `echo`.
    Server {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:0")]
        listen: String,
        /// Load shedding: inbound calls in flight on the channel past which a call is
        /// answered Busy (`max_channel_inbound_calls`).
        #[arg(long)]
        max_channel_inbound_calls: Option<usize>,
        /// Load shedding per service (`max_service_inbound_calls`, on each service).
        #[arg(long)]
        max_service_inbound_calls: Option<usize>,
        /// Simulated work: each call holds one of `--workers` places this many microseconds.
        #[arg(long)]
        work_us: Option<u64>,
        /// Places for `--work-us` (the server's capacity is workers / work).
        #[arg(long, default_value_t = 1)]
        workers: usize,
    },
    /// Plain tokio echo over the 16-byte-header framing (the ceiling): no TChannel logic.
    EchoServer {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:0")]
        listen: String,
    },
    /// Sends load to a server and prints one JSON line and one human line.
    Load {
        /// What kind of server.
        #[arg(long, value_enum)]
        target: TargetArg,
        /// The server's host:port.
        #[arg(long)]
        hostport: String,
        /// TChannel service.
        #[arg(long, default_value = "bench")]
        service: String,
        /// TChannel endpoint (raw).
        #[arg(long, default_value = "echo")]
        endpoint: String,
        /// Connections (tchannel: separate client channels).
        #[arg(long, default_value_t = 1)]
        connections: usize,
        /// Calls in flight per connection.
        #[arg(long, default_value_t = 100)]
        in_flight: usize,
        /// Payload bytes (tchannel: arg3; plain: frame payload).
        #[arg(long, default_value_t = 100)]
        size: usize,
        /// Measured seconds.
        #[arg(long, default_value_t = 10.0)]
        duration: f64,
        /// Seconds of load before measuring.
        #[arg(long, default_value_t = 2.0)]
        warmup: f64,
        /// Timeout of each call, seconds.
        #[arg(long, default_value_t = 5.0)]
        timeout: f64,
        /// tchannel: the client's `max_pending_per_peer`.
        #[arg(long)]
        max_pending_per_peer: Option<usize>,
    },
    /// Starts the Rust, plain and tchannel-node servers and loads each in turn: a Markdown table.
    Compare {
        /// Measured seconds per run.
        #[arg(long, default_value_t = 10.0)]
        duration: f64,
        /// Seconds of load before each run.
        #[arg(long, default_value_t = 2.0)]
        warmup: f64,
        /// Payload bytes.
        #[arg(long, default_value_t = 100)]
        size: usize,
        /// Calls in flight for the concurrent runs.
        #[arg(long, default_value_t = 100)]
        in_flight: usize,
        /// tchannel-node's `server.js` (default: `$TCHANNEL_PEERS_DIR/node/server.js`, else
        /// the workspace's `peers/node/server.js`).
        #[arg(long)]
        node_server: Option<PathBuf>,
        /// The node executable.
        #[arg(long, default_value = "node")]
        node: String,
        /// Leave tchannel-node out.
        #[arg(long)]
        skip_node: bool,
    },
    /// Starts `server` as a child and makes many raw calls with unique bodies through the
    /// Rust client, checking every echo byte for byte; optionally kills (SIGKILL) and
    /// restarts the server during the run. Prints a JSON line and a Markdown summary; exits
    /// non-zero when a call was lost, duplicated, mismatched or late, or calls did not
    /// succeed again after a restart. `RELIABILITY.md` has the commands and the figures.
    Soak {
        /// Calls to make.
        #[arg(long, default_value_t = 1_000_000)]
        calls: u64,
        /// Calls in flight (one connection).
        #[arg(long, default_value_t = 100)]
        in_flight: usize,
        /// arg3 bytes of each call (at least 16: call number and seed, then random bytes).
        #[arg(long, default_value_t = 100)]
        size: usize,
        /// Timeout of each call, seconds.
        #[arg(long, default_value_t = 2.0)]
        timeout: f64,
        /// Seconds past its timeout after which a call that has not ended counts as hung.
        #[arg(long, default_value_t = 1.0)]
        watchdog: f64,
        /// Seconds past its timeout a call may end before it counts as late.
        #[arg(long, default_value_t = 0.1)]
        late_slack: f64,
        /// Times to kill and restart the server during the run (evenly spaced by calls).
        #[arg(long, default_value_t = 0)]
        restarts: usize,
        /// What a restart does: kill (SIGKILL, then a new server on the same port), stop
        /// (SIGSTOP, then SIGCONT: connections stay open, nothing is answered meanwhile) or
        /// blackhole (SIGKILL, then a listener that never accepts for the outage: connects
        /// succeed, handshakes are never answered; then a new server).
        #[arg(long, value_enum, default_value_t = FaultArg::Kill)]
        fault: FaultArg,
        /// Seconds the server stays down at each restart.
        #[arg(long, default_value_t = 0.2)]
        outage: f64,
        /// Seconds a caller waits after a failed call before its next one.
        #[arg(long, default_value_t = 0.01)]
        error_pause: f64,
        /// Seed of the bodies' random bytes.
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// Tokio worker threads of the server process (default: one per core).
        #[arg(long)]
        server_threads: Option<usize>,
        /// Soak a server already running at this host:port instead of starting one (service
        /// `bench`, raw `echo`); no `--restarts` then.
        #[arg(long)]
        hostport: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum FaultArg {
    /// SIGKILL, then restart on the same port.
    Kill,
    /// SIGSTOP, then SIGCONT.
    Stop,
    /// SIGKILL, a listener that never accepts for the outage, then a new server.
    Blackhole,
}

#[derive(Clone, Copy, ValueEnum)]
enum TargetArg {
    /// A TChannel server, called with tchannel-runtime's client.
    Tchannel,
    /// The plain echo (`echo-server`).
    Plain,
    /// A TChannel server, sent pre-encoded call req frames (measures the server alone).
    Frames,
}

fn secs(s: f64, what: &str) -> Result<Duration, String> {
    Duration::try_from_secs_f64(s).map_err(|_| format!("--{what} {s}: not a duration"))
}

fn runtime(threads: Option<usize>) -> Result<tokio::runtime::Runtime, String> {
    let mut b = tokio::runtime::Builder::new_multi_thread();
    if let Some(n) = threads {
        b.worker_threads(n.max(1));
    }
    b.enable_all()
        .build()
        .map_err(|e| format!("tokio runtime: {e}"))
}

fn listening(addr: std::net::SocketAddr) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "listening on {addr}");
    let _ = out.flush();
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tchannel-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<(), String> {
    match cli.cmd {
        Cmd::Server {
            listen,
            max_channel_inbound_calls,
            max_service_inbound_calls,
            work_us,
            workers,
        } => runtime(cli.threads)?.block_on(async {
            let opts = server::ServerOptions {
                max_channel_inbound_calls,
                max_service_inbound_calls,
                work: work_us.map(std::time::Duration::from_micros),
                workers,
            };
            let (ch, addr) = server::start_tchannel_with(&listen, &opts)
                .await
                .map_err(|e| e.to_string())?;
            listening(addr);
            server::shutdown_signal(true).await;
            ch.close().await;
            Ok(())
        }),
        Cmd::EchoServer { listen } => runtime(cli.threads)?.block_on(async {
            let addr = server::start_plain(&listen)
                .await
                .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
            listening(addr);
            server::shutdown_signal(true).await;
            Ok(())
        }),
        Cmd::Load {
            target,
            hostport,
            service,
            endpoint,
            connections,
            in_flight,
            size,
            duration,
            warmup,
            timeout,
            max_pending_per_peer,
        } => {
            let target = match target {
                TargetArg::Tchannel => Target::Tchannel,
                TargetArg::Plain => Target::Plain,
                TargetArg::Frames => Target::Frames,
            };
            let cfg = LoadConfig {
                service,
                endpoint,
                connections,
                in_flight,
                size,
                duration: secs(duration, "duration")?,
                warmup: secs(warmup, "warmup")?,
                timeout: secs(timeout, "timeout")?,
                max_pending_per_peer,
                ..LoadConfig::new(target, hostport)
            };
            let report = runtime(cli.threads)?.block_on(load::run(&cfg))?;
            out(&format!("{}\n{}\n", report.json(), report.human()));
            Ok(())
        }
        Cmd::Compare {
            duration,
            warmup,
            size,
            in_flight,
            node_server,
            node,
            skip_node,
        } => {
            let node_server = if skip_node {
                None
            } else {
                match compare::find_node_server(node_server) {
                    Ok(p) => Some(p),
                    Err(e) => {
                        eprintln!("tchannel-bench: leaving tchannel-node out: {e}");
                        None
                    }
                }
            };
            let cfg = CompareConfig {
                duration: secs(duration, "duration")?,
                warmup: secs(warmup, "warmup")?,
                size,
                in_flight,
                exe: std::env::current_exe().map_err(|e| format!("own executable: {e}"))?,
                node_server,
                node,
                threads: cli.threads.unwrap_or(1),
            };
            let load_before = loadavg();
            let rows = compare::run(&cfg, |row| match &row.outcome {
                Ok(r) => {
                    out(&format!("{}\n", r.json()));
                    eprintln!("{}: {}", row.server, r.human());
                }
                Err(e) => eprintln!("{} ({} in flight): not run: {e}", row.server, row.in_flight),
            })?;
            out(&format!(
                "\n{} cores; {} tokio worker thread(s) per Rust process; load average before {load_before}, after {}; load generator and servers on this machine over loopback\n\n{}",
                std::thread::available_parallelism().map_or(0, |n| n.get()),
                cfg.threads,
                loadavg(),
                compare::markdown(&cfg, &rows)
            ));
            Ok(())
        }
        Cmd::Soak {
            calls,
            in_flight,
            size,
            timeout,
            watchdog,
            late_slack,
            restarts,
            fault,
            outage,
            error_pause,
            seed,
            server_threads,
            hostport,
        } => {
            let cfg = SoakConfig {
                server_threads,
                hostport,
                calls,
                in_flight,
                size,
                timeout: secs(timeout, "timeout")?,
                watchdog: secs(watchdog, "watchdog")?,
                late_slack: secs(late_slack, "late-slack")?,
                restarts,
                fault: match fault {
                    FaultArg::Kill => soak::Fault::Kill,
                    FaultArg::Stop => soak::Fault::Stop,
                    FaultArg::Blackhole => soak::Fault::Blackhole,
                },
                outage: secs(outage, "outage")?,
                error_pause: secs(error_pause, "error-pause")?,
                seed,
                ..SoakConfig::new(
                    std::env::current_exe().map_err(|e| format!("own executable: {e}"))?,
                )
            };
            let report = runtime(cli.threads)?.block_on(soak::run(&cfg))?;
            out(&format!("{}\n\n{}", report.json(), report.markdown()));
            let failures = report.failures();
            if failures.is_empty() {
                Ok(())
            } else {
                Err(format!("soak failed: {}", failures.join("; ")))
            }
        }
    }
}

/// Writes to stdout, ignoring a closed pipe (`| head -1` must not panic).
fn out(s: &str) {
    let mut o = std::io::stdout().lock();
    let _ = o.write_all(s.as_bytes());
    let _ = o.flush();
}

/// The 1-minute load average, for the record.
fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "unknown".into())
}
