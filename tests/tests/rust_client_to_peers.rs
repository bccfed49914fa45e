//! Our client against the real tchannel-node and tchannel-python servers.

use bytes::Bytes;
use serde_json::json;
use std::future::IntoFuture;
use std::time::Duration;
use tchannel_runtime::checksum::ChecksumType;
use tchannel_runtime::scheme::HeaderMap;
use tchannel_runtime::{RetryOn, TChannel};
use tchannel_tests::{repeat, Peer, PeerServer};

const SERVICE: &str = "interop";

async fn setup(peer: Peer) -> (PeerServer, TChannel) {
    let server = PeerServer::start(peer, SERVICE, &[]).await;
    let client = TChannel::builder("rust-client")
        .default_timeout(Duration::from_secs(5))
        .build();
    (server, client)
}

async fn raw_ok_and_not_ok(peer: Peer) {
    let (server, client) = setup(peer).await;
    let hp = &server.hostport;
    let res = client
        .raw(SERVICE, "echo")
        .hostport(hp)
        .headers(Bytes::from_static(b"head"))
        .body(Bytes::from_static(b"body"))
        .await
        .unwrap();
    assert!(res.ok);
    assert_eq!(
        (&res.headers[..], &res.body[..]),
        (&b"head"[..], &b"body"[..])
    );
    assert_eq!(res.transport.get("as"), Some("raw"));

    let res = client
        .raw(SERVICE, "notok")
        .hostport(hp)
        .body("x")
        .await
        .unwrap();
    assert!(!res.ok, "{peer:?}: notok is an application error");
    assert_eq!(&res.body[..], b"x");

    // Empty args everywhere.
    let res = client.raw(SERVICE, "echo").hostport(hp).await.unwrap();
    assert!(res.ok && res.headers.is_empty() && res.body.is_empty());
}

#[tokio::test]
async fn node_raw_ok_and_not_ok() {
    raw_ok_and_not_ok(Peer::Node).await
}
#[tokio::test]
async fn python_raw_ok_and_not_ok() {
    raw_ok_and_not_ok(Peer::Python).await
}

async fn error_frames(peer: Peer) {
    let (server, client) = setup(peer).await;
    let hp = &server.hostport;
    let call = |ep: &'static str| {
        client
            .raw(SERVICE, ep)
            .hostport(hp)
            .body("why")
            .retry_on(RetryOn::Never)
    };
    let e = call("unexpected").await.unwrap_err();
    assert!(e.is_unexpected(), "{peer:?} {e}");
    assert!(e.message().contains("why"), "{e}");
    let e = call("busy").await.unwrap_err();
    assert!(e.is_busy(), "{peer:?} {e}");
    let e = call("declined").await.unwrap_err();
    assert!(e.is_declined(), "{peer:?} {e}");
    let e = call("badrequest").await.unwrap_err();
    assert!(e.is_bad_request(), "{peer:?} {e}");
    let e = call("no_such_endpoint").await.unwrap_err();
    assert!(e.is_bad_request(), "{peer:?} {e}");
    assert!(e.message().contains("no_such_endpoint"), "{e}");
    assert_eq!(e.peer(), Some(hp.as_str()));
    if peer == Peer::Python {
        let e = call("throw").await.unwrap_err();
        assert!(e.is_unexpected(), "{e}");
    }
}

#[tokio::test]
async fn node_error_frames() {
    error_frames(Peer::Node).await
}
#[tokio::test]
async fn python_error_frames() {
    error_frames(Peer::Python).await
}

async fn timeouts(peer: Peer) {
    let (server, client) = setup(peer).await;
    let hp = &server.hostport;
    let start = std::time::Instant::now();
    let e = client
        .raw(SERVICE, "slow")
        .hostport(hp)
        .body("3000")
        .timeout(Duration::from_millis(300))
        .await
        .unwrap_err();
    assert!(e.is_timeout(), "{peer:?} {e}");
    assert!(start.elapsed() < Duration::from_millis(2500));
    // The connection is fine afterwards, and the late answer (python sends one) is dropped.
    let res = client
        .raw(SERVICE, "slow")
        .hostport(hp)
        .body("10")
        .await
        .unwrap();
    assert_eq!(&res.body[..], b"10");
    if peer == Peer::Python {
        tokio::time::sleep(Duration::from_millis(2800)).await;
        let res = client
            .raw(SERVICE, "echo")
            .hostport(hp)
            .body("after")
            .await
            .unwrap();
        assert_eq!(&res.body[..], b"after");
    }
}

