//! Stream a Text Completion, printing each piece as it arrives.
//!
//! ```text
//! stream [--model ID] [--max-tokens N] PROMPT...
//! ```
//!
//! Defaults: `claude-sonnet-4-5`, 256 tokens. The words of PROMPT are joined with spaces; a
//! prompt that already holds `\n\nHuman:` turns is sent as it is, any other is sent as
//! `"\n\nHuman: {PROMPT}\n\nAssistant:"`. Configuration comes from the environment:
//! `ANTHROPIC_API_KEY` and/or `ANTHROPIC_AUTH_TOKEN`, optionally `ANTHROPIC_BASE_URL` and
//! `ANTHROPIC_CUSTOM_HEADERS` (one `Name: value` per line).
//!
//! ```text
//! ANTHROPIC_API_KEY=sk-ant-... cargo run -p anthropic-completions --example stream -- "Tell me a story"
//! ```
//!
//! Exit status: 0 when the stream ends normally; 1 when the request fails or the stream ends
//! with an error (one line on stderr naming the API error type and the request id); 2 for bad
//! usage.

mod common;

use std::io::Write;
use std::process::ExitCode;

use anthropic_completions::{Client, CompletionCreateParams, Error, StreamExt};

async fn stream(args: common::Args) -> Result<(), Error> {
    let client = Client::from_env()?;
    let params = CompletionCreateParams::new(args.model, args.prompt, args.max_tokens);
    let mut stream = client.completions().create_streaming(&params).await?;
    let mut stdout = std::io::stdout();
    // The text is the concatenation of the pieces; an error item ends the stream.
    let ending = loop {
        match stream.next().await {
            Some(Ok(piece)) => {
                let written = write!(stdout, "{}", piece.completion).and_then(|()| stdout.flush());
                if written.is_err() {
                    break Ok(()); // stdout was closed (`| head`): nobody is reading
                }
            }
            Some(Err(e)) => break Err(e),
            None => break Ok(()),
        }
    };
    let _ = writeln!(stdout);
    ending
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = common::Args::parse("stream");
    common::exit(stream(args).await)
}
