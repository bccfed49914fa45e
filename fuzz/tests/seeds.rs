//! Replays the committed seed corpora (`seeds/<target>/`) and the inputs of past findings
//! (`regressions/<target>/`) through each target's checks, on stable:
//! `cargo test --manifest-path fuzz/Cargo.toml --no-default-features`.

use std::path::Path;

fn replay(target: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut n = 0;
    for dir in ["seeds", "regressions"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        let mut paths: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
        paths.sort();
        for path in paths {
            let data = std::fs::read(&path).unwrap();
            eprintln!("{}", path.display());
            tchannel_fuzz::run(target, &data);
            n += 1;
        }
    }
    assert!(n > 0, "no seeds for {target}");
}

#[test]
fn frame() {
    replay("frame");
}

#[test]
fn fragment() {
    replay("fragment");
}

#[test]
fn thrift_struct() {
    replay("thrift_struct");
}

#[test]
fn thrift_dynamic() {
    replay("thrift_dynamic");
}

#[test]
fn idl() {
    replay("idl");
}

#[test]
fn cassette() {
    replay("cassette");
}

#[test]
fn every_target_has_a_test() {
    assert_eq!(tchannel_fuzz::TARGETS.len(), 6);
}
