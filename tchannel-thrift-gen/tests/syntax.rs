//! Every piece of the Thrift language the 0.17 compiler accepts, parsed into the AST.

use tchannel_thrift_gen::ast::*;
use tchannel_thrift_gen::parse_str;

const IDL: &str = r#"
# a shell comment
// a line comment
/* a block comment */
namespace * all.langs
namespace rs rust.ns (ns.annotation = "x")
namespace java.swift com.example
cpp_include "<vector>"

/** The answer. */
const i32 ANSWER = 0x2A;
const i64 NEG = -0x10, const double PI = 2.5e0; const double SMALL = -1.5E-3
const string Q1 = "dq \"esc\" \\ \n\t", const string Q2 = 'sq \'esc\''
const list<i32> L = [1, 2; 3]
const map<string, list<i8>> M = {"a": [1], 'b': []}
const bool T = true

typedef map<string, binary> (cpp.template = "std::map") Blobs (py.typedef = "1");

enum Color {
  /** red doc */
  RED,
  GREEN = 5 (a = "b"),
  BLUE;
  YELLOW
} (enum.annotation)

const Color C = Color.RED
const Color C2 = BLUE
const i32 REF = ANSWER

struct Point {
  1: required i32 x = 1,
  2: optional double y;
  3: i16 z (field.annotation = "1")
  i64 noId
  string noId2
  4: list<Point> & children
  5: set cpp_type "std::unordered_set<std::string>" <string> tags
  6: list<i32> cpp_type "std::deque<int>" nums
  7: Point parent
} (struct.annotation = "s")

struct Keywords {
  1: i32 type, 2: string self, 3: bool match, 4: i32 fn, 5: i32 stringValue, 6: i32 structure
  7: i32 i32_field, 8: string async_op, 9: i32 Super
}

union U { 1: i32 a; 2: string b }
exception E { 1: string message } (e = "1")

service Base { void ping() }

/**
 * Doc for S.
 * Second line.
 */
service S extends Base {
  /** doc of get */
  Point get(1: i32 id, 2: Color c = Color.GREEN) throws (1: E e, 2: E e2) (method.annotation),
  oneway void fire(1: string what);
  async void legacy()
  list<map<i32, set<string>>> nested(),
} (service.annotation = "1")
"#;

fn find<'a, T>(doc: &'a Document, f: impl Fn(&'a Definition) -> Option<&'a T>) -> Vec<&'a T> {
    doc.definitions.iter().filter_map(f).collect()
}

