//! Client-level facts: base URL, auth schemes, default headers, env var names, retry hints.

use super::names::{self, Scope};
use crate::error::{escape_token, Diagnostic, Error, ErrorKind};
use crate::openapi::{ApiKeyIn, Document, SecurityScheme};
use crate::settings::{ErrorKindName, Settings};

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
    /// The header carrying one idempotency key per logical request.
    pub idempotency_header: Option<String>,
    /// The response header that says whether to retry.
    pub should_retry_header: Option<String>,
    /// The response header with a retry delay in milliseconds.
    pub retry_after_ms_header: Option<String>,
    /// Statuses with a kind of their own beyond the HTTP table (529 overloaded).
    pub status_kinds: Vec<(u16, ErrorKindName)>,
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
    /// The builder method that sets it (`api_key`, `auth_token`, `basic_auth`, or a name of
    /// its own when two schemes share a kind or the settings give one).
    pub setter: String,
    /// Whether `setter` is the runtime's typed builder method for the kind (`api_key` for an API
    /// key, ...); any other setter is a name for `credential(name, value)`.
    pub typed_setter: bool,
    /// The kind of credential.
    pub kind: AuthKind,
    /// Where the credential goes.
    pub location: AuthLocation,
    /// Env var holding it.
    pub env: Option<String>,
    /// Rustdoc.
    pub doc: Option<String>,
}

/// Kinds of credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthKind {
    /// An API key sent as it is.
    ApiKey,
    /// A bearer token (`http: bearer`, `oauth2`, `openIdConnect`).
    Bearer,
    /// `http: basic`: user and password.
    Basic,
}

impl AuthKind {
    /// The builder method the runtime has for this kind.
    pub fn setter(self) -> &'static str {
        match self {
            AuthKind::ApiKey => "api_key",
            AuthKind::Bearer => "auth_token",
            AuthKind::Basic => "basic_auth",
        }
    }

    /// The kind in words, for errors.
    fn described(self) -> &'static str {
        match self {
            AuthKind::ApiKey => "an API key",
            AuthKind::Bearer => "a bearer token",
            AuthKind::Basic => "HTTP Basic",
        }
    }
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
    warnings: &mut Vec<Diagnostic>,
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
    for key in settings.auth.keys() {
        if !doc.components.security_schemes.contains_key(key) {
            return Err(Error::at(
                &settings.source,
                format!("#/auth/{}", escape_token(key)),
                ErrorKind::Settings(format!("no security scheme `{key}` in {file}")),
            ));
        }
    }
    // Setters the settings give are claimed first, so a default never takes one of them.
    let mut setters = Scope::default();
    for setter in settings.auth.values().filter_map(|a| a.setter.as_deref()) {
        setters.claim(setter.to_owned());
    }
    let mut auth = Vec::new();
    for (key, scheme) in &doc.components.security_schemes {
        let pointer = format!("#/components/securitySchemes/{}", escape_token(key));
        let bearer = || AuthLocation::Header {
            name: "Authorization".into(),
            prefix: "Bearer ".into(),
        };
        let (kind, location) = match scheme {
            SecurityScheme::ApiKey { name, location, .. } => (
                AuthKind::ApiKey,
                match location {
                    ApiKeyIn::Header => AuthLocation::Header {
                        name: name.clone(),
                        prefix: String::new(),
                    },
                    ApiKeyIn::Query => AuthLocation::Query(name.clone()),
                    ApiKeyIn::Cookie => AuthLocation::Cookie(name.clone()),
                },
            ),
            SecurityScheme::Http { scheme, .. } if scheme.eq_ignore_ascii_case("bearer") => {
                (AuthKind::Bearer, bearer())
            }
            SecurityScheme::Http { scheme, .. } if scheme.eq_ignore_ascii_case("basic") => (
                AuthKind::Basic,
                AuthLocation::Header {
                    name: "Authorization".into(),
                    prefix: "Basic ".into(),
                },
            ),
            SecurityScheme::OAuth2 { .. } | SecurityScheme::OpenIdConnect { .. } => {
                (AuthKind::Bearer, bearer())
            }
            SecurityScheme::Http { scheme, .. } => {
                warnings.push(Diagnostic {
                    pointer,
                    message: format!(
                        "http scheme `{scheme}` is not supported; set its header with default_header"
                    ),
                });
                continue;
            }
            SecurityScheme::MutualTls { .. } => {
                warnings.push(Diagnostic {
                    pointer,
                    message: "mutualTLS is configured on the HTTP client (`http_client`), not \
                              per request"
                        .into(),
                });
                continue;
            }
        };
        // The settings' setter, else the runtime's setter for the kind for the first scheme of
        // that kind; others get a name of their own, set with `credential(name, ..)`.
        let chosen = settings.auth.get(key);
        let setter = match chosen.and_then(|a| a.setter.clone()) {
            Some(setter) => {
                let typed = [AuthKind::ApiKey, AuthKind::Bearer, AuthKind::Basic]
                    .into_iter()
                    .find(|k| k.setter() == setter);
                if let Some(other) = typed.filter(|k| *k != kind) {
                    return Err(Error::at(
                        &settings.source,
                        format!("#/auth/{}/setter", escape_token(key)),
                        ErrorKind::Settings(format!(
                            "`{setter}` is the runtime's setter for {}, and `{key}` is {}",
                            other.described(),
                            kind.described()
                        )),
                    ));
                }
                setter
            }
            None if setters.contains(kind.setter()) => setters.claim(names::field_name(key)),
            None => setters.claim(kind.setter().to_owned()),
        };
        auth.push(Auth {
            scheme: key.clone(),
            typed_setter: setter == kind.setter(),
            setter,
            kind,
            location,
            env: chosen.and_then(|a| a.env.clone()),
            doc: scheme.description().map(str::to_owned),
        });
    }
    let auth_required = doc
        .security
        .as_ref()
        .is_some_and(|reqs| !reqs.is_empty() && reqs.iter().all(|r| !r.is_empty()))
        && !auth.is_empty();
    let retry = &settings.retry;
    Ok(ClientInfo {
        client_name: settings
            .client_name
            .clone()
            .unwrap_or_else(|| names::type_name(&settings.crate_name)),
        default_base_url: default_base_url.unwrap_or_default(),
        auth,
        auth_required,
        default_headers: Vec::new(),
        retry_count_header: retry.count_header.clone(),
        request_id_header: settings.request_id_header.clone(),
        idempotency_header: settings.idempotency_header.clone(),
        should_retry_header: retry.should_retry_header.clone(),
        retry_after_ms_header: retry.after_ms_header.clone(),
        status_kinds: settings
            .error_statuses
            .iter()
            .map(|(status, kind)| (*status, *kind))
            .collect(),
        env_base_url: settings.env.base_url.clone(),
        env_custom_headers: settings.env.custom_headers.clone(),
    })
}

