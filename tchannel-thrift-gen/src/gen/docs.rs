//! Rustdoc from IDL doc comments: made safe for rustdoc and clippy, and field facts.

use super::*;

pub(super) fn docs(doc: &Option<String>) -> TokenStream {
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
pub(super) fn list_marker(t: &str) -> Option<usize> {
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
pub(super) fn doc_lines(d: &str) -> Vec<String> {
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
pub(super) fn doc_line(line: &str) -> String {
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
pub(super) fn docs_or(doc: &Option<String>, fallback: String) -> TokenStream {
    match doc {
        Some(_) => docs(doc),
        None => docs(&Some(fallback)),
    }
}

/// How much of a field's IDL default its doc quotes.
const MAX_DEFAULT_CHARS: usize = 60;

/// A field's doc: its IDL doc (if any), then its id, requiredness and IDL default, which is
/// what a reader of the wire needs.
pub(super) fn field_doc(f: &Field, source: &str) -> TokenStream {
    let mut facts = format!("field {}, {}", f.id, req_word(f));
    if let Some(v) = &f.default {
        let span = v.span();
        let raw = source.get(span.offset..span.end).unwrap_or_default();
        // One line, and not a whole struct literal: the IDL has the rest.
        let mut text = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.chars().count() > MAX_DEFAULT_CHARS {
            text = text.chars().take(MAX_DEFAULT_CHARS).collect::<String>() + " ...";
        }
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

pub(super) fn req_word(f: &Field) -> &'static str {
    match f.required {
        Requiredness::Required => "required",
        Requiredness::Optional => "optional",
        Requiredness::Default => "default requiredness",
    }
}
