//! Thrift over TChannel with the real peers: our generated KeyValue server answers their
//! thrift clients and tcurl, and our generated client calls their KeyValue servers.

use keyvalue::service::key_value::GetValueError;
use keyvalue::service::{KeyValueClient, KeyValueServer};
use serde_json::{json, Value};
use std::time::Duration;
use tchannel_runtime::meta::MetaClient;
use tchannel_runtime::TChannel;
use tchannel_tests::{keyvalue_idl, run_client, tcurl, Peer, PeerServer};

const SERVICE: &str = "keyvalue-server";

async fn rust_kv_server() -> (TChannel, String) {
    let server = TChannel::new(SERVICE);
    server.register_service(KeyValueServer::new(keyvalue::Store::default()));
    let addr = server.listen("127.0.0.1:0").await.unwrap();
    (server, addr.to_string())
}

async fn their_thrift_client(peer: Peer) {
    let (_server, hp) = rust_kv_server().await;
    let calls = json!([
        {"scheme": "thrift", "method": "setValue", "args": {"key": "foo", "value": "bar"}},
        {"scheme": "thrift", "method": "getValue", "args": {"key": "foo"}, "app_headers": {"user": "alice"}},
        {"scheme": "thrift", "method": "getValue", "args": {"key": "missing"}},
        {"scheme": "health"},
    ]);
    let r = run_client(peer, &hp, &calls, &["--service", SERVICE]).await;
    assert_eq!(r[0]["ok"], true, "{peer:?} setValue: {}", r[0]);
    assert_eq!(r[0]["body"], Value::Null, "void");
    assert_eq!(r[1]["ok"], true, "{peer:?} getValue: {}", r[1]);
    assert_eq!(r[1]["body"], "bar");
    assert_eq!(
        r[1]["headers"]["user"], "alice",
        "response headers echo: {}",
        r[1]
    );
    assert_eq!(r[2]["ok"], false, "{peer:?} missing: {}", r[2]);
    assert_eq!(
        r[2]["code"], 1,
        "declared exception = application error: {}",
        r[2]
    );
    assert_eq!(r[2]["exception"], "notFound", "{}", r[2]);
    assert_eq!(r[2]["body"]["key"], "missing", "{}", r[2]);
    assert_eq!(r[3]["ok"], true, "{peer:?} health: {}", r[3]);
    assert_eq!(r[3]["body"]["ok"], true, "{}", r[3]);
}

#[tokio::test]
async fn node_thrift_client_to_rust_server() {
    their_thrift_client(Peer::Node).await
}

#[tokio::test]
async fn python_thrift_client_to_rust_server() {
    their_thrift_client(Peer::Python).await
}

#[tokio::test]
async fn node_tcurl_to_rust_server() {
    let (_server, hp) = rust_kv_server().await;
    let idl = keyvalue_idl();
    let (code, out) = tcurl(&["-p", &hp, SERVICE, "--health"]).await;
    assert_eq!((code, out.trim()), (0, "OK"));
    let t = |method: &'static str, body: &'static str| {
        let (hp, idl) = (hp.clone(), idl.clone());
        async move {
            tcurl(&[
                "-p",
                &hp,
                SERVICE,
                method,
                "-t",
                &idl,
                "--no-strict",
                "-3",
                body,
            ])
            .await
        }
    };
    let (code, out) = t("KeyValue::setValue", r#"{"key":"a","value":"b"}"#).await;
    assert_eq!(code, 0, "{out}");
    let (code, out) = t("KeyValue::getValue", r#"{"key":"a"}"#).await;
    assert_eq!(code, 0, "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (v["ok"].clone(), v["body"].clone()),
        (json!(true), json!("b"))
    );
    assert_eq!(v["headers"]["as"], "thrift");
    let (code, out) = t("KeyValue::getValue", r#"{"key":"zz"}"#).await;
    assert_eq!(code, 126, "application error: {out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["typeName"], "notFound");
    assert_eq!(v["body"]["key"], "zz");
}

async fn our_client_to_their_server(peer: Peer) {
    let server = PeerServer::start(peer, SERVICE, &[]).await;
    let channel = TChannel::new("rust-kv-client");
    let kv = KeyValueClient::new(
        channel
            .thrift_client(SERVICE)
            .hostport(&server.hostport)
            .timeout(Duration::from_secs(5))
            .header("user", "bob"),
    );
    kv.set_value("foo", "bar").await.unwrap();
    let reply = kv.get_value("foo").with_response().await.unwrap();
    assert_eq!(reply.value, "bar");
    assert_eq!(
        reply.header("user"),
        Some("bob"),
        "{peer:?}: headers echoed"
    );
    // A header of this call alone, over the transport's: echoed back with this call.
    let reply = kv
        .get_value("foo")
        .header("user", "carol")
        .with_response()
        .await
        .unwrap();
    assert_eq!(
        reply.header("user"),
        Some("carol"),
        "{peer:?}: per-call header echoed"
    );
    let e = kv.get_value("missing").await.unwrap_err();
    match e.exception() {
        Some(GetValueError::NotFound(nf)) => assert_eq!(nf.key, "missing"),
        other => panic!("{peer:?}: expected NotFoundError, got {other:?} / {e}"),
    }
    let meta = MetaClient::new(channel.thrift_client(SERVICE).hostport(&server.hostport));
    assert!(
        meta.health(Default::default()).await.unwrap().ok,
        "{peer:?} health"
    );
}

#[tokio::test]
async fn rust_client_to_node_kv_server() {
    our_client_to_their_server(Peer::Node).await
}

#[tokio::test]
async fn rust_client_to_python_kv_server() {
    our_client_to_their_server(Peer::Python).await
}
