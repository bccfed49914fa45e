//! Load generator for the KeyValue service: `getValue` calls through the generated client.
//!
//! ```text
//! keyvalue-bench --hostport HOST:PORT [--service keyvalue-server] [--in-flight 100]
//!                [--duration 10] [--warmup 2]
//! ```
//!
//! Sets one key, then keeps `--in-flight` `getValue` calls outstanding on one connection for
//! `--duration` seconds and prints one JSON line: calls/s and latency percentiles (µs).
//! `tools/bench-keyvalue.sh` runs it against our server and tchannel-node's side by side.

use keyvalue::service::KeyValueClient;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tchannel_runtime::TChannel;

struct Args {
    hostport: String,
    service: String,
    in_flight: usize,
    duration: Duration,
    warmup: Duration,
}

fn parse() -> Result<Args, String> {
    let mut a = Args {
        hostport: String::new(),
        service: keyvalue::SERVICE.into(),
        in_flight: 100,
        duration: Duration::from_secs(10),
        warmup: Duration::from_secs(2),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut val = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--hostport" => a.hostport = val()?,
            "--service" => a.service = val()?,
            "--in-flight" => a.in_flight = val()?.parse().map_err(|e| format!("{e}"))?,
            "--duration" => {
                a.duration = Duration::from_secs_f64(val()?.parse().map_err(|e| format!("{e}"))?)
            }
            "--warmup" => {
                a.warmup = Duration::from_secs_f64(val()?.parse().map_err(|e| format!("{e}"))?)
            }
            other => return Err(format!("unknown option {other}")),
        }
    }
    if a.hostport.is_empty() {
        return Err("--hostport is required".into());
    }
    Ok(a)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 1)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = parse()?;
    let channel = TChannel::new("keyvalue-bench");
    let kv = KeyValueClient::new(
        channel
            .thrift_client(args.service.clone())
            .hostport(args.hostport.clone())
            .timeout(Duration::from_secs(5)),
    );
    kv.set_value("bench-key", "x".repeat(100)).await?;

    let run = |d: Duration| {
        let stop = Arc::new(AtomicBool::new(false));
        let workers: Vec<_> = (0..args.in_flight)
            .map(|_| {
                let kv = kv.clone();
                let stop = stop.clone();
                tokio::spawn(async move {
                    let mut lat = Vec::with_capacity(1 << 16);
                    let mut errors = 0u64;
                    while !stop.load(Ordering::Relaxed) {
                        let t = Instant::now();
                        match kv.get_value("bench-key").await {
                            Ok(_) => lat.push(t.elapsed().as_micros() as u32),
                            Err(_) => errors += 1,
                        }
                    }
                    (lat, errors)
                })
            })
            .collect();
        async move {
            let start = Instant::now();
            tokio::time::sleep(d).await;
            stop.store(true, Ordering::Relaxed);
            let mut all = Vec::new();
            let mut errors = 0;
            for w in workers {
                let (l, e) = w.await.expect("worker");
                all.extend(l);
                errors += e;
            }
            (all, errors, start.elapsed())
        }
    };
    run(args.warmup).await;
    let (mut lat, errors, elapsed) = run(args.duration).await;
    // Each percentile by selection, not a sort of every latency: a sort cost the bench ~500
    // instructions per call, counted in tools/bench-thrift-callpath.sh's client figure.
    let mut pct = |p: f64| {
        if lat.is_empty() {
            return 0;
        }
        let i = ((lat.len() as f64 * p) as usize).min(lat.len() - 1);
        *lat.select_nth_unstable(i).1
    };
    let (p50, p99, p999) = (pct(0.5), pct(0.99), pct(0.999));
    let n = lat.len();
    println!(
        "{{\"hostport\":\"{}\",\"in_flight\":{},\"calls\":{},\"calls_per_sec\":{:.0},\"errors\":{},\"p50_us\":{},\"p99_us\":{},\"p999_us\":{}}}",
        args.hostport,
        args.in_flight,
        n,
        n as f64 / elapsed.as_secs_f64(),
        errors,
        p50,
        p99,
        p999
    );
    Ok(())
}
