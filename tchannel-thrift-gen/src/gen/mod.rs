//! Rust code generation: one module of Rust source per IDL file.
//!
//! This module holds the options, the name and type resolution every part shares (`Gen`,
//! `rty`, derives' orderability, name collisions) and the per-file driver; what is generated
//! for each kind of definition lives in `types` (typedefs, enums), `structs` (structs,
//! exceptions, unions), `consts` (constant values), `services` (per-method types, server
//! trait, dispatcher, clients) and `docs` (rustdoc from IDL comments).

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use crate::ast::*;
use crate::error::Error;
use crate::names::{camel, dedup, ident, shouty, snake};
use crate::program::{ConstTarget, Program, TypeDef};
use quote::ToTokens;

mod consts;
mod docs;
mod services;
mod structs;
mod types;

use docs::{docs, docs_or, field_doc};

/// The Rust type used for Thrift `binary`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BinaryType {
    /// `bytes::Bytes` (decoding slices the input without copying).
    #[default]
    Bytes,
    /// `Vec<u8>`.
    VecU8,
}

/// The Rust types used for Thrift `map` and `set`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CollectionType {
    /// `BTreeMap` / `BTreeSet`: ordered, and lets generated types derive `Eq`, `Hash` and `Ord`.
    #[default]
    BTree,
    /// `HashMap` / `HashSet`.
    Hash,
}

/// What to generate and how.
#[derive(Debug, Clone)]
pub struct Options {
    /// Generate server traits and dispatchers.
    pub server: bool,
    /// Generate clients.
    pub client: bool,
    /// The Rust type for `binary`.
    pub binary: BinaryType,
    /// The Rust type for `map`.
    pub map: CollectionType,
    /// The Rust type for `set`.
    pub set: CollectionType,
    /// Extra attributes, each put on the types whose path matches: `.` matches every type,
    /// `module` every type of one IDL file, `module.Type` one type (IDL names, `module` being
    /// the IDL file name without `.thrift`).
    pub type_attributes: Vec<(String, String)>,
    /// Extra attributes for fields: `module.Type.field` one field, `module.Type` every field
    /// of a struct, exception or union, `module` or `.` every field (IDL names).
    pub field_attributes: Vec<(String, String)>,
    /// The path generated code reaches the runtime by (default `::tchannel_runtime`); set it
    /// when the dependency is renamed (`rt = { package = "tchannel-runtime" }`: `::rt`) or
    /// re-exported by another crate.
    pub runtime_path: String,
    /// Every `double` is `OrderedF64` (ordered by `f64::total_cmp`, hashed by its bits), so
    /// every generated type derives `Eq`, `Hash` and `Ord` and adding a `double` field
    /// removes none of them (default: off; doubles are `f64` except in set elements and map
    /// keys).
    pub ordered_doubles: bool,
    /// IDL modules (file names without `.thrift`) whose code exists elsewhere, with the Rust
    /// path of that module (`("shared", "::common::shared")`): no code is generated for them,
    /// and code that uses their types refers to that path.
    pub extern_paths: Vec<(String, String)>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            server: true,
            client: true,
            binary: BinaryType::Bytes,
            map: CollectionType::BTree,
            set: CollectionType::BTree,
            type_attributes: Vec::new(),
            field_attributes: Vec::new(),
            runtime_path: "::tchannel_runtime".to_string(),
            ordered_doubles: false,
            extern_paths: Vec::new(),
        }
    }
}

/// Generated Rust source for one IDL file.
#[derive(Debug, Clone)]
pub struct GeneratedFile {
    /// The IDL file it came from.
    pub idl: PathBuf,
    /// The module name (the IDL file name without `.thrift`, snake case); the file is written
    /// as `<module>.rs`.
    pub module: String,
    /// The formatted source.
    pub code: String,
    /// The IDL file's own doc comment (see [`crate::ast::Document::doc`]), for the module
    /// that includes the code; it is not in `code`.
    pub doc: Option<String>,
}

