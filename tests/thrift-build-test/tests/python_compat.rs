//! Byte compatibility with Apache Thrift's Python `TBinaryProtocol` (Debian `python3-thrift`,
//! the reference implementation) for the types of `ThriftTest.thrift`, both ways.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use tchannel_runtime::thrift::{Bytes, ThriftStruct};
use thrift_build_test::thrift_test::*;

const PYTHON: &str = "/usr/bin/python3";

fn need(ok: bool, what: &str) {
    assert!(
        ok,
        "{what} is missing: run tools/install-peers.sh (Debian packages thrift-compiler and python3-thrift)"
    );
}

/// Generates the Python code for ThriftTest.thrift and returns its folder.
fn python_gen() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let out = std::env::temp_dir().join(format!("tchannel-thrift-py-{}", std::process::id()));
    std::fs::create_dir_all(&out).unwrap();
    let status = Command::new("thrift")
        .args(["--gen", "py", "-out"])
        .arg(&out)
        .arg(manifest.join("../../tchannel-thrift-gen/tests/data/apache/ThriftTest.thrift"))
        .stderr(Stdio::null())
        .status();
    need(
        status.map(|s| s.success()).unwrap_or(false),
        "the `thrift` compiler",
    );
    let has_module = Command::new(PYTHON)
        .args(["-c", "import thrift.protocol.TBinaryProtocol"])
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    need(has_module, "/usr/bin/python3 with the `thrift` module");
    out
}

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/py/thrifttest_values.py")
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// The same values as `VALUES` in the Python script, as (name, encoder, decoder-and-compare).
struct Case {
    name: &'static str,
    encode: Box<dyn Fn() -> Bytes>,
    /// Decodes bytes, checks the value, and re-encodes.
    roundtrip: Box<dyn Fn(Bytes) -> Bytes>,
}

fn case<T: ThriftStruct + PartialEq + std::fmt::Debug + Clone + 'static>(
    name: &'static str,
    v: T,
) -> Case {
    let v2 = v.clone();
    Case {
        name,
        encode: Box::new(move || v.to_bytes()),
        roundtrip: Box::new(move |b| {
            let got = T::from_bytes(b).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(got, v2, "{name}: decoded value differs");
            got.to_bytes()
        }),
    }
}

