//! Health checks of outbound connections and the idle sweep (issue 14 item 2), on tokio's
//! paused clock, against a raw peer that does the handshake and answers pings only while
//! told to, and against Rust servers.

use bytes::BytesMut;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tchannel_runtime::frame::{Decoded, Frame, FrameBody, FrameCodec, Init};
use tchannel_runtime::stats::{StatsReporter, Tags};
use tchannel_runtime::{ChannelBuilder, HealthCheck, PeerHealth, Raw, Response, TChannel};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::sleep;

/// A server that completes the handshake, then answers ping reqs while `answer` is set and
/// ignores everything else (calls sent to it stay in flight). Counts the connections it
/// accepted and the ones that the client ended.
struct PingPeer {
    addr: SocketAddr,
    answer: Arc<AtomicBool>,
    accepted: Arc<AtomicUsize>,
    ended: Arc<AtomicUsize>,
}

impl PingPeer {
    async fn start(answer: bool) -> PingPeer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let peer = PingPeer {
            addr: listener.local_addr().unwrap(),
            answer: Arc::new(AtomicBool::new(answer)),
            accepted: Arc::default(),
            ended: Arc::default(),
        };
        let (answer, accepted, ended) = (
            peer.answer.clone(),
            peer.accepted.clone(),
            peer.ended.clone(),
        );
        tokio::spawn(async move {
            loop {
                let (s, _) = listener.accept().await.unwrap();
                accepted.fetch_add(1, Ordering::SeqCst);
                let (answer, ended) = (answer.clone(), ended.clone());
                tokio::spawn(async move {
                    serve(s, &answer).await;
                    ended.fetch_add(1, Ordering::SeqCst);
                });
            }
        });
        peer
    }

    fn hostport(&self) -> String {
        self.addr.to_string()
    }
}

/// Serves one connection until the client ends it.
async fn serve(mut s: TcpStream, answer: &AtomicBool) {
    let mut buf = BytesMut::new();
    loop {
        let f = loop {
            match FrameCodec::decode(&mut buf).unwrap() {
                Some(Decoded::Frame(f)) => break f,
                Some(Decoded::Malformed { error, .. }) => panic!("malformed: {error}"),
                None => {}
            }
            if s.read_buf(&mut buf).await.unwrap_or(0) == 0 {
                return;
            }
        };
        let body = match f.body {
            FrameBody::InitReq(_) => FrameBody::InitRes(Init {
                version: 2,
                headers: vec![
                    ("host_port".into(), "0.0.0.0:0".into()),
                    ("process_name".into(), "ping-peer".into()),
                ],
            }),
            FrameBody::PingReq if answer.load(Ordering::SeqCst) => FrameBody::PingRes,
            _ => continue,
        };
        let out = Frame { id: f.id, body }.to_bytes().unwrap();
        if s.write_all(&out).await.is_err() {
            return;
        }
    }
}

/// A peer (answering pings or not), and a client pinging it with a call to it in flight.
async fn pinged(
    answer: bool,
    failures_to_close: u32,
    close_unanswered: bool,
) -> (PingPeer, TChannel, Flight) {
    let peer = PingPeer::start(answer).await;
    let client = pinging(failures_to_close, close_unanswered);
    let call = call_in_flight(&client, &peer.hostport());
    (peer, client, call)
}

/// A client pinging every second, each ping given 500 ms.
fn pinging(failures_to_close: u32, close_unanswered: bool) -> TChannel {
    TChannel::builder("client")
        .health_check(HealthCheck {
            interval: Duration::from_secs(1),
            timeout: Duration::from_millis(500),
            failures_to_close,
            close_unanswered,
        })
        .build()
}

type Flight = tokio::task::JoinHandle<Result<(), tchannel_runtime::Error>>;

/// A call to `hp` with a long timeout, in a task of its own.
fn call_in_flight(client: &TChannel, hp: &str) -> Flight {
    let (client, hp) = (client.clone(), hp.to_owned());
    tokio::spawn(async move {
        client
            .raw("svc", "wait")
            .hostport(hp)
            .timeout(Duration::from_secs(600))
            .await
            .map(|_| ())
    })
}

