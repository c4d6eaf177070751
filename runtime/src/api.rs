//! The static description of an API that generated code hands to the runtime.
//!
//! Every API-specific fact (names of headers and environment variables, the base URL,
//! authentication schemes, SSE event names) reaches the runtime through these types,
//! so the runtime itself names no API.

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
    /// Names of the environment variables read by [`ClientBuilder::from_env`](crate::ClientBuilder::from_env).
    pub env: EnvNames,
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
    /// The scheme's key, used by [`ClientBuilder::credential`](crate::ClientBuilder::credential).
    pub name: &'static str,
    /// Where the credential travels.
    pub location: AuthLocation,
    /// Environment variable holding the credential, if any.
    pub env: Option<&'static str>,
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
