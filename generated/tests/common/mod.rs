//! What the generated crate's tests share: the example exchange of `api-reference.md` §8,
//! clients aimed at servers on 127.0.0.1 (wiremock, or a raw TCP listener where a test needs
//! the request's bytes or a server that never answers), and accessors for what the server got.
#![allow(dead_code)] // each test binary uses part of this module

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use anthropic_completions::{ApiError, Client, ClientBuilder, CompletionCreateParams, Error};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// A made-up API key. Tests that check redaction look for this exact string.
pub const API_KEY: &str = "sk-ant-api03-TESTSECRET-k3y-0123456789abcdef";
/// A made-up OAuth token.
pub const AUTH_TOKEN: &str = "oat-TESTSECRET-t0ken-fedcba9876543210";

/// The prompt of the §8 request.
pub const PROMPT_8: &str = "\n\nHuman: Hello, world!\n\nAssistant:";
/// The §8 request body, verbatim (key order is free on the wire).
pub const REQUEST_8: &str = r#"{"max_tokens_to_sample":256,"model":"claude-2.1","prompt":"\n\nHuman: Hello, world!\n\nAssistant:"}"#;
/// The §8 response body, verbatim.
pub const RESPONSE_8: &str = r#"{"type":"completion","id":"compl_018CKm6gsux7P8yMcwZbeCPw","completion":" Hello! My name is Claude.","stop_reason":"stop_sequence","model":"claude-2.1"}"#;
/// The §8 response's request id.
pub const REQUEST_ID_8: &str = "req_011CPx8sM3tW7yZ2fA9bQe4d";
/// The §8 event stream, verbatim (a `ping` between the completions).
pub const STREAM_8: &str = concat!(
    "event: completion\n",
    r#"data: {"type":"completion","completion":" Hello","stop_reason":null,"model":"claude-2.1"}"#,
    "\n\n",
    "event: ping\n",
    r#"data: {"type":"ping"}"#,
    "\n\n",
    "event: completion\n",
    r#"data: {"type":"completion","completion":"! My name is Claude.","stop_reason":null,"model":"claude-2.1"}"#,
    "\n\n",
    "event: completion\n",
    r#"data: {"type":"completion","completion":"","stop_reason":"stop_sequence","model":"claude-2.1"}"#,
    "\n\n",
);
/// The text the §8 stream's deltas join to.
pub const STREAM_TEXT_8: &str = " Hello! My name is Claude.";
/// The path every request goes to.
pub const COMPLETE_PATH: &str = "/v1/complete";

/// The §8 request.
pub fn params_8() -> CompletionCreateParams {
    CompletionCreateParams::new("claude-2.1", PROMPT_8, 256)
}

/// A builder aimed at `base` with the API key set and retry waits scaled down 100x.
pub fn builder(base: &str) -> ClientBuilder {
    Client::builder()
        .api_key(API_KEY)
        .base_url(base)
        .backoff_scale(0.01)
}

/// [`builder`], built.
pub fn client(base: &str) -> Client {
    builder(base).build().expect("client builds")
}

/// `200` with the §8 completion and its request id.
pub fn completion_8() -> ResponseTemplate {
    ResponseTemplate::new(200)
        .insert_header("request-id", REQUEST_ID_8)
        .set_body_raw(RESPONSE_8, "application/json")
}

/// `200` with `body` as `text/event-stream; charset=utf-8` and request id `req_stream`.
pub fn sse(body: &str) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .insert_header("request-id", "req_stream")
        .set_body_raw(body.as_bytes().to_vec(), "text/event-stream; charset=utf-8")
}

/// The §4 error envelope, with `request_id` as given (`None` sends `null`).
pub fn envelope(error_type: &str, message: &str, request_id: Option<&str>) -> String {
    serde_json::json!({
        "type": "error",
        "error": {"type": error_type, "message": message},
        "request_id": request_id,
    })
    .to_string()
}

/// An error status with the §4 envelope (`request_id: null`) and a `request-id` header.
pub fn error_reply(
    status: u16,
    error_type: &str,
    message: &str,
    request_id: &str,
) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("request-id", request_id)
        .set_body_raw(envelope(error_type, message, None), "application/json")
}

