//! The client, its builder, and the send path (headers, auth, retries, timeouts).

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http::header::{
    HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, COOKIE,
    PROXY_AUTHORIZATION, USER_AGENT,
};
use http::{Method, StatusCode};
use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::api::{ApiDescription, AuthLocation, AuthScheme, StreamEvents};
use crate::error::{ApiError, Error, ErrorEnvelope};
use crate::request::{merge_extra_body, Request, RequestOptions};
use crate::response::RawResponse;
use crate::retry::{self, Rng};
use crate::secret::Secret;
use crate::sse::DEFAULT_MAX_EVENT_SIZE;
use crate::stream::{event_stream, EventStream};

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const DEFAULT_MAX_RETRIES: u32 = 2;
const ACCEPT_JSON: &str = "application/json";
const ACCEPT_ANY: &str = "*/*";
const ACCEPT_SSE: &str = "text/event-stream";
/// How much of a non-SSE body to keep when a stream request gets the wrong content type.
const WRONG_TYPE_BODY_LIMIT: usize = 64 * 1024;
/// Idle keep-alive connections kept per host by the built-in pool (reqwest's default is
/// unbounded). The official Python SDK keeps at most 100 (`max_keepalive_connections`): a burst
/// of N concurrent requests otherwise leaves N idle sockets open for the 90 s idle timeout.
pub(crate) const POOL_MAX_IDLE_PER_HOST: usize = 100;

/// An API client: cheap to clone (an `Arc` inside), `Send + Sync`, one connection pool.
///
/// Requests must run inside a Tokio runtime with timers enabled (`#[tokio::main]` does this).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    api: &'static ApiDescription,
    http: reqwest::Client,
    /// Without a trailing `/`.
    base_url: String,
    /// `base_url` parsed once; requests clone it and set their path.
    base: reqwest::Url,
    /// The retry-count header name, parsed once.
    retry_header: Option<HeaderName>,
    timeout: Duration,
    connect_timeout: Duration,
    max_retries: u32,
    /// Built-ins (user agent, API default headers, auth), then the custom-headers
    /// environment variable, then the builder's default headers.
    headers: HeaderMap,
    query_auth: Vec<(&'static str, Secret)>,
    has_credential: bool,
    max_event_size: usize,
    backoff_scale: f64,
    /// `Some(host)` when the base URL is `http://` to a host that is not loopback: the first
    /// request warns once (per client, clones included).
    insecure_host: Option<String>,
    insecure_warned: AtomicBool,
}

/// Configures a [`Client`]. Explicit values win over environment variables
/// ([`from_env`](Self::from_env)), which win over defaults.
pub struct ClientBuilder {
    api: &'static ApiDescription,
    credentials: Vec<(String, Secret)>,
    env_credentials: Vec<(&'static str, Secret)>,
    base_url: Option<String>,
    env_base_url: Option<String>,
    timeout: Duration,
    connect_timeout: Duration,
    max_retries: u32,
    default_headers: Vec<(String, String)>,
    env_headers: Vec<(String, String)>,
    env_headers_var: Option<&'static str>,
    user_agent: Option<String>,
    http_client: Option<reqwest::Client>,
    max_event_size: usize,
    backoff_scale: f64,
    errors: Vec<String>,
}

impl fmt::Debug for ClientBuilder {
    /// Credentials and header values are left out.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api", &self.api.client_name)
            .field(
                "credentials",
                &self.credentials.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .field("base_url", &self.base_url.as_deref().map(redact_url))
            .field(
                "env_base_url",
                &self.env_base_url.as_deref().map(redact_url),
            )
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_retries", &self.max_retries)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("api", &self.inner.api.client_name)
            .field("base_url", &redact_url(&self.inner.base_url))
            .field("timeout", &self.inner.timeout)
            .field("max_retries", &self.inner.max_retries)
            .finish_non_exhaustive()
    }
}

fn env_var(name: &str) -> Result<Option<String>, String> {
    match std::env::var(name) {
        Ok(v) if !v.is_empty() => Ok(Some(v)),
        Ok(_) | Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => {
            Err(format!("environment variable {name} is not valid UTF-8"))
        }
    }
}

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

fn parse_name(name: &str) -> Result<HeaderName, String> {
    HeaderName::from_bytes(name.as_bytes()).map_err(|_| format!("invalid header name {name:?}"))
}

fn parse_value(name: &HeaderName, value: &str, sensitive: bool) -> Result<HeaderValue, String> {
    if value.contains(['\r', '\n']) {
        return Err(format!("value of header `{name}` contains CR or LF"));
    }
    let mut v = HeaderValue::from_bytes(value.as_bytes())
        .map_err(|_| format!("value of header `{name}` contains invalid characters"))?;
    v.set_sensitive(sensitive);
    Ok(v)
}

fn is_sensitive(api: &ApiDescription, name: &HeaderName) -> bool {
    *name == AUTHORIZATION
        || *name == PROXY_AUTHORIZATION
        || *name == COOKIE
        || api.auth.iter().any(|s| match s.location {
            AuthLocation::Header { name: n, .. } => name.as_str().eq_ignore_ascii_case(n),
            _ => false,
        })
}

/// Insert (replace) one header after validating it.
fn set_header(
    api: &ApiDescription,
    map: &mut HeaderMap,
    name: &str,
    value: &str,
) -> Result<(), String> {
    let name = parse_name(name)?;
    let sensitive = is_sensitive(api, &name);
    let value = parse_value(&name, value, sensitive)?;
    map.insert(name, value);
    Ok(())
}

/// A URL for messages: a password in its user-info part (`http://user:pw@host`) is replaced by
/// `***`. Works on text that does not parse as a URL too.
pub(crate) fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_owned();
    };
    let authority_start = scheme_end + 3;
    let rest = &url[authority_start..];
    let authority_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_len];
    match authority.rfind('@') {
        Some(at) => {
            let user_info = &authority[..at];
            let user = user_info.split_once(':').map_or(user_info, |(u, _)| u);
            let redacted = if user_info.contains(':') {
                format!("{user}:***")
            } else {
                // A lone user name may itself be a token (`https://TOKEN@host`).
                "***".to_owned()
            };
            format!(
                "{}{redacted}{}",
                &url[..authority_start],
                &url[authority_start + at..]
            )
        }
        None => url.to_owned(),
    }
}

