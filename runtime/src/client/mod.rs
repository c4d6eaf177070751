//! The client: its shared state, accessors and the typed send methods.
//!
//! The pieces: [`builder`] (configuration), [`url`] (base URL), [`headers`] (validation and
//! precedence), [`auth`] (credentials), [`send`] (preparing a request and the attempt loop),
//! [`read`] (what is done with a 2xx response).

pub(crate) mod auth;
mod builder;
mod deadline;
pub(crate) mod headers;
mod read;
mod send;
pub(crate) mod url;

use std::fmt;
use std::marker::PhantomData;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::HeaderName;
use serde::de::DeserializeOwned;

use crate::api::{Api, ApiDescription, AuthScheme, StreamEvents};
use crate::error::Error;
use crate::hook::Hook;
use crate::options::RequestOptions;
use crate::request::Request;
use crate::response::ResponseFuture;
use crate::secret::Secret;
use crate::stream::EventStream;

pub use builder::{http_client_builder, ClientBuilder};

/// The per-attempt time limit a client has unless told otherwise (as the official Python SDK).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);
/// The time limit for opening a connection a client has unless told otherwise.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Retries after the first attempt a client makes unless told otherwise (at most 3 attempts).
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// Idle keep-alive connections kept per host by the built-in pool (reqwest's default is
/// unbounded). The official Python SDK keeps at most 100 (`max_keepalive_connections`): a burst
/// of N concurrent requests otherwise leaves N idle sockets open for the 90 s idle timeout.
pub const POOL_MAX_IDLE_PER_HOST: usize = 100;

const ACCEPT_JSON: &str = "application/json";
const ACCEPT_ANY: &str = "*/*";
const ACCEPT_SSE: &str = "text/event-stream";

/// An API client: cheap to clone (an `Arc` inside), `Send + Sync` and `Debug` whatever `A` is,
/// one connection pool. `A` is the generated crate's client type, which supplies every fact
/// about the API ([`Api`]).
///
/// Requests must run inside a Tokio runtime with timers enabled (`#[tokio::main]` does this).
pub struct Client<A: Api> {
    pub(crate) inner: Arc<Inner>,
    /// `fn() -> A`: the client holds no `A`, so it is `Send + Sync` even when `A` is not.
    _api: PhantomData<fn() -> A>,
}

/// What every clone of a client shares. Not generic: the send path is compiled once per error
/// envelope type, not once per API.
pub(crate) struct Inner {
    pub(crate) api: &'static ApiDescription,
    pub(crate) http: reqwest::Client,
    pub(crate) base: url::BaseUrl,
    pub(crate) timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) max_retries: u32,
    /// Built-ins, auth, the custom-headers environment variable, the builder's defaults.
    pub(crate) headers: headers::ClientHeaders,
    pub(crate) idempotency_header: Option<HeaderName>,
    /// The credential per configured scheme, in the API's scheme order.
    pub(crate) credentials: Vec<(&'static AuthScheme, Secret)>,
    /// What `headers` was built from besides the credentials, to build the headers of an
    /// operation that accepts only some of the schemes.
    pub(crate) sources: headers::HeaderSources,
    pub(crate) max_event_size: usize,
    pub(crate) backoff_scale: f64,
    pub(crate) hooks: Vec<Box<dyn Hook>>,
    /// `Some(host)` when the base URL is `http://` to a host that is not loopback: the first
    /// request warns once (per client, clones included).
    pub(crate) insecure_host: Option<String>,
    pub(crate) insecure_warned: AtomicBool,
}

impl<A: Api> Clone for Client<A> {
    fn clone(&self) -> Self {
        Client {
            inner: Arc::clone(&self.inner),
            _api: PhantomData,
        }
    }
}

impl<A: Api> fmt::Debug for Client<A> {
    /// The base URL, limits and hook count; never a credential or header value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("api", &self.inner.api.client_name)
            .field("base_url", &url::redact_url(&self.inner.base.text))
            .field("timeout", &self.inner.timeout)
            .field("max_retries", &self.inner.max_retries)
            .field("hooks", &self.inner.hooks.len())
            .finish_non_exhaustive()
    }
}

