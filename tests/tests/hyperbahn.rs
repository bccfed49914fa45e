//! Advertising to, and calling through, a real Hyperbahn router (npm hyperbahn 2.20.1).

use serde_json::json;
use std::time::Duration;
use tchannel_runtime::hyperbahn::AdvertiseSchedule;
use tchannel_runtime::{Raw, Response, TChannel};
use tchannel_tests::{run_client, Peer, PeerServer};

async fn rust_service(name: &str) -> TChannel {
    let svc = TChannel::new(name);
    let me = name.to_owned();
    svc.register("echo", Raw, move |req| {
        let me = me.clone();
        async move {
            let mut body = me.into_bytes();
            body.extend_from_slice(b":");
            body.extend_from_slice(&req.body);
            Ok(Response::new(body.into()).with_headers(req.headers))
        }
    });
    svc.listen("127.0.0.1:0").await.unwrap();
    svc
}

#[tokio::test]
async fn rust_service_advertised_and_called_by_everyone() {
    let router = PeerServer::hyperbahn().await;
    let svc = rust_service("rust-hb-svc").await;
    svc.advertise([router.hostport.clone()]).await.unwrap();

    // A Rust client that only knows the router.
    let client = TChannel::new("rust-hb-client");
    client.set_routers([router.hostport.clone()]);
    let res = client.raw("rust-hb-svc", "echo").body("hi").await.unwrap();
    assert_eq!(&res.body[..], b"rust-hb-svc:hi");

    // tchannel-node and tchannel-python clients through the router.
    let calls = json!([{"endpoint": "echo", "arg3": hex::encode("yo")}]);
    for peer in [Peer::Node, Peer::Python] {
        let r = run_client(
            peer,
            &router.hostport,
            &calls,
            &["--service", "rust-hb-svc"],
        )
        .await;
        assert_eq!(r[0]["ok"], true, "{peer:?}: {}", r[0]);
        assert_eq!(r[0]["arg3_hex"], hex::encode("rust-hb-svc:yo"), "{peer:?}");
    }

    // Nobody advertised this one: Declined, as a typed error.
    let e = client.raw("nobody-here", "echo").await.unwrap_err();
    assert!(e.is_declined(), "{e}");
    assert!(e.message().contains("no peer available"), "{e}");
}

#[tokio::test]
async fn rust_client_calls_node_and_python_services_through_the_router() {
    let router = PeerServer::hyperbahn().await;
    let _node = PeerServer::start(Peer::Node, "node-hb-svc", &[&router.hostport]).await;
    let _py = PeerServer::start(Peer::Python, "py-hb-svc", &[&router.hostport]).await;
    let client = TChannel::new("rust-hb-client");
    client.set_routers([router.hostport.clone()]);
    for svc in ["node-hb-svc", "py-hb-svc"] {
        let res = client.raw(svc, "echo").body("ping").await.unwrap();
        assert_eq!(&res.body[..], b"ping", "{svc}");
        let res = client
            .json(svc, "add")
            .body(json!({"a": 2, "b": 3}))
            .await
            .unwrap();
        assert_eq!(res.body["sum"], 5, "{svc}");
    }
}

#[tokio::test]
async fn found_again_after_the_router_restarts() {
    let router = PeerServer::hyperbahn().await;
    let port: u16 = router.hostport.rsplit(':').next().unwrap().parse().unwrap();
    let svc = rust_service("rust-hb-restart").await;
    svc.advertiser()
        .routers([router.hostport.clone()])
        .schedule(AdvertiseSchedule {
            period: Duration::from_millis(300),
            period_jitter: Duration::ZERO,
            backoff_base: Duration::from_millis(100),
            backoff_max: Duration::from_millis(400),
            ..Default::default()
        })
        .start()
        .await
        .unwrap();
    let client = TChannel::new("rust-hb-client");
    client.set_routers([router.hostport.clone()]);
    assert!(client.raw("rust-hb-restart", "echo").await.is_ok());

    // The router dies and comes back on the same port, knowing nothing.
    drop(router);
    let router = PeerServer::hyperbahn_on(port).await;
    assert_eq!(
        router.hostport.rsplit(':').next().unwrap(),
        port.to_string()
    );
    // Our service's next advertisement registers it again.
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        match client
            .raw("rust-hb-restart", "echo")
            .body("back")
            .timeout(Duration::from_millis(500))
            .await
        {
            Ok(res) => {
                assert_eq!(&res.body[..], b"rust-hb-restart:back");
                break;
            }
            Err(e) => {
                assert!(
                    std::time::Instant::now() < deadline,
                    "never found again: {e}"
                );
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    }
}
