//! What goes on the wire for `create`: headers, auth, per-request options, URL
//! (`api-reference.md` §1, §5.7, §7).

mod common;

use anthropic_completions::{
    AnthropicBeta, Client, ClientBuilder, CompletionsCreateOptions, RequestOptions,
};
use common::*;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request};

/// Sends the §8 request with `options` through a client from `configure(builder)`, and
/// returns what the server received.
async fn sent(
    configure: impl FnOnce(ClientBuilder) -> ClientBuilder,
    options: impl Into<CompletionsCreateOptions>,
) -> Request {
    let server = server_with(completion_8()).await;
    let client = configure(builder(&server.uri())).build().unwrap();
    client
        .completions()
        .create_with(&params_8(), options)
        .await
        .unwrap();
    only_request(&server).await
}

/// The request `create(&params_8())` sends with the test client.
async fn sent_default() -> Request {
    sent(|b| b, CompletionsCreateOptions::default()).await
}

#[tokio::test]
async fn posts_to_v1_complete() {
    let req = sent_default().await;
    assert_eq!(req.method.as_str(), "POST");
    assert_eq!(req.url.path(), "/v1/complete");
    assert_eq!(req.url.query(), None);
}

#[tokio::test]
async fn sends_api_key_in_x_api_key() {
    let req = sent_default().await;
    assert_eq!(header(&req, "x-api-key").as_deref(), Some(API_KEY));
}

#[tokio::test]
async fn sends_anthropic_version_2023_06_01() {
    let req = sent_default().await;
    assert_eq!(
        header(&req, "anthropic-version").as_deref(),
        Some("2023-06-01")
    );
}

#[tokio::test]
async fn sends_content_type_application_json() {
    let req = sent_default().await;
    assert_eq!(
        header(&req, "content-type").as_deref(),
        Some("application/json")
    );
}

#[tokio::test]
async fn sends_accept_application_json() {
    let req = sent_default().await;
    assert_eq!(header(&req, "accept").as_deref(), Some("application/json"));
}

#[tokio::test]
async fn sends_user_agent_client_name_rust_version() {
    let req = sent_default().await;
    assert_eq!(
        header(&req, "user-agent").as_deref(),
        Some("AnthropicCompletions/Rust 0.1.0")
    );
}

#[tokio::test]
async fn sends_retry_count_zero_on_first_attempt() {
    let req = sent_default().await;
    assert_eq!(
        header(&req, "x-stainless-retry-count").as_deref(),
        Some("0")
    );
}

#[tokio::test]
async fn sends_no_authorization_with_only_an_api_key() {
    let req = sent_default().await;
    assert_eq!(header(&req, "authorization"), None);
}

#[tokio::test]
async fn sends_bearer_authorization_with_an_auth_token() {
    let server = server_with(completion_8()).await;
    let client = Client::builder()
        .auth_token(AUTH_TOKEN)
        .base_url(server.uri())
        .build()
        .unwrap();
    client.completions().create(&params_8()).await.unwrap();
    let req = only_request(&server).await;
    assert_eq!(
        header(&req, "authorization"),
        Some(format!("Bearer {AUTH_TOKEN}"))
    );
    assert_eq!(header(&req, "x-api-key"), None);
}

#[tokio::test]
async fn sends_both_auth_headers_when_both_are_set() {
    let req = sent(|b| b.auth_token(AUTH_TOKEN), RequestOptions::new()).await;
    assert_eq!(header(&req, "x-api-key").as_deref(), Some(API_KEY));
    assert_eq!(
        header(&req, "authorization"),
        Some(format!("Bearer {AUTH_TOKEN}"))
    );
}

#[test]
fn client_new_uses_the_default_base_url() {
    let client = Client::new(API_KEY).unwrap();
    assert_eq!(client.base_url(), "https://api.anthropic.com");
}

#[tokio::test]
async fn joins_betas_into_one_anthropic_beta_header() {
    let options = CompletionsCreateOptions::default().betas(vec![
        AnthropicBeta::OUTPUT_128K_2025_02_19,
        AnthropicBeta::from("some-future-beta-2030-01-01"),
    ]);
    let req = sent(|b| b, options).await;
    assert_eq!(
        header_all(&req, "anthropic-beta"),
        vec!["output-128k-2025-02-19,some-future-beta-2030-01-01".to_owned()]
    );
}