/// Keeps an operation's security requirements (as lowering read them, the spec's scheme names)
/// only where the client's default would send the wrong credentials: where they name fewer
/// than all of the client's schemes, or need a credential when the client does not (or the
/// other way round). Names of schemes the client cannot send (an unsupported `http` scheme,
/// `mutualTLS`, a key with no scheme) are left out of each alternative.
pub fn narrow_security(client: &ClientInfo, operations: &mut [super::Operation]) {
    for op in operations {
        let Some(requirements) = op.security.take() else {
            continue;
        };
        let known: Vec<Vec<String>> = requirements
            .into_iter()
            .map(|alternative| {
                alternative
                    .into_iter()
                    .filter(|name| client.auth.iter().any(|a| &a.scheme == name))
                    .collect()
            })
            .collect();
        let named_all = client
            .auth
            .iter()
            .all(|a| known.iter().any(|alt| alt.contains(&a.scheme)));
        let required =
            !client.auth.is_empty() && !known.is_empty() && known.iter().all(|alt| !alt.is_empty());
        if !(named_all && required == client.auth_required) {
            op.security = Some(known);
        }
    }
}

/// The headers sent on every request: the spec's common ones, then the settings'
/// `default_headers` in their order; a name the settings give (in any case) replaces the spec's.
pub fn default_headers(
    common: Vec<(String, String)>,
    settings: &Settings,
) -> Vec<(String, String)> {
    let given = &settings.default_headers.0;
    let mut headers: Vec<(String, String)> = common
        .into_iter()
        .filter(|(name, _)| !given.keys().any(|g| g.eq_ignore_ascii_case(name)))
        .collect();
    headers.extend(given.iter().map(|(n, v)| (n.clone(), v.clone())));
    headers
}
