//! A sub-channel's service advertised on a real Hyperbahn router, and called through it by
//! a Rust sub-channel with no peers of its own and by tchannel-node.

use serde_json::json;
use tchannel_runtime::{Raw, Response, TChannel};
use tchannel_tests::{run_client, Peer, PeerServer};

#[tokio::test]
async fn a_sub_channel_service_is_advertised_and_called_through_the_router() {
    let router = PeerServer::hyperbahn().await;
    let host = TChannel::new("sub-hb-host");
    let users = host.sub_channel("sub-hb-users");
    users.register("get", Raw, |req| async move {
        let mut body = b"users:".to_vec();
        body.extend_from_slice(&req.body);
        Ok(Response::new(body.into()))
    });
    host.listen("127.0.0.1:0").await.unwrap();
    host.advertiser()
        .routers([router.hostport.clone()])
        .service(users.service())
        .start()
        .await
        .unwrap();

    let client = TChannel::new("sub-hb-client");
    client.set_routers([router.hostport.clone()]);
    // No peers of its own: the sub-channel's calls go through the channel's routers.
    let users = client.sub_channel("sub-hb-users");
    let res = users.raw("get").body("42").await.unwrap();
    assert_eq!(&res.body[..], b"users:42");

    let calls = json!([{"endpoint": "get", "arg3": hex::encode("7")}]);
    let r = run_client(
        Peer::Node,
        &router.hostport,
        &calls,
        &["--service", "sub-hb-users"],
    )
    .await;
    assert_eq!(r[0]["ok"], true, "{}", r[0]);
    assert_eq!(r[0]["arg3_hex"], hex::encode("users:7"));
}
