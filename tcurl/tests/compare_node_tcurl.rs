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

/// Node's thrift values in ours: nulls dropped, 8-byte Buffers as i64, union `type` tags gone.
fn normalize_node(v: &Value) -> Value {
    match v {
        Value::Object(o) => {
            if o.get("type") == Some(&json!("Buffer")) {
                let b: Vec<u8> = o["data"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_u64().unwrap() as u8)
                    .collect();
                return json!(i64::from_be_bytes(b.try_into().unwrap()));
            }
            let tag = o
                .get("type")
                .and_then(Value::as_str)
                .filter(|t| o.contains_key(*t));
            o.iter()
                .filter(|(k, v)| !v.is_null() && Some(k.as_str()) != tag.map(|_| "type"))
                .map(|(k, v)| (k.clone(), normalize_node(v)))
                .collect::<serde_json::Map<_, _>>()
                .into()
        }
        Value::Array(a) => a.iter().map(normalize_node).collect(),
        other => other.clone(),
    }
}

#[tokio::test]
async fn rich_values_agree_with_node_tcurl_and_its_output_is_valid_input() {
    let idl = common::rich_idl();
    let s = tchannel_tests::node_thrift_echo_server("rich", &idl).await;
    let calls = [
        (
            "Rich::echoItem",
            json!({"item": {"name": "w", "id": 42, "path": [{"x": 1, "y": -2}],
            "counts": {"a": 1}, "tags": ["blue", "red"], "color": "BLUE",
            "shape": {"sides": [1.5]}, "flag": true, "ratio": 0.25, "small": -3, "tiny": 5,
            "nested": {"1": [{"x": 3, "y": 4}]}}}),
        ),
        ("Rich::echoShape", json!({"shape": {"radius": 2.5}})),
        ("Rich::echoColor", json!({"color": "GREEN"})),
        ("Rich::echoNested", json!({"v": [{"a": [1, 2]}, {}]})),
    ];
    for (method, args) in calls {
        let body = args.to_string();
        let a = [
            "-p",
            s.hostport.as_str(),
            "rich",
            method,
            "-t",
            idl.as_str(),
            "-3",
            body.as_str(),
        ];
        let ours = tcurl(&a).await;
        let (ncode, node, _) = node_tcurl(&[&a[..], &["--no-strict"]].concat()).await;
        assert_eq!((ours.code, ncode), (0, 0), "{method}: {ours:?} {node}");
        assert_eq!(ours.out["body"], normalize_node(&node["body"]), "{method}");
        // What Node prints is accepted as input as it is (Buffers, union tags, nulls).
        let arg_name = args.as_object().unwrap().keys().next().unwrap().clone();
        let again = json!({ arg_name: node["body"] }).to_string();
        let a = [
            "-p",
            s.hostport.as_str(),
            "rich",
            method,
            "-t",
            idl.as_str(),
            "-3",
            again.as_str(),
        ];
        let r = tcurl(&a).await;
        assert_eq!(r.out["body"], ours.out["body"], "{method}: {r:?}");
    }
}