#[tokio::test(start_paused = true)]
async fn a_peer_that_stops_answering_pings_is_closed_and_its_call_fails_as_network_error() {
    let (peer, client, call) = pinged(true, 3, false).await;
    // Pings at 1 s, answered.
    sleep(Duration::from_millis(1500)).await;
    assert_eq!(client.peer_health(&peer.hostport()), PeerHealth::Healthy);
    peer.answer.store(false, Ordering::SeqCst);
    // The next ping (at about 2 s) fails at 2.5 s: suspect, still open, the call still waits.
    sleep(Duration::from_millis(1500)).await;
    assert_eq!(client.peer_health(&peer.hostport()), PeerHealth::Suspect);
    assert!(!call.is_finished());
    assert_eq!(peer.ended.load(Ordering::SeqCst), 0);
    // The third failure in a row closes it; the call fails as a network error, long before
    // its own timeout.
    let e = call.await.unwrap().unwrap_err();
    assert!(e.is_network(), "{e}");
    assert!(e.to_string().contains("3 pings in a row"), "{e}");
    assert_eq!(client.peer_health(&peer.hostport()), PeerHealth::Closed);
    sleep(Duration::from_millis(10)).await;
    assert_eq!(peer.ended.load(Ordering::SeqCst), 1);
}

#[tokio::test(start_paused = true)]
async fn a_peer_that_answers_again_is_healthy_again() {
    let (peer, client, call) = pinged(true, 3, false).await;
    sleep(Duration::from_millis(1500)).await;
    peer.answer.store(false, Ordering::SeqCst);
    // Two failures (2.5 s, 4 s), then answered again: the count starts over.
    sleep(Duration::from_millis(3000)).await;
    assert_eq!(client.peer_health(&peer.hostport()), PeerHealth::Suspect);
    peer.answer.store(true, Ordering::SeqCst);
    sleep(Duration::from_secs(2)).await;
    assert_eq!(client.peer_health(&peer.hostport()), PeerHealth::Healthy);
    peer.answer.store(false, Ordering::SeqCst);
    // Two more failures: not three in a row, so still open.
    sleep(Duration::from_millis(3000)).await;
    assert_eq!(client.peer_health(&peer.hostport()), PeerHealth::Suspect);
    assert!(!call.is_finished());
    assert_eq!(peer.ended.load(Ordering::SeqCst), 0);
}

#[tokio::test(start_paused = true)]
async fn a_peer_that_answers_pings_stays_connected() {
    let (peer, client, call) = pinged(true, 2, true).await;
    sleep(Duration::from_secs(120)).await;
    assert_eq!(client.peer_health(&peer.hostport()), PeerHealth::Healthy);
    assert!(!call.is_finished());
    assert_eq!(peer.accepted.load(Ordering::SeqCst), 1);
    assert_eq!(peer.ended.load(Ordering::SeqCst), 0);
}

/// tchannel-python never answers ping: by default its connection is suspect, not closed.
#[tokio::test(start_paused = true)]
async fn a_peer_that_never_answered_a_ping_is_kept_unless_configured() {
    let (peer, client, call) = pinged(false, 2, false).await;
    sleep(Duration::from_secs(60)).await;
    assert_eq!(client.peer_health(&peer.hostport()), PeerHealth::Suspect);
    assert_eq!(client.introspect()["peers"][0]["health"], "suspect");
    assert!(!call.is_finished());
    assert_eq!(peer.ended.load(Ordering::SeqCst), 0);

    // With close_unanswered, the same peer's connection is closed after 2 failures.
    let strict = pinging(2, true);
    let call = call_in_flight(&strict, &peer.hostport());
    let e = call.await.unwrap().unwrap_err();
    assert!(e.is_network(), "{e}");
    assert_eq!(strict.peer_health(&peer.hostport()), PeerHealth::Closed);
    // The lenient client's connection is still there.
    assert_eq!(client.peer_health(&peer.hostport()), PeerHealth::Suspect);
}

/// Counts the connections a server accepted.
#[derive(Clone, Default)]
struct Accepted(Arc<AtomicUsize>);

impl StatsReporter for Accepted {
    fn inc_counter(&self, name: &'static str, _: &Tags<'_>, n: u64) {
        if name == "connections.accepted" {
            self.0.fetch_add(n as usize, Ordering::SeqCst);
        }
    }
    fn record_timer(&self, _: &'static str, _: &Tags<'_>, _: Duration) {}
}

/// An echo server, and a `sleep` endpoint that answers after the number of seconds sent.
async fn server(accepted: &Accepted, builder: ChannelBuilder) -> (TChannel, String) {
    let server = builder.stats(accepted.clone()).build();
    server.register(
        "echo",
        Raw,
        |req| async move { Ok(Response::new(req.body)) },
    );
    server.register("sleep", Raw, |req| async move {
        let secs: u64 = std::str::from_utf8(&req.body).unwrap().parse().unwrap();
        sleep(Duration::from_secs(secs)).await;
        Ok(Response::new(req.body))
    });
    let addr = server.listen("127.0.0.1:0").await.unwrap();
    (server, addr.to_string())
}

