//! Wiring tests of the generated client: one test per fact that is particular to this API or to
//! the generated code, each against a server on 127.0.0.1. The policies behind them (retries and
//! backoff, header precedence, SSE parsing, timeouts, redaction, load, faults) are the runtime's
//! and are proven once, in `runtime/tests/`.

#[path = "../common/mod.rs"]
mod common;

mod config;
mod errors;
mod request;
mod streaming;
