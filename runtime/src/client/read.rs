//! What each send method does with a 2xx response: keep its body as a stream, or have the
//! attempt loop read it whole and decode it. A read that fails is retried by the attempt loop
//! when [`Error::is_retryable`] says so (a connection that breaks or stalls mid-body); a body
//! that does not decode is returned.
//!
//! The readers are synchronous on purpose: the one `await` on a body is the attempt loop's,
//! shared with error bodies, so each request's boxed future holds one body read, not one per
//! reader layer (the future's size is most of the client's cost over plain `reqwest`).

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http::header::{HeaderValue, CONTENT_TYPE};
use http::{HeaderMap, StatusCode};
use http_body::Body as _;
use serde::de::DeserializeOwned;

use crate::error::{BoxError, Error, ErrorEnvelope};

/// How much of a non-SSE body to keep when a stream request gets the wrong content type.
const WRONG_TYPE_BODY_LIMIT: usize = 64 * 1024;

/// What a reader knows about the response besides its body.
pub(crate) struct ReadCtx<'a> {
    pub(crate) status: StatusCode,
    pub(crate) headers: &'a HeaderMap,
    pub(crate) request_id: Option<&'a str>,
    /// The attempt's time limit; a kept stream applies it to each idle gap.
    pub(crate) timeout: Duration,
}

impl ReadCtx<'_> {
    fn decode_error<E: ErrorEnvelope>(&self, body: Bytes, source: BoxError) -> Error<E> {
        Error::Decode {
            status: self.status,
            headers: Box::new(self.headers.clone()),
            body,
            request_id: self.request_id.map(str::to_owned),
            source,
        }
    }
}

/// What a reader does with a 2xx body.
pub(crate) enum Take<T> {
    /// It keeps the body as a stream: this is the output.
    Kept(T),
    /// The attempt loop reads the body (at most about `limit` bytes, when given), then hands
    /// it to [`Reader::decode`].
    Read {
        response: reqwest::Response,
        limit: Option<usize>,
    },
}

/// Reads a 2xx response into `Output`.
pub(crate) trait Reader<E: ErrorEnvelope>: Sync {
    type Output: Send;

    /// Keep the body, or have it read; by default it is read whole.
    fn take(&self, response: reqwest::Response, ctx: &ReadCtx<'_>) -> Take<Self::Output> {
        let _ = ctx;
        Take::Read {
            response,
            limit: None,
        }
    }

    /// The body read, as `Output`.
    fn decode(&self, body: Bytes, ctx: &ReadCtx<'_>) -> Result<Self::Output, Error<E>>;
}

/// A body read whole, or its first `limit` bytes or so; a body that comes in one chunk is
/// kept without a copy. A plain struct future that polls the body's frames itself, so the
/// attempt loop's future holds only the body and the buffer.
pub(crate) struct Collect {
    body: reqwest::Body,
    limit: Option<usize>,
    first: Option<Bytes>,
    rest: BytesMut,
}

impl Collect {
    pub(crate) fn new(response: reqwest::Response, limit: Option<usize>) -> Self {
        Collect {
            body: reqwest::Body::from(response),
            limit,
            first: None,
            rest: BytesMut::new(),
        }
    }

    fn len(&self) -> usize {
        self.first.as_ref().map_or(0, Bytes::len) + self.rest.len()
    }

    fn push(&mut self, data: Bytes) {
        if self.first.is_none() && self.rest.is_empty() {
            self.first = Some(data);
            return;
        }
        if let Some(first) = self.first.take() {
            self.rest.extend_from_slice(&first);
        }
        self.rest.extend_from_slice(&data);
    }
}

impl Future for Collect {
    type Output = Result<Bytes, reqwest::Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        while this.limit.is_none_or(|limit| this.len() < limit) {
            match ready!(Pin::new(&mut this.body).poll_frame(cx)) {
                None => break,
                Some(Err(e)) => return Poll::Ready(Err(e)),
                // Trailers carry nothing a reader decodes.
                Some(Ok(frame)) => {
                    if let Ok(data) = frame.into_data() {
                        this.push(data);
                    }
                }
            }
        }
        let rest = std::mem::take(&mut this.rest);
        Poll::Ready(Ok(this.first.take().unwrap_or_else(|| rest.freeze())))
    }
}

/// The body as JSON.
pub(crate) struct Json<T>(PhantomData<fn() -> T>);

impl<T> Json<T> {
    pub(crate) fn new() -> Self {
        Json(PhantomData)
    }
}

impl<E: ErrorEnvelope, T: DeserializeOwned + Send> Reader<E> for Json<T> {
    type Output = T;
    fn decode(&self, body: Bytes, ctx: &ReadCtx<'_>) -> Result<T, Error<E>> {
        serde_json::from_slice(&body).map_err(|e| ctx.decode_error(body, Box::new(e)))
    }
}

