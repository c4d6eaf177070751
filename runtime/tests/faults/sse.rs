//! Event streams from faulty servers.

use super::*;

// ---------------------------------------------------------------------------------------------
// Event streams
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Deserialize, PartialEq)]
struct Item {
    text: String,
}

fn item(text: &str) -> String {
    format!("event: item\ndata: {}\n\n", json!({"text": text}))
}

async fn open(client: &TestApi) -> Result<Events<Item>, Error> {
    client
        .send_stream::<Item>(
            Request::new(Method::POST, "/v1/stream").json(&json!({"stream": true})),
            RequestOptions::new(),
            &EVENTS,
        )
        .await
}

async fn collect(client: &TestApi) -> Vec<Result<Item, Error>> {
    guard(async {
        let stream = open(client).await.unwrap();
        stream.collect::<Vec<_>>().await
    })
    .await
}

#[tokio::test]
async fn sse_cut_mid_event_never_yields_the_partial_event() {
    // Decided: a clean end of a close-delimited body is the end of the stream (the partial
    // event is discarded, per WHATWG) - tests/http covers that. A body that ends before its
    // declared length, or a reset, is a connection error item. In no case is the partial
    // event yielded, and nothing is retried once the stream has started.
    for how in ["content-length then FIN", "close-delimited then RST"] {
        let server = counted(move |_, mut stream| async move {
            let first = item("first");
            let partial = "event: item\ndata: {\"text\":\"partial\"}\n";
            if how.starts_with("content-length") {
                let len = first.len() + partial.len() + 100;
                write(
                    &mut stream,
                    format!("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-length: {len}\r\n\r\n"),
                )
                .await;
            } else {
                write(&mut stream, SSE_HEAD).await;
            }
            write(&mut stream, &first).await;
            write(&mut stream, partial).await;
            tokio::time::sleep(Duration::from_millis(30)).await;
            if how.ends_with("RST") {
                reset(stream);
            } else {
                let _ = stream.shutdown().await;
            }
        })
        .await;
        let items = collect(&client(&server.server.url)).await;
        assert_eq!(items.len(), 2, "{how}: {items:?}");
        assert_eq!(items[0].as_ref().unwrap().text, "first");
        assert!(
            matches!(&items[1], Err(Error::Connection { .. })),
            "{how}: {items:?}"
        );
        assert_eq!(server.requests(), 1, "{how}");
    }
}

/// Printable, quote-free, varied text of `len` bytes (so a lost or reordered chunk shows).
fn varied_text(len: usize) -> String {
    let alphabet = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:-_+=()";
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            alphabet[(x % alphabet.len() as u64) as usize] as char
        })
        .collect()
}

/// A server that sends one `item` event whose text is `text`, in 64 KiB writes.
async fn one_big_event(text: Arc<String>) -> Counted {
    counted(move |_, mut stream| {
        let text = text.clone();
        async move {
            write(&mut stream, SSE_HEAD).await;
            let event = item(&text);
            for chunk in event.as_bytes().chunks(64 * 1024) {
                if stream.write_all(chunk).await.is_err() {
                    return; // the client gave up (over its limit)
                }
            }
            write(&mut stream, item("after")).await;
        }
    })
    .await
}

#[tokio::test]
async fn ten_mib_event_is_delivered_intact_under_the_default_limit() {
    let text = Arc::new(varied_text(10 * 1024 * 1024));
    let server = one_big_event(text.clone()).await;
    let items = collect(&client(&server.server.url)).await;
    assert_eq!(items.len(), 2);
    let got = &items[0].as_ref().unwrap().text;
    assert_eq!(got.len(), text.len());
    assert!(got == text.as_str(), "the 10 MiB event arrived altered");
    assert_eq!(items[1].as_ref().unwrap().text, "after");
}

#[tokio::test]
async fn ten_mib_event_over_a_one_mib_limit_is_a_stream_error() {
    let text = Arc::new(varied_text(10 * 1024 * 1024));
    let server = one_big_event(text).await;
    let client = common::builder(&server.server.url)
        .max_event_size(1024 * 1024)
        .build()
        .unwrap();
    let mut stream = guard(open(&client)).await.unwrap();
    let first = guard(stream.next()).await.unwrap();
    match &first {
        Err(Error::Stream { reason, request_id }) => {
            assert!(reason.contains("1048576"), "{reason}");
            assert_eq!(request_id.as_deref(), Some("req_raw"));
        }
        other => panic!("{other:?}"),
    }
    assert!(guard(stream.next()).await.is_none(), "the stream ends");
}

