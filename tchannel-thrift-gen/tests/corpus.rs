//! The parser corpus: every `.thrift` file of Apache Thrift's `test/` folder (copied into
//! `tests/data/apache`). For each file the reference compiler (`thrift` 0.17) accepts, our parse
//! must agree with `thrift --gen json` on names, field ids, types, requiredness, defaults, enum
//! values, constants and services; each one it rejects we must reject with a located error.

use std::path::{Path, PathBuf};
use std::process::Command;

use tchannel_thrift_gen::ast::*;
use tchannel_thrift_gen::{ConstTarget, Program, TypeDef};

/// A JSON value; object keys may be any value, because `thrift --gen json` writes maps with
/// container keys as `{[1]: 2}`.
#[derive(Debug, Clone)]
enum J {
    Null,
    Num(String),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(J, J)>),
}

struct P<'a> {
    s: &'a [u8],
    i: usize,
}

impl P<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }
    fn value(&mut self) -> J {
        self.ws();
        match self.s[self.i] {
            b'{' => {
                self.i += 1;
                let mut out = Vec::new();
                loop {
                    self.ws();
                    if self.s[self.i] == b'}' {
                        self.i += 1;
                        return J::Obj(out);
                    }
                    let k = self.value();
                    self.ws();
                    assert_eq!(self.s[self.i], b':');
                    self.i += 1;
                    let v = self.value();
                    out.push((k, v));
                    self.ws();
                    if self.s[self.i] == b',' {
                        self.i += 1;
                    }
                }
            }
            b'[' => {
                self.i += 1;
                let mut out = Vec::new();
                loop {
                    self.ws();
                    if self.s[self.i] == b']' {
                        self.i += 1;
                        return J::Arr(out);
                    }
                    out.push(self.value());
                    self.ws();
                    if self.s[self.i] == b',' {
                        self.i += 1;
                    }
                }
            }
            b'"' => {
                self.i += 1;
                let mut out = Vec::new();
                loop {
                    let c = self.s[self.i];
                    self.i += 1;
                    match c {
                        b'"' => return J::Str(String::from_utf8(out).unwrap()),
                        b'\\' => {
                            let e = self.s[self.i];
                            self.i += 1;
                            match e {
                                b'n' => out.push(b'\n'),
                                b't' => out.push(b'\t'),
                                b'r' => out.push(b'\r'),
                                b'b' => out.push(8),
                                b'f' => out.push(12),
                                b'u' => {
                                    let h =
                                        std::str::from_utf8(&self.s[self.i..self.i + 4]).unwrap();
                                    self.i += 4;
                                    let c = char::from_u32(u32::from_str_radix(h, 16).unwrap())
                                        .unwrap_or('?');
                                    out.extend_from_slice(c.to_string().as_bytes());
                                }
                                other => out.push(other),
                            }
                        }
                        other => out.push(other),
                    }
                }
            }
            b'n' => {
                self.i += 4;
                J::Null
            }
            b't' => {
                self.i += 4;
                J::Num("true".into())
            }
            b'f' => {
                self.i += 5;
                J::Num("false".into())
            }
            _ => {
                let start = self.i;
                while self.i < self.s.len() && b"+-0123456789.eE".contains(&self.s[self.i]) {
                    self.i += 1;
                }
                J::Num(
                    std::str::from_utf8(&self.s[start..self.i])
                        .unwrap()
                        .to_string(),
                )
            }
        }
    }
}

impl J {
    fn get(&self, key: &str) -> Option<&J> {
        match self {
            J::Obj(kv) => kv
                .iter()
                .find(|(k, _)| matches!(k, J::Str(s) if s == key))
                .map(|(_, v)| v),
            _ => None,
        }
    }
    fn str(&self, key: &str) -> String {
        match self.get(key) {
            Some(J::Str(s)) => s.clone(),
            Some(J::Num(n)) => n.clone(),
            other => panic!("{key}: {other:?}"),
        }
    }
    fn arr(&self, key: &str) -> &[J] {
        match self.get(key) {
            Some(J::Arr(a)) => a,
            _ => &[],
        }
    }
}

