//! Streaming calls between two Rust channels: pieces in, pieces out, errors, back-pressure.

mod common;

use bytes::Bytes;
use common::{call_req, RawPeer};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tchannel_runtime::checksum::{Checksum, ChecksumType};
use tchannel_runtime::frame::{CallContinue, Chunks, Frame, FrameBody, FLAG_MORE_FRAGMENTS};
use tchannel_runtime::{
    ArgStream, Error, ErrorCode, HandlerError, Raw, RequestWriter, Response, ResponseFuture,
    StreamingResponse, TChannel,
};

/// A deterministic body: byte i is `(i * 31 + seed) % 251`.
fn pattern(n: usize, seed: u8) -> Bytes {
    (0..n)
        .map(|i| ((i * 31 + seed as usize) % 251) as u8)
        .collect::<Vec<u8>>()
        .into()
}

/// Starts a streamed call of `endpoint` on service `svc` with an empty request.
async fn empty_request(
    client: &TChannel,
    hp: &str,
    endpoint: &str,
    timeout: Duration,
) -> StreamingResponse {
    let (req, res) = client
        .stream("svc", endpoint)
        .hostport(hp)
        .timeout(timeout)
        .start()
        .await
        .unwrap();
    req.finish().await.unwrap();
    res.await.unwrap()
}

/// Opens a streamed call.
async fn open(
    client: &TChannel,
    hp: &str,
    service: &str,
    endpoint: &str,
) -> (RequestWriter, ResponseFuture) {
    client
        .stream(service, endpoint)
        .hostport(hp)
        .start()
        .await
        .unwrap()
}

/// Reads arg3 to its end or its error.
async fn drain_arg3(args: &mut ArgStream) -> (Vec<u8>, Result<(), Error>) {
    let mut got = Vec::new();
    loop {
        match args.arg3_chunk().await {
            Ok(Some(p)) => got.extend_from_slice(&p),
            Ok(None) => return (got, Ok(())),
            Err(e) => return (got, Err(e)),
        }
    }
}

async fn echo_server() -> (TChannel, String) {
    let server = TChannel::new("stream-svc");
    server.register_streaming("echo", |mut req, mut res| async move {
        while let Some(piece) = req.args.arg2_chunk().await? {
            res.write_arg2(piece).await?;
        }
        while let Some(piece) = req.args.arg3_chunk().await? {
            res.write_arg3(piece).await?;
        }
        res.finish().await?;
        Ok(())
    });
    server.register("whole", Raw, |req| async move {
        Ok(Response::new(req.body).with_headers(req.headers))
    });
    let addr = server.listen("127.0.0.1:0").await.unwrap();
    (server, addr.to_string())
}

/// Writes `head` and `body` in pieces of `piece` bytes, flushing after each.
async fn stream_echo(
    client: &TChannel,
    hp: &str,
    head: &Bytes,
    body: &Bytes,
    piece: usize,
) -> (Bytes, Bytes) {
    let (mut req, res) = client
        .stream("stream-svc", "echo")
        .hostport(hp)
        .start()
        .await
        .unwrap();
    let (head2, body2) = (head.clone(), body.clone());
    let writer = tokio::spawn(async move {
        for c in head2.chunks(piece.max(1)) {
            req.write_arg2(head2.slice_ref(c)).await.unwrap();
            req.flush().await.unwrap();
        }
        for c in body2.chunks(piece.max(1)) {
            req.write_arg3(body2.slice_ref(c)).await.unwrap();
            req.flush().await.unwrap();
        }
        req.finish().await.unwrap();
    });
    let mut res = res.await.unwrap();
    assert!(res.ok);
    assert_eq!(res.transport.get("as"), Some("raw"));
    let got_head = res.args.read_arg2().await.unwrap();
    let got_body = res.args.read_arg3().await.unwrap();
    writer.await.unwrap();
    (got_head, got_body)
}

