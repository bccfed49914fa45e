//! Call metrics: the standard names and tags for every outcome, in both directions; the
//! attempts and retries `send` reports; the connection metrics of `channel/` and of the
//! connection itself (bytes and errors).

mod common;

use common::{call_req, RawPeer};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tchannel_runtime::middleware::{OutboundNext, OutboundRequest, OutboundResponse};
use tchannel_runtime::stats::{StatsReporter, Tags};
use tchannel_runtime::{Error, HandlerError, Raw, Response, RetryOn, TChannel};

/// Counter totals and timer samples by `name{tags}`.
#[derive(Default)]
struct Recorded {
    counters: Mutex<BTreeMap<String, u64>>,
    timers: Mutex<BTreeMap<String, Vec<Duration>>>,
    /// Every value each gauge was set to, in order.
    gauges: Mutex<BTreeMap<String, Vec<i64>>>,
}

fn key(name: &str, tags: &Tags<'_>) -> String {
    let tags: Vec<String> = tags.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("{name}{{{}}}", tags.join(","))
}

impl StatsReporter for Recorded {
    fn inc_counter(&self, name: &'static str, tags: &Tags<'_>, value: u64) {
        *self
            .counters
            .lock()
            .unwrap()
            .entry(key(name, tags))
            .or_default() += value;
    }
    fn record_timer(&self, name: &'static str, tags: &Tags<'_>, d: Duration) {
        self.timers
            .lock()
            .unwrap()
            .entry(key(name, tags))
            .or_default()
            .push(d);
    }
    fn update_gauge(&self, name: &'static str, tags: &Tags<'_>, value: i64) {
        self.gauges
            .lock()
            .unwrap()
            .entry(key(name, tags))
            .or_default()
            .push(value);
    }
}

impl Recorded {
    fn counters(&self) -> BTreeMap<String, u64> {
        self.counters.lock().unwrap().clone()
    }
    fn timer_counts(&self) -> BTreeMap<String, usize> {
        self.timers
            .lock()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.len()))
            .collect()
    }
    /// The values each gauge was set to.
    fn gauges(&self) -> BTreeMap<String, Vec<i64>> {
        self.gauges.lock().unwrap().clone()
    }
    /// The `connections.*` counters except the byte counts.
    fn connection_events(&self) -> BTreeMap<String, u64> {
        self.only("connections.")
            .0
            .into_iter()
            .filter(|(k, _)| !k.starts_with("connections.bytes-"))
            .collect()
    }
    /// The `connections.errors` counters.
    fn errors(&self) -> BTreeMap<String, u64> {
        let mut c = self.counters();
        c.retain(|k, _| k.starts_with("connections.errors"));
        c
    }
    /// The counter `name{tags}`, 0 if never reported.
    fn counter(&self, name: &str, tags: &str) -> u64 {
        let k = format!("{name}{{{tags}}}");
        self.counters().get(&k).copied().unwrap_or(0)
    }
    /// Waits, without a timer, until `done` holds (10 s at most).
    async fn wait_for(&self, what: &str, done: impl Fn(&Self) -> bool) {
        tokio::time::timeout(Duration::from_secs(10), async {
            while !done(self) {
                tokio::task::yield_now().await;
            }
        })
        .await
        .unwrap_or_else(|_| panic!("never happened: {what}; counters: {:?}", self.counters()));
    }
    /// The counters and timers whose names start with `prefix`.
    fn only(&self, prefix: &str) -> (BTreeMap<String, u64>, BTreeMap<String, usize>) {
        let c = self.counters();
        let t = self.timer_counts();
        (
            c.into_iter()
                .filter(|(k, _)| k.starts_with(prefix))
                .collect(),
            t.into_iter()
                .filter(|(k, _)| k.starts_with(prefix))
                .collect(),
        )
    }
}

fn map<V: Clone>(pairs: &[(String, V)]) -> BTreeMap<String, V> {
    pairs.iter().cloned().collect()
}

