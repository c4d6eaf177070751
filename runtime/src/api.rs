//! What a generated crate tells the runtime about its API.
//!
//! Every API-specific fact (names of headers and environment variables, the base URL,
//! authentication schemes, statuses with a kind of their own, SSE event names) reaches the
//! runtime through these types, so the runtime itself names no API.

use crate::client::Client;
use crate::error::{ApiErrorKind, ErrorEnvelope};

/// Implemented by a generated crate's client type, a newtype over [`Client<Self>`].
///
/// ```
/// # use forge_runtime::{Api, ApiDescription, Client, EnvNames, RetryHeaders};
/// static DESCRIPTION: ApiDescription = ApiDescription {
///     client_name: "Example",
///     crate_version: "0.1.0",
///     default_base_url: "https://api.example.com",
///     auth: &[],
///     auth_required: false,
///     default_headers: &[],
///     retry_count_header: None,
///     request_id_header: None,
///     idempotency_header: None,
///     retry: RetryHeaders { should_retry: None, retry_after_ms: None },
///     status_kinds: &[],
///     env: EnvNames { base_url: None, custom_headers: None },
/// };
///
/// pub struct Example(Client<Example>);
///
/// impl Api for Example {
///     type Envelope = serde_json::Value;
///     const DESCRIPTION: &'static ApiDescription = &DESCRIPTION;
///     fn from_client(client: Client<Self>) -> Self {
///         Example(client)
///     }
/// }
///
/// let example: Example = Client::<Example>::builder().build().unwrap();
/// assert_eq!(example.0.base_url(), "https://api.example.com");
/// ```
pub trait Api: Sized + Send + Sync + 'static {
    /// The API's error body, or `serde_json::Value` when the spec declares none.
    type Envelope: ErrorEnvelope;
    /// Every fact about the API the runtime needs.
    const DESCRIPTION: &'static ApiDescription;
    /// Wraps a built runtime client: [`ClientBuilder::build`](crate::ClientBuilder::build)
    /// returns `Self` through this.
    fn from_client(client: Client<Self>) -> Self;
}

/// A `'static` description of one API, emitted by the code generator.
#[derive(Debug)]
pub struct ApiDescription {
    /// Client name used in the default `User-Agent`: `<client_name>/Rust <crate_version>`.
    pub client_name: &'static str,
    /// Version of the generated crate (usually `env!("CARGO_PKG_VERSION")`).
    pub crate_version: &'static str,
    /// Default base URL; may be `""`, in which case a base URL must be configured.
    pub default_base_url: &'static str,
    /// Authentication schemes in spec order; empty means no authentication.
    pub auth: &'static [AuthScheme],
    /// When `true`, sending fails before any I/O if no credential is configured and the
    /// caller did not set an auth header (or query parameter, or cookie) themselves.
    pub auth_required: bool,
    /// Headers sent on every request (lowest precedence besides the other built-ins).
    pub default_headers: &'static [(&'static str, &'static str)],
    /// Name of the header carrying the 0-based attempt number, if any.
    pub retry_count_header: Option<&'static str>,
    /// Name of the response header carrying the request id, if any.
    pub request_id_header: Option<&'static str>,
    /// Name of the header carrying one random key per logical request (the same on every
    /// retry), sent with every method but GET, HEAD, OPTIONS and TRACE; `None` sends none.
    pub idempotency_header: Option<&'static str>,
    /// The API's own retry hints, beyond HTTP's `retry-after`.
    pub retry: RetryHeaders,
    /// Statuses whose [`ApiErrorKind`] differs from the HTTP table (e.g. `(529, Overloaded)`).
    pub status_kinds: &'static [(u16, ApiErrorKind)],
    /// Names of the environment variables read by [`ClientBuilder::from_env`](crate::ClientBuilder::from_env).
    pub env: EnvNames,
}

/// Response headers, particular to an API, that steer retries.
#[derive(Debug, Clone, Copy, Default)]
pub struct RetryHeaders {
    /// A header whose `true`/`false` decides whether to retry before the status is looked at
    /// (e.g. `x-should-retry`).
    pub should_retry: Option<&'static str>,
    /// A header holding the delay before the retry in (float) milliseconds, read before HTTP's
    /// `retry-after` (e.g. `retry-after-ms`).
    pub retry_after_ms: Option<&'static str>,
}

/// Environment variable names read by [`ClientBuilder::from_env`](crate::ClientBuilder::from_env).
#[derive(Debug, Clone, Copy, Default)]
pub struct EnvNames {
    /// Variable holding the base URL.
    pub base_url: Option<&'static str>,
    /// Variable holding extra headers, one `Name: value` per line.
    pub custom_headers: Option<&'static str>,
}

/// One authentication scheme (an OpenAPI `securitySchemes` entry).
#[derive(Debug, Clone, Copy)]
pub struct AuthScheme {
    /// The scheme's key, accepted by [`ClientBuilder::credential`](crate::ClientBuilder::credential).
    pub name: &'static str,
    /// The builder method that sets it: `"api_key"`, `"auth_token"`, `"basic_auth"`, or another
    /// name (then set it with [`ClientBuilder::credential`](crate::ClientBuilder::credential)).
    pub setter: &'static str,
    /// What kind of credential it is.
    pub kind: AuthKind,
    /// Where the credential travels.
    pub location: AuthLocation,
    /// Environment variable holding the credential, if any.
    pub env: Option<&'static str>,
}

/// The kind of a credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthKind {
    /// An opaque key, sent as it is.
    ApiKey,
    /// A bearer token (`Authorization: Bearer <token>`; the prefix is in the location).
    Bearer,
    /// HTTP Basic: the secret after the location's prefix is `base64(user:password)`. A value
    /// given with a `:` in it (never part of base64) is taken as `user:password` and encoded.
    Basic,
}

/// Where a credential is placed on the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthLocation {
    /// A header `name: <prefix><secret>`, e.g. `Authorization: Bearer <token>`.
    Header {
        /// Header name.
        name: &'static str,
        /// Text put before the secret (e.g. `"Bearer "`), often empty.
        prefix: &'static str,
    },
    /// A query parameter `?name=<secret>`.
    Query {
        /// Parameter name.
        name: &'static str,
    },
    /// A cookie `name=<secret>` in the `Cookie` header.
    Cookie {
        /// Cookie name.
        name: &'static str,
    },
}

/// How a streaming endpoint's SSE event types map to actions.
#[derive(Debug)]
pub struct StreamEvents {
    /// Event type (the `event:` field; `message` when absent) and its action.
    pub events: &'static [(&'static str, EventAction)],
    /// Action for event types not listed in `events`.
    pub otherwise: EventAction,
}

impl StreamEvents {
    /// The action for an event type.
    pub fn action(&self, event: &str) -> EventAction {
        self.events
            .iter()
            .find(|(name, _)| *name == event)
            .map_or(self.otherwise, |(_, action)| *action)
    }
}

/// What an [`EventStream`](crate::EventStream) does with one SSE event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventAction {
    /// Parse the event's data as the stream's item type and yield it.
    Yield,
    /// Ignore the event (e.g. keep-alive pings).
    Skip,
    /// The data is an error envelope: yield an [`Error::Api`](crate::Error::Api)
    /// (status 200), then end the stream.
    Error,
}
