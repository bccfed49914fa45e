//! tower interop (feature `tower`): real tower layers as outbound and inbound middleware, and
//! a channel as a tower service, on tokio's paused clock.
#![cfg(feature = "tower")]

use bytes::Bytes;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tchannel_runtime::middleware::{OutboundRequest, OutboundResponse};
use tchannel_runtime::tower::{from_layer, OutboundCall};
use tchannel_runtime::{CallOptions, Error, HandlerError, Raw, Response, TChannel};
use tower::limit::{ConcurrencyLimitLayer, RateLimitLayer};
use tower::load_shed::LoadShedLayer;
use tower::retry::{Policy, RetryLayer};
use tower::timeout::TimeoutLayer;
use tower::{ServiceBuilder, ServiceExt};

/// Calls in a handler now, and the most there were at once.
#[derive(Default)]
struct InFlight {
    now: AtomicUsize,
    most: AtomicUsize,
    started: AtomicUsize,
}

/// A server whose `slow` endpoint takes 1 s (paused clock) and whose `flaky` endpoint
/// answers Busy twice, then succeeds.
async fn server(
    builder: tchannel_runtime::ChannelBuilder,
) -> (TChannel, SocketAddr, Arc<InFlight>) {
    let ch = builder.build();
    let seen = Arc::new(InFlight::default());
    let s = seen.clone();
    ch.register("slow", Raw, move |req| {
        let s = s.clone();
        async move {
            s.started.fetch_add(1, Ordering::SeqCst);
            let now = s.now.fetch_add(1, Ordering::SeqCst) + 1;
            s.most.fetch_max(now, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_secs(1)).await;
            s.now.fetch_sub(1, Ordering::SeqCst);
            Ok(Response::new(req.body))
        }
    });
    ch.register(
        "echo",
        Raw,
        |req| async move { Ok(Response::new(req.body)) },
    );
    let flaky = Arc::new(AtomicUsize::new(0));
    ch.register("flaky", Raw, move |req| {
        let n = flaky.fetch_add(1, Ordering::SeqCst);
        async move {
            if n < 2 {
                return Err(HandlerError::busy(format!("attempt {n}")));
            }
            Ok(Response::new(req.body))
        }
    });
    let addr = ch.listen("127.0.0.1:0").await.unwrap();
    (ch, addr, seen)
}

/// Six concurrent calls of `slow` from `client`; their results.
async fn six_calls(client: &TChannel, addr: SocketAddr) -> Vec<Result<Bytes, Error>> {
    let calls = (0..6).map(|i| {
        let client = client.clone();
        tokio::spawn(async move {
            client
                .raw("server", "slow")
                .hostport(addr)
                .timeout(Duration::from_secs(60))
                .body(format!("{i}"))
                .await
                .map(|r| r.body)
        })
    });
    let mut out = Vec::new();
    for c in calls.collect::<Vec<_>>() {
        out.push(c.await.unwrap());
    }
    out
}

#[tokio::test(start_paused = true)]
async fn an_outbound_concurrency_limit_layer_bounds_calls_in_flight() {
    let (srv, addr, seen) = server(TChannel::builder("server")).await;
    // Without the layer all six run at once: the measure can tell.
    let plain = TChannel::new("plain");
    assert!(six_calls(&plain, addr).await.iter().all(Result::is_ok));
    assert_eq!(seen.most.swap(0, Ordering::SeqCst), 6);

    let limited = TChannel::builder("limited")
        .outbound(from_layer(ConcurrencyLimitLayer::new(2)))
        .build();
    let results = six_calls(&limited, addr).await;
    for (i, r) in results.iter().enumerate() {
        assert_eq!(r.as_ref().unwrap(), &Bytes::from(i.to_string()));
    }
    assert_eq!(seen.most.load(Ordering::SeqCst), 2);
    srv.close().await;
}

