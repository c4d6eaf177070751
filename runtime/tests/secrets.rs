//! Secrets: the API key and the bearer token never show up in `Debug`, `Display`, any error
//! variant (or its source chain), a panic message, or a `tracing` event; CR/LF never reaches a
//! header; and a plain `http://` base URL to a non-loopback host warns once per client.
//!
//! `tests/http/errors.rs` checks Debug/Display for an API error and a connection error; here
//! every variant is provoked, panics and logs are captured, and more header sources are tried.

mod common;

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

/// Capture this thread's tracing output, spans included (a current-thread runtime keeps the
/// client's work on this thread).
fn capture_logs() -> (Buf, tracing::subscriber::DefaultGuard) {
    let buf = Buf::default();
    let writer = buf.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let guard = tracing::subscriber::set_default(subscriber);
    // Callsites first hit by another test thread without a subscriber cache "not interested":
    // recompute interest now that this thread has one.
    tracing::callsite::rebuild_interest_cache();
    (buf, guard)
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

// ---------------------------------------------------------------------------------------------
// CR, LF and other control characters in every header source
// ---------------------------------------------------------------------------------------------

/// Values that would split a header or that HTTP forbids; each carries the key.
fn bad_values() -> Vec<(&'static str, String)> {
    vec![
        ("CRLF", format!("{KEY}\r\nx-evil: 1")),
        ("LF", format!("{KEY}\nx-evil: 1")),
        ("CR", format!("{KEY}\rx-evil: 1")),
        ("NUL", format!("{KEY}\0")),
        ("DEL", format!("{KEY}\x7f")),
        ("trailing CRLF", format!("{KEY}\r\n")),
    ]
}

fn assert_rejected(source: &str, kind: &str, err: &Error, header: &str) {
    let text = format!("{err} {err:?}");
    assert!(
        text.to_ascii_lowercase().contains(header),
        "{source}/{kind}: the error should name `{header}`: {text}"
    );
    assert_clean(&format!("{source}/{kind}"), &text);
}

#[tokio::test]
async fn control_characters_in_any_header_source_are_refused_without_echoing_the_value() {
    // A server that records whether anything at all reached it.
    let server = raw_server(|_, mut stream| async move {
        read_request(&mut stream).await;
        write(&mut stream, response("200 OK", "", "{}")).await;
    })
    .await;
    for (kind, value) in bad_values() {
        // The builder: a default header, a credential, the user agent.
        let err = common::builder(&server.url)
            .default_header("x-custom", value.clone())
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{kind}: {err:?}");
        assert_rejected("default_header", kind, &err, "x-custom");

        let err = api_builder()
            .base_url(&server.url)
            .credential("KeyAuth", value.clone())
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{kind}: {err:?}");
        assert_rejected("credential", kind, &err, "x-test-key");

        let err = api_builder()
            .base_url(&server.url)
            .credential("BearerAuth", value.clone())
            .build()
            .unwrap_err();
        assert_rejected("bearer credential", kind, &err, "authorization");

        let err = common::builder(&server.url)
            .user_agent(value.clone())
            .build()
            .unwrap_err();
        assert_rejected("user_agent", kind, &err, "user-agent");

        let cookie_err = Client::<QueryCookieApi>::builder()
            .base_url(&server.url)
            .credential("CookieKey", value.clone())
            .build()
            .unwrap_err();
        assert_rejected("cookie credential", kind, &cookie_err, "cookie");

        // Per request: generated code's `Request::header`, and the caller's options.
        let client = common::client(&server.url);
        let err = client
            .send_json::<Value>(
                post().header("x-test-key", value.clone()),
                RequestOptions::new(),
            )
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::InvalidRequest { .. }),
            "{kind}: {err:?}"
        );
        assert_rejected("Request::header", kind, &err, "x-test-key");
        let err = client
            .send_json::<Value>(
                post(),
                RequestOptions::new().header("authorization", value.clone()),
            )
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::InvalidRequest { .. }),
            "{kind}: {err:?}"
        );
        assert_rejected("RequestOptions::header", kind, &err, "authorization");
    }
    // Bad header names are refused too, and named without their value.
    let client = common::client(&server.url);
    for name in ["x-a\r\nx-evil", "x a", "x:a", ""] {
        let err = client
            .send_json::<Value>(post().header(name, KEY), RequestOptions::new())
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::InvalidRequest { .. }),
            "{name:?}: {err:?}"
        );
        assert_clean(name, &format!("{err} {err:?}"));
    }
    assert_eq!(server.connections(), 0, "nothing was sent");
}

