//! Encode and decode of a representative struct (strings, ints, a list of structs, a map):
//! tchannel-rs generated code against Apache Thrift 0.17's generated Rust with the `thrift`
//! crate's `TBinaryOutputProtocol` / `TBinaryInputProtocol` (strict), both over memory.

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use tchannel_runtime::thrift::{ThriftStruct, ThriftValue, Writer};
use thrift::protocol::{TBinaryInputProtocol, TBinaryOutputProtocol, TSerializable};
use thrift_bench::{apache_order, order};

fn apache_encode(o: &thrift_bench::apache::Order, buf: &mut Vec<u8>) {
    buf.clear();
    let mut prot = TBinaryOutputProtocol::new(buf, true);
    o.write_to_out_protocol(&mut prot).unwrap();
}

fn bench(c: &mut Criterion) {
    for (items, attrs) in [(1, 2), (10, 10), (100, 20)] {
        let ours = order(items, attrs);
        let apache = apache_order(&ours);
        let bytes = ours.to_bytes();
        let mut apache_bytes = Vec::new();
        apache_encode(&apache, &mut apache_bytes);
        // Same IDL, same values: the two encodings are the same bytes.
        assert_eq!(&bytes[..], &apache_bytes[..]);
        let label = format!("{items}items_{attrs}attrs_{}B", bytes.len());

        let mut g = c.benchmark_group("encode");
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_with_input(BenchmarkId::new("tchannel-rs", &label), &ours, |b, o| {
            let mut w = Writer::with_capacity(bytes.len());
            b.iter(|| {
                w.clear();
                black_box(o).write(&mut w);
            })
        });
        g.bench_with_input(
            BenchmarkId::new("apache-thrift-0.17", &label),
            &apache,
            |b, o| {
                let mut buf = Vec::with_capacity(bytes.len());
                b.iter(|| apache_encode(black_box(o), &mut buf))
            },
        );
        g.finish();

        let mut g = c.benchmark_group("decode");
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_with_input(
            BenchmarkId::new("tchannel-rs", &label),
            &bytes,
            |b, bytes| {
                b.iter(|| thrift_bench::ours::Order::from_bytes(black_box(bytes.clone())).unwrap())
            },
        );
        g.bench_with_input(
            BenchmarkId::new("apache-thrift-0.17", &label),
            &apache_bytes,
            |b, bytes| {
                b.iter(|| {
                    let mut input: &[u8] = black_box(bytes);
                    let mut prot = TBinaryInputProtocol::new(&mut input, true);
                    thrift_bench::apache::Order::read_from_in_protocol(&mut prot).unwrap()
                })
            },
        );
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
