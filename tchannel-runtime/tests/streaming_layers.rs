//! Streamed calls through the middleware chains: each layer's `stream` hook sees the call's
//! start (and may change its headers or refuse it) and, through `on_end`, its outcome.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tchannel_runtime::middleware::{
    BoxFuture, InboundMiddleware, InboundNext, InboundRequest, InboundResponse, InboundStreamCall,
    OutboundMiddleware, OutboundNext, OutboundRequest, OutboundResponse, OutboundStreamCall,
    StreamOutcome,
};
use tchannel_runtime::{Error, ErrorCode, TChannel};

type Log = Arc<Mutex<Vec<String>>>;

/// An outbound layer that logs the start and end of streamed calls, refuses those to the
/// endpoint `refuse`, and sets its `sk` header on the rest.
struct Watch {
    name: &'static str,
    log: Log,
    refuse: Option<&'static str>,
}

fn describe(outcome: &StreamOutcome<'_>) -> String {
    match outcome {
        StreamOutcome::Success => "success".into(),
        StreamOutcome::AppError => "app-error".into(),
        StreamOutcome::Failed(e) => format!("failed {:?}", e.code()),
    }
}

impl OutboundMiddleware for Watch {
    fn call(
        &self,
        req: OutboundRequest,
        next: OutboundNext,
    ) -> BoxFuture<'static, Result<OutboundResponse, Error>> {
        Box::pin(next.run(req))
    }

    fn stream(&self, call: &mut OutboundStreamCall) -> Result<(), Error> {
        let (name, log) = (self.name, self.log.clone());
        log.lock()
            .unwrap()
            .push(format!("{name} start {}", call.endpoint));
        if self.refuse == Some(call.endpoint.as_str()) {
            return Err(Error::from_code(ErrorCode::Declined, "not this one"));
        }
        assert!(call.options.get_tracing().is_some(), "the span is chosen");
        call.transport.insert("sk", name);
        call.on_end(move |outcome| {
            log.lock()
                .unwrap()
                .push(format!("{name} end {}", describe(outcome)));
        });
        Ok(())
    }
}

/// A server whose `echo` streaming handler counts its runs and answers with the `sk`
/// transport header it received as arg2.
async fn echo_server(
    builder: tchannel_runtime::ChannelBuilder,
) -> (TChannel, String, Arc<AtomicUsize>) {
    let server = builder.build();
    let runs = Arc::new(AtomicUsize::new(0));
    let counted = runs.clone();
    server.register_streaming("echo", move |mut req, mut res| {
        counted.fetch_add(1, Ordering::SeqCst);
        async move {
            let sk = req.transport.headers.get("sk").unwrap_or("").to_owned();
            let body = req.args.read_arg3().await?;
            res.write_arg2(sk).await?;
            res.write_arg3(body).await?;
            res.finish().await?;
            Ok(())
        }
    });
    let addr = server.listen("127.0.0.1:0").await.unwrap().to_string();
    (server, addr, runs)
}

/// A client with two `Watch` layers, `outer` then `inner` (which refuses `refuse`).
fn watched_client(log: &Log, inner: &'static str, refuse: Option<&'static str>) -> TChannel {
    let watch = |name, refuse| Watch {
        name,
        log: log.clone(),
        refuse,
    };
    TChannel::builder("client")
        .outbound(watch("outer", None))
        .outbound(watch(inner, refuse))
        .build()
}

#[tokio::test]
async fn outbound_layers_see_a_stream_start_and_end_in_chain_order() {
    let (server, addr, runs) = echo_server(TChannel::builder("server")).await;
    let log = Log::default();
    let client = watched_client(&log, "inner", None);
    let (mut req, res) = client
        .stream("server", "echo")
        .hostport(&*addr)
        .start()
        .await
        .unwrap();
    req.write_arg3("hi").await.unwrap();
    req.finish().await.unwrap();
    let mut res = res.await.unwrap();
    // The inner layer set `sk` last: the handler saw its value.
    assert_eq!(res.args.read_arg2().await.unwrap(), "inner");
    assert_eq!(
        log.lock().unwrap().len(),
        2,
        "not ended before the body is read"
    );
    assert_eq!(res.args.read_arg3().await.unwrap(), "hi");
    assert_eq!(
        *log.lock().unwrap(),
        [
            "outer start echo",
            "inner start echo",
            "inner end success",
            "outer end success"
        ]
    );
    assert_eq!(runs.load(Ordering::SeqCst), 1);
    server.close().await;
}