#[tokio::test]
async fn streamed_echo_round_trips_every_size() {
    let (server, hp) = echo_server().await;
    let client = TChannel::new("client");
    for (h, b, piece) in [
        (0, 0, 1),
        (1, 0, 1),
        (0, 1, 1),
        (3, 5, 2),
        (65_000, 70_000, 65_000),
        (65_535, 65_536, 65_535),
        (100_000, 1 << 20, 7_000),
        (0, 3 << 20, 64 * 1024),
    ] {
        let head = pattern(h, 1);
        let body = pattern(b, 2);
        let (gh, gb) = stream_echo(&client, &hp, &head, &body, piece).await;
        assert_eq!(gh.len(), h, "head of {h}/{b}");
        assert!(gh == head, "head of {h}/{b} differs");
        assert_eq!(gb.len(), b, "body of {h}/{b}");
        assert!(gb == body, "body of {h}/{b} differs");
    }
    // Whole calls on the same channel still work, and a whole call to a streaming endpoint
    // is served by it.
    let res = client
        .raw("stream-svc", "whole")
        .hostport(&hp)
        .body("plain")
        .await
        .unwrap();
    assert_eq!(res.body, Bytes::from("plain"));
    let res = client
        .raw("stream-svc", "echo")
        .hostport(&hp)
        .headers("h")
        .body("b")
        .await
        .unwrap();
    assert_eq!(
        (res.headers, res.body),
        (Bytes::from("h"), Bytes::from("b"))
    );
    server.close().await;
}

#[tokio::test]
async fn a_streamed_response_to_a_whole_call_and_app_errors() {
    let server = TChannel::new("svc");
    server.register_streaming("gen", |mut req, mut res| async move {
        let n: usize = String::from_utf8_lossy(&req.args.read_arg3().await?)
            .parse()
            .map_err(|_| HandlerError::bad_request("not a number"))?;
        if n == 0 {
            res.set_app_error()?;
            res.transport_header("why", "zero")?;
        }
        res.write_arg2("h").await?;
        for i in 0..n {
            res.write_arg3(pattern(10_000, i as u8)).await?;
        }
        res.finish().await?;
        Ok(())
    });
    let hp = server.listen("127.0.0.1:0").await.unwrap().to_string();
    let client = TChannel::new("client");
    // A whole call gets the streamed response whole.
    let res = client
        .raw("svc", "gen")
        .hostport(&hp)
        .body("20")
        .await
        .unwrap();
    assert!(res.ok);
    assert_eq!(res.body.len(), 200_000);
    assert_eq!(&res.body[10_000..20_000], &pattern(10_000, 1)[..]);
    let res = client
        .raw("svc", "gen")
        .hostport(&hp)
        .body("0")
        .await
        .unwrap();
    assert!(!res.ok);
    assert_eq!(res.transport.get("why"), Some("zero"));
    let err = client
        .raw("svc", "gen")
        .hostport(&hp)
        .body("x")
        .await
        .unwrap_err();
    assert!(err.is_bad_request(), "{err}");
    server.close().await;
}

#[tokio::test]
async fn handler_errors_end_the_stream_with_that_error() {
    let server = TChannel::new("svc");
    // Fails after sending half a megabyte.
    server.register_streaming("half", |_req, mut res| async move {
        for _ in 0..8 {
            res.write_arg3(pattern(64 * 1024, 3)).await?;
        }
        res.flush().await?;
        Err(HandlerError::busy("out of disk"))
    });
    server.register_streaming("forgot", |_req, mut res| async move {
        res.write_arg3("some").await?;
        res.flush().await?;
        Ok(())
    });
    server.register_streaming("fail", |_req, mut res| async move {
        res.write_arg3("some").await?;
        res.flush().await?;
        res.fail(HandlerError::declined("not today"));
        Ok(())
    });
    let hp = server.listen("127.0.0.1:0").await.unwrap().to_string();
    let client = TChannel::new("client");
    for (endpoint, code) in [
        ("half", ErrorCode::Busy),
        ("forgot", ErrorCode::Unexpected),
        ("fail", ErrorCode::Declined),
    ] {
        let mut res = empty_request(&client, &hp, endpoint, Duration::from_secs(30)).await;
        let (got, end) = drain_arg3(&mut res.args).await;
        let err = end.expect_err(endpoint);
        assert_eq!(err.code(), Some(code), "{endpoint}: {err}");
        assert!(!got.is_empty(), "{endpoint}");
    }
    server.close().await;
}

