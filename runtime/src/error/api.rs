//! Errors the API itself reports: the envelope trait, the status kinds, [`ApiError`].

use std::fmt;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use super::display::{write_one_line, write_request_id, ERROR_TYPE_MAX, MESSAGE_MAX};
use crate::api::ApiDescription;

/// The error body of an API (e.g. `{"error":{"type":"…","message":"…"},"request_id":"…"}`).
///
/// Generated code implements this for its own envelope type. `serde_json::Value` implements it
/// reading nothing: without a schema no shape is assumed, so the message falls back to the raw
/// body text.
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
        None
    }

    fn message(&self) -> Option<&str> {
        None
    }

    fn request_id(&self) -> Option<&str> {
        None
    }
}

/// The class of an API error, chosen by HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
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
    /// Any status >= 500 the API gives no kind of its own.
    InternalServer,
    /// A status the API marks as overloaded ([`ApiDescription::status_kinds`], e.g. 529).
    Overloaded,
    /// Any other status (including 200 for an error event inside a stream).
    Other,
}

impl ApiErrorKind {
    /// The kind HTTP gives a status (no API's own statuses).
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
            s if s >= 500 => Self::InternalServer,
            _ => Self::Other,
        }
    }

    /// The kind for a status: the API's own (`status_kinds`), else HTTP's.
    pub fn for_status(status: StatusCode, status_kinds: &[(u16, ApiErrorKind)]) -> Self {
        status_kinds
            .iter()
            .find(|(code, _)| *code == status.as_u16())
            .map_or_else(|| Self::from_status(status), |(_, kind)| *kind)
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
    retryable: bool,
}

/// The request id in a response header named `name`, if present and not empty.
pub(crate) fn header_request_id(headers: &HeaderMap, name: Option<&str>) -> Option<String> {
    name.and_then(|name| headers.get(name))
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

impl<E: ErrorEnvelope> ApiError<E> {
    /// Build from a non-2xx response of the API `api` (its request-id header, its own status
    /// kinds and retry header decide the request id, [`kind`](Self::kind) and
    /// [`is_retryable`](Self::is_retryable)).
    pub fn from_response(
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
        api: &ApiDescription,
    ) -> Self {
        let request_id = header_request_id(&headers, api.request_id_header);
        let retryable = crate::retry::should_retry(status, &headers, &api.retry);
        let kind = ApiErrorKind::for_status(status, api.status_kinds);
        Self::build(kind, status, headers, body, request_id, false, retryable)
    }

    /// Build from the data of an SSE error event (status 200, kind [`ApiErrorKind::Other`]).
    pub(crate) fn from_stream_event(
        headers: HeaderMap,
        request_id: Option<String>,
        data: String,
    ) -> Self {
        let body = Bytes::from(data);
        Self::build(
            ApiErrorKind::Other,
            StatusCode::OK,
            headers,
            body,
            request_id,
            true,
            false,
        )
    }

    fn build(
        kind: ApiErrorKind,
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
        request_id: Option<String>,
        stream_event: bool,
        retryable: bool,
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
            kind,
            status,
            envelope,
            message,
            request_id,
            headers,
            body,
            stream_event,
            retryable,
        }
    }

    /// The error class (from the HTTP status and the API's own status kinds).
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

    /// The request id: the response header, else the envelope's.
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

    /// `true` if the retry rules retry this response (never for a stream event).
    pub fn is_retryable(&self) -> bool {
        self.retryable
    }
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
        // The error type, message and request id are the server's: one line, bounded.
        if let Some(t) = self.error_type() {
            f.write_str(" (")?;
            write_one_line(f, t, ERROR_TYPE_MAX)?;
            f.write_str(")")?;
        }
        if self.stream_event || Some(self.message.as_str()) != reason {
            f.write_str(": ")?;
            write_one_line(f, &self.message, MESSAGE_MAX)?;
        }
        write_request_id(f, self.request_id.as_deref())
    }
}

impl<E: ErrorEnvelope> std::error::Error for ApiError<E> {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{EnvNames, RetryHeaders};
    use http::HeaderValue;

    static API: ApiDescription = ApiDescription {
        client_name: "T",
        crate_version: "1",
        default_base_url: "",
        auth: &[],
        auth_required: false,
        default_headers: &[],
        retry_count_header: None,
        request_id_header: Some("request-id"),
        idempotency_header: None,
        retry: RetryHeaders {
            should_retry: Some("x-should-retry"),
            retry_after_ms: None,
        },
        status_kinds: &[
            (529, ApiErrorKind::Overloaded),
            (418, ApiErrorKind::Conflict),
        ],
        env: EnvNames {
            base_url: None,
            custom_headers: None,
        },
    };

