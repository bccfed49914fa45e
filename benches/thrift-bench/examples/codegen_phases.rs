//! Times each phase of generating code for a ~2,000-line IDL, fastest of ten runs.
//!
//! `cargo run --release -p thrift-bench --example codegen_phases`

use std::time::{Duration, Instant};

fn main() {
    let idl = thrift_bench::large_idl(2000);
    let (mut parse, mut generate) = (Duration::MAX, Duration::MAX);
    let mut out_lines = 0;
    for _ in 0..10 {
        let t = Instant::now();
        let p = tchannel_thrift_gen::parse_str("large.thrift", &idl).unwrap();
        parse = parse.min(t.elapsed());
        let t = Instant::now();
        let files = tchannel_thrift_gen::generate(&p, &Default::default()).unwrap();
        generate = generate.min(t.elapsed());
        out_lines = files[0].code.lines().count();
    }
    println!(
        "{} IDL lines: parse+check {:.1} ms, generate+format {:.1} ms ({out_lines} lines of Rust), total {:.1} ms",
        idl.lines().count(),
        parse.as_secs_f64() * 1e3,
        generate.as_secs_f64() * 1e3,
        (parse + generate).as_secs_f64() * 1e3
    );
}
