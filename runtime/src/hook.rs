//! Request hooks: code of the caller's that runs around every attempt.
//!
//! A trait object rather than a `tower` layer: the runtime then needs no `tower` dependency,
//! [`Client`](crate::Client) keeps a single type parameter (a layer would add its service type
//! to every signature of the generated crate), and only the step that may wait (fetching a
//! fresh token before an attempt) is async; observing a response or an error is a plain call.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use http::{HeaderMap, HeaderName, Method, StatusCode};

use crate::api::ApiDescription;
use crate::client::headers;
use crate::error::BoxError;

/// A boxed, `Send` future: what [`Hook::before_request`] returns.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Code run around every attempt of every request of a client (retries included), in the
/// order the hooks were added with [`ClientBuilder::hook`](crate::ClientBuilder::hook).
///
/// ```
/// use std::sync::atomic::{AtomicU32, Ordering};
/// use forge_runtime::{BoxError, BoxFuture, Hook, HookError, HookRequest};
///
/// /// Counts attempts and sends a fresh token with each.
/// struct Refresh(AtomicU32);
///
/// impl Hook for Refresh {
///     fn before_request<'a>(
///         &'a self,
///         request: &'a mut HookRequest,
///     ) -> BoxFuture<'a, Result<(), BoxError>> {
///         Box::pin(async move {
///             let n = self.0.fetch_add(1, Ordering::Relaxed);
///             request.set_header("authorization", &format!("Bearer token-{n}"))
///         })
///     }
///
///     fn after_error(&self, error: &HookError<'_>) {
///         eprintln!("attempt {} failed (retry: {}): {}", error.attempt(), error.will_retry(), error.error());
///     }
/// }
/// ```
pub trait Hook: Send + Sync + 'static {
    /// Before each attempt is sent; may add, replace or remove headers (a token refresh). An
    /// error abandons the request with [`Error::Hook`](crate::Error::Hook).
    fn before_request<'a>(
        &'a self,
        request: &'a mut HookRequest,
    ) -> BoxFuture<'a, Result<(), BoxError>> {
        let _ = request;
        Box::pin(async { Ok(()) })
    }

    /// After every attempt that got a status (an error status included), before its body is
    /// read.
    fn after_response(&self, response: &HookResponse<'_>) {
        let _ = response;
    }

    /// After every failed attempt (an error status, a transport error, a timeout, a body that
    /// did not decode), saying whether the request will be retried.
    fn after_error(&self, error: &HookError<'_>) {
        let _ = error;
    }
}

/// One attempt about to be sent, as a [`Hook`] sees it.
///
/// Header values are read by name only ([`header`](Self::header)); `Debug` shows the values of
/// headers that are not credentials and `***` for those that are.
pub struct HookRequest {
    method: Method,
    url: String,
    attempt: u32,
    headers: HeaderMap,
    api: &'static ApiDescription,
}

impl HookRequest {
    pub(crate) fn new(
        method: Method,
        url: String,
        attempt: u32,
        headers: HeaderMap,
        api: &'static ApiDescription,
    ) -> Self {
        HookRequest {
            method,
            url,
            attempt,
            headers,
            api,
        }
    }

    pub(crate) fn into_headers(self) -> HeaderMap {
        self.headers
    }

    /// The method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The URL, with the values of query-string credentials replaced by `***`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The attempt number: 0 for the first, 1 for the first retry, ...
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The value of the header `name` (the first, if it is repeated), in clear: credentials
    /// included, because the caller asked for this one by name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The names of the headers the attempt carries.
    pub fn header_names(&self) -> impl Iterator<Item = &str> + '_ {
        self.headers.keys().map(HeaderName::as_str)
    }

    /// Add or replace a header (validated like every other header: CR/LF and bad names are
    /// refused, naming the header, never the value).
    pub fn set_header(&mut self, name: &str, value: &str) -> Result<(), BoxError> {
        let (name, value) = headers::header(self.api, name, value)?;
        self.headers.insert(name, value);
        Ok(())
    }

    /// Remove a header (every value of it).
    pub fn remove_header(&mut self, name: &str) {
        self.headers.remove(name);
    }
}

impl fmt::Debug for HookRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Headers<'a>(&'a HeaderMap);
        impl fmt::Debug for Headers<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let mut map = f.debug_map();
                for (name, value) in self.0 {
                    if value.is_sensitive() {
                        map.entry(&name.as_str(), &"***");
                    } else {
                        map.entry(&name.as_str(), &String::from_utf8_lossy(value.as_bytes()));
                    }
                }
                map.finish()
            }
        }
        f.debug_struct("HookRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("attempt", &self.attempt)
            .field("headers", &Headers(&self.headers))
            .finish()
    }
}

/// An attempt that got a status, as a [`Hook`] sees it.
#[derive(Debug)]
pub struct HookResponse<'a> {
    pub(crate) method: &'a Method,
    pub(crate) url: &'a str,
    pub(crate) attempt: u32,
    pub(crate) status: StatusCode,
    pub(crate) headers: &'a HeaderMap,
    pub(crate) elapsed: Duration,
}

impl HookResponse<'_> {
    /// The method.
    pub fn method(&self) -> &Method {
        self.method
    }

    /// The URL, with query-string credentials redacted.
    pub fn url(&self) -> &str {
        self.url
    }

    /// The attempt number (0 for the first).
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        self.headers
    }

    /// From sending the attempt to its response head.
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }
}

/// A failed attempt, as a [`Hook`] sees it.
#[derive(Debug)]
pub struct HookError<'a> {
    pub(crate) method: &'a Method,
    pub(crate) url: &'a str,
    pub(crate) attempt: u32,
    pub(crate) error: &'a (dyn std::error::Error + Send + Sync + 'static),
    pub(crate) will_retry: bool,
}

impl HookError<'_> {
    /// The method.
    pub fn method(&self) -> &Method {
        self.method
    }

    /// The URL, with query-string credentials redacted.
    pub fn url(&self) -> &str {
        self.url
    }

    /// The attempt number (0 for the first).
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// What went wrong: an [`Error`](crate::Error) of the API's envelope type (downcast it to
    /// look inside); its text never holds a credential.
    pub fn error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        self.error
    }

    /// `true` if the request will be retried after this attempt.
    pub fn will_retry(&self) -> bool {
        self.will_retry
    }
}
