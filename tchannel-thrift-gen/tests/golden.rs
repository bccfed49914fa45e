//! Golden files: the generated source for a handful of IDLs, checked in under
//! `tests/golden/<case>/<module>.rs`. After an intended change to the generator, regenerate them
//! with `UPDATE_GOLDEN=1 cargo test -p tchannel-thrift-gen --test golden` and review the diff.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests")
}

/// A short line diff: the first differing lines, with two lines of context.
fn diff(expected: &str, actual: &str) -> String {
    let e: Vec<&str> = expected.lines().collect();
    let a: Vec<&str> = actual.lines().collect();
    let first = e
        .iter()
        .zip(&a)
        .position(|(x, y)| x != y)
        .unwrap_or(e.len().min(a.len()));
    let mut out = format!("first difference at line {}:\n", first + 1);
    let from = first.saturating_sub(2);
    for i in from..(first + 8).min(e.len().max(a.len())) {
        match (e.get(i), a.get(i)) {
            (Some(x), Some(y)) if x == y => out.push_str(&format!("  {x}\n")),
            (x, y) => {
                if let Some(x) = x {
                    out.push_str(&format!("- {x}\n"));
                }
                if let Some(y) = y {
                    out.push_str(&format!("+ {y}\n"));
                }
            }
        }
    }
    out
}

fn check(case: &str, idl: &Path) {
    let dir = root().join("golden").join(case);
    let program = tchannel_thrift_gen::load(idl, &[]).unwrap_or_else(|e| panic!("{e}"));
    let files = tchannel_thrift_gen::generate(&program, &Default::default()).unwrap();
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut failures = Vec::new();
    for f in files {
        let path = dir.join(format!("{}.rs", f.module));
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &f.code).unwrap();
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(expected) if expected == f.code => {}
            Ok(expected) => {
                failures.push(format!("{}: {}", path.display(), diff(&expected, &f.code)))
            }
            Err(_) => failures.push(format!("{} is missing", path.display())),
        }
    }
    assert!(
        failures.is_empty(),
        "generated code differs from the golden files (UPDATE_GOLDEN=1 regenerates them):\n{}",
        failures.join("\n")
    );
}

#[test]
fn keyvalue() {
    check("keyvalue", &root().join("golden/idl/keyvalue.thrift"));
}

#[test]
fn inherit_across_files() {
    check("inherit", &root().join("golden/idl/inherit.thrift"));
}

#[test]
fn apache_recursive() {
    check("recursive", &root().join("data/apache/Recursive.thrift"));
}

#[test]
fn apache_small_test() {
    check("small_test", &root().join("data/apache/SmallTest.thrift"));
}

#[test]
fn apache_service_with_include() {
    check("service", &root().join("data/apache/Service.thrift"));
}
