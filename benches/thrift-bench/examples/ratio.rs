//! A noise-resistant side-by-side: runs tchannel-rs and Apache Thrift 0.17 alternately in many
//! short rounds and keeps each one's fastest round, so that load from other processes on a
//! shared machine (which only ever slows a round down) cancels out of the ratio.
//!
//! `cargo run --release -p thrift-bench --example ratio`

use std::hint::black_box;
use std::time::{Duration, Instant};

use tchannel_runtime::thrift::{ThriftStruct, ThriftValue, Writer};
use thrift::protocol::{TBinaryInputProtocol, TBinaryOutputProtocol, TSerializable};
use thrift_bench::{apache, apache_order, order, ours};

fn fastest(rounds: usize, per_round: usize, mut f: impl FnMut()) -> Duration {
    (0..rounds)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..per_round {
                f();
            }
            start.elapsed() / per_round as u32
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    println!("| payload | op | tchannel-rs | Apache Thrift 0.17 | speed-up |");
    println!("|---|---|---|---|---|");
    for (items, attrs) in [(1, 2), (10, 10), (100, 20)] {
        let o = order(items, attrs);
        let a = apache_order(&o);
        let bytes = o.to_bytes();
        let per_round = (200_000 / bytes.len()).max(20);
        let (mut enc_ours, mut enc_apache, mut dec_ours, mut dec_apache) =
            (Duration::MAX, Duration::MAX, Duration::MAX, Duration::MAX);
        let mut w = Writer::with_capacity(bytes.len());
        let mut buf = Vec::with_capacity(bytes.len());
        // Interleave so that both see the same conditions.
        for _ in 0..40 {
            enc_ours = enc_ours.min(fastest(1, per_round, || {
                w.clear();
                black_box(&o).write(&mut w);
            }));
            enc_apache = enc_apache.min(fastest(1, per_round, || {
                buf.clear();
                let mut p = TBinaryOutputProtocol::new(&mut buf, true);
                black_box(&a).write_to_out_protocol(&mut p).unwrap();
            }));
            dec_ours = dec_ours.min(fastest(1, per_round, || {
                black_box(ours::Order::from_bytes(black_box(bytes.clone())).unwrap());
            }));
            dec_apache = dec_apache.min(fastest(1, per_round, || {
                let mut input: &[u8] = black_box(&bytes[..]);
                let mut p = TBinaryInputProtocol::new(&mut input, true);
                black_box(apache::Order::read_from_in_protocol(&mut p).unwrap());
            }));
        }
        let label = format!("{items} items, {attrs} attrs ({} B)", bytes.len());
        for (op, ours_t, apache_t) in [
            ("encode", enc_ours, enc_apache),
            ("decode", dec_ours, dec_apache),
        ] {
            println!(
                "| {label} | {op} | {:.0} ns | {:.0} ns | {:.1}x |",
                ours_t.as_nanos(),
                apache_t.as_nanos(),
                apache_t.as_secs_f64() / ours_t.as_secs_f64()
            );
        }
    }
}
