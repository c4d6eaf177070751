//! `src/client.rs`: the client, its builder, operation groups and one method family per
//! operation. Everything API-specific is compiled into a `static ApiDescription` that the
//! hand-written runtime reads.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::doc::{doc_attrs, doc_or, own_doc};
use super::{ident, ty, type_ident, Unit};
use crate::ir::names;
use crate::ir::{
    Api, AuthLocation, BodyKind, Operation, Param, ParamLocation, ResponseKind, StreamAction,
    TypeKind, TypeRef,
};

/// Options structs per rendering unit.
const OPTIONS_PER_UNIT: usize = 64;

fn lib_ident(api: &Api) -> Ident {
    format_ident!("{}", api.crate_name.replace('-', "_"))
}

/// `src/client.rs`, as independent units: the head (error types, API description, client,
/// builder), one unit per operation group, the ungrouped operations, and the options structs.
pub fn units(api: &Api) -> Vec<Unit<'_>> {
    let mut units = vec![Unit::new(move || head(api))];
    for index in 0..api.groups.len() {
        units.push(Unit::new(move || group(api, index)));
    }
    units.push(Unit::new(move || ungrouped(api)));
    let with_options: Vec<usize> = (0..api.operations.len())
        .filter(|i| has_options(&api.operations[*i]))
        .collect();
    for chunk in with_options.chunks(OPTIONS_PER_UNIT) {
        let chunk = chunk.to_vec();
        units.push(Unit::new(move || {
            let items = chunk
                .iter()
                .filter_map(|i| options_struct(api, &api.operations[*i]));
            quote! { #(#items)* }
        }));
    }
    units
}

fn head(api: &Api) -> TokenStream {
    let lib = lib_ident(api);
    let (error_alias, envelope_impl) = error_types(api);
    let description = api_description(api);
    let client = client_struct(api, &lib);
    let builder = builder(api);
    let streams = api.operations.iter().filter_map(stream_events);
    quote! {
        //! The client: configuration, and one method family per operation of the spec.
        #![allow(deprecated, unused_imports, clippy::too_many_arguments)]
        use crate::types::*;
        pub use forge_runtime::{RawResponse, RequestOptions};
        pub use forge_runtime::validation::{ValidationError, Violation};

        #error_alias
        #envelope_impl
        #description
        #(#streams)*
        #client
        #builder
    }
}

fn ungrouped(api: &Api) -> TokenStream {
    let lib = lib_ident(api);
    let ungrouped: Vec<TokenStream> = api
        .operations
        .iter()
        .filter(|op| op.group.is_none())
        .map(|op| operation(api, op, &lib, quote! { self }))
        .collect();
    if ungrouped.is_empty() {
        TokenStream::new()
    } else {
        quote! { #[allow(deprecated)] impl Client { #(#ungrouped)* } }
    }
}

fn group(api: &Api, index: usize) -> TokenStream {
    let lib = lib_ident(api);
    let g = &api.groups[index];
    {
        let name = type_ident(&g.type_name);
        let method = ident(&g.method);
        let docs = doc_or(g.doc.as_deref(), &format!("Operations tagged `{}`.", g.tag));
        let methods = api
            .operations
            .iter()
            .filter(|op| op.group == Some(index))
            .map(|op| operation(api, op, &lib, quote! { self.client }));
        let accessor_doc = doc_attrs(Some(&format!("Operations tagged `{}`.", g.tag)));
        quote! {
            #docs
            #[derive(Debug, Clone, Copy)]
            pub struct #name<'a> {
                client: &'a Client,
            }

            impl Client {
                #accessor_doc
                pub fn #method(&self) -> #name<'_> {
                    #name { client: self }
                }
            }

            #[allow(deprecated)]
            impl #name<'_> {
                #(#methods)*
            }
        }
    }
}

