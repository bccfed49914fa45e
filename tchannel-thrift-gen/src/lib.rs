//! Thrift IDL parser and Rust code generator.
