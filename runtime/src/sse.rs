//! A Server-Sent Events decoder following the WHATWG HTML "event stream interpretation"
//! rules.
//!
//! Written by hand rather than taken from a crate. The usual candidate,
//! `eventsource-stream` 0.2, gets the line-ending rules right but has no bound on the
//! memory one event may take (its buffer grows until a line ends), copies the remaining
//! buffer once per line (quadratic in lines per chunk), accepts `retry: +5`, and pulls in
//! `nom`. The decoder below is ~200 lines with no dependencies.
//!
//! Design: lines are split on raw bytes (`\r` and `\n` never occur inside a UTF-8
//! multi-byte sequence), and each complete line is then validated as UTF-8. That is
//! equivalent to incremental UTF-8 decoding (a code point split across chunks is joined
//! before it is decoded) and turns invalid UTF-8 into an error instead of U+FFFD.
//! A leading byte-order mark is dropped even when split across chunks; a `\r\n` split
//! across chunks counts as one line ending; an unterminated event at end of input is
//! discarded by [`SseDecoder::finish`].

use std::fmt;

const BOM: [u8; 3] = [0xEF, 0xBB, 0xBF];

/// Default limit for one event (pending line + data + type), 16 MiB.
pub const DEFAULT_MAX_EVENT_SIZE: usize = 16 * 1024 * 1024;

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

/// A protocol fault in an event stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SseError {
    /// One event (or one line) grew past the limit.
    EventTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// A line was not valid UTF-8.
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

/// Incremental SSE decoder: feed it chunks as they arrive.
#[derive(Debug)]
pub struct SseDecoder {
    max_event_size: usize,
    /// Bytes of the BOM matched so far while at the start of the stream.
    bom_matched: usize,
    started: bool,
    /// The previous chunk ended with `\r`: skip a `\n` at the start of the next one.
    after_cr: bool,
    line: Vec<u8>,
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

impl SseDecoder {
    /// A decoder with the default event size limit ([`DEFAULT_MAX_EVENT_SIZE`]).
    pub fn new() -> Self {
        Self::with_max_event_size(DEFAULT_MAX_EVENT_SIZE)
    }