#[test]
fn the_whole_language_parses() {
    let p = parse_str("all.thrift", IDL).unwrap_or_else(|e| panic!("{e}"));
    let doc = &p.files[0].doc;
    assert_eq!(
        doc.namespaces,
        vec![
            ("*".to_string(), "all.langs".to_string()),
            ("rs".to_string(), "rust.ns".to_string()),
            ("java.swift".to_string(), "com.example".to_string()),
        ]
    );
    assert_eq!(doc.cpp_includes, vec!["<vector>".to_string()]);

    let consts = find(doc, |d| {
        if let Definition::Const(c) = d {
            Some(c)
        } else {
            None
        }
    });
    let value = |name: &str| {
        consts
            .iter()
            .find(|c| c.name == name)
            .unwrap()
            .value
            .clone()
    };
    assert!(matches!(value("ANSWER"), ConstValue::Int(42, _)));
    assert!(matches!(value("NEG"), ConstValue::Int(-16, _)));
    assert!(matches!(value("PI"), ConstValue::Double(v, _) if v == 2.5));
    assert!(matches!(value("SMALL"), ConstValue::Double(v, _) if v == -1.5e-3));
    assert!(matches!(value("Q1"), ConstValue::String(s, _) if s == "dq \"esc\" \\ \n\t"));
    assert!(matches!(value("Q2"), ConstValue::String(s, _) if s == "sq 'esc'"));
    assert!(matches!(value("L"), ConstValue::List(v, _) if v.len() == 3));
    assert!(matches!(value("M"), ConstValue::Map(v, _) if v.len() == 2));
    assert!(matches!(value("T"), ConstValue::Int(1, _)));
    assert!(matches!(value("C"), ConstValue::Ref(r, _) if r == "Color.RED"));
    assert_eq!(consts[0].doc.as_deref(), Some("The answer."));

    let enums = find(doc, |d| {
        if let Definition::Enum(e) = d {
            Some(e)
        } else {
            None
        }
    });
    let values: Vec<(String, i32)> = enums[0]
        .values
        .iter()
        .map(|v| (v.name.clone(), v.value))
        .collect();
    assert_eq!(
        values,
        vec![
            ("RED".into(), 0),
            ("GREEN".into(), 5),
            ("BLUE".into(), 6),
            ("YELLOW".into(), 7)
        ]
    );
    assert_eq!(enums[0].values[0].doc.as_deref(), Some("red doc"));
    assert_eq!(enums[0].values[1].annotations["a"], "b");
    assert_eq!(enums[0].annotations["enum.annotation"], "1");

    let structs = find(doc, |d| {
        if let Definition::Struct(s) = d {
            Some(s)
        } else {
            None
        }
    });
    let point = structs[0];
    let fields: Vec<(i32, &str, Requiredness)> = point
        .fields
        .iter()
        .map(|f| (f.id, f.name.as_str(), f.required))
        .collect();
    assert_eq!(
        fields,
        vec![
            (1, "x", Requiredness::Required),
            (2, "y", Requiredness::Optional),
            (3, "z", Requiredness::Default),
            (-1, "noId", Requiredness::Default),
            (-2, "noId2", Requiredness::Default),
            (4, "children", Requiredness::Default),
            (5, "tags", Requiredness::Default),
            (6, "nums", Requiredness::Default),
            (7, "parent", Requiredness::Default),
        ]
    );
    assert!(point.fields[3].auto_id);
    assert!(point.fields[5].reference);
    assert!(matches!(
        point.fields[0].default,
        Some(ConstValue::Int(1, _))
    ));
    assert_eq!(point.fields[2].annotations["field.annotation"], "1");
    assert_eq!(point.annotations["struct.annotation"], "s");
    let kw: Vec<&str> = structs[1].fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        kw,
        [
            "type",
            "self",
            "match",
            "fn",
            "stringValue",
            "structure",
            "i32_field",
            "async_op",
            "Super"
        ]
    );
    assert_eq!(structs[2].kind, StructKind::Union);
    assert_eq!(structs[3].kind, StructKind::Exception);

    let services = find(doc, |d| {
        if let Definition::Service(s) = d {
            Some(s)
        } else {
            None
        }
    });
    let s = services[1];
    assert_eq!(s.extends.as_ref().unwrap().0, "Base");
    assert_eq!(s.doc.as_deref(), Some("Doc for S.\nSecond line."));
    assert_eq!(s.annotations["service.annotation"], "1");
    let get = &s.functions[0];
    assert_eq!(get.doc.as_deref(), Some("doc of get"));
    assert_eq!(get.throws.len(), 2);
    assert!(get.args[1].default.is_some());
    assert_eq!(get.annotations["method.annotation"], "1");
    assert!(s.functions[1].oneway && s.functions[2].oneway);
    assert_eq!(
        s.functions[3].returns,
        Some(Type::List(Box::new(Type::Map(
            Box::new(Type::I32),
            Box::new(Type::Set(Box::new(Type::String)))
        ))))
    );
}

#[test]
fn the_whole_language_generates() {
    let p = parse_str("all.thrift", IDL).unwrap();
    let files = tchannel_thrift_gen::generate(&p, &Default::default()).unwrap();
    let code = &files[0].code;
    for needle in [
        "pub r#type: i32",
        "pub self_: String",
        "pub super_: i32",
        "pub r#match: bool",
        "pub children: Vec<Point>",
        "pub parent: Option<Box<Point>>",
        "pub const ANSWER: i32 = 42i32;",
        "pub const C2: Color = Color::Blue;",
        "pub const Q1: &str = ",
        "pub static M: ::std::sync::LazyLock<",
        "pub trait S: Base {",
        "fn get(",
        "pub struct SClient<T>",
        "impl<T: S> _thrift::Service for SServer<T>",
        "\"S::ping\"",
        "/// Doc for S.",
    ] {
        assert!(code.contains(needle), "missing `{needle}` in:\n{code}");
    }
}
