//! Typed errors.
//!
//! `Display` and `Error` are written by hand rather than with `thiserror`: the messages
//! need custom formatting (one line, optional request id, status reason) and generic
//! bounds on `E`, and the runtime then needs no proc-macro crate at all.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

/// A boxed error source.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The error body of an API (e.g. `{"error":{"type":"…","message":"…"},"request_id":"…"}`).
///
/// Generated code implements this for its own envelope type; `serde_json::Value` implements
/// it with heuristics (`/error/type`, `/error/message` else `/message`, `/request_id`).
pub trait ErrorEnvelope: DeserializeOwned + fmt::Debug + Clone + Send + Sync + 'static {
    /// The machine-readable error type (often an open enum).
    type ErrorType: fmt::Debug + fmt::Display + Clone + Send + Sync + 'static;
    /// The error type, if the envelope has one.
    fn error_type(&self) -> Option<Self::ErrorType>;
    /// The human-readable message, if the envelope has one.
    fn message(&self) -> Option<&str>;
    /// The request id carried in the body, if any.
    fn request_id(&self) -> Option<&str>;
}

impl ErrorEnvelope for serde_json::Value {
    type ErrorType = String;

    fn error_type(&self) -> Option<String> {
        self.pointer("/error/type")
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned)
    }

    fn message(&self) -> Option<&str> {
        self.pointer("/error/message")
            .and_then(serde_json::Value::as_str)
            .or_else(|| self.get("message").and_then(serde_json::Value::as_str))
    }

    fn request_id(&self) -> Option<&str> {
        self.get("request_id").and_then(serde_json::Value::as_str)
    }
}

/// The class of an API error, chosen by HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApiErrorKind {
    /// 400
    BadRequest,
    /// 401
    Authentication,
    /// 403
    PermissionDenied,
    /// 404
    NotFound,
    /// 409
    Conflict,
    /// 413
    RequestTooLarge,
    /// 422
    UnprocessableEntity,
    /// 429
    RateLimit,
    /// 500 and any other status >= 500 except 529
    InternalServer,
    /// 529
    Overloaded,
    /// Any other status (including 200 for an error event inside a stream).
    Other,
}

impl ApiErrorKind {
    /// The kind for an HTTP status.
    pub fn from_status(status: StatusCode) -> Self {
        match status.as_u16() {
            400 => Self::BadRequest,
            401 => Self::Authentication,
            403 => Self::PermissionDenied,
            404 => Self::NotFound,
            409 => Self::Conflict,
            413 => Self::RequestTooLarge,
            422 => Self::UnprocessableEntity,
            429 => Self::RateLimit,
            529 => Self::Overloaded,
            s if s >= 500 => Self::InternalServer,
            _ => Self::Other,
        }
    }
}

/// An error reported by the API: a non-2xx response, or an error event inside a stream.
#[derive(Debug, Clone)]
pub struct ApiError<E: ErrorEnvelope = serde_json::Value> {
    kind: ApiErrorKind,
    status: StatusCode,
    envelope: Option<E>,
    message: String,
    request_id: Option<String>,
    headers: HeaderMap,
    body: Bytes,
    stream_event: bool,
}

impl<E: ErrorEnvelope> ApiError<E> {
    /// Build from a response. `request_id_header` names the response header holding the
    /// request id (the body's `request_id` is the fallback).
    pub fn from_response(
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
        request_id_header: Option<&str>,
    ) -> Self {
        let header_id = request_id_header
            .and_then(|name| headers.get(name))
            .and_then(|v| v.to_str().ok())
            .filter(|v| !v.is_empty())
            .map(str::to_owned);
        Self::build(status, headers, body, header_id, false)
    }

    /// Build from the data of an SSE error event (status 200, kind [`ApiErrorKind::Other`]).
    pub(crate) fn from_stream_event(
        headers: HeaderMap,
        request_id: Option<String>,
        data: String,
    ) -> Self {
        Self::build(StatusCode::OK, headers, Bytes::from(data), request_id, true)
    }

