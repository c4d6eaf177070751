//! Request hooks: what they see per attempt, what they may change, and what they never see.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use forge_runtime::{
    BoxError, BoxFuture, Client, Hook, HookError, HookRequest, HookResponse, Method, Request,
    RequestOptions, StatusCode,
};
use serde_json::{json, Value};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request as WireRequest, ResponseTemplate};

use crate::common::{self, Error, QueryCookieApi, KEY, TOKEN};

/// A server that answers `first` `times` times, then 200 `{"ok":true}`.
async fn flaky(first: ResponseTemplate, times: u64) -> MockServer {
    let server = MockServer::start().await;
    if times == 0 {
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
            .mount(&server)
            .await;
        return server;
    }
    Mock::given(method("POST"))
        .respond_with(first)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .with_priority(2)
        .mount(&server)
        .await;
    server
}

fn post() -> Request {
    Request::new(Method::POST, "/v1/x").json(&json!({"n": 1}))
}

fn seen(server_requests: &[WireRequest], header: &str) -> Vec<String> {
    server_requests
        .iter()
        .map(|r| {
            r.headers
                .get(header)
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default()
        })
        .collect()
}

/// Records every call it gets, as text.
#[derive(Clone, Default)]
struct Recorder {
    log: Arc<Mutex<Vec<String>>>,
}

impl Recorder {
    fn lines(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }
}

impl Hook for Recorder {
    fn before_request<'a>(
        &'a self,
        request: &'a mut HookRequest,
    ) -> BoxFuture<'a, Result<(), BoxError>> {
        Box::pin(async move {
            let line = format!("before {} {}", request.attempt(), request.method());
            self.log.lock().unwrap().push(line);
            request.set_header("x-hook-attempt", &request.attempt().to_string())
        })
    }

    fn after_response(&self, response: &HookResponse<'_>) {
        let line = format!(
            "response {} {}",
            response.attempt(),
            response.status().as_u16()
        );
        self.log.lock().unwrap().push(line);
    }

    fn after_error(&self, error: &HookError<'_>) {
        let line = format!("error {} retry={}", error.attempt(), error.will_retry());
        self.log.lock().unwrap().push(line);
    }
}

#[tokio::test]
async fn hooks_see_every_attempt_and_may_add_headers() {
    let server = flaky(ResponseTemplate::new(503), 2).await;
    let hook = Recorder::default();
    let client = common::builder(&server.uri())
        .hook(hook.clone())
        .build()
        .unwrap();
    let r = client
        .send_json::<Value>(post(), RequestOptions::new())
        .await
        .unwrap();
    assert_eq!(r.retries_taken(), 2);
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(seen(&reqs, "x-hook-attempt"), ["0", "1", "2"]);
    assert_eq!(seen(&reqs, "x-retry-count"), ["0", "1", "2"]);
    assert_eq!(
        hook.lines(),
        [
            "before 0 POST",
            "response 0 503",
            "error 0 retry=true",
            "before 1 POST",
            "response 1 503",
            "error 1 retry=true",
            "before 2 POST",
            "response 2 200",
        ]
    );
}

#[tokio::test]
async fn after_error_says_whether_the_request_will_be_retried() {
    let server = flaky(ResponseTemplate::new(500), 100).await;
    let hook = Recorder::default();
    let client = common::builder(&server.uri())
        .hook(hook.clone())
        .build()
        .unwrap();
    let err = client
        .send_json::<Value>(post(), RequestOptions::new())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
    let errors: Vec<String> = hook
        .lines()
        .into_iter()
        .filter(|l| l.starts_with("error"))
        .collect();
    assert_eq!(
        errors,
        [
            "error 0 retry=true",
            "error 1 retry=true",
            "error 2 retry=false"
        ]
    );

    // A transport failure is reported too (nothing listens on port 1).
    let hook = Recorder::default();
    let dead = common::builder("http://127.0.0.1:1")
        .max_retries(1)
        .hook(hook.clone())
        .build()
        .unwrap();
    let err = dead
        .send_json::<Value>(post(), RequestOptions::new())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Connection { .. }), "{err:?}");
    assert_eq!(
        hook.lines(),
        [
            "before 0 POST",
            "error 0 retry=true",
            "before 1 POST",
            "error 1 retry=false"
        ]
    );
}

/// Sends `Bearer stale` until a 401 is seen, then fetches a fresh token before the retry.
#[derive(Default)]
struct Refresh {
    expired: AtomicBool,
    refreshes: AtomicU32,
    retry_after_401: AtomicBool,
}

