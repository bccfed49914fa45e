//! Call metrics: the standard names and tags for every outcome, in both directions.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tchannel_runtime::middleware::{OutboundNext, OutboundRequest, OutboundResponse};
use tchannel_runtime::stats::{StatsReporter, Tags};
use tchannel_runtime::{HandlerError, Raw, Response, RetryOn, TChannel};

/// Counter totals and timer samples by `name{tags}`.
#[derive(Default)]
struct Recorded {
    counters: Mutex<BTreeMap<String, u64>>,
    timers: Mutex<BTreeMap<String, Vec<Duration>>>,
}

fn key(name: &str, tags: &Tags<'_>) -> String {
    let tags: Vec<String> = tags.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("{name}{{{}}}", tags.join(","))
}

impl StatsReporter for Recorded {
    fn inc_counter(&self, name: &'static str, tags: &Tags<'_>, value: u64) {
        *self
            .counters
            .lock()
            .unwrap()
            .entry(key(name, tags))
            .or_default() += value;
    }
    fn record_timer(&self, name: &'static str, tags: &Tags<'_>, d: Duration) {
        self.timers
            .lock()
            .unwrap()
            .entry(key(name, tags))
            .or_default()
            .push(d);
    }
}

impl Recorded {
    fn counters(&self) -> BTreeMap<String, u64> {
        self.counters.lock().unwrap().clone()
    }
    fn timer_counts(&self) -> BTreeMap<String, usize> {
        self.timers
            .lock()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.len()))
            .collect()
    }
}

#[tokio::test]
async fn outcomes_are_counted_under_the_standard_names_both_ways() {
    let rec = Arc::new(Recorded::default());
    let server = TChannel::builder("server").stats(rec.clone()).build();
    server.register("ok", Raw, |req| async move { Ok(Response::new(req.body)) });
    server.register("notok", Raw, |_req| async move {
        Ok(Response::<Raw>::app_error("no".into()))
    });
    server.register("busy", Raw, |_req| async move {
        Err::<Response<Raw>, _>(HandlerError::busy("full"))
    });
    let addr = server.listen("127.0.0.1:0").await.unwrap().to_string();
    let client = TChannel::builder("client").stats(rec.clone()).build();
    for endpoint in ["ok", "ok", "notok", "busy"] {
        let _ = client
            .raw("server", endpoint)
            .hostport(addr.clone())
            .retry_on(RetryOn::Never)
            .await;
    }
    let out =
        |ep: &str| format!("app=client,service=client,target-service=server,target-endpoint={ep}");
    let inb = |ep: &str| format!("app=server,service=server,endpoint={ep},calling-service=client");
    let expected: BTreeMap<String, u64> = [
        (format!("outbound.calls.sent{{{}}}", out("ok")), 2),
        (format!("outbound.calls.success{{{}}}", out("ok")), 2),
        (format!("outbound.calls.sent{{{}}}", out("notok")), 1),
        (format!("outbound.calls.app-errors{{{}}}", out("notok")), 1),
        (format!("outbound.calls.sent{{{}}}", out("busy")), 1),
        (
            format!("outbound.calls.system-errors{{{},type=busy}}", out("busy")),
            1,
        ),
        (format!("inbound.calls.recvd{{{}}}", inb("ok")), 2),
        (format!("inbound.calls.success{{{}}}", inb("ok")), 2),
        (format!("inbound.calls.recvd{{{}}}", inb("notok")), 1),
        (format!("inbound.calls.app-errors{{{}}}", inb("notok")), 1),
        (format!("inbound.calls.recvd{{{}}}", inb("busy")), 1),
        (
            format!("inbound.calls.system-errors{{{},type=busy}}", inb("busy")),
            1,
        ),
    ]
    .into_iter()
    .collect();
    assert_eq!(rec.counters(), expected);
    let timers = rec.timer_counts();
    assert_eq!(
        timers[&format!("outbound.calls.latency{{{}}}", out("ok"))],
        2
    );
    assert_eq!(
        timers[&format!("inbound.calls.latency{{{}}}", inb("busy"))],
        1
    );
    assert_eq!(timers.len(), 6, "{timers:?}");
    server.close().await;
}

#[tokio::test]
async fn local_failures_are_system_errors_with_a_type() {
    let rec = Arc::new(Recorded::default());
    // No peers: the call fails before reaching the network.
    let client = TChannel::builder("client")
        .stats(rec.clone())
        .outbound(|req: OutboundRequest, next: OutboundNext| next.run(req))
        .build();
    assert!(client.raw("nowhere", "x").await.is_err());
    let c = rec.counters();
    assert_eq!(
        c["outbound.calls.system-errors{app=client,service=client,target-service=nowhere,target-endpoint=x,type=no-peer-available}"],
        1,
        "{c:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn latency_is_the_time_the_rest_of_the_chain_took() {
    let rec = Arc::new(Recorded::default());
    let stats = tchannel_runtime::stats::Stats::new(rec.clone()).app("billing");
    let client = TChannel::builder("client")
        .outbound(stats)
        .outbound(|_req: OutboundRequest, _next: OutboundNext| async move {
            tokio::time::sleep(Duration::from_millis(250)).await;
            Ok(OutboundResponse::new(true, "", ""))
        })
        .build();
    client.raw("svc", "slow").await.unwrap();
    let timers = rec.timers.lock().unwrap().clone();
    assert_eq!(
        timers["outbound.calls.latency{app=billing,service=client,target-service=svc,target-endpoint=slow}"],
        vec![Duration::from_millis(250)]
    );
}
