//! `create_streaming`: SSE parsing, error events, faults, and the POST's own errors
//! (`api-reference.md` §5.9, §6, §8).

mod common;

use std::time::Duration;

use anthropic_completions::{
    ApiErrorKind, Completion, Error, ErrorType, EventStream, RequestOptions,
};
use common::*;
use futures::StreamExt;
use tokio::io::AsyncWriteExt;
use wiremock::{MockServer, ResponseTemplate};

/// Streams `params_8()` from a wiremock server answering `reply`; the server is returned
/// to be kept alive while the stream is read.
async fn stream_from(reply: ResponseTemplate) -> (MockServer, EventStream<Completion>) {
    let server = server_with(reply).await;
    let stream = client(&server.uri())
        .completions()
        .create_streaming(&params_8())
        .await
        .unwrap();
    (server, stream)
}

/// Every item streamed from a server answering `reply`.
async fn results_from(reply: ResponseTemplate) -> Vec<Result<Completion, Error>> {
    let (_server, stream) = stream_from(reply).await;
    collect(stream).await
}

/// Every item streamed from a server answering `reply`, none of which may fail.
async fn items_from(reply: ResponseTemplate) -> Vec<Completion> {
    let (_server, stream) = stream_from(reply).await;
    completions(stream).await
}

/// The items of a stream that must not fail.
async fn completions(stream: EventStream<Completion>) -> Vec<Completion> {
    collect(stream)
        .await
        .into_iter()
        .map(|item| item.expect("completion item"))
        .collect()
}

fn text(items: &[Completion]) -> String {
    items.iter().map(|c| c.completion.as_str()).collect()
}

/// One `completion` event with `delta` as its text.
fn completion_event(delta: &str, stop_reason: Option<&str>) -> String {
    format!(
        "event: completion\ndata: {}\n\n",
        serde_json::json!({
            "type": "completion",
            "completion": delta,
            "stop_reason": stop_reason,
            "model": "claude-2.1",
        })
    )
}

#[tokio::test]
async fn example_stream_yields_three_completions_joining_the_text() {
    let items = items_from(sse(STREAM_8)).await;
    assert_eq!(items.len(), 3);
    assert_eq!(text(&items), STREAM_TEXT_8);
    assert_eq!(items[0].stop_reason, None);
    assert_eq!(items[1].stop_reason, None);
    assert_eq!(items[2].stop_reason.as_deref(), Some("stop_sequence"));
    assert!(items.iter().all(|c| c.model.as_str() == "claude-2.1"));
    assert!(items.iter().all(|c| c.id.is_none()));
}

#[tokio::test]
async fn content_type_without_charset_is_accepted() {
    let reply = ResponseTemplate::new(200).set_body_raw(STREAM_8, "text/event-stream");
    let items = items_from(reply).await;
    assert_eq!(text(&items), STREAM_TEXT_8);
}

#[tokio::test]
async fn crlf_line_endings_parse() {
    let body = STREAM_8.replace('\n', "\r\n");
    let items = items_from(sse(&body)).await;
    assert_eq!(items.len(), 3);
    assert_eq!(text(&items), STREAM_TEXT_8);
}

#[tokio::test]
async fn cr_line_endings_parse() {
    let body = STREAM_8.replace('\n', "\r");
    let items = items_from(sse(&body)).await;
    assert_eq!(text(&items), STREAM_TEXT_8);
}

#[tokio::test]
async fn comment_lines_are_ignored() {
    let body = format!(
        ": keep-alive\n\n{}:another comment\n{}",
        completion_event(" Hello", None),
        completion_event("!", Some("stop_sequence"))
    );
    let items = items_from(sse(&body)).await;
    assert_eq!(items.len(), 2);
    assert_eq!(text(&items), " Hello!");
}

#[tokio::test]
async fn unknown_and_unnamed_events_are_skipped() {
    let body = format!(
        "event: brand_new\ndata: {{\"x\":1}}\n\ndata: {{\"type\":\"message\"}}\n\n{}",
        completion_event(" Hi", Some("stop_sequence"))
    );
    let items = items_from(sse(&body)).await;
    assert_eq!(items.len(), 1);
    assert_eq!(text(&items), " Hi");
}

