//! The runtime's SSE decoder (`forge_runtime::sse::SseDecoder`) on arbitrary bytes, split at
//! arbitrary points, against a reference decoder written from the WHATWG rules.
//!
//! Input layout (see `fuzz/README.md`; `fuzz/seeds/sse/` shows it):
//!
//! - byte 0, bits 0-2: the event size limit, one of [`LIMITS`];
//! - byte 0, bit 3: the split run uses `feed` (owned events) instead of `feed_with`;
//! - byte 0, bits 4-7: `k`, the run that stops (`feed_with` returns `false`) at event `k` (0: none);
//! - byte 1: the number of split points `n` (mod 32), then `n` little-endian `u16` offsets
//!   (mod the stream length + 1);
//! - the rest: the event stream.
//!
//! Each input is decoded five ways: in one chunk, split at the input's points, one byte at a
//! time, split at the input's points with `feed_with` stopping at event `k`, and one byte at a
//! time going on after an error. Checked, beyond "no panic":
//!
//! 1. every run that goes to the end gives the reference's events (type, data, id), in order,
//!    then the reference's error or none, and the reference's `last_event_id()`/`retry()`;
//!    so the result never depends on where the input was split, and feeding it whole or in
//!    pieces, owned or borrowed, is the same;
//! 2. an event (pending line + data + type) larger than the limit ends decoding with
//!    `EventTooLarge { limit }`, at the line the reference says, never later;
//! 3. after every `feed` the decoder holds at most about the limit (its `Debug` text is
//!    bounded by the limit), also after an error and when fed on after one;
//! 4. `feed_with` never calls back again after the callback returned `false`, and the events
//!    it delivered up to then are the reference's first `k`;
//! 5. after an error the caller drops the decoder (the documented contract, what `EventStream`
//!    does); feeding it on anyway must still not panic nor grow.
#![no_main]

use forge_runtime::sse::{SseDecoder, SseError, SseEvent};
use libfuzzer_sys::fuzz_target;

/// Event size limits: tiny ones so the limit is hit all the time, and one that never is.
const LIMITS: [usize; 8] = [0, 1, 7, 16, 40, 300, 4096, 1 << 24];

struct Plan<'a> {
    limit: usize,
    owned: bool,
    stop_at: usize,
    /// Chunk boundaries: sorted offsets in `0..=stream.len()`.
    splits: Vec<usize>,
    stream: &'a [u8],
}

fn plan(data: &[u8]) -> Option<Plan<'_>> {
    let (&flags, rest) = data.split_first()?;
    let (&n, mut rest) = rest.split_first()?;
    let n = usize::from(n % 32);
    let mut raw = Vec::with_capacity(n);
    for _ in 0..n {
        let Some((pair, tail)) = rest.split_first_chunk::<2>() else {
            break;
        };
        raw.push(usize::from(u16::from_le_bytes(*pair)));
        rest = tail;
    }
    let stream = rest;
    let mut splits: Vec<usize> = raw.into_iter().map(|s| s % (stream.len() + 1)).collect();
    splits.sort_unstable();
    Some(Plan {
        limit: LIMITS[usize::from(flags & 7)],
        owned: flags & 8 != 0,
        stop_at: usize::from(flags >> 4),
        splits,
        stream,
    })
}

/// What a whole decoding produced.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Outcome {
    events: Vec<SseEvent>,
    error: Option<SseError>,
    /// `last_event_id()` and `retry()` at the end (only compared when there is no error).
    last_id: Option<String>,
    retry: Option<u64>,
}

// ---------------------------------------------------------------------------------------------
// The reference: the WHATWG "event stream interpretation" on the whole input, line by line,
// plus the runtime's documented size rule (pending line + data + type <= limit).
// ---------------------------------------------------------------------------------------------

struct Reference {
    limit: usize,
    out: Outcome,
    data: String,
    event_type: String,
}

impl Reference {
    fn too_large(&mut self) {
        self.out.error = Some(SseError::EventTooLarge { limit: self.limit });
    }

