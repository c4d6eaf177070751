//! The `ApiDescription` the runtime reads: every fact about the API that is not a type.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::{Api, AuthKind, AuthLocation};

fn opt_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(v) => quote! { Some(#v) },
        None => quote! { None },
    }
}

/// The `ApiDescription` value.
pub(super) fn description(api: &Api) -> TokenStream {
    let c = &api.client;
    let client_name = &c.client_name;
    let base = &c.default_base_url;
    let auth = c.auth.iter().map(|a| {
        let scheme = &a.scheme;
        let setter = &a.setter;
        let kind = match a.kind {
            AuthKind::ApiKey => quote! { ApiKey },
            AuthKind::Bearer => quote! { Bearer },
            AuthKind::Basic => quote! { Basic },
        };
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
        quote! {
            forge_runtime::AuthScheme {
                name: #scheme,
                setter: #setter,
                kind: forge_runtime::AuthKind::#kind,
                location: #location,
                env: #env,
            }
        }
    });
    let required = c.auth_required;
    let headers = c.default_headers.iter().map(|(k, v)| quote! { (#k, #v) });
    let retry_count = opt_str(c.retry_count_header.as_deref());
    let request_id = opt_str(c.request_id_header.as_deref());
    let idempotency = opt_str(c.idempotency_header.as_deref());
    let should_retry = opt_str(c.should_retry_header.as_deref());
    let retry_after_ms = opt_str(c.retry_after_ms_header.as_deref());
    let status_kinds = c.status_kinds.iter().map(|(status, kind)| {
        let kind = format_ident!("{}", kind.variant());
        let status = proc_macro2::Literal::u16_unsuffixed(*status);
        quote! { (#status, forge_runtime::ApiErrorKind::#kind) }
    });
    let env_base = opt_str(c.env_base_url.as_deref());
    let env_headers = opt_str(c.env_custom_headers.as_deref());
    quote! {
        &forge_runtime::ApiDescription {
            client_name: #client_name,
            crate_version: env!("CARGO_PKG_VERSION"),
            default_base_url: #base,
            auth: &[#(#auth),*],
            auth_required: #required,
            default_headers: &[#(#headers),*],
            retry_count_header: #retry_count,
            request_id_header: #request_id,
            idempotency_header: #idempotency,
            retry: forge_runtime::RetryHeaders {
                should_retry: #should_retry,
                retry_after_ms: #retry_after_ms,
            },
            status_kinds: &[#(#status_kinds),*],
            env: forge_runtime::EnvNames { base_url: #env_base, custom_headers: #env_headers },
        }
    }
}
