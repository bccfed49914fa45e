//! The small part of YAML a cassette needs, read and written the way PyYAML does.
//!
//! Reading goes through `yaml-rust2`'s event parser (it keeps tags, which its `Yaml` tree
//! does not), into a tree that remembers each node's tag and line. Writing mirrors
//! `yaml.dump(data, default_flow_style=False)`: block style, keys sorted, bytes as
//! `!!binary |` blocks of base64 in lines of 76 characters, so a cassette written here reads
//! back in PyYAML, and a cassette PyYAML wrote is written back byte for byte.

use base64::Engine;
use std::collections::HashMap;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// The standard tag prefix `!!` stands for.
const CORE: &str = "tag:yaml.org,2002:";

/// A parsed YAML node with its (1-based) line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub line: usize,
    pub value: Value,
}

/// What a node holds.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    /// A scalar: its text, its tag (`binary`, `int`, ... for the core tags; the full tag
    /// otherwise) and whether it was plain (unquoted), which decides `null`/int resolution.
    Scalar {
        text: String,
        tag: Option<String>,
        plain: bool,
    },
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// A short name of the node's kind, for error messages.
    pub fn kind(&self) -> &'static str {
        match &self.value {
            Value::Scalar { tag: Some(t), .. } if t == "binary" => "binary",
            Value::Scalar { .. } if self.is_null() => "null",
            Value::Scalar { .. } => "scalar",
            Value::Seq(_) => "list",
            Value::Map(_) => "mapping",
        }
    }

    /// `null`, `~`, an empty plain scalar, or `!!null`.
    pub fn is_null(&self) -> bool {
        match &self.value {
            Value::Scalar { text, tag, plain } => match tag.as_deref() {
                Some("null") => true,
                Some(_) => false,
                None => *plain && matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL"),
            },
            _ => false,
        }
    }

    /// The value under `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries
                .iter()
                .find(|(k, _)| matches!(&k.value, Value::Scalar { text, .. } if text == key))
                .map(|(_, v)| v),
            _ => None,
        }
    }
}

/// Parses one YAML document; `Ok(None)` for an empty stream.
pub(crate) fn parse(text: &str) -> Result<Option<Node>, String> {
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    parser.load(&mut builder, false).map_err(|e| {
        format!(
            "{} at line {} column {}",
            e.info(),
            e.marker().line(),
            e.marker().col() + 1
        )
    })?;
    if let Some(e) = builder.error {
        return Err(e);
    }
    Ok(builder.root)
}

enum Open {
    Seq(Node, usize),
    Map(Node, usize, Option<Node>),
}

/// How much alias expansion a document may hold, in [`weight`] units (about bytes). Each
/// alias is a deep copy of its anchor, so a few hundred bytes of nested aliases ("billion
/// laughs") could expand to gigabytes; past this budget the document is refused. A cassette
/// written by tchannel-python uses aliases at most for a few shared values.
const MAX_ALIAS_EXPANSION: usize = 16 << 20;

/// Roughly the memory a node takes: a fixed cost per node plus its text.
fn weight(node: &Node) -> usize {
    64 + match &node.value {
        Value::Scalar { text, tag, .. } => text.len() + tag.as_ref().map_or(0, String::len),
        Value::Seq(items) => items.iter().map(weight).sum(),
        Value::Map(entries) => entries.iter().map(|(k, v)| weight(k) + weight(v)).sum(),
    }
}

#[derive(Default)]
struct Builder {
    stack: Vec<Open>,
    root: Option<Node>,
    /// Each anchored node with its [`weight`].
    anchors: HashMap<usize, (Node, usize)>,
    /// The total weight of the copies aliases have made.
    expanded: usize,
    error: Option<String>,
}

fn tag_name(tag: Option<Tag>) -> Option<String> {
    tag.map(|t| {
        if t.handle == CORE {
            t.suffix
        } else {
            format!("{}{}", t.handle, t.suffix)
        }
    })
}

