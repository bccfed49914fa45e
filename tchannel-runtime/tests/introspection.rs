//! Introspection (issue 14, item 6): the json endpoint a channel serves when built with
//! `.introspection(true)`, and `TChannel::introspect` in process.

mod common;

use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;
use tchannel_runtime::scheme::HeaderMap;
use tchannel_runtime::{Json, Raw, Response, TChannel, INTROSPECT_ENDPOINT, INTROSPECT_MAX_LISTED};
use tokio::sync::Notify;

/// Calls the introspection endpoint of `service` at `hostport`, with application `headers`.
async fn call_introspect(
    client: &TChannel,
    service: &str,
    hostport: &str,
    headers: HeaderMap,
) -> Result<Value, tchannel_runtime::Error> {
    let res = client
        .json(service, INTROSPECT_ENDPOINT)
        .hostport(hostport)
        .headers(headers)
        .body(json!({}))
        .await?;
    Ok(res.body)
}

async fn introspect_remote(client: &TChannel, service: &str, hostport: &str) -> Value {
    call_introspect(client, service, hostport, HeaderMap::new())
        .await
        .expect("introspection answers")
}

fn find<'a>(list: &'a Value, key: &str, value: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|e| e[key] == value)
        .unwrap_or_else(|| panic!("no {key}={value} in {list:#}"))
}

#[tokio::test]
async fn off_by_default() {
    let server = TChannel::new("svc");
    let addr = server.listen("127.0.0.1:0").await.unwrap().to_string();
    let client = TChannel::new("ops");
    let err = call_introspect(&client, "svc", &addr, HeaderMap::new())
        .await
        .unwrap_err();
    assert!(err.is_bad_request(), "{err}");
    assert!(err.message().contains("no such endpoint"), "{err}");
    // In process it is always there.
    assert_eq!(server.introspect()["service"], "svc");
}

#[tokio::test]
async fn shows_connections_peers_endpoints_and_limits_from_both_ends() {
    let server = TChannel::builder("svc")
        .introspection(true)
        .max_inbound_calls(77)
        .max_write_queue(1 << 20)
        .default_timeout(Duration::from_secs(9))
        .build();
    // A call that stays in flight until released.
    let release = Arc::new(Notify::new());
    let started = Arc::new(Notify::new());
    let (r, s) = (release.clone(), started.clone());
    server.register("hold", Raw, move |req| {
        let (r, s) = (r.clone(), s.clone());
        async move {
            s.notify_one();
            r.notified().await;
            Ok(Response::new(req.body))
        }
    });
    server.register(
        "add",
        Json,
        |req| async move { Ok(Response::new(req.body)) },
    );
    server.register_streaming("stream", |_req, _res| async move { Ok(()) });
    let addr = server.listen("127.0.0.1:0").await.unwrap().to_string();

    let client = TChannel::builder("ops")
        .process_name("ops-tool")
        .known_peers(["127.0.0.1:1"])
        .build();
    let held = {
        let client = client.clone();
        let addr = addr.clone();
        tokio::spawn(async move { client.raw("svc", "hold").hostport(addr).body("x").await })
    };
    started.notified().await;

    // The server, called over the wire: the client's connection, inbound, with the held call
    // and this one in flight.
    let state = introspect_remote(&client, "svc", &addr).await;
    assert_eq!(state["service"], "svc");
    assert_eq!(state["hostport"], addr.as_str());
    assert_eq!(state["language"], "rust");
    assert_eq!(state["state"], "open");
    assert_eq!(state["connections_total"], 1, "{state:#}");
    let conn = &state["connections"][0];
    assert_eq!(conn["direction"], "inbound", "{conn}");
    assert_eq!(conn["process_name"], "ops-tool");
    let inbound_held = conn["inbound_calls"].as_u64().unwrap();
    assert!(inbound_held >= 1, "the held call: {conn}");
    assert_eq!(conn["outbound_calls"], 0);
    assert_eq!(conn["closing"], false);
    let peer = find(&state["peers"], "hostport", conn["peer"].as_str().unwrap());
    assert_eq!(peer["state"], "connected");
    assert_eq!(peer["known"], false);
    assert_eq!(peer["connections"], 1);
    let limits = &state["limits"];
    assert_eq!(limits["max_inbound_calls"], 77);
    assert_eq!(limits["max_write_queue"], 1 << 20);
    assert_eq!(limits["default_timeout_ms"], 9000);
    assert_eq!(limits["max_message_size"], 16 * 1024 * 1024);
    for (endpoint, scheme) in [
        ("hold", "raw"),
        ("add", "json"),
        (INTROSPECT_ENDPOINT, "json"),
        ("Meta::health", "thrift"),
    ] {
        let e = find(&state["endpoints"], "endpoint", endpoint);
        assert_eq!(e["scheme"], scheme, "{e}");
    }
    assert_eq!(
        state["streaming_endpoints"],
        json!([{"service": "svc", "endpoint": "stream"}])
    );
    assert_eq!(state["fallback"], false);

    // The client, in process: its connection is outbound with the held call; its known
    // peer has no connection.
    let mine = client.introspect();
    let conn = find(&mine["connections"], "peer", &addr);
    assert_eq!(conn["direction"], "outbound", "{conn}");
    assert_eq!(conn["outbound_calls"], 1, "{conn}");
    assert_eq!(conn["remote_addr"], addr.as_str());
    let known = find(&mine["peers"], "hostport", "127.0.0.1:1");
    assert_eq!(known["known"], true);
    assert_eq!(known["state"], "unconnected");
    assert_eq!(known["connections"], 0);
    assert_eq!(find(&mine["peers"], "hostport", &addr)["outbound_calls"], 1);

    release.notify_one();
    assert_eq!(held.await.unwrap().unwrap().body, "x");
    let after = client.introspect();
    assert_eq!(
        find(&after["connections"], "peer", &addr)["outbound_calls"],
        0
    );
    let remote = introspect_remote(&client, "svc", &addr).await;
    assert_eq!(
        remote["connections"][0]["inbound_calls"],
        inbound_held - 1,
        "the held call ended: {remote:#}"
    );

    server.close().await;
    assert_eq!(server.introspect()["state"], "closed");
    assert_eq!(server.introspect()["connections_total"], 0);
}

