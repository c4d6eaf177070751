//! The request body on the wire (`api-reference.md` §2, §6, §7 extra body, §8).

mod common;

use anthropic_completions::{CompletionCreateParams, Metadata, RequestOptions};
use common::*;
use serde_json::{json, Value};
use wiremock::Request;

/// What the server received for `create(&params)`.
async fn sent_body(params: &CompletionCreateParams) -> Request {
    let server = server_with(completion_8()).await;
    client(&server.uri())
        .completions()
        .create(params)
        .await
        .unwrap();
    only_request(&server).await
}

#[tokio::test]
async fn example_request_body_matches_section_8() {
    let req = sent_body(&params_8()).await;
    let expected: Value = serde_json::from_str(REQUEST_8).unwrap();
    assert_eq!(body_json(&req), expected);
}

#[tokio::test]
async fn body_is_compact_json() {
    let req = sent_body(&params_8()).await;
    let text = String::from_utf8(req.body.clone()).expect("UTF-8 body");
    // Re-serialising compactly (key order is preserved) gives the same bytes.
    assert_eq!(serde_json::to_string(&body_json(&req)).unwrap(), text);
}

#[tokio::test]
#[allow(deprecated)]
async fn optional_fields_are_sent_when_set() {
    let params = params_8()
        .stop_sequences(vec!["\n\nHuman:".to_owned(), "END".to_owned()])
        .temperature(0.5)
        .top_k(5)
        .top_p(0.75)
        .metadata(Metadata::new().user_id("13803d75-b4b5-4c3e-b2a2-6f21399b021b"));
    let req = sent_body(&params).await;
    assert_eq!(
        body_json(&req),
        json!({
            "max_tokens_to_sample": 256,
            "model": "claude-2.1",
            "prompt": PROMPT_8,
            "stop_sequences": ["\n\nHuman:", "END"],
            "temperature": 0.5,
            "top_k": 5,
            "top_p": 0.75,
            "metadata": {"user_id": "13803d75-b4b5-4c3e-b2a2-6f21399b021b"},
        })
    );
}

#[tokio::test]
async fn metadata_user_id_null_is_sent_as_null() {
    let req = sent_body(&params_8().metadata(Metadata::new().user_id_null())).await;
    assert_eq!(body_json(&req)["metadata"], json!({"user_id": null}));
}

#[tokio::test]
async fn empty_metadata_is_sent_without_user_id() {
    let req = sent_body(&params_8().metadata(Metadata::new())).await;
    assert_eq!(body_json(&req)["metadata"], json!({}));
}

#[tokio::test]
async fn unset_optional_fields_are_omitted_not_null() {
    let req = sent_body(&params_8()).await;
    let body = body_json(&req);
    let object = body.as_object().expect("object body");
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["max_tokens_to_sample", "model", "prompt"]);
    assert!(object.values().all(|v| !v.is_null()));
}

#[tokio::test]
async fn create_omits_stream_even_when_params_set_it() {
    let req = sent_body(&params_8().stream(true)).await;
    let body = body_json(&req);
    assert!(body.get("stream").is_none(), "body: {body}");
    assert_eq!(header(&req, "accept").as_deref(), Some("application/json"));
}

#[tokio::test]
async fn create_streaming_sends_stream_true() {
    let server = server_with(sse(STREAM_8)).await;
    let stream = client(&server.uri())
        .completions()
        .create_streaming(&params_8())
        .await
        .unwrap();
    drop(stream);
    let req = only_request(&server).await;
    let mut expected: Value = serde_json::from_str(REQUEST_8).unwrap();
    expected["stream"] = json!(true);
    assert_eq!(body_json(&req), expected);
}

#[tokio::test]
async fn create_streaming_sends_stream_true_even_when_params_set_false() {
    let server = server_with(sse(STREAM_8)).await;
    let stream = client(&server.uri())
        .completions()
        .create_streaming(&params_8().stream(false))
        .await
        .unwrap();
    drop(stream);
    let req = only_request(&server).await;
    assert_eq!(body_json(&req)["stream"], json!(true));
}

#[tokio::test]
async fn create_streaming_sends_accept_event_stream() {
    let server = server_with(sse(STREAM_8)).await;
    let stream = client(&server.uri())
        .completions()
        .create_streaming(&params_8())
        .await
        .unwrap();
    drop(stream);
    let req = only_request(&server).await;
    assert_eq!(header(&req, "accept").as_deref(), Some("text/event-stream"));
    assert_eq!(
        header(&req, "content-type").as_deref(),
        Some("application/json")
    );
    assert_eq!(header(&req, "x-api-key").as_deref(), Some(API_KEY));
    assert_eq!(
        header(&req, "anthropic-version").as_deref(),
        Some("2023-06-01")
    );
}

#[tokio::test]
async fn extra_body_is_merged_and_its_values_win() {
    let server = server_with(completion_8()).await;
    let extra = json!({"max_tokens_to_sample": 10, "new_knob": {"a": [1, 2]}});
    let options = RequestOptions::new().extra_body(extra.as_object().unwrap().clone());
    client(&server.uri())
        .completions()
        .create_with(&params_8(), options)
        .await
        .unwrap();
    let req = only_request(&server).await;
    assert_eq!(
        body_json(&req),
        json!({
            "max_tokens_to_sample": 10,
            "model": "claude-2.1",
            "prompt": PROMPT_8,
            "new_knob": {"a": [1, 2]},
        })
    );
}

#[tokio::test]
async fn known_model_constant_is_sent_as_its_id() {
    let params =
        CompletionCreateParams::new(anthropic_completions::Model::CLAUDE_SONNET_4_5, PROMPT_8, 1);
    let req = sent_body(&params).await;
    assert_eq!(body_json(&req)["model"], json!("claude-sonnet-4-5"));
}

#[tokio::test]
async fn sending_does_not_validate_the_params() {
    // `validate()` would reject both; the server stays the judge.
    let params = CompletionCreateParams::new("claude-2.1", "", 0);
    assert!(params.validate().is_err());
    let req = sent_body(&params).await;
    assert_eq!(
        body_json(&req),
        json!({"max_tokens_to_sample": 0, "model": "claude-2.1", "prompt": ""})
    );
}

#[tokio::test]
async fn create_streaming_with_sends_betas_version_and_request_options() {
    let server = server_with(sse(STREAM_8)).await;
    let options = anthropic_completions::CompletionsCreateOptions::default()
        .betas(vec![
            anthropic_completions::AnthropicBeta::from("beta-a"),
            "beta-b".into(),
        ])
        .anthropic_version("2099-01-01")
        .request(
            RequestOptions::new()
                .header("x-extra", "1")
                .query("debug", "true"),
        );
    let stream = client(&server.uri())
        .completions()
        .create_streaming_with(&params_8(), options)
        .await
        .unwrap();
    drop(stream);
    let req = only_request(&server).await;
    assert_eq!(
        header(&req, "anthropic-beta").as_deref(),
        Some("beta-a,beta-b")
    );
    assert_eq!(
        header(&req, "anthropic-version").as_deref(),
        Some("2099-01-01")
    );
    assert_eq!(header(&req, "x-extra").as_deref(), Some("1"));
    assert_eq!(req.url.query(), Some("debug=true"));
}
