//! One timer for a whole attempt (the wait for the head, then the body), where two
//! `tokio::time::timeout_at` calls would register and remove a timer twice per request.

use std::future::{poll_fn, Future};
use std::pin::{pin, Pin};
use std::task::Poll;

use tokio::time::Sleep;

/// An attempt's time limit, shared by its steps.
pub(crate) struct Deadline<'a> {
    sleep: Pin<&'a mut Sleep>,
}

impl<'a> Deadline<'a> {
    pub(crate) fn new(sleep: Pin<&'a mut Sleep>) -> Self {
        Deadline { sleep }
    }

    /// `fut`'s output, or `None` if the time limit passed first.
    pub(crate) async fn run<F: Future>(&mut self, fut: F) -> Option<F::Output> {
        let mut fut = pin!(fut);
        let sleep = &mut self.sleep;
        poll_fn(|cx| {
            if let Poll::Ready(out) = fut.as_mut().poll(cx) {
                return Poll::Ready(Some(out));
            }
            sleep.as_mut().poll(cx).map(|()| None)
        })
        .await
    }
}