/// The host of an `http://` URL whose host is not loopback (`127.0.0.0/8`, `::1`, `localhost`,
/// `*.localhost`); `None` for `https://` and loopback.
fn insecure_http_host(url: &reqwest::Url) -> Option<String> {
    if url.scheme() != "http" {
        return None;
    }
    let host = url.host_str()?;
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let loopback = match bare.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(ip)) => ip.is_loopback(),
        Ok(std::net::IpAddr::V6(ip)) => {
            ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
        Err(_) => {
            let name = bare.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost")
        }
    };
    (!loopback).then(|| match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    })
}

/// Percent-decode URL user info (the `url` crate keeps it encoded).
fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// Standard base64 with padding (RFC 4648), for `Authorization: Basic`.
fn base64(data: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(TABLE[((n >> shift) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn same_origin(a: &reqwest::Url, b: &reqwest::Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

impl ClientBuilder {
    fn new(api: &'static ApiDescription) -> Self {
        ClientBuilder {
            api,
            credentials: Vec::new(),
            env_credentials: Vec::new(),
            base_url: None,
            env_base_url: None,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            max_retries: DEFAULT_MAX_RETRIES,
            default_headers: Vec::new(),
            env_headers: Vec::new(),
            env_headers_var: None,
            user_agent: None,
            http_client: None,
            max_event_size: DEFAULT_MAX_EVENT_SIZE,
            backoff_scale: 1.0,
            errors: Vec::new(),
        }
    }

    /// Set the credential for the auth scheme named `scheme` ([`AuthScheme::name`]).
    /// An empty secret counts as unset. An unknown scheme name fails [`build`](Self::build).
    pub fn credential(mut self, scheme: &str, secret: impl Into<Secret>) -> Self {
        self.credentials.retain(|(n, _)| n != scheme);
        self.credentials.push((scheme.to_owned(), secret.into()));
        self
    }

    /// The base URL; a path prefix is kept (`https://host/prefix` + `/v1/x`).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Time limit per attempt (default 600 s). For a stream it covers the wait for the
    /// headers and then each idle gap between chunks.
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = d;
        self
    }

    /// Time limit for establishing a connection (default 5 s). Not applied to a client
    /// given with [`http_client`](Self::http_client).
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.connect_timeout = d;
        self
    }

    /// Retries after the first attempt (default 2).
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = n;
        self
    }

    /// A header sent on every request; wins over built-in headers and the custom-headers
    /// environment variable, loses to per-request headers.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_headers.push((name.into(), value.into()));
        self
    }

    /// Replace the default `User-Agent` (`<client_name>/Rust <crate_version>`).
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.user_agent = Some(ua.into());
        self
    }

    /// Use this `reqwest` client (and its pool) instead of building one. Its own settings
    /// (connect timeout, redirects, proxies) then apply.
    pub fn http_client(mut self, c: reqwest::Client) -> Self {
        self.http_client = Some(c);
        self
    }

    /// The largest SSE event a stream accepts, in bytes (default 16 MiB); a larger one
    /// ends the stream with [`Error::Stream`].
    pub fn max_event_size(mut self, bytes: usize) -> Self {
        self.max_event_size = bytes;
        self
    }

    /// Multiply every retry delay by `factor` (for tests).
    #[doc(hidden)]
    pub fn backoff_scale(mut self, factor: f64) -> Self {
        self.backoff_scale = factor;
        self
    }

    /// Read the environment variables named in the [`ApiDescription`]: each auth
    /// scheme's variable, the base URL and the custom headers. Empty variables count as
    /// unset; explicit builder values (set before or after) win.
    pub fn from_env(mut self) -> Self {
        let api = self.api;
        self.env_credentials.clear();
        for scheme in api.auth {
            if let Some(var) = scheme.env {
                match env_var(var) {
                    Ok(Some(v)) => self.env_credentials.push((scheme.name, Secret::new(v))),
                    Ok(None) => {}
                    Err(e) => self.errors.push(e),
                }
            }
        }
        if let Some(var) = api.env.base_url {
            match env_var(var) {
                Ok(v) => self.env_base_url = v,
                Err(e) => self.errors.push(e),
            }
        }
        if let Some(var) = api.env.custom_headers {
            match env_var(var) {
                Ok(v) => {
                    self.env_headers = v.as_deref().map(parse_header_lines).unwrap_or_default();
                    self.env_headers_var = Some(var);
                }
                Err(e) => self.errors.push(e),
            }
        }
        self
    }

    /// Build the client. Fails with [`Error::Config`] on a bad base URL, header,
    /// credential name or environment variable.
    pub fn build(self) -> Result<Client, Error> {
        let config = |reason: String| Error::Config { reason };
        if let Some(e) = self.errors.into_iter().next() {
            return Err(config(e));
        }
        let api = self.api;

        // Credentials: explicit, else environment.
        for (name, _) in &self.credentials {
            if !api.auth.iter().any(|s| s.name == name) {
                let known: Vec<&str> = api.auth.iter().map(|s| s.name).collect();
                return Err(config(format!(
                    "unknown auth scheme `{name}` (known: {})",
                    known.join(", ")
                )));
            }
        }
        let mut creds: Vec<(&'static AuthScheme, Secret)> = Vec::new();
        for scheme in api.auth {
            let explicit = self
                .credentials
                .iter()
                .find(|(n, s)| n == scheme.name && !s.is_empty())
                .map(|(_, s)| s.clone());
            let from_env = || {
                self.env_credentials
                    .iter()
                    .find(|(n, _)| *n == scheme.name)
                    .map(|(_, s)| s.clone())
            };
            if let Some(secret) = explicit.or_else(from_env) {
                creds.push((scheme, secret));
            }
        }

        // Base URL: explicit, else environment, else the API's default.
        let base_url = self
            .base_url
            .or(self.env_base_url)
            .unwrap_or_else(|| api.default_base_url.to_owned());
        let mut base_url = base_url.trim().trim_end_matches('/').to_owned();
        if base_url.is_empty() {
            let hint = api
                .env
                .base_url
                .map(|v| format!(" or the environment variable {v}"))
                .unwrap_or_default();
            return Err(config(format!(
                "no base URL: set one with `base_url`{hint}"
            )));
        }
        // Messages show the URL with any password in it redacted.
        let shown = redact_url(&base_url);
        let parsed = reqwest::Url::parse(&base_url)
            .map_err(|e| config(format!("invalid base URL {shown:?}: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(config(format!("base URL {shown:?} is not http or https")));
        }
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(config(format!(
                "base URL {shown:?} must not have a query or fragment"
            )));
        }
        let insecure_host = insecure_http_host(&parsed);
        // User info (`https://user:pass@host`) becomes HTTP Basic auth, as in curl and httpx,
        // and leaves the URL: the HTTP stack would otherwise carry it in its pool key (and
        // log it at TRACE level) without ever sending it.
        let url_basic_auth = if parsed.username().is_empty() && parsed.password().is_none() {
            None
        } else {
            let user = percent_decode(parsed.username());
            let password = parsed.password().map(percent_decode).unwrap_or_default();
            let mut clean = parsed.clone();
            let _ = clean.set_username("");
            let _ = clean.set_password(None);
            base_url = clean.as_str().trim_end_matches('/').to_owned();
            let mut credentials = user;
            credentials.push(b':');
            credentials.extend_from_slice(&password);
            Some(Secret::new(format!("Basic {}", base64(&credentials))))
        };

        for name in [api.retry_count_header, api.request_id_header]
            .into_iter()
            .flatten()
        {
            parse_name(name).map_err(|e| config(format!("API description: {e}")))?;
        }

        // Headers, later wins: built-ins, custom-headers env var, builder defaults.
        let mut headers = HeaderMap::new();
        let ua = self
            .user_agent
            .unwrap_or_else(|| format!("{}/Rust {}", api.client_name, api.crate_version));
        set_header(api, &mut headers, USER_AGENT.as_str(), &ua).map_err(config)?;
        for (name, value) in api.default_headers {
            set_header(api, &mut headers, name, value).map_err(config)?;
        }
        if let Some(basic) = &url_basic_auth {
            // Credentials set below (a bearer token, say) win over the URL's.
            set_header(api, &mut headers, AUTHORIZATION.as_str(), basic.expose())
                .map_err(|e| config(format!("user info in the base URL: {e}")))?;
        }
        let mut cookies = Vec::new();
        let mut query_auth = Vec::new();
        for (scheme, secret) in &creds {
            match scheme.location {
                AuthLocation::Header { name, prefix } => {
                    let value = format!("{prefix}{}", secret.expose());
                    set_header(api, &mut headers, name, &value).map_err(|e| {
                        config(format!("credential for auth scheme `{}`: {e}", scheme.name))
                    })?;
                }
                AuthLocation::Query { name } => query_auth.push((name, secret.clone())),
                AuthLocation::Cookie { name } => {
                    cookies.push(format!("{name}={}", secret.expose()));
                }
            }
        }
        if !cookies.is_empty() {
            set_header(api, &mut headers, COOKIE.as_str(), &cookies.join("; "))
                .map_err(|e| config(format!("auth cookie: {e}")))?;
        }
        for (name, value) in &self.env_headers {
            set_header(api, &mut headers, name, value).map_err(|e| {
                config(format!(
                    "environment variable {}: {e}",
                    self.env_headers_var.unwrap_or("with custom headers")
                ))
            })?;
        }
        for (name, value) in &self.default_headers {
            set_header(api, &mut headers, name, value).map_err(config)?;
        }

        let http = match self.http_client {
            Some(c) => c,
            None => {
                let policy = reqwest::redirect::Policy::custom(|attempt| {
                    // Follow same-origin redirects only: credentials in custom headers
                    // must not travel to another host.
                    let same = attempt
                        .previous()
                        .first()
                        .is_some_and(|first| same_origin(first, attempt.url()));
                    if attempt.previous().len() > 10 {
                        attempt.error("too many redirects")
                    } else if same {
                        attempt.follow()
                    } else {
                        attempt.stop()
                    }
                });
                reqwest::Client::builder()
                    .connect_timeout(self.connect_timeout)
                    .pool_max_idle_per_host(POOL_MAX_IDLE_PER_HOST)
                    .redirect(policy)
                    .build()
                    .map_err(|e| config(format!("could not build the HTTP client: {e}")))?
            }
        };

        let base =
            reqwest::Url::parse(&base_url).map_err(|e| config(format!("invalid base URL: {e}")))?;
        let retry_header = api
            .retry_count_header
            .and_then(|name| HeaderName::from_bytes(name.as_bytes()).ok());
        Ok(Client {
            inner: Arc::new(Inner {
                api,
                http,
                base_url,
                base,
                retry_header,
                timeout: self.timeout,
                connect_timeout: self.connect_timeout,
                max_retries: self.max_retries,
                headers,
                has_credential: !creds.is_empty(),
                query_auth,
                max_event_size: self.max_event_size,
                backoff_scale: self.backoff_scale,
                insecure_host,
                insecure_warned: AtomicBool::new(false),
            }),
        })
    }
}

/// A request ready to send (possibly several times).
struct Prepared {
    method: Method,
    url: reqwest::Url,
    headers: HeaderMap,
    body: Option<Bytes>,
    retry_header: Option<HeaderName>,
    timeout: Duration,
    max_retries: u32,
}

enum Outcome {
    Full {
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
    },
    Stream(reqwest::Response),
}

fn request_span(req: &Request) -> tracing::Span {
    tracing::info_span!(
        "request",
        method = %req.method(),
        path = %req.path(),
        attempt = tracing::field::Empty,
        status = tracing::field::Empty,
    )
}

fn media_type_is(content_type: Option<&HeaderValue>, expected: &str) -> bool {
    content_type
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case(expected))
}

impl Client {
    /// A builder for a client of this API.
    pub fn builder(api: &'static ApiDescription) -> ClientBuilder {
        ClientBuilder::new(api)
    }

    /// The base URL in use (without a trailing `/`).
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The API description.
    pub fn api(&self) -> &'static ApiDescription {
        self.inner.api
    }

    /// The per-attempt timeout.
    pub fn timeout(&self) -> Duration {
        self.inner.timeout
    }

    /// The default number of retries.
    pub fn max_retries(&self) -> u32 {
        self.inner.max_retries
    }

    fn request_id(&self, headers: &HeaderMap) -> Option<String> {
        self.inner
            .api
            .request_id_header
            .and_then(|name| headers.get(name))
            .and_then(|v| v.to_str().ok())
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    }

    /// Send and parse a JSON response body as `T`.
    pub async fn send_json<T: DeserializeOwned, E: ErrorEnvelope>(
        &self,
        req: Request,
        opts: &RequestOptions,
    ) -> Result<RawResponse<T>, Error<E>> {
        let (status, headers, body, retries) = self.send_full(req, opts, ACCEPT_JSON).await?;
        let request_id = self.request_id(&headers);
        match serde_json::from_slice::<T>(&body) {
            Ok(value) => Ok(RawResponse::new(
                status, headers, request_id, retries, value,
            )),
            Err(e) => Err(Error::Decode {
                status,
                headers: Box::new(headers),
                body,
                request_id,
                source: Box::new(e),
            }),
        }
    }

    /// Send and return the raw response body (binary or text responses). Sends
    /// `Accept: */*` unless the request sets its own.
    pub async fn send_bytes<E: ErrorEnvelope>(
        &self,
        req: Request,
        opts: &RequestOptions,
    ) -> Result<RawResponse<Bytes>, Error<E>> {
        let (status, headers, body, retries) = self.send_full(req, opts, ACCEPT_ANY).await?;
        let request_id = self.request_id(&headers);
        Ok(RawResponse::new(status, headers, request_id, retries, body))
    }

    /// Send and ignore the response body (e.g. 204 No Content).
    pub async fn send_empty<E: ErrorEnvelope>(
        &self,
        req: Request,
        opts: &RequestOptions,
    ) -> Result<RawResponse<()>, Error<E>> {
        let (status, headers, _body, retries) = self.send_full(req, opts, ACCEPT_JSON).await?;
        let request_id = self.request_id(&headers);
        Ok(RawResponse::new(status, headers, request_id, retries, ()))
    }

    /// Send with `Accept: text/event-stream` and return the decoded event stream.
    ///
    /// A non-2xx status takes the normal error and retry path; a 2xx response whose
    /// media type is not `text/event-stream` is an [`Error::Decode`]. Once the stream is
    /// returned nothing is retried.
    pub async fn send_stream<T, E>(
        &self,
        req: Request,
        opts: &RequestOptions,
        events: &'static StreamEvents,
    ) -> Result<EventStream<T, E>, Error<E>>
    where
        T: DeserializeOwned + Send + 'static,
        E: ErrorEnvelope,
    {
        let span = request_span(&req);
        let fut = async {
            let mut rng = Rng::new();
            let prepared = self.prepare::<E>(req, opts, ACCEPT_SSE, &mut rng)?;
            let timeout = prepared.timeout;
            let (outcome, retries) = self.execute::<E>(prepared, true, &mut rng, &span).await?;
            let response = match outcome {
                Outcome::Stream(r) => r,
                Outcome::Full {
                    status,
                    headers,
                    body,
                } => {
                    // Not reached: `execute` returns the response itself when streaming.
                    let request_id = self.request_id(&headers);
                    return Err(Error::Decode {
                        status,
                        headers: Box::new(headers),
                        body,
                        request_id,
                        source: "expected an event stream".into(),
                    });
                }
            };
            let request_id = self.request_id(response.headers());
            if !media_type_is(response.headers().get(CONTENT_TYPE), ACCEPT_SSE) {
                let status = response.status();
                let headers = response.headers().clone();
                let found = headers
                    .get(CONTENT_TYPE)
                    .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                    .unwrap_or_else(|| "no content type".to_owned());
                let body = read_limited(response, timeout, WRONG_TYPE_BODY_LIMIT).await;
                return Err(Error::Decode {
                    status,
                    headers: Box::new(headers),
                    body,
                    request_id,
                    source: format!("expected content type text/event-stream, got {found:?}")
                        .into(),
                });
            }
            Ok(event_stream(
                response,
                events,
                timeout,
                self.inner.max_event_size,
                request_id,
                retries,
            ))
        };
        fut.instrument(span.clone()).await
    }

    async fn send_full<E: ErrorEnvelope>(
        &self,
        req: Request,
        opts: &RequestOptions,
        accept: &'static str,
    ) -> Result<(StatusCode, HeaderMap, Bytes, u32), Error<E>> {
        let span = request_span(&req);
        let fut = async {
            let mut rng = Rng::new();
            let prepared = self.prepare::<E>(req, opts, accept, &mut rng)?;
            match self.execute::<E>(prepared, false, &mut rng, &span).await? {
                (
                    Outcome::Full {
                        status,
                        headers,
                        body,
                    },
                    retries,
                ) => Ok((status, headers, body, retries)),
                (Outcome::Stream(response), retries) => {
                    // Not reached: `execute` reads the body when not streaming.
                    let status = response.status();
                    let headers = response.headers().clone();
                    let body = read_limited(response, self.inner.timeout, usize::MAX).await;
                    Ok((status, headers, body, retries))
                }
            }
        };
        fut.instrument(span.clone()).await
    }

    /// Everything that can fail before I/O: body, headers, auth, URL.
    fn prepare<E: ErrorEnvelope>(
        &self,
        req: Request,
        opts: &RequestOptions,
        accept: &'static str,
        rng: &mut Rng,
    ) -> Result<Prepared, Error<E>> {
        let inner = &*self.inner;
        let api = inner.api;
        if let Some(reason) = req.error {
            return Err(Error::invalid(reason));
        }
        let body = if opts.extra_body.is_empty() {
            req.body
        } else {
            merge_extra_body(req.body, &opts.extra_body).map_err(Error::invalid)?
        };
        let body = body
            .map(|b| b.encode(rng))
            .transpose()
            .map_err(Error::invalid)?;

        let mut headers = inner.headers.clone();
        if !headers.contains_key(ACCEPT) {
            headers.insert(ACCEPT, HeaderValue::from_static(accept));
        }
        if let Some((content_type, _)) = &body {
            if !headers.contains_key(CONTENT_TYPE) {
                let name = CONTENT_TYPE;
                let value = parse_value(&name, content_type, false).map_err(Error::invalid)?;
                headers.insert(name, value);
            }
        }
        for (name, value) in req.headers.iter().chain(opts.headers.iter()) {
            set_header(api, &mut headers, name, value).map_err(Error::invalid)?;
        }

        // Query: the request's, with the options' replacing same-named ones, then auth.
        let mut query: Vec<(&str, &str)> = req
            .query
            .iter()
            .filter(|(n, _)| !opts.query.iter().any(|(o, _)| o == n))
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        query.extend(opts.query.iter().map(|(n, v)| (n.as_str(), v.as_str())));

        if api.auth_required && !api.auth.is_empty() && !inner.has_credential {
            let caller_set = api.auth.iter().any(|s| match s.location {
                AuthLocation::Header { name, .. } => headers.contains_key(name),
                AuthLocation::Query { name } => query.iter().any(|(n, _)| *n == name),
                AuthLocation::Cookie { name } => headers.get_all(COOKIE).iter().any(|v| {
                    v.to_str().is_ok_and(|c| {
                        c.split(';')
                            .any(|kv| kv.trim().split_once('=').is_some_and(|(k, _)| k == name))
                    })
                }),
            });
            if !caller_set {
                let hints: Vec<String> = api
                    .auth
                    .iter()
                    .map(|s| match s.env {
                        Some(var) => format!("`{}` (or {var})", s.name),
                        None => format!("`{}`", s.name),
                    })
                    .collect();
                return Err(Error::invalid(format!(
                    "no credential configured: set one of {}",
                    hints.join(", ")
                )));
            }
        }

        let path = req.path.trim_start_matches('/');
        let mut url = if path.contains(['?', '#']) || inner.base.query().is_some() {
            // Rare shapes: let the URL parser split them.
            let joined = if path.is_empty() {
                inner.base_url.clone()
            } else {
                format!("{}/{}", inner.base_url, path)
            };
            reqwest::Url::parse(&joined)
                .map_err(|e| Error::invalid(format!("invalid request path {:?}: {e}", req.path)))?
        } else {
            // The common case, without re-parsing the base URL on every request.
            let mut url = inner.base.clone();
            if !path.is_empty() {
                let joined = format!("{}/{}", url.path().trim_end_matches('/'), path);
                url.set_path(&joined);
            }
            url
        };
        if !query.is_empty() || !inner.query_auth.is_empty() {
            let mut pairs = url.query_pairs_mut();
            pairs.extend_pairs(query);
            for (name, secret) in &inner.query_auth {
                pairs.append_pair(name, secret.expose());
            }
        }

        let retry_header = inner
            .retry_header
            .clone()
            .filter(|name| !headers.contains_key(name));

        Ok(Prepared {
            method: req.method,
            url,
            headers,
            body: body.map(|(_, bytes)| bytes),
            retry_header,
            timeout: opts.timeout.unwrap_or(inner.timeout),
            max_retries: opts.max_retries.unwrap_or(inner.max_retries),
        })
    }

    fn transport_error<E: ErrorEnvelope>(&self, e: reqwest::Error) -> Error<E> {
        if e.is_timeout() {
            Error::Timeout {
                timeout: self.inner.connect_timeout,
            }
        } else if e.is_builder() {
            Error::invalid(format!(
                "could not build the HTTP request: {}",
                e.without_url()
            ))
        } else {
            Error::Connection {
                source: Box::new(e.without_url()),
            }
        }
    }

    /// The attempt loop: send, classify, maybe wait and retry.
    async fn execute<E: ErrorEnvelope>(
        &self,
        p: Prepared,
        streaming: bool,
        rng: &mut Rng,
        span: &tracing::Span,
    ) -> Result<(Outcome, u32), Error<E>> {
        let inner = &*self.inner;
        if let Some(host) = &inner.insecure_host {
            if !inner.insecure_warned.swap(true, Ordering::Relaxed) {
                tracing::warn!(
                    host = %host,
                    "the base URL uses plain http:// to a host that is not loopback: \
                     credentials and data travel unencrypted"
                );
            }
        }
        let mut attempt: u32 = 0;
        loop {
            span.record("attempt", attempt);
            let mut request = reqwest::Request::new(p.method.clone(), p.url.clone());
            let mut headers = p.headers.clone();
            if let Some(name) = &p.retry_header {
                headers.insert(name.clone(), HeaderValue::from(attempt));
            }
            *request.headers_mut() = headers;
            if let Some(body) = &p.body {
                *request.body_mut() = Some(reqwest::Body::from(body.clone()));
            }
            let deadline = tokio::time::Instant::now() + p.timeout;
            let sent = tokio::time::timeout_at(deadline, inner.http.execute(request)).await;
            let failure: Error<E> = match sent {
                Err(_) => Error::Timeout { timeout: p.timeout },
                Ok(Err(e)) => self.transport_error(e),
                Ok(Ok(response)) => {
                    let status = response.status();
                    span.record("status", status.as_u16());
                    if status.is_success() {
                        if streaming {
                            return Ok((Outcome::Stream(response), attempt));
                        }
                        let headers = response.headers().clone();
                        match tokio::time::timeout_at(deadline, response.bytes()).await {
                            Ok(Ok(body)) => {
                                let outcome = Outcome::Full {
                                    status,
                                    headers,
                                    body,
                                };
                                return Ok((outcome, attempt));
                            }
                            Ok(Err(e)) => self.transport_error(e),
                            Err(_) => Error::Timeout { timeout: p.timeout },
                        }
                    } else {
                        let headers = response.headers().clone();
                        let body = match tokio::time::timeout_at(deadline, response.bytes()).await {
                            Ok(Ok(body)) => body,
                            _ => Bytes::new(),
                        };
                        let retry = retry::should_retry(status, &headers);
                        if retry && attempt < p.max_retries {
                            let delay = retry::retry_delay(
                                Some(&headers),
                                attempt,
                                rng,
                                inner.backoff_scale,
                            );
                            tracing::debug!(
                                status = status.as_u16(),
                                delay_ms = delay.as_millis() as u64,
                                "retrying after error status"
                            );
                            tokio::time::sleep(delay).await;
                            attempt += 1;
                            continue;
                        }
                        let err = ApiError::from_response(
                            status,
                            headers,
                            body,
                            inner.api.request_id_header,
                        );
                        return Err(Error::Api(Box::new(err)));
                    }
                }
            };
            if !failure.is_retryable() || attempt >= p.max_retries {
                return Err(failure);
            }
            let delay = retry::retry_delay(None, attempt, rng, inner.backoff_scale);
            tracing::debug!(
                error = %failure,
                delay_ms = delay.as_millis() as u64,
                "retrying after transport error"
            );
            drop(failure);
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }
}

/// Read at most about `limit` bytes of a body within `timeout`; errors end the read.
async fn read_limited(mut response: reqwest::Response, timeout: Duration, limit: usize) -> Bytes {
    let mut buf = BytesMut::new();
    let deadline = tokio::time::Instant::now() + timeout;
    while buf.len() < limit {
        match tokio::time::timeout_at(deadline, response.chunk()).await {
            Ok(Ok(Some(chunk))) => buf.extend_from_slice(&chunk),
            _ => break,
        }
    }
    buf.freeze()
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
    fn media_type_comparison() {
        let v = |s: &'static str| HeaderValue::from_static(s);
        assert!(media_type_is(Some(&v("text/event-stream")), ACCEPT_SSE));
        assert!(media_type_is(
            Some(&v("text/event-stream; charset=utf-8")),
            ACCEPT_SSE
        ));
        assert!(media_type_is(
            Some(&v("Text/Event-Stream ;charset=utf-8")),
            ACCEPT_SSE
        ));
        assert!(!media_type_is(Some(&v("application/json")), ACCEPT_SSE));
        assert!(!media_type_is(Some(&v("text/event-streamx")), ACCEPT_SSE));
        assert!(!media_type_is(None, ACCEPT_SSE));
    }

    static TEST_API: ApiDescription = ApiDescription {
        client_name: "T",
        crate_version: "1",
        default_base_url: "http://127.0.0.1:1",
        auth: &[AuthScheme {
            name: "Key",
            location: AuthLocation::Header {
                name: "X-Test-Key",
                prefix: "",
            },
            env: None,
        }],
        auth_required: true,
        default_headers: &[],
        retry_count_header: None,
        request_id_header: None,
        env: crate::api::EnvNames {
            base_url: None,
            custom_headers: None,
        },
    };

    #[test]
    fn auth_headers_are_marked_sensitive() {
        let client = Client::builder(&TEST_API)
            .credential("Key", "k")
            .build()
            .unwrap();
        assert!(client.inner.headers["x-test-key"].is_sensitive());
        assert!(!client.inner.headers["user-agent"].is_sensitive());
        let req = Request::new(Method::GET, "/").header("authorization", "Bearer t");
        let p = client
            .prepare::<serde_json::Value>(req, &RequestOptions::new(), ACCEPT_JSON, &mut Rng::new())
            .unwrap();
        assert!(p.headers["authorization"].is_sensitive());
        assert!(p.headers["x-test-key"].is_sensitive());
        assert!(format!("{:?}", p.headers).contains("Sensitive"));
    }

    #[test]
    fn redact_url_hides_passwords_and_lone_user_tokens() {
        assert_eq!(
            redact_url("https://u:pw@h.example/p?q#f"),
            "https://u:***@h.example/p?q#f"
        );
        assert_eq!(redact_url("https://tok@h/x@y"), "https://***@h/x@y");
        assert_eq!(redact_url("https://h.example/a@b"), "https://h.example/a@b");
        assert_eq!(redact_url("http://a:b:c@[::1"), "http://a:***@[::1");
        assert_eq!(redact_url("not a url"), "not a url");
        assert_eq!(redact_url("x://@"), "x://***@");
        assert_eq!(redact_url(""), "");
    }

    #[test]
    fn base64_and_percent_decoding() {
        for (input, expected) in [
            (&b""[..], ""),
            (b"f", "Zg=="),
            (b"fo", "Zm8="),
            (b"foo", "Zm9v"),
            (b"foob", "Zm9vYg=="),
            (b"user:pass", "dXNlcjpwYXNz"),
            (b"\xff\xfe\x00", "//4A"),
        ] {
            assert_eq!(base64(input), expected);
        }
        assert_eq!(percent_decode("a%3Ab%40c%"), b"a:b@c%");
        assert_eq!(percent_decode("%zz%4"), b"%zz%4");
        assert_eq!(percent_decode("%C3%A9"), "é".as_bytes());
    }

    #[test]
    fn user_info_in_the_base_url_becomes_basic_auth_and_leaves_the_url() {
        let client = Client::builder(&TEST_API)
            .base_url("https://us%40er:p%3Ass@example.com/v1/")
            .credential("Key", "k")
            .build()
            .unwrap();
        assert_eq!(client.base_url(), "https://example.com/v1");
        let auth = &client.inner.headers["authorization"];
        assert_eq!(auth, &format!("Basic {}", base64(b"us@er:p:ss")));
        assert!(auth.is_sensitive());
    }

    #[test]
    fn insecure_hosts() {
        let host = |u: &str| insecure_http_host(&reqwest::Url::parse(u).unwrap());
        for loopback in [
            "http://127.0.0.1:8080",
            "http://127.1.2.3",
            "http://localhost",
            "http://LOCALHOST.:1",
            "http://api.localhost",
            "http://[::1]:9",
            "http://[::ffff:127.0.0.1]",
            "https://example.com",
            "https://10.0.0.1",
        ] {
            assert_eq!(host(loopback), None, "{loopback}");
        }
        assert_eq!(host("http://example.com"), Some("example.com".to_owned()));
        assert_eq!(
            host("http://10.1.2.3:8080/v1"),
            Some("10.1.2.3:8080".to_owned())
        );
        assert_eq!(
            host("http://[2001:db8::1]"),
            Some("[2001:db8::1]".to_owned())
        );
        assert_eq!(
            host("http://localhost.evil.com"),
            Some("localhost.evil.com".to_owned())
        );
        assert_eq!(host("http://0.0.0.0"), Some("0.0.0.0".to_owned()));
        assert_eq!(
            host("http://u:pw@example.com"),
            Some("example.com".to_owned())
        );
    }

    #[test]
    fn crlf_in_header_value_is_named_not_echoed() {
        let name = HeaderName::from_static("x-test-key");
        let err = parse_value(&name, "secret\r\nx-evil: 1", true).unwrap_err();
        assert!(err.contains("x-test-key"));
        assert!(!err.contains("secret"));
    }
}
