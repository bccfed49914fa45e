//! Length limits of the wire fields, end to end: a value that does not fit its field is a
//! bad request naming the field, its length and the limit, refused before anything is sent;
//! never a truncated length that a server reads as another call.

mod common;

use bytes::{BufMut, Bytes, BytesMut};
use common::{call_req, RawPeer};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tchannel_runtime::checksum::ChecksumType;
use tchannel_runtime::frame::{FrameBody, MAX_ARG1_LEN};
use tchannel_runtime::{ErrorCode, Raw, Response, TChannel};

/// A server whose `echo` endpoint counts its calls.
async fn counting_server(
    name: &str,
    endpoint: &'static str,
) -> (TChannel, String, Arc<AtomicUsize>) {
    let ch = TChannel::new(name);
    let calls = Arc::new(AtomicUsize::new(0));
    let c = calls.clone();
    ch.register(endpoint, Raw, move |req| {
        c.fetch_add(1, Ordering::SeqCst);
        async move { Ok(Response::new(req.body).with_headers(req.headers)) }
    });
    let addr = ch.listen("127.0.0.1:0").await.unwrap();
    (ch, addr.to_string(), calls)
}

/// A `host:port` on which nothing listens: a call that gets this far fails with a network
/// error, so a bad request from it proves the call was refused before connecting.
async fn dead_hostport() -> String {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hp = l.local_addr().unwrap().to_string();
    drop(l);
    hp
}

fn assert_bad_request(e: &tchannel_runtime::Error, field: &str, len: &str, limit: &str) {
    assert!(e.is_bad_request(), "{e}");
    let m = e.message();
    assert!(
        m.contains(field) && m.contains(len) && m.contains(limit),
        "the message names {field}, {len} and {limit}: {m}"
    );
}

#[tokio::test]
async fn a_300_byte_service_name_is_a_bad_request() {
    let (_server, hp, _) = counting_server("svc", "echo").await;
    let client = TChannel::new("client");
    let e = client
        .raw("s".repeat(300), "echo")
        .hostport(&hp)
        .await
        .unwrap_err();
    assert_bad_request(&e, "service", "300", "255");
    // Nothing reached the wire: the same refusal with no server at all.
    let e = client
        .raw("s".repeat(300), "echo")
        .hostport(dead_hostport().await)
        .await
        .unwrap_err();
    assert_bad_request(&e, "service", "300", "255");
}

#[tokio::test]
async fn a_300_byte_shard_key_is_a_bad_request() {
    let (_server, hp, calls) = counting_server("svc", "echo").await;
    let client = TChannel::new("client");
    let e = client
        .raw("svc", "echo")
        .hostport(&hp)
        .shard_key("k".repeat(300))
        .await
        .unwrap_err();
    assert_bad_request(&e, "`sk`", "300", "255");
    assert_eq!(calls.load(Ordering::SeqCst), 0);
    // The connection is still good for a correct call.
    let ok = client
        .raw("svc", "echo")
        .hostport(&hp)
        .shard_key("k".repeat(255))
        .await
        .unwrap();
    assert!(ok.ok);
}

#[tokio::test]
async fn other_transport_header_limits_are_bad_requests() {
    let hp = dead_hostport().await;
    let client = TChannel::new("client");
    let e = client
        .raw("svc", "echo")
        .hostport(&hp)
        .transport_header("k".repeat(17), "v")
        .await
        .unwrap_err();
    assert_bad_request(&e, "key", "17", "16");
    let e = client
        .raw("svc", "echo")
        .hostport(&hp)
        .transport_header("", "v")
        .await
        .unwrap_err();
    assert!(e.is_bad_request() && e.message().contains("empty"), "{e}");
    let mut opts = tchannel_runtime::CallOptions::default();
    for i in 0..130 {
        opts = opts.transport_header(format!("h{i}"), "v");
    }
    let e = client
        .raw("svc", "echo")
        .hostport(&hp)
        .options(opts)
        .await
        .unwrap_err();
    // 130 set here, plus `as`, `cn`, `re`.
    assert_bad_request(&e, "transport headers", "133", "128");
    let e = client
        .raw("svc", "echo")
        .hostport(&hp)
        .caller_name("c".repeat(256))
        .await
        .unwrap_err();
    assert_bad_request(&e, "`cn`", "256", "255");
}