impl Hook for Refresh {
    fn before_request<'a>(
        &'a self,
        request: &'a mut HookRequest,
    ) -> BoxFuture<'a, Result<(), BoxError>> {
        Box::pin(async move {
            let token = if self.expired.swap(false, Ordering::SeqCst) {
                // Stands in for a call to a token endpoint.
                tokio::task::yield_now().await;
                self.refreshes.fetch_add(1, Ordering::SeqCst);
                "Bearer fresh"
            } else {
                "Bearer stale"
            };
            request.set_header("authorization", token)
        })
    }

    fn after_response(&self, response: &HookResponse<'_>) {
        if response.status() == StatusCode::UNAUTHORIZED {
            self.expired.store(true, Ordering::SeqCst);
        }
    }

    fn after_error(&self, error: &HookError<'_>) {
        let api = error
            .error()
            .downcast_ref::<Error>()
            .and_then(|e| e.api_error());
        if api.is_some_and(|a| a.status() == StatusCode::UNAUTHORIZED) && error.will_retry() {
            self.retry_after_401.store(true, Ordering::SeqCst);
        }
    }
}

#[tokio::test]
async fn a_hook_refreshes_a_token_after_a_401_and_the_retry_carries_it() {
    // The server refuses a stale token with a 401 it marks retryable (`x-should-retry`).
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(|req: &WireRequest| {
            if req
                .headers
                .get("authorization")
                .is_some_and(|v| v == "Bearer fresh")
            {
                ResponseTemplate::new(200).set_body_json(json!({"ok": true}))
            } else {
                ResponseTemplate::new(401)
                    .insert_header("x-should-retry", "true")
                    .set_body_json(
                        json!({"error": {"type": "authentication_error", "message": "expired"}}),
                    )
            }
        })
        .mount(&server)
        .await;
    let hook = Arc::new(Refresh::default());
    struct Shared(Arc<Refresh>);
    impl Hook for Shared {
        fn before_request<'a>(
            &'a self,
            request: &'a mut HookRequest,
        ) -> BoxFuture<'a, Result<(), BoxError>> {
            self.0.before_request(request)
        }
        fn after_response(&self, response: &HookResponse<'_>) {
            self.0.after_response(response)
        }
        fn after_error(&self, error: &HookError<'_>) {
            self.0.after_error(error)
        }
    }
    let client = common::builder(&server.uri())
        .hook(Shared(hook.clone()))
        .build()
        .unwrap();
    let r = client
        .send_json::<Value>(post(), RequestOptions::new())
        .await
        .unwrap();
    assert_eq!(r.retries_taken(), 1);
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(
        seen(&reqs, "authorization"),
        ["Bearer stale", "Bearer fresh"]
    );
    assert_eq!(hook.refreshes.load(Ordering::SeqCst), 1);
    assert!(hook.retry_after_401.load(Ordering::SeqCst));
}

/// Records what a hook can see without asking for a header by name.
#[derive(Clone, Default)]
struct Snoop {
    seen: Arc<Mutex<String>>,
    asked: Arc<Mutex<Vec<Option<String>>>>,
}

impl Hook for Snoop {
    fn before_request<'a>(
        &'a self,
        request: &'a mut HookRequest,
    ) -> BoxFuture<'a, Result<(), BoxError>> {
        Box::pin(async move {
            let names: Vec<&str> = request.header_names().collect();
            let text = format!("{request:?} {request:#?} {} {names:?}", request.url());
            self.seen.lock().unwrap().push_str(&text);
            let mut asked = self.asked.lock().unwrap();
            for name in ["x-test-key", "authorization", "cookie"] {
                asked.push(request.header(name).map(str::to_owned));
            }
            Ok(())
        })
    }

    fn after_response(&self, response: &HookResponse<'_>) {
        let text = format!("{response:?} {}", response.url());
        self.seen.lock().unwrap().push_str(&text);
    }

    fn after_error(&self, error: &HookError<'_>) {
        let text = format!("{error:?} {} {}", error.url(), error.error());
        self.seen.lock().unwrap().push_str(&text);
    }
}