    fn build(
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
        request_id: Option<String>,
        stream_event: bool,
    ) -> Self {
        let envelope: Option<E> = if body.is_empty() {
            None
        } else {
            serde_json::from_slice(&body).ok()
        };
        let message = envelope
            .as_ref()
            .and_then(|e| e.message())
            .filter(|m| !m.is_empty())
            .map(str::to_owned)
            .or_else(|| {
                let text = String::from_utf8_lossy(&body);
                let text = text.trim();
                (!text.is_empty()).then(|| text.to_owned())
            })
            .unwrap_or_else(|| {
                status
                    .canonical_reason()
                    .map_or_else(|| format!("HTTP status {}", status.as_u16()), str::to_owned)
            });
        let request_id = request_id.or_else(|| {
            envelope
                .as_ref()
                .and_then(|e| e.request_id())
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        });
        ApiError {
            kind: if stream_event {
                ApiErrorKind::Other
            } else {
                ApiErrorKind::from_status(status)
            },
            status,
            envelope,
            message,
            request_id,
            headers,
            body,
            stream_event,
        }
    }

    /// The error class (from the HTTP status).
    pub fn kind(&self) -> ApiErrorKind {
        self.kind
    }

    /// The HTTP status (200 for an error event inside a stream).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The parsed envelope, `None` if the body was not that JSON.
    pub fn envelope(&self) -> Option<&E> {
        self.envelope.as_ref()
    }

    /// The envelope's error type.
    pub fn error_type(&self) -> Option<E::ErrorType> {
        self.envelope.as_ref().and_then(|e| e.error_type())
    }

    /// The envelope's message, else the raw body text, else the status reason.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The request id: the response header, else the envelope's `request_id`.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// All response headers (for a stream error event: the stream's headers).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The raw body bytes (for a stream error event: the event's data), kept even if not JSON.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// `true` if this came from an error event inside an event stream.
    pub fn is_stream_event(&self) -> bool {
        self.stream_event
    }

    /// `true` if the retry rules would retry this response.
    pub fn is_retryable(&self) -> bool {
        !self.stream_event && crate::retry::should_retry(self.status, &self.headers)
    }

    /// Re-parse the body with another envelope type.
    pub fn convert<E2: ErrorEnvelope>(self) -> ApiError<E2> {
        ApiError::build(
            self.status,
            self.headers,
            self.body,
            self.request_id,
            self.stream_event,
        )
    }
}

/// Keep a message on one line and reasonably short for `Display`.
fn one_line(text: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max_chars + 4));
    let mut count = 0;
    for word in text.split_whitespace() {
        if count > 0 {
            out.push(' ');
            count += 1;
        }
        for c in word.chars() {
            if count >= max_chars {
                out.push('…');
                return out;
            }
            out.push(c);
            count += 1;
        }
    }
    out
}

impl<E: ErrorEnvelope> fmt::Display for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let reason = self.status.canonical_reason();
        if self.stream_event {
            f.write_str("error event in stream")?;
        } else {
            write!(f, "{}", self.status.as_u16())?;
            if let Some(reason) = reason {
                write!(f, " {reason}")?;
            }
        }
        if let Some(t) = self.error_type() {
            write!(f, " ({t})")?;
        }
        if self.stream_event || Some(self.message.as_str()) != reason {
            write!(f, ": {}", one_line(&self.message, 300))?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request-id {id}]")?;
        }
        Ok(())
    }
}

impl<E: ErrorEnvelope> std::error::Error for ApiError<E> {}

/// Every error the runtime returns.
///
/// `E` is the API's error envelope type (see [`ErrorEnvelope`]).
#[derive(Debug)]
pub enum Error<E: ErrorEnvelope = serde_json::Value> {
    /// The API answered with an error: a non-2xx status, or an error event inside a stream
    /// (status 200).
    Api(Box<ApiError<E>>),
    /// Connecting, sending or receiving failed (refused, reset, closed mid-body, TLS, …).
    Connection {
        /// The underlying error (never contains the request URL).
        source: BoxError,
    },
    /// No answer within the time limit (per attempt, or per idle gap inside a stream).
    Timeout {
        /// The limit that was exceeded.
        timeout: Duration,
    },
    /// A 2xx response whose body could not be decoded (bad JSON, wrong content type).
    Decode {
        /// The response status.
        status: StatusCode,
        /// The response headers.
        headers: Box<HeaderMap>,
        /// The raw body (for a stream: the offending event's data).
        body: Bytes,
        /// The request id from the response header, if any.
        request_id: Option<String>,
        /// What went wrong.
        source: BoxError,
    },
    /// The event stream broke the SSE protocol (event too large, invalid UTF-8).
    Stream {
        /// What went wrong.
        reason: String,
        /// The stream's request id, if any.
        request_id: Option<String>,
    },
    /// The request was built wrong (bad header value, no credential, bad JSON body, …).
    /// Nothing was sent.
    InvalidRequest {
        /// What is wrong.
        reason: String,
    },
    /// The client could not be constructed (bad base URL, header, credential name, …).
    Config {
        /// What is wrong.
        reason: String,
    },
}

