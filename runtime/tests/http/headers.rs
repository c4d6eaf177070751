//! Headers, auth, URL joining: what reaches the wire.

use forge_runtime::{Client, Method, Request, RequestOptions};
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{self, api_builder, Error, QueryCookieApi, TestApi, KEY, TOKEN};

async fn ok_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"ok": true})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"ok": true})))
        .mount(&server)
        .await;
    server
}

async fn post(client: &TestApi, req: Request, opts: &RequestOptions) -> Result<Value, Error> {
    client
        .send_json::<Value>(req, opts.clone())
        .await
        .map(|r| r.into_value())
}

/// Send one request and return the headers the server saw.
async fn seen_headers(
    client: &TestApi,
    req: Request,
    opts: &RequestOptions,
    server: &MockServer,
) -> forge_runtime::HeaderMap {
    post(client, req, opts).await.unwrap();
    let reqs = server.received_requests().await.unwrap();
    reqs.last().unwrap().headers.clone()
}

fn h<'a>(headers: &'a forge_runtime::HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).map(|v| v.to_str().unwrap())
}

#[tokio::test]
async fn builtin_headers_on_the_wire() {
    let server = ok_server().await;
    let client = common::client(&server.uri());
    let req = Request::new(Method::POST, "/v1/x").json(&serde_json::json!({"a": 1}));
    let headers = seen_headers(&client, req, &RequestOptions::new(), &server).await;
    assert_eq!(h(&headers, "user-agent"), Some("TestClient/Rust 9.8.7"));
    assert_eq!(h(&headers, "content-type"), Some("application/json"));
    assert_eq!(h(&headers, "accept"), Some("application/json"));
    assert_eq!(h(&headers, "test-version"), Some("1"));
    assert_eq!(h(&headers, "x-retry-count"), Some("0"));
    assert_eq!(h(&headers, "x-test-key"), Some(KEY));
    assert_eq!(h(&headers, "authorization"), None);
}

#[tokio::test]
async fn no_content_type_without_body() {
    let server = ok_server().await;
    let client = common::client(&server.uri());
    let headers = seen_headers(
        &client,
        Request::new(Method::GET, "/x"),
        &RequestOptions::new(),
        &server,
    )
    .await;
    assert_eq!(h(&headers, "content-type"), None);
}