async fn echo(client: &TChannel, hp: &str) {
    let res = client
        .raw("svc", "echo")
        .hostport(hp)
        .body("x")
        .await
        .unwrap();
    assert_eq!(&res.body[..], b"x");
}

#[tokio::test(start_paused = true)]
async fn an_idle_connection_is_closed_and_the_next_call_reconnects() {
    let accepted = Accepted::default();
    let (_server, hp) = server(&accepted, TChannel::builder("svc")).await;
    let client = TChannel::builder("client")
        .max_idle_time(Duration::from_secs(30))
        .idle_check_interval(Duration::from_secs(5))
        .build();
    echo(&client, &hp).await;
    sleep(Duration::from_secs(25)).await;
    assert_eq!(client.peer_health(&hp), PeerHealth::Healthy);
    // Idle for 30 s, looked at every 5 s: closed by 40 s at the latest.
    sleep(Duration::from_secs(15)).await;
    assert_eq!(client.peer_health(&hp), PeerHealth::Closed);
    echo(&client, &hp).await;
    assert_eq!(accepted.0.load(Ordering::SeqCst), 2);
}

#[tokio::test(start_paused = true)]
async fn busy_connections_are_not_closed_as_idle() {
    let accepted = Accepted::default();
    let (_server, hp) = server(&accepted, TChannel::builder("svc")).await;
    let client = TChannel::builder("client")
        .max_idle_time(Duration::from_secs(10))
        .idle_check_interval(Duration::from_secs(5))
        .build();
    // One call in flight for 100 s.
    let long = {
        let (client, hp) = (client.clone(), hp.clone());
        tokio::spawn(async move {
            client
                .raw("svc", "sleep")
                .hostport(hp)
                .body("100")
                .timeout(Duration::from_secs(200))
                .await
        })
    };
    sleep(Duration::from_secs(60)).await;
    assert_eq!(client.peer_health(&hp), PeerHealth::Healthy);
    assert_eq!(&long.await.unwrap().unwrap().body[..], b"100");
    // Calls that come and go between the sweep's looks (every 3 s, looks every 5 s, never
    // at the same instant: the sweep sees each time an idle connection, but not the same
    // calls begun) keep it open too.
    sleep(Duration::from_millis(500)).await;
    for _ in 0..20 {
        echo(&client, &hp).await;
        sleep(Duration::from_secs(3)).await;
    }
    assert_eq!(accepted.0.load(Ordering::SeqCst), 1);
}

#[tokio::test(start_paused = true)]
async fn the_server_side_closes_idle_inbound_connections() {
    let accepted = Accepted::default();
    let builder = TChannel::builder("svc")
        .max_idle_time(Duration::from_secs(10))
        .idle_check_interval(Duration::from_secs(1));
    let (_server, hp) = server(&accepted, builder).await;
    let client = TChannel::new("client");
    echo(&client, &hp).await;
    sleep(Duration::from_secs(12)).await;
    // The client saw its connection end, and connects anew.
    assert_eq!(client.peer_health(&hp), PeerHealth::Closed);
    echo(&client, &hp).await;
    assert_eq!(accepted.0.load(Ordering::SeqCst), 2);
}

#[test]
fn zero_health_check_values_are_taken_as_the_least_allowed() {
    let ch = TChannel::builder("client")
        .health_check(HealthCheck {
            interval: Duration::ZERO,
            timeout: Duration::ZERO,
            failures_to_close: 0,
            close_unanswered: true,
        })
        .idle_check_interval(Duration::ZERO)
        .build();
    let check = ch.config().health_check.unwrap();
    assert_eq!(check.interval, Duration::from_millis(1));
    assert_eq!(check.timeout, Duration::from_millis(1));
    assert_eq!(check.failures_to_close, 1);
    assert_eq!(ch.config().idle_check_interval, Duration::from_millis(1));
}

/// Records the health of the peers it is offered, and takes the first.
#[derive(Default)]
struct Seen(std::sync::Mutex<Vec<PeerHealth>>);

