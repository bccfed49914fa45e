//! Rust client against Rust server: the channel API end to end over loopback TCP.

mod common;

use bytes::Bytes;
use common::{call_req, RawPeer};
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tchannel_runtime::checksum::ChecksumType;
use tchannel_runtime::frame::FrameBody;
use tchannel_runtime::scheme::HeaderMap;
use tchannel_runtime::{ErrorCode, HandlerError, Json, Raw, Response, RetryOn, TChannel};

async fn echo_server(name: &str) -> (TChannel, String) {
    let ch = TChannel::new(name);
    ch.register("echo", Raw, |req| async move {
        Ok(Response::new(req.body).with_headers(req.headers))
    });
    ch.register("notok", Raw, |req| async move {
        Ok(Response::app_error(req.body))
    });
    ch.register("fail", Raw, |_req| async move {
        Err::<Response<Raw>, _>(HandlerError::unexpected("intentional failure"))
    });
    ch.register("busy", Raw, |_req| async move {
        Err::<Response<Raw>, _>(HandlerError::busy("too much"))
    });
    ch.register("sleep", Raw, |req| async move {
        let ms: u64 = std::str::from_utf8(&req.body).unwrap().parse().unwrap();
        tokio::time::sleep(Duration::from_millis(ms)).await;
        Ok(Response::new(req.body))
    });
    ch.register("whoami", Json, |req| async move {
        let t = &req.transport;
        Ok(Response::new(json!({
            "caller": t.caller,
            "service": t.service,
            "scheme": t.scheme,
            "ttl_ms": t.ttl.as_millis() as u64,
            "re": t.retry_flags().as_header(),
            "sk": t.shard_key(),
            "rd": t.routing_delegate(),
            "rk": t.routing_key(),
            "peer_port": t.peer.addr.port(),
        })))
    });
    ch.register("add", Json, |req| async move {
        let a = req.body["a"].as_i64().unwrap_or(0);
        let b = req.body["b"].as_i64().unwrap_or(0);
        Ok(Response::new(json!({ "sum": a + b })).with_headers(req.headers))
    });
    let addr = ch.listen("127.0.0.1:0").await.unwrap();
    (ch, addr.to_string())
}

#[tokio::test]
async fn raw_echo_with_headers() {
    let (_server, hp) = echo_server("svc").await;
    let client = TChannel::new("client");
    let res = client
        .raw("svc", "echo")
        .hostport(&hp)
        .headers(Bytes::from_static(b"head"))
        .body(Bytes::from_static(b"body"))
        .await
        .unwrap();
    assert!(res.ok);
    assert_eq!(&res.headers[..], b"head");
    assert_eq!(&res.body[..], b"body");
    assert_eq!(res.transport.get("as"), Some("raw"));
}

#[tokio::test]
async fn json_call_and_transport_metadata() {
    let (_server, hp) = echo_server("svc").await;
    let client = TChannel::new("the-client");
    let mut h = HeaderMap::new();
    h.insert("k".into(), "v".into());
    let res = client
        .json("svc", "add")
        .hostport(&hp)
        .headers(h.clone())
        .body(json!({"a": 1, "b": 2}))
        .await
        .unwrap();
    assert!(res.ok);
    assert_eq!(res.body, json!({"sum": 3}));
    assert_eq!(res.headers, h);

    let res = client
        .json("svc", "whoami")
        .hostport(&hp)
        .timeout(Duration::from_millis(1500))
        .retry_on(RetryOn::ConnectionErrorAndTimeout)
        .shard_key("shard-1")
        .routing_delegate("delegate")
        .routing_key("rk-1")
        .await
        .unwrap();
    let b = &res.body;
    assert_eq!(b["caller"], "the-client");
    assert_eq!(b["service"], "svc");
    assert_eq!(b["scheme"], "json");
    assert_eq!(b["re"], "ct");
    assert_eq!(b["sk"], "shard-1");
    assert_eq!(b["rd"], "delegate");
    assert_eq!(b["rk"], "rk-1");
    let ttl = b["ttl_ms"].as_u64().unwrap();
    assert!((1400..=1500).contains(&ttl), "ttl {ttl}");
}