#[tokio::test]
async fn json_body_is_compact_bytes() {
    let server = ok_server().await;
    let client = common::client(&server.uri());
    let req = Request::new(Method::POST, "/x").json(&serde_json::json!({"a": [1, 2], "b": "c"}));
    post(&client, req, &RequestOptions::new()).await.unwrap();
    let body = server.received_requests().await.unwrap()[0].body.clone();
    assert_eq!(body, br#"{"a":[1,2],"b":"c"}"#);
}

#[tokio::test]
async fn both_auth_kinds_sent_when_both_configured() {
    let server = ok_server().await;
    let client = common::builder(&server.uri())
        .credential("BearerAuth", TOKEN)
        .build()
        .unwrap();
    let headers = seen_headers(
        &client,
        Request::new(Method::GET, "/x"),
        &RequestOptions::new(),
        &server,
    )
    .await;
    assert_eq!(h(&headers, "x-test-key"), Some(KEY));
    assert_eq!(
        h(&headers, "authorization"),
        Some(&*format!("Bearer {TOKEN}"))
    );
}

#[tokio::test]
async fn bearer_only() {
    let server = ok_server().await;
    let client = api_builder()
        .base_url(server.uri())
        .credential("BearerAuth", TOKEN)
        .build()
        .unwrap();
    let headers = seen_headers(
        &client,
        Request::new(Method::GET, "/x"),
        &RequestOptions::new(),
        &server,
    )
    .await;
    assert_eq!(h(&headers, "x-test-key"), None);
    assert_eq!(
        h(&headers, "authorization"),
        Some(&*format!("Bearer {TOKEN}"))
    );
}

#[tokio::test]
async fn an_operation_with_security_gets_only_the_credentials_it_names() {
    let server = ok_server().await;
    let client = common::builder(&server.uri())
        .credential("BearerAuth", TOKEN)
        .build()
        .unwrap();
    let bearer = Request::new(Method::GET, "/x").security(&[&["BearerAuth"]]);
    let headers = seen_headers(&client, bearer, &RequestOptions::new(), &server).await;
    assert_eq!(h(&headers, "x-test-key"), None);
    assert_eq!(
        h(&headers, "authorization"),
        Some(&*format!("Bearer {TOKEN}"))
    );
    let key = Request::new(Method::GET, "/x").security(&[&["KeyAuth"]]);
    let headers = seen_headers(&client, key, &RequestOptions::new(), &server).await;
    assert_eq!(h(&headers, "x-test-key"), Some(KEY));
    assert_eq!(h(&headers, "authorization"), None);
    // Alternatives: every named one that is configured is sent.
    let either = Request::new(Method::GET, "/x").security(&[&["KeyAuth"], &["BearerAuth"]]);
    let headers = seen_headers(&client, either, &RequestOptions::new(), &server).await;
    assert_eq!(h(&headers, "x-test-key"), Some(KEY));
    assert!(h(&headers, "authorization").is_some());
    // No requirement: no credential, and none needed.
    let open = Request::new(Method::GET, "/x").security(&[]);
    let headers = seen_headers(&client, open, &RequestOptions::new(), &server).await;
    assert_eq!(h(&headers, "x-test-key"), None);
    assert_eq!(h(&headers, "authorization"), None);
    // The builder's own default header is the caller's, whatever the operation names.
    let client = common::builder(&server.uri())
        .default_header("authorization", "Custom x")
        .build()
        .unwrap();
    let key = Request::new(Method::GET, "/x").security(&[&["KeyAuth"]]);
    let headers = seen_headers(&client, key, &RequestOptions::new(), &server).await;
    assert_eq!(h(&headers, "authorization"), Some("Custom x"));
}

#[tokio::test]
async fn of_two_named_credentials_in_one_header_the_first_named_is_sent() {
    let server = ok_server().await;
    let client = Client::<common::BearerBasicApi>::builder()
        .base_url(server.uri())
        .credential("BearerAuth", TOKEN)
        .credential("BasicAuth", "u:p")
        .build()
        .unwrap();
    let basic = Request::new(Method::GET, "/x").security(&[&["BasicAuth"], &["BearerAuth"]]);
    client
        .send_json::<Value>(basic, RequestOptions::new())
        .await
        .unwrap();
    let bearer = Request::new(Method::GET, "/x").security(&[&["BearerAuth"]]);
    client
        .send_json::<Value>(bearer, RequestOptions::new())
        .await
        .unwrap();
    let seen = server.received_requests().await.unwrap();
    assert_eq!(h(&seen[0].headers, "authorization"), Some("Basic dTpw"));
    assert_eq!(
        h(&seen[1].headers, "authorization"),
        Some(&*format!("Bearer {TOKEN}"))
    );
}

#[tokio::test]
async fn a_required_operation_without_its_credential_fails_before_io() {
    let server = ok_server().await;
    let client = Client::<common::BearerBasicApi>::builder()
        .base_url(server.uri())
        .credential("BasicAuth", "u:p")
        .build()
        .unwrap();
    let req = Request::new(Method::GET, "/x").security(&[&["BearerAuth"]]);
    let err = client
        .send_json::<Value>(req, RequestOptions::new())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("`BearerAuth`"), "{err}");
    assert!(!err.to_string().contains("`BasicAuth`"), "{err}");
    assert!(server.received_requests().await.unwrap().is_empty());
    // An optional requirement (an empty alternative) goes out without one.
    let req = Request::new(Method::GET, "/x").security(&[&[], &["BearerAuth"]]);
    client
        .send_json::<Value>(req, RequestOptions::new())
        .await
        .unwrap();
    let seen = server.received_requests().await.unwrap();
    assert_eq!(h(&seen[0].headers, "authorization"), None);
}

