//! The error types and the `ErrorEnvelope` impl of the spec's error body.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::access::access;
use crate::emit::Ctx;
use crate::ir::{FieldPath, TypeRef};

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
            let access = access(ctx, quote! { self }, path);
            match &path.end {
                TypeRef::Named(id) => (ctx.named(*id), access.cloned()),
                _ => (quote! { String }, {
                    let a = access.option();
                    quote! { #a.map(ToString::to_string) }
                }),
            }
        }
        None => (quote! { String }, quote! { None }),
    };
    let str_access = |p: &Option<FieldPath>| match p {
        Some(path) => access(ctx, quote! { self }, path).into_str(),
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