#[tokio::test]
async fn multi_line_data_is_joined() {
    let body = "event: completion\ndata: {\"type\":\"completion\",\ndata: \"completion\":\" Hi\",\ndata: \"stop_reason\":null,\"model\":\"claude-2.1\"}\n\n";
    let items = items_from(sse(body)).await;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].completion, " Hi");
}

#[tokio::test]
async fn leading_bom_is_dropped() {
    let body = format!("\u{feff}{STREAM_8}");
    let items = items_from(sse(&body)).await;
    assert_eq!(items.len(), 3);
}

#[tokio::test]
async fn status_headers_and_request_id_are_readable_before_iteration() {
    let reply = sse(STREAM_8).insert_header("x-custom", "stream-header");
    let (_server, stream) = stream_from(reply).await;
    assert_eq!(stream.status().as_u16(), 200);
    assert_eq!(stream.request_id(), Some("req_stream"));
    assert_eq!(
        stream
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("text/event-stream; charset=utf-8")
    );
    assert_eq!(
        stream
            .headers()
            .get("x-custom")
            .and_then(|v| v.to_str().ok()),
        Some("stream-header")
    );
    assert_eq!(stream.retries_taken(), 0);
    assert_eq!(completions(stream).await.len(), 3);
}

#[tokio::test]
async fn error_event_yields_an_api_error_then_ends() {
    let error_data =
        r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#;
    let body = format!(
        "{}event: error\ndata: {error_data}\n\n{}",
        completion_event(" Hello", None),
        completion_event(" never", None)
    );
    let items = results_from(sse(&body)).await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().completion, " Hello");
    let e = match &items[1] {
        Err(Error::Api(e)) => e,
        other => panic!("expected an API error item, got {other:?}"),
    };
    assert_eq!(e.status().as_u16(), 200);
    assert_eq!(e.error_type(), Some(ErrorType::OVERLOADED_ERROR));
    assert_eq!(e.message(), "Overloaded");
    assert_eq!(e.request_id(), Some("req_stream"));
    assert_eq!(&e.body()[..], error_data.as_bytes());
    assert!(e.is_stream_event());
    assert_ne!(e.kind(), ApiErrorKind::Overloaded);
}

#[tokio::test]
async fn truncated_stream_discards_the_unterminated_event() {
    // The last event has a complete data line but no blank line before the body ends.
    let body = format!(
        "{}event: completion\ndata: {{\"type\":\"completion\",\"completion\":\" partial\",\"stop_reason\":null,\"model\":\"claude-2.1\"}}\n",
        completion_event(" Hello", None)
    );
    let items = items_from(sse(&body)).await;
    assert_eq!(items.len(), 1);
    assert_eq!(text(&items), " Hello");
}

#[tokio::test]
async fn truncated_stream_mid_line_ends_cleanly() {
    let body = format!(
        "{}event: completion\ndata: {{\"type\":\"compl",
        completion_event(" Hello", None)
    );
    let items = items_from(sse(&body)).await;
    assert_eq!(text(&items), " Hello");
}

#[tokio::test]
async fn invalid_json_in_a_completion_event_yields_a_decode_error_then_ends() {
    let body = format!(
        "{}event: completion\ndata: {{not json\n\n{}",
        completion_event(" Hello", None),
        completion_event(" never", None)
    );
    let items = results_from(sse(&body)).await;
    assert_eq!(items.len(), 2, "{items:?}");
    match &items[1] {
        Err(Error::Decode {
            status,
            body,
            request_id,
            ..
        }) => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(&body[..], b"{not json");
            assert_eq!(request_id.as_deref(), Some("req_stream"));
        }
        other => panic!("expected a decode error item, got {other:?}"),
    }
}