impl tchannel_runtime::chooser::PeerChooser for Seen {
    fn choose(
        &self,
        _: &tchannel_runtime::chooser::CallInfo<'_>,
        peers: &[tchannel_runtime::chooser::PeerView<'_>],
    ) -> Option<usize> {
        self.0
            .lock()
            .unwrap()
            .extend(peers.iter().map(|p| p.health));
        Some(0)
    }
}

/// A chooser sees a suspect peer as suspect.
#[tokio::test(start_paused = true)]
async fn the_chooser_sees_a_suspect_peer() {
    let peer = PingPeer::start(false).await;
    let seen = Arc::new(Seen::default());
    let client = TChannel::builder("client")
        .known_peers([peer.hostport()])
        .peer_chooser(seen.clone())
        .health_check(HealthCheck {
            interval: Duration::from_secs(1),
            timeout: Duration::from_millis(500),
            ..HealthCheck::default()
        })
        .build();
    // A call by service name, through the chooser, left in flight.
    let wait = || {
        let client = client.clone();
        tokio::spawn(async move {
            client
                .raw("svc", "wait")
                .timeout(Duration::from_secs(600))
                .await
        })
    };
    let first = wait();
    sleep(Duration::from_secs(3)).await;
    let second = wait();
    sleep(Duration::from_millis(10)).await;
    assert_eq!(
        *seen.0.lock().unwrap(),
        [PeerHealth::Closed, PeerHealth::Suspect]
    );
    assert!(!first.is_finished() && !second.is_finished());
}

/// Records the peer a chooser chose.
struct Recording(
    Box<dyn tchannel_runtime::chooser::PeerChooser>,
    std::sync::Mutex<Vec<String>>,
);

impl tchannel_runtime::chooser::PeerChooser for Recording {
    fn choose(
        &self,
        call: &tchannel_runtime::chooser::CallInfo<'_>,
        peers: &[tchannel_runtime::chooser::PeerView<'_>],
    ) -> Option<usize> {
        let i = self.0.choose(call, peers)?;
        self.1.lock().unwrap().push(peers[i].host_port.to_owned());
        Some(i)
    }
}

/// The built-in choosers pass over a peer that health checks made suspect while another is
/// healthy, even when the suspect one is less loaded (or the shard key's own peer); with
/// only the suspect one left, they still choose it.
#[tokio::test(start_paused = true)]
async fn the_built_in_choosers_avoid_a_suspect_peer_while_another_is_healthy() {
    use tchannel_runtime::chooser::{LeastPending, PeerChooser, PowerOfTwo, Rendezvous};
    let good = PingPeer::start(true).await;
    let bad = PingPeer::start(false).await;
    let (good_hp, bad_hp) = (good.hostport(), bad.hostport());
    // A shard key whose own peer is the suspect one.
    let key = (0..)
        .map(|i| format!("user-{i}"))
        .find(|k| Rendezvous::weight(k, &bad_hp) > Rendezvous::weight(k, &good_hp))
        .unwrap();
    let choosers: [(&str, Box<dyn PeerChooser>); 3] = [
        ("least pending", Box::new(LeastPending::default())),
        ("power of two", Box::new(PowerOfTwo::with_seed(5))),
        ("rendezvous", Box::new(Rendezvous::default())),
    ];
    for (name, chooser) in choosers {
        let chooser = Arc::new(Recording(chooser, Default::default()));
        let client = TChannel::builder("client")
            .known_peers([good_hp.clone(), bad_hp.clone()])
            .peer_chooser(chooser.clone())
            .health_check(HealthCheck {
                interval: Duration::from_secs(1),
                timeout: Duration::from_millis(500),
                ..HealthCheck::default()
            })
            .build();
        // A connection to each; the good peer carries more calls.
        let _held = [
            call_in_flight(&client, &good_hp),
            call_in_flight(&client, &good_hp),
            call_in_flight(&client, &bad_hp),
        ];
        sleep(Duration::from_secs(3)).await;
        assert_eq!(client.peer_health(&good_hp), PeerHealth::Healthy, "{name}");
        assert_eq!(client.peer_health(&bad_hp), PeerHealth::Suspect, "{name}");
        let by_name = |sk: Option<String>| {
            let client = client.clone();
            tokio::spawn(async move {
                let mut call = client.raw("svc", "wait").timeout(Duration::from_secs(600));
                if let Some(sk) = sk {
                    call = call.shard_key(sk);
                }
                call.await
            })
        };
        let calls: Vec<_> = (0..6)
            .map(|i| by_name((i % 2 == 0).then(|| key.clone())))
            .collect();
        sleep(Duration::from_millis(10)).await;
        assert_eq!(
            *chooser.1.lock().unwrap(),
            vec![good_hp.clone(); 6],
            "{name} chose the suspect peer"
        );
        // Only the suspect peer left: it is chosen.
        client.remove_peer(&good_hp);
        let last = by_name(Some(key.clone()));
        sleep(Duration::from_millis(10)).await;
        assert_eq!(chooser.1.lock().unwrap().last(), Some(&bad_hp), "{name}");
        assert!(
            calls.iter().chain([&last]).all(|c| !c.is_finished()),
            "{name}"
        );
        client.close().await;
    }
}
