//! Cassettes built to exhaust the loader (issue 11, fuzzing): alias bombs and deep nesting are
//! refused with an error naming the file and what is wrong, in bounded memory and stack.

use tchannel_vcr::{read_cassette, VcrErrorKind};

fn load_err(text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hostile.yaml");
    std::fs::write(&path, text).unwrap();
    let err = read_cassette(&path).unwrap_err();
    assert!(matches!(err.kind(), VcrErrorKind::Corrupt(_)), "{err}");
    let msg = err.to_string();
    assert!(msg.contains("hostile.yaml"), "{msg}");
    msg
}

/// `levels` levels of anchors, each a list of ten aliases of the one before.
fn alias_bomb(levels: usize) -> String {
    let mut s = String::from("a0: &a0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n");
    for i in 1..=levels {
        let p = i - 1;
        s.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    s.push_str("interactions: []\nversion: 1\n");
    s
}

#[test]
fn an_alias_bomb_is_refused() {
    // 10^6 scalars from 500 bytes of aliases (seven levels would be 10^8 and 4 GB).
    let msg = load_err(&alias_bomb(5));
    assert!(msg.contains("aliases expand"), "{msg}");
}

#[test]
fn a_few_aliases_still_load() {
    // PyYAML writes anchors for objects it meets twice; a handful must keep working.
    let text = "interactions: []\nversion: 1\nx: &x [1, 2]\ny: *x\n";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ok.yaml");
    std::fs::write(&path, text).unwrap();
    assert!(read_cassette(&path).unwrap().is_empty());
}

#[test]
fn deep_nesting_is_refused() {
    let depth = 100_000;
    let text = format!("x: {}{}\n", "[".repeat(depth), "]".repeat(depth));
    let msg = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || load_err(&text))
        .unwrap()
        .join()
        .unwrap();
    assert!(msg.contains("line 1"), "{msg}");
}
