//! `ClientBuilder::from_env`. Every test holds one lock while it touches the process
//! environment, so the tests in this binary never race on it.

mod common;

use std::sync::Mutex;

use forge_runtime::{HeaderMap, Method, Request, RequestOptions};
use serde_json::Value;
use wiremock::{matchers::any, Mock, MockServer, ResponseTemplate};

use common::{api_builder, Error, TestApi, KEY, TOKEN};

static ENV_LOCK: Mutex<()> = Mutex::new(());

const VARS: [&str; 4] = [
    "FORGE_RT_TEST_KEY",
    "FORGE_RT_TEST_TOKEN",
    "FORGE_RT_TEST_BASE_URL",
    "FORGE_RT_TEST_CUSTOM_HEADERS",
];

/// Run `f` with exactly these variables set (the others removed), then clean up.
fn with_env<R>(vars: &[(&str, &str)], f: impl FnOnce() -> R) -> R {
    let _guard = ENV_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    for v in VARS {
        std::env::remove_var(v);
    }
    for (k, v) in vars {
        std::env::set_var(k, v);
    }
    let out = f();
    for v in VARS {
        std::env::remove_var(v);
    }
    out
}

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(1))
        .mount(&server)
        .await;
    server
}

async fn sent_headers(client: &TestApi, server: &MockServer) -> HeaderMap {
    client
        .send_json::<Value>(Request::new(Method::GET, "/x"), RequestOptions::new())
        .await
        .unwrap();
    server
        .received_requests()
        .await
        .unwrap()
        .pop()
        .unwrap()
        .headers
}

fn h<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).map(|v| v.to_str().unwrap())
}

#[tokio::test]
async fn credentials_and_base_url_from_env() {
    let server = server().await;
    let uri = server.uri();
    let client = with_env(
        &[
            ("FORGE_RT_TEST_KEY", KEY),
            ("FORGE_RT_TEST_TOKEN", TOKEN),
            ("FORGE_RT_TEST_BASE_URL", &uri),
        ],
        || api_builder().from_env().build().unwrap(),
    );
    assert_eq!(client.base_url(), uri);
    let headers = sent_headers(&client, &server).await;
    assert_eq!(h(&headers, "x-test-key"), Some(KEY));
    assert_eq!(
        h(&headers, "authorization"),
        Some(&*format!("Bearer {TOKEN}"))
    );
}

#[tokio::test]
async fn explicit_values_win_over_env_before_or_after() {
    let server = server().await;
    let uri = server.uri();
    let (before, after) = with_env(
        &[
            ("FORGE_RT_TEST_KEY", "env-key"),
            ("FORGE_RT_TEST_BASE_URL", "http://127.0.0.1:1/env"),
        ],
        || {
            let before = api_builder()
                .credential("KeyAuth", "explicit-key")
                .base_url(&uri)
                .from_env()
                .build()
                .unwrap();
            let after = api_builder()
                .from_env()
                .credential("KeyAuth", "explicit-key")
                .base_url(&uri)
                .build()
                .unwrap();
            (before, after)
        },
    );
    for client in [before, after] {
        assert_eq!(client.base_url(), uri);
        let headers = sent_headers(&client, &server).await;
        assert_eq!(h(&headers, "x-test-key"), Some("explicit-key"));
    }
}

#[tokio::test]
async fn empty_env_var_counts_as_unset() {
    let server = server().await;
    let uri = server.uri();
    let client = with_env(
        &[("FORGE_RT_TEST_KEY", ""), ("FORGE_RT_TEST_BASE_URL", &uri)],
        || api_builder().from_env().build().unwrap(),
    );
    let err = client
        .send_json::<Value>(Request::new(Method::GET, "/x"), RequestOptions::new())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err}");
    assert!(server.received_requests().await.unwrap().is_empty());

    // An empty base URL variable falls back to the default (here: none, so an error).
    let err = with_env(&[("FORGE_RT_TEST_BASE_URL", "")], || {
        api_builder().from_env().build().unwrap_err()
    });
    assert!(matches!(err, Error::Config { .. }), "{err}");
}

#[tokio::test]
async fn custom_headers_env_parsed_and_layered() {
    let server = server().await;
    let uri = server.uri();
    let custom = "x-one: 1\nnot a header line\n  X-Two :  a: b  \ntest-version: from-env\nx-one: 1-again\nx-builder: env\n";
    let client = with_env(&[("FORGE_RT_TEST_CUSTOM_HEADERS", custom)], || {
        common::builder(&uri)
            .default_header("x-builder", "builder")
            .from_env()
            .build()
            .unwrap()
    });
    let headers = sent_headers(&client, &server).await;
    assert_eq!(
        h(&headers, "x-one"),
        Some("1-again"),
        "later duplicate wins"
    );
    assert_eq!(
        h(&headers, "x-two"),
        Some("a: b"),
        "split at first colon, trimmed"
    );
    assert_eq!(
        h(&headers, "test-version"),
        Some("from-env"),
        "env beats built-in"
    );
    assert_eq!(
        h(&headers, "x-builder"),
        Some("builder"),
        "builder default beats env"
    );
    assert!(!headers.keys().any(|k| k.as_str().contains("not a header")));

    // per-request beats env
    let opts = RequestOptions::new().header("x-one", "request");
    client
        .send_json::<Value>(Request::new(Method::GET, "/x"), opts.clone())
        .await
        .unwrap();
    let headers = server
        .received_requests()
        .await
        .unwrap()
        .pop()
        .unwrap()
        .headers;
    assert_eq!(h(&headers, "x-one"), Some("request"));
}

#[tokio::test]
async fn custom_headers_env_with_crlf_value_is_config_error() {
    let err = with_env(&[("FORGE_RT_TEST_CUSTOM_HEADERS", "x-bad: a\rb")], || {
        common::builder("http://127.0.0.1:1")
            .from_env()
            .build()
            .unwrap_err()
    });
    match &err {
        Error::Config { reason } => {
            assert!(reason.contains("FORGE_RT_TEST_CUSTOM_HEADERS"), "{reason}");
            assert!(reason.contains("x-bad"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
}

#[cfg(unix)]
#[tokio::test]
async fn non_utf8_env_var_is_config_error_naming_it() {
    use std::os::unix::ffi::OsStrExt;
    let err = {
        let _guard = ENV_LOCK.lock().unwrap_or_else(|e| e.into_inner());
        for v in VARS {
            std::env::remove_var(v);
        }
        std::env::set_var(
            "FORGE_RT_TEST_BASE_URL",
            std::ffi::OsStr::from_bytes(b"http://\xff"),
        );
        let err = common::builder("http://127.0.0.1:1")
            .from_env()
            .build()
            .unwrap_err();
        std::env::remove_var("FORGE_RT_TEST_BASE_URL");
        err
    };
    match &err {
        Error::Config { reason } => assert!(reason.contains("FORGE_RT_TEST_BASE_URL"), "{reason}"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn env_key_never_in_builder_debug() {
    let dbg = with_env(&[("FORGE_RT_TEST_KEY", KEY)], || {
        format!("{:?}", api_builder().from_env())
    });
    assert!(!dbg.contains("SECRET"), "{dbg}");
}