    /// One line (without its ending); `false` on an error.
    fn line(&mut self, line: &str, complete: bool) -> bool {
        let (name, value) = match line.find(':') {
            Some(i) => (&line[..i], Some(&line[i + 1..])),
            None => (line, None),
        };
        let event_line = name == "event" && value.is_some();
        // The size of the line's event so far at its end: the line itself (its name, colon,
        // value) plus the data before it plus the event type (which an `event:` line replaces).
        let size =
            self.data.len() + line.len() + if event_line { 0 } else { self.event_type.len() };
        if size > self.limit
            && !complete
            && value.is_none()
            && !name.is_empty()
            && "event".starts_with(name)
            && self.data.len() + line.len() <= self.limit
        {
            // The input ends inside a field name that could still have become `event:`, which
            // replaces the type: the type does not count yet, and the line is discarded.
            return true;
        }
        if size > self.limit {
            self.too_large();
            return false;
        }
        if !complete {
            // At the end of input an unterminated line (and its event) is discarded.
            return true;
        }
        if line.is_empty() {
            if !self.data.is_empty() {
                let data = self
                    .data
                    .strip_suffix('\n')
                    .unwrap_or(&self.data)
                    .to_owned();
                let event = if self.event_type.is_empty() {
                    "message".to_owned()
                } else {
                    self.event_type.clone()
                };
                self.out.events.push(SseEvent {
                    event,
                    data,
                    id: self.out.last_id.clone(),
                });
            }
            self.data.clear();
            self.event_type.clear();
            return true;
        }
        if name.is_empty() {
            return true; // a comment
        }
        let value = value
            .map(|v| v.strip_prefix(' ').unwrap_or(v))
            .unwrap_or("");
        match name {
            "event" => self.event_type = value.to_owned(),
            "data" => {
                self.data.push_str(value);
                self.data.push('\n');
            }
            "id" if !value.contains('\0') => self.out.last_id = Some(value.to_owned()),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                if let Ok(ms) = value.parse() {
                    self.out.retry = Some(ms);
                }
            }
            _ => {}
        }
        if self.data.len() + self.event_type.len() > self.limit {
            self.too_large();
            return false;
        }
        true
    }
}

fn reference(input: &[u8], limit: usize) -> Outcome {
    // Strict UTF-8, except that an incomplete code point at the very end is no error: the
    // decoder holds it back waiting for the rest, and `finish()` discards it.
    let (text, utf8_error) = match std::str::from_utf8(input) {
        Ok(text) => (text, false),
        Err(e) => {
            let valid = std::str::from_utf8(&input[..e.valid_up_to()]).unwrap();
            (valid, e.error_len().is_some())
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut r = Reference {
        limit,
        out: Outcome {
            events: Vec::new(),
            error: None,
            last_id: None,
            retry: None,
        },
        data: String::new(),
        event_type: String::new(),
    };
    let mut pos = 0;
    loop {
        let rest = &text[pos..];
        let Some(end) = rest.find(['\r', '\n']) else {
            if r.line(rest, false) && utf8_error {
                r.out.error = Some(SseError::InvalidUtf8);
            }
            return r.out;
        };
        let ending = if rest[end..].starts_with("\r\n") {
            2
        } else {
            1
        };
        if !r.line(&rest[..end], true) {
            return r.out;
        }
        pos += end + ending;
    }
}

// ---------------------------------------------------------------------------------------------
// The runs.
// ---------------------------------------------------------------------------------------------

/// The decoder's retained state is bounded by the limit: its `Debug` text (at most 6 chars per
/// byte for escapes like `\u{7f}`) holds the pending line, data, type and last id, each within
/// the limit, plus fixed fields.
fn check_bounded(decoder: &SseDecoder, limit: usize, what: &str) {
    if limit >= 1 << 20 {
        return;
    }
    let text = format!("{decoder:?}");
    let bound = 512 + 6 * 3 * limit;
    assert!(
        text.len() <= bound,
        "{what}: decoder holds {} bytes of Debug text, more than {bound} for limit {limit}: {}",
        text.len(),
        &text[..text.len().min(400)]
    );
}

/// Feed `chunks` in order, stopping at the first error, then `finish()`.
fn run<'a>(
    chunks: impl Iterator<Item = &'a [u8]>,
    limit: usize,
    owned: bool,
    what: &str,
) -> Outcome {
    let mut decoder = SseDecoder::with_max_event_size(limit);
    let mut events = Vec::new();
    let mut error = None;
    for chunk in chunks {
        let result = if owned {
            decoder.feed(chunk, &mut events)
        } else {
            decoder.feed_with(chunk, |e| {
                events.push(e.to_owned_event());
                true
            })
        };
        check_bounded(&decoder, limit, what);
        if let Err(e) = result {
            error = Some(e);
            break;
        }
    }
    decoder.finish();
    check_bounded(&decoder, limit, what);
    Outcome {
        events,
        error,
        last_id: decoder.last_event_id().map(str::to_owned),
        retry: decoder.retry(),
    }
}

fn chunks_at<'a>(stream: &'a [u8], splits: &'a [usize]) -> impl Iterator<Item = &'a [u8]> + 'a {
    let starts = std::iter::once(0).chain(splits.iter().copied());
    let ends = splits.iter().copied().chain(std::iter::once(stream.len()));
    starts.zip(ends).map(move |(a, b)| &stream[a..b])
}

