//! Loading a root IDL file with everything it includes, and the semantic checks.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::ast::*;
use crate::error::Error;
use crate::parser::parse_document;

/// One loaded IDL file.
#[derive(Debug, Clone)]
pub struct File {
    /// The path the file was read from.
    pub path: PathBuf,
    /// The include name: the file name without `.thrift` (what other files write before `.`).
    pub name: String,
    /// The text.
    pub source: String,
    /// The syntax tree.
    pub doc: Document,
    /// Included files by include name, as indexes into [`Program::files`].
    pub includes: BTreeMap<String, usize>,
}

/// A root IDL file and all files it includes, checked.
#[derive(Debug, Clone)]
pub struct Program {
    /// Every file, each after the files it includes.
    pub files: Vec<File>,
    /// Per file: definition name -> index in its `definitions`.
    index: Vec<HashMap<String, usize>>,
}

/// What a type name refers to.
#[derive(Debug, Clone, Copy)]
pub enum TypeDef<'a> {
    /// A typedef.
    Typedef(&'a Typedef),
    /// An enum.
    Enum(&'a Enum),
    /// A struct, union or exception.
    Struct(&'a Struct),
}

/// What a constant reference refers to.
#[derive(Debug, Clone, Copy)]
pub enum ConstTarget<'a> {
    /// A `const`, in the file with this index.
    Const(usize, &'a Const),
    /// A value of an enum, in the file with this index.
    EnumValue(usize, &'a Enum, &'a EnumValue),
}

/// Loads `root` and its includes, searching `include_dirs` after the including file's folder,
/// and checks the result.
pub fn load(root: &Path, include_dirs: &[PathBuf]) -> Result<Program, Error> {
    let mut loader = Loader {
        include_dirs,
        files: Vec::new(),
        by_path: HashMap::new(),
        stack: Vec::new(),
    };
    loader.load(root, None)?;
    let program = Program::new(loader.files);
    program.check()?;
    Ok(program)
}

/// Parses and checks a single file given as text (it may not include others).
pub fn load_str(path: &Path, source: &str) -> Result<Program, Error> {
    let doc = parse_document(path, source)?;
    if let Some((inc, span)) = doc.includes.first() {
        return Err(Error::at(
            path,
            source,
            *span,
            format!("include not found: {inc}"),
        ));
    }
    let program = Program::new(vec![File {
        path: path.to_owned(),
        name: include_name(path),
        source: source.to_owned(),
        doc,
        includes: BTreeMap::new(),
    }]);
    program.check()?;
    Ok(program)
}

fn include_name(path: &Path) -> String {
    let file = path.file_name().and_then(|s| s.to_str()).unwrap_or("");
    file.strip_suffix(".thrift").unwrap_or(file).to_string()
}

struct Loader<'a> {
    include_dirs: &'a [PathBuf],
    files: Vec<File>,
    by_path: HashMap<PathBuf, usize>,
    stack: Vec<PathBuf>,
}

impl Loader<'_> {
    fn load(&mut self, path: &Path, from: Option<(&File, Span)>) -> Result<usize, Error> {
        let canonical = path.canonicalize().unwrap_or_else(|_| path.to_owned());
        if let Some(&idx) = self.by_path.get(&canonical) {
            return Ok(idx);
        }
        if let Some(pos) = self.stack.iter().position(|p| *p == canonical) {
            let cycle: Vec<String> = self.stack[pos..]
                .iter()
                .chain(std::iter::once(&canonical))
                .map(|p| {
                    p.file_name()
                        .map(|f| f.to_string_lossy().into_owned())
                        .unwrap_or_default()
                })
                .collect();
            let msg = format!("include cycle: {}", cycle.join(" -> "));
            return Err(match from {
                Some((f, span)) => Error::at(&f.path, &f.source, span, msg),
                None => Error::file(path, msg),
            });
        }
        let source = std::fs::read_to_string(path).map_err(|e| match from {
            Some((f, span)) => Error::at(
                &f.path,
                &f.source,
                span,
                format!("cannot read {}: {e}", path.display()),
            ),
            None => Error::file(path, format!("cannot read: {e}")),
        })?;
        let doc = parse_document(path, &source)?;
        let mut file = File {
            path: path.to_owned(),
            name: include_name(path),
            source,
            doc,
            includes: BTreeMap::new(),
        };
        self.stack.push(canonical.clone());
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        for (inc, span) in file.doc.includes.clone() {
            let candidates = std::iter::once(dir.join(&inc))
                .chain(self.include_dirs.iter().map(|d| d.join(&inc)));
            let found = if Path::new(&inc).is_absolute() {
                Some(PathBuf::from(&inc)).filter(|p| p.is_file())
            } else {
                candidates.into_iter().find(|p| p.is_file())
            };
            let Some(found) = found else {
                let searched: Vec<String> = std::iter::once(dir.display().to_string())
                    .chain(self.include_dirs.iter().map(|d| d.display().to_string()))
                    .collect();
                return Err(Error::at(
                    &file.path,
                    &file.source,
                    span,
                    format!(
                        "include not found: \"{inc}\" (searched {})",
                        searched.join(", ")
                    ),
                ));
            };
            let idx = self.load(&found, Some((&file, span)))?;
            file.includes.insert(include_name(&found), idx);
        }
        self.stack.pop();
        let idx = self.files.len();
        self.files.push(file);
        self.by_path.insert(canonical, idx);
        Ok(idx)
    }
}

