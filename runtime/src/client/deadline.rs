//! One timer for a whole attempt (the wait for the head, then the body), where two
//! `tokio::time::timeout_at` calls would register and remove a timer twice per request.
//!
//! [`Limited`] is a plain struct future, not an `async fn`: an `async fn` stores the future it
//! is given twice (as its argument and as the pinned local it polls), and the attempt loop's
//! boxed future would carry both.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::time::Sleep;

/// An attempt's time limit, shared by its steps.
pub(crate) struct Deadline<'a> {
    sleep: Pin<&'a mut Sleep>,
}

impl<'a> Deadline<'a> {
    pub(crate) fn new(sleep: Pin<&'a mut Sleep>) -> Self {
        Deadline { sleep }
    }

    /// Resolves to `fut`'s output, or to `None` if the time limit passes first.
    pub(crate) fn run<F: Future + Unpin>(&mut self, fut: F) -> Limited<'_, 'a, F> {
        Limited {
            fut,
            sleep: &mut self.sleep,
        }
    }
}

/// A step of an attempt under its [`Deadline`].
pub(crate) struct Limited<'s, 'a, F> {
    fut: F,
    sleep: &'s mut Pin<&'a mut Sleep>,
}

impl<F: Future + Unpin> Future for Limited<'_, '_, F> {
    type Output = Option<F::Output>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        if let Poll::Ready(out) = Pin::new(&mut this.fut).poll(cx) {
            return Poll::Ready(Some(out));
        }
        this.sleep.as_mut().poll(cx).map(|()| None)
    }
}