#[tokio::test]
async fn omits_anthropic_beta_when_betas_are_empty() {
    let options = CompletionsCreateOptions::default().betas(Vec::<AnthropicBeta>::new());
    let req = sent(|b| b, options).await;
    assert_eq!(header(&req, "anthropic-beta"), None);
}

#[tokio::test]
async fn omits_anthropic_beta_by_default() {
    let req = sent_default().await;
    assert_eq!(header(&req, "anthropic-beta"), None);
}

#[tokio::test]
async fn per_request_anthropic_version_replaces_the_default() {
    let options = CompletionsCreateOptions::default().anthropic_version("2099-01-01");
    let req = sent(|b| b, options).await;
    assert_eq!(
        header_all(&req, "anthropic-version"),
        vec!["2099-01-01".to_owned()]
    );
}

#[tokio::test]
async fn per_request_extra_header_is_sent() {
    let req = sent(|b| b, RequestOptions::new().header("x-extra", "yes")).await;
    assert_eq!(header(&req, "x-extra").as_deref(), Some("yes"));
}

#[tokio::test]
async fn per_request_header_replaces_a_built_in_one() {
    let req = sent(
        |b| b,
        RequestOptions::new().header("anthropic-version", "2024-02-02"),
    )
    .await;
    assert_eq!(
        header_all(&req, "anthropic-version"),
        vec!["2024-02-02".to_owned()]
    );
}

#[tokio::test]
async fn builder_default_header_is_sent() {
    let req = sent(
        |b| b.default_header("x-team", "forge"),
        RequestOptions::new(),
    )
    .await;
    assert_eq!(header(&req, "x-team").as_deref(), Some("forge"));
}

#[tokio::test]
async fn per_request_header_beats_builder_default_header() {
    let req = sent(
        |b| b.default_header("x-team", "forge"),
        RequestOptions::new().header("x-team", "override"),
    )
    .await;
    assert_eq!(header_all(&req, "x-team"), vec!["override".to_owned()]);
}

#[tokio::test]
async fn builder_user_agent_replaces_the_default() {
    let req = sent(|b| b.user_agent("my-app/2.0"), RequestOptions::new()).await;
    assert_eq!(header(&req, "user-agent").as_deref(), Some("my-app/2.0"));
}

#[tokio::test]
async fn caller_set_retry_count_header_is_kept() {
    let req = sent(
        |b| b,
        RequestOptions::new().header("x-stainless-retry-count", "7"),
    )
    .await;
    assert_eq!(
        header_all(&req, "x-stainless-retry-count"),
        vec!["7".to_owned()]
    );
}

#[tokio::test]
async fn caller_set_api_key_header_satisfies_the_credential_check() {
    let server = server_with(completion_8()).await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    client
        .completions()
        .create_with(
            &params_8(),
            RequestOptions::new().header("x-api-key", "caller-key"),
        )
        .await
        .unwrap();
    let req = only_request(&server).await;
    assert_eq!(header(&req, "x-api-key").as_deref(), Some("caller-key"));
}

#[tokio::test]
async fn extra_query_parameter_is_sent() {
    let req = sent(|b| b, RequestOptions::new().query("debug", "true")).await;
    assert_eq!(req.url.path(), "/v1/complete");
    assert_eq!(req.url.query(), Some("debug=true"));
}

#[tokio::test]
async fn base_url_path_prefix_with_trailing_slash_is_kept() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/prefix/v1/complete"))
        .respond_with(completion_8())
        .mount(&server)
        .await;
    let client = client(&format!("{}/prefix/", server.uri()));
    client.completions().create(&params_8()).await.unwrap();
    let req = only_request(&server).await;
    assert_eq!(req.url.path(), "/prefix/v1/complete");
}

#[tokio::test]
async fn base_url_path_prefix_without_trailing_slash_is_kept() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/prefix/v1/complete"))
        .respond_with(completion_8())
        .mount(&server)
        .await;
    let client = client(&format!("{}/prefix", server.uri()));
    client.completions().create(&params_8()).await.unwrap();
    let req = only_request(&server).await;
    assert_eq!(req.url.path(), "/prefix/v1/complete");
}
