//! The dynamic codec: JSON -> bytes -> JSON round trips for every type, and bytes equal to
//! what generated code writes for the same values.

use bytes::Bytes;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use tchannel_runtime::thrift::ThriftStruct;
use tchannel_tests::rich;
use tcurl::codec::{base64_decode, base64_encode, Idl, Outcome};

fn rich_idl() -> Idl {
    Idl::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/thrift/rich.thrift"),
        &[],
    )
    .unwrap()
}

fn kv_idl() -> Idl {
    Idl::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/keyvalue/thrift/service.thrift"),
        &[],
    )
    .unwrap()
}

fn item_json() -> Value {
    json!({
        "name": "widget",
        "id": 9007199254740993i64,
        "path": [{"x": 1, "y": -2}, {"x": 2147483647, "y": -2147483648}],
        "counts": {"a": 1, "b": -7},
        "tags": ["blue", "red"],
        "color": "BLUE",
        "blob": base64_encode(&[0, 1, 2, 255]),
        "shape": {"sides": [1.5, 2.0]},
        "flag": true,
        "ratio": 0.25,
        "small": -32768,
        "tiny": 127,
        "nested": {"1": [{"x": 3, "y": 4}], "2": []},
    })
}

fn item_rust() -> rich::Item {
    rich::Item {
        name: "widget".into(),
        id: Some(9007199254740993),
        path: vec![
            rich::Point { x: 1, y: -2 },
            rich::Point {
                x: i32::MAX,
                y: i32::MIN,
            },
        ],
        counts: BTreeMap::from([("a".into(), 1), ("b".into(), -7)]),
        tags: BTreeSet::from(["blue".into(), "red".into()]),
        color: rich::Color::Blue,
        blob: Some(Bytes::from_static(&[0, 1, 2, 255])),
        shape: Some(rich::Shape::Sides(vec![1.5, 2.0])),
        flag: true,
        ratio: 0.25,
        small: i16::MIN,
        tiny: 127,
        nested: Some(BTreeMap::from([
            (1, vec![rich::Point { x: 3, y: 4 }]),
            (2, vec![]),
        ])),
    }
}

#[test]
fn item_args_match_generated_code_and_round_trip() {
    let idl = rich_idl();
    let m = idl.method("Rich::echoItem").unwrap();
    let args = json!({ "item": item_json() });
    let bytes = m.encode_args(&args).unwrap();
    let generated = rich::base::EchoItemArgs { item: item_rust() }.to_bytes();
    assert_eq!(bytes, generated);
    assert_eq!(m.decode_args(bytes).unwrap(), args);
}

#[test]
fn results_match_generated_code() {
    let idl = rich_idl();
    let m = idl.method("Base::echoItem").unwrap();
    // success
    let generated = rich::base::EchoItemResult::Success(item_rust()).to_bytes();
    assert_eq!(
        m.decode_result(generated.clone()).unwrap(),
        Outcome::Success(item_json())
    );
    assert_eq!(
        m.encode_result(&Outcome::Success(item_json())).unwrap(),
        generated
    );
    // a declared exception
    let generated = rich::base::EchoItemResult::Missing(rich::Missing {
        what: "x".into(),
        code: Some(4),
    })
    .to_bytes();
    let exc = Outcome::Exception("missing".into(), json!({"what": "x", "code": 4}));
    assert_eq!(m.decode_result(generated.clone()).unwrap(), exc);
    assert_eq!(m.encode_result(&exc).unwrap(), generated);
}

#[test]
fn keyvalue_matches_generated_code() {
    use keyvalue::service::{key_value, NotFoundError};
    let idl = kv_idl();
    let get = idl.method("KeyValue::getValue").unwrap();
    assert_eq!(
        get.encode_args(&json!({"key": "foo"})).unwrap(),
        key_value::GetValueArgs { key: "foo".into() }.to_bytes()
    );
    assert_eq!(
        get.decode_result(key_value::GetValueResult::Success("bar".into()).to_bytes())
            .unwrap(),
        Outcome::Success(json!("bar"))
    );
    assert_eq!(
        get.decode_result(
            key_value::GetValueResult::NotFound(NotFoundError { key: "k".into() }).to_bytes()
        )
        .unwrap(),
        Outcome::Exception("notFound".into(), json!({"key": "k"}))
    );
    let set = idl.method("KeyValue::setValue").unwrap();
    assert_eq!(
        set.encode_args(&json!({"key": "k", "value": "v"})).unwrap(),
        key_value::SetValueArgs {
            key: "k".into(),
            value: "v".into()
        }
        .to_bytes()
    );
    assert_eq!(
        set.decode_result(key_value::SetValueResult::Success.to_bytes())
            .unwrap(),
        Outcome::Success(Value::Null)
    );
}

