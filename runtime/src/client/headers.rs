//! Header validation, sensitivity and precedence.
//!
//! Precedence, later wins: built-ins (`user-agent`, the API's default headers, auth; `accept`
//! and `content-type` per request), the custom-headers environment variable, the builder's
//! default headers, [`Request::header`](crate::Request::header), then
//! [`RequestOptions::header`](crate::RequestOptions::header). Everything up to the builder's
//! headers is one map built once per client; a request clones it once and applies its own.

use http::header::{
    HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, COOKIE,
    PROXY_AUTHORIZATION, USER_AGENT,
};

use crate::api::{ApiDescription, AuthLocation, AuthScheme};
use crate::secret::Secret;

/// Parse `Name: value` lines (split at the first `:`, both sides trimmed; lines without
/// `:` or with an empty name are skipped).
pub(crate) fn parse_header_lines(text: &str) -> Vec<(String, String)> {
    text.split('\n')
        .filter_map(|line| {
            let (name, value) = line.split_once(':')?;
            let name = name.trim();
            (!name.is_empty()).then(|| (name.to_owned(), value.trim().to_owned()))
        })
        .collect()
}

pub(crate) fn parse_name(name: &str) -> Result<HeaderName, String> {
    // The name is shown only when it is printable: a name is never a secret, but CR/LF in it
    // would break the message's one line.
    HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
        if name.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
            format!("invalid header name {name:?}")
        } else {
            "invalid header name (control characters)".to_owned()
        }
    })
}

/// Validate a value; the message names the header and never contains the value.
pub(crate) fn parse_value(
    name: &HeaderName,
    value: &str,
    sensitive: bool,
) -> Result<HeaderValue, String> {
    if value.contains(['\r', '\n']) {
        return Err(format!("value of header `{name}` contains CR or LF"));
    }
    let mut v = HeaderValue::from_str(value)
        .map_err(|_| format!("value of header `{name}` contains invalid characters"))?;
    v.set_sensitive(sensitive);
    Ok(v)
}

/// Headers whose values are credentials: marked sensitive so the HTTP stack never logs them,
/// and hidden from hooks unless asked for by name.
pub(crate) fn is_sensitive(api: &ApiDescription, name: &HeaderName) -> bool {
    *name == AUTHORIZATION
        || *name == PROXY_AUTHORIZATION
        || *name == COOKIE
        || api.auth.iter().any(|s| match s.location {
            AuthLocation::Header { name: n, .. } => name.as_str().eq_ignore_ascii_case(n),
            _ => false,
        })
}

/// Parse and validate one header of any source.
pub(crate) fn header(
    api: &ApiDescription,
    name: &str,
    value: &str,
) -> Result<(HeaderName, HeaderValue), String> {
    let name = parse_name(name)?;
    let sensitive = is_sensitive(api, &name);
    let value = parse_value(&name, value, sensitive)?;
    Ok((name, value))
}

/// The per-client part of every request's headers.
///
/// Unless a per-client source set them, the map already holds `accept: application/json`,
/// `content-type: application/json` and the retry count `0`: the common request (a JSON body,
/// a JSON answer, the first attempt) then changes nothing in its copy of the map, and any
/// other replaces a value in place instead of growing the map.
pub(crate) struct ClientHeaders {
    pub(crate) map: HeaderMap,
    /// `accept` is the runtime's: each send method sets its own.
    pub(crate) accept_slot: bool,
    /// `content-type` is the runtime's: it follows the body (and goes without one).
    pub(crate) content_type_slot: bool,
    /// The retry-count header, when it is the runtime's to set per attempt.
    pub(crate) retry_slot: Option<HeaderName>,
}

const JSON: HeaderValue = HeaderValue::from_static("application/json");

impl ClientHeaders {
    /// One request's headers: the client's, its send method's `accept`, its body's
    /// `content-type`, then `overrides` (request headers, options headers, idempotency key).
    pub(crate) fn for_request(
        &self,
        accept: &'static str,
        content_type: Option<&HeaderValue>,
        overrides: &[(HeaderName, HeaderValue)],
    ) -> HeaderMap {
        let mut map = self.map.clone();
        if self.accept_slot && accept != "application/json" {
            map.insert(ACCEPT, HeaderValue::from_static(accept));
        }
        if self.content_type_slot {
            match content_type {
                None => {
                    map.remove(CONTENT_TYPE);
                }
                Some(ct) if ct != JSON => {
                    map.insert(CONTENT_TYPE, ct.clone());
                }
                Some(_) => {}
            }
        }
        for (name, value) in overrides {
            map.insert(name.clone(), value.clone());
        }
        map
    }
}

