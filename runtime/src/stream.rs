//! The typed stream returned by [`Client::send_stream`](crate::Client::send_stream).
//!
//! `Stream` is implemented by hand over the body's frames rather than with an `async` block
//! per item: the decoder parses a whole chunk into items at once, and each poll then only pops
//! one, with no future to build or state to move.

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use http::{HeaderMap, StatusCode};
use http_body::Body as _;
use serde::de::DeserializeOwned;

use crate::api::{EventAction, StreamEvents};
use crate::error::{ApiError, Error, ErrorEnvelope};
use crate::sse::SseDecoder;

/// How a stream decodes its events.
pub(crate) struct StreamConfig {
    pub(crate) events: &'static StreamEvents,
    /// The longest wait for the next chunk.
    pub(crate) idle_timeout: Duration,
    pub(crate) max_event_size: usize,
}

/// A stream of typed items decoded from a `text/event-stream` response.
///
/// The status, headers and request id are readable before iteration. The stream ends at
/// the end of the body; after an error item (error event, bad JSON, connection drop, idle
/// timeout, protocol fault) it ends too. Nothing is retried once the stream exists.
pub struct EventStream<T, E: ErrorEnvelope = serde_json::Value> {
    status: StatusCode,
    headers: HeaderMap,
    request_id: Option<String>,
    retries_taken: u32,
    /// `None` once the stream has ended.
    body: Option<reqwest::Body>,
    decoder: SseDecoder,
    events: &'static StreamEvents,
    items: VecDeque<T>,
    /// The error that ends the stream, yielded after the items decoded before it.
    ending: Option<Error<E>>,
    idle_timeout: Duration,
    idle: Pin<Box<tokio::time::Sleep>>,
}

/// Nothing is pinned structurally: the body and the timer are polled through `Pin::new` and
/// an owned `Pin<Box<_>>`, so moving the stream is always fine.
impl<T, E: ErrorEnvelope> Unpin for EventStream<T, E> {}

impl<T: DeserializeOwned, E: ErrorEnvelope> EventStream<T, E> {
    pub(crate) fn new(
        body: reqwest::Body,
        config: StreamConfig,
        status: StatusCode,
        headers: HeaderMap,
        request_id: Option<String>,
        retries_taken: u32,
    ) -> Self {
        EventStream {
            status,
            headers,
            request_id,
            retries_taken,
            body: Some(body),
            decoder: SseDecoder::with_max_event_size(config.max_event_size),
            events: config.events,
            items: VecDeque::new(),
            ending: None,
            idle_timeout: config.idle_timeout,
            idle: Box::pin(tokio::time::sleep(config.idle_timeout)),
        }
    }

    /// Decode one chunk into items; the first failure becomes the stream's ending.
    fn decode(&mut self, chunk: &[u8]) {
        let EventStream {
            decoder,
            events,
            items,
            ending,
            status,
            headers,
            request_id,
            ..
        } = self;
        let result = decoder.feed_with(chunk, |event| match events.action(event.event) {
            EventAction::Skip => true,
            EventAction::Yield => match serde_json::from_str::<T>(event.data) {
                Ok(item) => {
                    items.push_back(item);
                    true
                }
                Err(e) => {
                    *ending = Some(Error::Decode {
                        status: *status,
                        headers: Box::new(headers.clone()),
                        body: Bytes::copy_from_slice(event.data.as_bytes()),
                        request_id: request_id.clone(),
                        source: Box::new(e),
                    });
                    false
                }
            },
            EventAction::Error => {
                let api = ApiError::from_stream_event(
                    headers.clone(),
                    request_id.clone(),
                    event.data.to_owned(),
                );
                *ending = Some(Error::Api(Box::new(api)));
                false
            }
        });
        if let Err(e) = result {
            ending.get_or_insert(Error::Stream {
                reason: e.to_string(),
                request_id: request_id.clone(),
            });
        }
        if self.ending.is_some() {
            self.body = None;
        }
    }
}

impl<T, E: ErrorEnvelope> EventStream<T, E> {
    /// The HTTP status (2xx).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The request id response header, if any.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// How many retries were needed before the stream started.
    pub fn retries_taken(&self) -> u32 {
        self.retries_taken
    }
}

impl<T, E: ErrorEnvelope> fmt::Debug for EventStream<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .field("retries_taken", &self.retries_taken)
            .field("ended", &self.body.is_none())
            .finish_non_exhaustive()
    }
}

impl<T: DeserializeOwned, E: ErrorEnvelope> Stream for EventStream<T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.items.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if let Some(error) = this.ending.take() {
                this.body = None;
                return Poll::Ready(Some(Err(error)));
            }
            let Some(body) = this.body.as_mut() else {
                return Poll::Ready(None);
            };
            match Pin::new(body).poll_frame(cx) {
                Poll::Ready(Some(Ok(frame))) => {
                    if let Ok(chunk) = frame.into_data() {
                        let next = tokio::time::Instant::now() + this.idle_timeout;
                        this.idle.as_mut().reset(next);
                        this.decode(&chunk);
                    }
                }
                Poll::Ready(Some(Err(e))) => {
                    this.ending = Some(Error::Connection {
                        source: Box::new(e.without_url()),
                    });
                }
                Poll::Ready(None) => {
                    // End of body: an unterminated event is discarded.
                    this.decoder.finish();
                    this.body = None;
                    return Poll::Ready(None);
                }
                Poll::Pending => {
                    if this.idle.as_mut().poll(cx).is_pending() {
                        return Poll::Pending;
                    }
                    this.ending = Some(Error::Timeout {
                        timeout: this.idle_timeout,
                    });
                }
            }
        }
    }
}
