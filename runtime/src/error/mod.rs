//! Typed errors.
//!
//! `Display` and `Error` are written by hand rather than with `thiserror`: the messages
//! need custom formatting (one line, optional request id, status reason) and generic
//! bounds on `E`, and the runtime then needs no proc-macro crate at all. Every piece of text
//! the runtime does not write itself goes into a `Display` line through `display` (one line,
//! bounded); the fields and accessors keep it whole.

mod api;
mod display;

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};

pub(crate) use api::header_request_id;
pub use api::{ApiError, ApiErrorKind, ErrorEnvelope};

/// A boxed error source.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Every error the runtime returns.
///
/// `E` is the API's error envelope type (see [`ErrorEnvelope`]).
#[derive(Debug)]
#[non_exhaustive]
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
    /// A request [`Hook`](crate::Hook) failed; the request was abandoned (not retried).
    Hook {
        /// The hook's error.
        source: BoxError,
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

    /// `true` for errors the retry rules retry: connection errors, timeouts, and API errors
    /// with a retryable status (or the API's should-retry header saying `true`).
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

    pub(crate) fn invalid(reason: impl Into<String>) -> Self {
        Error::InvalidRequest {
            reason: reason.into(),
        }
    }

    pub(crate) fn config(reason: impl Into<String>) -> Self {
        Error::Config {
            reason: reason.into(),
        }
    }
}

impl<E: ErrorEnvelope> From<ApiError<E>> for Error<E> {
    fn from(e: ApiError<E>) -> Self {
        Error::Api(Box::new(e))
    }
}

use display::{write_chain, write_one_line, write_request_id, SOURCE_MAX};

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
                write_request_id(f, request_id.as_deref())
            }
            Error::Stream { reason, request_id } => {
                f.write_str("event stream error: ")?;
                write_one_line(f, reason, SOURCE_MAX)?;
                write_request_id(f, request_id.as_deref())
            }
            Error::InvalidRequest { reason } => {
                f.write_str("invalid request: ")?;
                write_one_line(f, reason, SOURCE_MAX)
            }
            Error::Config { reason } => {
                f.write_str("invalid client configuration: ")?;
                write_one_line(f, reason, SOURCE_MAX)
            }
            Error::Hook { source } => {
                f.write_str("request hook failed: ")?;
                write_chain(f, source.as_ref())
            }
        }
    }
}

impl<E: ErrorEnvelope> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Api(e) => Some(e.as_ref()),
            Error::Connection { source }
            | Error::Decode { source, .. }
            | Error::Hook { source } => Some(source.as_ref()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_chains_sources_without_repeating_them() {
        let e: Error = Error::Hook {
            source: "token refresh failed".into(),
        };
        assert_eq!(e.to_string(), "request hook failed: token refresh failed");
        assert!(!e.is_retryable());
        assert!(std::error::Error::source(&e).is_some());
        let e: Error = Error::Timeout {
            timeout: Duration::from_millis(5),
        };
        assert_eq!(e.to_string(), "request timed out after 5ms");
        assert!(e.is_retryable());
    }

    #[test]
    fn a_decode_error_quoting_a_hostile_key_stays_one_short_line() {
        // serde's message quotes an unknown key as it was decoded: `\n` in it, or 3,000 bytes
        // of it, must neither break nor stretch the line (fuzz/regressions/responses/decode-*).
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Strict {
            a: Option<u8>,
        }
        let long = "k".repeat(3_000);
        for (body, request_id) in [
            (r#"{"t\ne":1}"#.to_owned(), "req\r\nX-Injected: yes"),
            (format!(r#"{{"{long}":1}}"#), long.as_str()),
        ] {
            let source = serde_json::from_str::<Strict>(&body).unwrap_err();
            let message = source.to_string();
            let e: Error = Error::Decode {
                status: StatusCode::OK,
                headers: Box::default(),
                body: Bytes::from(body),
                request_id: Some(request_id.to_owned()),
                source: Box::new(source),
            };
            let text = e.to_string();
            assert!(!text.contains(['\n', '\r']), "{text:?}");
            assert!(text.chars().count() <= 1_024, "{} characters", text.len());
            assert!(text.starts_with("could not decode 200 response: unknown field `"));
            // The source and the request id keep the full text.
            let source = std::error::Error::source(&e).unwrap().to_string();
            assert_eq!(source, message);
            assert_eq!(e.request_id(), Some(request_id));
        }
    }
}
