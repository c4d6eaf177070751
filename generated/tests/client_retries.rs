//! Retries, server retry hints, and timeouts (`api-reference.md` §5). Attempts are counted
//! on the server side.

mod common;

use std::time::{Duration, Instant};

use anthropic_completions::{ApiErrorKind, Client, Error, RequestOptions};
use common::*;
use tokio::io::AsyncWriteExt;
use wiremock::ResponseTemplate;

fn overloaded() -> ResponseTemplate {
    error_reply(529, "overloaded_error", "Overloaded", "req_529")
}

/// A client with the real backoff (no scaling): used to show a server hint replaced it.
fn unscaled_client(base: &str) -> Client {
    Client::builder()
        .api_key(API_KEY)
        .base_url(base)
        .build()
        .unwrap()
}

/// The first retry's default backoff is in (0.375, 0.5] s; a hinted retry finishing well
/// under that shows the hint was used.
const DEFAULT_FIRST_BACKOFF: Duration = Duration::from_millis(375);

/// `create` against a server that answers `first` once and then the §8 completion, with
/// the real backoff; returns how long it took and checks it took two attempts.
async fn time_retry_after(first: ResponseTemplate) -> Duration {
    let server = server_with(Sequence::new(vec![first, completion_8()])).await;
    let client = unscaled_client(&server.uri());
    let start = Instant::now();
    client.completions().create(&params_8()).await.unwrap();
    let elapsed = start.elapsed();
    assert_eq!(received(&server).await.len(), 2);
    elapsed
}

