//! Accumulating a Messages stream into the final [`Message`], as the official SDKs do
//! (Python's `stream.get_final_message()`, TypeScript's `finalMessage()`, Java's
//! `MessageAccumulator`, Go's `message.Accumulate(event)`).
//!
//! Two ways in. While reading the events yourself (to print text as it arrives), push each one
//! into a [`MessageAccumulator`] and take the message at the end:
//!
//! ```no_run
//! # async fn run(client: anthropic::Client, params: anthropic::CreateMessageParams) -> Result<(), anthropic::Error> {
//! use anthropic::accumulate::MessageAccumulator;
//! use anthropic::StreamExt;
//!
//! let mut stream = client.messages().create_streaming(&params).await?;
//! let mut accumulator = MessageAccumulator::new();
//! while let Some(event) = stream.next().await {
//!     let event = event?;
//!     if let Some(text) = event.text_delta() {
//!         print!("{text}");
//!     }
//!     accumulator.push(&event)?;
//! }
//! let message = accumulator.into_message()?;
//! println!("\n{:?} {} tokens", message.stop_reason, message.usage.output_tokens);
//! # Ok(())
//! # }
//! ```
//!
//! Or, when only the result matters, let [`MessageStreamExt::final_message`] read the stream:
//!
//! ```no_run
//! # async fn run(client: anthropic::Client, params: anthropic::CreateMessageParams) -> Result<(), anthropic::Error> {
//! use anthropic::accumulate::MessageStreamExt;
//!
//! let stream = client.messages().create_streaming(&params).await?;
//! let message = stream.final_message().await?;
//! println!("{}", message.text());
//! # Ok(())
//! # }
//! ```
//!
//! The beta stream (`client.beta().messages().create_streaming`) accumulates the same way into a
//! `BetaMessage`: `MessageAccumulator::<BetaMessageStreamEvent>::new()`.
//!
//! Built with the crate's `messages` feature for [`Message`]s and `beta` for `BetaMessage`s
//! (both are in the default `full`).
//!
//! What each event does: `message_start` starts the message; `content_block_start` appends a
//! block; `content_block_delta` appends `text_delta` text and `thinking_delta` thinking, sets a
//! `signature_delta` signature, adds a `citations_delta` citation, and collects the
//! `input_json_delta` pieces of a tool-use block, which are parsed as one JSON value at the
//! block's `content_block_stop` (until then the block's `input` is what `content_block_start`
//! gave, usually `{}`); `message_delta` sets the stop reason and stop sequence and updates the
//! usage (`output_tokens`, and the other counts it carries); `message_stop` ends the message;
//! `ping` and event types this crate does not know change nothing. A delta of one kind for a
//! block of another (text for a tool-use block) is ignored, as the official SDKs do.

use std::marker::PhantomData;

use forge_runtime::{Bytes, HeaderMap, StatusCode, StreamExt};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::client::Error;
#[cfg(feature = "beta")]
use crate::types::{
    BetaContentBlock, BetaContentBlockDeltaEventDelta, BetaMessage, BetaMessageStreamEvent,
};
#[cfg(feature = "messages")]
use crate::types::{ContentBlock, ContentBlockDeltaEventDelta, Message, MessageStreamEvent};

/// An event of a Messages stream and the message its events build: `MessageStreamEvent`
/// builds a `Message`, `BetaMessageStreamEvent` a `BetaMessage`.
pub trait StreamEvent: Serialize + private::Sealed {
    /// The message the events build.
    type Message: DeserializeOwned;
}

#[cfg(feature = "messages")]
impl StreamEvent for MessageStreamEvent {
    type Message = Message;
}

#[cfg(feature = "beta")]
impl StreamEvent for BetaMessageStreamEvent {
    type Message = BetaMessage;
}

mod private {
    pub trait Sealed {}
    #[cfg(feature = "messages")]
    impl Sealed for crate::types::MessageStreamEvent {}
    #[cfg(feature = "beta")]
    impl Sealed for crate::types::BetaMessageStreamEvent {}
}

