//! Secrets: the API key and the bearer token never show up in `Debug`, `Display`, any error
//! variant (or its source chain), a panic message, or a `tracing` event; CR/LF never reaches a
//! header; and a plain `http://` base URL to a non-loopback host warns once per client.
//!
//! `tests/http/errors.rs` checks Debug/Display for an API error and a connection error; here
//! every variant is provoked, panics and logs are captured, and more header sources are tried.

#[path = "../common/mod.rs"]
mod common;
mod headers;
mod insecure;

use std::cell::RefCell;
use std::net::SocketAddr;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Mutex, Once};
use std::time::Duration;

use forge_runtime::{reqwest, Client, Method, Request, RequestOptions, Secret};
use futures::StreamExt;
use serde_json::{json, Value};
use tokio::net::TcpStream;

use common::{
    api_builder, raw_server, read_request, write, Error, Events, QueryCookieApi, TestApi, EVENTS,
    KEY, SSE_HEAD, TOKEN,
};

/// Every text a test produces is scanned for these.
const NEEDLES: &[&str] = &[KEY, TOKEN, "SECRET"];

fn assert_clean(what: &str, text: &str) {
    for needle in NEEDLES {
        assert!(!text.contains(needle), "{what} leaks {needle:?}:\n{text}");
    }
}

// ---------------------------------------------------------------------------------------------
// Capturing tracing (fmt layer at TRACE into a buffer) and panics (a hook that records the
// message for the current thread only, and defers to the default hook otherwise).
// ---------------------------------------------------------------------------------------------

use common::logs::Buf;

/// Capture this thread's tracing output, spans included.
fn capture_logs() -> (Buf, common::logs::Capturing) {
    common::logs::capture(true)
}

thread_local! {
    static PANIC_TEXT: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Run `f`, which must panic, and return everything the panic hook saw.
fn panic_text(f: impl FnOnce()) -> String {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let captured = PANIC_TEXT.with(|t| {
                let mut t = t.borrow_mut();
                match t.as_mut() {
                    Some(text) => {
                        let payload = info
                            .payload()
                            .downcast_ref::<String>()
                            .cloned()
                            .or_else(|| {
                                info.payload().downcast_ref::<&str>().map(|s| s.to_string())
                            })
                            .unwrap_or_default();
                        text.push_str(&payload);
                        text.push('\n');
                        text.push_str(&info.to_string());
                        true
                    }
                    None => false,
                }
            });
            if !captured {
                default(info);
            }
        }));
    });
    PANIC_TEXT.with(|t| *t.borrow_mut() = Some(String::new()));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    let text = PANIC_TEXT
        .with(|t| t.borrow_mut().take())
        .unwrap_or_default();
    assert!(result.is_err(), "expected a panic");
    assert!(!text.is_empty(), "the hook saw no panic");
    text
}

/// Every way an error gets printed: Display, Debug, pretty Debug, the source chain, and the
/// panic messages of `unwrap` and `expect`.
fn renderings(e: Error) -> String {
    let mut out = format!("{e}\n{e:?}\n{e:#?}\n");
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        out.push_str(&format!("{s}\n{s:?}\n"));
        source = s.source();
    }
    if let Some(api) = e.api_error() {
        out.push_str(&format!("{api}\n{api:?}\n"));
    }
    // `unwrap` and `expect` print the error's Debug in the panic message. (`black_box` keeps
    // the result opaque, as a real call's would be.)
    let copy = clone_error(&e);
    let expect = panic_text(move || {
        std::hint::black_box(Err::<(), Error>(copy)).expect("request failed");
    });
    let unwrap = panic_text(move || {
        std::hint::black_box(Err::<(), Error>(e)).unwrap();
    });
    assert!(
        unwrap.contains("called `Result::unwrap()` on an `Err` value"),
        "{unwrap}"
    );
    assert!(expect.contains("request failed"), "{expect}");
    format!("{out}{unwrap}\n{expect}\n")
}