#[tokio::test]
async fn error_status_on_the_streaming_post_is_a_normal_api_error() {
    let server = server_with(error_reply(400, "invalid_request_error", "bad", "req_sbad")).await;
    let err = client(&server.uri())
        .completions()
        .create_streaming(&params_8())
        .await
        .unwrap_err();
    let e = api_error(err);
    assert_eq!(e.kind(), ApiErrorKind::BadRequest);
    assert_eq!(e.error_type(), Some(ErrorType::INVALID_REQUEST_ERROR));
    assert_eq!(e.request_id(), Some("req_sbad"));
    assert!(!e.is_stream_event());
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn overloaded_529_on_the_streaming_post_is_retried() {
    let server = server_with(Sequence::new(vec![
        error_reply(529, "overloaded_error", "Overloaded", "req_529"),
        sse(STREAM_8),
    ]))
    .await;
    let stream = client(&server.uri())
        .completions()
        .create_streaming(&params_8())
        .await
        .unwrap();
    assert_eq!(stream.retries_taken(), 1);
    assert_eq!(text(&completions(stream).await), STREAM_TEXT_8);
    let counts: Vec<Option<String>> = received(&server)
        .await
        .iter()
        .map(|r| header(r, "x-stainless-retry-count"))
        .collect();
    assert_eq!(counts, [Some("0".to_owned()), Some("1".to_owned())]);
}

#[tokio::test]
async fn non_event_stream_content_type_is_a_decode_error() {
    let server = server_with(completion_8()).await;
    let err = client(&server.uri())
        .completions()
        .create_streaming(&params_8())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "got {err:?}");
}

#[tokio::test]
async fn events_split_into_single_byte_writes_parse() {
    let server = raw_server(|_, mut stream| async move {
        read_request(&mut stream).await;
        dribble(&mut stream, SSE_HEAD.as_bytes()).await;
        dribble(&mut stream, STREAM_8.replace('\n', "\r\n").as_bytes()).await;
        let _ = stream.shutdown().await;
    })
    .await;
    let stream = client(&server.url)
        .completions()
        .create_streaming(&params_8())
        .await
        .unwrap();
    assert_eq!(stream.request_id(), Some("req_raw"));
    let items = completions(stream).await;
    assert_eq!(items.len(), 3);
    assert_eq!(text(&items), STREAM_TEXT_8);
}

#[tokio::test]
async fn code_points_split_across_writes_are_decoded() {
    let body = format!(
        "{}{}",
        completion_event(" Grüße 👋 你好", None),
        completion_event("", Some("stop_sequence"))
    );
    let server = raw_server(move |_, mut stream| {
        let body = body.clone();
        async move {
            read_request(&mut stream).await;
            let _ = stream.write_all(SSE_HEAD.as_bytes()).await;
            dribble(&mut stream, body.as_bytes()).await;
            let _ = stream.shutdown().await;
        }
    })
    .await;
    let stream = client(&server.url)
        .completions()
        .create_streaming(&params_8())
        .await
        .unwrap();
    assert_eq!(text(&completions(stream).await), " Grüße 👋 你好");
}

