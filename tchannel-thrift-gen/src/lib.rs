//! Thrift IDL parser and Rust code generator for tchannel-rs.
//!
//! [`parse_str`] and [`load`] turn IDL into a checked [`Program`]; [`generate`] turns a program
//! into Rust source, one module per IDL file. Most users want the `tchannel-build` crate, which
//! drives this from build.rs.
//!
//! ```
//! let program = tchannel_thrift_gen::parse_str(
//!     "service.thrift",
//!     "exception NotFoundError { 1: string key }\n\
//!      service KeyValue { string getValue(1: string key) throws (1: NotFoundError notFound) }",
//! )
//! .unwrap();
//! let files = tchannel_thrift_gen::generate(&program, &tchannel_thrift_gen::Options::default()).unwrap();
//! assert_eq!(files[0].module, "service");
//! assert!(files[0].code.contains("pub trait KeyValue"));
//! ```
#![deny(missing_docs)]

pub mod ast;
mod error;
mod gen;
mod names;
mod parser;
mod program;

pub use error::Error;
pub use gen::{generate, BinaryType, CollectionType, GeneratedFile, Options};
pub use program::{load, load_str, type_name, ConstTarget, File, Program, TypeDef};

/// Parses and checks one IDL file given as text. It may not include other files; use [`load`]
/// for that.
pub fn parse_str(path: impl AsRef<std::path::Path>, source: &str) -> Result<Program, Error> {
    load_str(path.as_ref(), source)
}