#[tokio::test]
async fn application_errors_and_error_frames() {
    let (_server, hp) = echo_server("svc").await;
    let client = TChannel::new("client");
    let res = client
        .raw("svc", "notok")
        .hostport(&hp)
        .body("x")
        .await
        .unwrap();
    assert!(!res.ok);
    assert_eq!(&res.body[..], b"x");

    let e = client.raw("svc", "fail").hostport(&hp).await.unwrap_err();
    assert!(e.is_unexpected(), "{e}");
    assert!(e.to_string().contains("intentional failure"), "{e}");
    assert_eq!(e.service(), Some("svc"));
    assert_eq!(e.endpoint(), Some("fail"));
    assert_eq!(e.peer(), Some(hp.as_str()));

    let e = client.raw("svc", "busy").hostport(&hp).await.unwrap_err();
    assert!(e.is_busy(), "{e}");

    let e = client.raw("svc", "nope").hostport(&hp).await.unwrap_err();
    assert!(e.is_bad_request(), "{e}");
    assert!(e.message().contains("\"nope\""), "{e}");

    let e = client
        .raw("other-service", "echo")
        .hostport(&hp)
        .await
        .unwrap_err();
    assert!(e.is_bad_request(), "{e}");

    // A json endpoint called as raw: the scheme does not match.
    let e = client.raw("svc", "add").hostport(&hp).await.unwrap_err();
    assert!(e.is_bad_request(), "{e}");
    assert!(e.message().contains("as=json"), "{e}");
}

#[tokio::test]
async fn fallback_handler_takes_unknown_endpoints() {
    let (server, hp) = echo_server("svc").await;
    server.register_fallback(Raw, |req| async move {
        Ok(Response::new(Bytes::from(format!(
            "fallback:{}",
            req.endpoint
        ))))
    });
    let client = TChannel::new("client");
    let res = client.raw("svc", "whatever").hostport(&hp).await.unwrap();
    assert_eq!(&res.body[..], b"fallback:whatever");
    // Registered endpoints still win.
    let res = client
        .raw("svc", "echo")
        .hostport(&hp)
        .body("e")
        .await
        .unwrap();
    assert_eq!(&res.body[..], b"e");
}

#[tokio::test]
async fn fragmented_args_of_many_sizes_and_checksums() {
    let (_server, hp) = echo_server("svc").await;
    let client = TChannel::new("client");
    let first_frame = 65519 - 70; // about where the first frame ends for this call
    let mut sizes = vec![0usize, 1, 2, 100, 65535, 65536, 131_070, 1 << 20, 3 << 20];
    sizes.extend((first_frame - 10..first_frame + 10).step_by(3));
    for csum in [
        ChecksumType::None,
        ChecksumType::Crc32,
        ChecksumType::Crc32c,
    ] {
        for &n in &sizes {
            let head: Bytes = (0..n / 3).map(|i| (i % 251) as u8).collect();
            let body: Bytes = (0..n).map(|i| (i % 253) as u8).collect();
            let res = client
                .raw("svc", "echo")
                .hostport(&hp)
                .checksum(csum)
                .headers(head.clone())
                .body(body.clone())
                .await
                .unwrap_or_else(|e| panic!("{csum} {n}: {e}"));
            assert_eq!(res.headers, head, "{csum} {n}");
            assert_eq!(res.body, body, "{csum} {n}");
        }
    }
}

#[tokio::test]
async fn message_size_limit() {
    let server = TChannel::builder("svc").max_message_size(100_000).build();
    server.register(
        "echo",
        Raw,
        |req| async move { Ok(Response::new(req.body)) },
    );
    let hp = server.listen("127.0.0.1:0").await.unwrap().to_string();
    let client = TChannel::new("client");
    let e = client
        .raw("svc", "echo")
        .hostport(&hp)
        .body(vec![0u8; 200_000])
        .await
        .unwrap_err();
    assert!(e.is_bad_request(), "{e}");
    assert!(e.message().contains("100000"), "{e}");
    // The connection is still good for the next call.
    let res = client
        .raw("svc", "echo")
        .hostport(&hp)
        .body("ok")
        .await
        .unwrap();
    assert_eq!(&res.body[..], b"ok");
}