/// The sources of the per-client headers besides the credentials, in precedence order; the
/// client keeps them to build the map again for an operation that accepts only some of the
/// API's auth schemes.
pub(crate) struct HeaderSources {
    pub(crate) user_agent: Option<String>,
    pub(crate) url_basic_auth: Option<Secret>,
    pub(crate) env_headers: Vec<(String, String)>,
    pub(crate) env_var: Option<&'static str>,
    pub(crate) defaults: Vec<(String, String)>,
    pub(crate) retry_count: Option<HeaderName>,
}

/// Build the per-client header map: built-ins, auth (`credentials`, in order: a later one in
/// the same header wins), env headers, builder defaults.
pub(crate) fn client_headers(
    api: &'static ApiDescription,
    src: &HeaderSources,
    credentials: &[&(&'static AuthScheme, Secret)],
) -> Result<ClientHeaders, String> {
    let mut map = HeaderMap::new();
    let set = |map: &mut HeaderMap, name: &str, value: &str| -> Result<(), String> {
        let (name, value) = header(api, name, value)?;
        map.insert(name, value);
        Ok(())
    };
    let ua = match &src.user_agent {
        Some(ua) => ua.to_owned(),
        None => format!("{}/Rust {}", api.client_name, api.crate_version),
    };
    set(&mut map, USER_AGENT.as_str(), &ua)?;
    for (name, value) in api.default_headers {
        set(&mut map, name, value).map_err(|e| format!("API description: {e}"))?;
    }
    if let Some(basic) = &src.url_basic_auth {
        // Credentials set below (a bearer token, say) win over the URL's.
        set(&mut map, AUTHORIZATION.as_str(), basic.expose())
            .map_err(|e| format!("user info in the base URL: {e}"))?;
    }
    let mut cookies = Vec::new();
    for (scheme, secret) in credentials.iter().copied() {
        match scheme.location {
            AuthLocation::Header { name, prefix } => {
                let value = format!("{prefix}{}", secret.expose());
                set(&mut map, name, &value)
                    .map_err(|e| format!("credential for auth scheme `{}`: {e}", scheme.name))?;
            }
            AuthLocation::Cookie { name } => cookies.push(format!("{name}={}", secret.expose())),
            AuthLocation::Query { .. } => {}
        }
    }
    if !cookies.is_empty() {
        set(&mut map, COOKIE.as_str(), &cookies.join("; "))
            .map_err(|e| format!("auth cookie: {e}"))?;
    }
    for (name, value) in &src.env_headers {
        set(&mut map, name, value).map_err(|e| {
            format!(
                "environment variable {}: {e}",
                src.env_var.unwrap_or("with custom headers")
            )
        })?;
    }
    for (name, value) in &src.defaults {
        set(&mut map, name, value)?;
    }
    let accept_slot = !map.contains_key(ACCEPT);
    if accept_slot {
        map.insert(ACCEPT, JSON);
    }
    let content_type_slot = !map.contains_key(CONTENT_TYPE);
    if content_type_slot {
        map.insert(CONTENT_TYPE, JSON);
    }
    // A retry count set by the environment or the builder is kept, like a caller's.
    let retry_slot = src
        .retry_count
        .clone()
        .filter(|name| !map.contains_key(name));
    if let Some(name) = &retry_slot {
        map.insert(name.clone(), HeaderValue::from_static("0"));
    }
    Ok(ClientHeaders {
        map,
        accept_slot,
        content_type_slot,
        retry_slot,
    })
}

/// `true` if the `Cookie` headers carry a cookie named `name`.
pub(crate) fn has_cookie(map: &HeaderMap, name: &str) -> bool {
    map.get_all(COOKIE).iter().any(|v| {
        v.to_str().is_ok_and(|c| {
            c.split(';')
                .any(|kv| kv.trim().split_once('=').is_some_and(|(k, _)| k == name))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_lines() {
        let parsed = parse_header_lines("A: 1\nno colon\n  B :  x: y  \r\n:empty name\nA: 2\n");
        assert_eq!(
            parsed,
            vec![
                ("A".to_owned(), "1".to_owned()),
                ("B".to_owned(), "x: y".to_owned()),
                ("A".to_owned(), "2".to_owned()),
            ]
        );
    }

    #[test]
    fn crlf_in_header_value_is_named_not_echoed() {
        let name = HeaderName::from_static("x-test-key");
        let err = parse_value(&name, "secret\r\nx-evil: 1", true).unwrap_err();
        assert!(err.contains("x-test-key"));
        assert!(!err.contains("secret"));
        let err = parse_name("x-a\r\nx-evil").unwrap_err();
        assert!(!err.contains('\n'), "{err}");
    }

    #[test]
    fn cookies_are_found_by_name() {
        let mut map = HeaderMap::new();
        map.insert(COOKIE, HeaderValue::from_static("a=1; session=x"));
        assert!(has_cookie(&map, "session"));
        assert!(!has_cookie(&map, "sess"));
    }
}
