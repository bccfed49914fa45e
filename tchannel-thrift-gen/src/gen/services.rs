//! Services: per-method types, the server trait, the dispatcher and the clients.

use super::*;

/// One method of a service as the leaf service sees it (its own or inherited).
struct Method<'a> {
    /// The file and service that declare it.
    file: usize,
    service: &'a Service,
    f: &'a Function,
}

struct MethodNames {
    method: Ident,
    args: Ident,
    result: Ident,
    error: Option<Ident>,
    /// Rust names of the args, in order.
    params: Vec<Ident>,
    /// Variant names of the exceptions, in order.
    exceptions: Vec<Ident>,
}

/// The items generated clients define themselves (`new`, `transport`; the blocking client's
/// `new`, `client`, `runtime`).
const CLIENT_ITEMS: &[&str] = &["new", "transport", "client", "runtime"];

/// The Rust names of `methods` on the generated clients: their snake-case names, except that
/// one named as a client's own item gets a trailing `_` (`new` -> `new_`), as does, once
/// more, a later one named as an earlier name (`new_` after `new` -> `new__`). The server
/// trait keeps the plain names.
fn client_method_idents(methods: &[Method<'_>]) -> Vec<Ident> {
    let names = methods.iter().map(|m| snake(&m.f.name)).collect();
    dedup(names, CLIENT_ITEMS)
        .iter()
        .map(|n| ident(n))
        .collect()
}

fn method_names(f: &Function) -> MethodNames {
    let base = camel(&f.name);
    let params = dedup(
        f.args.iter().map(|a| snake(&a.name)).collect(),
        &["ctx", "self"],
    );
    let exceptions = dedup(
        f.throws.iter().map(|t| camel(&t.name)).collect(),
        &["Success"],
    );
    MethodNames {
        method: ident(&snake(&f.name)),
        args: format_ident!("{}Args", base),
        result: format_ident!("{}Result", base),
        error: (!f.throws.is_empty()).then(|| format_ident!("{}Error", base)),
        params: params.iter().map(|p| ident(p)).collect(),
        exceptions: exceptions.iter().map(|e| format_ident!("{}", e)).collect(),
    }
}

impl Gen<'_> {
    fn service_module(&self, s: &Service) -> Ident {
        ident(&snake(&s.name))
    }

    /// All methods of `s`, inherited ones first.
    fn methods<'s>(&'s self, file: usize, s: &'s Service) -> Vec<Method<'s>> {
        let mut chain = vec![(file, s)];
        let mut cur = (file, s);
        while let Some((base, _)) = &cur.1.extends {
            match self.p.lookup_service(cur.0, base) {
                Some((bf, bs)) if chain.len() < 64 => {
                    chain.push((bf, bs));
                    cur = (bf, bs);
                }
                _ => break,
            }
        }
        let mut out = Vec::new();
        for (sf, svc) in chain.into_iter().rev() {
            for f in &svc.functions {
                out.push(Method {
                    file: sf,
                    service: svc,
                    f,
                });
            }
        }
        out
    }

    /// Path (from the current file's module) of the service module of `m`'s service.
    fn method_mod(&self, m: &Method<'_>) -> TokenStream {
        let sm = self.service_module(m.service);
        if m.file == self.current.get() {
            quote!(#sm)
        } else {
            let fm = self.file_mod(m.file, 0);
            quote!(#fm::#sm)
        }
    }

    pub(super) fn service(&self, file: usize, s: &Service) -> Result<TokenStream, Error> {
        let rt = rt();
        let module = self.service_module(s);
        let mut module_items = Vec::new();
        for f in &s.functions {
            module_items.push(self.method_types(file, s, f)?);
        }
        let import = rt_import(&self.runtime);
        let mod_doc = format!(
            " Argument, result and exception types of the `{}` service's methods.",
            s.name
        );
        let mut out = quote! {
            #[doc = #mod_doc]
            #[allow(clippy::module_inception)]
            pub mod #module {
                #import
                #(#module_items)*
            }
        };
        if self.o.server || self.o.client {
            out.extend(self.server_trait(file, s));
        }
        if self.o.server {
            out.extend(self.dispatcher(file, s));
        }
        if self.o.client {
            out.extend(self.client(file, s));
            out.extend(self.blocking_client(file, s));
        }
        let _ = rt;
        Ok(out)
    }

    fn method_types(&self, file: usize, s: &Service, f: &Function) -> Result<TokenStream, Error> {
        let rt = rt();
        let n = method_names(f);
        let args_idl = format!("{}_args", f.name);
        let result_idl = format!("{}_result", f.name);
        let args_doc = format!(" The arguments of `{}::{}`.", s.name, f.name);
        let args_name = n.args.to_string();
        let args = self.struct_tokens(StructSpec {
            file,
            idl: &args_idl,
            name: &args_name,
            fields: &f.args,
            depth: 1,
            doc: quote!(#[doc = #args_doc]),
            attrs: quote!(),
        })?;
        let result = n.result.clone();
        let exc = &n.exceptions;
        let exc_types: Vec<TokenStream> = f
            .throws
            .iter()
            .map(|t| self.rty(file, &t.ty, 1, false))
            .collect();
        let exc_ids: Vec<Literal> = f
            .throws
            .iter()
            .map(|t| Literal::i16_unsuffixed(t.id as i16))
            .collect();
        let exc_names: Vec<&str> = f.throws.iter().map(|t| t.name.as_str()).collect();
        let exc_docs: Vec<String> = exc_names
            .iter()
            .map(|n| format!(" The method threw `{n}`."))
            .collect();
        let err_docs: Vec<String> = exc_names.iter().map(|n| format!(" `{n}`.")).collect();
        let (success_decl, success_write, success_len, success_arm, success_none) = match &f.returns
        {
            Some(ty) => {
                let rty = self.rty(file, ty, 1, false);
                let tt = self.ttype(file, ty);
                (
                    quote!(Success(#rty),),
                    quote! {
                        #result::Success(v) => {
                            w.write_field(0, v);
                        }
                    },
                    quote!(#result::Success(v) => 3 + #rt::ThriftValue::encoded_len(v),),
                    quote! {
                        (0, #tt) => {
                            out = Some(#result::Success(
                                r.read_field(#result_idl, "success")?,
                            ));
                        }
                    },
                    quote!(Err(#rt::DecodeError::invalid_union(#result_idl, 0))),
                )
            }
            None => (
                quote!(Success,),
                quote!(#result::Success => {}),
                quote!(#result::Success => 0,),
                quote!(),
                quote!(Ok(#result::Success)),
            ),
        };
        let read_body = if f.returns.is_none() && f.throws.is_empty() {
            quote! {
                r.skip(#rt::TType::Struct)?;
                Ok(#result::Success)
            }
        } else {
            quote! {
                r.enter()?;
                let mut out = None;
                loop {
                    let (ty, id) = r.read_field_begin()?;
                    if ty == #rt::TType::Stop {
                        break;
                    }
                    match (id, ty) {
                        #success_arm
                        #(
                            (#exc_ids, #rt::TType::Struct) => {
                                out = Some(#result::#exc(
                                    r.read_field(#result_idl, #exc_names)?,
                                ));
                            }
                        )*
                        _ => r.skip(ty)?,
                    }
                }
                r.leave();
                match out {
                    Some(v) => Ok(v),
                    None => #success_none,
                }
            }
        };
        let result_doc = format!(
            " The result of `{}::{}`: the return value (field 0) or one declared exception.",
            s.name, f.name
        );
        let mut out = quote! {
            #args

            #[doc = #result_doc]
            #[derive(Debug, Clone, PartialEq)]
            #[allow(clippy::large_enum_variant)]
            pub enum #result {
                /// The method returned normally.
                #success_decl
                #(
                    #[doc = #exc_docs]
                    #exc(#exc_types),
                )*
            }

            impl #rt::ThriftValue for #result {
                const TTYPE: #rt::TType = #rt::TType::Struct;

                fn write(&self, w: &mut #rt::Writer) {
                    match self {
                        #success_write
                        #(
                            #result::#exc(v) => {
                                w.write_field(#exc_ids, v);
                            }
                        )*
                    }
                    w.write_field_stop();
                }

                fn encoded_len(&self) -> usize {
                    // The field set (none for a `void` success), then the stop byte.
                    1 + match self {
                        #success_len
                        #(
                            #result::#exc(v) => 3 + #rt::ThriftValue::encoded_len(v),
                        )*
                    }
                }

                fn read(r: &mut #rt::Reader) -> Result<Self, #rt::DecodeError> {
                    #read_body
                }
            }

            impl #rt::ThriftStruct for #result {
                const NAME: &'static str = #result_idl;
            }
        };
        if let Some(err) = &n.error {
            let err_doc = format!(" The exceptions `{}::{}` declares.", s.name, f.name);
            // `From` only for exception types that appear once, or the impls would overlap.
            let mut counts: HashMap<String, usize> = HashMap::new();
            for t in &exc_types {
                *counts.entry(t.to_string()).or_default() += 1;
            }
            // The orphan rule forbids `From<T> for Error<E>` when `T` is another crate's
            // (an `extern_path` type); `HoldError::from(e).into()` works for those.
            let foreign: Vec<bool> = f
                .throws
                .iter()
                .map(|t| match self.p.resolve(file, &t.ty) {
                    (fi, Type::Named(n, _)) => self
                        .p
                        .lookup_type(fi, n)
                        .is_some_and(|(ti, _)| self.externs[ti].is_some()),
                    _ => false,
                })
                .collect();
            let froms = exc_types
                .iter()
                .zip(exc)
                .zip(foreign)
                .filter(|((t, _), _)| counts[&t.to_string()] == 1)
                .map(|((t, v), foreign)| {
                    let into_error = if foreign {
                        quote!()
                    } else {
                        quote! {
                            impl From<#t> for #rt::Error<#err> {
                                fn from(e: #t) -> Self {
                                    #rt::Error::Exception(#err::#v(e))
                                }
                            }
                        }
                    };
                    quote! {
                        impl From<#t> for #err {
                            fn from(e: #t) -> Self {
                                #err::#v(e)
                            }
                        }

                        #into_error
                    }
                });
            out.extend(quote! {
                #[doc = #err_doc]
                #[derive(Debug, Clone, PartialEq)]
                #[allow(clippy::large_enum_variant)]
                pub enum #err {
                    #(
                        #[doc = #err_docs]
                        #exc(#exc_types),
                    )*
                }

                impl ::std::fmt::Display for #err {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        match self {
                            #( #err::#exc(e) => ::std::fmt::Display::fmt(e, f), )*
                        }
                    }
                }

                impl ::std::error::Error for #err {
                    fn source(&self) -> Option<&(dyn ::std::error::Error + 'static)> {
                        match self {
                            #( #err::#exc(e) => Some(e), )*
                        }
                    }
                }

                impl From<#err> for #result {
                    fn from(e: #err) -> Self {
                        match e {
                            #( #err::#exc(e) => #result::#exc(e), )*
                        }
                    }
                }

                #(#froms)*
            });
        }
        Ok(out)
    }

    /// The `Result` type a method of `m` returns, as seen from the current file's module.
    fn method_return(&self, m: &Method<'_>) -> TokenStream {
        let rt = rt();
        let (ok, err) = self.method_ok_err(m);
        quote!(Result<#ok, #rt::Error<#err>>)
    }

    /// The value and declared-exception types of a method of `m`, as seen from the current
    /// file's module.
    fn method_ok_err(&self, m: &Method<'_>) -> (TokenStream, TokenStream) {
        let rt = rt();
        let n = method_names(m.f);
        let md = self.method_mod(m);
        let ok = match &m.f.returns {
            // Seen from the file module of the declaring service, i.e. depth 0 there; for an
            // inherited method of another file the path must go through that file's module.
            Some(ty) => self.rty_from(m.file, ty),
            None => quote!(()),
        };
        let err = match &n.error {
            Some(e) => quote!(#md::#e),
            None => quote!(#rt::NoException),
        };
        (ok, err)
    }

    /// `rty` for a type written in file `file`, used in the current file's module.
    fn rty_from(&self, file: usize, ty: &Type) -> TokenStream {
        self.rty(file, ty, 0, false)
    }

    fn server_trait(&self, file: usize, s: &Service) -> TokenStream {
        let rt = rt();
        let name = format_ident!("{}", camel(&s.name));
        let doc = docs(&s.doc);
        let supertrait = match &s.extends {
            Some((base, _)) => match self.p.lookup_service(file, base) {
                Some((bf, bs)) => self.def_path(file, bf, &camel(&bs.name), 0),
                None => quote!(Send + Sync + 'static),
            },
            None => quote!(Send + Sync + 'static),
        };
        let methods = s.functions.iter().map(|f| {
            let m = Method { file, service: s, f };
            let n = method_names(f);
            let mdoc = docs(&f.doc);
            let method = &n.method;
            let params = &n.params;
            let ptypes: Vec<TokenStream> = f.args.iter().map(|a| self.param_type(file, a)).collect();
            let ret = self.method_return(&m);
            let oneway = if f.oneway {
                quote! {
                    #[doc = ""]
                    #[doc = " `oneway` in the IDL: TChannel has no one-way calls, so this is served as an"]
                    #[doc = " ordinary call whose reply is empty."]
                }
            } else {
                quote!()
            };
            let wire = format!(" Called as `{}::{}`.", s.name, f.name);
            let sep = if f.doc.is_some() { quote!(#[doc = ""]) } else { quote!() };
            quote! {
                #mdoc
                #oneway
                #sep
                #[doc = #wire]
                // An IDL method may be named `new`, `into_x`, `from_x`...: still `&self`.
                #[allow(clippy::too_many_arguments, clippy::wrong_self_convention)]
                fn #method(
                    &self,
                    ctx: &#rt::RequestContext,
                    #(#params: #ptypes,)*
                ) -> impl ::std::future::Future<Output = #ret> + Send;
            }
        });
        let trait_doc = format!(
            " The `{}` service: implement it and serve it with [`{}Server`].",
            s.name, name
        );
        let trait_doc = if self.o.server {
            trait_doc
        } else {
            format!(" The `{}` service.", s.name)
        };
        quote! {
            #doc
            #[doc = ""]
            #[doc = #trait_doc]
            pub trait #name: #supertrait {
                #(#methods)*
            }
        }
    }

    /// The type a client method takes an argument as, and how its value is encoded:
    /// `impl AsRef<str>` for a string (written from the borrowed `str`: no `String` per call)
    /// and `impl Into<Bytes>` (or `Vec<u8>`) for binary, so callers pass `"foo"`; the field's
    /// own type otherwise.
    fn client_param_type(&self, file: usize, a: &Field) -> (TokenStream, ParamKind) {
        let t = self.param_type(file, a);
        if a.required == Requiredness::Optional {
            return (t, ParamKind::Plain);
        }
        match self.p.resolve(file, &a.ty).1 {
            Type::String => (quote!(impl AsRef<str>), ParamKind::Str),
            Type::Binary => (quote!(impl Into<#t>), ParamKind::Into),
            _ => (t, ParamKind::Plain),
        }
    }

    fn param_type(&self, file: usize, a: &Field) -> TokenStream {
        let t = self.rty(file, &a.ty, 0, false);
        let boxed = false;
        let _ = boxed;
        if a.required == Requiredness::Optional {
            quote!(Option<#t>)
        } else {
            t
        }
    }

    fn dispatcher(&self, file: usize, s: &Service) -> TokenStream {
        let rt = rt();
        let trait_name = format_ident!("{}", camel(&s.name));
        let server = format_ident!("{}Server", camel(&s.name));
        let leaf = &s.name;
        let methods = self.methods(file, s);
        let arg1s: Vec<String> = methods
            .iter()
            .map(|m| format!("{}::{}", leaf, m.f.name))
            .collect();
        let arms = methods.iter().zip(&arg1s).map(|(m, arg1)| {
            let n = method_names(m.f);
            let md = self.method_mod(m);
            let args = &n.args;
            let result = &n.result;
            let method = &n.method;
            let params = &n.params;
            let fields: Vec<Ident> = Self::field_names(&m.f.args)
                .iter()
                .map(|f| ident(f))
                .collect();
            let declaring = self.def_path(file, m.file, &camel(&m.service.name), 0);
            let success = if m.f.returns.is_some() {
                quote!(#md::#result::Success(v))
            } else {
                quote!({
                    let () = v;
                    #md::#result::Success
                })
            };
            let exception = if n.error.is_some() {
                quote! {
                    Ok(e) => Ok(#rt::Response {
                        ok: false,
                        body: #rt::ThriftStruct::to_bytes(&#md::#result::from(e)),
                    }),
                }
            } else {
                quote!(Ok(e) => match e {},)
            };
            let binding = if params.is_empty() {
                quote!(_)
            } else {
                quote!(args)
            };
            quote! {
                #arg1 => {
                    let #binding = match <#md::#args as #rt::ThriftStruct>::from_bytes(args) {
                        Ok(a) => a,
                        Err(e) => {
                            return (ctx, Err(#rt::DispatchError::BadRequest(e)));
                        }
                    };
                    #( let #params = args.#fields; )*
                    let out = match <T as #declaring>::#method(&self.inner, &ctx, #(#params),*).await {
                        Ok(v) => Ok(#rt::Response {
                            ok: true,
                            body: #rt::ThriftStruct::to_bytes(&#success),
                        }),
                        Err(e) => match e.into_exception_or_failure() {
                            #exception
                            Err(e) => Err(#rt::DispatchError::Unexpected(e)),
                        },
                    };
                    (ctx, out)
                }
            }
        });
        let doc =
            format!(
            " Serves a [`{trait_name}`] implementation: decodes each call's arguments, calls the \
             method and encodes its result. Answers {}.",
            arg1s.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")
        );
        let doc = if arg1s.is_empty() {
            format!(" Serves a [`{trait_name}`] implementation (the service has no methods).")
        } else {
            doc
        };
        let args_unused = if methods.is_empty() {
            quote!(let _ = args;)
        } else {
            quote!()
        };
        let dispatch = if methods.is_empty() {
            quote! {
                (ctx, Err(#rt::DispatchError::UnknownMethod(method.to_string())))
            }
        } else {
            quote! {
                match method {
                    #(#arms)*
                    other => (ctx, Err(#rt::DispatchError::UnknownMethod(other.to_string()))),
                }
            }
        };
        quote! {
            #[doc = #doc]
            #[derive(Debug)]
            pub struct #server<T> {
                inner: ::std::sync::Arc<T>,
            }

            impl<T> Clone for #server<T> {
                fn clone(&self) -> Self {
                    #server { inner: ::std::sync::Arc::clone(&self.inner) }
                }
            }

            impl<T: #trait_name> #server<T> {
                /// Serves `inner`.
                pub fn new(inner: T) -> Self {
                    #server { inner: ::std::sync::Arc::new(inner) }
                }

                /// Serves a shared `inner`.
                pub fn from_arc(inner: ::std::sync::Arc<T>) -> Self {
                    #server { inner }
                }

                /// The implementation being served.
                pub fn get_ref(&self) -> &T {
                    &self.inner
                }
            }

            impl<T: #trait_name> #rt::Service for #server<T> {
                fn name(&self) -> &'static str {
                    #leaf
                }

                fn methods(&self) -> &'static [&'static str] {
                    &[#(#arg1s),*]
                }

                fn call(
                    &self,
                    ctx: #rt::RequestContext,
                    method: &str,
                    args: #rt::Bytes,
                ) -> #rt::BoxFuture<'static, (#rt::RequestContext, Result<#rt::Response, #rt::DispatchError>)> {
                    let this = self.clone();
                    let method = method.to_string();
                    Box::pin(async move { #rt::Service::serve(&this, ctx, &method, args).await })
                }

                async fn serve(
                    &self,
                    ctx: #rt::RequestContext,
                    method: &str,
                    args: #rt::Bytes,
                ) -> (#rt::RequestContext, Result<#rt::Response, #rt::DispatchError>) {
                    #args_unused
                    #dispatch
                }
            }
        }
    }

    fn client(&self, file: usize, s: &Service) -> TokenStream {
        let rt = rt();
        let client = format_ident!("{}Client", camel(&s.name));
        let leaf = &s.name;
        let methods = self.methods(file, s);
        let names = client_method_idents(&methods);
        let methods = methods.into_iter().zip(names).map(|(m, method)| {
            let n = method_names(m.f);
            let md = self.method_mod(&m);
            let result = &n.result;
            let params = &n.params;
            let (ptypes, kinds): (Vec<TokenStream>, Vec<ParamKind>) =
                m.f.args.iter().map(|a| self.client_param_type(m.file, a)).unzip();
            // The args struct's encoding (`structs.rs`), written from the parameters
            // themselves: a string is not copied into a `String` first. The locals are named
            // `__w` and `__len` so that no IDL parameter name shadows them.
            let mut prepare = Vec::new();
            let mut writes = Vec::new();
            let mut lens = Vec::new();
            for ((a, p), kind) in m.f.args.iter().zip(params).zip(&kinds) {
                let fid = Literal::i16_unsuffixed(a.id as i16);
                match kind {
                    ParamKind::Str => {
                        prepare.push(quote!(let #p: &str = #p.as_ref();));
                        writes.push(quote! {
                            __w.write_field_begin(#rt::TType::String, #fid);
                            __w.write_string(#p);
                        });
                        lens.push(quote!(__len += 3 + 4 + #p.len();));
                    }
                    ParamKind::Into | ParamKind::Plain => {
                        if let ParamKind::Into = kind {
                            let t = self.param_type(m.file, a);
                            prepare.push(quote!(let #p: #t = #p.into();));
                        }
                        if a.required == Requiredness::Optional {
                            writes.push(quote! {
                                if let Some(v) = &#p {
                                    __w.write_field(#fid, v);
                                }
                            });
                            lens.push(quote! {
                                if let Some(v) = &#p {
                                    __len += 3 + #rt::ThriftValue::encoded_len(v);
                                }
                            });
                        } else {
                            writes.push(quote!(__w.write_field(#fid, &#p);));
                            lens.push(quote!(__len += 3 + #rt::ThriftValue::encoded_len(&#p);));
                        }
                    }
                }
            }
            let (ok_ty, err_ty) = self.method_ok_err(&m);
            let arg1 = format!("{}::{}", leaf, m.f.name);
            let mdoc = docs(&m.f.doc);
            let wire = format!(
                " Sends `{arg1}`: `.await` the call for the value, or set this call's options \
                 first and `.with_response()` for the response's headers too."
            );
            let oneway = if m.f.oneway {
                quote! {
                    #[doc = ""]
                    #[doc = " `oneway` in the IDL: TChannel has no one-way calls, so this waits for the"]
                    #[doc = " server's empty reply."]
                }
            } else {
                quote!()
            };
            let success = if m.f.returns.is_some() {
                quote!(#md::#result::Success(v) if ok => Ok(v),)
            } else {
                quote!(#md::#result::Success if ok => Ok(()),)
            };
            let mut exc_arms = Vec::new();
            if let Some(err) = &n.error {
                for exc in &n.exceptions {
                    exc_arms.push(quote!(#md::#result::#exc(e) => Err(#rt::Error::Exception(#md::#err::#exc(e))),));
                }
            }
            let sep = if m.f.doc.is_some() { quote!(#[doc = ""]) } else { quote!() };
            quote! {
                #mdoc
                #oneway
                #sep
                #[doc = #wire]
                #[allow(clippy::too_many_arguments)]
                pub fn #method(&self, #(#params: #ptypes),*) -> #rt::Call<'_, T, #ok_ty, #err_ty> {
                    #(#prepare)*
                    #[allow(unused_mut)]
                    let mut __len = 1;
                    #(#lens)*
                    let mut __w = #rt::Writer::with_capacity(__len);
                    #(#writes)*
                    __w.write_field_stop();
                    #rt::Call::new(
                        &self.transport,
                        #arg1,
                        __w.into_bytes(),
                        |response| {
                            let ok = response.ok;
                            match #rt::decode_result::<#md::#result, _>(#arg1, response)? {
                                #success
                                #(#exc_arms)*
                                _ => Err(#rt::Error::UnknownException(#rt::UnknownException {
                                    method: #arg1,
                                })),
                            }
                        },
                    )
                }
            }
        });
        let doc = format!(
            " A client of the `{leaf}` service, sending calls through a [`Transport`]({rt_path}::thrift::Transport).",
            rt_path = self.o.runtime_path
        );
        quote! {
            #[doc = #doc]
            #[derive(Debug, Clone)]
            pub struct #client<T> {
                transport: T,
            }

            impl<T: #rt::Transport> #client<T> {
                /// A client that sends its calls through `transport`.
                pub fn new(transport: T) -> Self {
                    #client { transport }
                }

                /// The transport.
                pub fn transport(&self) -> &T {
                    &self.transport
                }

                #(#methods)*
            }
        }
    }

    /// `<Name>BlockingClient`: the client's methods for code without an async runtime, run
    /// on a `BlockingRuntime`'s own thread.
    fn blocking_client(&self, file: usize, s: &Service) -> TokenStream {
        let rt = rt();
        let client = format_ident!("{}Client", camel(&s.name));
        let blocking = format_ident!("{}BlockingClient", camel(&s.name));
        let methods = self.methods(file, s);
        let names = client_method_idents(&methods);
        let methods = methods.into_iter().zip(names).map(|(m, method)| {
            let n = method_names(m.f);
            let params = &n.params;
            let ptypes: Vec<TokenStream> =
                m.f.args
                    .iter()
                    .map(|a| self.client_param_type(m.file, a).0)
                    .collect();
            let ret = self.method_return(&m);
            let doc = format!(
                " [`{client}::{method}`], waiting for its result. For this call's own options \
                 or the response's headers, build the call on [`client`](Self::client) and wait \
                 with [`runtime`](Self::runtime)`().block_on(..)`."
            );
            quote! {
                #[doc = #doc]
                #[allow(clippy::too_many_arguments)]
                pub fn #method(&self, #(#params: #ptypes),*) -> #ret {
                    self.runtime
                        .block_on(self.client.#method(#(#params),*).with_response())
                        .map(#rt::Reply::into_value)
                }
            }
        });
        let doc = format!(
            " A blocking client of the `{}` service: the methods of [`{client}`], each waiting for its result, for code without an async runtime. Calls run on the `BlockingRuntime`'s own thread; to have several in flight at once, `spawn` calls of [`{client}`] on the runtime and `wait` for them.",
            s.name
        );
        quote! {
            #[doc = #doc]
            #[derive(Debug, Clone)]
            pub struct #blocking<T> {
                client: #client<T>,
                runtime: #rt::BlockingRuntime,
            }

            impl<T: #rt::Transport> #blocking<T> {
                /// A blocking client sending through `transport` on `runtime`.
                pub fn new(transport: T, runtime: &#rt::BlockingRuntime) -> Self {
                    #blocking { client: #client::new(transport), runtime: runtime.clone() }
                }

                /// The async client underneath (to `spawn` several calls at once).
                pub fn client(&self) -> &#client<T> {
                    &self.client
                }

                /// The runtime the calls run on (its `spawn` starts several at once).
                pub fn runtime(&self) -> &#rt::BlockingRuntime {
                    &self.runtime
                }

                #(#methods)*
            }
        }
    }
}

/// How a client method's parameter becomes its args field.
enum ParamKind {
    /// Taken as the field's own type.
    Plain,
    /// `impl Into<T>`, converted first.
    Into,
    /// `impl AsRef<str>`, written from the borrowed `str`.
    Str,
}