#[tokio::test]
async fn many_calls_multiplexed_answer_out_of_order() {
    let (_server, hp) = echo_server("svc").await;
    let client = TChannel::new("client");
    let calls = (0..200u64).map(|i| {
        let client = client.clone();
        let hp = hp.clone();
        tokio::spawn(async move {
            // Later calls sleep less, so responses come back in another order.
            let ms = (200 - i) / 10;
            let res = client
                .raw("svc", "sleep")
                .hostport(&hp)
                .body(ms.to_string())
                .await
                .unwrap();
            assert_eq!(res.body, Bytes::from(ms.to_string()));
        })
    });
    for c in calls {
        c.await.unwrap();
    }
}

#[tokio::test(start_paused = true)]
async fn client_times_out_and_ttl_goes_on_the_wire() {
    let (_server, hp) = echo_server("svc").await;
    let client = TChannel::new("client");
    let start = tokio::time::Instant::now();
    let e = client
        .raw("svc", "sleep")
        .hostport(&hp)
        .body("10000")
        .timeout(Duration::from_millis(200))
        .await
        .unwrap_err();
    assert!(e.is_timeout(), "{e}");
    assert!(start.elapsed() >= Duration::from_millis(199));
    assert!(start.elapsed() < Duration::from_secs(1));
    assert!(e.to_string().contains("ttl 200ms"), "{e}");
    // The late answer (if any) is dropped quietly and the connection still works.
    let res = client
        .raw("svc", "echo")
        .hostport(&hp)
        .body("after")
        .await
        .unwrap();
    assert_eq!(&res.body[..], b"after");
}

/// The connection's one call timer (no tokio timer per call): a call with a shorter
/// deadline than the ones waiting ends at its own deadline, not theirs; the long call ends at
/// its own; a call answered meanwhile is not touched.
#[tokio::test(start_paused = true)]
async fn calls_on_one_connection_each_end_at_their_own_deadline() {
    let (_server, hp) = echo_server("svc").await;
    let client = TChannel::new("client");
    // Connected first, so that all three calls share the connection.
    client.raw("svc", "echo").hostport(&hp).await.unwrap();
    let call = |ms: u64, sleep: &'static str| {
        let client = client.clone();
        let hp = hp.clone();
        tokio::spawn(async move {
            let start = tokio::time::Instant::now();
            let r = client
                .raw("svc", "sleep")
                .hostport(&hp)
                .body(sleep)
                .timeout(Duration::from_millis(ms))
                .await;
            (r, start.elapsed())
        })
    };
    let long = call(10_000, "60000");
    tokio::task::yield_now().await;
    let short = call(200, "60000");
    let answered = call(5_000, "100");
    let (r, took) = short.await.unwrap();
    let e = r.unwrap_err();
    assert!(e.is_timeout() && e.to_string().contains("ttl 200ms"), "{e}");
    assert!(
        took >= Duration::from_millis(199) && took < Duration::from_secs(1),
        "{took:?}"
    );
    let (r, took) = answered.await.unwrap();
    assert!(r.unwrap().ok);
    assert!(took < Duration::from_secs(1), "{took:?}");
    let (r, took) = long.await.unwrap();
    assert!(r.unwrap_err().is_timeout());
    assert!(
        took >= Duration::from_millis(9_999) && took < Duration::from_secs(11),
        "{took:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn server_answers_timeout_frame_when_ttl_passes() {
    let (_server, hp) = echo_server("svc").await;
    let mut peer = RawPeer::connect(hp.parse().unwrap()).await;
    peer.send(&call_req(
        5,
        "svc",
        "raw",
        100,
        [b"sleep", b"", b"5000"],
        ChecksumType::Crc32c,
    ))
    .await;
    let f = peer.recv().await.unwrap();
    assert_eq!(f.id, 5);
    let FrameBody::Error(e) = f.body else {
        panic!("{f:?}")
    };
    assert_eq!(e.code, ErrorCode::Timeout);
    assert!(String::from_utf8_lossy(&e.message).contains("100ms"));
}

