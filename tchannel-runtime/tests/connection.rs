//! Connection-level behaviour: handshakes, slow readers, cancels, unusual checksums.

mod common;

use bytes::Bytes;
use common::{call_req, RawPeer};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tchannel_runtime::checksum::ChecksumType;
use tchannel_runtime::frame::{Frame, FrameBody};
use tchannel_runtime::{ErrorCode, Raw, Response, TChannel};
use tokio::io::AsyncReadExt;

#[tokio::test(start_paused = true)]
async fn connecting_to_a_silent_server_times_out() {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hp = l.local_addr().unwrap().to_string();
    let _hold = tokio::spawn(async move {
        let (s, _) = l.accept().await.unwrap();
        std::future::pending::<()>().await;
        drop(s);
    });
    let client = TChannel::builder("c")
        .init_timeout(Duration::from_secs(2))
        .build();
    let e = client.raw("svc", "x").hostport(&hp).await.unwrap_err();
    assert!(e.is_timeout(), "{e}");
    assert!(e.to_string().contains("handshake"), "{e}");
}

#[tokio::test(start_paused = true)]
async fn a_client_that_never_sends_init_is_dropped() {
    let server = TChannel::builder("svc")
        .init_timeout(Duration::from_secs(2))
        .build();
    let addr = server.listen("127.0.0.1:0").await.unwrap();
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let mut buf = Vec::new();
    // The server gives up: a timeout error frame, then EOF.
    s.read_to_end(&mut buf).await.unwrap();
    let f = Frame::decode(
        buf[2],
        u32::from_be_bytes(buf[4..8].try_into().unwrap()),
        Bytes::copy_from_slice(&buf[16..]),
    )
    .unwrap();
    assert!(
        matches!(f.body, FrameBody::Error(ref e) if e.code == ErrorCode::Timeout),
        "{f:?}"
    );
}

#[tokio::test]
async fn a_bad_init_is_refused_with_a_protocol_error() {
    let server = TChannel::new("svc");
    let addr = server.listen("127.0.0.1:0").await.unwrap();
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let init = Frame {
        id: 1,
        body: FrameBody::InitReq(tchannel_runtime::frame::Init {
            version: 2,
            headers: vec![("host_port".into(), "0.0.0.0:0".into())], // no process_name
        }),
    };
    use tokio::io::AsyncWriteExt;
    s.write_all(&init.to_bytes().unwrap()).await.unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).await.unwrap();
    let f = Frame::decode(buf[2], 1, Bytes::copy_from_slice(&buf[16..])).unwrap();
    let FrameBody::Error(e) = f.body else {
        panic!("{f:?}")
    };
    assert_eq!(e.code, ErrorCode::Protocol);
    assert!(String::from_utf8_lossy(&e.message).contains("process_name"));
}

/// A peer that sends many calls and reads the answers slowly gets every answer, intact and
/// under the right id.
#[tokio::test]
async fn slow_reader_loses_nothing() {
    let server = TChannel::new("svc");
    server.register(
        "echo",
        Raw,
        |req| async move { Ok(Response::new(req.body)) },
    );
    let addr = server.listen("127.0.0.1:0").await.unwrap();
    let mut peer = RawPeer::connect(addr).await;
    let body = |i: u32| -> Vec<u8> {
        (0..60_000u32)
            .map(|j| (i.wrapping_mul(7) ^ j) as u8)
            .collect()
    };
    for i in 2..102u32 {
        let b = body(i);
        peer.send(&call_req(
            i,
            "svc",
            "raw",
            30_000,
            [b"echo", b"", &b],
            ChecksumType::Crc32c,
        ))
        .await;
    }
    // Let the server's writes back up against an unread socket.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut seen = std::collections::HashSet::new();
    while seen.len() < 100 {
        let f = peer.recv().await.expect("every answer arrives");
        let FrameBody::CallRes(res) = f.body else {
            panic!("{f:?}")
        };
        assert_eq!(
            res.chunks.as_slice()[2],
            Bytes::from(body(f.id)),
            "id {}",
            f.id
        );
        assert!(seen.insert(f.id));
    }
}

/// Farmhash requests are verified (the fingerprint of each frame's last chunk, as
/// tchannel-node computes it) and answered in farmhash; a wrong value is refused. (Before,
/// they were served unverified and answered without a checksum.)
#[tokio::test]
async fn farmhash_requests_are_verified_and_answered_in_farmhash() {
    let server = TChannel::new("svc");
    server.register(
        "echo",
        Raw,
        |req| async move { Ok(Response::new(req.body)) },
    );
    let addr = server.listen("127.0.0.1:0").await.unwrap();
    let mut peer = RawPeer::connect(addr).await;
    let f = call_req(
        2,
        "svc",
        "raw",
        1000,
        [b"echo", b"", b"x"],
        ChecksumType::Farmhash32,
    );
    if let FrameBody::CallReq(c) = &f.body {
        assert_eq!(c.checksum.value, 0x0cd5_a2ec, "fingerprint32(\"x\")");
    }
    peer.send(&f).await;
    let r = peer.recv().await.unwrap();
    let FrameBody::CallRes(res) = r.body else {
        panic!("{r:?}")
    };
    assert_eq!(res.checksum.kind, ChecksumType::Farmhash32);
    assert_eq!(res.checksum.value, 0x0cd5_a2ec);
    assert_eq!(&res.chunks.as_slice()[2][..], b"x");

    let mut bad = call_req(
        3,
        "svc",
        "raw",
        1000,
        [b"echo", b"", b"x"],
        ChecksumType::Farmhash32,
    );
    if let FrameBody::CallReq(c) = &mut bad.body {
        c.checksum.value ^= 1;
    }
    peer.send(&bad).await;
    let r = peer.recv().await.unwrap();
    assert_eq!(r.id, 3);
    let FrameBody::Error(e) = r.body else {
        panic!("{r:?}")
    };
    assert_eq!(e.code, tchannel_runtime::ErrorCode::BadRequest);
    assert!(
        String::from_utf8_lossy(&e.message).contains("farmhash32 checksum mismatch"),
        "{e:?}"
    );
}

/// Dropping a call's future sends a cancel frame; the server drops the handler's future.
#[tokio::test]
async fn dropping_a_call_cancels_it_on_the_server() {
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
        let (dropped, started) = (dropped.clone(), started.clone());
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
    let client = TChannel::new("c");
    let call = tokio::spawn(std::future::IntoFuture::into_future(
        client.raw("svc", "hang").hostport(addr.to_string()),
    ));
    started.notified().await;
    call.abort();
    for _ in 0..100 {
        if dropped.load(Ordering::SeqCst) == 1 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the handler future was not dropped after the caller gave up");
}