#[tokio::test]
async fn node_timeouts() {
    timeouts(Peer::Node).await
}
#[tokio::test]
async fn python_timeouts() {
    timeouts(Peer::Python).await
}

/// Args of many sizes, around the first and second frame boundaries, with every checksum
/// type, in both arg2 and arg3.
async fn fragmentation(peer: Peer) {
    let (server, client) = setup(peer).await;
    let hp = &server.hostport;
    const P: usize = 65519;
    let mut sizes: Vec<usize> = vec![0, 1, 2, 3, 4096, 65_536, 200_000, 1 << 20, 3 << 20];
    for base in [P - 120, P - 40, 2 * P - 60] {
        sizes.extend(base - 40..base + 40);
    }
    let mut failures = Vec::new();
    for csum in [
        ChecksumType::Crc32c,
        ChecksumType::Crc32,
        ChecksumType::None,
    ] {
        for (i, &n) in sizes.iter().enumerate() {
            // Alternate which arg carries the size, so boundaries fall in both.
            let (h, b) = if i % 2 == 0 {
                (repeat(b"h", n % 5000), repeat(b"0123456789", n))
            } else {
                (repeat(b"ab", n), repeat(b"z", 7))
            };
            match client
                .raw(SERVICE, "echo")
                .hostport(hp)
                .checksum(csum)
                .headers(h.clone())
                .body(b.clone())
                .await
            {
                Ok(res) if res.headers == h && res.body == b => {}
                Ok(res) => failures.push(format!(
                    "{csum} arg2 {} arg3 {}: wrong echo ({} / {} bytes back)",
                    h.len(),
                    b.len(),
                    res.headers.len(),
                    res.body.len()
                )),
                Err(e) => failures.push(format!("{csum} arg2 {} arg3 {}: {e}", h.len(), b.len())),
            }
        }
    }
    // Every call ended. The only failures are the peers' documented response-writer bugs
    // (PEERS.md), at exactly the sizes where they strike, and our reader reports each as a
    // protocol error instead of hanging or returning wrong data:
    // - tchannel-node drops arg3 when a response's arg2 ends exactly at a frame's end;
    // - tchannel-python writes two spurious empty chunks when exactly 2 bytes remain.
    // The response's first frame holds 35 bytes of fields (flags, code, tracing, `as=raw`),
    // then the checksum, arg1 (empty) and arg2's length.
    let mut expected = Vec::new();
    for csum in [
        ChecksumType::Crc32c,
        ChecksumType::Crc32,
        ChecksumType::None,
    ] {
        let c = csum.len();
        let first = P - 35 - 1 - c - 2 - 2; // arg2 bytes that fill the first frame
        let second = first + (P - 1 - 1 - c - 2); // ... and the second
        for (i, &n) in sizes.iter().enumerate() {
            let hits = match peer {
                Peer::Node => n == first || n == second,
                Peer::Python => n == first - 2 || n == second - 2,
            };
            if i % 2 == 1 && hits {
                expected.push(format!("{csum} arg2 {n} arg3 7"));
            }
        }
    }
    let got: Vec<String> = failures
        .iter()
        .map(|f| {
            assert!(
                f.contains("protocol error") && f.contains("args"),
                "{peer:?}: {f}"
            );
            f.split(':').next().unwrap().to_owned()
        })
        .collect();
    assert_eq!(got, expected, "{peer:?}: failures were {failures:#?}");
    assert!(
        !expected.is_empty(),
        "the sweep reaches the peer bug's sizes"
    );
}

#[tokio::test]
async fn node_fragmentation() {
    fragmentation(Peer::Node).await
}
#[tokio::test]
async fn python_fragmentation() {
    fragmentation(Peer::Python).await
}

