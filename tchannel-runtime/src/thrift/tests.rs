//! Codec tests: exact bytes, bounds, and never panicking on any input.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use proptest::prelude::*;

use super::*;

fn enc<T: ThriftValue>(v: &T) -> Vec<u8> {
    let mut w = Writer::new();
    v.write(&mut w);
    w.into_bytes().to_vec()
}

fn dec<T: ThriftValue>(b: &[u8]) -> Result<T, DecodeError> {
    T::read(&mut Reader::new(Bytes::copy_from_slice(b)))
}

#[test]
fn base_types_are_big_endian() {
    assert_eq!(enc(&true), [1]);
    assert_eq!(enc(&-1i8), [0xff]);
    assert_eq!(enc(&0x0102i16), [1, 2]);
    assert_eq!(enc(&-2i32), [0xff, 0xff, 0xff, 0xfe]);
    assert_eq!(enc(&1i64), [0, 0, 0, 0, 0, 0, 0, 1]);
    assert_eq!(enc(&1.0f64), [0x3f, 0xf0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(enc(&"ab".to_string()), [0, 0, 0, 2, b'a', b'b']);
    assert_eq!(enc(&Bytes::from_static(b"\x00")), [0, 0, 0, 1, 0]);
}

#[test]
fn containers_match_tbinaryprotocol() {
    assert_eq!(enc(&vec![7i16]), [6, 0, 0, 0, 1, 0, 7]);
    let m: BTreeMap<i8, bool> = [(1, true)].into_iter().collect();
    assert_eq!(enc(&m), [3, 2, 0, 0, 0, 1, 1, 1]);
    let s: BTreeSet<i8> = [5].into_iter().collect();
    assert_eq!(enc(&s), [3, 0, 0, 0, 1, 5]);
    let h: HashMap<String, i32> = HashMap::new();
    assert_eq!(enc(&h), [11, 8, 0, 0, 0, 0]);
    // An empty container with element type 0 (some encoders write that) still decodes.
    assert_eq!(
        dec::<Vec<i32>>(&[0, 0, 0, 0, 0]).unwrap(),
        Vec::<i32>::new()
    );
}

#[test]
fn binary_is_zero_copy() {
    let input = Bytes::from_static(b"\x00\x00\x00\x03abc");
    let out = Bytes::read(&mut Reader::new(input.clone())).unwrap();
    assert_eq!(&out[..], b"abc");
    assert_eq!(out.as_ptr(), input[4..].as_ptr());
}

#[test]
fn errors_are_reported_not_panicked() {
    assert_eq!(
        dec::<i32>(&[0, 0]).unwrap_err().kind(),
        &DecodeErrorKind::UnexpectedEof
    );
    assert_eq!(
        dec::<String>(&[0xff, 0xff, 0xff, 0xff]).unwrap_err().kind(),
        &DecodeErrorKind::NegativeSize(-1)
    );
    assert_eq!(
        dec::<String>(&[0, 0, 0, 2, 0xc3, 0x28]).unwrap_err().kind(),
        &DecodeErrorKind::InvalidUtf8
    );
    // A count of 2^31-1 i64s in 10 bytes is rejected before any allocation.
    assert_eq!(
        dec::<Vec<i64>>(&[10, 0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0])
            .unwrap_err()
            .kind(),
        &DecodeErrorKind::SizeTooLarge(0x7fff_ffff)
    );
    assert_eq!(
        dec::<Vec<i32>>(&[10, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0])
            .unwrap_err()
            .kind(),
        &DecodeErrorKind::WrongElementType {
            expected: 8,
            found: 10
        }
    );
}

#[test]
fn skip_handles_every_type_and_bounds_depth() {
    // struct { 1: list<map<string, struct{}>> } then a trailing i32.
    let mut w = Writer::new();
    w.write_field_begin(TType::List, 1);
    w.write_list_begin(TType::Map, 1);
    w.write_map_begin(TType::String, TType::Struct, 1);
    w.write_string("k");
    w.write_field_begin(TType::Double, 9);
    w.write_double(2.5);
    w.write_field_stop();
    w.write_field_stop();
    w.write_i32(99);
    let mut r = Reader::new(w.into_bytes());
    r.skip(TType::Struct).unwrap();
    assert_eq!(r.read_i32().unwrap(), 99);

    // 100 nested lists of lists.
    let mut deep = Vec::new();
    for _ in 0..100 {
        deep.extend_from_slice(&[15, 0, 0, 0, 1]);
    }
    deep.extend_from_slice(&[8, 0, 0, 0, 0]);
    let mut r = Reader::new(Bytes::from(deep));
    assert_eq!(
        r.skip(TType::List).unwrap_err().kind(),
        &DecodeErrorKind::DepthLimit
    );
}

#[test]
fn decode_error_names_the_path() {
    let e = DecodeError::new(DecodeErrorKind::UnexpectedEof)
        .in_field("Inner", "name")
        .in_field("Outer", "inner");
    assert_eq!(
        e.to_string(),
        "Outer.inner: Inner.name: unexpected end of input"
    );
    assert_eq!(
        e.innermost(),
        Some(&FieldPath {
            strukt: "Inner",
            field: "name"
        })
    );
}

proptest! {
    #[test]
    fn skip_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..256), ty in 0u8..16) {
        if let Some(t) = TType::from_u8(ty) {
            let _ = Reader::new(Bytes::from(bytes.clone())).skip(t);
        }
        let _ = dec::<Vec<BTreeMap<String, Vec<i64>>>>(&bytes);
        let _ = dec::<HashMap<OrderedF64, BTreeSet<Bytes>>>(&bytes);
    }

    #[test]
    fn containers_round_trip(v in proptest::collection::vec(
        proptest::collection::btree_map(any::<String>(), any::<i64>(), 0..4), 0..4)) {
        let b = enc(&v);
        prop_assert_eq!(v.encoded_len(), b.len());
        prop_assert_eq!(dec::<Vec<BTreeMap<String, i64>>>(&b).unwrap(), v);
    }
}

