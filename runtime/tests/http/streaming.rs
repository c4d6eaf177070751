//! `send_stream`: SSE over real HTTP.

use std::time::{Duration, Instant};

use forge_runtime::{ApiErrorKind, Method, Request, RequestOptions, StatusCode};
use futures::StreamExt;
use serde::Deserialize;
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{
    self, raw_server, read_request, write, Error, Events, TestApi, EVENTS, SSE_HEAD,
};

#[derive(Debug, Deserialize, PartialEq)]
struct Item {
    text: String,
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

async fn sse_server(body: &str, content_type: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(body.as_bytes().to_vec(), content_type)
                .insert_header("request-id", "req_stream"),
        )
        .mount(&server)
        .await;
    server
}

async fn collect(stream: Events<Item>) -> Vec<Result<Item, Error>> {
    stream.collect().await
}

fn item(text: &str) -> String {
    format!("event: item\ndata: {}\n\n", json!({"text": text}))
}

#[tokio::test]
async fn yields_items_and_skips_pings() {
    let body = format!(
        "{}event: ping\ndata: {{\"type\":\"ping\"}}\n\n{}: comment\n\nevent: unknown\ndata: 1\n\n{}",
        item(" Hello"),
        item("! My name"),
        item("")
    );
    let server = sse_server(&body, "text/event-stream; charset=utf-8").await;
    let client = common::client(&server.uri());
    let stream = open(&client).await.unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    assert_eq!(stream.request_id(), Some("req_stream"));
    assert!(stream.headers().contains_key("content-type"));
    let items: Vec<Item> = collect(stream)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let text: String = items.iter().map(|i| i.text.as_str()).collect();
    assert_eq!(items.len(), 3);
    assert_eq!(text, " Hello! My name");
}

#[tokio::test]
async fn stream_request_headers() {
    let server = sse_server(&item("x"), "text/event-stream").await;
    let client = common::client(&server.uri());
    collect(open(&client).await.unwrap()).await;
    let r = &server.received_requests().await.unwrap()[0];
    assert_eq!(r.headers.get("accept").unwrap(), "text/event-stream");
    assert_eq!(r.headers.get("content-type").unwrap(), "application/json");
    assert_eq!(r.body, br#"{"stream":true}"#);
}

#[tokio::test]
async fn error_event_becomes_api_error_then_ends() {
    let body = format!(
        "{}event: error\ndata: {{\"type\":\"error\",\"error\":{{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}}}\n\n{}",
        item("a"),
        item("never")
    );
    let server = sse_server(&body, "text/event-stream").await;
    let client = common::client(&server.uri());
    let items = collect(open(&client).await.unwrap()).await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().text, "a");
    let err = items[1].as_ref().unwrap_err();
    let api = err.api_error().expect("api error");
    assert_eq!(api.status(), StatusCode::OK);
    assert_eq!(api.kind(), ApiErrorKind::Other);
    assert_eq!(api.error_type().as_deref(), Some("overloaded_error"));
    assert_eq!(api.message(), "Overloaded");
    assert_eq!(api.request_id(), Some("req_stream"));
    assert!(api.body().starts_with(b"{\"type\":\"error\""));
    assert!(api.is_stream_event());
    assert!(!err.is_retryable());
    assert_eq!(
        err.to_string(),
        "error event in stream (overloaded_error): Overloaded [request-id req_stream]"
    );
}

