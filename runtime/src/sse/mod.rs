//! A Server-Sent Events decoder following the WHATWG HTML "event stream interpretation"
//! rules.
//!
//! Written by hand rather than taken from a crate. The usual candidate,
//! `eventsource-stream` 0.2, gets the line-ending rules right but has no bound on the
//! memory one event may take (its buffer grows until a line ends), copies the remaining
//! buffer once per line (quadratic in lines per chunk), accepts `retry: +5`, and pulls in
//! `nom`. The decoder below has no dependencies.
//!
//! Design, for speed: every input byte is validated as UTF-8 exactly once, when its chunk
//! arrives (a code point split across chunks is held back, at most three bytes, and validated
//! when complete), and copied at most once: a `data:` value goes straight from the chunk into
//! the event's data buffer, also when the line is split across chunks. Lines are then split on
//! `\r`/`\n`, which never occur inside a multi-byte sequence, with the standard library's
//! word-at-a-time byte search. Events are handed to a callback as borrowed text
//! ([`SseDecoder::feed_with`]), so a consumer that parses each event at once allocates nothing
//! per event. Invalid UTF-8 is an error, not U+FFFD. A leading byte-order mark is dropped even
//! when split across chunks; a `\r\n` split across chunks counts as one line ending; an
//! unterminated event at end of input is discarded by [`SseDecoder::finish`].

use std::fmt;

/// Default limit for one event (pending line + data + type), 16 MiB.
pub const DEFAULT_MAX_EVENT_SIZE: usize = 16 * 1024 * 1024;

/// Data buffers larger than this are freed after their event instead of kept for the next.
const KEEP_CAPACITY: usize = 64 * 1024;

/// One dispatched event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    /// The `event:` field, or `"message"` when absent or empty.
    pub event: String,
    /// The data lines joined with `\n`.
    pub data: String,
    /// The last event id seen so far in the stream, if any.
    pub id: Option<String>,
}

/// One dispatched event, borrowed from the decoder (see [`SseDecoder::feed_with`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SseEventRef<'a> {
    /// The `event:` field, or `"message"` when absent or empty.
    pub event: &'a str,
    /// The data lines joined with `\n`.
    pub data: &'a str,
    /// The last event id seen so far in the stream, if any.
    pub id: Option<&'a str>,
}

impl SseEventRef<'_> {
    /// An owned copy.
    pub fn to_owned_event(&self) -> SseEvent {
        SseEvent {
            event: self.event.to_owned(),
            data: self.data.to_owned(),
            id: self.id.map(str::to_owned),
        }
    }
}

/// A protocol fault in an event stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SseError {
    /// One event (or one line) grew past the limit.
    EventTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The stream was not valid UTF-8.
    InvalidUtf8,
}

impl fmt::Display for SseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SseError::EventTooLarge { limit } => {
                write!(f, "event larger than the limit of {limit} bytes")
            }
            SseError::InvalidUtf8 => f.write_str("invalid UTF-8 in event stream"),
        }
    }
}

impl std::error::Error for SseError {}

/// Where the decoder is inside the current line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Line {
    /// In the field name (empty at the start of a line); the name so far is in `pending`.
    Name,
    /// After `data:`; the value goes straight into `data`.
    Data { strip_space: bool },
    /// After `event:`, `id:` or `retry:`; the value goes into `pending`.
    Value { field: Field, strip_space: bool },
    /// A comment or an unknown field: skipped up to the end of the line.
    Skip,
}