/// Builds the final message from the events of a stream, pushed in the order they came.
///
/// Works on the events' JSON, so content blocks, deltas and usage fields this version of the
/// crate has no type for are kept as the server sent them.
#[cfg(feature = "messages")]
#[derive(Debug, Clone)]
pub struct MessageAccumulator<E: StreamEvent = MessageStreamEvent> {
    /// The message so far, from `message_start` on.
    message: Option<Map<String, Value>>,
    /// Per content block: the `input_json_delta` pieces not yet parsed.
    json: Vec<Option<String>>,
    /// Whether `message_stop` came.
    stopped: bool,
    events: PhantomData<fn(&E)>,
}

/// Builds the final message from the events of a stream, pushed in the order they came
/// (without the `messages` feature there is no default event type).
#[cfg(not(feature = "messages"))]
#[derive(Debug, Clone)]
pub struct MessageAccumulator<E: StreamEvent> {
    message: Option<Map<String, Value>>,
    json: Vec<Option<String>>,
    stopped: bool,
    events: PhantomData<fn(&E)>,
}

impl<E: StreamEvent> Default for MessageAccumulator<E> {
    fn default() -> Self {
        MessageAccumulator {
            message: None,
            json: Vec::new(),
            stopped: false,
            events: PhantomData,
        }
    }
}

impl<E: StreamEvent> MessageAccumulator<E> {
    /// An accumulator that has seen no event.
    pub fn new() -> Self {
        Self::default()
    }

