//! The tracing span per request, in a test binary of its own: tracing caches per-callsite
//! interest globally, so a capturing subscriber is only reliable when no other test thread
//! touches the same callsites at the same time.

#[path = "common/mod.rs"]
mod common;

use forge_runtime::{Method, Request, RequestOptions};
use serde_json::{json, Value};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use common::{Error, TestApi, KEY, TOKEN};

async fn post(client: &TestApi, req: Request, opts: &RequestOptions) -> Result<Value, Error> {
    client
        .send_json::<Value>(req, opts.clone())
        .await
        .map(|r| r.into_value())
}

#[tokio::test]
async fn tracing_records_request_fields_but_no_secrets() {
    use std::sync::{Arc, Mutex};
    let log = Arc::new(Mutex::new(String::new()));
    let _guard = tracing::subscriber::set_default(capture::Capture::new(log.clone()));
    // Another test thread may have hit the span's callsite first, with no subscriber, and cached
    // "not interested": recompute interest now that this thread has one.
    tracing::callsite::rebuild_interest_cache();

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after-ms", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .with_priority(2)
        .mount(&server)
        .await;
    let client = common::builder(&server.uri())
        .credential("BearerAuth", TOKEN)
        .build()
        .unwrap();
    let req = Request::new(Method::POST, "/v1/things").json(&json!({"prompt": "BODY-TEXT"}));
    post(
        &client,
        req,
        &RequestOptions::new().header("x-test-key", KEY),
    )
    .await
    .unwrap();
    // and a transport error
    let dead = common::builder("http://127.0.0.1:1")
        .credential("BearerAuth", TOKEN)
        .max_retries(1)
        .build()
        .unwrap();
    post(
        &dead,
        Request::new(Method::GET, "/dead"),
        &RequestOptions::new(),
    )
    .await
    .unwrap_err();

    let text = log.lock().unwrap().clone();
    assert!(text.contains("span request"), "{text}");
    assert!(text.contains("method=POST"), "{text}");
    assert!(text.contains("path=/v1/things"), "{text}");
    assert!(text.contains("attempt=1"), "{text}");
    assert!(text.contains("status=429"), "{text}");
    assert!(text.contains("status=200"), "{text}");
    assert!(text.contains("retrying"), "{text}");
    assert!(!text.contains("SECRET"), "{text}");
    assert!(!text.contains("BODY-TEXT"), "{text}");
}

/// A minimal subscriber that writes every span, field and event to a string.
mod capture {
    use std::fmt::{Debug, Write};
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::{Arc, Mutex};

    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id, Record};
    use tracing::{Event, Metadata, Subscriber};

    pub struct Capture {
        log: Arc<Mutex<String>>,
        next: AtomicU64,
    }

    impl Capture {
        pub fn new(log: Arc<Mutex<String>>) -> Self {
            Capture {
                log,
                next: AtomicU64::new(1),
            }
        }
    }

    struct Visitor<'a>(&'a mut String);

    impl Visit for Visitor<'_> {
        fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
            let _ = write!(self.0, " {}={:?}", field.name(), value);
        }
        fn record_str(&mut self, field: &Field, value: &str) {
            let _ = write!(self.0, " {}={}", field.name(), value);
        }
    }

    impl Subscriber for Capture {
        fn enabled(&self, _: &Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, attrs: &Attributes<'_>) -> Id {
            let mut log = self.log.lock().unwrap();
            let _ = write!(log, "\nspan {}", attrs.metadata().name());
            attrs.record(&mut Visitor(&mut log));
            Id::from_u64(self.next.fetch_add(1, Ordering::Relaxed))
        }
        fn record(&self, _: &Id, values: &Record<'_>) {
            values.record(&mut Visitor(&mut self.log.lock().unwrap()));
        }
        fn record_follows_from(&self, _: &Id, _: &Id) {}
        fn event(&self, event: &Event<'_>) {
            let mut log = self.log.lock().unwrap();
            log.push_str("\nevent");
            event.record(&mut Visitor(&mut log));
        }
        fn enter(&self, _: &Id) {}
        fn exit(&self, _: &Id) {}
    }
}
