//! Constant values: `const`s, statics, field defaults.

use super::*;

impl Gen<'_> {
    /// An expression for a constant value of type `ty` (written in `tfile`); references in the
    /// value resolve from `vfile`. `in_const` asks for a `const`-compatible expression (only for
    /// base types and enums).
    pub(super) fn cexpr(
        &self,
        tfile: usize,
        ty: &Type,
        value: &ConstValue,
        vfile: usize,
        depth: usize,
        in_const: bool,
    ) -> Result<TokenStream, Error> {
        self.cexpr_k(tfile, ty, value, vfile, depth, in_const, false)
    }

    /// [`Self::cexpr`] inside a set element or map key (`key`), where doubles are
    /// `OrderedF64`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn cexpr_k(
        &self,
        tfile: usize,
        ty: &Type,
        value: &ConstValue,
        vfile: usize,
        depth: usize,
        in_const: bool,
        key: bool,
    ) -> Result<TokenStream, Error> {
        let rt = rt();
        let key = key || self.o.ordered_doubles;
        let (rf, rty) = self.p.resolve(tfile, ty);
        // Enum-typed values: a reference by (last segment of) name, or an integer.
        if let Type::Named(n, _) = rty {
            if let Some((ei, TypeDef::Enum(e))) = self.p.lookup_type(rf, n) {
                let path = self.def_path(
                    self.cur_file(tfile),
                    ei,
                    &self.type_name_of(ei, &e.name),
                    depth,
                );
                let (variants, unknown) = Self::enum_variants(e);
                let pos = match value {
                    ConstValue::Ref(name, _) => {
                        let last = name.rsplit('.').next().unwrap_or(name);
                        match e.values.iter().position(|v| v.name == last) {
                            Some(p) => Some(p),
                            None => match self.p.lookup_const(vfile, name) {
                                Some(ConstTarget::Const(cf, c)) => {
                                    return self
                                        .cexpr_k(tfile, ty, &c.value, cf, depth, in_const, key)
                                }
                                _ => None,
                            },
                        }
                    }
                    ConstValue::Int(v, _) => e.values.iter().position(|ev| ev.value as i64 == *v),
                    _ => None,
                };
                return Ok(match pos {
                    Some(p) => {
                        let v = format_ident!("{}", variants[p]);
                        quote!(#path::#v)
                    }
                    None => {
                        let u = format_ident!("{}", unknown);
                        let n = match value {
                            ConstValue::Int(v, _) => *v as i32,
                            _ => 0,
                        };
                        quote!(#path::#u(#n))
                    }
                });
            }
        }
        if let ConstValue::Ref(name, span) = value {
            return match self.p.lookup_const(vfile, name) {
                Some(ConstTarget::Const(cf, c)) => {
                    self.cexpr_k(tfile, ty, &c.value, cf, depth, in_const, key)
                }
                Some(ConstTarget::EnumValue(_, _, v)) => self.cexpr_k(
                    tfile,
                    ty,
                    &ConstValue::Int(v.value as i64, *span),
                    vfile,
                    depth,
                    in_const,
                    key,
                ),
                None => Err(self.err(vfile, *span, format!("unknown constant `{name}`"))),
            };
        }
        let bad = || {
            self.err(
                vfile,
                value.span(),
                format!("this value does not fit type {}", crate::type_name(ty)),
            )
        };
        Ok(match (rty, value) {
            (Type::Bool, ConstValue::Int(v, _)) => {
                if *v != 0 {
                    quote!(true)
                } else {
                    quote!(false)
                }
            }
            (Type::I8, ConstValue::Int(v, _)) => Literal::i8_suffixed(*v as i8).into_token_stream(),
            (Type::I16, ConstValue::Int(v, _)) => {
                Literal::i16_suffixed(*v as i16).into_token_stream()
            }
            (Type::I32, ConstValue::Int(v, _)) => {
                Literal::i32_suffixed(*v as i32).into_token_stream()
            }
            (Type::I64, ConstValue::Int(v, _)) => Literal::i64_suffixed(*v).into_token_stream(),
            (Type::Double, ConstValue::Int(v, _)) if key => {
                let v = Literal::f64_suffixed(*v as f64);
                quote!(#rt::OrderedF64(#v))
            }
            (Type::Double, ConstValue::Double(v, _)) if key && v.is_finite() => {
                let v = Literal::f64_suffixed(*v);
                quote!(#rt::OrderedF64(#v))
            }
            (Type::Double, ConstValue::Int(v, _)) => {
                Literal::f64_suffixed(*v as f64).into_token_stream()
            }
            (Type::Double, ConstValue::Double(v, _)) if v.is_finite() => {
                Literal::f64_suffixed(*v).into_token_stream()
            }
            (Type::String, ConstValue::String(s, _)) => {
                if in_const {
                    quote!(#s)
                } else {
                    quote!(String::from(#s))
                }
            }
            (Type::Binary, ConstValue::String(s, _)) => {
                let b = Literal::byte_string(s.as_bytes());
                match (in_const, self.o.binary) {
                    (true, _) => quote!(#b),
                    (false, BinaryType::Bytes) => quote!(#rt::Bytes::from_static(#b)),
                    (false, BinaryType::VecU8) => quote!(#b.to_vec()),
                }
            }
            (Type::List(t), ConstValue::List(items, _)) => {
                let items = items
                    .iter()
                    .map(|i| self.cexpr_k(rf, t, i, vfile, depth, false, key))
                    .collect::<Result<Vec<_>, _>>()?;
                quote!(vec![#(#items),*])
            }
            (Type::Set(t), ConstValue::List(items, _)) => {
                let items = items
                    .iter()
                    .map(|i| self.cexpr_k(rf, t, i, vfile, depth, false, true))
                    .collect::<Result<Vec<_>, _>>()?;
                quote!([#(#items),*].into_iter().collect())
            }
            (Type::List(_), ConstValue::Map(e, _)) if e.is_empty() => {
                quote!(Vec::new())
            }
            (Type::Set(_), ConstValue::Map(e, _)) if e.is_empty() => {
                quote!(Default::default())
            }
            (Type::Map(_, _), ConstValue::List(e, _)) if e.is_empty() => {
                quote!(Default::default())
            }
            (Type::Map(k, v), ConstValue::Map(entries, _)) => {
                let entries = entries
                    .iter()
                    .map(|(ek, ev)| {
                        let k = self.cexpr_k(rf, k, ek, vfile, depth, false, true)?;
                        let v = self.cexpr_k(rf, v, ev, vfile, depth, false, key)?;
                        Ok(quote!((#k, #v)))
                    })
                    .collect::<Result<Vec<_>, Error>>()?;
                quote!([#(#entries),*].into_iter().collect())
            }
            (Type::Named(n, _), ConstValue::Map(entries, _)) => match self.p.lookup_type(rf, n) {
                Some((si, TypeDef::Struct(s))) => {
                    let path = self.def_path(
                        self.cur_file(tfile),
                        si,
                        &self.type_name_of(si, &s.name),
                        depth,
                    );
                    let names = Self::field_names(&s.fields);
                    let key = key || self.is_ordered(si, &s.name);
                    let mut inits = Vec::new();
                    for (ek, ev) in entries {
                        let ConstValue::String(fname, span) = ek else {
                            return Err(bad());
                        };
                        let Some(pos) = s.fields.iter().position(|f| &f.name == fname) else {
                            return Err(self.err(
                                vfile,
                                *span,
                                format!("`{}` has no field `{fname}`", s.name),
                            ));
                        };
                        let f = &s.fields[pos];
                        let id = ident(&names[pos]);
                        let mut e = self.cexpr_k(si, &f.ty, ev, vfile, depth, false, key)?;
                        let boxed = self.needs_box(si, &s.name, &f.ty);
                        if boxed {
                            e = quote!(Box::new(#e));
                        }
                        if boxed || f.required == Requiredness::Optional {
                            e = quote!(Some(#e));
                        }
                        inits.push(quote!(#id: #e,));
                    }
                    if s.kind == StructKind::Union {
                        let variants =
                            dedup(s.fields.iter().map(|f| camel(&f.name)).collect(), &[]);
                        match entries.first() {
                            Some((ConstValue::String(fname, _), ev)) => {
                                let pos =
                                    s.fields.iter().position(|f| &f.name == fname).unwrap_or(0);
                                let v = format_ident!("{}", variants[pos]);
                                let e = self.cexpr_k(
                                    si,
                                    &s.fields[pos].ty,
                                    ev,
                                    vfile,
                                    depth,
                                    false,
                                    key,
                                )?;
                                quote!(#path::#v(#e))
                            }
                            _ => quote!(Default::default()),
                        }
                    } else if inits.len() == s.fields.len() {
                        quote!(#path { #(#inits)* })
                    } else {
                        quote!(#path { #(#inits)* ..Default::default() })
                    }
                }
                _ => return Err(bad()),
            },
            _ => return Err(bad()),
        })
    }

    /// The file whose module generated code is being written in. Code for file `f` is always
    /// written in `f`'s module, so paths are computed from the file being generated.
    pub(super) fn cur_file(&self, _tfile: usize) -> usize {
        self.current.get()
    }

    pub(super) fn const_def(&self, file: usize, c: &Const) -> Result<TokenStream, Error> {
        let doc = docs_or(&c.doc, format!("`const {}` in the IDL.", c.name));
        let name = ident(&shouty(&c.name));
        let (rf, rty) = self.p.resolve(file, &c.ty);
        let is_enum = matches!(rty, Type::Named(n, _) if matches!(self.p.lookup_type(rf, n), Some((_, TypeDef::Enum(_)))));
        let scalar = matches!(
            rty,
            Type::Bool | Type::I8 | Type::I16 | Type::I32 | Type::I64 | Type::Double
        ) || is_enum;
        Ok(match rty {
            _ if scalar => {
                let ty = self.rty(file, &c.ty, 0, false);
                let v = self.cexpr(file, &c.ty, &c.value, file, 0, true)?;
                quote!(#doc #[allow(clippy::approx_constant)] pub const #name: #ty = #v;)
            }
            Type::String => {
                let v = self.cexpr(file, &c.ty, &c.value, file, 0, true)?;
                quote!(#doc pub const #name: &str = #v;)
            }
            Type::Binary => {
                let v = self.cexpr(file, &c.ty, &c.value, file, 0, true)?;
                quote!(#doc pub const #name: &[u8] = #v;)
            }
            _ => {
                let ty = self.rty(file, &c.ty, 0, false);
                let v = self.cexpr(file, &c.ty, &c.value, file, 0, false)?;
                quote! {
                    #doc
                    #[allow(clippy::approx_constant)]
                    pub static #name: ::std::sync::LazyLock<#ty> = ::std::sync::LazyLock::new(|| #v);
                }
            }
        })
    }
}
