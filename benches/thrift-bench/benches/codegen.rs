//! Time to parse, check and generate Rust for a ~2,000-line IDL.

use criterion::{black_box, criterion_group, criterion_main, Criterion};

fn bench(c: &mut Criterion) {
    let idl = thrift_bench::large_idl(2000);
    let lines = idl.lines().count();
    let mut g = c.benchmark_group("codegen");
    g.sample_size(20);
    g.bench_function(format!("parse+check_{lines}_lines"), |b| {
        b.iter(|| tchannel_thrift_gen::parse_str("large.thrift", black_box(&idl)).unwrap())
    });
    g.bench_function(format!("parse+check+generate_{lines}_lines"), |b| {
        b.iter(|| {
            let p = tchannel_thrift_gen::parse_str("large.thrift", black_box(&idl)).unwrap();
            tchannel_thrift_gen::generate(&p, &Default::default()).unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
