//! The pest grammar and the walk from its parse tree to the [`ast`](crate::ast).

use std::path::Path;

use pest::iterators::Pair;
use pest::Parser as _;
use pest_derive::Parser;

use crate::ast::*;
use crate::error::Error;

#[derive(Parser)]
#[grammar = "thrift.pest"]
struct ThriftParser;

/// Parses the text of one IDL file. `file` is used in error messages only.
pub fn parse_document(file: &Path, source: &str) -> Result<Document, Error> {
    let mut pairs =
        ThriftParser::parse(Rule::document, source).map_err(|e| syntax_error(file, source, e))?;
    let doc = pairs.next().expect("document rule always yields a pair");
    let line_starts = std::iter::once(0)
        .chain(source.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let mut walker = Walker {
        file,
        source,
        line_starts,
    };
    walker.document(doc)
}

fn rule_name(rule: &Rule) -> String {
    let s = match rule {
        Rule::EOI => "end of file",
        Rule::include | Rule::kw_include => "`include`",
        Rule::cpp_include | Rule::kw_cpp_include => "`cpp_include`",
        Rule::namespace | Rule::kw_namespace => "`namespace`",
        Rule::const_def | Rule::kw_const => "`const`",
        Rule::typedef | Rule::kw_typedef => "`typedef`",
        Rule::enum_def | Rule::kw_enum => "`enum`",
        Rule::struct_def | Rule::kw_struct => "`struct`",
        Rule::union_def | Rule::kw_union => "`union`",
        Rule::exception_def | Rule::kw_exception => "`exception`",
        Rule::service | Rule::kw_service => "`service`",
        Rule::extends | Rule::kw_extends => "`extends`",
        Rule::throws | Rule::kw_throws => "`throws`",
        Rule::identifier | Rule::type_ref | Rule::const_ref => "an identifier",
        Rule::field_type | Rule::base_type | Rule::container_type | Rule::base_name => "a type",
        Rule::function_type | Rule::void_type => "a return type",
        Rule::field => "a field",
        Rule::field_id => "a field id",
        Rule::function => "a method",
        Rule::enum_value => "an enum value",
        Rule::const_value | Rule::const_list | Rule::const_map | Rule::map_entry => {
            "a constant value"
        }
        Rule::int_constant | Rule::dec_constant | Rule::hex_constant => "an integer",
        Rule::double_constant => "a number",
        Rule::literal => "a string literal",
        Rule::annotations => "annotations `(...)`",
        Rule::annotation => "an annotation",
        Rule::requiredness => "`required` or `optional`",
        Rule::field_default => "`=` and a default value",
        Rule::oneway => "`oneway`",
        Rule::reference => "`&`",
        Rule::cpp_type => "`cpp_type`",
        other => return format!("`{}`", format!("{other:?}").trim_start_matches("kw_")),
    };
    s.to_string()
}

fn syntax_error(file: &Path, source: &str, e: pest::error::Error<Rule>) -> Error {
    use pest::error::{ErrorVariant, InputLocation, LineColLocation};
    let (line, col) = match e.line_col {
        LineColLocation::Pos(p) | LineColLocation::Span(p, _) => p,
    };
    let offset = match e.location {
        InputLocation::Pos(p) | InputLocation::Span((p, _)) => p,
    };
    let found = source[offset.min(source.len())..]
        .split(|c: char| c.is_whitespace())
        .next()
        .filter(|s| !s.is_empty())
        .map(|s| format!("found `{}`", s.chars().take(20).collect::<String>()))
        .unwrap_or_else(|| "found end of file".to_string());
    let message = match &e.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            let mut names: Vec<String> = positives.iter().map(rule_name).collect();
            names.sort();
            names.dedup();
            match names.len() {
                0 => format!("syntax error, {found}"),
                1 => format!("expected {}, {found}", names[0]),
                _ => {
                    let last = names.pop().unwrap_or_default();
                    format!("expected {} or {last}, {found}", names.join(", "))
                }
            }
        }
        // pest refuses input nested deeper than the native stack allows.
        ErrorVariant::CustomError { message } if message.contains("stack limit") => {
            format!("nested too deeply to parse ({message})")
        }
        ErrorVariant::CustomError { message } => message.clone(),
    };
    let span = Span {
        offset,
        end: offset,
        line,
        col,
    };
    Error::at(file, source, span, message)
}

