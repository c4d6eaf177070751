//! `src/types.rs`: one Rust type per named IR type.

mod enums;
mod structs;
mod unions;
mod validate;

use proc_macro2::TokenStream;
use quote::quote;

use super::doc::doc_or;
use super::{runtime_import, type_ident, Ctx, Unit};
use crate::ir::{Api, TypeDef, TypeKind};

/// Types per rendering unit: small enough to spread over threads and keep peak memory low.
const TYPES_PER_UNIT: usize = 64;

/// `src/types.rs`, as independent units: the module head, then the types in chunks.
pub fn units(api: &Api) -> Vec<Unit<'_>> {
    let mut units = vec![Unit::new(move || {
        let import = runtime_import(api);
        quote! {
            //! The API's data types, one per schema.
            //!
            //! A field that may be absent is an `Option`, left out when `None`; one that may also be
            //! `null` is an `Option<Option<T>>`: `None` leaves the key out and `Some(None)` sends an
            //! explicit `null`. A constant type (a unit struct such as a tag) always writes its
            //! value; reading, it accepts another value unless the crate's `strict` feature is on,
            //! so a server that adds values does not break old clients, and a union never picks it
            //! for a value that does not carry it.
            // Deprecation is for users of the crate; the crate itself must keep using what it defines.
            #![allow(deprecated)]
            #![allow(clippy::large_enum_variant, clippy::doc_lazy_continuation, clippy::doc_overindented_list_items)]
            #import
        }
    })];
    for start in (0..api.types.len()).step_by(TYPES_PER_UNIT) {
        let end = (start + TYPES_PER_UNIT).min(api.types.len());
        units.push(Unit::new(move || {
            let ctx = Ctx::types_module(api);
            let items = (start..end).flat_map(|index| {
                let gate = super::features::type_attr(api, crate::ir::TypeId(index));
                type_def(&ctx, &api.types[index])
                    .into_iter()
                    .map(move |item| quote! { #gate #item })
            });
            quote! { #(#items)* }
        }));
    }
    units
}

/// `#[deprecated(note)]`, or nothing.
pub(super) fn deprecated_attr(note: Option<&str>) -> TokenStream {
    match note {
        Some(note) => quote! { #[deprecated(note = #note)] },
        None => TokenStream::new(),
    }
}

/// The items of one type; the caller puts its gate on each.
fn type_def(ctx: &Ctx<'_>, def: &TypeDef) -> Vec<TokenStream> {
    let name = type_ident(&def.name);
    let docs = doc_or(def.doc.as_deref(), &format!("The `{}` schema.", def.name));
    let deprecated = deprecated_attr(def.deprecated.as_deref());
    let head = quote! { #docs #deprecated };
    match &def.kind {
        TypeKind::Struct(s) => structs::struct_def(ctx, &name, head, s),
        TypeKind::OpenEnum(values) => enums::open_enum(&name, head, values),
        TypeKind::ClosedEnum(values) => enums::closed_enum(&name, head, values),
        TypeKind::Const(value) => enums::constant(&name, head, value),
        TypeKind::Tagged { tag, variants } => unions::tagged(ctx, &name, head, tag, variants),
        TypeKind::Untagged(variants) => unions::untagged(ctx, &name, head, variants),
        TypeKind::Alias(target) => {
            let target = ctx.ty(target);
            vec![quote! { #head pub type #name = #target; }]
        }
        TypeKind::Newtype(target) => {
            let target = ctx.ty(target);
            vec![quote! {
                #head
                #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                #[serde(transparent)]
                pub struct #name(pub #target);
            }]
        }
    }
}
