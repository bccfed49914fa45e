//! Property tests over generated types: decode(encode(x)) == x, the encoded size a value
//! announces (`encoded_len`, which sizes its buffer) is the size written, and no input makes a
//! decoder panic.

use proptest::prelude::*;
use tchannel_runtime::thrift::{Bytes, ThriftStruct, ThriftValue};
use thrift_build_test::thrift_test::*;

fn xtruct() -> impl Strategy<Value = Xtruct> {
    (any::<String>(), any::<i8>(), any::<i32>(), any::<i64>()).prop_map(|(s, b, i, l)| Xtruct {
        string_thing: s,
        byte_thing: b,
        i32_thing: i,
        i64_thing: l,
    })
}

fn numberz() -> impl Strategy<Value = Numberz> {
    any::<i32>().prop_map(Numberz::from_value)
}

fn insanity() -> impl Strategy<Value = Insanity> {
    (
        proptest::collection::btree_map(numberz(), any::<i64>(), 0..4),
        proptest::collection::vec(xtruct(), 0..4),
    )
        .prop_map(|(user_map, xtructs)| Insanity { user_map, xtructs })
}

fn v2() -> impl Strategy<Value = VersioningTestV2> {
    (
        (
            any::<i32>(),
            any::<i32>(),
            any::<i8>(),
            any::<i16>(),
            any::<i64>(),
        ),
        (
            any::<f64>().prop_filter("NaN != NaN", |d| !d.is_nan()),
            any::<String>(),
            any::<i32>(),
        ),
        (
            proptest::collection::vec(any::<i32>(), 0..5),
            proptest::collection::btree_set(any::<i32>(), 0..5),
            proptest::collection::btree_map(any::<i32>(), any::<i32>(), 0..5),
        ),
        (any::<String>(), any::<i32>()),
    )
        .prop_map(
            |((a, b, c, d, e), (f, m, t), (l, s, mp), (st, end))| VersioningTestV2 {
                begin_in_both: a,
                newint: b,
                newbyte: c,
                newshort: d,
                newlong: e,
                newdouble: f,
                newstruct: Bonk {
                    message: m,
                    r#type: t,
                },
                newlist: l,
                newset: s,
                newmap: mp,
                newstring: st,
                end_in_both: end,
            },
        )
}

fn some_union() -> impl Strategy<Value = SomeUnion> {
    prop_oneof![
        any::<String>().prop_map(SomeUnion::StringThing),
        any::<i32>().prop_map(SomeUnion::I32Thing),
        insanity().prop_map(SomeUnion::InsanityThing),
        proptest::collection::btree_map(numberz(), any::<i64>(), 0..3)
            .prop_map(SomeUnion::MapThing),
    ]
}

fn crazy() -> impl Strategy<Value = CrazyNesting> {
    (
        any::<String>(),
        proptest::option::of(proptest::collection::btree_set(insanity(), 0..3)),
        proptest::collection::vec(any::<u8>(), 0..16),
    )
        .prop_map(|(s, set, bin)| CrazyNesting {
            string_field: s,
            set_field: set,
            list_field: vec![],
            binary_field: Bytes::from(bin),
        })
}

proptest! {
    #[test]
    fn insanity_round_trips(v in insanity()) {
        let b = v.to_bytes();
        prop_assert_eq!(v.encoded_len(), b.len());
        prop_assert_eq!(Insanity::from_bytes(b).unwrap(), v);
    }

    #[test]
    fn versioning_round_trips(v in v2()) {
        let b = v.to_bytes();
        prop_assert_eq!(v.encoded_len(), b.len());
        prop_assert_eq!(VersioningTestV2::from_bytes(b).unwrap(), v);
    }

    #[test]
    fn unions_round_trip(v in some_union()) {
        let b = v.to_bytes();
        prop_assert_eq!(v.encoded_len(), b.len());
        prop_assert_eq!(SomeUnion::from_bytes(b).unwrap(), v);
    }

    #[test]
    fn crazy_nesting_round_trips(v in crazy()) {
        let b = v.to_bytes();
        prop_assert_eq!(v.encoded_len(), b.len());
        prop_assert_eq!(CrazyNesting::from_bytes(b).unwrap(), v);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let b = Bytes::from(bytes);
        let _ = Insanity::from_bytes(b.clone());
        let _ = CrazyNesting::from_bytes(b.clone());
        let _ = SomeUnion::from_bytes(b.clone());
        let _ = LargeDeltas::from_bytes(b.clone());
        let _ = NestedListsBonk::from_bytes(b.clone());
        let _ = OptionalBinary::from_bytes(b);
    }

    #[test]
    fn mutated_encodings_never_panic(v in v2(), pos in any::<usize>(), byte in any::<u8>()) {
        let mut b = v.to_bytes().to_vec();
        let i = pos % b.len();
        b[i] = byte;
        let _ = VersioningTestV2::from_bytes(Bytes::from(b.clone()));
        b.truncate(i);
        prop_assert!(VersioningTestV2::from_bytes(Bytes::from(b)).is_err());
    }
}

#[test]
fn missing_required_field_is_named() {
    // StructB { 1: optional StructA aa; 2: required StructA ab } with only aa present.
    let bytes = Bytes::from_static(&[12, 0, 1, 11, 0, 1, 0, 0, 0, 0, 0, 0]);
    let err = StructB::from_bytes(bytes).unwrap_err();
    assert_eq!(err.to_string(), "StructB: required field `ab` is missing");
}

#[test]
fn unknown_enum_values_are_kept() {
    let v = Insanity {
        user_map: [(Numberz::from_value(42), 1)].into_iter().collect(),
        xtructs: vec![],
    };
    let back = Insanity::from_bytes(v.to_bytes()).unwrap();
    assert_eq!(back.user_map.keys().next().unwrap().value(), 42);
    assert_eq!(Numberz::from_value(5), Numberz::Five);
    assert_eq!(Numberz::Six.value(), 6);
}

#[test]
fn idl_defaults_apply() {
    let t = BoolTest::default();
    assert_eq!(t.b, Some(true));
    assert_eq!(t.s.as_deref(), Some("true"));
    assert_eq!(MY_NUMBERZ, Numberz::One);
}
