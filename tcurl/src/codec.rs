//! A dynamic JSON <-> Thrift binary protocol codec driven by an IDL parsed at run time.
//!
//! [`Idl::load`] reads an IDL file (with its includes) through `tchannel-thrift-gen`;
//! [`Idl::method`] finds `Service::method` (inherited methods included); the [`Method`] encodes
//! a JSON object of arguments by name into the args struct and decodes a result struct into
//! the success value or the declared exception.
//!
//! JSON forms of Thrift values:
//!
//! | Thrift | JSON in | JSON out |
//! |---|---|---|
//! | `bool` | `true`/`false` | same |
//! | `byte`, `i16`, `i32`, `i64` | a number, or a string holding one | a number |
//! | `double` | a number, or `"NaN"`, `"Infinity"`, `"-Infinity"` | same |
//! | `string` | a string | same |
//! | `binary` | base64 string, `{"base64":…}`, `{"utf8":…}`, `{"hex":…}`, Node's `{"type":"Buffer","data":[…]}` | base64 string |
//! | enum | a value name or a number | the name (the number when unknown) |
//! | `list`, `set` | an array | an array |
//! | `map` | an object (keys of string, number or enum type), or an array of `[key, value]` | an object when keys are strings, numbers or enums, else an array of pairs |
//! | struct, exception | an object by field name (`null` = absent) | the fields that are set |
//! | union | an object with exactly one field | same |

use base64::Engine as _;
use bytes::Bytes;
use serde_json::{Map, Number, Value};
use std::fmt;
use std::path::{Path, PathBuf};
use tchannel_runtime::thrift::{Reader, TType, Writer};
use tchannel_thrift_gen::ast::{
    ConstValue, Enum, Field, Function, Requiredness, Service, Struct, StructKind, Type,
};
use tchannel_thrift_gen::{ConstTarget, Program, TypeDef};

/// An error of the codec, naming the field path where it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodecError {
    /// Where: `item.path[2].x`, empty at the top.
    pub path: String,
    /// What.
    pub message: String,
}

impl fmt::Display for CodecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for CodecError {}

/// A loaded IDL.
#[derive(Debug, Clone)]
pub struct Idl {
    program: Program,
}

/// The decoded result struct of a call.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The success value (`null` for `void`).
    Success(Value),
    /// A declared exception: its result field name and value.
    Exception(String, Value),
}

/// One method of a service, ready to encode its arguments and decode its result.
#[derive(Debug, Clone, Copy)]
pub struct Method<'a> {
    idl: &'a Idl,
    file: usize,
    service: &'a Service,
    function: &'a Function,
}

impl Idl {
    /// Loads `path` and everything it includes (searched beside each file, then in
    /// `include_dirs`).
    pub fn load(path: &Path, include_dirs: &[PathBuf]) -> Result<Idl, String> {
        tchannel_thrift_gen::load(path, include_dirs)
            .map(|program| Idl { program })
            .map_err(|e| e.to_string())
    }

    /// Parses IDL text without includes.
    pub fn parse(name: &str, source: &str) -> Result<Idl, String> {
        tchannel_thrift_gen::parse_str(name, source)
            .map(|program| Idl { program })
            .map_err(|e| e.to_string())
    }

    /// The services of the root file, each with its methods (inherited ones included).
    pub fn services(&self) -> Vec<(String, Vec<String>)> {
        let root = self.program.root();
        self.program.files[root]
            .doc
            .definitions
            .iter()
            .filter_map(|d| match d {
                tchannel_thrift_gen::ast::Definition::Service(s) => Some(s),
                _ => None,
            })
            .map(|s| {
                let mut names = Vec::new();
                self.for_each_function(root, s, &mut |f| names.push(f.name.clone()));
                (s.name.clone(), names)
            })
            .collect()
    }

    fn for_each_function<'a>(
        &'a self,
        file: usize,
        s: &'a Service,
        f: &mut dyn FnMut(&'a Function),
    ) {
        for func in &s.functions {
            f(func);
        }
        if let Some((base, _)) = &s.extends {
            if let Some((idx, b)) = self.program.lookup_service(file, base) {
                self.for_each_function(idx, b, f);
            }
        }
    }