/// The call metrics of two `ok` calls, one `notok` (an application error) and one `busy`
/// (a Busy error) from `client` to `server`, both sides reporting to `rec`: waits until the
/// server has reported every end, then checks the counters and latency timers.
async fn assert_standard_outcomes(rec: &Recorded) {
    let out =
        |ep: &str| format!("app=client,service=client,target-service=server,target-endpoint={ep}");
    let inb = |ep: &str| format!("app=server,service=server,endpoint={ep},calling-service=client");
    let expected: BTreeMap<String, u64> = [
        (format!("outbound.calls.sent{{{}}}", out("ok")), 2),
        (format!("outbound.calls.success{{{}}}", out("ok")), 2),
        (format!("outbound.calls.sent{{{}}}", out("notok")), 1),
        (format!("outbound.calls.app-errors{{{}}}", out("notok")), 1),
        (format!("outbound.calls.sent{{{}}}", out("busy")), 1),
        (
            format!("outbound.calls.system-errors{{{},type=busy}}", out("busy")),
            1,
        ),
        (format!("inbound.calls.recvd{{{}}}", inb("ok")), 2),
        (format!("inbound.calls.success{{{}}}", inb("ok")), 2),
        (format!("inbound.calls.recvd{{{}}}", inb("notok")), 1),
        (format!("inbound.calls.app-errors{{{}}}", inb("notok")), 1),
        (format!("inbound.calls.recvd{{{}}}", inb("busy")), 1),
        (
            format!("inbound.calls.system-errors{{{},type=busy}}", inb("busy")),
            1,
        ),
    ]
    .into_iter()
    .collect();
    let calls = |rec: &Recorded| -> BTreeMap<String, u64> {
        rec.counters()
            .into_iter()
            .filter(|(k, _)| k.contains(".calls."))
            .collect()
    };
    rec.wait_for("every call's end", |r| calls(r).len() == expected.len())
        .await;
    assert_eq!(calls(rec), expected);
    let timers: BTreeMap<String, usize> = rec
        .timer_counts()
        .into_iter()
        .filter(|(k, _)| k.contains(".calls.latency"))
        .collect();
    assert_eq!(
        timers[&format!("outbound.calls.latency{{{}}}", out("ok"))],
        2
    );
    assert_eq!(
        timers[&format!("inbound.calls.latency{{{}}}", inb("ok"))],
        2
    );
    assert_eq!(
        timers[&format!("inbound.calls.latency{{{}}}", inb("busy"))],
        1
    );
    assert_eq!(timers.len(), 6, "{timers:?}");
}

#[tokio::test]
async fn outcomes_are_counted_under_the_standard_names_both_ways() {
    let rec = Arc::new(Recorded::default());
    let server = TChannel::builder("server").stats(rec.clone()).build();
    server.register("ok", Raw, |req| async move { Ok(Response::new(req.body)) });
    server.register("notok", Raw, |_req| async move {
        Ok(Response::<Raw>::app_error("no".into()))
    });
    server.register("busy", Raw, |_req| async move {
        Err::<Response<Raw>, _>(HandlerError::busy("full"))
    });
    let addr = server.listen("127.0.0.1:0").await.unwrap().to_string();
    let client = TChannel::builder("client").stats(rec.clone()).build();
    for endpoint in ["ok", "ok", "notok", "busy"] {
        let _ = client
            .raw("server", endpoint)
            .hostport(addr.clone())
            .retry_on(RetryOn::Never)
            .await;
    }
    assert_standard_outcomes(&rec).await;
    server.close().await;
}

