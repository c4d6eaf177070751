//! Credentials never appear in `Debug` or error output (`api-reference.md` §7; the
//! builder's docs: "Never printed by `Debug` or errors").

mod common;

use anthropic_completions::{Client, Error};
use common::*;

fn assert_hidden(text: &str) {
    assert!(!text.contains(API_KEY), "API key leaked: {text}");
    assert!(!text.contains(AUTH_TOKEN), "auth token leaked: {text}");
    assert!(
        !text.contains("TESTSECRET"),
        "part of a secret leaked: {text}"
    );
}

#[test]
fn client_debug_hides_the_api_key() {
    let client = Client::new(API_KEY).unwrap();
    assert_hidden(&format!("{client:?}"));
    assert_hidden(&format!("{client:#?}"));
}

#[test]
fn client_debug_hides_the_auth_token() {
    let client = Client::builder()
        .api_key(API_KEY)
        .auth_token(AUTH_TOKEN)
        .build()
        .unwrap();
    assert_hidden(&format!("{client:?}"));
    assert_hidden(&format!("{client:#?}"));
}

#[test]
fn builder_debug_hides_credentials() {
    let builder = Client::builder()
        .api_key(API_KEY)
        .auth_token(AUTH_TOKEN)
        .default_header("x-api-key", API_KEY);
    assert_hidden(&format!("{builder:?}"));
    assert_hidden(&format!("{builder:#?}"));
}

#[tokio::test]
async fn authentication_error_output_hides_the_api_key() {
    let server = server_with(error_reply(
        401,
        "authentication_error",
        "invalid x-api-key",
        "req_401",
    ))
    .await;
    let err = client(&server.uri())
        .completions()
        .create(&params_8())
        .await
        .unwrap_err();
    assert_hidden(&err.to_string());
    assert_hidden(&format!("{err:?}"));
    assert_hidden(&format!("{err:#?}"));
    let api = api_error(err);
    assert_hidden(&api.to_string());
    assert_hidden(&format!("{api:?}"));
}

#[tokio::test]
async fn connection_error_output_hides_the_api_key() {
    let server = raw_server(|_, stream| async move { drop(stream) }).await;
    let err = builder(&server.url)
        .auth_token(AUTH_TOKEN)
        .max_retries(0)
        .build()
        .unwrap()
        .completions()
        .create(&params_8())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Connection { .. }), "got {err:?}");
    assert_hidden(&err.to_string());
    assert_hidden(&format!("{err:?}"));
}

#[test]
fn config_error_for_a_key_with_a_line_break_does_not_echo_it() {
    let key = format!("{API_KEY}\r\nx-evil: 1");
    let err = Client::new(key).unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "got {err:?}");
    assert_hidden(&err.to_string());
    assert_hidden(&format!("{err:?}"));
}
