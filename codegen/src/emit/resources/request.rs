//! The request value of one operation: its arguments, setters for its optional parameters,
//! per-request settings, and `.await` (through `IntoFuture`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::build::request_fn;
use super::wire::stored_arg;
use crate::emit::doc::doc_attrs;
use crate::emit::{ident, type_ident, Ctx};
use crate::ir::{Argument, EventAction, Operation, RequestMedia, ResponseKind};

/// Whether the request value has a mode parameter (`Single` or `Streaming`).
pub(super) fn has_mode(op: &Operation) -> bool {
    op.stream.is_some() && op.has_single()
}

/// The type the body is stored as.
pub(super) fn body_type(ctx: &Ctx<'_>, op: &Operation) -> Option<TokenStream> {
    let body = op.body.as_ref()?;
    Some(match &body.media {
        RequestMedia::Text => quote! { &'a str },
        RequestMedia::Binary(_) => quote! { forge_runtime::Bytes },
        _ => {
            let t = ctx.ty(&body.ty);
            quote! { &'a #t }
        }
    })
}

/// The value a single response decodes to.
pub(super) fn output_type(ctx: &Ctx<'_>, op: &Operation) -> TokenStream {
    match &op.response {
        ResponseKind::Json(t) => ctx.ty(t),
        ResponseKind::JsonLines(t) => {
            let t = ctx.ty(t);
            let vec = &ctx.std.vec;
            quote! { #vec<#t> }
        }
        ResponseKind::Text => quote! { String },
        ResponseKind::Bytes => quote! { forge_runtime::Bytes },
        ResponseKind::Empty => quote! { () },
    }
}

pub(super) fn request_type(ctx: &Ctx<'_>, op: &Operation) -> TokenStream {
    let name = type_ident(&op.request_type);
    let mode = has_mode(op);
    let (generics, impl_generics, mode_field) = if mode {
        (
            quote! { <'a, M = forge_runtime::Single> },
            quote! { <'a, M> },
            quote! { mode: ::std::marker::PhantomData<M>, },
        )
    } else {
        (quote! { <'a> }, quote! { <'a> }, TokenStream::new())
    };
    let self_ty = if mode {
        quote! { #name<'a, M> }
    } else {
        quote! { #name<'a> }
    };
    let mut fields = vec![quote! { client: &'a crate::client::Client, }];
    for (_, p) in op.positional() {
        let n = ident(&p.name);
        let t = stored_arg(ctx, &p.ty);
        fields.push(quote! { #n: #t, });
    }
    if let Some(t) = body_type(ctx, op) {
        fields.push(quote! { body: #t, });
    }
    for (_, p) in op.optional() {
        let n = ident(&p.name);
        let t = ctx.ty(&p.ty);
        fields.push(quote! { #n: Option<#t>, });
    }
    let setters = op.optional().map(|(_, p)| {
        let n = ident(&p.name);
        let t = ctx.ty(&p.ty);
        let mut text = p
            .doc
            .clone()
            .filter(|d| !d.trim().is_empty())
            .unwrap_or_else(|| format!("The `{}` {} parameter.", p.wire, p.location.word()));
        if let Some(default) = &p.default {
            text = format!(
                "{}\n\nThe server's default is `{default}`.",
                text.trim_end()
            );
        }
        let doc = doc_attrs(Some(&text));
        let dep = p
            .deprecated
            .as_ref()
            .map(|note| quote! { #[deprecated(note = #note)] })
            .unwrap_or_default();
        let (arg, value) = match p.ty.argument() {
            Argument::Into => (quote! { impl Into<#t> }, quote! { value.into() }),
            Argument::Value => (t, quote! { value }),
        };
        quote! {
            #doc
            #dep
            pub fn #n(mut self, value: #arg) -> Self {
                self.#n = Some(#value);
                self
            }
        }
    });
    let build = request_fn(ctx, op);
    let futures = futures(ctx, op, &name, &impl_generics);
    let doc = doc_attrs(Some(&format!(
        "A `{}` request: set optional parameters and per-request settings with its methods, \
         then `.await` it.",
        op.id
    )));
    quote! {
        #doc
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is awaited"]
        pub struct #name #generics {
            #(#fields)*
            options: forge_runtime::RequestOptions,
            #mode_field
        }

        impl #impl_generics #self_ty {
            #(#setters)*

            #build
        }

        #futures
    }
}

/// The shared methods (through the runtime's `request_value!`), `items()` for an operation that
/// pages, and the streaming `IntoFuture`.
fn futures(
    ctx: &Ctx<'_>,
    op: &Operation,
    name: &proc_macro2::Ident,
    impl_generics: &TokenStream,
) -> TokenStream {
    let toggled = op.stream.as_ref().is_some_and(|s| s.toggle.is_some());
    let generics = if has_mode(op) {
        quote! { #name<'a, M> }
    } else {
        quote! { #name<'a> }
    };
    let wrap = crate::format::wrap_in_macro(quote! { forge_runtime::request_value });
    let mut out = if op.has_single() {
        let output = output_type(ctx, op);
        let send = match &op.response {
            ResponseKind::Json(_) => quote! { send_json },
            ResponseKind::JsonLines(_) => quote! { send_json_lines },
            ResponseKind::Text => quote! { send_text },
            ResponseKind::Bytes => quote! { send_bytes },
            ResponseKind::Empty => quote! { send_empty },
        };
        let send = if toggled {
            quote! { #send(false) }
        } else {
            send
        };
        let result = &ctx.std.result;
        quote! {
            #wrap
            #[#send]
            type #generics = #result<#output, crate::client::Error>;
        }
    } else {
        quote! {
            #wrap
            impl #impl_generics #generics {}
        }
    };
    if op.has_single() {
        let single_ty = if has_mode(op) {
            quote! { #name<'a, forge_runtime::Single> }
        } else {
            quote! { #name<'a> }
        };
        out.extend(super::pages::items_impl(ctx, op, &single_ty));
    }
    if let (Some(stream), Some(events)) = (&op.stream, &op.events_static) {
        let item = ctx.ty(&stream.item);
        let events = format_ident!("{}", events);
        let stream_ty = if has_mode(op) {
            quote! { #name<'a, forge_runtime::Streaming> }
        } else {
            quote! { #name<'a> }
        };
        let request = if toggled {
            quote! { self.request(true) }
        } else {
            quote! { self.request() }
        };
        let action = |a: EventAction| match a {
            EventAction::Yield => quote! { forge_runtime::EventAction::Yield },
            EventAction::Skip => quote! { forge_runtime::EventAction::Skip },
            EventAction::Error => quote! { forge_runtime::EventAction::Error },
        };
        let list = stream.events.iter().map(|(event, a)| {
            let a = action(*a);
            quote! { (#event, #a) }
        });
        let otherwise = action(stream.otherwise);
        let events_doc = format!(" What each server-sent event of `{}` means.", op.id);
        out.extend(quote! {
            #[doc = #events_doc]
            static #events: forge_runtime::StreamEvents = forge_runtime::StreamEvents {
                events: &[#(#list),*],
                otherwise: #otherwise,
            };

            impl<'a> ::std::future::IntoFuture for #stream_ty {
                type Output = Result<crate::client::EventStream<#item>, crate::client::Error>;
                type IntoFuture = forge_runtime::BoxFuture<'a, Self::Output>;

                fn into_future(self) -> Self::IntoFuture {
                    Box::pin(async move {
                        let request = #request;
                        self.client.runtime().send_stream(request, self.options, &#events).await
                    })
                }
            }
        });
    }
    out
}