/// `encoded_len` is the size `write` writes, for every built-in type: it sizes the buffer of
/// `ThriftStruct::to_bytes`.
#[test]
fn encoded_len_is_the_written_size() {
    fn check<T: ThriftValue>(v: T) {
        assert_eq!(
            v.encoded_len(),
            enc(&v).len(),
            "{}",
            std::any::type_name::<T>()
        );
    }
    check(true);
    check(-1i8);
    check(2i16);
    check(3i32);
    check(4i64);
    check(0.5f64);
    check(OrderedF64(1.5));
    check(String::from("héllo"));
    check(Bytes::from_static(b"abc"));
    check(vec![1u8, 2, 3]);
    check(Box::new(7i32));
    check(vec![vec![1i16, 2], vec![]]);
    check([1i32, 2].into_iter().collect::<BTreeSet<_>>());
    check(
        [Bytes::from_static(b"x")]
            .into_iter()
            .collect::<HashSet<_>>(),
    );
    check(
        [(String::from("k"), vec![1i64])]
            .into_iter()
            .collect::<BTreeMap<_, _>>(),
    );
    check([(1i8, 0.25f64)].into_iter().collect::<HashMap<_, _>>());
}

#[test]
fn read_string_checks_utf8_at_every_position_and_length() {
    // The ASCII fast path ORs eight bytes at a time: a non-ASCII byte in any lane, in the
    // tail, or none at all must decode exactly as `str::from_utf8` says.
    for len in 0..40usize {
        for at in 0..=len {
            for bad in [&[0xC3u8, 0xA9][..], &[0x80][..], &[0xFF][..]] {
                let mut s = vec![b'a'; len];
                if at < len {
                    s.splice(at..at + 1, bad.iter().copied());
                }
                let mut w = Writer::new();
                w.write_binary(&s);
                let mut r = Reader::new(w.into_bytes());
                match std::str::from_utf8(&s) {
                    Ok(want) => assert_eq!(r.read_string().unwrap(), want, "{s:?}"),
                    Err(_) => assert!(
                        matches!(
                            r.read_string().unwrap_err().kind(),
                            DecodeErrorKind::InvalidUtf8
                        ),
                        "{s:?}"
                    ),
                }
            }
        }
    }
}
