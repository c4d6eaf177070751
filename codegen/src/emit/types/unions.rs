//! Unions: tagged ones decode by their tag and keep unknown tags; untagged ones try their
//! variants in order, each only when the value carries the constants the variant fixes.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use crate::emit::doc::{doc_or, own_doc};
use crate::emit::Ctx;
use crate::ir::{ConstValue, Variant};

fn variant_decls(ctx: &Ctx<'_>, variants: &[Variant]) -> Vec<TokenStream> {
    variants
        .iter()
        .map(|v| {
            let vname = format_ident!("{}", v.name);
            let payload = ctx.ty(&v.ty);
            let doc = doc_or(
                v.doc.as_deref(),
                &format!("The `{}` variant.", v.tag.as_deref().unwrap_or(&v.name)),
            );
            quote! { #doc #vname(#payload), }
        })
        .collect()
}

pub(super) fn tagged(
    ctx: &Ctx<'_>,
    name: &Ident,
    head: TokenStream,
    tag: &str,
    variants: &[Variant],
) -> TokenStream {
    let decls = variant_decls(ctx, variants);
    let result = &ctx.std.result;
    let ser_arms = variants.iter().map(|v| {
        let vname = format_ident!("{}", v.name);
        quote! { #name::#vname(value) => ::serde::Serialize::serialize(value, serializer), }
    });
    let de_arms = variants.iter().map(|v| {
        let vname = format_ident!("{}", v.name);
        let tag_value = v.tag.clone().unwrap_or_default();
        quote! {
            Some(#tag_value) => ::serde::Deserialize::deserialize(value).map(#name::#vname).map_err(::serde::de::Error::custom),
        }
    });
    let tag_doc = own_doc(&format!(
        "Which variant is chosen by the `{tag}` property. A value with an unknown `{tag}` is kept in \
         [`{name}::Other`] so nothing the server sends is lost."
    ));
    quote! {
        #head
        ///
        #tag_doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#decls)*
            /// A variant this version of the crate does not know, kept as it came.
            Other(::serde_json::Value),
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> #result<S::Ok, S::Error> {
                match self {
                    #(#ser_arms)*
                    #name::Other(value) => ::serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                match value.get(#tag).and_then(::serde_json::Value::as_str) {
                    #(#de_arms)*
                    _ => Ok(#name::Other(value)),
                }
            }
        }
    }
}

pub(super) fn untagged(
    ctx: &Ctx<'_>,
    name: &Ident,
    head: TokenStream,
    variants: &[Variant],
) -> TokenStream {
    let decls = variant_decls(ctx, variants);
    if variants.iter().all(|v| v.requires.is_empty()) {
        return quote! {
            #head
            ///
            /// Variants are tried in order; the first that reads the value wins.
            #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
            #[serde(untagged)]
            pub enum #name { #(#decls)* }
        };
    }
    let result = &ctx.std.result;
    let attempts = variants.iter().map(|v| {
        let vname = format_ident!("{}", v.name);
        let payload = ctx.ty(&v.ty);
        let attempt = quote! {
            if let Ok(v) = <#payload as ::serde::Deserialize>::deserialize(&value) {
                return Ok(#name::#vname(v));
            }
        };
        if v.requires.is_empty() {
            attempt
        } else {
            let checks = v.requires.iter().map(|(pointer, c)| {
                let c = const_tokens(c);
                quote! { (#pointer, #c) }
            });
            quote! {
                if forge_runtime::wire::matches_consts(&value, &[#(#checks),*]) {
                    #attempt
                }
            }
        }
    });
    let message = format!("data did not match any variant of untagged enum {name}");
    quote! {
        #head
        ///
        /// Variants are tried in order; the first that reads the value wins, and a variant is only
        /// tried when the value carries the constants it fixes.
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
        #[serde(untagged)]
        pub enum #name { #(#decls)* }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                #(#attempts)*
                Err(::serde::de::Error::custom(#message))
            }
        }
    }
}

/// A `forge_runtime::wire::Const`.
pub(in crate::emit) fn const_tokens(c: &ConstValue) -> TokenStream {
    match c {
        ConstValue::Str(s) => quote! { forge_runtime::wire::Const::Str(#s) },
        ConstValue::Int(i) => {
            let lit = Literal::i64_unsuffixed(*i);
            quote! { forge_runtime::wire::Const::Int(#lit) }
        }
        ConstValue::Uint(u) => {
            let lit = Literal::u64_unsuffixed(*u);
            quote! { forge_runtime::wire::Const::Uint(#lit) }
        }
        ConstValue::Bool(b) => quote! { forge_runtime::wire::Const::Bool(#b) },
    }
}