#[tokio::test]
async fn long_lists_are_capped_with_their_total() {
    let ch = TChannel::new("many");
    let n = INTROSPECT_MAX_LISTED + 5;
    for i in 0..n {
        ch.register(format!("e{i:05}"), Raw, |req| async move {
            Ok(Response::new(req.body))
        });
    }
    let state = ch.introspect();
    let listed = state["endpoints"].as_array().unwrap();
    assert_eq!(listed.len(), INTROSPECT_MAX_LISTED);
    // Meta::health, versionInfo and thriftIDL, under the service and under `tchannel`.
    assert_eq!(state["endpoints_total"], n + 6);
    // Sorted: the cut is deterministic.
    assert_eq!(listed[0]["endpoint"], "Meta::health");
    let mut sorted = listed.clone();
    sorted.sort_by_key(|e| (e["service"].to_string(), e["endpoint"].to_string()));
    assert_eq!(&sorted, listed);
}

#[tokio::test]
async fn the_endpoint_does_not_keep_the_channel_alive() {
    let server = TChannel::builder("svc").introspection(true).build();
    let addr = server.listen("127.0.0.1:0").await.unwrap();
    drop(server);
    // The last handle is gone, so the listening socket is released (a handler holding the
    // channel strongly would keep it).
    assert!(
        common::bind_again(addr).await.is_some(),
        "{addr} still bound"
    );
}

#[tokio::test]
async fn an_inbound_auth_layer_guards_it() {
    use tchannel_runtime::middleware::{InboundNext, InboundRequest};
    use tchannel_runtime::{Error, ErrorCode};
    let server = TChannel::builder("svc")
        .introspection(true)
        .inbound(|req: InboundRequest, next: InboundNext| async move {
            match req.json_headers()?.get("token").map(String::as_str) {
                Some("s3cret") => next.run(req).await,
                _ => Err(Error::from_code(ErrorCode::Declined, "bad token")),
            }
        })
        .build();
    let addr = server.listen("127.0.0.1:0").await.unwrap().to_string();
    let client = TChannel::new("ops");
    let err = call_introspect(&client, "svc", &addr, HeaderMap::new())
        .await
        .unwrap_err();
    assert!(err.is_declined(), "{err}");
    let mut token = HeaderMap::new();
    token.insert("token".into(), "s3cret".into());
    let state = call_introspect(&client, "svc", &addr, token).await.unwrap();
    assert_eq!(state["service"], "svc");
}
