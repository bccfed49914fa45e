//! Load shedding seen by the real peers: a tchannel-node or tchannel-python caller of a Rust
//! server at its `max_channel_inbound_calls` limit gets a Busy error frame (code 3) at once,
//! while the admitted call is answered.

use serde_json::json;
use std::time::Duration;
use tchannel_runtime::{Raw, Response, TChannel};
use tchannel_tests::{run_client, Peer};

/// A server that runs one call at a time: `slow` waits 1.5 s, `echo` answers at once.
async fn one_at_a_time_server() -> (TChannel, String) {
    let ch = TChannel::builder("interop")
        .max_channel_inbound_calls(1)
        .build();
    ch.register("slow", Raw, |req| async move {
        tokio::time::sleep(Duration::from_millis(1500)).await;
        Ok(Response::new(req.body))
    });
    ch.register("echo", Raw, |req| async move {
        Ok(Response::new(req.body).with_headers(req.headers))
    });
    let hp = ch.listen("127.0.0.1:0").await.unwrap().to_string();
    (ch, hp)
}

async fn shed_call_is_busy_for(peer: Peer) {
    let (_server, hp) = one_at_a_time_server().await;
    // Sent together on one connection, in this order: `slow` takes the only place.
    let calls = json!([
        {"endpoint": "slow", "arg3": "61", "timeout_ms": 5000},
        {"endpoint": "echo", "arg3": "62", "retry_flags": "n", "timeout_ms": 5000},
    ]);
    let r = run_client(peer, &hp, &calls, &["--parallel"]).await;
    assert_eq!(r[0]["ok"], true, "{peer:?}: {}", r[0]);
    assert_eq!(r[1]["ok"], false, "{peer:?}: {}", r[1]);
    assert_eq!(r[1]["error"]["type"], "busy", "{peer:?}: {}", r[1]);
    assert_eq!(r[1]["error"]["code"], 3, "{peer:?}: {}", r[1]);
    let msg = r[1]["error"]["message"].as_str().unwrap_or_default();
    assert!(
        msg.contains("max_channel_inbound_calls is 1"),
        "{peer:?}: {msg}"
    );
    // Once the slow call is done, the place is free again.
    let r = run_client(peer, &hp, &json!([{"endpoint": "echo", "arg3": "63"}]), &[]).await;
    assert_eq!(r[0]["ok"], true, "{peer:?}: {}", r[0]);
}

#[tokio::test]
async fn node_caller_gets_busy_from_a_shedding_server() {
    shed_call_is_busy_for(Peer::Node).await;
}

#[tokio::test]
async fn python_caller_gets_busy_from_a_shedding_server() {
    shed_call_is_busy_for(Peer::Python).await;
}
