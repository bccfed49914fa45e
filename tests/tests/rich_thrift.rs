//! A richer IDL (nested structs, containers, enums, unions, binary, several exceptions,
//! `extends`) round-trips through tchannel-node, both ways.

use bytes::Bytes;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use tchannel_runtime::thrift::{Error, NoException, RequestContext};
use tchannel_runtime::TChannel;
use tchannel_tests::rich::{
    base, rich, Base, Color, Invalid, Item, Missing, Point, Rich, RichClient, RichServer, Shape,
};
use tchannel_tests::{node_thrift_echo_server, run_client, Peer};

const SERVICE: &str = "rich-echo";

fn idl() -> String {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("thrift/rich.thrift")
        .display()
        .to_string()
}

fn item() -> Item {
    Item {
        name: "widget ✓".into(),
        id: Some(-9_007_199_254_740_993), // beyond a JS double's exact range
        path: vec![
            Point { x: 1, y: -2 },
            Point {
                x: i32::MAX,
                y: i32::MIN,
            },
        ],
        counts: BTreeMap::from([("a".into(), 1), ("b".into(), -1)]),
        tags: BTreeSet::from(["x".into(), "y".into()]),
        color: Color::Blue,
        blob: Some(Bytes::from_static(b"\x00\x01\xfe\xff")),
        shape: Some(Shape::Sides(vec![1.5, 2.25])),
        flag: true,
        ratio: -0.125,
        small: -300,
        // thriftrw (tchannel-node) decodes a negative `byte` but fails to encode it again
        // ("Could not serialize thrift"); our -7 is 0xf9 as in Apache Thrift (checked against
        // its Python library), so the echo through Node uses a non-negative one.
        tiny: 7,
        nested: Some(BTreeMap::from([(3, vec![Point { x: 0, y: 0 }])])),
    }
}

#[tokio::test]
async fn rust_client_to_node_echo() {
    let server = node_thrift_echo_server(SERVICE, &idl()).await;
    let ch = TChannel::new("rust-rich-client");
    let transport = ch.thrift_client(SERVICE).hostport(&server.hostport);
    let client = RichClient::new(transport.clone());
    // Inherited method, sent as Rich::echoItem (the leaf service name).
    assert_eq!(client.echo_item(item()).await.unwrap(), item());
    for s in [
        Shape::Radius(2.5),
        Shape::Sides(vec![]),
        Shape::Name("hex".into()),
    ] {
        assert_eq!(client.echo_shape(s.clone()).await.unwrap(), s);
    }
    for c in [Color::Red, Color::Green, Color::Blue] {
        assert_eq!(client.echo_color(c).await.unwrap(), c);
    }
    let nested = vec![
        BTreeMap::from([("k".to_string(), BTreeSet::from([1, 2, 3]))]),
        BTreeMap::new(),
    ];
    assert_eq!(client.echo_nested(nested.clone()).await.unwrap(), nested);

    // Declared exceptions, each as its own typed variant.
    let throwing = |name: &str| RichClient::new(transport.clone().header("throw", name));
    let invalid = Invalid {
        reason: "bad".into(),
    };
    let missing = Missing {
        what: "thing".into(),
        code: Some(404),
    };
    let e = throwing("invalid")
        .check(item(), invalid.clone(), missing.clone())
        .await
        .unwrap_err();
    assert!(
        matches!(e.exception(), Some(base::CheckError::Invalid(i)) if *i == invalid),
        "{e:?}"
    );
    let e = throwing("missing")
        .check(item(), invalid.clone(), missing.clone())
        .await
        .unwrap_err();
    assert!(
        matches!(e.exception(), Some(base::CheckError::Missing(m)) if *m == missing),
        "{e:?}"
    );
}

/// Echoes like the node server does.
struct Echo;

impl Base for Echo {
    async fn echo_item(
        &self,
        _: &RequestContext,
        item: Item,
    ) -> Result<Item, Error<base::EchoItemError>> {
        Ok(item)
    }
    async fn check(
        &self,
        ctx: &RequestContext,
        item: Item,
        invalid: Invalid,
        missing: Missing,
    ) -> Result<Item, Error<base::CheckError>> {
        match ctx.headers.get("throw").map(String::as_str) {
            Some("invalid") => Err(base::CheckError::Invalid(invalid).into()),
            Some("missing") => Err(base::CheckError::Missing(missing).into()),
            _ => Ok(item),
        }
    }
}

impl Rich for Echo {
    async fn echo_shape(
        &self,
        _: &RequestContext,
        shape: Shape,
    ) -> Result<Shape, Error<rich::EchoShapeError>> {
        Ok(shape)
    }
    async fn echo_color(
        &self,
        _: &RequestContext,
        color: Color,
    ) -> Result<Color, Error<NoException>> {
        Ok(color)
    }
    async fn echo_nested(
        &self,
        _: &RequestContext,
        v: Vec<BTreeMap<String, BTreeSet<i32>>>,
    ) -> Result<Vec<BTreeMap<String, BTreeSet<i32>>>, Error<NoException>> {
        Ok(v)
    }
}

#[tokio::test]
async fn node_client_to_rust_server() {
    let server = TChannel::new(SERVICE);
    server.register_service(RichServer::new(Echo));
    let hp = server.listen("127.0.0.1:0").await.unwrap().to_string();
    let idl = idl();
    let call = |method: &str, args: Value| json!({"scheme": "thrift", "method": method, "args": args, "thrift": idl, "app_headers": {"throw": "missing"}});
    let point = json!({"x": 5, "y": -6});
    let calls = json!([
        call("Rich::echoShape", json!({"shape": {"sides": [1.0, 2.5]}})),
        call("Rich::echoShape", json!({"shape": {"name": "tri"}})),
        call("Rich::echoColor", json!({"color": "BLUE"})),
        call("Rich::echoNested", json!({"v": [{"k": [3, 1, 2]}]})),
        call(
            "Rich::check",
            json!({
                "item": {"name": "n", "path": [point], "counts": {"a": 1}, "tags": ["t"], "color": "GREEN",
                         "flag": false, "ratio": 0.5, "small": 1, "tiny": 2},
                "invalid": {"reason": "r"},
                "missing": {"what": "w", "code": 7}
            })
        ),
    ]);
    let r = run_client(Peer::Node, &hp, &calls, &["--service", SERVICE]).await;
    // thriftrw adds the union's arm name as `type`.
    assert_eq!(r[0]["body"]["sides"], json!([1, 2.5]), "{}", r[0]); // JSON numbers: 1.0 prints as 1
    assert_eq!(r[1]["body"]["name"], "tri", "{}", r[1]);
    assert_eq!(r[2]["body"], "BLUE", "{}", r[2]);
    let sets = &r[3]["body"][0]["k"];
    let mut got: Vec<i64> = sets
        .as_array()
        .unwrap_or_else(|| panic!("{}", r[3]))
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    got.sort();
    assert_eq!(got, vec![1, 2, 3], "{}", r[3]);
    assert_eq!(r[4]["ok"], false, "{}", r[4]);
    assert_eq!(r[4]["exception"], "missing", "{}", r[4]);
    assert_eq!(r[4]["body"], json!({"what": "w", "code": 7}), "{}", r[4]);
}
