//! IDL that once made the parser or the generator panic or overflow the stack (issue 11,
//! fuzzing): any text must give a program or a located error.

use tchannel_thrift_gen::{generate, parse_str, Options};

fn generates(src: &str) -> Result<(), String> {
    let program = parse_str("t.thrift", src).map_err(|e| e.to_string())?;
    generate(&program, &Options::default())
        .map(|_| ())
        .map_err(|e| e.to_string())
}

#[test]
fn an_enum_member_named_underscore_digit_generates() {
    generates("enum E { _1 }").unwrap();
    generates("enum E { _1, A1, _ }").unwrap();
}

#[test]
fn a_deeply_nested_const_is_a_located_error() {
    for depth in [100, 1_000, 2_000, 2_700, 10_000, 100_000] {
        let src = format!(
            "const list<i32> C = {}{}",
            "[".repeat(depth),
            "]".repeat(depth)
        );
        // The stack of a build script's main thread.
        let e = std::thread::Builder::new()
            .stack_size(8 << 20)
            .spawn(move || generates(&src).unwrap_err())
            .unwrap()
            .join()
            .unwrap();
        let first = e.lines().next().unwrap();
        assert!(first.starts_with("t.thrift:1:"), "{first}");
        assert!(first.contains("nested"), "{first}");
    }
}

#[test]
fn a_deeply_nested_type_is_a_located_error() {
    for depth in [100, 1_000, 2_000, 5_000, 10_000] {
        let src = format!(
            "struct S {{ 1: {}i32{} f }}",
            "list<".repeat(depth),
            ">".repeat(depth)
        );
        let e = std::thread::Builder::new()
            .stack_size(8 << 20)
            .spawn(move || generates(&src).unwrap_err())
            .unwrap()
            .join()
            .unwrap();
        let first = e.lines().next().unwrap();
        assert!(first.starts_with("t.thrift:1:"), "{first}");
        assert!(first.contains("nested"), "{first}");
    }
}