#[tokio::test]
async fn bad_json_is_decode_error_then_ends() {
    let body = format!(
        "{}event: item\ndata: {{broken\n\n{}",
        item("a"),
        item("never")
    );
    let server = sse_server(&body, "text/event-stream").await;
    let client = common::client(&server.uri());
    let items = collect(open(&client).await.unwrap()).await;
    assert_eq!(items.len(), 2);
    match &items[1] {
        Err(Error::Decode {
            body,
            status,
            request_id,
            ..
        }) => {
            assert_eq!(body.as_ref(), b"{broken");
            assert_eq!(*status, StatusCode::OK);
            assert_eq!(request_id.as_deref(), Some("req_stream"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn wrong_content_type_is_decode_error() {
    let server = sse_server(r#"{"text":"not a stream"}"#, "application/json").await;
    let client = common::client(&server.uri());
    let err = open(&client).await.unwrap_err();
    match &err {
        Error::Decode { body, .. } => assert_eq!(body.as_ref(), br#"{"text":"not a stream"}"#),
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("text/event-stream"), "{err}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn non_2xx_on_stream_post_is_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(529)
                .set_body_json(json!({"error": {"type": "overloaded_error", "message": "busy"}})),
        )
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(item("ok").into_bytes(), "text/event-stream"),
        )
        .with_priority(2)
        .mount(&server)
        .await;
    let client = common::client(&server.uri());
    let stream = open(&client).await.unwrap();
    assert_eq!(stream.retries_taken(), 2);
    let items = collect(stream).await;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].as_ref().unwrap().text, "ok");
}

#[tokio::test]
async fn non_2xx_on_stream_post_gives_api_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(529)
                .set_body_json(json!({"error": {"type": "overloaded_error", "message": "busy"}}))
                .insert_header("request-id", "req_529"),
        )
        .mount(&server)
        .await;
    let client = common::builder(&server.uri())
        .max_retries(1)
        .build()
        .unwrap();
    let err = open(&client).await.unwrap_err();
    let api = err.api_error().unwrap();
    assert_eq!(api.kind(), ApiErrorKind::Overloaded);
    assert_eq!(api.request_id(), Some("req_529"));
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn unterminated_final_event_discarded() {
    let body = format!("{}event: item\ndata: {{\"text\":\"cut\"}}\n", item("a"));
    let server = sse_server(&body, "text/event-stream").await;
    let client = common::client(&server.uri());
    let items = collect(open(&client).await.unwrap()).await;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].as_ref().unwrap().text, "a");
}

#[tokio::test]
async fn crlf_cr_bom_and_multiline_over_http() {
    let body = "\u{feff}event: item\r\ndata: {\"text\":\r\ndata: \"crlf\"}\r\n\r\nevent: item\rdata: {\"text\":\"cr\"}\r\r";
    let server = sse_server(body, "text/event-stream").await;
    let client = common::client(&server.uri());
    let items: Vec<String> = collect(open(&client).await.unwrap())
        .await
        .into_iter()
        .map(|r| r.unwrap().text)
        .collect();
    assert_eq!(items, ["crlf", "cr"]);
}

#[tokio::test]
async fn event_larger_than_limit_is_stream_error() {
    let body = format!(
        "{}event: item\ndata: {}\n\n",
        item("small"),
        "x".repeat(5000)
    );
    let server = sse_server(&body, "text/event-stream").await;
    let client = common::builder(&server.uri())
        .max_event_size(1024)
        .build()
        .unwrap();
    let items = collect(open(&client).await.unwrap()).await;
    assert_eq!(items.len(), 2);
    assert!(
        matches!(&items[1], Err(Error::Stream { reason, .. }) if reason.contains("1024")),
        "{items:?}"
    );
}

#[tokio::test]
async fn invalid_utf8_is_stream_error() {
    let server = MockServer::start().await;
    let mut body = item("ok").into_bytes();
    body.extend_from_slice(b"event: item\ndata: {\"text\":\"\xff\xfe\"}\n\n");
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "text/event-stream"))
        .mount(&server)
        .await;
    let client = common::client(&server.uri());
    let items = collect(open(&client).await.unwrap()).await;
    assert_eq!(items.len(), 2);
    assert!(matches!(&items[1], Err(Error::Stream { .. })), "{items:?}");
}

