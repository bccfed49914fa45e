//! Rust code generation: one module of Rust source per IDL file.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use crate::ast::*;
use crate::error::Error;
use crate::names::{camel, dedup, ident, shouty, snake};
use crate::program::{ConstTarget, Program, TypeDef};

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

fn docs(doc: &Option<String>) -> TokenStream {
    match doc {
        None => quote!(),
        Some(d) => {
            let lines = doc_lines(d);
            quote!(#(#[doc = #lines])*)
        }
    }
}

/// Whether `t` (without its indentation) starts a Markdown list item, and the width of its
/// marker (`- `, `* `, `+ `, `1. `, `1) `).
fn list_marker(t: &str) -> Option<usize> {
    if t.starts_with("- ") || t.starts_with("* ") || t.starts_with("+ ") {
        return Some(2);
    }
    let digits = t.chars().take_while(|c| c.is_ascii_digit()).count();
    let rest = &t[digits..];
    (digits > 0 && (rest.starts_with(". ") || rest.starts_with(") "))).then_some(digits + 2)
}

/// The rustdoc lines for an IDL doc comment. IDL text is not Markdown: keep rustdoc from
/// reading indented lines or fences as Rust doctests, `<i32>` as HTML, and `[x]` as links;
/// a line after a list item continues the item when indented, else it starts a paragraph
/// (rustdoc would otherwise read it as a lazy continuation of the item).
fn doc_lines(d: &str) -> Vec<String> {
    let mut in_fence = false;
    // The marker width of the list item being written, if the last line was part of one.
    let mut item: Option<usize> = None;
    let mut out = Vec::new();
    for l in d.lines() {
        let t = l.trim_start();
        if t.starts_with("```") {
            in_fence = !in_fence;
            item = None;
            out.push(if in_fence { " ```text" } else { " ```" }.to_string());
            continue;
        }
        if in_fence {
            out.push(format!(" {l}"));
            continue;
        }
        if t.is_empty() {
            item = None;
            out.push(String::new());
            continue;
        }
        if let Some(width) = list_marker(t) {
            item = Some(width);
            out.push(format!(" {}", doc_line(t)));
            continue;
        }
        match item {
            Some(width) if t.len() < l.len() => {
                out.push(format!(" {}{}", " ".repeat(width), doc_line(t)))
            }
            Some(_) => {
                item = None;
                out.push(String::new());
                out.push(format!(" {}", doc_line(t)));
            }
            None => out.push(format!(" {}", doc_line(t))),
        }
    }
    out
}

/// One line of an IDL doc comment (outside code fences) as rustdoc text: HTML-like text
/// escaped (`list<i32>`), brackets escaped so they are not links, bare URLs made autolinks.
fn doc_line(line: &str) -> String {
    line.split(' ')
        .map(|word| {
            if word.starts_with("http://") || word.starts_with("https://") {
                format!("<{word}>")
            } else {
                word.replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;")
                    .replace('[', "\\[")
                    .replace(']', "\\]")
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The IDL's doc comment, or `fallback` when it has none, so that generated code passes
/// `#![deny(missing_docs)]`.
fn docs_or(doc: &Option<String>, fallback: String) -> TokenStream {
    match doc {
        Some(_) => docs(doc),
        None => docs(&Some(fallback)),
    }
}

/// A field's doc: its IDL doc (if any), then its id, requiredness and IDL default, which is
/// what a reader of the wire needs.
fn field_doc(f: &Field, source: &str) -> TokenStream {
    let mut facts = format!("field {}, {}", f.id, req_word(f));
    if let Some(v) = &f.default {
        let span = v.span();
        let text = source.get(span.offset..span.end).unwrap_or_default().trim();
        if !text.is_empty() {
            let tick = if text.contains('`') { "``" } else { "`" };
            let pad = if text.contains('`') { " " } else { "" };
            facts.push_str(&format!(", default {tick}{pad}{text}{pad}{tick}"));
        }
    }
    match &f.doc {
        Some(_) => {
            let d = docs(&f.doc);
            let mut chars = facts.chars();
            let first = chars.next().map(|c| c.to_ascii_uppercase()).unwrap_or('F');
            let line = format!(" {first}{}.", chars.as_str());
            quote!(#d #[doc = ""] #[doc = #line])
        }
        None => {
            let line = format!(" `{}`: {facts}.", f.name);
            quote!(#[doc = #line])
        }
    }
}

fn req_word(f: &Field) -> &'static str {
    match f.required {
        Requiredness::Required => "required",
        Requiredness::Optional => "optional",
        Requiredness::Default => "default requiredness",
    }
}

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
        self.ordered.contains(&(file, name.to_string()))
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
            Type::Double if !key => Some("a `double` (`f64`)"),
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
        if key {
            match self.p.resolve(file, ty) {
                (_, Type::Double) => return quote!(#rt::OrderedF64),
                // A typedef of a container is spelled out: its doubles differ in a key.
                (fi, t @ (Type::List(_) | Type::Set(_) | Type::Map(..))) if t != ty => {
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

    fn typedef(&self, file: usize, t: &Typedef) -> TokenStream {
        let doc = docs_or(&t.doc, format!("`typedef {}` in the IDL.", t.name));
        let name = format_ident!("{}", self.type_name_of(file, &t.name));
        let ty = self.rty(file, &t.ty, 0, false);
        quote! {
            #doc
            pub type #name = #ty;
        }
    }

    /// The variant names of `e`'s members and of its catch-all, which is always `Unknown`
    /// (a member named `UNKNOWN` is `Unknown_`).
    fn enum_variants(e: &Enum) -> (Vec<String>, String) {
        let variants = dedup(
            e.values.iter().map(|v| camel(&v.name)).collect(),
            &["Unknown"],
        );
        (variants, "Unknown".to_string())
    }

    fn enum_def(&self, file: usize, e: &Enum) -> TokenStream {
        let rt = rt();
        let doc = docs_or(&e.doc, format!("`enum {}` in the IDL.", e.name));
        let attrs = self.user_attrs(file, &e.name);
        let name = format_ident!("{}", self.type_name_of(file, &e.name));
        let (variants, unknown) = Self::enum_variants(e);
        let unknown = format_ident!("{}", unknown);
        let vidents: Vec<Ident> = variants.iter().map(|v| format_ident!("{}", v)).collect();
        let vdocs = e.values.iter().map(|v| {
            let d = docs(&v.doc);
            let value = format!(" `{}` = {}", v.name, v.value);
            if v.doc.is_some() {
                quote!(#d #[doc = ""] #[doc = #value])
            } else {
                quote!(#[doc = #value])
            }
        });
        let values: Vec<Literal> = e
            .values
            .iter()
            .map(|v| Literal::i32_unsuffixed(v.value))
            .collect();
        let idl_names: Vec<&str> = e.values.iter().map(|v| v.name.as_str()).collect();
        // Several names may share a value; the first one wins when decoding.
        let mut seen = HashSet::new();
        let from_arms: Vec<TokenStream> = e
            .values
            .iter()
            .zip(&vidents)
            .filter(|(v, _)| seen.insert(v.value))
            .map(|(v, id)| {
                let lit = Literal::i32_unsuffixed(v.value);
                quote!(#lit => #name::#id,)
            })
            .collect();
        let default_attr: Vec<TokenStream> = (0..vidents.len())
            .map(|i| if i == 0 { quote!(#[default]) } else { quote!() })
            .collect();
        let (default_derive, default_impl) = if vidents.is_empty() {
            (
                quote!(),
                quote! {
                    impl Default for #name {
                        fn default() -> Self {
                            #name::#unknown(0)
                        }
                    }
                },
            )
        } else {
            (quote!(Default,), quote!())
        };
        quote! {
            #doc
            ///
            /// Equality, hashing and order go by [`value()`](Self::value), so
            /// `Unknown(v)` built by hand with a known `v` equals the named variant;
            /// [`from_value`](Self::from_value) (used when decoding) always gives the named
            /// one.
            #[derive(Debug, Clone, Copy, #default_derive)]
            #attrs
            pub enum #name {
                #( #vdocs #default_attr #vidents, )*
                /// A value the IDL does not name, kept as it was on the wire.
                #unknown(i32),
            }

            impl PartialEq for #name {
                fn eq(&self, other: &Self) -> bool {
                    self.value() == other.value()
                }
            }

            impl Eq for #name {}

            impl ::std::hash::Hash for #name {
                fn hash<H: ::std::hash::Hasher>(&self, state: &mut H) {
                    self.value().hash(state)
                }
            }

            impl PartialOrd for #name {
                fn partial_cmp(&self, other: &Self) -> Option<::std::cmp::Ordering> {
                    Some(self.cmp(other))
                }
            }

            impl Ord for #name {
                fn cmp(&self, other: &Self) -> ::std::cmp::Ordering {
                    self.value().cmp(&other.value())
                }
            }

            impl #name {
                /// The wire value.
                pub fn value(self) -> i32 {
                    match self {
                        #( #name::#vidents => #values, )*
                        #name::#unknown(v) => v,
                    }
                }

                /// The value for a wire value; unknown values are kept.
                #[allow(clippy::match_single_binding)]
                pub fn from_value(value: i32) -> Self {
                    match value {
                        #(#from_arms)*
                        other => #name::#unknown(other),
                    }
                }

                /// The name the IDL gives the value, if it is a known one.
                pub fn name(self) -> Option<&'static str> {
                    match #name::from_value(self.value()) {
                        #( #name::#vidents => Some(#idl_names), )*
                        #name::#unknown(_) => None,
                    }
                }
            }

            #default_impl

            impl From<i32> for #name {
                fn from(value: i32) -> Self {
                    #name::from_value(value)
                }
            }

            impl From<#name> for i32 {
                fn from(value: #name) -> i32 {
                    value.value()
                }
            }

            impl #rt::ThriftValue for #name {
                const TTYPE: #rt::TType = #rt::TType::I32;
                fn write(&self, w: &mut #rt::Writer) {
                    w.write_i32(self.value());
                }
                fn read(r: &mut #rt::Reader) -> Result<Self, #rt::DecodeError> {
                    r.read_i32().map(#name::from_value)
                }
            }

        }
    }

    fn struct_def(&self, file: usize, s: &Struct) -> Result<TokenStream, Error> {
        let name = self.type_name_of(file, &s.name);
        let attrs = self.user_attrs(file, &s.name);
        let kind = match s.kind {
            StructKind::Struct => "struct",
            StructKind::Union => "union",
            StructKind::Exception => "exception",
        };
        let doc = docs_or(&s.doc, format!("`{kind} {}` in the IDL.", s.name));
        match s.kind {
            StructKind::Union => self.union_tokens(StructSpec {
                file,
                idl: &s.name,
                name: &name,
                fields: &s.fields,
                depth: 0,
                doc,
                attrs,
            }),
            _ => {
                let mut t = self.struct_tokens(StructSpec {
                    file,
                    idl: &s.name,
                    name: &name,
                    fields: &s.fields,
                    depth: 0,
                    doc,
                    attrs,
                })?;
                if s.kind == StructKind::Exception {
                    t.extend(self.exception_impls(file, &name, &s.name, &s.fields));
                }
                Ok(t)
            }
        }
    }

    fn exception_impls(&self, file: usize, name: &str, idl: &str, fields: &[Field]) -> TokenStream {
        let name = format_ident!("{}", name);
        let message = fields.iter().zip(Self::field_names(fields)).find(|(f, _)| {
            (f.name == "message" || f.name == "msg" || f.name == "why")
                && matches!(f.ty, Type::String)
        });
        let body = match message {
            Some((f, n)) => {
                let id = ident(&n);
                if f.required == Requiredness::Optional {
                    let fmt = format!("{idl}: {{}}");
                    quote! {
                        match &self.#id {
                            Some(m) => write!(f, #fmt, m),
                            None => f.write_str(#idl),
                        }
                    }
                } else {
                    let fmt = format!("{idl}: {{}}");
                    quote!(write!(f, #fmt, self.#id))
                }
            }
            None if fields.is_empty() => quote!(f.write_str(#idl)),
            // The IDL name, then each field that is set by its IDL name:
            // `NotFound { key: "k", shard: 3 }`. Separators known when generating are
            // written as text; after an optional field a flag says whether one was written.
            None => {
                let esc = |t: &str| t.replace('{', "{{").replace('}', "}}");
                // Some(true): nothing written after the name; Some(false): a field written.
                let mut known = Some(true);
                let mut dynamic = false;
                let mut parts = vec![quote!(f.write_str(#idl)?;)];
                for (fd, n) in fields.iter().zip(Self::field_names(fields)) {
                    let id = ident(&n);
                    let boxed = self.needs_box(file, idl, &fd.ty);
                    let optional = boxed || fd.required == Requiredness::Optional;
                    let (write_sep, fmt) = match known {
                        Some(true) => (quote!(), format!(" {{{{ {}: {{:?}}", esc(&fd.name))),
                        Some(false) => (quote!(), format!(", {}: {{:?}}", esc(&fd.name))),
                        None => (
                            quote!(f.write_str(if first { " { " } else { ", " })?;),
                            format!("{}: {{:?}}", esc(&fd.name)),
                        ),
                    };
                    let set_first = if known == Some(false) {
                        quote!()
                    } else {
                        quote!(first = false;)
                    };
                    if optional {
                        parts.push(quote! {
                            if let Some(v) = &self.#id {
                                #write_sep
                                #set_first
                                write!(f, #fmt, v)?;
                            }
                        });
                        if known != Some(false) {
                            known = None;
                            dynamic = true;
                        }
                    } else {
                        let set_first = if dynamic { set_first } else { quote!() };
                        parts.push(quote! {
                            #write_sep
                            #set_first
                            write!(f, #fmt, self.#id)?;
                        });
                        known = Some(false);
                    }
                }
                let first = if dynamic {
                    quote!(let mut first = true;)
                } else {
                    quote!()
                };
                let end = match known {
                    Some(false) => quote!(f.write_str(" }")),
                    _ => quote! {
                        if !first {
                            f.write_str(" }")?;
                        }
                        Ok(())
                    },
                };
                parts.insert(1, first);
                quote!(#(#parts)* #end)
            }
        };
        quote! {
            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    #body
                }
            }

            impl ::std::error::Error for #name {}
        }
    }

    /// The derives of a struct-like type: `Eq`, `Hash` and `Ord` too when every field allows.
    /// Preceded by a doc paragraph that says why `Eq`, `Hash` and `Ord` are missing, or why
    /// the doubles are `OrderedF64`, when either is the case.
    fn derives(&self, file: usize, fields: &[Field], default: bool, ordered: bool) -> TokenStream {
        let default = if default { quote!(Default,) } else { quote!() };
        match self.struct_unorderable(file, fields, ordered) {
            None => {
                let mut seen = HashSet::new();
                let has_double = fields
                    .iter()
                    .any(|f| self.unorderable(file, &f.ty, false, &mut seen).is_some());
                let note = if ordered && has_double {
                    let text = " Its `double`s are `OrderedF64` (ordered by `f64::total_cmp`, \
                                hashed by their bits) because it is part of a set element or \
                                map key, so it has `Eq`, `Hash` and `Ord`.";
                    quote!(#[doc = ""] #[doc = #text])
                } else {
                    quote!()
                };
                quote! {
                    #note
                    #[derive(Debug, Clone, #default PartialEq, Eq, Hash, PartialOrd, Ord)]
                }
            }
            Some((field, why)) => {
                let text = format!(
                    " Not `Eq`, `Hash` or `Ord`, only `PartialEq`: field `{field}` holds {why}. \
                     Adding such a field to a type removes these derives."
                );
                quote! {
                    #[doc = ""]
                    #[doc = #text]
                    #[derive(Debug, Clone, #default PartialEq)]
                }
            }
        }
    }

    fn field_names(fields: &[Field]) -> Vec<String> {
        dedup(fields.iter().map(|f| snake(&f.name)).collect(), &[])
    }

    fn struct_tokens(&self, spec: StructSpec<'_>) -> Result<TokenStream, Error> {
        let StructSpec {
            file,
            idl,
            name,
            fields,
            depth,
            doc,
            attrs,
        } = spec;
        let rt = rt();
        let name = format_ident!("{}", name);
        let derive_default = fields.iter().all(|f| f.default.is_none());
        let ordered = self.is_ordered(file, idl);
        let derives = self.derives(file, fields, derive_default, ordered);
        let names = Self::field_names(fields);
        let mut decls = Vec::new();
        let mut defaults = Vec::new();
        let mut writes = Vec::new();
        let mut locals = Vec::new();
        let mut arms = Vec::new();
        let mut builds = Vec::new();
        let mut order: Vec<usize> = (0..fields.len()).collect();
        order.sort_by_key(|&i| fields[i].id);
        for (f, fname) in fields.iter().zip(&names) {
            let id = ident(fname);
            let boxed = self.needs_box(file, idl, &f.ty);
            let optional = boxed || f.required == Requiredness::Optional;
            let inner = self.rty(file, &f.ty, depth, ordered);
            let inner = if boxed { quote!(Box<#inner>) } else { inner };
            let fdoc = field_doc(f, &self.p.files[file].source);
            let full = if optional {
                quote!(Option<#inner>)
            } else {
                inner.clone()
            };
            let fattrs = self.user_field_attrs(file, idl, &f.name);
            decls.push(quote!(#fdoc #fattrs pub #id: #full,));
            let dflt = match &f.default {
                Some(v) => Some(self.cexpr_k(file, &f.ty, v, file, depth, false, ordered)?),
                None => None,
            };
            let dflt = dflt.map(|d| if boxed { quote!(Box::new(#d)) } else { d });
            defaults.push(match (&dflt, optional) {
                (Some(d), true) => quote!(#id: Some(#d),),
                (None, true) => quote!(#id: None,),
                (Some(d), false) => quote!(#id: #d,),
                (None, false) => quote!(#id: Default::default(),),
            });
            let fid = Literal::i16_unsuffixed(f.id as i16);
            let tt = self.ttype(file, &f.ty);
            let fidl = &f.name;
            let local = format_ident!("f_{}", fname.trim_start_matches("r#"));
            locals.push(quote!(let mut #local: Option<#inner> = None;));
            arms.push(quote! {
                (#fid, #tt) => {
                    #local = Some(
                        r.read_field(#idl, #fidl)?,
                    );
                }
            });
            let scalar = self.is_scalar(file, &f.ty);
            builds.push(match (f.required, optional, &dflt) {
                (Requiredness::Required, false, _) => {
                    quote!(#id: #local.ok_or_else(|| #rt::DecodeError::missing_field(#idl, #fidl))?,)
                }
                (Requiredness::Required, true, _) => quote!(#id: Some(
                    #local.ok_or_else(|| #rt::DecodeError::missing_field(#idl, #fidl))?
                ),),
                (_, false, Some(d)) if scalar && !boxed => quote!(#id: #local.unwrap_or(#d),),
                (_, false, Some(d)) => quote!(#id: #local.unwrap_or_else(|| #d),),
                (_, false, None) => quote!(#id: #local.unwrap_or_default(),),
                (_, true, Some(d)) if scalar && !boxed => {
                    quote!(#id: #local.or(Some(#d)),)
                }
                (_, true, Some(d)) => quote!(#id: #local.or_else(|| Some(#d)),),
                (_, true, None) => quote!(#id: #local,),
            });
        }
        for &i in &order {
            let f = &fields[i];
            let id = ident(&names[i]);
            let boxed = self.needs_box(file, idl, &f.ty);
            let optional = boxed || f.required == Requiredness::Optional;
            let fid = Literal::i16_unsuffixed(f.id as i16);
            writes.push(if optional {
                quote! {
                    if let Some(v) = &self.#id {
                        w.write_field(#fid, v);
                    }
                }
            } else {
                quote! {
                    w.write_field(#fid, &self.#id);
                }
            });
        }
        let read_loop = if fields.is_empty() {
            quote! {
                loop {
                    let (ty, _) = r.read_field_begin()?;
                    if ty == #rt::TType::Stop {
                        break;
                    }
                    r.skip(ty)?;
                }
            }
        } else {
            quote! {
                loop {
                    let (ty, id) = r.read_field_begin()?;
                    if ty == #rt::TType::Stop {
                        break;
                    }
                    match (id, ty) {
                        #(#arms)*
                        _ => r.skip(ty)?,
                    }
                }
            }
        };
        let default_impl = if derive_default {
            quote!()
        } else {
            quote! {
                #[allow(clippy::approx_constant)]
                impl Default for #name {
                    fn default() -> Self {
                        #name {
                            #(#defaults)*
                        }
                    }
                }
            }
        };
        Ok(quote! {
            #doc
            #derives
            #attrs
            #[allow(clippy::type_complexity)]
            pub struct #name {
                #(#decls)*
            }

            #default_impl

            #[allow(
                clippy::type_complexity,
                clippy::approx_constant,
                clippy::unnecessary_lazy_evaluations
            )]
            impl #rt::ThriftValue for #name {
                const TTYPE: #rt::TType = #rt::TType::Struct;

                fn write(&self, w: &mut #rt::Writer) {
                    #(#writes)*
                    w.write_field_stop();
                }

                fn read(r: &mut #rt::Reader) -> Result<Self, #rt::DecodeError> {
                    r.enter()?;
                    #(#locals)*
                    #read_loop
                    r.leave();
                    Ok(#name {
                        #(#builds)*
                    })
                }
            }

            impl #rt::ThriftStruct for #name {
                const NAME: &'static str = #idl;
            }
        })
    }

    fn union_tokens(&self, spec: StructSpec<'_>) -> Result<TokenStream, Error> {
        let StructSpec {
            file,
            idl,
            name,
            fields,
            depth,
            doc,
            attrs,
        } = spec;
        let rt = rt();
        let name = format_ident!("{}", name);
        let ordered = self.is_ordered(file, idl);
        let derives = self.derives(file, fields, false, ordered);
        let variants = dedup(fields.iter().map(|f| camel(&f.name)).collect(), &[]);
        let mut decls = Vec::new();
        let mut writes = Vec::new();
        let mut arms = Vec::new();
        for (f, v) in fields.iter().zip(&variants) {
            let v = format_ident!("{}", v);
            let boxed = self.needs_box(file, idl, &f.ty);
            let inner = self.rty(file, &f.ty, depth, ordered);
            let inner = if boxed { quote!(Box<#inner>) } else { inner };
            let fdoc = field_doc(f, &self.p.files[file].source);
            let fattrs = self.user_field_attrs(file, idl, &f.name);
            decls.push(quote!(#fdoc #fattrs #v(#inner),));
            let fid = Literal::i16_unsuffixed(f.id as i16);
            let tt = self.ttype(file, &f.ty);
            let fidl = &f.name;
            writes.push(quote! {
                #name::#v(v) => {
                    w.write_field(#fid, v);
                }
            });
            arms.push(quote! {
                (#fid, #tt) => {
                    out = Some(#name::#v(
                        r.read_field(#idl, #fidl)?,
                    ));
                    count += 1;
                }
            });
        }
        let default = match variants.first() {
            Some(v) => {
                let v = format_ident!("{}", v);
                quote! {
                    impl Default for #name {
                        fn default() -> Self {
                            #name::#v(Default::default())
                        }
                    }
                }
            }
            None => quote!(),
        };
        let write_body = if fields.is_empty() {
            quote!(match *self {})
        } else {
            quote!(match self { #(#writes)* })
        };
        let read_body = if fields.is_empty() {
            quote! {
                r.skip(#rt::TType::Struct)?;
                Err(#rt::DecodeError::invalid_union(#idl, 0))
            }
        } else {
            quote! {
                r.enter()?;
                let mut out = None;
                let mut count = 0usize;
                loop {
                    let (ty, id) = r.read_field_begin()?;
                    if ty == #rt::TType::Stop {
                        break;
                    }
                    match (id, ty) {
                        #(#arms)*
                        _ => r.skip(ty)?,
                    }
                }
                r.leave();
                match out {
                    Some(v) if count == 1 => Ok(v),
                    _ => Err(#rt::DecodeError::invalid_union(#idl, count)),
                }
            }
        };
        Ok(quote! {
            #doc
            #derives
            #attrs
            #[allow(clippy::large_enum_variant)]
            pub enum #name {
                #(#decls)*
            }

            #default

            impl #rt::ThriftValue for #name {
                const TTYPE: #rt::TType = #rt::TType::Struct;

                fn write(&self, w: &mut #rt::Writer) {
                    #write_body
                    #[allow(unreachable_code)]
                    w.write_field_stop();
                }

                fn read(r: &mut #rt::Reader) -> Result<Self, #rt::DecodeError> {
                    #read_body
                }
            }

            impl #rt::ThriftStruct for #name {
                const NAME: &'static str = #idl;
            }
        })
    }

    /// An expression for a constant value of type `ty` (written in `tfile`); references in the
    /// value resolve from `vfile`. `in_const` asks for a `const`-compatible expression (only for
    /// base types and enums).
    fn cexpr(
        &self,
        tfile: usize,
        ty: &Type,
        value: &ConstValue,
        vfile: usize,
        depth: usize,
        in_const: bool,
    ) -> Result<TokenStream, Error> {
        self.cexpr_k(tfile, ty, value, vfile, depth, in_const, false)
    }

    /// [`Self::cexpr`] inside a set element or map key (`key`), where doubles are
    /// `OrderedF64`.
    #[allow(clippy::too_many_arguments)]
    fn cexpr_k(
        &self,
        tfile: usize,
        ty: &Type,
        value: &ConstValue,
        vfile: usize,
        depth: usize,
        in_const: bool,
        key: bool,
    ) -> Result<TokenStream, Error> {
        let rt = rt();
        let (rf, rty) = self.p.resolve(tfile, ty);
        // Enum-typed values: a reference by (last segment of) name, or an integer.
        if let Type::Named(n, _) = rty {
            if let Some((ei, TypeDef::Enum(e))) = self.p.lookup_type(rf, n) {
                let path = self.def_path(
                    self.cur_file(tfile),
                    ei,
                    &self.type_name_of(ei, &e.name),
                    depth,
                );
                let (variants, unknown) = Self::enum_variants(e);
                let pos = match value {
                    ConstValue::Ref(name, _) => {
                        let last = name.rsplit('.').next().unwrap_or(name);
                        match e.values.iter().position(|v| v.name == last) {
                            Some(p) => Some(p),
                            None => match self.p.lookup_const(vfile, name) {
                                Some(ConstTarget::Const(cf, c)) => {
                                    return self
                                        .cexpr_k(tfile, ty, &c.value, cf, depth, in_const, key)
                                }
                                _ => None,
                            },
                        }
                    }
                    ConstValue::Int(v, _) => e.values.iter().position(|ev| ev.value as i64 == *v),
                    _ => None,
                };
                return Ok(match pos {
                    Some(p) => {
                        let v = format_ident!("{}", variants[p]);
                        quote!(#path::#v)
                    }
                    None => {
                        let u = format_ident!("{}", unknown);
                        let n = match value {
                            ConstValue::Int(v, _) => *v as i32,
                            _ => 0,
                        };
                        quote!(#path::#u(#n))
                    }
                });
            }
        }
        if let ConstValue::Ref(name, span) = value {
            return match self.p.lookup_const(vfile, name) {
                Some(ConstTarget::Const(cf, c)) => {
                    self.cexpr_k(tfile, ty, &c.value, cf, depth, in_const, key)
                }
                Some(ConstTarget::EnumValue(_, _, v)) => self.cexpr_k(
                    tfile,
                    ty,
                    &ConstValue::Int(v.value as i64, *span),
                    vfile,
                    depth,
                    in_const,
                    key,
                ),
                None => Err(self.err(vfile, *span, format!("unknown constant `{name}`"))),
            };
        }
        let bad = || {
            self.err(
                vfile,
                value.span(),
                format!("this value does not fit type {}", crate::type_name(ty)),
            )
        };
        Ok(match (rty, value) {
            (Type::Bool, ConstValue::Int(v, _)) => {
                if *v != 0 {
                    quote!(true)
                } else {
                    quote!(false)
                }
            }
            (Type::I8, ConstValue::Int(v, _)) => Literal::i8_suffixed(*v as i8).into_token_stream(),
            (Type::I16, ConstValue::Int(v, _)) => {
                Literal::i16_suffixed(*v as i16).into_token_stream()
            }
            (Type::I32, ConstValue::Int(v, _)) => {
                Literal::i32_suffixed(*v as i32).into_token_stream()
            }
            (Type::I64, ConstValue::Int(v, _)) => Literal::i64_suffixed(*v).into_token_stream(),
            (Type::Double, ConstValue::Int(v, _)) if key => {
                let v = Literal::f64_suffixed(*v as f64);
                quote!(#rt::OrderedF64(#v))
            }
            (Type::Double, ConstValue::Double(v, _)) if key && v.is_finite() => {
                let v = Literal::f64_suffixed(*v);
                quote!(#rt::OrderedF64(#v))
            }
            (Type::Double, ConstValue::Int(v, _)) => {
                Literal::f64_suffixed(*v as f64).into_token_stream()
            }
            (Type::Double, ConstValue::Double(v, _)) if v.is_finite() => {
                Literal::f64_suffixed(*v).into_token_stream()
            }
            (Type::String, ConstValue::String(s, _)) => {
                if in_const {
                    quote!(#s)
                } else {
                    quote!(String::from(#s))
                }
            }
            (Type::Binary, ConstValue::String(s, _)) => {
                let b = Literal::byte_string(s.as_bytes());
                match (in_const, self.o.binary) {
                    (true, _) => quote!(#b),
                    (false, BinaryType::Bytes) => quote!(#rt::Bytes::from_static(#b)),
                    (false, BinaryType::VecU8) => quote!(#b.to_vec()),
                }
            }
            (Type::List(t), ConstValue::List(items, _)) => {
                let items = items
                    .iter()
                    .map(|i| self.cexpr_k(rf, t, i, vfile, depth, false, key))
                    .collect::<Result<Vec<_>, _>>()?;
                quote!(vec![#(#items),*])
            }
            (Type::Set(t), ConstValue::List(items, _)) => {
                let items = items
                    .iter()
                    .map(|i| self.cexpr_k(rf, t, i, vfile, depth, false, true))
                    .collect::<Result<Vec<_>, _>>()?;
                quote!([#(#items),*].into_iter().collect())
            }
            (Type::List(_), ConstValue::Map(e, _)) if e.is_empty() => {
                quote!(Vec::new())
            }
            (Type::Set(_), ConstValue::Map(e, _)) if e.is_empty() => {
                quote!(Default::default())
            }
            (Type::Map(_, _), ConstValue::List(e, _)) if e.is_empty() => {
                quote!(Default::default())
            }
            (Type::Map(k, v), ConstValue::Map(entries, _)) => {
                let entries = entries
                    .iter()
                    .map(|(ek, ev)| {
                        let k = self.cexpr_k(rf, k, ek, vfile, depth, false, true)?;
                        let v = self.cexpr_k(rf, v, ev, vfile, depth, false, key)?;
                        Ok(quote!((#k, #v)))
                    })
                    .collect::<Result<Vec<_>, Error>>()?;
                quote!([#(#entries),*].into_iter().collect())
            }
            (Type::Named(n, _), ConstValue::Map(entries, _)) => match self.p.lookup_type(rf, n) {
                Some((si, TypeDef::Struct(s))) => {
                    let path = self.def_path(
                        self.cur_file(tfile),
                        si,
                        &self.type_name_of(si, &s.name),
                        depth,
                    );
                    let names = Self::field_names(&s.fields);
                    let key = key || self.is_ordered(si, &s.name);
                    let mut inits = Vec::new();
                    for (ek, ev) in entries {
                        let ConstValue::String(fname, span) = ek else {
                            return Err(bad());
                        };
                        let Some(pos) = s.fields.iter().position(|f| &f.name == fname) else {
                            return Err(self.err(
                                vfile,
                                *span,
                                format!("`{}` has no field `{fname}`", s.name),
                            ));
                        };
                        let f = &s.fields[pos];
                        let id = ident(&names[pos]);
                        let mut e = self.cexpr_k(si, &f.ty, ev, vfile, depth, false, key)?;
                        let boxed = self.needs_box(si, &s.name, &f.ty);
                        if boxed {
                            e = quote!(Box::new(#e));
                        }
                        if boxed || f.required == Requiredness::Optional {
                            e = quote!(Some(#e));
                        }
                        inits.push(quote!(#id: #e,));
                    }
                    if s.kind == StructKind::Union {
                        let variants =
                            dedup(s.fields.iter().map(|f| camel(&f.name)).collect(), &[]);
                        match entries.first() {
                            Some((ConstValue::String(fname, _), ev)) => {
                                let pos =
                                    s.fields.iter().position(|f| &f.name == fname).unwrap_or(0);
                                let v = format_ident!("{}", variants[pos]);
                                let e = self.cexpr_k(
                                    si,
                                    &s.fields[pos].ty,
                                    ev,
                                    vfile,
                                    depth,
                                    false,
                                    key,
                                )?;
                                quote!(#path::#v(#e))
                            }
                            _ => quote!(Default::default()),
                        }
                    } else if inits.len() == s.fields.len() {
                        quote!(#path { #(#inits)* })
                    } else {
                        quote!(#path { #(#inits)* ..Default::default() })
                    }
                }
                _ => return Err(bad()),
            },
            _ => return Err(bad()),
        })
    }

    /// The file whose module generated code is being written in. Code for file `f` is always
    /// written in `f`'s module, so paths are computed from the file being generated.
    fn cur_file(&self, _tfile: usize) -> usize {
        self.current.get()
    }

    fn const_def(&self, file: usize, c: &Const) -> Result<TokenStream, Error> {
        let doc = docs_or(&c.doc, format!("`const {}` in the IDL.", c.name));
        let name = ident(&shouty(&c.name));
        let (rf, rty) = self.p.resolve(file, &c.ty);
        let is_enum = matches!(rty, Type::Named(n, _) if matches!(self.p.lookup_type(rf, n), Some((_, TypeDef::Enum(_)))));
        let scalar = matches!(
            rty,
            Type::Bool | Type::I8 | Type::I16 | Type::I32 | Type::I64 | Type::Double
        ) || is_enum;
        Ok(match rty {
            _ if scalar => {
                let ty = self.rty(file, &c.ty, 0, false);
                let v = self.cexpr(file, &c.ty, &c.value, file, 0, true)?;
                quote!(#doc #[allow(clippy::approx_constant)] pub const #name: #ty = #v;)
            }
            Type::String => {
                let v = self.cexpr(file, &c.ty, &c.value, file, 0, true)?;
                quote!(#doc pub const #name: &str = #v;)
            }
            Type::Binary => {
                let v = self.cexpr(file, &c.ty, &c.value, file, 0, true)?;
                quote!(#doc pub const #name: &[u8] = #v;)
            }
            _ => {
                let ty = self.rty(file, &c.ty, 0, false);
                let v = self.cexpr(file, &c.ty, &c.value, file, 0, false)?;
                quote! {
                    #doc
                    #[allow(clippy::approx_constant)]
                    pub static #name: ::std::sync::LazyLock<#ty> = ::std::sync::LazyLock::new(|| #v);
                }
            }
        })
    }
}

use quote::ToTokens;

/// One method of a service as the leaf service sees it (its own or inherited).
struct Method<'a> {
    /// The file and service that declare it.
    file: usize,
    service: &'a Service,
    f: &'a Function,
}

struct MethodNames {
    method: Ident,
    args: Ident,
    result: Ident,
    error: Option<Ident>,
    /// Rust names of the args, in order.
    params: Vec<Ident>,
    /// Variant names of the exceptions, in order.
    exceptions: Vec<Ident>,
}

fn method_names(f: &Function) -> MethodNames {
    let base = camel(&f.name);
    let params = dedup(
        f.args.iter().map(|a| snake(&a.name)).collect(),
        &["ctx", "self"],
    );
    let exceptions = dedup(
        f.throws.iter().map(|t| camel(&t.name)).collect(),
        &["Success"],
    );
    MethodNames {
        method: ident(&snake(&f.name)),
        args: format_ident!("{}Args", base),
        result: format_ident!("{}Result", base),
        error: (!f.throws.is_empty()).then(|| format_ident!("{}Error", base)),
        params: params.iter().map(|p| ident(p)).collect(),
        exceptions: exceptions.iter().map(|e| format_ident!("{}", e)).collect(),
    }
}

impl Gen<'_> {
    fn service_module(&self, s: &Service) -> Ident {
        ident(&snake(&s.name))
    }

    /// All methods of `s`, inherited ones first.
    fn methods<'s>(&'s self, file: usize, s: &'s Service) -> Vec<Method<'s>> {
        let mut chain = vec![(file, s)];
        let mut cur = (file, s);
        while let Some((base, _)) = &cur.1.extends {
            match self.p.lookup_service(cur.0, base) {
                Some((bf, bs)) if chain.len() < 64 => {
                    chain.push((bf, bs));
                    cur = (bf, bs);
                }
                _ => break,
            }
        }
        let mut out = Vec::new();
        for (sf, svc) in chain.into_iter().rev() {
            for f in &svc.functions {
                out.push(Method {
                    file: sf,
                    service: svc,
                    f,
                });
            }
        }
        out
    }

    /// Path (from the current file's module) of the service module of `m`'s service.
    fn method_mod(&self, m: &Method<'_>) -> TokenStream {
        let sm = self.service_module(m.service);
        if m.file == self.current.get() {
            quote!(#sm)
        } else {
            let fm = self.file_mod(m.file, 0);
            quote!(#fm::#sm)
        }
    }

    fn service(&self, file: usize, s: &Service) -> Result<TokenStream, Error> {
        let rt = rt();
        let module = self.service_module(s);
        let mut module_items = Vec::new();
        for f in &s.functions {
            module_items.push(self.method_types(file, s, f)?);
        }
        let import = rt_import(&self.runtime);
        let mod_doc = format!(
            " Argument, result and exception types of the `{}` service's methods.",
            s.name
        );
        let mut out = quote! {
            #[doc = #mod_doc]
            #[allow(clippy::module_inception)]
            pub mod #module {
                #import
                #(#module_items)*
            }
        };
        if self.o.server || self.o.client {
            out.extend(self.server_trait(file, s));
        }
        if self.o.server {
            out.extend(self.dispatcher(file, s));
        }
        if self.o.client {
            out.extend(self.client(file, s));
            out.extend(self.blocking_client(file, s));
        }
        let _ = rt;
        Ok(out)
    }

    fn method_types(&self, file: usize, s: &Service, f: &Function) -> Result<TokenStream, Error> {
        let rt = rt();
        let n = method_names(f);
        let args_idl = format!("{}_args", f.name);
        let result_idl = format!("{}_result", f.name);
        let args_doc = format!(" The arguments of `{}::{}`.", s.name, f.name);
        let args_name = n.args.to_string();
        let args = self.struct_tokens(StructSpec {
            file,
            idl: &args_idl,
            name: &args_name,
            fields: &f.args,
            depth: 1,
            doc: quote!(#[doc = #args_doc]),
            attrs: quote!(),
        })?;
        let result = n.result.clone();
        let exc = &n.exceptions;
        let exc_types: Vec<TokenStream> = f
            .throws
            .iter()
            .map(|t| self.rty(file, &t.ty, 1, false))
            .collect();
        let exc_ids: Vec<Literal> = f
            .throws
            .iter()
            .map(|t| Literal::i16_unsuffixed(t.id as i16))
            .collect();
        let exc_names: Vec<&str> = f.throws.iter().map(|t| t.name.as_str()).collect();
        let exc_docs: Vec<String> = exc_names
            .iter()
            .map(|n| format!(" The method threw `{n}`."))
            .collect();
        let err_docs: Vec<String> = exc_names.iter().map(|n| format!(" `{n}`.")).collect();
        let (success_decl, success_write, success_arm, success_none) = match &f.returns {
            Some(ty) => {
                let rty = self.rty(file, ty, 1, false);
                let tt = self.ttype(file, ty);
                (
                    quote!(Success(#rty),),
                    quote! {
                        #result::Success(v) => {
                            w.write_field(0, v);
                        }
                    },
                    quote! {
                        (0, #tt) => {
                            out = Some(#result::Success(
                                r.read_field(#result_idl, "success")?,
                            ));
                        }
                    },
                    quote!(Err(#rt::DecodeError::invalid_union(#result_idl, 0))),
                )
            }
            None => (
                quote!(Success,),
                quote!(#result::Success => {}),
                quote!(),
                quote!(Ok(#result::Success)),
            ),
        };
        let read_body = if f.returns.is_none() && f.throws.is_empty() {
            quote! {
                r.skip(#rt::TType::Struct)?;
                Ok(#result::Success)
            }
        } else {
            quote! {
                r.enter()?;
                let mut out = None;
                loop {
                    let (ty, id) = r.read_field_begin()?;
                    if ty == #rt::TType::Stop {
                        break;
                    }
                    match (id, ty) {
                        #success_arm
                        #(
                            (#exc_ids, #rt::TType::Struct) => {
                                out = Some(#result::#exc(
                                    r.read_field(#result_idl, #exc_names)?,
                                ));
                            }
                        )*
                        _ => r.skip(ty)?,
                    }
                }
                r.leave();
                match out {
                    Some(v) => Ok(v),
                    None => #success_none,
                }
            }
        };
        let result_doc = format!(
            " The result of `{}::{}`: the return value (field 0) or one declared exception.",
            s.name, f.name
        );
        let mut out = quote! {
            #args

            #[doc = #result_doc]
            #[derive(Debug, Clone, PartialEq)]
            #[allow(clippy::large_enum_variant)]
            pub enum #result {
                /// The method returned normally.
                #success_decl
                #(
                    #[doc = #exc_docs]
                    #exc(#exc_types),
                )*
            }

            impl #rt::ThriftValue for #result {
                const TTYPE: #rt::TType = #rt::TType::Struct;

                fn write(&self, w: &mut #rt::Writer) {
                    match self {
                        #success_write
                        #(
                            #result::#exc(v) => {
                                w.write_field(#exc_ids, v);
                            }
                        )*
                    }
                    w.write_field_stop();
                }

                fn read(r: &mut #rt::Reader) -> Result<Self, #rt::DecodeError> {
                    #read_body
                }
            }

            impl #rt::ThriftStruct for #result {
                const NAME: &'static str = #result_idl;
            }
        };
        if let Some(err) = &n.error {
            let err_doc = format!(" The exceptions `{}::{}` declares.", s.name, f.name);
            // `From` only for exception types that appear once, or the impls would overlap.
            let mut counts: HashMap<String, usize> = HashMap::new();
            for t in &exc_types {
                *counts.entry(t.to_string()).or_default() += 1;
            }
            // The orphan rule forbids `From<T> for Error<E>` when `T` is another crate's
            // (an `extern_path` type); `HoldError::from(e).into()` works for those.
            let foreign: Vec<bool> = f
                .throws
                .iter()
                .map(|t| match self.p.resolve(file, &t.ty) {
                    (fi, Type::Named(n, _)) => self
                        .p
                        .lookup_type(fi, n)
                        .is_some_and(|(ti, _)| self.externs[ti].is_some()),
                    _ => false,
                })
                .collect();
            let froms = exc_types
                .iter()
                .zip(exc)
                .zip(foreign)
                .filter(|((t, _), _)| counts[&t.to_string()] == 1)
                .map(|((t, v), foreign)| {
                    let into_error = if foreign {
                        quote!()
                    } else {
                        quote! {
                            impl From<#t> for #rt::Error<#err> {
                                fn from(e: #t) -> Self {
                                    #rt::Error::Exception(#err::#v(e))
                                }
                            }
                        }
                    };
                    quote! {
                        impl From<#t> for #err {
                            fn from(e: #t) -> Self {
                                #err::#v(e)
                            }
                        }

                        #into_error
                    }
                });
            out.extend(quote! {
                #[doc = #err_doc]
                #[derive(Debug, Clone, PartialEq)]
                #[allow(clippy::large_enum_variant)]
                pub enum #err {
                    #(
                        #[doc = #err_docs]
                        #exc(#exc_types),
                    )*
                }

                impl ::std::fmt::Display for #err {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        match self {
                            #( #err::#exc(e) => ::std::fmt::Display::fmt(e, f), )*
                        }
                    }
                }

                impl ::std::error::Error for #err {
                    fn source(&self) -> Option<&(dyn ::std::error::Error + 'static)> {
                        match self {
                            #( #err::#exc(e) => Some(e), )*
                        }
                    }
                }

                impl From<#err> for #result {
                    fn from(e: #err) -> Self {
                        match e {
                            #( #err::#exc(e) => #result::#exc(e), )*
                        }
                    }
                }

                #(#froms)*
            });
        }
        Ok(out)
    }

    /// The `Result` type a method of `m` returns, as seen from the current file's module.
    fn method_return(&self, m: &Method<'_>) -> TokenStream {
        let rt = rt();
        let n = method_names(m.f);
        let md = self.method_mod(m);
        let ok = match &m.f.returns {
            // Seen from the file module of the declaring service, i.e. depth 0 there; for an
            // inherited method of another file the path must go through that file's module.
            Some(ty) => self.rty_from(m.file, ty),
            None => quote!(()),
        };
        let err = match &n.error {
            Some(e) => quote!(#md::#e),
            None => quote!(#rt::NoException),
        };
        quote!(Result<#ok, #rt::Error<#err>>)
    }

    /// `rty` for a type written in file `file`, used in the current file's module.
    fn rty_from(&self, file: usize, ty: &Type) -> TokenStream {
        self.rty(file, ty, 0, false)
    }

    fn server_trait(&self, file: usize, s: &Service) -> TokenStream {
        let rt = rt();
        let name = format_ident!("{}", camel(&s.name));
        let doc = docs(&s.doc);
        let supertrait = match &s.extends {
            Some((base, _)) => match self.p.lookup_service(file, base) {
                Some((bf, bs)) => self.def_path(file, bf, &camel(&bs.name), 0),
                None => quote!(Send + Sync + 'static),
            },
            None => quote!(Send + Sync + 'static),
        };
        let methods = s.functions.iter().map(|f| {
            let m = Method { file, service: s, f };
            let n = method_names(f);
            let mdoc = docs(&f.doc);
            let method = &n.method;
            let params = &n.params;
            let ptypes: Vec<TokenStream> = f.args.iter().map(|a| self.param_type(file, a)).collect();
            let ret = self.method_return(&m);
            let oneway = if f.oneway {
                quote! {
                    #[doc = ""]
                    #[doc = " `oneway` in the IDL: TChannel has no one-way calls, so this is served as an"]
                    #[doc = " ordinary call whose reply is empty."]
                }
            } else {
                quote!()
            };
            let wire = format!(" Called as `{}::{}`.", s.name, f.name);
            let sep = if f.doc.is_some() { quote!(#[doc = ""]) } else { quote!() };
            quote! {
                #mdoc
                #oneway
                #sep
                #[doc = #wire]
                #[allow(clippy::too_many_arguments)]
                fn #method(
                    &self,
                    ctx: &#rt::RequestContext,
                    #(#params: #ptypes,)*
                ) -> impl ::std::future::Future<Output = #ret> + Send;
            }
        });
        let trait_doc = format!(
            " The `{}` service: implement it and serve it with [`{}Server`].",
            s.name, name
        );
        let trait_doc = if self.o.server {
            trait_doc
        } else {
            format!(" The `{}` service.", s.name)
        };
        quote! {
            #doc
            #[doc = ""]
            #[doc = #trait_doc]
            pub trait #name: #supertrait {
                #(#methods)*
            }
        }
    }

    fn param_type(&self, file: usize, a: &Field) -> TokenStream {
        let t = self.rty(file, &a.ty, 0, false);
        let boxed = false;
        let _ = boxed;
        if a.required == Requiredness::Optional {
            quote!(Option<#t>)
        } else {
            t
        }
    }

    fn dispatcher(&self, file: usize, s: &Service) -> TokenStream {
        let rt = rt();
        let trait_name = format_ident!("{}", camel(&s.name));
        let server = format_ident!("{}Server", camel(&s.name));
        let leaf = &s.name;
        let methods = self.methods(file, s);
        let arg1s: Vec<String> = methods
            .iter()
            .map(|m| format!("{}::{}", leaf, m.f.name))
            .collect();
        let arms = methods.iter().zip(&arg1s).map(|(m, arg1)| {
            let n = method_names(m.f);
            let md = self.method_mod(m);
            let args = &n.args;
            let result = &n.result;
            let method = &n.method;
            let params = &n.params;
            let fields: Vec<Ident> = Self::field_names(&m.f.args)
                .iter()
                .map(|f| ident(f))
                .collect();
            let declaring = self.def_path(file, m.file, &camel(&m.service.name), 0);
            let success = if m.f.returns.is_some() {
                quote!(#md::#result::Success(v))
            } else {
                quote!({
                    let () = v;
                    #md::#result::Success
                })
            };
            let exception = if n.error.is_some() {
                quote! {
                    Err(#rt::Error::Exception(e)) => Ok(#rt::Response {
                        ok: false,
                        body: #rt::ThriftStruct::to_bytes(&#md::#result::from(e)),
                    }),
                }
            } else {
                quote! {
                    Err(#rt::Error::Exception(e)) => match e {},
                }
            };
            let binding = if params.is_empty() {
                quote!(_)
            } else {
                quote!(args)
            };
            quote! {
                #arg1 => Box::pin(async move {
                    let #binding = match <#md::#args as #rt::ThriftStruct>::from_bytes(args) {
                        Ok(a) => a,
                        Err(e) => {
                            return (ctx, Err(#rt::DispatchError::BadRequest(e)));
                        }
                    };
                    #( let #params = args.#fields; )*
                    let out = match <T as #declaring>::#method(&inner, &ctx, #(#params),*).await {
                        Ok(v) => Ok(#rt::Response {
                            ok: true,
                            body: #rt::ThriftStruct::to_bytes(&#success),
                        }),
                        #exception
                        Err(#rt::Error::Failure(e)) => {
                            Err(#rt::DispatchError::Unexpected(e))
                        }
                    };
                    (ctx, out)
                }),
            }
        });
        let doc =
            format!(
            " Serves a [`{trait_name}`] implementation: decodes each call's arguments, calls the \
             method and encodes its result. Answers {}.",
            arg1s.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")
        );
        let doc = if arg1s.is_empty() {
            format!(" Serves a [`{trait_name}`] implementation (the service has no methods).")
        } else {
            doc
        };
        let inner_unused = if methods.is_empty() {
            quote!(let _ = &inner; let _ = args;)
        } else {
            quote!()
        };
        let dispatch = if methods.is_empty() {
            quote! {
                let other = method.to_string();
                Box::pin(async move {
                    (ctx, Err(#rt::DispatchError::UnknownMethod(other)))
                })
            }
        } else {
            quote! {
                match method {
                    #(#arms)*
                    other => {
                        let other = other.to_string();
                        Box::pin(async move {
                            (ctx, Err(#rt::DispatchError::UnknownMethod(other)))
                        })
                    }
                }
            }
        };
        quote! {
            #[doc = #doc]
            #[derive(Debug)]
            pub struct #server<T> {
                inner: ::std::sync::Arc<T>,
            }

            impl<T> Clone for #server<T> {
                fn clone(&self) -> Self {
                    #server { inner: ::std::sync::Arc::clone(&self.inner) }
                }
            }

            impl<T: #trait_name> #server<T> {
                /// Serves `inner`.
                pub fn new(inner: T) -> Self {
                    #server { inner: ::std::sync::Arc::new(inner) }
                }

                /// Serves a shared `inner`.
                pub fn from_arc(inner: ::std::sync::Arc<T>) -> Self {
                    #server { inner }
                }

                /// The implementation being served.
                pub fn get_ref(&self) -> &T {
                    &self.inner
                }
            }

            impl<T: #trait_name> #rt::Service for #server<T> {
                fn name(&self) -> &'static str {
                    #leaf
                }

                fn methods(&self) -> &'static [&'static str] {
                    &[#(#arg1s),*]
                }

                fn call(
                    &self,
                    ctx: #rt::RequestContext,
                    method: &str,
                    args: #rt::Bytes,
                ) -> #rt::BoxFuture<'static, (#rt::RequestContext, Result<#rt::Response, #rt::DispatchError>)> {
                    let inner = ::std::sync::Arc::clone(&self.inner);
                    #inner_unused
                    #dispatch
                }
            }
        }
    }

    fn client(&self, file: usize, s: &Service) -> TokenStream {
        let rt = rt();
        let client = format_ident!("{}Client", camel(&s.name));
        let leaf = &s.name;
        let methods = self.methods(file, s).into_iter().map(|m| {
            let n = method_names(m.f);
            let md = self.method_mod(&m);
            let args = &n.args;
            let result = &n.result;
            let method = &n.method;
            let params = &n.params;
            let fields: Vec<Ident> = Self::field_names(&m.f.args).iter().map(|f| ident(f)).collect();
            let ptypes: Vec<TokenStream> = m.f.args.iter().map(|a| self.param_type(m.file, a)).collect();
            let inits: Vec<TokenStream> = fields
                .iter()
                .zip(params)
                .map(|(f, p)| if f == p { quote!(#f) } else { quote!(#f: #p) })
                .collect();
            let ret = self.method_return(&m);
            let arg1 = format!("{}::{}", leaf, m.f.name);
            let mdoc = docs(&m.f.doc);
            let wire = format!(" Sends `{arg1}`.");
            let oneway = if m.f.oneway {
                quote! {
                    #[doc = ""]
                    #[doc = " `oneway` in the IDL: TChannel has no one-way calls, so this waits for the"]
                    #[doc = " server's empty reply."]
                }
            } else {
                quote!()
            };
            let success = if m.f.returns.is_some() {
                quote!(#md::#result::Success(v) => Ok(v),)
            } else {
                quote!(#md::#result::Success => Ok(()),)
            };
            let mut exc_arms = Vec::new();
            if let Some(err) = &n.error {
                for exc in &n.exceptions {
                    exc_arms.push(quote!(#md::#result::#exc(e) => Err(#rt::Error::Exception(#md::#err::#exc(e))),));
                }
            }
            let sep = if m.f.doc.is_some() { quote!(#[doc = ""]) } else { quote!() };
            quote! {
                #mdoc
                #oneway
                #sep
                #[doc = #wire]
                #[allow(clippy::too_many_arguments)]
                pub async fn #method(&self, #(#params: #ptypes),*) -> #ret {
                    let args = #md::#args { #(#inits,)* };
                    let response = self
                        .transport
                        .call(#arg1, #rt::ThriftStruct::to_bytes(&args))
                        .await
                        .map_err(#rt::Error::Failure)?;
                    let result = <#md::#result as #rt::ThriftStruct>::from_bytes(response.body)
                        .map_err(|e| #rt::Error::Failure(Box::new(e)))?;
                    match result {
                        #success
                        #(#exc_arms)*
                    }
                }
            }
        });
        let doc = format!(
            " A client of the `{leaf}` service, sending calls through a [`Transport`]({rt_path}::thrift::Transport).",
            rt_path = self.o.runtime_path
        );
        quote! {
            #[doc = #doc]
            #[derive(Debug, Clone)]
            pub struct #client<T> {
                transport: T,
            }

            impl<T: #rt::Transport> #client<T> {
                /// A client that sends its calls through `transport`.
                pub fn new(transport: T) -> Self {
                    #client { transport }
                }

                /// The transport.
                pub fn transport(&self) -> &T {
                    &self.transport
                }

                #(#methods)*
            }
        }
    }

    /// `<Name>BlockingClient`: the client's methods for code without an async runtime, run
    /// on a `BlockingRuntime`'s own thread.
    fn blocking_client(&self, file: usize, s: &Service) -> TokenStream {
        let rt = rt();
        let client = format_ident!("{}Client", camel(&s.name));
        let blocking = format_ident!("{}BlockingClient", camel(&s.name));
        let methods = self.methods(file, s).into_iter().map(|m| {
            let n = method_names(m.f);
            let method = &n.method;
            let params = &n.params;
            let ptypes: Vec<TokenStream> =
                m.f.args
                    .iter()
                    .map(|a| self.param_type(m.file, a))
                    .collect();
            let ret = self.method_return(&m);
            let doc = format!(" [`{client}::{method}`], waiting for its result.");
            quote! {
                #[doc = #doc]
                #[allow(clippy::too_many_arguments)]
                pub fn #method(&self, #(#params: #ptypes),*) -> #ret {
                    self.runtime.block_on(self.client.#method(#(#params),*))
                }
            }
        });
        let doc = format!(
            " A blocking client of the `{}` service: the methods of [`{client}`], each waiting for its result, for code without an async runtime. Calls run on the `BlockingRuntime`'s own thread; to have several in flight at once, `spawn` calls of [`{client}`] on the runtime and `wait` for them.",
            s.name
        );
        quote! {
            #[doc = #doc]
            #[derive(Debug, Clone)]
            pub struct #blocking<T> {
                client: #client<T>,
                runtime: #rt::BlockingRuntime,
            }

            impl<T: #rt::Transport> #blocking<T> {
                /// A blocking client sending through `transport` on `runtime`.
                pub fn new(transport: T, runtime: &#rt::BlockingRuntime) -> Self {
                    #blocking { client: #client::new(transport), runtime: runtime.clone() }
                }

                /// The async client underneath (to `spawn` several calls at once).
                pub fn client(&self) -> &#client<T> {
                    &self.client
                }

                /// The runtime the calls run on (its `spawn` starts several at once).
                pub fn runtime(&self) -> &#rt::BlockingRuntime {
                    &self.runtime
                }

                #(#methods)*
            }
        }
    }
}
