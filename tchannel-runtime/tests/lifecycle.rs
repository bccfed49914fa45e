//! The channel's life: close is final, graceful close stops every connection at once,
//! dropping the last handle releases everything, and a call's deadline bounds connecting.

mod common;

#[allow(dead_code)] // the generated Meta module, of which these tests use the clients
mod kv {
    include!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/meta/generated.rs"
    ));
}

use common::RawPeer;
use std::future::IntoFuture;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tchannel_runtime::blocking::BlockingRuntime;
use tchannel_runtime::{Json, Raw, Response, TChannel};
use tokio::time::Instant;

/// A server with `echo` and `sleep` (the body is the number of ms to sleep).
async fn server(name: &str) -> (TChannel, String) {
    let server = TChannel::new(name);
    server.register(
        "echo",
        Raw,
        |req| async move { Ok(Response::new(req.body)) },
    );
    server.register("sleep", Raw, |req| async move {
        let ms: u64 = std::str::from_utf8(&req.body).unwrap().parse().unwrap();
        tokio::time::sleep(Duration::from_millis(ms)).await;
        Ok(Response::new(req.body))
    });
    server.register(
        "json",
        Json,
        |req| async move { Ok(Response::new(req.body)) },
    );
    let addr = server.listen("127.0.0.1:0").await.unwrap();
    (server, addr.to_string())
}

/// A listener that accepts TCP connections and never says a word (no init res); counts them.
async fn silent_listener() -> (String, Arc<AtomicUsize>, tokio::task::JoinHandle<()>) {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hp = l.local_addr().unwrap().to_string();
    let accepted = Arc::new(AtomicUsize::new(0));
    let n = accepted.clone();
    let task = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((s, _)) = l.accept().await {
            n.fetch_add(1, Ordering::SeqCst);
            held.push(s);
        }
    });
    (hp, accepted, task)
}

// ---- item 3: close is final ----

#[tokio::test]
async fn after_close_every_operation_fails_at_once_with_closed() {
    let (server, hp) = server("svc").await;
    let client = TChannel::new("client");
    // Connected and working before.
    assert!(
        client
            .raw("svc", "echo")
            .hostport(&hp)
            .body("x")
            .await
            .unwrap()
            .ok
    );
    client.close().await;

    let start = Instant::now();
    let e = client.raw("svc", "echo").hostport(&hp).await.unwrap_err();
    assert!(e.is_closed(), "raw: {e}");
    let e = client
        .json("svc", "json")
        .hostport(&hp)
        .body(serde_json::json!({}))
        .await
        .unwrap_err();
    assert!(e.is_closed(), "json: {e}");
    let meta = kv::MetaClient::new(client.thrift_client("svc").hostport(&hp));
    let e = meta.health(Default::default()).await.unwrap_err();
    assert!(
        e.call_error().is_some_and(|e| e.is_closed()),
        "thrift: {e:?}"
    );
    let e = client
        .stream("svc", "stream")
        .hostport(&hp)
        .start()
        .await
        .err()
        .unwrap();
    assert!(e.is_closed(), "stream: {e}");
    let e = client.ping(&hp, Duration::from_secs(1)).await.unwrap_err();
    assert!(e.is_closed(), "ping: {e}");
    let e = client.listen("127.0.0.1:0").await.unwrap_err();
    assert!(e.is_closed(), "listen: {e}");
    let e = client.advertise([hp.as_str()]).await.unwrap_err();
    assert!(e.is_closed(), "advertise: {e}");
    // By service name, with a known peer.
    client.add_peer(&hp);
    let e = client.raw("svc", "echo").await.unwrap_err();
    assert!(e.is_closed(), "by service name: {e}");
    // "At once": nothing waited for a connection or a timeout.
    assert!(start.elapsed() < Duration::from_secs(1));
    server.close().await;
}

#[tokio::test]
async fn a_closed_server_does_not_listen_again_and_its_port_is_free() {
    let (server, hp) = server("svc").await;
    server.close().await;
    let e = server.listen("127.0.0.1:0").await.unwrap_err();
    assert!(e.is_closed(), "{e}");
    tokio::net::TcpListener::bind(&hp).await.unwrap();
}

#[test]
fn after_close_the_blocking_client_fails_with_closed() {
    let rt = BlockingRuntime::new().unwrap();
    let (server, hp) = rt.block_on(server("svc"));
    let client = TChannel::new("client");
    let meta = kv::MetaBlockingClient::new(client.thrift_client("svc").hostport(&hp), &rt);
    assert!(meta.health(Default::default()).unwrap().ok);
    rt.block_on(client.close());
    let e = meta.health(Default::default()).unwrap_err();
    assert!(
        e.call_error().is_some_and(|e| e.is_closed()),
        "blocking: {e:?}"
    );
    rt.block_on(server.close());
}

// ---- item 4: graceful close, all connections at once; drop releases everything ----

