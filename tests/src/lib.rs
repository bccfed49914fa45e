//! Harness for the interop tests: starts the real peers (tchannel-node, tchannel-python,
//! Hyperbahn) as child processes on 127.0.0.1 ephemeral ports, drives their client programs,
//! and serves the same interop endpoints from Rust so their clients can call us.
//!
//! The peer programs and their JSON contract are described in `peers/README.md`;
//! `tools/install-peers.sh` installs them.

use bytes::Bytes;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::OnceLock;
use std::time::Duration;
use tchannel_runtime::{HandlerError, Json, Raw, Response, TChannel};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, Command};

/// Which real implementation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Peer {
    /// tchannel-node 4.0.1
    Node,
    /// tchannel-python 2.1.0
    Python,
}

/// What the interop tests need installed, each with the path (under the peers folder) that
/// shows it is: what `tools/install-peers.sh` installs.
pub const PEER_PARTS: &[(&str, &str)] = &[
    ("tchannel-node 4.0.1", "node_modules/tchannel"),
    ("Hyperbahn 2.20.1", "node_modules/hyperbahn"),
    ("Node's tcurl 4.23.1", "node_modules/.bin/tcurl"),
    (
        "tchannel-python 2.1.0 and jaeger-client (the Python venv)",
        ".venv/bin/python",
    ),
];

/// Whether every part of [`PEER_PARTS`] is installed under `dir` and `node` runs: `Err`
/// says what is missing and how to install it.
///
/// ```
/// let empty = std::env::temp_dir().join("no-peers-here");
/// let err = tchannel_tests::check_peers(&empty).unwrap_err();
/// assert!(err.contains("tools/install-peers.sh"));
/// ```
pub fn check_peers(dir: &Path) -> Result<(), String> {
    let mut missing: Vec<String> = PEER_PARTS
        .iter()
        .filter(|(_, path)| !dir.join(path).exists())
        .map(|(what, path)| format!("  {what}: {} does not exist", dir.join(path).display()))
        .collect();
    if let Err(e) = std::process::Command::new("node")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
    {
        missing.push(format!("  Node.js: `node --version` cannot run: {e}"));
    }
    if missing.is_empty() {
        return Ok(());
    }
    let from = if std::env::var_os("TCHANNEL_PEERS_DIR").is_some() {
        "$TCHANNEL_PEERS_DIR"
    } else {
        "the default; set TCHANNEL_PEERS_DIR to use another"
    };
    Err(format!(
        "this test runs against the real TChannel peers, and they are not installed in {} ({from}):\n\
         {}\n\
         Install them (Node.js, npm, Python 3 and apt-get needed; a few minutes the first time) with\n\
         \n    tools/install-peers.sh\n\n\
         or point TCHANNEL_PEERS_DIR at a folder where they are installed. README.md (\"Tests\") lists \
         the tests that need them; the others pass without.",
        dir.display(),
        missing.join("\n")
    ))
}

/// The peers folder: `$TCHANNEL_PEERS_DIR` or `<workspace>/peers`, checked to be installed
/// (once per test binary). A test that needs the peers fails here, never skips, with what is
/// missing and how to install it ([`check_peers`]).
pub fn peers_dir() -> PathBuf {
    static CHECKED: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let checked = CHECKED.get_or_init(|| {
        let dir = std::env::var_os("TCHANNEL_PEERS_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).with_file_name("peers"));
        check_peers(&dir).map(|()| dir)
    });
    match checked {
        Ok(dir) => dir.clone(),
        Err(why) => panic!("{why}"),
    }
}

impl Peer {
    fn program(self, role: &str) -> Command {
        let dir = peers_dir();
        match self {
            Peer::Node => {
                let mut c = Command::new("node");
                c.arg(dir.join(format!("node/{role}.js")));
                c
            }
            Peer::Python => {
                let mut c = Command::new(dir.join(".venv/bin/python"));
                c.arg(dir.join(format!("python/{role}.py")));
                c
            }
        }
    }
}

/// A running peer server (or router), killed when dropped.
pub struct PeerServer {
    /// `host:port` it listens on.
    pub hostport: String,
    _child: Child,
}

async fn start_listening(mut cmd: Command, what: &str) -> PeerServer {
    cmd.stdout(Stdio::piped())
        .stderr(Stdio::null())
        .stdin(Stdio::null())
        .kill_on_drop(true);
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {what}: {e}"));
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let line = tokio::time::timeout(Duration::from_secs(60), lines.next_line())
        .await
        .unwrap_or_else(|_| panic!("{what} did not start listening within 60s"))
        .unwrap()
        .unwrap_or_else(|| panic!("{what} exited before listening"));
    let hostport = line
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("{what} printed {line:?}"))
        .trim()
        .to_owned();
    // Keep draining stdout so the child never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    PeerServer {
        hostport,
        _child: child,
    }
}

