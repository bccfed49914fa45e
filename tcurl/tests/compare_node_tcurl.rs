//! Our tcurl and Node's tcurl 4.23.1 make the same calls against Rust, Node and Python
//! servers; the results must agree (see tcurl/README.md for the documented differences in
//! the shape of the output and the exit codes).

mod common;
use common::{kv_idl, rust_server, tcurl};
use serde_json::{json, Value};
use tchannel_tests::{Peer, PeerServer};

/// Runs Node's tcurl; returns its exit code and stdout (parsed as JSON when it is JSON).
async fn node_tcurl(args: &[&str]) -> (i32, Value, String) {
    let mut all = args.to_vec();
    all.extend(["--timeout", "1000"]);
    let (code, out) = tchannel_tests::tcurl(&all).await;
    let parsed = serde_json::from_str(out.trim()).unwrap_or(Value::Null);
    (code, parsed, out)
}

async fn compare(hostport: &str, service: &str, peer: &str) {
    let kv = kv_idl();
    let thrift = |m: &'static str, body: &'static str, head: &'static str| {
        let (kv, hp, svc) = (kv.clone(), hostport.to_owned(), service.to_owned());
        async move {
            let args = [
                "-p",
                hp.as_str(),
                svc.as_str(),
                m,
                "-t",
                kv.as_str(),
                "-3",
                body,
                "-2",
                head,
            ];
            let ours = tcurl(&args).await;
            let node = node_tcurl(&[&args[..], &["--no-strict"]].concat()).await;
            (ours, node)
        }
    };

    // thrift, void
    let (ours, (ncode, node, _)) =
        thrift("KeyValue::setValue", r#"{"key":"c","value":"d"}"#, "{}").await;
    assert_eq!((ours.code, ncode), (0, 0), "{peer}: {ours:?} {node}");
    assert_eq!(ours.out["ok"], node["ok"], "{peer}");
    assert!(
        node.get("body").is_none(),
        "{peer}: Node prints no body for void"
    );
    assert_eq!(ours.out["body"], Value::Null);

    // thrift, a value, application headers echoed
    let (ours, (ncode, node, _)) =
        thrift("KeyValue::getValue", r#"{"key":"c"}"#, r#"{"h":"v"}"#).await;
    assert_eq!((ours.code, ncode), (0, 0), "{peer}: {ours:?} {node}");
    assert_eq!(ours.out["ok"], node["ok"], "{peer}");
    assert_eq!(ours.out["body"], node["body"], "{peer}");
    assert_eq!(ours.out["headers"], node["head"], "{peer}");
    assert_eq!(
        ours.out["transport_headers"]["as"], node["headers"]["as"],
        "{peer}"
    );

    // thrift, a declared exception
    let (ours, (ncode, node, _)) = thrift("KeyValue::getValue", r#"{"key":"zz"}"#, "{}").await;
    assert_eq!((ours.code, ncode), (1, 126), "{peer}: {ours:?} {node}");
    assert_eq!(ours.out["ok"], node["ok"], "{peer}");
    assert_eq!(ours.out["body"], node["body"], "{peer}");
    assert_eq!(ours.out["exception"], node["typeName"], "{peer}");

    // json
    let args = [
        "-p",
        hostport,
        service,
        "add",
        "-j",
        "-3",
        r#"{"a":1,"b":2}"#,
        "-2",
        r#"{"x":"y"}"#,
    ];
    let ours = tcurl(&args).await;
    let (ncode, node, _) = node_tcurl(&args).await;
    assert_eq!((ours.code, ncode), (0, 0), "{peer}: {ours:?} {node}");
    assert_eq!(ours.out["ok"], node["ok"]);
    assert_eq!(ours.out["body"], node["body"], "{peer}");
    assert_eq!(ours.out["headers"], node["head"], "{peer}");

    // raw: Node prints arg3 as it is
    let args = [
        "-p",
        hostport,
        service,
        "echo",
        "-r",
        "-2",
        "hd",
        "-3",
        "some body",
    ];
    let ours = tcurl(&args).await;
    let (ncode, _, text) = node_tcurl(&args).await;
    assert_eq!((ours.code, ncode), (0, 0), "{peer}: {ours:?}");
    assert_eq!(ours.out["body"], text, "{peer}");

    // health: Node prints OK
    let args = ["-p", hostport, service, "--health"];
    let ours = tcurl(&args).await;
    let (ncode, _, text) = node_tcurl(&args).await;
    assert_eq!((ours.code, ncode), (0, 0), "{peer}: {ours:?}");
    assert_eq!(text.trim(), "OK");
    assert_eq!(ours.out["body"]["ok"], true);

    // error frames: Node exits with the error code, we with 10 + the code
    for endpoint in ["nosuch", "busy", "declined", "unexpected", "badrequest"] {
        let args = ["-p", hostport, service, endpoint, "-r"];
        let ours = tcurl(&args).await;
        let (ncode, node, _) = node_tcurl(&args).await;
        assert_eq!(ours.code, ncode + 10, "{peer} {endpoint}: {ours:?} {node}");
        assert_eq!(
            ours.out["error"]["code"], node["errorCode"],
            "{peer} {endpoint}"
        );
        assert_eq!(
            ours.out["error"]["message"], node["message"],
            "{peer} {endpoint}"
        );
        assert_eq!(ours.out["ok"], node["ok"]);
    }
}

#[tokio::test]
async fn same_results_as_node_tcurl_on_a_rust_server() {
    let (_ch, addr) = rust_server("interop").await;
    compare(&addr, "interop", "rust").await;
}

#[tokio::test]
async fn same_results_as_node_tcurl_on_a_node_server() {
    let s = PeerServer::start(Peer::Node, "interop", &[]).await;
    compare(&s.hostport, "interop", "node").await;
}

#[tokio::test]
async fn same_results_as_node_tcurl_on_a_python_server() {
    let s = PeerServer::start(Peer::Python, "interop", &[]).await;
    compare(&s.hostport, "interop", "python").await;
}

#[tokio::test]
async fn same_results_as_node_tcurl_through_hyperbahn() {
    let router = PeerServer::hyperbahn().await;
    let rh = router.hostport.clone();
    let _node = PeerServer::start(Peer::Node, "node-svc", &[&rh]).await;
    compare(&rh, "node-svc", "node via hyperbahn").await;
    let args = ["-p", rh.as_str(), "no-such-service", "echo", "-r"];
    let ours = tcurl(&args).await;
    let (ncode, node, _) = node_tcurl(&args).await;
    assert_eq!((ours.code, ncode), (14, 4), "{ours:?} {node}");
    assert_eq!(ours.out["error"]["message"], node["message"]);
    assert_eq!(json!("declined"), ours.out["error"]["type"]);
}
