//! This thread's tracing output, for tests that count or search log lines.
//!
//! One global subscriber per test binary, writing to the buffer of the thread it runs on (a
//! current-thread runtime keeps the client's work on the test's thread). A per-thread
//! `set_default` subscriber is not enough: a callsite first reached by another test thread
//! while no subscriber wants it caches "never", and its events are then lost at random.

use std::cell::RefCell;
use std::io::Write;
use std::sync::{Arc, Mutex, Once};

/// Captured text.
#[derive(Clone, Default)]
pub struct Buf(Arc<Mutex<Vec<u8>>>);

impl Buf {
    /// Everything written so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl Write for Buf {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(data);
        Ok(data.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

thread_local! {
    static SINK: RefCell<Option<Buf>> = const { RefCell::new(None) };
}

/// Writes to this thread's buffer, if it has one.
struct Sink;

impl Write for Sink {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        SINK.with(|s| match s.borrow_mut().as_mut() {
            Some(buf) => buf.write(data),
            None => Ok(data.len()),
        })
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Ends the capture when dropped.
pub struct Capturing;

impl Drop for Capturing {
    fn drop(&mut self) {
        SINK.with(|s| *s.borrow_mut() = None);
    }
}

/// Capture this thread's events at every level (and span opens and closes when `spans`; the
/// first call in a test binary decides it for the binary).
pub fn capture(spans: bool) -> (Buf, Capturing) {
    static INIT: Once = Once::new();
    INIT.call_once(|| {
        let events = if spans {
            tracing_subscriber::fmt::format::FmtSpan::FULL
        } else {
            tracing_subscriber::fmt::format::FmtSpan::NONE
        };
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_span_events(events)
            .with_ansi(false)
            .with_writer(|| Sink)
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("one global subscriber");
    });
    let buf = Buf::default();
    SINK.with(|s| *s.borrow_mut() = Some(buf.clone()));
    (buf, Capturing)
}
