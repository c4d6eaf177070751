//! Error statuses of this API (`api-reference.md` §4, §5): the kinds, with 529 `Overloaded`
//! from spec/forge.yaml; the spec's envelope read into the typed `ErrorResponse`; the retry
//! hint headers spec/forge.yaml names. The HTTP status table, the retry policy and the backoff
//! are the runtime's (`runtime/tests/http/errors.rs`, `runtime/tests/http/retries.rs`).

use std::time::{Duration, Instant};

use anthropic_completions::{ApiErrorKind, Client, ErrorType};
use wiremock::ResponseTemplate;

use crate::common::*;

/// The API error a client without retries gets for `reply`.
async fn api_error_for(reply: ResponseTemplate) -> anthropic_completions::ApiError {
    let server = server_with(reply).await;
    let err = builder(&server.uri())
        .max_retries(0)
        .build()
        .unwrap()
        .completions()
        .create(&params_8())
        .await
        .unwrap_err();
    api_error(err)
}

/// 529 is `Overloaded` (spec/forge.yaml's `error_statuses`); the other statuses keep the HTTP
/// table's kinds, 503 included.
#[tokio::test]
async fn status_picks_the_kind_and_529_is_overloaded() {
    for (status, error_type, kind) in [
        (529, "overloaded_error", ApiErrorKind::Overloaded),
        (503, "api_error", ApiErrorKind::InternalServer),
        (500, "api_error", ApiErrorKind::InternalServer),
        (429, "rate_limit_error", ApiErrorKind::RateLimit),
        (400, "invalid_request_error", ApiErrorKind::BadRequest),
    ] {
        let e = api_error_for(error_reply(status, error_type, "m", "req_k")).await;
        assert_eq!(e.status().as_u16(), status);
        assert_eq!(e.kind(), kind, "status {status}");
    }
}

/// An error body is the spec's `ErrorResponse`: its typed `error.type` (known or not) and
/// message; the request id from the `request-id` header, else from the body.
#[tokio::test]
async fn api_error_reads_the_typed_envelope_and_the_request_id_header_then_body() {
    let both = ResponseTemplate::new(400)
        .insert_header("request-id", "req_header")
        .set_body_raw(
            envelope("invalid_request_error", "prompt: bad", Some("req_body")),
            "application/json",
        );
    let e = api_error_for(both).await;
    assert_eq!(e.error_type(), Some(ErrorType::INVALID_REQUEST_ERROR));
    assert_eq!(e.message(), "prompt: bad");
    assert_eq!(e.request_id(), Some("req_header"));
    let envelope_value = e.envelope().expect("the body is the envelope");
    assert_eq!(
        envelope_value.error.r#type,
        ErrorType::INVALID_REQUEST_ERROR
    );
    assert_eq!(envelope_value.request_id.as_deref(), Some("req_body"));

    let body_only = ResponseTemplate::new(413).set_body_raw(
        envelope("request_too_large", "too big", Some("req_body")),
        "application/json",
    );
    let e = api_error_for(body_only).await;
    assert_eq!(e.kind(), ApiErrorKind::RequestTooLarge);
    let error_type = e.error_type().expect("an error type");
    assert!(
        !error_type.is_known(),
        "request_too_large is not in the spec"
    );
    assert_eq!(error_type, "request_too_large");
    assert_eq!(e.request_id(), Some("req_body"));
    // The one-line display names the status, the type and the request id.
    let shown = e.to_string();
    assert!(!shown.contains('\n'), "{shown}");
    for part in ["413", "request_too_large", "too big", "req_body"] {
        assert!(shown.contains(part), "{part} missing in {shown}");
    }
}

/// `x-should-retry` (spec/forge.yaml's `should_retry_header`) decides before the status: `true`
/// retries a 400, `false` stops a retry of 529.
#[tokio::test]
async fn x_should_retry_decides_before_the_status() {
    let server = server_with(Sequence::new(vec![
        error_reply(400, "invalid_request_error", "retry me", "req_1")
            .insert_header("x-should-retry", "true"),
        completion_8(),
    ]))
    .await;
    let response = client(&server.uri())
        .completions()
        .create(&params_8())
        .with_response()
        .await
        .unwrap();
    assert_eq!(response.retries_taken(), 1);

    let server = server_with(
        error_reply(529, "overloaded_error", "Overloaded", "req_2")
            .insert_header("x-should-retry", "false"),
    )
    .await;
    let e = api_error(
        client(&server.uri())
            .completions()
            .create(&params_8())
            .await
            .unwrap_err(),
    );
    assert_eq!(e.kind(), ApiErrorKind::Overloaded);
    assert!(!e.is_retryable());
    assert_eq!(received(&server).await.len(), 1);
}

/// `retry-after-ms` (spec/forge.yaml's `after_ms_header`) sets the wait before the retry
/// instead of the backoff. Waits are scaled 10x here: `retry-after-ms: 30` waits 0.3 s, the
/// backoff would wait at least 3.75 s.
#[tokio::test]
async fn retry_after_ms_sets_the_wait_before_the_retry() {
    let server = server_with(Sequence::new(vec![
        error_reply(429, "rate_limit_error", "slow down", "req_3")
            .insert_header("retry-after-ms", "30"),
        completion_8(),
    ]))
    .await;
    let client = Client::builder()
        .api_key(API_KEY)
        .base_url(server.uri())
        .backoff_scale(10.0)
        .build()
        .unwrap();
    let start = Instant::now();
    let response = client
        .completions()
        .create(&params_8())
        .with_response()
        .await
        .unwrap();
    let waited = start.elapsed();
    assert_eq!(response.retries_taken(), 1);
    assert!(waited >= Duration::from_millis(300), "{waited:?}");
    assert!(waited < Duration::from_millis(3000), "{waited:?}");
}
