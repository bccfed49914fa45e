//! The `tracing` crate span of each call, with TChannel's ids as fields.
//!
//! Alone in its own test binary: a scoped `tracing` subscriber only sees a callsite whose
//! interest was computed while it was registered, and other tests of the same process hitting
//! the same callsites concurrently, with no subscriber, can race with that (the interest cache
//! is global).

use serde_json::json;
use std::sync::{Arc, Mutex};
use tchannel_runtime::frame::Tracing;
use tchannel_runtime::{Json, Request, Response, TChannel};

/// A leaf that answers every call.
async fn leaf() -> (TChannel, String) {
    let leaf = TChannel::new("leaf");
    leaf.register("record", Json, |_req: Request<Json>| async move {
        Ok(Response::new(json!({})))
    });
    let addr = leaf.listen("127.0.0.1:0").await.unwrap().to_string();
    (leaf, addr)
}

/// A minimal `tracing` subscriber that keeps the name and fields of every span created.
#[derive(Default, Clone)]
struct Spans(Arc<Mutex<Vec<SpanRecord>>>);

/// A span's name and its fields as formatted.
type SpanRecord = (String, Vec<(String, String)>);

struct Fields<'a>(&'a mut Vec<(String, String)>);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }
}

impl tracing::Subscriber for Spans {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, attrs: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut fields = Vec::new();
        attrs.record(&mut Fields(&mut fields));
        let mut spans = self.0.lock().unwrap();
        spans.push((attrs.metadata().name().to_owned(), fields));
        tracing::span::Id::from_u64(spans.len() as u64)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, _: &tracing::Event<'_>) {}
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test(flavor = "current_thread")]
async fn every_call_is_a_tracing_span_with_the_ids() {
    let spans = Spans::default();
    let _guard = tracing::subscriber::set_default(spans.clone());
    let (leaf, leaf_addr) = leaf().await;
    let t = Tracing {
        span_id: 0xabc,
        parent_id: 0x10,
        trace_id: 0xfeed,
        flags: 1,
    };
    TChannel::new("c")
        .json("leaf", "record")
        .hostport(leaf_addr)
        .tracing(t)
        .await
        .unwrap();
    let spans = spans.0.lock().unwrap().clone();
    let field = |fields: &Vec<(String, String)>, k: &str| {
        fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
    };
    for name in ["tchannel.outbound", "tchannel.inbound"] {
        let (_, f) = spans
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("no {name} span in {spans:?}"));
        assert_eq!(field(f, "service").as_deref(), Some("leaf"));
        assert_eq!(field(f, "endpoint").as_deref(), Some("record"));
        assert_eq!(field(f, "trace_id").as_deref(), Some("000000000000feed"));
        assert_eq!(field(f, "span_id").as_deref(), Some("0000000000000abc"));
        assert_eq!(field(f, "parent_id").as_deref(), Some("0000000000000010"));
        assert_eq!(field(f, "sampled").as_deref(), Some("true"));
    }
    leaf.close().await;
}
