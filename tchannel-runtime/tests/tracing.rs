//! Trace propagation between Rust channels: root spans, child spans of calls made while
//! handling a request, explicit spans, sampling, and the `tracing` crate spans.

use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use tchannel_runtime::frame::Tracing;
use tchannel_runtime::{trace, Json, Request, Response, TChannel};

fn hex(t: &Tracing) -> Value {
    json!({
        "trace": format!("{:016x}", t.trace_id),
        "span": format!("{:016x}", t.span_id),
        "parent": format!("{:016x}", t.parent_id),
        "flags": t.flags,
    })
}

/// A leaf answering with the span it saw on the wire and the task's current span.
async fn leaf() -> (TChannel, String) {
    let leaf = TChannel::new("leaf");
    leaf.register("record", Json, |req: Request<Json>| async move {
        let current = trace::current().map(|t| hex(&t));
        Ok(Response::new(
            json!({"wire": hex(&req.transport.tracing), "current": current}),
        ))
    });
    let addr = leaf.listen("127.0.0.1:0").await.unwrap().to_string();
    (leaf, addr)
}

/// A middle service: records what it saw, calls the leaf from its handler (child span), and
/// from a spawned task with the span passed on explicitly.
async fn middle(leaf_addr: String) -> (TChannel, String) {
    let mid = TChannel::builder("middle").trace(false).build();
    let ch = mid.clone();
    mid.register("relay", Json, move |req: Request<Json>| {
        let ch = ch.clone();
        let leaf_addr = leaf_addr.clone();
        async move {
            let inbound = req.transport.tracing;
            let direct = ch
                .json("leaf", "record")
                .hostport(leaf_addr.clone())
                .await?
                .body;
            // A spawned task has no current span: pass it on explicitly.
            let ch2 = ch.clone();
            let addr2 = leaf_addr.clone();
            let spawned = tokio::spawn(async move {
                assert!(trace::current().is_none());
                ch2.json("leaf", "record")
                    .hostport(addr2)
                    .tracing(inbound.child())
                    .await
                    .map(|r| r.body)
            })
            .await
            .unwrap()?;
            let detached = tokio::spawn(async move {
                ch.json("leaf", "record")
                    .hostport(leaf_addr)
                    .await
                    .map(|r| r.body)
            })
            .await
            .unwrap()?;
            Ok(Response::new(json!({
                "saw": hex(&inbound),
                "direct": direct,
                "spawned": spawned,
                "detached": detached,
            })))
        }
    });
    let addr = mid.listen("127.0.0.1:0").await.unwrap().to_string();
    (mid, addr)
}

#[tokio::test]
async fn calls_made_while_handling_are_child_spans_of_the_inbound_span() {
    let (leaf, leaf_addr) = leaf().await;
    let (mid, mid_addr) = middle(leaf_addr).await;
    let sent = Arc::new(Mutex::new(None));
    let s2 = sent.clone();
    let root = TChannel::builder("root")
        .outbound(
            move |req: tchannel_runtime::middleware::OutboundRequest,
                  next: tchannel_runtime::middleware::OutboundNext| {
                *s2.lock().unwrap() = req.options.get_tracing();
                next.run(req)
            },
        )
        .build();
    let res = root
        .json("middle", "relay")
        .hostport(mid_addr)
        .await
        .unwrap();
    let r = sent.lock().unwrap().unwrap();
    // A new root, sampled (the root channel traces, at rate 1 by default).
    assert_eq!((r.trace_id, r.parent_id, r.flags), (r.span_id, 0, 1));
    let b = &res.body;
    assert_eq!(
        b["saw"],
        hex(&r),
        "the middle handler sees our span as sent"
    );

    let direct = &b["direct"]["wire"];
    assert_eq!(direct["trace"], b["saw"]["trace"]);
    assert_eq!(direct["parent"], b["saw"]["span"]);
    assert_ne!(direct["span"], b["saw"]["span"]);
    // The flag is inherited even though the middle channel does not trace new roots.
    assert_eq!(direct["flags"], 1);
    assert_eq!(
        b["direct"]["current"], *direct,
        "the leaf's current span is its inbound one"
    );

    let spawned = &b["spawned"]["wire"];
    assert_eq!(spawned["trace"], b["saw"]["trace"]);
    assert_eq!(spawned["parent"], b["saw"]["span"]);
    assert_ne!(spawned["span"], direct["span"]);

    // A call from a task that is not handling anything is a new, unsampled root.
    let detached = &b["detached"]["wire"];
    assert_ne!(detached["trace"], b["saw"]["trace"]);
    assert_eq!(detached["trace"], detached["span"]);
    assert_eq!(detached["parent"], "0000000000000000");
    assert_eq!(detached["flags"], 0, "the middle channel has trace(false)");
    leaf.close().await;
    mid.close().await;
}

