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

#[test]
fn names_that_collide_in_rust_are_a_located_error() {
    for (src, line, what) in [
        (
            "struct S {\n 1: i32 fooBar,\n 2: i32 foo_bar }",
            3,
            "field `foo_bar` and `fooBar`",
        ),
        ("struct foo {}\nstruct Foo {}", 2, "type `Foo` and `foo`"),
        ("enum E { A_B, AB, a_b }", 1, "enum member `a_b` and `A_B`"),
        (
            "union U {\n 1: i32 a_b\n 2: i32 aB }",
            3,
            "field `aB` and `a_b`",
        ),
        (
            "const i32 maxSize = 1\nconst i32 MAX_SIZE = 2",
            2,
            "constant `MAX_SIZE`",
        ),
        (
            "service S {\n void get_x()\n void getX() }",
            3,
            "method `getX` and `get_x`",
        ),
        (
            "service S { void f(1: i32 aB, 2: i32 a_b) }",
            1,
            "argument `a_b` and `aB`",
        ),
        ("struct S {}\nservice s {}", 2, "type `s` and `S`"),
    ] {
        let e = generates(src).unwrap_err();
        let first = e.lines().next().unwrap();
        assert!(
            first.starts_with(&format!("t.thrift:{line}:")),
            "{src}: {first}"
        );
        assert!(first.contains(what), "{src}: {first}");
        assert!(first.contains("rename one"), "{src}: {first}");
    }
}

#[test]
fn names_reserved_by_the_generator_still_get_a_suffix() {
    // Not a collision between IDL names: the prelude and the enum catch-all are documented.
    generates("struct Option {}\nenum E { UNKNOWN }").unwrap();
}

#[test]
fn apache_name_conflict_test_is_one_located_error() {
    // Fields differing by trailing underscores stay apart (`class_and_prop_`); fields that
    // differ only in case cannot.
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/apache/NameConflictTest.thrift"
    );
    let program = tchannel_thrift_gen::load(std::path::Path::new(path), &[]).unwrap();
    let e = generate(&program, &Options::default()).unwrap_err();
    assert_eq!((e.line(), e.column()), (76, 11), "{e}");
    assert_eq!(
        e.message(),
        "field `TheEdgeCase` and `theEdgeCase` (line 73) are both `the_edge_case` in Rust; \
         rename one"
    );
}

#[test]
fn upper_camel_names_are_kept_and_underscores_too() {
    let program = parse_str(
        "t.thrift",
        "struct ThriftIDLs { 1: i32 value, 2: i32 value_ }\nenum E { OK, HTTPOk }",
    )
    .unwrap();
    let code = generate(&program, &Options::default())
        .unwrap()
        .remove(0)
        .code;
    assert!(code.contains("pub struct ThriftIDLs {"), "{code}");
    assert!(code.contains("pub value_: i32,"), "{code}");
    assert!(code.contains("    Ok,"), "{code}");
    assert!(code.contains("    HTTPOk,"), "{code}");
}

/// Awkward identifiers Thrift accepts, in every place a name can stand: `generate` gives code
/// or a located error, never a panic.
#[test]
fn awkward_names_never_panic() {
    const NAMES: &[&str] = &[
        "_",
        "__",
        "_1",
        "_1_",
        "a__b",
        "Self",
        "self",
        "_Self",
        "Self_",
        "super",
        "crate",
        "type",
        "async",
        "try",
        "gen",
        "union",
        "Unknown",
        "UNKNOWN",
        "Option",
        "Result",
        "Ok",
        "String",
        "Box",
        "ctx",
        "Success",
        "x1",
        "X_1",
        "ABC",
        "aBC",
        "snake_case",
        "a.b",
    ];
    let templates = [
        "struct N { 1: i32 a }",
        "struct S { 1: i32 N }",
        "union U { 1: i32 N }",
        "exception N { 1: string N }",
        "enum N { N }",
        "enum E { A, N, B }",
        "typedef i32 N",
        "const i32 N = 1",
        "service N { void N(1: i32 N) throws (1: X N) }\nexception X {}",
        "struct N {}\nservice S { N f(1: N n) }",
    ];
    for name in NAMES {
        for t in &templates {
            let src = t.replace('N', name);
            let result = std::panic::catch_unwind(|| generates(&src));
            match result {
                Ok(Ok(())) => {}
                Ok(Err(e)) => assert!(e.starts_with("t.thrift:"), "{src}: {e}"),
                Err(_) => panic!("generate panicked on {src:?}"),
            }
        }
    }
}

#[test]
fn a_hash_collection_inside_a_key_is_a_located_error() {
    use tchannel_thrift_gen::CollectionType;
    let program = parse_str("t.thrift", "struct S {\n 1: i32 a\n 2: set<set<i32>> b }").unwrap();
    let options = Options {
        set: CollectionType::Hash,
        ..Options::default()
    };
    let e = generate(&program, &options).unwrap_err();
    assert_eq!((e.line(), e.column()), (3, 19), "{e}");
    assert!(e.message().contains("`HashSet`"), "{e}");
    // With the default BTree collections the same IDL generates.
    generate(&program, &Options::default()).unwrap();
}

#[test]
fn a_method_named_like_an_inherited_one_is_a_located_error() {
    for (src, what) in [
        (
            "service Base { void get_x() }\nservice S extends Base {\n void getX() }",
            "method `getX` and `Base.get_x` that `S` inherits (t.thrift:1)",
        ),
        (
            "service Base { void ping() }\nservice Mid extends Base {}\nservice S extends Mid {\n void ping() }",
            "method `ping` and `Base.ping` that `S` inherits (t.thrift:1)",
        ),
    ] {
        let e = generates(src).unwrap_err();
        let first = e.lines().next().unwrap();
        assert!(first.starts_with(&format!("t.thrift:{}:", src.lines().count())), "{first}");
        assert!(first.contains(what), "{first}");
    }
}