#[tokio::test]
async fn an_over_long_channel_name_fails_each_call_naming_cn() {
    let hp = dead_hostport().await;
    let client = TChannel::new("c".repeat(300));
    let e = client.raw("svc", "echo").hostport(&hp).await.unwrap_err();
    assert_bad_request(&e, "`cn`", "300", "255");
}

#[tokio::test]
async fn arg1_over_16_kib_is_refused_before_connecting() {
    let hp = dead_hostport().await;
    let client = TChannel::new("client");
    let e = client
        .raw("svc", "e".repeat(MAX_ARG1_LEN + 1))
        .hostport(&hp)
        .await
        .unwrap_err();
    assert_bad_request(&e, "arg1", "16385", "16384");
}

/// The issue's smuggling case. The service name is 264 bytes, which a one-byte length used
/// to write as 8: the server read `keyvalue` as the service, and the rest of the name as the
/// remaining fields of the frame: no transport headers, no checksum, arg1 `echo`, arg2
/// `INJECTED`, and an arg3 that swallows the rest of the real frame.
#[tokio::test]
async fn a_crafted_service_name_is_never_served_as_another_call() {
    let server = TChannel::new("keyvalue");
    let injected = Arc::new(AtomicUsize::new(0));
    let hits = injected.clone();
    server.register("echo", Raw, move |req| {
        if &req.headers[..] == b"INJECTED" {
            hits.fetch_add(1, Ordering::SeqCst);
        }
        async move { Ok(Response::new(req.body)) }
    });
    let hp = server.listen("127.0.0.1:0").await.unwrap().to_string();

    // What the client writes after the service bytes: headers as=raw, cn=client, re=c
    // (23 bytes), a CRC-32C checksum (5), and args echo / "" / "" (10).
    const TAIL: usize = 23 + 5 + 10;
    let mut name = BytesMut::new();
    name.put_slice(b"keyvalue");
    name.put_u8(0); // nh = 0
    name.put_u8(0); // csumtype none
    name.put_u16(4);
    name.put_slice(b"echo");
    name.put_u16(8);
    name.put_slice(b"INJECTED");
    let pad = 264 - name.len() - 2;
    name.put_u16((pad + TAIL) as u16); // arg3 runs to the end of the frame
    name.put_slice(&vec![b'x'; pad]);
    assert_eq!(name.len(), 264);
    let name = String::from_utf8(name.to_vec()).unwrap();

    let client = TChannel::new("client");
    let r = client.raw(name, "echo").hostport(&hp).await;
    let e = r.expect_err("a 264-byte service name is refused");
    assert_bad_request(&e, "service", "264", "255");
    assert_eq!(injected.load(Ordering::SeqCst), 0, "the injected call ran");
    // The server is unharmed and serves the caller's real calls.
    let ok = client.raw("keyvalue", "echo").hostport(&hp).await.unwrap();
    assert!(ok.ok);
    assert_eq!(injected.load(Ordering::SeqCst), 0);
}