    /// Finds `Service::method` (the method may be inherited through `extends`).
    pub fn method(&self, endpoint: &str) -> Result<Method<'_>, String> {
        let Some((service, method)) = endpoint.split_once("::") else {
            return Err(format!(
                "thrift endpoint {endpoint:?} must be Service::method"
            ));
        };
        let root = self.program.root();
        let Some((mut file, mut svc)) = self.program.lookup_service(root, service) else {
            let known: Vec<String> = self.services().into_iter().map(|(s, _)| s).collect();
            return Err(format!(
                "no service {service:?} in the IDL (services: {})",
                known.join(", ")
            ));
        };
        let top = svc;
        for _ in 0..64 {
            if let Some(function) = svc.functions.iter().find(|f| f.name == method) {
                return Ok(Method {
                    idl: self,
                    file,
                    service: top,
                    function,
                });
            }
            match &svc.extends {
                Some((base, _)) => match self.program.lookup_service(file, base) {
                    Some((idx, b)) => {
                        file = idx;
                        svc = b;
                    }
                    None => break,
                },
                None => break,
            }
        }
        let mut names = Vec::new();
        self.for_each_function(root, top, &mut |f| names.push(f.name.clone()));
        Err(format!(
            "service {service:?} has no method {method:?} (methods: {})",
            names.join(", ")
        ))
    }

    /// Encodes `value` as a struct/union/exception named `name` in the root file.
    pub fn encode_struct(&self, name: &str, value: &Value) -> Result<Bytes, CodecError> {
        let root = self.program.root();
        let s = match self.program.lookup_type(root, name) {
            Some((idx, TypeDef::Struct(s))) => (idx, s),
            _ => return Err(err("", format!("no struct {name:?} in the IDL"))),
        };
        let mut w = Writer::new();
        let mut ctx = Ctx::new(self);
        ctx.write_struct(&mut w, s.0, &s.1.fields, s.1.kind, &s.1.name, value)?;
        Ok(w.into_bytes())
    }

    /// Decodes a struct/union/exception named `name` in the root file.
    pub fn decode_struct(&self, name: &str, bytes: Bytes) -> Result<Value, CodecError> {
        let root = self.program.root();
        let s = match self.program.lookup_type(root, name) {
            Some((idx, TypeDef::Struct(s))) => (idx, s),
            _ => return Err(err("", format!("no struct {name:?} in the IDL"))),
        };
        let mut r = Reader::new(bytes);
        let mut ctx = Ctx::new(self);
        let v = ctx.read_struct(&mut r, s.0, &s.1.fields)?;
        ctx.finish(&r)?;
        Ok(v)
    }
}

impl<'a> Method<'a> {
    /// `Service::method`, with the service named as it was looked up.
    pub fn endpoint(&self) -> String {
        format!("{}::{}", self.service.name, self.function.name)
    }