impl PeerServer {
    /// Starts the peer's interop server for `service`, optionally advertised to routers.
    pub async fn start(peer: Peer, service: &str, advertise: &[&str]) -> PeerServer {
        let mut cmd = peer.program("server");
        cmd.args(["--service", service]);
        for r in advertise {
            cmd.args(["--advertise", r]);
        }
        start_listening(cmd, &format!("{peer:?} server")).await
    }

    /// Starts another server program of the peer, `peers/<node|python>/<role>.{js,py}`, with
    /// `args` (it prints `listening on HOST:PORT` as the interop server does).
    pub async fn start_role(peer: Peer, role: &str, args: &[&str]) -> PeerServer {
        let mut cmd = peer.program(role);
        cmd.args(args);
        start_listening(cmd, &format!("{peer:?} {role}")).await
    }

    /// Starts a real Hyperbahn router.
    pub async fn hyperbahn() -> PeerServer {
        Self::hyperbahn_on(0).await
    }

    /// Starts a real Hyperbahn router on `port` (0: ephemeral).
    pub async fn hyperbahn_on(port: u16) -> PeerServer {
        let mut cmd = Command::new("node");
        cmd.arg(peers_dir().join("hyperbahn/start.js"))
            .args(["--port", &port.to_string()]);
        start_listening(cmd, "hyperbahn").await
    }
}

/// Runs the peer's client program with `calls` against `hostport`; one result per call.
pub async fn run_client(peer: Peer, hostport: &str, calls: &Value, extra: &[&str]) -> Vec<Value> {
    let mut cmd = peer.program("client");
    cmd.args(["--hostport", hostport])
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let mut child = cmd.spawn().expect("client starts");
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(calls.to_string().as_bytes()).await.unwrap();
    drop(stdin);
    let mut err = String::new();
    let mut stderr = child.stderr.take().unwrap();
    let err_task = tokio::spawn(async move {
        let _ = stderr.read_to_string(&mut err).await;
        err
    });
    let out = tokio::time::timeout(Duration::from_secs(120), child.wait_with_output())
        .await
        .expect("client finished within 120s")
        .unwrap();
    let err = err_task.await.unwrap();
    assert!(out.status.success(), "{peer:?} client failed: {err}");
    let results: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect();
    let n = calls.as_array().map_or(1, |a| a.len());
    assert_eq!(results.len(), n, "one result per call; stderr: {err}");
    results
}

/// A tracing field as the peer programs report it: `span_id`, `parent_id`, `trace_id` in 16
/// hex digits, and `flags`.
pub fn tracing_json(t: &tchannel_runtime::frame::Tracing) -> Value {
    json!({
        "span_id": format!("{:016x}", t.span_id),
        "parent_id": format!("{:016x}", t.parent_id),
        "trace_id": format!("{:016x}", t.trace_id),
        "flags": t.flags,
    })
}

/// Lowercase hex SHA-256, as the peer clients report big args.
pub fn sha256_hex(b: &[u8]) -> String {
    hex::encode(Sha256::digest(b))
}

/// `n` bytes repeating `pattern`, as the peers' `*_repeat` options generate.
pub fn repeat(pattern: &[u8], n: usize) -> Bytes {
    pattern.iter().copied().cycle().take(n).collect()
}

fn message_or(req_body: &Bytes, default: &str) -> String {
    if req_body.is_empty() {
        default.to_owned()
    } else {
        String::from_utf8_lossy(req_body).into_owned()
    }
}