impl<E: ErrorEnvelope> Error<E> {
    /// The request id, if the server sent one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id(),
            Error::Decode { request_id, .. } | Error::Stream { request_id, .. } => {
                request_id.as_deref()
            }
            _ => None,
        }
    }

    /// The HTTP status, if a response was received.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status()),
            Error::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// `true` for errors the retry rules retry: connection errors, timeouts, and API
    /// errors with a retryable status or `x-should-retry: true`.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(e) => e.is_retryable(),
            Error::Connection { .. } | Error::Timeout { .. } => true,
            _ => false,
        }
    }

    /// The API error, if this is one.
    pub fn api_error(&self) -> Option<&ApiError<E>> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// Convert to another envelope type (an API error's body is re-parsed).
    pub fn convert<E2: ErrorEnvelope>(self) -> Error<E2> {
        match self {
            Error::Api(e) => Error::Api(Box::new(e.convert())),
            Error::Connection { source } => Error::Connection { source },
            Error::Timeout { timeout } => Error::Timeout { timeout },
            Error::Decode {
                status,
                headers,
                body,
                request_id,
                source,
            } => Error::Decode {
                status,
                headers,
                body,
                request_id,
                source,
            },
            Error::Stream { reason, request_id } => Error::Stream { reason, request_id },
            Error::InvalidRequest { reason } => Error::InvalidRequest { reason },
            Error::Config { reason } => Error::Config { reason },
        }
    }

    pub(crate) fn invalid(reason: impl Into<String>) -> Self {
        Error::InvalidRequest {
            reason: reason.into(),
        }
    }
}

impl<E: ErrorEnvelope> From<ApiError<E>> for Error<E> {
    fn from(e: ApiError<E>) -> Self {
        Error::Api(Box::new(e))
    }
}

/// Write an error and its sources as `a: b: c`, skipping a source whose text the
/// previous one already ends with.
fn write_chain(f: &mut fmt::Formatter<'_>, err: &(dyn std::error::Error + 'static)) -> fmt::Result {
    let mut last = err.to_string();
    f.write_str(&last)?;
    let mut cur = err.source();
    while let Some(e) = cur {
        let text = e.to_string();
        if !last.ends_with(&text) {
            write!(f, ": {text}")?;
        }
        last = text;
        cur = e.source();
    }
    Ok(())
}

fn write_request_id(f: &mut fmt::Formatter<'_>, id: &Option<String>) -> fmt::Result {
    match id {
        Some(id) => write!(f, " [request-id {id}]"),
        None => Ok(()),
    }
}

impl<E: ErrorEnvelope> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => fmt::Display::fmt(e, f),
            Error::Connection { source } => {
                f.write_str("connection error: ")?;
                write_chain(f, source.as_ref())
            }
            Error::Timeout { timeout } => write!(f, "request timed out after {timeout:?}"),
            Error::Decode {
                status,
                request_id,
                source,
                ..
            } => {
                write!(f, "could not decode {} response: ", status.as_u16())?;
                write_chain(f, source.as_ref())?;
                write_request_id(f, request_id)
            }
            Error::Stream { reason, request_id } => {
                write!(f, "event stream error: {reason}")?;
                write_request_id(f, request_id)
            }
            Error::InvalidRequest { reason } => write!(f, "invalid request: {reason}"),
            Error::Config { reason } => write!(f, "invalid client configuration: {reason}"),
        }
    }
}