#[tokio::test]
async fn dropped_connection_mid_stream_yields_an_error_and_is_not_retried() {
    let server = raw_server(|_, mut stream| async move {
        read_request(&mut stream).await;
        let event = completion_event(" Hello", None);
        let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n";
        let chunk = format!("{:x}\r\n{event}\r\n", event.len());
        let _ = stream.write_all(head.as_bytes()).await;
        let _ = stream.write_all(chunk.as_bytes()).await;
        let _ = stream.flush().await;
        tokio::time::sleep(Duration::from_millis(50)).await;
        // Gone without the terminating chunk.
        drop(stream);
    })
    .await;
    let stream = client(&server.url)
        .completions()
        .create_streaming(&params_8())
        .await
        .unwrap();
    let items = collect(stream).await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().completion, " Hello");
    assert!(
        matches!(items[1], Err(Error::Connection { .. })),
        "{:?}",
        items[1]
    );
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn idle_gap_longer_than_the_timeout_yields_a_timeout_error() {
    let server = raw_server(|_, mut stream| async move {
        read_request(&mut stream).await;
        let _ = stream.write_all(SSE_HEAD.as_bytes()).await;
        let _ = stream
            .write_all(completion_event(" Hello", None).as_bytes())
            .await;
        let _ = stream.flush().await;
        tokio::time::sleep(Duration::from_secs(30)).await;
    })
    .await;
    let mut stream = client(&server.url)
        .completions()
        .create_streaming_with(
            &params_8(),
            RequestOptions::new().timeout(Duration::from_millis(200)),
        )
        .await
        .unwrap();
    let first = stream.next().await.expect("an item").expect("a completion");
    assert_eq!(first.completion, " Hello");
    let second = tokio::time::timeout(Duration::from_secs(5), stream.next())
        .await
        .expect("the stream's own timeout fires first");
    assert!(
        matches!(second, Some(Err(Error::Timeout { .. }))),
        "{second:?}"
    );
    assert!(stream.next().await.is_none());
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn slow_stream_with_short_gaps_is_not_timed_out() {
    // Each gap is below the timeout; the whole stream takes longer than it.
    let server = raw_server(|_, mut stream| async move {
        read_request(&mut stream).await;
        let _ = stream.write_all(SSE_HEAD.as_bytes()).await;
        for delta in [" a", " b", " c", " d"] {
            let _ = stream
                .write_all(completion_event(delta, None).as_bytes())
                .await;
            let _ = stream.flush().await;
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let _ = stream.shutdown().await;
    })
    .await;
    let stream = client(&server.url)
        .completions()
        .create_streaming_with(
            &params_8(),
            RequestOptions::new().timeout(Duration::from_millis(250)),
        )
        .await
        .unwrap();
    assert_eq!(text(&completions(stream).await), " a b c d");
}

#[tokio::test]
async fn event_larger_than_max_event_size_ends_the_stream_with_an_error() {
    let big = " x".repeat(2_000);
    let body = format!(
        "{}{}",
        completion_event(" Hello", None),
        completion_event(&big, None)
    );
    let server = server_with(sse(&body)).await;
    let stream = builder(&server.uri())
        .max_event_size(1_000)
        .build()
        .unwrap()
        .completions()
        .create_streaming(&params_8())
        .await
        .unwrap();
    let items = collect(stream).await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().completion, " Hello");
    match &items[1] {
        Err(Error::Stream { request_id, .. }) => {
            assert_eq!(request_id.as_deref(), Some("req_stream"))
        }
        other => panic!("expected a stream error item, got {other:?}"),
    }
}

#[tokio::test]
async fn invalid_utf8_ends_the_stream_with_an_error() {
    let mut body = completion_event(" Hello", None).into_bytes();
    body.extend_from_slice(b"event: completion\ndata: \xff\xfe\n\n");
    let reply = ResponseTemplate::new(200).set_body_raw(body, "text/event-stream");
    let items = results_from(reply).await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().completion, " Hello");
    assert!(
        matches!(items[1], Err(Error::Stream { .. })),
        "{:?}",
        items[1]
    );
}

#[tokio::test]
async fn error_event_display_is_one_line_with_type() {
    let body = "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Over\\nloaded\"}}\n\n";
    let items = results_from(sse(body)).await;
    assert_eq!(items.len(), 1);
    let text = items[0].as_ref().unwrap_err().to_string();
    assert!(!text.contains('\n'), "{text:?}");
    assert!(text.contains("overloaded_error"), "{text}");
    assert!(text.contains("req_stream"), "{text}");
}

#[tokio::test]
async fn field_values_with_and_without_the_space_parse() {
    let body = concat!(
        "event:completion\n",
        r#"data:{"type":"completion","completion":" a","stop_reason":null,"model":"claude-2.1"}"#,
        "\n\n",
        "event:  completion\n",
        r#"data: {"type":"completion","completion":" never","stop_reason":null,"model":"claude-2.1"}"#,
        "\n\n",
        "event: completion\n",
        r#"data:  {"type":"completion","completion":" b","stop_reason":null,"model":"claude-2.1"}"#,
        "\n\n",
    );
    // `event:  completion` keeps one leading space in its value: an unknown type, skipped.
    let items = items_from(sse(body)).await;
    assert_eq!(text(&items), " a b");
}

#[tokio::test]
async fn streaming_post_without_an_answer_times_out() {
    let server = raw_server(|_, mut stream| async move {
        read_request(&mut stream).await;
        tokio::time::sleep(Duration::from_secs(30)).await;
        drop(stream);
    })
    .await;
    let err = builder(&server.url)
        .max_retries(0)
        .build()
        .unwrap()
        .completions()
        .create_streaming_with(
            &params_8(),
            RequestOptions::new().timeout(Duration::from_millis(100)),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "got {err:?}");
    assert_eq!(server.connections(), 1);
}