/// A Rust server with the same interop endpoints as the peers' servers (peers/README.md).
pub async fn rust_interop_server(service: &str) -> (TChannel, String) {
    let ch = TChannel::new(service);
    // `echo`, `notok` and `inspect` exist as raw and json: a raw handler takes any scheme,
    // and echoing bytes is the same in both.
    ch.register("echo", Raw, |req| async move {
        Ok(Response::new(req.body).with_headers(req.headers))
    });
    ch.register("notok", Raw, |req| async move {
        if req.transport.scheme == "json" {
            let request: Value = serde_json::from_slice(&req.body).unwrap_or(Value::Null);
            let body = json!({"type": "interop.notok", "message": "not ok requested by the caller", "request": request});
            return Ok(Response::app_error(Bytes::from(body.to_string())).with_headers(req.headers));
        }
        Ok(Response::app_error(req.body).with_headers(req.headers))
    });
    ch.register("unexpected", Raw, |req| async move {
        Err::<Response<Raw>, _>(HandlerError::unexpected(message_or(
            &req.body,
            "unexpected error requested by the caller",
        )))
    });
    ch.register("busy", Raw, |req| async move {
        Err::<Response<Raw>, _>(HandlerError::busy(message_or(
            &req.body,
            "busy requested by the caller",
        )))
    });
    ch.register("declined", Raw, |req| async move {
        Err::<Response<Raw>, _>(HandlerError::declined(message_or(
            &req.body,
            "declined requested by the caller",
        )))
    });
    ch.register("badrequest", Raw, |req| async move {
        Err::<Response<Raw>, _>(HandlerError::bad_request(message_or(
            &req.body,
            "bad request requested by the caller",
        )))
    });
    ch.register("slow", Raw, |req| async move {
        let ms: u64 = std::str::from_utf8(&req.body)
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(0);
        tokio::time::sleep(Duration::from_millis(ms)).await;
        Ok(Response::new(req.body).with_headers(req.headers))
    });
    // Typed JSON: a body that is not an `Add` is answered with a bad request.
    #[derive(serde::Deserialize)]
    struct Add {
        a: i64,
        b: i64,
    }
    #[derive(serde::Serialize)]
    struct Sum {
        sum: i64,
    }
    ch.register("add", Json, |req| async move {
        let add: Add = req.json()?;
        let sum = add.a.saturating_add(add.b);
        Ok(Response::from_json(&Sum { sum })?.with_headers(req.headers))
    });
    ch.register("inspect", Raw, |req| async move {
        let t = &req.transport;
        let headers: serde_json::Map<String, Value> = t
            .headers
            .iter()
            .map(|(k, v)| {
                (
                    String::from_utf8_lossy(k).into_owned(),
                    Value::from(String::from_utf8_lossy(v).into_owned()),
                )
            })
            .collect();
        let mut seen = json!({
            "peer": "rust",
            "service": t.service,
            "endpoint": req.endpoint,
            "caller_name": t.caller,
            "transport_headers": headers,
            "ttl_ms": t.ttl.as_millis() as u64,
            "checksum_type": t.checksum.code(),
            "retry_flags": t.retry_flags().as_header(),
            "tracing": {
                "span_id": format!("{:016x}", t.tracing.span_id),
                "parent_id": format!("{:016x}", t.tracing.parent_id),
                "trace_id": format!("{:016x}", t.tracing.trace_id),
                "flags": t.tracing.flags,
            },
            "remote_host_port": t.peer.host_port,
            "socket_remote_addr": t.peer.addr.to_string(),
        });
        if t.scheme == "json" {
            return Ok(Response::new(Bytes::from(seen.to_string())).with_headers(req.headers));
        }
        seen["arg2_hex"] = hex::encode(&req.headers).into();
        seen["arg3_len"] = req.body.len().into();
        Ok(Response::new(Bytes::from(seen.to_string())))
    });
    let addr = ch.listen("127.0.0.1:0").await.unwrap();
    (ch, addr.to_string())
}

/// Runs Node's tcurl with `args`; returns (exit code, stdout).
pub async fn tcurl(args: &[&str]) -> (i32, String) {
    let out = tokio::time::timeout(
        Duration::from_secs(60),
        Command::new(peers_dir().join("node_modules/.bin/tcurl"))
            .args(args)
            .stdin(Stdio::null())
            .output(),
    )
    .await
    .expect("tcurl finished")
    .expect("tcurl runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// The KeyValue IDL as the peers load it.
pub fn keyvalue_idl() -> String {
    peers_dir()
        .join("thrift/keyvalue.thrift")
        .display()
        .to_string()
}

/// Generated from `thrift/rich.thrift`.
#[allow(missing_docs)]
pub mod rich {
    tchannel_runtime::include_thrift!("rich");
}

/// Starts tchannel-node's echo server for every method of `idl` (peers/README.md `--thrift`).
pub async fn node_thrift_echo_server(service: &str, idl: &str) -> PeerServer {
    let mut cmd = Peer::Node.program("server");
    cmd.args(["--service", service, "--thrift", idl]);
    start_listening(cmd, "node thrift echo server").await
}

/// Starts `cmd` and waits for its `listening on HOST:PORT` line.
pub async fn listening(mut cmd: Command) -> (Child, String) {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stdin(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("the server starts");
    let mut out = BufReader::new(child.stdout.take().unwrap()).lines();
    let line = tokio::time::timeout(Duration::from_secs(60), out.next_line())
        .await
        .expect("listening within 60 s")
        .unwrap()
        .expect("a listening line");
    let hp = line.strip_prefix("listening on ").expect(&line).to_owned();
    tokio::spawn(async move { while let Ok(Some(_)) = out.next_line().await {} });
    (child, hp)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("tchannel-peers-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn missing_peers_are_named_with_the_install_command() {
        let dir = scratch("empty");
        let err = check_peers(&dir).unwrap_err();
        for (what, path) in PEER_PARTS {
            assert!(err.contains(what), "{err}");
            assert!(err.contains(&dir.join(path).display().to_string()), "{err}");
        }
        assert!(err.contains("\n    tools/install-peers.sh\n"), "{err}");
        assert!(err.contains("TCHANNEL_PEERS_DIR"), "{err}");
        // Only what is missing is listed.
        std::fs::create_dir_all(dir.join("node_modules/tchannel")).unwrap();
        let err = check_peers(&dir).unwrap_err();
        assert!(!err.contains("tchannel-node"), "{err}");
        assert!(err.contains("Hyperbahn"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn an_installed_peers_folder_passes() {
        let dir = scratch("installed");
        for (_, path) in PEER_PARTS {
            let p = dir.join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "").unwrap();
        }
        assert_eq!(check_peers(&dir), Ok(()));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
