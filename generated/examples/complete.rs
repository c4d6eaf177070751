//! Create a Text Completion and print it.
//!
//! ```text
//! complete [--model ID] [--max-tokens N] PROMPT...
//! ```
//!
//! Defaults: `claude-sonnet-4-5`, 256 tokens. The words of PROMPT are joined with spaces; a
//! prompt that already holds `\n\nHuman:` turns is sent as it is, any other is sent as
//! `"\n\nHuman: {PROMPT}\n\nAssistant:"`. Configuration comes from the environment:
//! `ANTHROPIC_API_KEY` and/or `ANTHROPIC_AUTH_TOKEN`, optionally `ANTHROPIC_BASE_URL` and
//! `ANTHROPIC_CUSTOM_HEADERS` (one `Name: value` per line).
//!
//! ```text
//! ANTHROPIC_API_KEY=sk-ant-... cargo run -p anthropic-completions --example complete -- "Hello, world!"
//! ```
//!
//! Exit status: 0 on success; 1 when the request fails (one line on stderr naming the API
//! error type and the request id); 2 for bad usage.

mod common;

use std::process::ExitCode;

use anthropic_completions::{Client, CompletionCreateParams, Error};

async fn complete(args: common::Args) -> Result<(), Error> {
    let client = Client::from_env()?;
    let params = CompletionCreateParams::new(args.model, args.prompt, args.max_tokens);
    let completion = client.completions().create(&params).await?;
    println!("{}", completion.completion);
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = common::Args::parse("complete");
    common::exit(complete(args).await)
}
