//! Docs carried from IDL comments into generated code (issue 13).

use tchannel_thrift_gen::{generate, parse_str, Options};

fn gen(src: &str) -> String {
    let program = parse_str("t.thrift", src).unwrap_or_else(|e| panic!("{e}"));
    generate(&program, &Options::default())
        .unwrap_or_else(|e| panic!("{e}"))
        .remove(0)
        .code
}

/// The doc lines just before `item` in `code`.
fn doc_of(code: &str, item: &str) -> Vec<String> {
    let lines: Vec<&str> = code.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.trim_start().starts_with(item))
        .unwrap_or_else(|| panic!("no `{item}` in\n{code}"));
    let mut out: Vec<String> = lines[..at]
        .iter()
        .rev()
        .map(|l| l.trim_start())
        .skip_while(|l| l.starts_with("#["))
        .take_while(|l| l.starts_with("///"))
        .map(|l| l.to_string())
        .collect();
    out.reverse();
    out
}

#[test]
fn a_file_comment_is_not_the_first_types_doc() {
    let program = parse_str(
        "t.thrift",
        "/** About this file. */\n\nstruct First { 1: i32 a }\n",
    )
    .unwrap();
    assert_eq!(
        program.files[0].doc.doc.as_deref(),
        Some("About this file.")
    );
    let code = generate(&program, &Options::default()).unwrap().remove(0);
    assert_eq!(code.doc.as_deref(), Some("About this file."));
    let doc = doc_of(&code.code, "pub struct First");
    assert!(
        !doc.iter().any(|l| l.contains("About this file")),
        "{doc:?}"
    );
    // A comment right above the type is still the type's.
    let code = gen("/** About First. */\nstruct First { 1: i32 a }\n");
    assert_eq!(doc_of(&code, "pub struct First")[0], "/// About First.");
}

#[test]
fn a_documented_field_keeps_its_id_requiredness_and_default() {
    let code = gen("struct S {\n\
         /** The key. */\n 1: optional string key = \"k\",\n\
         /** The count. */\n 2: required i32 count,\n\
         3: i64 plain = 7,\n\
         }");
    assert_eq!(
        doc_of(&code, "pub key:"),
        [
            "/// The key.",
            "///",
            "/// Field 1, optional, default `\"k\"`."
        ]
    );
    assert_eq!(
        doc_of(&code, "pub count:"),
        ["/// The count.", "///", "/// Field 2, required."]
    );
    assert_eq!(
        doc_of(&code, "pub plain:"),
        ["/// `plain`: field 3, default requiredness, default `7`."]
    );
}

#[test]
fn a_line_after_a_doc_list_is_not_a_lazy_continuation() {
    let code = gen(
        "/**\n * It may be:\n * - short\n * - long,\n *   still long\n * or else.\n */\n\
         struct S { 1: i32 a }",
    );
    assert_eq!(
        doc_of(&code, "pub struct S"),
        [
            "/// It may be:",
            "/// - short",
            "/// - long,",
            "///   still long",
            "///",
            "/// or else.",
        ]
    );
}

#[test]
fn a_long_or_multi_line_default_is_quoted_on_one_short_line() {
    let code = gen("struct S {\n 1: map<string, i32> m = {\n  \"a\": 1,\n  \"b\": 2\n },\n\
         2: list<string> l = [\"0123456789\", \"0123456789\", \"0123456789\", \"0123456789\", \"x\"]\n}");
    assert_eq!(
        doc_of(&code, "pub m:"),
        ["/// `m`: field 1, default requiredness, default `{ \"a\": 1, \"b\": 2 }`."]
    );
    let l = &doc_of(&code, "pub l:")[0];
    assert!(l.ends_with(" ...`."), "{l}");
    assert!(l.len() < 140, "{l}");
}
