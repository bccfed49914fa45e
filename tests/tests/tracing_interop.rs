//! One trace across Rust -> Node -> Rust and Rust -> Python -> Rust.
//!
//! A Rust root calls the peer's `trace_server` relay (peers/node/trace_server.js,
//! peers/python/trace_server.py), which records the tracing field it received and calls a
//! Rust leaf from its handler; the leaf records the field it received. Each side reports
//! what it saw, and the test checks the ids link up.
//!
//! What the peers do with the 25-byte field:
//! - tchannel-node 4.0.1 serves a call *as* the caller's span (Zipkin's shared span), and a
//!   call made with `parent: req` is its child: same trace, parent = the inbound span id.
//! - tchannel-python 2.1.0 goes through an OpenTracing tracer. With Uber's jaeger-client
//!   4.8.0 (the tracer it was written for; default options, so `one_span_per_rpc` is off)
//!   the server span is a child of ours (new span id, parent = our span id), not Zipkin's
//!   shared span, and the outbound call a child of that; ids are 64-bit, the sampled flag is
//!   inherited, and baggage travels in `$tracing$uberctx-*` headers that jaeger-client
//!   reads and writes itself. With its default no-op tracer it propagates nothing: each call
//!   it makes carries a new random root field.

use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use tchannel_runtime::frame::Tracing;
use tchannel_runtime::middleware::{OutboundNext, OutboundRequest};
use tchannel_runtime::scheme::HeaderMap;
use tchannel_runtime::{trace, Json, Request, Response, TChannel};
use tchannel_tests::{tracing_json, Peer, PeerServer};

/// The Rust leaf: answers with the field it received, its current span and its baggage.
async fn leaf() -> (TChannel, String) {
    let leaf = TChannel::builder("leaf").inbound(trace::Baggage).build();
    leaf.register("record", Json, |req: Request<Json>| async move {
        Ok(Response::new(json!({
            "wire": tracing_json(&req.transport.tracing),
            "current": trace::current().map(|t| tracing_json(&t)),
            "baggage": trace::baggage().map(|b| json!(*b)),
        })))
    });
    let addr = leaf.listen("127.0.0.1:0").await.unwrap().to_string();
    (leaf, addr)
}

/// Calls the relay from a new Rust root span with baggage `user=alice`; returns the root
/// span as sent and the relay's answer.
async fn call_relay(relay: &PeerServer, leaf_addr: &str) -> (Tracing, Value) {
    let sent = Arc::new(Mutex::new(None));
    let s2 = sent.clone();
    let root = TChannel::builder("rust-root")
        .outbound(trace::Baggage)
        .outbound(move |req: OutboundRequest, next: OutboundNext| {
            *s2.lock().unwrap() = req.options.get_tracing();
            next.run(req)
        })
        .build();
    let mut items = HeaderMap::new();
    items.insert("user".into(), "alice".into());
    let call = root
        .json("trace-relay", "relay")
        .hostport(relay.hostport.clone())
        .timeout(std::time::Duration::from_secs(10))
        .body(json!({"leaf": leaf_addr, "service": "leaf", "endpoint": "record"}));
    let res = trace::with_baggage(items, std::future::IntoFuture::into_future(call))
        .await
        .expect("the relay answers");
    let root_span = sent.lock().unwrap().expect("the root span was recorded");
    (root_span, res.body)
}

fn assert_root(root: &Tracing) {
    assert_eq!(root.parent_id, 0);
    assert_eq!(root.trace_id, root.span_id);
    assert_eq!(root.flags, 1, "sampled: the root channel traces at rate 1");
}

#[tokio::test]
async fn rust_node_rust_keeps_one_trace() {
    let (leaf, leaf_addr) = leaf().await;
    let relay =
        PeerServer::start_role(Peer::Node, "trace_server", &["--service", "trace-relay"]).await;
    let (root, b) = call_relay(&relay, &leaf_addr).await;
    assert_root(&root);
    let root = tracing_json(&root);
    // Node received our span as sent.
    assert_eq!(b["received"], root, "{b}");
    // Node's call to the leaf: a child of the span it served, i.e. of ours.
    let sent = &b["sent"];
    assert_eq!(sent["trace_id"], root["trace_id"], "{b}");
    assert_eq!(sent["parent_id"], root["span_id"], "{b}");
    assert_ne!(sent["span_id"], root["span_id"], "{b}");
    assert_eq!(sent["flags"], 1, "the sampled flag is inherited: {b}");
    // The leaf received exactly that, and handled the call as that span.
    assert_eq!(b["leaf"]["wire"], *sent, "{b}");
    assert_eq!(b["leaf"]["current"], *sent, "{b}");
    // tchannel-node keeps application headers to itself: no baggage reaches the leaf.
    assert_eq!(b["leaf"]["baggage"], Value::Null, "{b}");
    leaf.close().await;
}

