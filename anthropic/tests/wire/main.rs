//! Wire tests of the Anthropic client: each sends one kind of request to a wiremock server on
//! 127.0.0.1 and asserts the exact request (method, path, query, headers, body) and the decoded
//! result. The policies underneath (retries, SSE parsing, timeouts, redaction) are the runtime's
//! and are proven in `runtime/tests/`.

#[path = "../common/mod.rs"]
mod common;

mod batches;
mod files;
mod messages;
mod pages;
mod streaming;