#[tokio::test(start_paused = true)]
async fn an_outbound_timeout_layer_gives_a_timeout_error() {
    let (srv, addr, _) = server(TChannel::builder("server")).await;
    let client = TChannel::builder("client")
        .outbound(from_layer(TimeoutLayer::new(Duration::from_millis(100))))
        .build();
    let e = client
        .raw("server", "slow")
        .hostport(addr)
        .timeout(Duration::from_secs(60))
        .await
        .unwrap_err();
    assert!(e.is_timeout(), "{e}");
    assert!(e.message().contains("tower"), "{e}");
    // A call that fits in the layer's time goes through it untouched.
    let res = client.raw("server", "flaky").hostport(addr).await;
    assert!(res.unwrap_err().is_busy()); // the server's own answer, not the layer's
    srv.close().await;
}

#[tokio::test(start_paused = true)]
async fn inbound_load_shedding_answers_busy_past_the_limit() {
    let (srv, addr, seen) = server(
        TChannel::builder("server").inbound(from_layer(
            ServiceBuilder::new()
                .layer(LoadShedLayer::new())
                .layer(ConcurrencyLimitLayer::new(1)),
        )),
    )
    .await;
    let client = TChannel::new("client");
    let first = {
        let client = client.clone();
        tokio::spawn(async move { client.raw("server", "slow").hostport(addr).body("1").await })
    };
    while seen.started.load(Ordering::SeqCst) == 0 {
        tokio::task::yield_now().await;
    }
    // The first call holds the one permit: the second is shed with Busy, not queued.
    let e = client
        .raw("server", "slow")
        .hostport(addr)
        .body("2")
        .await
        .unwrap_err();
    assert!(e.is_busy(), "{e}");
    assert!(e.message().contains("tower"), "{e}");
    assert_eq!(first.await.unwrap().unwrap().body, Bytes::from("1"));
    assert_eq!(seen.started.load(Ordering::SeqCst), 1);
    // Once it is done, the next call is served.
    let res = client
        .raw("server", "slow")
        .hostport(addr)
        .body("3")
        .await
        .unwrap();
    assert_eq!(res.body, Bytes::from("3"));
    srv.close().await;
}

/// Retries a Busy answer up to `left` more times.
#[derive(Clone)]
struct RetryBusy {
    left: usize,
}

impl Policy<OutboundCall, OutboundResponse, Error> for RetryBusy {
    type Future = std::future::Ready<()>;
    fn retry(
        &mut self,
        _req: &mut OutboundCall,
        result: &mut Result<OutboundResponse, Error>,
    ) -> Option<Self::Future> {
        match result {
            Err(e) if e.is_busy() && self.left > 0 => {
                self.left -= 1;
                Some(std::future::ready(()))
            }
            _ => None,
        }
    }
    fn clone_request(&mut self, req: &OutboundCall) -> Option<OutboundCall> {
        Some(req.clone())
    }
}

#[tokio::test(start_paused = true)]
async fn a_retry_layer_sends_the_call_again_through_the_rest_of_the_chain() {
    let (srv, addr, _) = server(TChannel::builder("server")).await;
    let below = Arc::new(AtomicUsize::new(0));
    let count = below.clone();
    let client = TChannel::builder("client")
        .outbound(from_layer(RetryLayer::new(RetryBusy { left: 2 })))
        // A native layer after the tower one: it sees every attempt.
        .outbound(
            move |req: OutboundRequest, next: tchannel_runtime::middleware::OutboundNext| {
                count.fetch_add(1, Ordering::SeqCst);
                next.run(req)
            },
        )
        .build();
    // A fixed hostport is never retried natively: these are the layer's retries.
    let res = client
        .raw("server", "flaky")
        .hostport(addr)
        .body("x")
        .await
        .unwrap();
    assert_eq!(res.body, Bytes::from("x"));
    assert_eq!(below.load(Ordering::SeqCst), 3);
    srv.close().await;
}