/// Generates Rust for every file of `program`.
pub fn generate(program: &Program, options: &Options) -> Result<Vec<GeneratedFile>, Error> {
    let g = Gen::new(program, options)?;
    let mut out = Vec::new();
    for idx in 0..program.files.len() {
        if g.externs[idx].is_some() {
            continue;
        }
        let tokens = g.file(idx)?;
        let f = &program.files[idx];
        let syntax = syn::parse2::<syn::File>(tokens).map_err(|e| {
            Error::file(
                &f.path,
                format!("internal error: generated code does not parse: {e}"),
            )
        })?;
        out.push(GeneratedFile {
            idl: f.path.clone(),
            module: g.modules[idx].clone(),
            code: prettyplease::unparse(&syntax),
            doc: f.doc.doc.clone(),
        });
    }
    Ok(out)
}

/// Generated code reaches the runtime through this alias, imported at the top of each module.
fn rt() -> TokenStream {
    quote!(_thrift)
}

/// The import that [`rt`] relies on: `<runtime_path>::thrift`.
fn rt_import(runtime: &TokenStream) -> TokenStream {
    quote! {
        #[allow(unused_imports)]
        use #runtime::thrift as _thrift;
    }
}

/// `text` as a Rust path, or an error naming the option it came from.
fn rust_path(p: &Program, option: &str, text: &str) -> Result<TokenStream, Error> {
    match syn::parse_str::<syn::Path>(text) {
        Ok(path) => Ok(path.into_token_stream()),
        Err(e) => Err(Error::file(
            &p.files[p.root()].path,
            format!("{option} `{text}` is not a Rust path: {e}"),
        )),
    }
}

/// Names of the Rust prelude that generated code uses unqualified; IDL types with these names
/// get a trailing `_`.
const PRELUDE: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Default",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "From",
    "Into",
    "Iterator",
    "IntoIterator",
    "Extend",
    "ToString",
    "ToOwned",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "AsRef",
    "AsMut",
    "FromIterator",
    "TryFrom",
    "TryInto",
    "Unpin",
];