#[tokio::test]
async fn rust_python_rust_keeps_one_trace_with_jaeger_client() {
    let (leaf, leaf_addr) = leaf().await;
    let relay = PeerServer::start_role(
        Peer::Python,
        "trace_server",
        &["--service", "trace-relay", "--tracer", "jaeger"],
    )
    .await;
    let (root, b) = call_relay(&relay, &leaf_addr).await;
    assert_root(&root);
    let root = tracing_json(&root);
    assert_eq!(b["received"], root, "{b}");
    // jaeger-client's server span: a child of ours (a new 64-bit span id, 16 hex digits, as
    // printed unmasked by the relay), sampled like ours, carrying the baggage it read from
    // our `$tracing$uberctx-user` header.
    let server = &b["server_span"];
    assert_eq!(server["trace_id"], root["trace_id"], "{b}");
    assert_eq!(server["parent_id"], root["span_id"], "{b}");
    assert_ne!(server["span_id"], root["span_id"], "{b}");
    assert_eq!(server["span_id"].as_str().map(str::len), Some(16), "{b}");
    assert_eq!(server["flags"], 1, "{b}");
    assert_eq!(b["baggage"], json!({"user": "alice"}), "{b}");
    // Python's call to the leaf: a child of its server span.
    let sent = &b["sent"];
    assert_eq!(sent["trace_id"], root["trace_id"], "{b}");
    assert_eq!(sent["parent_id"], server["span_id"], "{b}");
    assert_ne!(sent["span_id"], server["span_id"], "{b}");
    assert_eq!(sent["flags"], 1, "{b}");
    // The headers jaeger-client's TEXT_MAP codec wrote on that call: the same span in
    // `uber-trace-id` (trace:span:parent:flags, unpadded hex) and the baggage.
    let hex = |v: &Value| {
        format!(
            "{:x}",
            u64::from_str_radix(v.as_str().unwrap(), 16).unwrap()
        )
    };
    let uber_trace_id = format!(
        "{}:{}:{}:{}",
        hex(&sent["trace_id"]),
        hex(&sent["span_id"]),
        hex(&sent["parent_id"]),
        sent["flags"]
    );
    assert_eq!(
        b["sent_headers"],
        json!({"$tracing$uber-trace-id": uber_trace_id, "$tracing$uberctx-user": "alice"}),
        "{b}"
    );
    assert_eq!(b["leaf"]["wire"], *sent, "{b}");
    assert_eq!(b["leaf"]["current"], *sent, "{b}");
    // The baggage made it Rust -> Python -> Rust in `$tracing$uberctx-user`.
    assert_eq!(b["leaf"]["baggage"], json!({"user": "alice"}), "{b}");
    leaf.close().await;
}

#[tokio::test]
async fn python_with_its_default_tracer_starts_a_new_trace_per_call() {
    let (leaf, leaf_addr) = leaf().await;
    let relay = PeerServer::start_role(
        Peer::Python,
        "trace_server",
        &["--service", "trace-relay", "--tracer", "default"],
    )
    .await;
    let (root, b) = call_relay(&relay, &leaf_addr).await;
    let root = tracing_json(&root);
    assert_eq!(b["received"], root, "python reads the field: {b}");
    assert_eq!(
        b["server_span"],
        Value::Null,
        "the no-op tracer makes no span: {b}"
    );
    // What it sends instead: a fresh random root, unsampled.
    let sent = &b["sent"];
    assert_ne!(sent["trace_id"], root["trace_id"], "{b}");
    assert_eq!(sent["span_id"], sent["trace_id"], "{b}");
    assert_eq!(sent["parent_id"], "0000000000000000", "{b}");
    assert_eq!(sent["flags"], 0, "{b}");
    assert_eq!(
        b["sent_headers"],
        json!({}),
        "the no-op tracer injects no headers: {b}"
    );
    assert_eq!(b["leaf"]["wire"], *sent, "{b}");
    assert_eq!(b["leaf"]["baggage"], Value::Null, "{b}");
    leaf.close().await;
}