#[tokio::test]
async fn dropping_an_unfinished_request_cancels_the_call() {
    let server = TChannel::new("svc");
    let seen = Arc::new(tokio::sync::Notify::new());
    let ended = Arc::new(tokio::sync::Notify::new());
    let (s2, e2) = (seen.clone(), ended.clone());
    server.register_streaming("slow", move |mut req, _res| {
        let (seen, ended) = (s2.clone(), e2.clone());
        async move {
            struct OnDrop(Arc<tokio::sync::Notify>);
            impl Drop for OnDrop {
                fn drop(&mut self) {
                    self.0.notify_one();
                }
            }
            let _d = OnDrop(ended);
            seen.notify_one();
            // Waits for a body that never ends; the cancel aborts it.
            while req.args.arg3_chunk().await?.is_some() {}
            Ok(())
        }
    });
    let hp = server.listen("127.0.0.1:0").await.unwrap().to_string();
    let client = TChannel::new("client");
    let (mut req, res) = client
        .stream("svc", "slow")
        .hostport(&hp)
        .start()
        .await
        .unwrap();
    req.write_arg3("part").await.unwrap();
    req.flush().await.unwrap();
    seen.notified().await;
    drop(req);
    let err = res.await.unwrap_err();
    assert!(err.is_cancelled(), "{err}");
    // The handler was aborted by the cancel frame.
    ended.notified().await;
    server.close().await;
}

/// A reader that stops reading stalls its writer: the writer cannot get further ahead than the
/// stream budget, the per-call queue and the socket buffers. The paused clock only moves once
/// every task is blocked, so the 10 s timeout fires exactly when the stream has stalled.
#[tokio::test(start_paused = true)]
async fn a_slow_reader_stalls_the_writer_then_everything_arrives() {
    const PIECE: usize = 64 * 1024;
    const PIECES: usize = 1024; // 64 MiB
    let written = Arc::new(AtomicUsize::new(0));
    let server = TChannel::new("svc");
    let w = written.clone();
    server.register_streaming("firehose", move |_req, mut res| {
        let written = w.clone();
        async move {
            let piece = pattern(PIECE, 9);
            for _ in 0..PIECES {
                res.write_arg3(piece.clone()).await?;
                written.fetch_add(PIECE, Ordering::SeqCst);
            }
            res.finish().await?;
            Ok(())
        }
    });
    let hp = server.listen("127.0.0.1:0").await.unwrap().to_string();
    let client = TChannel::new("client");
    let mut res = empty_request(&client, &hp, "firehose", Duration::from_secs(3600)).await;
    // Read 1 MiB, then stop.
    let mut got = 0;
    while got < 1 << 20 {
        got += res.args.arg3_chunk().await.unwrap().unwrap().len();
    }
    // Nothing reads now: wait until the whole system is idle.
    tokio::time::sleep(Duration::from_secs(10)).await;
    let ahead = written.load(Ordering::SeqCst) - got;
    eprintln!("writer ahead of the reader by {ahead} bytes when stalled");
    assert!(
        ahead < 32 << 20,
        "the writer got {ahead} bytes ahead of a reader that stopped"
    );
    // Resume: the rest arrives intact.
    let expect = pattern(PIECE, 9);
    let mut pos = got % PIECE;
    while let Some(p) = res.args.arg3_chunk().await.unwrap() {
        for b in p.iter() {
            assert_eq!(*b, expect[pos]);
            pos = (pos + 1) % PIECE;
        }
        got += p.len();
    }
    assert_eq!(got, PIECE * PIECES);
    server.close().await;
}

#[tokio::test]
async fn the_ttl_covers_the_whole_stream() {
    let server = TChannel::new("svc");
    server.register_streaming("stuck", |_req, mut res| async move {
        res.write_arg3("begin").await?;
        res.flush().await?;
        std::future::pending::<()>().await;
        Ok(())
    });
    let hp = server.listen("127.0.0.1:0").await.unwrap().to_string();
    let client = TChannel::new("client");
    let mut res = empty_request(&client, &hp, "stuck", Duration::from_millis(300)).await;
    assert_eq!(
        res.args.arg3_chunk().await.unwrap(),
        Some(Bytes::from("begin"))
    );
    let err = res.args.arg3_chunk().await.unwrap_err();
    assert!(err.is_timeout(), "{err}");
    server.close().await;
}