#[tokio::test]
async fn a_query_credential_goes_only_to_operations_that_name_it() {
    let server = ok_server().await;
    let client = Client::<QueryCookieApi>::builder()
        .base_url(server.uri())
        .credential("QueryKey", "q")
        .credential("CookieKey", "c1")
        .build()
        .unwrap();
    let req = Request::new(Method::GET, "/x").security(&[&["CookieKey"]]);
    client
        .send_json::<Value>(req, RequestOptions::new())
        .await
        .unwrap();
    let r = &server.received_requests().await.unwrap()[0];
    assert_eq!(r.url.query(), None);
    assert_eq!(h(&r.headers, "cookie"), Some("session=c1"));
}

#[tokio::test]
async fn a_query_parameter_named_like_a_query_credential_replaces_it() {
    let server = ok_server().await;
    let client = Client::<QueryCookieApi>::builder()
        .base_url(server.uri())
        .credential("QueryKey", "from-client")
        .build()
        .unwrap();
    let req = Request::new(Method::GET, "/x").query("api_key", "from-call");
    client
        .send_json::<Value>(req, RequestOptions::new())
        .await
        .unwrap();
    let opts = RequestOptions::new().query("api_key", "from-options");
    client
        .send_json::<Value>(Request::new(Method::GET, "/x"), opts)
        .await
        .unwrap();
    let seen = server.received_requests().await.unwrap();
    assert_eq!(seen[0].url.query(), Some("api_key=from-call"));
    assert_eq!(seen[1].url.query(), Some("api_key=from-options"));
}

#[tokio::test]
async fn query_and_cookie_auth() {
    let server = ok_server().await;
    let client = Client::<QueryCookieApi>::builder()
        .base_url(server.uri())
        .credential("QueryKey", "q s&1")
        .credential("CookieKey", "c1")
        .build()
        .unwrap();
    let req = Request::new(Method::GET, "/x").query("a", "1");
    client
        .send_json::<Value>(req, RequestOptions::new())
        .await
        .unwrap();
    let r = &server.received_requests().await.unwrap()[0];
    assert_eq!(r.url.query(), Some("a=1&api_key=q+s%261"));
    assert_eq!(h(&r.headers, "cookie"), Some("session=c1"));
}

#[tokio::test]
async fn unknown_credential_scheme_is_config_error() {
    let err = api_builder()
        .base_url("http://127.0.0.1:1")
        .credential("NoSuchScheme", KEY)
        .build()
        .unwrap_err();
    assert!(
        matches!(&err, Error::Config { reason } if reason.contains("NoSuchScheme")),
        "{err}"
    );
}

