//! `fn request(&self)`: the `forge_runtime::Request` an operation sends, from the path template,
//! the parameters in their locations and styles, and the body in its media type.

use proc_macro2::TokenStream;
use quote::quote;

use super::wire::{is_object, to_wire};
use crate::emit::{ident, Ctx};
use crate::ir::names::{self, Scope};
use crate::ir::{
    Extra, FormArrayStyle, HttpMethod, Operation, Param, ParamId, ParamLocation, PathSegment,
    QueryStyle, RequestMedia, TypeKind, TypeRef,
};

fn method(m: HttpMethod) -> TokenStream {
    match m {
        HttpMethod::Get => quote! { GET },
        HttpMethod::Put => quote! { PUT },
        HttpMethod::Post => quote! { POST },
        HttpMethod::Delete => quote! { DELETE },
        HttpMethod::Options => quote! { OPTIONS },
        HttpMethod::Head => quote! { HEAD },
        HttpMethod::Patch => quote! { PATCH },
        HttpMethod::Trace => quote! { TRACE },
    }
}

/// The path: a literal, or `format!` over the template with each parameter's segment bound first
/// to a local of its name (`let owner = ...;` then `format!("/repos/{owner}")`), so the path reads
/// as the spec writes it. The bindings come back as statements to put before it.
fn path(ctx: &Ctx<'_>, op: &Operation) -> (Vec<TokenStream>, TokenStream) {
    // The locals share `request()`'s body with these.
    let mut scope =
        Scope::with_reserved(&["request", "streaming", "cookies", "value", "item", "key"]);
    let mut bound: Vec<(ParamId, String)> = Vec::new();
    let mut lets = Vec::new();
    let mut template = String::new();
    let mut literal = String::new();
    for segment in &op.path.segments {
        match segment {
            PathSegment::Literal(text) => {
                literal.push_str(text);
                template.push_str(&text.replace('{', "{{").replace('}', "}}"))
            }
            PathSegment::Param(id) => {
                let local = match bound.iter().find(|(b, _)| b == id) {
                    Some((_, local)) => local.clone(),
                    None => {
                        let p = op.param(*id);
                        // A format string names a local without `r#`.
                        let base = if names::needs_raw(&p.name) {
                            format!("{}_", p.name)
                        } else {
                            p.name.clone()
                        };
                        let local = scope.claim(base);
                        let (l, n) = (ident(&local), ident(&p.name));
                        let value = to_wire(ctx, &p.ty, quote! { self.#n }, ",").path_segment();
                        lets.push(quote! { let #l = #value; });
                        bound.push((*id, local.clone()));
                        local
                    }
                };
                template.push('{');
                template.push_str(&local);
                template.push('}');
            }
        }
    }
    if lets.is_empty() {
        (lets, quote! { #literal })
    } else {
        (lets, quote! { format!(#template) })
    }
}

/// `fn request(&self)` (with `streaming` when the operation has a streaming toggle).
pub(super) fn request_fn(ctx: &Ctx<'_>, op: &Operation) -> TokenStream {
    let http = method(op.http);
    let (lets, path) = path(ctx, op);
    let mut stmts = Vec::new();
    for (name, value) in &op.path.query {
        stmts.push(quote! { request = request.query(#name, #value); });
    }
    let mut has_cookies = false;
    for p in &op.params {
        if p.location == ParamLocation::Path {
            continue;
        }
        let n = ident(&p.name);
        has_cookies |= p.location == ParamLocation::Cookie;
        if p.required {
            stmts.push(add_param(ctx, p, quote! { self.#n }));
        } else {
            let add = add_param(ctx, p, quote! { value });
            stmts.push(quote! { if let Some(value) = &self.#n { #add } });
        }
    }
    if has_cookies {
        stmts.insert(0, quote! { let mut cookies: Vec<String> = Vec::new(); });
        stmts.push(quote! {
            if !cookies.is_empty() {
                request = request.header("cookie", cookies.join("; "));
            }
        });
    }
    // Only without a stream: `request()` also builds the streaming call, which asks for events.
    if let (Some(accept), None) = (&op.accept, &op.stream) {
        stmts.push(quote! { request = request.header("accept", #accept); });
    }
    if let Some(requirements) = &op.security {
        let alternatives = requirements.iter().map(|names| quote! { &[#(#names),*] });
        stmts.push(quote! { request = request.security(&[#(#alternatives),*]); });
    }
    let toggle = op.stream.as_ref().and_then(|s| s.toggle.as_ref());
    let body = op.body.as_ref().map(|body| match &body.media {
        RequestMedia::Json(vendor) => {
            let content_type = vendor.as_ref().map(|ct| {
                // `application/merge-patch+json` and friends: JSON, under the media type the
                // spec names.
                quote! { request = request.header("content-type", #ct); }
            });
            let json = match toggle {
                Some(t) => {
                    let wire = &t.wire;
                    quote! {
                        if streaming {
                            request.json_with_flag(self.body, #wire, true)
                        } else {
                            request.json(self.body)
                        }
                    }
                }
                None => quote! { request.json(self.body) },
            };
            quote! { #content_type request = #json; }
        }
        RequestMedia::Form(arrays) if arrays.is_empty() => quote! {
            request = request.body(forge_runtime::Body::Form(forge_runtime::wire::form_pairs(self.body)));
        },
        RequestMedia::Form(arrays) => {
            let arrays = arrays.iter().map(|a| {
                let wire = &a.wire;
                let style = match a.style {
                    FormArrayStyle::Repeated => quote! { Repeated },
                    FormArrayStyle::Joined => quote! { Joined },
                };
                quote! { (#wire, forge_runtime::wire::FormArray::#style) }
            });
            quote! {
                request = request.body(forge_runtime::Body::Form(forge_runtime::wire::form_pairs_with(self.body, &[#(#arrays),*])));
            }
        }
        RequestMedia::Multipart => multipart(ctx, &body.ty),
        RequestMedia::Text => quote! {
            request = request.body(forge_runtime::Body::Text(self.body.to_owned()));
        },
        RequestMedia::Binary(ct) => quote! {
            request = request.body(forge_runtime::Body::Bytes { content_type: #ct.to_owned(), data: self.body.clone() });
        },
    });
    let mutated = !stmts.is_empty() || body.is_some();
    let signature = if toggle.is_some() {
        quote! { fn request(&self, streaming: bool) -> forge_runtime::Request }
    } else {
        quote! { fn request(&self) -> forge_runtime::Request }
    };
    let new = quote! { forge_runtime::Request::new(forge_runtime::Method::#http, #path) };
    if !mutated {
        return quote! { #signature { #(#lets)* #new } };
    }
    quote! {
        #signature {
            #(#lets)*
            let mut request = #new;
            #(#stmts)*
            #body
            request
        }
    }
}

/// The statement that adds one non-path parameter whose value is `value` (a place or a
/// reference).
fn add_param(ctx: &Ctx<'_>, p: &Param, value: TokenStream) -> TokenStream {
    let wire = &p.wire;
    match p.location {
        ParamLocation::Query(style) => query(ctx, p, style, value),
        ParamLocation::Header => {
            let s = to_wire(ctx, &p.ty, value.clone(), ",").string();
            if matches!(p.ty, TypeRef::Vec(_)) {
                quote! { if !#value.is_empty() { request = request.header(#wire, #s); } }
            } else {
                quote! { request = request.header(#wire, #s); }
            }
        }
        ParamLocation::Cookie => {
            let s = to_wire(ctx, &p.ty, value, ",").format_arg();
            quote! { cookies.push(format!("{}={}", #wire, #s)); }
        }
        ParamLocation::Path => TokenStream::new(),
    }
}

fn query(ctx: &Ctx<'_>, p: &Param, style: QueryStyle, value: TokenStream) -> TokenStream {
    let wire = &p.wire;
    let spread = |helper: TokenStream| {
        quote! {
            for (key, item) in #helper {
                request = request.query_owned(key, item);
            }
        }
    };
    match (&p.ty, style) {
        (TypeRef::Vec(inner), QueryStyle::FormExploded) => {
            let item = to_wire(ctx, inner, quote! { item }, ",").string();
            quote! { for item in #value.iter() { request = request.query(#wire, #item); } }
        }
        (t, QueryStyle::DeepObject) if is_object(ctx, t) => {
            spread(quote! { forge_runtime::wire::deep_object(#wire, &#value) })
        }
        (t, QueryStyle::FormExploded) if is_object(ctx, t) => {
            spread(quote! { forge_runtime::wire::form_pairs(&#value) })
        }
        (_, QueryStyle::Json) => {
            quote! { request = request.query(#wire, forge_runtime::wire::to_json_text(&#value)); }
        }
        (t, style) => {
            let separator = match style {
                QueryStyle::SpaceDelimited => " ",
                QueryStyle::PipeDelimited => "|",
                _ => ",",
            };
            let s = to_wire(ctx, t, value, separator).string();
            quote! { request = request.query(#wire, #s); }
        }
    }
}

/// A `multipart/form-data` body: one part per field, file parts for uploads, one part per item
/// for lists. A body that is not a struct falls back to the runtime's JSON-based split.
fn multipart(ctx: &Ctx<'_>, body_ty: &TypeRef) -> TokenStream {
    let fallback = quote! {
        request = request.body(forge_runtime::Body::Multipart(forge_runtime::wire::multipart_parts(self.body)));
    };
    let TypeRef::Named(id) = body_ty else {
        return fallback;
    };
    let TypeKind::Struct(s) = &ctx.api.ty(*id).kind else {
        return fallback;
    };
    let part = |t: &TypeRef, value: TokenStream, wire: &str| -> TokenStream {
        match t {
            TypeRef::Upload => quote! { parts.push(#value.to_part(#wire)); },
            TypeRef::String => {
                quote! { parts.push(forge_runtime::Part::text(#wire, #value.clone())); }
            }
            _ => quote! {
                parts.push(forge_runtime::Part::text(#wire, forge_runtime::wire::to_plain_string(#value)));
            },
        }
    };
    let fields = s.fields.iter().map(|f| {
        let fname = ident(&f.name);
        let wire = &f.wire;
        let push = match &f.ty {
            TypeRef::Vec(inner) => {
                let one = part(inner, quote! { item }, wire);
                quote! { for item in value.iter() { #one } }
            }
            other => part(other, quote! { value }, wire),
        };
        match f.presence {
            crate::ir::Presence::Required => quote! { { let value = &self.body.#fname; #push } },
            crate::ir::Presence::Optional | crate::ir::Presence::Nullable => {
                quote! { if let Some(value) = &self.body.#fname { #push } }
            }
            crate::ir::Presence::OptionalNullable => {
                quote! { if let Some(Some(value)) = &self.body.#fname { #push } }
            }
        }
    });
    let extra = match &s.extra {
        Extra::Keep(_) => {
            let ename = ident(&s.extra_name);
            quote! {
                for (key, value) in &self.body.#ename {
                    parts.push(forge_runtime::Part::text(key.clone(), forge_runtime::wire::to_plain_string(value)));
                }
            }
        }
        Extra::Deny => TokenStream::new(),
    };
    quote! {
        let mut parts: Vec<forge_runtime::Part> = Vec::new();
        #(#fields)*
        #extra
        request = request.body(forge_runtime::Body::Multipart(parts));
    }
}
