//! Structs, exceptions and unions: fields, derives, codec, `Display` for exceptions.

use super::*;

impl Gen<'_> {
    /// Whether a value of `ty` holds a `double` somewhere.
    fn has_double(&self, file: usize, ty: &Type, seen: &mut HashSet<Key>) -> bool {
        match self.p.resolve(file, ty) {
            (_, Type::Double) => true,
            (fi, Type::List(t) | Type::Set(t)) => self.has_double(fi, t, seen),
            (fi, Type::Map(k, v)) => self.has_double(fi, k, seen) || self.has_double(fi, v, seen),
            (fi, Type::Named(n, _)) => match self.p.lookup_type(fi, n) {
                Some((ti, TypeDef::Struct(s))) if seen.insert((ti, s.name.clone())) => {
                    s.fields.iter().any(|f| self.has_double(ti, &f.ty, seen))
                }
                _ => false,
            },
            _ => false,
        }
    }

    pub(super) fn struct_def(&self, file: usize, s: &Struct) -> Result<TokenStream, Error> {
        let name = self.type_name_of(file, &s.name);
        let attrs = self.user_attrs(file, &s.name);
        let kind = match s.kind {
            StructKind::Struct => "struct",
            StructKind::Union => "union",
            StructKind::Exception => "exception",
        };
        let doc = docs_or(&s.doc, format!("`{kind} {}` in the IDL.", s.name));
        match s.kind {
            StructKind::Union => self.union_tokens(StructSpec {
                file,
                idl: &s.name,
                name: &name,
                fields: &s.fields,
                depth: 0,
                doc,
                attrs,
            }),
            _ => {
                let mut t = self.struct_tokens(StructSpec {
                    file,
                    idl: &s.name,
                    name: &name,
                    fields: &s.fields,
                    depth: 0,
                    doc,
                    attrs,
                })?;
                if s.kind == StructKind::Exception {
                    t.extend(self.exception_impls(file, &name, &s.name, &s.fields));
                }
                Ok(t)
            }
        }
    }

    pub(super) fn exception_impls(
        &self,
        file: usize,
        name: &str,
        idl: &str,
        fields: &[Field],
    ) -> TokenStream {
        let name = format_ident!("{}", name);
        let message = fields.iter().zip(Self::field_names(fields)).find(|(f, _)| {
            (f.name == "message" || f.name == "msg" || f.name == "why")
                && matches!(f.ty, Type::String)
        });
        let body = match message {
            Some((f, n)) => {
                let id = ident(&n);
                if f.required == Requiredness::Optional {
                    let fmt = format!("{idl}: {{}}");
                    quote! {
                        match &self.#id {
                            Some(m) => write!(f, #fmt, m),
                            None => f.write_str(#idl),
                        }
                    }
                } else {
                    let fmt = format!("{idl}: {{}}");
                    quote!(write!(f, #fmt, self.#id))
                }
            }
            None if fields.is_empty() => quote!(f.write_str(#idl)),
            // The IDL name, then each field that is set by its IDL name:
            // `NotFound { key: "k", shard: 3 }`. Separators known when generating are
            // written as text; after an optional field a flag says whether one was written.
            None => {
                let esc = |t: &str| t.replace('{', "{{").replace('}', "}}");
                // Some(true): nothing written after the name; Some(false): a field written.
                let mut known = Some(true);
                let mut dynamic = false;
                let mut parts = vec![quote!(f.write_str(#idl)?;)];
                for (fd, n) in fields.iter().zip(Self::field_names(fields)) {
                    let id = ident(&n);
                    let boxed = self.needs_box(file, idl, &fd.ty);
                    let optional = boxed || fd.required == Requiredness::Optional;
                    let (write_sep, fmt) = match known {
                        Some(true) => (quote!(), format!(" {{{{ {}: {{:?}}", esc(&fd.name))),
                        Some(false) => (quote!(), format!(", {}: {{:?}}", esc(&fd.name))),
                        None => (
                            quote!(f.write_str(if first { " { " } else { ", " })?;),
                            format!("{}: {{:?}}", esc(&fd.name)),
                        ),
                    };
                    let set_first = if known == Some(false) {
                        quote!()
                    } else {
                        quote!(first = false;)
                    };
                    if optional {
                        parts.push(quote! {
                            if let Some(v) = &self.#id {
                                #write_sep
                                #set_first
                                write!(f, #fmt, v)?;
                            }
                        });
                        if known != Some(false) {
                            known = None;
                            dynamic = true;
                        }
                    } else {
                        let set_first = if dynamic { set_first } else { quote!() };
                        parts.push(quote! {
                            #write_sep
                            #set_first
                            write!(f, #fmt, self.#id)?;
                        });
                        known = Some(false);
                    }
                }
                let first = if dynamic {
                    quote!(let mut first = true;)
                } else {
                    quote!()
                };
                let end = match known {
                    Some(false) => quote!(f.write_str(" }")),
                    _ => quote! {
                        if !first {
                            f.write_str(" }")?;
                        }
                        Ok(())
                    },
                };
                parts.insert(1, first);
                quote!(#(#parts)* #end)
            }
        };
        quote! {
            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    #body
                }
            }

            impl ::std::error::Error for #name {}
        }
    }

    /// The derives of a struct-like type: `Eq`, `Hash` and `Ord` too when every field allows.
    /// Preceded by a doc paragraph that says why `Eq`, `Hash` and `Ord` are missing, or why
    /// the doubles are `OrderedF64`, when either is the case.
    pub(super) fn derives(
        &self,
        file: usize,
        fields: &[Field],
        default: bool,
        ordered: bool,
    ) -> TokenStream {
        let default = if default { quote!(Default,) } else { quote!() };
        match self.struct_unorderable(file, fields, ordered) {
            None => {
                let mut seen = HashSet::new();
                let has_double = fields
                    .iter()
                    .any(|f| self.has_double(file, &f.ty, &mut seen));
                let note = if ordered && has_double {
                    let text = if self.o.ordered_doubles {
                        " Its `double`s are `OrderedF64` (ordered by `f64::total_cmp`, hashed \
                         by their bits): the generator's `ordered_doubles` option is on."
                    } else {
                        " Its `double`s are `OrderedF64` (ordered by `f64::total_cmp`, hashed \
                         by their bits) because it is part of a set element or map key, so it \
                         has `Eq`, `Hash` and `Ord`."
                    };
                    quote!(#[doc = ""] #[doc = #text])
                } else {
                    quote!()
                };
                quote! {
                    #note
                    #[derive(Debug, Clone, #default PartialEq, Eq, Hash, PartialOrd, Ord)]
                }
            }
            Some((field, why)) => {
                let text = format!(
                    " Not `Eq`, `Hash` or `Ord`, only `PartialEq`: field `{field}` holds {why}. \
                     Adding such a field to a type removes these derives."
                );
                quote! {
                    #[doc = ""]
                    #[doc = #text]
                    #[derive(Debug, Clone, #default PartialEq)]
                }
            }
        }
    }

    pub(super) fn field_names(fields: &[Field]) -> Vec<String> {
        dedup(fields.iter().map(|f| snake(&f.name)).collect(), &[])
    }

    pub(super) fn struct_tokens(&self, spec: StructSpec<'_>) -> Result<TokenStream, Error> {
        let StructSpec {
            file,
            idl,
            name,
            fields,
            depth,
            doc,
            attrs,
        } = spec;
        let rt = rt();
        let name = format_ident!("{}", name);
        let derive_default = fields.iter().all(|f| f.default.is_none());
        let ordered = self.is_ordered(file, idl);
        let derives = self.derives(file, fields, derive_default, ordered);
        let names = Self::field_names(fields);
        let mut decls = Vec::new();
        let mut defaults = Vec::new();
        let mut writes = Vec::new();
        let mut lens = Vec::new();
        let mut locals = Vec::new();
        let mut arms = Vec::new();
        let mut builds = Vec::new();
        let mut order: Vec<usize> = (0..fields.len()).collect();
        order.sort_by_key(|&i| fields[i].id);
        for (f, fname) in fields.iter().zip(&names) {
            let id = ident(fname);
            let boxed = self.needs_box(file, idl, &f.ty);
            let optional = boxed || f.required == Requiredness::Optional;
            let inner = self.rty(file, &f.ty, depth, ordered);
            let inner = if boxed { quote!(Box<#inner>) } else { inner };
            let fdoc = field_doc(f, &self.p.files[file].source);
            let full = if optional {
                quote!(Option<#inner>)
            } else {
                inner.clone()
            };
            let fattrs = self.user_field_attrs(file, idl, &f.name);
            decls.push(quote!(#fdoc #fattrs pub #id: #full,));
            let dflt = match &f.default {
                Some(v) => Some(self.cexpr_k(file, &f.ty, v, file, depth, false, ordered)?),
                None => None,
            };
            let dflt = dflt.map(|d| if boxed { quote!(Box::new(#d)) } else { d });
            defaults.push(match (&dflt, optional) {
                (Some(d), true) => quote!(#id: Some(#d),),
                (None, true) => quote!(#id: None,),
                (Some(d), false) => quote!(#id: #d,),
                (None, false) => quote!(#id: Default::default(),),
            });
            let fid = Literal::i16_unsuffixed(f.id as i16);
            let tt = self.ttype(file, &f.ty);
            let fidl = &f.name;
            let local = format_ident!("f_{}", fname.trim_start_matches("r#"));
            locals.push(quote!(let mut #local: Option<#inner> = None;));
            arms.push(quote! {
                (#fid, #tt) => {
                    #local = Some(
                        r.read_field(#idl, #fidl)?,
                    );
                }
            });
            let scalar = self.is_scalar(file, &f.ty);
            builds.push(match (f.required, optional, &dflt) {
                (Requiredness::Required, false, _) => {
                    quote!(#id: #local.ok_or_else(|| #rt::DecodeError::missing_field(#idl, #fidl))?,)
                }
                (Requiredness::Required, true, _) => quote!(#id: Some(
                    #local.ok_or_else(|| #rt::DecodeError::missing_field(#idl, #fidl))?
                ),),
                (_, false, Some(d)) if scalar && !boxed => quote!(#id: #local.unwrap_or(#d),),
                (_, false, Some(d)) => quote!(#id: #local.unwrap_or_else(|| #d),),
                (_, false, None) => quote!(#id: #local.unwrap_or_default(),),
                (_, true, Some(d)) if scalar && !boxed => {
                    quote!(#id: #local.or(Some(#d)),)
                }
                (_, true, Some(d)) => quote!(#id: #local.or_else(|| Some(#d)),),
                (_, true, None) => quote!(#id: #local,),
            });
        }
        for &i in &order {
            let f = &fields[i];
            let id = ident(&names[i]);
            let boxed = self.needs_box(file, idl, &f.ty);
            let optional = boxed || f.required == Requiredness::Optional;
            let fid = Literal::i16_unsuffixed(f.id as i16);
            writes.push(if optional {
                quote! {
                    if let Some(v) = &self.#id {
                        w.write_field(#fid, v);
                    }
                }
            } else {
                quote! {
                    w.write_field(#fid, &self.#id);
                }
            });
            // A field is its type byte, its id (2 bytes) and its value.
            lens.push(if optional {
                quote! {
                    if let Some(v) = &self.#id {
                        n += 3 + #rt::ThriftValue::encoded_len(v);
                    }
                }
            } else {
                quote! {
                    n += 3 + #rt::ThriftValue::encoded_len(&self.#id);
                }
            });
        }
        let read_loop = if fields.is_empty() {
            quote! {
                loop {
                    let (ty, _) = r.read_field_begin()?;
                    if ty == #rt::TType::Stop {
                        break;
                    }
                    r.skip(ty)?;
                }
            }
        } else {
            quote! {
                loop {
                    let (ty, id) = r.read_field_begin()?;
                    if ty == #rt::TType::Stop {
                        break;
                    }
                    match (id, ty) {
                        #(#arms)*
                        _ => r.skip(ty)?,
                    }
                }
            }
        };
        let default_impl = if derive_default {
            quote!()
        } else {
            quote! {
                #[allow(clippy::approx_constant)]
                impl Default for #name {
                    fn default() -> Self {
                        #name {
                            #(#defaults)*
                        }
                    }
                }
            }
        };
        Ok(quote! {
            #doc
            #derives
            #attrs
            #[allow(clippy::type_complexity)]
            pub struct #name {
                #(#decls)*
            }

            #default_impl

            #[allow(
                clippy::type_complexity,
                clippy::approx_constant,
                clippy::unnecessary_lazy_evaluations
            )]
            impl #rt::ThriftValue for #name {
                const TTYPE: #rt::TType = #rt::TType::Struct;

                fn write(&self, w: &mut #rt::Writer) {
                    #(#writes)*
                    w.write_field_stop();
                }

                fn encoded_len(&self) -> usize {
                    // The stop byte, then each field set.
                    #[allow(unused_mut)]
                    let mut n = 1;
                    #(#lens)*
                    n
                }

                fn read(r: &mut #rt::Reader) -> Result<Self, #rt::DecodeError> {
                    r.enter()?;
                    #(#locals)*
                    #read_loop
                    r.leave();
                    Ok(#name {
                        #(#builds)*
                    })
                }
            }

            impl #rt::ThriftStruct for #name {
                const NAME: &'static str = #idl;
            }
        })
    }

    pub(super) fn union_tokens(&self, spec: StructSpec<'_>) -> Result<TokenStream, Error> {
        let StructSpec {
            file,
            idl,
            name,
            fields,
            depth,
            doc,
            attrs,
        } = spec;
        let rt = rt();
        let name = format_ident!("{}", name);
        let ordered = self.is_ordered(file, idl);
        let derives = self.derives(file, fields, false, ordered);
        let variants = dedup(fields.iter().map(|f| camel(&f.name)).collect(), &[]);
        let mut decls = Vec::new();
        let mut writes = Vec::new();
        let mut lens = Vec::new();
        let mut arms = Vec::new();
        for (f, v) in fields.iter().zip(&variants) {
            let v = format_ident!("{}", v);
            let boxed = self.needs_box(file, idl, &f.ty);
            let inner = self.rty(file, &f.ty, depth, ordered);
            let inner = if boxed { quote!(Box<#inner>) } else { inner };
            let fdoc = field_doc(f, &self.p.files[file].source);
            let fattrs = self.user_field_attrs(file, idl, &f.name);
            decls.push(quote!(#fdoc #fattrs #v(#inner),));
            let fid = Literal::i16_unsuffixed(f.id as i16);
            let tt = self.ttype(file, &f.ty);
            let fidl = &f.name;
            writes.push(quote! {
                #name::#v(v) => {
                    w.write_field(#fid, v);
                }
            });
            lens.push(quote! {
                #name::#v(v) => 3 + #rt::ThriftValue::encoded_len(v),
            });
            arms.push(quote! {
                (#fid, #tt) => {
                    out = Some(#name::#v(
                        r.read_field(#idl, #fidl)?,
                    ));
                    count += 1;
                }
            });
        }
        let default = match variants.first() {
            Some(v) => {
                let v = format_ident!("{}", v);
                quote! {
                    impl Default for #name {
                        fn default() -> Self {
                            #name::#v(Default::default())
                        }
                    }
                }
            }
            None => quote!(),
        };
        let write_body = if fields.is_empty() {
            quote!(match *self {})
        } else {
            quote!(match self { #(#writes)* })
        };
        let len_body = if fields.is_empty() {
            quote!(match *self {})
        } else {
            // The one field set, then the stop byte.
            quote!(1 + match self { #(#lens)* })
        };
        let read_body = if fields.is_empty() {
            quote! {
                r.skip(#rt::TType::Struct)?;
                Err(#rt::DecodeError::invalid_union(#idl, 0))
            }
        } else {
            quote! {
                r.enter()?;
                let mut out = None;
                let mut count = 0usize;
                loop {
                    let (ty, id) = r.read_field_begin()?;
                    if ty == #rt::TType::Stop {
                        break;
                    }
                    match (id, ty) {
                        #(#arms)*
                        _ => r.skip(ty)?,
                    }
                }
                r.leave();
                match out {
                    Some(v) if count == 1 => Ok(v),
                    _ => Err(#rt::DecodeError::invalid_union(#idl, count)),
                }
            }
        };
        Ok(quote! {
            #doc
            #derives
            #attrs
            #[allow(clippy::large_enum_variant)]
            pub enum #name {
                #(#decls)*
            }

            #default

            impl #rt::ThriftValue for #name {
                const TTYPE: #rt::TType = #rt::TType::Struct;

                fn write(&self, w: &mut #rt::Writer) {
                    #write_body
                    #[allow(unreachable_code)]
                    w.write_field_stop();
                }

                fn encoded_len(&self) -> usize {
                    #len_body
                }

                fn read(r: &mut #rt::Reader) -> Result<Self, #rt::DecodeError> {
                    #read_body
                }
            }

            impl #rt::ThriftStruct for #name {
                const NAME: &'static str = #idl;
            }
        })
    }
}