#[tokio::test]
async fn no_credential_fails_before_io() {
    let server = ok_server().await;
    let client = api_builder().base_url(server.uri()).build().unwrap();
    let err = post(
        &client,
        Request::new(Method::GET, "/x"),
        &RequestOptions::new(),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err}");
    assert!(err.to_string().contains("KeyAuth"), "{err}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn empty_credential_counts_as_unset() {
    let server = ok_server().await;
    let client = api_builder()
        .base_url(server.uri())
        .credential("KeyAuth", "")
        .build()
        .unwrap();
    let err = post(
        &client,
        Request::new(Method::GET, "/x"),
        &RequestOptions::new(),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn caller_set_auth_header_satisfies_auth_required() {
    let server = ok_server().await;
    let client = api_builder().base_url(server.uri()).build().unwrap();
    let opts = RequestOptions::new().header("Authorization", "Bearer from-caller");
    let headers = seen_headers(&client, Request::new(Method::GET, "/x"), &opts, &server).await;
    assert_eq!(h(&headers, "authorization"), Some("Bearer from-caller"));

    let client = api_builder()
        .base_url(server.uri())
        .default_header("x-test-key", "from-default")
        .build()
        .unwrap();
    let headers = seen_headers(
        &client,
        Request::new(Method::GET, "/x"),
        &RequestOptions::new(),
        &server,
    )
    .await;
    assert_eq!(h(&headers, "x-test-key"), Some("from-default"));
}

#[tokio::test]
async fn per_request_header_precedence() {
    let server = ok_server().await;
    let client = common::builder(&server.uri())
        .default_header("x-layer", "builder")
        .default_header("test-version", "builder")
        .build()
        .unwrap();
    // builder default beats the API's built-in default header
    let headers = seen_headers(
        &client,
        Request::new(Method::GET, "/x"),
        &RequestOptions::new(),
        &server,
    )
    .await;
    assert_eq!(h(&headers, "x-layer"), Some("builder"));
    assert_eq!(h(&headers, "test-version"), Some("builder"));
    // Request::header beats builder defaults
    let req = Request::new(Method::GET, "/x").header("X-Layer", "request");
    let headers = seen_headers(&client, req, &RequestOptions::new(), &server).await;
    assert_eq!(h(&headers, "x-layer"), Some("request"));
    // RequestOptions::header beats Request::header
    let req = Request::new(Method::GET, "/x").header("x-layer", "request");
    let opts = RequestOptions::new().header("x-layer", "options");
    let headers = seen_headers(&client, req, &opts, &server).await;
    assert_eq!(h(&headers, "x-layer"), Some("options"));
    assert_eq!(headers.get_all("x-layer").iter().count(), 1);
}

#[tokio::test]
async fn per_request_headers_override_builtins() {
    let server = ok_server().await;
    let client = common::client(&server.uri());
    let req = Request::new(Method::POST, "/x")
        .json(&1)
        .header("accept", "application/x-custom")
        .header("test-version", "2");
    let opts = RequestOptions::new()
        .header("content-type", "application/vnd.test+json")
        .header("user-agent", "mine/1")
        .header("x-test-key", "other-key");
    let headers = seen_headers(&client, req, &opts, &server).await;
    assert_eq!(h(&headers, "accept"), Some("application/x-custom"));
    assert_eq!(h(&headers, "test-version"), Some("2"));
    assert_eq!(
        h(&headers, "content-type"),
        Some("application/vnd.test+json")
    );
    assert_eq!(h(&headers, "user-agent"), Some("mine/1"));
    assert_eq!(h(&headers, "x-test-key"), Some("other-key"));
}

#[tokio::test]
async fn user_agent_overridable_on_builder() {
    let server = ok_server().await;
    let client = common::builder(&server.uri())
        .user_agent("custom-agent/2")
        .build()
        .unwrap();
    let headers = seen_headers(
        &client,
        Request::new(Method::GET, "/x"),
        &RequestOptions::new(),
        &server,
    )
    .await;
    assert_eq!(h(&headers, "user-agent"), Some("custom-agent/2"));
}

#[tokio::test]
async fn caller_set_retry_count_is_kept() {
    let server = ok_server().await;
    let client = common::client(&server.uri());
    let req = Request::new(Method::GET, "/x").header("x-retry-count", "7");
    let headers = seen_headers(&client, req, &RequestOptions::new(), &server).await;
    assert_eq!(h(&headers, "x-retry-count"), Some("7"));
}

#[tokio::test]
async fn crlf_in_request_header_rejected_before_io() {
    let server = ok_server().await;
    let client = common::client(&server.uri());
    let req = Request::new(Method::GET, "/x").header("x-custom", "a\r\nx-injected: 1");
    let err = post(&client, req, &RequestOptions::new())
        .await
        .unwrap_err();
    match &err {
        Error::InvalidRequest { reason } => {
            assert!(reason.contains("x-custom"), "{reason}");
            assert!(!reason.contains("injected"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    let opts = RequestOptions::new().header("x-other", "a\nb");
    let err = post(&client, Request::new(Method::GET, "/x"), &opts)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRequest { reason } if reason.contains("x-other")),
        "{err}"
    );
    let opts = RequestOptions::new().header("bad name", "v");
    let err = post(&client, Request::new(Method::GET, "/x"), &opts)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn crlf_in_builder_header_or_credential_is_config_error() {
    let err = common::builder("http://127.0.0.1:1")
        .default_header("x-custom", "a\rb")
        .build()
        .unwrap_err();
    assert!(
        matches!(&err, Error::Config { reason } if reason.contains("x-custom")),
        "{err}"
    );

    let err = api_builder()
        .base_url("http://127.0.0.1:1")
        .credential("KeyAuth", "sk-SECRET\r\nx-evil: 1")
        .build()
        .unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(text.contains("x-test-key"), "{text}");
    assert!(!text.contains("SECRET"), "{text}");
}

#[tokio::test]
async fn base_url_prefix_joined_with_one_slash() {
    for (base_suffix, req_path) in [
        ("/prefix", "/v1/complete"),
        ("/prefix/", "/v1/complete"),
        ("/prefix", "v1/complete"),
        ("/prefix//", "//v1/complete"),
    ] {
        let server = MockServer::start().await;
        Mock::given(path("/prefix/v1/complete"))
            .respond_with(ResponseTemplate::new(200).set_body_json(1))
            .expect(1)
            .mount(&server)
            .await;
        let client = common::client(&format!("{}{base_suffix}", server.uri()));
        assert!(!client.base_url().ends_with('/'));
        post(
            &client,
            Request::new(Method::POST, req_path),
            &RequestOptions::new(),
        )
        .await
        .unwrap_or_else(|e| panic!("{base_suffix} + {req_path}: {e}"));
    }
}

#[tokio::test]
async fn missing_or_bad_base_url_is_config_error() {
    let err = api_builder()
        .credential("KeyAuth", KEY)
        .build()
        .unwrap_err();
    assert!(
        matches!(&err, Error::Config { reason } if reason.contains("FORGE_RT_TEST_BASE_URL")),
        "{err}"
    );
    let err = common::builder("not a url").build().unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err}");
    let err = common::builder("ftp://example.com").build().unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err}");
}

#[tokio::test]
async fn query_params_in_call_order() {
    let server = ok_server().await;
    let client = common::client(&server.uri());
    let req = Request::new(Method::GET, "/x")
        .query("b", "2")
        .query("a", "x y")
        .query("b", "3");
    post(&client, req, &RequestOptions::new()).await.unwrap();
    let r = &server.received_requests().await.unwrap()[0];
    assert_eq!(r.url.query(), Some("b=2&a=x+y&b=3"));
}

#[tokio::test]
async fn same_origin_redirect_followed() {
    let server = MockServer::start().await;
    Mock::given(path("/old"))
        .respond_with(ResponseTemplate::new(307).insert_header("location", "/new"))
        .mount(&server)
        .await;
    Mock::given(path("/new"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!("moved")))
        .mount(&server)
        .await;
    let client = common::client(&server.uri());
    let v = post(
        &client,
        Request::new(Method::GET, "/old"),
        &RequestOptions::new(),
    )
    .await
    .unwrap();
    assert_eq!(v, json!("moved"));
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(reqs[1].headers.get("x-test-key").unwrap(), KEY);
}

#[tokio::test]
async fn cross_origin_redirect_not_followed() {
    let other = ok_server().await;
    let server = MockServer::start().await;
    Mock::given(path("/old"))
        .respond_with(
            ResponseTemplate::new(307)
                .insert_header("location", format!("{}/stolen", other.uri()).as_str()),
        )
        .mount(&server)
        .await;
    let client = common::client(&server.uri());
    let err = post(
        &client,
        Request::new(Method::GET, "/old"),
        &RequestOptions::new(),
    )
    .await
    .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(307));
    assert!(other.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn bring_your_own_reqwest_client() {
    // The caller's client and its own settings (here a default header of reqwest's) are used;
    // the runtime's headers still go out, and its own win over reqwest's defaults.
    let server = ok_server().await;
    let mut defaults = forge_runtime::HeaderMap::new();
    defaults.insert(
        "x-from-reqwest",
        forge_runtime::HeaderValue::from_static("yes"),
    );
    defaults.insert(
        "test-version",
        forge_runtime::HeaderValue::from_static("reqwest"),
    );
    let http = forge_runtime::http_client_builder()
        .default_headers(defaults)
        .build()
        .unwrap();
    let client = common::builder(&server.uri())
        .http_client(http)
        .build()
        .unwrap();
    let headers = seen_headers(
        &client,
        Request::new(Method::GET, "/x"),
        &RequestOptions::new(),
        &server,
    )
    .await;
    assert_eq!(h(&headers, "x-test-key"), Some(KEY));
    assert_eq!(h(&headers, "x-from-reqwest"), Some("yes"));
    assert_eq!(h(&headers, "test-version"), Some("1"));
}

#[tokio::test]
async fn builder_accept_and_content_type_win_over_the_send_methods() {
    let server = ok_server().await;
    let client = common::builder(&server.uri())
        .default_header("accept", "application/x-mine")
        .default_header("content-type", "application/x-body")
        .build()
        .unwrap();
    let req = Request::new(Method::POST, "/x").json(&1);
    let headers = seen_headers(&client, req, &RequestOptions::new(), &server).await;
    assert_eq!(h(&headers, "accept"), Some("application/x-mine"));
    assert_eq!(h(&headers, "content-type"), Some("application/x-body"));
    // Without such defaults each send method has its own accept, and a body its own type.
    let client = common::client(&server.uri());
    client
        .send_text(
            Request::new(Method::POST, "/x").body(forge_runtime::Body::Text("t".into())),
            RequestOptions::new(),
        )
        .await
        .unwrap();
    let reqs = server.received_requests().await.unwrap();
    let last = &reqs.last().unwrap().headers;
    assert_eq!(h(last, "accept"), Some("*/*"));
    assert_eq!(h(last, "content-type"), Some("text/plain; charset=utf-8"));
    assert_eq!(last.get_all("accept").iter().count(), 1);
}

#[tokio::test]
async fn typed_setters_pick_the_scheme_by_setter_name() {
    let server = ok_server().await;
    let client = api_builder()
        .base_url(server.uri())
        .api_key("k-by-setter")
        .auth_token("t-by-setter")
        .build()
        .unwrap();
    let headers = seen_headers(
        &client,
        Request::new(Method::GET, "/x"),
        &RequestOptions::new(),
        &server,
    )
    .await;
    assert_eq!(h(&headers, "x-test-key"), Some("k-by-setter"));
    assert_eq!(h(&headers, "authorization"), Some("Bearer t-by-setter"));
    // `credential` takes a setter name too, and the later value wins.
    let client = api_builder()
        .base_url(server.uri())
        .api_key("first")
        .credential("api_key", "second")
        .build()
        .unwrap();
    let headers = seen_headers(
        &client,
        Request::new(Method::GET, "/x"),
        &RequestOptions::new(),
        &server,
    )
    .await;
    assert_eq!(h(&headers, "x-test-key"), Some("second"));
}

#[tokio::test]
async fn a_setter_the_api_lacks_fails_build_naming_its_schemes() {
    let err = Client::<QueryCookieApi>::builder()
        .base_url("http://127.0.0.1:1")
        .auth_token(TOKEN)
        .build()
        .unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(matches!(err, Error::Config { .. }), "{text}");
    assert!(text.contains("auth_token"), "{text}");
    assert!(
        text.contains("QueryKey") && text.contains("CookieKey"),
        "{text}"
    );
    assert!(!text.contains("SECRET"), "{text}");
    let err = Client::<common::PlainApi>::builder()
        .base_url("http://127.0.0.1:1")
        .api_key(KEY)
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("no auth schemes"), "{err}");
}

#[tokio::test]
async fn basic_auth_is_base64_encoded_by_the_runtime() {
    let server = ok_server().await;
    let expected = "Basic dXNlcjpwQHNzOndvcmQ="; // base64("user:p@ss:word")
    let by_setter = Client::<common::BasicApi>::builder()
        .base_url(server.uri())
        .basic_auth("user", "p@ss:word")
        .build()
        .unwrap();
    let by_name = Client::<common::BasicApi>::builder()
        .base_url(server.uri())
        .credential("BasicAuth", "user:p@ss:word")
        .build()
        .unwrap();
    let encoded = Client::<common::BasicApi>::builder()
        .base_url(server.uri())
        .credential("basic_auth", "dXNlcjpwQHNzOndvcmQ=")
        .build()
        .unwrap();
    for client in [by_setter, by_name, encoded] {
        client
            .send_empty(Request::new(Method::GET, "/x"), RequestOptions::new())
            .await
            .unwrap();
        let reqs = server.received_requests().await.unwrap();
        let last = &reqs.last().unwrap().headers;
        assert_eq!(h(last, "authorization"), Some(expected));
    }
}