/// Where the field name of a line ended.
enum NameEnd<'t> {
    /// At a colon; the rest of the text starts with the value.
    Colon(&'t str),
    /// At the end of the line (the rest starts with the ending) or of the text (it is empty).
    Line(&'t str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Event,
    Id,
    Retry,
}

/// Incremental SSE decoder: feed it chunks as they arrive.
#[derive(Debug)]
pub struct SseDecoder {
    max_event_size: usize,
    /// A first character was seen: a BOM is no longer dropped.
    started: bool,
    /// The previous chunk ended with `\r`: skip a `\n` at the start of the next one.
    after_cr: bool,
    /// The first bytes of a code point split across chunks.
    carry: [u8; 4],
    carry_len: usize,
    line: Line,
    /// The field name, or a non-data field's value, of the current line.
    pending: String,
    /// Bytes of the current line not in `data` (its name, colon, skipped space, other values).
    line_overhead: usize,
    data: String,
    event_type: String,
    last_id: Option<String>,
    retry: Option<u64>,
}

impl Default for SseDecoder {
    fn default() -> Self {
        Self::new()
    }
}

/// The length of the UTF-8 sequence a byte starts: 1 for ASCII, 2 to 4 for a lead byte, 0 for
/// a byte that cannot start one.
fn utf8_width(b: u8) -> usize {
    match b {
        0x00..=0x7F => 1,
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => 0,
    }
}

/// `true` if `b` is the start of a code point that more bytes can still complete: not yet a
/// whole one, and no byte in it already wrong (`E0 80` or `F0 0A` can never become valid).
fn completable(b: &[u8]) -> bool {
    matches!(std::str::from_utf8(b), Err(e) if e.valid_up_to() == 0 && e.error_len().is_none())
}

/// Where an incomplete code point at the end of `b` starts (`b.len()` if there is none).
///
/// Only a tail that can still be completed is held back; an invalid one stays in the text, so
/// that its validation reports it now rather than the end of input dropping it silently.
fn incomplete_tail(b: &[u8]) -> usize {
    let n = b.len();
    for back in 1..=n.min(3) {
        let byte = b[n - back];
        if byte & 0xC0 != 0x80 {
            let start = n - back;
            return if utf8_width(byte) > back && completable(&b[start..]) {
                start
            } else {
                n
            };
        }
    }
    n
}

/// The first `\r` or `\n` in `s`; `has_cr` says whether `s` may hold a `\r` at all.
fn find_eol(s: &str, has_cr: bool) -> Option<usize> {
    // The standard library's word-at-a-time single-byte search beats a byte-by-byte search
    // for either byte; `\r` is rare, so a chunk without one needs only the `\n` search.
    if !has_cr {
        return s.find('\n');
    }
    match s.find('\n') {
        Some(nl) => s[..nl].find('\r').or(Some(nl)),
        None => s.find('\r'),
    }
}

impl SseDecoder {
    /// A decoder with the default event size limit ([`DEFAULT_MAX_EVENT_SIZE`]).
    pub fn new() -> Self {
        Self::with_max_event_size(DEFAULT_MAX_EVENT_SIZE)
    }

    /// A decoder whose events (pending line + data + type) may not exceed `max` bytes.
    ///
    /// The type is not counted while the pending line's name may still become `event:` (which
    /// replaces it), so where the input is split never changes the result.
    pub fn with_max_event_size(max: usize) -> Self {
        SseDecoder {
            max_event_size: max,
            started: false,
            after_cr: false,
            carry: [0; 4],
            carry_len: 0,
            line: Line::Name,
            pending: String::new(),
            line_overhead: 0,
            data: String::new(),
            event_type: String::new(),
            last_id: None,
            retry: None,
        }
    }

    /// The last event id seen (unused by the runtime: there is no reconnection).
    pub fn last_event_id(&self) -> Option<&str> {
        self.last_id.as_deref()
    }

    /// The last `retry:` value in milliseconds (unused by the runtime).
    pub fn retry(&self) -> Option<u64> {
        self.retry
    }

    /// Feed one chunk; complete events are appended to `out`.
    ///
    /// After an error the decoder's state is unspecified and it should be dropped.
    pub fn feed<X: Extend<SseEvent>>(&mut self, chunk: &[u8], out: &mut X) -> Result<(), SseError> {
        self.feed_with(chunk, |event| {
            out.extend(std::iter::once(event.to_owned_event()));
            true
        })
    }

    /// Feed one chunk; `on_event` is called with each complete event, in order, and returns
    /// whether to go on (`false` stops decoding the rest of this chunk).
    ///
    /// Events complete before an invalid byte are delivered before the error is returned.
    /// After an error, or a `false`, the decoder's state is unspecified and it should be
    /// dropped.
    pub fn feed_with(
        &mut self,
        chunk: &[u8],
        mut on_event: impl FnMut(SseEventRef<'_>) -> bool,
    ) -> Result<(), SseError> {
        let mut rest = chunk;
        if self.carry_len > 0 {
            let need = utf8_width(self.carry[0]);
            let take = (need - self.carry_len).min(rest.len());
            self.carry[self.carry_len..self.carry_len + take].copy_from_slice(&rest[..take]);
            self.carry_len += take;
            rest = &rest[take..];
            if self.carry_len < need {
                // Still short (a tiny chunk): the bytes so far must still be able to continue
                // it, or the end of input would drop an invalid sequence without an error.
                if !completable(&self.carry[..self.carry_len]) {
                    return Err(SseError::InvalidUtf8);
                }
                return Ok(());
            }
            self.carry_len = 0;
            let carry = self.carry;
            let text = std::str::from_utf8(&carry[..need]).map_err(|_| SseError::InvalidUtf8)?;
            if !self.process(text, &mut on_event)? {
                return Ok(());
            }
        }
        let tail = incomplete_tail(rest);
        let (body, held) = rest.split_at(tail);
        match std::str::from_utf8(body) {
            Ok(text) => {
                if !self.process(text, &mut on_event)? {
                    return Ok(());
                }
                self.carry[..held.len()].copy_from_slice(held);
                self.carry_len = held.len();
                Ok(())
            }
            Err(e) => {
                // Deliver what came before the fault (validated again: this path ends the
                // stream, so its cost does not matter).
                if let Ok(valid) = std::str::from_utf8(&body[..e.valid_up_to()]) {
                    self.process(valid, &mut on_event)?;
                }
                Err(SseError::InvalidUtf8)
            }
        }
    }

    /// End of input: an unterminated event is discarded (per WHATWG).
    pub fn finish(&mut self) {
        self.line = Line::Name;
        self.pending = String::new();
        self.line_overhead = 0;
        self.data = String::new();
        self.event_type = String::new();
        self.carry_len = 0;
    }

    fn check_size(&mut self) -> Result<(), SseError> {
        self.check_size_counting_type(true)
    }

    /// The size check; `count_type: false` leaves the current event type out (see `process`).
    fn check_size_counting_type(&mut self, count_type: bool) -> Result<(), SseError> {
        let event_type = if count_type { self.event_type.len() } else { 0 };
        if self.line_overhead + self.data.len() + event_type > self.max_event_size {
            self.finish();
            return Err(SseError::EventTooLarge {
                limit: self.max_event_size,
            });
        }
        Ok(())
    }

    /// Decode valid text; `Ok(false)` when `on_event` asked to stop.
    fn process(
        &mut self,
        mut text: &str,
        on_event: &mut impl FnMut(SseEventRef<'_>) -> bool,
    ) -> Result<bool, SseError> {
        if text.is_empty() {
            return Ok(true);
        }
        if !self.started {
            self.started = true;
            text = text.strip_prefix('\u{feff}').unwrap_or(text);
        }
        if self.after_cr {
            self.after_cr = false;
            text = text.strip_prefix('\n').unwrap_or(text);
        }
        // One search per chunk instead of one per line.
        let has_cr = text.as_bytes().contains(&b'\r');
        while !text.is_empty() {
            let rest = match self.line {
                Line::Name => match self.name(text) {
                    // After the colon: the value is decoded on the next turn.
                    NameEnd::Colon(value) => {
                        self.check_size()?;
                        text = value;
                        continue;
                    }
                    NameEnd::Line(rest) => rest,
                },
                Line::Data { strip_space } => {
                    let value = self.strip(text, strip_space);
                    let end = find_eol(value, has_cr).unwrap_or(value.len());
                    self.data.push_str(&value[..end]);
                    &value[end..]
                }
                Line::Value { field, strip_space } => {
                    let value = self.strip(text, strip_space);
                    let end = find_eol(value, has_cr).unwrap_or(value.len());
                    // The event type goes straight where it is read (it is only read at a
                    // blank line, never mid-line); the others wait for the line's end.
                    if field == Field::Event {
                        self.event_type.push_str(&value[..end]);
                    } else {
                        self.pending.push_str(&value[..end]);
                        self.line_overhead += end;
                    }
                    &value[end..]
                }
                Line::Skip => {
                    let end = find_eol(text, has_cr).unwrap_or(text.len());
                    self.line_overhead += end;
                    &text[end..]
                }
            };
            // `rest` is empty (the line goes on in the next chunk) or starts with its ending.
            let Some(ending) = rest.as_bytes().first() else {
                // The chunk ends inside a field name that may still become `event:`, whose
                // colon replaces the event type: the old type is not counted until the name is
                // known, so the result does not depend on where the input is split.
                let may_be_event = self.line == Line::Name
                    && !self.pending.is_empty()
                    && "event".starts_with(self.pending.as_str());
                self.check_size_counting_type(!may_be_event)?;
                break;
            };
            self.check_size()?;
            text = &rest[1..];
            if *ending == b'\r' {
                match text.as_bytes().first() {
                    Some(b'\n') => text = &text[1..],
                    Some(_) => {}
                    None => self.after_cr = true,
                }
            }
            if !self.end_line(on_event)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Drop the one space allowed after the colon, if this is where it would be.
    fn strip<'t>(&mut self, text: &'t str, strip_space: bool) -> &'t str {
        if !strip_space {
            return text;
        }
        self.set_strip_done();
        match text.strip_prefix(' ') {
            Some(rest) => {
                self.line_overhead += 1;
                rest
            }
            None => text,
        }
    }

    fn set_strip_done(&mut self) {
        match &mut self.line {
            Line::Data { strip_space } | Line::Value { strip_space, .. } => *strip_space = false,
            _ => {}
        }
    }

    /// The field name part of a line: up to a colon (then the value's state) or the line end.
    fn name<'t>(&mut self, text: &'t str) -> NameEnd<'t> {
        let stop = text
            .bytes()
            .position(|b| matches!(b, b':' | b'\r' | b'\n'))
            .unwrap_or(text.len());
        self.pending.push_str(&text[..stop]);
        self.line_overhead += stop;
        let rest = &text[stop..];
        let Some(value) = rest.strip_prefix(':') else {
            return NameEnd::Line(rest);
        };
        self.line_overhead += 1;
        self.line = match self.pending.as_str() {
            "data" => Line::Data { strip_space: true },
            "event" => {
                self.event_type.clear();
                Line::Value {
                    field: Field::Event,
                    strip_space: true,
                }
            }
            "id" => Line::Value {
                field: Field::Id,
                strip_space: true,
            },
            "retry" => Line::Value {
                field: Field::Retry,
                strip_space: true,
            },
            // A comment (empty name) or a field nobody reads.
            _ => Line::Skip,
        };
        self.pending.clear();
        NameEnd::Colon(value)
    }

    /// A line ended: apply its field, or dispatch on a blank line.
    fn end_line(
        &mut self,
        on_event: &mut impl FnMut(SseEventRef<'_>) -> bool,
    ) -> Result<bool, SseError> {
        let line = std::mem::replace(&mut self.line, Line::Name);
        self.line_overhead = 0;
        let go_on = match line {
            // No colon: the whole line is a field name with an empty value.
            Line::Name if self.pending.is_empty() => self.dispatch(on_event),
            Line::Name => {
                match self.pending.as_str() {
                    "data" => self.data.push('\n'),
                    "event" => self.event_type.clear(),
                    "id" => self.last_id = Some(String::new()),
                    _ => {}
                }
                true
            }
            Line::Data { .. } => {
                self.data.push('\n');
                true
            }
            Line::Value { field, .. } => {
                let value = self.pending.as_str();
                match field {
                    Field::Event => {}
                    Field::Id if !value.contains('\0') => self.last_id = Some(value.to_owned()),
                    Field::Retry
                        if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) =>
                    {
                        // An overlong number is ignored like any other unusable value.
                        if let Ok(ms) = value.parse() {
                            self.retry = Some(ms);
                        }
                    }
                    Field::Id | Field::Retry => {}
                }
                true
            }
            Line::Skip => true,
        };
        self.pending.clear();
        self.check_size()?;
        Ok(go_on)
    }

    fn dispatch(&mut self, on_event: &mut impl FnMut(SseEventRef<'_>) -> bool) -> bool {
        if self.data.is_empty() {
            self.event_type.clear();
            return true;
        }
        let data = self.data.strip_suffix('\n').unwrap_or(&self.data);
        let event = if self.event_type.is_empty() {
            "message"
        } else {
            &self.event_type
        };
        let go_on = on_event(SseEventRef {
            event,
            data,
            id: self.last_id.as_deref(),
        });
        self.event_type.clear();
        if self.data.capacity() > KEEP_CAPACITY {
            self.data = String::new();
        } else {
            self.data.clear();
        }
        go_on
    }
}

#[cfg(test)]
mod tests;
