//! A Message Batch round trip: create, retrieve until it has ended, read the results (JSON
//! Lines, as the spec declares them: `application/x-jsonl`).

use anthropic::{
    CreateMessageBatchParams, CreateMessageParams, MessageBatchIndividualRequestParams,
    MessageBatchIndividualResponseResult, MessageBatchProcessingStatus,
};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{assert_headers, assert_target, client, json_body, requests, user};

const BATCH_ID: &str = "msgbatch_013Zva2CMHLNnXjNJJKqJ2EF";

/// The batch of two requests, with `done` of them processed (the second one errors).
fn batch(status: &str, done: u32, results_url: Option<&str>) -> Value {
    json!({
        "id": BATCH_ID, "type": "message_batch", "processing_status": status,
        "request_counts": {"processing": 2 - done, "succeeded": done.min(1), "errored": done.saturating_sub(1), "canceled": 0, "expired": 0},
        "ended_at": if status == "ended" { json!("2024-08-20T18:37:24.100435Z") } else { Value::Null },
        "created_at": "2024-08-20T18:37:24.100435Z", "expires_at": "2024-08-21T18:37:24.100435Z",
        "archived_at": null, "cancel_initiated_at": null, "results_url": results_url
    })
}

/// Two result lines: one succeeded with a message, one errored with the error envelope.
const RESULTS: &str = concat!(
    r#"{"custom_id":"first","result":{"type":"succeeded","message":{"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"Hello!"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":3}}}}"#,
    "\n",
    r#"{"custom_id":"second","result":{"type":"errored","error":{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: Field required"},"request_id":null}}}"#,
    "\n",
);

async fn batch_server() -> MockServer {
    let server = MockServer::start().await;
    let results_url = format!("{}/v1/messages/batches/{BATCH_ID}/results", server.uri());
    Mock::given(method("POST"))
        .and(path("/v1/messages/batches"))
        .respond_with(ResponseTemplate::new(200).set_body_json(batch("in_progress", 0, None)))
        .expect(1)
        .mount(&server)
        .await;
    let retrieve = format!("/v1/messages/batches/{BATCH_ID}");
    Mock::given(method("GET"))
        .and(path(retrieve.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(batch("in_progress", 1, None)))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(retrieve.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(batch(
            "ended",
            2,
            Some(&results_url),
        )))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{retrieve}/results")))
        .respond_with(ResponseTemplate::new(200).set_body_raw(RESULTS, "application/x-jsonl"))
        .expect(1)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_batch_is_created_polled_until_ended_and_its_results_decoded() {
    let server = batch_server().await;
    let client = client(&server);
    let params = CreateMessageBatchParams::new(vec![
        MessageBatchIndividualRequestParams::new(
            "first",
            CreateMessageParams::new("claude-sonnet-4-5", vec![user("Hello, world")], 1024),
        ),
        MessageBatchIndividualRequestParams::new(
            "second",
            CreateMessageParams::new("claude-sonnet-4-5", vec![user("Hi again")], 1024),
        ),
    ]);

    let created = client.messages().batches().create(&params).await.unwrap();
    assert_eq!(
        created.processing_status,
        MessageBatchProcessingStatus::InProgress
    );
    let mut polls = 0;
    let ended = loop {
        polls += 1;
        let batch = client
            .messages()
            .batches()
            .retrieve(&created.id)
            .await
            .unwrap();
        if batch.processing_status == MessageBatchProcessingStatus::Ended {
            break batch;
        }
    };
    let results = client
        .messages()
        .batches()
        .results(&ended.id)
        .await
        .unwrap();

    assert_eq!(polls, 2);
    assert_eq!(ended.request_counts.succeeded, 1);
    assert_eq!(ended.request_counts.errored, 1);
    assert!(ended.results_url.as_deref().unwrap().ends_with("/results"));
    assert_eq!(results.len(), 2);
    assert_eq!(results[0].custom_id, "first");
    match &results[0].result {
        MessageBatchIndividualResponseResult::SucceededResult(ok) => {
            assert_eq!(ok.message.text(), "Hello!");
        }
        other => panic!("first result: {other:?}"),
    }
    assert_eq!(results[1].custom_id, "second");
    match &results[1].result {
        MessageBatchIndividualResponseResult::ErroredResult(failed) => {
            assert_eq!(failed.error.error.r#type.as_str(), "invalid_request_error");
            assert_eq!(failed.error.error.message, "max_tokens: Field required");
        }
        other => panic!("second result: {other:?}"),
    }

    let sent = requests(&server).await;
    assert_eq!(sent.len(), 4);
    assert_target(&sent[0], "POST", "/v1/messages/batches", None);
    assert_headers(&sent[0], "application/json", &[]);
    assert_eq!(
        json_body(&sent[0]),
        json!({"requests": [
            {"custom_id": "first", "params": {"model": "claude-sonnet-4-5", "messages": [{"content": "Hello, world", "role": "user"}], "max_tokens": 1024}},
            {"custom_id": "second", "params": {"model": "claude-sonnet-4-5", "messages": [{"content": "Hi again", "role": "user"}], "max_tokens": 1024}}
        ]})
    );
    for retrieve in &sent[1..3] {
        assert_target(
            retrieve,
            "GET",
            &format!("/v1/messages/batches/{BATCH_ID}"),
            None,
        );
        assert_headers(retrieve, "application/json", &[]);
    }
    assert_target(
        &sent[3],
        "GET",
        &format!("/v1/messages/batches/{BATCH_ID}/results"),
        None,
    );
    assert_headers(&sent[3], "*/*", &[]);
}