#[tokio::test(start_paused = true)]
async fn graceful_close_declines_new_calls_on_every_connection_from_the_start() {
    let (server, hp) = server("svc").await;
    // Two clients: two connections to the server, each with a slow call in flight.
    let (c1, c2) = (TChannel::new("c1"), TChannel::new("c2"));
    let slow = |c: &TChannel| {
        tokio::spawn(
            c.raw("svc", "sleep")
                .hostport(&hp)
                .body("300")
                .into_future(),
        )
    };
    let (s1, s2) = (slow(&c1), slow(&c2));
    tokio::time::sleep(Duration::from_millis(50)).await;
    let start = Instant::now();
    let closing = tokio::spawn({
        let server = server.clone();
        async move { server.close_within(Duration::from_secs(5)).await }
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    // New calls on both connections are declined, whichever the close looked at first.
    for c in [&c1, &c2] {
        let e = c.raw("svc", "echo").hostport(&hp).await.unwrap_err();
        assert!(e.is_declined(), "{} got {e}", c.service());
    }
    // The listener no longer accepts: a third client cannot connect.
    let e = TChannel::new("c3")
        .raw("svc", "echo")
        .hostport(&hp)
        .await
        .unwrap_err();
    assert!(e.is_network(), "{e}");
    // The calls in flight finish, and close returns once they have (not at the deadline).
    assert!(s1.await.unwrap().unwrap().ok);
    assert!(s2.await.unwrap().unwrap().ok);
    closing.await.unwrap();
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test(start_paused = true)]
async fn graceful_close_cuts_calls_still_running_at_the_shared_deadline() {
    let (server, hp) = server("svc").await;
    let (c1, c2) = (TChannel::new("c1"), TChannel::new("c2"));
    let slow = |c: &TChannel| {
        tokio::spawn(
            c.raw("svc", "sleep")
                .hostport(&hp)
                .body("10000")
                .timeout(Duration::from_secs(20))
                .into_future(),
        )
    };
    let (s1, s2) = (slow(&c1), slow(&c2));
    tokio::time::sleep(Duration::from_millis(50)).await;
    let start = Instant::now();
    server.close_within(Duration::from_secs(1)).await;
    // Both connections were closed at the one deadline, not one grace after the other.
    let took = start.elapsed();
    assert!(
        took >= Duration::from_secs(1) && took < Duration::from_millis(1500),
        "{took:?}"
    );
    assert!(s1.await.unwrap().is_err());
    assert!(s2.await.unwrap().is_err());
}

/// Lets the runtime run what is ready (aborted tasks end, sockets close) without moving a
/// paused clock.
async fn settle() {
    for _ in 0..50 {
        tokio::task::yield_now().await;
    }
}

#[tokio::test]
async fn dropping_the_last_handle_releases_sockets_and_tasks() {
    let metrics = tokio::runtime::Handle::current().metrics();
    let baseline = metrics.num_alive_tasks();
    let (server, hp) = server("svc").await;
    let addr: std::net::SocketAddr = hp.parse().unwrap();
    // An outbound connection from the server, and an inbound one from a raw peer.
    let (other, other_hp) = self::server("other").await;
    assert!(
        server
            .raw("other", "echo")
            .hostport(&other_hp)
            .await
            .unwrap()
            .ok
    );
    let mut raw = RawPeer::connect(addr).await;
    assert!(metrics.num_alive_tasks() > baseline);

    drop(server);
    // The raw peer sees its connection end.
    let eof = tokio::time::timeout(Duration::from_secs(5), raw.recv()).await;
    assert!(matches!(eof, Ok(None)), "{eof:?}");
    // The listening port is free again.
    let bound = common::bind_again(addr).await;
    assert!(bound.is_some(), "{addr} is still bound");
    drop(bound);
    drop(other);
    // Every task of both channels is gone.
    let mut alive = 0;
    for _ in 0..100 {
        settle().await;
        alive = metrics.num_alive_tasks();
        if alive == baseline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(alive, baseline, "tasks left behind");
}

// ---- item 5: the deadline bounds connecting; callers share one attempt ----

#[tokio::test(start_paused = true)]
async fn concurrent_calls_to_a_silent_peer_share_one_attempt_and_end_at_their_deadline() {
    let (hp, accepted, _l) = silent_listener().await;
    let client = TChannel::builder("c")
        .init_timeout(Duration::from_secs(5))
        .build();
    let start = Instant::now();
    let calls: Vec<_> = (0..5)
        .map(|_| {
            let c = client.clone();
            let hp = hp.clone();
            tokio::spawn(async move {
                let e = c
                    .raw("svc", "echo")
                    .hostport(&hp)
                    .timeout(Duration::from_millis(200))
                    .await
                    .unwrap_err();
                (e, Instant::now())
            })
        })
        .collect();
    for c in calls {
        let (e, at) = c.await.unwrap();
        assert!(e.is_timeout(), "{e}");
        let took = at - start;
        assert!(
            took <= Duration::from_millis(210),
            "ended after {took:?}: {e}"
        );
    }
    assert_eq!(accepted.load(Ordering::SeqCst), 1, "one connect attempt");
}

#[tokio::test(start_paused = true)]
async fn a_failed_attempt_fails_all_its_waiters_at_once() {
    // Accepts, waits, then hangs up without a handshake.
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hp = l.local_addr().unwrap().to_string();
    let accepted = Arc::new(AtomicUsize::new(0));
    let n = accepted.clone();
    let _l = tokio::spawn(async move {
        while let Ok((s, _)) = l.accept().await {
            n.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(100)).await;
                drop(s);
            });
        }
    });
    let client = TChannel::new("c");
    let start = Instant::now();
    let calls: Vec<_> = (0..5)
        .map(|_| {
            let c = client.clone();
            let hp = hp.clone();
            tokio::spawn(async move {
                let e = c.raw("svc", "echo").hostport(&hp).await.unwrap_err();
                (e, Instant::now())
            })
        })
        .collect();
    for c in calls {
        let (e, at) = c.await.unwrap();
        assert!(e.is_network(), "{e}");
        assert!(at - start < Duration::from_millis(150), "{:?}", at - start);
    }
    assert_eq!(accepted.load(Ordering::SeqCst), 1, "one connect attempt");
}

