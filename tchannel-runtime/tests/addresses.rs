//! Addresses as addresses: `listen`, `listen_on`, `hostport`, `add_peer` and `known_peers`
//! take `SocketAddr`s and `(host, port)` pairs as well as strings, and a channel serves on a
//! socket bound elsewhere (systemd socket activation, tests).

use bytes::Bytes;
use std::net::{Ipv4Addr, SocketAddr};
use tchannel_runtime::{Raw, Response, TChannel};

fn echo(name: &str) -> TChannel {
    let ch = TChannel::new(name);
    ch.register(
        "echo",
        Raw,
        |req| async move { Ok(Response::new(req.body)) },
    );
    ch
}

async fn call(client: &TChannel, service: &str) -> Bytes {
    client
        .raw(service, "echo")
        .body("hi")
        .await
        .expect("the call")
        .body
}

#[tokio::test]
async fn listen_takes_socket_addrs_and_pairs_and_calls_take_socket_addrs() {
    let server = echo("addr-a");
    let bound = server.listen((Ipv4Addr::LOCALHOST, 0)).await.unwrap();
    assert_eq!(bound.ip(), Ipv4Addr::LOCALHOST);
    assert_ne!(bound.port(), 0);
    // The same address again, in any form, is the same listener.
    assert_eq!(server.listen(bound).await.unwrap(), bound);
    assert_eq!(
        server
            .listen(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
            .await
            .unwrap(),
        bound
    );
    assert_eq!(server.listen(bound.to_string()).await.unwrap(), bound);
    // Another one is refused.
    let e = server.listen(("127.0.0.2", 0)).await.unwrap_err();
    assert!(e.is_already_listening(), "{e}");

    let client = TChannel::new("client");
    let res = client
        .raw("addr-a", "echo")
        .hostport(bound)
        .body("x")
        .await
        .unwrap();
    assert_eq!(res.body, Bytes::from("x"));
    let res = client
        .raw("addr-a", "echo")
        .hostport(("127.0.0.1", bound.port()))
        .body("y")
        .await
        .unwrap();
    assert_eq!(res.body, Bytes::from("y"));
    assert!(client
        .ping(bound, std::time::Duration::from_secs(5))
        .await
        .is_ok());
    server.close().await;
}

#[tokio::test]
async fn a_name_that_does_not_resolve_is_a_network_error_naming_it() {
    let ch = TChannel::new("svc");
    let e = ch.listen("no-such-host.invalid:0").await.unwrap_err();
    assert!(e.is_network(), "{e}");
    assert!(e.message().contains("cannot resolve"), "{e}");
    assert!(ch.hostport().is_none());
}

#[tokio::test]
async fn peers_by_socket_addr_are_the_same_peers_as_by_string() {
    let server = echo("addr-b");
    let bound = server.listen("127.0.0.1:0").await.unwrap();
    let client = TChannel::builder("client").known_peers([bound]).build();
    assert_eq!(client.known_peers(), [bound.to_string()]);
    assert_eq!(call(&client, "addr-b").await, Bytes::from("hi"));
    // Added again as a string or a pair: still one peer.
    client.add_peer(bound.to_string());
    client.add_peer((Ipv4Addr::LOCALHOST, bound.port()));
    assert_eq!(client.known_peers(), [bound.to_string()]);
    client.remove_peer(bound);
    assert!(client.known_peers().is_empty());
    let e = client.raw("addr-b", "echo").await.unwrap_err();
    assert!(e.is_no_peer_available(), "{e}");
    server.close().await;
}

#[tokio::test]
async fn listen_on_a_std_listener_serves_calls() {
    let socket = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = socket.local_addr().unwrap();
    let server = echo("addr-c");
    assert_eq!(server.listen_on(socket).unwrap(), addr);
    assert_eq!(server.hostport(), Some(addr));
    let client = TChannel::builder("client").known_peers([addr]).build();
    assert_eq!(call(&client, "addr-c").await, Bytes::from("hi"));
    // A second socket is refused and left alone; the first keeps serving.
    let other = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let e = server.listen_on(other).unwrap_err();
    assert!(e.is_already_listening(), "{e}");
    assert_eq!(call(&client, "addr-c").await, Bytes::from("hi"));
    server.close().await;
}

#[tokio::test]
async fn listen_on_a_tokio_listener_serves_calls_and_closed_channels_refuse() {
    let socket = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = socket.local_addr().unwrap();
    let server = echo("addr-d");
    assert_eq!(server.listen_on(socket).unwrap(), addr);
    let client = TChannel::new("client");
    client.add_peer(addr);
    assert_eq!(call(&client, "addr-d").await, Bytes::from("hi"));
    server.close().await;
    let late = echo("addr-e");
    late.close().await;
    let socket = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    assert!(late.listen_on(socket).unwrap_err().is_closed());
}
