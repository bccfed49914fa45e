//! Turning IDL names into Rust names: heck conversions, keyword escaping, de-duplication.

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "gen", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Names that cannot be raw identifiers get a trailing `_` instead.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// An identifier for `name`, escaped if it is a Rust keyword.
pub fn ident(name: &str) -> Ident {
    let name = if name.is_empty() { "_" } else { name };
    let name = if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{name}")
    } else {
        name.to_string()
    };
    if NOT_RAW.contains(&name.as_str()) {
        Ident::new(&format!("{name}_"), Span::call_site())
    } else if KEYWORDS.contains(&name.as_str()) {
        Ident::new_raw(&name, Span::call_site())
    } else {
        Ident::new(&name, Span::call_site())
    }
}

/// `getValue` -> `get_value`.
pub fn snake(name: &str) -> String {
    let s = name.to_snake_case();
    if s.is_empty() {
        "_".to_string()
    } else {
        s
    }
}

/// `key_value` -> `KeyValue`; `KeyValue` stays. The result is always a valid Rust
/// identifier that is not a keyword: `_1` (whose camel case is `1`) stays `_1`, `self`
/// becomes `Self_`, and a name with no letters or digits becomes `Unnamed`.
pub fn camel(name: &str) -> String {
    let s = name.to_upper_camel_case();
    if s.is_empty() {
        "Unnamed".to_string()
    } else if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{s}")
    } else if s == "Self" {
        "Self_".to_string()
    } else {
        s
    }
}

/// `maxSize` -> `MAX_SIZE`.
pub fn shouty(name: &str) -> String {
    name.to_shouty_snake_case()
}

/// Makes names unique by appending `_` to later ones that collide.
pub fn dedup(names: Vec<String>, taken: &[&str]) -> Vec<String> {
    let mut seen: std::collections::HashSet<String> = taken.iter().map(|s| s.to_string()).collect();
    names
        .into_iter()
        .map(|mut n| {
            while !seen.insert(n.clone()) {
                n.push('_');
            }
            n
        })
        .collect()
}
