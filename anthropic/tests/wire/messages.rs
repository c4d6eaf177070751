//! `client.messages().create` and `count_tokens`.

use anthropic::{ContentBlock, CountMessageTokensParams, CreateMessageParams, StopReason};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{
    REQUEST_ID, assert_headers, assert_target, client, json_body, only_request, user,
};

/// The Messages API's documented example reply.
const MESSAGE: &str = r#"{"id":"msg_013Zva2CMHLNnXjNJJKqJ2EF","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"text","text":"Hi! My name is Claude.","citations":null}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":2095,"output_tokens":503}}"#;

async fn server_answering(route: &str, body: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(route))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("request-id", REQUEST_ID)
                .set_body_raw(body.to_owned(), "application/json"),
        )
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn create_sends_the_params_and_decodes_the_message() {
    let server = server_answering("/v1/messages", MESSAGE).await;
    let params = CreateMessageParams::new("claude-sonnet-4-5", vec![user("Hello, Claude")], 1024);

    let message = client(&server).messages().create(&params).await.unwrap();

    let request = only_request(&server).await;
    assert_target(&request, "POST", "/v1/messages", None);
    assert_headers(&request, "application/json", &[]);
    assert_eq!(
        json_body(&request),
        json!({"model": "claude-sonnet-4-5", "messages": [{"content": "Hello, Claude", "role": "user"}], "max_tokens": 1024})
    );
    assert_eq!(message.id, "msg_013Zva2CMHLNnXjNJJKqJ2EF");
    assert_eq!(message.model.as_str(), "claude-sonnet-4-5-20250929");
    assert_eq!(message.stop_reason, Some(StopReason::END_TURN));
    assert_eq!(
        (message.usage.input_tokens, message.usage.output_tokens),
        (2095, 503)
    );
    match message.content.as_slice() {
        [ContentBlock::ResponseTextBlock(block)] => {
            assert_eq!(block.text, "Hi! My name is Claude.")
        }
        other => panic!("content: {other:?}"),
    }
    assert_eq!(message.text(), "Hi! My name is Claude.");
}

#[tokio::test]
async fn count_tokens_sends_the_messages_and_decodes_the_count() {
    let server = server_answering("/v1/messages/count_tokens", r#"{"input_tokens":14}"#).await;
    let params = CountMessageTokensParams::new(vec![user("Hello, world")], "claude-sonnet-4-5");

    let count = client(&server)
        .messages()
        .count_tokens(&params)
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_target(&request, "POST", "/v1/messages/count_tokens", None);
    assert_headers(&request, "application/json", &[]);
    assert_eq!(
        json_body(&request),
        json!({"messages": [{"content": "Hello, world", "role": "user"}], "model": "claude-sonnet-4-5"})
    );
    assert_eq!(count.input_tokens, 14);
}
