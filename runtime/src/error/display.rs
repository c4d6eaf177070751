//! The one place where text the runtime does not control goes into an error's `Display` line.
//!
//! An error's `Display` is one log line. The server decides much of what it shows (the error
//! type and message of the envelope, the request id from a header or the body, and serde's
//! messages, which quote the body's keys and values), so every such piece is written through
//! [`OneLine`]: whitespace runs, line breaks included (`\r`, `\n`, VT, FF, NEL, U+2028, U+2029),
//! become one space, other control characters become U+FFFD, and the piece is cut at a length
//! bound with `…`. A `\r\n` in a request id then cannot start a second log line, and a
//! 3,000-byte error type cannot make the line 3,000 bytes longer. The accessors
//! (`ApiError::request_id`, `error_type`, `message`, the `Decode` source) keep the values whole.

use std::fmt::{self, Write as _};

/// At most this many characters of the message.
pub(crate) const MESSAGE_MAX: usize = 300;
/// At most this many characters of the error type.
pub(crate) const ERROR_TYPE_MAX: usize = 100;
/// At most this many characters of the request id.
pub(crate) const REQUEST_ID_MAX: usize = 200;
/// At most this many characters of an error's source chain or a reason.
pub(crate) const SOURCE_MAX: usize = 500;

/// A writer that keeps what goes through it on one line and at most `max` characters (plus an
/// ending `…` when something was cut). Leading and trailing whitespace is dropped.
pub(crate) struct OneLine<'a, W: fmt::Write + ?Sized> {
    out: &'a mut W,
    left: usize,
    /// A whitespace run is pending (written as one space before the next character).
    space: bool,
    /// Something was written (leading whitespace is dropped).
    started: bool,
    /// The bound was hit: everything else is dropped.
    cut: bool,
}

impl<'a, W: fmt::Write + ?Sized> OneLine<'a, W> {
    pub(crate) fn new(out: &'a mut W, max: usize) -> Self {
        OneLine {
            out,
            left: max,
            space: false,
            started: false,
            cut: false,
        }
    }

    fn put(&mut self, c: char) -> fmt::Result {
        let need = if self.space { 2 } else { 1 };
        if need > self.left {
            self.cut = true;
            return self.out.write_char('…');
        }
        if self.space {
            self.out.write_char(' ')?;
            self.space = false;
        }
        self.out.write_char(c)?;
        self.left -= need;
        self.started = true;
        Ok(())
    }
}

impl<W: fmt::Write + ?Sized> fmt::Write for OneLine<'_, W> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for c in s.chars() {
            if self.cut {
                break;
            }
            if c.is_whitespace() {
                self.space = self.started;
            } else if c.is_control() {
                self.put('\u{fffd}')?;
            } else {
                self.put(c)?;
            }
        }
        Ok(())
    }
}

/// Write `value`'s `Display` on one line, at most `max` characters.
pub(crate) fn write_one_line(
    f: &mut fmt::Formatter<'_>,
    value: impl fmt::Display,
    max: usize,
) -> fmt::Result {
    write!(OneLine::new(f, max), "{value}")
}

/// ` [request-id …]` for a request id, nothing without one.
pub(crate) fn write_request_id(f: &mut fmt::Formatter<'_>, id: Option<&str>) -> fmt::Result {
    match id {
        Some(id) => {
            f.write_str(" [request-id ")?;
            write_one_line(f, id, REQUEST_ID_MAX)?;
            f.write_str("]")
        }
        None => Ok(()),
    }
}

/// Write an error and its sources as `a: b: c` on one line, at most [`SOURCE_MAX`] characters,
/// skipping a source whose text the previous one already ends with.
pub(crate) fn write_chain(
    f: &mut fmt::Formatter<'_>,
    err: &(dyn std::error::Error + 'static),
) -> fmt::Result {
    let mut out = OneLine::new(f, SOURCE_MAX);
    let mut last = err.to_string();
    out.write_str(&last)?;
    let mut cur = err.source();
    while let Some(e) = cur {
        let text = e.to_string();
        if !last.ends_with(&text) {
            write!(out, ": {text}")?;
        }
        last = text;
        cur = e.source();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_line(text: &str, max: usize) -> String {
        let mut out = String::new();
        write!(OneLine::new(&mut out, max), "{text}").unwrap();
        out
    }

    #[test]
    fn line_breaks_and_controls_become_one_space_or_a_replacement() {
        assert_eq!(
            one_line("  a\r\nb\u{0b}\u{0c}c\u{85}d\u{2028}e\u{2029}f\tg  ", 100),
            "a b c d e f g"
        );
        assert_eq!(one_line("a\u{1b}[2Jb\0c", 100), "a\u{fffd}[2Jb\u{fffd}c");
    }

    #[test]
    fn long_text_is_cut_with_an_ellipsis() {
        assert_eq!(one_line("abcdef", 6), "abcdef");
        assert_eq!(one_line("abcdefg", 6), "abcdef…");
        assert_eq!(one_line("abcde fg", 6), "abcde…");
        assert_eq!(one_line("abcdef   ", 6), "abcdef");
        assert_eq!(one_line(&"é".repeat(3000), 100).chars().count(), 101);
    }
}
