//! The `messages` example, run as a user would (`cargo run --example messages`) against a
//! wiremock server named by `ANTHROPIC_BASE_URL`: what it sends, what it prints, its exit status.
//!
//! The outer `cargo test` has already built the example and does not hold the build lock while
//! tests run, so the inner `cargo run` only checks that it is up to date. The inner cargo
//! inherits the environment (`CARGO_TARGET_DIR` included, minus what cargo sets for this test
//! binary) and runs from the workspace root, so it reuses this build's artifacts.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{API_KEY, REQUEST_ID, json_body, only_request};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Environment variables the example reads; removed so the caller's own never leak in.
const VARS: [&str; 4] = [
    "ANTHROPIC_API_KEY",
    "ANTHROPIC_AUTH_TOKEN",
    "ANTHROPIC_BASE_URL",
    "ANTHROPIC_CUSTOM_HEADERS",
];

/// `cargo run -q -p anthropic --example messages -- <args>` aimed at `server`.
async fn run(args: &[&str], server: &MockServer) -> Output {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf();
    let mut command = Command::new(env!("CARGO"));
    command
        .current_dir(workspace)
        .args(["run", "-q", "-p", "anthropic", "--example", "messages"]);
    if !cfg!(debug_assertions) {
        command.arg("--release");
    }
    if cfg!(feature = "strict") {
        command.args(["--features", "strict"]);
    }
    command.arg("--").args(args);
    for var in VARS {
        command.env_remove(var);
    }
    // Variables describing this test crate would make the inner cargo rebuild build scripts.
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if name.starts_with("CARGO_PKG_")
            || matches!(
                &*name,
                "CARGO_MANIFEST_DIR"
                    | "CARGO_MANIFEST_PATH"
                    | "CARGO_CRATE_NAME"
                    | "CARGO_BIN_NAME"
                    | "CARGO_PRIMARY_PACKAGE"
                    | "CARGO_TARGET_TMPDIR"
            )
        {
            command.env_remove(&*name);
        }
    }
    command
        .env("ANTHROPIC_API_KEY", API_KEY)
        .env("ANTHROPIC_BASE_URL", server.uri());
    tokio::task::spawn_blocking(move || command.output().expect("cargo runs"))
        .await
        .expect("cargo finished")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

async fn answering(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/messages"))
        .respond_with(response.insert_header("request-id", REQUEST_ID))
        .mount(&server)
        .await;
    server
}

fn event(name: &str, data: &str) -> String {
    format!("event: {name}\ndata: {data}\n\n")
}

const MESSAGE_START: &str = r#"{"type":"message_start","message":{"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":1}}}"#;

#[tokio::test]
async fn prints_the_reply_to_one_user_turn() {
    let server = answering(ResponseTemplate::new(200).set_body_raw(
        r#"{"id":"msg_01","type":"message","role":"assistant","model":"claude-opus-4-5","content":[{"type":"text","text":"Hi! My name is Claude."}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":8}}"#,
        "application/json",
    ))
    .await;

    let output = run(
        &[
            "--model",
            "claude-opus-4-5",
            "--max-tokens",
            "64",
            "Hello,",
            "Claude",
        ],
        &server,
    )
    .await;

    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), "Hi! My name is Claude.\n");
    assert_eq!(
        json_body(&only_request(&server).await),
        json!({"model": "claude-opus-4-5", "messages": [{"content": "Hello, Claude", "role": "user"}], "max_tokens": 64})
    );
}

#[tokio::test]
async fn streams_the_text_deltas() {
    let body = [
        event("message_start", MESSAGE_START),
        event("content_block_start", r#"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#),
        event("ping", r#"{"type":"ping"}"#),
        event("content_block_delta", r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}"#),
        event("content_block_delta", r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" there!"}}"#),
        event("content_block_stop", r#"{"type":"content_block_stop","index":0}"#),
        event("message_delta", r#"{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":4}}"#),
        event("message_stop", r#"{"type":"message_stop"}"#),
    ]
    .concat();
    let server =
        answering(ResponseTemplate::new(200).set_body_raw(body, "text/event-stream")).await;

    let output = run(&["--stream", "Hi"], &server).await;

    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), "Hello there!\n");
    let request = only_request(&server).await;
    assert_eq!(
        json_body(&request),
        json!({"model": "claude-sonnet-4-5", "messages": [{"content": "Hi", "role": "user"}], "max_tokens": 1024, "stream": true})
    );
}

#[tokio::test]
async fn an_api_error_is_one_stderr_line_with_its_type_and_request_id() {
    let server = answering(ResponseTemplate::new(400).set_body_raw(
        r#"{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: Field required"},"request_id":"req_body"}"#,
        "application/json",
    ))
    .await;

    let output = run(&["Hi"], &server).await;

    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "");
    assert_eq!(
        stderr(&output),
        format!(
            "error: invalid_request_error: max_tokens: Field required (status 400, request-id {REQUEST_ID})\n"
        )
    );
}

#[tokio::test]
async fn an_error_event_in_the_stream_is_reported_after_the_text_so_far() {
    let body = [
        event("message_start", MESSAGE_START),
        event("content_block_start", r#"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#),
        event("content_block_delta", r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}"#),
        event("error", r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#),
    ]
    .concat();
    let server =
        answering(ResponseTemplate::new(200).set_body_raw(body, "text/event-stream")).await;

    let output = run(&["--stream", "Hi"], &server).await;

    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "Hel\n");
    assert_eq!(
        stderr(&output),
        format!(
            "error: overloaded_error: Overloaded (error event in the stream, request-id {REQUEST_ID})\n"
        )
    );
}

#[tokio::test]
async fn bad_usage_exits_2_without_a_request() {
    let server = MockServer::start().await;

    let output = run(&["--max-tokens", "lots", "Hi"], &server).await;

    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("usage: messages"),
        "{}",
        stderr(&output)
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}
