//! Send one user turn to the Messages API and print the text of the reply.
//!
//! ```text
//! messages [--model ID] [--max-tokens N] [--stream] PROMPT...
//! ```
//!
//! Defaults: `claude-sonnet-4-5`, 1024 tokens. The words of PROMPT are joined with spaces and
//! sent as one user message. With `--stream` the reply is streamed and each text delta printed
//! (and flushed) as it arrives; the final message is accumulated from the events as the official
//! SDKs' `get_final_message()` does. Configuration comes from the environment:
//! `ANTHROPIC_API_KEY` and/or `ANTHROPIC_AUTH_TOKEN`, optionally `ANTHROPIC_BASE_URL` and
//! `ANTHROPIC_CUSTOM_HEADERS` (one `Name: value` per line).
//!
//! ```text
//! ANTHROPIC_API_KEY=sk-ant-... cargo run -p anthropic --example messages -- --stream "Hello, Claude"
//! ```
//!
//! Exit status: 0 on success; 1 when the request fails (one line on stderr naming the API error
//! type and the request id); 2 for bad usage.

use std::io::Write;
use std::process::ExitCode;

use anthropic::accumulate::MessageAccumulator;
use anthropic::{
    Client, CreateMessageParams, Error, InputMessage, InputMessageContent, InputMessageRole,
    StreamExt,
};

/// The command line, parsed.
struct Args {
    model: String,
    max_tokens: i64,
    stream: bool,
    prompt: String,
}

const USAGE: &str = "usage: messages [--model ID] [--max-tokens N] [--stream] PROMPT...";

/// `Ok(None)` for `--help`.
fn parse(mut args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let (mut model, mut max_tokens, mut stream) = ("claude-sonnet-4-5".to_owned(), 1024, false);
    let mut words = Vec::new();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--" => words.extend(args.by_ref()),
            "--stream" => stream = true,
            "--model" => model = args.next().ok_or("--model needs a value")?,
            "--max-tokens" => {
                let value = args.next().ok_or("--max-tokens needs a value")?;
                max_tokens =
                    value.parse().ok().filter(|n| *n >= 1).ok_or_else(|| {
                        format!("--max-tokens: not a positive integer: {value:?}")
                    })?;
            }
            option if option.starts_with('-') && option.len() > 1 => {
                return Err(format!("unknown option {option:?}"));
            }
            _ => words.push(arg),
        }
    }
    if words.is_empty() {
        return Err("missing PROMPT".to_owned());
    }
    Ok(Some(Args {
        model,
        max_tokens,
        stream,
        prompt: words.join(" "),
    }))
}

async fn run(args: Args) -> Result<(), Error> {
    let client = Client::from_env()?;
    let turn = InputMessage::new(
        InputMessageContent::String(args.prompt),
        InputMessageRole::User,
    );
    let params = CreateMessageParams::new(args.model, vec![turn], args.max_tokens);
    if !args.stream {
        let message = client.messages().create(&params).await?;
        println!("{}", message.text());
        return Ok(());
    }
    let mut stream = client.messages().create_streaming(&params).await?;
    let mut accumulator = MessageAccumulator::new();
    let mut out = std::io::stdout().lock();
    let mut result = Ok(());
    while let Some(event) = stream.next().await {
        let event = match event {
            Ok(event) => event,
            Err(error) => {
                result = Err(error);
                break;
            }
        };
        if let Some(text) = event.text_delta() {
            // A closed stdout (`| head`) ends the output, not the program with a panic.
            let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
        }
        if let Err(error) = accumulator.push(&event) {
            result = Err(error);
            break;
        }
    }
    // The reply's line ends before an error's; the whole message must be there (a stream cut
    // before `message_stop` is an error).
    let _ = writeln!(out);
    result.and_then(|()| accumulator.into_message().map(drop))
}

/// One line on stderr: for an API error its type, message, status (or "error event") and
/// request id.
fn report(error: &Error) {
    let line = match error.api_error() {
        Some(api) => format!(
            "{}: {} ({}, request-id {})",
            api.error_type()
                .map_or_else(|| "unknown_error".to_owned(), |t| t.to_string()),
            api.message(),
            if api.is_stream_event() {
                "error event in the stream".to_owned()
            } else {
                format!("status {}", api.status().as_u16())
            },
            api.request_id().unwrap_or("none"),
        ),
        None => error.to_string(),
    };
    eprintln!(
        "error: {}",
        line.split_whitespace().collect::<Vec<_>>().join(" ")
    );
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(reason) => {
            eprintln!("error: {reason}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            report(&error);
            ExitCode::FAILURE
        }
    }
}
