//! The real tchannel-node and tchannel-python clients calling our server.

use serde_json::{json, Value};
use tchannel_tests::{repeat, run_client, rust_interop_server, sha256_hex, Peer};

const SERVICE: &str = "interop";

fn hex(s: &str) -> String {
    ::hex::encode(s)
}

async fn basic_calls(peer: Peer) {
    let (_server, hp) = rust_interop_server(SERVICE).await;
    let calls = json!([
        {"endpoint": "echo", "arg2": hex("head"), "arg3": hex("body")},
        {"endpoint": "notok", "arg2": hex("h"), "arg3": hex("x")},
        {"endpoint": "unexpected", "arg3": hex("boom")},
        {"endpoint": "busy", "retry_flags": "n"},
        {"endpoint": "declined", "retry_flags": "n"},
        {"endpoint": "badrequest"},
        {"endpoint": "no_such_endpoint"},
        {"endpoint": "slow", "arg3": hex("2000"), "timeout_ms": 200},
        {"endpoint": "echo"},
        {"scheme": "json", "endpoint": "add", "arg2": {"k": "v"}, "arg3": {"a": 1, "b": 2}},
        {"scheme": "json", "endpoint": "echo", "arg3": {"list": [1, 2, 3]}},
        {"scheme": "json", "endpoint": "notok", "arg3": {"q": 1}},
        {"scheme": "json", "endpoint": "add", "arg3": {"a": "one", "b": 2}},
    ]);
    let r = run_client(peer, &hp, &calls, &[]).await;
    let ctx = |i: usize| format!("{peer:?} call {i}: {}", r[i]);

    assert_eq!(r[0]["ok"], true, "{}", ctx(0));
    assert_eq!(r[0]["arg2_hex"], hex("head"));
    assert_eq!(r[0]["arg3_hex"], hex("body"));
    assert_eq!(r[0]["transport_headers"]["as"], "raw", "{}", ctx(0));

    assert_eq!(r[1]["ok"], false, "{}", ctx(1));
    assert_eq!(r[1]["code"], 1, "{}", ctx(1));
    assert_eq!(r[1]["arg3_hex"], hex("x"));

    for (i, kind, code) in [
        (2, "unexpected", 5),
        (3, "busy", 3),
        (4, "declined", 4),
        (5, "bad_request", 6),
        (6, "bad_request", 6),
    ] {
        assert_eq!(r[i]["ok"], false, "{}", ctx(i));
        assert_eq!(r[i]["error"]["type"], kind, "{}", ctx(i));
        assert_eq!(r[i]["error"]["code"], code, "{}", ctx(i));
    }
    assert!(
        r[2]["error"]["message"].as_str().unwrap().contains("boom"),
        "{}",
        ctx(2)
    );
    assert!(
        r[6]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("no_such_endpoint"),
        "{}",
        ctx(6)
    );

    // A timeout: our server answers with a timeout error frame at the ttl (or the client
    // gives up first); either way the client reports a timeout.
    assert_eq!(r[7]["error"]["type"], "timeout", "{}", ctx(7));
    assert_eq!(r[8]["ok"], true, "{}", ctx(8));

    assert_eq!(r[9]["ok"], true, "{}", ctx(9));
    assert_eq!(r[9]["body"], json!({"sum": 3}));
    assert_eq!(r[9]["headers"], json!({"k": "v"}));
    assert_eq!(r[10]["body"], json!({"list": [1, 2, 3]}));
    assert_eq!(r[11]["ok"], false, "{}", ctx(11));
    assert_eq!(r[11]["body"]["type"], "interop.notok", "{}", ctx(11));
    // The typed `add` handler refuses a body of the wrong shape, naming the type.
    assert_eq!(r[12]["error"]["type"], "bad_request", "{}", ctx(12));
    assert_eq!(r[12]["error"]["code"], 6, "{}", ctx(12));
    let message = r[12]["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("json body is not a"), "{}", ctx(12));
}

#[tokio::test]
async fn node_client_basic_calls() {
    basic_calls(Peer::Node).await
}
#[tokio::test]
async fn python_client_basic_calls() {
    basic_calls(Peer::Python).await
}

/// Requests and responses of many sizes (our fragmenter writes the responses, theirs the
/// requests), with each checksum type the client can choose.
async fn fragmentation(peer: Peer) {
    let (_server, hp) = rust_interop_server(SERVICE).await;
    const P: usize = 65519;
    let mut sizes = vec![0usize, 1, 2, 3, 65_536, 1 << 20, 3 << 20];
    for base in [P - 110, P - 40, 2 * P - 55] {
        sizes.extend((base - 12..base + 12).step_by(1));
    }
    // tchannel-python has no per-call checksum option; its client program swaps the
    // library default, which only works for sequential calls.
    let csums = ["crc32c", "crc32", "none"];
    let mut calls = Vec::new();
    let mut expect = Vec::new();
    for csum in csums {
        for (i, &n) in sizes.iter().enumerate() {
            let (h, b) = if i % 2 == 0 { (n % 3000, n) } else { (n, 5) };
            calls.push(json!({
                "endpoint": "echo",
                "checksum": csum,
                "timeout_ms": 10000,
                "arg2_repeat": {"byte": "6162", "len": h},
                "arg3_repeat": {"byte": "30313233", "len": b},
            }));
            expect.push((csum, h, b));
        }
    }
    let r = run_client(peer, &hp, &Value::from(calls), &[]).await;
    let mut failures = Vec::new();
    for (res, (csum, h, b)) in r.iter().zip(&expect) {
        let ok = res["ok"] == true
            && res["arg2_len"] == *h
            && res["arg3_len"] == *b
            && res["arg2_sha256"] == sha256_hex(&repeat(b"ab", *h))
            && res["arg3_sha256"] == sha256_hex(&repeat(b"0123", *b));
        if !ok {
            failures.push(format!("{csum} arg2 {h} arg3 {b}: {res}"));
        }
    }
    assert!(failures.is_empty(), "{peer:?}: {failures:#?}");
}

#[tokio::test]
async fn node_client_fragmentation() {
    fragmentation(Peer::Node).await
}
#[tokio::test]
async fn python_client_fragmentation() {
    fragmentation(Peer::Python).await
}

/// tchannel-node's farmhash calls to our server: we verify each frame (fingerprint32 of its
/// last chunk, as Node computes it) and answer in farmhash, which Node verifies; sizes from
/// one frame to many in both directions.
#[tokio::test]
async fn node_client_farmhash() {
    let (_server, hp) = rust_interop_server(SERVICE).await;
    let sizes = [0usize, 1, 5, 13, 25, 65_000, 200_000, 1 << 20];
    let calls: Vec<Value> = sizes
        .iter()
        .map(|&n| {
            json!({
                "endpoint": "echo",
                "checksum": "farm32",
                "timeout_ms": 10000,
                "arg2_repeat": {"byte": "6162", "len": n % 7000},
                "arg3_repeat": {"byte": "30313233", "len": n},
            })
        })
        .collect();
    let r = run_client(Peer::Node, &hp, &Value::from(calls), &[]).await;
    for (res, &n) in r.iter().zip(&sizes) {
        assert_eq!(res["ok"], true, "{n}: {res}");
        assert_eq!(res["checksum_type"], 2, "answered in farmhash: {res}");
        assert_eq!(
            res["arg2_sha256"],
            sha256_hex(&repeat(b"ab", n % 7000)),
            "{n}"
        );
        assert_eq!(res["arg3_sha256"], sha256_hex(&repeat(b"0123", n)), "{n}");
    }
}

/// What our handler saw of their calls.
async fn inspect(peer: Peer) {
    let (_server, hp) = rust_interop_server(SERVICE).await;
    let calls = json!([
        {"endpoint": "inspect", "timeout_ms": 1500, "checksum": "crc32", "headers": {"sk": "shard-1"}, "caller": "their-client"},
        {"endpoint": "inspect", "checksum": "none"},
        {"endpoint": "inspect", "checksum": "crc32c", "headers": {"rd": "delegate"}},
    ]);
    let r = run_client(peer, &hp, &calls, &[]).await;
    let seen: Vec<Value> = r
        .iter()
        .map(|x| {
            let bytes = ::hex::decode(x["arg3_hex"].as_str().unwrap()).unwrap();
            serde_json::from_slice(&bytes).unwrap()
        })
        .collect();
    assert_eq!(seen[0]["caller_name"], "their-client");
    assert_eq!(seen[0]["transport_headers"]["sk"], "shard-1");
    assert_eq!(seen[0]["transport_headers"]["as"], "raw");
    let ttl = seen[0]["ttl_ms"].as_u64().unwrap();
    assert!((1000..=1500).contains(&ttl), "{ttl}");
    assert_eq!(seen[0]["checksum_type"], 1, "{}", seen[0]);
    assert_eq!(seen[1]["checksum_type"], 0, "{}", seen[1]);
    assert_eq!(seen[2]["checksum_type"], 3, "{}", seen[2]);
    assert_eq!(seen[2]["transport_headers"]["rd"], "delegate");
    // Both clients are ephemeral (node sends 0.0.0.0:0, python <ip>:0).
    let hp = seen[0]["remote_host_port"].as_str().unwrap();
    assert!(hp.ends_with(":0"), "{hp}");
}

#[tokio::test]
async fn node_client_inspect() {
    inspect(Peer::Node).await
}
#[tokio::test]
async fn python_client_inspect() {
    inspect(Peer::Python).await
}

#[tokio::test]
async fn node_client_ping_and_parallel_calls() {
    let (_server, hp) = rust_interop_server(SERVICE).await;
    let mut calls = vec![json!({"scheme": "ping"})];
    for i in 0..50 {
        calls.push(json!({"endpoint": "slow", "arg3": hex(&((50 - i) * 2).to_string())}));
    }
    let r = run_client(Peer::Node, &hp, &Value::from(calls), &["--parallel"]).await;
    assert_eq!(r[0]["ok"], true, "ping: {}", r[0]);
    for (i, res) in r.iter().enumerate().skip(1) {
        assert_eq!(res["ok"], true, "{res}");
        assert_eq!(res["arg3_hex"], hex(&((51 - i) * 2).to_string()), "{res}");
    }
}
