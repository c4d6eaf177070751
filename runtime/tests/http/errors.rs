//! Error statuses, envelopes, request ids, decode errors, and secrets in error text.

use forge_runtime::{ApiErrorKind, Client, Method, Request, RequestOptions, StatusCode};
use serde_json::{json, Value};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{self, Error, QueryCookieApi, KEY, TOKEN};

async fn error_for(template: ResponseTemplate) -> Error {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(template)
        .mount(&server)
        .await;
    let client = common::builder(&server.uri())
        .max_retries(0)
        .build()
        .unwrap();
    client
        .send_json::<Value>(
            Request::new(Method::POST, "/v1/x").json(&1),
            RequestOptions::new(),
        )
        .await
        .unwrap_err()
}

fn envelope(error_type: &str, message: &str) -> Value {
    json!({"type": "error", "error": {"type": error_type, "message": message}})
}

#[tokio::test]
async fn each_status_maps_to_its_kind() {
    let cases = [
        (400, ApiErrorKind::BadRequest),
        (401, ApiErrorKind::Authentication),
        (403, ApiErrorKind::PermissionDenied),
        (404, ApiErrorKind::NotFound),
        (409, ApiErrorKind::Conflict),
        (413, ApiErrorKind::RequestTooLarge),
        (422, ApiErrorKind::UnprocessableEntity),
        (429, ApiErrorKind::RateLimit),
        (500, ApiErrorKind::InternalServer),
        (503, ApiErrorKind::InternalServer),
        (529, ApiErrorKind::Overloaded),
        (418, ApiErrorKind::Other),
    ];
    for (code, kind) in cases {
        let err = error_for(
            ResponseTemplate::new(code)
                .set_body_json(envelope("some_error", "went wrong"))
                .insert_header("request-id", format!("req_{code}").as_str()),
        )
        .await;
        let api = err.api_error().unwrap_or_else(|| panic!("{code}: {err:?}"));
        assert_eq!(api.kind(), kind, "{code}");
        assert_eq!(api.status().as_u16(), code);
        assert_eq!(err.status(), Some(StatusCode::from_u16(code).unwrap()));
        assert_eq!(api.error_type().as_deref(), Some("some_error"));
        assert_eq!(api.message(), "went wrong");
        assert_eq!(err.request_id(), Some(&*format!("req_{code}")));
    }
}

#[tokio::test]
async fn request_id_from_header_wins_over_body() {
    let mut body = envelope("rate_limit_error", "Rate limited");
    body["request_id"] = json!("req_body");
    let err = error_for(
        ResponseTemplate::new(429)
            .set_body_json(body)
            .insert_header("request-id", "req_123"),
    )
    .await;
    assert_eq!(err.request_id(), Some("req_123"));
    assert_eq!(
        err.to_string(),
        "429 Too Many Requests (rate_limit_error): Rate limited [request-id req_123]"
    );
}

#[tokio::test]
async fn request_id_from_body_when_no_header() {
    let mut body = envelope("not_found_error", "no such thing");
    body["request_id"] = json!("req_from_body");
    let err = error_for(ResponseTemplate::new(404).set_body_json(body)).await;
    assert_eq!(err.request_id(), Some("req_from_body"));
}

#[tokio::test]
async fn html_502_body_kept() {
    let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let err =
        error_for(ResponseTemplate::new(502).set_body_raw(html.as_bytes().to_vec(), "text/html"))
            .await;
    let api = err.api_error().unwrap();
    assert_eq!(api.kind(), ApiErrorKind::InternalServer);
    assert!(api.envelope().is_none());
    assert_eq!(api.body().as_ref(), html.as_bytes());
    assert_eq!(api.message(), html);
    assert_eq!(api.headers().get("content-type").unwrap(), "text/html");
    assert!(
        err.to_string().starts_with("502 Bad Gateway: <html>"),
        "{err}"
    );
}

#[tokio::test]
async fn empty_error_body_uses_status_reason() {
    let err = error_for(ResponseTemplate::new(403)).await;
    assert_eq!(err.api_error().unwrap().message(), "Forbidden");
    assert_eq!(err.to_string(), "403 Forbidden");
}

#[tokio::test]
async fn bad_json_on_2xx_is_decode_error_with_body() {
    let err = error_for(
        ResponseTemplate::new(200)
            .set_body_raw(b"{not json".to_vec(), "application/json")
            .insert_header("request-id", "req_dec"),
    )
    .await;
    match &err {
        Error::Decode {
            status,
            body,
            request_id,
            ..
        } => {
            assert_eq!(*status, StatusCode::OK);
            assert_eq!(body.as_ref(), b"{not json");
            assert_eq!(request_id.as_deref(), Some("req_dec"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(err.request_id(), Some("req_dec"));
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn wrong_shape_on_2xx_is_decode_error() {
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Thing {
        id: String,
    }
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 5})))
        .mount(&server)
        .await;
    let client = common::client(&server.uri());
    let err = client
        .send_json::<Thing>(Request::new(Method::GET, "/t"), RequestOptions::new())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
}

#[tokio::test]
async fn send_empty_and_send_bytes() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(204).insert_header("request-id", "req_del"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(vec![0u8, 159, 146, 150], "application/octet-stream"),
        )
        .mount(&server)
        .await;
    let client = common::client(&server.uri());
    let r = client
        .send_empty(Request::new(Method::DELETE, "/x"), RequestOptions::new())
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(r.request_id(), Some("req_del"));
    let r = client
        .send_bytes(Request::new(Method::GET, "/bin"), RequestOptions::new())
        .await
        .unwrap();
    assert_eq!(r.value().as_ref(), &[0u8, 159, 146, 150]);
    let seen = server.received_requests().await.unwrap();
    assert_eq!(seen[1].headers.get("accept").unwrap(), "*/*");
}

