//! Our `test_server`'s `test_control` endpoints (uber/tchannel's cross-language test
//! protocol): `add_peer` and `clear_peers`, for the channel and for a sub-channel's service.

use bytes::Bytes;
use tchannel_runtime::TChannel;
use tchannel_tests::listening;
use tokio::process::Command;

async fn control(
    client: &TChannel,
    hp: &str,
    endpoint: &str,
    service: &str,
    body: &str,
) -> (Bytes, Bytes) {
    let res = client
        .raw("test_control", endpoint)
        .hostport(hp)
        .headers(service.to_owned())
        .body(body.to_owned())
        .await
        .unwrap();
    (res.headers, res.body)
}

#[tokio::test]
async fn add_peer_and_clear_peers_manage_the_servers_peers() {
    let (_server, hp) = listening(Command::new(env!("CARGO_BIN_EXE_test_server"))).await;
    let client = TChannel::new("test-control-client");
    // New peers are added and listed; known ones are not listed again.
    let (h, added) = control(&client, &hp, "add_peer", "", "127.0.0.1:1\n127.0.0.1:2\n").await;
    assert_eq!(
        (&h[..], &added[..]),
        (&b""[..], &b"127.0.0.1:1\n127.0.0.1:2"[..])
    );
    let (_, added) = control(&client, &hp, "add_peer", "", "127.0.0.1:2\n127.0.0.1:3").await;
    assert_eq!(added, "127.0.0.1:3");
    // A service's peers are apart from the channel's.
    let (h, added) = control(&client, &hp, "add_peer", "users", "127.0.0.1:1").await;
    assert_eq!((&h[..], &added[..]), (&b"users"[..], &b"127.0.0.1:1"[..]));
    let (h, cleared) = control(&client, &hp, "clear_peers", "users", "").await;
    assert_eq!((&h[..], &cleared[..]), (&b"users"[..], &b"127.0.0.1:1"[..]));
    let (_, cleared) = control(&client, &hp, "clear_peers", "", "").await;
    assert_eq!(cleared, "127.0.0.1:1\n127.0.0.1:2\n127.0.0.1:3");
    let (_, cleared) = control(&client, &hp, "clear_peers", "", "").await;
    assert_eq!(cleared, "");
    // Not raw: a bad request, as for the other test services.
    let e = client
        .json("test_control", "add_peer")
        .hostport(hp.as_str())
        .body(serde_json::json!({}))
        .await
        .unwrap_err();
    assert!(e.is_bad_request(), "{e}");
}