#[tokio::test]
async fn events_split_across_tcp_writes() {
    let body = format!("{}{}", item("é😀 one"), item("two"));
    let server = raw_server(move |_, mut stream| {
        let body = body.clone();
        async move {
            read_request(&mut stream).await;
            write(&mut stream, SSE_HEAD).await;
            for b in body.as_bytes().chunks(3) {
                write(&mut stream, b).await;
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        }
    })
    .await;
    let client = common::client(&server.url);
    let items: Vec<String> = collect(open(&client).await.unwrap())
        .await
        .into_iter()
        .map(|r| r.unwrap().text)
        .collect();
    assert_eq!(items, ["é😀 one", "two"]);
}

#[tokio::test]
async fn idle_timeout_mid_stream_ends_with_timeout_error() {
    let server = raw_server(|_, mut stream| async move {
        read_request(&mut stream).await;
        write(&mut stream, SSE_HEAD).await;
        write(&mut stream, item("first")).await;
        tokio::time::sleep(Duration::from_secs(3)).await;
        write(&mut stream, item("late")).await;
    })
    .await;
    let client = common::builder(&server.url)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let start = Instant::now();
    let mut stream = open(&client).await.unwrap();
    assert_eq!(stream.request_id(), Some("req_raw"));
    assert_eq!(stream.next().await.unwrap().unwrap().text, "first");
    let err = stream.next().await.unwrap().unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert!(stream.next().await.is_none());
    assert!(start.elapsed() < Duration::from_secs(2));
    assert_eq!(server.connections(), 1, "a stream is never retried");
}

#[tokio::test]
async fn timeout_applies_per_gap_not_whole_stream() {
    let server = raw_server(|_, mut stream| async move {
        read_request(&mut stream).await;
        write(&mut stream, SSE_HEAD).await;
        for i in 0..6 {
            write(&mut stream, item(&i.to_string())).await;
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await;
    let client = common::builder(&server.url)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let start = Instant::now();
    let items = collect(open(&client).await.unwrap()).await;
    assert!(start.elapsed() > Duration::from_millis(300));
    assert_eq!(items.len(), 6, "{items:?}");
    assert!(items.iter().all(Result::is_ok));
}

#[tokio::test]
async fn connection_cut_mid_chunked_stream_is_error_item() {
    let server = raw_server(|_, mut stream| async move {
        read_request(&mut stream).await;
        write(
            &mut stream,
            "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n",
        )
        .await;
        let first = item("first");
        write(&mut stream, format!("{:x}\r\n{first}\r\n", first.len())).await;
        write(&mut stream, "40\r\nevent: item\ndata: {\"te").await;
        drop(stream); // no terminating chunk
    })
    .await;
    let client = common::client(&server.url);
    let mut stream = open(&client).await.unwrap();
    assert_eq!(stream.next().await.unwrap().unwrap().text, "first");
    let err = stream.next().await.unwrap().unwrap_err();
    assert!(matches!(err, Error::Connection { .. }), "{err:?}");
    assert!(stream.next().await.is_none());
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn clean_eof_mid_event_ends_normally() {
    let server = raw_server(|_, mut stream| async move {
        read_request(&mut stream).await;
        write(&mut stream, SSE_HEAD).await;
        write(&mut stream, item("first")).await;
        write(&mut stream, "event: item\ndata: {\"text\":\"cut\"}").await;
    })
    .await;
    let client = common::client(&server.url);
    let items = collect(open(&client).await.unwrap()).await;
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().text, "first");
}

#[tokio::test]
async fn header_wait_timeout_for_stream_is_retried() {
    let server = raw_server(|n, mut stream| async move {
        read_request(&mut stream).await;
        if n == 0 {
            tokio::time::sleep(Duration::from_secs(3)).await;
        } else {
            write(&mut stream, SSE_HEAD).await;
            write(&mut stream, item("after retry")).await;
        }
    })
    .await;
    let client = common::builder(&server.url)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let stream = open(&client).await.unwrap();
    assert_eq!(stream.retries_taken(), 1);
    let items = collect(stream).await;
    assert_eq!(items[0].as_ref().unwrap().text, "after retry");
}

#[test]
fn event_stream_is_send_and_unpin() {
    fn check<S: futures::Stream + Send + Unpin>() {}
    check::<Events<Item>>();
}

#[tokio::test]
async fn single_byte_chunks_with_every_line_ending_bom_and_comments() {
    // Each HTTP chunk carries one byte, so the decoder gets one-byte frames: CRLF, CR, a BOM
    // and multi-byte characters are all split.
    let body = "\u{feff}: hi\r\nevent: item\r\ndata: {\"text\":\"é😀\"}\r\n\r\nevent: ping\rdata: {}\r\revent: item\ndata: {\"text\":\r\ndata: \"two\"}\n\n";
    let server = raw_server(move |_, mut stream| async move {
        read_request(&mut stream).await;
        write(
            &mut stream,
            "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n",
        )
        .await;
        for b in body.as_bytes() {
            let mut chunk = b"1\r\n".to_vec();
            chunk.push(*b);
            chunk.extend_from_slice(b"\r\n");
            write(&mut stream, chunk).await;
        }
        write(&mut stream, "0\r\n\r\n").await;
    })
    .await;
    let client = common::client(&server.url);
    let items: Vec<String> = collect(open(&client).await.unwrap())
        .await
        .into_iter()
        .map(|r| r.unwrap().text)
        .collect();
    assert_eq!(items, ["é😀", "two"]);
}
