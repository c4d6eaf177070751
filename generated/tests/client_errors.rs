//! Error statuses, the error envelope, and failing before I/O (`api-reference.md` §1, §4).

mod common;

use anthropic_completions::{ApiError, ApiErrorKind, Client, Error, ErrorType};
use common::*;
use wiremock::ResponseTemplate;

/// `create` against a server answering `reply` once, without retries; returns the API error
/// and checks the server saw exactly one request.
async fn api_error_for(reply: ResponseTemplate) -> ApiError {
    let server = server_with(reply).await;
    let client = builder(&server.uri()).max_retries(0).build().unwrap();
    let err = client.completions().create(&params_8()).await.unwrap_err();
    assert_eq!(received(&server).await.len(), 1);
    api_error(err)
}

/// Checks that `status` with an envelope of `error_type` maps to `kind`, with the request
/// id, error type, message and raw body.
async fn check_status(status: u16, kind: ApiErrorKind, error_type: ErrorType) {
    let message = format!("something about {status}");
    let request_id = format!("req_{status}");
    let body = envelope(error_type.as_str(), &message);
    let e = api_error_for(error_reply(
        status,
        error_type.as_str(),
        &message,
        &request_id,
    ))
    .await;
    assert_eq!(e.kind(), kind, "status {status}");
    assert_eq!(e.status().as_u16(), status);
    assert_eq!(e.request_id(), Some(request_id.as_str()));
    assert_eq!(e.error_type(), Some(error_type.clone()));
    assert_eq!(e.message(), message);
    assert_eq!(&e.body()[..], body.as_bytes());
    let envelope = e.envelope().expect("envelope parsed");
    assert_eq!(envelope.error.r#type, error_type);
    assert_eq!(envelope.error.message, message);
    assert!(!e.is_stream_event());
}

#[tokio::test]
async fn status_400_is_bad_request() {
    check_status(
        400,
        ApiErrorKind::BadRequest,
        ErrorType::INVALID_REQUEST_ERROR,
    )
    .await;
}

#[tokio::test]
async fn status_401_is_authentication() {
    check_status(
        401,
        ApiErrorKind::Authentication,
        ErrorType::AUTHENTICATION_ERROR,
    )
    .await;
}

#[tokio::test]
async fn status_403_is_permission_denied() {
    check_status(
        403,
        ApiErrorKind::PermissionDenied,
        ErrorType::PERMISSION_ERROR,
    )
    .await;
}

#[tokio::test]
async fn status_404_is_not_found() {
    check_status(404, ApiErrorKind::NotFound, ErrorType::NOT_FOUND_ERROR).await;
}

#[tokio::test]
async fn status_409_is_conflict() {
    check_status(
        409,
        ApiErrorKind::Conflict,
        ErrorType::from("conflict_error"),
    )
    .await;
}

#[tokio::test]
async fn status_413_is_request_too_large() {
    check_status(
        413,
        ApiErrorKind::RequestTooLarge,
        ErrorType::from("request_too_large"),
    )
    .await;
}

#[tokio::test]
async fn status_422_is_unprocessable_entity() {
    check_status(
        422,
        ApiErrorKind::UnprocessableEntity,
        ErrorType::INVALID_REQUEST_ERROR,
    )
    .await;
}

#[tokio::test]
async fn status_429_is_rate_limit() {
    check_status(429, ApiErrorKind::RateLimit, ErrorType::RATE_LIMIT_ERROR).await;
}

#[tokio::test]
async fn status_500_is_internal_server() {
    check_status(500, ApiErrorKind::InternalServer, ErrorType::API_ERROR).await;
}

#[tokio::test]
async fn status_529_is_overloaded() {
    check_status(529, ApiErrorKind::Overloaded, ErrorType::OVERLOADED_ERROR).await;
}

#[tokio::test]
async fn status_503_is_internal_server() {
    check_status(503, ApiErrorKind::InternalServer, ErrorType::API_ERROR).await;
}

#[tokio::test]
async fn unlisted_status_418_is_other() {
    check_status(418, ApiErrorKind::Other, ErrorType::INVALID_REQUEST_ERROR).await;
}

#[tokio::test]
async fn html_502_body_is_kept_raw_and_message_falls_back_to_text() {
    let html = "<html><body>502 Bad Gateway</body></html>";
    let reply = ResponseTemplate::new(502)
        .insert_header("request-id", "req_html")
        .set_body_raw(html, "text/html");
    let e = api_error_for(reply).await;
    assert_eq!(e.kind(), ApiErrorKind::InternalServer);
    assert!(e.envelope().is_none());
    assert_eq!(e.error_type(), None);
    assert_eq!(&e.body()[..], html.as_bytes());
    assert_eq!(e.message(), html);
    assert_eq!(e.request_id(), Some("req_html"));
}

#[tokio::test]
async fn display_is_one_line_with_status_error_type_and_request_id() {
    let reply = error_reply(
        400,
        "invalid_request_error",
        "prompt: must start with \"\\n\\nHuman:\"\nand more",
        "req_disp",
    );
    let e = api_error_for(reply).await;
    let text = Error::from(e.clone()).to_string();
    assert!(!text.contains('\n'), "{text:?}");
    assert!(text.contains("400"), "{text}");
    assert!(text.contains("invalid_request_error"), "{text}");
    assert!(text.contains("req_disp"), "{text}");
    assert_eq!(e.to_string(), text);
}

#[tokio::test]
async fn request_id_falls_back_to_the_envelope() {
    let body = r#"{"type":"error","error":{"type":"not_found_error","message":"nope"},"request_id":"req_in_body"}"#;
    let reply = ResponseTemplate::new(404).set_body_raw(body, "application/json");
    let e = api_error_for(reply).await;
    assert_eq!(e.request_id(), Some("req_in_body"));
}

#[tokio::test]
async fn request_id_header_wins_over_the_envelope() {
    let body = r#"{"type":"error","error":{"type":"not_found_error","message":"nope"},"request_id":"req_in_body"}"#;
    let reply = ResponseTemplate::new(404)
        .insert_header("request-id", "req_in_header")
        .set_body_raw(body, "application/json");
    let e = api_error_for(reply).await;
    assert_eq!(e.request_id(), Some("req_in_header"));
}

#[tokio::test]
async fn unknown_error_type_is_kept_verbatim() {
    let e = api_error_for(error_reply(400, "brand_new_error", "new", "req_new")).await;
    assert_eq!(
        e.error_type().as_ref().map(ErrorType::as_str),
        Some("brand_new_error")
    );
    assert!(!e.error_type().unwrap().is_known());
}

#[tokio::test]
async fn error_response_headers_are_readable() {
    let reply =
        error_reply(400, "invalid_request_error", "bad", "req_h").insert_header("x-custom", "here");
    let e = api_error_for(reply).await;
    assert_eq!(
        e.headers().get("x-custom").and_then(|v| v.to_str().ok()),
        Some("here")
    );
}

#[tokio::test]
async fn error_accessors_on_error_enum() {
    let server = server_with(error_reply(401, "authentication_error", "bad key", "req_e")).await;
    let err = client(&server.uri())
        .completions()
        .create(&params_8())
        .await
        .unwrap_err();
    assert_eq!(err.request_id(), Some("req_e"));
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert!(!err.is_retryable());
    assert_eq!(
        err.api_error().map(ApiError::kind),
        Some(ApiErrorKind::Authentication)
    );
}

#[tokio::test]
async fn empty_error_body_falls_back_to_the_status_reason() {
    let e = api_error_for(ResponseTemplate::new(404)).await;
    assert_eq!(e.kind(), ApiErrorKind::NotFound);
    assert!(e.body().is_empty());
    assert_eq!(e.message(), "Not Found");
}

#[tokio::test]
async fn no_credential_fails_before_any_request() {
    let server = server_with(completion_8()).await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let err = client.completions().create(&params_8()).await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "got {err:?}");
    assert_eq!(received(&server).await.len(), 0);
}

#[tokio::test]
async fn no_credential_fails_a_stream_before_any_request() {
    let server = server_with(sse(STREAM_8)).await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let err = client
        .completions()
        .create_streaming(&params_8())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "got {err:?}");
    assert_eq!(received(&server).await.len(), 0);
}

#[tokio::test]
async fn empty_api_key_counts_as_no_credential() {
    let server = server_with(completion_8()).await;
    let client = Client::builder()
        .api_key("")
        .base_url(server.uri())
        .build()
        .unwrap();
    let err = client.completions().create(&params_8()).await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "got {err:?}");
    assert_eq!(received(&server).await.len(), 0);
}

#[test]
fn invalid_base_url_is_a_config_error() {
    let err = Client::builder()
        .api_key(API_KEY)
        .base_url("not a url")
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "got {err:?}");
}

#[tokio::test]
async fn header_value_with_newline_fails_before_any_request() {
    let server = server_with(completion_8()).await;
    let err = client(&server.uri())
        .completions()
        .create_with(
            &params_8(),
            anthropic_completions::RequestOptions::new().header("x-extra", "a\r\nx-evil: 1"),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "got {err:?}");
    assert_eq!(received(&server).await.len(), 0);
}
