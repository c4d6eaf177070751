//! Stream a Text Completion, printing each piece as it arrives.
//!
//! ```text
//! stream [--model ID] [--max-tokens N] PROMPT...
//! ```
//!
//! The prompt (several words are joined with spaces) is sent as
//! `"\n\nHuman: {PROMPT}\n\nAssistant:"`. Configuration comes from the environment:
//! `ANTHROPIC_API_KEY` and/or `ANTHROPIC_AUTH_TOKEN`, and optionally `ANTHROPIC_BASE_URL`
//! and `ANTHROPIC_CUSTOM_HEADERS` (one `Name: value` per line).
//!
//! ```text
//! ANTHROPIC_API_KEY=sk-ant-... cargo run -p anthropic-completions --example stream -- "Tell me a story"
//! ```
//!
//! Exit status: 0 when the stream ends normally, 1 when the request fails or the stream ends
//! with an error (one line on stderr naming the API error type and the request id), 2 for
//! bad usage.

use std::io::Write;
use std::process::ExitCode;

use anthropic_completions::{Client, CompletionCreateParams, Error};
use futures::StreamExt;

const USAGE: &str = "usage: stream [--model ID] [--max-tokens N] PROMPT";
const DEFAULT_MODEL: &str = "claude-sonnet-4-5";
const DEFAULT_MAX_TOKENS: i64 = 256;

struct Args {
    model: String,
    max_tokens: i64,
    prompt: String,
}

enum Parsed {
    Run(Args),
    Help,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Parsed, String> {
    let mut model = DEFAULT_MODEL.to_owned();
    let mut max_tokens = DEFAULT_MAX_TOKENS;
    let mut words = Vec::new();
    let mut options_done = false;
    while let Some(arg) = args.next() {
        if options_done {
            words.push(arg);
            continue;
        }
        match arg.as_str() {
            "-h" | "--help" => return Ok(Parsed::Help),
            "--" => options_done = true,
            "--model" => {
                model = args.next().ok_or("--model needs a value")?;
            }
            "--max-tokens" => {
                let value = args.next().ok_or("--max-tokens needs a value")?;
                max_tokens =
                    value.parse().ok().filter(|n| *n >= 1).ok_or_else(|| {
                        format!("--max-tokens: not a positive integer: {value:?}")
                    })?;
            }
            other if other.starts_with('-') && other.len() > 1 => {
                return Err(format!("unknown option {other:?}"));
            }
            _ => words.push(arg),
        }
    }
    if words.is_empty() {
        return Err("missing PROMPT".to_owned());
    }
    Ok(Parsed::Run(Args {
        model,
        max_tokens,
        prompt: words.join(" "),
    }))
}

/// One line describing a failure: for an API error its type, message, status and request id.
fn describe(e: &Error) -> String {
    let line = match e.api_error() {
        Some(api) => {
            let error_type = api
                .error_type()
                .map_or_else(|| "unknown_error".to_owned(), |t| t.to_string());
            let status = if api.is_stream_event() {
                "error event in stream".to_owned()
            } else {
                format!("status {}", api.status().as_u16())
            };
            format!(
                "{error_type}: {} ({status}, request-id {})",
                api.message(),
                api.request_id().unwrap_or("none")
            )
        }
        None => e.to_string(),
    };
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Parsed::Run(args)) => args,
        Ok(Parsed::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(reason) => {
            eprintln!("error: {reason}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let client = match Client::from_env() {
        Ok(client) => client,
        Err(e) => {
            eprintln!("error: {}", describe(&e));
            return ExitCode::FAILURE;
        }
    };
    let params = CompletionCreateParams::new(
        args.model,
        format!("\n\nHuman: {}\n\nAssistant:", args.prompt),
        args.max_tokens,
    );
    let mut stream = match client.completions().create_streaming(&params).await {
        Ok(stream) => stream,
        Err(e) => {
            eprintln!("error: {}", describe(&e));
            return ExitCode::FAILURE;
        }
    };
    let mut stdout = std::io::stdout();
    let mut failure = None;
    while let Some(item) = stream.next().await {
        match item {
            Ok(piece) => {
                // A closed stdout (e.g. `| head`) is not worth a panic.
                if write!(stdout, "{}", piece.completion)
                    .and_then(|()| stdout.flush())
                    .is_err()
                {
                    return ExitCode::FAILURE;
                }
            }
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
    }
    let _ = writeln!(stdout);
    let _ = stdout.flush();
    match failure {
        None => ExitCode::SUCCESS,
        Some(e) => {
            eprintln!("error: {}", describe(&e));
            ExitCode::FAILURE
        }
    }
}
