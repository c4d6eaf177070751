//! Parameter values as they are stored in a request value and written on the wire.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::Ctx;
use crate::ir::{TypeKind, TypeRef};

/// How a required parameter is taken and stored: strings borrowed as `&str`, numbers and
/// booleans by value, everything else borrowed.
pub(super) fn stored_arg(ctx: &Ctx<'_>, t: &TypeRef) -> TokenStream {
    match t {
        TypeRef::String => quote! { &'a str },
        TypeRef::Int(_) | TypeRef::Float | TypeRef::Bool => ctx.ty(t),
        other => {
            let t = ctx.ty(other);
            quote! { &'a #t }
        }
    }
}

/// A parameter value as text, in the cheapest form its type allows.
pub(super) enum Wire {
    /// Already a `&str` (or `&String`).
    Str(TokenStream),
    /// Implements `Display` (numbers, booleans).
    Display(TokenStream),
    /// A freshly made `String`.
    Owned(TokenStream),
}

impl Wire {
    /// An expression usable as `impl Into<String>`.
    pub(super) fn string(&self) -> TokenStream {
        match self {
            Wire::Str(e) => quote! { #e },
            Wire::Owned(e) => e.clone(),
            Wire::Display(e) => quote! { #e.to_string() },
        }
    }

    /// An expression usable where `&str` is expected.
    pub(super) fn as_str(&self) -> TokenStream {
        match self {
            Wire::Str(e) => e.clone(),
            Wire::Display(e) => quote! { &#e.to_string() },
            Wire::Owned(e) => quote! { &#e },
        }
    }

    /// An argument for `format!`: a number or a bool as it is (`format!` writes it), anything
    /// else as a `&str`.
    pub(super) fn format_arg(&self) -> TokenStream {
        match self {
            Wire::Display(e) => e.clone(),
            other => other.as_str(),
        }
    }

    /// One path segment: a number or a bool as it is, since its text (digits, `-`, `.`,
    /// letters) needs no encoding; anything else percent-encoded.
    pub(super) fn path_segment(&self) -> TokenStream {
        match self {
            Wire::Display(e) => e.clone(),
            other => {
                let value = other.as_str();
                quote! { forge_runtime::encode_path_segment(#value) }
            }
        }
    }
}

/// Renders a parameter value (`value` is a reference, or a copy for numbers) for the wire; lists
/// are joined with `separator`, objects in `simple` style (`key,value,key,value`).
pub(super) fn to_wire(ctx: &Ctx<'_>, t: &TypeRef, value: TokenStream, separator: &str) -> Wire {
    match t {
        TypeRef::String => Wire::Str(value),
        TypeRef::Int(_) | TypeRef::Float | TypeRef::Bool => Wire::Display(value),
        TypeRef::Named(id) => match &ctx.api.ty(*id).kind {
            TypeKind::OpenEnum(_) | TypeKind::ClosedEnum(_) => {
                Wire::Str(quote! { #value.as_str() })
            }
            TypeKind::Alias(inner) if !matches!(inner, TypeRef::Named(_)) => {
                to_wire(ctx, inner, value, separator)
            }
            _ => Wire::Owned(quote! { forge_runtime::wire::to_simple_string(&#value) }),
        },
        TypeRef::Vec(inner) => match to_wire(ctx, inner, quote! { item }, separator) {
            // Items that are strings already are joined without a copy each.
            Wire::Str(item) => Wire::Owned(quote! {
                #value.iter().map(|item| -> &str { #item }).collect::<Vec<&str>>().join(#separator)
            }),
            other => {
                let item = other.string();
                Wire::Owned(quote! {
                    #value.iter().map(|item| #item).collect::<Vec<String>>().join(#separator)
                })
            }
        },
        _ => Wire::Owned(quote! { forge_runtime::wire::to_simple_string(&#value) }),
    }
}

/// Whether a value of this type is an object on the wire (query objects spread into keys).
pub(super) fn is_object(ctx: &Ctx<'_>, t: &TypeRef) -> bool {
    match t {
        TypeRef::Map(_) | TypeRef::JsonObject => true,
        TypeRef::Named(id) => match &ctx.api.ty(*id).kind {
            TypeKind::Struct(_) => true,
            TypeKind::Alias(inner) => is_object(ctx, inner),
            _ => false,
        },
        _ => false,
    }
}
