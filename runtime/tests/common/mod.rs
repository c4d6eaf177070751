//! Shared test helpers: made-up API descriptions, client construction and a raw TCP server
//! for cases wiremock cannot express (cut connections, slow bodies).
#![allow(dead_code)]

pub mod logs;

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use forge_runtime::{
    Api, ApiDescription, ApiErrorKind, AuthKind, AuthLocation, AuthScheme, Client, ClientBuilder,
    EnvNames, ErrorEnvelope, EventAction, EventStream, RetryHeaders, StreamEvents,
};
use serde::Deserialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

pub const KEY: &str = "sk-test-SECRET-key-123";
pub const TOKEN: &str = "tok-test-SECRET-bearer-456";

/// A made-up API's client type: `Client<Self>` in a newtype, as a generated crate has it,
/// with `Deref` so tests call the runtime's methods directly.
macro_rules! test_api {
    ($(#[$doc:meta])* $name:ident, $description:expr, $envelope:ty) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        pub struct $name(pub Client<$name>);

        impl Api for $name {
            type Envelope = $envelope;
            const DESCRIPTION: &'static ApiDescription = &$description;
            fn from_client(client: Client<Self>) -> Self {
                $name(client)
            }
        }

        impl std::ops::Deref for $name {
            type Target = Client<$name>;
            fn deref(&self) -> &Client<$name> {
                &self.0
            }
        }
    };
}

/// The test APIs' error body: `{"type":"error","error":{"type","message"},"request_id"}`.
#[derive(Debug, Clone, Deserialize)]
pub struct Envelope {
    pub error: EnvelopeError,
    #[serde(default)]
    pub request_id: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct EnvelopeError {
    #[serde(rename = "type")]
    pub kind: String,
    pub message: String,
}

impl ErrorEnvelope for Envelope {
    type ErrorType = String;
    fn error_type(&self) -> Option<String> {
        Some(self.error.kind.clone())
    }
    fn message(&self) -> Option<&str> {
        Some(&self.error.message)
    }
    fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

/// The runtime's error for the test APIs.
pub type Error = forge_runtime::Error<Envelope>;
/// The event stream of the test APIs.
pub type Events<T> = EventStream<T, Envelope>;

const KEY_AUTH: AuthScheme = AuthScheme {
    name: "KeyAuth",
    setter: "api_key",
    kind: AuthKind::ApiKey,
    location: AuthLocation::Header {
        name: "x-test-key",
        prefix: "",
    },
    env: Some("FORGE_RT_TEST_KEY"),
};

const BEARER_AUTH: AuthScheme = AuthScheme {
    name: "BearerAuth",
    setter: "auth_token",
    kind: AuthKind::Bearer,
    location: AuthLocation::Header {
        name: "Authorization",
        prefix: "Bearer ",
    },
    env: Some("FORGE_RT_TEST_TOKEN"),
};

const RETRY_HINTS: RetryHeaders = RetryHeaders {
    should_retry: Some("x-should-retry"),
    retry_after_ms: Some("retry-after-ms"),
};

pub static DESCRIPTION: ApiDescription = ApiDescription {
    client_name: "TestClient",
    crate_version: "9.8.7",
    default_base_url: "",
    auth: &[KEY_AUTH, BEARER_AUTH],
    auth_required: true,
    default_headers: &[("test-version", "1")],
    retry_count_header: Some("x-retry-count"),
    request_id_header: Some("request-id"),
    idempotency_header: None,
    retry: RETRY_HINTS,
    status_kinds: &[(529, ApiErrorKind::Overloaded)],
    env: EnvNames {
        base_url: Some("FORGE_RT_TEST_BASE_URL"),
        custom_headers: Some("FORGE_RT_TEST_CUSTOM_HEADERS"),
    },
};

test_api!(
    /// The main test API: two header credentials, a retry-count and request-id header, the
    /// should-retry and retry-after-ms hints, 529 as Overloaded.
    TestApi,
    DESCRIPTION,
    Envelope
);

/// An API whose credentials go in the query string and in a cookie.
pub static QUERY_COOKIE_DESCRIPTION: ApiDescription = ApiDescription {
    client_name: "QcClient",
    crate_version: "0.0.1",
    default_base_url: "",
    auth: &[
        AuthScheme {
            name: "QueryKey",
            setter: "api_key",
            kind: AuthKind::ApiKey,
            location: AuthLocation::Query { name: "api_key" },
            env: None,
        },
        AuthScheme {
            name: "CookieKey",
            setter: "session",
            kind: AuthKind::ApiKey,
            location: AuthLocation::Cookie { name: "session" },
            env: None,
        },
    ],
    auth_required: true,
    default_headers: &[],
    retry_count_header: None,
    request_id_header: None,
    idempotency_header: None,
    retry: RetryHeaders {
        should_retry: None,
        retry_after_ms: None,
    },
    status_kinds: &[],
    env: EnvNames {
        base_url: None,
        custom_headers: None,
    },
};

test_api!(QueryCookieApi, QUERY_COOKIE_DESCRIPTION, Envelope);

/// An API with no auth, no API-specific retry hints, no status kinds of its own, an
/// idempotency header, and no declared error envelope.
pub static PLAIN_DESCRIPTION: ApiDescription = ApiDescription {
    client_name: "Plain",
    crate_version: "1.0.0",
    default_base_url: "",
    auth: &[],
    auth_required: false,
    default_headers: &[],
    retry_count_header: None,
    request_id_header: Some("request-id"),
    idempotency_header: Some("Idempotency-Key"),
    retry: RetryHeaders {
        should_retry: None,
        retry_after_ms: None,
    },
    status_kinds: &[],
    env: EnvNames {
        base_url: None,
        custom_headers: None,
    },
};

test_api!(PlainApi, PLAIN_DESCRIPTION, serde_json::Value);

/// An API with HTTP Basic auth (and nothing else).
pub static BASIC_DESCRIPTION: ApiDescription = ApiDescription {
    client_name: "Basic",
    crate_version: "1.0.0",
    default_base_url: "",
    auth: &[AuthScheme {
        name: "BasicAuth",
        setter: "basic_auth",
        kind: AuthKind::Basic,
        location: AuthLocation::Header {
            name: "Authorization",
            prefix: "Basic ",
        },
        env: Some("FORGE_RT_TEST_BASIC"),
    }],
    auth_required: true,
    default_headers: &[],
    retry_count_header: None,
    request_id_header: None,
    idempotency_header: None,
    retry: RetryHeaders {
        should_retry: None,
        retry_after_ms: None,
    },
    status_kinds: &[],
    env: EnvNames {
        base_url: None,
        custom_headers: None,
    },
};

test_api!(BasicApi, BASIC_DESCRIPTION, serde_json::Value);

/// An API with a bearer and a Basic scheme, both sent in `Authorization`.
pub static BEARER_BASIC_DESCRIPTION: ApiDescription = ApiDescription {
    client_name: "BearerBasic",
    crate_version: "1.0.0",
    default_base_url: "",
    auth: &[
        BEARER_AUTH,
        AuthScheme {
            name: "BasicAuth",
            setter: "basic_auth",
            kind: AuthKind::Basic,
            location: AuthLocation::Header {
                name: "Authorization",
                prefix: "Basic ",
            },
            env: None,
        },
    ],
    auth_required: true,
    default_headers: &[],
    retry_count_header: None,
    request_id_header: None,
    idempotency_header: None,
    retry: RetryHeaders {
        should_retry: None,
        retry_after_ms: None,
    },
    status_kinds: &[],
    env: EnvNames {
        base_url: None,
        custom_headers: None,
    },
};

test_api!(BearerBasicApi, BEARER_BASIC_DESCRIPTION, serde_json::Value);

pub static EVENTS: StreamEvents = StreamEvents {
    events: &[
        ("item", EventAction::Yield),
        ("ping", EventAction::Skip),
        ("error", EventAction::Error),
    ],
    otherwise: EventAction::Skip,
};

/// A builder of the main test API with nothing set.
pub fn api_builder() -> ClientBuilder<TestApi> {
    Client::<TestApi>::builder()
}

/// A builder aimed at `base` with the API key set and retry delays scaled down 1000x.
pub fn builder(base: &str) -> ClientBuilder<TestApi> {
    api_builder()
        .base_url(base)
        .credential("KeyAuth", KEY)
        .backoff_scale(0.001)
}

pub fn client(base: &str) -> TestApi {
    builder(base).build().unwrap()
}

/// A plain API client aimed at `base`, retry delays scaled down 1000x.
pub fn plain(base: &str) -> PlainApi {
    Client::<PlainApi>::builder()
        .base_url(base)
        .backoff_scale(0.001)
        .build()
        .unwrap()
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