/// The body as JSON Lines: one `T` per non-blank line (`application/x-jsonl`,
/// `application/x-ndjson`).
pub(crate) struct JsonLines<T>(PhantomData<fn() -> T>);

impl<T> JsonLines<T> {
    pub(crate) fn new() -> Self {
        JsonLines(PhantomData)
    }
}

impl<E: ErrorEnvelope, T: DeserializeOwned + Send> Reader<E> for JsonLines<T> {
    type Output = Vec<T>;
    fn decode(&self, body: Bytes, ctx: &ReadCtx<'_>) -> Result<Vec<T>, Error<E>> {
        let decoded = json_lines(&body);
        decoded.map_err(|e| ctx.decode_error(body, e.into()))
    }
}

/// Each non-blank line of `body` (`\n` or `\r\n` endings) decoded as a `T`; the error names the
/// line.
pub(crate) fn json_lines<T: DeserializeOwned>(body: &[u8]) -> Result<Vec<T>, String> {
    body.split(|&b| b == b'\n')
        .enumerate()
        .filter(|(_, line)| !line.iter().all(u8::is_ascii_whitespace))
        .map(|(i, line)| serde_json::from_slice(line).map_err(|e| format!("line {}: {e}", i + 1)))
        .collect()
}

/// The body as text, invalid UTF-8 replaced.
pub(crate) struct Text;

impl<E: ErrorEnvelope> Reader<E> for Text {
    type Output = String;
    fn decode(&self, body: Bytes, _: &ReadCtx<'_>) -> Result<String, Error<E>> {
        Ok(match String::from_utf8(Vec::from(body)) {
            Ok(text) => text,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        })
    }
}

/// The body as bytes.
pub(crate) struct Raw;

impl<E: ErrorEnvelope> Reader<E> for Raw {
    type Output = Bytes;
    fn decode(&self, body: Bytes, _: &ReadCtx<'_>) -> Result<Bytes, Error<E>> {
        Ok(body)
    }
}

/// The body read (so the connection can be reused) and dropped.
pub(crate) struct Empty;

impl<E: ErrorEnvelope> Reader<E> for Empty {
    type Output = ();
    fn decode(&self, _: Bytes, _: &ReadCtx<'_>) -> Result<(), Error<E>> {
        Ok(())
    }
}

/// An event stream: the body itself and the idle time limit, once the media type is checked.
pub(crate) struct Sse;

impl<E: ErrorEnvelope> Reader<E> for Sse {
    type Output = (reqwest::Body, Duration);

    fn take(&self, response: reqwest::Response, ctx: &ReadCtx<'_>) -> Take<Self::Output> {
        if media_type_is(ctx.headers.get(CONTENT_TYPE), "text/event-stream") {
            Take::Kept((reqwest::Body::from(response), ctx.timeout))
        } else {
            Take::Read {
                response,
                limit: Some(WRONG_TYPE_BODY_LIMIT),
            }
        }
    }

    /// Only a body of the wrong media type is read.
    fn decode(&self, body: Bytes, ctx: &ReadCtx<'_>) -> Result<Self::Output, Error<E>> {
        let found = ctx
            .headers
            .get(CONTENT_TYPE)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .unwrap_or_else(|| "no content type".to_owned());
        let reason = format!("expected content type text/event-stream, got {found:?}");
        Err(ctx.decode_error(body, reason.into()))
    }
}

/// Compare media types only (`text/event-stream; charset=utf-8` is an event stream).
fn media_type_is(content_type: Option<&HeaderValue>, expected: &str) -> bool {
    content_type
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case(expected))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_lines_skip_blank_lines_and_name_the_bad_one() {
        let ok: Vec<serde_json::Value> = json_lines(b"{\"a\":1}\r\n\n{\"a\":2}\n").unwrap();
        assert_eq!(
            ok,
            [serde_json::json!({"a": 1}), serde_json::json!({"a": 2})]
        );
        assert!(json_lines::<serde_json::Value>(b"").unwrap().is_empty());
        let err = json_lines::<serde_json::Value>(b"{}\n{oops}\n").unwrap_err();
        assert!(err.starts_with("line 2: "), "{err}");
    }

    #[test]
    fn media_type_comparison() {
        let v = |s: &'static str| HeaderValue::from_static(s);
        let sse = "text/event-stream";
        assert!(media_type_is(Some(&v("text/event-stream")), sse));
        assert!(media_type_is(
            Some(&v("text/event-stream; charset=utf-8")),
            sse
        ));
        assert!(media_type_is(
            Some(&v("Text/Event-Stream ;charset=utf-8")),
            sse
        ));
        assert!(!media_type_is(Some(&v("application/json")), sse));
        assert!(!media_type_is(Some(&v("text/event-streamx")), sse));
        assert!(!media_type_is(None, sse));
    }
}
