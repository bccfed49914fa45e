//! tcurl against the real Node and Python servers, directly and through a real Hyperbahn
//! router, and the richer IDL through Node's `--thrift` echo server.

mod common;
use common::{kv_idl, rich_idl, rust_server, tcurl};
use serde_json::{json, Value};
use tchannel_tests::{node_thrift_echo_server, Peer, PeerServer};

/// thrift KeyValue (set, get, not found), json, raw, health against `hostport` for `service`.
async fn every_mode(hostport: &str, service: &str, peer: &str) {
    let idl = kv_idl();
    let kv = |m: &'static str, body: &'static str| {
        let idl = idl.clone();
        let hp = hostport.to_owned();
        let svc = service.to_owned();
        async move { tcurl(&["-p", &hp, &svc, "-t", &idl, m, "-3", body]).await }
    };
    let r = kv("KeyValue::setValue", r#"{"key":"k1","value":"v1"}"#).await;
    assert_eq!((r.code, &r.out["ok"]), (0, &json!(true)), "{peer}: {r:?}");
    let r = kv("KeyValue::getValue", r#"{"key":"k1"}"#).await;
    assert_eq!((r.code, &r.out["body"]), (0, &json!("v1")), "{peer}: {r:?}");
    let r = kv("KeyValue::getValue", r#"{"key":"nope"}"#).await;
    assert_eq!(r.code, 1, "{peer}: {r:?}");
    assert_eq!(r.out["exception"], "notFound", "{peer}: {r:?}");
    assert_eq!(r.out["body"], json!({"key": "nope"}), "{peer}: {r:?}");

    let r = tcurl(&["-p", hostport, service, "--health"]).await;
    assert_eq!(
        (r.code, &r.out["body"]["ok"]),
        (0, &json!(true)),
        "{peer}: {r:?}"
    );

    let r = tcurl(&[
        "-p",
        hostport,
        service,
        "add",
        "-j",
        "-3",
        r#"{"a":1,"b":2}"#,
    ])
    .await;
    assert_eq!(
        (r.code, &r.out["body"]),
        (0, &json!({"sum": 3})),
        "{peer}: {r:?}"
    );
    let r = tcurl(&[
        "-p",
        hostport,
        service,
        "echo",
        "-j",
        "-2",
        r#"{"h":"1"}"#,
        "-3",
        r#"[1,"x"]"#,
    ])
    .await;
    assert_eq!(
        (r.code, &r.out["body"]),
        (0, &json!([1, "x"])),
        "{peer}: {r:?}"
    );
    assert_eq!(r.out["headers"], json!({"h": "1"}), "{peer}: {r:?}");

    let r = tcurl(&[
        "-p", hostport, service, "echo", "-r", "-2", "hd", "-3", "bd",
    ])
    .await;
    assert_eq!(r.code, 0, "{peer}: {r:?}");
    assert_eq!(
        (&r.out["headers"], &r.out["body"]),
        (&json!("hd"), &json!("bd")),
        "{peer}"
    );
    let r = tcurl(&["-p", hostport, service, "notok", "-r", "-3", "x"]).await;
    assert_eq!((r.code, &r.out["ok"]), (1, &json!(false)), "{peer}: {r:?}");

    let r = tcurl(&["-p", hostport, service, "nosuchendpoint", "-r"]).await;
    assert_eq!(r.code, 16, "{peer}: {r:?}");
    let r = tcurl(&["-p", hostport, service, "busy", "-r"]).await;
    assert_eq!(r.code, 13, "{peer}: {r:?}");
}

#[tokio::test]
async fn node_server_directly() {
    let s = PeerServer::start(Peer::Node, "interop", &[]).await;
    every_mode(&s.hostport, "interop", "node").await;
    // Node answers a ttl that passed with a timeout error frame.
    let r = tcurl(&[
        "-p",
        &s.hostport,
        "interop",
        "slow",
        "-r",
        "-3",
        "400",
        "--timeout",
        "100",
    ])
    .await;
    assert_eq!(r.code, 11, "{r:?}");
}

#[tokio::test]
async fn python_server_directly() {
    let s = PeerServer::start(Peer::Python, "interop", &[]).await;
    every_mode(&s.hostport, "interop", "python").await;
    let r = tcurl(&[
        "-p",
        &s.hostport,
        "interop",
        "slow",
        "-r",
        "-3",
        "400",
        "--timeout",
        "100",
    ])
    .await;
    assert_eq!(r.code, 11, "{r:?}");
}

#[tokio::test]
async fn through_hyperbahn() {
    let router = PeerServer::hyperbahn().await;
    let rh = router.hostport.clone();
    let node = PeerServer::start(Peer::Node, "node-svc", &[&rh]).await;
    let python = PeerServer::start(Peer::Python, "python-svc", &[&rh]).await;
    let (rust, _addr) = rust_server("rust-svc").await;
    rust.advertise([rh.clone()]).await.unwrap();

    every_mode(&rh, "node-svc", "node via hyperbahn").await;
    every_mode(&rh, "python-svc", "python via hyperbahn").await;
    every_mode(&rh, "rust-svc", "rust via hyperbahn").await;

    // An unknown service: the router declines.
    let r = tcurl(&["-p", &rh, "no-such-service", "echo", "-r"]).await;
    assert_eq!(r.code, 14, "{r:?}");
    assert_eq!(r.out["error"]["type"], "declined");
    // The router's own health endpoint.
    let r = tcurl(&["-p", &rh, "autobahn", "health_v1", "-j"]).await;
    assert_eq!(
        (r.code, &r.out["body"]),
        (0, &json!("hello from autobahn\n")),
        "{r:?}"
    );
    drop((node, python));
    rust.close().await;
}

#[tokio::test]
async fn rich_idl_round_trips_through_node() {
    let idl = rich_idl();
    let s = node_thrift_echo_server("rich", &idl).await;
    let call = |m: &'static str, body: Value, extra: &'static [&'static str]| {
        let (idl, hp) = (idl.clone(), s.hostport.clone());
        async move {
            let body = body.to_string();
            let mut args = vec!["-p", &hp, "rich", "-t", &idl, m, "-3", &body];
            args.extend_from_slice(extra);
            tcurl(&args).await
        }
    };
    let item = json!({
        "name": "widget", "id": 42, "path": [{"x": 1, "y": -2}],
        "counts": {"a": 1, "b": -7}, "tags": ["blue", "red"], "color": "BLUE",
        "blob": "AAEC/w==", "shape": {"sides": [1.5, 2.0]}, "flag": true, "ratio": 0.25,
        "small": -32768, "tiny": 127, "nested": {"1": [{"x": 3, "y": 4}], "2": []},
    });
    let r = call("Rich::echoItem", json!({ "item": item }), &[]).await;
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.out["body"], item);
    let r = call("Base::echoItem", json!({ "item": item }), &[]).await;
    assert_eq!(r.out["body"], item, "{r:?}");

    // Only required fields, no optionals. (Not a negative `byte`: thriftrw-node reads bytes
    // unsigned, -128 as 128, and then fails to write its own answer: "value 128 out of range".)
    let small = json!({
        "name": "", "path": [], "counts": {}, "tags": [], "color": "RED",
        "flag": false, "ratio": -1e300, "small": 0, "tiny": 5,
    });
    let r = call("Rich::echoItem", json!({ "item": small }), &[]).await;
    assert_eq!(r.out["body"], small, "{r:?}");

    for shape in [
        json!({"radius": 2.5}),
        json!({"name": "sq"}),
        json!({"sides": []}),
    ] {
        let r = call("Rich::echoShape", json!({ "shape": shape }), &[]).await;
        assert_eq!(r.out["body"], shape, "{r:?}");
    }
    let r = call("Rich::echoColor", json!({"color": 7}), &[]).await;
    assert_eq!(r.out["body"], "BLUE", "{r:?}");
    let nested = json!([{"a": [1, 2, 3], "b": []}, {}]);
    let r = call("Rich::echoNested", json!({ "v": nested }), &[]).await;
    assert_eq!(r.out["body"], nested, "{r:?}");

    // Declared exceptions: the echo server throws the argument named by the `throw` header.
    let args = json!({
        "item": small,
        "invalid": {"reason": "bad"},
        "missing": {"what": "w", "code": 3},
    });
    let r = call(
        "Base::check",
        args.clone(),
        &["-2", r#"{"throw":"missing"}"#],
    )
    .await;
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(r.out["exception"], "missing");
    assert_eq!(r.out["body"], json!({"what": "w", "code": 3}));
    assert_eq!(r.out["headers"]["throw"], "missing");
    let r = call("Rich::check", args, &["-2", r#"{"throw":"invalid"}"#]).await;
    assert_eq!(
        (r.code, &r.out["exception"]),
        (1, &json!("invalid")),
        "{r:?}"
    );
    assert_eq!(r.out["body"], json!({"reason": "bad"}));
}
