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
//!
//! # What is generated
//!
//! One module per IDL file, named after the file in snake case; a file that includes `shared`
//! refers to its types as `super::shared::Type`, so the modules must be siblings. Names go
//! through heck (`getValue` becomes `get_value`, `key_value` becomes `KeyValue`); Rust keywords
//! are escaped (`r#type`, `self_`), and IDL types named like a prelude item (`Option`, `String`,
//! ...) get a trailing `_`. IDL doc comments become rustdoc; items without one get a line naming
//! the IDL item. Generated code reaches the runtime only through
//! `tchannel_runtime::thrift`.
//!
//! - **struct / exception**: a struct with public fields. `required` and default-requiredness
//!   fields are plain `T` (a missing required field is a decode error naming struct and field;
//!   a missing default-requiredness field takes its IDL default), `optional` fields are
//!   `Option<T>`. A field whose type contains the struct itself directly (not through a
//!   container) is `Option<Box<T>>`. `Default` applies the IDL defaults. `Debug`, `Clone`,
//!   `PartialEq` always; `Eq`, `Hash`, `PartialOrd`, `Ord` when no `double` (outside map keys and
//!   set elements, which use `OrderedF64`) or hash container is inside. Exceptions also implement
//!   `Display` and `std::error::Error`. Fields are written in field-id order, like Apache Thrift.
//! - **union**: an enum with one variant per field; decoding anything but exactly one known
//!   field set is an error.
//! - **enum**: a Rust enum plus `Unknown(i32)`, so unknown wire values survive a round trip;
//!   `value()`, `from_value()`, `name()`.
//! - **typedef**: `pub type`. **const**: `pub const` for numbers, bools, enums, `&str` and
//!   `&[u8]`; a `LazyLock` static for containers and structs.
//! - **service `S`**: a module `s` with `<Method>Args` (a struct), `<Method>Result` (an enum:
//!   `Success(T)` or `Success` for `void`, plus one variant per declared exception, encoded as
//!   the TChannel thrift scheme's result struct: field 0 or the exception's field) and, for
//!   methods that declare exceptions, `<Method>Error` (one variant per `throws` entry); a trait
//!   `S` with one method per IDL method,
//!   `fn m(&self, ctx: &RequestContext, args...) -> impl Future<Output = Result<T, Error<E>>> + Send`
//!   (`E` is `NoException` when nothing is declared), with `extends` as a supertrait; `SServer<T>`,
//!   a `tchannel_runtime::thrift::Service` dispatcher that answers `"S::method"` for its own and
//!   inherited methods (always under the leaf name `S`); and `SClient<T: Transport>`, one `async`
//!   method per method, inherited ones included.
//! - **oneway**: TChannel has no one-way calls (tchannel-python rejects them), so a `oneway`
//!   method is an ordinary call returning `()`: the server sends the empty result and the client
//!   waits for it. This is what a caller of a TChannel service can rely on, and it is documented
//!   on each such method.
//!
//! # Leniency
//!
//! Apache Thrift 0.17 requires a type used in a `const` to be declared before the `const`;
//! this parser resolves names across the whole file, so it accepts such forward references.
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
