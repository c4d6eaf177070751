//! Plain `http://` to a non-loopback host: one warning per client.

use super::*;

// ---------------------------------------------------------------------------------------------
// Plain http:// to a non-loopback host: one warning per client
// ---------------------------------------------------------------------------------------------

const WARNING: &str = "plain http://";

async fn ok_server() -> common::RawServer {
    raw_server(|_, mut stream| async move {
        read_request(&mut stream).await;
        write(&mut stream, response("200 OK", "", "{}")).await;
    })
    .await
}

/// A reqwest client that resolves `api.example.test` to the local server, so a non-loopback
/// `http://` name reaches it.
fn resolving_http(addr: SocketAddr) -> reqwest::Client {
    forge_runtime::http_client_builder()
        .resolve("api.example.test", addr)
        .build()
        .unwrap()
}

fn server_addr(server: &common::RawServer) -> SocketAddr {
    server.url.trim_start_matches("http://").parse().unwrap()
}

#[tokio::test]
async fn plain_http_to_a_remote_host_warns_once_per_client() {
    let (log, _guard) = capture_logs();
    let heads = Arc::new(Mutex::new(Vec::<String>::new()));
    let record = heads.clone();
    let server = raw_server(move |_, mut stream| {
        let record = record.clone();
        async move {
            let req = read_request(&mut stream).await;
            record.lock().unwrap().push(req.to_ascii_lowercase());
            write(&mut stream, response("200 OK", "", "{}")).await;
        }
    })
    .await;
    let addr = server_addr(&server);
    // User info in the URL: sent as Basic auth, and like any credential never logged.
    let base = format!("http://user:SECRETPW@api.example.test:{}", addr.port());
    let basic = "dXNlcjpTRUNSRVRQVw=="; // base64("user:SECRETPW")
    let client = common::builder(&base)
        .http_client(resolving_http(addr))
        .build()
        .unwrap();
    let clone = client.clone();
    for c in [&client, &clone, &client] {
        send(c, &RequestOptions::new()).await.unwrap();
    }
    for head in heads.lock().unwrap().iter() {
        assert!(
            head.contains(&format!(
                "authorization: basic {}",
                basic.to_ascii_lowercase()
            )),
            "{head}"
        );
        assert!(
            head.contains(&format!("host: api.example.test:{}", addr.port())),
            "{head}"
        );
    }
    let text = log.text();
    assert!(!text.contains(basic), "{text}");
    let warnings: Vec<&str> = text.lines().filter(|l| l.contains(WARNING)).collect();
    assert_eq!(warnings.len(), 1, "{text}");
    assert!(warnings[0].contains("WARN"), "{}", warnings[0]);
    assert!(
        warnings[0].contains(&format!("api.example.test:{}", addr.port())),
        "{}",
        warnings[0]
    );
    assert!(!text.contains("SECRETPW"), "{text}");
    assert_clean("warning", &text);

    // Another client warns again, once.
    let other = common::builder(&base)
        .http_client(resolving_http(addr))
        .build()
        .unwrap();
    for _ in 0..3 {
        send(&other, &RequestOptions::new()).await.unwrap();
    }
    assert_eq!(log.text().matches(WARNING).count(), 2);
}

#[tokio::test]
async fn building_alone_does_not_warn_and_a_failed_request_still_warns_once() {
    let (log, _guard) = capture_logs();
    let addr: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
    let client = common::builder(&format!("http://api.example.test:{}", addr.port()))
        .http_client(resolving_http(addr))
        .max_retries(1)
        .build()
        .unwrap();
    assert!(!log.text().contains(WARNING));
    for _ in 0..3 {
        let err = send(&client, &RequestOptions::new()).await.unwrap_err();
        assert!(matches!(err, Error::Connection { .. }), "{err:?}");
    }
    assert_eq!(log.text().matches(WARNING).count(), 1, "{}", log.text());
}

#[tokio::test]
async fn loopback_and_https_never_warn() {
    let (log, _guard) = capture_logs();
    let server = ok_server().await;
    let port = server_addr(&server).port();
    for base in [
        format!("http://127.0.0.1:{port}"),
        format!("http://localhost:{port}"),
    ] {
        let client = common::client(&base);
        for _ in 0..3 {
            send(&client, &RequestOptions::new())
                .await
                .unwrap_or_else(|e| panic!("{base}: {e}"));
        }
    }
    // These may not reach the server (no IPv6, a resolver that does not know `localhost.`):
    // the decision not to warn is made before any I/O either way.
    for base in [
        format!("http://[::1]:{}", free_port()),
        format!("http://LocalHost.:{port}/prefix"),
        format!("http://127.8.9.10:{}", free_port()),
    ] {
        let client = common::builder(&base).max_retries(0).build().unwrap();
        for _ in 0..2 {
            let _ = send(&client, &RequestOptions::new()).await;
        }
    }
    // https to a remote name (the TLS handshake with a plain-text server fails at once).
    let plain = raw_server(|_, mut stream| async move {
        write(&mut stream, "HTTP/1.1 400 Bad Request\r\n\r\n").await;
    })
    .await;
    let plain_addr = server_addr(&plain);
    let tls = common::builder(&format!("https://api.example.test:{}", plain_addr.port()))
        .http_client(resolving_http(plain_addr))
        .timeout(Duration::from_secs(5))
        .max_retries(0)
        .build()
        .unwrap();
    assert!(send(&tls, &RequestOptions::new()).await.is_err());
    let text = log.text();
    assert!(!text.contains(WARNING), "{text}");
    assert!(
        text.contains("request"),
        "the capture saw the requests: {text}"
    );
}
