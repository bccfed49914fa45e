//! Errors a person can act on: `file:line:col`, the offending line with a caret, and what was
//! expected or what is wrong.

use std::path::PathBuf;

use tchannel_thrift_gen::{load, parse_str};

fn err(src: &str) -> String {
    parse_str("t.thrift", src).unwrap_err().to_string()
}

#[track_caller]
fn assert_err(src: &str, location: &str, message: &str) {
    let e = err(src);
    let first = e.lines().next().unwrap();
    assert_eq!(
        first,
        format!("t.thrift:{location}: {message}"),
        "full error:\n{e}"
    );
    // The offending line is shown with a caret under the column.
    let col: usize = location.split(':').nth(1).unwrap().parse().unwrap();
    let line: usize = location.split(':').next().unwrap().parse().unwrap();
    let src_line = src.lines().nth(line - 1).unwrap();
    let lines: Vec<&str> = e.lines().collect();
    assert!(lines[2].ends_with(src_line), "{e}");
    let caret = lines[3];
    let gutter = caret.find('|').unwrap() + 2;
    assert_eq!(caret.len() - gutter, col, "caret column in:\n{e}");
}

#[test]
fn syntax_errors_say_what_was_expected() {
    assert_err(
        "struct S {\n  1: i32\n}\n",
        "3:1",
        "expected `&`, an identifier or annotations `(...)`, found `}`",
    );
    assert_err("struct S { 1: i32 a } x", "1:23", "expected `const`, `enum`, `exception`, `service`, `struct`, `typedef`, `union`, annotations `(...)` or end of file, found `x`");
    assert_err("enum E { A = x }", "1:14", "expected an integer, found `x`");
    assert_err(
        "const i32 X = ",
        "1:15",
        "expected a constant value, found end of file",
    );
    assert_err("service S { void f(1: i32 a }", "1:29", "expected `=` and a default value, `xsd_attrs`, `xsd_nillable`, `xsd_optional`, a field or annotations `(...)`, found `}`");
}

#[test]
fn semantic_errors_are_located() {
    assert_err(
        "struct S {\n  1: i32 a\n  1: i32 b\n}",
        "3:3",
        "duplicate field id 1 in `S`: `a` and `b`",
    );
    assert_err(
        "struct S {\n  1: i32 a\n  2: i32 a\n}",
        "3:10",
        "duplicate field name `a` in `S`",
    );
    assert_err(
        "struct S { 1: Missing m }",
        "1:15",
        "unknown type `Missing`",
    );
    assert_err(
        "struct S { 1: other.T m }",
        "1:15",
        "unknown type `other.T` (no included file is named `other`)",
    );
    assert_err("const i8 X = 300", "1:14", "value 300 does not fit type i8");
    assert_err(
        "const string X = 1",
        "1:18",
        "this value does not fit type string",
    );
    assert_err(
        "enum E { A = 1 }\nconst E X = 2",
        "2:13",
        "value 2 (not a value of enum `E`) does not fit type E",
    );
    assert_err("const i32 X = NOPE", "1:15", "unknown constant `NOPE`");
    assert_err(
        "struct S { 1: i32 a }\nconst S X = {\"b\": 1}",
        "2:14",
        "`S` has no field `b`",
    );
    assert_err(
        "service S extends Base {}",
        "1:19",
        "service `S` extends unknown service `Base`",
    );
    assert_err(
        "struct S {}\nstruct S {}",
        "2:8",
        "`S` is already defined at line 1",
    );
    assert_err(
        "struct E {}\nservice S { void f() throws (1: E e) }",
        "2:35",
        "`throws` field `e` of `f` is not an exception",
    );
    assert_err(
        "service S { oneway i32 f() }",
        "1:24",
        "oneway method `f` cannot return a value",
    );
    assert_err(
        "struct S { 40000: i32 a }",
        "1:12",
        "field id 40000 is out of range (1..=32767)",
    );
    assert_err(
        "const i64 X = 9876543210987654321",
        "1:15",
        "this integer is too big: `9876543210987654321`",
    );
    assert_err(
        "typedef A B\ntypedef B A",
        "1:11",
        "typedef `B` refers to itself",
    );
}

fn write(dir: &std::path::Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "tchannel-thrift-errors-{}-{name}",
        std::process::id()
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn include_not_found_and_cycles() {
    let d = tempdir("inc");
    let a = write(&d, "a.thrift", "include \"b.thrift\"\nstruct A {}\n");
    write(&d, "b.thrift", "include \"a.thrift\"\nstruct B {}\n");
    let e = load(&a, &[]).unwrap_err();
    assert_eq!(e.path(), d.join("b.thrift"));
    assert_eq!((e.line(), e.column()), (1, 9));
    assert_eq!(
        e.message(),
        "include cycle: a.thrift -> b.thrift -> a.thrift"
    );

    let c = write(&d, "c.thrift", "\ninclude \"nope.thrift\"\n");
    let e = load(&c, &[]).unwrap_err();
    assert_eq!((e.line(), e.column()), (2, 9));
    assert!(
        e.message()
            .starts_with("include not found: \"nope.thrift\""),
        "{e}"
    );
}

#[test]
fn includes_resolve_relative_then_include_dirs() {
    let d = tempdir("dirs");
    let common = d.join("common");
    std::fs::create_dir_all(&common).unwrap();
    write(
        &common,
        "shared.thrift",
        "struct Shared { 1: i32 x }\nservice Base { void ping() }\n",
    );
    let main = write(
        &d,
        "main.thrift",
        "include \"shared.thrift\"\nstruct M { 1: shared.Shared s }\nservice S extends shared.Base {}\n",
    );
    assert!(load(&main, &[]).is_err());
    let p = load(&main, &[common]).unwrap();
    assert_eq!(p.files.len(), 2);
    assert_eq!(p.files[p.root()].includes["shared"], 0);
}
