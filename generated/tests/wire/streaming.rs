//! `create_streaming` (`api-reference.md` §6, §8): the request it sends and the meaning of the
//! spec's `x-forge-stream` events (`completion` yields, `ping` is skipped, `error` ends the
//! stream with an API error). How SSE is parsed is the runtime's (`runtime/tests/http/streaming.rs`,
//! `runtime/tests/faults/sse.rs`).

use anthropic_completions::{
    AnthropicBeta, ApiErrorKind, Completion, Error, ErrorType, EventStream, RequestOptions,
    StreamExt,
};
use serde_json::json;

use crate::common::*;

/// The stream `create_streaming(&params_8())` returns for `reply`, with its server (kept alive
/// while the body is read).
async fn stream_from(
    reply: wiremock::ResponseTemplate,
) -> (wiremock::MockServer, EventStream<Completion>) {
    let server = server_with(reply).await;
    let stream = client(&server.uri())
        .completions()
        .create_streaming(&params_8())
        .await
        .expect("the stream starts");
    (server, stream)
}

/// The streaming request is the non-streaming one plus `"stream":true` and
/// `Accept: text/event-stream`; header parameters and options are wired as for `create`.
#[tokio::test]
async fn create_streaming_sends_stream_true_and_accept_event_stream() {
    let server = server_with(sse(STREAM_8)).await;
    let beta = AnthropicBeta::from("some-future-beta-2099-01-01");
    let stream = client(&server.uri())
        .completions()
        .create_streaming(&params_8())
        .betas(vec![beta])
        .anthropic_version("2099-01-01")
        .options(RequestOptions::new().header("x-trace", "s-1"))
        .await
        .unwrap();
    drop(stream);
    let req = only_request(&server).await;
    let mut expected = serde_json::to_value(params_8()).unwrap();
    expected["stream"] = json!(true);
    assert_eq!(body_json(&req), expected);
    // The flag is the last key, after the params' own.
    assert!(
        req.body.ends_with(br#","stream":true}"#),
        "{}",
        String::from_utf8_lossy(&req.body)
    );
    assert_eq!(header(&req, "accept").as_deref(), Some("text/event-stream"));
    assert_eq!(
        header(&req, "content-type").as_deref(),
        Some("application/json")
    );
    assert_eq!(header(&req, "x-api-key").as_deref(), Some(API_KEY));
    assert_eq!(
        header(&req, "anthropic-beta").as_deref(),
        Some("some-future-beta-2099-01-01")
    );
    assert_eq!(
        header(&req, "anthropic-version").as_deref(),
        Some("2099-01-01")
    );
    assert_eq!(header(&req, "x-trace").as_deref(), Some("s-1"));
    assert_eq!(
        header(&req, "x-stainless-retry-count").as_deref(),
        Some("0")
    );
}

/// The §8 stream: its status, headers and request id are readable before iteration, then three
/// `Completion`s (the `ping` skipped) joining to the §8 text, then the end.
#[tokio::test]
async fn create_streaming_yields_the_section_8_items_and_skips_ping() {
    let (_server, mut stream) = stream_from(sse(STREAM_8)).await;
    assert_eq!(stream.status().as_u16(), 200);
    assert_eq!(stream.request_id(), Some("req_stream"));
    assert_eq!(
        stream
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("text/event-stream; charset=utf-8")
    );
    assert_eq!(stream.retries_taken(), 0);

    let mut items = Vec::new();
    while let Some(item) = stream.next().await {
        items.push(item.expect("a completion"));
    }
    assert_eq!(items.len(), 3, "{items:?}");
    let text: String = items.iter().map(|c| c.completion.as_str()).collect();
    assert_eq!(text, STREAM_TEXT_8);
    assert!(items
        .iter()
        .all(|c| c.id.is_none() && c.model == "claude-2.1"));
    let stops: Vec<Option<&str>> = items.iter().map(|c| c.stop_reason.as_deref()).collect();
    assert_eq!(stops, [None, None, Some("stop_sequence")]);
    assert!(stream.next().await.is_none(), "the stream stays ended");
}

/// An `error` event is the §4 envelope: an `Error::Api` item with its typed error type,
/// message and the stream's request id (status 200, not the 529 kind), and nothing after it.
#[tokio::test]
async fn an_error_event_ends_the_stream_with_a_typed_api_error() {
    let data = r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#;
    let body = format!(
        "event: completion\ndata: {}\n\nevent: error\ndata: {data}\n\n{}",
        r#"{"type":"completion","completion":" Hel","stop_reason":null,"model":"claude-2.1"}"#,
        "event: completion\ndata: {\"type\":\"completion\",\"completion\":\"never\",\"stop_reason\":null,\"model\":\"claude-2.1\"}\n\n",
    );
    let (_server, stream) = stream_from(sse(&body)).await;
    let items: Vec<Result<Completion, Error>> = stream.collect().await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().completion, " Hel");
    let e = match &items[1] {
        Err(Error::Api(e)) => e,
        other => panic!("expected an Error::Api item, got {other:?}"),
    };
    assert!(e.is_stream_event());
    assert_eq!(e.status().as_u16(), 200);
    assert_eq!(e.kind(), ApiErrorKind::Other);
    assert_eq!(e.error_type(), Some(ErrorType::OVERLOADED_ERROR));
    assert_eq!(e.message(), "Overloaded");
    assert_eq!(e.request_id(), Some("req_stream"));
    assert_eq!(e.envelope().map(|env| env.request_id.clone()), Some(None));
    assert_eq!(&e.body()[..], data.as_bytes());
}
