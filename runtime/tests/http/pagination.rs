//! Auto-pagination over three pages for each scheme (cursor, page number, `Link` header).

use std::collections::HashMap;
use std::time::Duration;

use forge_runtime::{link_next, Method, NextPage, Request, RequestOptions, Response};
use futures::StreamExt;
use serde::Deserialize;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request as WireRequest, ResponseTemplate};

use crate::common;

fn query(req: &WireRequest) -> HashMap<String, String> {
    req.url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

#[derive(Debug, Deserialize)]
struct CursorPage {
    data: Vec<u32>,
    next_cursor: Option<String>,
}

/// `/items?limit=2[&after=c]`: items 1..=5 two at a time; the cursor is the last item's id.
async fn cursor_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path("/items"))
        .respond_with(|req: &WireRequest| {
            let q = query(req);
            let after: u32 = q
                .get("after")
                .and_then(|c| c.strip_prefix('c'))
                .and_then(|c| c.parse().ok())
                .unwrap_or(0);
            let limit: u32 = q.get("limit").and_then(|l| l.parse().ok()).unwrap_or(10);
            let data: Vec<u32> = (after + 1..=5).take(limit as usize).collect();
            let next = data
                .last()
                .filter(|last| **last < 5)
                .map(|last| format!("c{last}"));
            ResponseTemplate::new(200).set_body_json(json!({"data": data, "next_cursor": next}))
        })
        .mount(&server)
        .await;
    server
}

fn cursor_next(page: &Response<CursorPage>) -> Option<NextPage> {
    let cursor = page.next_cursor.clone()?;
    Some(NextPage::Query(vec![("after".to_owned(), cursor)]))
}

#[tokio::test]
async fn cursor_in_a_response_field() {
    let server = cursor_server().await;
    let client = common::plain(&server.uri());
    let first = Request::new(Method::GET, "/items").query("limit", "2");
    let items: Vec<u32> = client
        .paginate(
            first,
            RequestOptions::new(),
            cursor_next,
            |p: CursorPage| p.data,
        )
        .map(Result::unwrap)
        .collect()
        .await;
    assert_eq!(items, [1, 2, 3, 4, 5]);
    let reqs = server.received_requests().await.unwrap();
    let queries: Vec<Option<&str>> = reqs.iter().map(|r| r.url.query()).collect();
    assert_eq!(
        queries,
        [
            Some("limit=2"),
            Some("limit=2&after=c2"),
            Some("limit=2&after=c4")
        ]
    );
}

#[derive(Debug, Deserialize)]
struct NumberedPage {
    items: Vec<String>,
    page: u32,
    total_pages: u32,
}

