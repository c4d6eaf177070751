//! Configuring a client: explicit values, then environment variables, then defaults.

use std::fmt;
use std::marker::PhantomData;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use crate::api::{Api, ApiDescription};
use crate::client::auth::{self, Selector};
use crate::client::headers::{self, HeaderSources};
use crate::client::url::{parse_base, redact_url};
use crate::client::{
    Client, Inner, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT,
    POOL_MAX_IDLE_PER_HOST,
};
use crate::error::Error;
use crate::hook::Hook;
use crate::secret::Secret;
use crate::sse::DEFAULT_MAX_EVENT_SIZE;

/// Configures a [`Client`]. Explicit values win over environment variables
/// ([`from_env`](Self::from_env)), which win over defaults. `Debug` shows no credential.
pub struct ClientBuilder<A: Api> {
    credentials: Vec<(Selector, Secret)>,
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
    hooks: Vec<Box<dyn Hook>>,
    errors: Vec<String>,
    _api: PhantomData<fn() -> A>,
}

impl<A: Api> fmt::Debug for ClientBuilder<A> {
    /// Credentials and header values are left out.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let credentials: Vec<String> = self
            .credentials
            .iter()
            .map(|(s, _)| match s {
                Selector::Setter(s) => (*s).to_owned(),
                Selector::Name(n) => n.clone(),
            })
            .collect();
        f.debug_struct("ClientBuilder")
            .field("api", &A::DESCRIPTION.client_name)
            .field("credentials", &credentials)
            .field("base_url", &self.base_url.as_deref().map(redact_url))
            .field(
                "env_base_url",
                &self.env_base_url.as_deref().map(redact_url),
            )
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_retries", &self.max_retries)
            .field("hooks", &self.hooks.len())
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

impl<A: Api> Default for ClientBuilder<A> {
    fn default() -> Self {
        Self::new()
    }
}

impl<A: Api> ClientBuilder<A> {
    /// A builder with every default (the same as [`Client::builder`]).
    pub fn new() -> Self {
        ClientBuilder {
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
            hooks: Vec::new(),
            errors: Vec::new(),
            _api: PhantomData,
        }
    }

    /// The API key: the credential of the scheme whose setter is `api_key`. An API without
    /// one fails [`build`](Self::build), naming the schemes it has. Empty counts as unset.
    pub fn api_key(mut self, secret: impl Into<Secret>) -> Self {
        self.credentials
            .push((Selector::Setter("api_key"), secret.into()));
        self
    }

    /// The bearer token: the scheme whose setter is `auth_token`.
    pub fn auth_token(mut self, secret: impl Into<Secret>) -> Self {
        self.credentials
            .push((Selector::Setter("auth_token"), secret.into()));
        self
    }

    /// HTTP Basic credentials for the scheme whose setter is `basic_auth`; the runtime
    /// base64-encodes `user:password`.
    pub fn basic_auth(mut self, user: impl Into<String>, password: impl Into<Secret>) -> Self {
        let encoded =
            auth::base64(format!("{}:{}", user.into(), password.into().expose()).as_bytes());
        self.credentials
            .push((Selector::Setter("basic_auth"), Secret::new(encoded)));
        self
    }

    /// The credential for the scheme named `scheme`: its [`AuthScheme::name`](crate::AuthScheme::name)
    /// or its setter name. An empty secret counts as unset; an unknown name fails
    /// [`build`](Self::build).
    pub fn credential(mut self, scheme: &str, secret: impl Into<Secret>) -> Self {
        self.credentials
            .push((Selector::Name(scheme.to_owned()), secret.into()));
        self
    }

    /// The base URL; a path prefix is kept (`https://host/prefix` + `/v1/x`). User info in it
    /// (`https://user:pass@host`) is sent as `Authorization: Basic` and removed from the URL.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Time limit per attempt (default [`DEFAULT_TIMEOUT`]). For a stream it covers the wait
    /// for the headers and then each idle gap between chunks.
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = d;
        self
    }