fn cases() -> Vec<Case> {
    let xtruct = Xtruct {
        string_thing: "hello \u{2713}".into(),
        byte_thing: -3,
        i32_thing: -100000,
        i64_thing: 1 << 40,
    };
    let insanity = Insanity {
        user_map: [(Numberz::One, 5), (Numberz::Five, -1)]
            .into_iter()
            .collect(),
        xtructs: vec![xtruct.clone(), Xtruct::default()],
    };
    let v2 = VersioningTestV2 {
        begin_in_both: 1,
        newint: 2,
        newbyte: 3,
        newshort: -4,
        newlong: -(1 << 50),
        newdouble: 6.5,
        newstruct: Bonk {
            message: "m".into(),
            r#type: 9,
        },
        newlist: vec![1, 2, 3],
        newset: [1, 2, 3].into_iter().collect(),
        newmap: [(1, 10), (2, 20)].into_iter().collect(),
        newstring: "str".into(),
        end_in_both: 12,
    };
    let bools = Bools {
        im_true: true,
        im_false: false,
    };
    vec![
        case("xtruct", xtruct.clone()),
        case(
            "xtruct2",
            Xtruct2 {
                byte_thing: 1,
                struct_thing: xtruct.clone(),
                i32_thing: 7,
            },
        ),
        case("bools", bools.clone()),
        case("insanity", insanity.clone()),
        case(
            "crazy",
            CrazyNesting {
                string_field: "s".into(),
                set_field: None,
                list_field: vec![],
                binary_field: Bytes::from_static(b"\x00\xff"),
            },
        ),
        case("union_string", SomeUnion::StringThing("u".into())),
        case("union_insanity", SomeUnion::InsanityThing(insanity)),
        case(
            "xception",
            Xception {
                error_code: 1001,
                message: "boom".into(),
            },
        ),
        case(
            "xception2",
            Xception2 {
                error_code: 2,
                struct_thing: xtruct,
            },
        ),
        case("v2", v2.clone()),
        case(
            "nested_mixed",
            NestedMixedx2 {
                int_set_list: vec![[1, 2].into_iter().collect(), [3].into_iter().collect()],
                map_int_strset: [(1, ["a".to_string()].into_iter().collect())]
                    .into_iter()
                    .collect(),
                map_int_strset_list: vec![[(2, ["b".to_string()].into_iter().collect())]
                    .into_iter()
                    .collect()],
            },
        ),
        case(
            "large_deltas",
            LargeDeltas {
                b1: bools.clone(),
                b10: bools.clone(),
                b100: bools.clone(),
                check_true: true,
                b1000: bools,
                check_false: false,
                vertwo2000: v2.clone(),
                a_set2500: ["x".to_string()].into_iter().collect(),
                vertwo3000: v2,
                big_numbers: vec![i32::MAX, i32::MIN],
            },
        ),
        case(
            "struct_b",
            StructB {
                aa: None,
                ab: StructA { s: "req".into() },
            },
        ),
        case("bool_test", BoolTest::default()),
        case("empty", EmptyStruct {}),
        case(
            "one_field",
            OneField {
                field: EmptyStruct {},
            },
        ),
        case(
            "nested_bonk",
            NestedListsBonk {
                bonk: vec![vec![
                    vec![Bonk {
                        message: "a".into(),
                        r#type: 1,
                    }],
                    vec![],
                ]],
            },
        ),
        case(
            "optional_binary",
            OptionalBinary {
                bin_set: Some(BTreeSet::from([Bytes::from_static(b"ab")])),
                bin_map: Some(BTreeMap::from([(Bytes::from_static(b"k"), 3)])),
            },
        ),
        case(
            "guess",
            GuessProtocolStruct {
                map_field: [("a", "1"), ("b", "2")]
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            },
        ),
    ]
}

/// Parses the flat `{"name": "hex"}` object the script prints.
fn parse_object(s: &str) -> BTreeMap<String, String> {
    s.trim()
        .trim_start_matches('{')
        .trim_end_matches('}')
        .split(',')
        .filter(|kv| !kv.trim().is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once(':').unwrap();
            (
                k.trim().trim_matches('"').to_string(),
                v.trim().trim_matches('"').to_string(),
            )
        })
        .collect()
}

#[test]
fn python_bytes_decode_in_rust_and_reencode_identically() {
    let dir = python_gen();
    let out = Command::new(PYTHON)
        .arg(script())
        .arg(&dir)
        .arg("encode")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let from_py = parse_object(&String::from_utf8(out.stdout).unwrap());
    let cases = cases();
    assert_eq!(from_py.len(), cases.len());
    for c in &cases {
        let py = unhex(&from_py[c.name]);
        let again = (c.roundtrip)(Bytes::from(py.clone()));
        assert_eq!(
            hex(&again),
            hex(&py),
            "{}: Rust re-encoding differs from Python's bytes",
            c.name
        );
        assert_eq!(
            hex(&(c.encode)()),
            hex(&py),
            "{}: Rust encoding differs from Python's",
            c.name
        );
    }
}

#[test]
fn rust_bytes_decode_in_python_and_reencode_identically() {
    let dir = python_gen();
    let body: Vec<String> = cases()
        .iter()
        .map(|c| format!("\"{}\": \"{}\"", c.name, hex(&(c.encode)())))
        .collect();
    let mut child = Command::new(PYTHON)
        .arg(script())
        .arg(&dir)
        .arg("check")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{{{}}}", body.join(", ")).as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "python rejected Rust's bytes:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
