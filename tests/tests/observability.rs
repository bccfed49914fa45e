//! The optional integrations, compiled with the workspace (this crate turns on the
//! `metrics` and `otel` features of tchannel-runtime): call metrics through the `metrics`
//! facade, and calls exported as OpenTelemetry spans with TChannel's ids, across Rust
//! channels and across tchannel-node.

use metrics_util::debugging::{DebugValue, DebuggingRecorder};
use opentelemetry::trace::{SpanId, SpanKind, TraceId, TracerProvider};
use opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracerProvider, SpanData};
use serde_json::{json, Value};
use tchannel_runtime::frame::Tracing;
use tchannel_runtime::otel::{OtelLayer, TChannelIds};
use tchannel_runtime::stats::MetricsReporter;
use tchannel_runtime::{trace, Json, Raw, Request, Response, TChannel};
use tchannel_tests::{tracing_json, Peer, PeerServer};

#[tokio::test(flavor = "current_thread")]
async fn metrics_facade_gets_counters_histograms_and_the_connection_gauge() {
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    let _guard = metrics::set_default_local_recorder(&recorder);
    let server = TChannel::builder("server").stats(MetricsReporter).build();
    server.register(
        "echo",
        Raw,
        |req| async move { Ok(Response::new(req.body)) },
    );
    let addr = server.listen("127.0.0.1:0").await.unwrap().to_string();
    let client = TChannel::builder("client").stats(MetricsReporter).build();
    // Listening, the client is known to the server by that address (a fixed peer tag).
    let client_addr = client.listen("127.0.0.1:0").await.unwrap().to_string();
    for _ in 0..3 {
        client
            .raw("server", "echo")
            .hostport(addr.clone())
            .await
            .unwrap();
    }
    let mut seen = std::collections::BTreeMap::new();
    for (key, _, _, value) in snapshotter.snapshot().into_vec() {
        let k = key.key();
        let labels: Vec<String> = k
            .labels()
            .map(|l| format!("{}={}", l.key(), l.value()))
            .collect();
        let v = match value {
            DebugValue::Counter(n) => format!("counter {n}"),
            DebugValue::Histogram(v) => format!("histogram of {}", v.len()),
            DebugValue::Gauge(g) => format!("gauge {g}"),
        };
        seen.insert(format!("{}{{{}}}", k.name(), labels.join(",")), v);
    }
    let out = "app=client,service=client,target-service=server,target-endpoint=echo";
    let inb = "app=server,service=server,endpoint=echo,calling-service=client";
    let conn_out = format!("app=client,host-port={client_addr},peer-host-port={addr}");
    let conn_in = format!("app=server,host-port={addr},peer-host-port={client_addr}");
    // Bytes on the wire: what one side sent, the other received, and more than the three
    // calls' frame headers alone (16 bytes each way per call).
    let mut take = |name: &str, tags: &str| -> u64 {
        let v = seen
            .remove(&format!("{name}{{{tags}}}"))
            .unwrap_or_else(|| panic!("no {name}{{{tags}}}"));
        v.strip_prefix("counter ").unwrap().parse().unwrap()
    };
    let client_sent = take("connections.bytes-sent", &conn_out);
    let client_recvd = take("connections.bytes-recvd", &conn_out);
    assert_eq!(client_sent, take("connections.bytes-recvd", &conn_in));
    assert_eq!(client_recvd, take("connections.bytes-sent", &conn_in));
    assert!(client_sent > 3 * 16 && client_recvd > 3 * 16);
    let expected: std::collections::BTreeMap<String, String> = [
        (format!("outbound.calls.sent{{{out}}}"), "counter 3"),
        (format!("outbound.calls.success{{{out}}}"), "counter 3"),
        (format!("outbound.calls.latency{{{out}}}"), "histogram of 3"),
        (
            format!("outbound.calls.per-attempt.latency{{{out},peer={addr}}}"),
            "histogram of 3",
        ),
        (format!("inbound.calls.recvd{{{inb}}}"), "counter 3"),
        (format!("inbound.calls.success{{{inb}}}"), "counter 3"),
        (format!("inbound.calls.latency{{{inb}}}"), "histogram of 3"),
        (format!("connections.initiated{{{conn_out}}}"), "counter 1"),
        (format!("connections.active{{{conn_out}}}"), "gauge 1"),
        (format!("connections.accepted{{{conn_in}}}"), "counter 1"),
        (format!("connections.active{{{conn_in}}}"), "gauge 1"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_string()))
    .collect();
    assert_eq!(seen, expected);
    server.close().await;
}

/// A tracer provider exporting to memory, with TChannel's ids.
fn otel() -> (
    InMemorySpanExporter,
    OtelLayer<opentelemetry_sdk::trace::SdkTracer>,
) {
    let exporter = InMemorySpanExporter::default();
    let provider = SdkTracerProvider::builder()
        .with_id_generator(TChannelIds)
        .with_simple_exporter(exporter.clone())
        .build();
    (exporter, OtelLayer::new(provider.tracer("tchannel-test")))
}

fn ids(t: &Tracing) -> (TraceId, SpanId, SpanId) {
    (
        TraceId::from(t.trace_id as u128),
        SpanId::from(t.span_id),
        SpanId::from(t.parent_id),
    )
}