/// A continue frame whose checksum does not match ends the handler's request stream with an
/// error (never a short body), and the caller gets a bad-request error frame.
#[tokio::test]
async fn a_checksum_mismatch_mid_stream_ends_the_request_stream_with_an_error() {
    let server = TChannel::new("svc");
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    server.register_streaming("sink", move |mut req, _res| {
        let tx = tx.clone();
        async move {
            let _ = tx.send(drain_arg3(&mut req.args).await);
            Ok(())
        }
    });
    let addr = server.listen("127.0.0.1:0").await.unwrap();
    let mut peer = RawPeer::connect(addr).await;
    let mut first = call_req(
        7,
        "svc",
        "raw",
        30_000,
        [b"sink", b"", b"good part"],
        ChecksumType::Crc32c,
    );
    let FrameBody::CallReq(r) = &mut first.body else {
        unreachable!()
    };
    r.flags = FLAG_MORE_FRAGMENTS;
    let good = r.checksum;
    peer.send(&first).await;
    let mut chunks = Chunks::new();
    chunks.push(Bytes::from_static(b"corrupted part"));
    peer.send(&Frame {
        id: 7,
        body: FrameBody::CallReqContinue(CallContinue {
            flags: 0,
            checksum: Checksum {
                kind: ChecksumType::Crc32c,
                value: good.value ^ 1,
            },
            chunks,
        }),
    })
    .await;
    let (got, end) = rx.recv().await.unwrap();
    assert_eq!(
        got, b"good part",
        "only the verified frame's bytes were handed out"
    );
    let err = end.expect_err("the stream must not end cleanly");
    assert!(err.is_bad_request(), "{err}");
    let f = peer.recv().await.unwrap();
    let FrameBody::Error(e) = f.body else {
        panic!("{f:?}")
    };
    assert_eq!((f.id, e.code), (7, ErrorCode::BadRequest));
    assert!(String::from_utf8_lossy(&e.message).contains("checksum"));
    server.close().await;
}

/// A peer that goes away mid-stream ends the response stream with a typed error.
#[tokio::test]
async fn a_peer_dying_mid_stream_ends_the_stream_with_an_error() {
    let server = TChannel::new("svc");
    let started = Arc::new(tokio::sync::Notify::new());
    let s2 = started.clone();
    server.register_streaming("long", move |_req, mut res| {
        let started = s2.clone();
        async move {
            res.write_arg3(pattern(200_000, 1)).await?;
            res.flush().await?;
            started.notify_one();
            std::future::pending::<()>().await;
            Ok(())
        }
    });
    let hp = server.listen("127.0.0.1:0").await.unwrap().to_string();
    let client = TChannel::new("client");
    let mut res = empty_request(&client, &hp, "long", Duration::from_secs(30)).await;
    started.notified().await;
    server.close().await;
    let (got, end) = drain_arg3(&mut res.args).await;
    let err = end.expect_err("the stream must not end cleanly");
    assert!(got == pattern(200_000, 1), "{} bytes", got.len());
    assert!(err.is_network() || err.is_closed(), "{err}");
}

/// arg3 as an `AsyncRead`: `tokio::io::copy` takes a streamed body whole, and a stream that
/// fails surfaces as an I/O error.
#[tokio::test]
async fn arg3_reads_as_async_read() {
    let (server, hp) = echo_server().await;
    let client = TChannel::new("client");
    let body = pattern(300_000, 5);
    let (mut req, res) = open(&client, &hp, "stream-svc", "echo").await;
    let b2 = body.clone();
    let writer = tokio::spawn(async move {
        req.write_arg2("skipped").await?;
        for c in b2.chunks(30_000) {
            req.write_arg3(b2.slice_ref(c)).await?;
        }
        req.finish().await
    });
    let res = res.await.unwrap();
    let mut out = Vec::new();
    let n = tokio::io::copy(&mut res.args.into_arg3_reader(), &mut out)
        .await
        .unwrap();
    writer.await.unwrap().unwrap();
    assert_eq!(n, 300_000);
    assert!(out == body);

    server.register_streaming_for("svc", "broken", |_req, mut res| async move {
        res.write_arg3("partial").await?;
        res.flush().await?;
        Err(HandlerError::busy("gave up"))
    });
    let res = empty_request(&client, &hp, "broken", Duration::from_secs(30)).await;
    let mut out = Vec::new();
    let err = tokio::io::copy(&mut res.args.into_arg3_reader(), &mut out)
        .await
        .unwrap_err();
    assert_eq!(out, b"partial");
    let inner = err
        .get_ref()
        .and_then(|e| e.downcast_ref::<Error>())
        .unwrap();
    assert!(inner.is_busy(), "{inner}");
    server.close().await;
}

