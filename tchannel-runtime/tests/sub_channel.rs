//! Sub-channels (issue 14 item 1): each service's own peers and call defaults, its handlers,
//! on one channel whose connections they share.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tchannel_runtime::{Backoff, HandlerError, Raw, Response, RetryOn, TChannel};

/// What the last call carried: caller name, ttl, `x-team` header.
type Seen = (String, Duration, Option<String>);

/// A server answering `echo` of services `a` and `b`, counting calls; records the caller
/// name, ttl and `x-team` header of the last call.
struct Server {
    _ch: TChannel,
    hp: String,
    calls: Arc<AtomicUsize>,
    last: Arc<Mutex<Option<Seen>>>,
}

async fn server(busy: bool) -> Server {
    let ch = TChannel::new("server");
    let calls = Arc::new(AtomicUsize::new(0));
    let last = Arc::new(Mutex::new(None));
    for svc in ["a", "b", "c"] {
        let (c, l) = (calls.clone(), last.clone());
        ch.sub_channel(svc).register("echo", Raw, move |req| {
            c.fetch_add(1, Ordering::SeqCst);
            let t = &req.transport;
            let team = t.headers.get("x-team").map(str::to_owned);
            *l.lock().unwrap() = Some((t.caller.to_string(), t.ttl, team));
            async move {
                if busy {
                    return Err(HandlerError::busy("busy"));
                }
                Ok(Response::new(req.body))
            }
        });
    }
    let hp = ch.listen("127.0.0.1:0").await.unwrap().to_string();
    Server {
        _ch: ch,
        hp,
        calls,
        last,
    }
}

/// Two services on different hosts stay apart: each sub-channel's calls (and the channel's
/// own calls to that service) go to its peers only; other services use the channel's.
#[tokio::test]
async fn each_service_calls_its_own_peers() {
    let (sa, sb, sc) = (
        server(false).await,
        server(false).await,
        server(false).await,
    );
    let client = TChannel::builder("client")
        .known_peers([sc.hp.clone()])
        .build();
    let a = client.sub_channel("a");
    a.add_peer(&sa.hp);
    let b = client.sub_channel("b");
    b.add_peer(&sb.hp);
    for _ in 0..5 {
        a.raw("echo").body("x").await.unwrap();
        b.raw("echo").body("x").await.unwrap();
        client.raw("a", "echo").await.unwrap();
        client.raw("c", "echo").await.unwrap();
    }
    assert_eq!(sa.calls.load(Ordering::SeqCst), 10);
    assert_eq!(sb.calls.load(Ordering::SeqCst), 5);
    assert_eq!(sc.calls.load(Ordering::SeqCst), 5);
    assert_eq!(a.peers(), vec![sa.hp.clone()]);
    assert_eq!(client.known_peers(), vec![sc.hp.clone()]);

    // Without peers of its own a sub-channel uses the channel's.
    a.remove_peer(&sa.hp);
    assert!(a.peers().is_empty());
    a.raw("echo").await.unwrap();
    assert_eq!(sc.calls.load(Ordering::SeqCst), 6);
}

/// A sub-channel's defaults go with its calls; a call still overrides them.
#[tokio::test]
async fn defaults_apply_and_calls_override_them() {
    let s = server(false).await;
    let client = TChannel::new("client");
    let a = client
        .sub_channel("a")
        .timeout(Duration::from_millis(1500))
        .caller_name("team-a")
        .transport_header("x-team", "red");
    a.add_peer(&s.hp);
    a.raw("echo").await.unwrap();
    let (caller, ttl, team) = s.last.lock().unwrap().clone().unwrap();
    assert_eq!(caller, "team-a");
    assert!(
        ttl <= Duration::from_millis(1500) && ttl > Duration::from_millis(1000),
        "{ttl:?}"
    );
    assert_eq!(team.as_deref(), Some("red"));
    a.raw("echo")
        .timeout(Duration::from_millis(300))
        .await
        .unwrap();
    let (_, ttl, _) = s.last.lock().unwrap().clone().unwrap();
    assert!(ttl <= Duration::from_millis(300), "{ttl:?}");
    // The channel's own calls to the service keep the channel's defaults.
    client.raw("a", "echo").hostport(&s.hp).await.unwrap();
    let (caller, _, team) = s.last.lock().unwrap().clone().unwrap();
    assert_eq!((caller.as_str(), team), ("client", None));
}