/// Splits `a.B` into (`Some("a")`, `B`), or (`None`, `B`).
fn split_scope(name: &str) -> (Option<&str>, &str) {
    match name.split_once('.') {
        Some((scope, rest)) => (Some(scope), rest),
        None => (None, name),
    }
}

impl Program {
    fn new(files: Vec<File>) -> Self {
        let index = files
            .iter()
            .map(|f| {
                let mut m = HashMap::new();
                for (i, d) in f.doc.definitions.iter().enumerate() {
                    // The first definition of a name wins; the checker reports the others.
                    m.entry(d.name().to_string()).or_insert(i);
                }
                m
            })
            .collect();
        Program { files, index }
    }

    fn definition(&self, file: usize, name: &str) -> Option<&Definition> {
        let i = *self.index[file].get(name)?;
        self.files[file].doc.definitions.get(i)
    }

    /// The root file (the one compiled; it comes last).
    pub fn root(&self) -> usize {
        self.files.len() - 1
    }

    /// Looks a type name up as seen from file `file`: a local name or `include.Name`.
    pub fn lookup_type(&self, file: usize, name: &str) -> Option<(usize, TypeDef<'_>)> {
        let (idx, local) = self.scope(file, name)?;
        match self.definition(idx, local)? {
            Definition::Typedef(t) => Some((idx, TypeDef::Typedef(t))),
            Definition::Enum(e) => Some((idx, TypeDef::Enum(e))),
            Definition::Struct(s) => Some((idx, TypeDef::Struct(s))),
            _ => None,
        }
    }

    /// Looks a service name up as seen from file `file`.
    pub fn lookup_service(&self, file: usize, name: &str) -> Option<(usize, &Service)> {
        let (idx, local) = self.scope(file, name)?;
        match self.definition(idx, local)? {
            Definition::Service(s) => Some((idx, s)),
            _ => None,
        }
    }

