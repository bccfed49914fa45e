//! Runs every subcommand of `tchannel-bench` briefly and checks that what it prints parses,
//! so the binary never rots. No assertion here depends on how fast anything is.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;
use tchannel_bench::load::{self, LoadConfig, Target};
use tchannel_bench::stats::Report;

const EXE: &str = env!("CARGO_BIN_EXE_tchannel-bench");

/// A server subcommand running as a child process, killed on drop.
struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(subcommand: &str) -> Server {
    let mut child = Command::new(EXE)
        .args(["--threads", "1", subcommand, "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start tchannel-bench");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("{subcommand} printed {line:?}"))
        .to_string();
    Server { child, addr }
}

fn run(args: &[&str]) -> String {
    let Output {
        status,
        stdout,
        stderr,
    } = Command::new(EXE).args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&stderr);
    assert!(status.success(), "{args:?} failed: {stderr}");
    String::from_utf8(stdout).unwrap()
}

/// `load` prints a JSON line, then a human line.
fn load_output(out: &str) -> Report {
    let mut lines = out.lines();
    let report: Report = serde_json::from_str(lines.next().unwrap()).unwrap();
    let human = lines.next().unwrap();
    assert!(human.contains("calls/s"), "{human}");
    report
}

const BRIEF: [&str; 4] = ["--duration", "0.2", "--warmup", "0.05"];

#[test]
fn load_against_the_rust_server() {
    let server = start("server");
    for service in ["bench", "interop"] {
        let mut args = vec![
            "load",
            "--target",
            "tchannel",
            "--hostport",
            &server.addr,
            "--service",
            service,
            "--connections",
            "2",
            "--in-flight",
            "3",
            "--size",
            "70000", // fragmented across frames
        ];
        args.extend(BRIEF);
        let r = load_output(&run(&args));
        assert_eq!(r.settings.target, "tchannel");
        assert_eq!(r.settings.service, service);
        assert_eq!((r.settings.connections, r.settings.in_flight), (2, 3));
        assert_eq!(r.settings.size, 70000);
        assert_eq!(r.errors, 0);
    }
}

#[test]
fn frame_level_load_against_the_rust_server() {
    let server = start("server");
    let mut args = vec![
        "load",
        "--target",
        "frames",
        "--hostport",
        &server.addr,
        "--in-flight",
        "3",
    ];
    args.extend(BRIEF);
    let r = load_output(&run(&args));
    assert_eq!(r.settings.target, "frames");
    assert_eq!(r.errors, 0);
}

#[test]
fn load_against_the_plain_echo() {
    let server = start("echo-server");
    let mut args = vec![
        "load",
        "--target",
        "plain",
        "--hostport",
        &server.addr,
        "--connections",
        "2",
        "--in-flight",
        "5",
    ];
    args.extend(BRIEF);
    let r = load_output(&run(&args));
    assert_eq!(r.settings.target, "plain");
    assert_eq!((r.settings.connections, r.settings.in_flight), (2, 5));
    assert_eq!(r.errors, 0);
}

#[test]
fn load_fails_cleanly_without_a_server() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    drop(listener);
    let out = Command::new(EXE)
        .args(["load", "--target", "tchannel", "--hostport", &addr])
        .args(BRIEF)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains(&addr));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn load_in_process() {
    let (ch, addr) = tchannel_bench::server::start_tchannel("127.0.0.1:0")
        .await
        .unwrap();
    let plain = tchannel_bench::server::start_plain("127.0.0.1:0")
        .await
        .unwrap();
    for (target, addr) in [(Target::Tchannel, addr), (Target::Plain, plain)] {
        let cfg = LoadConfig {
            in_flight: 4,
            duration: Duration::from_millis(200),
            warmup: Duration::from_millis(50),
            ..LoadConfig::new(target, addr.to_string())
        };
        let r = load::run(&cfg).await.unwrap();
        assert_eq!(r.errors, 0, "{}", r.human());
        // The JSON line parses back to the same report. serde_json's default float parsing
        // may differ from the printed value in the last bit, so floats compare to 1e-12.
        let back: Report = serde_json::from_str(&r.json()).unwrap();
        assert_eq!(
            (back.settings.clone(), back.calls, back.errors),
            (r.settings.clone(), r.calls, r.errors)
        );
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0);
        for (a, b) in [
            (back.calls_per_sec, r.calls_per_sec),
            (back.p50_us, r.p50_us),
            (back.p99_us, r.p99_us),
            (back.p999_us, r.p999_us),
            (back.max_us, r.max_us),
            (back.mean_us, r.mean_us),
            (back.duration_s, r.duration_s),
        ] {
            assert!(close(a, b), "{a} != {b}");
        }
    }
    ch.close().await;
}

#[test]
fn compare_prints_reports_and_a_table() {
    let node = tchannel_bench::compare::find_node_server(None);
    let mut args = vec!["compare", "--in-flight", "4"];
    args.extend(BRIEF);
    if let Err(e) = &node {
        eprintln!("compare without tchannel-node: {e}");
        args.push("--skip-node");
    }
    let out = run(&args);
    let (reports, table) = out.split_once("\n\n").expect("reports, then a blank line");
    let reports: Vec<Report> = reports
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(reports.len(), if node.is_ok() { 10 } else { 6 }, "{out}");
    assert!(reports.iter().all(|r| r.errors == 0), "{out}");
    let rows: Vec<&str> = table
        .lines()
        .filter(|l| l.starts_with("| 4 in flight") || l.starts_with("| 1 in flight"))
        .collect();
    assert_eq!(rows.len(), 10, "{out}");
    assert!(table.contains("| target (issue 2) |"), "{out}");
}
