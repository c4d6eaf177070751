//! Reaching a value along a field path, through optional and nullable fields: one rendering of
//! the IR's presence rule for every place that reads into a value (error envelopes, pages).

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, Ctx};
use crate::ir::{FieldPath, Presence, TypeKind};

/// How a value along a field path is reached.
pub(super) enum Access {
    /// A plain place expression (`self.error.message`): every step was present.
    Place(TokenStream),
    /// `place` of one field that is an `Option<T>`.
    OptionalField(TokenStream),
    /// An `Option<&T>` chain.
    Chain(TokenStream),
}

impl Access {
    /// The place expression, when every step was present (no `Option` in the way).
    pub(super) fn place(&self) -> Option<&TokenStream> {
        match self {
            Access::Place(p) => Some(p),
            _ => None,
        }
    }

    /// An `Option<&T>` expression.
    pub(super) fn option(self) -> TokenStream {
        match self {
            Access::Place(p) => quote! { Some(&#p) },
            Access::OptionalField(p) => quote! { #p.as_ref() },
            Access::Chain(c) => c,
        }
    }

    /// An `Option<T>` expression, cloning the value.
    pub(super) fn cloned(self) -> TokenStream {
        match self {
            Access::Place(p) => quote! { Some(#p.clone()) },
            Access::OptionalField(p) => quote! { #p.clone() },
            Access::Chain(c) => quote! { #c.cloned() },
        }
    }

    /// An `Option<&str>` expression for a `String` value.
    pub(super) fn into_str(self) -> TokenStream {
        match self {
            Access::Place(p) => quote! { Some(#p.as_str()) },
            Access::OptionalField(p) => quote! { #p.as_deref() },
            Access::Chain(c) => quote! { #c.map(String::as_str) },
        }
    }
}

/// The value at a field path of `root`, through optional and nullable fields anywhere.
pub(super) fn access(ctx: &Ctx<'_>, root: TokenStream, path: &FieldPath) -> Access {
    let mut access = Access::Place(root);
    for (ty, index) in &path.steps {
        let TypeKind::Struct(s) = &ctx.api.ty(*ty).kind else {
            break;
        };
        let field = &s.fields[*index];
        let fname = ident(&field.name);
        access = match (access, field.presence) {
            (Access::Place(p), Presence::Required) => Access::Place(quote! { #p.#fname }),
            (Access::Place(p), Presence::Optional | Presence::Nullable) => {
                Access::OptionalField(quote! { #p.#fname })
            }
            (Access::Place(p), Presence::OptionalNullable) => {
                Access::Chain(quote! { #p.#fname.as_ref().and_then(|v| v.as_ref()) })
            }
            (other, Presence::Required) => {
                let c = other.option();
                Access::Chain(quote! { #c.map(|v| &v.#fname) })
            }
            (other, Presence::Optional | Presence::Nullable) => {
                let c = other.option();
                Access::Chain(quote! { #c.and_then(|v| v.#fname.as_ref()) })
            }
            (other, Presence::OptionalNullable) => {
                let c = other.option();
                Access::Chain(
                    quote! { #c.and_then(|v| v.#fname.as_ref()).and_then(|v| v.as_ref()) },
                )
            }
        };
    }
    access
}