/// A scalar's canonical text: integers as integers, other numbers through f64.
fn num(text: &str) -> String {
    // The reference prints doubles with 15 significant digits; compare at 12.
    if let Ok(i) = text.parse::<i128>() {
        if i.abs() < 1_000_000_000_000_000 {
            return i.to_string();
        }
    }
    let f: f64 = text.parse().unwrap();
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f:.11e}")
    }
}

fn canon_json(j: &J) -> String {
    match j {
        // `{}` and `[]` both stand for an empty collection in the reference's output.
        J::Arr(a) if a.is_empty() => "empty".into(),
        J::Obj(o) if o.is_empty() => "empty".into(),
        J::Null => "null".into(),
        J::Num(n) if n == "true" || n == "false" => n.clone(),
        J::Num(n) => num(n),
        J::Str(s) => format!("{s:?}"),
        J::Arr(a) => format!(
            "[{}]",
            a.iter().map(canon_json).collect::<Vec<_>>().join(",")
        ),
        J::Obj(kv) => {
            let mut items: Vec<String> = kv
                .iter()
                .map(|(k, v)| format!("{}:{}", canon_key_json(k), canon_json(v)))
                .collect();
            items.sort();
            format!("{{{}}}", items.join(","))
        }
    }
}

/// Keys of a JSON object are strings even when the Thrift key is a number.
fn canon_key_json(j: &J) -> String {
    match j {
        J::Str(s) if s.parse::<f64>().is_ok() => num(s),
        other => canon_json(other),
    }
}

fn type_json(j: &J, id_key: &str, ty_key: &str) -> String {
    let id = j.str(id_key);
    let t = j.get(ty_key);
    match id.as_str() {
        "list" | "set" => {
            let t = t.unwrap();
            format!("{id}<{}>", type_json(t, "elemTypeId", "elemType"))
        }
        "map" => {
            let t = t.unwrap();
            format!(
                "map<{},{}>",
                type_json(t, "keyTypeId", "keyType"),
                type_json(t, "valueTypeId", "valueType")
            )
        }
        "struct" | "union" | "exception" => {
            let class = t.unwrap().str("class");
            format!("struct:{}", class.rsplit('.').next().unwrap())
        }
        other => other.to_string(),
    }
}

fn type_ours(p: &Program, file: usize, ty: &Type) -> String {
    let (f, t) = p.resolve(file, ty);
    match t {
        Type::Bool => "bool".into(),
        Type::I8 => "i8".into(),
        Type::I16 => "i16".into(),
        Type::I32 => "i32".into(),
        Type::I64 => "i64".into(),
        Type::Double => "double".into(),
        Type::String => "string".into(),
        Type::Binary => "binary".into(),
        Type::List(e) => format!("list<{}>", type_ours(p, f, e)),
        Type::Set(e) => format!("set<{}>", type_ours(p, f, e)),
        Type::Map(k, v) => format!("map<{},{}>", type_ours(p, f, k), type_ours(p, f, v)),
        Type::Named(n, _) => match p.lookup_type(f, n) {
            Some((_, TypeDef::Enum(_))) => "i32".into(),
            Some((_, TypeDef::Struct(s))) => format!("struct:{}", s.name),
            other => panic!("unresolved {n}: {other:?}"),
        },
    }
}

