//! Open and closed string enums, and constants. What is the same for every open enum, closed
//! enum and constant comes from the runtime's `open_enum!`, `closed_enum!` and `constant!`
//! macros; what is particular (the values, their docs and deprecations) is written here.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::deprecated_attr;
use crate::emit::doc::{doc_attrs, doc_or};
use crate::ir::{ConstValue, EnumValue};

pub(super) fn open_enum(name: &Ident, head: TokenStream, values: &[EnumValue]) -> Vec<TokenStream> {
    let consts = values.iter().map(|v| {
        let cname = format_ident!("{}", v.name);
        let value = &v.value;
        let doc = doc_or(v.doc.as_deref(), &format!("`{value}`"));
        let dep = deprecated_attr(v.deprecated.as_deref());
        quote! { #doc #dep pub const #cname: #name = #name::from_static(#value); }
    });
    let known = values.iter().map(|v| format_ident!("{}", v.name));
    let lookup = |arms: Vec<TokenStream>| {
        if arms.is_empty() {
            quote! { None }
        } else {
            quote! { match self.as_str() { #(#arms)* _ => None } }
        }
    };
    let deprecation = lookup(
        values
            .iter()
            .filter_map(|v| {
                let value = &v.value;
                v.deprecated
                    .as_ref()
                    .map(|note| quote! { #value => Some(#note), })
            })
            .collect(),
    );
    let description = lookup(
        values
            .iter()
            .filter_map(|v| {
                let value = &v.value;
                v.doc.as_ref().map(|d| quote! { #value => Some(#d), })
            })
            .collect(),
    );
    let type_doc = doc_attrs(Some(&format!(
        "An open set: any string is a valid `{name}`. Known values are associated constants; others \
         round-trip unchanged."
    )));
    vec![
        quote! {
            #head
            ///
            #type_doc
            #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
            #[serde(transparent)]
            pub struct #name(::std::borrow::Cow<'static, str>);
        },
        quote! {
            forge_runtime::open_enum!(#name);
        },
        quote! {
            #[allow(deprecated)]
            impl #name {
                #(#consts)*

                /// Every value known to this version of the crate, in the spec's order.
                pub const KNOWN: &'static [#name] = &[#(Self::#known),*];

                /// Whether this is one of [`Self::KNOWN`].
                pub fn is_known(&self) -> bool {
                    Self::KNOWN.contains(self)
                }

                /// The spec's deprecation notice for this value, if it has one.
                pub fn deprecation(&self) -> Option<&'static str> {
                    #deprecation
                }

                /// The spec's description of this value, if it is known.
                pub fn description(&self) -> Option<&'static str> {
                    #description
                }
            }
        },
    ]
}

/// A closed enum through the runtime's `closed_enum!`, written as an enum whose discriminants
/// are the wire values (the formatter lays it out as an item, then wraps it in the macro).
pub(super) fn closed_enum(
    name: &Ident,
    head: TokenStream,
    values: &[EnumValue],
) -> Vec<TokenStream> {
    let variants = values.iter().map(|v| {
        let vname = format_ident!("{}", v.name);
        let value = &v.value;
        let doc = doc_attrs(v.doc.as_deref());
        let dep = deprecated_attr(v.deprecated.as_deref());
        quote! { #doc #dep #vname = #value, }
    });
    let wrap = crate::format::wrap_in_macro(quote! { forge_runtime::closed_enum });
    vec![quote! {
        #wrap
        #head
        pub enum #name { #(#variants)* }
    }]
}

pub(super) fn constant(name: &Ident, head: TokenStream, value: &ConstValue) -> Vec<TokenStream> {
    let (shown, macro_value) = match value {
        ConstValue::Str(s) => (format!("\"{s}\""), quote! { str #s }),
        ConstValue::Int(i) => {
            let lit = Literal::i64_unsuffixed(*i);
            (i.to_string(), quote! { i64 #lit })
        }
        ConstValue::Uint(u) => {
            let lit = Literal::u64_unsuffixed(*u);
            (u.to_string(), quote! { u64 #lit })
        }
        ConstValue::Bool(b) => (b.to_string(), quote! { bool #b }),
    };
    let note = doc_attrs(Some(&format!("Always `{shown}` (see the module docs).")));
    vec![
        quote! {
            #head
            ///
            #note
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
            pub struct #name;
        },
        quote! { forge_runtime::constant!(#name, #macro_value); },
    ]
}
