//! Faulty servers: raw TCP servers on 127.0.0.1 that refuse, reset, stall, truncate, lie about
//! lengths, send garbage, oversized or invalid events and absurd `retry-after` values. Every
//! fault must end in a typed error (or a documented clean end), never a panic or a hang, and
//! retries must follow the policy exactly (attempts are counted on the server).
//!
//! `tests/http/` covers the friendly versions of several faults (a FIN after the request, a
//! wiremock delay, a small over-limit event); the cases here are the harsher ones.
//!
//! Nothing here asserts on speed: `guard` only turns a hang into a failure after 10 s.

mod bodies;
#[path = "../common/mod.rs"]
mod common;
mod retry_after;
mod sse;

use std::future::Future;
use std::io::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use forge_runtime::{ApiErrorKind, Method, Request, RequestOptions, StatusCode};
use futures::StreamExt;
use serde::Deserialize;
use serde_json::{json, Value};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use common::{
    raw_server, read_request, write, Error, Events, RawServer, TestApi, EVENTS, SSE_HEAD,
};

/// Fails a test that takes longer than this instead of letting it hang (not a speed check).
const HANG_GUARD: Duration = Duration::from_secs(10);

async fn guard<T>(fut: impl Future<Output = T>) -> T {
    tokio::time::timeout(HANG_GUARD, fut)
        .await
        .expect("hang guard: the client neither finished nor failed within 10 s")
}

/// A raw server that also counts complete requests it has read.
struct Counted {
    server: RawServer,
    requests: Arc<AtomicUsize>,
}

impl Counted {
    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

/// Serve every connection with `handler(request_index, stream)` after reading one request.
async fn counted<F, Fut>(handler: F) -> Counted
where
    F: Fn(usize, TcpStream) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let requests = Arc::new(AtomicUsize::new(0));
    let count = requests.clone();
    let handler = Arc::new(handler);
    let server = raw_server(move |_, mut stream| {
        let count = count.clone();
        let handler = handler.clone();
        async move {
            let req = read_request(&mut stream).await;
            if req.is_empty() {
                return;
            }
            let n = count.fetch_add(1, Ordering::SeqCst);
            handler(n, stream).await;
        }
    })
    .await;
    Counted { server, requests }
}

/// Close with an RST instead of a FIN (`SO_LINGER` 0).
fn reset(stream: TcpStream) {
    let _ = stream.set_zero_linger();
    drop(stream);
}

/// Keep the connection open and silent for longer than any test runs.
async fn stall(stream: TcpStream) {
    tokio::time::sleep(Duration::from_secs(60)).await;
    drop(stream);
}

fn client(url: &str) -> TestApi {
    common::client(url)
}

async fn get_json(client: &TestApi, opts: &RequestOptions) -> Result<Value, Error> {
    client
        .send_json::<Value>(
            Request::new(Method::POST, "/v1/x").json(&json!({"q": 1})),
            opts.clone(),
        )
        .await
        .map(|r| r.into_value())
}