    /// The function's definition.
    pub fn function(&self) -> &'a Function {
        self.function
    }

    /// Encodes the arguments, a JSON object by argument name (`null` = no arguments).
    pub fn encode_args(&self, args: &Value) -> Result<Bytes, CodecError> {
        let empty = Value::Object(Map::new());
        let args = if args.is_null() { &empty } else { args };
        let mut w = Writer::new();
        let name = format!("{}_args", self.function.name);
        Ctx::new(self.idl).write_struct(
            &mut w,
            self.file,
            &self.function.args,
            StructKind::Struct,
            &name,
            args,
        )?;
        Ok(w.into_bytes())
    }

    /// Decodes an args struct back into JSON (what a server would see).
    pub fn decode_args(&self, bytes: Bytes) -> Result<Value, CodecError> {
        let mut r = Reader::new(bytes);
        let mut ctx = Ctx::new(self.idl);
        let v = ctx.read_struct(&mut r, self.file, &self.function.args)?;
        ctx.finish(&r)?;
        Ok(v)
    }

    fn result_fields(&self) -> Vec<Field> {
        let mut fields = Vec::new();
        if let Some(ty) = &self.function.returns {
            fields.push(Field {
                id: 0,
                auto_id: false,
                name: "success".into(),
                ty: ty.clone(),
                required: Requiredness::Optional,
                default: None,
                reference: false,
                doc: None,
                annotations: Default::default(),
                span: Default::default(),
                id_span: Default::default(),
            });
        }
        fields.extend(self.function.throws.iter().cloned().map(|mut f| {
            f.required = Requiredness::Optional;
            f
        }));
        fields
    }

    /// Encodes a result struct (what a server answers).
    pub fn encode_result(&self, outcome: &Outcome) -> Result<Bytes, CodecError> {
        let mut obj = Map::new();
        match outcome {
            Outcome::Success(v) => {
                if self.function.returns.is_some() {
                    obj.insert("success".into(), v.clone());
                }
            }
            Outcome::Exception(name, v) => {
                obj.insert(name.clone(), v.clone());
            }
        }
        let mut w = Writer::new();
        let name = format!("{}_result", self.function.name);
        Ctx::new(self.idl).write_struct(
            &mut w,
            self.file,
            &self.result_fields(),
            StructKind::Struct,
            &name,
            &Value::Object(obj),
        )?;
        Ok(w.into_bytes())
    }

    /// Decodes a result struct: the success value (`null` for `void`) or the declared
    /// exception that is set.
    pub fn decode_result(&self, bytes: Bytes) -> Result<Outcome, CodecError> {
        let fields = self.result_fields();
        let mut r = Reader::new(bytes);
        let mut ctx = Ctx::new(self.idl);
        let v = ctx.read_struct(&mut r, self.file, &fields)?;
        ctx.finish(&r)?;
        let Value::Object(mut obj) = v else {
            unreachable!("read_struct returns an object")
        };
        for t in &self.function.throws {
            if let Some(v) = obj.remove(&t.name) {
                return Ok(Outcome::Exception(t.name.clone(), v));
            }
        }
        match (obj.remove("success"), &self.function.returns) {
            (Some(v), _) => Ok(Outcome::Success(v)),
            (None, None) => Ok(Outcome::Success(Value::Null)),
            (None, Some(_)) => Err(err(
                "",
                format!(
                    "the result of {} has neither a success value nor a declared exception",
                    self.endpoint()
                ),
            )),
        }
    }
}

fn err(path: &str, message: impl Into<String>) -> CodecError {
    CodecError {
        path: path.to_owned(),
        message: message.into(),
    }
}