#[test]
fn control_characters_in_the_custom_headers_variable_are_refused() {
    // This binary has no other test touching the environment.
    const VAR: &str = "FORGE_RT_TEST_CUSTOM_HEADERS";
    // Lines split at `\n`, so a bare CR (or NUL, DEL) is what can still reach a value.
    // (NUL cannot be put in an environment variable at all.)
    for (kind, value) in [
        ("CR", format!("x-extra: {KEY}\rx-evil: 1")),
        ("DEL", format!("x-extra: {KEY}\x7f")),
    ] {
        std::env::set_var(VAR, &value);
        let result = common::builder("http://127.0.0.1:1").from_env().build();
        std::env::remove_var(VAR);
        let err = result.unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{kind}: {err:?}");
        assert_rejected("custom-headers env", kind, &err, "x-extra");
        assert!(err.to_string().contains(VAR), "{err}");
    }
}

#[tokio::test]
async fn crlf_in_paths_and_query_values_is_encoded_not_injected() {
    let seen = Arc::new(Mutex::new(String::new()));
    let log = seen.clone();
    let server = raw_server(move |_, mut stream| {
        let log = log.clone();
        async move {
            let req = read_request(&mut stream).await;
            log.lock().unwrap().push_str(&req);
            write(&mut stream, response("200 OK", "", "{}")).await;
        }
    })
    .await;
    let client = common::client(&server.url);
    client
        .send_json::<Value>(
            Request::new(Method::GET, "/a\r\nx-evil: 1\r\n").query("q", "v\r\nx-evil2: 2"),
            RequestOptions::new().query("o", "\r\nx-evil3: 3"),
        )
        .await
        .unwrap();
    let req = seen.lock().unwrap().clone();
    let head = req.split("\r\n\r\n").next().unwrap();
    let lines: Vec<&str> = head.split("\r\n").collect();
    assert!(
        lines
            .iter()
            .all(|l| !l.to_ascii_lowercase().starts_with("x-evil")),
        "{head}"
    );
    assert!(lines[0].starts_with("GET /a"), "{head}");
    assert!(lines[0].contains("q=v%0D%0Ax-evil2"), "{}", lines[0]);
}

// ---------------------------------------------------------------------------------------------
// Plain http:// to a non-loopback host: one warning per client
// ---------------------------------------------------------------------------------------------

const WARNING: &str = "plain http://";

async fn ok_server() -> common::RawServer {
    raw_server(|_, mut stream| async move {
        read_request(&mut stream).await;
        write(&mut stream, response("200 OK", "", "{}")).await;
    })
    .await
}

/// A reqwest client that resolves `api.example.test` to the local server, so a non-loopback
/// `http://` name reaches it.
fn resolving_http(addr: SocketAddr) -> reqwest::Client {
    forge_runtime::http_client_builder()
        .resolve("api.example.test", addr)
        .build()
        .unwrap()
}

fn server_addr(server: &common::RawServer) -> SocketAddr {
    server.url.trim_start_matches("http://").parse().unwrap()
}

