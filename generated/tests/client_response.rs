//! Decoding the response of `create` and what `create_raw` exposes (`api-reference.md` §3,
//! §7 raw response, §8).

mod common;

use anthropic_completions::{
    CompletionType, CompletionsCreateOptions, Error, Model, RequestOptions,
};
use common::*;
use serde_json::{json, Value};
use wiremock::ResponseTemplate;

/// `200` with `body` as JSON and a request id.
fn json_reply(body: &str) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .insert_header("request-id", "req_json")
        .set_body_raw(body.as_bytes().to_vec(), "application/json")
}

#[tokio::test]
async fn example_response_decodes() {
    let server = server_with(completion_8()).await;
    let completion = client(&server.uri())
        .completions()
        .create(&params_8())
        .await
        .unwrap();
    assert_eq!(
        completion.id.as_deref(),
        Some("compl_018CKm6gsux7P8yMcwZbeCPw")
    );
    assert_eq!(completion.completion, " Hello! My name is Claude.");
    assert_eq!(completion.stop_reason.as_deref(), Some("stop_sequence"));
    assert_eq!(completion.model, Model::from("claude-2.1"));
    assert_eq!(completion.r#type, CompletionType);
    assert!(completion.extra.is_empty());
}

#[tokio::test]
async fn unknown_fields_are_kept_in_extra() {
    let body = r#"{"type":"completion","id":"compl_1","completion":"Hi","stop_reason":"max_tokens","model":"claude-2.1","usage":{"output_tokens":3},"log_id":"abc"}"#;
    let server = server_with(json_reply(body)).await;
    let completion = client(&server.uri())
        .completions()
        .create(&params_8())
        .await
        .unwrap();
    assert_eq!(
        completion.extra.get("usage"),
        Some(&json!({"output_tokens": 3}))
    );
    assert_eq!(completion.extra.get("log_id"), Some(&json!("abc")));
    // And they are written back out.
    let again: Value = serde_json::to_value(&completion).unwrap();
    assert_eq!(again, serde_json::from_str::<Value>(body).unwrap());
}

#[tokio::test]
async fn unknown_model_and_stop_reason_round_trip() {
    let body = r#"{"type":"completion","completion":"Hi","stop_reason":"brand_new_reason","model":"claude-future-9-20300101"}"#;
    let server = server_with(json_reply(body)).await;
    let completion = client(&server.uri())
        .completions()
        .create(&params_8())
        .await
        .unwrap();
    assert_eq!(completion.model.as_str(), "claude-future-9-20300101");
    assert_eq!(completion.stop_reason.as_deref(), Some("brand_new_reason"));
    let again: Value = serde_json::to_value(&completion).unwrap();
    assert_eq!(again["model"], json!("claude-future-9-20300101"));
    assert_eq!(again["stop_reason"], json!("brand_new_reason"));
}

#[tokio::test]
async fn json_content_type_with_charset_decodes() {
    let reply =
        ResponseTemplate::new(200).set_body_raw(RESPONSE_8, "application/json; charset=utf-8");
    let server = server_with(reply).await;
    let completion = client(&server.uri())
        .completions()
        .create(&params_8())
        .await
        .unwrap();
    assert_eq!(completion.completion, STREAM_TEXT_8);
}

#[tokio::test]
async fn create_raw_exposes_status_headers_request_id_and_retries() {
    let reply = completion_8().insert_header("x-custom", "kept");
    let server = server_with(reply).await;
    let raw = client(&server.uri())
        .completions()
        .create_raw(&params_8(), CompletionsCreateOptions::default())
        .await
        .unwrap();
    assert_eq!(raw.status().as_u16(), 200);
    assert_eq!(raw.request_id(), Some(REQUEST_ID_8));
    assert_eq!(
        raw.headers().get("x-custom").and_then(|v| v.to_str().ok()),
        Some("kept")
    );
    assert_eq!(
        raw.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/json")
    );
    assert_eq!(raw.retries_taken(), 0);
    assert_eq!(raw.value().completion, " Hello! My name is Claude.");
    assert_eq!(
        raw.into_value().id.as_deref(),
        Some("compl_018CKm6gsux7P8yMcwZbeCPw")
    );
}

#[tokio::test]
async fn create_raw_without_request_id_header_has_none() {
    let reply = ResponseTemplate::new(200).set_body_raw(RESPONSE_8, "application/json");
    let server = server_with(reply).await;
    let raw = client(&server.uri())
        .completions()
        .create_raw(&params_8(), RequestOptions::new())
        .await
        .unwrap();
    assert_eq!(raw.request_id(), None);
}

#[tokio::test]
async fn invalid_json_is_a_decode_error_keeping_the_raw_body() {
    let server = server_with(json_reply("{not json")).await;
    let err = client(&server.uri())
        .completions()
        .create(&params_8())
        .await
        .unwrap_err();
    match &err {
        Error::Decode {
            status,
            body,
            request_id,
            ..
        } => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(&body[..], b"{not json");
            assert_eq!(request_id.as_deref(), Some("req_json"));
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    assert_eq!(err.request_id(), Some("req_json"));
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
}

#[tokio::test]
async fn missing_completion_field_is_a_decode_error() {
    let server = server_with(json_reply(
        r#"{"type":"completion","stop_reason":null,"model":"claude-2.1"}"#,
    ))
    .await;
    let err = client(&server.uri())
        .completions()
        .create(&params_8())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "got {err:?}");
}

#[tokio::test]
async fn decode_errors_are_not_retried() {
    let server = server_with(json_reply("{not json")).await;
    let err = client(&server.uri())
        .completions()
        .create(&params_8())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "got {err:?}");
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn missing_type_and_stop_reason_are_tolerated() {
    let server = server_with(json_reply(r#"{"completion":"Hi","model":"claude-2.1"}"#)).await;
    let completion = client(&server.uri())
        .completions()
        .create(&params_8())
        .await
        .unwrap();
    assert_eq!(completion.completion, "Hi");
    assert_eq!(completion.stop_reason, None);
    assert_eq!(completion.id, None);
}

#[tokio::test]
async fn another_type_value_is_tolerated_by_default() {
    let server = server_with(json_reply(
        r#"{"type":"completion_v2","completion":"Hi","stop_reason":null,"model":"claude-2.1"}"#,
    ))
    .await;
    let result = client(&server.uri())
        .completions()
        .create(&params_8())
        .await;
    if cfg!(feature = "strict") {
        assert!(matches!(result, Err(Error::Decode { .. })), "{result:?}");
    } else {
        assert_eq!(result.unwrap().completion, "Hi");
    }
}