/// Retry defaults per sub-channel: one retries Busy on its other peer, one never retries.
#[tokio::test]
async fn retry_defaults_are_per_sub_channel() {
    let (s1, s2) = (server(true).await, server(true).await);
    let client = TChannel::builder("client")
        .retry_backoff(Backoff::none())
        .build();
    let patient = client.sub_channel("a");
    let hasty = client.sub_channel("b").retry_on(RetryOn::Never);
    for sub in [&patient, &hasty] {
        sub.add_peer(&s1.hp);
        sub.add_peer(&s2.hp);
    }
    assert!(patient.raw("echo").await.unwrap_err().is_busy());
    assert_eq!(
        s1.calls.load(Ordering::SeqCst) + s2.calls.load(Ordering::SeqCst),
        2
    );
    assert!(hasty.raw("echo").await.unwrap_err().is_busy());
    assert_eq!(
        s1.calls.load(Ordering::SeqCst) + s2.calls.load(Ordering::SeqCst),
        3
    );
}

/// A streamed call to `echo` made with `call`, its body.
async fn streamed(
    call: tchannel_runtime::StreamCall<Raw>,
) -> Result<bytes::Bytes, tchannel_runtime::Error> {
    let (mut req, res) = call.start().await?;
    req.write_arg3("s").await?;
    req.finish().await?;
    res.await?.args.read_arg3().await
}

/// An isolated sub-channel and its channel keep their peers apart both ways: the
/// sub-channel's calls (whole, thrift-less raw, streamed, with options replaced) go to its
/// peers only, and with none fail rather than use the channel's; the channel's own calls, to
/// that service or any other, never go to the sub-channel's peers. Connections are still
/// shared: a peer in both lists has one.
#[tokio::test]
async fn an_isolated_sub_channel_and_its_channel_never_share_peers() {
    let (own, channel_wide) = (server(false).await, server(false).await);
    let client = TChannel::builder("client")
        .known_peers([channel_wide.hp.clone()])
        .build();
    let a = client.isolated_sub_channel("a");
    assert!(a.is_isolated());
    // No peer of its own: the channel's known peer does not leak in.
    let e = a.raw("echo").await.unwrap_err();
    assert!(e.is_no_peer_available(), "{e}");
    assert!(e.message().contains("isolated sub-channel"), "{e}");
    let e = streamed(a.stream("echo")).await.unwrap_err();
    assert!(e.is_no_peer_available(), "{e}");
    assert_eq!(channel_wide.calls.load(Ordering::SeqCst), 0);

    a.add_peer(&own.hp);
    for _ in 0..4 {
        a.raw("echo").body("x").await.unwrap();
        // Options replaced on the call: still the sub-channel's.
        a.raw("echo")
            .options(tchannel_runtime::CallOptions::default())
            .await
            .unwrap();
        assert_eq!(&streamed(a.stream("echo")).await.unwrap()[..], b"s");
        // The channel's own calls, to the isolated service too, use the channel's peers.
        client.raw("a", "echo").await.unwrap();
        client.raw("b", "echo").await.unwrap();
        assert_eq!(
            &streamed(client.stream("a", "echo")).await.unwrap()[..],
            b"s"
        );
    }
    assert_eq!(own.calls.load(Ordering::SeqCst), 12);
    assert_eq!(channel_wide.calls.load(Ordering::SeqCst), 12);
    // A handle asked for later is the same isolated sub-channel.
    let again = client.sub_channel("a");
    assert!(again.is_isolated());
    again.raw("echo").await.unwrap();
    assert_eq!(own.calls.load(Ordering::SeqCst), 13);

    // With the channel's only peer gone, its calls to "a" fail: they never reach the
    // sub-channel's peer.
    client.remove_peer(&channel_wide.hp);
    let e = client.raw("a", "echo").await.unwrap_err();
    assert!(e.is_no_peer_available(), "{e}");
    assert_eq!(own.calls.load(Ordering::SeqCst), 13);

    // A peer in both lists has one connection, shared.
    client.add_peer(&own.hp);
    client.raw("b", "echo").await.unwrap();
    a.raw("echo").await.unwrap();
    let intro = client.introspect();
    let conns = intro["connections"].as_array().unwrap();
    let to_own = conns
        .iter()
        .filter(|c| c["peer"] == own.hp.as_str())
        .count();
    assert_eq!(to_own, 1, "{intro:#}");
}