/// A peer that never reads a streamed request cannot hold its writer past the deadline.
#[tokio::test(start_paused = true)]
async fn a_writer_facing_a_peer_that_never_reads_fails_at_the_deadline() {
    let server = TChannel::new("svc");
    server.register_streaming("deaf", |req, _res| async move {
        // Holds the request without reading it. (A handler that drops it is not deaf: the
        // rest of its frames are read and dropped.)
        let _held = req;
        std::future::pending::<()>().await;
        Ok(())
    });
    let hp = server.listen("127.0.0.1:0").await.unwrap().to_string();
    let client = TChannel::new("client");
    let (mut req, _res) = client
        .stream("svc", "deaf")
        .hostport(&hp)
        .timeout(Duration::from_secs(5))
        .start()
        .await
        .unwrap();
    let piece = pattern(64 * 1024, 4);
    let mut sent = 0usize;
    let err = loop {
        match req.write_arg3(piece.clone()).await {
            Ok(()) => sent += piece.len(),
            Err(e) => break e,
        }
        assert!(sent < 1 << 30, "1 GiB went into a peer that reads nothing");
    };
    assert!(err.is_timeout(), "{err}");
    server.close().await;
}

/// Reads frames from a socket written by hand.
async fn next_frame(s: &mut tokio::net::TcpStream, buf: &mut bytes::BytesMut) -> Frame {
    use tchannel_runtime::frame::{Decoded, FrameCodec};
    use tokio::io::AsyncReadExt;
    loop {
        if let Some(Decoded::Frame(f)) = FrameCodec::decode(buf).unwrap() {
            return f;
        }
        buf.reserve(65536);
        assert!(s.read_buf(buf).await.unwrap() > 0, "EOF");
    }
}

/// A streamed response whose second frame fails its checksum: the reader gets the first
/// frame's bytes, then a checksum error, never a clean end.
#[tokio::test]
async fn a_checksum_mismatch_mid_response_ends_the_stream_with_a_checksum_error() {
    use tchannel_runtime::checksum::RunningChecksum;
    use tchannel_runtime::frame::{CallRes, Init, TransportHeaders};
    use tokio::io::AsyncWriteExt;
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hp = l.local_addr().unwrap().to_string();
    let fake = tokio::spawn(async move {
        let (mut s, _) = l.accept().await.unwrap();
        let mut buf = bytes::BytesMut::new();
        let init = next_frame(&mut s, &mut buf).await;
        let res = Frame {
            id: init.id,
            body: FrameBody::InitRes(Init {
                version: 2,
                headers: vec![
                    ("host_port".into(), "0.0.0.0:0".into()),
                    ("process_name".into(), "fake".into()),
                ],
            }),
        };
        s.write_all(&res.to_bytes().unwrap()).await.unwrap();
        let req = next_frame(&mut s, &mut buf).await;
        assert!(matches!(req.body, FrameBody::CallReq(_)), "{req:?}");
        let mut csum = RunningChecksum::new(ChecksumType::Crc32c);
        let mut chunks = Chunks::new();
        for c in [&b""[..], b"", b"verified"] {
            csum.update(c);
            chunks.push(Bytes::copy_from_slice(c));
        }
        let mut headers = TransportHeaders::new();
        headers.insert("as", "raw");
        let first = Frame {
            id: req.id,
            body: FrameBody::CallRes(CallRes {
                flags: FLAG_MORE_FRAGMENTS,
                code: 0,
                tracing: Default::default(),
                headers,
                checksum: csum.checksum(),
                chunks,
            }),
        };
        let mut chunks = Chunks::new();
        chunks.push(Bytes::from_static(b"tampered"));
        let second = Frame {
            id: req.id,
            body: FrameBody::CallResContinue(CallContinue {
                flags: 0,
                checksum: Checksum {
                    kind: ChecksumType::Crc32c,
                    value: 0xdead_beef,
                },
                chunks,
            }),
        };
        s.write_all(&first.to_bytes().unwrap()).await.unwrap();
        s.write_all(&second.to_bytes().unwrap()).await.unwrap();
        s
    });
    let client = TChannel::new("client");
    let (mut req, res) = client
        .stream("svc", "x")
        .hostport(&hp)
        .start()
        .await
        .unwrap();
    req.flush().await.unwrap();
    let mut res = res.await.unwrap();
    let (got, end) = drain_arg3(&mut res.args).await;
    assert_eq!(got, b"verified");
    let err = end.expect_err("the stream must not end cleanly");
    assert!(err.is_checksum(), "{err}");
    drop(fake.await.unwrap());
}