#[tokio::test]
async fn event_size_limit_boundary_is_exact() {
    // The limit covers the pending line plus data plus type. For `data: <d>` the largest line
    // is 6 + len(d) bytes; after it, the data buffer holds len(d) + 1 and the line is empty.
    // So an event of one data line fits iff 6 + len(d) <= limit.
    const LIMIT: usize = 1024 * 1024;
    let json_overhead = r#"{"text":""}"#.len();
    for (extra, fits) in [(0usize, true), (1, false)] {
        let text = varied_text(LIMIT - 6 - json_overhead + extra);
        let body = format!("data: {}\n\n", json!({ "text": text }));
        let body = Arc::new(body);
        let server = counted(move |_, mut stream| {
            let body = body.clone();
            async move {
                write(&mut stream, SSE_HEAD).await;
                let _ = stream.write_all(body.as_bytes()).await;
            }
        })
        .await;
        static MESSAGE_EVENTS: forge_runtime::StreamEvents = forge_runtime::StreamEvents {
            events: &[],
            otherwise: forge_runtime::EventAction::Yield,
        };
        let client = common::builder(&server.server.url)
            .max_event_size(LIMIT)
            .build()
            .unwrap();
        let items: Vec<Result<Item, Error>> = guard(async {
            client
                .send_stream::<Item>(
                    Request::new(Method::POST, "/s"),
                    RequestOptions::new(),
                    &MESSAGE_EVENTS,
                )
                .await
                .unwrap()
                .collect()
                .await
        })
        .await;
        assert_eq!(items.len(), 1, "extra {extra}");
        if fits {
            assert_eq!(items[0].as_ref().unwrap().text.len(), text.len());
        } else {
            assert!(
                matches!(&items[0], Err(Error::Stream { .. })),
                "extra {extra}: {:?}",
                items[0].as_ref().map(|i| i.text.len())
            );
        }
    }
}

#[tokio::test]
async fn invalid_utf8_anywhere_in_an_event_is_an_error_item_not_a_panic() {
    let cases: [(&str, &[u8]); 7] = [
        ("data", b"event: item\ndata: {\"text\":\"\xc3\x28\"}\n\n"),
        ("event name", b"event: it\xffem\ndata: {\"text\":\"x\"}\n\n"),
        ("comment", b": keep-alive \xfe\n\n"),
        (
            "overlong",
            b"event: item\ndata: {\"text\":\"\xc0\xaf\"}\n\n",
        ),
        (
            "surrogate",
            b"event: item\ndata: {\"text\":\"\xed\xa0\x80\"}\n\n",
        ),
        ("lone continuation", b"\x80\n\n"),
        ("truncated in a terminated line", b"data: \xe2\x82\n\n"),
    ];
    for (name, bad) in cases {
        let server = counted(move |_, mut stream| async move {
            write(&mut stream, SSE_HEAD).await;
            write(&mut stream, item("before")).await;
            write(&mut stream, bad).await;
            write(&mut stream, item("never")).await;
        })
        .await;
        let items = collect(&client(&server.server.url)).await;
        assert_eq!(items.len(), 2, "{name}: {items:?}");
        assert_eq!(items[0].as_ref().unwrap().text, "before", "{name}");
        match &items[1] {
            Err(Error::Stream { reason, .. }) => assert!(reason.contains("UTF-8"), "{reason}"),
            other => panic!("{name}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn truncated_code_point_in_the_unterminated_last_line_is_discarded() {
    // The last line never ends, so it is discarded unread (WHATWG): a clean end, no error.
    let server = counted(|_, mut stream| async move {
        write(&mut stream, SSE_HEAD).await;
        write(&mut stream, item("only")).await;
        write(&mut stream, b"data: {\"text\":\"\xe2\x82").await;
    })
    .await;
    let items = collect(&client(&server.server.url)).await;
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().text, "only");
}

#[tokio::test]
async fn hundred_thousand_pings_in_one_write_do_not_hang() {
    // Linear work per byte: 100k events in one 2 MB write finish well inside the hang guard.
    let server = counted(|_, mut stream| async move {
        write(&mut stream, SSE_HEAD).await;
        let mut body = String::new();
        for _ in 0..100_000 {
            body.push_str("event: ping\ndata: {}\n\n");
        }
        body.push_str(&item("end"));
        write(&mut stream, body).await;
    })
    .await;
    let items = collect(&client(&server.server.url)).await;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].as_ref().unwrap().text, "end");
}
