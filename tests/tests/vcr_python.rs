//! tchannel-vcr against tchannel-python 2.1.0's own VCR (`tchannel.testing.vcr`), both ways:
//! a cassette python records against a live tchannel-python server replays in Rust with the
//! server gone, and a cassette Rust records replays under python's VCR.
//!
//! Python's side is `peers/python/vcr_client.py`: the interop client run inside
//! `vcr.use_cassette(path, record_mode)`.

use keyvalue::service::key_value::GetValueError;
use keyvalue::service::KeyValueClient;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;
use tchannel_runtime::scheme::HeaderMap;
use tchannel_tests::{peers_dir, Peer, PeerServer};
use tchannel_vcr::{is_unmatched, use_cassette, RecordMode};
use tokio::io::AsyncWriteExt;

/// A fresh directory for one test's cassettes, under cargo's per-test temporary folder.
fn cassette_dir(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("vcr_python")
        .join(format!("{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `calls` under tchannel-python's VCR; returns one result per call and the cassette's
/// summary (`play_count`, `record_mode`, `existed`).
async fn python_vcr(
    cassette: &Path,
    mode: &str,
    hostport: &str,
    calls: &Value,
) -> (Vec<Value>, Value) {
    let dir = peers_dir();
    let mut child = tokio::process::Command::new(dir.join(".venv/bin/python"))
        .arg(dir.join("python/vcr_client.py"))
        .args([
            "--cassette",
            cassette.to_str().unwrap(),
            "--record-mode",
            mode,
        ])
        .args(["--hostport", hostport])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("python runs");
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(calls.to_string().as_bytes()).await.unwrap();
    drop(stdin);
    let out = tokio::time::timeout(Duration::from_secs(120), child.wait_with_output())
        .await
        .expect("vcr_client.py finished within 120s")
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "vcr_client.py failed: {stderr}");
    let mut lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}\n{stderr}")))
        .collect();
    let summary = lines.pop().expect("a summary line")["cassette"].clone();
    assert_eq!(lines.len(), calls.as_array().unwrap().len(), "{stderr}");
    (lines, summary)
}

/// Stops the server and waits until its port refuses connections.
async fn stop(server: PeerServer) -> String {
    let hostport = server.hostport.clone();
    drop(server);
    for _ in 0..200 {
        if tokio::net::TcpStream::connect(&hostport).await.is_err() {
            return hostport;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the server at {hostport} did not stop");
}

fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[tokio::test]
async fn a_cassette_python_recorded_replays_in_rust_with_the_server_stopped() {
    let dir = cassette_dir("python-records");
    let path = dir.join("kv.yaml");
    let server = PeerServer::start(Peer::Python, "interop", &[]).await;
    let calls = json!([
        {"scheme": "thrift", "method": "setValue", "args": {"key": "k", "value": "v1"}},
        {"scheme": "thrift", "method": "getValue", "args": {"key": "k"}},
        {"scheme": "thrift", "method": "setValue", "args": {"key": "k", "value": "v2"}},
        {"scheme": "thrift", "method": "getValue", "args": {"key": "k"}},
        {"scheme": "thrift", "method": "getValue", "args": {"key": "missing"}},
        {"scheme": "thrift", "method": "getValue", "args": {"key": "k"}, "app_headers": {"h": "1"}},
        {"scheme": "json", "endpoint": "add", "arg3": {"a": 1, "b": 2}},
        {"scheme": "json", "endpoint": "notok", "arg2": {"x": "y"}, "arg3": {"a": 1}},
        {"scheme": "raw", "endpoint": "echo", "arg2": "0102", "arg3": "ff00"},
        {"scheme": "raw", "endpoint": "busy"},
    ]);
    let (py, summary) = python_vcr(&path, "once", &server.hostport, &calls).await;
    assert_eq!(
        summary,
        json!({"play_count": 0, "record_mode": "once", "existed": false})
    );
    assert_eq!(py[1]["body"], "v1", "{}", py[1]);
    assert_eq!(py[9]["error"]["type"], "busy", "{}", py[9]);
    let recorded = std::fs::read(&path).expect("python wrote the cassette");
    let hostport = stop(server).await;

    let cassette = use_cassette(&path, RecordMode::Once).unwrap();
    assert!(cassette.existed() && !cassette.can_record());
    let ch = cassette
        .channel_builder("interop-client")
        .known_peers([hostport.as_str()])
        .build();

    // Thrift, through the generated client: the same answers python got.
    let kv = KeyValueClient::new(ch.thrift_client("interop"));
    kv.set_value("k", "v1").await.unwrap();
    assert_eq!(kv.get_value("k").await.unwrap(), py[1]["body"]);
    kv.set_value("k", "v2").await.unwrap();
    assert_eq!(kv.get_value("k").await.unwrap(), py[3]["body"]);
    let err = kv.get_value("missing").await.unwrap_err();
    match err.exception() {
        Some(GetValueError::NotFound(nf)) => assert_eq!(nf.key, py[4]["body"]["key"]),
        other => panic!("expected notFound, got {other:?} ({err})"),
    }
    let kv_h = KeyValueClient::new(ch.thrift_client("interop").headers(headers(&[("h", "1")])));
    let reply = kv_h.get_value("k").with_response().await.unwrap();
    assert_eq!(reply.value, py[5]["body"]);
    assert_eq!(json!(reply.headers), py[5]["headers"]);

    // json: python sent `{"a": 1, "b": 2}`, Rust sends `{"a":1,"b":2}`: equal JSON, a match.
    let add = ch
        .json("interop", "add")
        .body(json!({"a": 1, "b": 2}))
        .await
        .unwrap();
    assert!(add.ok);
    assert_eq!(add.body, py[6]["body"]);
    let notok = ch
        .json("interop", "notok")
        .headers(headers(&[("x", "y")]))
        .body(json!({"a": 1}))
        .await
        .unwrap();
    assert!(!notok.ok);
    assert_eq!(notok.body, py[7]["body"]);
    assert_eq!(json!(notok.headers), py[7]["headers"]);

    // raw
    let echo = ch
        .raw("interop", "echo")
        .headers(&b"\x01\x02"[..])
        .body(&b"\xff\x00"[..])
        .await
        .unwrap();
    assert_eq!(hex::encode(&echo.headers), py[8]["arg2_hex"]);
    assert_eq!(hex::encode(&echo.body), py[8]["arg3_hex"]);

    // tchannel-python 2.1.0 records no error frame: the busy call is not in its cassette.
    let err = ch.raw("interop", "busy").await.unwrap_err();
    assert!(is_unmatched(&err), "{err}");

    assert_eq!(cassette.play_count(), 9);
    drop(cassette);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        recorded,
        "replaying wrote nothing"
    );
}

#[tokio::test]
async fn a_cassette_rust_recorded_replays_under_python() {
    let dir = cassette_dir("rust-records");
    let path = dir.join("kv.yaml");
    let server = PeerServer::start(Peer::Python, "interop", &[]).await;
    let busy_message;
    {
        let cassette = use_cassette(&path, RecordMode::Once).unwrap();
        let ch = cassette
            .channel_builder("interop-client")
            .known_peers([server.hostport.as_str()])
            .build();
        let kv = KeyValueClient::new(ch.thrift_client("interop"));
        kv.set_value("k", "v1").await.unwrap();
        assert_eq!(kv.get_value("k").await.unwrap(), "v1");
        assert!(kv
            .get_value("missing")
            .await
            .unwrap_err()
            .exception()
            .is_some());
        let kv_h = KeyValueClient::new(ch.thrift_client("interop").headers(headers(&[("h", "1")])));
        assert_eq!(kv_h.get_value("k").await.unwrap(), "v1");
        // A body both serialize alike (python's json.dumps spaces out objects and lists, and
        // its VCR matches json bodies byte for byte).
        let echo = ch
            .json("interop", "echo")
            .body(json!("hello"))
            .await
            .unwrap();
        assert_eq!(echo.body, json!("hello"));
        let raw = ch
            .raw("interop", "echo")
            .headers(&b"\x01\x02"[..])
            .body(&b"\xff\x00"[..])
            .await
            .unwrap();
        assert_eq!(raw.body, &b"\xff\x00"[..]);
        let busy = ch.raw("interop", "busy").await.unwrap_err();
        assert!(busy.is_busy(), "{busy}");
        busy_message = busy.message().to_string();
        assert_eq!(cassette.recorded_count(), 7);
    }
    let hostport = stop(server).await;

    let calls = json!([
        {"scheme": "thrift", "method": "setValue", "args": {"key": "k", "value": "v1"}},
        {"scheme": "thrift", "method": "getValue", "args": {"key": "k"}},
        {"scheme": "thrift", "method": "getValue", "args": {"key": "missing"}},
        {"scheme": "thrift", "method": "getValue", "args": {"key": "k"}, "app_headers": {"h": "1"}},
        {"scheme": "json", "endpoint": "echo", "arg3": "hello"},
        {"scheme": "raw", "endpoint": "echo", "arg2": "0102", "arg3": "ff00"},
        {"scheme": "raw", "endpoint": "busy"},
    ]);
    let (py, summary) = python_vcr(&path, "none", &hostport, &calls).await;
    assert_eq!(
        summary,
        json!({"play_count": 7, "record_mode": "none", "existed": true})
    );
    assert_eq!(py[0]["ok"], true, "{}", py[0]);
    assert_eq!(py[1]["body"], "v1", "{}", py[1]);
    assert_eq!(py[2]["exception"], "notFound", "{}", py[2]);
    assert_eq!(py[2]["body"], json!({"key": "missing"}));
    assert_eq!(py[3]["body"], "v1", "{}", py[3]);
    assert_eq!(py[3]["headers"], json!({"h": "1"}));
    assert_eq!(py[4]["body"], "hello", "{}", py[4]);
    assert_eq!(py[5]["arg2_hex"], "0102", "{}", py[5]);
    assert_eq!(py[5]["arg3_hex"], "ff00");
    // Our error-frame extension is ignored by python: it replays as an application error
    // whose body is the message.
    assert_eq!(py[6]["code"], 1, "{}", py[6]);
    assert_eq!(py[6]["arg3_hex"], hex::encode(busy_message.as_bytes()));
}

/// Text PyYAML would read as something else (numbers, dates, booleans, null, indicators) or
/// cannot write plain (non-ASCII, control characters) is quoted so PyYAML reads back the
/// same strings, in names and in our error-frame messages.
#[tokio::test]
async fn pyyaml_reads_back_every_string_rust_writes() {
    let names = [
        "a: b",
        "#x",
        "x #y",
        "2001-12-14",
        "1e3",
        "true",
        "",
        " lead",
        "trail ",
        "it's",
        "é\u{1F600}\n\t\"\\",
        "-",
        "?x",
        "a:b",
        "[x]",
        "{x}",
        "~",
        "null",
        "0x1F",
        ".5",
        "yes",
        "x\u{0}y",
        "&a",
        "*a",
        "!t",
        "%p",
        "@x",
        "`x",
        "|",
        ">",
    ];
    let interactions: Vec<_> = names
        .iter()
        .map(|n| tchannel_vcr::Interaction {
            request: tchannel_vcr::RecordedRequest::new(*n, *n, tchannel_vcr::ArgScheme::Raw),
            response: tchannel_vcr::RecordedResponse::error(tchannel_runtime::ErrorCode::Busy, *n),
        })
        .collect();
    let path = cassette_dir("strings").join("strings.yaml");
    std::fs::write(&path, tchannel_vcr::cassette_yaml(&interactions)).unwrap();
    let script = "import json, sys, yaml\n\
        d = yaml.load(open(sys.argv[1]).read(), Loader=yaml.FullLoader)\n\
        print(json.dumps([[i['request']['serviceName'], i['request']['endpoint'],\n\
                           i['response']['error']['message']] for i in d['interactions']]))\n";
    let out = tokio::process::Command::new(peers_dir().join(".venv/bin/python"))
        .args(["-c", script, path.to_str().unwrap()])
        .output()
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let read: Vec<[String; 3]> = serde_json::from_slice(&out.stdout).unwrap();
    let want: Vec<[String; 3]> = names
        .iter()
        .map(|n| [n.to_string(), n.to_string(), n.to_string()])
        .collect();
    assert_eq!(read, want);
}