    /// The test envelope: `{"error":{"type","message"},"request_id"}`.
    #[derive(Debug, Clone, serde::Deserialize)]
    struct Env {
        error: Inner,
        request_id: Option<String>,
    }
    #[derive(Debug, Clone, serde::Deserialize)]
    struct Inner {
        #[serde(rename = "type")]
        kind: String,
        message: String,
    }
    impl ErrorEnvelope for Env {
        type ErrorType = String;
        fn error_type(&self) -> Option<String> {
            Some(self.error.kind.clone())
        }
        fn message(&self) -> Option<&str> {
            Some(&self.error.message)
        }
        fn request_id(&self) -> Option<&str> {
            self.request_id.as_deref()
        }
    }

    fn status(code: u16) -> StatusCode {
        StatusCode::from_u16(code).unwrap()
    }

    #[test]
    fn kind_from_status_table_and_the_apis_own_kinds() {
        let cases = [
            (400, ApiErrorKind::BadRequest, ApiErrorKind::BadRequest),
            (
                401,
                ApiErrorKind::Authentication,
                ApiErrorKind::Authentication,
            ),
            (
                403,
                ApiErrorKind::PermissionDenied,
                ApiErrorKind::PermissionDenied,
            ),
            (404, ApiErrorKind::NotFound, ApiErrorKind::NotFound),
            (409, ApiErrorKind::Conflict, ApiErrorKind::Conflict),
            (
                413,
                ApiErrorKind::RequestTooLarge,
                ApiErrorKind::RequestTooLarge,
            ),
            (
                422,
                ApiErrorKind::UnprocessableEntity,
                ApiErrorKind::UnprocessableEntity,
            ),
            (429, ApiErrorKind::RateLimit, ApiErrorKind::RateLimit),
            (
                500,
                ApiErrorKind::InternalServer,
                ApiErrorKind::InternalServer,
            ),
            (
                503,
                ApiErrorKind::InternalServer,
                ApiErrorKind::InternalServer,
            ),
            (529, ApiErrorKind::InternalServer, ApiErrorKind::Overloaded),
            (
                599,
                ApiErrorKind::InternalServer,
                ApiErrorKind::InternalServer,
            ),
            (402, ApiErrorKind::Other, ApiErrorKind::Other),
            (418, ApiErrorKind::Other, ApiErrorKind::Conflict),
            (302, ApiErrorKind::Other, ApiErrorKind::Other),
        ];
        for (code, http_kind, api_kind) in cases {
            assert_eq!(ApiErrorKind::from_status(status(code)), http_kind, "{code}");
            assert_eq!(
                ApiErrorKind::for_status(status(code), API.status_kinds),
                api_kind,
                "{code}"
            );
            let e: ApiError =
                ApiError::from_response(status(code), HeaderMap::new(), Bytes::new(), &API);
            assert_eq!(e.kind(), api_kind, "{code}");
        }
    }

    #[test]
    fn display_is_one_actionable_line() {
        let mut headers = HeaderMap::new();
        headers.insert("request-id", HeaderValue::from_static("req_123"));
        let body = Bytes::from_static(
            br#"{"type":"error","error":{"type":"rate_limit_error","message":"Rate limited"}}"#,
        );
        let e: ApiError<Env> = ApiError::from_response(status(429), headers, body, &API);
        assert_eq!(
            e.to_string(),
            "429 Too Many Requests (rate_limit_error): Rate limited [request-id req_123]"
        );
        assert!(e.is_retryable());
    }

    #[test]
    fn value_envelope_reads_nothing_and_the_message_is_the_body() {
        let body = br#"{"error":{"type":"x","message":"m"},"request_id":"req_b"}"#;
        let e: ApiError = ApiError::from_response(
            status(400),
            HeaderMap::new(),
            Bytes::from_static(body),
            &API,
        );
        assert!(e.envelope().is_some());
        assert_eq!(e.error_type(), None);
        assert_eq!(e.request_id(), None);
        assert_eq!(e.message().as_bytes(), body);
    }

