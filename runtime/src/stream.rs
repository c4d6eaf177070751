//! The typed stream returned by [`Client::send_stream`](crate::Client::send_stream).

use std::collections::VecDeque;
use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use crate::api::{EventAction, StreamEvents};
use crate::error::{ApiError, Error, ErrorEnvelope};
use crate::sse::{SseDecoder, SseEvent};

type ItemStream<T, E> = Pin<Box<dyn Stream<Item = Result<T, Error<E>>> + Send>>;

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
    inner: ItemStream<T, E>,
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
            .finish_non_exhaustive()
    }
}

impl<T, E: ErrorEnvelope> Stream for EventStream<T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

struct State<T, E> {
    response: Option<reqwest::Response>,
    decoder: SseDecoder,
    queue: VecDeque<SseEvent>,
    events: &'static StreamEvents,
    idle_timeout: Duration,
    status: StatusCode,
    headers: HeaderMap,
    request_id: Option<String>,
    /// A protocol fault found while decoding a chunk: reported after the events that
    /// were complete before it.
    pending_error: Option<String>,
    _types: PhantomData<fn() -> (T, E)>,
}

impl<T: DeserializeOwned, E: ErrorEnvelope> State<T, E> {
    /// The next item, or `None` at the end. After an error item the response is dropped,
    /// so the following call returns `None`.
    async fn next_item(&mut self) -> Option<Result<T, Error<E>>> {
        loop {
            self.response.as_ref()?;
            while let Some(event) = self.queue.pop_front() {
                match self.events.action(&event.event) {
                    EventAction::Skip => {}
                    EventAction::Yield => match serde_json::from_str::<T>(&event.data) {
                        Ok(item) => return Some(Ok(item)),
                        Err(e) => {
                            return self.fail(Error::Decode {
                                status: self.status,
                                headers: Box::new(self.headers.clone()),
                                body: Bytes::from(event.data),
                                request_id: self.request_id.clone(),
                                source: Box::new(e),
                            })
                        }
                    },
                    EventAction::Error => {
                        let api = ApiError::from_stream_event(
                            self.headers.clone(),
                            self.request_id.clone(),
                            event.data,
                        );
                        return self.fail(Error::Api(Box::new(api)));
                    }
                }
            }
            if let Some(reason) = self.pending_error.take() {
                return self.fail(Error::Stream {
                    reason,
                    request_id: self.request_id.clone(),
                });
            }
            let response = self.response.as_mut()?;
            let next = tokio::time::timeout(self.idle_timeout, response.chunk()).await;
            match next {
                Err(_) => {
                    return self.fail(Error::Timeout {
                        timeout: self.idle_timeout,
                    })
                }
                Ok(Err(e)) => {
                    return self.fail(Error::Connection {
                        source: Box::new(e.without_url()),
                    })
                }
                Ok(Ok(None)) => {
                    // End of body: an unterminated event is discarded.
                    self.decoder.finish();
                    self.response = None;
                    return None;
                }
                Ok(Ok(Some(chunk))) => {
                    if let Err(e) = self.decoder.feed(&chunk, &mut self.queue) {
                        self.pending_error = Some(e.to_string());
                    }
                }
            }
        }
    }

    fn fail(&mut self, e: Error<E>) -> Option<Result<T, Error<E>>> {
        self.response = None;
        self.queue.clear();
        self.pending_error = None;
        Some(Err(e))
    }
}

pub(crate) fn event_stream<T, E>(
    response: reqwest::Response,
    events: &'static StreamEvents,
    idle_timeout: Duration,
    max_event_size: usize,
    request_id: Option<String>,
    retries_taken: u32,
) -> EventStream<T, E>
where
    T: DeserializeOwned + Send + 'static,
    E: ErrorEnvelope,
{
    let status = response.status();
    let headers = response.headers().clone();
    let state = State::<T, E> {
        response: Some(response),
        decoder: SseDecoder::with_max_event_size(max_event_size),
        queue: VecDeque::new(),
        events,
        idle_timeout,
        status,
        headers: headers.clone(),
        request_id: request_id.clone(),
        pending_error: None,
        _types: PhantomData,
    };
    let inner = futures_util::stream::unfold(state, |mut state| async move {
        let item = state.next_item().await?;
        Some((item, state))
    });
    EventStream {
        status,
        headers,
        request_id,
        retries_taken,
        inner: Box::pin(inner),
    }
}
