//! The README's quick start for this crate, compiled (never run: it would need the API), so a
//! change to the generated names breaks a test rather than the README alone.
#![allow(dead_code)]

use anthropic::accumulate::MessageAccumulator;
use anthropic::{
    AnthropicBeta, BetaFileUploadParams, Client, CreateMessageParams, InputMessage,
    InputMessageContent, InputMessageRole, StreamExt, Upload,
};

async fn quick_start() -> Result<(), anthropic::Error> {
    let client = Client::from_env()?;
    let hello = InputMessage::new(
        InputMessageContent::String("Hello, Claude".into()),
        InputMessageRole::User,
    );
    let params = CreateMessageParams::new("claude-sonnet-4-5", vec![hello], 1024);

    let message = client.messages().create(&params).await?;
    println!("{}", message.text());

    let mut stream = client.messages().create_streaming(&params).await?;
    let mut accumulator = MessageAccumulator::new();
    while let Some(event) = stream.next().await {
        let event = event?;
        if let Some(text) = event.text_delta() {
            print!("{text}");
        }
        accumulator.push(&event)?;
    }
    let message = accumulator.into_message()?;
    println!(
        "\n{:?}, {} output tokens",
        message.stop_reason, message.usage.output_tokens
    );

    let mut models = client.models().list().items();
    while let Some(model) = models.next().await {
        println!("{}", model?.id);
    }
    let results = client.messages().batches().results("msgbatch_01").await?;

    let file = client
        .beta()
        .files()
        .upload(&BetaFileUploadParams::new(
            Upload::new(b"notes".to_vec()).file_name("notes.txt"),
        ))
        .betas(vec![AnthropicBeta::FILES_API_2025_04_14])
        .await?;
    let _ = (results, file);
    Ok(())
}

#[test]
fn the_quick_start_compiles() {
    let _ = quick_start;
}
