//! Streamed args as `futures` streams and sinks (so `StreamExt`/`SinkExt` work), the typed
//! scheme of `StreamCall`, and its refusal of retry options it could not honour (on timeouts).

use bytes::Bytes;
use futures_util::{stream, SinkExt, StreamExt, TryStreamExt};
use std::pin::Pin;
use std::time::Duration;
use tchannel_runtime::{CallOptions, Error, Json, RetryOn, TChannel};

/// A deterministic piece: byte j of piece i is `(i * 7 + j) % 26 + 'a'`.
fn piece(i: usize, len: usize) -> Bytes {
    (0..len).map(|j| b'a' + ((i * 7 + j) % 26) as u8).collect()
}

async fn upper_server() -> (TChannel, std::net::SocketAddr) {
    let server = TChannel::new("files");
    server.register_streaming("upper", |req, res| async move {
        req.args
            .into_arg3_reader()
            .map_ok(|p| Bytes::from(p.to_ascii_uppercase()))
            .forward(res.into_arg3_writer())
            .await?;
        Ok(())
    });
    server.register_streaming("inspect", |req, mut res| async move {
        let h = &req.transport.headers;
        let seen = format!(
            "as={} re={}",
            h.get("as").unwrap_or("-"),
            h.get("re").unwrap_or("-")
        );
        res.write_arg3(seen).await?;
        res.finish().await?;
        Ok(())
    });
    server.register_streaming("stall", |_req, mut res| async move {
        res.write_arg3("first").await?;
        res.flush().await?;
        std::future::pending::<()>().await;
        Ok(())
    });
    let addr = server.listen("127.0.0.1:0").await.unwrap();
    (server, addr)
}

#[tokio::test]
async fn a_sink_in_and_a_stream_out_carry_every_piece_in_order() {
    let (server, addr) = upper_server().await;
    let client = TChannel::new("client");
    let (req, res) = client
        .stream("files", "upper")
        .hostport(addr)
        .start()
        .await
        .unwrap();
    // 300 pieces of 1000 bytes: several 64 KiB frames each way.
    let upload = tokio::spawn(async move {
        let mut body = req.into_arg3_writer();
        let mut pieces = stream::iter(0..300).map(|i| Ok(piece(i, 1000)));
        body.send_all(&mut pieces).await?;
        body.close().await?;
        // Closed: a later item is refused, not lost silently.
        let e = body.send(Bytes::from("late")).await.unwrap_err();
        assert!(e.message().contains("after the message ended"), "{e}");
        Ok::<_, Error>(())
    });
    let res = res.await.unwrap();
    assert!(res.ok);
    let got: Vec<Bytes> = res.args.into_arg3_reader().try_collect().await.unwrap();
    let got: Vec<u8> = got.concat();
    let want: Vec<u8> = (0..300)
        .flat_map(|i| piece(i, 1000).to_ascii_uppercase())
        .collect();
    assert_eq!(got.len(), want.len());
    assert!(got == want, "the echo differs");
    upload.await.unwrap().unwrap();
    server.close().await;
}

#[tokio::test]
async fn start_send_without_poll_ready_is_an_error_not_a_panic() {
    let (server, addr) = upper_server().await;
    let client = TChannel::new("client");
    let (req, _res) = client
        .stream("files", "upper")
        .hostport(addr)
        .start()
        .await
        .unwrap();
    let mut body = req.into_arg3_writer();
    use futures_util::Sink;
    let waker = futures_util::task::noop_waker();
    let mut cx = std::task::Context::from_waker(&waker);
    assert!(Pin::new(&mut body).poll_ready(&mut cx).is_ready());
    Pin::new(&mut body).start_send(Bytes::from("one")).unwrap();
    // The first write is still in progress: no poll_ready in between.
    let e = Pin::new(&mut body)
        .start_send(Bytes::from("two"))
        .unwrap_err();
    assert!(
        e.message().contains("without a successful poll_ready"),
        "{e}"
    );
    server.close().await;
}

#[tokio::test]
async fn the_scheme_is_typed_and_streams_go_with_re_never() {
    let (server, addr) = upper_server().await;
    let client = TChannel::new("client");
    for (call_as, want) in [("raw", "as=raw re=n"), ("json", "as=json re=n")] {
        let started = if call_as == "json" {
            client
                .stream("files", "inspect")
                .scheme(Json)
                .hostport(addr)
                .start()
                .await
        } else {
            client
                .stream("files", "inspect")
                .hostport(addr)
                .start()
                .await
        };
        let (req, res) = started.unwrap();
        req.finish().await.unwrap();
        let mut res = res.await.unwrap();
        assert_eq!(res.transport.get("as"), Some(call_as));
        assert_eq!(res.args.read_arg3().await.unwrap(), Bytes::from(want));
    }
    server.close().await;
}

#[tokio::test]
async fn options_that_ask_for_retries_on_timeouts_are_refused_before_anything_is_sent() {
    let (server, addr) = upper_server().await;
    let client = TChannel::new("client");
    for opts in [
        CallOptions::default().retry_on(RetryOn::Timeout),
        CallOptions::default().retry_on(RetryOn::ConnectionErrorAndTimeout),
    ] {
        let e = client
            .stream("files", "upper")
            .options(opts.hostport(addr))
            .start()
            .await
            .unwrap_err();
        assert!(e.is_bad_request(), "{e}");
        assert!(e.message().contains("never retried"), "{e}");
        assert_eq!(e.service(), Some("files"));
    }
    // Retries before anything is sent only: fine (a retry limit, RetryOn::Never, the default).
    for opts in [
        CallOptions::default().retry_limit(2),
        CallOptions::default().retry_limit(0),
        CallOptions::default().retry_on(RetryOn::Never),
        CallOptions::default(),
    ] {
        let (req, res) = client
            .stream("files", "upper")
            .options(opts.hostport(addr))
            .start()
            .await
            .unwrap();
        req.finish().await.unwrap();
        assert!(res.await.unwrap().ok);
    }
    server.close().await;
}

#[tokio::test(start_paused = true)]
async fn a_stream_ends_with_the_error_as_an_item_and_io_errors_wrap_it() {
    let (server, addr) = upper_server().await;
    let client = TChannel::new("client");
    let (req, res) = client
        .stream("files", "stall")
        .hostport(addr)
        .timeout(Duration::from_secs(2))
        .start()
        .await
        .unwrap();
    req.finish().await.unwrap();
    let mut pieces = res.await.unwrap().args.into_arg3_reader();
    assert_eq!(pieces.next().await.unwrap().unwrap(), Bytes::from("first"));
    let e = pieces.next().await.unwrap().unwrap_err();
    assert!(e.is_timeout(), "{e}");
    // The error is the last item: the stream has ended.
    assert!(pieces.next().await.is_none());
    let io: std::io::Error = e.into();
    assert_eq!(io.kind(), std::io::ErrorKind::Other);
    let back = io.get_ref().unwrap().downcast_ref::<Error>().unwrap();
    assert!(back.is_timeout());
    server.close().await;
}
