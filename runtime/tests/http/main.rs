//! Integration tests over real HTTP to servers on 127.0.0.1.

#[path = "../common/mod.rs"]
mod common;

mod errors;
mod headers;
mod hooks;
mod idempotency;
mod options;
mod pagination;
mod retries;
mod streaming;