fn compare(got: &Outcome, expected: &Outcome, what: &str, plan: &Plan<'_>) {
    let ctx = || {
        format!(
            "limit {}, splits {:?}, stream {:?}",
            plan.limit,
            plan.splits,
            String::from_utf8_lossy(plan.stream)
        )
    };
    assert_eq!(
        got.events,
        expected.events,
        "{what}: events differ from the reference ({})",
        ctx()
    );
    assert_eq!(
        got.error,
        expected.error,
        "{what}: error differs from the reference ({})",
        ctx()
    );
    if expected.error.is_none() {
        assert_eq!(
            got.last_id,
            expected.last_id,
            "{what}: last_event_id ({})",
            ctx()
        );
        assert_eq!(got.retry, expected.retry, "{what}: retry ({})", ctx());
    }
    if let Some(SseError::EventTooLarge { limit }) = got.error {
        assert_eq!(limit, plan.limit, "{what}: the error names another limit");
    }
    for event in &got.events {
        assert!(
            !event.event.is_empty(),
            "{what}: an event with an empty type"
        );
        if let Some(id) = &event.id {
            assert!(!id.contains('\0'), "{what}: an id with NUL");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some(plan) = plan(data) else {
        return;
    };
    let stream = plan.stream;
    let limit = plan.limit;

    // 1. Whole, borrowed.
    // The reference does not depend on the split: every run is compared with the same outcome.
    let expected = reference(stream, limit);
    let whole = run(std::iter::once(stream), limit, false, "whole");
    compare(&whole, &expected, "whole", &plan);

    // 2. Split at the input's points, owned or borrowed.
    let split = run(chunks_at(stream, &plan.splits), limit, plan.owned, "split");
    compare(&split, &expected, "split", &plan);

    // 3. One byte at a time.
    let bytes = run(stream.chunks(1), limit, !plan.owned, "bytes");
    compare(&bytes, &expected, "one byte at a time", &plan);

    // 4. `feed_with` stopping at event `k`: never called again, and the first `k` events.
    if plan.stop_at > 0 {
        let mut decoder = SseDecoder::with_max_event_size(limit);
        let mut seen: Vec<SseEvent> = Vec::new();
        let mut stopped = false;
        let mut error = None;
        for chunk in chunks_at(stream, &plan.splits) {
            let result = decoder.feed_with(chunk, |e| {
                assert!(
                    !stopped,
                    "feed_with called back after the callback returned false"
                );
                seen.push(e.to_owned_event());
                stopped = seen.len() == plan.stop_at;
                !stopped
            });
            check_bounded(&decoder, limit, "stop");
            if let Err(e) = result {
                error = Some(e);
                break;
            }
            if stopped {
                break; // as `EventStream` does: the decoder is dropped
            }
        }
        let n = plan.stop_at.min(expected.events.len());
        assert_eq!(
            seen[..],
            expected.events[..seen.len()],
            "stop: events differ"
        );
        if !stopped {
            assert_eq!(error, expected.error, "stop: error differs");
            assert_eq!(seen.len(), expected.events.len(), "stop: events missing");
        } else {
            assert_eq!(seen.len(), n);
        }
    }

    // 5. On after an error: unspecified results, but no panic and no growth.
    if expected.error.is_some() {
        let mut decoder = SseDecoder::with_max_event_size(limit);
        let mut sink: Vec<SseEvent> = Vec::new();
        for chunk in stream.chunks(7) {
            let _ = decoder.feed(chunk, &mut sink);
            check_bounded(&decoder, limit, "after error");
            sink.clear();
        }
        decoder.finish();
    }
});
