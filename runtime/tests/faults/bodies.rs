//! Responses that never finish, and bodies that are not what was promised.

use super::*;

// ---------------------------------------------------------------------------------------------
// Responses that never finish: the per-attempt timeout covers the whole attempt
// ---------------------------------------------------------------------------------------------

async fn never_finishes(kind: &'static str) -> Counted {
    counted(move |_, mut stream| async move {
        match kind {
            "silent" => {}
            "head-only" => {
                write(
                    &mut stream,
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 50\r\n\r\n{\"a\":",
                )
                .await;
            }
            "trickled-head" => {
                write(&mut stream, "HTTP/1.1 200 OK\r\n").await;
                for _ in 0..600 {
                    write(&mut stream, "x").await;
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
            "trickled-body" => {
                write(
                    &mut stream,
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n[",
                )
                .await;
                // Never idle for more than 30 ms, yet never done: the limit is per attempt,
                // not per gap, for non-streaming requests.
                for _ in 0..2000 {
                    write(&mut stream, "1,").await;
                    tokio::time::sleep(Duration::from_millis(30)).await;
                }
            }
            other => unreachable!("{other}"),
        }
        stall(stream).await;
    })
    .await
}

#[tokio::test]
async fn never_finishing_responses_time_out_per_attempt_with_retries() {
    for kind in ["silent", "head-only", "trickled-head", "trickled-body"] {
        let server = never_finishes(kind).await;
        // The client's own timeout is the 600 s default: the per-request one must win.
        let client = client(&server.server.url);
        let opts = RequestOptions::new().timeout(Duration::from_millis(250));
        let err = guard(get_json(&client, &opts)).await.unwrap_err();
        assert!(
            matches!(err, Error::Timeout { timeout } if timeout == Duration::from_millis(250)),
            "{kind}: {err:?}"
        );
        assert!(err.is_retryable());
        assert_eq!(server.requests(), 3, "{kind}: 1 attempt + max_retries 2");
    }
}

#[tokio::test]
async fn per_request_timeout_can_also_be_longer_than_the_clients() {
    let server = counted(|_, mut stream| async move {
        tokio::time::sleep(Duration::from_millis(400)).await;
        write(&mut stream, response("200 OK", "", b"{\"late\":true}")).await;
    })
    .await;
    let client = common::builder(&server.server.url)
        .timeout(Duration::from_millis(100))
        .max_retries(0)
        .build()
        .unwrap();
    let err = guard(get_json(&client, &RequestOptions::new()))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Timeout { timeout } if timeout == Duration::from_millis(100)),
        "{err:?}"
    );
    let v = guard(get_json(
        &client,
        &RequestOptions::new().timeout(Duration::from_secs(5)),
    ))
    .await
    .unwrap();
    assert_eq!(v, json!({"late": true}));
    assert_eq!(server.requests(), 2);
}

// ---------------------------------------------------------------------------------------------
// Bodies that are not what was promised
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn html_502_is_retried_per_policy_and_the_last_raw_body_kept() {
    let server = counted(|n, mut stream| async move {
        let body = format!("<html><body><h1>502 Bad Gateway</h1><p>attempt {n}</p></body></html>");
        write(
            &mut stream,
            response(
                "502 Bad Gateway",
                "content-type: text/html\r\nrequest-id: req_gw\r\n",
                body.as_bytes(),
            ),
        )
        .await;
    })
    .await;
    let err = guard(get_json(
        &client(&server.server.url),
        &RequestOptions::new(),
    ))
    .await
    .unwrap_err();
    assert_eq!(server.requests(), 3);
    let api = err.api_error().unwrap_or_else(|| panic!("{err:?}"));
    assert_eq!(api.kind(), ApiErrorKind::InternalServer);
    assert_eq!(api.status(), StatusCode::BAD_GATEWAY);
    assert!(api.envelope().is_none());
    assert_eq!(
        api.body().as_ref(),
        b"<html><body><h1>502 Bad Gateway</h1><p>attempt 2</p></body></html>"
    );
    assert_eq!(api.request_id(), Some("req_gw"));
    assert!(err.is_retryable());
}

#[tokio::test]
async fn html_502_twice_then_success() {
    let server = counted(|n, mut stream| async move {
        let out = if n < 2 {
            response(
                "502 Bad Gateway",
                "content-type: text/html\r\n",
                b"<html>down</html>",
            )
        } else {
            response(
                "200 OK",
                "content-type: application/json\r\n",
                b"{\"ok\":1}",
            )
        };
        write(&mut stream, out).await;
    })
    .await;
    let r = guard(client(&server.server.url).send_json::<Value>(
        Request::new(Method::POST, "/v1/x").json(&1),
        RequestOptions::new(),
    ))
    .await
    .unwrap();
    assert_eq!(r.retries_taken(), 2);
    assert_eq!(r.value(), &json!({"ok": 1}));
}

#[tokio::test]
async fn status_codes_outside_the_usual_range() {
    // 599 and 999 are >= 500: InternalServer and retried; 299 is a success.
    for (status, retried) in [("599 Odd", true), ("999 Weird", true)] {
        let server = counted(move |_, mut stream| async move {
            write(&mut stream, response(status, "", b"")).await;
        })
        .await;
        let err = guard(get_json(
            &client(&server.server.url),
            &RequestOptions::new(),
        ))
        .await
        .unwrap_err();
        assert_eq!(
            err.api_error().map(|a| a.kind()),
            Some(ApiErrorKind::InternalServer),
            "{status}: {err:?}"
        );
        assert_eq!(server.requests(), if retried { 3 } else { 1 }, "{status}");
    }
    let server = counted(|_, mut stream| async move {
        write(&mut stream, response("299 Fine", "", b"{\"a\":1}")).await;
    })
    .await;
    let v = guard(get_json(
        &client(&server.server.url),
        &RequestOptions::new(),
    ))
    .await
    .unwrap();
    assert_eq!(v, json!({"a": 1}));
}

#[tokio::test]
async fn non_json_2xx_bodies_are_decode_errors_with_the_body_and_not_retried() {
    let cases: [(&str, &[u8]); 6] = [
        ("text/html", b"<!doctype html><html><body>Welcome to nginx!</body></html>"),
        ("application/json", b""),
        ("application/json", b"{\"a\":1} trailing"),
        ("application/json", b"{\"a\":\"\xff\xfe\"}"),
        ("application/json", b"\xef\xbb\xbf{\"bom\":1}"),
        ("application/json", b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["),
    ];
    for (content_type, body) in cases {
        let server = counted(move |_, mut stream| async move {
            let head = format!("content-type: {content_type}\r\nrequest-id: req_dec\r\n");
            write(&mut stream, response("200 OK", &head, body)).await;
        })
        .await;
        let err = guard(get_json(
            &client(&server.server.url),
            &RequestOptions::new(),
        ))
        .await
        .unwrap_err();
        match &err {
            Error::Decode {
                status,
                body: got,
                request_id,
                headers,
                ..
            } => {
                assert_eq!(*status, StatusCode::OK);
                assert_eq!(got.as_ref(), body);
                assert_eq!(request_id.as_deref(), Some("req_dec"));
                assert_eq!(headers.get("content-type").unwrap(), content_type);
            }
            other => panic!("{:?}: {other:?}", String::from_utf8_lossy(body)),
        }
        assert!(!err.is_retryable());
        assert_eq!(server.requests(), 1, "a decode error is not retried");
    }
}
