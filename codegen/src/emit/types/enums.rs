//! Open and closed string enums, and constants. What is the same for every open enum and every
//! constant comes from the runtime's `open_enum!` and `constant!` macros; what is particular
//! (the values, their docs and deprecations) is written here.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::deprecated_attr;
use crate::emit::doc::{doc_attrs, doc_or};
use crate::ir::{ConstValue, EnumValue};

pub(super) fn open_enum(name: &Ident, head: TokenStream, values: &[EnumValue]) -> TokenStream {
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
    quote! {
        #head
        ///
        #type_doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(transparent)]
        pub struct #name(::std::borrow::Cow<'static, str>);

        forge_runtime::open_enum!(#name);

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
    }
}

pub(super) fn closed_enum(name: &Ident, head: TokenStream, values: &[EnumValue]) -> TokenStream {
    let variants = values.iter().map(|v| {
        let vname = format_ident!("{}", v.name);
        let value = &v.value;
        let doc = doc_or(v.doc.as_deref(), &format!("`{value}`"));
        let dep = deprecated_attr(v.deprecated.as_deref());
        quote! { #doc #dep #[serde(rename = #value)] #vname, }
    });
    let arms = values.iter().map(|v| {
        let vname = format_ident!("{}", v.name);
        let value = &v.value;
        quote! { #name::#vname => #value, }
    });
    quote! {
        #head
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
        pub enum #name { #(#variants)* }

        #[allow(deprecated)]
        impl #name {
            /// The value as it goes on the wire.
            pub fn as_str(&self) -> &'static str {
                match self { #(#arms)* }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

pub(super) fn constant(name: &Ident, head: TokenStream, value: &ConstValue) -> TokenStream {
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
    let note = doc_attrs(Some(&format!(
        "Always `{shown}`: it serializes as that value and reads from it. Another value is \
         accepted unless the crate's `strict` feature is on, so a server that adds values does not \
         break old clients; a union never picks this type for a value that does not carry it."
    )));
    quote! {
        #head
        ///
        #note
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
        pub struct #name;

        forge_runtime::constant!(#name, #macro_value);
    }
}