#[tokio::test]
async fn plain_http_to_a_remote_host_warns_once_per_client() {
    let (log, _guard) = capture_logs();
    let heads = Arc::new(Mutex::new(Vec::<String>::new()));
    let record = heads.clone();
    let server = raw_server(move |_, mut stream| {
        let record = record.clone();
        async move {
            let req = read_request(&mut stream).await;
            record.lock().unwrap().push(req.to_ascii_lowercase());
            write(&mut stream, response("200 OK", "", "{}")).await;
        }
    })
    .await;
    let addr = server_addr(&server);
    // User info in the URL: sent as Basic auth, and like any credential never logged.
    let base = format!("http://user:SECRETPW@api.example.test:{}", addr.port());
    let basic = "dXNlcjpTRUNSRVRQVw=="; // base64("user:SECRETPW")
    let client = common::builder(&base)
        .http_client(resolving_http(addr))
        .build()
        .unwrap();
    let clone = client.clone();
    for c in [&client, &clone, &client] {
        send(c, &RequestOptions::new()).await.unwrap();
    }
    for head in heads.lock().unwrap().iter() {
        assert!(
            head.contains(&format!(
                "authorization: basic {}",
                basic.to_ascii_lowercase()
            )),
            "{head}"
        );
        assert!(
            head.contains(&format!("host: api.example.test:{}", addr.port())),
            "{head}"
        );
    }
    let text = log.text();
    assert!(!text.contains(basic), "{text}");
    let warnings: Vec<&str> = text.lines().filter(|l| l.contains(WARNING)).collect();
    assert_eq!(warnings.len(), 1, "{text}");
    assert!(warnings[0].contains("WARN"), "{}", warnings[0]);
    assert!(
        warnings[0].contains(&format!("api.example.test:{}", addr.port())),
        "{}",
        warnings[0]
    );
    assert!(!text.contains("SECRETPW"), "{text}");
    assert_clean("warning", &text);

    // Another client warns again, once.
    let other = common::builder(&base)
        .http_client(resolving_http(addr))
        .build()
        .unwrap();
    for _ in 0..3 {
        send(&other, &RequestOptions::new()).await.unwrap();
    }
    assert_eq!(log.text().matches(WARNING).count(), 2);
}

#[tokio::test]
async fn building_alone_does_not_warn_and_a_failed_request_still_warns_once() {
    let (log, _guard) = capture_logs();
    let addr: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
    let client = common::builder(&format!("http://api.example.test:{}", addr.port()))
        .http_client(resolving_http(addr))
        .max_retries(1)
        .build()
        .unwrap();
    assert!(!log.text().contains(WARNING));
    for _ in 0..3 {
        let err = send(&client, &RequestOptions::new()).await.unwrap_err();
        assert!(matches!(err, Error::Connection { .. }), "{err:?}");
    }
    assert_eq!(log.text().matches(WARNING).count(), 1, "{}", log.text());
}

#[tokio::test]
async fn loopback_and_https_never_warn() {
    let (log, _guard) = capture_logs();
    let server = ok_server().await;
    let port = server_addr(&server).port();
    for base in [
        format!("http://127.0.0.1:{port}"),
        format!("http://localhost:{port}"),
    ] {
        let client = common::client(&base);
        for _ in 0..3 {
            send(&client, &RequestOptions::new())
                .await
                .unwrap_or_else(|e| panic!("{base}: {e}"));
        }
    }
    // These may not reach the server (no IPv6, a resolver that does not know `localhost.`):
    // the decision not to warn is made before any I/O either way.
    for base in [
        format!("http://[::1]:{}", free_port()),
        format!("http://LocalHost.:{port}/prefix"),
        format!("http://127.8.9.10:{}", free_port()),
    ] {
        let client = common::builder(&base).max_retries(0).build().unwrap();
        for _ in 0..2 {
            let _ = send(&client, &RequestOptions::new()).await;
        }
    }
    // https to a remote name (the TLS handshake with a plain-text server fails at once).
    let plain = raw_server(|_, mut stream| async move {
        write(&mut stream, "HTTP/1.1 400 Bad Request\r\n\r\n").await;
    })
    .await;
    let plain_addr = server_addr(&plain);
    let tls = common::builder(&format!("https://api.example.test:{}", plain_addr.port()))
        .http_client(resolving_http(plain_addr))
        .timeout(Duration::from_secs(5))
        .max_retries(0)
        .build()
        .unwrap();
    assert!(send(&tls, &RequestOptions::new()).await.is_err());
    let text = log.text();
    assert!(!text.contains(WARNING), "{text}");
    assert!(
        text.contains("request"),
        "the capture saw the requests: {text}"
    );
}
