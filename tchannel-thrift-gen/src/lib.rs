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
//! ...) get a trailing `_`, as do the client methods of IDL methods named like a client's own
//! item (`new`, `transport`, `client`, `runtime`: `KeyValueClient::new_` calls the IDL's `new`;
//! the server trait keeps `new`). IDL doc comments become rustdoc (clippy-clean: a line after a list item
//! continues it only when indented); items without one get a line naming the IDL item. A
//! comment that opens a file and is followed by a blank line is the file's doc
//! ([`GeneratedFile::doc`]), not its first type's. Generated code reaches the runtime only through
//! `tchannel_runtime::thrift`.
//!
//! - **struct / exception**: a struct with public fields. `required` and default-requiredness
//!   fields are plain `T` (a missing required field is a decode error naming struct and field;
//!   a missing default-requiredness field takes its IDL default, so "absent" and "default" read
//!   the same), `optional` fields are `Option<T>`. A field whose type contains the struct
//!   itself directly (not through a container) is `Option<Box<T>>`. `Default` applies the IDL
//!   defaults. Each field's doc ends with its id, requiredness and IDL default.
//! - **Derives**: `Debug`, `Clone`, `PartialEq` always; `Eq`, `Hash`, `PartialOrd`, `Ord` when
//!   no `double` or hash collection (`CollectionType::Hash`) is inside. **Adding a `double`
//!   field to a struct therefore removes `Eq`, `Hash` and `Ord`** (from it and from every type
//!   that contains it); the type's doc says so and names the field. A struct that is part of a
//!   set element or map key must have them, so its `double`s (and those of lists inside keys)
//!   are `OrderedF64` (ordered by `f64::total_cmp`, hashed by their bits): every IDL compiles
//!   with the default BTree collections. With `CollectionType::Hash`, a key that contains a
//!   hash collection is a located generator error. [`Options::ordered_doubles`] makes every
//!   `double` an `OrderedF64`, so that the derives never depend on the fields.
//! - **exception**: also `Display` (`NotFound: <message>` when it has a string `message`,
//!   `msg` or `why` field, else the IDL name and the fields that are set:
//!   `NotFound { key: "k", shard: 3 }`) and `std::error::Error`. Fields are written in
//!   field-id order, like Apache Thrift.
//! - **union**: an enum with one variant per field; decoding anything but exactly one known
//!   field set is an error.
//! - **enum**: a Rust enum plus `Unknown(i32)` (always that name; an IDL member `UNKNOWN`
//!   becomes `Unknown_`), so unknown wire values survive a round trip; `value()`,
//!   `from_value()`, `name()`. Equality, hashing and order go by the wire value, so a
//!   hand-made `Unknown(1)` equals the variant whose value is 1; `from_value` (and decoding)
//!   always gives the named variant.
//! - **typedef**: `pub type`. **const**: `pub const` for numbers, bools, enums, `&str` and
//!   `&[u8]`; a `LazyLock` static for containers and structs.
//! - **service `S`**: a module `s` with `<Method>Args` (a struct), `<Method>Result` (an enum:
//!   `Success(T)` or `Success` for `void`, plus one variant per declared exception, encoded as
//!   the TChannel thrift scheme's result struct: field 0 or the exception's field; every
//!   `ThriftValue` also states its exact `encoded_len`, so encoding allocates once) and, for
//!   methods that declare exceptions, `<Method>Error` (one variant per `throws` entry); a trait
//!   `S` with one method per IDL method,
//!   `fn m(&self, ctx: &RequestContext, args...) -> impl Future<Output = Result<T, Error<E>>> + Send`
//!   (`E` is `NoException` when nothing is declared), with `extends` as a supertrait; `SServer<T>`,
//!   a `tchannel_runtime::thrift::Service` dispatcher that answers `"S::method"` for its own and
//!   inherited methods (always under the leaf name `S`; its `serve` is an `async fn` the channel
//!   awaits unboxed, its `call` the same boxed); and `SClient<T: Transport>`, one `async`
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

/// How module `module` (a [`GeneratedFile::module`]) is written in Rust source: `r#const`
/// for a keyword, `self_` for one that cannot be raw, else as is.
///
/// ```
/// assert_eq!(tchannel_thrift_gen::module_ident("const"), "r#const");
/// assert_eq!(tchannel_thrift_gen::module_ident("shared"), "shared");
/// ```
pub fn module_ident(module: &str) -> String {
    names::ident(module).to_string()
}

/// Parses and checks one IDL file given as text. It may not include other files; use [`load`]
/// for that.
pub fn parse_str(path: impl AsRef<std::path::Path>, source: &str) -> Result<Program, Error> {
    load_str(path.as_ref(), source)
}