async fn json_calls(peer: Peer) {
    let (server, client) = setup(peer).await;
    let hp = &server.hostport;
    let mut h = HeaderMap::new();
    h.insert("h".into(), "v".into());
    let res = client
        .json(SERVICE, "add")
        .hostport(hp)
        .headers(h.clone())
        .body(json!({"a": 1, "b": 2}))
        .await
        .unwrap();
    assert!(res.ok);
    assert_eq!(res.body, json!({"sum": 3}));
    assert_eq!(res.headers, h);
    assert_eq!(res.transport.get("as"), Some("json"));

    let res = client
        .json(SERVICE, "echo")
        .hostport(hp)
        .body(json!({"nested": [1, "two", {"three": null}]}))
        .await
        .unwrap();
    assert_eq!(res.body, json!({"nested": [1, "two", {"three": null}]}));

    let res = client
        .json(SERVICE, "notok")
        .hostport(hp)
        .body(json!({"q": 1}))
        .await
        .unwrap();
    assert!(!res.ok);
    assert_eq!(res.body["type"], "interop.notok");
    assert_eq!(res.body["request"], json!({"q": 1}));

    // The same endpoints with typed bodies, and the application error as an error value.
    #[derive(serde::Serialize)]
    struct Add {
        a: i64,
        b: i64,
    }
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Sum {
        sum: i64,
    }
    #[derive(serde::Deserialize)]
    struct NotOk {
        r#type: String,
    }
    let sum: Sum = client
        .json(SERVICE, "add")
        .hostport(hp)
        .header("h", "v")
        .body_json(&Add { a: 40, b: 2 })
        .unwrap()
        .await
        .unwrap()
        .into_result()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(sum, Sum { sum: 42 });
    let e = client
        .json(SERVICE, "notok")
        .hostport(hp)
        .body_json(&Add { a: 1, b: 1 })
        .unwrap()
        .await
        .unwrap()
        .into_result()
        .unwrap_err();
    assert_eq!(e.response.json::<NotOk>().unwrap().r#type, "interop.notok");
    assert!(tchannel_runtime::Error::from(e).is_application_error());
}

#[tokio::test]
async fn node_json() {
    json_calls(Peer::Node).await
}
#[tokio::test]
async fn python_json() {
    json_calls(Peer::Python).await
}

/// What the peer saw of our call: transport headers, ttl, checksum, tracing.
async fn transport_metadata(peer: Peer) {
    let (server, client) = setup(peer).await;
    let hp = &server.hostport;
    for csum in [
        ChecksumType::Crc32c,
        ChecksumType::Crc32,
        ChecksumType::None,
    ] {
        let res = client
            .raw(SERVICE, "inspect")
            .hostport(hp)
            .timeout(Duration::from_millis(2000))
            .retry_on(RetryOn::ConnectionErrorAndTimeout)
            .shard_key("shard-7")
            .routing_delegate("delegate-svc")
            .checksum(csum)
            .headers(Bytes::from_static(b"\x01\x02"))
            .body(Bytes::from_static(b"abc"))
            .await
            .unwrap();
        let seen: serde_json::Value = serde_json::from_slice(&res.body).unwrap();
        assert_eq!(seen["caller_name"], "rust-client", "{seen}");
        assert_eq!(seen["arg2_hex"], "0102");
        assert_eq!(seen["arg3_len"], 3);
        let ttl = seen["ttl_ms"].as_u64().unwrap();
        assert!((1500..=2000).contains(&ttl), "ttl {ttl}");
        if peer == Peer::Node {
            // tchannel-python exposes neither the raw headers nor the checksum type reliably.
            assert_eq!(seen["checksum_type"], csum.code(), "{seen}");
            let th = &seen["transport_headers"];
            assert_eq!(th["as"], "raw");
            assert_eq!(th["re"], "ct");
            assert_eq!(th["sk"], "shard-7");
            assert_eq!(th["rd"], "delegate-svc");
            assert_eq!(th["cn"], "rust-client");
        }
        let tr = &seen["tracing"];
        assert_eq!(tr["span_id"], tr["trace_id"], "a root span: {tr}");
        assert_eq!(tr["parent_id"], "0000000000000000");
    }
}

#[tokio::test]
async fn node_transport_metadata() {
    transport_metadata(Peer::Node).await
}
#[tokio::test]
async fn python_transport_metadata() {
    transport_metadata(Peer::Python).await
}

/// Farmhash against tchannel-node, the one implementation that sends it: each frame
/// carries fingerprint32 of its last chunk. tchannel-node verifies every frame of our
/// requests and answers in farmhash, which we verify in turn; sizes from one frame to many.
#[tokio::test]
async fn node_farmhash_calls() {
    let (server, client) = setup(Peer::Node).await;
    let hp = &server.hostport;
    for n in [0usize, 1, 5, 13, 25, 65_000, 200_000, 1 << 20] {
        let (h, b) = (repeat(b"hd", n % 7000), repeat(b"0123456789", n));
        let res = client
            .raw(SERVICE, "echo")
            .hostport(hp)
            .checksum(ChecksumType::Farmhash32)
            .headers(h.clone())
            .body(b.clone())
            .await
            .unwrap_or_else(|e| panic!("farmhash echo of {n} bytes: {e}"));
        assert!(res.ok);
        assert_eq!(res.headers, h, "{n}");
        assert_eq!(res.body, b, "{n}");
    }
    let seen = client
        .json(SERVICE, "inspect")
        .hostport(hp)
        .checksum(ChecksumType::Farmhash32)
        .await
        .unwrap();
    assert_eq!(seen.body["checksum_type"], 2, "{}", seen.body);
}

#[tokio::test]
async fn ping_node_and_python() {
    let (node, client) = setup(Peer::Node).await;
    let rtt = client
        .ping(&node.hostport, Duration::from_secs(2))
        .await
        .unwrap();
    assert!(rtt < Duration::from_secs(2));
    // tchannel-python never answers ping req: our ping times out, and the connection stays
    // usable (we do not kill it for that).
    let (py, client) = setup(Peer::Python).await;
    let e = client
        .ping(&py.hostport, Duration::from_millis(300))
        .await
        .unwrap_err();
    assert!(e.is_timeout(), "{e}");
    let res = client
        .raw(SERVICE, "echo")
        .hostport(&py.hostport)
        .body("x")
        .await
        .unwrap();
    assert_eq!(&res.body[..], b"x");
}

#[tokio::test]
async fn calls_by_service_over_known_peers() {
    let node = PeerServer::start(Peer::Node, SERVICE, &[]).await;
    let py = PeerServer::start(Peer::Python, SERVICE, &[]).await;
    let client = TChannel::builder("rust-client")
        .known_peers([node.hostport.clone(), py.hostport.clone()])
        .build();
    let who = |res: tchannel_runtime::Response<tchannel_runtime::Raw>| {
        let v: serde_json::Value = serde_json::from_slice(&res.body).unwrap();
        v["peer"].as_str().unwrap().to_owned()
    };
    // Sequential calls stay on the peer that is connected (nothing is pending anywhere).
    let first = who(client.raw(SERVICE, "inspect").await.unwrap());
    for _ in 0..5 {
        assert_eq!(who(client.raw(SERVICE, "inspect").await.unwrap()), first);
    }
    // Make that peer busy (calls pinned to it count as its pending calls): the next call
    // by service name goes to the idle one.
    let busy_hp = if first == "node" {
        &node.hostport
    } else {
        &py.hostport
    };
    let slow: Vec<_> = (0..8)
        .map(|_| {
            let c = client.raw(SERVICE, "slow").hostport(busy_hp).body("300");
            tokio::spawn(c.into_future())
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let other = who(client.raw(SERVICE, "inspect").await.unwrap());
    assert_ne!(
        other, first,
        "the idle peer took the call while the other was busy"
    );
    for s in slow {
        assert!(s.await.unwrap().unwrap().ok);
    }
    // Busy is retried on the other peer: both answer busy, so the error comes back after
    // two attempts (never the same peer twice), well within the retry limit.
    let e = client.raw(SERVICE, "busy").await.unwrap_err();
    assert!(e.is_busy(), "{e}");
}
