//! What `create` puts on the wire (`api-reference.md` §1, §2, §7, §8): the example exchange,
//! the bearer token, the two header parameters, the per-request settings, and the response
//! metadata of `with_response`.

use std::time::{Duration, Instant};

use anthropic_completions::{
    AnthropicBeta, Client, Completion, CompletionCreateParams, Error, Metadata, RequestOptions,
};
use serde_json::{json, Value};

use crate::common::*;

/// The §8 request, sent by `create`, is exactly: `POST /v1/complete`, the eight headers of §8
/// (plus `host` and `content-length`) with their values, and the params' compact JSON; the §8
/// response decodes to the §8 completion.
#[tokio::test]
async fn create_sends_the_section_8_request_byte_for_byte_and_decodes_the_reply() {
    let response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nrequest-id: {REQUEST_ID_8}\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n{RESPONSE_8}",
        RESPONSE_8.len()
    );
    let (server, seen) = recording_server(response).await;
    let completion = client(&server.url)
        .completions()
        .create(&params_8())
        .await
        .expect("the §8 exchange succeeds");

    let raw = seen.lock().unwrap().clone();
    assert_eq!(raw.len(), 1, "one request");
    let raw = &raw[0];
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a request head");
    let head = std::str::from_utf8(&raw[..split]).expect("an ASCII head");
    let body = &raw[split + 4..];
    let mut lines = head.split("\r\n");
    assert_eq!(lines.next(), Some("POST /v1/complete HTTP/1.1"));
    let mut headers: Vec<String> = lines
        .map(|l| {
            let (name, value) = l.split_once(':').expect("name: value");
            format!("{}: {}", name.to_ascii_lowercase(), value.trim())
        })
        .collect();
    headers.sort();
    let host = server.url.trim_start_matches("http://");
    let mut expected = vec![
        "accept: application/json".to_owned(),
        "anthropic-version: 2023-06-01".to_owned(),
        format!("content-length: {}", body.len()),
        "content-type: application/json".to_owned(),
        format!("host: {host}"),
        format!(
            "user-agent: AnthropicCompletions/Rust {}",
            env!("CARGO_PKG_VERSION")
        ),
        format!("x-api-key: {API_KEY}"),
        "x-stainless-retry-count: 0".to_owned(),
    ];
    expected.sort();
    assert_eq!(headers, expected);

    // The body: the §8 object, as the compact serialization of the params (no `stream` key).
    assert_eq!(body, serde_json::to_vec(&params_8()).unwrap().as_slice());
    assert_eq!(
        serde_json::from_slice::<Value>(body).unwrap(),
        serde_json::from_str::<Value>(REQUEST_8).unwrap()
    );

    assert_eq!(
        completion,
        serde_json::from_str::<Completion>(RESPONSE_8).unwrap()
    );
    assert_eq!(
        completion.id.as_deref(),
        Some("compl_018CKm6gsux7P8yMcwZbeCPw")
    );
    assert_eq!(completion.completion, " Hello! My name is Claude.");
    assert_eq!(completion.stop_reason.as_deref(), Some("stop_sequence"));
    assert_eq!(completion.model, "claude-2.1");
    assert!(!completion.model.is_known());
}

/// `auth_token` is the spec's `BearerAuth`: `Authorization: Bearer <token>`, and no API key.
#[tokio::test]
async fn auth_token_is_sent_as_a_bearer_authorization() {
    let server = server_with(completion_8()).await;
    Client::builder()
        .auth_token(AUTH_TOKEN)
        .base_url(server.uri())
        .build()
        .unwrap()
        .completions()
        .create(&params_8())
        .await
        .unwrap();
    let req = only_request(&server).await;
    assert_eq!(
        header(&req, "authorization"),
        Some(format!("Bearer {AUTH_TOKEN}"))
    );
    assert_eq!(header(&req, "x-api-key"), None);
}

/// `.betas(..)` is the `anthropic-beta` header parameter: one header, values joined by `,`
/// in the order given (known and unknown alike); none at all when the list is empty or unset.
#[tokio::test]
async fn betas_are_one_comma_joined_header_omitted_when_empty() {
    let server = server_with(completion_8()).await;
    let client = client(&server.uri());
    let first = AnthropicBeta::KNOWN
        .first()
        .expect("the spec lists betas")
        .clone();
    let custom = AnthropicBeta::from("some-future-beta-2099-01-01");
    let params = params_8();
    let api = client.completions();
    api.create(&params)
        .betas(vec![first.clone(), custom])
        .await
        .unwrap();
    api.create(&params).betas(vec![]).await.unwrap();
    api.create(&params).await.unwrap();

    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    assert_eq!(
        header(&requests[0], "anthropic-beta"),
        Some(format!("{first},some-future-beta-2099-01-01"))
    );
    assert_eq!(header(&requests[1], "anthropic-beta"), None);
    assert_eq!(header(&requests[2], "anthropic-beta"), None);
}

