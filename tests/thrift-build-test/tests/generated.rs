//! Generated-code defects from issue 13, checked on code that really compiles.

use std::collections::BTreeSet;

use thrift_build_test::issue13::*;

#[test]
fn a_struct_with_doubles_can_be_a_set_element_and_a_map_key() {
    let p = Point {
        x: 1.5.into(),
        y: (-0.0).into(),
    };
    let mut shapes = Shapes::default();
    shapes.points.insert(p.clone());
    shapes.names.insert(p.clone(), "p".to_string());
    assert!(shapes.points.contains(&p));
    let set: BTreeSet<Point> = [p.clone(), p.clone()].into_iter().collect();
    assert_eq!(set.len(), 1);
}

#[test]
fn an_exception_displays_its_idl_name_once_and_its_fields() {
    let e = NotFound {
        key: "missing".to_string(),
        shard: None,
    };
    assert_eq!(e.to_string(), "NotFound { key: \"missing\" }");
    let e = NotFound {
        key: "k".to_string(),
        shard: Some(3),
    };
    assert_eq!(e.to_string(), "NotFound { key: \"k\", shard: 3 }");
    assert_eq!(Empty {}.to_string(), "Empty");
}

#[test]
fn an_unknown_value_equal_to_a_known_one_is_the_known_one() {
    use std::collections::hash_map::DefaultHasher;
    use std::hash::{Hash, Hasher};
    let hash = |c: Color| {
        let mut h = DefaultHasher::new();
        c.hash(&mut h);
        h.finish()
    };
    assert_eq!(Color::Unknown(1), Color::Red);
    assert_eq!(hash(Color::Unknown(1)), hash(Color::Red));
    assert_eq!(
        Color::Unknown(1).cmp(&Color::Red),
        std::cmp::Ordering::Equal
    );
    assert_eq!(Color::Unknown(1).name(), Some("RED"));
    assert!(Color::Unknown(0) < Color::Red);
    assert!(Color::Unknown(7) > Color::Green);
    assert_ne!(Color::Unknown(7), Color::Unknown(8));
    assert_eq!(Color::from_value(2), Color::Green);
    assert!(matches!(Color::from_value(9), Color::Unknown(9)));
}

#[test]
fn an_enum_with_an_unknown_member_uses_the_same_unknown_variant_name() {
    // Every enum's catch-all is `Unknown(i32)`; an IDL member `UNKNOWN` is `Unknown_`.
    assert_eq!(Level::Unknown_.value(), 0);
    assert_eq!(Level::Unknown_.name(), Some("UNKNOWN"));
    assert_eq!(Level::Unknown(5).value(), 5);
    assert_eq!(Color::Unknown(5).value(), 5);
}

#[test]
fn constants_and_typedefs_in_keys_use_ordered_doubles() {
    let origin = ORIGINS.iter().next().unwrap();
    assert_eq!((origin.x.0, origin.y.0), (0.0, 0.5));
    assert_eq!(SCALES.values().copied().collect::<Vec<_>>(), vec![3]);
    let mut paths = Paths::default();
    paths.named.insert(vec![1.0.into(), 2.0.into()]);
    assert_eq!(paths.named.len(), 1);
}

#[test]
fn with_ordered_doubles_a_struct_with_doubles_keeps_eq_hash_and_ord() {
    use thrift_build_test::ordered::*;
    fn total<T: Eq + std::hash::Hash + Ord>(_: &T) {}
    let m = Measure::default();
    total(&m);
    assert_eq!(m.value.0, 1.5);
    assert_eq!(HALF.0, 0.5);
    assert_eq!(
        STEPS.iter().map(|s| s.0).collect::<Vec<_>>(),
        vec![0.25, 0.5]
    );
    let set: BTreeSet<Measure> = [m.clone(), m].into_iter().collect();
    assert_eq!(set.len(), 1);
}

/// Client methods take strings (typedef'd ones too) as `impl Into<String>` and binary as
/// `impl Into<Bytes>`, so callers pass literals; optional arguments stay `Option<T>`.
#[test]
fn client_arguments_take_literals_and_owned_values() {
    use tchannel_runtime::thrift::{Bytes, Error, NoException, RequestContext};
    use thrift_build_test::support::{block_on, Loopback};

    struct Tagger;
    impl Blobs for Tagger {
        async fn tag(
            &self,
            _: &RequestContext,
            name: Name,
            data: Bytes,
            note: Option<String>,
            n: i32,
        ) -> Result<Bytes, Error<NoException>> {
            let note = note.unwrap_or_default();
            Ok(Bytes::from(format!("{name}:{}:{note}:{n}", data.len())))
        }
    }

    block_on(async {
        let client = BlobsClient::new(Loopback(BlobsServer::new(Tagger)));
        assert_eq!(
            client.tag("a", b"xyz".as_slice(), None, 1).await.unwrap(),
            "a:3::1"
        );
        let owned = String::from("b");
        let tagged = client
            .tag(owned, vec![0u8; 2], Some("hi".into()), 2)
            .await
            .unwrap();
        assert_eq!(tagged, "b:2:hi:2");
        assert_eq!(
            client
                .tag("c", Bytes::from_static(b"q"), None, 3)
                .await
                .unwrap(),
            "c:1::3"
        );
    });
}