/// Both ends through the tokio I/O adapters: a handler that is one `tokio::io::copy` from the
/// request's arg3 to the response's, and a client that writes and reads the same way.
#[tokio::test]
async fn arg3_as_async_write_and_async_read_on_both_ends() {
    use tokio::io::AsyncWriteExt;
    let server = TChannel::new("svc");
    server.register_streaming("copy", |req, res| async move {
        let mut out = res.into_arg3_writer();
        tokio::io::copy(&mut req.args.into_arg3_reader(), &mut out).await?;
        out.shutdown().await?;
        Ok(())
    });
    let hp = server.listen("127.0.0.1:0").await.unwrap().to_string();
    let client = TChannel::new("client");
    let body = pattern(5 << 20, 6);
    let (req, res) = open(&client, &hp, "svc", "copy").await;
    let b2 = body.clone();
    let writer = tokio::spawn(async move {
        let mut w = req.into_arg3_writer();
        for c in b2.chunks(10_000) {
            w.write_all(c).await?;
        }
        w.flush().await?;
        w.shutdown().await?;
        // Ended: further writes fail.
        assert!(w.write_all(b"late").await.is_err());
        std::io::Result::Ok(())
    });
    let res = res.await.unwrap();
    let mut got = Vec::new();
    tokio::io::copy(&mut res.args.into_arg3_reader(), &mut got)
        .await
        .unwrap();
    writer.await.unwrap().unwrap();
    assert_eq!(got.len(), body.len());
    assert!(got == body);
    server.close().await;
}

/// A streamed call's `cn`, `re` and `as` follow the rules of a whole call (one function sets
/// them): the channel's name and the retry flags unless set on the call. A `re` set as a
/// transport header is kept (it was overwritten by the retry flags before).
#[tokio::test]
async fn streamed_calls_take_transport_defaults_as_whole_calls_do() {
    let server = TChannel::new("svc");
    server.register_streaming("hdrs", |req, mut res| async move {
        let t = &req.transport;
        let seen = format!("{} {} {}", t.caller, t.retry_flags().as_header(), t.scheme);
        res.write_arg3(Bytes::from(seen)).await?;
        res.finish().await?;
        Ok(())
    });
    let hp = server.listen("127.0.0.1:0").await.unwrap().to_string();
    let client = TChannel::new("streamer");
    async fn seen<S: tchannel_runtime::Scheme>(call: tchannel_runtime::StreamCall<S>) -> String {
        let (req, res) = call.start().await.unwrap();
        req.finish().await.unwrap();
        let mut res = res.await.unwrap();
        String::from_utf8(drain_arg3(&mut res.args).await.0).unwrap()
    }
    // Streams are never retried: `re` is always `n` (a relay must not retry them either).
    let plain = client.stream("svc", "hdrs").hostport(&hp);
    assert_eq!(seen(plain).await, "streamer n raw");
    let set = client
        .stream("svc", "hdrs")
        .hostport(&hp)
        .scheme(tchannel_runtime::Json)
        .caller_name("someone")
        .transport_header("re", "c");
    assert_eq!(seen(set).await, "someone n json");
    server.close().await;
}