fn error_types(api: &Api) -> (TokenStream, TokenStream) {
    let Some(envelope) = &api.error_envelope else {
        return (
            quote! {
                /// Every way a call can fail. Error bodies are kept as JSON: the spec declares no
                /// error envelope.
                pub type Error = forge_runtime::Error<serde_json::Value>;
                /// An error status from the API.
                pub type ApiError = forge_runtime::ApiError<serde_json::Value>;
                /// The items of a server-sent event stream.
                pub type EventStream<T> = forge_runtime::EventStream<T, serde_json::Value>;
                pub use forge_runtime::ApiErrorKind;
            },
            TokenStream::new(),
        );
    };
    let name = type_ident(&api.types[envelope.ty].name);
    let (type_ty, type_body) = match &envelope.error_type {
        Some((path, t)) => {
            let access = field_access(api, envelope.ty, path);
            match t {
                TypeRef::Named(id) => {
                    let tn = type_ident(&api.types[*id].name);
                    (quote! { #tn }, access.cloned())
                }
                _ => {
                    let access = access.option();
                    (
                        quote! { String },
                        quote! { #access.map(ToString::to_string) },
                    )
                }
            }
        }
        None => (quote! { String }, quote! { None }),
    };
    let str_access = |p: &Option<(Vec<String>, TypeRef)>| match p {
        Some((path, _)) => field_access(api, envelope.ty, path).into_str(),
        None => quote! { None },
    };
    let message = str_access(&envelope.message);
    let request_id = str_access(&envelope.request_id);
    (
        quote! {
            /// Every way a call can fail: an API error status (with the parsed envelope, its error
            /// type, message and request id), a connection failure, a timeout, a response that did
            /// not decode, a stream fault, or a request the caller built wrong.
            pub type Error = forge_runtime::Error<#name>;
            /// An error status from the API, or an `error` event in a stream.
            pub type ApiError = forge_runtime::ApiError<#name>;
            /// The items of a server-sent event stream, with the status, headers and request id
            /// readable before the first item.
            pub type EventStream<T> = forge_runtime::EventStream<T, #name>;
            pub use forge_runtime::ApiErrorKind;
        },
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
        },
    )
}

/// How a value along a field path is reached.
enum Access {
    /// A plain place expression (`self.error.message`): every step was required.
    Place(TokenStream),
    /// `place.as_ref()` of one optional field, which `as_deref` can shorten.
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
    fn into_str(self) -> TokenStream {
        match self {
            Access::Place(p) => quote! { Some(#p.as_str()) },
            Access::OptionalField(p) => quote! { #p.as_deref() },
            Access::Chain(c) => quote! { #c.map(String::as_str) },
        }
    }
}

/// The value at a field path of `self`, tolerating optional and nullable fields anywhere.
fn field_access(api: &Api, mut id: usize, path: &[String]) -> Access {
    let mut access = Access::Place(quote! { self });
    for name in path {
        let TypeKind::Struct(s) = &api.types[id].kind else {
            break;
        };
        let Some(field) = s.fields.iter().find(|f| &f.name == name) else {
            break;
        };
        let fname = ident(name);
        let optional = !field.required || field.nullable;
        let double = !field.required && field.nullable;
        access = match (access, optional, double) {
            (Access::Place(p), false, _) => Access::Place(quote! { #p.#fname }),
            (Access::Place(p), true, false) => Access::OptionalField(quote! { #p.#fname }),
            (Access::Place(p), true, true) => {
                Access::Chain(quote! { #p.#fname.as_ref().and_then(|v| v.as_ref()) })
            }
            (other, false, _) => {
                let c = other.option();
                Access::Chain(quote! { #c.map(|v| &v.#fname) })
            }
            (other, true, false) => {
                let c = other.option();
                Access::Chain(quote! { #c.and_then(|v| v.#fname.as_ref()) })
            }
            (other, true, true) => {
                let c = other.option();
                Access::Chain(
                    quote! { #c.and_then(|v| v.#fname.as_ref()).and_then(|v| v.as_ref()) },
                )
            }
        };
        if let TypeRef::Named(next) = field.ty {
            id = next;
        }
    }
    access
}

fn api_description(api: &Api) -> TokenStream {
    let c = &api.client;
    let client_name = &c.client_name;
    let base = &c.default_base_url;
    let auth = c.auth.iter().map(|a| {
        let scheme = &a.scheme;
        let location = match &a.location {
            AuthLocation::Header { name, prefix } => {
                quote! { forge_runtime::AuthLocation::Header { name: #name, prefix: #prefix } }
            }
            AuthLocation::Query(name) => {
                quote! { forge_runtime::AuthLocation::Query { name: #name } }
            }
            AuthLocation::Cookie(name) => {
                quote! { forge_runtime::AuthLocation::Cookie { name: #name } }
            }
        };
        let env = opt_str(a.env.as_deref());
        quote! { forge_runtime::AuthScheme { name: #scheme, location: #location, env: #env } }
    });
    let required = c.auth_required;
    let headers = c.default_headers.iter().map(|(k, v)| quote! { (#k, #v) });
    let retry = opt_str(c.retry_count_header.as_deref());
    let request_id = opt_str(c.request_id_header.as_deref());
    let env_base = opt_str(c.env_base_url.as_deref());
    let env_headers = opt_str(c.env_custom_headers.as_deref());
    quote! {
        /// What the runtime needs to know about this API, from the spec and its generator settings.
        static API: forge_runtime::ApiDescription = forge_runtime::ApiDescription {
            client_name: #client_name,
            crate_version: env!("CARGO_PKG_VERSION"),
            default_base_url: #base,
            auth: &[#(#auth),*],
            auth_required: #required,
            default_headers: &[#(#headers),*],
            retry_count_header: #retry,
            request_id_header: #request_id,
            env: forge_runtime::EnvNames { base_url: #env_base, custom_headers: #env_headers },
        };
    }
}

fn opt_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(v) => quote! { Some(#v) },
        None => quote! { None },
    }
}

fn env_sentence(api: &Api) -> String {
    let mut vars: Vec<String> = api
        .client
        .auth
        .iter()
        .filter_map(|a| a.env.as_ref().map(|e| format!("`{e}`")))
        .collect();
    vars.extend(api.client.env_base_url.iter().map(|e| format!("`{e}`")));
    vars.extend(
        api.client
            .env_custom_headers
            .iter()
            .map(|e| format!("`{e}` (one `Name: value` per line)")),
    );
    if vars.is_empty() {
        "This API names no environment variables.".to_owned()
    } else {
        format!(
            "Reads {}; an empty variable counts as unset.",
            vars.join(", ")
        )
    }
}

fn client_struct(api: &Api, lib: &Ident) -> TokenStream {
    let title = &api.title;
    let doc = doc_attrs(Some(&format!(
        "A client for the {title}.\n\nCheap to clone: clones share one connection pool and one \
         configuration. `Send + Sync`, so one client can serve many tasks.\n\n\
         Defaults: base URL `{}`, a 600 s timeout per attempt, 2 retries with backoff.",
        api.client.default_base_url
    )));
    let new_fn = match api.client.auth.first() {
        Some(first) => {
            let method = ident(&first.method);
            let doc = doc_attrs(Some(&format!(
                "A client that sends `credential` as its `{}` and reads nothing from the environment.\n\n\
                 # Errors\n\nA configuration error if the credential cannot be sent in a header \
                 (it contains a line break).",
                first.scheme
            )));
            quote! {
                #doc
                pub fn new(credential: impl Into<String>) -> Result<Self, Error> {
                    Self::builder().#method(credential).build()
                }
            }
        }
        None => quote! {
            /// A client with the default configuration.
            ///
            /// # Errors
            ///
            /// A configuration error if the default base URL does not parse.
            pub fn new() -> Result<Self, Error> {
                Self::builder().build()
            }
        },
    };
    let env_doc = doc_attrs(Some(&format!(
        "A client configured from the environment. {}\n\n# Errors\n\nA configuration error for an \
         unparsable variable or base URL.",
        env_sentence(api)
    )));
    let example = format!(
        "```no_run\n# async fn run() -> Result<(), {lib}::Error> {{\nlet client = {lib}::Client::from_env()?;\n# let _ = client;\n# Ok(())\n# }}\n```"
    );
    let example = doc_attrs(Some(&example));
    quote! {
        #doc
        ///
        #example
        #[derive(Clone, Debug)]
        pub struct Client {
            inner: forge_runtime::Client,
        }

        impl Client {
            #new_fn

            #env_doc
            pub fn from_env() -> Result<Self, Error> {
                Self::builder().from_env().build()
            }

            /// A builder for every other setting.
            pub fn builder() -> ClientBuilder {
                ClientBuilder { inner: forge_runtime::Client::builder(&API) }
            }

            /// The base URL requests go to.
            pub fn base_url(&self) -> &str {
                self.inner.base_url()
            }

            /// The hand-written runtime client underneath, for requests the spec does not describe.
            pub fn runtime(&self) -> &forge_runtime::Client {
                &self.inner
            }
        }
    }
}

fn builder(api: &Api) -> TokenStream {
    let creds = api.client.auth.iter().map(|a| {
        let method = ident(&a.method);
        let scheme = &a.scheme;
        let where_ = match &a.location {
            AuthLocation::Header { name, prefix } if prefix.is_empty() => format!("the `{name}` header"),
            AuthLocation::Header { name, prefix } => format!("the `{name}` header as `{prefix}<credential>`"),
            AuthLocation::Query(name) => format!("the `{name}` query parameter"),
            AuthLocation::Cookie(name) => format!("the `{name}` cookie"),
        };
        let env = a.env.as_ref().map(|e| format!(" Wins over `{e}`.")).unwrap_or_default();
        let text = match &a.doc {
            Some(d) => format!("{}\n\nSent in {where_} (scheme `{scheme}`).{env} Never printed by `Debug` or errors.", d.trim()),
            None => format!("Sent in {where_} (scheme `{scheme}`).{env} Never printed by `Debug` or errors."),
        };
        let doc = doc_attrs(Some(&text));
        quote! {
            #doc
            #[must_use]
            pub fn #method(self, credential: impl Into<String>) -> Self {
                ClientBuilder { inner: self.inner.credential(#scheme, credential.into()) }
            }
        }
    });
    let env_doc = doc_attrs(Some(&format!(
        "Reads the environment for whatever was not set explicitly (explicit values always win). {}",
        env_sentence(api)
    )));
    quote! {
        /// Configures a [`Client`]: explicit values win over environment variables, which win over
        /// defaults.
        #[derive(Debug)]
        pub struct ClientBuilder {
            inner: forge_runtime::ClientBuilder,
        }

        impl ClientBuilder {
            #(#creds)*

            #env_doc
            #[must_use]
            pub fn from_env(self) -> Self {
                ClientBuilder { inner: self.inner.from_env() }
            }

            /// The base URL; a path prefix is kept.
            #[must_use]
            pub fn base_url(self, url: impl Into<String>) -> Self {
                ClientBuilder { inner: self.inner.base_url(url) }
            }

            /// Time limit per attempt (default 600 s). For streams it bounds the wait for headers
            /// and then each gap between chunks.
            #[must_use]
            pub fn timeout(self, timeout: std::time::Duration) -> Self {
                ClientBuilder { inner: self.inner.timeout(timeout) }
            }

            /// Time limit to connect (default 5 s).
            #[must_use]
            pub fn connect_timeout(self, timeout: std::time::Duration) -> Self {
                ClientBuilder { inner: self.inner.connect_timeout(timeout) }
            }

            /// Retries after the first attempt (default 2).
            #[must_use]
            pub fn max_retries(self, retries: u32) -> Self {
                ClientBuilder { inner: self.inner.max_retries(retries) }
            }

            /// A header sent with every request; per-request headers still win.
            #[must_use]
            pub fn default_header(self, name: impl Into<String>, value: impl Into<String>) -> Self {
                ClientBuilder { inner: self.inner.default_header(name, value) }
            }

            /// Replaces the `User-Agent` header.
            #[must_use]
            pub fn user_agent(self, user_agent: impl Into<String>) -> Self {
                ClientBuilder { inner: self.inner.user_agent(user_agent) }
            }

            /// Uses your own `reqwest::Client` (proxies, TLS roots, pools).
            #[must_use]
            pub fn http_client(self, client: forge_runtime::reqwest::Client) -> Self {
                ClientBuilder { inner: self.inner.http_client(client) }
            }

            /// The largest server-sent event accepted (default 16 MiB); a larger one ends the
            /// stream with an error instead of growing memory without bound.
            #[must_use]
            pub fn max_event_size(self, bytes: usize) -> Self {
                ClientBuilder { inner: self.inner.max_event_size(bytes) }
            }

            #[doc(hidden)]
            #[must_use]
            pub fn backoff_scale(self, factor: f64) -> Self {
                ClientBuilder { inner: self.inner.backoff_scale(factor) }
            }

            /// Builds the client.
            ///
            /// # Errors
            ///
            /// A configuration error for a bad base URL, header or environment variable.
            pub fn build(self) -> Result<Client, Error> {
                self.inner.build().map(|inner| Client { inner }).map_err(forge_runtime::Error::convert)
            }
        }
    }
}

fn stream_events(op: &Operation) -> Option<TokenStream> {
    let stream = op.stream.as_ref()?;
    let name = events_static(op);
    let action = |a: StreamAction| match a {
        StreamAction::Yield => quote! { forge_runtime::EventAction::Yield },
        StreamAction::Skip => quote! { forge_runtime::EventAction::Skip },
        StreamAction::Error => quote! { forge_runtime::EventAction::Error },
    };
    let events = stream.events.iter().map(|(event, a)| {
        let a = action(*a);
        quote! { (#event, #a) }
    });
    let otherwise = action(stream.otherwise);
    let doc = doc_attrs(Some(&format!(
        "What each server-sent event of `{}` means.",
        op.id
    )));
    Some(quote! {
        #doc
        static #name: forge_runtime::StreamEvents = forge_runtime::StreamEvents {
            events: &[#(#events),*],
            otherwise: #otherwise,
        };
    })
}

fn events_static(op: &Operation) -> Ident {
    format_ident!(
        "{}_EVENTS",
        heck::ToShoutySnakeCase::to_shouty_snake_case(op.options_type.as_str())
    )
}

fn has_options(op: &Operation) -> bool {
    op.optional().next().is_some()
}

fn options_type(op: &Operation) -> TokenStream {
    if has_options(op) {
        let name = type_ident(&op.options_type);
        quote! { #name }
    } else {
        quote! { RequestOptions }
    }
}

fn options_struct(api: &Api, op: &Operation) -> Option<TokenStream> {
    if !has_options(op) {
        return None;
    }
    let name = type_ident(&op.options_type);
    let fields = op.optional().map(|p| {
        let fname = ident(&p.name);
        let pty = ty(api, &p.ty);
        let mut text = p
            .doc
            .clone()
            .filter(|d| !d.trim().is_empty())
            .unwrap_or_else(|| {
                format!("The `{}` {} parameter.", p.wire, location_word(p.location))
            });
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
            .map(|n| quote! { #[deprecated(note = #n)] })
            .unwrap_or_default();
        quote! { #doc #dep pub #fname: Option<#pty>, }
    });
    let setters = op.optional().map(|p| {
        let fname = ident(&p.name);
        let pty = ty(api, &p.ty);
        let doc = doc_attrs(Some(&format!(
            "Sets the `{}` {} parameter.",
            p.wire,
            location_word(p.location)
        )));
        let (arg, value) = match &p.ty {
            TypeRef::String | TypeRef::Named(_) | TypeRef::Vec(_) | TypeRef::Bytes => {
                (quote! { impl Into<#pty> }, quote! { value.into() })
            }
            _ => (pty, quote! { value }),
        };
        quote! {
            #doc
            #[must_use]
            pub fn #fname(mut self, value: #arg) -> Self {
                self.#fname = Some(#value);
                self
            }
        }
    });
    let method = format!("{}_with", op.method);
    let doc = doc_attrs(Some(&format!(
        "Optional parameters of `{}` and per-request settings, for the `{method}` methods.",
        op.id
    )));
    let any_deprecated = op.optional().any(|p| p.deprecated.is_some());
    let allow = if any_deprecated {
        quote! { #[allow(deprecated)] }
    } else {
        TokenStream::new()
    };
    Some(quote! {
        #doc
        #[derive(Debug, Clone, Default)]
        #allow
        pub struct #name {
            #(#fields)*
            /// Timeout, retries, extra headers, query parameters and body fields for this request.
            pub request: RequestOptions,
        }

        #allow
        impl #name {
            #(#setters)*

            /// Per-request settings (timeout, retries, extra headers, query and body fields).
            #[must_use]
            pub fn request(mut self, request: RequestOptions) -> Self {
                self.request = request;
                self
            }
        }

        impl From<RequestOptions> for #name {
            fn from(request: RequestOptions) -> Self {
                Self { request, ..Self::default() }
            }
        }
    })
}

fn location_word(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

/// The argument type of a positional parameter.
fn param_arg(api: &Api, p: &Param) -> TokenStream {
    match &p.ty {
        TypeRef::String => quote! { &str },
        TypeRef::Int(_) | TypeRef::Float(_) | TypeRef::Bool => ty(api, &p.ty),
        other => {
            let t = ty(api, other);
            quote! { &#t }
        }
    }
}

/// Code that renders a parameter value (`value`, a reference or copy) as a string.
/// A parameter value as text, in the cheapest form its type allows.
enum Wire {
    /// Already a `&str` (or `&String`).
    Str(TokenStream),
    /// Implements `Display` (numbers, booleans).
    Display(TokenStream),
    /// A freshly made `String`.
    Owned(TokenStream),
}

impl Wire {
    /// An expression usable where `&str` is expected.
    fn as_str_arg(&self) -> TokenStream {
        match self {
            Wire::Str(e) => e.clone(),
            Wire::Display(e) => quote! { &#e.to_string() },
            Wire::Owned(e) => quote! { &#e },
        }
    }

    /// An expression usable as `impl Into<String>`.
    fn string_arg(&self) -> TokenStream {
        match self {
            Wire::Str(e) | Wire::Owned(e) => e.clone(),
            Wire::Display(e) => quote! { #e.to_string() },
        }
    }

    /// An expression usable as `impl ToString` or in `format!`.
    fn display_arg(&self) -> TokenStream {
        match self {
            Wire::Str(e) | Wire::Display(e) | Wire::Owned(e) => e.clone(),
        }
    }
}

/// Renders a parameter value (`value` is a reference, or a copy for numbers) for the wire.
fn to_wire(api: &Api, t: &TypeRef, value: TokenStream) -> Wire {
    match t {
        TypeRef::String => Wire::Str(value),
        TypeRef::Int(_) | TypeRef::Float(_) | TypeRef::Bool => Wire::Display(value),
        TypeRef::Named(id) => match &api.types[*id].kind {
            TypeKind::OpenEnum(_) | TypeKind::ClosedEnum(_) | TypeKind::Const(_) => {
                Wire::Str(quote! { #value.as_str() })
            }
            TypeKind::Alias(inner) if !matches!(inner, TypeRef::Named(_)) => {
                to_wire(api, inner, value)
            }
            _ => Wire::Owned(quote! { forge_runtime::wire::to_plain_string(&#value) }),
        },
        TypeRef::Vec(inner) => {
            let item = match inner.as_ref() {
                TypeRef::String => quote! { item.as_str() },
                other => to_wire(api, other, quote! { item }).string_arg(),
            };
            Wire::Owned(quote! { #value.iter().map(|item| #item).collect::<Vec<_>>().join(",") })
        }
        _ => Wire::Owned(quote! { forge_runtime::wire::to_plain_string(&#value) }),
    }
}

fn operation(api: &Api, op: &Operation, lib: &Ident, client: TokenStream) -> TokenStream {
    let method = ident(&op.method);
    let with = ident(&names::suffixed(&op.method, "_with"));
    let raw = ident(&names::suffixed(&op.method, "_raw"));
    let opts_ty = options_type(op);
    let positional: Vec<&Param> = op.positional().collect();
    let args: Vec<TokenStream> = positional
        .iter()
        .map(|p| {
            let n = ident(&p.name);
            let t = param_arg(api, p);
            quote! { #n: #t }
        })
        .collect();
    let arg_names: Vec<TokenStream> = positional
        .iter()
        .map(|p| {
            let n = ident(&p.name);
            quote! { #n }
        })
        .collect();
    let (body_arg, body_name) = match &op.body {
        Some(b) => {
            let t = match b.kind {
                BodyKind::Text => quote! { &str },
                BodyKind::Binary => quote! { &[u8] },
                _ => {
                    let t = ty(api, &b.ty);
                    quote! { &#t }
                }
            };
            (quote! { body: #t, }, quote! { body, })
        }
        None => (TokenStream::new(), TokenStream::new()),
    };
    let build = build_request(api, op, false);
    let (value_ty, send) = match &op.response {
        ResponseKind::Json(t) => {
            let t = ty(api, t);
            (
                t.clone(),
                quote! { #client.inner.send_json::<#t, _>(request, &options).await },
            )
        }
        ResponseKind::Empty => (
            quote! { () },
            quote! { #client.inner.send_empty(request, &options).await },
        ),
        ResponseKind::Text => (
            quote! { String },
            quote! {
                #client.inner.send_bytes(request, &options).await
                    .map(|raw| raw.map(|bytes| String::from_utf8_lossy(&bytes).into_owned()))
            },
        ),
        ResponseKind::Bytes => (
            quote! { forge_runtime::Bytes },
            quote! { #client.inner.send_bytes(request, &options).await },
        ),
    };
    let base_doc = op
        .doc
        .clone()
        .unwrap_or_else(|| format!("`{} {}`", op.http_method, op.path));
    let docs = doc_attrs(Some(&format!(
        "{}\n\n`{} {}`",
        base_doc.trim_end(),
        op.http_method,
        op.path
    )));
    let deprecated = if op.deprecated {
        quote! { #[deprecated(note = "deprecated in the API specification")] }
    } else {
        TokenStream::new()
    };
    let accessor = match op.group {
        Some(g) => {
            let m = names::source_ident(&api.groups[g].method);
            format!("client.{m}().")
        }
        None => "client.".to_owned(),
    };
    let example_args = |extra: &str| {
        let mut list: Vec<String> = positional
            .iter()
            .map(|p| match param_arg(api, p).to_string().as_str() {
                s if s.starts_with('&') => format!("&{}", names::source_ident(&p.name)),
                _ => names::source_ident(&p.name).to_owned(),
            })
            .collect();
        if op.body.is_some() {
            list.push("&body".to_owned());
        }
        if !extra.is_empty() {
            list.push(extra.to_owned());
        }
        list.join(", ")
    };
    let example_params = {
        let mut list: Vec<String> = vec![format!("client: {lib}::Client")];
        for p in &positional {
            let t = match &p.ty {
                TypeRef::String => "String".to_owned(),
                other => qualify(api, lib, other),
            };
            list.push(format!("{}: {t}", names::source_ident(&p.name)));
        }
        if let Some(b) = &op.body {
            let t = match b.kind {
                BodyKind::Text => "String".to_owned(),
                BodyKind::Binary => "Vec<u8>".to_owned(),
                _ => qualify(api, lib, &b.ty),
            };
            list.push(format!("body: {t}"));
        }
        list.join(", ")
    };
    let call = format!(
        "{accessor}{}({})",
        names::source_ident(&op.method),
        example_args("")
    );
    let allow_deprecated_example = if op.deprecated {
        "#![allow(deprecated)]\n"
    } else {
        ""
    };
    let example = format!(
        "# Example\n\n```no_run\n{allow_deprecated_example}# async fn run({example_params}) -> Result<(), {lib}::Error> {{\nlet response = {call}.await?;\n# let _ = response;\n# Ok(())\n# }}\n```"
    );
    let example = doc_attrs(Some(&example));
    let errors = own_doc(
        "# Errors\n\n[`Error::Api`](forge_runtime::Error::Api) for an error status (after the retries the \
         policy allows), and the other [`Error`] variants for connection failures, timeouts and \
         undecodable responses.",
    );
    let with_doc = own_doc(&format!(
        "Like [`Self::{}`], with optional parameters and per-request settings.",
        names::source_ident(&op.method)
    ));
    let raw_doc = own_doc(&format!(
        "Like [`Self::{}`], returning the value with the status, headers, request id and retries taken.",
        with
    ));
    let main_is_stream = op.stream.as_ref().is_some_and(|s| s.only);
    let mut out = TokenStream::new();
    if !main_is_stream {
        out.extend(quote! {
            #docs
            ///
            #example
            ///
            #errors
            #deprecated
            pub async fn #method(&self, #(#args,)* #body_arg) -> Result<#value_ty, Error> {
                self.#with(#(#arg_names,)* #body_name #opts_ty::default()).await
            }

            #with_doc
            ///
            #errors
            #deprecated
            pub async fn #with(&self, #(#args,)* #body_arg options: impl Into<#opts_ty>) -> Result<#value_ty, Error> {
                self.#raw(#(#arg_names,)* #body_name options).await.map(RawResponse::into_value)
            }

            #raw_doc
            ///
            #errors
            #deprecated
            pub async fn #raw(&self, #(#args,)* #body_arg options: impl Into<#opts_ty>) -> Result<RawResponse<#value_ty>, Error> {
                let options: #opts_ty = options.into();
                #build
                #send
            }
        });
    }
    if let Some(stream) = &op.stream {
        let item = ty(api, &stream.item);
        let events = events_static(op);
        let (smethod, swith) = if main_is_stream {
            (method.clone(), with.clone())
        } else {
            (
                ident(&names::suffixed(&op.method, "_streaming")),
                ident(&names::suffixed(&op.method, "_streaming_with")),
            )
        };
        let sbuild = build_request(api, op, true);
        let toggle_note = stream
            .toggle
            .as_ref()
            .map(|t| format!(" Sends `\"{t}\": true`."))
            .unwrap_or_default();
        let sdoc = doc_attrs(Some(&format!(
            "{}\n\nStreams the response as server-sent events.{toggle_note} The status, headers and request id \
             are readable before the first item; nothing is retried once the stream has started, and \
             an error event ends the stream with an error item.",
            base_doc.trim_end()
        )));
        let scall = format!("{accessor}{smethod}({})", example_args(""));
        let sexample = doc_attrs(Some(&format!(
            "# Example\n\n```no_run\n{allow_deprecated_example}# async fn run({example_params}) -> Result<(), {lib}::Error> {{\nuse futures::StreamExt;\nlet mut stream = {scall}.await?;\nwhile let Some(item) = stream.next().await {{\n    let item = item?;\n    # let _ = item;\n}}\n# Ok(())\n# }}\n```"
        )));
        let swith_doc = own_doc(&format!(
            "Like [`Self::{smethod}`], with optional parameters and per-request settings."
        ));
        out.extend(quote! {
            #sdoc
            ///
            #sexample
            ///
            #errors
            #deprecated
            pub async fn #smethod(&self, #(#args,)* #body_arg) -> Result<EventStream<#item>, Error> {
                self.#swith(#(#arg_names,)* #body_name #opts_ty::default()).await
            }

            #swith_doc
            ///
            #errors
            #deprecated
            pub async fn #swith(&self, #(#args,)* #body_arg options: impl Into<#opts_ty>) -> Result<EventStream<#item>, Error> {
                let options: #opts_ty = options.into();
                #sbuild
                #client.inner.send_stream(request, &options, &#events).await
            }
        });
    }
    out
}

/// A type as a user outside the crate writes it (for doc examples).
fn qualify(api: &Api, lib: &Ident, t: &TypeRef) -> String {
    match t {
        TypeRef::Named(id) => format!("{lib}::{}", api.types[*id].name),
        TypeRef::Vec(inner) => format!("Vec<{}>", qualify(api, lib, inner)),
        TypeRef::Nullable(inner) => format!("Option<{}>", qualify(api, lib, inner)),
        TypeRef::Boxed(inner) => format!("Box<{}>", qualify(api, lib, inner)),
        TypeRef::Map(inner) => format!(
            "std::collections::BTreeMap<String, {}>",
            qualify(api, lib, inner)
        ),
        other => ty(api, other).to_string().replace(' ', ""),
    }
}

/// The statements that build `request` and `options` (a `RequestOptions`).
fn build_request(api: &Api, op: &Operation, streaming: bool) -> TokenStream {
    let http = format_ident!("{}", op.http_method);
    // The path, with each parameter percent-encoded as one segment.
    let mut format_str = String::new();
    let mut format_args = Vec::new();
    let escape = |text: &str| text.replace('{', "{{").replace('}', "}}");
    let mut rest = op.path.as_str();
    while let Some(start) = rest.find('{') {
        // An unclosed `{` is literal text, kept with the rest below.
        let Some(end) = rest[start..].find('}') else {
            break;
        };
        format_str.push_str(&escape(&rest[..start]));
        let wire = &rest[start + 1..start + end];
        if let Some(p) = op
            .params
            .iter()
            .find(|p| p.location == ParamLocation::Path && p.wire == wire)
        {
            let n = ident(&p.name);
            let s = to_wire(api, &p.ty, quote! { #n }).as_str_arg();
            format_args.push(quote! { forge_runtime::encode_path_segment(#s) });
            format_str.push_str("{}");
        } else {
            // A template name no parameter fills stays as written.
            format_str.push_str(&escape(&rest[start..=start + end]));
        }
        rest = &rest[start + end + 1..];
    }
    format_str.push_str(&escape(rest));
    let path = if format_args.is_empty() {
        let literal = &op.path;
        quote! { #literal }
    } else {
        quote! { format!(#format_str, #(#format_args),*) }
    };
    let has_opts = has_options(op);
    let mutated = op.body.is_some() || op.params.iter().any(|p| p.location != ParamLocation::Path);
    let binding = if mutated {
        quote! { let mut request }
    } else {
        quote! { let request }
    };
    let mut stmts = vec![quote! {
        #binding = forge_runtime::Request::new(forge_runtime::Method::#http, #path);
    }];
    let mut cookies = Vec::new();
    for p in &op.params {
        if p.location == ParamLocation::Path {
            continue;
        }
        let n = ident(&p.name);
        let wire = &p.wire;
        let positional = p.required;
        let value_expr = if positional {
            quote! { #n }
        } else {
            quote! { value }
        };
        let add = match p.location {
            ParamLocation::Query => query_add(api, p, value_expr.clone()),
            ParamLocation::Header => {
                let s = to_wire(api, &p.ty, value_expr.clone()).string_arg();
                if matches!(p.ty, TypeRef::Vec(_)) {
                    quote! { if !#value_expr.is_empty() { request = request.header(#wire, #s); } }
                } else {
                    quote! { request = request.header(#wire, #s); }
                }
            }
            ParamLocation::Cookie => {
                let s = to_wire(api, &p.ty, value_expr.clone()).display_arg();
                cookies.push(wire.clone());
                quote! { cookies.push(format!("{}={}", #wire, #s)); }
            }
            ParamLocation::Path => TokenStream::new(),
        };
        if positional {
            stmts.push(add);
        } else {
            let deprecated_allow = if p.deprecated.is_some() {
                quote! { #[allow(deprecated)] }
            } else {
                TokenStream::new()
            };
            stmts.push(quote! { #deprecated_allow if let Some(value) = &options.#n { #add } });
        }
    }
    if !cookies.is_empty() {
        stmts.insert(1, quote! { let mut cookies: Vec<String> = Vec::new(); });
        stmts.push(quote! { if !cookies.is_empty() { request = request.header("cookie", cookies.join("; ")); } });
    }
    if let Some(body) = &op.body {
        let toggle_field = op
            .stream
            .as_ref()
            .and_then(|s| s.toggle.as_ref())
            .and_then(|wire| {
                let TypeRef::Named(id) = body.ty else {
                    return None;
                };
                let TypeKind::Struct(s) = &api.types[id].kind else {
                    return None;
                };
                s.fields
                    .iter()
                    .find(|f| &f.wire == wire && !f.required)
                    .map(|f| ident(&f.name))
            });
        let ct = &body.content_type;
        let vendor_json = body.kind == BodyKind::Json
            && !ct
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .eq_ignore_ascii_case("application/json");
        if vendor_json {
            // `application/merge-patch+json` and friends: JSON, under the media type the spec names.
            stmts.push(quote! { request = request.header("content-type", #ct); });
        }
        stmts.push(match (body.kind, toggle_field) {
            (BodyKind::Json, Some(field)) if streaming => quote! {
                let mut body = body.clone();
                body.#field = Some(true);
                request = request.json(&body);
            },
            (BodyKind::Json, Some(field)) => quote! {
                // The non-streaming call never asks for a stream, whatever the value says.
                request = if body.#field.is_some() {
                    let mut body = body.clone();
                    body.#field = None;
                    request.json(&body)
                } else {
                    request.json(body)
                };
            },
            (BodyKind::Json, None) => quote! { request = request.json(body); },
            (BodyKind::Form, _) => quote! {
                request = request.body(forge_runtime::Body::Form(forge_runtime::wire::form_pairs(body)));
            },
            (BodyKind::Multipart, _) => multipart_body(api, &body.ty),
            (BodyKind::Text, _) => quote! {
                request = request.body(forge_runtime::Body::Text(body.to_owned()));
            },
            (BodyKind::Binary, _) => quote! {
                request = request.body(forge_runtime::Body::Bytes { content_type: #ct.to_owned(), data: forge_runtime::Bytes::copy_from_slice(body) });
            },
        });
    }
    let options = if has_opts {
        quote! { let options = options.request; }
    } else {
        TokenStream::new()
    };
    stmts.push(options);
    quote! { #(#stmts)* }
}

fn query_add(api: &Api, p: &Param, value: TokenStream) -> TokenStream {
    let wire = &p.wire;
    match &p.ty {
        TypeRef::Vec(inner) if p.explode => {
            let item = to_wire(api, inner, quote! { item }).display_arg();
            quote! { for item in #value.iter() { request = request.query(#wire, #item); } }
        }
        TypeRef::Named(id)
            if p.deep_object || matches!(api.types[*id].kind, TypeKind::Struct(_)) =>
        {
            quote! {
                for (key, item) in forge_runtime::wire::deep_object(#wire, &#value) { request = request.query(&key, item); }
            }
        }
        TypeRef::Map(_) | TypeRef::JsonObject | TypeRef::Json if p.deep_object => quote! {
            for (key, item) in forge_runtime::wire::deep_object(#wire, &#value) { request = request.query(&key, item); }
        },
        other => {
            let s = to_wire(api, other, value).display_arg();
            quote! { request = request.query(#wire, #s); }
        }
    }
}

/// A `multipart/form-data` body: one part per field, file parts for `binary` fields, one part
/// per item for arrays. Bodies that are not objects fall back to the runtime's JSON-based split.
fn multipart_body(api: &Api, body_ty: &TypeRef) -> TokenStream {
    let TypeRef::Named(id) = body_ty else {
        return quote! {
            request = request.body(forge_runtime::Body::Multipart(forge_runtime::wire::multipart_parts(body)));
        };
    };
    let TypeKind::Struct(s) = &api.types[*id].kind else {
        return quote! {
            request = request.body(forge_runtime::Body::Multipart(forge_runtime::wire::multipart_parts(body)));
        };
    };
    let part = |t: &TypeRef, value: TokenStream, wire: &str| -> TokenStream {
        match t {
            TypeRef::Bytes => quote! { parts.push(#value.to_part(#wire)); },
            TypeRef::String => {
                quote! { parts.push(forge_runtime::Part::text(#wire, #value.clone())); }
            }
            _ => {
                quote! { parts.push(forge_runtime::Part::text(#wire, forge_runtime::wire::to_plain_string(#value))); }
            }
        }
    };
    let fields = s.fields.iter().map(|f| {
        let fname = ident(&f.name);
        let wire = &f.wire;
        let (inner, is_vec) = match &f.ty {
            TypeRef::Vec(inner) => (inner.as_ref(), true),
            other => (other, false),
        };
        let push = if is_vec {
            let one = part(inner, quote! { item }, wire);
            quote! { for item in value.iter() { #one } }
        } else {
            part(inner, quote! { value }, wire)
        };
        match (f.required, f.nullable) {
            (true, false) => quote! { { let value = &body.#fname; #push } },
            (true, true) | (false, false) => quote! { if let Some(value) = &body.#fname { #push } },
            (false, true) => quote! { if let Some(Some(value)) = &body.#fname { #push } },
        }
    });
    let extra = match &s.extra {
        crate::ir::Extra::Keep(_) => {
            let ename = ident(&s.extra_name);
            quote! {
                for (key, value) in &body.#ename {
                    parts.push(forge_runtime::Part::text(key.clone(), forge_runtime::wire::to_plain_string(value)));
                }
            }
        }
        crate::ir::Extra::Deny => TokenStream::new(),
    };
    quote! {
        let mut parts: Vec<forge_runtime::Part> = Vec::new();
        #(#fields)*
        #extra
        request = request.body(forge_runtime::Body::Multipart(parts));
    }
}