impl<E: ErrorEnvelope> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Api(e) => Some(e.as_ref()),
            Error::Connection { source } | Error::Decode { source, .. } => Some(source.as_ref()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    #[test]
    fn kind_from_status_table() {
        let cases = [
            (400, ApiErrorKind::BadRequest),
            (401, ApiErrorKind::Authentication),
            (403, ApiErrorKind::PermissionDenied),
            (404, ApiErrorKind::NotFound),
            (409, ApiErrorKind::Conflict),
            (413, ApiErrorKind::RequestTooLarge),
            (422, ApiErrorKind::UnprocessableEntity),
            (429, ApiErrorKind::RateLimit),
            (500, ApiErrorKind::InternalServer),
            (502, ApiErrorKind::InternalServer),
            (503, ApiErrorKind::InternalServer),
            (529, ApiErrorKind::Overloaded),
            (599, ApiErrorKind::InternalServer),
            (402, ApiErrorKind::Other),
            (418, ApiErrorKind::Other),
            (302, ApiErrorKind::Other),
        ];
        for (code, kind) in cases {
            let status = StatusCode::from_u16(code).unwrap();
            assert_eq!(ApiErrorKind::from_status(status), kind, "{code}");
        }
    }

    #[test]
    fn display_is_one_actionable_line() {
        let mut headers = HeaderMap::new();
        headers.insert("request-id", HeaderValue::from_static("req_123"));
        let body = Bytes::from_static(
            br#"{"type":"error","error":{"type":"rate_limit_error","message":"Rate limited"}}"#,
        );
        let e: ApiError = ApiError::from_response(
            StatusCode::TOO_MANY_REQUESTS,
            headers,
            body,
            Some("request-id"),
        );
        assert_eq!(
            e.to_string(),
            "429 Too Many Requests (rate_limit_error): Rate limited [request-id req_123]"
        );
    }

    #[test]
    fn message_falls_back_to_body_then_reason() {
        let e: ApiError = ApiError::from_response(
            StatusCode::BAD_GATEWAY,
            HeaderMap::new(),
            Bytes::from_static(b"<html>\n<b>bad gateway</b>\n</html>\n"),
            None,
        );
        assert!(e.envelope().is_none());
        assert_eq!(e.message(), "<html>\n<b>bad gateway</b>\n</html>");
        assert_eq!(
            e.to_string(),
            "502 Bad Gateway: <html> <b>bad gateway</b> </html>"
        );

        let e: ApiError =
            ApiError::from_response(StatusCode::NOT_FOUND, HeaderMap::new(), Bytes::new(), None);
        assert_eq!(e.message(), "Not Found");
        assert_eq!(e.to_string(), "404 Not Found");

        let e: ApiError = ApiError::from_response(
            StatusCode::from_u16(529).unwrap(),
            HeaderMap::new(),
            Bytes::new(),
            None,
        );
        assert_eq!(e.message(), "HTTP status 529");
        assert_eq!(e.kind(), ApiErrorKind::Overloaded);
    }

    #[test]
    fn request_id_from_body_when_header_missing() {
        let body = Bytes::from_static(
            br#"{"type":"error","error":{"type":"not_found_error","message":"nope"},"request_id":"req_body"}"#,
        );
        let e: ApiError = ApiError::from_response(
            StatusCode::NOT_FOUND,
            HeaderMap::new(),
            body,
            Some("request-id"),
        );
        assert_eq!(e.request_id(), Some("req_body"));
        assert_eq!(e.error_type().as_deref(), Some("not_found_error"));
    }

    #[test]
    fn long_messages_are_truncated_in_display() {
        let body = Bytes::from("x".repeat(10_000));
        let e: ApiError =
            ApiError::from_response(StatusCode::BAD_REQUEST, HeaderMap::new(), body, None);
        assert_eq!(e.message().len(), 10_000);
        assert!(e.to_string().len() < 400);
    }

    #[test]
    fn convert_reparses_envelope() {
        #[derive(Debug, Clone, serde::Deserialize)]
        struct Env {
            error: Inner,
        }
        #[derive(Debug, Clone, serde::Deserialize)]
        struct Inner {
            message: String,
        }
        impl ErrorEnvelope for Env {
            type ErrorType = String;
            fn error_type(&self) -> Option<String> {
                None
            }
            fn message(&self) -> Option<&str> {
                Some(&self.error.message)
            }
            fn request_id(&self) -> Option<&str> {
                None
            }
        }
        let e: Error = Error::Api(Box::new(ApiError::from_response(
            StatusCode::BAD_REQUEST,
            HeaderMap::new(),
            Bytes::from_static(br#"{"error":{"message":"typed"}}"#),
            None,
        )));
        let e: Error<Env> = e.convert();
        assert_eq!(
            e.api_error()
                .and_then(|a| a.envelope())
                .map(|x| x.error.message.as_str()),
            Some("typed")
        );
    }
}