/// `.anthropic_version(..)` is the `anthropic-version` header parameter: it replaces the
/// spec's default `2023-06-01` (one header, never two).
#[tokio::test]
async fn anthropic_version_setter_replaces_the_default() {
    let server = server_with(completion_8()).await;
    client(&server.uri())
        .completions()
        .create(&params_8())
        .anthropic_version("2099-01-01")
        .await
        .unwrap();
    let req = only_request(&server).await;
    assert_eq!(
        header(&req, "anthropic-version").as_deref(),
        Some("2099-01-01")
    );
}

/// `.options(..)` reaches the wire: an extra header, an extra query parameter, and an extra
/// body merged into the params' object (its values win).
#[tokio::test]
async fn request_options_add_a_header_a_query_parameter_and_body_fields() {
    let server = server_with(completion_8()).await;
    let extra = json!({"max_tokens_to_sample": 8, "x_custom": {"a": 1}});
    client(&server.uri())
        .completions()
        .create(&params_8())
        .options(
            RequestOptions::new()
                .header("x-trace", "t-1")
                .query("debug", "true")
                .extra_body(extra.as_object().unwrap().clone()),
        )
        .await
        .unwrap();
    let req = only_request(&server).await;
    assert_eq!(header(&req, "x-trace").as_deref(), Some("t-1"));
    assert_eq!(req.url.path(), COMPLETE_PATH);
    assert_eq!(req.url.query(), Some("debug=true"));
    assert_eq!(
        body_json(&req),
        json!({
            "model": "claude-2.1",
            "prompt": PROMPT_8,
            "max_tokens_to_sample": 8,
            "x_custom": {"a": 1},
        })
    );
}

/// `.options(..)`'s timeout and retry count apply to that request: the client's are 600 s and
/// 2 retries, the request's 100 ms and none, so one silent connection ends in a timeout.
#[tokio::test]
async fn request_options_timeout_and_max_retries_apply_to_the_request() {
    let server = silent_server().await;
    let client = client(&server.url);
    let start = Instant::now();
    let err = client
        .completions()
        .create(&params_8())
        .options(
            RequestOptions::new()
                .timeout(Duration::from_millis(100))
                .max_retries(0),
        )
        .await
        .unwrap_err();
    match err {
        Error::Timeout { timeout } => assert_eq!(timeout, Duration::from_millis(100)),
        other => panic!("expected Error::Timeout, got {other:?}"),
    }
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(server.connections(), 1);
}

/// `CompletionCreateParams` has no `stream` field and `create` adds none, whatever else is set.
#[tokio::test]
async fn create_never_sends_stream() {
    let server = server_with(completion_8()).await;
    let params = params_8()
        .stop_sequences(vec!["END".to_owned()])
        .metadata(Metadata::new().user_id_null());
    client(&server.uri())
        .completions()
        .create(&params)
        .await
        .unwrap();
    let body = body_json(&only_request(&server).await);
    assert_eq!(body, serde_json::to_value(&params).unwrap());
    assert!(body.get("stream").is_none(), "{body}");
}

/// Sending does not call `validate()`: params the spec's constraints refuse still go to the
/// server, which stays the judge (`api-reference.md` §2).
#[tokio::test]
async fn create_does_not_validate_the_params() {
    let server = server_with(completion_8()).await;
    let params = CompletionCreateParams::new("claude-2.1", "", 0);
    assert!(params.validate().is_err());
    client(&server.uri())
        .completions()
        .create(&params)
        .await
        .unwrap();
    assert_eq!(
        body_json(&only_request(&server).await),
        json!({"model": "claude-2.1", "prompt": "", "max_tokens_to_sample": 0})
    );
}

/// `.with_response()` gives the value with its status, headers, the `request-id` header (the
/// name from spec/forge.yaml) and the retries taken; each attempt carried its retry count.
#[tokio::test]
async fn with_response_exposes_status_headers_request_id_and_retries() {
    let server = server_with(Sequence::new(vec![
        error_reply(529, "overloaded_error", "Overloaded", "req_first"),
        completion_8().insert_header("x-extra", "yes"),
    ]))
    .await;
    let response = client(&server.uri())
        .completions()
        .create(&params_8())
        .with_response()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.request_id(), Some(REQUEST_ID_8));
    assert_eq!(response.retries_taken(), 1);
    assert_eq!(
        response
            .headers()
            .get("x-extra")
            .and_then(|v| v.to_str().ok()),
        Some("yes")
    );
    // `Deref` reaches the completion; `into_value` takes it.
    assert_eq!(response.completion, " Hello! My name is Claude.");
    let completion: Completion = response.into_value();
    assert_eq!(completion.stop_reason.as_deref(), Some("stop_sequence"));

    let counts: Vec<Option<String>> = received(&server)
        .await
        .iter()
        .map(|r| header(r, "x-stainless-retry-count"))
        .collect();
    assert_eq!(counts, [Some("0".to_owned()), Some("1".to_owned())]);
}
