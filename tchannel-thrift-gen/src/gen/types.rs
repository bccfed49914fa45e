//! Typedefs and enums.

use super::*;

impl Gen<'_> {
    pub(super) fn typedef(&self, file: usize, t: &Typedef) -> TokenStream {
        let doc = docs_or(&t.doc, format!("`typedef {}` in the IDL.", t.name));
        let name = format_ident!("{}", self.type_name_of(file, &t.name));
        let ty = self.rty(file, &t.ty, 0, false);
        quote! {
            #doc
            pub type #name = #ty;
        }
    }

    /// The variant names of `e`'s members and of its catch-all, which is always `Unknown`
    /// (a member named `UNKNOWN` is `Unknown_`).
    pub(super) fn enum_variants(e: &Enum) -> (Vec<String>, String) {
        let variants = dedup(
            e.values.iter().map(|v| camel(&v.name)).collect(),
            &["Unknown"],
        );
        (variants, "Unknown".to_string())
    }

    pub(super) fn enum_def(&self, file: usize, e: &Enum) -> TokenStream {
        let rt = rt();
        let doc = docs_or(&e.doc, format!("`enum {}` in the IDL.", e.name));
        let attrs = self.user_attrs(file, &e.name);
        let name = format_ident!("{}", self.type_name_of(file, &e.name));
        let (variants, unknown) = Self::enum_variants(e);
        let unknown = format_ident!("{}", unknown);
        let vidents: Vec<Ident> = variants.iter().map(|v| format_ident!("{}", v)).collect();
        let vdocs = e.values.iter().map(|v| {
            let d = docs(&v.doc);
            let value = format!(" `{}` = {}", v.name, v.value);
            if v.doc.is_some() {
                quote!(#d #[doc = ""] #[doc = #value])
            } else {
                quote!(#[doc = #value])
            }
        });
        let values: Vec<Literal> = e
            .values
            .iter()
            .map(|v| Literal::i32_unsuffixed(v.value))
            .collect();
        let idl_names: Vec<&str> = e.values.iter().map(|v| v.name.as_str()).collect();
        // Several names may share a value; the first one wins when decoding.
        let mut seen = HashSet::new();
        let from_arms: Vec<TokenStream> = e
            .values
            .iter()
            .zip(&vidents)
            .filter(|(v, _)| seen.insert(v.value))
            .map(|(v, id)| {
                let lit = Literal::i32_unsuffixed(v.value);
                quote!(#lit => #name::#id,)
            })
            .collect();
        let default_attr: Vec<TokenStream> = (0..vidents.len())
            .map(|i| if i == 0 { quote!(#[default]) } else { quote!() })
            .collect();
        let (default_derive, default_impl) = if vidents.is_empty() {
            (
                quote!(),
                quote! {
                    impl Default for #name {
                        fn default() -> Self {
                            #name::#unknown(0)
                        }
                    }
                },
            )
        } else {
            (quote!(Default,), quote!())
        };
        quote! {
            #doc
            ///
            /// Equality, hashing and order go by [`value()`](Self::value), so
            /// `Unknown(v)` built by hand with a known `v` equals the named variant;
            /// [`from_value`](Self::from_value) (used when decoding) always gives the named
            /// one.
            #[derive(Debug, Clone, Copy, #default_derive)]
            #attrs
            pub enum #name {
                #( #vdocs #default_attr #vidents, )*
                /// A value the IDL does not name, kept as it was on the wire.
                #unknown(i32),
            }

            impl PartialEq for #name {
                fn eq(&self, other: &Self) -> bool {
                    self.value() == other.value()
                }
            }

            impl Eq for #name {}

            impl ::std::hash::Hash for #name {
                fn hash<H: ::std::hash::Hasher>(&self, state: &mut H) {
                    self.value().hash(state)
                }
            }

            impl PartialOrd for #name {
                fn partial_cmp(&self, other: &Self) -> Option<::std::cmp::Ordering> {
                    Some(self.cmp(other))
                }
            }

            impl Ord for #name {
                fn cmp(&self, other: &Self) -> ::std::cmp::Ordering {
                    self.value().cmp(&other.value())
                }
            }

            impl #name {
                /// The wire value.
                pub fn value(self) -> i32 {
                    match self {
                        #( #name::#vidents => #values, )*
                        #name::#unknown(v) => v,
                    }
                }

                /// The value for a wire value; unknown values are kept.
                #[allow(clippy::match_single_binding)]
                pub fn from_value(value: i32) -> Self {
                    match value {
                        #(#from_arms)*
                        other => #name::#unknown(other),
                    }
                }

                /// The name the IDL gives the value, if it is a known one.
                pub fn name(self) -> Option<&'static str> {
                    match #name::from_value(self.value()) {
                        #( #name::#vidents => Some(#idl_names), )*
                        #name::#unknown(_) => None,
                    }
                }
            }

            #default_impl

            impl From<i32> for #name {
                fn from(value: i32) -> Self {
                    #name::from_value(value)
                }
            }

            impl From<#name> for i32 {
                fn from(value: #name) -> i32 {
                    value.value()
                }
            }

            impl #rt::ThriftValue for #name {
                const TTYPE: #rt::TType = #rt::TType::I32;
                fn write(&self, w: &mut #rt::Writer) {
                    w.write_i32(self.value());
                }
                fn encoded_len(&self) -> usize {
                    4
                }
                fn read(r: &mut #rt::Reader) -> Result<Self, #rt::DecodeError> {
                    r.read_i32().map(#name::from_value)
                }
            }

        }
    }
}
