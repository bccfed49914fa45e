//! The syntax tree of one Thrift IDL file.

use std::collections::BTreeMap;

/// A position in an IDL file, 1-based, with the byte offset it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    /// Byte offset of the start.
    pub offset: usize,
    /// Byte offset of the end.
    pub end: usize,
    /// Line, from 1.
    pub line: usize,
    /// Column in characters, from 1.
    pub col: usize,
}

/// Annotations `(key = "value", flag)`; a key without a value has the value `"1"`, as in Apache
/// Thrift.
pub type Annotations = BTreeMap<String, String>;

/// One parsed IDL file.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// The file's own doc: a `/** */` comment that opens the file and is followed by a blank
    /// line or by a header (`include`, `namespace`), rather than directly by a definition.
    pub doc: Option<String>,
    /// `include "x.thrift"` paths, as written.
    pub includes: Vec<(String, Span)>,
    /// `cpp_include` paths.
    pub cpp_includes: Vec<String>,
    /// `namespace <scope> <name>`; scope `*` applies to all languages.
    pub namespaces: Vec<(String, String)>,
    /// The definitions in file order.
    pub definitions: Vec<Definition>,
}

/// A top-level definition.
#[derive(Debug, Clone)]
pub enum Definition {
    /// `const T NAME = value`.
    Const(Const),
    /// `typedef T Name`.
    Typedef(Typedef),
    /// `enum Name { ... }`.
    Enum(Enum),
    /// `struct`, `union` or `exception`.
    Struct(Struct),
    /// `service Name extends Base { ... }`.
    Service(Service),
}

impl Definition {
    /// The defined name.
    pub fn name(&self) -> &str {
        match self {
            Definition::Const(d) => &d.name,
            Definition::Typedef(d) => &d.name,
            Definition::Enum(d) => &d.name,
            Definition::Struct(d) => &d.name,
            Definition::Service(d) => &d.name,
        }
    }

    /// The definition's doc comment.
    pub fn doc(&self) -> Option<&str> {
        match self {
            Definition::Const(d) => d.doc.as_deref(),
            Definition::Typedef(d) => d.doc.as_deref(),
            Definition::Enum(d) => d.doc.as_deref(),
            Definition::Struct(d) => d.doc.as_deref(),
            Definition::Service(d) => d.doc.as_deref(),
        }
    }

    /// Removes the definition's doc comment.
    pub fn clear_doc(&mut self) {
        match self {
            Definition::Const(d) => d.doc = None,
            Definition::Typedef(d) => d.doc = None,
            Definition::Enum(d) => d.doc = None,
            Definition::Struct(d) => d.doc = None,
            Definition::Service(d) => d.doc = None,
        }
    }

    /// Where the name stands.
    pub fn span(&self) -> Span {
        match self {
            Definition::Const(d) => d.span,
            Definition::Typedef(d) => d.span,
            Definition::Enum(d) => d.span,
            Definition::Struct(d) => d.span,
            Definition::Service(d) => d.span,
        }
    }
}

/// A type as written in the IDL.
#[derive(Debug, Clone, PartialEq)]
pub enum Type {
    /// `bool`.
    Bool,
    /// `byte` or `i8`.
    I8,
    /// `i16`.
    I16,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `double`.
    Double,
    /// `string`.
    String,
    /// `binary`.
    Binary,
    /// `map<K, V>`.
    Map(Box<Type>, Box<Type>),
    /// `set<T>`.
    Set(Box<Type>),
    /// `list<T>`.
    List(Box<Type>),
    /// A named type: a typedef, enum, struct, union or exception, possibly `file.Name`.
    Named(String, Span),
}

/// A constant value as written.
#[derive(Debug, Clone, PartialEq)]
pub enum ConstValue {
    /// An integer (decimal or hex; `true` and `false` are `1` and `0` in Thrift).
    Int(i64, Span),
    /// A double.
    Double(f64, Span),
    /// A string literal, escapes processed.
    String(String, Span),
    /// A reference to a constant or an enum value.
    Ref(String, Span),
    /// `[a, b]`.
    List(Vec<ConstValue>, Span),
    /// `{k: v}`.
    Map(Vec<(ConstValue, ConstValue)>, Span),
}