fn supers(n: usize) -> TokenStream {
    let s = (0..n).map(|_| quote!(super::));
    quote!(#(#s)*)
}

type Key = (usize, String);

/// A located error when two IDL names of one scope become the same Rust name (`fooBar` and
/// `foo_bar` are both `foo_bar`), so that no name silently gets a `_` that depends on the
/// order of declarations. `names`: the Rust name, the IDL name and where it is.
fn unique<'n>(
    p: &Program,
    file: usize,
    what: &str,
    names: impl IntoIterator<Item = (String, &'n str, Span)>,
) -> Result<(), Error> {
    let mut seen: HashMap<String, (&str, Span)> = HashMap::new();
    for (rust, idl, span) in names {
        if let Some((first, at)) = seen.get(&rust) {
            let f = &p.files[file];
            return Err(Error::at(
                &f.path,
                &f.source,
                span,
                format!(
                    "{what} `{idl}` and `{first}` (line {}) are both `{rust}` in Rust; \
                     rename one",
                    at.line
                ),
            ));
        }
        seen.insert(rust, (idl, span));
    }
    Ok(())
}

/// A located error when a method of `s` has the Rust name of a method it inherits (the
/// client and the dispatcher of `s` have both).
fn inherited_unique(p: &Program, file: usize, s: &Service) -> Result<(), Error> {
    let mut inherited: HashMap<String, (usize, &Service, &Function)> = HashMap::new();
    let mut cur = (file, s);
    let mut depth = 0;
    while let Some((base, _)) = &cur.1.extends {
        match p.lookup_service(cur.0, base) {
            Some((bf, bs)) if depth < 64 => {
                for m in &bs.functions {
                    inherited.entry(snake(&m.name)).or_insert((bf, bs, m));
                }
                cur = (bf, bs);
                depth += 1;
            }
            _ => break,
        }
    }
    for m in &s.functions {
        if let Some((bf, bs, bm)) = inherited.get(&snake(&m.name)) {
            let f = &p.files[file];
            return Err(Error::at(
                &f.path,
                &f.source,
                m.span,
                format!(
                    "method `{}` and `{}.{}` that `{}` inherits ({}:{}) are both `{}` in Rust; \
                     rename one",
                    m.name,
                    bs.name,
                    bm.name,
                    s.name,
                    p.files[*bf].path.display(),
                    bm.span.line,
                    snake(&m.name)
                ),
            ));
        }
    }
    Ok(())
}

/// Checks every scope of `p` with [`unique`].
fn check_collisions(p: &Program) -> Result<(), Error> {
    let mut modules: HashMap<String, &std::path::Path> = HashMap::new();
    for f in &p.files {
        if let Some(other) = modules.insert(snake(&f.name), &f.path) {
            if other != f.path {
                return Err(Error::file(
                    &f.path,
                    format!(
                        "this file and {} are both module `{}` in Rust; rename one",
                        other.display(),
                        snake(&f.name)
                    ),
                ));
            }
        }
    }
    for (idx, f) in p.files.iter().enumerate() {
        let defs = &f.doc.definitions;
        unique(
            p,
            idx,
            "type",
            defs.iter()
                .filter(|d| !matches!(d, Definition::Const(_)))
                .map(|d| (camel(d.name()), d.name(), d.span())),
        )?;
        unique(
            p,
            idx,
            "constant",
            defs.iter()
                .filter(|d| matches!(d, Definition::Const(_)))
                .map(|d| (shouty(d.name()), d.name(), d.span())),
        )?;
        for d in defs {
            match d {
                Definition::Enum(e) => unique(
                    p,
                    idx,
                    "enum member",
                    e.values.iter().map(|v| (camel(&v.name), &*v.name, v.span)),
                )?,
                Definition::Struct(s) if s.kind == StructKind::Union => unique(
                    p,
                    idx,
                    "field",
                    s.fields.iter().map(|f| (camel(&f.name), &*f.name, f.span)),
                )?,
                Definition::Struct(s) => unique(
                    p,
                    idx,
                    "field",
                    s.fields.iter().map(|f| (snake(&f.name), &*f.name, f.span)),
                )?,
                Definition::Service(s) => {
                    inherited_unique(p, idx, s)?;
                    unique(
                        p,
                        idx,
                        "method",
                        s.functions
                            .iter()
                            .map(|m| (camel(&m.name), &*m.name, m.span)),
                    )?;
                    for m in &s.functions {
                        unique(
                            p,
                            idx,
                            "argument",
                            m.args.iter().map(|a| (snake(&a.name), &*a.name, a.span)),
                        )?;
                        unique(
                            p,
                            idx,
                            "exception",
                            m.throws.iter().map(|t| (camel(&t.name), &*t.name, t.span)),
                        )?;
                    }
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// A struct-like type to generate: a struct, union or exception, or a method's args struct.
struct StructSpec<'s> {
    /// The file whose types the fields refer to.
    file: usize,
    /// The IDL name (used in decode errors and `ThriftStruct::NAME`).
    idl: &'s str,
    /// The Rust name.
    name: &'s str,
    fields: &'s [Field],
    /// Module depth the type is generated at (0: the file's module, 1: a service module).
    depth: usize,
    doc: TokenStream,
    attrs: TokenStream,
}

struct Gen<'a> {
    p: &'a Program,
    o: &'a Options,
    modules: Vec<String>,
    /// IDL type name -> Rust type name, per file.
    types: Vec<HashMap<String, String>>,
    /// Struct -> structs it embeds directly (not through a container).
    embeds: HashMap<Key, Vec<Key>>,
    attrs: Vec<(String, TokenStream)>,
    field_attrs: Vec<(String, TokenStream)>,
    /// `<runtime_path>`, parsed.
    runtime: TokenStream,
    /// Per file: the path of its module in another crate, when its code is not generated.
    externs: Vec<Option<TokenStream>>,
    /// Structs reached from a set element or a map key (directly or through fields and
    /// containers): they must be `Eq + Hash + Ord`, so their `double`s are `OrderedF64`.
    ordered: HashSet<Key>,
    /// The file whose module is being generated.
    current: std::cell::Cell<usize>,
}

impl<'a> Gen<'a> {
    fn new(p: &'a Program, o: &'a Options) -> Result<Self, Error> {
        check_collisions(p)?;
        let modules = dedup(p.files.iter().map(|f| snake(&f.name)).collect(), &[]);
        let mut types = Vec::new();
        let mut embeds = HashMap::new();
        for (idx, f) in p.files.iter().enumerate() {
            let defs: Vec<&Definition> = f
                .doc
                .definitions
                .iter()
                .filter(|d| !matches!(d, Definition::Const(_) | Definition::Service(_)))
                .collect();
            let services: Vec<String> = f
                .doc
                .definitions
                .iter()
                .filter_map(|d| match d {
                    Definition::Service(s) => Some(camel(&s.name)),
                    _ => None,
                })
                .collect();
            // Services take their name and `<Name>Server` / `<Name>Client` first.
            let mut taken: Vec<String> = PRELUDE.iter().map(|s| s.to_string()).collect();
            for s in &services {
                taken.push(s.clone());
                taken.push(format!("{s}Server"));
                taken.push(format!("{s}Client"));
            }
            let taken_ref: Vec<&str> = taken.iter().map(String::as_str).collect();
            let names = dedup(defs.iter().map(|d| camel(d.name())).collect(), &taken_ref);
            types.push(
                defs.iter()
                    .zip(names)
                    .map(|(d, n)| (d.name().to_string(), n))
                    .collect(),
            );
            for d in &f.doc.definitions {
                if let Definition::Struct(s) = d {
                    let mut out = Vec::new();
                    for field in &s.fields {
                        if let (fi, Type::Named(n, _)) = p.resolve(idx, &field.ty) {
                            if let Some((ti, TypeDef::Struct(t))) = p.lookup_type(fi, n) {
                                out.push((ti, t.name.clone()));
                            }
                        }
                    }
                    embeds.insert((idx, s.name.clone()), out);
                }
            }
        }
        let mut attrs = Vec::new();
        for (path, attr) in &o.type_attributes {
            let tokens: TokenStream = attr.parse().map_err(|e| {
                Error::file(
                    &p.files[p.root()].path,
                    format!("type attribute `{attr}` for `{path}` is not valid Rust: {e}"),
                )
            })?;
            attrs.push((path.clone(), tokens));
        }
        let mut field_attrs = Vec::new();
        for (path, attr) in &o.field_attributes {
            let tokens: TokenStream = attr.parse().map_err(|e| {
                Error::file(
                    &p.files[p.root()].path,
                    format!("field attribute `{attr}` for `{path}` is not valid Rust: {e}"),
                )
            })?;
            field_attrs.push((path.clone(), tokens));
        }
        let runtime = rust_path(p, "runtime_path", &o.runtime_path)?;
        let mut externs = Vec::new();
        for f in &p.files {
            externs.push(match o.extern_paths.iter().find(|(m, _)| *m == f.name) {
                Some((_, path)) => Some(rust_path(p, "extern_path", path)?),
                None => None,
            });
        }
        let mut g = Gen {
            p,
            o,
            modules,
            types,
            embeds,
            attrs,
            field_attrs,
            runtime,
            externs,
            ordered: HashSet::new(),
            current: std::cell::Cell::new(0),
        };
        g.ordered = g.ordered_structs()?;
        Ok(g)
    }

    /// The structs that must be `Eq + Hash + Ord` because a set element or map key contains
    /// them, or a located error for a key that cannot be (it contains a hash collection).
    fn ordered_structs(&self) -> Result<HashSet<Key>, Error> {
        let mut ordered = HashSet::new();
        for (idx, f) in self.p.files.iter().enumerate() {
            for d in &f.doc.definitions {
                let mut fields: Vec<&Field> = Vec::new();
                let mut types: Vec<(&Type, Span)> = Vec::new();
                match d {
                    Definition::Struct(s) => fields.extend(&s.fields),
                    Definition::Typedef(t) => types.push((&t.ty, t.span)),
                    Definition::Const(c) => types.push((&c.ty, c.span)),
                    Definition::Service(s) => {
                        for func in &s.functions {
                            fields.extend(&func.args);
                            fields.extend(&func.throws);
                            if let Some(r) = &func.returns {
                                types.push((r, func.span));
                            }
                        }
                    }
                    Definition::Enum(_) => {}
                }
                types.extend(fields.iter().map(|f| (&f.ty, f.span)));
                for (ty, span) in types {
                    self.mark_ordered(idx, ty, false, span, &mut ordered)?;
                }
            }
        }
        Ok(ordered)
    }

    fn mark_ordered(
        &self,
        file: usize,
        ty: &Type,
        key: bool,
        span: Span,
        ordered: &mut HashSet<Key>,
    ) -> Result<(), Error> {
        let (fi, ty) = self.p.resolve(file, ty);
        let hash_key = |what: &str| {
            self.err(
                file,
                span,
                format!(
                    "a set element or map key contains a {what}, which has no order or hash \
                     (use BTree collections, the default, for this IDL)"
                ),
            )
        };
        match ty {
            Type::List(t) => self.mark_ordered(fi, t, key, span, ordered),
            Type::Set(t) => {
                if key && self.o.set == CollectionType::Hash {
                    return Err(hash_key("set (`HashSet`)"));
                }
                self.mark_ordered(fi, t, true, span, ordered)
            }
            Type::Map(k, v) => {
                if key && self.o.map == CollectionType::Hash {
                    return Err(hash_key("map (`HashMap`)"));
                }
                self.mark_ordered(fi, k, true, span, ordered)?;
                self.mark_ordered(fi, v, key, span, ordered)
            }
            Type::Named(n, _) if key => {
                if let Some((ti, TypeDef::Struct(s))) = self.p.lookup_type(fi, n) {
                    if ordered.insert((ti, s.name.clone())) {
                        for f in &s.fields {
                            self.mark_ordered(ti, &f.ty, true, f.span, ordered)?;
                        }
                    }
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Whether the fields of struct `name` of `file` are written with `OrderedF64` doubles.
    fn is_ordered(&self, file: usize, name: &str) -> bool {
        self.o.ordered_doubles || self.ordered.contains(&(file, name.to_string()))
    }

    fn err(&self, file: usize, span: Span, msg: impl Into<String>) -> Error {
        let f = &self.p.files[file];
        Error::at(&f.path, &f.source, span, msg)
    }

    fn user_field_attrs(&self, file: usize, ty: &str, field: &str) -> TokenStream {
        let module = &self.p.files[file].name;
        let of_type = format!("{module}.{ty}");
        let full = format!("{of_type}.{field}");
        let matching = self
            .field_attrs
            .iter()
            .filter(|(p, _)| p == "." || p == module || *p == of_type || *p == full)
            .map(|(_, t)| t);
        quote!(#(#matching)*)
    }

    fn user_attrs(&self, file: usize, name: &str) -> TokenStream {
        let module = &self.p.files[file].name;
        let full = format!("{module}.{name}");
        let matching = self
            .attrs
            .iter()
            .filter(|(p, _)| p == "." || p == module || *p == full)
            .map(|(_, t)| t);
        quote!(#(#matching)*)
    }

    /// Whether struct `to` embeds `from` directly or through other structs (so a field of type
    /// `to` in `from` must be boxed).
    fn reaches(&self, to: &Key, from: &Key) -> bool {
        let mut seen = HashSet::new();
        let mut stack = vec![to.clone()];
        while let Some(k) = stack.pop() {
            if &k == from {
                return true;
            }
            if seen.insert(k.clone()) {
                if let Some(next) = self.embeds.get(&k) {
                    stack.extend(next.iter().cloned());
                }
            }
        }
        false
    }

    fn needs_box(&self, file: usize, owner: &str, ty: &Type) -> bool {
        if let (fi, Type::Named(n, _)) = self.p.resolve(file, ty) {
            if let Some((ti, TypeDef::Struct(t))) = self.p.lookup_type(fi, n) {
                return self.reaches(&(ti, t.name.clone()), &(file, owner.to_string()));
            }
        }
        false
    }

    /// Why values of `ty` cannot derive `Eq`, `Hash` and `Ord` (`None`: they can). `key`
    /// is set inside a set element or map key, where `double` is `OrderedF64`.
    fn unorderable(
        &self,
        file: usize,
        ty: &Type,
        key: bool,
        seen: &mut HashSet<Key>,
    ) -> Option<&'static str> {
        let (fi, rt) = self.p.resolve(file, ty);
        match rt {
            Type::Double if !key && !self.o.ordered_doubles => Some("a `double` (`f64`)"),
            Type::Map(k, v) => {
                if self.o.map == CollectionType::Hash {
                    return Some("a `map` (`HashMap`)");
                }
                self.unorderable(fi, k, true, seen)
                    .or_else(|| self.unorderable(fi, v, key, seen))
            }
            Type::Set(t) => {
                if self.o.set == CollectionType::Hash {
                    return Some("a `set` (`HashSet`)");
                }
                self.unorderable(fi, t, true, seen)
            }
            Type::List(t) => self.unorderable(fi, t, key, seen),
            Type::Named(n, _) => match self.p.lookup_type(fi, n) {
                Some((ti, TypeDef::Struct(s))) => {
                    if !seen.insert((ti, s.name.clone())) {
                        return None;
                    }
                    let key = key || self.is_ordered(ti, &s.name);
                    s.fields
                        .iter()
                        .find_map(|f| self.unorderable(ti, &f.ty, key, seen))
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// Whether `ty` is a `Copy` base type or an enum (its constants are cheap literals).
    fn is_scalar(&self, file: usize, ty: &Type) -> bool {
        match self.p.resolve(file, ty) {
            (_, Type::Bool | Type::I8 | Type::I16 | Type::I32 | Type::I64 | Type::Double) => true,
            (fi, Type::Named(n, _)) => {
                matches!(self.p.lookup_type(fi, n), Some((_, TypeDef::Enum(_))))
            }
            _ => false,
        }
    }

    /// Why a struct-like type with `fields` cannot derive `Eq`, `Hash` and `Ord`: the first
    /// field that prevents it, and what it contains. `ordered`: its doubles are `OrderedF64`.
    fn struct_unorderable(
        &self,
        file: usize,
        fields: &[Field],
        ordered: bool,
    ) -> Option<(String, &'static str)> {
        let mut seen = HashSet::new();
        fields.iter().find_map(|f| {
            self.unorderable(file, &f.ty, ordered, &mut seen)
                .map(|why| (f.name.clone(), why))
        })
    }

    /// The path of a named definition of file `target`, as seen from code in file `from` at
    /// module depth `depth` (0 = the file's module, 1 = a service module inside it).
    fn def_path(&self, from: usize, target: usize, rust_name: &str, depth: usize) -> TokenStream {
        let name = format_ident!("{}", rust_name);
        if from == target {
            let s = supers(depth);
            quote!(#s #name)
        } else {
            let m = self.file_mod(target, depth);
            quote!(#m::#name)
        }
    }

    /// The path of the module of file `target` from code at module depth `depth` of another
    /// file: its [`Options::extern_paths`] entry, or the sibling module `super::<module>`.
    fn file_mod(&self, target: usize, depth: usize) -> TokenStream {
        match &self.externs[target] {
            Some(path) => path.clone(),
            None => {
                let s = supers(depth + 1);
                let m = ident(&self.modules[target]);
                quote!(#s #m)
            }
        }
    }

    fn type_name_of(&self, file: usize, idl_name: &str) -> String {
        self.types[file]
            .get(idl_name)
            .cloned()
            .unwrap_or_else(|| camel(idl_name))
    }

    /// The Rust type for `ty` written in `file`, used at module depth `depth`. `key` is set
    /// for map keys and set elements, where `double` becomes `OrderedF64`.
    fn rty(&self, file: usize, ty: &Type, depth: usize, key: bool) -> TokenStream {
        let rt = rt();
        let everywhere = self.o.ordered_doubles;
        let key = key || everywhere;
        if key {
            match self.p.resolve(file, ty) {
                (_, Type::Double) => return quote!(#rt::OrderedF64),
                // A typedef of a container is spelled out: its doubles differ in a key.
                (fi, t @ (Type::List(_) | Type::Set(_) | Type::Map(..)))
                    if t != ty && !everywhere =>
                {
                    return self.rty(fi, t, depth, true)
                }
                _ => {}
            }
        }
        match ty {
            Type::Bool => quote!(bool),
            Type::I8 => quote!(i8),
            Type::I16 => quote!(i16),
            Type::I32 => quote!(i32),
            Type::I64 => quote!(i64),
            Type::Double => quote!(f64),
            Type::String => quote!(String),
            Type::Binary => match self.o.binary {
                BinaryType::Bytes => quote!(#rt::Bytes),
                BinaryType::VecU8 => quote!(Vec<u8>),
            },
            Type::List(t) => {
                let t = self.rty(file, t, depth, key);
                quote!(Vec<#t>)
            }
            Type::Set(t) => {
                let t = self.rty(file, t, depth, true);
                match self.o.set {
                    CollectionType::BTree => quote!(::std::collections::BTreeSet<#t>),
                    CollectionType::Hash => quote!(::std::collections::HashSet<#t>),
                }
            }
            Type::Map(k, v) => {
                let k = self.rty(file, k, depth, true);
                let v = self.rty(file, v, depth, key);
                match self.o.map {
                    CollectionType::BTree => quote!(::std::collections::BTreeMap<#k, #v>),
                    CollectionType::Hash => quote!(::std::collections::HashMap<#k, #v>),
                }
            }
            Type::Named(n, _) => match self.p.lookup_type(file, n) {
                Some((ti, def)) => {
                    let idl = match def {
                        TypeDef::Typedef(t) => &t.name,
                        TypeDef::Enum(e) => &e.name,
                        TypeDef::Struct(s) => &s.name,
                    };
                    self.def_path(self.current.get(), ti, &self.type_name_of(ti, idl), depth)
                }
                None => quote!(()),
            },
        }
    }

    /// The wire type of `ty`, as a `TType` path.
    fn ttype(&self, file: usize, ty: &Type) -> TokenStream {
        let rt = rt();
        let v = match self.p.resolve(file, ty) {
            (_, Type::Bool) => quote!(Bool),
            (_, Type::I8) => quote!(I8),
            (_, Type::I16) => quote!(I16),
            (_, Type::I32) => quote!(I32),
            (_, Type::I64) => quote!(I64),
            (_, Type::Double) => quote!(Double),
            (_, Type::String | Type::Binary) => quote!(String),
            (_, Type::List(_)) => quote!(List),
            (_, Type::Set(_)) => quote!(Set),
            (_, Type::Map(..)) => quote!(Map),
            (fi, Type::Named(n, _)) => match self.p.lookup_type(fi, n) {
                Some((_, TypeDef::Enum(_))) => quote!(I32),
                _ => quote!(Struct),
            },
        };
        quote!(#rt::TType::#v)
    }

    fn file(&self, idx: usize) -> Result<TokenStream, Error> {
        self.current.set(idx);
        let f = &self.p.files[idx];
        let mut items = Vec::new();
        for d in &f.doc.definitions {
            items.push(match d {
                Definition::Typedef(t) => self.typedef(idx, t),
                Definition::Enum(e) => self.enum_def(idx, e),
                Definition::Struct(s) => self.struct_def(idx, s)?,
                Definition::Const(c) => self.const_def(idx, c)?,
                Definition::Service(s) => self.service(idx, s)?,
            });
        }
        let import = rt_import(&self.runtime);
        Ok(quote!(#import #(#items)*))
    }
}
