//! One client shared across many tasks (`Client` is `Clone + Send + Sync`, one pool).

mod common;

use anthropic_completions::Client;
use common::*;

#[test]
fn client_is_send_sync_and_clone() {
    fn assert_traits<T: Send + Sync + Clone + 'static>() {}
    assert_traits::<Client>();
}

#[test]
fn errors_and_streams_can_cross_threads() {
    fn assert_error<T: std::error::Error + Send + Sync + 'static>() {}
    fn assert_send<T: Send + Unpin + 'static>() {}
    assert_error::<anthropic_completions::Error>();
    assert_error::<anthropic_completions::ApiError>();
    assert_send::<anthropic_completions::EventStream<anthropic_completions::Completion>>();
    // `?` into a boxed error works.
    let boxed: Box<dyn std::error::Error + Send + Sync> =
        anthropic_completions::Client::new("k\nx")
            .unwrap_err()
            .into();
    assert!(!boxed.to_string().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_client_serves_100_concurrent_tasks() {
    let server = server_with(completion_8()).await;
    let client = client(&server.uri());
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.completions().create(&params_8()).await })
        })
        .collect();
    for task in tasks {
        let completion = task.await.expect("task ran").expect("request succeeded");
        assert_eq!(completion.completion, STREAM_TEXT_8);
    }
    assert_eq!(received(&server).await.len(), 100);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_client_serves_concurrent_streams() {
    let server = server_with(sse(STREAM_8)).await;
    let client = std::sync::Arc::new(client(&server.uri()));
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                let stream = client
                    .completions()
                    .create_streaming(&params_8())
                    .await
                    .unwrap();
                collect(stream)
                    .await
                    .into_iter()
                    .map(|c| c.unwrap().completion)
                    .collect::<String>()
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), STREAM_TEXT_8);
    }
    assert_eq!(received(&server).await.len(), 20);
}