#[test]
fn unions_enums_nested_containers_match_generated_code() {
    let idl = rich_idl();
    let shape = idl.method("Rich::echoShape").unwrap();
    for (j, r) in [
        (json!({"radius": 2.5}), rich::Shape::Radius(2.5)),
        (json!({"name": "sq"}), rich::Shape::Name("sq".into())),
        (json!({"sides": []}), rich::Shape::Sides(vec![])),
    ] {
        let args = json!({ "shape": j });
        let b = shape.encode_args(&args).unwrap();
        assert_eq!(b, rich::rich::EchoShapeArgs { shape: r }.to_bytes());
        assert_eq!(shape.decode_args(b).unwrap(), args);
    }
    // Node's union form {"type": "radius", "radius": ...} is accepted.
    assert_eq!(
        shape
            .encode_args(&json!({"shape": {"type": "radius", "radius": 2.5}}))
            .unwrap(),
        rich::rich::EchoShapeArgs {
            shape: rich::Shape::Radius(2.5)
        }
        .to_bytes()
    );

    let color = idl.method("Rich::echoColor").unwrap();
    for input in [json!("GREEN"), json!(2), json!("2")] {
        let b = color.encode_args(&json!({ "color": input })).unwrap();
        assert_eq!(
            b,
            rich::rich::EchoColorArgs {
                color: rich::Color::Green
            }
            .to_bytes()
        );
        assert_eq!(color.decode_args(b).unwrap(), json!({"color": "GREEN"}));
    }
    // An unknown enum number survives as a number.
    let b = color.encode_args(&json!({"color": 42})).unwrap();
    assert_eq!(color.decode_args(b).unwrap(), json!({"color": 42}));

    let nested = idl.method("Rich::echoNested").unwrap();
    let args = json!({"v": [{"a": [1, 2], "b": []}, {}]});
    let b = nested.encode_args(&args).unwrap();
    let r = rich::rich::EchoNestedArgs {
        v: vec![
            BTreeMap::from([
                ("a".into(), BTreeSet::from([1, 2])),
                ("b".into(), BTreeSet::new()),
            ]),
            BTreeMap::new(),
        ],
    };
    assert_eq!(b, r.to_bytes());
    assert_eq!(nested.decode_args(b).unwrap(), args);
}

const ALL_TYPES: &str = r#"
typedef i64 Id
typedef list<Id> Ids
enum E { A = 1, B = 2 }
struct K { 1: i32 a }
union U { 1: string s, 2: i32 n }
exception X { 1: string why = "because", 2: i32 n = 7 }
struct All {
  1: bool b
  2: byte y
  3: i16 s
  4: i32 i
  5: i64 l
  6: double d
  7: string str
  8: binary bin
  9: list<string> ls
  10: set<i32> si
  11: map<string, i32> msi
  12: map<i32, string> mis
  13: map<E, bool> meb
  14: map<K, string> mks
  15: Ids ids
  16: E e
  17: U u
  18: X x
  19: map<bool, i32> mbi
  20: list<list<K>> llk
}
service S {
  All echo(1: All all, 2: optional string note) throws (1: X x)
  void nothing()
}
"#;

