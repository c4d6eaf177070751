//! A parsed response together with its HTTP metadata.

use std::ops::Deref;

use http::{HeaderMap, StatusCode};

/// A response value with its status, headers, request id and the number of retries taken.
///
/// It dereferences to the value, so `response.field` reads the parsed body directly.
#[derive(Debug, Clone)]
pub struct Response<T> {
    status: StatusCode,
    headers: HeaderMap,
    request_id: Option<String>,
    retries_taken: u32,
    value: T,
}

impl<T> Response<T> {
    /// Assemble one (mostly for tests of generated code).
    pub fn new(
        status: StatusCode,
        headers: HeaderMap,
        request_id: Option<String>,
        retries_taken: u32,
        value: T,
    ) -> Self {
        Response {
            status,
            headers,
            request_id,
            retries_taken,
            value,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The request id response header, if the API has one and it was sent.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// How many retries were needed (0 when the first attempt succeeded).
    pub fn retries_taken(&self) -> u32 {
        self.retries_taken
    }

    /// The parsed value.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The parsed value, consuming the response.
    pub fn into_value(self) -> T {
        self.value
    }

    pub(crate) fn into_parts(self) -> (StatusCode, HeaderMap, Option<String>, T) {
        (self.status, self.headers, self.request_id, self.value)
    }

    /// Transform the value, keeping the metadata.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            status: self.status,
            headers: self.headers,
            request_id: self.request_id,
            retries_taken: self.retries_taken,
            value: f(self.value),
        }
    }
}

impl<T> Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

/// A request being sent: its [`Response`] or the error, once awaited.
pub type ResponseFuture<'a, T, E> = crate::BoxFuture<'a, Result<Response<T>, E>>;

/// What awaiting a generated request gives: the [`Response`]'s value alone. It polls the
/// runtime's one boxed future, so the value costs no second allocation or copy.
#[must_use = "futures do nothing unless awaited"]
pub struct ValueFuture<'a, T, E> {
    inner: ResponseFuture<'a, T, E>,
}

impl<'a, T, E> ValueFuture<'a, T, E> {
    /// The value of `inner`'s response.
    pub fn new(inner: ResponseFuture<'a, T, E>) -> Self {
        ValueFuture { inner }
    }
}

impl<T, E> std::future::Future for ValueFuture<'_, T, E> {
    type Output = Result<T, E>;

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        self.inner
            .as_mut()
            .poll(cx)
            .map(|r| r.map(Response::into_value))
    }
}

impl<T, E> std::fmt::Debug for ValueFuture<'_, T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ValueFuture")
    }
}
