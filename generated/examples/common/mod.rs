//! What the `complete` and `stream` examples share, so each of them shows only the API: the
//! command line, the prompt in the documented turn format, and the one-line error report.
//! Not an example itself (no `main.rs`).

use std::process::ExitCode;

use anthropic_completions::Error;

/// The turn markers of the Text Completions prompt format.
pub const HUMAN: &str = "\n\nHuman:";
/// The turn the model completes.
pub const ASSISTANT: &str = "\n\nAssistant:";

/// `NAME [--model ID] [--max-tokens N] PROMPT...`, parsed.
pub struct Args {
    /// `--model`, default `claude-sonnet-4-5`.
    pub model: String,
    /// `--max-tokens`, default 256.
    pub max_tokens: i64,
    /// The words of PROMPT joined with spaces, in the turn format (see [`prompt`]).
    pub prompt: String,
}

impl Args {
    /// The process's arguments. `-h`/`--help` prints the usage and exits 0; bad usage prints
    /// the reason and the usage on stderr and exits 2.
    pub fn parse(name: &str) -> Args {
        let usage = format!("usage: {name} [--model ID] [--max-tokens N] PROMPT...");
        match parse(std::env::args().skip(1)) {
            Ok(Some(args)) => args,
            Ok(None) => {
                println!("{usage}");
                std::process::exit(0)
            }
            Err(reason) => {
                eprintln!("error: {reason}\n{usage}");
                std::process::exit(2)
            }
        }
    }
}

/// `Ok(None)` for `--help`.
fn parse(mut args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let (mut model, mut max_tokens) = ("claude-sonnet-4-5".to_owned(), 256);
    let mut words = Vec::new();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--" => {
                words.extend(args.by_ref());
            }
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
        prompt: prompt(&words.join(" ")),
    }))
}

/// A prompt that already holds `\n\nHuman:` turns is sent as it is; any other text becomes
/// one turn, `"\n\nHuman: {text}\n\nAssistant:"`.
pub fn prompt(text: &str) -> String {
    if text.contains(HUMAN) {
        text.to_owned()
    } else {
        format!("{HUMAN} {text}{ASSISTANT}")
    }
}

/// Exit 0 on success; otherwise one line on stderr (for an API error: its type, message,
/// status or "error event", and request id) and exit 1.
pub fn exit(result: Result<(), Error>) -> ExitCode {
    let Err(e) = result else {
        return ExitCode::SUCCESS;
    };
    let line = match e.api_error() {
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
        None => e.to_string(),
    };
    // One line, whatever the message holds.
    eprintln!(
        "error: {}",
        line.split_whitespace().collect::<Vec<_>>().join(" ")
    );
    ExitCode::FAILURE
}