/// `Error` is not `Clone`; rebuild one of the same variant and text for a second panic.
fn clone_error(e: &Error) -> Error {
    match e {
        Error::Api(api) => Error::Api(api.clone()),
        Error::Connection { source } => Error::Connection {
            source: source.to_string().into(),
        },
        Error::Timeout { timeout } => Error::Timeout { timeout: *timeout },
        Error::Decode {
            status,
            headers,
            body,
            request_id,
            source,
        } => Error::Decode {
            status: *status,
            headers: headers.clone(),
            body: body.clone(),
            request_id: request_id.clone(),
            source: source.to_string().into(),
        },
        Error::Stream { reason, request_id } => Error::Stream {
            reason: reason.clone(),
            request_id: request_id.clone(),
        },
        Error::InvalidRequest { reason } => Error::InvalidRequest {
            reason: reason.clone(),
        },
        Error::Config { reason } => Error::Config {
            reason: reason.clone(),
        },
        Error::Hook { source } => Error::Hook {
            source: source.to_string().into(),
        },
        other => panic!("a variant this test does not know: {other}"),
    }
}

/// A client with both credentials, retry delays scaled down.
fn full_client(base: &str) -> TestApi {
    common::builder(base)
        .credential("BearerAuth", TOKEN)
        .build()
        .unwrap()
}

fn post() -> Request {
    Request::new(Method::POST, "/v1/x").json(&json!({"prompt": "hi"}))
}

async fn send(client: &TestApi, opts: &RequestOptions) -> Result<Value, Error> {
    client
        .send_json::<Value>(post(), opts.clone())
        .await
        .map(|r| r.into_value())
}

fn response(status: &str, headers: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\n{headers}content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
}

