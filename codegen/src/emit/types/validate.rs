//! `validate()`: the constraints the schema states, here and in nested values.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use crate::emit::{ident, Ctx};
use crate::ir::{Constraints, IntKind, Presence, Struct, TypeKind, TypeRef};

pub(super) fn validate_fn(ctx: &Ctx<'_>, s: &Struct) -> TokenStream {
    let checks = s.fields.iter().filter_map(|f| {
        let fname = ident(&f.name);
        let wire = &f.wire;
        let value_checks = constraint_checks(&f.constraints, wire, &f.ty);
        let nested = nested_validation(ctx, &f.ty, quote! { value }, quote! { #wire }, 0);
        if value_checks.is_empty() && nested.is_empty() {
            return None;
        }
        let body = quote! { #value_checks #nested };
        Some(match f.presence {
            Presence::Required => quote! { { let value = &self.#fname; #body } },
            Presence::Optional | Presence::Nullable => {
                quote! { if let Some(value) = &self.#fname { #body } }
            }
            Presence::OptionalNullable => {
                quote! { if let Some(Some(value)) = &self.#fname { #body } }
            }
        })
    });
    let result = &ctx.std.result;
    quote! {
        /// Checks the constraints the API's schema states (lengths, ranges, item counts), here and
        /// in nested values. Sending does not call this: the server stays the judge.
        ///
        /// # Errors
        ///
        /// The first constraint broken, naming the field.
        pub fn validate(&self) -> #result<(), forge_runtime::validation::ValidationError> {
            #(#checks)*
            Ok(())
        }
    }
}

/// Whether values of a named type have `validate()`.
fn validates(ctx: &Ctx<'_>, id: crate::ir::TypeId) -> bool {
    matches!(&ctx.api.ty(id).kind, TypeKind::Struct(s) if s.builder.as_ref().is_some_and(|b| b.validates))
}

/// Code that calls `validate()` on every validating value inside `value` (a reference), naming
/// each by its path.
fn nested_validation(
    ctx: &Ctx<'_>,
    t: &TypeRef,
    value: TokenStream,
    path: TokenStream,
    depth: usize,
) -> TokenStream {
    match t {
        TypeRef::Named(id) if validates(ctx, *id) => {
            quote! { #value.validate().map_err(|e| e.within(#path))?; }
        }
        TypeRef::Boxed(inner) => nested_validation(ctx, inner, value, path, depth),
        TypeRef::Nullable(inner) => {
            let v = format_ident!("inner{depth}");
            let body = nested_validation(ctx, inner, quote! { #v }, path, depth + 1);
            if body.is_empty() {
                body
            } else {
                quote! { if let Some(#v) = #value { #body } }
            }
        }
        TypeRef::Vec(inner) => {
            let item = format_ident!("item{depth}");
            let index = format_ident!("i{depth}");
            let body = nested_validation(
                ctx,
                inner,
                quote! { #item },
                quote! { &format!("{}[{}]", #path, #index) },
                depth + 1,
            );
            if body.is_empty() {
                body
            } else {
                quote! { for (#index, #item) in #value.iter().enumerate() { #body } }
            }
        }
        _ => TokenStream::new(),
    }
}

fn constraint_checks(c: &Constraints, wire: &str, fty: &TypeRef) -> TokenStream {
    let mut out = TokenStream::new();
    let unboxed = match fty {
        TypeRef::Nullable(inner) | TypeRef::Boxed(inner) => inner.as_ref(),
        other => other,
    };
    match unboxed {
        TypeRef::String => {
            if let Some(min) = c.min_length {
                out.extend(quote! { forge_runtime::validation::min_length(#wire, value, #min)?; });
            }
            if let Some(max) = c.max_length {
                out.extend(quote! { forge_runtime::validation::max_length(#wire, value, #max)?; });
            }
        }
        TypeRef::Int(kind) if *kind != IntKind::Number => {
            out.extend(numeric_checks(c, wire, quote! { *value as f64 }));
        }
        TypeRef::Float => {
            out.extend(numeric_checks(c, wire, quote! { *value }));
        }
        TypeRef::Vec(_) => {
            if let Some(min) = c.min_items {
                out.extend(
                    quote! { forge_runtime::validation::min_items(#wire, value.len(), #min)?; },
                );
            }
            if let Some(max) = c.max_items {
                out.extend(
                    quote! { forge_runtime::validation::max_items(#wire, value.len(), #max)?; },
                );
            }
        }
        _ => {}
    }
    out
}

fn numeric_checks(c: &Constraints, wire: &str, value: TokenStream) -> TokenStream {
    let mut out = TokenStream::new();
    let checks = [
        (c.minimum, quote! { minimum }),
        (c.maximum, quote! { maximum }),
        (c.exclusive_minimum, quote! { exclusive_minimum }),
        (c.exclusive_maximum, quote! { exclusive_maximum }),
    ];
    for (bound, check) in checks {
        if let Some(bound) = bound {
            let lit = Literal::f64_suffixed(bound);
            out.extend(quote! { forge_runtime::validation::#check(#wire, #value, #lit)?; });
        }
    }
    out
}