/// Our constant value, references resolved, in the same canonical text as `canon_json`.
fn value_ours(p: &Program, file: usize, ty: &Type, v: &ConstValue, vfile: usize) -> String {
    let (tf, t) = p.resolve(file, ty);
    let enum_ty = match t {
        Type::Named(n, _) => match p.lookup_type(tf, n) {
            Some((_, TypeDef::Enum(e))) => Some(e),
            _ => None,
        },
        _ => None,
    };
    match v {
        ConstValue::Int(i, _) => num(&i.to_string()),
        ConstValue::Double(d, _) => num(&d.to_string()),
        ConstValue::String(s, _) => format!("{s:?}"),
        ConstValue::Ref(name, _) => {
            if let Some(e) = enum_ty {
                let last = name.rsplit('.').next().unwrap();
                if let Some(ev) = e.values.iter().find(|ev| ev.name == last) {
                    return ev.value.to_string();
                }
            }
            match p.lookup_const(vfile, name) {
                Some(ConstTarget::Const(cf, c)) => value_ours(p, file, ty, &c.value, cf),
                Some(ConstTarget::EnumValue(_, _, ev)) => ev.value.to_string(),
                None => panic!("unresolved constant {name}"),
            }
        }
        ConstValue::List(..) | ConstValue::Map(..)
            if matches!(v, ConstValue::List(i, _) if i.is_empty())
                || matches!(v, ConstValue::Map(e, _) if e.is_empty()) =>
        {
            "empty".into()
        }
        ConstValue::List(items, _) => {
            let elem = match t {
                Type::List(e) | Type::Set(e) => (**e).clone(),
                _ => Type::String,
            };
            format!(
                "[{}]",
                items
                    .iter()
                    .map(|i| value_ours(p, tf, &elem, i, vfile))
                    .collect::<Vec<_>>()
                    .join(",")
            )
        }
        ConstValue::Map(entries, _) => {
            let mut items: Vec<String> = entries
                .iter()
                .map(|(k, val)| match t {
                    Type::Map(kt, vt) => format!(
                        "{}:{}",
                        value_ours(p, tf, kt, k, vfile),
                        value_ours(p, tf, vt, val, vfile)
                    ),
                    Type::Named(n, _) => {
                        let Some((sf, TypeDef::Struct(s))) = p.lookup_type(tf, n) else {
                            panic!()
                        };
                        let ConstValue::String(fname, _) = k else {
                            panic!()
                        };
                        let f = s.fields.iter().find(|f| &f.name == fname).unwrap();
                        format!("{fname:?}:{}", value_ours(p, sf, &f.ty, val, vfile))
                    }
                    _ => String::new(),
                })
                .collect();
            items.sort();
            if matches!(t, Type::List(_) | Type::Set(_)) {
                return "[]".into();
            }
            format!("{{{}}}", items.join(","))
        }
    }
}

fn req(f: &Field) -> &'static str {
    match f.required {
        Requiredness::Required => "required",
        Requiredness::Optional => "optional",
        Requiredness::Default => "req_out",
    }
}

fn fields_agree(ctx: &str, p: &Program, file: usize, ours: &[Field], theirs: &[J]) {
    assert_eq!(ours.len(), theirs.len(), "{ctx}: field count");
    for (o, t) in ours.iter().zip(theirs) {
        let c = format!("{ctx}.{}", o.name);
        assert_eq!(o.name, t.str("name"), "{c}: name");
        assert_eq!(o.id.to_string(), t.str("key"), "{c}: id");
        assert_eq!(
            type_ours(p, file, &o.ty),
            type_json(t, "typeId", "type"),
            "{c}: type"
        );
        if let Some(r) = t.get("required") {
            let J::Str(r) = r else { panic!() };
            assert_eq!(req(o), r, "{c}: requiredness");
        }
        match (&o.default, t.get("default")) {
            (Some(d), Some(j)) => {
                assert_eq!(
                    value_ours(p, file, &o.ty, d, file),
                    canon_json(j),
                    "{c}: default"
                )
            }
            (None, None) => {}
            (a, b) => panic!("{c}: default {a:?} vs {b:?}"),
        }
    }
}

