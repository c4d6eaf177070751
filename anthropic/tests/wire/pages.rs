//! `.items()` on the `after_id` / `last_id` / `has_more` lists: pages fetched as the items are
//! read, the cursor of each page in the next request.

use anthropic::StreamExt;
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{assert_headers, assert_target, client, requests};

fn model(id: &str) -> Value {
    json!({"type": "model", "id": id, "display_name": id, "created_at": "2025-02-19T00:00:00Z"})
}

fn batch(id: &str) -> Value {
    json!({
        "id": id, "type": "message_batch", "processing_status": "ended",
        "request_counts": {"processing": 0, "succeeded": 1, "errored": 0, "canceled": 0, "expired": 0},
        "ended_at": "2024-08-20T18:37:24Z", "created_at": "2024-08-20T18:37:24Z",
        "expires_at": "2024-08-21T18:37:24Z", "archived_at": null, "cancel_initiated_at": null,
        "results_url": null
    })
}

fn page(items: Vec<Value>, has_more: bool) -> Value {
    let first = items
        .first()
        .map(|i| i["id"].clone())
        .unwrap_or(Value::Null);
    let last = items.last().map(|i| i["id"].clone()).unwrap_or(Value::Null);
    json!({"data": items, "has_more": has_more, "first_id": first, "last_id": last})
}

/// Answers `route` with `pages` in turn: the first without `after_id`, each next one for the
/// last id of the page before.
async fn paged_server(route: &str, pages: Vec<Value>) -> MockServer {
    let server = MockServer::start().await;
    let mut after: Option<String> = None;
    for body in pages {
        let mock = Mock::given(method("GET")).and(path(route.to_owned()));
        let mock = match &after {
            None => mock.and(query_param_is_missing("after_id")),
            Some(id) => mock.and(query_param("after_id", id.as_str())),
        };
        after = body["last_id"].as_str().map(str::to_owned);
        mock.respond_with(ResponseTemplate::new(200).set_body_json(body))
            .expect(1)
            .mount(&server)
            .await;
    }
    server
}

#[tokio::test]
async fn models_list_items_reads_three_pages() {
    let server = paged_server(
        "/v1/models",
        vec![
            page(
                vec![model("claude-opus-4-5"), model("claude-sonnet-4-5")],
                true,
            ),
            page(
                vec![model("claude-haiku-4-5"), model("claude-opus-4-1")],
                true,
            ),
            page(vec![model("claude-3-haiku-20240307")], false),
        ],
    )
    .await;
    let client = client(&server);

    let ids: Vec<String> = client
        .models()
        .list()
        .limit(2)
        .items()
        .map(|model| model.unwrap().id)
        .collect()
        .await;

    assert_eq!(
        ids,
        [
            "claude-opus-4-5",
            "claude-sonnet-4-5",
            "claude-haiku-4-5",
            "claude-opus-4-1",
            "claude-3-haiku-20240307"
        ]
    );
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 3);
    for request in &sent {
        assert_headers(request, "application/json", &[]);
    }
    assert_target(&sent[0], "GET", "/v1/models", Some("limit=2"));
    assert_target(
        &sent[1],
        "GET",
        "/v1/models",
        Some("limit=2&after_id=claude-sonnet-4-5"),
    );
    assert_target(
        &sent[2],
        "GET",
        "/v1/models",
        Some("limit=2&after_id=claude-opus-4-1"),
    );
}

#[tokio::test]
async fn nothing_is_fetched_before_the_first_item_is_read() {
    let server = paged_server(
        "/v1/models",
        vec![page(vec![model("claude-opus-4-5")], false)],
    )
    .await;
    let client = client(&server);

    let mut items = client.models().list().items();
    assert!(requests(&server).await.is_empty());
    assert_eq!(items.next().await.unwrap().unwrap().id, "claude-opus-4-5");
    assert!(items.next().await.is_none());
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn batches_list_items_follows_last_id_until_has_more_is_false() {
    let server = paged_server(
        "/v1/messages/batches",
        vec![
            page(vec![batch("msgbatch_01"), batch("msgbatch_02")], true),
            page(vec![batch("msgbatch_03")], false),
        ],
    )
    .await;
    let client = client(&server);

    let ids: Vec<String> = client
        .messages()
        .batches()
        .list()
        .items()
        .map(|batch| batch.unwrap().id)
        .collect()
        .await;

    assert_eq!(ids, ["msgbatch_01", "msgbatch_02", "msgbatch_03"]);
    let sent = requests(&server).await;
    assert_target(&sent[0], "GET", "/v1/messages/batches", None);
    assert_target(
        &sent[1],
        "GET",
        "/v1/messages/batches",
        Some("after_id=msgbatch_02"),
    );
}