fn span_ids(s: &SpanData) -> (TraceId, SpanId, SpanId) {
    (
        s.span_context.trace_id(),
        s.span_context.span_id(),
        s.parent_span_id,
    )
}

fn find<'a>(spans: &'a [SpanData], kind: SpanKind, name: &str) -> &'a SpanData {
    spans
        .iter()
        .find(|s| s.span_kind == kind && s.name == name)
        .unwrap_or_else(|| panic!("no {kind:?} span {name:?} in {spans:#?}"))
}

fn tracing_of(v: &Value) -> Tracing {
    let id = |k: &str| u64::from_str_radix(v[k].as_str().unwrap(), 16).unwrap();
    Tracing {
        span_id: id("span_id"),
        parent_id: id("parent_id"),
        trace_id: id("trace_id"),
        flags: v["flags"].as_u64().unwrap() as u8,
    }
}

/// A Rust leaf exporting its spans, answering with the field it received.
async fn leaf(layer: OtelLayer<opentelemetry_sdk::trace::SdkTracer>) -> (TChannel, String) {
    let leaf = TChannel::builder("leaf").inbound(layer).build();
    leaf.register("record", Json, |req: Request<Json>| async move {
        Ok(Response::new(
            json!({"wire": tracing_json(&req.transport.tracing)}),
        ))
    });
    let addr = leaf.listen("127.0.0.1:0").await.unwrap().to_string();
    (leaf, addr)
}

#[tokio::test]
async fn otel_spans_carry_tchannel_ids_across_rust_channels() {
    let (exporter, layer) = otel();
    let (leaf, leaf_addr) = leaf(layer.clone()).await;
    let mid = TChannel::builder("middle")
        .inbound(layer.clone())
        .outbound(layer.clone())
        .build();
    let ch = mid.clone();
    mid.register("relay", Json, move |req: Request<Json>| {
        let (ch, leaf_addr) = (ch.clone(), leaf_addr.clone());
        async move {
            let leaf = ch.json("leaf", "record").hostport(leaf_addr).await?.body;
            Ok(Response::new(
                json!({"saw": tracing_json(&req.transport.tracing), "leaf": leaf}),
            ))
        }
    });
    let mid_addr = mid.listen("127.0.0.1:0").await.unwrap().to_string();
    let root = TChannel::builder("root").outbound(layer).build();
    let res = root
        .json("middle", "relay")
        .hostport(mid_addr)
        .await
        .unwrap();
    // An unsampled call is not exported.
    let unsampled = TChannel::builder("quiet").trace(false).build();
    let leaf_addr = leaf.hostport().unwrap().to_string();
    unsampled
        .json("leaf", "record")
        .hostport(leaf_addr)
        .await
        .unwrap();

    let r = tracing_of(&res.body["saw"]);
    let m = tracing_of(&res.body["leaf"]["wire"]);
    assert_eq!((m.trace_id, m.parent_id), (r.trace_id, r.span_id));
    let spans = exporter.get_finished_spans().unwrap();
    assert_eq!(spans.len(), 4, "{spans:#?}");
    // The root call and the middle's serving of it: one shared span, no parent.
    assert_eq!(span_ids(find(&spans, SpanKind::Client, "relay")), ids(&r));
    assert_eq!(span_ids(find(&spans, SpanKind::Server, "relay")), ids(&r));
    assert_eq!(ids(&r).2, SpanId::INVALID);
    // The middle's call to the leaf: a child, as the leaf saw it.
    assert_eq!(span_ids(find(&spans, SpanKind::Client, "record")), ids(&m));
    assert_eq!(span_ids(find(&spans, SpanKind::Server, "record")), ids(&m));
    leaf.close().await;
    mid.close().await;
}

#[tokio::test]
async fn otel_call_tree_through_tchannel_node() {
    let (exporter, layer) = otel();
    let (leaf, leaf_addr) = leaf(layer.clone()).await;
    let relay =
        PeerServer::start_role(Peer::Node, "trace_server", &["--service", "trace-relay"]).await;
    let root = TChannel::builder("root").outbound(layer).build();
    let res = root
        .json("trace-relay", "relay")
        .hostport(relay.hostport.clone())
        .body(json!({"leaf": leaf_addr, "service": "leaf", "endpoint": "record"}))
        .await
        .unwrap();
    let r = tracing_of(&res.body["received"]);
    let n = tracing_of(&res.body["sent"]);
    let spans = exporter.get_finished_spans().unwrap();
    assert_eq!(spans.len(), 2, "{spans:#?}");
    let client = find(&spans, SpanKind::Client, "relay");
    let server = find(&spans, SpanKind::Server, "record");
    assert_eq!(span_ids(client), ids(&r));
    // Node's call is exported by the leaf as a child of our root span.
    assert_eq!(span_ids(server), ids(&n));
    assert_eq!(server.parent_span_id, client.span_context.span_id());
    assert_eq!(
        server.span_context.trace_id(),
        client.span_context.trace_id()
    );
    assert!(trace::current().is_none());
    leaf.close().await;
}
