//! Retry decisions, delays, attempt counting and timeouts.

use std::time::{Duration, Instant, SystemTime};

use forge_runtime::{ApiErrorKind, Method, Request, RequestOptions};
use serde_json::{json, Value};
use tokio::io::AsyncWriteExt;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{self, raw_server, read_request, Error, TestApi};

/// A server that answers `first` `times` times, then 200 `{"ok":true}`.
async fn flaky(first: ResponseTemplate, times: u64) -> MockServer {
    let server = MockServer::start().await;
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

async fn send(
    client: &TestApi,
    opts: &RequestOptions,
) -> Result<forge_runtime::Response<Value>, Error> {
    client
        .send_json::<Value>(
            Request::new(Method::POST, "/v1/x").json(&json!({"n": 1})),
            opts.clone(),
        )
        .await
}

async fn attempts(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[tokio::test]
async fn retries_429_500_529_then_succeeds() {
    for code in [408, 409, 429, 500, 502, 529] {
        let server = flaky(ResponseTemplate::new(code), 2).await;
        let client = common::client(&server.uri());
        let r = send(&client, &RequestOptions::new())
            .await
            .unwrap_or_else(|e| panic!("{code}: {e}"));
        assert_eq!(r.retries_taken(), 2, "{code}");
        assert_eq!(attempts(&server).await, 3, "{code}");
    }
}

#[tokio::test]
async fn retry_count_header_per_attempt_and_same_body() {
    let server = flaky(ResponseTemplate::new(500), 2).await;
    let client = common::client(&server.uri());
    send(&client, &RequestOptions::new()).await.unwrap();
    let reqs = server.received_requests().await.unwrap();
    let counts: Vec<&str> = reqs
        .iter()
        .map(|r| r.headers.get("x-retry-count").unwrap().to_str().unwrap())
        .collect();
    assert_eq!(counts, ["0", "1", "2"]);
    for r in &reqs {
        assert_eq!(r.body, br#"{"n":1}"#);
    }
}

#[tokio::test]
async fn gives_up_after_max_retries() {
    let server = flaky(ResponseTemplate::new(503), 100).await;
    let client = common::client(&server.uri());
    let err = send(&client, &RequestOptions::new()).await.unwrap_err();
    assert_eq!(
        err.api_error().unwrap().kind(),
        ApiErrorKind::InternalServer
    );
    assert_eq!(attempts(&server).await, 3);
}

#[tokio::test]
async fn max_retries_zero_means_one_attempt() {
    let server = flaky(ResponseTemplate::new(429), 100).await;
    let client = common::builder(&server.uri())
        .max_retries(0)
        .build()
        .unwrap();
    let err = send(&client, &RequestOptions::new()).await.unwrap_err();
    assert_eq!(err.api_error().unwrap().kind(), ApiErrorKind::RateLimit);
    assert_eq!(attempts(&server).await, 1);
}

#[tokio::test]
async fn per_request_max_retries_overrides_client() {
    let server = flaky(ResponseTemplate::new(500), 100).await;
    let client = common::client(&server.uri()); // default 2
    send(&client, &RequestOptions::new().max_retries(0))
        .await
        .unwrap_err();
    assert_eq!(attempts(&server).await, 1);
    send(&client, &RequestOptions::new().max_retries(4))
        .await
        .unwrap_err();
    assert_eq!(attempts(&server).await, 1 + 5);
}

#[tokio::test]
async fn non_retryable_status_not_retried() {
    for code in [400, 401, 403, 404, 413, 422] {
        let server = flaky(ResponseTemplate::new(code), 100).await;
        let client = common::client(&server.uri());
        send(&client, &RequestOptions::new()).await.unwrap_err();
        assert_eq!(attempts(&server).await, 1, "{code}");
    }
}

#[tokio::test]
async fn x_should_retry_true_retries_400() {
    let server = flaky(
        ResponseTemplate::new(400).insert_header("x-should-retry", "true"),
        1,
    )
    .await;
    let client = common::client(&server.uri());
    let r = send(&client, &RequestOptions::new()).await.unwrap();
    assert_eq!(r.retries_taken(), 1);
}

#[tokio::test]
async fn x_should_retry_false_stops_500() {
    let server = flaky(
        ResponseTemplate::new(500).insert_header("x-should-retry", "false"),
        100,
    )
    .await;
    let client = common::client(&server.uri());
    let err = send(&client, &RequestOptions::new()).await.unwrap_err();
    assert!(!err.is_retryable());
    assert_eq!(attempts(&server).await, 1);
}

/// Time one request that fails once with `first`, with retry delays scaled by `scale`.
async fn timed_retry(first: ResponseTemplate, scale: f64) -> Duration {
    let server = flaky(first, 1).await;
    let client = common::builder(&server.uri())
        .backoff_scale(scale)
        .build()
        .unwrap();
    let start = Instant::now();
    let r = send(&client, &RequestOptions::new()).await.unwrap();
    assert_eq!(r.retries_taken(), 1);
    start.elapsed()
}

#[tokio::test]
async fn retry_after_ms_honoured() {
    let t = timed_retry(
        ResponseTemplate::new(429).insert_header("retry-after-ms", "250.5"),
        1.0,
    )
    .await;
    assert!(
        t >= Duration::from_millis(250) && t < Duration::from_secs(2),
        "{t:?}"
    );
}

#[tokio::test]
async fn retry_after_seconds_honoured() {
    let t = timed_retry(
        ResponseTemplate::new(503).insert_header("retry-after", "0.3"),
        1.0,
    )
    .await;
    assert!(
        t >= Duration::from_millis(300) && t < Duration::from_secs(2),
        "{t:?}"
    );
}

#[tokio::test]
async fn retry_after_http_date_honoured() {
    // 3 s ahead has (2, 3] s left at whole-second resolution; scaled by 0.1 that is
    // 200-300 ms, while the backoff would be under 50 ms.
    let date = httpdate_in(Duration::from_secs(3));
    let t = timed_retry(
        ResponseTemplate::new(429).insert_header("retry-after", date.as_str()),
        0.1,
    )
    .await;
    assert!(
        t >= Duration::from_millis(190) && t < Duration::from_secs(2),
        "{t:?}"
    );
}

#[tokio::test]
async fn retry_after_garbage_uses_backoff() {
    // backoff for retry 0 is (375, 500] ms
    let t = timed_retry(
        ResponseTemplate::new(429).insert_header("retry-after", "soon-ish"),
        1.0,
    )
    .await;
    assert!(
        t >= Duration::from_millis(370) && t < Duration::from_secs(2),
        "{t:?}"
    );
}

#[tokio::test]
async fn retry_after_huge_clamped_to_60s() {
    // 60 s scaled by 0.005 = 300 ms
    let t = timed_retry(
        ResponseTemplate::new(429).insert_header("retry-after", "1e308"),
        0.005,
    )
    .await;
    assert!(
        t >= Duration::from_millis(290) && t < Duration::from_secs(2),
        "{t:?}"
    );
    let t = timed_retry(
        ResponseTemplate::new(429).insert_header("retry-after-ms", "99999999999999999999999999"),
        0.005,
    )
    .await;
    assert!(
        t >= Duration::from_millis(290) && t < Duration::from_secs(2),
        "{t:?}"
    );
}

#[tokio::test]
async fn retry_after_negative_or_past_is_immediate() {
    // the backoff would be at least 375 ms
    let t = timed_retry(
        ResponseTemplate::new(429).insert_header("retry-after", "-30"),
        1.0,
    )
    .await;
    assert!(t < Duration::from_millis(300), "{t:?}");
    let t = timed_retry(
        ResponseTemplate::new(429).insert_header("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT"),
        1.0,
    )
    .await;
    assert!(t < Duration::from_millis(300), "{t:?}");
}

fn httpdate_in(d: Duration) -> String {
    // RFC 7231 IMF-fixdate, computed by hand to avoid a test dependency.
    let secs = (SystemTime::now() + d)
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let days = secs / 86_400;
    let rem = secs % 86_400;
    let (h, m, s) = (rem / 3600, (rem % 3600) / 60, rem % 60);
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][(days % 7) as usize];
    // civil-from-days (Howard Hinnant)
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let mon = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][(month - 1) as usize];
    format!("{weekday}, {day:02} {mon} {year} {h:02}:{m:02}:{s:02} GMT")
}

#[tokio::test]
async fn connection_reset_is_retried() {
    // The first two connections are closed without an answer; the third answers.
    let server = raw_server(|n, mut stream| async move {
        read_request(&mut stream).await;
        if n < 2 {
            drop(stream);
        } else {
            let _ = stream
                .write_all(common::json_response(r#"{"ok":true}"#).as_bytes())
                .await;
        }
    })
    .await;
    let client = common::client(&server.url);
    let r = send(&client, &RequestOptions::new()).await.unwrap();
    assert_eq!(r.retries_taken(), 2);
    assert_eq!(server.connections(), 3);
}

#[tokio::test]
async fn connection_error_after_max_retries() {
    let server = raw_server(|_, mut stream| async move {
        read_request(&mut stream).await;
        drop(stream);
    })
    .await;
    let client = common::client(&server.url);
    let err = send(&client, &RequestOptions::new()).await.unwrap_err();
    assert!(matches!(err, Error::Connection { .. }), "{err:?}");
    assert_eq!(server.connections(), 3);
}

#[tokio::test]
async fn timeout_per_attempt_is_retried() {
    let server = flaky(
        ResponseTemplate::new(200)
            .set_body_json(json!({"slow": true}))
            .set_delay(Duration::from_secs(3)),
        1,
    )
    .await;
    let client = common::builder(&server.uri())
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let start = Instant::now();
    let r = send(&client, &RequestOptions::new()).await.unwrap();
    assert_eq!(r.retries_taken(), 1);
    assert_eq!(r.value(), &json!({"ok": true}));
    assert!(start.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn timeout_error_after_max_retries() {
    let server = flaky(
        ResponseTemplate::new(200).set_delay(Duration::from_secs(3)),
        100,
    )
    .await;
    let client = common::builder(&server.uri())
        .timeout(Duration::from_millis(100))
        .max_retries(1)
        .build()
        .unwrap();
    let start = Instant::now();
    let err = send(&client, &RequestOptions::new()).await.unwrap_err();
    assert!(
        matches!(err, Error::Timeout { timeout } if timeout == Duration::from_millis(100)),
        "{err:?}"
    );
    assert!(err.is_retryable());
    assert_eq!(attempts(&server).await, 2);
    assert!(start.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn per_request_timeout_overrides_client() {
    let server = flaky(
        ResponseTemplate::new(200).set_delay(Duration::from_secs(3)),
        100,
    )
    .await;
    let client = common::client(&server.uri()); // 600 s default
    let start = Instant::now();
    let err = send(
        &client,
        &RequestOptions::new()
            .timeout(Duration::from_millis(150))
            .max_retries(0),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert!(start.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn slow_body_counts_against_attempt_timeout() {
    // Headers arrive at once, the body never completes.
    let server = raw_server(|_, mut stream| async move {
        read_request(&mut stream).await;
        let _ = stream
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 20\r\n\r\n{\"a\":")
            .await;
        tokio::time::sleep(Duration::from_secs(3)).await;
    })
    .await;
    let client = common::builder(&server.url)
        .timeout(Duration::from_millis(200))
        .max_retries(0)
        .build()
        .unwrap();
    let err = send(&client, &RequestOptions::new()).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
}

#[tokio::test]
async fn retry_hints_are_the_apis_own() {
    // The plain API names no should-retry or milliseconds header: they mean nothing to it,
    // while HTTP's `retry-after` still counts.
    let server = flaky(
        ResponseTemplate::new(400).insert_header("x-should-retry", "true"),
        100,
    )
    .await;
    let err = common::plain(&server.uri())
        .send_json::<Value>(Request::new(Method::POST, "/v1/x"), RequestOptions::new())
        .await
        .unwrap_err();
    assert!(!err.is_retryable());
    assert_eq!(attempts(&server).await, 1);

    let server = flaky(
        ResponseTemplate::new(500).insert_header("x-should-retry", "false"),
        2,
    )
    .await;
    let r = common::plain(&server.uri())
        .send_json::<Value>(Request::new(Method::POST, "/v1/x"), RequestOptions::new())
        .await
        .unwrap();
    assert_eq!(r.retries_taken(), 2);

    // Unscaled delays: `retry-after-ms: 1500` would wait 1.5 s; the backoff is under 0.5 s.
    let server = flaky(
        ResponseTemplate::new(429).insert_header("retry-after-ms", "1500"),
        1,
    )
    .await;
    let client = forge_runtime::Client::<common::PlainApi>::builder()
        .base_url(server.uri())
        .build()
        .unwrap();
    let start = Instant::now();
    let r = client
        .send_json::<Value>(Request::new(Method::POST, "/v1/x"), RequestOptions::new())
        .await
        .unwrap();
    assert_eq!(r.retries_taken(), 1);
    assert!(
        start.elapsed() < Duration::from_millis(1200),
        "{:?}",
        start.elapsed()
    );
}
