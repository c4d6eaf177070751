//! `src/client.rs`: the client's particulars. The runtime owns the client, its builder and the
//! send path; this file says which API it is (`impl forge_runtime::Api`), names its errors and
//! gives the client its constructors and groups.

mod description;
mod envelope;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::doc::{doc_attrs, own_doc};
use super::{ident, runtime_import, type_ident, Ctx, Unit};
use crate::ir::Api;

fn lib_ident(api: &Api) -> Ident {
    format_ident!("{}", api.crate_name.replace('-', "_"))
}

/// `src/client.rs`, as one unit.
pub fn units(api: &Api) -> Vec<Unit<'_>> {
    vec![Unit::new(move || file(api))]
}

fn file(api: &Api) -> TokenStream {
    let ctx = Ctx::other_module(api);
    let lib = lib_ident(api);
    let envelope = envelope::envelope_type(&ctx);
    let envelope_impl = envelope::envelope_impl(&ctx);
    let description = description::description(api);
    let constructors = constructors(api, &lib);
    let groups = api
        .groups
        .iter()
        .enumerate()
        .filter(|(_, g)| g.parent.is_none())
        .map(|(index, g)| {
            let method = ident(&g.method);
            let module = ident(&g.module);
            let ty = type_ident(&g.type_name);
            let doc = doc_attrs(Some(&format!("The `{}` operations.", g.path)));
            let gate = super::features::group_attr(api, crate::ir::GroupId(index));
            quote! {
                #doc
                #gate
                pub fn #method(&self) -> crate::resources::#module::#ty<'_> {
                    crate::resources::#module::#ty::new(self)
                }
            }
        });
    let import = runtime_import(api);
    // Only what this API uses: a crate without list or upload operations exports neither.
    let paginated = api
        .operations
        .iter()
        .any(|op| op.pagination.is_some())
        .then(|| {
            quote! {
                /// Every item of every page of a list operation, as one stream (`.items()`).
                pub type Paginated<'a, T> = forge_runtime::Paginated<'a, T, #envelope>;
            }
        });
    let upload = uses_upload(api).then(|| quote! { pub use forge_runtime::Upload; });
    let title = &api.title;
    let client_doc = own_doc(&format!(
        "A client for the {title}.\n\n\
         Cheap to clone: clones share one connection pool and one configuration. `Send + Sync`, so \
         one client can serve many tasks. Defaults: base URL `{}`, a \
         [`DEFAULT_TIMEOUT`](forge_runtime::DEFAULT_TIMEOUT) per attempt, \
         [`DEFAULT_MAX_RETRIES`](forge_runtime::DEFAULT_MAX_RETRIES) retries with backoff; \
         [`Client::builder`] changes them.",
        api.client.default_base_url
    ));
    let example = own_doc(&format!(
        "```no_run\n# async fn run() -> Result<(), {lib}::Error> {{\nlet client = {lib}::Client::from_env()?;\n# let _ = client;\n# Ok(())\n# }}\n```"
    ));
    quote! {
        //! The client: which API it is, its errors, its constructors and its operation groups.
        #import

        /// Every way a call can fail: an API error status (with the parsed envelope, its error
        /// type, message and request id), a connection failure, a timeout, a response that did
        /// not decode, a stream fault, or a request the caller built wrong.
        pub type Error = forge_runtime::Error<#envelope>;

        /// An error status from the API, or an `error` event in a stream.
        pub type ApiError = forge_runtime::ApiError<#envelope>;

        /// The items of a server-sent event stream, with the status, headers and request id
        /// readable before the first item.
        pub type EventStream<T> = forge_runtime::EventStream<T, #envelope>;

        #paginated

        /// Configures a [`Client`]: explicit values win over environment variables, which win over
        /// defaults.
        pub type ClientBuilder = forge_runtime::ClientBuilder<Client>;

        pub use forge_runtime::validation::ValidationError;
        pub use forge_runtime::{ApiErrorKind, RequestOptions, Response, Secret, StreamExt};
        #upload

        #envelope_impl

        #client_doc
        ///
        #example
        #[derive(Debug, Clone)]
        pub struct Client {
            runtime: forge_runtime::Client<Client>,
        }

        impl forge_runtime::Api for Client {
            type Envelope = #envelope;

            const DESCRIPTION: &'static forge_runtime::ApiDescription = #description;

            fn from_client(runtime: forge_runtime::Client<Self>) -> Self {
                Client { runtime }
            }
        }

        impl Client {
            #constructors

            /// A builder for every other setting.
            pub fn builder() -> ClientBuilder {
                forge_runtime::Client::builder()
            }

            /// The base URL requests go to.
            pub fn base_url(&self) -> &str {
                self.runtime.base_url()
            }

            /// The runtime client underneath, for requests the spec does not describe.
            pub fn runtime(&self) -> &forge_runtime::Client<Client> {
                &self.runtime
            }

            #(#groups)*
        }
    }
}

/// Whether any type, parameter or body holds file contents.
fn uses_upload(api: &Api) -> bool {
    use crate::ir::{TypeKind, TypeRef};
    fn has(t: &TypeRef) -> bool {
        match t {
            TypeRef::Upload => true,
            TypeRef::Vec(i) | TypeRef::Map(i) | TypeRef::Nullable(i) | TypeRef::Boxed(i) => has(i),
            _ => false,
        }
    }
    api.types.iter().any(|def| match &def.kind {
        TypeKind::Struct(s) => s.fields.iter().any(|f| has(&f.ty)),
        TypeKind::Tagged { variants, .. } | TypeKind::Untagged(variants) => {
            variants.iter().any(|v| has(&v.ty))
        }
        TypeKind::Alias(t) | TypeKind::Newtype(t) => has(t),
        _ => false,
    }) || api
        .operations
        .iter()
        .any(|op| op.params.iter().any(|p| has(&p.ty)) || op.body.iter().any(|b| has(&b.ty)))
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

fn constructors(api: &Api, lib: &Ident) -> TokenStream {
    let new_fn = match api.client.auth.first() {
        Some(first) => {
            let setter = ident(&first.setter);
            let doc = doc_attrs(Some(&format!(
                "A client that sends `credential` as its `{}` and reads nothing from the \
                 environment.\n\n# Errors\n\nA configuration error if the credential cannot be \
                 sent (it contains a line break).",
                first.scheme
            )));
            let scheme = &first.setter;
            match first.kind {
                // A setter of the settings' own is a name for `credential`.
                _ if !first.typed_setter => quote! {
                    #doc
                    pub fn new(credential: impl Into<forge_runtime::Secret>) -> Result<Self, Error> {
                        Self::builder().credential(#scheme, credential).build()
                    }
                },
                crate::ir::AuthKind::Basic => quote! {
                    #doc
                    pub fn new(user: impl Into<String>, password: impl Into<forge_runtime::Secret>) -> Result<Self, Error> {
                        Self::builder().#setter(user, password).build()
                    }
                },
                _ => quote! {
                    #doc
                    pub fn new(credential: impl Into<forge_runtime::Secret>) -> Result<Self, Error> {
                        Self::builder().#setter(credential).build()
                    }
                },
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
        "A client configured from the environment. {}\n\n# Errors\n\nA configuration error for \
         an unparsable variable or base URL.",
        env_sentence(api)
    )));
    let _ = lib;
    quote! {
        #new_fn

        #env_doc
        pub fn from_env() -> Result<Self, Error> {
            Self::builder().from_env().build()
        }
    }
}
