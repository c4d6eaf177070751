//! Shared test helpers: made-up API descriptions, client construction and a raw TCP server
//! for cases wiremock cannot express (cut connections, slow bodies).
#![allow(dead_code)]

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use forge_runtime::{
    ApiDescription, AuthLocation, AuthScheme, Client, ClientBuilder, EnvNames, EventAction,
    StreamEvents,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

pub const KEY: &str = "sk-test-SECRET-key-123";
pub const TOKEN: &str = "tok-test-SECRET-bearer-456";

pub static API: ApiDescription = ApiDescription {
    client_name: "TestClient",
    crate_version: "9.8.7",
    default_base_url: "",
    auth: &[
        AuthScheme {
            name: "KeyAuth",
            location: AuthLocation::Header {
                name: "x-test-key",
                prefix: "",
            },
            env: Some("FORGE_RT_TEST_KEY"),
        },
        AuthScheme {
            name: "BearerAuth",
            location: AuthLocation::Header {
                name: "Authorization",
                prefix: "Bearer ",
            },
            env: Some("FORGE_RT_TEST_TOKEN"),
        },
    ],
    auth_required: true,
    default_headers: &[("test-version", "1")],
    retry_count_header: Some("x-retry-count"),
    request_id_header: Some("request-id"),
    env: EnvNames {
        base_url: Some("FORGE_RT_TEST_BASE_URL"),
        custom_headers: Some("FORGE_RT_TEST_CUSTOM_HEADERS"),
    },
};

/// An API whose credentials go in the query string and in a cookie.
pub static QUERY_COOKIE_API: ApiDescription = ApiDescription {
    client_name: "QcClient",
    crate_version: "0.0.1",
    default_base_url: "",
    auth: &[
        AuthScheme {
            name: "QueryKey",
            location: AuthLocation::Query { name: "api_key" },
            env: None,
        },
        AuthScheme {
            name: "CookieKey",
            location: AuthLocation::Cookie { name: "session" },
            env: None,
        },
    ],
    auth_required: true,
    default_headers: &[],
    retry_count_header: None,
    request_id_header: None,
    env: EnvNames {
        base_url: None,
        custom_headers: None,
    },
};

pub static EVENTS: StreamEvents = StreamEvents {
    events: &[
        ("item", EventAction::Yield),
        ("ping", EventAction::Skip),
        ("error", EventAction::Error),
    ],
    otherwise: EventAction::Skip,
};

/// A builder aimed at `base` with the API key set and retry delays scaled down 1000x.
pub fn builder(base: &str) -> ClientBuilder {
    Client::builder(&API)
        .base_url(base)
        .credential("KeyAuth", KEY)
        .backoff_scale(0.001)
}

pub fn client(base: &str) -> Client {
    builder(base).build().unwrap()
}

/// A TCP server on 127.0.0.1 that hands each connection to `handler` with its index.
pub struct RawServer {
    pub url: String,
    connections: Arc<AtomicUsize>,
    task: JoinHandle<()>,
}

impl RawServer {
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

pub async fn raw_server<F, Fut>(handler: F) -> RawServer
where
    F: Fn(usize, TcpStream) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = connections.clone();
    let handler = Arc::new(handler);
    let task = tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            let handler = handler.clone();
            tokio::spawn(async move { handler(n, stream).await });
        }
    });
    RawServer {
        url: format!("http://{addr}"),
        connections,
        task,
    }
}

/// Read one HTTP/1.1 request (head and a `content-length` body) and return it as text.
pub async fn read_request(stream: &mut TcpStream) -> String {
    let mut buf = Vec::new();
    let mut tmp = [0u8; 4096];
    loop {
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..pos]).to_ascii_lowercase();
            let len = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if buf.len() >= pos + 4 + len {
                return String::from_utf8_lossy(&buf).into_owned();
            }
        }
        match stream.read(&mut tmp).await {
            Ok(0) | Err(_) => return String::from_utf8_lossy(&buf).into_owned(),
            Ok(n) => buf.extend_from_slice(&tmp[..n]),
        }
    }
}

/// The head of a close-delimited `text/event-stream` response.
pub const SSE_HEAD: &str = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nrequest-id: req_raw\r\nconnection: close\r\n\r\n";

pub async fn write(stream: &mut TcpStream, bytes: impl AsRef<[u8]>) {
    let _ = stream.write_all(bytes.as_ref()).await;
    let _ = stream.flush().await;
}

/// A complete JSON response that closes the connection.
pub fn json_response(body: &str) -> String {
    format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
}