impl ConstValue {
    /// Where the value stands.
    pub fn span(&self) -> Span {
        match self {
            ConstValue::Int(_, s)
            | ConstValue::Double(_, s)
            | ConstValue::String(_, s)
            | ConstValue::Ref(_, s)
            | ConstValue::List(_, s)
            | ConstValue::Map(_, s) => *s,
        }
    }
}

/// `const T NAME = value`.
#[derive(Debug, Clone)]
pub struct Const {
    /// Name.
    pub name: String,
    /// Declared type.
    pub ty: Type,
    /// Value.
    pub value: ConstValue,
    /// Doc comment.
    pub doc: Option<String>,
    /// Position of the name.
    pub span: Span,
}

/// `typedef T Name`.
#[derive(Debug, Clone)]
pub struct Typedef {
    /// New name.
    pub name: String,
    /// Aliased type.
    pub ty: Type,
    /// Doc comment.
    pub doc: Option<String>,
    /// Annotations.
    pub annotations: Annotations,
    /// Position of the name.
    pub span: Span,
}

/// An enum.
#[derive(Debug, Clone)]
pub struct Enum {
    /// Name.
    pub name: String,
    /// Values in declaration order, implicit values filled in.
    pub values: Vec<EnumValue>,
    /// Doc comment.
    pub doc: Option<String>,
    /// Annotations.
    pub annotations: Annotations,
    /// Position of the name.
    pub span: Span,
}

/// One enum value.
#[derive(Debug, Clone)]
pub struct EnumValue {
    /// Name.
    pub name: String,
    /// Value (explicit, or one more than the previous, from 0).
    pub value: i32,
    /// Doc comment.
    pub doc: Option<String>,
    /// Annotations.
    pub annotations: Annotations,
    /// Position of the name.
    pub span: Span,
}

/// Which of the three struct-like definitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StructKind {
    /// `struct`.
    Struct,
    /// `union`.
    Union,
    /// `exception`.
    Exception,
}

/// A struct, union or exception.
#[derive(Debug, Clone)]
pub struct Struct {
    /// Which kind.
    pub kind: StructKind,
    /// Name.
    pub name: String,
    /// Fields in declaration order.
    pub fields: Vec<Field>,
    /// Doc comment.
    pub doc: Option<String>,
    /// Annotations.
    pub annotations: Annotations,
    /// Position of the name.
    pub span: Span,
}

/// Field requiredness.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requiredness {
    /// `required`.
    Required,
    /// `optional`.
    Optional,
    /// Neither: written always, may be absent when read.
    Default,
}

/// A field of a struct, an argument or a `throws` entry.
#[derive(Debug, Clone)]
pub struct Field {
    /// The field id: explicit, or assigned from -1 downwards as Apache Thrift does.
    pub id: i32,
    /// Whether the id was assigned rather than written.
    pub auto_id: bool,
    /// Name.
    pub name: String,
    /// Type.
    pub ty: Type,
    /// Requiredness.
    pub required: Requiredness,
    /// Default value.
    pub default: Option<ConstValue>,
    /// Whether the field was marked `&` (a reference in C++).
    pub reference: bool,
    /// Doc comment.
    pub doc: Option<String>,
    /// Annotations.
    pub annotations: Annotations,
    /// Position of the name.
    pub span: Span,
    /// Position of the id, or of the field start when there is none.
    pub id_span: Span,
}

/// A service.
#[derive(Debug, Clone)]
pub struct Service {
    /// Name.
    pub name: String,
    /// `extends` target, as written.
    pub extends: Option<(String, Span)>,
    /// Methods.
    pub functions: Vec<Function>,
    /// Doc comment.
    pub doc: Option<String>,
    /// Annotations.
    pub annotations: Annotations,
    /// Position of the name.
    pub span: Span,
}

/// A service method.
#[derive(Debug, Clone)]
pub struct Function {
    /// Name.
    pub name: String,
    /// `oneway`.
    pub oneway: bool,
    /// Return type; `None` for `void`.
    pub returns: Option<Type>,
    /// Arguments.
    pub args: Vec<Field>,
    /// Declared exceptions.
    pub throws: Vec<Field>,
    /// Doc comment.
    pub doc: Option<String>,
    /// Annotations.
    pub annotations: Annotations,
    /// Position of the name.
    pub span: Span,
}