    fn scope<'n>(&self, file: usize, name: &'n str) -> Option<(usize, &'n str)> {
        match split_scope(name) {
            (Some(scope), rest) if self.files[file].includes.contains_key(scope) => {
                Some((self.files[file].includes[scope], rest))
            }
            (Some(_), _) if name.contains('.') => {
                // A local name never has a dot, except an enum value reference handled elsewhere.
                None
            }
            (_, _) => Some((file, name)),
        }
    }

    /// Looks a constant reference up: `NAME`, `Enum.VALUE`, `inc.NAME`, `inc.Enum.VALUE`.
    pub fn lookup_const(&self, file: usize, name: &str) -> Option<ConstTarget<'_>> {
        let find_in = |idx: usize, rest: &str| -> Option<ConstTarget<'_>> {
            if let Some((enum_name, value)) = rest.split_once('.') {
                return match self.definition(idx, enum_name)? {
                    Definition::Enum(e) => e
                        .values
                        .iter()
                        .find(|v| v.name == value)
                        .map(|v| ConstTarget::EnumValue(idx, e, v)),
                    _ => None,
                };
            }
            match self.definition(idx, rest)? {
                Definition::Const(c) => Some(ConstTarget::Const(idx, c)),
                _ => None,
            }
        };
        if let Some((scope, rest)) = name.split_once('.') {
            if let Some(&idx) = self.files[file].includes.get(scope) {
                if let Some(t) = find_in(idx, rest) {
                    return Some(t);
                }
            }
        }
        find_in(file, name)
    }

    /// Follows typedefs until a type that is not one. Returns the file the result is relative
    /// to. Unknown names are returned as they are.
    pub fn resolve<'t>(&'t self, file: usize, ty: &'t Type) -> (usize, &'t Type) {
        let mut cur = (file, ty);
        for _ in 0..64 {
            match cur.1 {
                Type::Named(name, _) => match self.lookup_type(cur.0, name) {
                    Some((idx, TypeDef::Typedef(t))) => cur = (idx, &t.ty),
                    _ => return cur,
                },
                _ => return cur,
            }
        }
        cur
    }

    fn check(&self) -> Result<(), Error> {
        for idx in 0..self.files.len() {
            Checker { p: self, idx }.check()?;
        }
        Ok(())
    }
}

struct Checker<'a> {
    p: &'a Program,
    idx: usize,
}