    #[test]
    fn message_falls_back_to_body_then_reason() {
        let e: ApiError<Env> = ApiError::from_response(
            status(502),
            HeaderMap::new(),
            Bytes::from_static(b"<html>\n<b>bad gateway</b>\n</html>\n"),
            &API,
        );
        assert!(e.envelope().is_none());
        assert_eq!(e.message(), "<html>\n<b>bad gateway</b>\n</html>");
        assert_eq!(
            e.to_string(),
            "502 Bad Gateway: <html> <b>bad gateway</b> </html>"
        );

        let e: ApiError<Env> =
            ApiError::from_response(status(404), HeaderMap::new(), Bytes::new(), &API);
        assert_eq!(e.message(), "Not Found");
        assert_eq!(e.to_string(), "404 Not Found");

        let e: ApiError<Env> =
            ApiError::from_response(status(529), HeaderMap::new(), Bytes::new(), &API);
        assert_eq!(e.message(), "HTTP status 529");
        assert_eq!(e.kind(), ApiErrorKind::Overloaded);
    }

    #[test]
    fn request_id_from_header_then_body() {
        let body = Bytes::from_static(
            br#"{"type":"error","error":{"type":"not_found_error","message":"nope"},"request_id":"req_body"}"#,
        );
        let e: ApiError<Env> =
            ApiError::from_response(status(404), HeaderMap::new(), body.clone(), &API);
        assert_eq!(e.request_id(), Some("req_body"));
        assert_eq!(e.error_type().as_deref(), Some("not_found_error"));
        let mut headers = HeaderMap::new();
        headers.insert("request-id", HeaderValue::from_static("req_head"));
        let e: ApiError<Env> = ApiError::from_response(status(404), headers, body, &API);
        assert_eq!(e.request_id(), Some("req_head"));
    }

    #[test]
    fn should_retry_header_decides_retryable() {
        let mut headers = HeaderMap::new();
        headers.insert("x-should-retry", HeaderValue::from_static("false"));
        let e: ApiError = ApiError::from_response(status(500), headers, Bytes::new(), &API);
        assert!(!e.is_retryable());
        let stream: ApiError = ApiError::from_stream_event(HeaderMap::new(), None, "{}".into());
        assert!(!stream.is_retryable());
        assert_eq!(stream.kind(), ApiErrorKind::Other);
    }

    #[test]
    fn a_request_id_with_a_line_break_stays_on_one_line() {
        // The fuzz/regressions/responses/display-crlf-in-body-request-id case: a server's
        // `\r\n` in the body's request id (or its error type) must not start a second log line.
        let body = Bytes::from_static(
            br#"{"error":{"type":"invalid\u2028request\nerror","message":"bad"},"request_id":"req_1\r\nX-Injected: yes"}"#,
        );
        let e: ApiError<Env> = ApiError::from_response(status(400), HeaderMap::new(), body, &API);
        assert_eq!(
            e.to_string(),
            "400 Bad Request (invalid request error): bad [request-id req_1 X-Injected: yes]"
        );
        // The accessors keep the server's values as they came.
        assert_eq!(e.request_id(), Some("req_1\r\nX-Injected: yes"));
        assert_eq!(
            e.error_type().as_deref(),
            Some("invalid\u{2028}request\nerror")
        );
    }

    #[test]
    fn a_huge_error_type_or_request_id_is_cut_in_display_but_kept_whole() {
        let long = "x".repeat(3_000);
        let body =
            format!(r#"{{"error":{{"type":"{long}","message":"{long}"}},"request_id":"{long}"}}"#);
        let e: ApiError<Env> =
            ApiError::from_response(status(400), HeaderMap::new(), Bytes::from(body), &API);
        let text = e.to_string();
        assert!(text.chars().count() <= 700, "{} characters", text.len());
        assert!(text.contains(&format!("({}…)", "x".repeat(ERROR_TYPE_MAX))));
        assert!(text.ends_with(&format!("[request-id {}…]", "x".repeat(200))));
        assert_eq!(e.error_type().map(|t| t.len()), Some(3_000));
        assert_eq!(e.request_id().map(str::len), Some(3_000));
        assert_eq!(e.message().len(), 3_000);

        // The same for a request id from the header.
        let mut headers = HeaderMap::new();
        headers.insert("request-id", HeaderValue::from_str(&long).unwrap());
        let e: ApiError = ApiError::from_response(status(500), headers, Bytes::new(), &API);
        assert!(e.to_string().chars().count() <= 300);
        assert_eq!(e.request_id(), Some(long.as_str()));
    }

    #[test]
    fn long_messages_are_truncated_in_display() {
        let body = Bytes::from("x".repeat(10_000));
        let e: ApiError = ApiError::from_response(status(400), HeaderMap::new(), body, &API);
        assert_eq!(e.message().len(), 10_000);
        assert!(e.to_string().len() < 400);
    }
}