#[tokio::test]
async fn an_outbound_layer_refuses_a_stream_before_anything_is_sent() {
    let (server, addr, runs) = echo_server(TChannel::builder("server")).await;
    let log = Log::default();
    let client = watched_client(&log, "guard", Some("echo"));
    let e = client
        .stream("server", "echo")
        .hostport(&*addr)
        .start()
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::Declined), "{e:?}");
    assert_eq!(
        *log.lock().unwrap(),
        [
            "outer start echo",
            "guard start echo",
            "outer end failed Some(Declined)"
        ]
    );
    // Nothing was sent: the handler never ran.
    assert_eq!(runs.load(Ordering::SeqCst), 0);
    server.close().await;
}

#[tokio::test]
async fn a_failed_start_after_the_layers_ends_the_call_for_them() {
    let log = Log::default();
    let client = TChannel::builder("client")
        .outbound(Watch {
            name: "w",
            log: log.clone(),
            refuse: None,
        })
        .build();
    // No peer for the service: the start fails after the layers.
    let e = client.stream("nowhere", "echo").start().await.unwrap_err();
    assert!(e.is_no_peer_available(), "{e:?}");
    assert_eq!(*log.lock().unwrap(), ["w start echo", "w end failed None"]);
}

/// An inbound layer that declines streamed calls without an `auth` transport header, and logs
/// how the others end.
struct Auth(Log);

impl InboundMiddleware for Auth {
    fn call(
        &self,
        req: InboundRequest,
        next: InboundNext,
    ) -> BoxFuture<'static, Result<InboundResponse, Error>> {
        Box::pin(next.run(req))
    }

    fn stream(&self, call: &mut InboundStreamCall) -> Result<(), Error> {
        if call.transport.headers.get("auth") != Some("secret") {
            return Err(Error::from_code(ErrorCode::Declined, "no auth"));
        }
        let log = self.0.clone();
        let what = format!("{} from {}", call.endpoint, call.transport.caller);
        call.on_end(move |outcome| {
            log.lock()
                .unwrap()
                .push(format!("{what}: {}", describe(outcome)))
        });
        Ok(())
    }
}

#[tokio::test]
async fn an_inbound_layer_refuses_a_stream_before_its_handler_runs() {
    let log = Log::default();
    let (server, addr, runs) =
        echo_server(TChannel::builder("server").inbound(Auth(log.clone()))).await;
    let client = TChannel::new("client");
    let (req, res) = client
        .stream("server", "echo")
        .hostport(&*addr)
        .start()
        .await
        .unwrap();
    req.finish().await.unwrap();
    let e = res.await.unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::Declined), "{e:?}");
    assert_eq!(runs.load(Ordering::SeqCst), 0);

    let (mut req, res) = client
        .stream("server", "echo")
        .hostport(&*addr)
        .transport_header("auth", "secret")
        .start()
        .await
        .unwrap();
    req.write_arg3("ok").await.unwrap();
    req.finish().await.unwrap();
    let mut res = res.await.unwrap();
    assert_eq!(res.args.read_arg3().await.unwrap(), "ok");
    server.close().await; // waits for the handler's task, which reports the end
    assert_eq!(runs.load(Ordering::SeqCst), 1);
    assert_eq!(*log.lock().unwrap(), ["echo from client: success"]);
}

#[tokio::test]
async fn an_inbound_layer_is_told_how_the_handler_left_its_response() {
    let log = Log::default();
    let server = TChannel::builder("server")
        .inbound(Auth(log.clone()))
        .build();
    server.register_streaming("forgets", |_req, _res| async move { Ok(()) });
    server.register_streaming("fails", |_req, res| async move {
        res.fail(tchannel_runtime::HandlerError::declined("no thanks"));
        Ok(())
    });
    server.register_streaming("app-error", |_req, mut res| async move {
        res.set_app_error()?;
        res.finish().await?;
        Ok(())
    });
    let addr = server.listen("127.0.0.1:0").await.unwrap().to_string();
    let client = TChannel::new("client");
    for endpoint in ["forgets", "fails", "app-error"] {
        let (req, res) = client
            .stream("server", endpoint)
            .hostport(&*addr)
            .transport_header("auth", "secret")
            .start()
            .await
            .unwrap();
        req.finish().await.unwrap();
        let _ = res.await;
    }
    server.close().await; // waits for the handlers' tasks, which report the ends
    let mut seen = log.lock().unwrap().clone();
    seen.sort();
    assert_eq!(
        seen,
        [
            "app-error from client: app-error",
            "fails from client: failed Some(Declined)",
            "forgets from client: failed Some(Unexpected)",
        ]
    );
}

