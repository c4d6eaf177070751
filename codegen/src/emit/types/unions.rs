//! Unions: tagged ones decode by their tag and keep unknown tags; untagged ones try their
//! variants in order, each only when the value carries the constants the variant fixes.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use crate::emit::doc::{doc_attrs, doc_or, own_doc};
use crate::emit::Ctx;
use crate::ir::{Carried, ConstValue, Variant};

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

/// A tagged union through the runtime's `tagged_union!`: an enum whose discriminants are the tag
/// values, after the `#[serde(tag)]` line the macro reads (the formatter lays it out as an item,
/// then wraps it in the macro).
pub(super) fn tagged(
    ctx: &Ctx<'_>,
    name: &Ident,
    head: TokenStream,
    tag: &str,
    variants: &[Variant],
) -> Vec<TokenStream> {
    let decls = variants.iter().map(|v| {
        let vname = format_ident!("{}", v.name);
        let payload = ctx.ty(&v.ty);
        let value = v.tag.clone().unwrap_or_default();
        let aliases = &v.aliases;
        let doc = doc_attrs(v.doc.as_deref());
        quote! { #doc #vname(#payload) = #value #(| #aliases)*, }
    });
    let tag_doc = own_doc(&format!(
        "Which variant is chosen by the `{tag}` property. A value with an unknown `{tag}` is kept in \
         [`{name}::Other`] so nothing the server sends is lost."
    ));
    let wrap = crate::format::wrap_in_macro(quote! { forge_runtime::tagged_union });
    vec![quote! {
        #wrap
        #[serde(tag = #tag)]
        #head
        ///
        #tag_doc
        pub enum #name { #(#decls)* }
    }]
}

pub(super) fn untagged(
    ctx: &Ctx<'_>,
    name: &Ident,
    head: TokenStream,
    variants: &[Variant],
) -> Vec<TokenStream> {
    let decls = variant_decls(ctx, variants);
    if variants
        .iter()
        .all(|v| v.requires.is_empty() && v.keys.is_empty())
    {
        return vec![quote! {
            #head
            ///
            /// Variants are tried in order; the first that reads the value wins.
            #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
            #[serde(untagged)]
            pub enum #name { #(#decls)* }
        }];
    }
    let result = &ctx.std.result;
    let attempt = |v: &Variant, with_keys: bool| {
        let vname = format_ident!("{}", v.name);
        let payload = ctx.ty(&v.ty);
        let attempt = quote! {
            if let Ok(v) = <#payload as ::serde::Deserialize>::deserialize(&value) {
                return Ok(#name::#vname(v));
            }
        };
        let consts = |carried: Carried| {
            let checks: Vec<TokenStream> = v
                .requires
                .iter()
                .filter(|r| r.carried == carried)
                .map(|r| {
                    let (pointer, c) = (&r.pointer, const_tokens(&r.value));
                    quote! { (#pointer, #c) }
                })
                .collect();
            (!checks.is_empty()).then_some(checks)
        };
        let always = consts(Carried::Always)
            .map(|c| quote! { forge_runtime::wire::matches_consts(&value, &[#(#c),*]) });
        let present = consts(Carried::IfPresent)
            .map(|c| quote! { forge_runtime::wire::matches_present_consts(&value, &[#(#c),*]) });
        let keys = (with_keys && !v.keys.is_empty()).then(|| {
            let keys = &v.keys;
            quote! { forge_runtime::wire::has_keys(&value, &[#(#keys),*]) }
        });
        let condition: Vec<TokenStream> = always.into_iter().chain(present).chain(keys).collect();
        if condition.is_empty() {
            attempt
        } else {
            quote! {
                if #(#condition)&&* {
                    #attempt
                }
            }
        }
    };
    // A variant whose required nullable keys the value lacks is tried only after every other
    // one: it would read the value with those keys as `None`.
    let attempts = variants.iter().map(|v| attempt(v, true)).chain(
        variants
            .iter()
            .filter(|v| !v.keys.is_empty())
            .map(|v| attempt(v, false)),
    );
    let message = format!("data did not match any variant of untagged enum {name}");
    let order = if variants.iter().any(|v| !v.keys.is_empty()) {
        "Variants are tried in order; the first that reads the value wins. A variant is only\n\
         tried when the value carries the constants it fixes, and after the others when the\n\
         value lacks a key it requires."
    } else {
        "Variants are tried in order; the first that reads the value wins, and a variant is only\n\
         tried when the value carries the constants it fixes."
    };
    let order = own_doc(order);
    vec![
        quote! {
            #head
            ///
            #order
            #[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
            #[serde(untagged)]
            pub enum #name { #(#decls)* }
        },
        quote! {
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                    let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                    #(#attempts)*
                    Err(::serde::de::Error::custom(#message))
                }
            }
        },
    ]
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
