//! What each send method does with a 2xx response. A reader's error is retried by the attempt
//! loop when [`Error::is_retryable`] says so (a connection that breaks or stalls mid-body) and
//! returned otherwise (a body that does not decode).

use std::future::Future;
use std::marker::PhantomData;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http::header::{HeaderValue, CONTENT_TYPE};
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use crate::client::deadline::Deadline;
use crate::client::transport_error;
use crate::error::{BoxError, Error, ErrorEnvelope};

/// How much of a non-SSE body to keep when a stream request gets the wrong content type.
const WRONG_TYPE_BODY_LIMIT: usize = 64 * 1024;

/// What a reader knows about the response besides its body.
pub(crate) struct ReadCtx<'a, 'd> {
    pub(crate) status: StatusCode,
    pub(crate) headers: &'a HeaderMap,
    pub(crate) request_id: Option<&'a str>,
    /// The attempt's time limit, which the body counts against too.
    pub(crate) deadline: &'a mut Deadline<'d>,
    pub(crate) timeout: Duration,
}

impl ReadCtx<'_, '_> {
    fn decode_error<E: ErrorEnvelope>(&self, body: Bytes, source: BoxError) -> Error<E> {
        Error::Decode {
            status: self.status,
            headers: Box::new(self.headers.clone()),
            body,
            request_id: self.request_id.map(str::to_owned),
            source,
        }
    }

    /// The whole body within the attempt's deadline.
    async fn body<E: ErrorEnvelope>(
        &mut self,
        response: reqwest::Response,
    ) -> Result<Bytes, Error<E>> {
        match self.deadline.run(response.bytes()).await {
            Some(Ok(body)) => Ok(body),
            Some(Err(e)) => Err(transport_error(e, self.timeout)),
            None => Err(Error::Timeout {
                timeout: self.timeout,
            }),
        }
    }
}

/// Reads a 2xx response into `Output`.
pub(crate) trait Reader<E: ErrorEnvelope>: Sync {
    type Output: Send;
    fn read(
        &self,
        response: reqwest::Response,
        ctx: ReadCtx<'_, '_>,
    ) -> impl Future<Output = Result<Self::Output, Error<E>>> + Send;
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
    async fn read(
        &self,
        response: reqwest::Response,
        mut ctx: ReadCtx<'_, '_>,
    ) -> Result<T, Error<E>> {
        let body = ctx.body(response).await?;
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
    async fn read(
        &self,
        response: reqwest::Response,
        mut ctx: ReadCtx<'_, '_>,
    ) -> Result<Vec<T>, Error<E>> {
        let body = ctx.body(response).await?;
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
    async fn read(
        &self,
        response: reqwest::Response,
        mut ctx: ReadCtx<'_, '_>,
    ) -> Result<String, Error<E>> {
        let body = ctx.body(response).await?;
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
    async fn read(
        &self,
        response: reqwest::Response,
        mut ctx: ReadCtx<'_, '_>,
    ) -> Result<Bytes, Error<E>> {
        ctx.body(response).await
    }
}

/// The body read (so the connection can be reused) and dropped.
pub(crate) struct Empty;

impl<E: ErrorEnvelope> Reader<E> for Empty {
    type Output = ();
    async fn read(
        &self,
        response: reqwest::Response,
        mut ctx: ReadCtx<'_, '_>,
    ) -> Result<(), Error<E>> {
        ctx.body(response).await.map(drop)
    }
}

/// An event stream: the body itself and the idle time limit, once the media type is checked.
pub(crate) struct Sse;

impl<E: ErrorEnvelope> Reader<E> for Sse {
    type Output = (reqwest::Body, Duration);
    async fn read(
        &self,
        response: reqwest::Response,
        ctx: ReadCtx<'_, '_>,
    ) -> Result<Self::Output, Error<E>> {
        let content_type = ctx.headers.get(CONTENT_TYPE);
        if media_type_is(content_type, "text/event-stream") {
            return Ok((reqwest::Body::from(response), ctx.timeout));
        }
        let found = content_type
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .unwrap_or_else(|| "no content type".to_owned());
        let body = read_limited(response, ctx.deadline, WRONG_TYPE_BODY_LIMIT).await;
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

/// At most about `limit` bytes of a body before `deadline`; errors end the read.
async fn read_limited(
    mut response: reqwest::Response,
    deadline: &mut Deadline<'_>,
    limit: usize,
) -> Bytes {
    let mut buf = BytesMut::new();
    while buf.len() < limit {
        match deadline.run(response.chunk()).await {
            Some(Ok(Some(chunk))) => buf.extend_from_slice(&chunk),
            _ => break,
        }
    }
    buf.freeze()
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
