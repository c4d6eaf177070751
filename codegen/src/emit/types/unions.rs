//! Unions: tagged ones decode by their tag and keep unknown tags; untagged ones try their
//! variants in order, each only when the value carries the constants the variant fixes.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use crate::emit::doc::{doc_attrs, doc_or, own_doc};
use crate::emit::Ctx;
use crate::ir::{Carried, ConstValue, Variant};

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

/// An untagged union through the runtime's `untagged_union!`: each variant after a `#[when(..)]`
/// line with the constants the value must carry for it to be tried, and the keys it requires.
pub(super) fn untagged(
    ctx: &Ctx<'_>,
    name: &Ident,
    head: TokenStream,
    variants: &[Variant],
) -> Vec<TokenStream> {
    let decls = variants.iter().map(|v| {
        let vname = format_ident!("{}", v.name);
        let payload = ctx.ty(&v.ty);
        let doc = doc_or(
            v.doc.as_deref(),
            &format!("The `{}` variant.", v.tag.as_deref().unwrap_or(&v.name)),
        );
        let consts = |carried: Carried| -> Vec<TokenStream> {
            v.requires
                .iter()
                .filter(|r| r.carried == carried)
                .map(|r| {
                    let (pointer, c) = (&r.pointer, const_tokens(&r.value));
                    quote! { (#pointer, #c) }
                })
                .collect()
        };
        let (always, present) = (consts(Carried::Always), consts(Carried::IfPresent));
        let mut parts = Vec::new();
        if !always.is_empty() {
            parts.push(quote! { always = [#(#always),*] });
        }
        if !present.is_empty() {
            parts.push(quote! { present = [#(#present),*] });
        }
        if !v.keys.is_empty() {
            let keys = &v.keys;
            parts.push(quote! { keys = [#(#keys),*] });
        }
        let when = (!parts.is_empty()).then(|| quote! { #[when(#(#parts),*)] });
        quote! { #doc #when #vname(#payload), }
    });
    let order = if variants.iter().any(|v| !v.keys.is_empty()) {
        "Variants are tried in order; the first that reads the value wins. A variant is only\n\
         tried when the value carries the constants it fixes, and after the others when the\n\
         value lacks a key it requires."
    } else if variants.iter().any(|v| !v.requires.is_empty()) {
        "Variants are tried in order; the first that reads the value wins, and a variant is only\n\
         tried when the value carries the constants it fixes."
    } else {
        "Variants are tried in order; the first that reads the value wins."
    };
    let order = own_doc(order);
    let wrap = crate::format::wrap_in_macro(quote! { forge_runtime::untagged_union });
    vec![quote! {
        #wrap
        #head
        ///
        #order
        pub enum #name { #(#decls)* }
    }]
}

/// A constant as `untagged_union!` reads it: the `forge_runtime::wire::Const` variant and its
/// value (`Str("a")`).
fn const_tokens(c: &ConstValue) -> TokenStream {
    match c {
        ConstValue::Str(s) => quote! { Str(#s) },
        ConstValue::Int(i) => {
            let lit = Literal::i64_unsuffixed(*i);
            quote! { Int(#lit) }
        }
        ConstValue::Uint(u) => {
            let lit = Literal::u64_unsuffixed(*u);
            quote! { Uint(#lit) }
        }
        ConstValue::Bool(b) => quote! { Bool(#b) },
    }
}
