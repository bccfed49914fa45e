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

/// The leading and trailing underscores of `name` (heck drops them; they are kept, so that
/// `foo` and `foo_` stay apart) and what is between them.
fn affixes(name: &str) -> (&str, &str, &str) {
    let core = name.trim_matches('_');
    if core.is_empty() {
        return (name, "", "");
    }
    let lead = &name[..name.len() - name.trim_start_matches('_').len()];
    let trail = &name[name.trim_end_matches('_').len()..];
    (lead, core, trail)
}

/// `getValue` -> `get_value`; leading and trailing underscores are kept (`value_`).
pub fn snake(name: &str) -> String {
    let (lead, core, trail) = affixes(name);
    let s = core.to_snake_case();
    if s.is_empty() {
        "_".to_string()
    } else {
        format!("{lead}{s}{trail}")
    }
}

/// `key_value` -> `KeyValue`; a name that is already UpperCamel with some lowercase stays as
/// written (`ThriftIDLs`, not `ThriftIdLs`), an all-caps one is re-cased (`OK` -> `Ok`), and
/// leading and trailing underscores are kept (`Foo_`). The result is always a valid Rust
/// identifier that is not a keyword: `_1` stays `_1`, `self` becomes `Self_`, and a name with
/// no letters or digits becomes `Unnamed`.
pub fn camel(name: &str) -> String {
    let (lead, core, trail) = affixes(name);
    let upper_camel = core.starts_with(|c: char| c.is_ascii_uppercase())
        && core.chars().all(|c| c.is_ascii_alphanumeric())
        && core.chars().any(|c| c.is_ascii_lowercase());
    let s = if upper_camel {
        core.to_string()
    } else {
        core.to_upper_camel_case()
    };
    if s.is_empty() {
        "Unnamed".to_string()
    } else if lead.is_empty() && s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{s}{trail}")
    } else if lead.is_empty() && trail.is_empty() && s == "Self" {
        "Self_".to_string()
    } else {
        format!("{lead}{s}{trail}")
    }
}

/// `maxSize` -> `MAX_SIZE`; leading and trailing underscores are kept.
pub fn shouty(name: &str) -> String {
    let (lead, core, trail) = affixes(name);
    format!("{lead}{}{trail}", core.to_shouty_snake_case())
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