#[tokio::test(start_paused = true)]
async fn a_channel_is_a_tower_service() {
    let (srv, addr, seen) = server(TChannel::builder("server")).await;
    let client = TChannel::new("client");
    let svc = ServiceBuilder::new()
        .concurrency_limit(1)
        .timeout(Duration::from_secs(5))
        .service(client.clone());
    let req = |body: &'static str| {
        let opts = CallOptions::default().hostport(addr);
        OutboundRequest::new("server", "slow", "raw", "", body, opts)
    };
    let calls: Vec<_> = ["a", "b", "c"]
        .into_iter()
        .map(|b| tokio::spawn(svc.clone().oneshot(req(b))))
        .collect();
    for (c, want) in calls.into_iter().zip(["a", "b", "c"]) {
        assert_eq!(c.await.unwrap().unwrap().body, Bytes::from(want));
    }
    assert_eq!(seen.most.load(Ordering::SeqCst), 1);
    client.close().await;
    let e = svc.oneshot(req("d")).await.unwrap_err();
    let e = e.downcast::<Error>().unwrap();
    assert!(e.is_closed(), "{e}");
    srv.close().await;
}

#[tokio::test(start_paused = true)]
async fn a_rate_limit_layer_which_is_not_clone_spaces_the_calls_out() {
    let (srv, addr, _) = server(TChannel::builder("server")).await;
    // RateLimit<S> is not Clone: the one service is shared by every call.
    let client = TChannel::builder("client")
        .outbound(from_layer(RateLimitLayer::new(2, Duration::from_secs(1))))
        .build();
    let start = tokio::time::Instant::now();
    let mut sent_at = Vec::new();
    for i in 0..6 {
        let res = client
            .raw("server", "echo")
            .hostport(addr)
            .body(format!("{i}"))
            .await
            .unwrap();
        assert_eq!(res.body, Bytes::from(i.to_string()));
        sent_at.push(start.elapsed());
    }
    // Two calls per (virtual) second: the 3rd and 5th wait for the next period.
    assert!(sent_at[1] < Duration::from_secs(1), "{sent_at:?}");
    assert!(sent_at[2] >= Duration::from_secs(1), "{sent_at:?}");
    assert!(sent_at[4] >= Duration::from_secs(2), "{sent_at:?}");
    srv.close().await;
}

type SlowCall = tokio::task::JoinHandle<Result<Response<Raw>, Error>>;

/// A client limited to one call in flight, whose one permit a call of `slow` (1 s) holds.
async fn one_permit_taken(addr: SocketAddr, seen: &InFlight) -> (TChannel, SlowCall) {
    let client = TChannel::builder("client")
        .outbound(from_layer(ConcurrencyLimitLayer::new(1)))
        .build();
    let first = {
        let client = client.clone();
        tokio::spawn(async move { client.raw("server", "slow").hostport(addr).await })
    };
    while seen.started.load(Ordering::SeqCst) == 0 {
        tokio::task::yield_now().await;
    }
    (client, first)
}

#[tokio::test(start_paused = true)]
async fn a_call_waiting_for_a_permit_gives_up_at_its_own_timeout() {
    let (srv, addr, seen) = server(TChannel::builder("server")).await;
    let (client, first) = one_permit_taken(addr, &seen).await;
    // The one permit is taken for 1 s; this call may wait 100 ms.
    let e = client
        .raw("server", "slow")
        .hostport(addr)
        .timeout(Duration::from_millis(100))
        .await
        .unwrap_err();
    assert!(e.is_timeout(), "{e}");
    assert!(
        e.message().contains("not ready before the call's deadline"),
        "{e}"
    );
    assert!(first.await.unwrap().is_ok());
    assert_eq!(
        seen.started.load(Ordering::SeqCst),
        1,
        "the second call was never sent"
    );
    srv.close().await;
}

#[tokio::test(start_paused = true)]
async fn time_spent_waiting_for_a_permit_counts_against_the_timeout() {
    let (srv, addr, seen) = server(TChannel::builder("server")).await;
    let (client, first) = one_permit_taken(addr, &seen).await;
    // 1 s waiting for the permit, then `slow` takes 1 s: more than the 1.5 s timeout.
    let start = tokio::time::Instant::now();
    let e = client
        .raw("server", "slow")
        .hostport(addr)
        .timeout(Duration::from_millis(1500))
        .await
        .unwrap_err();
    assert!(e.is_timeout(), "{e}");
    assert!(
        start.elapsed() < Duration::from_millis(1600),
        "{:?}",
        start.elapsed()
    );
    assert!(first.await.unwrap().is_ok());
    srv.close().await;
}