impl Builder {
    fn push(&mut self, node: Node, anchor: usize) {
        if anchor > 0 {
            let w = weight(&node);
            self.anchors.insert(anchor, (node.clone(), w));
        }
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(Open::Seq(seq, _)) => {
                if let Value::Seq(items) = &mut seq.value {
                    items.push(node);
                }
            }
            Some(Open::Map(map, _, key)) => match key.take() {
                None => *key = Some(node),
                Some(k) => {
                    if let Value::Map(entries) = &mut map.value {
                        entries.push((k, node));
                    }
                }
            },
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        let line = mark.line();
        match ev {
            Event::Scalar(text, style, anchor, tag) => {
                let node = Node {
                    line,
                    value: Value::Scalar {
                        text,
                        tag: tag_name(tag),
                        plain: style == TScalarStyle::Plain,
                    },
                };
                self.push(node, anchor);
            }
            Event::SequenceStart(anchor, _) => self.stack.push(Open::Seq(
                Node {
                    line,
                    value: Value::Seq(Vec::new()),
                },
                anchor,
            )),
            Event::MappingStart(anchor, _) => self.stack.push(Open::Map(
                Node {
                    line,
                    value: Value::Map(Vec::new()),
                },
                anchor,
                None,
            )),
            Event::SequenceEnd | Event::MappingEnd => match self.stack.pop() {
                Some(Open::Seq(node, anchor)) | Some(Open::Map(node, anchor, _)) => {
                    self.push(node, anchor)
                }
                None => {}
            },
            Event::Alias(id) => match self.anchors.get(&id) {
                Some((node, w)) => {
                    self.expanded = self.expanded.saturating_add(*w);
                    if self.expanded > MAX_ALIAS_EXPANSION {
                        self.error.get_or_insert_with(|| {
                            format!(
                                "aliases expand to more than {} MiB at line {line}",
                                MAX_ALIAS_EXPANSION >> 20
                            )
                        });
                        return;
                    }
                    let node = node.clone();
                    self.push(node, 0);
                }
                None => {
                    self.error
                        .get_or_insert_with(|| format!("unknown alias at line {line}"));
                }
            },
            _ => {}
        }
    }
}