/// The issue's 65,486-byte header value, holding a whole call req for an endpoint the caller
/// never called. Before the limits were checked it pushed the first frame past 0xFFFF: the
/// fragmenter's space computation underflowed (a panic in this debug build, a wrapped size in
/// release), and the frame's size was written `as u16`.
#[tokio::test]
async fn a_65486_byte_header_value_is_a_bad_request() {
    let (server, hp, echo_calls) = counting_server("svc", "echo").await;
    let never = Arc::new(AtomicUsize::new(0));
    let n = never.clone();
    server.register("never", Raw, move |_req| {
        n.fetch_add(1, Ordering::SeqCst);
        async move { Ok(Response::new(Bytes::new())) }
    });
    let inner = call_req(
        7,
        "svc",
        "raw",
        0x2020, // every byte of the frame is ASCII
        [b"never", b"", b""],
        ChecksumType::None,
    )
    .to_bytes()
    .unwrap();
    let mut value = vec![b' '; 65_486];
    value[..inner.len()].copy_from_slice(&inner);
    let value = String::from_utf8(value).unwrap();

    let client = TChannel::new("client");
    let e = client
        .raw("svc", "echo")
        .hostport(&hp)
        .transport_header("sk", value.clone())
        .await
        .unwrap_err();
    assert_bad_request(&e, "`sk`", "65486", "255");
    let e = client
        .raw("svc", "echo")
        .hostport(&hp)
        .caller_name(value)
        .await
        .unwrap_err();
    assert_bad_request(&e, "`cn`", "65486", "255");
    assert_eq!(never.load(Ordering::SeqCst), 0);
    assert_eq!(echo_calls.load(Ordering::SeqCst), 0);
    let ok = client.raw("svc", "echo").hostport(&hp).await.unwrap();
    assert!(ok.ok);
    assert_eq!(never.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_timeout_past_the_ttl_field_is_a_bad_request_not_a_panic() {
    let hp = dead_hostport().await;
    let client = TChannel::new("client");
    for t in [Duration::MAX, Duration::from_millis(u32::MAX as u64 + 1)] {
        let e = client
            .raw("svc", "echo")
            .hostport(&hp)
            .timeout(t)
            .await
            .unwrap_err();
        assert_bad_request(&e, "timeout", "ms", "4294967295");
        let e = client
            .stream("svc", "echo")
            .hostport(&hp)
            .timeout(t)
            .start()
            .await
            .unwrap_err();
        assert_bad_request(&e, "timeout", "ms", "4294967295");
    }
    // The largest timeout the field holds is accepted: this call fails for the dead peer.
    let e = client
        .raw("svc", "echo")
        .hostport(&hp)
        .timeout(Duration::from_millis(u32::MAX as u64))
        .await
        .unwrap_err();
    assert!(e.is_network(), "{e}");
}

#[tokio::test]
async fn a_streamed_call_checks_its_fields_too() {
    let hp = dead_hostport().await;
    let client = TChannel::new("client");
    let e = client
        .stream("s".repeat(300), "echo")
        .hostport(&hp)
        .start()
        .await
        .unwrap_err();
    assert_bad_request(&e, "service", "300", "255");
    let e = client
        .stream("svc", "echo")
        .hostport(&hp)
        .routing_key("r".repeat(256))
        .start()
        .await
        .unwrap_err();
    assert_bad_request(&e, "`rk`", "256", "255");
}

/// Response headers go through the same encoder: a handler whose response headers do not
/// fit gets an error frame for that call, and the connection goes on.
#[tokio::test]
async fn response_headers_that_do_not_fit_answer_with_an_error_frame() {
    let server = TChannel::new("svc");
    server.register("big", Raw, |_req| async move {
        let mut res = Response::<Raw>::new(Bytes::from_static(b"body"));
        res.transport.insert("x", "v".repeat(300));
        Ok(res)
    });
    server.register("ok", Raw, |req| async move { Ok(Response::new(req.body)) });
    let addr = server.listen("127.0.0.1:0").await.unwrap();

    let mut peer = RawPeer::connect(addr).await;
    peer.send(&call_req(
        2,
        "svc",
        "raw",
        1000,
        [b"big", b"", b""],
        ChecksumType::Crc32c,
    ))
    .await;
    let f = peer.recv().await.expect("an answer");
    assert_eq!(f.id, 2);
    match f.body {
        FrameBody::Error(e) => {
            assert_eq!(e.code, ErrorCode::Unexpected);
            let m = String::from_utf8_lossy(&e.message);
            assert!(
                m.contains("`x`") && m.contains("300") && m.contains("255"),
                "{m}"
            );
        }
        other => panic!("expected an error frame, got {other:?}"),
    }
    peer.send(&call_req(
        3,
        "svc",
        "raw",
        1000,
        [b"ok", b"", b"hi"],
        ChecksumType::Crc32c,
    ))
    .await;
    let f = peer.recv().await.expect("an answer");
    assert_eq!(f.id, 3);
    assert!(matches!(f.body, FrameBody::CallRes(_)), "{f:?}");
}

/// A frame whose transport headers break the limits is refused for that call only.
#[tokio::test]
async fn a_peer_sending_over_limit_headers_gets_a_bad_request() {
    let (_server, _hp, calls) = counting_server("svc", "echo").await;
    let addr = _hp.parse().unwrap();
    let mut peer = RawPeer::connect(addr).await;
    let mut f = call_req(
        2,
        "svc",
        "raw",
        1000,
        [b"echo", b"", b""],
        ChecksumType::Crc32c,
    );
    if let FrameBody::CallReq(r) = &mut f.body {
        r.headers.insert("k".repeat(17), "v");
    }
    // The encoder refuses to write it, so write it by hand: the same frame with a 16-byte
    // key, then the key's length byte and one more key byte patched in.
    let bytes = {
        let mut g = call_req(
            2,
            "svc",
            "raw",
            1000,
            [b"echo", b"", b""],
            ChecksumType::Crc32c,
        );
        if let FrameBody::CallReq(r) = &mut g.body {
            r.headers.insert("k".repeat(16), "v");
        }
        assert!(f.to_bytes().is_err());
        let b = g.to_bytes().unwrap();
        let pos = b
            .windows(17)
            .position(|w| w[0] == 16 && w[1..].iter().all(|&c| c == b'k'))
            .unwrap();
        let mut v = b.to_vec();
        v[pos] = 17;
        v.insert(pos + 1, b'k');
        let size = v.len() as u16;
        v[..2].copy_from_slice(&size.to_be_bytes());
        v
    };
    peer.send_bytes(&bytes).await;
    let f = peer.recv().await.expect("an answer");
    assert_eq!(f.id, 2);
    match f.body {
        FrameBody::Error(e) => {
            assert_eq!(e.code, ErrorCode::BadRequest);
            let m = String::from_utf8_lossy(&e.message);
            assert!(m.contains("17") && m.contains("16"), "{m}");
        }
        other => panic!("expected an error frame, got {other:?}"),
    }
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}

/// Middleware sees and may change the request: what it sends is checked, after every layer.
#[tokio::test]
async fn fields_set_by_outbound_middleware_are_checked() {
    use tchannel_runtime::middleware::{OutboundNext, OutboundRequest};
    let (_server, hp, calls) = counting_server("svc", "echo").await;
    let client = TChannel::builder("client")
        .outbound(|mut req: OutboundRequest, next: OutboundNext| async move {
            req.transport.insert("rk", "r".repeat(256));
            next.run(req).await
        })
        .build();
    let e = client.raw("svc", "echo").hostport(&hp).await.unwrap_err();
    assert_bad_request(&e, "`rk`", "256", "255");
    let client = TChannel::builder("client")
        .outbound(|mut req: OutboundRequest, next: OutboundNext| async move {
            req.service = "s".repeat(256).into();
            next.run(req).await
        })
        .build();
    let e = client.raw("svc", "echo").hostport(&hp).await.unwrap_err();
    assert_bad_request(&e, "service", "256", "255");
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}

/// Inbound middleware that sets response headers over their limits gets the same treatment
/// as a handler: an unexpected-error frame naming the header.
#[tokio::test]
async fn response_headers_set_by_inbound_middleware_are_checked() {
    use tchannel_runtime::middleware::{InboundNext, InboundRequest};
    let server = TChannel::builder("svc")
        .inbound(|req: InboundRequest, next: InboundNext| async move {
            let mut res = next.run(req).await?;
            res.transport.insert("k".repeat(20), "v");
            Ok(res)
        })
        .build();
    server.register(
        "echo",
        Raw,
        |req| async move { Ok(Response::new(req.body)) },
    );
    let hp = server.listen("127.0.0.1:0").await.unwrap().to_string();
    let client = TChannel::new("client");
    let e = client.raw("svc", "echo").hostport(&hp).await.unwrap_err();
    assert!(e.is_unexpected(), "{e}");
    assert!(
        e.message().contains("20 bytes long, the limit is 16"),
        "{}",
        e.message()
    );
}

/// A streaming handler's response headers are checked where it sets them.
#[tokio::test]
async fn streaming_response_headers_are_checked_where_set() {
    let server = TChannel::new("svc");
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let s = seen.clone();
    server.register_streaming("echo", move |_req, mut res| {
        let s = s.clone();
        async move {
            let e = res.transport_header("x", "v".repeat(300)).unwrap_err();
            s.lock().unwrap().push(e);
            let e = res.transport_header("k".repeat(17), "v").unwrap_err();
            s.lock().unwrap().push(e);
            res.transport_header("x", "v".repeat(255)).unwrap();
            res.write_arg3("ok").await?;
            res.finish().await?;
            Ok(())
        }
    });
    let hp = server.listen("127.0.0.1:0").await.unwrap().to_string();
    let client = TChannel::new("client");
    let res = client.raw("svc", "echo").hostport(&hp).await.unwrap();
    assert_eq!(&res.body[..], b"ok");
    assert_eq!(res.transport.get("x").map(str::len), Some(255));
    let seen = seen.lock().unwrap();
    assert_bad_request(&seen[0], "`x`", "300", "255");
    assert_bad_request(&seen[1], "key", "17", "16");
}

/// The decoder holds a peer to what our encoder always does: a request's first frame holds
/// the whole of arg1 (tchannel-node refuses the same). Before, such a request was served.
#[tokio::test]
async fn a_request_whose_first_frame_splits_arg1_is_refused() {
    use tchannel_runtime::frame::{CallContinue, Chunks, FLAG_MORE_FRAGMENTS};
    let (_server, hp, calls) = counting_server("svc", "echo").await;
    let mut peer = RawPeer::connect(hp.parse().unwrap()).await;
    let mut first = call_req(4, "svc", "raw", 1000, [b"ec", b"", b""], ChecksumType::None);
    if let FrameBody::CallReq(r) = &mut first.body {
        r.flags = FLAG_MORE_FRAGMENTS;
        let mut c = Chunks::new();
        c.push(Bytes::from_static(b"ec"));
        r.chunks = c;
    }
    let mut rest = Chunks::new();
    for c in [&b"ho"[..], b"", b""] {
        rest.push(Bytes::from_static(c));
    }
    let cont = tchannel_runtime::frame::Frame {
        id: 4,
        body: FrameBody::CallReqContinue(CallContinue {
            flags: 0,
            checksum: Default::default(),
            chunks: rest,
        }),
    };
    peer.send(&first).await;
    peer.send(&cont).await;
    let f = peer.recv().await.expect("an answer");
    assert_eq!(f.id, 4);
    match f.body {
        FrameBody::Error(e) => {
            assert_eq!(e.code, ErrorCode::BadRequest);
            let m = String::from_utf8_lossy(&e.message);
            assert!(m.contains("arg1 must be whole in the first frame"), "{m}");
        }
        other => panic!("expected an error frame, got {other:?}"),
    }
    assert_eq!(calls.load(Ordering::SeqCst), 0);
    // The connection goes on; the same id is free again.
    peer.send(&call_req(
        4,
        "svc",
        "raw",
        1000,
        [b"echo", b"", b"x"],
        ChecksumType::None,
    ))
    .await;
    let f = peer.recv().await.expect("an answer");
    assert_eq!(f.id, 4);
    assert!(matches!(f.body, FrameBody::CallRes(_)), "{f:?}");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}
