//! CR, LF and other control characters in every header source.

use super::*;

// ---------------------------------------------------------------------------------------------
// CR, LF and other control characters in every header source
// ---------------------------------------------------------------------------------------------

/// Values that would split a header or that HTTP forbids; each carries the key.
fn bad_values() -> Vec<(&'static str, String)> {
    vec![
        ("CRLF", format!("{KEY}\r\nx-evil: 1")),
        ("LF", format!("{KEY}\nx-evil: 1")),
        ("CR", format!("{KEY}\rx-evil: 1")),
        ("NUL", format!("{KEY}\0")),
        ("DEL", format!("{KEY}\x7f")),
        ("trailing CRLF", format!("{KEY}\r\n")),
    ]
}

fn assert_rejected(source: &str, kind: &str, err: &Error, header: &str) {
    let text = format!("{err} {err:?}");
    assert!(
        text.to_ascii_lowercase().contains(header),
        "{source}/{kind}: the error should name `{header}`: {text}"
    );
    assert_clean(&format!("{source}/{kind}"), &text);
}

#[tokio::test]
async fn control_characters_in_any_header_source_are_refused_without_echoing_the_value() {
    // A server that records whether anything at all reached it.
    let server = raw_server(|_, mut stream| async move {
        read_request(&mut stream).await;
        write(&mut stream, response("200 OK", "", "{}")).await;
    })
    .await;
    for (kind, value) in bad_values() {
        // The builder: a default header, a credential, the user agent.
        let err = common::builder(&server.url)
            .default_header("x-custom", value.clone())
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{kind}: {err:?}");
        assert_rejected("default_header", kind, &err, "x-custom");

        let err = api_builder()
            .base_url(&server.url)
            .credential("KeyAuth", value.clone())
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{kind}: {err:?}");
        assert_rejected("credential", kind, &err, "x-test-key");

        let err = api_builder()
            .base_url(&server.url)
            .credential("BearerAuth", value.clone())
            .build()
            .unwrap_err();
        assert_rejected("bearer credential", kind, &err, "authorization");

        let err = common::builder(&server.url)
            .user_agent(value.clone())
            .build()
            .unwrap_err();
        assert_rejected("user_agent", kind, &err, "user-agent");

        let cookie_err = Client::<QueryCookieApi>::builder()
            .base_url(&server.url)
            .credential("CookieKey", value.clone())
            .build()
            .unwrap_err();
        assert_rejected("cookie credential", kind, &cookie_err, "cookie");

        // Per request: generated code's `Request::header`, and the caller's options.
        let client = common::client(&server.url);
        let err = client
            .send_json::<Value>(
                post().header("x-test-key", value.clone()),
                RequestOptions::new(),
            )
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::InvalidRequest { .. }),
            "{kind}: {err:?}"
        );
        assert_rejected("Request::header", kind, &err, "x-test-key");
        let err = client
            .send_json::<Value>(
                post(),
                RequestOptions::new().header("authorization", value.clone()),
            )
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::InvalidRequest { .. }),
            "{kind}: {err:?}"
        );
        assert_rejected("RequestOptions::header", kind, &err, "authorization");
    }
    // Bad header names are refused too, and named without their value.
    let client = common::client(&server.url);
    for name in ["x-a\r\nx-evil", "x a", "x:a", ""] {
        let err = client
            .send_json::<Value>(post().header(name, KEY), RequestOptions::new())
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::InvalidRequest { .. }),
            "{name:?}: {err:?}"
        );
        assert_clean(name, &format!("{err} {err:?}"));
    }
    assert_eq!(server.connections(), 0, "nothing was sent");
}

#[test]
fn control_characters_in_the_custom_headers_variable_are_refused() {
    // This binary has no other test touching the environment.
    const VAR: &str = "FORGE_RT_TEST_CUSTOM_HEADERS";
    // Lines split at `\n`, so a bare CR (or NUL, DEL) is what can still reach a value.
    // (NUL cannot be put in an environment variable at all.)
    for (kind, value) in [
        ("CR", format!("x-extra: {KEY}\rx-evil: 1")),
        ("DEL", format!("x-extra: {KEY}\x7f")),
    ] {
        std::env::set_var(VAR, &value);
        let result = common::builder("http://127.0.0.1:1").from_env().build();
        std::env::remove_var(VAR);
        let err = result.unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{kind}: {err:?}");
        assert_rejected("custom-headers env", kind, &err, "x-extra");
        assert!(err.to_string().contains(VAR), "{err}");
    }
}

#[tokio::test]
async fn crlf_in_paths_and_query_values_is_encoded_not_injected() {
    let seen = Arc::new(Mutex::new(String::new()));
    let log = seen.clone();
    let server = raw_server(move |_, mut stream| {
        let log = log.clone();
        async move {
            let req = read_request(&mut stream).await;
            log.lock().unwrap().push_str(&req);
            write(&mut stream, response("200 OK", "", "{}")).await;
        }
    })
    .await;
    let client = common::client(&server.url);
    client
        .send_json::<Value>(
            Request::new(Method::GET, "/a\r\nx-evil: 1\r\n").query("q", "v\r\nx-evil2: 2"),
            RequestOptions::new().query("o", "\r\nx-evil3: 3"),
        )
        .await
        .unwrap();
    let req = seen.lock().unwrap().clone();
    let head = req.split("\r\n\r\n").next().unwrap();
    let lines: Vec<&str> = head.split("\r\n").collect();
    assert!(
        lines
            .iter()
            .all(|l| !l.to_ascii_lowercase().starts_with("x-evil")),
        "{head}"
    );
    assert!(lines[0].starts_with("GET /a"), "{head}");
    assert!(lines[0].contains("q=v%0D%0Ax-evil2"), "{}", lines[0]);
}