fn compare(p: &Program, json: &J, path: &Path) {
    let file = p.root();
    let defs = &p.files[file].doc.definitions;
    let ctx = path.file_name().unwrap().to_string_lossy().to_string();
    let enums: Vec<&Enum> = defs
        .iter()
        .filter_map(|d| {
            if let Definition::Enum(e) = d {
                Some(e)
            } else {
                None
            }
        })
        .collect();
    assert_eq!(enums.len(), json.arr("enums").len(), "{ctx}: enums");
    for (e, j) in enums.iter().zip(json.arr("enums")) {
        assert_eq!(e.name, j.str("name"), "{ctx}: enum");
        let ours: Vec<String> = e
            .values
            .iter()
            .map(|v| format!("{}={}", v.name, v.value))
            .collect();
        let theirs: Vec<String> = j
            .arr("members")
            .iter()
            .map(|m| format!("{}={}", m.str("name"), m.str("value")))
            .collect();
        assert_eq!(ours, theirs, "{ctx}: enum {}", e.name);
    }
    let typedefs: Vec<&Typedef> = defs
        .iter()
        .filter_map(|d| {
            if let Definition::Typedef(t) = d {
                Some(t)
            } else {
                None
            }
        })
        .collect();
    assert_eq!(
        typedefs.len(),
        json.arr("typedefs").len(),
        "{ctx}: typedefs"
    );
    for (t, j) in typedefs.iter().zip(json.arr("typedefs")) {
        assert_eq!(t.name, j.str("name"), "{ctx}: typedef");
        assert_eq!(
            type_ours(p, file, &t.ty),
            type_json(j, "typeId", "type"),
            "{ctx}: typedef {}",
            t.name
        );
    }
    let structs: Vec<&Struct> = defs
        .iter()
        .filter_map(|d| {
            if let Definition::Struct(s) = d {
                Some(s)
            } else {
                None
            }
        })
        .collect();
    assert_eq!(structs.len(), json.arr("structs").len(), "{ctx}: structs");
    for (s, j) in structs.iter().zip(json.arr("structs")) {
        assert_eq!(s.name, j.str("name"), "{ctx}: struct");
        let c = format!("{ctx}: {}", s.name);
        assert_eq!(
            matches!(j.get("isException"), Some(J::Num(n)) if n == "1")
                || j.str("isException") == "true",
            s.kind == StructKind::Exception,
            "{c}: exception"
        );
        assert_eq!(
            j.str("isUnion") == "true",
            s.kind == StructKind::Union,
            "{c}: union"
        );
        fields_agree(&c, p, file, &s.fields, j.arr("fields"));
    }
    let consts: Vec<&Const> = defs
        .iter()
        .filter_map(|d| {
            if let Definition::Const(c) = d {
                Some(c)
            } else {
                None
            }
        })
        .collect();
    assert_eq!(
        consts.len(),
        json.arr("constants").len(),
        "{ctx}: constants"
    );
    for (c, j) in consts.iter().zip(json.arr("constants")) {
        assert_eq!(c.name, j.str("name"), "{ctx}: const");
        assert_eq!(
            type_ours(p, file, &c.ty),
            type_json(j, "typeId", "type"),
            "{ctx}: const {}",
            c.name
        );
        assert_eq!(
            value_ours(p, file, &c.ty, &c.value, file),
            canon_json(j.get("value").unwrap()),
            "{ctx}: const {}",
            c.name
        );
    }
    let services: Vec<&Service> = defs
        .iter()
        .filter_map(|d| {
            if let Definition::Service(s) = d {
                Some(s)
            } else {
                None
            }
        })
        .collect();
    assert_eq!(
        services.len(),
        json.arr("services").len(),
        "{ctx}: services"
    );
    for (s, j) in services.iter().zip(json.arr("services")) {
        assert_eq!(s.name, j.str("name"), "{ctx}: service");
        if let Some(J::Str(ext)) = j.get("extends") {
            assert_eq!(
                s.extends
                    .as_ref()
                    .map(|e| e.0.rsplit('.').next().unwrap().to_string())
                    .as_deref(),
                Some(ext.rsplit('.').next().unwrap()),
                "{ctx}: {} extends",
                s.name
            );
        }
        let fns = j.arr("functions");
        assert_eq!(s.functions.len(), fns.len(), "{ctx}: {} methods", s.name);
        for (f, jf) in s.functions.iter().zip(fns) {
            let c = format!("{ctx}: {}.{}", s.name, f.name);
            assert_eq!(f.name, jf.str("name"), "{c}");
            let ret = match &f.returns {
                Some(t) => type_ours(p, file, t),
                None => "void".into(),
            };
            assert_eq!(
                ret,
                type_json(jf, "returnTypeId", "returnType"),
                "{c}: return type"
            );
            assert_eq!(f.oneway, jf.str("oneway") == "true", "{c}: oneway");
            fields_agree(&c, p, file, &f.args, jf.arr("arguments"));
            fields_agree(
                &format!("{c} throws"),
                p,
                file,
                &f.throws,
                jf.arr("exceptions"),
            );
        }
    }
}