/// A server answering every request with `reply(request_index)`.
async fn replying(reply: fn(usize) -> String) -> common::RawServer {
    raw_server(move |n, mut stream| async move {
        read_request(&mut stream).await;
        write(&mut stream, reply(n)).await;
    })
    .await
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

// ---------------------------------------------------------------------------------------------
// Every error variant, every rendering, and the logs of the requests that produced them
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn no_error_variant_rendering_panic_or_log_line_contains_a_credential() {
    let (log, _guard) = capture_logs();
    let mut provoked = Vec::new();

    // Api: 401 after nothing (not retryable), and a 429 retried into a 200.
    let server = replying(|_| {
        response(
            "401 Unauthorized",
            "content-type: application/json\r\nrequest-id: req_401\r\n",
            r#"{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}"#,
        )
    })
    .await;
    let err = send(&full_client(&server.url), &RequestOptions::new())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Api(_)), "{err:?}");
    provoked.push(("Api 401", err));

    let server = replying(|n| {
        if n == 0 {
            response("429 Too Many Requests", "retry-after-ms: 1\r\n", "")
        } else {
            response("200 OK", "content-type: application/json\r\n", "{}")
        }
    })
    .await;
    send(&full_client(&server.url), &RequestOptions::new())
        .await
        .unwrap();

    // Connection: refused, retried twice; also with the key in the query string.
    let refused = format!("http://127.0.0.1:{}", free_port());
    let err = send(&full_client(&refused), &RequestOptions::new())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Connection { .. }), "{err:?}");
    provoked.push(("Connection", err));
    let query_client = Client::<QueryCookieApi>::builder()
        .base_url(&refused)
        .credential("QueryKey", KEY)
        .credential("CookieKey", TOKEN)
        .backoff_scale(0.001)
        .build()
        .unwrap();
    let err = query_client
        .send_json::<Value>(post(), RequestOptions::new())
        .await
        .unwrap_err();
    provoked.push(("Connection (query key)", err));

    // Timeout: the server never answers.
    let server = raw_server(|_, mut stream: TcpStream| async move {
        read_request(&mut stream).await;
        tokio::time::sleep(Duration::from_secs(30)).await;
    })
    .await;
    let err = send(
        &full_client(&server.url),
        &RequestOptions::new()
            .timeout(Duration::from_millis(100))
            .max_retries(1),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    provoked.push(("Timeout", err));

    // Decode: a 2xx that is not JSON.
    let server =
        replying(|_| response("200 OK", "content-type: text/html\r\n", "<html>ok</html>")).await;
    let err = send(&full_client(&server.url), &RequestOptions::new())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    provoked.push(("Decode", err));

    // Stream: invalid UTF-8 in an event; and an error event (Api, status 200).
    let server = raw_server(|_, mut stream| async move {
        read_request(&mut stream).await;
        write(&mut stream, SSE_HEAD).await;
        write(&mut stream, b"event: item\ndata: \xff\n\n").await;
    })
    .await;
    let stream: Events<Value> = full_client(&server.url)
        .send_stream(post(), RequestOptions::new(), &EVENTS)
        .await
        .unwrap();
    let stream_debug = format!("{stream:?}");
    let items: Vec<_> = stream.collect().await;
    let err = items.into_iter().find_map(Result::err).unwrap();
    assert!(matches!(err, Error::Stream { .. }), "{err:?}");
    provoked.push(("Stream", err));
    let server = raw_server(|_, mut stream| async move {
        read_request(&mut stream).await;
        write(&mut stream, SSE_HEAD).await;
        write(
            &mut stream,
            "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n",
        )
        .await;
    })
    .await;
    let items: Vec<Result<Value, Error>> = full_client(&server.url)
        .send_stream(post(), RequestOptions::new(), &EVENTS)
        .await
        .unwrap()
        .collect()
        .await;
    provoked.push((
        "Api (stream event)",
        items.into_iter().find_map(Result::err).unwrap(),
    ));

    // InvalidRequest: CR/LF in a header whose value carries the key.
    let client = full_client(&refused);
    let err = send(
        &client,
        &RequestOptions::new().header("x-test-key", format!("{KEY}\r\nx-evil: 1")),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
    provoked.push(("InvalidRequest", err));

    // Config: a bad base URL on a builder holding both credentials.
    let err = common::builder("http://[not a host")
        .credential("BearerAuth", TOKEN)
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    provoked.push(("Config", err));

    let mut seen_variants = Vec::new();
    for (what, err) in provoked {
        seen_variants.push(what);
        assert_clean(what, &renderings(err));
    }
    assert_eq!(seen_variants.len(), 9);
    assert_clean("EventStream Debug", &stream_debug);

    let text = log.text();
    // The capture really saw the traffic: spans, retries, statuses.
    assert!(text.contains("request"), "{text}");
    assert!(text.contains("retrying after error status"), "{text}");
    assert!(text.contains("retrying after transport error"), "{text}");
    assert!(text.contains("status=401"), "{text}");
    assert_clean("tracing output", &text);
}

#[test]
fn debug_of_everything_that_holds_a_credential_is_clean() {
    let secret = Secret::new(KEY);
    assert_eq!(format!("{secret:?}"), "Secret(***)");
    assert_eq!(format!("{secret:#?}"), "Secret(***)");
    let builder = common::builder("http://127.0.0.1:1").credential("BearerAuth", TOKEN);
    let builder_debug = format!("{builder:?} {builder:#?}");
    let client = builder.build().unwrap();
    let req = Request::new(Method::POST, "/x")
        .header("x-test-key", KEY)
        .header("authorization", format!("Bearer {TOKEN}"))
        .query("api_key", KEY)
        .json(&json!({"note": "body text"}));
    let opts = RequestOptions::new()
        .header("x-test-key", KEY)
        .query("token", TOKEN)
        .extra_body(json!({"k": KEY}).as_object().unwrap().clone());
    for (what, text) in [
        ("builder", builder_debug),
        ("client", format!("{client:?} {client:#?}")),
        ("request", format!("{req:?} {req:#?}")),
        ("options", format!("{opts:?} {opts:#?}")),
        (
            "panic!(\"{:?}\", secret)",
            panic_text(|| panic!("{secret:?}")),
        ),
        (
            "expect on a Secret",
            panic_text(|| {
                let r: Result<(), Secret> = std::hint::black_box(Err(Secret::new(TOKEN)));
                r.expect("no token");
            }),
        ),
    ] {
        assert_clean(what, &text);
    }
}

#[test]
fn user_info_in_the_base_url_is_redacted_in_debug_and_errors() {
    // A password (or a lone token) in the URL's user-info part is a credential too.
    let builder = common::builder("https://user:SECRETPW@api.example.com/v1");
    let text = format!("{builder:?}");
    assert!(!text.contains("SECRETPW"), "{text}");
    assert!(text.contains("user:***@api.example.com"), "{text}");
    // The client moves user info into an `Authorization: Basic` header (see the http:// test).
    let client = builder.build().unwrap();
    assert_eq!(client.base_url(), "https://api.example.com/v1");
    let text = format!("{client:?}");
    assert!(
        !text.contains("SECRETPW") && !text.contains("user"),
        "{text}"
    );
    for bad in [
        "http://user:SECRETPW@exa mple.com",
        "ftp://user:SECRETPW@example.com",
        "https://user:SECRETPW@example.com/?q=1",
        "https://SECRET-TOKEN@[bad/",
    ] {
        let err = common::builder(bad).build().unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{bad}: {err:?}");
        assert_clean(bad, &format!("{err} {err:?}"));
        assert!(!err.to_string().contains("SECRETPW"), "{err}");
    }
}