#[tokio::test]
async fn a_hook_never_sees_a_credential_unless_it_asks_for_it_by_name() {
    let server = flaky(ResponseTemplate::new(500), 1).await;
    let snoop = Snoop::default();
    let client = common::builder(&server.uri())
        .credential("BearerAuth", TOKEN)
        .hook(snoop.clone())
        .build()
        .unwrap();
    client
        .send_json::<Value>(post(), RequestOptions::new())
        .await
        .unwrap();
    let seen = snoop.seen.lock().unwrap().clone();
    assert!(seen.contains("x-test-key"), "the names are visible: {seen}");
    assert!(seen.contains("test-version"), "{seen}");
    assert!(
        seen.contains("\"1\""),
        "non-secret values are visible: {seen}"
    );
    assert!(!seen.contains("SECRET"), "{seen}");
    let asked = snoop.asked.lock().unwrap().clone();
    assert_eq!(asked[0].as_deref(), Some(KEY));
    assert_eq!(asked[1].as_deref(), Some(&*format!("Bearer {TOKEN}")));
    assert_eq!(asked[2], None);

    // Query and cookie credentials: the URL a hook sees has the query key redacted.
    let server = flaky(ResponseTemplate::new(500), 1).await;
    let snoop = Snoop::default();
    let client = Client::<QueryCookieApi>::builder()
        .base_url(server.uri())
        .credential("QueryKey", KEY)
        .credential("CookieKey", TOKEN)
        .backoff_scale(0.001)
        .hook(snoop.clone())
        .build()
        .unwrap();
    client
        .send_json::<Value>(
            Request::new(Method::POST, "/q").query("page", "2"),
            RequestOptions::new(),
        )
        .await
        .unwrap();
    let seen = snoop.seen.lock().unwrap().clone();
    assert!(seen.contains("page=2&api_key=***"), "{seen}");
    assert!(!seen.contains("SECRET"), "{seen}");
    let asked = snoop.asked.lock().unwrap().clone();
    assert_eq!(asked[2].as_deref(), Some(&*format!("session={TOKEN}")));
    // The server still got the real key.
    let reqs = server.received_requests().await.unwrap();
    assert!(reqs[0]
        .url
        .query()
        .unwrap()
        .contains("api_key=sk-test-SECRET"));
}

struct Failing;

impl Hook for Failing {
    fn before_request<'a>(
        &'a self,
        _request: &'a mut HookRequest,
    ) -> BoxFuture<'a, Result<(), BoxError>> {
        Box::pin(async { Err("the token service is down".into()) })
    }
}

struct BadHeader;

impl Hook for BadHeader {
    fn before_request<'a>(
        &'a self,
        request: &'a mut HookRequest,
    ) -> BoxFuture<'a, Result<(), BoxError>> {
        Box::pin(async move { request.set_header("x-injected", "SECRET\r\nx-evil: 1") })
    }
}

#[tokio::test]
async fn a_failing_hook_abandons_the_request_before_io_and_is_not_retried() {
    let server = flaky(ResponseTemplate::new(500), 0).await;
    for (name, client) in [
        (
            "error",
            common::builder(&server.uri())
                .hook(Failing)
                .build()
                .unwrap(),
        ),
        (
            "bad header",
            common::builder(&server.uri())
                .hook(BadHeader)
                .build()
                .unwrap(),
        ),
    ] {
        let err = client
            .send_json::<Value>(post(), RequestOptions::new())
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Hook { .. }), "{name}: {err:?}");
        assert!(!err.is_retryable());
        let text = format!("{err} {err:?}");
        assert!(text.starts_with("request hook failed: "), "{text}");
        assert!(!text.contains("SECRET"), "{text}");
        if name == "bad header" {
            assert!(text.contains("x-injected"), "{text}");
        }
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

struct SetHeader(&'static str);

impl Hook for SetHeader {
    fn before_request<'a>(
        &'a self,
        request: &'a mut HookRequest,
    ) -> BoxFuture<'a, Result<(), BoxError>> {
        Box::pin(async move {
            let before = request.header("x-order").unwrap_or("").to_owned();
            request.set_header("x-order", &format!("{before}{}", self.0))?;
            request.remove_header("test-version");
            Ok(())
        })
    }
}

#[tokio::test]
async fn hooks_run_in_the_order_added_and_may_remove_headers() {
    let server = flaky(ResponseTemplate::new(500), 0).await;
    let client = common::builder(&server.uri())
        .hook(SetHeader("a"))
        .hook(SetHeader("b"))
        .build()
        .unwrap();
    client
        .send_json::<Value>(post(), RequestOptions::new().header("x-order", ">"))
        .await
        .unwrap();
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(seen(&reqs, "x-order"), [">ab"]);
    assert!(reqs[0].headers.get("test-version").is_none());
}
