//! `forge-runtime`: the hand-written, API-agnostic support crate that generated API
//! clients call.
//!
//! It owns the client ([`Client`], [`ClientBuilder`]) and the send path: configuration
//! (builder, environment variables), authentication, header assembly, per-attempt timeouts,
//! retries with backoff, idempotency keys, request [hooks](Hook), auto-pagination, an SSE
//! decoder and typed event streams, and typed errors. Every API-specific fact arrives through
//! the [`Api`] trait and its `'static` [`ApiDescription`] (and [`StreamEvents`] for streaming
//! endpoints), so this crate names no API. A generated crate emits only what is particular to
//! its API; by hand that looks like this:
//!
//! ```no_run
//! use forge_runtime::{
//!     Api, ApiDescription, ApiErrorKind, AuthKind, AuthLocation, AuthScheme, Client, EnvNames,
//!     Method, Request, RequestOptions, RetryHeaders,
//! };
//!
//! static DESCRIPTION: ApiDescription = ApiDescription {
//!     client_name: "Example",
//!     crate_version: "0.1.0",
//!     default_base_url: "https://api.example.com",
//!     auth: &[AuthScheme {
//!         name: "ApiKey",
//!         setter: "api_key",
//!         kind: AuthKind::ApiKey,
//!         location: AuthLocation::Header { name: "x-api-key", prefix: "" },
//!         env: Some("EXAMPLE_API_KEY"),
//!     }],
//!     auth_required: true,
//!     default_headers: &[("example-version", "1")],
//!     retry_count_header: Some("x-retry-count"),
//!     request_id_header: Some("request-id"),
//!     idempotency_header: Some("idempotency-key"),
//!     retry: RetryHeaders { should_retry: Some("x-should-retry"), retry_after_ms: Some("retry-after-ms") },
//!     status_kinds: &[(529, ApiErrorKind::Overloaded)],
//!     env: EnvNames { base_url: Some("EXAMPLE_BASE_URL"), custom_headers: None },
//! };
//!
//! /// The crate's client: a newtype over the runtime's.
//! #[derive(Clone, Debug)]
//! pub struct Example(Client<Example>);
//!
//! impl Api for Example {
//!     type Envelope = serde_json::Value;
//!     const DESCRIPTION: &'static ApiDescription = &DESCRIPTION;
//!     fn from_client(client: Client<Self>) -> Self {
//!         Example(client)
//!     }
//! }
//!
//! # async fn run() -> Result<(), forge_runtime::Error> {
//! let example: Example = Client::<Example>::builder().from_env().build()?;
//! let req = Request::new(Method::POST, "/v1/things").json(&serde_json::json!({"a": 1}));
//! let thing = example.0.send_json::<serde_json::Value>(req, RequestOptions::new()).await?;
//! println!("{} {:?} {}", thing.status(), thing.request_id(), thing["a"]);
//! # Ok(())
//! # }
//! ```
//!
//! Header precedence, later wins: built-ins (`user-agent`, `content-type`, `accept`, the
//! API's default headers, auth), then the custom-headers environment variable, then the
//! builder's default headers, then per-request headers ([`Request::header`], then
//! [`RequestOptions::header`]).
//!
//! Features: `testing` adds `ClientBuilder::backoff_scale` (shorter retry delays), for tests
//! only.

#![warn(missing_docs)]

mod api;
mod body;
mod client;
mod error;
mod hook;
mod macros;
pub mod object;
mod options;
mod paginate;
mod request;
mod request_value;
mod response;
mod retry;
mod secret;
pub mod sse;
mod stream;
mod upload;
pub mod validation;
pub mod wire;

pub use api::{
    Api, ApiDescription, AuthKind, AuthLocation, AuthScheme, EnvNames, EventAction, RetryHeaders,
    StreamEvents,
};
pub use body::{encode_path_segment, Body, Part};
pub use client::{
    http_client_builder, Client, ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT, POOL_MAX_IDLE_PER_HOST,
};
pub use error::{ApiError, ApiErrorKind, BoxError, Error, ErrorEnvelope};
pub use hook::{BoxFuture, Hook, HookError, HookRequest, HookResponse};
pub use options::RequestOptions;
pub use paginate::{link_next, NextPage, Paginated};
pub use request::{Request, Security};
pub use response::{Response, ResponseFuture, ValueFuture};
pub use secret::Secret;
pub use stream::EventStream;
pub use upload::Upload;

pub use bytes::Bytes;
pub use futures_core::Stream;
/// `next()` and the other stream combinators for [`EventStream`] and [`Paginated`], re-exported
/// so a crate using them needs no `futures` dependency of its own.
pub use futures_util::StreamExt;
pub use http::{HeaderMap, HeaderValue, Method, StatusCode};
/// The HTTP client crate, re-exported for [`ClientBuilder::http_client`].
pub use reqwest;

/// Marks a generated request value that awaits one response: `Op<'a>` is `Op<'a, Single>`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Single;

/// Marks a generated request value that awaits an [`EventStream`]: `Op<'a, Streaming>`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Streaming;
