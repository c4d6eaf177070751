//! `forge-runtime`: the hand-written, API-agnostic support crate that generated API
//! clients call.
//!
//! It provides client configuration (builder, environment variables), authentication,
//! header assembly, per-attempt timeouts, retries with backoff, an SSE decoder and typed
//! event streams, and typed errors. Every API-specific fact arrives through a `'static`
//! [`ApiDescription`] (and [`StreamEvents`] for streaming endpoints), so this crate names
//! no API.
//!
//! ```no_run
//! use forge_runtime::{ApiDescription, AuthLocation, AuthScheme, Client, EnvNames, Method,
//!     Request, RequestOptions};
//!
//! static API: ApiDescription = ApiDescription {
//!     client_name: "Example",
//!     crate_version: "0.1.0",
//!     default_base_url: "https://api.example.com",
//!     auth: &[AuthScheme {
//!         name: "ApiKey",
//!         location: AuthLocation::Header { name: "x-api-key", prefix: "" },
//!         env: Some("EXAMPLE_API_KEY"),
//!     }],
//!     auth_required: true,
//!     default_headers: &[("example-version", "1")],
//!     retry_count_header: Some("x-retry-count"),
//!     request_id_header: Some("request-id"),
//!     env: EnvNames { base_url: Some("EXAMPLE_BASE_URL"), custom_headers: None },
//! };
//!
//! # async fn run() -> Result<(), forge_runtime::Error> {
//! let client = Client::builder(&API).from_env().build()?;
//! let req = Request::new(Method::POST, "/v1/things").json(&serde_json::json!({"a": 1}));
//! let resp = client
//!     .send_json::<serde_json::Value, serde_json::Value>(req, &RequestOptions::new())
//!     .await?;
//! println!("{} {:?}", resp.status(), resp.request_id());
//! # Ok(())
//! # }
//! ```
//!
//! Header precedence, later wins: built-ins (`user-agent`, `content-type`, `accept`, the
//! API's default headers, auth), then the custom-headers environment variable, then the
//! builder's default headers, then per-request headers ([`Request::header`], then
//! [`RequestOptions::header`]).

#![warn(missing_docs)]

mod api;
mod client;
mod error;
mod request;
mod response;
mod retry;
mod secret;
pub mod sse;
mod stream;
mod upload;
pub mod validation;
pub mod wire;

pub use api::{ApiDescription, AuthLocation, AuthScheme, EnvNames, EventAction, StreamEvents};
pub use client::{Client, ClientBuilder};
pub use error::{ApiError, ApiErrorKind, BoxError, Error, ErrorEnvelope};
pub use request::{encode_path_segment, Body, Part, Request, RequestOptions};
pub use response::RawResponse;
pub use secret::Secret;
pub use stream::EventStream;
pub use upload::Upload;

pub use bytes::Bytes;
pub use futures_core::Stream;
pub use http::{HeaderMap, HeaderValue, Method, StatusCode};
/// The HTTP client crate, re-exported for [`ClientBuilder::http_client`].
pub use reqwest;
