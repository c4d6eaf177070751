//! Per-request options (query, extra body) and concurrent use of one client.

use std::sync::Arc;

use forge_runtime::{Body, Method, Part, Request, RequestOptions};
use serde_json::{json, Value};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request as WireRequest, ResponseTemplate};

use crate::common::{self, Error, TestApi};

async fn echo_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(|req: &WireRequest| {
            let body: Value = serde_json::from_slice(&req.body).unwrap_or(Value::Null);
            ResponseTemplate::new(200).set_body_json(json!({
                "query": req.url.query(),
                "body": body,
            }))
        })
        .mount(&server)
        .await;
    server
}

async fn echo(client: &TestApi, req: Request, opts: &RequestOptions) -> Result<Value, Error> {
    client
        .send_json::<Value>(req, opts.clone())
        .await
        .map(|r| r.into_value())
}

fn map(v: Value) -> serde_json::Map<String, Value> {
    v.as_object().unwrap().clone()
}

#[tokio::test]
async fn extra_query_appended() {
    let server = echo_server().await;
    let client = common::client(&server.uri());
    let req = Request::new(Method::POST, "/x")
        .query("a", "1")
        .query("b", "2");
    let opts = RequestOptions::new().query("debug", "true").query("b", "9");
    let v = echo(&client, req, &opts).await.unwrap();
    assert_eq!(v["query"], "a=1&debug=true&b=9");
}

#[tokio::test]
async fn extra_body_merged_into_top_level_and_wins() {
    let server = echo_server().await;
    let client = common::client(&server.uri());
    let req =
        Request::new(Method::POST, "/x").json(&json!({"model": "m", "n": 1, "nested": {"a": 1}}));
    let opts =
        RequestOptions::new().extra_body(map(json!({"n": 2, "extra": [true], "nested": {"b": 2}})));
    let v = echo(&client, req, &opts).await.unwrap();
    assert_eq!(
        v["body"],
        json!({"model": "m", "n": 2, "extra": [true], "nested": {"b": 2}})
    );
}

#[tokio::test]
async fn extra_body_on_non_object_is_invalid_request() {
    let server = echo_server().await;
    let client = common::client(&server.uri());
    let req = Request::new(Method::POST, "/x").json(&json!([1, 2]));
    let opts = RequestOptions::new().extra_body(map(json!({"n": 2})));
    let err = echo(&client, req, &opts).await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn body_without_extra_is_sent_verbatim() {
    let server = echo_server().await;
    let client = common::client(&server.uri());
    let raw = br#"{"z":1,"a":2}"#;
    let req = Request::new(Method::POST, "/x").body(Body::Json(raw[..].into()));
    echo(&client, req, &RequestOptions::new()).await.unwrap();
    assert_eq!(server.received_requests().await.unwrap()[0].body, raw);
}

#[tokio::test]
async fn unserializable_json_is_invalid_request() {
    let server = echo_server().await;
    let client = common::client(&server.uri());
    let mut m = std::collections::BTreeMap::new();
    m.insert((1, 2), 3);
    let err = echo(
        &client,
        Request::new(Method::POST, "/x").json(&m),
        &RequestOptions::new(),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn form_text_bytes_and_multipart_bodies() {
    let server = echo_server().await;
    let client = common::client(&server.uri());
    let bodies = [
        (
            Body::Form(vec![("a".into(), "b c".into())]),
            "application/x-www-form-urlencoded",
        ),
        (Body::Text("hello".into()), "text/plain; charset=utf-8"),
        (
            Body::Bytes {
                content_type: "application/octet-stream".into(),
                data: vec![1u8, 2].into(),
            },
            "application/octet-stream",
        ),
        (
            Body::Multipart(vec![Part::text("f", "v")]),
            "multipart/form-data; boundary=",
        ),
    ];
    for (body, ct) in bodies {
        echo(
            &client,
            Request::new(Method::POST, "/x").body(body),
            &RequestOptions::new(),
        )
        .await
        .unwrap();
        let reqs = server.received_requests().await.unwrap();
        let seen = reqs
            .last()
            .unwrap()
            .headers
            .get("content-type")
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        assert!(seen.starts_with(ct), "{seen} vs {ct}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_client_from_100_tasks() {
    let server = echo_server().await;
    let client = common::client(&server.uri());
    let client = Arc::new(client);
    let mut tasks = Vec::new();
    for i in 0..100 {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            let req = Request::new(Method::POST, "/x").json(&json!({"i": i}));
            let v = echo(&client, req, &RequestOptions::new()).await.unwrap();
            assert_eq!(v["body"]["i"], i);
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 100);
}

#[test]
fn client_is_clone_send_sync_and_futures_are_send() {
    fn check<T: Clone + Send + Sync + 'static>() {}
    check::<forge_runtime::Client<TestApi>>();
    check::<forge_runtime::Client<common::PlainApi>>();
    fn send<F: std::future::Future + Send>(_: F) {}
    let client = common::client("http://127.0.0.1:1");
    let opts = RequestOptions::new();
    send(client.send_json::<Value>(Request::new(Method::GET, "/"), opts.clone()));
    send(client.send_bytes(Request::new(Method::GET, "/"), opts.clone()));
    send(client.send_empty(Request::new(Method::GET, "/"), opts.clone()));
    send(client.send_stream::<Value>(
        Request::new(Method::GET, "/"),
        opts.clone(),
        &common::EVENTS,
    ));
}