/// How deep types (`list<list<...>>`) and constant values (`[[...]]`) may nest. Deeper input
/// is refused with a located error: the walker, the checker and the generator all recurse.
const MAX_NESTING: usize = 64;

struct Walker<'a> {
    file: &'a Path,
    source: &'a str,
    /// Byte offset where each line starts: pest's own `line_col` scans from the start of the
    /// input every time, which makes large files quadratic.
    line_starts: Vec<usize>,
}

/// Finds the `/** ... */` comment that ends right before `offset` (only whitespace between),
/// and cleans it up the way Apache Thrift does: strip the comment markers, the leading `*` of
/// each line and the common indentation.
fn doc_before(source: &str, offset: usize) -> Option<String> {
    let before = source[..offset].trim_end();
    let body_end = before.strip_suffix("*/")?;
    let start = body_end.rfind("/*")?;
    let body = body_end[start..].strip_prefix("/**")?;
    if body_end[start..].starts_with("/**/") {
        return None;
    }
    let mut lines: Vec<&str> = body
        .lines()
        .map(|l| {
            let t = l.trim_start();
            match t.strip_prefix('*') {
                Some(rest) => rest.strip_prefix(' ').unwrap_or(rest),
                None => t,
            }
            .trim_end()
        })
        .collect();
    while lines.first().is_some_and(|l| l.is_empty()) {
        lines.remove(0);
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    if lines.is_empty() {
        return None;
    }
    Some(lines.join("\n"))
}

/// The file's doc comment: a `/** */` comment that opens the file (after whitespace) and is
/// followed by a blank line, or by anything but a definition.
fn file_doc(source: &str) -> Option<String> {
    let start = source.len() - source.trim_start().len();
    let rest = &source[start..];
    if !rest.starts_with("/**") || rest.starts_with("/**/") {
        return None;
    }
    let end = start + 3 + rest[3..].find("*/")? + 2;
    let after = &source[end..];
    let gap = after.len() - after.trim_start().len();
    let next = end + gap;
    let blank_line = after[..gap].replace('\r', "").contains("\n\n");
    let next_word = source[next..]
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .next()
        .unwrap_or_default();
    let definition = matches!(
        next_word,
        "const" | "typedef" | "enum" | "struct" | "union" | "exception" | "service" | "senum"
    );
    if !blank_line && definition {
        return None;
    }
    doc_before(source, end)
}

fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('r') => out.push('\r'),
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

impl<'a> Walker<'a> {
    fn span_of(&self, pair: &Pair<'_, Rule>) -> Span {
        let s = pair.as_span();
        let offset = s.start();
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let line_start = self.line_starts[line.saturating_sub(1)];
        let col = self.source[line_start..offset].chars().count() + 1;
        Span {
            offset,
            end: s.end(),
            line,
            col,
        }
    }

    fn err(&self, span: Span, msg: impl Into<String>) -> Error {
        Error::at(self.file, self.source, span, msg)
    }

    fn doc(&self, pair: &Pair<'_, Rule>) -> Option<String> {
        doc_before(self.source, pair.as_span().start())
    }

    fn document(&mut self, pair: Pair<'_, Rule>) -> Result<Document, Error> {
        let mut doc = Document::default();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::include => {
                    let lit = p.into_inner().nth(1).expect("include has a literal");
                    doc.includes.push((self.literal(&lit), self.span_of(&lit)));
                }
                Rule::cpp_include => {
                    let lit = p.into_inner().nth(1).expect("cpp_include has a literal");
                    doc.cpp_includes.push(self.literal(&lit));
                }
                Rule::namespace => {
                    let mut it = p.into_inner().skip(1);
                    let scope = it
                        .next()
                        .map(|s| s.as_str().to_string())
                        .unwrap_or_default();
                    let name = it
                        .next()
                        .map(|s| s.as_str().to_string())
                        .unwrap_or_default();
                    doc.namespaces.push((scope, name));
                }
                Rule::const_def => doc.definitions.push(Definition::Const(self.const_def(p)?)),
                Rule::typedef => doc.definitions.push(Definition::Typedef(self.typedef(p)?)),
                Rule::enum_def => doc.definitions.push(Definition::Enum(self.enum_def(p)?)),
                Rule::struct_def => doc
                    .definitions
                    .push(Definition::Struct(self.struct_def(p, StructKind::Struct)?)),
                Rule::union_def => doc
                    .definitions
                    .push(Definition::Struct(self.struct_def(p, StructKind::Union)?)),
                Rule::exception_def => doc.definitions.push(Definition::Struct(
                    self.struct_def(p, StructKind::Exception)?,
                )),
                Rule::service => doc.definitions.push(Definition::Service(self.service(p)?)),
                _ => {}
            }
        }
        if let Some(file_doc) = file_doc(self.source) {
            // `doc_before` gave the file's comment to a definition right after it.
            if let Some(first) = doc.definitions.first_mut() {
                if first.doc() == Some(file_doc.as_str()) {
                    first.clear_doc();
                }
            }
            doc.doc = Some(file_doc);
        }
        Ok(doc)
    }

    fn literal(&self, pair: &Pair<'_, Rule>) -> String {
        let inner = pair
            .clone()
            .into_inner()
            .next()
            .map(|p| p.as_str())
            .unwrap_or("");
        unescape(inner)
    }

    fn annotations(&self, pair: Pair<'_, Rule>) -> Annotations {
        let mut out = Annotations::new();
        for a in pair.into_inner() {
            let mut it = a.into_inner();
            let key = it
                .next()
                .map(|k| k.as_str().to_string())
                .unwrap_or_default();
            let value = it
                .next()
                .map(|v| self.literal(&v))
                .unwrap_or_else(|| "1".to_string());
            out.insert(key, value);
        }
        out
    }

    fn const_def(&self, pair: Pair<'_, Rule>) -> Result<Const, Error> {
        let doc = self.doc(&pair);
        let mut it = pair.into_inner().skip(1);
        let ty = self.field_type(it.next().expect("const type"))?;
        let name = it.next().expect("const name");
        let value = self.const_value(it.next().expect("const value"))?;
        Ok(Const {
            name: name.as_str().to_string(),
            span: self.span_of(&name),
            ty,
            value,
            doc,
        })
    }

    fn typedef(&self, pair: Pair<'_, Rule>) -> Result<Typedef, Error> {
        let doc = self.doc(&pair);
        let mut it = pair.into_inner().skip(1);
        let ty = self.field_type(it.next().expect("typedef type"))?;
        let name = it.next().expect("typedef name");
        let annotations = it.next().map(|a| self.annotations(a)).unwrap_or_default();
        Ok(Typedef {
            name: name.as_str().to_string(),
            span: self.span_of(&name),
            ty,
            doc,
            annotations,
        })
    }

    fn enum_def(&self, pair: Pair<'_, Rule>) -> Result<Enum, Error> {
        let doc = self.doc(&pair);
        let mut it = pair.into_inner().skip(1);
        let name = it.next().expect("enum name");
        let mut values = Vec::new();
        let mut annotations = Annotations::new();
        let mut next: i64 = 0;
        for p in it {
            match p.as_rule() {
                Rule::enum_value => {
                    let vdoc = self.doc(&p);
                    let mut vit = p.into_inner();
                    let vname = vit.next().expect("enum value name");
                    let mut value = next;
                    let mut vann = Annotations::new();
                    for rest in vit {
                        match rest.as_rule() {
                            Rule::int_constant => {
                                let span = self.span_of(&rest);
                                value = self.int(&rest)?;
                                if value < i32::MIN as i64 || value > i32::MAX as i64 {
                                    return Err(self.err(
                                        span,
                                        format!("enum value {value} does not fit in an i32"),
                                    ));
                                }
                            }
                            Rule::annotations => vann = self.annotations(rest),
                            _ => {}
                        }
                    }
                    if value > i32::MAX as i64 {
                        return Err(self.err(self.span_of(&vname), "enum value overflows i32"));
                    }
                    next = value + 1;
                    values.push(EnumValue {
                        name: vname.as_str().to_string(),
                        span: self.span_of(&vname),
                        value: value as i32,
                        doc: vdoc,
                        annotations: vann,
                    });
                }
                Rule::annotations => annotations = self.annotations(p),
                _ => {}
            }
        }
        Ok(Enum {
            name: name.as_str().to_string(),
            span: self.span_of(&name),
            values,
            doc,
            annotations,
        })
    }

    fn struct_def(&self, pair: Pair<'_, Rule>, kind: StructKind) -> Result<Struct, Error> {
        let doc = self.doc(&pair);
        let mut it = pair.into_inner().skip(1);
        let name = it.next().expect("struct name");
        let mut fields = Vec::new();
        let mut annotations = Annotations::new();
        let mut auto = -1;
        for p in it {
            match p.as_rule() {
                Rule::field => {
                    let mut f = self.field(p, &mut auto)?;
                    // As in Apache Thrift, union fields are optional.
                    if kind == StructKind::Union && f.required == Requiredness::Default {
                        f.required = Requiredness::Optional;
                    }
                    fields.push(f)
                }
                Rule::annotations => annotations = self.annotations(p),
                _ => {}
            }
        }
        Ok(Struct {
            kind,
            name: name.as_str().to_string(),
            span: self.span_of(&name),
            fields,
            doc,
            annotations,
        })
    }

    fn field(&self, pair: Pair<'_, Rule>, auto: &mut i32) -> Result<Field, Error> {
        let doc = self.doc(&pair);
        let start = self.span_of(&pair);
        let mut id = None;
        let mut id_span = start;
        let mut required = Requiredness::Default;
        let mut ty = None;
        let mut reference = false;
        let mut name = None;
        let mut default = None;
        let mut annotations = Annotations::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::field_id => {
                    let n = p.into_inner().next().expect("field id int");
                    id_span = self.span_of(&n);
                    id = Some(self.int(&n)?);
                }
                Rule::requiredness => {
                    required = if p.as_str() == "required" {
                        Requiredness::Required
                    } else {
                        Requiredness::Optional
                    }
                }
                Rule::field_type => ty = Some(self.field_type(p)?),
                Rule::reference => reference = true,
                Rule::identifier => name = Some(p),
                Rule::field_default => {
                    default = Some(self.const_value(p.into_inner().next().expect("default"))?)
                }
                Rule::annotations => annotations = self.annotations(p),
                _ => {}
            }
        }
        let name = name.expect("field name");
        let (id, auto_id) = match id {
            Some(v) if v > 0 => {
                if v > i16::MAX as i64 {
                    return Err(self.err(
                        id_span,
                        format!("field id {v} is out of range (1..={})", i16::MAX),
                    ));
                }
                (v as i32, false)
            }
            // Apache Thrift warns about ids <= 0 and assigns one itself.
            _ => {
                let v = *auto;
                *auto -= 1;
                (v, true)
            }
        };
        Ok(Field {
            id,
            auto_id,
            name: name.as_str().to_string(),
            span: self.span_of(&name),
            id_span,
            ty: ty.expect("field type"),
            required,
            default,
            reference,
            doc,
            annotations,
        })
    }

    fn service(&self, pair: Pair<'_, Rule>) -> Result<Service, Error> {
        let doc = self.doc(&pair);
        let mut it = pair.into_inner().skip(1);
        let name = it.next().expect("service name");
        let mut extends = None;
        let mut functions = Vec::new();
        let mut annotations = Annotations::new();
        for p in it {
            match p.as_rule() {
                Rule::extends => {
                    let base = p.into_inner().nth(1).expect("extends name");
                    extends = Some((base.as_str().to_string(), self.span_of(&base)));
                }
                Rule::function => functions.push(self.function(p)?),
                Rule::annotations => annotations = self.annotations(p),
                _ => {}
            }
        }
        Ok(Service {
            name: name.as_str().to_string(),
            span: self.span_of(&name),
            extends,
            functions,
            doc,
            annotations,
        })
    }

    fn function(&self, pair: Pair<'_, Rule>) -> Result<Function, Error> {
        let doc = self.doc(&pair);
        let mut oneway = false;
        let mut returns = None;
        let mut name = None;
        let mut args = Vec::new();
        let mut throws = Vec::new();
        let mut annotations = Annotations::new();
        let mut auto = -1;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::oneway => oneway = true,
                Rule::function_type => {
                    let inner = p.into_inner().next().expect("function type");
                    if inner.as_rule() == Rule::field_type {
                        returns = Some(self.field_type(inner)?);
                    }
                }
                Rule::identifier => name = Some(p),
                Rule::field => args.push(self.field(p, &mut auto)?),
                Rule::throws => {
                    let mut tauto = -1;
                    for f in p.into_inner().skip(1) {
                        throws.push(self.field(f, &mut tauto)?);
                    }
                }
                Rule::annotations => annotations = self.annotations(p),
                _ => {}
            }
        }
        let name = name.expect("function name");
        if oneway && (returns.is_some() || !throws.is_empty()) {
            let what = if returns.is_some() {
                "return a value"
            } else {
                "throw"
            };
            return Err(self.err(
                self.span_of(&name),
                format!("oneway method `{}` cannot {what}", name.as_str()),
            ));
        }
        Ok(Function {
            name: name.as_str().to_string(),
            span: self.span_of(&name),
            oneway,
            returns,
            args,
            throws,
            doc,
            annotations,
        })
    }

    fn field_type(&self, pair: Pair<'_, Rule>) -> Result<Type, Error> {
        self.field_type_at(pair, 0)
    }

    fn field_type_at(&self, pair: Pair<'_, Rule>, depth: usize) -> Result<Type, Error> {
        let inner = pair.into_inner().next().expect("field_type has one child");
        Ok(match inner.as_rule() {
            Rule::type_ref => Type::Named(inner.as_str().to_string(), self.span_of(&inner)),
            Rule::base_type => {
                let base = inner.into_inner().next().expect("base name");
                match base.as_str() {
                    "bool" => Type::Bool,
                    "byte" | "i8" => Type::I8,
                    "i16" => Type::I16,
                    "i32" => Type::I32,
                    "i64" => Type::I64,
                    "double" => Type::Double,
                    "string" => Type::String,
                    _ => Type::Binary,
                }
            }
            _ => {
                // container_type
                if depth >= MAX_NESTING {
                    return Err(self.err(
                        self.span_of(&inner),
                        format!("types nested more than {MAX_NESTING} deep"),
                    ));
                }
                let c = inner.into_inner().next().expect("container");
                let rule = c.as_rule();
                let mut types = Vec::new();
                for p in c.into_inner() {
                    if p.as_rule() == Rule::field_type {
                        types.push(self.field_type_at(p, depth + 1)?);
                    }
                }
                let mut types = types.into_iter();
                let mut next = || Box::new(types.next().unwrap_or(Type::Bool));
                match rule {
                    Rule::map_type => {
                        let k = next();
                        Type::Map(k, next())
                    }
                    Rule::set_type => Type::Set(next()),
                    _ => Type::List(next()),
                }
            }
        })
    }

    fn int(&self, pair: &Pair<'_, Rule>) -> Result<i64, Error> {
        let text = pair.as_str();
        let (neg, digits) = match text.as_bytes().first() {
            Some(b'-') => (true, &text[1..]),
            Some(b'+') => (false, &text[1..]),
            _ => (false, text),
        };
        let parsed = match digits.strip_prefix("0x") {
            Some(hex) => i64::from_str_radix(hex, 16),
            None => digits.parse::<i64>(),
        };
        match parsed {
            Ok(v) => Ok(if neg { -v } else { v }),
            // i64::MIN spelled out in decimal
            Err(_) if neg && digits == "9223372036854775808" => Ok(i64::MIN),
            Err(_) => Err(self.err(
                self.span_of(pair),
                format!("this integer is too big: `{text}`"),
            )),
        }
    }

    fn const_value(&self, pair: Pair<'_, Rule>) -> Result<ConstValue, Error> {
        self.const_value_at(pair, 0)
    }

    fn const_value_at(&self, pair: Pair<'_, Rule>, depth: usize) -> Result<ConstValue, Error> {
        let inner = pair.into_inner().next().expect("const value");
        let span = self.span_of(&inner);
        if depth >= MAX_NESTING && matches!(inner.as_rule(), Rule::const_list | Rule::const_map) {
            return Err(self.err(
                span,
                format!("constant values nested more than {MAX_NESTING} deep"),
            ));
        }
        Ok(match inner.as_rule() {
            Rule::int_constant => ConstValue::Int(self.int(&inner)?, span),
            Rule::double_constant => match inner.as_str().parse::<f64>() {
                Ok(v) => ConstValue::Double(v, span),
                Err(_) => return Err(self.err(span, "not a number")),
            },
            Rule::bool_constant => ConstValue::Int((inner.as_str() == "true") as i64, span),
            Rule::literal => ConstValue::String(self.literal(&inner), span),
            Rule::const_ref => ConstValue::Ref(inner.as_str().to_string(), span),
            Rule::const_list => {
                let mut items = Vec::new();
                for p in inner.into_inner() {
                    items.push(self.const_value_at(p, depth + 1)?);
                }
                ConstValue::List(items, span)
            }
            _ => {
                let mut entries = Vec::new();
                for e in inner.into_inner() {
                    let mut kv = e.into_inner();
                    let k = self.const_value_at(kv.next().expect("key"), depth + 1)?;
                    let v = self.const_value_at(kv.next().expect("value"), depth + 1)?;
                    entries.push((k, v));
                }
                ConstValue::Map(entries, span)
            }
        })
    }
}
