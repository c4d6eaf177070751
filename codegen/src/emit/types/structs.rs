//! Structs, and the constructor, setters and `validate()` of the ones the client sends.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::deprecated_attr;
use super::validate::validate_fn;
use crate::emit::doc::{doc_attrs, first_line};
use crate::emit::{ident, Ctx};
use crate::ir::{Argument, Builder, Extra, Field, Fill, Presence, Struct, TypeRef};

/// A field's type with the `Option`s its presence adds.
pub(in crate::emit) fn field_type(ctx: &Ctx<'_>, f: &Field) -> TokenStream {
    let inner = ctx.ty(&f.ty);
    match f.presence {
        Presence::Required => inner,
        Presence::Optional | Presence::Nullable => ctx.option(inner),
        Presence::OptionalNullable => ctx.option(ctx.option(inner)),
    }
}

pub(super) fn struct_def(
    ctx: &Ctx<'_>,
    name: &Ident,
    head: TokenStream,
    s: &Struct,
) -> Vec<TokenStream> {
    let fields = s.fields.iter().map(|f| {
        let fname = ident(&f.name);
        let wire = &f.wire;
        let presence = Ident::new(wire_presence(f), proc_macro2::Span::call_site());
        let text = f
            .doc
            .clone()
            .filter(|d| !d.trim().is_empty())
            .unwrap_or_else(|| format!("The `{wire}` field."));
        let doc = doc_attrs(Some(&text));
        let dep = deprecated_attr(f.deprecated.as_deref());
        let fty = field_type(ctx, f);
        quote! { #doc #dep #[key(#wire, #presence)] pub #fname: #fty, }
    });
    let extra = match &s.extra {
        Extra::Deny => TokenStream::new(),
        Extra::Keep(value) => {
            let ename = ident(&s.extra_name);
            let (string, value_ty) = (&ctx.std.string, ctx.ty(value));
            let doc = doc_attrs(Some(if *value == TypeRef::Json {
                "Keys the schema does not declare, kept as they came so nothing the server sends is lost."
            } else {
                "Entries beyond the declared fields (`additionalProperties`)."
            }));
            quote! { #[other_keys] #doc pub #ename: ::std::collections::BTreeMap<#string, #value_ty>, }
        }
    };
    let allow_deprecated = if s.fields.iter().any(|f| f.deprecated.is_some()) {
        quote! { #[allow(deprecated)] }
    } else {
        TokenStream::new()
    };
    let default = if s.fields.iter().any(Field::is_constructor_arg) {
        TokenStream::new()
    } else {
        quote! { Default, }
    };
    let wrap = crate::format::wrap_in_macro(quote! { forge_runtime::object });
    let mut items = vec![quote! {
        #wrap
        #head
        #[derive(Debug, Clone, #default PartialEq)]
        #allow_deprecated
        pub struct #name { #(#fields)* #extra }
    }];
    if let Some(builder) = &s.builder {
        let body = builder_methods(ctx, name, s, builder);
        items.push(quote! { #allow_deprecated impl #name { #body } });
    }
    items
}

/// The presence `forge_runtime::object!` reads and writes a field with (see its docs).
fn wire_presence(f: &Field) -> &'static str {
    match (f.presence, f.fill) {
        // A missing constant reads as the constant; a missing nullable value as `None`.
        (Presence::Required, Fill::Constant) | (Presence::Nullable, _) => "defaulted",
        (Presence::Required, _) => "required",
        (Presence::Optional, _) => "optional",
        (Presence::OptionalNullable, _) => "nullable",
    }
}

/// A constructor argument's type: a nullable field takes its `Option`, others follow the one
/// `impl Into` rule.
fn arg_type(ctx: &Ctx<'_>, f: &Field) -> TokenStream {
    if f.presence.nullable() {
        return field_type(ctx, f);
    }
    let inner = ctx.ty(&f.ty);
    match f.ty.argument() {
        Argument::Into => quote! { impl Into<#inner> },
        Argument::Value => inner,
    }
}

fn builder_methods(ctx: &Ctx<'_>, name: &Ident, s: &Struct, builder: &Builder) -> TokenStream {
    let args: Vec<&Field> = s.fields.iter().filter(|f| f.is_constructor_arg()).collect();
    let params = args.iter().map(|f| {
        let fname = ident(&f.name);
        let aty = arg_type(ctx, f);
        quote! { #fname: #aty }
    });
    let default = &ctx.std.default;
    let inits = s.fields.iter().map(|f| {
        let fname = ident(&f.name);
        if f.is_constructor_arg() {
            // Taken as it is stored, the shorthand; taken `impl Into`, converted.
            if f.presence.nullable() || f.ty.argument() == Argument::Value {
                quote! { #fname }
            } else {
                quote! { #fname: #fname.into() }
            }
        } else if f.presence.may_be_absent() {
            quote! { #fname: None }
        } else {
            quote! { #fname: #default::default() }
        }
    });
    let extra_init = match &s.extra {
        Extra::Deny => TokenStream::new(),
        Extra::Keep(_) => {
            let ename = ident(&s.extra_name);
            quote! { #ename: #default::default() }
        }
    };
    let too_many = if args.len() > 7 {
        quote! { #[allow(clippy::too_many_arguments)] }
    } else {
        TokenStream::new()
    };
    let new_doc = if args.is_empty() {
        format!("Creates a `{name}` with every field unset.")
    } else {
        let list: Vec<String> = args.iter().map(|f| format!("`{}`", f.wire)).collect();
        format!(
            "Creates a `{name}` from its required fields ({}); the optional ones start unset.",
            list.join(", ")
        )
    };
    let new_doc = doc_attrs(Some(&new_doc));
    let setters = builder.setters.iter().map(|setter| {
        let f = &s.fields[setter.field];
        let fname = ident(&f.name);
        let setter_name = ident(&setter.name);
        let summary =
            first_line(f.doc.as_deref()).unwrap_or_else(|| format!("The `{}` field.", f.wire));
        let doc = doc_attrs(Some(&format!("Sets `{}`: {summary}", f.wire)));
        let dep = deprecated_attr(f.deprecated.as_deref());
        let inner = ctx.ty(&f.ty);
        let (argument, value) = match f.ty.argument() {
            Argument::Into => (quote! { impl Into<#inner> }, quote! { value.into() }),
            Argument::Value => (inner, quote! { value }),
        };
        let store = if f.presence.nullable() {
            quote! { Some(Some(#value)) }
        } else {
            quote! { Some(#value) }
        };
        let null_setter = setter.null_name.as_ref().map(|null_name| {
            let null_name = ident(null_name);
            let ndoc = doc_attrs(Some(&format!("Sends `{}` as an explicit `null`.", f.wire)));
            quote! {
                #ndoc #dep #[must_use]
                pub fn #null_name(mut self) -> Self { self.#fname = Some(None); self }
            }
        });
        quote! {
            #doc #dep #[must_use]
            pub fn #setter_name(mut self, value: #argument) -> Self { self.#fname = #store; self }
            #null_setter
        }
    });
    let validate = if builder.validates {
        validate_fn(ctx, s)
    } else {
        TokenStream::new()
    };
    quote! {
        #new_doc
        #too_many
        pub fn new(#(#params),*) -> Self {
            Self { #(#inits,)* #extra_init }
        }
        #(#setters)*
        #validate
    }
}
