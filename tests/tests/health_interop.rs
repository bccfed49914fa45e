//! Health checks (issue 14 item 2) against the real peers: tchannel-node answers ping, so its
//! connection is healthy; tchannel-python never does, so by default its connection is only
//! suspect and keeps serving calls, and `close_unanswered` closes it.
//!
//! Real processes, so real time: the tests wait for a state (bounded), and assert none on
//! speed.

use std::time::Duration;
use tchannel_runtime::{HealthCheck, PeerHealth, TChannel};
use tchannel_tests::{Peer, PeerServer};

const SERVICE: &str = "interop";

/// A client pinging every 100 ms, each ping given `timeout`.
fn pinging(timeout: Duration, close_unanswered: bool) -> TChannel {
    TChannel::builder("rust-client")
        .default_timeout(Duration::from_secs(5))
        .health_check(HealthCheck {
            interval: Duration::from_millis(100),
            timeout,
            failures_to_close: 2,
            close_unanswered,
        })
        .build()
}

async fn echo(client: &TChannel, hp: &str) -> Result<(), tchannel_runtime::Error> {
    let res = client.raw(SERVICE, "echo").hostport(hp).body("x").await?;
    assert_eq!(&res.body[..], b"x");
    Ok(())
}

/// Waits (at most 20 s) until `client` sees `hp` as `want`.
async fn wait_for(client: &TChannel, hp: &str, want: PeerHealth) {
    for _ in 0..200 {
        if client.peer_health(hp) == want {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{hp} is {:?}, not {want:?}", client.peer_health(hp));
}

#[tokio::test]
async fn python_never_answers_ping_so_it_is_suspect_and_still_served() {
    let py = PeerServer::start(Peer::Python, SERVICE, &[]).await;
    let client = pinging(Duration::from_millis(100), false);
    echo(&client, &py.hostport).await.unwrap();
    wait_for(&client, &py.hostport, PeerHealth::Suspect).await;
    // Many failed pings later (2 close an answering peer), the connection still serves.
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(client.peer_health(&py.hostport), PeerHealth::Suspect);
    echo(&client, &py.hostport).await.unwrap();

    // Opted in, the same failures close python's connection.
    let strict = pinging(Duration::from_millis(100), true);
    echo(&strict, &py.hostport).await.unwrap();
    wait_for(&strict, &py.hostport, PeerHealth::Closed).await;
    // And the next call connects anew.
    echo(&strict, &py.hostport).await.unwrap();
}

#[tokio::test]
async fn node_answers_ping_so_it_stays_healthy() {
    let node = PeerServer::start(Peer::Node, SERVICE, &[]).await;
    // A timeout long enough that a loaded machine does not make node's answers count as
    // failures, and short enough that a peer not answering would be suspect after the wait.
    let client = pinging(Duration::from_secs(1), false);
    echo(&client, &node.hostport).await.unwrap();
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(client.peer_health(&node.hostport), PeerHealth::Healthy);
    echo(&client, &node.hostport).await.unwrap();
}