/// An outbound layer that needs streamed calls whole: logs the args its `call` sees, and
/// would log a `stream` hook (which must not run then).
struct WholeLayer(Log);

impl OutboundMiddleware for WholeLayer {
    fn call(
        &self,
        req: OutboundRequest,
        next: OutboundNext,
    ) -> BoxFuture<'static, Result<OutboundResponse, Error>> {
        self.0.lock().unwrap().push(format!(
            "call {} {:?} {:?} re={:?}",
            req.endpoint,
            req.headers,
            req.body,
            req.transport.get("re")
        ));
        Box::pin(next.run(req))
    }

    fn stream(&self, _call: &mut OutboundStreamCall) -> Result<(), Error> {
        self.0.lock().unwrap().push("stream hook".into());
        Ok(())
    }

    fn whole_streams(&self) -> bool {
        true
    }
}

/// With a layer that asks for whole streams, a streamed call reaches its `call` as one whole
/// call once the request is finished (written in pieces, or through the `AsyncWrite`
/// adapter), and its response reaches the streaming caller one piece per arg; a request
/// dropped unfinished fails the call, and one over `max_message_size` fails its write.
#[tokio::test]
async fn a_layer_that_asks_for_whole_streams_sees_them_as_whole_calls() {
    use tokio::io::AsyncWriteExt;
    let server = TChannel::new("files");
    server.register_streaming("echo", |mut req, mut res| async move {
        res.write_arg2(req.args.read_arg2().await?).await?;
        while let Some(piece) = req.args.arg3_chunk().await? {
            res.write_arg3(piece).await?;
            res.flush().await?;
        }
        res.finish().await?;
        Ok(())
    });
    let hp = server.listen("127.0.0.1:0").await.unwrap().to_string();
    let log = Log::default();
    let client = TChannel::builder("client")
        .known_peers([hp.as_str()])
        .outbound(WholeLayer(log.clone()))
        .max_message_size(64 * 1024)
        .build();

    let (mut req, res) = client.stream("files", "echo").start().await.unwrap();
    req.write_arg2("h").await.unwrap();
    req.write_arg3("a").await.unwrap();
    req.flush().await.unwrap();
    let mut body = req.into_arg3_writer();
    body.write_all(b"bc").await.unwrap();
    body.shutdown().await.unwrap();
    let mut res = res.await.unwrap();
    assert!(res.ok);
    assert_eq!(res.args.arg2_chunk().await.unwrap().unwrap(), "h");
    assert_eq!(res.args.arg2_chunk().await.unwrap(), None);
    assert_eq!(res.args.arg3_chunk().await.unwrap().unwrap(), "abc");
    assert_eq!(res.args.arg3_chunk().await.unwrap(), None);
    assert_eq!(
        *log.lock().unwrap(),
        [r#"call echo b"h" b"abc" re=Some("n")"#]
    );

    // Dropped unfinished: the call fails, nothing is sent.
    let (mut req, res) = client.stream("files", "echo").start().await.unwrap();
    req.write_arg3("x").await.unwrap();
    drop(req);
    let e = res.await.unwrap_err();
    assert!(
        e.message()
            .contains("dropped before the request was finished"),
        "{e}"
    );
    // Over max_message_size: the write fails with a bad request naming the limit.
    let (mut req, _res) = client.stream("files", "echo").start().await.unwrap();
    let e = req.write_arg3(vec![0u8; 65 * 1024]).await.unwrap_err();
    assert!(
        e.is_bad_request() && e.message().contains("max_message_size"),
        "{e}"
    );
    assert_eq!(
        log.lock().unwrap().len(),
        1,
        "no stream hook ran, no other call"
    );
    server.close().await;
}
