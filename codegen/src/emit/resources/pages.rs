//! `.items()`: every item of every page of a list operation, as one stream the runtime pages.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::emit::access::access;
use crate::emit::{ident, Ctx};
use crate::ir::{
    CursorSource, FieldPath, IntKind, Operation, PageScheme, Presence, ResponseKind, TypeKind,
    TypeRef,
};

/// The `impl` with `items()` for an operation that pages; nothing otherwise.
pub(super) fn items_impl(ctx: &Ctx<'_>, op: &Operation, single_ty: &TokenStream) -> TokenStream {
    let (Some(pagination), ResponseKind::Json(response)) = (&op.pagination, &op.response) else {
        return TokenStream::new();
    };
    let response_ty = ctx.ty(response);
    let item_ty = ctx.ty(&pagination.item);
    let request = if op.stream.as_ref().is_some_and(|s| s.toggle.is_some()) {
        quote! { self.request(false) }
    } else {
        quote! { self.request() }
    };
    let items = access(ctx, quote! { page }, &pagination.items);
    // How many items a page has, its last item, and whether it has none.
    let (count, last, empty) = match items.place() {
        Some(p) => (
            quote! { #p.len() },
            quote! { #p.last()? },
            quote! { #p.is_empty() },
        ),
        None => {
            let o = items.option();
            (
                quote! { #o.map_or(0, |items| items.len()) },
                quote! { #o?.last()? },
                quote! { #o.is_none_or(|items| items.is_empty()) },
            )
        }
    };
    let (state, next) = match &pagination.scheme {
        PageScheme::Cursor {
            param,
            source,
            has_more,
        } => {
            let wire = &op.param(*param).wire;
            let more = has_more.as_ref().map(|path| {
                let more = access(ctx, quote! { page }, path);
                let done = match more.place() {
                    Some(p) => quote! { !#p },
                    None => {
                        let o = more.option();
                        quote! { #o != Some(&true) }
                    }
                };
                quote! {
                    if #done {
                        return None;
                    }
                }
            });
            let cursor_of = |root: TokenStream, path: &FieldPath| {
                let value = access(ctx, root, path);
                match value.place() {
                    Some(p) => quote! { let cursor = &#p; },
                    None => {
                        let o = value.option();
                        quote! { let cursor = #o?; }
                    }
                }
            };
            let cursor = match source {
                CursorSource::Field(path) => cursor_of(quote! { page }, path),
                CursorSource::LastItem(path) => {
                    let cursor = cursor_of(quote! { last }, path);
                    quote! {
                        let last = #last;
                        #cursor
                    }
                }
            };
            (
                TokenStream::new(),
                quote! {
                    #more
                    #cursor
                    Some(forge_runtime::NextPage::Query(vec![(#wire.to_owned(), cursor.to_string())]))
                },
            )
        }
        PageScheme::Offset { param } => {
            let p = op.param(*param);
            let (state, name) = counter(p, quote! { 0 });
            let wire = &p.wire;
            (
                state,
                quote! {
                    let received = #count;
                    if received == 0 {
                        return None;
                    }
                    #name += received as u64;
                    Some(forge_runtime::NextPage::Query(vec![(#wire.to_owned(), #name.to_string())]))
                },
            )
        }
        PageScheme::PageNumber { param, first } => {
            let p = op.param(*param);
            let (state, name) = counter(p, quote! { #first });
            let wire = &p.wire;
            (
                state,
                quote! {
                    if #empty {
                        return None;
                    }
                    #name += 1;
                    Some(forge_runtime::NextPage::Query(vec![(#wire.to_owned(), #name.to_string())]))
                },
            )
        }
        PageScheme::LinkHeader => (
            TokenStream::new(),
            quote! { forge_runtime::link_next(page.headers()).map(forge_runtime::NextPage::Url) },
        ),
    };
    let take = take_items(ctx, &pagination.items);
    let state_move = if state.is_empty() {
        TokenStream::new()
    } else {
        quote! { move }
    };
    quote! {
        impl<'a> #single_ty {
            /// Every item of every page, as one stream, starting with this request's page: the
            /// next page is fetched only when the stream is read that far, and an error ends it
            /// with an error item.
            pub fn items(self) -> crate::client::Paginated<'a, #item_ty> {
                let first = #request;
                #state
                self.client.runtime().paginate(
                    first,
                    self.options,
                    #state_move |page: &forge_runtime::Response<#response_ty>| { #next },
                    |page: #response_ty| #take,
                )
            }
        }
    }
}

/// A `u64` counter starting at the request's own value of the parameter, else `default`.
fn counter(p: &crate::ir::Param, default: TokenStream) -> (TokenStream, Ident) {
    let name = ident(&p.name);
    let start = match &p.ty {
        TypeRef::Int(kind) if *kind != IntKind::Number => {
            quote! { self.#name.map_or(#default, |value| value as u64) }
        }
        _ => default,
    };
    (quote! { let mut #name: u64 = #start; }, name)
}

/// The page's items, taken by value out of the page.
fn take_items(ctx: &Ctx<'_>, path: &FieldPath) -> TokenStream {
    if path.steps.is_empty() {
        return quote! { page };
    }
    let presences: Vec<(Ident, Presence)> = path
        .steps
        .iter()
        .filter_map(|(ty, index)| match &ctx.api.ty(*ty).kind {
            TypeKind::Struct(s) => {
                let f = &s.fields[*index];
                Some((ident(&f.name), f.presence))
            }
            _ => None,
        })
        .collect();
    if presences.iter().all(|(_, p)| *p == Presence::Required) {
        let names = presences.iter().map(|(n, _)| n);
        return quote! { page #(.#names)* };
    }
    let steps = presences.iter().map(|(name, presence)| match presence {
        Presence::Required => quote! { .map(|v| v.#name) },
        Presence::Optional | Presence::Nullable => quote! { .and_then(|v| v.#name) },
        Presence::OptionalNullable => quote! { .and_then(|v| v.#name).flatten() },
    });
    quote! { Some(page) #(#steps)* .unwrap_or_default() }
}