/// Replies in order; the last reply repeats.
pub struct Sequence {
    replies: Vec<ResponseTemplate>,
    next: AtomicUsize,
}

impl Sequence {
    pub fn new(replies: Vec<ResponseTemplate>) -> Self {
        assert!(!replies.is_empty());
        Sequence {
            replies,
            next: AtomicUsize::new(0),
        }
    }
}

impl Respond for Sequence {
    fn respond(&self, _request: &Request) -> ResponseTemplate {
        let n = self.next.fetch_add(1, Ordering::SeqCst);
        self.replies[n.min(self.replies.len() - 1)].clone()
    }
}

/// A wiremock server answering `POST /v1/complete` with `reply` (any other request: 404).
pub async fn server_with(reply: impl Respond + 'static) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(COMPLETE_PATH))
        .respond_with(reply)
        .mount(&server)
        .await;
    server
}

/// Every request the server received.
pub async fn received(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
}

/// The one request the server received.
pub async fn only_request(server: &MockServer) -> Request {
    let mut requests = received(server).await;
    assert_eq!(requests.len(), 1, "expected exactly one request");
    requests.remove(0)
}

/// The value of header `name` (the only one of that name), as text.
pub fn header(request: &Request, name: &str) -> Option<String> {
    let values: Vec<String> = request
        .headers
        .get_all(name)
        .iter()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .collect();
    assert!(
        values.len() <= 1,
        "header {name} sent {} times: {values:?}",
        values.len()
    );
    values.into_iter().next()
}

/// The request body as JSON.
pub fn body_json(request: &Request) -> serde_json::Value {
    serde_json::from_slice(&request.body).expect("request body is JSON")
}

/// The API error inside `e`; panics (showing `e`) for any other variant.
pub fn api_error(e: Error) -> ApiError {
    match e {
        Error::Api(api) => *api,
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

/// A TCP server on 127.0.0.1 that hands each connection to a handler, counting them.
pub struct RawServer {
    pub url: String,
    connections: Arc<AtomicUsize>,
    task: JoinHandle<()>,
}

impl RawServer {
    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Starts a [`RawServer`]; `handler` gets each accepted connection.
pub async fn raw_server<F, Fut>(handler: F) -> RawServer
where
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("local addr");
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = connections.clone();
    let handler = Arc::new(handler);
    let task = tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            let handler = handler.clone();
            tokio::spawn(async move { handler(stream).await });
        }
    });
    RawServer {
        url: format!("http://{addr}"),
        connections,
        task,
    }
}

/// Reads one HTTP/1.1 request (head, then a `content-length` body) and returns its bytes.
pub async fn read_request(stream: &mut TcpStream) -> Vec<u8> {
    let mut buf = Vec::new();
    let mut tmp = [0u8; 4096];
    loop {
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..pos]).to_ascii_lowercase();
            let len = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if buf.len() >= pos + 4 + len {
                return buf;
            }
        }
        match stream.read(&mut tmp).await {
            Ok(0) | Err(_) => return buf,
            Ok(n) => buf.extend_from_slice(&tmp[..n]),
        }
    }
}

/// A raw server that records each request's bytes and answers every one with `response`
/// (a whole HTTP/1.1 response, written as given), then closes the connection.
pub async fn recording_server(response: String) -> (RawServer, Arc<Mutex<Vec<Vec<u8>>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let server = raw_server(move |mut stream| {
        let (log, response) = (log.clone(), response.clone());
        async move {
            let request = read_request(&mut stream).await;
            log.lock().unwrap().push(request);
            let _ = stream.write_all(response.as_bytes()).await;
            let _ = stream.shutdown().await;
        }
    })
    .await;
    (server, seen)
}

/// A raw server that reads each request and never answers (the connection stays open).
pub async fn silent_server() -> RawServer {
    raw_server(|mut stream| async move {
        read_request(&mut stream).await;
        tokio::time::sleep(std::time::Duration::from_secs(30)).await;
        drop(stream);
    })
    .await
}
