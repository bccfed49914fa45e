//! The advertise schedule, on tokio's paused clock. The "router" here only counts `ad` calls
//! and fails the ones it is told to: it tests our timing, not Hyperbahn (the interop suite
//! advertises to the real router).

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tchannel_runtime::hyperbahn::{AdvertiseEvent, AdvertiseSchedule};
use tchannel_runtime::{HandlerError, Json, Response, TChannel};
use tokio::time::Instant;

struct Router {
    channel: TChannel,
    hostport: String,
    seen: Arc<Mutex<Vec<Duration>>>,
    fail_next: Arc<AtomicU32>,
}

async fn router(start: Instant) -> Router {
    let channel = TChannel::new("hyperbahn");
    let seen = Arc::new(Mutex::new(Vec::new()));
    let fail_next = Arc::new(AtomicU32::new(0));
    {
        let (seen, fail_next) = (seen.clone(), fail_next.clone());
        channel.register("ad", Json, move |req| {
            let (seen, fail_next) = (seen.clone(), fail_next.clone());
            async move {
                seen.lock().unwrap().push(start.elapsed());
                assert_eq!(req.body["services"][0]["serviceName"], "svc");
                assert_eq!(req.body["services"][1]["serviceName"], "svc-2");
                if fail_next
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                    .is_ok()
                {
                    return Err(HandlerError::busy("not now"));
                }
                Ok(Response::new(serde_json::json!({"connectionCount": 1})))
            }
        });
    }
    let hostport = channel.listen("127.0.0.1:0").await.unwrap().to_string();
    Router {
        channel,
        hostport,
        seen,
        fail_next,
    }
}

fn secs(v: &[Duration]) -> Vec<u64> {
    v.iter().map(|d| d.as_secs()).collect()
}

#[tokio::test(start_paused = true)]
async fn first_ad_backs_off_then_readvertises_every_period() {
    let start = Instant::now();
    let r = router(start).await;
    r.fail_next.store(2, Ordering::SeqCst);
    let events = Arc::new(Mutex::new(Vec::new()));
    let svc = TChannel::new("svc");
    svc.listen("127.0.0.1:0").await.unwrap();
    {
        let events = events.clone();
        svc.advertiser()
            .routers([r.hostport.clone()])
            .service("svc-2")
            .schedule(AdvertiseSchedule {
                jitter: false,
                ..Default::default()
            })
            .on_event(move |e| {
                events
                    .lock()
                    .unwrap()
                    .push(matches!(e, AdvertiseEvent::Advertised { .. }))
            })
            .start()
            .await
            .unwrap();
    }
    // Failed at 0 s, waited 1 s, failed, waited 2 s, succeeded at 3 s.
    assert_eq!(secs(&r.seen.lock().unwrap()), vec![0, 1, 3]);
    assert_eq!(*events.lock().unwrap(), vec![false, false, true]);

    // Then every 50 s.
    tokio::time::sleep(Duration::from_secs(101)).await;
    assert_eq!(secs(&r.seen.lock().unwrap()), vec![0, 1, 3, 53, 103]);

    // A failure later is reported and retried after the backoff, not a whole period.
    r.fail_next.store(2, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_secs(54)).await;
    assert_eq!(
        secs(&r.seen.lock().unwrap()),
        vec![0, 1, 3, 53, 103, 153, 154, 156]
    );
    assert_eq!(events.lock().unwrap().iter().filter(|ok| !**ok).count(), 4);

    // Closing the channel stops it.
    svc.close().await;
    tokio::time::sleep(Duration::from_secs(500)).await;
    assert_eq!(r.seen.lock().unwrap().len(), 8);
    drop(r.channel);
}

#[tokio::test(start_paused = true)]
async fn first_ad_gives_up_after_its_attempts() {
    let start = Instant::now();
    let r = router(start).await;
    r.fail_next.store(100, Ordering::SeqCst);
    let svc = TChannel::new("svc");
    let e = svc
        .advertiser()
        .routers([r.hostport.clone()])
        .service("svc-2")
        .schedule(AdvertiseSchedule {
            jitter: false,
            ..Default::default()
        })
        .start()
        .await
        .unwrap_err();
    assert!(e.is_busy(), "{e}");
    // 5 attempts: 0, 1, 3, 7, 15.
    assert_eq!(secs(&r.seen.lock().unwrap()), vec![0, 1, 3, 7, 15]);
    assert!(svc.hostport().is_some(), "advertise listens first");
}

#[tokio::test]
async fn routers_from_a_hosts_file() {
    let dir = std::env::temp_dir().join(format!("tchannel-hosts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("hosts.json");
    std::fs::write(&good, r#"["127.0.0.1:1", "127.0.0.1:2"]"#).unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(&bad, r#"{"hosts": 1}"#).unwrap();
    let ch = TChannel::new("svc");
    assert!(ch.advertiser().routers_file(&good).is_ok());
    let e = ch.advertiser().routers_file(&bad).err().unwrap();
    assert!(e.to_string().contains("bad.json"), "{e}");
    let e = ch
        .advertiser()
        .routers_file(dir.join("missing.json"))
        .err()
        .unwrap();
    assert!(e.to_string().contains("missing.json"), "{e}");
}
