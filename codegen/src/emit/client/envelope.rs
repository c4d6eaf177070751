//! The error types and the `ErrorEnvelope` impl of the spec's error body.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::{ident, Ctx};
use crate::ir::{FieldPath, Presence, TypeKind, TypeRef};

/// The envelope's type, or `serde_json::Value` when the spec declares none.
pub(super) fn envelope_type(ctx: &Ctx<'_>) -> TokenStream {
    match &ctx.api.error_envelope {
        Some(envelope) => ctx.named(envelope.ty),
        None => quote! { ::serde_json::Value },
    }
}

/// `impl forge_runtime::ErrorEnvelope` for the spec's envelope.
pub(super) fn envelope_impl(ctx: &Ctx<'_>) -> TokenStream {
    let Some(envelope) = &ctx.api.error_envelope else {
        return TokenStream::new();
    };
    let name = ctx.named(envelope.ty);
    let (type_ty, type_body) = match &envelope.error_type {
        Some(path) => {
            let access = access(ctx, path);
            match &path.end {
                TypeRef::Named(id) => (ctx.named(*id), access.cloned()),
                _ => (
                    quote! { String },
                    {
                        let a = access.option();
                        quote! { #a.map(ToString::to_string) }
                    },
                ),
            }
        }
        None => (quote! { String }, quote! { None }),
    };
    let str_access = |p: &Option<FieldPath>| match p {
        Some(path) => access(ctx, path).as_str(),
        None => quote! { None },
    };
    let message = str_access(&envelope.message);
    let request_id = str_access(&envelope.request_id);
    quote! {
        impl forge_runtime::ErrorEnvelope for #name {
            type ErrorType = #type_ty;

            fn error_type(&self) -> Option<Self::ErrorType> {
                #type_body
            }

            fn message(&self) -> Option<&str> {
                #message
            }

            fn request_id(&self) -> Option<&str> {
                #request_id
            }
        }
    }
}

/// How a value along a field path is reached.
enum Access {
    /// A plain place expression (`self.error.message`): every step was present.
    Place(TokenStream),
    /// `place` of one field that is an `Option<T>`.
    OptionalField(TokenStream),
    /// An `Option<&T>` chain.
    Chain(TokenStream),
}

impl Access {
    /// An `Option<&T>` expression.
    fn option(self) -> TokenStream {
        match self {
            Access::Place(p) => quote! { Some(&#p) },
            Access::OptionalField(p) => quote! { #p.as_ref() },
            Access::Chain(c) => c,
        }
    }

    /// An `Option<T>` expression, cloning the value.
    fn cloned(self) -> TokenStream {
        match self {
            Access::Place(p) => quote! { Some(#p.clone()) },
            Access::OptionalField(p) => quote! { #p.clone() },
            Access::Chain(c) => quote! { #c.cloned() },
        }
    }

    /// An `Option<&str>` expression for a `String` value.
    fn as_str(self) -> TokenStream {
        match self {
            Access::Place(p) => quote! { Some(#p.as_str()) },
            Access::OptionalField(p) => quote! { #p.as_deref() },
            Access::Chain(c) => quote! { #c.map(String::as_str) },
        }
    }
}

/// The value at a field path of `self`, through optional and nullable fields anywhere.
fn access(ctx: &Ctx<'_>, path: &FieldPath) -> Access {
    let mut access = Access::Place(quote! { self });
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