#[tokio::test]
async fn rate_limit_429_then_200_succeeds_in_two_attempts() {
    let server = server_with(Sequence::new(vec![
        error_reply(429, "rate_limit_error", "slow down", "req_429"),
        completion_8(),
    ]))
    .await;
    let completion = client(&server.uri())
        .completions()
        .create(&params_8())
        .await
        .unwrap();
    assert_eq!(completion.completion, " Hello! My name is Claude.");
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn retry_count_header_counts_attempts() {
    let server = server_with(Sequence::new(vec![
        error_reply(429, "rate_limit_error", "slow down", "req_429"),
        completion_8(),
    ]))
    .await;
    client(&server.uri())
        .completions()
        .create(&params_8())
        .await
        .unwrap();
    let counts: Vec<Option<String>> = received(&server)
        .await
        .iter()
        .map(|r| header(r, "x-stainless-retry-count"))
        .collect();
    assert_eq!(counts, [Some("0".to_owned()), Some("1".to_owned())]);
}

#[tokio::test]
async fn every_attempt_resends_the_same_body_and_headers() {
    let server = server_with(Sequence::new(vec![
        overloaded(),
        overloaded(),
        completion_8(),
    ]))
    .await;
    client(&server.uri())
        .completions()
        .create(&params_8())
        .await
        .unwrap();
    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    for r in &requests {
        assert_eq!(
            body_json(r),
            serde_json::from_str::<serde_json::Value>(REQUEST_8).unwrap()
        );
        assert_eq!(r.body, requests[0].body);
        assert_eq!(header(r, "x-api-key").as_deref(), Some(API_KEY));
        assert_eq!(header(r, "idempotency-key"), None);
    }
}

#[tokio::test]
async fn create_raw_reports_retries_taken() {
    let server = server_with(Sequence::new(vec![
        overloaded(),
        overloaded(),
        completion_8(),
    ]))
    .await;
    let raw = client(&server.uri())
        .completions()
        .create_raw(&params_8(), RequestOptions::new())
        .await
        .unwrap();
    assert_eq!(raw.retries_taken(), 2);
    assert_eq!(raw.request_id(), Some(REQUEST_ID_8));
}

#[tokio::test]
async fn overloaded_529_is_retried() {
    let server = server_with(Sequence::new(vec![overloaded(), completion_8()])).await;
    client(&server.uri())
        .completions()
        .create(&params_8())
        .await
        .unwrap();
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn internal_server_500_is_retried() {
    let server = server_with(Sequence::new(vec![
        error_reply(500, "api_error", "oops", "req_500"),
        completion_8(),
    ]))
    .await;
    client(&server.uri())
        .completions()
        .create(&params_8())
        .await
        .unwrap();
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn request_timeout_408_is_retried() {
    let server = server_with(Sequence::new(vec![
        ResponseTemplate::new(408),
        completion_8(),
    ]))
    .await;
    client(&server.uri())
        .completions()
        .create(&params_8())
        .await
        .unwrap();
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn conflict_409_is_retried() {
    let server = server_with(Sequence::new(vec![
        error_reply(409, "conflict_error", "conflict", "req_409"),
        completion_8(),
    ]))
    .await;
    client(&server.uri())
        .completions()
        .create(&params_8())
        .await
        .unwrap();
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn default_max_retries_makes_three_attempts_then_errors() {
    let server = server_with(overloaded()).await;
    let err = client(&server.uri())
        .completions()
        .create(&params_8())
        .await
        .unwrap_err();
    let e = api_error(err);
    assert_eq!(e.kind(), ApiErrorKind::Overloaded);
    assert_eq!(e.request_id(), Some("req_529"));
    let counts: Vec<Option<String>> = received(&server)
        .await
        .iter()
        .map(|r| header(r, "x-stainless-retry-count"))
        .collect();
    assert_eq!(
        counts,
        [
            Some("0".to_owned()),
            Some("1".to_owned()),
            Some("2".to_owned())
        ]
    );
}

#[tokio::test]
async fn max_retries_zero_makes_one_attempt() {
    let server = server_with(overloaded()).await;
    let err = builder(&server.uri())
        .max_retries(0)
        .build()
        .unwrap()
        .completions()
        .create(&params_8())
        .await
        .unwrap_err();
    assert_eq!(api_error(err).kind(), ApiErrorKind::Overloaded);
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn per_request_max_retries_overrides_the_client() {
    let server = server_with(overloaded()).await;
    let err = client(&server.uri())
        .completions()
        .create_with(&params_8(), RequestOptions::new().max_retries(4))
        .await
        .unwrap_err();
    assert_eq!(api_error(err).kind(), ApiErrorKind::Overloaded);
    assert_eq!(received(&server).await.len(), 5);
}

#[tokio::test]
async fn retry_after_ms_is_honoured() {
    let elapsed = time_retry_after(overloaded().insert_header("retry-after-ms", "10")).await;
    assert!(elapsed < DEFAULT_FIRST_BACKOFF, "took {elapsed:?}");
}

#[tokio::test]
async fn retry_after_ms_waits_at_least_that_long() {
    let elapsed = time_retry_after(overloaded().insert_header("retry-after-ms", "150")).await;
    assert!(elapsed >= Duration::from_millis(150), "took {elapsed:?}");
}

#[tokio::test]
async fn retry_after_seconds_is_honoured() {
    let elapsed = time_retry_after(overloaded().insert_header("retry-after", "0.02")).await;
    assert!(elapsed < DEFAULT_FIRST_BACKOFF, "took {elapsed:?}");
}

#[tokio::test]
async fn retry_after_ms_wins_over_retry_after() {
    let first = overloaded()
        .insert_header("retry-after-ms", "10")
        .insert_header("retry-after", "30");
    let elapsed = time_retry_after(first).await;
    assert!(elapsed < DEFAULT_FIRST_BACKOFF, "took {elapsed:?}");
}

#[tokio::test]
async fn retry_after_zero_retries_at_once() {
    let elapsed = time_retry_after(overloaded().insert_header("retry-after", "0")).await;
    assert!(elapsed < DEFAULT_FIRST_BACKOFF, "took {elapsed:?}");
}

#[tokio::test]
async fn retry_after_http_date_in_the_past_retries_at_once() {
    let first = overloaded().insert_header("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT");
    let elapsed = time_retry_after(first).await;
    assert!(elapsed < DEFAULT_FIRST_BACKOFF, "took {elapsed:?}");
}

#[tokio::test]
async fn unparsable_retry_after_falls_back_to_backoff() {
    let elapsed = time_retry_after(overloaded().insert_header("retry-after", "soon")).await;
    assert!(elapsed >= DEFAULT_FIRST_BACKOFF, "took {elapsed:?}");
}

#[tokio::test]
async fn x_should_retry_false_stops_a_retry_of_500() {
    let reply =
        error_reply(500, "api_error", "oops", "req_500").insert_header("x-should-retry", "false");
    let server = server_with(reply).await;
    let err = client(&server.uri())
        .completions()
        .create(&params_8())
        .await
        .unwrap_err();
    assert_eq!(api_error(err).kind(), ApiErrorKind::InternalServer);
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn x_should_retry_true_retries_a_400() {
    let reply = error_reply(400, "invalid_request_error", "bad", "req_400")
        .insert_header("x-should-retry", "true");
    let server = server_with(reply).await;
    let err = client(&server.uri())
        .completions()
        .create(&params_8())
        .await
        .unwrap_err();
    assert_eq!(api_error(err).kind(), ApiErrorKind::BadRequest);
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn bad_request_400_is_not_retried() {
    let server = server_with(error_reply(400, "invalid_request_error", "bad", "req_400")).await;
    let err = client(&server.uri())
        .completions()
        .create(&params_8())
        .await
        .unwrap_err();
    assert_eq!(api_error(err).kind(), ApiErrorKind::BadRequest);
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn authentication_401_is_not_retried() {
    let server = server_with(error_reply(
        401,
        "authentication_error",
        "bad key",
        "req_401",
    ))
    .await;
    let err = client(&server.uri())
        .completions()
        .create(&params_8())
        .await
        .unwrap_err();
    assert_eq!(api_error(err).kind(), ApiErrorKind::Authentication);
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn dropped_connections_are_retried_then_a_connection_error() {
    let server = raw_server(|_, mut stream| async move {
        read_request(&mut stream).await;
        drop(stream);
    })
    .await;
    let err = client(&server.url)
        .completions()
        .create(&params_8())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Connection { .. }), "got {err:?}");
    assert!(err.is_retryable());
    assert_eq!(server.connections(), 3);
}

#[tokio::test]
async fn dropped_connection_then_success_succeeds() {
    let server = raw_server(|n, mut stream| async move {
        read_request(&mut stream).await;
        if n == 0 {
            return;
        }
        let response = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{}",
            RESPONSE_8.len(),
            RESPONSE_8
        );
        let _ = stream.write_all(response.as_bytes()).await;
        let _ = stream.shutdown().await;
    })
    .await;
    let completion = client(&server.url)
        .completions()
        .create(&params_8())
        .await
        .unwrap();
    assert_eq!(completion.completion, " Hello! My name is Claude.");
    assert_eq!(server.connections(), 2);
}

/// A server that reads the request and never answers (keeps the connection open).
async fn silent_server() -> RawServer {
    raw_server(|_, mut stream| async move {
        read_request(&mut stream).await;
        tokio::time::sleep(Duration::from_secs(30)).await;
        drop(stream);
    })
    .await
}

#[tokio::test]
async fn per_request_timeout_gives_a_timeout_error() {
    let server = silent_server().await;
    let client = builder(&server.url).max_retries(0).build().unwrap();
    let start = Instant::now();
    let err = client
        .completions()
        .create_with(
            &params_8(),
            RequestOptions::new().timeout(Duration::from_millis(100)),
        )
        .await
        .unwrap_err();
    let elapsed = start.elapsed();
    match err {
        Error::Timeout { timeout } => assert_eq!(timeout, Duration::from_millis(100)),
        other => panic!("expected Error::Timeout, got {other:?}"),
    }
    assert!(elapsed >= Duration::from_millis(100), "took {elapsed:?}");
    assert!(elapsed < Duration::from_secs(2), "took {elapsed:?}");
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn client_timeout_gives_a_timeout_error() {
    let server = silent_server().await;
    let client = builder(&server.url)
        .max_retries(0)
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let start = Instant::now();
    let err = client.completions().create(&params_8()).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "got {err:?}");
    assert!(start.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn timeouts_are_retried() {
    let server = silent_server().await;
    let err = builder(&server.url)
        .max_retries(1)
        .build()
        .unwrap()
        .completions()
        .create_with(
            &params_8(),
            RequestOptions::new().timeout(Duration::from_millis(100)),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "got {err:?}");
    assert_eq!(server.connections(), 2);
}

#[tokio::test]
async fn negative_retry_after_ms_retries_at_once() {
    let elapsed = time_retry_after(overloaded().insert_header("retry-after-ms", "-500")).await;
    assert!(elapsed < DEFAULT_FIRST_BACKOFF, "took {elapsed:?}");
}

#[tokio::test]
async fn retry_after_over_60_seconds_is_clamped_to_60() {
    // With waits scaled by 1/1000, a clamped hour is 60 ms; an unclamped one 3.6 s.
    let server = server_with(Sequence::new(vec![
        overloaded().insert_header("retry-after", "3600"),
        completion_8(),
    ]))
    .await;
    let client = builder(&server.uri()).backoff_scale(0.001).build().unwrap();
    let start = Instant::now();
    client.completions().create(&params_8()).await.unwrap();
    let elapsed = start.elapsed();
    assert!(elapsed >= Duration::from_millis(55), "took {elapsed:?}");
    assert!(elapsed < Duration::from_secs(1), "took {elapsed:?}");
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn unparsable_retry_after_ms_falls_through_to_retry_after() {
    let first = overloaded()
        .insert_header("retry-after-ms", "soon")
        .insert_header("retry-after", "0.01");
    let elapsed = time_retry_after(first).await;
    assert!(elapsed < DEFAULT_FIRST_BACKOFF, "took {elapsed:?}");
}
