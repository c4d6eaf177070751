//! The examples `complete` and `stream`, run as a user would (`cargo run --example`) against
//! a wiremock server named by `ANTHROPIC_BASE_URL`: what they send (the defaults, the prompt
//! wrapped in one turn or passed through when it already holds turns), what they print, and
//! their exit status.
//!
//! The outer `cargo test` does not hold the build lock while tests run, and it has already
//! built the examples, so the inner `cargo run` only checks that they are up to date. The
//! inner cargo inherits the environment (`CARGO_TARGET_DIR` included, minus the variables
//! cargo sets for this test binary) and runs from the workspace root, so it uses the same
//! target directory and the same artifacts (with this build's features, so `--features strict`
//! reuses its own build too).

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::*;
use wiremock::MockServer;

/// Environment variables the examples read; removed so the caller's own settings never leak
/// in.
const VARS: [&str; 4] = [
    "ANTHROPIC_API_KEY",
    "ANTHROPIC_AUTH_TOKEN",
    "ANTHROPIC_BASE_URL",
    "ANTHROPIC_CUSTOM_HEADERS",
];

/// Runs `cargo run -q -p anthropic-completions --example <name> -- <args>` aimed at `server`.
async fn run_example(name: &str, args: &[&str], server: &MockServer) -> Output {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf();
    let mut command = Command::new(env!("CARGO"));
    command.current_dir(workspace).args([
        "run",
        "-q",
        "-p",
        "anthropic-completions",
        "--example",
        name,
    ]);
    if !cfg!(debug_assertions) {
        // Built with `--release`: use the release examples too rather than a second build.
        command.arg("--release");
    }
    if cfg!(feature = "strict") {
        command.args(["--features", "strict"]);
    }
    command.arg("--").args(args);
    for var in VARS {
        command.env_remove(var);
    }
    // Cargo gives this test process variables describing *this* crate; a build script
    // (ring's) tracks `CARGO_MANIFEST_DIR`, so passing them on would make the inner cargo
    // rebuild half the dependency tree every run.
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

/// A prompt in the documented turn format, with two human turns.
const TURNS: &str =
    "\n\nHuman: Hello!\n\nAssistant: Hi, I'm Claude.\n\nHuman: Who are you?\n\nAssistant:";

/// The words are joined and wrapped in one turn: the request is exactly §8's.
#[tokio::test(flavor = "multi_thread")]
async fn complete_example_prints_the_completion() {
    let server = server_with(completion_8()).await;
    let output = run_example(
        "complete",
        &[
            "--model",
            "claude-2.1",
            "--max-tokens",
            "256",
            "Hello,",
            "world!",
        ],
        &server,
    )
    .await;
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    assert_eq!(stdout(&output), " Hello! My name is Claude.\n");
    // It sent exactly the §8 request.
    let req = only_request(&server).await;
    assert_eq!(
        body_json(&req),
        serde_json::from_str::<serde_json::Value>(REQUEST_8).unwrap()
    );
    assert_eq!(header(&req, "x-api-key").as_deref(), Some(API_KEY));
}

#[tokio::test(flavor = "multi_thread")]
async fn complete_example_reports_an_api_error_on_one_line() {
    let server = server_with(error_reply(
        400,
        "invalid_request_error",
        "max_tokens_to_sample: too large",
        "req_x",
    ))
    .await;
    let output = run_example("complete", &["Hello"], &server).await;
    assert!(!output.status.success());
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).is_empty(), "stdout: {}", stdout(&output));
    let err = stderr(&output);
    let line = err
        .lines()
        .find(|l| l.contains("invalid_request_error"))
        .unwrap_or_else(|| panic!("no error line in stderr: {err}"));
    assert!(line.contains("req_x"), "line: {line}");
    // The defaults: model claude-sonnet-4-5, 256 tokens, the prompt wrapped in turns.
    let body = body_json(&only_request(&server).await);
    assert_eq!(
        body,
        serde_json::json!({
            "model": "claude-sonnet-4-5",
            "max_tokens_to_sample": 256,
            "prompt": "\n\nHuman: Hello\n\nAssistant:",
        })
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn complete_example_passes_a_prompt_with_turns_through_unchanged() {
    let server = server_with(completion_8()).await;
    let output = run_example("complete", &[TURNS], &server).await;
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    let body = body_json(&only_request(&server).await);
    assert_eq!(body["prompt"], serde_json::json!(TURNS));
}

#[tokio::test(flavor = "multi_thread")]
async fn stream_example_prints_the_pieces() {
    let server = server_with(sse(STREAM_8)).await;
    let output = run_example(
        "stream",
        &["--model", "claude-2.1", "Hello, world!"],
        &server,
    )
    .await;
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    assert_eq!(stdout(&output), " Hello! My name is Claude.\n");
    let req = only_request(&server).await;
    let mut expected: serde_json::Value = serde_json::from_str(REQUEST_8).unwrap();
    expected["stream"] = serde_json::json!(true);
    assert_eq!(body_json(&req), expected);
    assert_eq!(header(&req, "accept").as_deref(), Some("text/event-stream"));
}

#[tokio::test(flavor = "multi_thread")]
async fn stream_example_passes_a_prompt_with_turns_through_unchanged() {
    let server = server_with(sse(STREAM_8)).await;
    let output = run_example("stream", &["--max-tokens", "9", TURNS], &server).await;
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    assert_eq!(
        body_json(&only_request(&server).await),
        serde_json::json!({
            "model": "claude-sonnet-4-5",
            "prompt": TURNS,
            "max_tokens_to_sample": 9,
            "stream": true,
        })
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn stream_example_reports_an_error_event() {
    let body = format!(
        "{}event: error\ndata: {}\n\n",
        "event: completion\ndata: {\"type\":\"completion\",\"completion\":\" Hel\",\"stop_reason\":null,\"model\":\"claude-2.1\"}\n\n",
        r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#
    );
    let server = server_with(sse(&body)).await;
    let output = run_example("stream", &["Hello"], &server).await;
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), " Hel\n");
    let err = stderr(&output);
    let line = err
        .lines()
        .find(|l| l.contains("overloaded_error"))
        .unwrap_or_else(|| panic!("no error line in stderr: {err}"));
    assert!(line.contains("req_stream"), "line: {line}");
}

#[tokio::test(flavor = "multi_thread")]
async fn complete_example_without_a_prompt_is_a_usage_error() {
    let server = server_with(completion_8()).await;
    let output = run_example("complete", &["--model", "claude-2.1"], &server).await;
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("usage:"), "{}", stderr(&output));
    assert!(received(&server).await.is_empty());
}
