//! Idempotency keys: one per logical request, the same on every retry, never on GET.

use forge_runtime::{Method, Request, RequestOptions};
use serde_json::{json, Value};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request as WireRequest, ResponseTemplate};

use crate::common;

/// Every request fails with 500 `fails` times (counted over all requests), then succeeds.
async fn flaky(fails: u64) -> MockServer {
    let server = MockServer::start().await;
    if fails > 0 {
        Mock::given(any())
            .respond_with(ResponseTemplate::new(500))
            .up_to_n_times(fails)
            .with_priority(1)
            .mount(&server)
            .await;
    }
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .with_priority(2)
        .mount(&server)
        .await;
    server
}

fn keys(reqs: &[WireRequest]) -> Vec<Option<String>> {
    reqs.iter()
        .map(|r| {
            r.headers
                .get("idempotency-key")
                .map(|v| v.to_str().unwrap().to_owned())
        })
        .collect()
}

fn is_generated(key: &str) -> bool {
    key.strip_prefix("forge-")
        .is_some_and(|hex| hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[tokio::test]
async fn one_key_per_logical_request_the_same_on_every_retry() {
    let server = flaky(2).await;
    let client = common::plain(&server.uri());
    let post = || Request::new(Method::POST, "/v1/x").json(&json!({"n": 1}));
    let r = client
        .send_json::<Value>(post(), RequestOptions::new())
        .await
        .unwrap();
    assert_eq!(r.retries_taken(), 2);
    client
        .send_json::<Value>(post(), RequestOptions::new())
        .await
        .unwrap();
    let keys = keys(&server.received_requests().await.unwrap());
    assert_eq!(keys.len(), 4);
    let first = keys[0].clone().expect("a key on the first attempt");
    assert!(is_generated(&first), "{first}");
    assert_eq!(keys[1].as_deref(), Some(&*first));
    assert_eq!(keys[2].as_deref(), Some(&*first));
    let second = keys[3].clone().expect("a key on the second request");
    assert!(is_generated(&second), "{second}");
    assert_ne!(first, second, "a new logical request gets a new key");
}

#[tokio::test]
async fn only_methods_that_are_not_idempotent_get_one() {
    let server = flaky(0).await;
    let client = common::plain(&server.uri());
    let methods = [
        (Method::GET, false),
        (Method::HEAD, false),
        (Method::OPTIONS, false),
        (Method::TRACE, false),
        (Method::POST, true),
        (Method::PUT, true),
        (Method::PATCH, true),
        (Method::DELETE, true),
    ];
    for (method, _) in &methods {
        client
            .send_empty(Request::new(method.clone(), "/x"), RequestOptions::new())
            .await
            .unwrap();
    }
    let keys = keys(&server.received_requests().await.unwrap());
    for ((method, expected), key) in methods.iter().zip(&keys) {
        assert_eq!(key.is_some(), *expected, "{method}: {key:?}");
    }
}

#[tokio::test]
async fn a_caller_value_wins_and_is_kept_on_retries() {
    let server = flaky(1).await;
    let client = common::plain(&server.uri());
    let post = || Request::new(Method::POST, "/x");
    client
        .send_empty(post(), RequestOptions::new().idempotency_key("mine-1"))
        .await
        .unwrap();
    client
        .send_empty(
            post().header("idempotency-key", "from-request"),
            RequestOptions::new().idempotency_key("loses"),
        )
        .await
        .unwrap();
    client
        .send_empty(
            post(),
            RequestOptions::new().header("Idempotency-Key", "from-options"),
        )
        .await
        .unwrap();
    let keys = keys(&server.received_requests().await.unwrap());
    let keys: Vec<&str> = keys.iter().map(|k| k.as_deref().unwrap()).collect();
    assert_eq!(keys, ["mine-1", "mine-1", "from-request", "from-options"]);
}

#[tokio::test]
async fn an_api_without_an_idempotency_header_sends_none() {
    let server = flaky(1).await;
    let client = common::client(&server.uri());
    client
        .send_empty(Request::new(Method::POST, "/x"), RequestOptions::new())
        .await
        .unwrap();
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(reqs.len(), 2);
    assert!(reqs
        .iter()
        .all(|r| !r.headers.keys().any(|k| k.as_str().contains("idempotency"))));
}