#[test]
fn every_type_round_trips() {
    let idl = Idl::parse("all.thrift", ALL_TYPES).unwrap();
    let all = json!({
        "b": true, "y": -128, "s": 300, "i": -5, "l": i64::MIN, "d": -1.25,
        "str": "héllo", "bin": base64_encode(b"\x00bin\xff"),
        "ls": ["x", "y"], "si": [3, 1],
        "msi": {"k": 1}, "mis": {"-3": "m"}, "meb": {"A": true, "B": false},
        "mks": [[{"a": 1}, "one"]], "ids": [1, 2, 3], "e": "B", "u": {"n": 5},
        "x": {"why": "w", "n": 1}, "mbi": [[true, 1]], "llk": [[{"a": 1}], []],
    });
    let m = idl.method("S::echo").unwrap();
    let args = json!({"all": all, "note": "n"});
    let b = m.encode_args(&args).unwrap();
    assert_eq!(m.decode_args(b).unwrap(), args);
    let res = m.encode_result(&Outcome::Success(all.clone())).unwrap();
    assert_eq!(m.decode_result(res).unwrap(), Outcome::Success(all.clone()));
    assert_eq!(
        idl.decode_struct("All", idl.encode_struct("All", &all).unwrap())
            .unwrap(),
        all
    );

    // Defaults of unset fields are written, as Apache Thrift does.
    let x = idl.encode_struct("X", &json!({})).unwrap();
    assert_eq!(
        idl.decode_struct("X", x).unwrap(),
        json!({"why": "because", "n": 7})
    );

    // Other input forms of the same values.
    let alt = json!({
        "l": "-9223372036854775808", "d": "-1.25", "bin": {"utf8": "\u{0}bin"},
        "meb": [["A", true], [2, false]], "e": 2, "si": [3, 1],
    });
    let back = idl
        .decode_struct("All", idl.encode_struct("All", &alt).unwrap())
        .unwrap();
    assert_eq!(back["l"], json!(i64::MIN));
    assert_eq!(back["d"], json!(-1.25));
    assert_eq!(back["bin"], json!(base64_encode(b"\x00bin")));
    assert_eq!(back["meb"], json!({"A": true, "B": false}));
    assert_eq!(back["e"], json!("B"));
    // Node's Buffer forms for i64 and binary.
    let node = json!({"l": {"type": "Buffer", "data": [0,0,0,0,0,0,1,0]}, "bin": {"type": "Buffer", "data": [104, 105]}});
    let back = idl
        .decode_struct("All", idl.encode_struct("All", &node).unwrap())
        .unwrap();
    assert_eq!(back["l"], json!(256));
    assert_eq!(back["bin"], json!("aGk="));
    // Doubles that JSON has no number for.
    let back = idl
        .decode_struct(
            "All",
            idl.encode_struct("All", &json!({"d": "NaN"})).unwrap(),
        )
        .unwrap();
    assert_eq!(back["d"], json!("NaN"));

    // void, no arguments
    let nothing = idl.method("S::nothing").unwrap();
    assert_eq!(&nothing.encode_args(&Value::Null).unwrap()[..], &[0]);
    assert_eq!(
        nothing.decode_result(Bytes::from_static(&[0])).unwrap(),
        Outcome::Success(Value::Null)
    );
}

fn encode_err(idl: &Idl, method: &str, args: Value) -> String {
    idl.method(method)
        .unwrap()
        .encode_args(&args)
        .unwrap_err()
        .to_string()
}

#[test]
fn bad_input_names_the_field() {
    let idl = Idl::parse("all.thrift", ALL_TYPES).unwrap();
    let cases = [
        (json!({"all": {"i": "x"}}), "all.i: expected i32, got \"x\""),
        (
            json!({"all": {"y": 128}}),
            "all.y: 128 is out of range for byte",
        ),
        (
            json!({"all": {"ls": ["a", 1]}}),
            "all.ls[1]: expected string, got 1",
        ),
        (
            json!({"all": {"e": "C"}}),
            "all.e: \"C\" is not a value of enum E (A, B)",
        ),
        (
            json!({"all": {"u": {}}}),
            "all.u: union U needs exactly one field set, got 0",
        ),
        (json!({"all": {"u": {"s": "a", "n": 1}}}), "got 2"),
        (
            json!({"all": {"nope": 1}}),
            "all: unknown field \"nope\" in All (fields: b, y,",
        ),
        (
            json!({"al": {}}),
            "unknown field \"al\" in echo_args (fields: all, note)",
        ),
        (
            json!({"all": {"bin": "not base64!"}}),
            "all.bin: expected binary as base64",
        ),
        (
            json!({"all": {"mks": {"k": "v"}}}),
            "all.mks[\"k\"]: this map's keys are not strings",
        ),
        (
            json!({"all": {"llk": [[{"a": true}]]}}),
            "all.llk[0][0].a: expected i32, got true",
        ),
        (json!({"all": 5}), "all: expected an object for All, got 5"),
        (json!([1]), "expected an object for echo_args"),
    ];
    for (args, want) in cases {
        let got = encode_err(&idl, "S::echo", args.clone());
        assert!(
            got.contains(want),
            "{args}: {got:?} does not contain {want:?}"
        );
    }
    let rich = rich_idl();
    let got = encode_err(&rich, "Base::echoItem", json!({"item": {"name": "n"}}));
    assert!(
        got.contains("item: missing required field \"path\" of Item"),
        "{got}"
    );
    assert!(idl
        .method("S::nope")
        .unwrap_err()
        .contains("no method \"nope\" (methods: echo, nothing)"));
    assert!(idl
        .method("T::echo")
        .unwrap_err()
        .contains("no service \"T\""));
    assert!(idl.method("echo").unwrap_err().contains("Service::method"));
    // Inherited methods are found through the derived service.
    assert!(rich.method("Rich::check").is_ok());
}