impl Checker<'_> {
    fn err(&self, span: Span, msg: impl Into<String>) -> Error {
        let f = &self.p.files[self.idx];
        Error::at(&f.path, &f.source, span, msg)
    }

    fn check(&self) -> Result<(), Error> {
        let doc = &self.p.files[self.idx].doc;
        let mut names: HashMap<&str, Span> = HashMap::new();
        for d in &doc.definitions {
            if let Some(prev) = names.insert(d.name(), d.span()) {
                return Err(self.err(
                    d.span(),
                    format!("`{}` is already defined at line {}", d.name(), prev.line),
                ));
            }
        }
        for d in &doc.definitions {
            match d {
                Definition::Const(c) => {
                    self.check_type(&c.ty)?;
                    self.check_value(&c.ty, &c.value, self.idx)?;
                }
                Definition::Typedef(t) => {
                    self.check_type(&t.ty)?;
                    self.check_typedef_cycle(t)?;
                }
                Definition::Enum(e) => {
                    let mut seen = HashSet::new();
                    for v in &e.values {
                        if !seen.insert(&v.name) {
                            return Err(self.err(
                                v.span,
                                format!("duplicate enum value `{}` in `{}`", v.name, e.name),
                            ));
                        }
                    }
                }
                Definition::Struct(s) => self.check_fields(&s.name, &s.fields)?,
                Definition::Service(s) => self.check_service(s)?,
            }
        }
        Ok(())
    }

    fn check_typedef_cycle(&self, t: &Typedef) -> Result<(), Error> {
        let mut cur = (self.idx, &t.ty);
        for _ in 0..64 {
            match cur.1 {
                Type::Named(name, _) => match self.p.lookup_type(cur.0, name) {
                    Some((i, TypeDef::Typedef(next))) => cur = (i, &next.ty),
                    _ => return Ok(()),
                },
                _ => return Ok(()),
            }
        }
        Err(self.err(t.span, format!("typedef `{}` refers to itself", t.name)))
    }

    fn check_fields(&self, owner: &str, fields: &[Field]) -> Result<(), Error> {
        let mut ids: HashMap<i32, &Field> = HashMap::new();
        let mut names: HashMap<&str, &Field> = HashMap::new();
        for f in fields {
            if let Some(prev) = ids.insert(f.id, f) {
                return Err(self.err(
                    f.id_span,
                    format!(
                        "duplicate field id {} in `{owner}`: `{}` and `{}`",
                        f.id, prev.name, f.name
                    ),
                ));
            }
            if names.insert(&f.name, f).is_some() {
                return Err(self.err(
                    f.span,
                    format!("duplicate field name `{}` in `{owner}`", f.name),
                ));
            }
            self.check_type(&f.ty)?;
            if let Some(v) = &f.default {
                self.check_value(&f.ty, v, self.idx)?;
            }
        }
        Ok(())
    }

    fn check_service(&self, s: &Service) -> Result<(), Error> {
        if let Some((base, span)) = &s.extends {
            if self.p.lookup_service(self.idx, base).is_none() {
                return Err(self.err(
                    *span,
                    format!("service `{}` extends unknown service `{base}`", s.name),
                ));
            }
        }
        let mut names = HashSet::new();
        for f in &s.functions {
            if !names.insert(&f.name) {
                return Err(self.err(
                    f.span,
                    format!("duplicate method `{}` in service `{}`", f.name, s.name),
                ));
            }
            if let Some(r) = &f.returns {
                self.check_type(r)?;
            }
            self.check_fields(&format!("{}.{}", s.name, f.name), &f.args)?;
            self.check_fields(&format!("{}.{} throws", s.name, f.name), &f.throws)?;
            for t in &f.throws {
                let is_exception = match self.p.resolve(self.idx, &t.ty) {
                    (i, Type::Named(n, _)) => matches!(
                        self.p.lookup_type(i, n),
                        Some((_, TypeDef::Struct(st))) if st.kind == StructKind::Exception
                    ),
                    _ => false,
                };
                if !is_exception {
                    return Err(self.err(
                        t.span,
                        format!(
                            "`throws` field `{}` of `{}` is not an exception",
                            t.name, f.name
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    fn check_type(&self, ty: &Type) -> Result<(), Error> {
        match ty {
            Type::Map(k, v) => {
                self.check_type(k)?;
                self.check_type(v)
            }
            Type::Set(t) | Type::List(t) => self.check_type(t),
            Type::Named(name, span) => match self.p.lookup_type(self.idx, name) {
                Some(_) => Ok(()),
                None => {
                    let hint = match split_scope(name) {
                        (Some(scope), _)
                            if !self.p.files[self.idx].includes.contains_key(scope) =>
                        {
                            format!(" (no included file is named `{scope}`)")
                        }
                        _ => String::new(),
                    };
                    Err(self.err(*span, format!("unknown type `{name}`{hint}")))
                }
            },
            _ => Ok(()),
        }
    }

    /// Checks that `value` fits `ty`, where `ty` is written in file `tfile`.
    fn check_value(&self, ty: &Type, value: &ConstValue, tfile: usize) -> Result<(), Error> {
        // A reference to another constant: check that constant's value instead.
        if let ConstValue::Ref(name, span) = value {
            let (rf, rt) = self.p.resolve(tfile, ty);
            let enum_ty = match rt {
                Type::Named(n, _) => match self.p.lookup_type(rf, n) {
                    Some((_, TypeDef::Enum(e))) => Some(e),
                    _ => None,
                },
                _ => None,
            };
            // As in Apache Thrift, a value for an enum type is looked up by its last segment
            // in that enum, whatever prefix it was written with.
            if let Some(e) = enum_ty {
                let last = name.rsplit('.').next().unwrap_or(name);
                if e.values.iter().any(|v| v.name == last) {
                    return Ok(());
                }
            }
            return match self.p.lookup_const(self.idx, name) {
                Some(ConstTarget::Const(cf, c)) => Checker { p: self.p, idx: cf }
                    .check_value(ty, &c.value, tfile)
                    .map_err(|_| {
                        self.err(
                            *span,
                            format!("constant `{name}` does not fit type {}", type_name(ty)),
                        )
                    }),
                Some(ConstTarget::EnumValue(_, e, _)) => match enum_ty {
                    Some(te) if te.name == e.name => Ok(()),
                    _ if matches!(
                        rt,
                        Type::I32 | Type::I64 | Type::I16 | Type::I8 | Type::Double
                    ) =>
                    {
                        Ok(())
                    }
                    _ => Err(self.err(
                        *span,
                        format!(
                            "`{name}` is a value of enum `{}`, not of type {}",
                            e.name,
                            type_name(ty)
                        ),
                    )),
                },
                None => Err(self.err(*span, format!("unknown constant `{name}`"))),
            };
        }
        let (rf, rt) = self.p.resolve(tfile, ty);
        let bad = |what: &str| {
            self.err(
                value.span(),
                format!("{what} does not fit type {}", type_name(ty)),
            )
        };
        let int_range = |lo: i64, hi: i64| -> Result<(), Error> {
            match value {
                ConstValue::Int(v, _) if (lo..=hi).contains(v) => Ok(()),
                ConstValue::Int(v, _) => Err(bad(&format!("value {v}"))),
                _ => Err(bad("this value")),
            }
        };
        match rt {
            Type::Bool => int_range(0, 1),
            Type::I8 => int_range(i8::MIN as i64, i8::MAX as i64),
            Type::I16 => int_range(i16::MIN as i64, i16::MAX as i64),
            Type::I32 => int_range(i32::MIN as i64, i32::MAX as i64),
            Type::I64 => int_range(i64::MIN, i64::MAX),
            Type::Double => match value {
                ConstValue::Int(..) | ConstValue::Double(..) => Ok(()),
                _ => Err(bad("this value")),
            },
            Type::String | Type::Binary => match value {
                ConstValue::String(..) => Ok(()),
                _ => Err(bad("this value")),
            },
            Type::List(t) | Type::Set(t) => match value {
                ConstValue::List(items, _) => {
                    items.iter().try_for_each(|i| self.check_value(t, i, rf))
                }
                // `{}` is accepted as an empty list or set.
                ConstValue::Map(entries, _) if entries.is_empty() => Ok(()),
                _ => Err(bad("this value")),
            },
            Type::Map(k, v) => match value {
                ConstValue::List(items, _) if items.is_empty() => Ok(()),
                ConstValue::Map(entries, _) => entries.iter().try_for_each(|(ek, ev)| {
                    self.check_value(k, ek, rf)?;
                    self.check_value(v, ev, rf)
                }),
                _ => Err(bad("this value")),
            },
            Type::Named(name, _) => match self.p.lookup_type(rf, name) {
                Some((_, TypeDef::Enum(e))) => match value {
                    ConstValue::Int(v, span) if e.values.iter().any(|ev| ev.value as i64 == *v) => {
                        let _ = span;
                        Ok(())
                    }
                    ConstValue::Int(v, _) => Err(bad(&format!(
                        "value {v} (not a value of enum `{}`)",
                        e.name
                    ))),
                    _ => Err(bad("this value")),
                },
                Some((sf, TypeDef::Struct(s))) => match value {
                    ConstValue::Map(entries, _) => {
                        entries.iter().try_for_each(|(ek, ev)| match ek {
                            ConstValue::String(fname, span) => {
                                match s.fields.iter().find(|f| &f.name == fname) {
                                    Some(f) => self.check_value(&f.ty, ev, sf),
                                    None => Err(self.err(
                                        *span,
                                        format!("`{}` has no field `{fname}`", s.name),
                                    )),
                                }
                            }
                            other => Err(self.err(
                                other.span(),
                                format!("a field name of `{}` must be a string", s.name),
                            )),
                        })
                    }
                    _ => Err(bad("this value")),
                },
                _ => Err(bad("this value")),
            },
        }
    }
}

/// The IDL spelling of a type, for messages.
pub fn type_name(ty: &Type) -> String {
    match ty {
        Type::Bool => "bool".into(),
        Type::I8 => "i8".into(),
        Type::I16 => "i16".into(),
        Type::I32 => "i32".into(),
        Type::I64 => "i64".into(),
        Type::Double => "double".into(),
        Type::String => "string".into(),
        Type::Binary => "binary".into(),
        Type::Map(k, v) => format!("map<{}, {}>", type_name(k), type_name(v)),
        Type::Set(t) => format!("set<{}>", type_name(t)),
        Type::List(t) => format!("list<{}>", type_name(t)),
        Type::Named(n, _) => n.clone(),
    }
}
