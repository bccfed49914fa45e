//! `tchannel-build` end to end on temporary IDL files.

use std::path::PathBuf;

fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("tchannel-build-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn each_parsed_file_is_named_once_and_generated_once() {
    let d = tempdir("once");
    let inc = d.join("inc");
    std::fs::create_dir_all(&inc).unwrap();
    std::fs::write(inc.join("common.thrift"), "struct Common { 1: i32 x }\n").unwrap();
    std::fs::write(
        d.join("a.thrift"),
        "include \"common.thrift\"\nstruct A { 1: common.Common c }\n",
    )
    .unwrap();
    std::fs::write(
        d.join("b.thrift"),
        "include \"common.thrift\"\nservice B { common.Common get() }\n",
    )
    .unwrap();
    let out = d.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let compiled = tchannel_build::configure()
        .out_dir(&out)
        .include_dir(&inc)
        .emit_rerun_if_changed(false)
        .build_client(false)
        .try_compile(&[d.join("a.thrift"), d.join("b.thrift")])
        .unwrap();
    assert_eq!(
        compiled.sources,
        vec![
            inc.join("common.thrift"),
            d.join("a.thrift"),
            d.join("b.thrift")
        ]
    );
    assert_eq!(
        compiled.written,
        vec![out.join("common.rs"), out.join("a.rs"), out.join("b.rs")]
    );
    let b = std::fs::read_to_string(out.join("b.rs")).unwrap();
    assert!(b.contains("pub struct BServer<T>"));
    assert!(!b.contains("BClient"), "clients were turned off");
    assert!(b.contains("super::common::Common"));
}

#[test]
fn options_reach_the_generated_code() {
    let d = tempdir("options");
    std::fs::write(
        d.join("t.thrift"),
        "struct T { 1: binary b, 2: map<string, i32> m, 3: set<i64> s }\nservice S { void f() }\n",
    )
    .unwrap();
    let written = tchannel_build::configure()
        .out_dir(&d)
        .emit_rerun_if_changed(false)
        .build_server(false)
        .binary_type(tchannel_build::BinaryType::VecU8)
        .map_type(tchannel_build::CollectionType::Hash)
        .set_type(tchannel_build::CollectionType::Hash)
        .type_attribute("t.T", "#[doc(alias = \"tee\")]")
        .try_compile(&[d.join("t.thrift")])
        .unwrap()
        .written;
    let code = std::fs::read_to_string(&written[0]).unwrap();
    assert!(code.contains("pub b: Vec<u8>"), "{code}");
    assert!(
        code.contains("pub m: ::std::collections::HashMap<String, i32>"),
        "{code}"
    );
    assert!(
        code.contains("pub s: ::std::collections::HashSet<i64>"),
        "{code}"
    );
    assert!(code.contains("#[doc(alias = \"tee\")]"), "{code}");
    assert!(!code.contains("SServer"), "servers were turned off");
    assert!(code.contains("pub struct SClient<T>"));
}

#[test]
fn errors_carry_the_located_message() {
    let d = tempdir("errors");
    std::fs::write(d.join("bad.thrift"), "struct S {\n  1: Nope n\n}\n").unwrap();
    let err = tchannel_build::configure()
        .out_dir(&d)
        .emit_rerun_if_changed(false)
        .try_compile(&[d.join("bad.thrift")])
        .unwrap_err()
        .to_string();
    assert!(err.contains("bad.thrift:2:6: unknown type `Nope`"), "{err}");
    assert!(err.contains("2 |   1: Nope n"), "{err}");
}