#[tokio::test]
async fn raw_response_metadata() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"a": 1}))
                .insert_header("request-id", "req_ok"),
        )
        .mount(&server)
        .await;
    let client = common::client(&server.uri());
    let r = client
        .send_json::<Value>(Request::new(Method::POST, "/x"), RequestOptions::new())
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.request_id(), Some("req_ok"));
    assert_eq!(r.retries_taken(), 0);
    assert_eq!(r.headers().get("request-id").unwrap(), "req_ok");
    let r = r.map(|v| v["a"].as_i64());
    assert_eq!(r.into_value(), Some(1));
}

#[tokio::test]
async fn secrets_never_in_debug_or_display() {
    let builder = common::builder("http://127.0.0.1:1").credential("BearerAuth", TOKEN);
    let builder_dbg = format!("{builder:?}");
    let client = builder.max_retries(0).build().unwrap();
    let client_dbg = format!("{client:?}");

    // an API error
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(envelope("authentication_error", "invalid x-api-key")),
        )
        .mount(&server)
        .await;
    let c2 = common::builder(&server.uri())
        .credential("BearerAuth", TOKEN)
        .build()
        .unwrap();
    let api_err = c2
        .send_json::<Value>(Request::new(Method::POST, "/x"), RequestOptions::new())
        .await
        .unwrap_err();

    // a connection error (nothing listens on port 1)
    let conn_err = client
        .send_json::<Value>(Request::new(Method::GET, "/x"), RequestOptions::new())
        .await
        .unwrap_err();
    assert!(matches!(conn_err, Error::Connection { .. }), "{conn_err:?}");

    // a connection error with the key in the query string
    let qc = Client::<QueryCookieApi>::builder()
        .base_url("http://127.0.0.1:1")
        .credential("QueryKey", KEY)
        .max_retries(0)
        .build()
        .unwrap();
    let q_err = qc
        .send_json::<Value>(Request::new(Method::GET, "/x"), RequestOptions::new())
        .await
        .unwrap_err();

    for text in [
        builder_dbg,
        client_dbg,
        format!("{api_err} {api_err:?}"),
        format!("{conn_err} {conn_err:?}"),
        format!("{q_err} {q_err:?}"),
        format!("{:?}", forge_runtime::Secret::from(KEY)),
    ] {
        assert!(!text.contains("SECRET"), "{text}");
    }
}

#[tokio::test]
async fn connection_error_display_names_the_cause() {
    let client = common::builder("http://127.0.0.1:1")
        .max_retries(0)
        .build()
        .unwrap();
    let err = client
        .send_json::<Value>(Request::new(Method::GET, "/x"), RequestOptions::new())
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(text.starts_with("connection error: "), "{text}");
    assert!(text.to_lowercase().contains("refused"), "{text}");
    assert!(err.is_retryable());
    assert_eq!(err.status(), None);
}

#[tokio::test]
async fn value_envelope_reads_nothing_and_the_message_is_the_raw_body() {
    // An API without a declared envelope: no shape is assumed (no `/error/type` guessing).
    let body = json!({"type": "error", "error": {"type": "invalid_request_error", "message": "bad"}, "request_id": "req_body"});
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_json(body.clone()))
        .mount(&server)
        .await;
    let client = common::plain(&server.uri());
    let err = client
        .send_json::<Value>(Request::new(Method::POST, "/x"), RequestOptions::new())
        .await
        .unwrap_err();
    let api = err.api_error().unwrap();
    assert_eq!(api.kind(), ApiErrorKind::BadRequest);
    assert_eq!(api.envelope(), Some(&body));
    assert_eq!(api.error_type(), None);
    assert_eq!(err.request_id(), None);
    assert_eq!(api.message(), body.to_string());
}

#[tokio::test]
async fn status_kinds_come_from_the_description() {
    // 529 is Overloaded only for an API that says so; for another it is a plain 5xx.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(529).set_body_json(envelope("overloaded_error", "busy")),
        )
        .mount(&server)
        .await;
    let req = || Request::new(Method::POST, "/x");
    let opts = || RequestOptions::new().max_retries(0);
    let err = common::client(&server.uri())
        .send_json::<Value>(req(), opts())
        .await
        .unwrap_err();
    assert_eq!(err.api_error().unwrap().kind(), ApiErrorKind::Overloaded);
    let err = common::plain(&server.uri())
        .send_json::<Value>(req(), opts())
        .await
        .unwrap_err();
    assert_eq!(
        err.api_error().unwrap().kind(),
        ApiErrorKind::InternalServer
    );
}