    /// Time limit for opening a connection (default [`DEFAULT_CONNECT_TIMEOUT`]). Not applied
    /// to a client given with [`http_client`](Self::http_client).
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.connect_timeout = d;
        self
    }

    /// Retries after the first attempt (default [`DEFAULT_MAX_RETRIES`]).
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
    /// (connect timeout, redirects, proxies, pool limits, TLS) then apply; start from
    /// [`http_client_builder`](crate::http_client_builder) to keep the runtime's.
    pub fn http_client(mut self, c: reqwest::Client) -> Self {
        self.http_client = Some(c);
        self
    }

    /// The largest SSE event a stream accepts, in bytes (default
    /// [`sse::DEFAULT_MAX_EVENT_SIZE`](crate::sse::DEFAULT_MAX_EVENT_SIZE)); a larger one ends
    /// the stream with [`Error::Stream`].
    pub fn max_event_size(mut self, bytes: usize) -> Self {
        self.max_event_size = bytes;
        self
    }

    /// Run `hook` around every attempt; hooks run in the order they were added.
    pub fn hook(mut self, hook: impl Hook) -> Self {
        self.hooks.push(Box::new(hook));
        self
    }

    /// Multiply every retry delay by `factor` (tests only: the `testing` feature).
    #[cfg(feature = "testing")]
    pub fn backoff_scale(mut self, factor: f64) -> Self {
        self.backoff_scale = factor;
        self
    }

    /// Read the environment variables named in the [`ApiDescription`]: each auth scheme's
    /// variable, the base URL and the custom headers. Empty variables count as unset;
    /// explicit builder values (set before or after) win.
    pub fn from_env(mut self) -> Self {
        let api = A::DESCRIPTION;
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
                    self.env_headers = v
                        .as_deref()
                        .map(headers::parse_header_lines)
                        .unwrap_or_default();
                    self.env_headers_var = Some(var);
                }
                Err(e) => self.errors.push(e),
            }
        }
        self
    }

    /// Build the client and wrap it in `A` ([`Api::from_client`]). Fails with
    /// [`Error::Config`] on a bad base URL, header, credential name or environment variable.
    pub fn build(self) -> Result<A, Error<A::Envelope>> {
        self.build_inner()
            .map(|inner| A::from_client(Client::from_inner(inner)))
            .map_err(Error::config)
    }

    fn build_inner(self) -> Result<Inner, String> {
        if let Some(e) = self.errors.into_iter().next() {
            return Err(e);
        }
        let api: &'static ApiDescription = A::DESCRIPTION;
        let credentials = auth::resolve(api, &self.credentials, &self.env_credentials)?;

        // Base URL: explicit, else environment, else the API's default.
        let raw = self
            .base_url
            .or(self.env_base_url)
            .unwrap_or_else(|| api.default_base_url.to_owned());
        if raw.trim().trim_end_matches('/').is_empty() {
            let hint = api
                .env
                .base_url
                .map(|v| format!(" or the environment variable {v}"))
                .unwrap_or_default();
            return Err(format!("no base URL: set one with `base_url`{hint}"));
        }
        let parsed = parse_base(&raw)?;

        let name = |n: Option<&str>| {
            n.map(headers::parse_name)
                .transpose()
                .map_err(|e| format!("API description: {e}"))
        };
        let retry_header = name(api.retry_count_header)?;
        let idempotency_header = name(api.idempotency_header)?;
        name(api.request_id_header)?;

        let sources = HeaderSources {
            user_agent: self.user_agent,
            url_basic_auth: parsed.basic_auth,
            env_headers: self.env_headers,
            env_var: self.env_headers_var,
            defaults: self.default_headers,
            retry_count: retry_header,
        };
        let client_headers =
            headers::client_headers(api, &sources, &credentials.iter().collect::<Vec<_>>())?;

        let http = match self.http_client {
            Some(c) => c,
            None => http_client(self.connect_timeout)?,
        };
        Ok(Inner {
            api,
            http,
            base: parsed.base,
            timeout: self.timeout,
            connect_timeout: self.connect_timeout,
            max_retries: self.max_retries,
            headers: client_headers,
            idempotency_header,
            credentials,
            sources,
            max_event_size: self.max_event_size,
            backoff_scale: self.backoff_scale,
            hooks: self.hooks,
            insecure_host: parsed.insecure_host,
            insecure_warned: AtomicBool::new(false),
        })
    }
}

/// A `reqwest` client builder with the runtime's settings, for
/// [`ClientBuilder::http_client`]: rustls with the `ring` provider (installed as the process
/// default if none is, which reqwest 0.13 needs before any client is built), at most
/// [`POOL_MAX_IDLE_PER_HOST`] idle connections per host, same-origin redirects only (at most
/// 10), and the [`DEFAULT_CONNECT_TIMEOUT`]. Change what you need and build it.
pub fn http_client_builder() -> reqwest::ClientBuilder {
    install_ring();
    let policy = reqwest::redirect::Policy::custom(|attempt| {
        // Follow same-origin redirects only: credentials in custom headers must not travel
        // to another host.
        let same = attempt
            .previous()
            .first()
            .is_some_and(|first| crate::client::url::same_origin(first, attempt.url()));
        if attempt.previous().len() > 10 {
            attempt.error("too many redirects")
        } else if same {
            attempt.follow()
        } else {
            attempt.stop()
        }
    });
    reqwest::Client::builder()
        .connect_timeout(DEFAULT_CONNECT_TIMEOUT)
        .pool_max_idle_per_host(POOL_MAX_IDLE_PER_HOST)
        .redirect(policy)
}

/// reqwest 0.13 built without a provider panics when none is installed; ring is the one this
/// crate compiles (no aws-lc, no OpenSSL). One a caller installed first wins.
fn install_ring() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Losing a race to another thread installing one is fine: there is one then.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

/// The built-in reqwest client.
fn http_client(connect_timeout: Duration) -> Result<reqwest::Client, String> {
    http_client_builder()
        .connect_timeout(connect_timeout)
        .build()
        .map_err(|e| format!("could not build the HTTP client: {e}"))
}