/// A value to write.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Out {
    Int(i64),
    Str(String),
    Bytes(Vec<u8>),
    List(Vec<Out>),
    /// Keys are written sorted, as PyYAML does.
    Map(Vec<(&'static str, Out)>),
}

/// Writes `value` as PyYAML's `dump(value, default_flow_style=False)` would.
pub(crate) fn emit(value: &Out) -> String {
    let mut out = String::new();
    match value {
        Out::Map(entries) if !entries.is_empty() => emit_map(&mut out, entries, 0, false),
        Out::List(items) if !items.is_empty() => emit_list(&mut out, items, 0, false),
        other => {
            emit_scalar(&mut out, other, 0);
            out.push('\n');
        }
    }
    out
}

fn pad(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// A block mapping at column `indent`; `inline` when the first key continues a `- ` line.
fn emit_map(out: &mut String, entries: &[(&'static str, Out)], indent: usize, inline: bool) {
    let mut sorted: Vec<&(&'static str, Out)> = entries.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    for (i, (key, value)) in sorted.into_iter().enumerate() {
        if i > 0 || !inline {
            pad(out, indent);
        }
        out.push_str(key);
        out.push(':');
        match value {
            Out::Map(m) if !m.is_empty() => {
                out.push('\n');
                emit_map(out, m, indent + 2, false);
            }
            // PyYAML does not indent a block sequence that is a mapping value.
            Out::List(l) if !l.is_empty() => {
                out.push('\n');
                emit_list(out, l, indent, false);
            }
            scalar => {
                out.push(' ');
                emit_scalar(out, scalar, indent);
                out.push('\n');
            }
        }
    }
}

fn emit_list(out: &mut String, items: &[Out], indent: usize, inline: bool) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 || !inline {
            pad(out, indent);
        }
        out.push_str("- ");
        match item {
            Out::Map(m) if !m.is_empty() => emit_map(out, m, indent + 2, true),
            Out::List(l) if !l.is_empty() => emit_list(out, l, indent + 2, true),
            scalar => {
                emit_scalar(out, scalar, indent);
                out.push('\n');
            }
        }
    }
}

/// A scalar (or an empty collection) after `key: ` or `- `; `indent` is the column of the
/// key or dash, block content goes two columns further in. Leaves the line unterminated.
fn emit_scalar(out: &mut String, value: &Out, indent: usize) {
    match value {
        Out::Int(n) => out.push_str(&n.to_string()),
        Out::Str(s) => emit_str(out, s),
        Out::Bytes(b) if b.is_empty() => out.push_str("!!binary \"\""),
        Out::Bytes(b) => {
            // base64.encodebytes: lines of 76 characters, each ending in a newline.
            let text = base64::engine::general_purpose::STANDARD.encode(b);
            out.push_str("!!binary |");
            let bytes = text.as_bytes();
            for chunk in bytes.chunks(76) {
                out.push('\n');
                pad(out, indent + 2);
                out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
            }
        }
        Out::List(_) => out.push_str("[]"),
        Out::Map(_) => out.push_str("{}"),
    }
}

/// Whether PyYAML's resolver would read the plain text `s` as something other than a string.
fn resolves_to_non_string(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "~" | "null"
            | "true"
            | "false"
            | "yes"
            | "no"
            | "on"
            | "off"
            | "y"
            | "n"
            | ".inf"
            | "-.inf"
            | "+.inf"
            | ".nan"
            | "="
            | "<<"
    ) {
        return true;
    }
    let digits = s.trim_start_matches(['-', '+']);
    digits.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && digits.chars().all(|c| {
            c.is_ascii_hexdigit()
                || matches!(c, '.' | '_' | ':' | 'x' | 'o' | 'e' | 'E' | '+' | '-')
        })
}

fn emit_str(out: &mut String, s: &str) {
    let printable_ascii = s.chars().all(|c| (' '..='~').contains(&c));
    if !printable_ascii {
        // Double-quoted with escapes, as PyYAML writes non-ASCII text (allow_unicode=False).
        out.push('"');
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                '\r' => out.push_str("\\r"),
                '\0' => out.push_str("\\0"),
                ' '..='~' => out.push(c),
                c if (c as u32) <= 0xFF => out.push_str(&format!("\\x{:02X}", c as u32)),
                c if (c as u32) <= 0xFFFF => out.push_str(&format!("\\u{:04X}", c as u32)),
                c => out.push_str(&format!("\\U{:08X}", c as u32)),
            }
        }
        out.push('"');
        return;
    }
    let plain = !s.is_empty()
        && !s.starts_with([
            '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%',
            '@', '`', ' ',
        ])
        && !s.ends_with([' ', ':'])
        && !s.contains(": ")
        && !s.contains(" #")
        && !resolves_to_non_string(s);
    // PyYAML also writes `-x` plain; quoting it is just as readable and always safe.
    if plain {
        out.push_str(s);
    } else {
        out.push('\'');
        out.push_str(&s.replace('\'', "''"));
        out.push('\'');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scalar(n: &Node) -> (&str, Option<&str>) {
        match &n.value {
            Value::Scalar { text, tag, .. } => (text, tag.as_deref()),
            _ => panic!("not a scalar: {n:?}"),
        }
    }

    #[test]
    fn binary_tags_and_lines_survive_parsing() {
        let doc = parse("a: !!binary |\n  aGk=\nb:\n- 1\n- x\n")
            .unwrap()
            .unwrap();
        assert_eq!(scalar(doc.get("a").unwrap()), ("aGk=\n", Some("binary")));
        let Value::Seq(items) = &doc.get("b").unwrap().value else {
            panic!()
        };
        assert_eq!(items.len(), 2);
        assert_eq!(items[1].line, 5);
    }

    #[test]
    fn aliases_resolve_and_empty_is_none() {
        let doc = parse("a: &x [1, 2]\nb: *x\n").unwrap().unwrap();
        assert_eq!(doc.get("a").unwrap().value, doc.get("b").unwrap().value);
        assert_eq!(parse("").unwrap(), None);
        assert!(parse("a: [1").unwrap_err().contains("line"));
    }

    #[test]
    fn strings_are_quoted_where_pyyaml_would_read_something_else() {
        let mut out = String::new();
        for s in [
            "true",
            "12",
            "",
            "a: b",
            "it's",
            "é",
            "KeyValue::get",
            "x y",
        ] {
            emit_str(&mut out, s);
            out.push('|');
        }
        assert_eq!(
            out,
            "'true'|'12'|''|'a: b'|it's|\"\\xE9\"|KeyValue::get|x y|"
        );
    }

    #[test]
    fn binary_is_written_in_76_column_blocks() {
        let text = emit(&Out::Map(vec![
            ("l", Out::Bytes(vec![b'x'; 100])),
            ("e", Out::Bytes(vec![])),
            ("m", Out::List(vec![])),
        ]));
        assert_eq!(
            text,
            "e: !!binary \"\"\nl: !!binary |\n  eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4\n  eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eA==\nm: []\n"
        );
    }
}