#[tokio::test]
async fn local_failures_are_system_errors_with_a_type() {
    let rec = Arc::new(Recorded::default());
    // No peers: the call fails before reaching the network.
    let client = TChannel::builder("client")
        .stats(rec.clone())
        .outbound(|req: OutboundRequest, next: OutboundNext| next.run(req))
        .build();
    assert!(client.raw("nowhere", "x").await.is_err());
    let c = rec.counters();
    assert_eq!(
        c["outbound.calls.system-errors{app=client,service=client,target-service=nowhere,target-endpoint=x,type=no-peer-available}"],
        1,
        "{c:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn latency_is_the_time_the_rest_of_the_chain_took() {
    let rec = Arc::new(Recorded::default());
    let stats = tchannel_runtime::stats::Stats::new(rec.clone()).app("billing");
    let client = TChannel::builder("client")
        .outbound(stats)
        .outbound(|_req: OutboundRequest, _next: OutboundNext| async move {
            tokio::time::sleep(Duration::from_millis(250)).await;
            Ok(OutboundResponse::new(true, "", ""))
        })
        .build();
    client.raw("svc", "slow").await.unwrap();
    let timers = rec.timers.lock().unwrap().clone();
    assert_eq!(
        timers["outbound.calls.latency{app=billing,service=client,target-service=svc,target-endpoint=slow}"],
        vec![Duration::from_millis(250)]
    );
}

#[tokio::test]
async fn a_retry_reports_both_attempts_with_their_peer_and_one_retry() {
    let busy = TChannel::new("svc");
    busy.register("work", Raw, |_req| async move {
        Err::<Response<Raw>, _>(HandlerError::busy("full"))
    });
    let busy_addr = busy.listen("127.0.0.1:0").await.unwrap().to_string();
    let ok = TChannel::new("svc");
    ok.register(
        "work",
        Raw,
        |req| async move { Ok(Response::new(req.body)) },
    );
    let ok_addr = ok.listen("127.0.0.1:0").await.unwrap().to_string();
    let rec = Arc::new(Recorded::default());
    // A new peer list starts its rotation at the first known peer: the busy one.
    let client = TChannel::builder("client")
        .stats(rec.clone())
        .known_peers([busy_addr.clone(), ok_addr.clone()])
        .build();
    let res = client.raw("svc", "work").body("x").await.unwrap();
    assert!(res.ok);
    let call = "app=client,service=client,target-service=svc,target-endpoint=work";
    let (counters, timers) = rec.only("outbound.");
    assert_eq!(
        counters,
        map(&[
            (format!("outbound.calls.retries{{{call},retry-count=1}}"), 1),
            (format!("outbound.calls.sent{{{call}}}"), 1),
            (format!("outbound.calls.success{{{call}}}"), 1),
        ])
    );
    assert_eq!(
        timers,
        map(&[
            (format!("outbound.calls.latency{{{call}}}"), 1),
            (
                format!("outbound.calls.per-attempt.latency{{{call},peer={busy_addr}}}"),
                1
            ),
            (
                format!("outbound.calls.per-attempt.latency{{{call},peer={ok_addr}}}"),
                1
            ),
        ])
    );
    // Each attempt took no longer than the whole call.
    let t = rec.timers.lock().unwrap().clone();
    let whole = t[&format!("outbound.calls.latency{{{call}}}")][0];
    let first = t[&format!("outbound.calls.per-attempt.latency{{{call},peer={busy_addr}}}")][0];
    let second = t[&format!("outbound.calls.per-attempt.latency{{{call},peer={ok_addr}}}")][0];
    assert!(
        first + second <= whole,
        "{first:?} + {second:?} > {whole:?}"
    );
    busy.close().await;
    ok.close().await;
}

/// An echo server and a client, each with its own recorder, both listening (so the server
/// keeps the client's connection under the client's address): channel, recorder, address.
async fn echo_pair() -> (
    TChannel,
    Arc<Recorded>,
    String,
    TChannel,
    Arc<Recorded>,
    String,
) {
    let server_rec = Arc::new(Recorded::default());
    let server = TChannel::builder("server")
        .stats(server_rec.clone())
        .build();
    server.register(
        "echo",
        Raw,
        |req| async move { Ok(Response::new(req.body)) },
    );
    let server_addr = server.listen("127.0.0.1:0").await.unwrap().to_string();
    let client_rec = Arc::new(Recorded::default());
    let client = TChannel::builder("client")
        .stats(client_rec.clone())
        .build();
    // The client listens too, so the server keeps its connection under that address.
    let client_addr = client.listen("127.0.0.1:0").await.unwrap().to_string();
    (
        server,
        server_rec,
        server_addr,
        client,
        client_rec,
        client_addr,
    )
}

#[tokio::test]
async fn connections_made_accepted_and_active_are_counted_on_both_sides() {
    let (server, server_rec, server_addr, client, client_rec, client_addr) = echo_pair().await;
    for _ in 0..3 {
        client
            .raw("server", "echo")
            .hostport(server_addr.clone())
            .await
            .unwrap();
    }
    let out = format!("app=client,host-port={client_addr},peer-host-port={server_addr}");
    let inb = format!("app=server,host-port={server_addr},peer-host-port={client_addr}");
    // One connection, made once and reused by the next two calls.
    assert_eq!(
        client_rec.connection_events(),
        map(&[(format!("connections.initiated{{{out}}}"), 1)])
    );
    assert_eq!(
        client_rec.gauges(),
        map(&[(format!("connections.active{{{out}}}"), vec![1])])
    );
    assert_eq!(
        server_rec.connection_events(),
        map(&[(format!("connections.accepted{{{inb}}}"), 1)])
    );
    assert_eq!(
        server_rec.gauges(),
        map(&[(format!("connections.active{{{inb}}}"), vec![1])])
    );

    // Closing the client closes its connection, counted as it closes on both sides: by the
    // client as it drains, by the server as it reads the end. Both drop the connection from
    // their peer as it closes, so `connections.active` goes down to 0 on both sides.
    client.close().await;
    assert_eq!(
        client_rec.connection_events(),
        map(&[
            (format!("connections.closed{{{out}}}"), 1),
            (format!("connections.initiated{{{out}}}"), 1),
        ])
    );
    assert_eq!(
        client_rec.gauges(),
        map(&[(format!("connections.active{{{out}}}"), vec![1, 0])])
    );
    server_rec
        .wait_for("the server sees the connection close", |r| {
            r.counter("connections.closed", &inb) == 1
                && r.gauges().get(&format!("connections.active{{{inb}}}")) == Some(&vec![1, 0])
        })
        .await;
    // Closing is final: the next call fails at once, and connects nowhere.
    let e = client
        .raw("server", "echo")
        .hostport(server_addr.clone())
        .await
        .unwrap_err();
    assert!(e.is_closed(), "{e}");
    assert_eq!(client_rec.connection_events().len(), 2);
    // Closing the server has no connection left to close; no close was an error.
    server.close().await;
    assert_eq!(server_rec.counter("connections.closed", &inb), 1);
    assert!(client_rec.errors().is_empty() && server_rec.errors().is_empty());
}

#[tokio::test]
async fn a_refused_connection_is_a_connect_error_and_an_attempt() {
    // A port that was just free: nothing listens there.
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .to_string();
    let rec = Arc::new(Recorded::default());
    let client = TChannel::builder("client").stats(rec.clone()).build();
    let err = client
        .raw("server", "echo")
        .hostport(addr.clone())
        .await
        .unwrap_err();
    assert!(err.is_network(), "{err}");
    assert_eq!(
        rec.only("connections.").0,
        map(&[(
            format!("connections.connect-errors{{app=client,host-port=0.0.0.0:0,peer-host-port={addr}}}"),
            1
        )])
    );
    assert!(rec.gauges().is_empty());
    let call = "app=client,service=client,target-service=server,target-endpoint=echo";
    assert_eq!(
        rec.only("outbound.calls.per-attempt").1,
        map(&[(
            format!("outbound.calls.per-attempt.latency{{{call},peer={addr}}}"),
            1
        )])
    );
    // A fixed hostport is never retried.
    assert!(rec.only("outbound.calls.retries").0.is_empty());
}

#[tokio::test]
async fn a_failed_handshake_is_an_accept_error_without_a_peer() {
    use tokio::io::AsyncWriteExt;
    let rec = Arc::new(Recorded::default());
    let server = TChannel::builder("server").stats(rec.clone()).build();
    let addr = server.listen("127.0.0.1:0").await.unwrap();
    let mut sock = tokio::net::TcpStream::connect(addr).await.unwrap();
    // 16 bytes of header for a call req (type 0x03): not the init req the handshake wants.
    sock.write_all(&[0, 16, 0x03, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0])
        .await
        .unwrap();
    let want = format!("connections.accept-errors{{app=server,host-port={addr}}}");
    // The handshake fails in the server's task; wait for it without a timer.
    tokio::time::timeout(Duration::from_secs(10), async {
        while !rec.counters().contains_key(&want) {
            tokio::task::yield_now().await;
        }
    })
    .await
    .expect("no accept error reported");
    assert_eq!(rec.only("connections.").0, map(&[(want, 1)]));
    assert!(rec.gauges().is_empty());
    server.close().await;
}

#[tokio::test]
async fn bytes_sent_by_one_side_are_the_bytes_the_other_received() {
    let (server, server_rec, server_addr, client, client_rec, client_addr) = echo_pair().await;
    let payload = vec![7u8; 10_000];
    let res = client
        .raw("server", "echo")
        .hostport(server_addr.clone())
        .body(payload.clone())
        .await
        .unwrap();
    assert_eq!(res.body.len(), payload.len());
    let out = format!("app=client,host-port={client_addr},peer-host-port={server_addr}");
    let inb = format!("app=server,host-port={server_addr},peer-host-port={client_addr}");
    let sent = |r: &Recorded, t: &str| r.counter("connections.bytes-sent", t);
    let recvd = |r: &Recorded, t: &str| r.counter("connections.bytes-recvd", t);
    // Each side counts after its own syscall: wait until both have seen all of it.
    client_rec
        .wait_for("both sides agree", |c| {
            sent(c, &out) == recvd(&server_rec, &inb)
                && sent(&server_rec, &inb) == recvd(c, &out)
                && recvd(c, &out) >= payload.len() as u64
        })
        .await;
    // The request and the response carry the payload and their framing, not the handshake.
    let (up, down) = (sent(&client_rec, &out), sent(&server_rec, &inb));
    assert!(
        up >= payload.len() as u64 && up < payload.len() as u64 + 200,
        "{up}"
    );
    assert!(
        down >= payload.len() as u64 && down < payload.len() as u64 + 200,
        "{down}"
    );
    // Closed by this side or cleanly by the other, idle: no error either side.
    client.close().await;
    server.close().await;
    for rec in [&client_rec, &server_rec] {
        assert!(rec.errors().is_empty(), "{:?}", rec.errors());
    }
}

#[tokio::test]
async fn a_frame_shorter_than_its_header_is_one_protocol_error() {
    let rec = Arc::new(Recorded::default());
    let server = TChannel::builder("server").stats(rec.clone()).build();
    let addr = server.listen("127.0.0.1:0").await.unwrap();
    let mut peer = RawPeer::connect(addr).await;
    let me = peer.stream.local_addr().unwrap();
    // A call req header whose size (8) is below the 16 bytes of the header itself.
    peer.send_bytes(&[0, 8, 0x03, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0])
        .await;
    let tags = format!("app=server,host-port={addr},peer-host-port={me},type=protocol-error");
    rec.wait_for("a protocol error", |r| {
        r.counter("connections.errors", &tags) > 0
    })
    .await;
    // The server answers with a protocol error frame and closes.
    let f = peer.recv().await.expect("an error frame");
    assert!(
        matches!(f.body, tchannel_runtime::frame::FrameBody::Error(_)),
        "{f:?}"
    );
    assert!(peer.recv().await.is_none());
    // The 16 bytes were read before the frame was found bad.
    assert_eq!(
        rec.counter(
            "connections.bytes-recvd",
            &format!("app=server,host-port={addr},peer-host-port={me}")
        ),
        16
    );
    assert_eq!(
        rec.errors(),
        map(&[(format!("connections.errors{{{tags}}}"), 1)])
    );
    server.close().await;
    // Counted once as it failed, not again when the channel drops it.
    let conn = format!("app=server,host-port={addr},peer-host-port={me}");
    assert_eq!(rec.counter("connections.closed", &conn), 1);
}

#[tokio::test]
async fn a_peer_dropping_the_socket_mid_call_is_a_network_error() {
    let rec = Arc::new(Recorded::default());
    let server = TChannel::builder("server").stats(rec.clone()).build();
    let handling = Arc::new(tokio::sync::Notify::new());
    let h = handling.clone();
    server.register("hang", Raw, move |_req| {
        let h = h.clone();
        async move {
            h.notify_one();
            std::future::pending::<Result<Response<Raw>, HandlerError>>().await
        }
    });
    let addr = server.listen("127.0.0.1:0").await.unwrap();
    let mut peer = RawPeer::connect(addr).await;
    let me = peer.stream.local_addr().unwrap();
    peer.send(&call_req(
        2,
        "server",
        "raw",
        10_000,
        [b"hang", b"", b""],
        tchannel_runtime::checksum::ChecksumType::None,
    ))
    .await;
    handling.notified().await;
    drop(peer);
    let tags = format!("app=server,host-port={addr},peer-host-port={me},type=network-error");
    rec.wait_for("a network error", |r| {
        r.counter("connections.errors", &tags) > 0
    })
    .await;
    assert_eq!(
        rec.errors(),
        map(&[(format!("connections.errors{{{tags}}}"), 1)])
    );
    server.close().await;
}

/// Streams a call of `endpoint` with an empty request and reads its response to the end.
async fn stream_to_end(client: &TChannel, addr: &str, endpoint: &str) -> Result<bool, Error> {
    let (req, res) = client
        .stream("server", endpoint)
        .hostport(addr)
        .start()
        .await?;
    req.finish().await?;
    let mut res = res.await?;
    res.args.read_arg3().await?;
    Ok(res.ok)
}

#[tokio::test]
async fn streamed_calls_are_counted_as_whole_calls_are() {
    let rec = Arc::new(Recorded::default());
    let server = TChannel::builder("server").stats(rec.clone()).build();
    server.register_streaming("ok", |mut req, mut res| async move {
        let body = req.args.read_arg3().await?;
        res.write_arg3(body).await?;
        res.finish().await?;
        Ok(())
    });
    server.register_streaming("notok", |_req, mut res| async move {
        res.set_app_error()?;
        res.write_arg3("no").await?;
        res.finish().await?;
        Ok(())
    });
    server.register_streaming("busy", |_req, _res| async move {
        Err(HandlerError::busy("full"))
    });
    let addr = server.listen("127.0.0.1:0").await.unwrap().to_string();
    let client = TChannel::builder("client").stats(rec.clone()).build();
    assert!(stream_to_end(&client, &addr, "ok").await.unwrap());
    assert!(stream_to_end(&client, &addr, "ok").await.unwrap());
    assert!(!stream_to_end(&client, &addr, "notok").await.unwrap());
    let e = stream_to_end(&client, &addr, "busy").await.unwrap_err();
    assert!(e.is_busy(), "{e:?}");
    // A handler's end is reported by its task, which may end after the caller read the end.
    assert_standard_outcomes(&rec).await;
    server.close().await;
}

#[tokio::test]
async fn a_streamed_response_dropped_before_its_end_is_a_cancelled_call() {
    let rec = Arc::new(Recorded::default());
    let server = TChannel::new("server");
    server.register_streaming("big", |_req, mut res| async move {
        res.write_arg3(vec![1u8; 1 << 20]).await?;
        res.finish().await?;
        Ok(())
    });
    let addr = server.listen("127.0.0.1:0").await.unwrap().to_string();
    let client = TChannel::builder("client").stats(rec.clone()).build();
    let (req, res) = client
        .stream("server", "big")
        .hostport(&*addr)
        .start()
        .await
        .unwrap();
    req.finish().await.unwrap();
    let mut res = res.await.unwrap();
    assert!(res.args.arg3_chunk().await.unwrap().is_some());
    assert_eq!(
        rec.only("outbound.calls.").0.len(),
        1,
        "counted as sent, not ended yet"
    );
    drop(res);
    assert_eq!(
        rec.counter(
            "outbound.calls.system-errors",
            "app=client,service=client,target-service=server,target-endpoint=big,type=cancelled"
        ),
        1,
        "{:?}",
        rec.counters()
    );
    server.close().await;
}

#[tokio::test(start_paused = true)]
async fn a_streaming_handler_stopped_at_its_deadline_is_a_timeout_both_ways() {
    let rec = Arc::new(Recorded::default());
    let server = TChannel::builder("server").stats(rec.clone()).build();
    server.register_streaming("stall", |_req, _res| async move {
        std::future::pending::<()>().await;
        Ok(())
    });
    let addr = server.listen("127.0.0.1:0").await.unwrap().to_string();
    let client = TChannel::builder("client").stats(rec.clone()).build();
    let (req, res) = client
        .stream("server", "stall")
        .hostport(&*addr)
        .timeout(Duration::from_secs(2))
        .start()
        .await
        .unwrap();
    req.finish().await.unwrap();
    assert!(res.await.unwrap_err().is_timeout());
    let timed_out = |r: &Recorded| {
        r.counter(
            "inbound.calls.system-errors",
            "app=server,service=server,endpoint=stall,calling-service=client,type=timeout",
        ) == 1
    };
    rec.wait_for("the handler's timeout", timed_out).await;
    assert_eq!(
        rec.counter(
            "outbound.calls.system-errors",
            "app=client,service=client,target-service=server,target-endpoint=stall,type=timeout"
        ),
        1
    );
    server.close().await;
}

#[tokio::test]
async fn a_streamed_call_retried_before_it_is_sent_counts_one_call_and_one_retry() {
    let server = TChannel::new("server");
    server.register_streaming("ok", |_req, res| async move {
        res.finish().await?;
        Ok(())
    });
    let live = server.listen("127.0.0.1:0").await.unwrap().to_string();
    let dead = {
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        l.local_addr().unwrap().to_string()
    };
    let rec = Arc::new(Recorded::default());
    // A new peer list starts its rotation at the first known peer: the dead one.
    let client = TChannel::builder("client")
        .stats(rec.clone())
        .known_peers([dead, live])
        .build();
    let (req, res) = client.stream("server", "ok").start().await.unwrap();
    req.finish().await.unwrap();
    res.await.unwrap().args.read_arg3().await.unwrap();
    let call = "app=client,service=client,target-service=server,target-endpoint=ok";
    assert_eq!(
        rec.only("outbound.").0,
        map(&[
            (format!("outbound.calls.retries{{{call},retry-count=1}}"), 1),
            (format!("outbound.calls.sent{{{call}}}"), 1),
            (format!("outbound.calls.success{{{call}}}"), 1),
        ])
    );
    server.close().await;
}
