//! Client-level facts: base URL, auth schemes, default headers, env var names.

use super::names::{self, Scope};
use super::types::TypeSpace;
use crate::error::{Error, ErrorKind};
use crate::openapi::Document;
use crate::settings::Settings;

/// What the generated `Client` needs to know.
#[derive(Debug, Clone)]
pub struct ClientInfo {
    /// `User-Agent` client name.
    pub client_name: String,
    /// `servers[0].url` with variables substituted; empty when the spec has none.
    pub default_base_url: String,
    /// Auth schemes the client can send.
    pub auth: Vec<Auth>,
    /// Whether every operation needs a credential.
    pub auth_required: bool,
    /// Headers with a spec default that every operation declares (`anthropic-version`).
    pub default_headers: Vec<(String, String)>,
    /// The attempt-counter header.
    pub retry_count_header: Option<String>,
    /// The response header carrying the request id.
    pub request_id_header: Option<String>,
    /// Env var for the base URL.
    pub env_base_url: Option<String>,
    /// Env var for extra headers.
    pub env_custom_headers: Option<String>,
}

/// One auth scheme.
#[derive(Debug, Clone)]
pub struct Auth {
    /// `securitySchemes` key.
    pub scheme: String,
    /// Builder method that sets it (`api_key`, `auth_token`).
    pub method: String,
    /// Where the credential goes.
    pub location: AuthLocation,
    /// Env var holding it.
    pub env: Option<String>,
    /// Rustdoc.
    pub doc: Option<String>,
}

/// Where a credential is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthLocation {
    /// A header, with a value prefix (`Bearer `).
    Header {
        /// Header name.
        name: String,
        /// Value prefix.
        prefix: String,
    },
    /// A query parameter.
    Query(String),
    /// A cookie.
    Cookie(String),
}

/// Lowers the client-level facts.
pub fn lower(
    file: &str,
    doc: &Document,
    settings: &Settings,
    space: &mut TypeSpace<'_>,
) -> Result<ClientInfo, Error> {
    let default_base_url = doc.servers.first().map(|s| {
        let mut url = s.url.clone();
        for (name, var) in &s.variables {
            let value = match &var.default {
                Some(serde_json::Value::String(v)) => v.clone(),
                Some(other) => other.to_string(),
                None => String::new(),
            };
            url = url.replace(&format!("{{{name}}}"), &value);
        }
        url
    });
    let mut methods = Scope::default();
    let mut auth = Vec::new();
    for (key, scheme) in &doc.components.security_schemes {
        let pointer = format!(
            "#/components/securitySchemes/{}",
            crate::error::escape_token(key)
        );
        let (location, method) = match (
            scheme.kind.as_str(),
            scheme.location.as_deref(),
            scheme.scheme.as_deref(),
        ) {
            ("apiKey", Some(loc), _) => {
                let Some(name) = scheme.name.clone() else {
                    return Err(Error::at(
                        file,
                        pointer,
                        ErrorKind::Invalid("apiKey scheme without `name`".into()),
                    ));
                };
                let location = match loc {
                    "header" => AuthLocation::Header {
                        name,
                        prefix: String::new(),
                    },
                    "query" => AuthLocation::Query(name),
                    "cookie" => AuthLocation::Cookie(name),
                    other => {
                        return Err(Error::at(
                            file,
                            format!("{pointer}/in"),
                            ErrorKind::Invalid(format!("apiKey location `{other}`")),
                        ))
                    }
                };
                (location, "api_key")
            }
            ("http", _, Some(s)) if s.eq_ignore_ascii_case("bearer") => (
                AuthLocation::Header {
                    name: "Authorization".into(),
                    prefix: "Bearer ".into(),
                },
                "auth_token",
            ),
            ("oauth2" | "openIdConnect", _, _) => (
                AuthLocation::Header {
                    name: "Authorization".into(),
                    prefix: "Bearer ".into(),
                },
                "auth_token",
            ),
            ("http", _, Some(s)) if s.eq_ignore_ascii_case("basic") => (
                AuthLocation::Header {
                    name: "Authorization".into(),
                    prefix: "Basic ".into(),
                },
                "basic_auth",
            ),
            _ => {
                space.warn(&pointer, format!("security scheme type `{}` is not supported; set its header with default_header", scheme.kind));
                continue;
            }
        };
        let method = if methods.contains(method) {
            names::field_name(key)
        } else {
            method.to_owned()
        };
        auth.push(Auth {
            scheme: key.clone(),
            method: methods.claim(method),
            location,
            env: settings.env.credentials.get(key).cloned(),
            doc: scheme.description.clone(),
        });
    }
    for key in settings.env.credentials.keys() {
        if !doc.components.security_schemes.contains_key(key) {
            return Err(Error::at(
                "settings",
                format!("#/env/credentials/{key}"),
                ErrorKind::Settings(format!("no security scheme `{key}` in {file}")),
            ));
        }
    }
    let auth_required = doc
        .security
        .as_ref()
        .is_some_and(|reqs| !reqs.is_empty() && reqs.iter().all(|r| !r.is_empty()))
        && !auth.is_empty();
    Ok(ClientInfo {
        client_name: settings
            .client_name
            .clone()
            .unwrap_or_else(|| names::type_name(&settings.crate_name)),
        default_base_url: default_base_url.unwrap_or_default(),
        auth,
        auth_required,
        default_headers: Vec::new(),
        retry_count_header: settings.retry_count_header.clone(),
        request_id_header: settings.request_id_header.clone(),
        env_base_url: settings.env.base_url.clone(),
        env_custom_headers: settings.env.custom_headers.clone(),
    })
}
