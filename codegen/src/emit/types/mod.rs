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
            let items = api.types[start..end].iter().map(|def| type_def(&ctx, def));
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

fn type_def(ctx: &Ctx<'_>, def: &TypeDef) -> TokenStream {
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
            quote! { #head pub type #name = #target; }
        }
        TypeKind::Newtype(target) => {
            let target = ctx.ty(target);
            quote! {
                #head
                #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                #[serde(transparent)]
                pub struct #name(pub #target);
            }
        }
    }
}
