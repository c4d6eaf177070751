//! Faulty servers: raw TCP servers on 127.0.0.1 that refuse, reset, stall, truncate, lie about
//! lengths, send garbage, oversized or invalid events and absurd `retry-after` values. Every
//! fault must end in a typed error (or a documented clean end), never a panic or a hang, and
//! retries must follow the policy exactly (attempts are counted on the server).
//!
//! `tests/http/` covers the friendly versions of several faults (a FIN after the request, a
//! wiremock delay, a small over-limit event); the cases here are the harsher ones.
//!
//! Nothing here asserts on speed: `guard` only turns a hang into a failure after 10 s.

mod common;

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

#[derive(Clone, Default)]
struct Buf(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Buf {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(data);
        Ok(data.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Buf {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

/// Capture this thread's tracing events (a current-thread runtime keeps the client on it).
fn capture() -> (Buf, tracing::subscriber::DefaultGuard) {
    let buf = Buf::default();
    let writer = buf.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let guard = tracing::subscriber::set_default(subscriber);
    // Callsites first hit by another test thread without a subscriber cache "not interested":
    // recompute interest now that this thread has one.
    tracing::callsite::rebuild_interest_cache();
    (buf, guard)
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

// ---------------------------------------------------------------------------------------------
// Responses that never finish: the per-attempt timeout covers the whole attempt
// ---------------------------------------------------------------------------------------------

async fn never_finishes(kind: &'static str) -> Counted {
    counted(move |_, mut stream| async move {
        match kind {
            "silent" => {}
            "head-only" => {
                write(
                    &mut stream,
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 50\r\n\r\n{\"a\":",
                )
                .await;
            }
            "trickled-head" => {
                write(&mut stream, "HTTP/1.1 200 OK\r\n").await;
                for _ in 0..600 {
                    write(&mut stream, "x").await;
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
            "trickled-body" => {
                write(
                    &mut stream,
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n[",
                )
                .await;
                // Never idle for more than 30 ms, yet never done: the limit is per attempt,
                // not per gap, for non-streaming requests.
                for _ in 0..2000 {
                    write(&mut stream, "1,").await;
                    tokio::time::sleep(Duration::from_millis(30)).await;
                }
            }
            other => unreachable!("{other}"),
        }
        stall(stream).await;
    })
    .await
}

#[tokio::test]
async fn never_finishing_responses_time_out_per_attempt_with_retries() {
    for kind in ["silent", "head-only", "trickled-head", "trickled-body"] {
        let server = never_finishes(kind).await;
        // The client's own timeout is the 600 s default: the per-request one must win.
        let client = client(&server.server.url);
        let opts = RequestOptions::new().timeout(Duration::from_millis(250));
        let err = guard(get_json(&client, &opts)).await.unwrap_err();
        assert!(
            matches!(err, Error::Timeout { timeout } if timeout == Duration::from_millis(250)),
            "{kind}: {err:?}"
        );
        assert!(err.is_retryable());
        assert_eq!(server.requests(), 3, "{kind}: 1 attempt + max_retries 2");
    }
}

#[tokio::test]
async fn per_request_timeout_can_also_be_longer_than_the_clients() {
    let server = counted(|_, mut stream| async move {
        tokio::time::sleep(Duration::from_millis(400)).await;
        write(&mut stream, response("200 OK", "", b"{\"late\":true}")).await;
    })
    .await;
    let client = common::builder(&server.server.url)
        .timeout(Duration::from_millis(100))
        .max_retries(0)
        .build()
        .unwrap();
    let err = guard(get_json(&client, &RequestOptions::new()))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Timeout { timeout } if timeout == Duration::from_millis(100)),
        "{err:?}"
    );
    let v = guard(get_json(
        &client,
        &RequestOptions::new().timeout(Duration::from_secs(5)),
    ))
    .await
    .unwrap();
    assert_eq!(v, json!({"late": true}));
    assert_eq!(server.requests(), 2);
}

// ---------------------------------------------------------------------------------------------
// Bodies that are not what was promised
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn html_502_is_retried_per_policy_and_the_last_raw_body_kept() {
    let server = counted(|n, mut stream| async move {
        let body = format!("<html><body><h1>502 Bad Gateway</h1><p>attempt {n}</p></body></html>");
        write(
            &mut stream,
            response(
                "502 Bad Gateway",
                "content-type: text/html\r\nrequest-id: req_gw\r\n",
                body.as_bytes(),
            ),
        )
        .await;
    })
    .await;
    let err = guard(get_json(
        &client(&server.server.url),
        &RequestOptions::new(),
    ))
    .await
    .unwrap_err();
    assert_eq!(server.requests(), 3);
    let api = err.api_error().unwrap_or_else(|| panic!("{err:?}"));
    assert_eq!(api.kind(), ApiErrorKind::InternalServer);
    assert_eq!(api.status(), StatusCode::BAD_GATEWAY);
    assert!(api.envelope().is_none());
    assert_eq!(
        api.body().as_ref(),
        b"<html><body><h1>502 Bad Gateway</h1><p>attempt 2</p></body></html>"
    );
    assert_eq!(api.request_id(), Some("req_gw"));
    assert!(err.is_retryable());
}

#[tokio::test]
async fn html_502_twice_then_success() {
    let server = counted(|n, mut stream| async move {
        let out = if n < 2 {
            response(
                "502 Bad Gateway",
                "content-type: text/html\r\n",
                b"<html>down</html>",
            )
        } else {
            response(
                "200 OK",
                "content-type: application/json\r\n",
                b"{\"ok\":1}",
            )
        };
        write(&mut stream, out).await;
    })
    .await;
    let r = guard(client(&server.server.url).send_json::<Value>(
        Request::new(Method::POST, "/v1/x").json(&1),
        RequestOptions::new(),
    ))
    .await
    .unwrap();
    assert_eq!(r.retries_taken(), 2);
    assert_eq!(r.value(), &json!({"ok": 1}));
}

#[tokio::test]
async fn status_codes_outside_the_usual_range() {
    // 599 and 999 are >= 500: InternalServer and retried; 299 is a success.
    for (status, retried) in [("599 Odd", true), ("999 Weird", true)] {
        let server = counted(move |_, mut stream| async move {
            write(&mut stream, response(status, "", b"")).await;
        })
        .await;
        let err = guard(get_json(
            &client(&server.server.url),
            &RequestOptions::new(),
        ))
        .await
        .unwrap_err();
        assert_eq!(
            err.api_error().map(|a| a.kind()),
            Some(ApiErrorKind::InternalServer),
            "{status}: {err:?}"
        );
        assert_eq!(server.requests(), if retried { 3 } else { 1 }, "{status}");
    }
    let server = counted(|_, mut stream| async move {
        write(&mut stream, response("299 Fine", "", b"{\"a\":1}")).await;
    })
    .await;
    let v = guard(get_json(
        &client(&server.server.url),
        &RequestOptions::new(),
    ))
    .await
    .unwrap();
    assert_eq!(v, json!({"a": 1}));
}

#[tokio::test]
async fn non_json_2xx_bodies_are_decode_errors_with_the_body_and_not_retried() {
    let cases: [(&str, &[u8]); 6] = [
        ("text/html", b"<!doctype html><html><body>Welcome to nginx!</body></html>"),
        ("application/json", b""),
        ("application/json", b"{\"a\":1} trailing"),
        ("application/json", b"{\"a\":\"\xff\xfe\"}"),
        ("application/json", b"\xef\xbb\xbf{\"bom\":1}"),
        ("application/json", b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["),
    ];
    for (content_type, body) in cases {
        let server = counted(move |_, mut stream| async move {
            let head = format!("content-type: {content_type}\r\nrequest-id: req_dec\r\n");
            write(&mut stream, response("200 OK", &head, body)).await;
        })
        .await;
        let err = guard(get_json(
            &client(&server.server.url),
            &RequestOptions::new(),
        ))
        .await
        .unwrap_err();
        match &err {
            Error::Decode {
                status,
                body: got,
                request_id,
                headers,
                ..
            } => {
                assert_eq!(*status, StatusCode::OK);
                assert_eq!(got.as_ref(), body);
                assert_eq!(request_id.as_deref(), Some("req_dec"));
                assert_eq!(headers.get("content-type").unwrap(), content_type);
            }
            other => panic!("{:?}: {other:?}", String::from_utf8_lossy(body)),
        }
        assert!(!err.is_retryable());
        assert_eq!(server.requests(), 1, "a decode error is not retried");
    }
}

// ---------------------------------------------------------------------------------------------
// Event streams
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Deserialize, PartialEq)]
struct Item {
    text: String,
}

fn item(text: &str) -> String {
    format!("event: item\ndata: {}\n\n", json!({"text": text}))
}

async fn open(client: &TestApi) -> Result<Events<Item>, Error> {
    client
        .send_stream::<Item>(
            Request::new(Method::POST, "/v1/stream").json(&json!({"stream": true})),
            RequestOptions::new(),
            &EVENTS,
        )
        .await
}

async fn collect(client: &TestApi) -> Vec<Result<Item, Error>> {
    guard(async {
        let stream = open(client).await.unwrap();
        stream.collect::<Vec<_>>().await
    })
    .await
}

#[tokio::test]
async fn sse_cut_mid_event_never_yields_the_partial_event() {
    // Decided: a clean end of a close-delimited body is the end of the stream (the partial
    // event is discarded, per WHATWG) - tests/http covers that. A body that ends before its
    // declared length, or a reset, is a connection error item. In no case is the partial
    // event yielded, and nothing is retried once the stream has started.
    for how in ["content-length then FIN", "close-delimited then RST"] {
        let server = counted(move |_, mut stream| async move {
            let first = item("first");
            let partial = "event: item\ndata: {\"text\":\"partial\"}\n";
            if how.starts_with("content-length") {
                let len = first.len() + partial.len() + 100;
                write(
                    &mut stream,
                    format!("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-length: {len}\r\n\r\n"),
                )
                .await;
            } else {
                write(&mut stream, SSE_HEAD).await;
            }
            write(&mut stream, &first).await;
            write(&mut stream, partial).await;
            tokio::time::sleep(Duration::from_millis(30)).await;
            if how.ends_with("RST") {
                reset(stream);
            } else {
                let _ = stream.shutdown().await;
            }
        })
        .await;
        let items = collect(&client(&server.server.url)).await;
        assert_eq!(items.len(), 2, "{how}: {items:?}");
        assert_eq!(items[0].as_ref().unwrap().text, "first");
        assert!(
            matches!(&items[1], Err(Error::Connection { .. })),
            "{how}: {items:?}"
        );
        assert_eq!(server.requests(), 1, "{how}");
    }
}

/// Printable, quote-free, varied text of `len` bytes (so a lost or reordered chunk shows).
fn varied_text(len: usize) -> String {
    let alphabet = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:-_+=()";
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            alphabet[(x % alphabet.len() as u64) as usize] as char
        })
        .collect()
}

/// A server that sends one `item` event whose text is `text`, in 64 KiB writes.
async fn one_big_event(text: Arc<String>) -> Counted {
    counted(move |_, mut stream| {
        let text = text.clone();
        async move {
            write(&mut stream, SSE_HEAD).await;
            let event = item(&text);
            for chunk in event.as_bytes().chunks(64 * 1024) {
                if stream.write_all(chunk).await.is_err() {
                    return; // the client gave up (over its limit)
                }
            }
            write(&mut stream, item("after")).await;
        }
    })
    .await
}

#[tokio::test]
async fn ten_mib_event_is_delivered_intact_under_the_default_limit() {
    let text = Arc::new(varied_text(10 * 1024 * 1024));
    let server = one_big_event(text.clone()).await;
    let items = collect(&client(&server.server.url)).await;
    assert_eq!(items.len(), 2);
    let got = &items[0].as_ref().unwrap().text;
    assert_eq!(got.len(), text.len());
    assert!(got == text.as_str(), "the 10 MiB event arrived altered");
    assert_eq!(items[1].as_ref().unwrap().text, "after");
}

#[tokio::test]
async fn ten_mib_event_over_a_one_mib_limit_is_a_stream_error() {
    let text = Arc::new(varied_text(10 * 1024 * 1024));
    let server = one_big_event(text).await;
    let client = common::builder(&server.server.url)
        .max_event_size(1024 * 1024)
        .build()
        .unwrap();
    let mut stream = guard(open(&client)).await.unwrap();
    let first = guard(stream.next()).await.unwrap();
    match &first {
        Err(Error::Stream { reason, request_id }) => {
            assert!(reason.contains("1048576"), "{reason}");
            assert_eq!(request_id.as_deref(), Some("req_raw"));
        }
        other => panic!("{other:?}"),
    }
    assert!(guard(stream.next()).await.is_none(), "the stream ends");
}

#[tokio::test]
async fn event_size_limit_boundary_is_exact() {
    // The limit covers the pending line plus data plus type. For `data: <d>` the largest line
    // is 6 + len(d) bytes; after it, the data buffer holds len(d) + 1 and the line is empty.
    // So an event of one data line fits iff 6 + len(d) <= limit.
    const LIMIT: usize = 1024 * 1024;
    let json_overhead = r#"{"text":""}"#.len();
    for (extra, fits) in [(0usize, true), (1, false)] {
        let text = varied_text(LIMIT - 6 - json_overhead + extra);
        let body = format!("data: {}\n\n", json!({ "text": text }));
        let body = Arc::new(body);
        let server = counted(move |_, mut stream| {
            let body = body.clone();
            async move {
                write(&mut stream, SSE_HEAD).await;
                let _ = stream.write_all(body.as_bytes()).await;
            }
        })
        .await;
        static MESSAGE_EVENTS: forge_runtime::StreamEvents = forge_runtime::StreamEvents {
            events: &[],
            otherwise: forge_runtime::EventAction::Yield,
        };
        let client = common::builder(&server.server.url)
            .max_event_size(LIMIT)
            .build()
            .unwrap();
        let items: Vec<Result<Item, Error>> = guard(async {
            client
                .send_stream::<Item>(
                    Request::new(Method::POST, "/s"),
                    RequestOptions::new(),
                    &MESSAGE_EVENTS,
                )
                .await
                .unwrap()
                .collect()
                .await
        })
        .await;
        assert_eq!(items.len(), 1, "extra {extra}");
        if fits {
            assert_eq!(items[0].as_ref().unwrap().text.len(), text.len());
        } else {
            assert!(
                matches!(&items[0], Err(Error::Stream { .. })),
                "extra {extra}: {:?}",
                items[0].as_ref().map(|i| i.text.len())
            );
        }
    }
}

#[tokio::test]
async fn invalid_utf8_anywhere_in_an_event_is_an_error_item_not_a_panic() {
    let cases: [(&str, &[u8]); 7] = [
        ("data", b"event: item\ndata: {\"text\":\"\xc3\x28\"}\n\n"),
        ("event name", b"event: it\xffem\ndata: {\"text\":\"x\"}\n\n"),
        ("comment", b": keep-alive \xfe\n\n"),
        (
            "overlong",
            b"event: item\ndata: {\"text\":\"\xc0\xaf\"}\n\n",
        ),
        (
            "surrogate",
            b"event: item\ndata: {\"text\":\"\xed\xa0\x80\"}\n\n",
        ),
        ("lone continuation", b"\x80\n\n"),
        ("truncated in a terminated line", b"data: \xe2\x82\n\n"),
    ];
    for (name, bad) in cases {
        let server = counted(move |_, mut stream| async move {
            write(&mut stream, SSE_HEAD).await;
            write(&mut stream, item("before")).await;
            write(&mut stream, bad).await;
            write(&mut stream, item("never")).await;
        })
        .await;
        let items = collect(&client(&server.server.url)).await;
        assert_eq!(items.len(), 2, "{name}: {items:?}");
        assert_eq!(items[0].as_ref().unwrap().text, "before", "{name}");
        match &items[1] {
            Err(Error::Stream { reason, .. }) => assert!(reason.contains("UTF-8"), "{reason}"),
            other => panic!("{name}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn truncated_code_point_in_the_unterminated_last_line_is_discarded() {
    // The last line never ends, so it is discarded unread (WHATWG): a clean end, no error.
    let server = counted(|_, mut stream| async move {
        write(&mut stream, SSE_HEAD).await;
        write(&mut stream, item("only")).await;
        write(&mut stream, b"data: {\"text\":\"\xe2\x82").await;
    })
    .await;
    let items = collect(&client(&server.server.url)).await;
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().text, "only");
}

#[tokio::test]
async fn hundred_thousand_pings_in_one_write_do_not_hang() {
    // Linear work per byte: 100k events in one 2 MB write finish well inside the hang guard.
    let server = counted(|_, mut stream| async move {
        write(&mut stream, SSE_HEAD).await;
        let mut body = String::new();
        for _ in 0..100_000 {
            body.push_str("event: ping\ndata: {}\n\n");
        }
        body.push_str(&item("end"));
        write(&mut stream, body).await;
    })
    .await;
    let items = collect(&client(&server.server.url)).await;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].as_ref().unwrap().text, "end");
}

// ---------------------------------------------------------------------------------------------
// retry-after: every value bounded to 0..=60 s, attempts exactly as the policy says
// ---------------------------------------------------------------------------------------------

/// What delay a header should produce, read from the client's own `delay_ms` log field with
/// delays scaled by `SCALE` (so 60 s shows as 600 ms).
#[derive(Debug, Clone, Copy)]
enum Want {
    /// The 60 s cap.
    Capped,
    /// No wait.
    Zero,
    /// The server value was unusable: the exponential backoff.
    Backoff,
    /// Honoured as given, in scaled milliseconds.
    Ms(u64),
}

const SCALE: f64 = 0.01;

fn check_delay(want: Want, retry: usize, got: u64) -> bool {
    match want {
        // 60 s × 0.01 is 0.6 s, or a hair under it in floating point.
        Want::Capped => (599..=600).contains(&got),
        Want::Zero => got == 0,
        // retry n: (0.75, 1] × 0.5·2ⁿ s, scaled: (3.75, 5] ms, then (7.5, 10] ms.
        Want::Backoff => match retry {
            0 => (3..=5).contains(&got),
            _ => (7..=10).contains(&got),
        },
        Want::Ms(ms) => got + 1 >= ms && got <= ms,
    }
}

/// Runs one 429-forever server with `header` on its own thread (own runtime, own log) and
/// returns (requests seen, delays chosen, final error).
fn run_retry_after_case(header: &'static [u8]) -> (usize, Vec<u64>, Error) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let (log, _guard) = capture();
        let server = counted(move |_, mut stream| async move {
            let mut out = b"HTTP/1.1 429 Too Many Requests\r\n".to_vec();
            out.extend_from_slice(header);
            out.extend_from_slice(b"\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
            write(&mut stream, out).await;
        })
        .await;
        let client = common::builder(&server.server.url)
            .backoff_scale(SCALE)
            .build()
            .unwrap();
        let err = guard(get_json(&client, &RequestOptions::new()))
            .await
            .unwrap_err();
        (server.requests(), delays_ms(&log.text()), err)
    })
}

#[test]
fn hostile_retry_after_values_are_bounded_and_attempts_follow_the_policy() {
    let cases: &[(&[u8], Want)] = &[
        (b"retry-after: 999999999999", Want::Capped),
        (b"retry-after: 1e308", Want::Capped),
        (b"retry-after: 61", Want::Capped),
        (b"retry-after: inf", Want::Capped),
        (b"retry-after: Infinity", Want::Capped),
        (b"retry-after: Fri, 31 Dec 9999 23:59:59 GMT", Want::Capped),
        (b"retry-after-ms: 1e308", Want::Capped),
        (
            b"retry-after-ms: 99999999999999999999999999999999",
            Want::Capped,
        ),
        (b"retry-after-ms: 1e308\r\nretry-after: 0", Want::Capped),
        (b"retry-after: -5", Want::Zero),
        (b"retry-after: -1e308", Want::Zero),
        (b"retry-after: -inf", Want::Zero),
        (b"retry-after: 7e-400", Want::Zero),
        (b"retry-after-ms: -1", Want::Zero),
        (b"retry-after: NaN", Want::Backoff),
        (b"retry-after: nan", Want::Backoff),
        (b"retry-after-ms: NaN", Want::Backoff),
        (b"retry-after: soon", Want::Backoff),
        (b"retry-after: 5 seconds", Want::Backoff),
        (b"retry-after: 0x10", Want::Backoff),
        (b"retry-after: 1_000", Want::Backoff),
        (b"retry-after:", Want::Backoff),
        (b"retry-after: \xff\xfe", Want::Backoff),
        (b"retry-after: 30", Want::Ms(300)),
        (b"retry-after-ms: 12500", Want::Ms(125)),
        (b"retry-after-ms: nope\r\nretry-after: 20", Want::Ms(200)),
    ];
    let handles: Vec<_> = cases
        .iter()
        .map(|&(header, want)| {
            (
                header,
                want,
                std::thread::spawn(move || run_retry_after_case(header)),
            )
        })
        .collect();
    let mut failures = Vec::new();
    for (header, want, handle) in handles {
        let (requests, delays, err) = handle.join().unwrap();
        let shown = String::from_utf8_lossy(header).replace("\r\n", " + ");
        let ok = requests == 3
            && delays.len() == 2
            && delays
                .iter()
                .enumerate()
                .all(|(i, d)| check_delay(want, i, *d))
            && err.api_error().map(|a| a.kind()) == Some(ApiErrorKind::RateLimit);
        if !ok {
            failures.push(format!(
                "{shown}: want {want:?}, got {requests} requests, delays {delays:?} ms, {err}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn capture_helper_reads_delays() {
    // The parser the table relies on.
    let log = "DEBUG request: forge_runtime::client: retrying after error status status=429 delay_ms=599\n\
               DEBUG x: other delay_ms=1\n\
               DEBUG request: retrying after transport error error=e delay_ms=0\n";
    assert_eq!(delays_ms(log), vec![599, 0]);
    let mut b = Buf::default();
    b.write_all(b"abc").unwrap();
    assert_eq!(b.text(), "abc");
}
