//! What the crate's tests share: clients aimed at a wiremock server on 127.0.0.1, the one
//! request a test expects the server to have received, and the headers every request carries.
#![allow(dead_code)] // each test binary uses part of this module

use anthropic::{Client, InputMessage, InputMessageContent, InputMessageRole};
use serde_json::Value;
use wiremock::{MockServer, Request};

/// A made-up API key.
pub const API_KEY: &str = "sk-ant-api03-TESTKEY-0123456789abcdef";
/// The request id the servers answer with.
pub const REQUEST_ID: &str = "req_011CSHoEeqs5C35K2UUqR7Fy";
/// The `User-Agent` every request carries.
pub const USER_AGENT: &str = concat!("Anthropic/Rust ", env!("CARGO_PKG_VERSION"));

/// A client aimed at `server` with the API key set and retry waits scaled down 100x.
pub fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key(API_KEY)
        .base_url(server.uri())
        .backoff_scale(0.01)
        .build()
        .expect("a valid test client")
}

/// One user turn of plain text.
pub fn user(text: &str) -> InputMessage {
    InputMessage::new(
        InputMessageContent::String(text.to_owned()),
        InputMessageRole::User,
    )
}

/// The requests the server received, in order.
pub async fn requests(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
}

/// The only request the server received.
pub async fn only_request(server: &MockServer) -> Request {
    let mut all = requests(server).await;
    assert_eq!(
        all.len(),
        1,
        "expected exactly one request, got {}",
        all.len()
    );
    all.remove(0)
}

/// A header's value, which must be there exactly once.
pub fn header<'r>(request: &'r Request, name: &str) -> &'r str {
    let values: Vec<_> = request.headers.get_all(name).iter().collect();
    assert_eq!(values.len(), 1, "header {name}: {values:?}");
    values[0].to_str().expect("an ASCII header value")
}

/// Method, path and query (`None`: no query string at all) of a request.
pub fn assert_target(request: &Request, method: &str, path: &str, query: Option<&str>) {
    assert_eq!(request.method.as_str(), method);
    assert_eq!(request.url.path(), path);
    assert_eq!(request.url.query(), query);
}

/// The headers every request of the crate sends, with the `Accept` it asks for; and nothing
/// else but the transport's own (`host`, `content-length`, `content-type` where there is a
/// body) and the `extra` names a test expects.
pub fn assert_headers(request: &Request, accept: &str, extra: &[&str]) {
    assert_eq!(header(request, "x-api-key"), API_KEY);
    assert_eq!(header(request, "anthropic-version"), "2023-06-01");
    assert_eq!(header(request, "accept"), accept);
    assert_eq!(header(request, "user-agent"), USER_AGENT);
    assert_eq!(header(request, "x-stainless-retry-count"), "0");
    let mut names: Vec<&str> = request.headers.keys().map(|n| n.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    let mut expected = vec![
        "accept",
        "anthropic-version",
        "host",
        "user-agent",
        "x-api-key",
        "x-stainless-retry-count",
    ];
    if !request.body.is_empty() {
        expected.extend(["content-length", "content-type"]);
    }
    expected.extend_from_slice(extra);
    expected.sort_unstable();
    assert_eq!(names, expected, "header names");
}

/// A JSON request body, with `Content-Type: application/json`.
pub fn json_body(request: &Request) -> Value {
    assert_eq!(header(request, "content-type"), "application/json");
    serde_json::from_slice(&request.body).expect("a JSON body")
}
