//! The decoder against every WHATWG rule, split at every byte boundary.

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
fn feed_with_borrows_and_can_stop() {
    let mut d = SseDecoder::new();
    let mut seen = Vec::new();
    d.feed_with(b"data: a\n\ndata: b\n\ndata: c\n\n", |e| {
        seen.push(e.data.to_owned());
        seen.len() < 2
    })
    .unwrap();
    assert_eq!(seen, ["a", "b"]);
}

#[test]
fn events_before_invalid_utf8_are_delivered_first() {
    let mut d = SseDecoder::new();
    let mut out = Vec::new();
    let res = d.feed(b"data: ok\n\ndata: \xff\n\n", &mut out);
    assert_eq!(res, Err(SseError::InvalidUtf8));
    assert_eq!(out, vec![ev("message", "ok")]);
}

#[test]
fn a_split_code_point_completed_wrongly_is_invalid() {
    assert_eq!(
        decode_chunks(&[b"data: \xe2", b"ab\n\n"]),
        Err(SseError::InvalidUtf8)
    );
    assert_eq!(
        decode_chunks(&[b"data: \xe0\x80", b"\x80\n\n"]),
        Err(SseError::InvalidUtf8)
    );
    // A code point split over three chunks.
    let got = decode_chunks(&[b"data: \xf0\x9f", b"\x98", b"\x80!\n\n"]).unwrap();
    assert_eq!(got, vec![ev("message", "😀!")]);
}

#[test]
fn value_split_right_after_the_colon_keeps_the_space_rule() {
    let got = decode_chunks(&[b"data:", b" x\n", b"data:", b"  y\n\n"]).unwrap();
    assert_eq!(got, vec![ev("message", "x\n y")]);
    let got = decode_chunks(&[b"event:", b" e\ndata: 1\n\n"]).unwrap();
    assert_eq!(got, vec![ev("e", "1")]);
}

#[test]
fn every_split_of_every_sample_matches_one_chunk() {
    // Each byte boundary of a stream that uses every rule, against the one-chunk result.
    let sample = "\u{feff}: c\r\nid: 1\nretry: 5\nevent: é\rdata:x\r\ndata\n\ndata: 😀\r\r:\n\n";
    let whole = decode(sample);
    assert_eq!(whole.len(), 2);
    let bytes = sample.as_bytes();
    for i in 0..=bytes.len() {
        assert_eq!(
            decode_chunks(&[&bytes[..i], &bytes[i..]]).unwrap(),
            whole,
            "{i}"
        );
    }
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

#[test]
fn invalid_utf8_at_the_very_end_is_an_error_however_the_stream_is_split() {
    // A lead byte that can never be completed (`F0` then a line ending, `E0 80`, a surrogate
    // `ED A0`) is an error also when it is in the last bytes: not held back, then dropped.
    for stream in [
        &b"data: x\n\n\xf0\n"[..],
        b"data: x\n\n\xe0\x80",
        b"data: x\n\n\xed\xa0",
        b"data: x\n\n\xf0\x90\n",
    ] {
        for i in 0..=stream.len() {
            for j in i..=stream.len() {
                let chunks = [&stream[..i], &stream[i..j], &stream[j..]];
                let mut d = SseDecoder::new();
                let mut out = Vec::new();
                let res = chunks.iter().try_for_each(|c| d.feed(c, &mut out));
                assert_eq!(
                    res,
                    Err(SseError::InvalidUtf8),
                    "{stream:?} split at {i},{j}"
                );
                assert_eq!(out, vec![ev("message", "x")], "{stream:?} split at {i},{j}");
            }
        }
    }
    // A code point merely cut short by the end of input is still discarded without an error.
    assert_eq!(
        decode_chunks(&[b"data: x\n\n\xf0\x9f", b"\x98"]),
        Ok(vec![ev("message", "x")])
    );
}

#[test]
fn the_size_limit_does_not_depend_on_a_split_inside_the_name_event() {
    // `event:` replaces the old type, so the old one does not count on its line, whether or not
    // a chunk ends inside the name `event` (the reproducer in fuzz/regressions/sse/).
    let stream = b"event:aaaaaaaaaa\ndata\ndata\nevent:b\n\ndata: ok\n\n";
    let decode_limited = |chunks: &[&[u8]], limit| {
        let mut d = SseDecoder::with_max_event_size(limit);
        let mut out = Vec::new();
        chunks.iter().try_for_each(|c| d.feed(c, &mut out))?;
        d.finish();
        Ok::<_, SseError>(out)
    };
    let whole = decode_limited(&[stream], 16).unwrap();
    assert_eq!(whole, vec![ev("b", "\n"), ev("message", "ok")]);
    for i in 0..=stream.len() {
        assert_eq!(
            decode_limited(&[&stream[..i], &stream[i..]], 16),
            Ok(whole.clone()),
            "split at {i}"
        );
    }
    // A name that turns out not to be `event:` counts the type again.
    assert_eq!(
        decode_limited(&[b"event:aaaaaaaaaa\ndata\ndata\neve", b"nts:b\n\n"], 16),
        Err(SseError::EventTooLarge { limit: 16 })
    );
}