impl<A: Api> Client<A> {
    pub(crate) fn from_inner(inner: Inner) -> Self {
        Client {
            inner: Arc::new(inner),
            _api: PhantomData,
        }
    }

    /// A builder for a client of this API.
    pub fn builder() -> ClientBuilder<A> {
        ClientBuilder::new()
    }

    /// The base URL in use (without a trailing `/`, without user info).
    pub fn base_url(&self) -> &str {
        &self.inner.base.text
    }

    /// The per-attempt timeout.
    pub fn timeout(&self) -> Duration {
        self.inner.timeout
    }

    /// The default number of retries.
    pub fn max_retries(&self) -> u32 {
        self.inner.max_retries
    }

    /// The API description (`A::DESCRIPTION`).
    pub fn description(&self) -> &'static ApiDescription {
        self.inner.api
    }

    /// Send (with retries) and parse a JSON response body as `T` (`Accept: application/json`).
    ///
    /// Each send method builds the request now and sends it when the future is first polled.
    pub fn send_json<'a, T: DeserializeOwned + Send + 'a>(
        &'a self,
        req: Request,
        opts: RequestOptions,
    ) -> ResponseFuture<'a, T, Error<A::Envelope>> {
        send::run(&self.inner, req, opts, ACCEPT_JSON, read::Json::<T>::new())
    }

    /// Send (with retries) and parse a JSON Lines body: one `T` per non-blank line
    /// (`Accept: */*`). A line that does not decode is an [`Error::Decode`] naming the line.
    pub fn send_json_lines<'a, T: DeserializeOwned + Send + 'a>(
        &'a self,
        req: Request,
        opts: RequestOptions,
    ) -> ResponseFuture<'a, Vec<T>, Error<A::Envelope>> {
        send::run(
            &self.inner,
            req,
            opts,
            ACCEPT_ANY,
            read::JsonLines::<T>::new(),
        )
    }

    /// Send and return the body as text, invalid UTF-8 replaced (`Accept: */*`).
    pub fn send_text(
        &self,
        req: Request,
        opts: RequestOptions,
    ) -> ResponseFuture<'_, String, Error<A::Envelope>> {
        send::run(&self.inner, req, opts, ACCEPT_ANY, read::Text)
    }

    /// Send and return the raw body (`Accept: */*`).
    pub fn send_bytes(
        &self,
        req: Request,
        opts: RequestOptions,
    ) -> ResponseFuture<'_, Bytes, Error<A::Envelope>> {
        send::run(&self.inner, req, opts, ACCEPT_ANY, read::Raw)
    }

    /// Send and ignore the response body (e.g. 204 No Content; `Accept: application/json`).
    pub fn send_empty(
        &self,
        req: Request,
        opts: RequestOptions,
    ) -> ResponseFuture<'_, (), Error<A::Envelope>> {
        send::run(&self.inner, req, opts, ACCEPT_JSON, read::Empty)
    }

    /// Send with `Accept: text/event-stream` and return the decoded event stream.
    ///
    /// A non-2xx status takes the normal error and retry path; a 2xx response whose media type
    /// is not `text/event-stream` is an [`Error::Decode`]. Once the stream is returned nothing
    /// is retried; the time limit then applies to each idle gap between chunks.
    pub async fn send_stream<T: DeserializeOwned + Send + 'static>(
        &self,
        req: Request,
        opts: RequestOptions,
        events: &'static StreamEvents,
    ) -> Result<EventStream<T, A::Envelope>, Error<A::Envelope>> {
        let response = send::run(&self.inner, req, opts, ACCEPT_SSE, read::Sse).await?;
        let retries = response.retries_taken();
        let (status, headers, request_id, (body, idle_timeout)) = response.into_parts();
        Ok(EventStream::new(
            body,
            crate::stream::StreamConfig {
                events,
                idle_timeout,
                max_event_size: self.inner.max_event_size,
            },
            status,
            headers,
            request_id,
            retries,
        ))
    }
}