#[tokio::test(start_paused = true)]
async fn retries_over_silent_peers_stay_within_the_deadline() {
    let (a, _, _la) = silent_listener().await;
    let (b, _, _lb) = silent_listener().await;
    let (c, _, _lc) = silent_listener().await;
    let client = TChannel::builder("c")
        .known_peers([a, b, c])
        .init_timeout(Duration::from_secs(5))
        .build();
    let start = Instant::now();
    let e = client
        .raw("svc", "echo")
        .timeout(Duration::from_millis(200))
        .retry_on(tchannel_runtime::RetryOn::ConnectionErrorAndTimeout)
        .await
        .unwrap_err();
    assert!(e.is_timeout(), "{e}");
    assert!(
        start.elapsed() <= Duration::from_millis(210),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test(start_paused = true)]
async fn ping_and_stream_are_bounded_by_their_timeout_while_connecting() {
    let (hp, _, _l) = silent_listener().await;
    let client = TChannel::builder("c")
        .init_timeout(Duration::from_secs(5))
        .build();
    let start = Instant::now();
    let e = client
        .ping(&hp, Duration::from_millis(200))
        .await
        .unwrap_err();
    assert!(e.is_timeout(), "{e}");
    assert!(
        start.elapsed() <= Duration::from_millis(210),
        "{:?}",
        start.elapsed()
    );
    let start = Instant::now();
    let e = client
        .stream("svc", "x")
        .hostport(&hp)
        .timeout(Duration::from_millis(200))
        .start()
        .await
        .err()
        .unwrap();
    assert!(e.is_timeout(), "{e}");
    assert!(
        start.elapsed() <= Duration::from_millis(210),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test(start_paused = true)]
async fn init_timeout_still_caps_one_attempt() {
    let (hp, accepted, _l) = silent_listener().await;
    let client = TChannel::builder("c")
        .init_timeout(Duration::from_secs(1))
        .build();
    let start = Instant::now();
    let e = client
        .raw("svc", "echo")
        .hostport(&hp)
        .timeout(Duration::from_secs(10))
        .await
        .unwrap_err();
    assert!(e.is_timeout(), "{e}");
    let took = start.elapsed();
    assert!(
        took >= Duration::from_secs(1) && took < Duration::from_millis(1100),
        "{took:?}"
    );
    assert_eq!(accepted.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_peer_that_closed_and_came_back_is_reconnected() {
    let (first, hp) = server("svc").await;
    let client = TChannel::new("client");
    assert!(client.raw("svc", "echo").hostport(&hp).await.unwrap().ok);
    first.close().await;
    // Another server on the same address: the client drops the closed connection and
    // connects again.
    let again = TChannel::new("svc");
    again.register(
        "echo",
        Raw,
        |req| async move { Ok(Response::new(req.body)) },
    );
    again.listen(&hp).await.unwrap();
    let mut res = client.raw("svc", "echo").hostport(&hp).body("x").await;
    for _ in 0..100 {
        // The client may not have read the first server's end yet.
        if res.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
        res = client.raw("svc", "echo").hostport(&hp).body("x").await;
    }
    assert_eq!(&res.unwrap().body[..], b"x");
    again.close().await;
}

#[tokio::test(start_paused = true)]
async fn close_within_duration_max_waits_for_calls_without_a_deadline() {
    let (server, hp) = server("svc").await;
    let client = TChannel::new("client");
    let slow = tokio::spawn(
        client
            .raw("svc", "sleep")
            .hostport(&hp)
            .body("300")
            .into_future(),
    );
    tokio::time::sleep(Duration::from_millis(50)).await;
    let start = Instant::now();
    server.close_within(Duration::MAX).await;
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "{:?}",
        start.elapsed()
    );
    assert!(slow.await.unwrap().unwrap().ok);
    // A ping with no timeout to speak of is fine too.
    let e = client.ping(&hp, Duration::MAX).await.unwrap_err();
    assert!(e.is_network(), "{e}");
}
