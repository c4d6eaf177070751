//! The methods of a group (or of the client, for ungrouped operations), with their docs and
//! doc examples.

use proc_macro2::TokenStream;
use quote::quote;

use super::request::{body_type, has_mode};
use super::wire::stored_arg;
use crate::emit::doc::{doc_attrs, own_doc};
use crate::emit::{ident, type_ident, Ctx};
use crate::ir::{names, Operation, RequestMedia, TypeRef};

/// The one-response method and the streaming method of an operation.
pub(super) fn methods(ctx: &Ctx<'_>, op: &Operation) -> TokenStream {
    let grouped = op.group.is_some();
    let name = type_ident(&op.request_type);
    let mut args = Vec::new();
    let mut inits = Vec::new();
    for (_, p) in op.positional() {
        let n = ident(&p.name);
        let t = stored_arg(ctx, &p.ty);
        args.push(quote! { #n: #t });
        inits.push(quote! { #n, });
    }
    if let Some(body) = &op.body {
        let t = body_type(ctx, op).unwrap_or_default();
        match body.media {
            RequestMedia::Binary(_) => {
                args.push(quote! { body: impl Into<forge_runtime::Bytes> });
                inits.push(quote! { body: body.into(), });
            }
            _ => {
                args.push(quote! { body: #t });
                inits.push(quote! { body, });
            }
        }
    }
    for (_, p) in op.optional() {
        let n = ident(&p.name);
        inits.push(quote! { #n: None, });
    }
    let mode_init = has_mode(op).then(|| quote! { mode: ::std::marker::PhantomData, });
    let client = if grouped {
        quote! { self.client }
    } else {
        quote! { self }
    };
    // A group's handle is `impl<'a> Handle<'a>`: the request borrows the client and the
    // arguments for the one lifetime, which covariance shortens to the briefest of them.
    let (receiver, generics) = if grouped {
        (quote! { self }, TokenStream::new())
    } else {
        (quote! { &'a self }, quote! { <'a> })
    };
    let literal = quote! {
        #name {
            client: #client,
            #(#inits)*
            options: forge_runtime::RequestOptions::new(),
            #mode_init
        }
    };
    let deprecated = op.deprecated.then(|| {
        quote! { #[deprecated(note = "deprecated in the API specification")] }
    });
    let endpoint = format!("`{} {}`", op.http.as_str(), op.path.raw);
    // The spec's text, then the endpoint; an operation the spec leaves undescribed says its
    // endpoint once.
    let described = |rest: &str| match op.doc.as_deref() {
        Some(doc) => format!("{}\n\n{endpoint}{rest}", doc.trim_end()),
        None => format!("{endpoint}{rest}"),
    };
    let errors = own_doc(
        "# Errors\n\nAwaited, [`Error::Api`](forge_runtime::Error::Api) for an error status (after \
         the retries the policy allows), and the other [`Error`](crate::Error) variants for \
         connection failures, timeouts and undecodable responses.",
    );
    let mut out = TokenStream::new();
    let method = ident(&op.method);
    if op.has_single() {
        let ret = if has_mode(op) {
            quote! { #name<'a, forge_runtime::Single> }
        } else {
            quote! { #name<'a> }
        };
        let docs = doc_attrs(Some(&described("")));
        let example = example(ctx, op, &op.method, false);
        let body = literal.clone();
        out.extend(quote! {
            #docs
            ///
            #example
            ///
            #errors
            #deprecated
            pub fn #method #generics(#receiver, #(#args),*) -> #ret {
                #body
            }
        });
    }
    if op.stream.is_some() {
        let (stream_method, ret) = match &op.stream_method {
            Some(m) => (m.as_str(), quote! { #name<'a, forge_runtime::Streaming> }),
            None => (op.method.as_str(), quote! { #name<'a> }),
        };
        let toggle = op
            .stream
            .as_ref()
            .and_then(|s| s.toggle.as_ref())
            .map(|t| format!(" Sends `\"{}\": true`.", t.wire))
            .unwrap_or_default();
        let docs = doc_attrs(Some(&described(&format!(
            ", answered with server-sent events.{toggle} The status, headers and request id are \
             readable before the first item; nothing is retried once the stream has started, and \
             an error event ends the stream with an error item."
        ))));
        let example = example(ctx, op, stream_method, true);
        let smethod = ident(stream_method);
        let body = literal.clone();
        out.extend(quote! {
            #docs
            ///
            #example
            ///
            #errors
            #deprecated
            pub fn #smethod #generics(#receiver, #(#args),*) -> #ret {
                #body
            }
        });
    }
    out
}

/// A type as a user outside the crate writes it, for doc examples.
fn user_type(ctx: &Ctx<'_>, lib: &str, t: &TypeRef) -> String {
    match t {
        TypeRef::String => "String".into(),
        TypeRef::Bool => "bool".into(),
        TypeRef::Int(kind) => match kind {
            crate::ir::IntKind::I32 => "i32".into(),
            crate::ir::IntKind::I64 => "i64".into(),
            crate::ir::IntKind::U32 => "u32".into(),
            crate::ir::IntKind::U64 => "u64".into(),
            crate::ir::IntKind::Number => "serde_json::Number".into(),
        },
        TypeRef::Float => "f64".into(),
        TypeRef::Json => "serde_json::Value".into(),
        TypeRef::JsonObject => "serde_json::Map<String, serde_json::Value>".into(),
        TypeRef::Named(id) => format!("{lib}::{}", ctx.api.ty(*id).name),
        TypeRef::Vec(inner) => format!("Vec<{}>", user_type(ctx, lib, inner)),
        TypeRef::Map(inner) => format!(
            "std::collections::BTreeMap<String, {}>",
            user_type(ctx, lib, inner)
        ),
        TypeRef::Nullable(inner) => format!("Option<{}>", user_type(ctx, lib, inner)),
        TypeRef::Boxed(inner) => format!("Box<{}>", user_type(ctx, lib, inner)),
        TypeRef::Upload => "forge_runtime::Upload".into(),
    }
}

/// A `no_run` example: the call, awaited (and, for a stream, read to its end).
fn example(ctx: &Ctx<'_>, op: &Operation, method: &str, streaming: bool) -> TokenStream {
    let lib = ctx.api.crate_name.replace('-', "_");
    let mut params = vec![format!("client: {lib}::Client")];
    let mut call_args = Vec::new();
    for (_, p) in op.positional() {
        let arg = names::source_ident(&p.name);
        let (ty, pass) = match &p.ty {
            TypeRef::String => ("&str".to_owned(), arg.clone()),
            TypeRef::Int(_) | TypeRef::Float | TypeRef::Bool => {
                (user_type(ctx, &lib, &p.ty), arg.clone())
            }
            other => (user_type(ctx, &lib, other), format!("&{arg}")),
        };
        params.push(format!("{arg}: {ty}"));
        call_args.push(pass);
    }
    if let Some(body) = &op.body {
        match &body.media {
            RequestMedia::Text => {
                params.push("body: &str".into());
                call_args.push("body".into());
            }
            RequestMedia::Binary(_) => {
                params.push("body: Vec<u8>".into());
                call_args.push("body".into());
            }
            _ => {
                params.push(format!("body: {}", user_type(ctx, &lib, &body.ty)));
                call_args.push("&body".into());
            }
        }
    }
    let mut chain = Vec::new();
    let mut group = op.group;
    while let Some(g) = group {
        chain.push(format!(
            "{}().",
            names::source_ident(&ctx.api.group(g).method)
        ));
        group = ctx.api.group(g).parent;
    }
    chain.reverse();
    let accessor = format!("client.{}", chain.concat());
    let call = format!(
        "{accessor}{}({})",
        names::source_ident(method),
        call_args.join(", ")
    );
    let allow = if op.deprecated {
        "# #[allow(deprecated)]\n"
    } else {
        ""
    };
    let body = if streaming {
        format!(
            "use {lib}::StreamExt;\nlet mut stream = {call}.await?;\nwhile let Some(item) = stream.next().await {{\n    let item = item?;\n    # let _ = item;\n}}"
        )
    } else {
        format!("let response = {call}.await?;\n# let _ = response;")
    };
    let text = format!(
        "# Example\n\n```no_run\n{allow}# async fn run({}) -> Result<(), {lib}::Error> {{\n{body}\n# Ok(())\n# }}\n```",
        params.join(", ")
    );
    own_doc(&text)
}