#[test]
fn bad_bytes_do_not_panic() {
    let idl = rich_idl();
    let m = idl.method("Base::echoItem").unwrap();
    let good = m.encode_result(&Outcome::Success(item_json())).unwrap();
    for n in 0..good.len() {
        let _ = m.decode_result(good.slice(..n));
    }
    let mut flipped = good.to_vec();
    for i in 0..flipped.len() {
        flipped[i] ^= 0xff;
        let _ = m.decode_result(Bytes::from(flipped.clone()));
        flipped[i] ^= 0xff;
    }
    let err = m.decode_result(Bytes::from_static(&[0])).unwrap_err();
    assert!(err.to_string().contains("neither a success value"), "{err}");
}

#[test]
fn base64() {
    for n in 0..20u8 {
        let b: Vec<u8> = (0..n).map(|i| i.wrapping_mul(37)).collect();
        assert_eq!(base64_decode(&base64_encode(&b)).unwrap(), b);
    }
    assert_eq!(base64_encode(b"hi"), "aGk=");
    assert_eq!(base64_decode("aGk").unwrap(), b"hi");
    assert!(base64_decode("a").is_none());
    assert!(base64_decode("a b").is_none());
    // URL-safe as well as standard, padded or not.
    assert_eq!(base64_decode("-_8=").unwrap(), [0xfb, 0xff]);
    assert_eq!(base64_decode("+/8").unwrap(), [0xfb, 0xff]);
    assert!(base64_decode("+_8").is_none(), "one alphabet at a time");
}

#[test]
fn binary_forms() {
    let idl = Idl::parse("b.thrift", "struct B { 1: binary b }").unwrap();
    let bin = |v: serde_json::Value| {
        idl.encode_struct("B", &json!({ "b": v }))
            .map(|b| idl.decode_struct("B", b).unwrap()["b"].clone())
    };
    let want = json!(base64_encode(&[0, 0xab, 0xff]));
    assert_eq!(bin(json!({"hex": "00abff"})).unwrap(), want);
    assert_eq!(bin(json!({"hex": " 00ABff "})).unwrap(), want);
    assert_eq!(bin(json!({"base64": "AKv_"})).unwrap(), want);
    assert_eq!(bin(json!("AKv/")).unwrap(), want);
    for bad in [
        json!({"hex": "0"}),
        json!({"hex": "zz"}),
        json!({"base64": "A"}),
    ] {
        let err = bin(bad.clone()).unwrap_err();
        assert!(err.to_string().contains("is not"), "{bad}: {err}");
    }
}

#[test]
fn recursion_is_bounded() {
    let idl = Idl::parse("rec.thrift", "struct A { 1: optional A a }").unwrap();
    let mut v = json!({});
    for _ in 0..100 {
        v = json!({ "a": v });
    }
    let e = idl.encode_struct("A", &v).unwrap_err();
    assert!(e.to_string().contains("nested too deeply"), "{e}");
    let mut ok = json!({});
    for _ in 0..30 {
        ok = json!({ "a": ok });
    }
    let b = idl.encode_struct("A", &ok).unwrap();
    assert_eq!(idl.decode_struct("A", b).unwrap(), ok);
    // 100 levels of bytes: the decoder stops too.
    let mut deep = vec![];
    for _ in 0..100 {
        deep.extend_from_slice(&[12, 0, 1]);
    }
    deep.extend(std::iter::repeat_n(0u8, 101));
    assert!(idl.decode_struct("A", Bytes::from(deep)).is_err());
}
