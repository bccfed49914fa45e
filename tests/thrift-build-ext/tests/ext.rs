//! tchannel-build's prost-build-like options, checked on a crate that compiles their output.

use rt::thrift::ThriftStruct;
use thrift_build_ext::{ext, r#const};
use thrift_build_test::shared;

#[test]
fn type_and_field_attributes_are_applied() {
    let p = ext::Point { x: 1, y: 2 };
    assert_eq!(serde_json::to_string(&p).unwrap(), r#"{"X":1,"y":2}"#);
}

#[test]
fn extern_types_are_the_other_crates_types() {
    // `Holder.item` is thrift-build-test's `shared::SharedStruct`, not a copy.
    let item = shared::SharedStruct {
        key: 1,
        value: "v".to_string(),
        status: Some(shared::Status::Degraded),
    };
    let h = ext::Holder {
        item: item.clone(),
        limit: r#const::LIMIT,
    };
    let bytes = h.to_bytes();
    assert_eq!(ext::Holder::from_bytes(bytes).unwrap(), h);
    assert_eq!(ext::Holder::default().limit, 10);
}

/// `Ext` extends thrift-build-test's `SharedService`: its trait is the supertrait.
#[allow(dead_code)]
fn ext_extends_the_extern_service<T: ext::Ext>(t: &T) -> &dyn std::any::Any {
    fn is_shared<S: shared::SharedService>(_: &S) {}
    is_shared(t);
    &()
}

#[test]
fn a_module_named_after_a_keyword_is_raw() {
    assert_eq!(r#const::LIMIT, 10);
}