#[test]
fn apache_corpus_agrees_with_the_reference_compiler() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/apache");
    let out = std::env::temp_dir().join(format!("tchannel-thrift-json-{}", std::process::id()));
    std::fs::create_dir_all(&out).unwrap();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "thrift"))
        .collect();
    files.sort();
    assert!(files.len() >= 25, "corpus missing");
    let (mut accepted, mut rejected) = (0, 0);
    for path in &files {
        let status = Command::new("thrift")
            .args(["--gen", "json", "-out"])
            .arg(&out)
            .arg(path)
            .output()
            .unwrap_or_else(|e| {
                panic!("the `thrift` compiler is missing ({e}): run tools/install-peers.sh")
            });
        let ours = tchannel_thrift_gen::load(path, std::slice::from_ref(&dir));
        if status.status.success() {
            let p = ours.unwrap_or_else(|e| {
                panic!("thrift accepts {} but we reject it:\n{e}", path.display())
            });
            let stem = path.file_stem().unwrap().to_string_lossy();
            let text = std::fs::read_to_string(out.join(format!("{stem}.json"))).unwrap();
            let json = P {
                s: text.as_bytes(),
                i: 0,
            }
            .value();
            compare(&p, &json, path);
            accepted += 1;
        } else {
            let e = ours
                .err()
                .unwrap_or_else(|| panic!("thrift rejects {} but we accept it", path.display()));
            assert!(e.line() > 0, "error without a location: {e}");
            rejected += 1;
        }
    }
    assert!(
        accepted >= 25 && rejected >= 1,
        "accepted {accepted}, rejected {rejected}"
    );
}

/// Invalid IDL that the reference compiler rejects: we must reject it too, with a location.
/// (We are deliberately stricter than `thrift --gen json` 0.17 in a few places it only warns
/// about or does not check: a constant out of its type's range, a `oneway` method returning a
/// value, a field id above 32767, an include that does not exist.)
#[test]
fn invalid_idl_is_rejected_like_the_reference_compiler() {
    let cases = [
        "struct S {\n  1: i32\n}\n",
        "struct S { 1: i32 a } x",
        "enum E { A = x }",
        "struct S {\n  1: i32 a\n  1: i32 b\n}",
        "struct S {\n  1: i32 a\n  2: i32 a\n}",
        "struct S { 1: Missing m }",
        "const string X = 1",
        "enum E { A = 1 }\nconst E X = 2",
        "const i32 X = NOPE",
        "struct S { 1: i32 a }\nconst S X = {\"b\": 1}",
        "service S extends Base {}",
        "struct S {}\nstruct S {}",
        "struct E {}\nservice S { void f() throws (1: E e) }",
    ];
    let dir = std::env::temp_dir().join(format!("tchannel-thrift-neg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (i, src) in cases.iter().enumerate() {
        let path = dir.join(format!("neg{i}.thrift"));
        std::fs::write(&path, src).unwrap();
        let reference = Command::new("thrift")
            .args(["--gen", "json", "-out"])
            .arg(&dir)
            .arg(&path)
            .output()
            .unwrap_or_else(|e| {
                panic!("the `thrift` compiler is missing ({e}): run tools/install-peers.sh")
            });
        assert!(
            !reference.status.success(),
            "the reference accepts case {i}: {src}"
        );
        let e = tchannel_thrift_gen::load(&path, &[]).expect_err(src);
        assert!(
            e.line() > 0 && e.column() > 0,
            "case {i} has no location: {e}"
        );
    }
}
