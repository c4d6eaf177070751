//! `client.messages().create_streaming`: the typed events, and the accumulator that builds the
//! final `Message` from them.

use anthropic::accumulate::{MessageAccumulator, MessageStreamExt};
use anthropic::{
    ContentBlock, CreateMessageParams, Error, ErrorType, MessageStreamEvent, StopReason, StreamExt,
};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{
    REQUEST_ID, assert_headers, assert_target, client, json_body, only_request, user,
};

/// One server-sent event.
fn event(name: &str, data: &str) -> String {
    format!("event: {name}\ndata: {data}\n\n")
}

/// The documented tool-use stream: a text block, a `ping`, a tool-use block whose input comes in
/// `input_json_delta` pieces (the first one empty), then the stop reason and output usage.
fn tool_use_stream() -> String {
    [
        event("message_start", r#"{"type":"message_start","message":{"id":"msg_014p7gG3wDgGV9EUtLvnow3U","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","stop_sequence":null,"usage":{"input_tokens":472,"output_tokens":2},"content":[],"stop_reason":null}}"#),
        event("content_block_start", r#"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#),
        event("ping", r#"{"type": "ping"}"#),
        event("content_block_delta", r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Okay"}}"#),
        event("content_block_delta", r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":", let's check the weather."}}"#),
        event("content_block_stop", r#"{"type":"content_block_stop","index":0}"#),
        event("content_block_start", r#"{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6","name":"get_weather","input":{}}}"#),
        event("content_block_delta", r#"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}"#),
        event("content_block_delta", r#"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"location\": \"San Fra"}}"#),
        event("content_block_delta", r#"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"ncisco, CA\", \"unit\": \"fah"}}"#),
        event("content_block_delta", r#"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"renheit\"}"}}"#),
        event("content_block_stop", r#"{"type":"content_block_stop","index":1}"#),
        event("message_delta", r#"{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":89}}"#),
        event("message_stop", r#"{"type":"message_stop"}"#),
    ]
    .concat()
}

/// A thinking block: thinking deltas, then its signature.
fn thinking_stream() -> String {
    [
        event("message_start", r#"{"type":"message_start","message":{"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":1}}}"#),
        event("content_block_start", r#"{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}"#),
        event("content_block_delta", r#"{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Let me solve this "}}"#),
        event("content_block_delta", r#"{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"step by step."}}"#),
        event("content_block_delta", r#"{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pk"}}"#),
        event("content_block_stop", r#"{"type":"content_block_stop","index":0}"#),
        event("message_delta", r#"{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":30}}"#),
        event("message_stop", r#"{"type":"message_stop"}"#),
    ]
    .concat()
}

async fn streaming_server(body: String) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/messages"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("request-id", REQUEST_ID)
                .set_body_raw(body, "text/event-stream; charset=utf-8"),
        )
        .mount(&server)
        .await;
    server
}

fn params() -> CreateMessageParams {
    CreateMessageParams::new(
        "claude-sonnet-4-5",
        vec![user("What is the weather in SF?")],
        1024,
    )
}

#[tokio::test]
async fn the_stream_is_requested_with_the_flag_and_yields_typed_events_in_order() {
    let server = streaming_server(tool_use_stream()).await;

    let stream = client(&server)
        .messages()
        .create_streaming(&params())
        .await
        .unwrap();
    assert_eq!(stream.request_id(), Some(REQUEST_ID));
    let events: Vec<MessageStreamEvent> = stream.map(Result::unwrap).collect().await;

    let request = only_request(&server).await;
    assert_target(&request, "POST", "/v1/messages", None);
    assert_headers(&request, "text/event-stream", &[]);
    assert_eq!(
        json_body(&request),
        json!({"model": "claude-sonnet-4-5", "messages": [{"content": "What is the weather in SF?", "role": "user"}], "max_tokens": 1024, "stream": true})
    );
    let kinds: Vec<&str> = events
        .iter()
        .map(|event| match event {
            MessageStreamEvent::MessageStartEvent(_) => "message_start",
            MessageStreamEvent::ContentBlockStartEvent(_) => "content_block_start",
            MessageStreamEvent::Ping(_) => "ping",
            MessageStreamEvent::ContentBlockDeltaEvent(_) => "content_block_delta",
            MessageStreamEvent::ContentBlockStopEvent(_) => "content_block_stop",
            MessageStreamEvent::MessageDeltaEvent(_) => "message_delta",
            MessageStreamEvent::MessageStopEvent(_) => "message_stop",
            MessageStreamEvent::Other(other) => panic!("an event the crate did not type: {other}"),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "message_start",
            "content_block_start",
            "ping",
            "content_block_delta",
            "content_block_delta",
            "content_block_stop",
            "content_block_start",
            "content_block_delta",
            "content_block_delta",
            "content_block_delta",
            "content_block_delta",
            "content_block_stop",
            "message_delta",
            "message_stop",
        ]
    );
    let text: String = events
        .iter()
        .filter_map(MessageStreamEvent::text_delta)
        .collect();
    assert_eq!(text, "Okay, let's check the weather.");
}

#[tokio::test]
async fn the_accumulator_builds_text_and_tool_use_input_into_the_message() {
    let server = streaming_server(tool_use_stream()).await;
    let mut stream = client(&server)
        .messages()
        .create_streaming(&params())
        .await
        .unwrap();

    let mut accumulator = MessageAccumulator::new();
    while let Some(event) = stream.next().await {
        accumulator.push(&event.unwrap()).unwrap();
    }
    assert!(accumulator.is_complete());
    let message = accumulator.into_message().unwrap();

    assert_eq!(message.id, "msg_014p7gG3wDgGV9EUtLvnow3U");
    assert_eq!(message.stop_reason, Some(StopReason::TOOL_USE));
    assert_eq!(message.stop_sequence, None);
    assert_eq!(
        (message.usage.input_tokens, message.usage.output_tokens),
        (472, 89)
    );
    match message.content.as_slice() {
        [
            ContentBlock::ResponseTextBlock(text),
            ContentBlock::ResponseToolUseBlock(tool),
        ] => {
            assert_eq!(text.text, "Okay, let's check the weather.");
            assert_eq!(tool.id, "toolu_01T1x1fJ34qAmk2tNTrN7Up6");
            assert_eq!(tool.name, "get_weather");
            assert_eq!(
                serde_json::Value::Object(tool.input.clone()),
                json!({"location": "San Francisco, CA", "unit": "fahrenheit"})
            );
        }
        other => panic!("content: {other:?}"),
    }
}

#[tokio::test]
async fn final_message_reads_the_whole_stream() {
    let server = streaming_server(tool_use_stream()).await;
    let stream = client(&server)
        .messages()
        .create_streaming(&params())
        .await
        .unwrap();

    let message = stream.final_message().await.unwrap();

    assert_eq!(message.text(), "Okay, let's check the weather.");
    assert_eq!(message.content.len(), 2);
    assert_eq!(message.usage.output_tokens, 89);
}

#[tokio::test]
async fn thinking_and_signature_deltas_accumulate() {
    let server = streaming_server(thinking_stream()).await;
    let stream = client(&server)
        .messages()
        .create_streaming(&params())
        .await
        .unwrap();

    let message = stream.final_message().await.unwrap();

    match message.content.as_slice() {
        [ContentBlock::ResponseThinkingBlock(block)] => {
            assert_eq!(block.thinking, "Let me solve this step by step.");
            assert_eq!(
                block.signature,
                "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pk"
            );
        }
        other => panic!("content: {other:?}"),
    }
    assert_eq!(message.stop_reason, Some(StopReason::END_TURN));
    assert_eq!(message.usage.output_tokens, 30);
}

#[tokio::test]
async fn an_error_event_ends_the_stream_with_an_api_error() {
    let body = [
        event("message_start", r#"{"type":"message_start","message":{"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":1}}}"#),
        event("content_block_start", r#"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#),
        event("content_block_delta", r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}"#),
        event("error", r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#),
        event("content_block_delta", r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"never read"}}"#),
    ]
    .concat();
    let server = streaming_server(body).await;
    let stream = client(&server)
        .messages()
        .create_streaming(&params())
        .await
        .unwrap();

    let items: Vec<Result<MessageStreamEvent, Error>> = stream.collect().await;

    assert_eq!(items.len(), 4, "three events, the error, then the end");
    assert!(items[..3].iter().all(Result::is_ok));
    let Err(Error::Api(api)) = &items[3] else {
        panic!("the last item: {:?}", items[3]);
    };
    assert!(api.is_stream_event());
    assert_eq!(api.status().as_u16(), 200);
    assert_eq!(api.error_type(), Some(ErrorType::OVERLOADED_ERROR));
    assert_eq!(api.message(), "Overloaded");
    assert_eq!(api.request_id(), Some(REQUEST_ID));
}

#[tokio::test]
async fn final_message_returns_the_error_event() {
    let body = [
        event("message_start", r#"{"type":"message_start","message":{"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":1}}}"#),
        event("error", r#"{"type":"error","error":{"type":"api_error","message":"Internal server error"}}"#),
    ]
    .concat();
    let server = streaming_server(body).await;
    let stream = client(&server)
        .messages()
        .create_streaming(&params())
        .await
        .unwrap();

    let error = stream.final_message().await.unwrap_err();

    let api = error.api_error().expect("an API error");
    assert_eq!(api.error_type(), Some(ErrorType::API_ERROR));
    assert_eq!(error.request_id(), Some(REQUEST_ID));
}

#[tokio::test]
async fn a_stream_that_ends_before_message_stop_is_not_a_message() {
    let cut: String = tool_use_stream().split_inclusive("\n\n").take(6).collect();
    let server = streaming_server(cut).await;
    let stream = client(&server)
        .messages()
        .create_streaming(&params())
        .await
        .unwrap();

    let error = stream.final_message().await.unwrap_err();

    assert!(
        matches!(&error, Error::Stream { reason, .. } if reason.contains("before `message_stop`")),
        "{error}"
    );
}