    /// Applies one event.
    ///
    /// # Errors
    ///
    /// [`Error::Stream`] for events out of order (a delta before `message_start`, a block index
    /// that was never started, anything after `message_stop`), and [`Error::Decode`] when a
    /// tool-use block's input JSON, complete at `content_block_stop`, does not parse.
    pub fn push(&mut self, event: &E) -> Result<(), Error> {
        let event = serde_json::to_value(event).map_err(|e| decode(Bytes::new(), e))?;
        let kind = event.get("type").and_then(Value::as_str).unwrap_or("");
        if self.stopped && kind != "ping" {
            return Err(out_of_order(format!(
                "a `{kind}` event after `message_stop`"
            )));
        }
        match kind {
            "message_start" => self.start(event),
            "content_block_start" => self.start_block(event),
            "content_block_delta" => self.delta(&event),
            "content_block_stop" => self.stop_block(&event),
            "message_delta" => self.message_delta(&event),
            "message_stop" => {
                self.message_mut(kind)?;
                self.stopped = true;
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Whether `message_stop` came: the message is complete.
    pub fn is_complete(&self) -> bool {
        self.stopped
    }

    /// The message as far as the events so far built it (a tool-use block's `input` is parsed
    /// at its `content_block_stop`); `None` before `message_start`.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] if what the events built is not a message of this crate's types.
    pub fn snapshot(&self) -> Result<Option<E::Message>, Error> {
        self.message
            .as_ref()
            .map(|message| to_message::<E::Message>(message.clone()))
            .transpose()
    }

    /// The final message.
    ///
    /// # Errors
    ///
    /// [`Error::Stream`] if the stream ended before `message_stop` (a connection cut short),
    /// and [`Error::Decode`] if what the events built is not a message of this crate's types.
    pub fn into_message(self) -> Result<E::Message, Error> {
        match (self.message, self.stopped) {
            (Some(message), true) => to_message(message),
            (None, _) => Err(out_of_order(
                "the stream ended before `message_start`".to_owned(),
            )),
            (Some(_), false) => Err(out_of_order(
                "the stream ended before `message_stop`".to_owned(),
            )),
        }
    }

    fn message_mut(&mut self, kind: &str) -> Result<&mut Map<String, Value>, Error> {
        self.message
            .as_mut()
            .ok_or_else(|| out_of_order(format!("a `{kind}` event before `message_start`")))
    }

    fn start(&mut self, mut event: Value) -> Result<(), Error> {
        if self.message.is_some() {
            return Err(out_of_order("a second `message_start`".to_owned()));
        }
        let Some(Value::Object(message)) = event.get_mut("message").map(Value::take) else {
            return Err(out_of_order("`message_start` without a message".to_owned()));
        };
        let blocks = message
            .get("content")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        self.json = vec![None; blocks];
        self.message = Some(message);
        Ok(())
    }

    fn start_block(&mut self, mut event: Value) -> Result<(), Error> {
        let index = index_of(&event)?;
        let block = event
            .get_mut("content_block")
            .map(Value::take)
            .unwrap_or(Value::Null);
        let content = content_mut(self.message_mut("content_block_start")?);
        if index != content.len() {
            return Err(out_of_order(format!(
                "`content_block_start` for block {index}, but {} blocks have started",
                content.len()
            )));
        }
        content.push(block);
        self.json.push(None);
        Ok(())
    }

    fn delta(&mut self, event: &Value) -> Result<(), Error> {
        let index = index_of(event)?;
        let block = block_mut(self.message_mut("content_block_delta")?, index)?;
        let Some(delta) = event.get("delta") else {
            return Ok(());
        };
        let block_type = block.get("type").and_then(Value::as_str).unwrap_or("");
        let text = |key: &str| delta.get(key).and_then(Value::as_str).unwrap_or("");
        match delta.get("type").and_then(Value::as_str).unwrap_or("") {
            "text_delta" if block_type == "text" => append(block, "text", text("text")),
            "thinking_delta" if block_type == "thinking" => {
                append(block, "thinking", text("thinking"));
            }
            "signature_delta" if block_type == "thinking" => {
                block.insert("signature".into(), Value::String(text("signature").into()));
            }
            "citations_delta" if block_type == "text" => {
                let citation = delta.get("citation").cloned().unwrap_or(Value::Null);
                match block.get_mut("citations") {
                    Some(Value::Array(citations)) => citations.push(citation),
                    _ => {
                        block.insert("citations".into(), Value::Array(vec![citation]));
                    }
                }
            }
            "compaction_delta" if block_type == "compaction" => {
                for (key, value) in delta.as_object().into_iter().flatten() {
                    if key != "type" && !value.is_null() {
                        block.insert(key.clone(), value.clone());
                    }
                }
            }
            // Tool use of any kind (`tool_use`, `server_tool_use`, `mcp_tool_use`): the blocks
            // with an `input`.
            "input_json_delta" if block.contains_key("input") => {
                self.json[index]
                    .get_or_insert_with(String::new)
                    .push_str(text("partial_json"));
            }
            _ => {}
        }
        Ok(())
    }

    fn stop_block(&mut self, event: &Value) -> Result<(), Error> {
        let index = index_of(event)?;
        let pending = self.json.get_mut(index).and_then(Option::take);
        let block = block_mut(self.message_mut("content_block_stop")?, index)?;
        if let Some(json) = pending.filter(|json| !json.trim().is_empty()) {
            let input: Value =
                serde_json::from_str(&json).map_err(|e| decode(Bytes::from(json), e))?;
            block.insert("input".into(), input);
        }
        Ok(())
    }

    fn message_delta(&mut self, event: &Value) -> Result<(), Error> {
        let message = self.message_mut("message_delta")?;
        for (key, value) in event
            .get("delta")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            // The stop reason and sequence are set as given (`null` included); other fields
            // (`stop_details`, `container`, ...) only when the delta has a value.
            if key == "stop_reason" || key == "stop_sequence" || !value.is_null() {
                message.insert(key.clone(), value.clone());
            }
        }
        if let Some(Value::Object(counts)) = event.get("usage") {
            let usage = message
                .entry("usage")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(usage) = usage {
                for (key, value) in counts {
                    if !value.is_null() {
                        usage.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        Ok(())
    }
}

/// Reading a whole Messages stream into its final message.
pub trait MessageStreamExt {
    /// The message the stream builds.
    type Message;

    /// Reads every event and returns the final message, as the official SDKs'
    /// `get_final_message()` does.
    ///
    /// # Errors
    ///
    /// The stream's first error item (an `error` event is an [`Error::Api`] with the event's
    /// error type), and the errors of [`MessageAccumulator::push`] and
    /// [`MessageAccumulator::into_message`].
    fn final_message(
        self,
    ) -> impl std::future::Future<Output = Result<Self::Message, Error>> + Send;
}

impl<E, S> MessageStreamExt for S
where
    E: StreamEvent + Send,
    S: forge_runtime::Stream<Item = Result<E, Error>> + Unpin + Send,
{
    type Message = E::Message;

    async fn final_message(mut self) -> Result<E::Message, Error> {
        let mut accumulator = MessageAccumulator::<E>::new();
        while let Some(event) = self.next().await {
            accumulator.push(&event?)?;
        }
        accumulator.into_message()
    }
}

#[cfg(feature = "messages")]
impl MessageStreamEvent {
    /// The text of a `text_delta`, for printing a reply as it arrives; `None` for every other
    /// event.
    pub fn text_delta(&self) -> Option<&str> {
        match self {
            MessageStreamEvent::ContentBlockDeltaEvent(event) => match &event.delta {
                ContentBlockDeltaEventDelta::TextContentBlockDelta(delta) => Some(&delta.text),
                _ => None,
            },
            _ => None,
        }
    }
}

#[cfg(feature = "beta")]
impl BetaMessageStreamEvent {
    /// The text of a `text_delta`, for printing a reply as it arrives; `None` for every other
    /// event.
    pub fn text_delta(&self) -> Option<&str> {
        match self {
            BetaMessageStreamEvent::BetaContentBlockDeltaEvent(event) => match &event.delta {
                BetaContentBlockDeltaEventDelta::BetaTextContentBlockDelta(delta) => {
                    Some(&delta.text)
                }
                _ => None,
            },
            _ => None,
        }
    }
}

#[cfg(feature = "messages")]
impl Message {
    /// The text of the message's text blocks, joined (what `messages` prints).
    pub fn text(&self) -> String {
        self.content
            .iter()
            .filter_map(|block| match block {
                ContentBlock::ResponseTextBlock(block) => Some(block.text.as_str()),
                _ => None,
            })
            .collect()
    }
}

#[cfg(feature = "beta")]
impl BetaMessage {
    /// The text of the message's text blocks, joined.
    pub fn text(&self) -> String {
        self.content
            .iter()
            .filter_map(|block| match block {
                BetaContentBlock::BetaResponseTextBlock(block) => Some(block.text.as_str()),
                _ => None,
            })
            .collect()
    }
}

fn index_of(event: &Value) -> Result<usize, Error> {
    event
        .get("index")
        .and_then(Value::as_u64)
        .and_then(|i| usize::try_from(i).ok())
        .ok_or_else(|| out_of_order("a content block event without an index".to_owned()))
}

fn content_mut(message: &mut Map<String, Value>) -> &mut Vec<Value> {
    let content = message
        .entry("content")
        .or_insert_with(|| Value::Array(Vec::new()));
    if !content.is_array() {
        *content = Value::Array(Vec::new());
    }
    match content {
        Value::Array(blocks) => blocks,
        _ => unreachable!("made an array above"),
    }
}

fn block_mut(
    message: &mut Map<String, Value>,
    index: usize,
) -> Result<&mut Map<String, Value>, Error> {
    content_mut(message)
        .get_mut(index)
        .and_then(Value::as_object_mut)
        .ok_or_else(|| out_of_order(format!("an event for block {index}, which never started")))
}

fn append(block: &mut Map<String, Value>, key: &str, piece: &str) {
    match block.get_mut(key) {
        Some(Value::String(text)) => text.push_str(piece),
        _ => {
            block.insert(key.to_owned(), Value::String(piece.to_owned()));
        }
    }
}

fn to_message<M: DeserializeOwned>(message: Map<String, Value>) -> Result<M, Error> {
    let value = Value::Object(message);
    serde_json::from_value(value.clone()).map_err(|e| decode(Bytes::from(value.to_string()), e))
}

fn out_of_order(reason: String) -> Error {
    Error::Stream {
        reason: format!("cannot accumulate the message: {reason}"),
        request_id: None,
    }
}

fn decode(body: Bytes, source: serde_json::Error) -> Error {
    Error::Decode {
        status: StatusCode::OK,
        headers: Box::new(HeaderMap::new()),
        body,
        request_id: None,
        source: Box::new(source),
    }
}