#[tokio::test]
async fn offset_or_page_number() {
    let server = MockServer::start().await;
    Mock::given(path("/things"))
        .respond_with(|req: &WireRequest| {
            let page: u32 = query(req)
                .get("page")
                .and_then(|p| p.parse().ok())
                .unwrap_or(1);
            let items: Vec<String> = (0..2).map(|i| format!("p{page}-{i}")).collect();
            ResponseTemplate::new(200)
                .set_body_json(json!({"items": items, "page": page, "total_pages": 3}))
        })
        .mount(&server)
        .await;
    let client = common::plain(&server.uri());
    let items: Vec<String> = client
        .paginate(
            Request::new(Method::GET, "/things"),
            RequestOptions::new(),
            |page: &Response<NumberedPage>| {
                (page.page < page.total_pages)
                    .then(|| NextPage::Query(vec![("page".into(), (page.page + 1).to_string())]))
            },
            |page| page.items,
        )
        .map(Result::unwrap)
        .collect()
        .await;
    assert_eq!(items, ["p1-0", "p1-1", "p2-0", "p2-1", "p3-0", "p3-1"]);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn link_header_relative_and_absolute() {
    let server = MockServer::start().await;
    let absolute = format!("<{}/pages/3?sig=x%20y>; rel=\"next\"", server.uri());
    Mock::given(path("/pages/1"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("link", "</pages/0>; rel=\"prev\", </pages/2>; rel=\"next\"")
                .set_body_json(json!([1, 2])),
        )
        .mount(&server)
        .await;
    Mock::given(path("/pages/2"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("link", absolute.as_str())
                .set_body_json(json!([3])),
        )
        .mount(&server)
        .await;
    Mock::given(path("/pages/3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([4, 5])))
        .mount(&server)
        .await;
    let client = common::plain(&server.uri());
    let items: Vec<u32> = client
        .paginate(
            Request::new(Method::GET, "/pages/1").query("per_page", "2"),
            RequestOptions::new(),
            |page: &Response<Vec<u32>>| link_next(page.headers()).map(NextPage::Url),
            |page| page,
        )
        .map(Result::unwrap)
        .collect()
        .await;
    assert_eq!(items, [1, 2, 3, 4, 5]);
    let reqs = server.received_requests().await.unwrap();
    let urls: Vec<String> = reqs
        .iter()
        .map(|r| r.url.path().to_owned() + "?" + r.url.query().unwrap_or(""))
        .collect();
    assert_eq!(
        urls,
        ["/pages/1?per_page=2", "/pages/2?", "/pages/3?sig=x%20y"]
    );
}

#[tokio::test]
async fn an_error_ends_the_stream_with_one_error_item() {
    let server = MockServer::start().await;
    Mock::given(path("/items"))
        .respond_with(
            |req: &WireRequest| match query(req).get("after").map(String::as_str) {
                None => ResponseTemplate::new(200)
                    .set_body_json(json!({"data": [1, 2], "next_cursor": "c2"})),
                Some(_) => ResponseTemplate::new(404).set_body_json(
                    json!({"error": {"type": "not_found_error", "message": "gone"}}),
                ),
            },
        )
        .mount(&server)
        .await;
    let client = common::plain(&server.uri());
    let items: Vec<_> = client
        .paginate(
            Request::new(Method::GET, "/items"),
            RequestOptions::new(),
            cursor_next,
            |p: CursorPage| p.data,
        )
        .collect()
        .await;
    assert_eq!(items.len(), 3, "{items:?}");
    assert_eq!(*items[0].as_ref().unwrap(), 1);
    assert_eq!(*items[1].as_ref().unwrap(), 2);
    let err = items[2].as_ref().unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn pages_are_fetched_only_as_the_consumer_reads() {
    let server = cursor_server().await;
    let client = common::plain(&server.uri());
    let requests = || async { server.received_requests().await.unwrap().len() };
    let mut stream = client.paginate(
        Request::new(Method::GET, "/items").query("limit", "2"),
        RequestOptions::new(),
        cursor_next,
        |p: CursorPage| p.data,
    );
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(requests().await, 0, "nothing before the first poll");
    assert_eq!(stream.next().await.unwrap().unwrap(), 1);
    assert_eq!(requests().await, 1);
    assert_eq!(stream.next().await.unwrap().unwrap(), 2);
    assert_eq!(
        requests().await,
        1,
        "the second page waits until the first is read"
    );
    assert_eq!(stream.next().await.unwrap().unwrap(), 3);
    assert_eq!(requests().await, 2);
    drop(stream);
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(requests().await, 2, "a dropped stream fetches nothing more");
}

#[tokio::test]
async fn a_next_url_on_another_origin_is_an_error_never_followed() {
    let other = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([99])))
        .mount(&other)
        .await;
    let server = MockServer::start().await;
    let link = format!("<{}/stolen>; rel=\"next\"", other.uri());
    Mock::given(path("/p"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("link", link.as_str())
                .set_body_json(json!([1])),
        )
        .mount(&server)
        .await;
    let client = common::plain(&server.uri());
    let items: Vec<_> = client
        .paginate(
            Request::new(Method::GET, "/p"),
            RequestOptions::new(),
            |page: &Response<Vec<u32>>| link_next(page.headers()).map(NextPage::Url),
            |page| page,
        )
        .collect()
        .await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(*items[0].as_ref().unwrap(), 1);
    let err = items[1].as_ref().unwrap_err();
    assert!(err.to_string().contains("another origin"), "{err}");
    assert!(other.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_next_page_that_repeats_the_request_ends_the_stream() {
    // A server whose cursor never moves must not make the stream loop forever.
    let server = MockServer::start().await;
    Mock::given(path("/stuck"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("link", "</stuck?a=1>; rel=next")
                .set_body_json(json!({"data": [7], "next_cursor": "same"})),
        )
        .mount(&server)
        .await;
    let client = common::plain(&server.uri());
    let items: Vec<u32> = client
        .paginate(
            Request::new(Method::GET, "/stuck").query("after", "same"),
            RequestOptions::new(),
            cursor_next,
            |p: CursorPage| p.data,
        )
        .map(Result::unwrap)
        .collect()
        .await;
    assert_eq!(items, [7]);
    let items: Vec<u32> = client
        .paginate(
            Request::new(Method::GET, "/stuck").query("a", "1"),
            RequestOptions::new(),
            |page: &Response<CursorPage>| link_next(page.headers()).map(NextPage::Url),
            |p: CursorPage| p.data,
        )
        .map(Result::unwrap)
        .collect()
        .await;
    assert_eq!(items, [7]);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[test]
fn paginated_is_send_and_unpin() {
    fn check<S: futures::Stream + Send + Unpin>(_: &S) {}
    let client = common::plain("http://127.0.0.1:1");
    let stream = client.paginate(
        Request::new(Method::GET, "/"),
        RequestOptions::new(),
        cursor_next,
        |p: CursorPage| p.data,
    );
    check(&stream);
}