#[tokio::test]
async fn sampling_follows_the_channel_setting_and_explicit_spans_are_sent_as_is() {
    let (leaf, leaf_addr) = leaf().await;
    let flags_of = |ch: TChannel, addr: String| async move {
        let mut flags = Vec::new();
        for _ in 0..200 {
            let res = ch
                .json("leaf", "record")
                .hostport(addr.clone())
                .await
                .unwrap();
            flags.push(res.body["wire"]["flags"].as_u64().unwrap());
        }
        flags
    };
    let off = TChannel::builder("c").trace(false).build();
    assert!(flags_of(off, leaf_addr.clone())
        .await
        .iter()
        .all(|&f| f == 0));
    let never = TChannel::builder("c").trace_sample_rate(0.0).build();
    assert!(flags_of(never, leaf_addr.clone())
        .await
        .iter()
        .all(|&f| f == 0));
    let always = TChannel::new("c");
    assert!(flags_of(always, leaf_addr.clone())
        .await
        .iter()
        .all(|&f| f == 1));
    let half = TChannel::builder("c").trace_sample_rate(0.5).build();
    let sampled = flags_of(half, leaf_addr.clone())
        .await
        .iter()
        .filter(|&&f| f == 1)
        .count();
    assert!(
        (40..160).contains(&sampled),
        "{sampled} of 200 sampled at rate 0.5"
    );

    let explicit = Tracing {
        span_id: 0x1111,
        parent_id: 0x2222,
        trace_id: 0x3333,
        flags: 1,
    };
    let res = TChannel::new("c")
        .json("leaf", "record")
        .hostport(leaf_addr.clone())
        .tracing(explicit)
        .await
        .unwrap();
    assert_eq!(res.body["wire"], hex(&explicit));
    // trace::scope makes any future a child context.
    let res = trace::scope(
        explicit,
        TChannel::new("c")
            .json("leaf", "record")
            .hostport(leaf_addr)
            .into_future(),
    )
    .await
    .unwrap();
    assert_eq!(res.body["wire"]["trace"], "0000000000003333");
    assert_eq!(res.body["wire"]["parent"], "0000000000001111");
    leaf.close().await;
}

use std::future::IntoFuture;

/// Streamed calls join the trace like whole ones: a streamed call made while handling is a
/// child span, and calls a streaming handler makes are children of the streamed call.
#[tokio::test]
async fn streamed_calls_are_spans_of_the_same_trace() {
    let (_leaf, leaf_addr) = leaf().await;
    // A streaming handler that calls the leaf (whole call) before answering with what it saw.
    let streamer = TChannel::new("streamer");
    let ch = streamer.clone();
    streamer.register_streaming("relay", move |mut req, mut res| {
        let ch = ch.clone();
        let leaf_addr = leaf_addr.clone();
        async move {
            req.args.read_arg3().await?;
            let leaf = ch.json("leaf", "record").hostport(leaf_addr).await?.body;
            let saw = hex(&req.transport.tracing);
            res.write_arg3(json!({"saw": saw, "leaf": leaf}).to_string())
                .await?;
            res.finish().await?;
            Ok(())
        }
    });
    let streamer_addr = streamer.listen("127.0.0.1:0").await.unwrap().to_string();

    // A whole-call handler that makes the streamed call.
    let front = TChannel::new("front");
    let ch = front.clone();
    front.register("go", Json, move |req: Request<Json>| {
        let ch = ch.clone();
        let addr = streamer_addr.clone();
        async move {
            let (w, res) = ch
                .stream("streamer", "relay")
                .hostport(addr)
                .start()
                .await?;
            w.finish().await?;
            let mut res = res.await?;
            let body = res.args.read_arg3().await?;
            let streamed: Value = serde_json::from_slice(&body).unwrap();
            Ok(Response::new(
                json!({"saw": hex(&req.transport.tracing), "streamed": streamed}),
            ))
        }
    });
    let front_addr = front.listen("127.0.0.1:0").await.unwrap().to_string();

    let client = TChannel::new("client");
    let body = client
        .json("front", "go")
        .hostport(front_addr)
        .await
        .unwrap()
        .body;
    let root = &body["saw"];
    let streamed = &body["streamed"]["saw"];
    let leaf = &body["streamed"]["leaf"]["wire"];
    assert_eq!(root["parent"], "0000000000000000", "{body}");
    for span in [streamed, leaf] {
        assert_eq!(span["trace"], root["trace"], "{body}");
    }
    assert_eq!(streamed["parent"], root["span"], "{body}");
    assert_ne!(streamed["span"], root["span"], "{body}");
    assert_eq!(leaf["parent"], streamed["span"], "{body}");
    assert_ne!(leaf["span"], streamed["span"], "{body}");
}