/// A resolved type: what a `Type` is once typedefs are followed.
enum Resolved<'a> {
    Base(&'a Type),
    Enum(&'a Enum),
    Struct(usize, &'a Struct),
    Map(usize, &'a Type, &'a Type),
    List(usize, &'a Type),
    Set(usize, &'a Type),
}

struct Ctx<'a> {
    idl: &'a Idl,
    path: Vec<String>,
    depth: u32,
}

fn describe(v: &Value) -> String {
    let s = v.to_string();
    if s.len() > 40 {
        format!(
            "{}…",
            &s[..s.char_indices().nth(40).map_or(s.len(), |(i, _)| i)]
        )
    } else {
        s
    }
}

impl<'a> Ctx<'a> {
    fn new(idl: &'a Idl) -> Self {
        Ctx {
            idl,
            path: Vec::new(),
            depth: 0,
        }
    }

    fn path(&self) -> String {
        let mut s = String::new();
        for p in &self.path {
            if !p.starts_with('[') && !s.is_empty() {
                s.push('.');
            }
            s.push_str(p);
        }
        s
    }

    fn err(&self, message: impl Into<String>) -> CodecError {
        err(&self.path(), message)
    }

    fn finish(&self, r: &Reader) -> Result<(), CodecError> {
        if r.is_empty() {
            Ok(())
        } else {
            Err(self.err(format!("{} bytes left after the struct", r.remaining())))
        }
    }

    fn resolve(&self, file: usize, ty: &'a Type) -> Result<Resolved<'a>, CodecError> {
        let p = &self.idl.program;
        let (file, ty) = p.resolve(file, ty);
        Ok(match ty {
            Type::Named(name, _) => match p.lookup_type(file, name) {
                Some((_, TypeDef::Enum(e))) => Resolved::Enum(e),
                Some((idx, TypeDef::Struct(s))) => Resolved::Struct(idx, s),
                _ => return Err(self.err(format!("unknown type {name:?}"))),
            },
            Type::Map(k, v) => Resolved::Map(file, k, v),
            Type::List(e) => Resolved::List(file, e),
            Type::Set(e) => Resolved::Set(file, e),
            other => Resolved::Base(other),
        })
    }

    fn ttype(&self, file: usize, ty: &'a Type) -> Result<TType, CodecError> {
        Ok(match self.resolve(file, ty)? {
            Resolved::Base(t) => match t {
                Type::Bool => TType::Bool,
                Type::I8 => TType::I8,
                Type::I16 => TType::I16,
                Type::I32 => TType::I32,
                Type::I64 => TType::I64,
                Type::Double => TType::Double,
                Type::String | Type::Binary => TType::String,
                _ => unreachable!("containers and names are resolved"),
            },
            Resolved::Enum(_) => TType::I32,
            Resolved::Struct(..) => TType::Struct,
            Resolved::Map(..) => TType::Map,
            Resolved::List(..) => TType::List,
            Resolved::Set(..) => TType::Set,
        })
    }

    fn enter(&mut self) -> Result<(), CodecError> {
        self.depth += 1;
        if self.depth > tchannel_runtime::thrift::MAX_DEPTH {
            return Err(self.err("nested too deeply"));
        }
        Ok(())
    }

    // ---------------------------------------------------------------- encoding

    fn write_struct(
        &mut self,
        w: &mut Writer,
        file: usize,
        fields: &'a [Field],
        kind: StructKind,
        name: &str,
        value: &Value,
    ) -> Result<(), CodecError> {
        self.enter()?;
        let Value::Object(obj) = value else {
            return Err(self.err(format!(
                "expected an object for {name}, got {}",
                describe(value)
            )));
        };
        // Node prints unions as {"type": "field", "field": value}; accept that form.
        let node_union_tag = match (kind, obj.get("type")) {
            (StructKind::Union, Some(Value::String(t)))
                if !fields.iter().any(|f| f.name == "type")
                    && fields.iter().any(|f| &f.name == t) =>
            {
                Some("type")
            }
            _ => None,
        };
        for key in obj.keys() {
            if Some(key.as_str()) != node_union_tag && !fields.iter().any(|f| &f.name == key) {
                let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
                return Err(self.err(format!(
                    "unknown field {key:?} in {name} (fields: {})",
                    names.join(", ")
                )));
            }
        }
        let mut set = 0;
        for f in fields {
            let owned;
            let v = match obj.get(&f.name).filter(|v| !v.is_null()) {
                Some(v) => v,
                None => match &f.default {
                    Some(d) if kind != StructKind::Union => {
                        owned = self.const_json(file, d)?;
                        &owned
                    }
                    _ => {
                        if f.required == Requiredness::Required {
                            return Err(
                                self.err(format!("missing required field {:?} of {name}", f.name))
                            );
                        }
                        continue;
                    }
                },
            };
            set += 1;
            self.path.push(f.name.clone());
            let ty = self.ttype(file, &f.ty)?;
            w.write_field_begin(ty, f.id as i16);
            self.write_value(w, file, &f.ty, v)?;
            self.path.pop();
        }
        if kind == StructKind::Union && set != 1 {
            let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
            return Err(self.err(format!(
                "union {name} needs exactly one field set, got {set} (fields: {})",
                names.join(", ")
            )));
        }
        w.write_field_stop();
        self.depth -= 1;
        Ok(())
    }

    fn int(&self, v: &Value, what: &str, min: i64, max: i64) -> Result<i64, CodecError> {
        let n = match v {
            Value::Number(n) => n.as_i64().or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                    .map(|f| f as i64)
            }),
            Value::String(s) => s.trim().parse::<i64>().ok(),
            // Node prints i64 as {"type":"Buffer","data":[8 bytes]}.
            Value::Object(o) if what == "i64" => node_buffer(o)
                .filter(|b| b.len() == 8)
                .map(|b| i64::from_be_bytes(b.try_into().expect("8 bytes"))),
            _ => None,
        };
        let n = n.ok_or_else(|| self.err(format!("expected {what}, got {}", describe(v))))?;
        if n < min || n > max {
            return Err(self.err(format!("{n} is out of range for {what}")));
        }
        Ok(n)
    }

    fn write_value(
        &mut self,
        w: &mut Writer,
        file: usize,
        ty: &'a Type,
        v: &Value,
    ) -> Result<(), CodecError> {
        match self.resolve(file, ty)? {
            Resolved::Base(t) => match t {
                Type::Bool => match v {
                    Value::Bool(b) => w.write_bool(*b),
                    _ => return Err(self.err(format!("expected bool, got {}", describe(v)))),
                },
                Type::I8 => w.write_i8(self.int(v, "byte", i8::MIN.into(), i8::MAX.into())? as i8),
                Type::I16 => {
                    w.write_i16(self.int(v, "i16", i16::MIN.into(), i16::MAX.into())? as i16)
                }
                Type::I32 => {
                    w.write_i32(self.int(v, "i32", i32::MIN.into(), i32::MAX.into())? as i32)
                }
                Type::I64 => w.write_i64(self.int(v, "i64", i64::MIN, i64::MAX)?),
                Type::Double => {
                    let d = match v {
                        Value::Number(n) => n.as_f64(),
                        Value::String(s) => match s.as_str() {
                            "NaN" => Some(f64::NAN),
                            "Infinity" => Some(f64::INFINITY),
                            "-Infinity" => Some(f64::NEG_INFINITY),
                            s => s.trim().parse().ok(),
                        },
                        _ => None,
                    };
                    let d =
                        d.ok_or_else(|| self.err(format!("expected double, got {}", describe(v))))?;
                    w.write_double(d)
                }
                Type::String => match v {
                    Value::String(s) => w.write_string(s),
                    _ => return Err(self.err(format!("expected string, got {}", describe(v)))),
                },
                Type::Binary => {
                    let b = binary_from_json(v).map_err(|m| self.err(m))?;
                    w.write_binary(&b)
                }
                _ => unreachable!("resolved"),
            },
            Resolved::Enum(e) => {
                let n = match v {
                    Value::String(s) => match e.values.iter().find(|x| x.name == *s) {
                        Some(x) => x.value,
                        None => match s.trim().parse::<i32>() {
                            Ok(n) => n,
                            Err(_) => {
                                let names: Vec<&str> =
                                    e.values.iter().map(|x| x.name.as_str()).collect();
                                return Err(self.err(format!(
                                    "{s:?} is not a value of enum {} ({})",
                                    e.name,
                                    names.join(", ")
                                )));
                            }
                        },
                    },
                    _ => self.int(
                        v,
                        &format!("enum {}", e.name),
                        i32::MIN.into(),
                        i32::MAX.into(),
                    )? as i32,
                };
                w.write_i32(n)
            }
            Resolved::Struct(idx, s) => {
                self.write_struct(w, idx, &s.fields, s.kind, &s.name, v)?;
            }
            Resolved::List(f, e) | Resolved::Set(f, e) => {
                let Value::Array(items) = v else {
                    return Err(self.err(format!("expected an array, got {}", describe(v))));
                };
                self.enter()?;
                let ety = self.ttype(f, e)?;
                w.write_list_begin(ety, items.len());
                for (i, item) in items.iter().enumerate() {
                    self.path.push(format!("[{i}]"));
                    self.write_value(w, f, e, item)?;
                    self.path.pop();
                }
                self.depth -= 1;
            }
            Resolved::Map(f, k, val) => {
                self.enter()?;
                let kty = self.ttype(f, k)?;
                let vty = self.ttype(f, val)?;
                match v {
                    Value::Object(obj) => {
                        w.write_map_begin(kty, vty, obj.len());
                        for (key, item) in obj {
                            self.path.push(format!("[{key:?}]"));
                            let kv = self.key_from_string(f, k, key)?;
                            self.write_value(w, f, k, &kv)?;
                            self.write_value(w, f, val, item)?;
                            self.path.pop();
                        }
                    }
                    Value::Array(pairs) => {
                        w.write_map_begin(kty, vty, pairs.len());
                        for (i, pair) in pairs.iter().enumerate() {
                            self.path.push(format!("[{i}]"));
                            let (kv, item) = match pair {
                                Value::Array(p) if p.len() == 2 => (&p[0], &p[1]),
                                _ => {
                                    return Err(self.err(format!(
                                        "expected a [key, value] pair, got {}",
                                        describe(pair)
                                    )))
                                }
                            };
                            self.write_value(w, f, k, kv)?;
                            self.write_value(w, f, val, item)?;
                            self.path.pop();
                        }
                    }
                    _ => {
                        return Err(self.err(format!(
                        "expected an object or an array of [key, value] pairs for a map, got {}",
                        describe(v)
                    )))
                    }
                }
                self.depth -= 1;
            }
        }
        Ok(())
    }

    /// A JSON object key as a value of the map's key type.
    fn key_from_string(&self, file: usize, k: &'a Type, key: &str) -> Result<Value, CodecError> {
        Ok(match self.resolve(file, k)? {
            Resolved::Base(Type::Bool) => match key {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => return Err(self.err(format!("map key {key:?} is not a bool"))),
            },
            Resolved::Base(Type::Double) => Value::String(key.to_owned()),
            Resolved::Base(Type::String | Type::Binary) | Resolved::Enum(_) => {
                Value::String(key.to_owned())
            }
            Resolved::Base(_) => Value::String(key.to_owned()), // integers parse from strings
            _ => {
                return Err(self.err(
                    "this map's keys are not strings, numbers or enums: give an array of [key, value] pairs",
                ))
            }
        })
    }

    /// A constant (a field default) as JSON.
    fn const_json(&self, file: usize, c: &ConstValue) -> Result<Value, CodecError> {
        Ok(match c {
            ConstValue::Int(n, _) => Value::from(*n),
            ConstValue::Double(d, _) => Number::from_f64(*d).map_or(Value::Null, Value::Number),
            ConstValue::String(s, _) => Value::String(s.clone()),
            ConstValue::List(items, _) => Value::Array(
                items
                    .iter()
                    .map(|i| self.const_json(file, i))
                    .collect::<Result<_, _>>()?,
            ),
            ConstValue::Map(pairs, _) => Value::Array(
                pairs
                    .iter()
                    .map(|(k, v)| {
                        Ok(Value::Array(vec![
                            self.const_json(file, k)?,
                            self.const_json(file, v)?,
                        ]))
                    })
                    .collect::<Result<_, CodecError>>()?,
            ),
            ConstValue::Ref(name, _) => match self.idl.program.lookup_const(file, name) {
                Some(ConstTarget::EnumValue(_, _, v)) => Value::from(v.value),
                Some(ConstTarget::Const(idx, c)) => self.const_json(idx, &c.value)?,
                None => return Err(self.err(format!("unknown constant {name:?}"))),
            },
        })
    }

    // ---------------------------------------------------------------- decoding

    fn derr(&self, e: tchannel_runtime::thrift::DecodeError) -> CodecError {
        self.err(format!("cannot decode: {e}"))
    }

    fn read_struct(
        &mut self,
        r: &mut Reader,
        file: usize,
        fields: &'a [Field],
    ) -> Result<Value, CodecError> {
        self.enter()?;
        let mut obj = Map::new();
        loop {
            let (ty, id) = r.read_field_begin().map_err(|e| self.derr(e))?;
            if ty == TType::Stop {
                break;
            }
            match fields.iter().find(|f| f.id as i16 == id) {
                Some(f) => {
                    self.path.push(f.name.clone());
                    let want = self.ttype(file, &f.ty)?;
                    if want != ty {
                        return Err(self.err(format!(
                            "field id {id} has wire type {ty:?}, the IDL says {want:?}"
                        )));
                    }
                    let v = self.read_value(r, file, &f.ty)?;
                    self.path.pop();
                    obj.insert(f.name.clone(), v);
                }
                None => r.skip(ty).map_err(|e| self.derr(e))?,
            }
        }
        self.depth -= 1;
        Ok(Value::Object(obj))
    }

    fn read_value(
        &mut self,
        r: &mut Reader,
        file: usize,
        ty: &'a Type,
    ) -> Result<Value, CodecError> {
        Ok(match self.resolve(file, ty)? {
            Resolved::Base(t) => match t {
                Type::Bool => Value::Bool(r.read_bool().map_err(|e| self.derr(e))?),
                Type::I8 => Value::from(r.read_i8().map_err(|e| self.derr(e))?),
                Type::I16 => Value::from(r.read_i16().map_err(|e| self.derr(e))?),
                Type::I32 => Value::from(r.read_i32().map_err(|e| self.derr(e))?),
                Type::I64 => Value::from(r.read_i64().map_err(|e| self.derr(e))?),
                Type::Double => {
                    let d = r.read_double().map_err(|e| self.derr(e))?;
                    match Number::from_f64(d) {
                        Some(n) => Value::Number(n),
                        None if d.is_nan() => Value::from("NaN"),
                        None if d > 0.0 => Value::from("Infinity"),
                        None => Value::from("-Infinity"),
                    }
                }
                Type::String => {
                    let b = r.read_binary().map_err(|e| self.derr(e))?;
                    match String::from_utf8(b.to_vec()) {
                        Ok(s) => Value::String(s),
                        Err(_) => {
                            let mut o = Map::new();
                            o.insert("base64".into(), Value::String(base64_encode(&b)));
                            Value::Object(o)
                        }
                    }
                }
                Type::Binary => {
                    Value::String(base64_encode(&r.read_binary().map_err(|e| self.derr(e))?))
                }
                _ => unreachable!("resolved"),
            },
            Resolved::Enum(e) => {
                let n = r.read_i32().map_err(|e| self.derr(e))?;
                match e.values.iter().find(|v| v.value == n) {
                    Some(v) => Value::String(v.name.clone()),
                    None => Value::from(n),
                }
            }
            Resolved::Struct(idx, s) => self.read_struct(r, idx, &s.fields)?,
            Resolved::List(f, e) | Resolved::Set(f, e) => {
                self.enter()?;
                let (ety, n) = r.read_list_begin().map_err(|e| self.derr(e))?;
                let want = self.ttype(f, e)?;
                if ety != want && n > 0 {
                    return Err(self.err(format!(
                        "elements have wire type {ety:?}, the IDL says {want:?}"
                    )));
                }
                // The count is only known to fit at one byte per element: reserve for at
                // most 64 KiB of values and grow as elements arrive (issue 11, item 10).
                let mut items = Vec::with_capacity(n.min(64 * 1024 / std::mem::size_of::<Value>()));
                for i in 0..n {
                    self.path.push(format!("[{i}]"));
                    items.push(self.read_value(r, f, e)?);
                    self.path.pop();
                }
                self.depth -= 1;
                Value::Array(items)
            }
            Resolved::Map(f, k, v) => {
                self.enter()?;
                let (kty, vty, n) = r.read_map_begin().map_err(|e| self.derr(e))?;
                let (wk, wv) = (self.ttype(f, k)?, self.ttype(f, v)?);
                if n > 0 && (kty != wk || vty != wv) {
                    return Err(self.err(format!(
                        "map has wire types {kty:?}/{vty:?}, the IDL says {wk:?}/{wv:?}"
                    )));
                }
                let as_object = matches!(
                    self.resolve(f, k)?,
                    Resolved::Enum(_)
                        | Resolved::Base(
                            Type::String
                                | Type::I8
                                | Type::I16
                                | Type::I32
                                | Type::I64
                                | Type::Double
                        )
                );
                let mut obj = Map::new();
                let mut pairs = Vec::new();
                for i in 0..n {
                    self.path.push(format!("[{i}]"));
                    let key = self.read_value(r, f, k)?;
                    let val = self.read_value(r, f, v)?;
                    self.path.pop();
                    match (&key, as_object) {
                        (Value::String(s), true) => {
                            obj.insert(s.clone(), val);
                        }
                        (Value::Number(num), true) => {
                            obj.insert(num.to_string(), val);
                        }
                        _ => pairs.push(Value::Array(vec![key, val])),
                    }
                }
                self.depth -= 1;
                if as_object && pairs.is_empty() {
                    Value::Object(obj)
                } else {
                    // Keys that do not print as plain strings: all entries as pairs.
                    let mut all: Vec<Value> = obj
                        .into_iter()
                        .map(|(k, v)| Value::Array(vec![Value::String(k), v]))
                        .collect();
                    all.extend(pairs);
                    Value::Array(all)
                }
            }
        })
    }
}

fn node_buffer(o: &Map<String, Value>) -> Option<Vec<u8>> {
    if o.get("type")?.as_str()? != "Buffer" {
        return None;
    }
    o.get("data")?
        .as_array()?
        .iter()
        .map(|b| b.as_u64().filter(|b| *b < 256).map(|b| b as u8))
        .collect()
}

/// The bytes of a `binary` value given in JSON (see the module docs for the forms).
pub fn binary_from_json(v: &Value) -> Result<Vec<u8>, String> {
    match v {
        Value::String(s) => base64_decode(s).ok_or_else(|| {
            format!(
                "expected binary as base64, got {}; give text as {{\"utf8\": \"...\"}}",
                describe(v)
            )
        }),
        Value::Object(o) => {
            if let Some(b) = node_buffer(o) {
                return Ok(b);
            }
            match (o.len(), o.iter().next()) {
                (1, Some((k, Value::String(s)))) => match k.as_str() {
                    "base64" => base64_decode(s).ok_or_else(|| format!("{s:?} is not base64")),
                    "utf8" | "text" => Ok(s.as_bytes().to_vec()),
                    "hex" => hex_decode(s).ok_or_else(|| format!("{s:?} is not hex")),
                    _ => Err(format!("unknown binary form {k:?} (base64, utf8, hex)")),
                },
                _ => Err(format!(
                    "expected binary as base64 or {{\"base64\"|\"utf8\"|\"hex\": \"...\"}}, got {}",
                    describe(v)
                )),
            }
        }
        _ => Err(format!(
            "expected binary (base64 string), got {}",
            describe(v)
        )),
    }
}

fn hex_decode(s: &str) -> Option<Vec<u8>> {
    hex::decode(s.trim()).ok()
}

/// Standard base64 with padding.
pub fn base64_encode(b: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(b)
}

/// Decodes standard or URL-safe base64, padded or not; `None` when it is not base64.
pub fn base64_decode(s: &str) -> Option<Vec<u8>> {
    use base64::alphabet::{STANDARD, URL_SAFE};
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    // Padding optional; unused low bits of the last character ignored, as the decoder this
    // replaces did (and Python's `base64.b64decode` does).
    const LENIENT: GeneralPurposeConfig = GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true);
    const STD: GeneralPurpose = GeneralPurpose::new(&STANDARD, LENIENT);
    const URL: GeneralPurpose = GeneralPurpose::new(&URL_SAFE, LENIENT);
    STD.decode(s).or_else(|_| URL.decode(s)).ok()
}