#[tokio::test]
async fn cancel_drops_the_handler_future() {
    struct Flag(Arc<AtomicUsize>);
    impl Drop for Flag {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }
    let dropped = Arc::new(AtomicUsize::new(0));
    let started = Arc::new(tokio::sync::Notify::new());
    let server = TChannel::new("svc");
    {
        let dropped = dropped.clone();
        let started = started.clone();
        server.register("hang", Raw, move |_req| {
            let flag = Flag(dropped.clone());
            let started = started.clone();
            async move {
                let _flag = flag;
                started.notify_one();
                std::future::pending::<()>().await;
                Ok(Response::new(Bytes::new()))
            }
        });
    }
    let addr = server.listen("127.0.0.1:0").await.unwrap();
    let mut peer = RawPeer::connect(addr).await;
    peer.send(&call_req(
        9,
        "svc",
        "raw",
        10_000,
        [b"hang", b"", b""],
        ChecksumType::None,
    ))
    .await;
    started.notified().await;
    peer.send(&tchannel_runtime::frame::Frame {
        id: 9,
        body: FrameBody::Cancel(Default::default()),
    })
    .await;
    let f = peer.recv().await.unwrap();
    assert!(
        matches!(f.body, FrameBody::Error(ref e) if e.code == ErrorCode::Cancelled),
        "{f:?}"
    );
    assert_eq!(dropped.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn ping_round_trip() {
    let (_server, hp) = echo_server("svc").await;
    let client = TChannel::new("client");
    let rtt = client.ping(&hp, Duration::from_secs(2)).await.unwrap();
    assert!(rtt < Duration::from_secs(2));
}

#[tokio::test]
async fn listen_twice() {
    let ch = TChannel::new("svc");
    let a = ch.listen("127.0.0.1:0").await.unwrap();
    assert_eq!(ch.listen(&a.to_string()).await.unwrap(), a);
    let e = ch.listen("127.0.0.2:0").await.unwrap_err();
    assert!(e.is_already_listening(), "{e}");
    assert_eq!(ch.hostport(), Some(a));
}

/// A retry is sent with the time left as its ttl, not the call's whole timeout (the first
/// attempt's ttl is the timeout; later ones read the clock).
#[tokio::test(start_paused = true)]
async fn a_retry_is_sent_with_the_time_left_as_its_ttl() {
    let hits = Arc::new(AtomicUsize::new(0));
    let armed = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut peers = Vec::new();
    let mut servers = Vec::new();
    for _ in 0..2 {
        let ch = TChannel::new("svc");
        let hits = hits.clone();
        let armed = armed.clone();
        ch.register("work", Raw, move |req| {
            let first = armed.load(Ordering::SeqCst) && hits.fetch_add(1, Ordering::SeqCst) == 0;
            async move {
                if first {
                    tokio::time::sleep(Duration::from_millis(300)).await;
                    return Err(HandlerError::busy("busy"));
                }
                let ttl = req.transport.ttl.as_millis().to_string();
                Ok(Response::new(Bytes::from(ttl)))
            }
        });
        peers.push(ch.listen("127.0.0.1:0").await.unwrap().to_string());
        servers.push(ch);
    }
    let client = TChannel::builder("client")
        .known_peers(peers.clone())
        .build();
    // Both peers connected first: the retry is sent at once, not after connecting (which
    // reads the clock anyway).
    for p in &peers {
        assert!(client.raw("svc", "work").hostport(p).await.unwrap().ok);
    }
    armed.store(true, Ordering::SeqCst);
    let res = client
        .raw("svc", "work")
        .timeout(Duration::from_millis(1000))
        .await
        .unwrap();
    assert_eq!(hits.load(Ordering::SeqCst), 2);
    let ttl: u64 = std::str::from_utf8(&res.body).unwrap().parse().unwrap();
    assert!(ttl > 0 && ttl <= 700, "the retry's ttl: {ttl}ms");
}

#[tokio::test]
async fn retries_go_to_untried_peers_only() {
    let hits = Arc::new(AtomicUsize::new(0));
    let mut peers = Vec::new();
    let mut servers = Vec::new();
    for busy in [true, true, false] {
        let ch = TChannel::new("svc");
        let hits = hits.clone();
        ch.register("work", Raw, move |_req| {
            hits.fetch_add(1, Ordering::SeqCst);
            async move {
                if busy {
                    Err(HandlerError::busy("busy"))
                } else {
                    Ok(Response::new(Bytes::from_static(b"done")))
                }
            }
        });
        peers.push(ch.listen("127.0.0.1:0").await.unwrap().to_string());
        servers.push(ch);
    }
    let client = TChannel::builder("client")
        .known_peers(peers.clone())
        .build();
    for _ in 0..5 {
        hits.store(0, Ordering::SeqCst);
        let res = client.raw("svc", "work").await.unwrap();
        assert_eq!(&res.body[..], b"done");
        assert!(
            hits.load(Ordering::SeqCst) <= 3,
            "never the same peer twice"
        );
    }
    // With retries off, a busy peer's error comes back.
    let only_busy = TChannel::builder("client")
        .known_peers([peers[0].clone()])
        .build();
    let e = only_busy.raw("svc", "work").await.unwrap_err();
    assert!(e.is_busy(), "{e}");
    let e = client
        .raw("svc", "work")
        .retry_on(RetryOn::Never)
        .retry_limit(0)
        .await;
    if let Err(e) = e {
        assert!(e.is_busy(), "{e}");
    }
    // No known peers at all.
    let e = TChannel::new("lonely")
        .raw("svc", "work")
        .await
        .unwrap_err();
    assert!(e.is_no_peer_available(), "{e}");
}

#[tokio::test]
async fn connection_refused_is_a_network_error() {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hp = l.local_addr().unwrap().to_string();
    drop(l);
    let e = TChannel::new("c")
        .raw("svc", "x")
        .hostport(&hp)
        .await
        .unwrap_err();
    assert!(e.is_network(), "{e}");
}

#[tokio::test]
async fn peer_dying_mid_call_fails_exactly_its_calls() {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hp = l.local_addr().unwrap().to_string();
    let dying = tokio::spawn(async move {
        let (mut s, _) = l.accept().await.unwrap();
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut buf = vec![0u8; 4096];
        let n = s.read(&mut buf).await.unwrap();
        let init = tchannel_runtime::frame::Frame {
            id: 1,
            body: FrameBody::InitRes(tchannel_runtime::frame::Init {
                version: 2,
                headers: vec![
                    ("host_port".into(), "127.0.0.1:1".into()),
                    ("process_name".into(), "dying".into()),
                ],
            }),
        };
        assert!(n > 16);
        s.write_all(&init.to_bytes().unwrap()).await.unwrap();
        // Read the calls, answer half a frame, then die.
        let _ = s.read(&mut buf).await.unwrap();
        s.write_all(&[0x00, 0x40, 0x04]).await.unwrap();
    });
    let (_good, good_hp) = echo_server("svc").await;
    let client = TChannel::new("client");
    let doomed = (0..3).map(|_| {
        let client = client.clone();
        let hp = hp.clone();
        tokio::spawn(async move { client.raw("svc", "x").hostport(hp).await })
    });
    let ok = client.raw("svc", "sleep").hostport(&good_hp).body("50");
    let ok = tokio::spawn(ok.into_future());
    for d in doomed {
        let e = d.await.unwrap().unwrap_err();
        assert!(e.is_network(), "{e}");
    }
    dying.await.unwrap();
    assert!(ok.await.unwrap().unwrap().ok);
}

use std::future::IntoFuture;

#[tokio::test]
async fn bad_input_gets_error_frames_and_the_connection_survives() {
    let (_server, hp) = echo_server("svc").await;
    let mut peer = RawPeer::connect(hp.parse().unwrap()).await;

    // Bad checksum.
    let mut f = call_req(
        2,
        "svc",
        "raw",
        1000,
        [b"echo", b"", b"x"],
        ChecksumType::Crc32c,
    );
    if let FrameBody::CallReq(c) = &mut f.body {
        c.checksum.value ^= 0xdead;
    }
    peer.send(&f).await;
    let r = peer.recv().await.unwrap();
    assert_eq!(r.id, 2);
    assert!(
        matches!(&r.body, FrameBody::Error(e) if e.code == ErrorCode::BadRequest
        && String::from_utf8_lossy(&e.message).contains("checksum")),
        "{r:?}"
    );

    // Oversize arg1.
    let big = vec![b'a'; 16 * 1024 + 1];
    peer.send(&call_req(
        3,
        "svc",
        "raw",
        1000,
        [&big, b"", b""],
        ChecksumType::None,
    ))
    .await;
    let r = peer.recv().await.unwrap();
    assert!(
        matches!(&r.body, FrameBody::Error(e) if e.code == ErrorCode::BadRequest
        && String::from_utf8_lossy(&e.message).contains("arg1")),
        "{r:?}"
    );

    // A truncated call req body (framing intact): bad request naming the field.
    peer.send_bytes(&[
        0, 20, 0x03, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9,
    ])
    .await;
    let r = peer.recv().await.unwrap();
    assert_eq!(r.id, 4);
    assert!(
        matches!(&r.body, FrameBody::Error(e) if e.code == ErrorCode::BadRequest
        && String::from_utf8_lossy(&e.message).contains("ttl")),
        "{r:?}"
    );

    // Only two args in the final frame.
    let mut f = call_req(
        5,
        "svc",
        "raw",
        1000,
        [b"echo", b"", b""],
        ChecksumType::None,
    );
    if let FrameBody::CallReq(c) = &mut f.body {
        let mut two = tchannel_runtime::frame::Chunks::new();
        two.push(Bytes::from_static(b"echo"));
        two.push(Bytes::new());
        c.chunks = two;
    }
    peer.send(&f).await;
    let r = peer.recv().await.unwrap();
    assert!(
        matches!(&r.body, FrameBody::Error(e) if e.code == ErrorCode::BadRequest),
        "{r:?}"
    );

    // ttl 0.
    peer.send(&call_req(
        6,
        "svc",
        "raw",
        0,
        [b"echo", b"", b""],
        ChecksumType::None,
    ))
    .await;
    let r = peer.recv().await.unwrap();
    assert!(
        matches!(&r.body, FrameBody::Error(e) if e.code == ErrorCode::BadRequest),
        "{r:?}"
    );

    // Unknown frame types and claims are ignored.
    peer.send_bytes(&[0, 16, 0x42, 0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0])
        .await;

    // The connection still serves calls, in order.
    peer.send(&call_req(
        8,
        "svc",
        "raw",
        1000,
        [b"echo", b"h", b"b"],
        ChecksumType::Crc32,
    ))
    .await;
    let r = peer.recv().await.unwrap();
    assert_eq!(r.id, 8);
    let FrameBody::CallRes(res) = r.body else {
        panic!("{r:?}")
    };
    assert_eq!(res.code, 0);
    assert_eq!(
        res.checksum.kind,
        ChecksumType::Crc32,
        "answers in the request's checksum type"
    );

    // A frame size below 16 is fatal: protocol error, then the connection closes.
    peer.send_bytes(&[0, 3, 0]).await;
    let r = peer.recv().await.unwrap();
    assert!(
        matches!(&r.body, FrameBody::Error(e) if e.code == ErrorCode::Protocol),
        "{r:?}"
    );
    assert!(
        peer.recv().await.is_none(),
        "connection closed after a fatal error"
    );

    // The server is fine: a new connection works.
    let res = TChannel::new("c")
        .raw("svc", "echo")
        .hostport(&hp)
        .body("z")
        .await
        .unwrap();
    assert_eq!(&res.body[..], b"z");
}

#[tokio::test]
async fn peer_closing_mid_frame_does_not_hurt_the_server() {
    let (_server, hp) = echo_server("svc").await;
    let mut peer = RawPeer::connect(hp.parse().unwrap()).await;
    let f = call_req(
        2,
        "svc",
        "raw",
        1000,
        [b"echo", b"", b"hello"],
        ChecksumType::None,
    );
    let bytes = f.to_bytes().unwrap();
    peer.send_bytes(&bytes[..bytes.len() - 3]).await;
    drop(peer);
    let res = TChannel::new("c")
        .raw("svc", "echo")
        .hostport(&hp)
        .body("z")
        .await
        .unwrap();
    assert_eq!(&res.body[..], b"z");
}

#[tokio::test]
async fn incoming_connection_is_reused_for_calls_back() {
    // A listens; A calls B; B's handler calls A back by A's host:port.
    let a = TChannel::new("a");
    a.register("back", Json, |req| async move {
        Ok(Response::new(
            json!({ "peer_port": req.transport.peer.addr.port() }),
        ))
    });
    a.listen("127.0.0.1:0").await.unwrap();
    let b = TChannel::new("b");
    let b_addr = b.listen("127.0.0.1:0").await.unwrap();
    {
        let b2 = b.clone();
        b.register("forward", Json, move |req| {
            let b = b2.clone();
            async move {
                let hp = req.transport.peer.host_port.clone();
                let res = b.json("a", "back").hostport(hp).await?;
                Ok(Response::new(res.body))
            }
        });
    }
    let res = a
        .json("b", "forward")
        .hostport(b_addr.to_string())
        .await
        .unwrap();
    // The call back arrived on the connection A opened to B, whose far end is B's listener.
    assert_eq!(res.body["peer_port"], b_addr.port());
}

#[tokio::test]
async fn graceful_close_lets_calls_finish_and_declines_new_ones() {
    let (server, hp) = echo_server("svc").await;
    let client = TChannel::new("client");
    let slow = tokio::spawn(
        client
            .raw("svc", "sleep")
            .hostport(&hp)
            .body("300")
            .into_future(),
    );
    tokio::time::sleep(Duration::from_millis(50)).await;
    let closing = tokio::spawn({
        let server = server.clone();
        async move { server.close_within(Duration::from_secs(5)).await }
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    // A new call on the same connection is declined while draining.
    let e = client.raw("svc", "echo").hostport(&hp).await.unwrap_err();
    assert!(e.is_declined(), "{e}");
    assert!(slow.await.unwrap().unwrap().ok, "in-flight call finished");
    closing.await.unwrap();
}

#[tokio::test]
async fn a_panicking_handler_is_an_unexpected_error_and_the_connection_lives() {
    let (server, hp) = echo_server("svc").await;
    server.register("panic-now", Raw, |_req| async move {
        if true {
            panic!("boom at once");
        }
        Ok(Response::new(Bytes::new()))
    });
    server.register("panic-later", Raw, |_req| async move {
        tokio::time::sleep(Duration::from_millis(5)).await;
        if true {
            panic!("boom after a wait");
        }
        Ok(Response::new(Bytes::new()))
    });
    let client = TChannel::new("client");
    for (ep, msg) in [
        ("panic-now", "boom at once"),
        ("panic-later", "boom after a wait"),
    ] {
        let e = client.raw("svc", ep).hostport(&hp).await.unwrap_err();
        assert!(e.is_unexpected(), "{e}");
        assert!(e.message().contains(msg), "{e}");
    }
    let res = client
        .raw("svc", "echo")
        .hostport(&hp)
        .body("alive")
        .await
        .unwrap();
    assert_eq!(&res.body[..], b"alive");
}

#[tokio::test]
async fn the_address_is_free_when_close_returns() {
    for _ in 0..20 {
        let (server, hp) = echo_server("svc").await;
        // A connection open at close time must not keep the port either.
        let client = TChannel::new("client");
        client.raw("svc", "echo").hostport(&hp).await.unwrap();
        server.close().await;
        let again = TChannel::new("svc");
        assert_eq!(again.listen(&hp).await.unwrap().to_string(), hp);
        again.close().await;
    }
}

/// A handler that passes on an error with a code (a downstream call's, say) answers with that
/// code, and the caller reads the code's name once: the message on the wire is the error's
/// own, not its display (which starts with the code's name), so the caller's error does not
/// read "bad request: bad request: ...".
#[tokio::test]
async fn an_error_passed_on_by_a_handler_names_its_code_once() {
    let server = TChannel::new("svc");
    server.register("get", Raw, |_req| async move {
        let downstream = tchannel_runtime::Error::from_code(ErrorCode::BadRequest, "no such key");
        Err::<Response<Raw>, _>(HandlerError::from(downstream))
    });
    let hp = server.listen("127.0.0.1:0").await.unwrap().to_string();
    let client = TChannel::new("client");
    let e = client.raw("svc", "get").hostport(&hp).await.unwrap_err();
    assert!(e.is_bad_request(), "{e}");
    assert_eq!(e.message(), "no such key", "{e}");
    assert!(e.to_string().starts_with("bad request: no such key"), "{e}");
}
