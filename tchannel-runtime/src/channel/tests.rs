//! What the channel keeps per peer, seen from inside: nothing of a connection outlives it.

use super::*;

/// Waits (up to 10 s) until `done`, yielding to the connections' tasks meanwhile.
async fn wait_until(what: &str, done: impl Fn() -> bool) {
    let waited = tokio::time::timeout(Duration::from_secs(10), async {
        while !done() {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await;
    assert!(waited.is_ok(), "timed out waiting until {what}");
}

#[tokio::test]
async fn short_lived_clients_leave_no_peer_behind() {
    let server = TChannel::new("svc");
    let addr = server.listen("127.0.0.1:0").await.unwrap().to_string();
    let table = || server.inner.peers.len();
    let before = table();
    // 2,000 clients, each its own connection (an ephemeral peer keyed by ip:port), 100 at a
    // time; half close, half are just dropped.
    for batch in 0..20 {
        let clients: Vec<TChannel> = (0..100).map(|_| TChannel::new("client")).collect();
        for c in &clients {
            c.ping(&addr, Duration::from_secs(5)).await.unwrap();
        }
        if batch % 2 == 0 {
            for c in &clients {
                c.close().await;
            }
        }
        drop(clients);
    }
    wait_until("the server has seen every client go", || {
        table() == before && server.inner.peers.all_connections().is_empty()
    })
    .await;
    // Clients that listen are kept under their address while connected, then pruned too.
    let client = TChannel::new("client");
    client.listen("127.0.0.1:0").await.unwrap();
    client.ping(&addr, Duration::from_secs(5)).await.unwrap();
    wait_until("the server keeps the listening client", || {
        table() == before + 1
    })
    .await;
    drop(client);
    wait_until("the server forgets it", || table() == before).await;
    server.close().await;
}

/// A hostport called again is found by the peer table's last-peer cache, and the cache
/// keeps no peer alive: a peer whose calls failed still leaves the table.
#[tokio::test]
async fn a_repeated_hostport_finds_its_peer_and_leaves_none_behind() {
    let client = TChannel::new("client");
    let before = client.inner.peers.len();
    let free_port = || {
        std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    };
    let hp = format!("127.0.0.1:{}", free_port());
    let a = client.inner.peers.get_or_add(&hp);
    let b = client.inner.peers.get_or_add(&hp);
    assert!(std::sync::Arc::ptr_eq(&a, &b));
    drop((a, b));
    for _ in 0..3 {
        let e = client.raw("svc", "echo").hostport(&hp).await.unwrap_err();
        assert!(e.is_network(), "{e}");
    }
    wait_until("the peer goes", || client.inner.peers.len() == before).await;
    // Not the forgotten peer: a new one, in the table.
    let again = client.inner.peers.get_or_add(&hp);
    assert_eq!(again.host_port, hp);
    assert_eq!(client.inner.peers.len(), before + 1);
    let other = format!("127.0.0.1:{}", free_port());
    assert_eq!(client.inner.peers.get_or_add(&other).host_port, other);
}

#[tokio::test]
async fn failed_connects_leave_no_peer_behind() {
    let client = TChannel::new("client");
    let before = client.inner.peers.len();
    for _ in 0..50 {
        // A port that was just free: nothing listens there.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let e = client
            .raw("svc", "echo")
            .hostport(format!("127.0.0.1:{port}"))
            .await
            .unwrap_err();
        assert!(e.is_network(), "{e}");
    }
    wait_until("the attempts are over", || {
        client.inner.peers.len() == before
    })
    .await;
    // Known peers stay, connected or not.
    client.add_peer("127.0.0.1:1");
    let _ = client.raw("svc", "echo").await;
    assert_eq!(client.inner.peers.len(), before + 1);
    client.remove_peer("127.0.0.1:1");
    wait_until("an unknown peer goes", || {
        client.inner.peers.len() == before
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_clients_on_two_threads_leave_no_peer_behind() {
    let server = TChannel::new("svc");
    let addr = server.listen("127.0.0.1:0").await.unwrap().to_string();
    let before = server.inner.peers.len();
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let addr = addr.clone();
            tokio::spawn(async move {
                for i in 0..50 {
                    let c = TChannel::new("client");
                    c.ping(&addr, Duration::from_secs(5)).await.unwrap();
                    if i % 2 == 0 {
                        c.close().await;
                    }
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    let server2 = server.clone();
    wait_until("the server has seen every client go", move || {
        server2.inner.peers.len() == before && server2.inner.peers.all_connections().is_empty()
    })
    .await;
    server.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_first_calls_at_once_make_one_connection() {
    let server = TChannel::new("svc");
    server.register(
        "echo",
        Raw,
        |req| async move { Ok(Response::new(req.body)) },
    );
    let addr = server.listen("127.0.0.1:0").await.unwrap().to_string();
    let client = TChannel::new("client");
    let calls: Vec<_> = (0..200)
        .map(|_| {
            let (c, addr) = (client.clone(), addr.clone());
            tokio::spawn(async move { c.raw("svc", "echo").hostport(addr).body("x").await })
        })
        .collect();
    for c in calls {
        assert!(c.await.unwrap().unwrap().ok);
    }
    assert_eq!(client.inner.peers.all_connections().len(), 1);
    assert_eq!(server.inner.peers.all_connections().len(), 1);
    client.close().await;
    server.close().await;
}

/// The size of a raw call's future, which every call allocates and moves (BENCHMARKS.md,
/// "Issue 12"). Printed for the record (`--nocapture`); the bound is loose, so that only a
/// regression of the kind that doubled it fails (debug builds lay futures out larger).
#[test]
fn call_future_size() {
    use std::future::IntoFuture;
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let _guard = rt.enter();
    let ch = TChannel::new("client");
    let fut = ch
        .raw(
            crate::Name::from_static("svc"),
            crate::Name::from_static("echo"),
        )
        .hostport("127.0.0.1:1")
        .body("x")
        .into_future();
    let size = std::mem::size_of_val(&*fut);
    println!("raw call future: {size} bytes");
    assert!(size < 8192, "a raw call's future is {size} bytes");
}

/// A call that has taken its peer's connection (as `send` does: counted on the peer, then
/// the connection) when the idle sweep finds that connection idle past `max_idle_time` is
/// not lost: the connection is left open and the call runs on it. Once no call is counted,
/// the next look closes it, and the next call connects anew.
#[tokio::test(start_paused = true)]
async fn the_idle_sweep_does_not_close_a_connection_a_call_has_just_taken() {
    use crate::connection::OutgoingCall;
    let server = TChannel::new("svc");
    server.register("echo", Raw, |req: Request<Raw>| async move {
        Ok(Response::new(req.body))
    });
    let addr = server.listen("127.0.0.1:0").await.unwrap().to_string();
    let client = TChannel::builder("client")
        .known_peers([addr.as_str()])
        .build();
    client.raw("svc", "echo").body("x").await.unwrap();
    let peer = client.inner.peers.get(&addr).unwrap();
    let (max_idle, grace) = (Duration::from_secs(1), Duration::from_secs(1));
    let mut seen = health::Seen::new();
    let look = |seen: &mut health::Seen| {
        health::look(seen, &client.inner.peers.all(), max_idle, grace);
    };
    look(&mut seen);
    tokio::time::advance(max_idle).await;

    // A call takes the connection, then the sweep looks again.
    let slot = peer.reserve();
    let conn = peer.best_connection().unwrap();
    look(&mut seen);
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
    let mut headers = crate::frame::TransportHeaders::new();
    headers.insert("as", "raw");
    let res = conn
        .call(OutgoingCall {
            service: bytes::Bytes::from("svc"),
            headers,
            tracing: Default::default(),
            args: ["echo".into(), bytes::Bytes::new(), "y".into()],
            checksum: ChecksumType::None,
            deadline: Instant::now() + Duration::from_secs(5),
            ttl: Duration::from_secs(5),
        })
        .await;
    assert_eq!(
        &res.expect("the call ran on the connection").args[1][..],
        b"y"
    );
    drop(slot);

    // Idle, and no call counted on the peer: closed at the look after `max_idle`.
    look(&mut seen);
    tokio::time::advance(max_idle).await;
    look(&mut seen);
    wait_until("the idle connection is closed", || conn.is_closed()).await;
    client.raw("svc", "echo").body("z").await.unwrap();
    assert!(peer.best_connection().is_some_and(|c| c.id() != conn.id()));
    server.close().await;
}