    /// A decoder whose events (pending line + data + type) may not exceed `max` bytes.
    pub fn with_max_event_size(max: usize) -> Self {
        SseDecoder {
            max_event_size: max,
            bom_matched: 0,
            started: false,
            after_cr: false,
            line: Vec::new(),
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
        let mut rest = chunk;
        if !self.started {
            while self.bom_matched < BOM.len() {
                let Some((&first, tail)) = rest.split_first() else {
                    // Everything so far could still be a BOM: wait for more.
                    return Ok(());
                };
                if first == BOM[self.bom_matched] {
                    self.bom_matched += 1;
                    rest = tail;
                } else {
                    // Not a BOM: the bytes matched so far are ordinary data.
                    self.started = true;
                    let matched = self.bom_matched;
                    self.process(&BOM[..matched], out)?;
                    break;
                }
            }
            self.started = true;
        }
        self.process(rest, out)
    }

    /// End of input: an unterminated event is discarded (per WHATWG).
    pub fn finish(&mut self) {
        self.line = Vec::new();
        self.data = String::new();
        self.event_type = String::new();
    }

    fn check_size(&mut self) -> Result<(), SseError> {
        if self.line.len() + self.data.len() + self.event_type.len() > self.max_event_size {
            self.finish();
            return Err(SseError::EventTooLarge {
                limit: self.max_event_size,
            });
        }
        Ok(())
    }

    fn process<X: Extend<SseEvent>>(&mut self, bytes: &[u8], out: &mut X) -> Result<(), SseError> {
        if bytes.is_empty() {
            return Ok(());
        }
        let mut i = 0;
        if self.after_cr {
            self.after_cr = false;
            if bytes[0] == b'\n' {
                i = 1;
            }
        }
        while i < bytes.len() {
            let rest = &bytes[i..];
            match rest.iter().position(|&b| b == b'\n' || b == b'\r') {
                None => {
                    self.line.extend_from_slice(rest);
                    self.check_size()?;
                    break;
                }
                Some(pos) => {
                    self.line.extend_from_slice(&rest[..pos]);
                    self.check_size()?;
                    i += pos + 1;
                    if rest[pos] == b'\r' {
                        match bytes.get(i) {
                            Some(b'\n') => i += 1,
                            Some(_) => {}
                            None => self.after_cr = true,
                        }
                    }
                    self.process_line(out)?;
                }
            }
        }
        Ok(())
    }

    fn process_line<X: Extend<SseEvent>>(&mut self, out: &mut X) -> Result<(), SseError> {
        if self.line.is_empty() {
            self.dispatch(out);
            return Ok(());
        }
        let mut line = std::mem::take(&mut self.line);
        let result = self.process_field(&line);
        line.clear();
        if line.capacity() <= 64 * 1024 {
            self.line = line;
        }
        result
    }

    fn process_field(&mut self, line: &[u8]) -> Result<(), SseError> {
        let line = std::str::from_utf8(line).map_err(|_| SseError::InvalidUtf8)?;
        if line.starts_with(':') {
            return Ok(());
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match field {
            "event" => {
                self.event_type.clear();
                self.event_type.push_str(value);
            }
            "data" => {
                self.data.push_str(value);
                self.data.push('\n');
                self.check_size()?;
            }
            "id" if !value.contains('\0') => self.last_id = Some(value.to_owned()),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                // An overlong number is ignored like any other unusable value.
                if let Ok(ms) = value.parse() {
                    self.retry = Some(ms);
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn dispatch<X: Extend<SseEvent>>(&mut self, out: &mut X) {
        if self.data.is_empty() {
            self.event_type.clear();
            return;
        }
        let mut data = std::mem::take(&mut self.data);
        if data.ends_with('\n') {
            data.pop();
        }
        let event = if self.event_type.is_empty() {
            "message".to_owned()
        } else {
            std::mem::take(&mut self.event_type)
        };
        out.extend(std::iter::once(SseEvent {
            event,
            data,
            id: self.last_id.clone(),
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(event: &str, data: &str) -> SseEvent {
        SseEvent {
            event: event.into(),
            data: data.into(),
            id: None,
        }
    }

    fn decode_chunks(chunks: &[&[u8]]) -> Result<Vec<SseEvent>, SseError> {
        let mut d = SseDecoder::new();
        let mut out = Vec::new();
        for c in chunks {
            d.feed(c, &mut out)?;
        }
        d.finish();
        Ok(out)
    }

    fn decode(input: &str) -> Vec<SseEvent> {
        decode_chunks(&[input.as_bytes()]).unwrap()
    }

    const SAMPLE: &str = "\u{feff}event: completion\r\ndata: {\"completion\":\" Hé\"}\r\n\r\n: keep-alive\n\nevent: ping\rdata: {\"type\":\"ping\"}\r\revent: completion\ndata: line1\ndata:line2\ndata:  two spaces\n\ndata: 😀 emoji\n\nevent: completion\ndata: unterminated";

    fn sample_expected() -> Vec<SseEvent> {
        vec![
            ev("completion", "{\"completion\":\" Hé\"}"),
            ev("ping", "{\"type\":\"ping\"}"),
            ev("completion", "line1\nline2\n two spaces"),
            ev("message", "😀 emoji"),
        ]
    }

    #[test]
    fn sample_in_one_chunk() {
        assert_eq!(decode(SAMPLE), sample_expected());
    }

    #[test]
    fn sample_split_at_every_byte_boundary() {
        let bytes = SAMPLE.as_bytes();
        for i in 0..=bytes.len() {
            let got = decode_chunks(&[&bytes[..i], &bytes[i..]]).unwrap();
            assert_eq!(got, sample_expected(), "split at {i}");
        }
        for i in 0..=bytes.len() {
            for j in i..=bytes.len() {
                let got = decode_chunks(&[&bytes[..i], &bytes[i..j], &bytes[j..]]).unwrap();
                assert_eq!(got, sample_expected(), "split at {i},{j}");
            }
        }
    }

    #[test]
    fn sample_one_byte_at_a_time() {
        let chunks: Vec<&[u8]> = SAMPLE.as_bytes().chunks(1).collect();
        assert_eq!(decode_chunks(&chunks).unwrap(), sample_expected());
    }

    #[test]
    fn line_endings_lf_crlf_cr() {
        let expected = vec![ev("a", "1"), ev("b", "2")];
        assert_eq!(
            decode("event: a\ndata: 1\n\nevent: b\ndata: 2\n\n"),
            expected
        );
        assert_eq!(
            decode("event: a\r\ndata: 1\r\n\r\nevent: b\r\ndata: 2\r\n\r\n"),
            expected
        );
        assert_eq!(
            decode("event: a\rdata: 1\r\revent: b\rdata: 2\r\r"),
            expected
        );
    }

    #[test]
    fn crlf_split_across_chunks_counts_once() {
        // If the split \r\n counted twice, the blank line would dispatch early and
        // "data: 2" would become a separate event.
        let got = decode_chunks(&[b"data: 1\r", b"\ndata: 2\r", b"\n\r", b"\n"]).unwrap();
        assert_eq!(got, vec![ev("message", "1\n2")]);
    }

    #[test]
    fn cr_then_empty_chunk_then_lf() {
        let got = decode_chunks(&[b"data: 1\r", b"", b"\n\r\n"]).unwrap();
        assert_eq!(got, vec![ev("message", "1")]);
    }

    #[test]
    fn comments_are_ignored() {
        assert_eq!(
            decode(":hello\n: world\ndata: x\n:mid\n\n"),
            vec![ev("message", "x")]
        );
        assert_eq!(decode(": only a comment\n\n"), vec![]);
    }

    #[test]
    fn bom_dropped_only_at_start() {
        assert_eq!(decode("\u{feff}data: x\n\n"), vec![ev("message", "x")]);
        // A second BOM is part of the field name, which is then unknown.
        assert_eq!(decode("\u{feff}\u{feff}data: x\n\n"), vec![]);
        let bom = "\u{feff}data: y\n\n".as_bytes();
        assert_eq!(
            decode_chunks(&[&bom[..1], &bom[1..2], &bom[2..]]).unwrap(),
            vec![ev("message", "y")]
        );
    }

    #[test]
    fn truncated_bom_is_invalid_utf8() {
        assert_eq!(
            decode_chunks(&[b"\xEF\xBBdata: x\n\n"]),
            Err(SseError::InvalidUtf8)
        );
    }

    #[test]
    fn multi_line_data_joined_with_newline() {
        assert_eq!(
            decode("data: a\ndata: b\ndata\ndata: c\n\n"),
            vec![ev("message", "a\nb\n\nc")]
        );
    }

    #[test]
    fn field_value_split_rules() {
        // only one leading space stripped; colon in value kept; no-colon line = empty value
        assert_eq!(decode("data:  x: y\n\n"), vec![ev("message", " x: y")]);
        assert_eq!(decode("data:x\n\n"), vec![ev("message", "x")]);
    }

    #[test]
    fn data_line_without_value_dispatches_empty_string() {
        // "data" appends "" + "\n", so the buffer is "\n" (non-empty): dispatch "".
        let mut d = SseDecoder::new();
        let mut out = Vec::new();
        d.feed(b"data\n\n", &mut out).unwrap();
        assert_eq!(out, vec![ev("message", "")]);
    }

    #[test]
    fn empty_data_dispatches_nothing_and_resets_type() {
        assert_eq!(decode("event: x\n\ndata: y\n\n"), vec![ev("message", "y")]);
    }

    #[test]
    fn unterminated_final_event_discarded() {
        assert_eq!(decode("data: a\n\ndata: b\n"), vec![ev("message", "a")]);
        assert_eq!(decode("data: a\n\ndata: b"), vec![ev("message", "a")]);
    }

    #[test]
    fn id_and_retry_parsed() {
        let mut d = SseDecoder::new();
        let mut out = Vec::new();
        d.feed(
            b"id: 7\nretry: 1500\ndata: x\n\nid: a\0b\nretry: 12x\ndata: y\n\n",
            &mut out,
        )
        .unwrap();
        assert_eq!(out[0].id.as_deref(), Some("7"));
        assert_eq!(out[1].id.as_deref(), Some("7"));
        assert_eq!(d.last_event_id(), Some("7"));
        assert_eq!(d.retry(), Some(1500));
    }

    #[test]
    fn unknown_fields_ignored_and_empty_event_is_message() {
        assert_eq!(
            decode("foo: bar\nevent:\ndata: x\n\n"),
            vec![ev("message", "x")]
        );
    }

    #[test]
    fn code_point_split_across_chunks() {
        let s = "data: é😀\n\n".as_bytes();
        for i in 0..s.len() {
            assert_eq!(
                decode_chunks(&[&s[..i], &s[i..]]).unwrap(),
                vec![ev("message", "é😀")]
            );
        }
    }

    #[test]
    fn invalid_utf8_is_an_error() {
        assert_eq!(
            decode_chunks(&[b"data: \xff\xfe\n\n"]),
            Err(SseError::InvalidUtf8)
        );
    }

    #[test]
    fn event_too_large() {
        let mut d = SseDecoder::with_max_event_size(20);
        let mut out = Vec::new();
        let res = d.feed(b"data: 0123456789\ndata: 0123456789\n", &mut out);
        assert_eq!(res, Err(SseError::EventTooLarge { limit: 20 }));
        let mut d = SseDecoder::with_max_event_size(32);
        // one long line with no terminator, fed in pieces
        let mut res = Ok(());
        for _ in 0..10 {
            res = d.feed(b"0123456789", &mut out);
            if res.is_err() {
                break;
            }
        }
        assert_eq!(res, Err(SseError::EventTooLarge { limit: 32 }));
        // events below the limit are fine, and the limit is per event
        let mut d = SseDecoder::with_max_event_size(32);
        for _ in 0..100 {
            d.feed(b"data: 0123456789\n\n", &mut out).unwrap();
        }
    }
}