fn response(status: &str, headers: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\n{headers}content-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

// ---------------------------------------------------------------------------------------------
// Tracing capture: the retry loop logs each chosen delay (`delay_ms`) at DEBUG, which lets the
// tests read the delay the client picked instead of timing it.
// ---------------------------------------------------------------------------------------------

use common::logs::Buf;

/// Capture this thread's tracing events.
fn capture() -> (Buf, common::logs::Capturing) {
    common::logs::capture(false)
}

/// The `delay_ms` of every "retrying" event, in order.
fn delays_ms(log: &str) -> Vec<u64> {
    log.lines()
        .filter(|l| l.contains("retrying"))
        .filter_map(|l| {
            let rest = &l[l.find("delay_ms=")? + "delay_ms=".len()..];
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Connection-level faults
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn refused_port_is_a_connection_error_retried_per_policy() {
    // A port that was just free: bind, note it, release it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = client(&format!("http://127.0.0.1:{port}"));
    for (retries, opts) in [
        (2, RequestOptions::new()),
        (0, RequestOptions::new().max_retries(0)),
        (5, RequestOptions::new().max_retries(5)),
    ] {
        let (log, _guard) = capture();
        let err = guard(get_json(&client, &opts)).await.unwrap_err();
        assert!(matches!(err, Error::Connection { .. }), "{err:?}");
        assert!(err.is_retryable());
        assert_eq!(err.status(), None);
        assert_eq!(err.request_id(), None);
        let text = log.text();
        assert_eq!(
            text.matches("retrying after transport error").count(),
            retries,
            "{text}"
        );
    }
}

#[tokio::test]
async fn reset_before_reading_the_request_is_retried_then_a_connection_error() {
    // RST straight after accept: the client may still be writing its request.
    let server = raw_server(|_, stream| async move { reset(stream) }).await;
    let err = guard(get_json(&client(&server.url), &RequestOptions::new()))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Connection { .. }), "{err:?}");
    assert_eq!(server.connections(), 3);
}

#[tokio::test]
async fn reset_after_the_request_before_the_response() {
    let server = counted(|_, stream| async move { reset(stream) }).await;
    let err = guard(get_json(
        &client(&server.server.url),
        &RequestOptions::new(),
    ))
    .await
    .unwrap_err();
    assert!(matches!(err, Error::Connection { .. }), "{err:?}");
    assert!(err.to_string().starts_with("connection error: "), "{err}");
    assert_eq!(server.requests(), 3, "1 attempt + max_retries 2");
}

#[tokio::test]
async fn reset_during_a_2xx_body_is_a_connection_error_not_decode() {
    let server = counted(|_, mut stream| async move {
        write(
            &mut stream,
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"completion\":\"par",
        )
        .await;
        tokio::time::sleep(Duration::from_millis(20)).await;
        reset(stream);
    })
    .await;
    let err = guard(get_json(
        &client(&server.server.url),
        &RequestOptions::new(),
    ))
    .await
    .unwrap_err();
    assert!(matches!(err, Error::Connection { .. }), "{err:?}");
    assert_eq!(server.requests(), 3);
}

#[tokio::test]
async fn reset_during_an_error_body_keeps_the_status() {
    // The status is known before the body breaks: the error stays an API error (empty body),
    // and 500 is retried like any 500.
    let server = counted(|_, mut stream| async move {
        write(
            &mut stream,
            "HTTP/1.1 500 Internal Server Error\r\ncontent-type: text/html\r\ncontent-length: 1000\r\n\r\n<html>bro",
        )
        .await;
        tokio::time::sleep(Duration::from_millis(20)).await;
        reset(stream);
    })
    .await;
    let err = guard(get_json(
        &client(&server.server.url),
        &RequestOptions::new(),
    ))
    .await
    .unwrap_err();
    let api = err.api_error().unwrap_or_else(|| panic!("{err:?}"));
    assert_eq!(api.kind(), ApiErrorKind::InternalServer);
    assert!(api.body().is_empty(), "{:?}", api.body());
    assert_eq!(api.message(), "Internal Server Error");
    assert_eq!(server.requests(), 3);
}

#[tokio::test]
async fn truncated_json_body_is_a_connection_error_and_retried() {
    // Content-Length larger than what is sent, then a clean close (FIN).
    for max_retries in [0u32, 2] {
        let server = counted(|_, mut stream| async move {
            write(
                &mut stream,
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 64\r\n\r\n{\"completion\": \"cut here",
            )
            .await;
            let _ = stream.shutdown().await;
        })
        .await;
        let opts = RequestOptions::new().max_retries(max_retries);
        let err = guard(get_json(&client(&server.server.url), &opts))
            .await
            .unwrap_err();
        // Connection or Decode would both be typed; hyper sees the body end before its length,
        // which is a transport error (Connection), so it is retried like one.
        assert!(matches!(err, Error::Connection { .. }), "{err:?}");
        assert_eq!(server.requests(), max_retries as usize + 1);
    }
}

#[tokio::test]
async fn truncated_chunked_json_body_is_a_connection_error() {
    let server = counted(|_, mut stream| async move {
        write(
            &mut stream,
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n8\r\n{\"a\": 12\r\n",
        )
        .await;
        let _ = stream.shutdown().await; // no terminating 0-chunk
    })
    .await;
    let err = guard(get_json(
        &client(&server.server.url),
        &RequestOptions::new().max_retries(1),
    ))
    .await
    .unwrap_err();
    assert!(matches!(err, Error::Connection { .. }), "{err:?}");
    assert_eq!(server.requests(), 2);
}

#[tokio::test]
async fn garbage_instead_of_http_is_a_connection_error() {
    for garbage in [
        &b"HELLO\r\n\r\n"[..],
        b"HTTP/1.1 OK\r\n\r\n",
        b"HTTP/1.1 20 OK\r\ncontent-length: 0\r\n\r\n",
        b"\x00\xff\xfe\x00\r\n\r\n",
        b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\ncontent-length: 7\r\n\r\nhello",
    ] {
        let server = counted(move |_, mut stream| async move {
            write(&mut stream, garbage).await;
            let _ = stream.shutdown().await;
        })
        .await;
        let err = guard(get_json(
            &client(&server.server.url),
            &RequestOptions::new(),
        ))
        .await
        .unwrap_err();
        assert!(
            matches!(err, Error::Connection { .. }),
            "{:?}: {err:?}",
            String::from_utf8_lossy(garbage)
        );
        assert_eq!(
            server.requests(),
            3,
            "{:?}",
            String::from_utf8_lossy(garbage)
        );
    }
}

#[tokio::test]
async fn oversized_response_head_is_a_connection_error() {
    // 1,000 headers (hyper allows 100) and one 1 MiB header line.
    let many: String = (0..1000).map(|i| format!("x-h{i}: v\r\n")).collect();
    let huge = format!("x-huge: {}\r\n", "a".repeat(1024 * 1024));
    for head in [many, huge] {
        let head = Arc::new(head);
        let server = counted(move |_, mut stream| {
            let head = head.clone();
            async move {
                write(
                    &mut stream,
                    format!("HTTP/1.1 200 OK\r\n{head}content-length: 2\r\n\r\n{{}}"),
                )
                .await;
                let _ = stream.shutdown().await;
            }
        })
        .await;
        let err = guard(get_json(
            &client(&server.server.url),
            &RequestOptions::new().max_retries(0),
        ))
        .await
        .unwrap_err();
        assert!(matches!(err, Error::Connection { .. }), "{err:?}");
        assert_eq!(server.requests(), 1);
    }
}

#[tokio::test]
async fn server_closing_idle_keep_alive_connections_loses_no_request() {
    // The server answers with keep-alive and then closes the socket anyway, so the client's
    // pooled connection is dead when the next request goes out. Every request must still get
    // exactly one answer, and the server must see each id exactly once.
    let seen = Arc::new(Mutex::new(Vec::<String>::new()));
    let log = seen.clone();
    let server = raw_server(move |_, mut stream| {
        let log = log.clone();
        async move {
            let req = read_request(&mut stream).await;
            let id = req
                .lines()
                .find_map(|l| l.strip_prefix("x-id: "))
                .unwrap_or("?")
                .to_owned();
            log.lock().unwrap().push(id.clone());
            let body = format!("{{\"id\":\"{id}\"}}");
            write(
                &mut stream,
                format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                    body.len()
                ),
            )
            .await;
            tokio::time::sleep(Duration::from_millis(5)).await;
            drop(stream);
        }
    })
    .await;
    let client = client(&server.url);
    for i in 0..30 {
        let id = format!("req-{i}");
        let v = guard(get_json(
            &client,
            &RequestOptions::new().header("x-id", &id),
        ))
        .await
        .unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(v["id"], id);
        // Give the server time to close the connection the client now holds as idle.
        tokio::time::sleep(Duration::from_millis(15)).await;
    }
    let seen = seen.lock().unwrap().clone();
    let expected: Vec<String> = (0..30).map(|i| format!("req-{i}")).collect();
    assert_eq!(seen, expected, "each request exactly once, in order");
}

#[tokio::test]
async fn same_origin_redirect_loop_ends_in_an_error() {
    let server = counted(|_, mut stream| async move {
        write(
            &mut stream,
            response("307 Temporary Redirect", "location: /v1/x\r\n", b""),
        )
        .await;
        let _ = stream.shutdown().await;
    })
    .await;
    let err = guard(get_json(
        &client(&server.server.url),
        &RequestOptions::new().max_retries(0),
    ))
    .await
    .unwrap_err();
    assert!(matches!(err, Error::Connection { .. }), "{err:?}");
    assert!(err.to_string().contains("redirect"), "{err}");
    assert_eq!(server.requests(), 11, "the first request and 10 redirects");
}
