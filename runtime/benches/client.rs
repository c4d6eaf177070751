//! The runtime's own overhead, without generated code: `Client::send_json` and
//! `Client::send_stream` of a hand-written test `Api` against the floor, the same request made
//! with plain `reqwest` + `serde_json` (same headers, same body, same response type), both
//! against an in-process keep-alive HTTP/1.1 server on 127.0.0.1 (its own thread and runtime).
//!
//! `cargo bench -p forge-runtime --bench client [-- --quick]`. No benchmark framework: the
//! client runs on a single-threaded tokio runtime on the main thread; each round runs the floor
//! and the runtime back to back (alternating which goes first) and the ratio printed is the
//! median over rounds of floor rate / runtime rate (1.00 = no overhead), with the client
//! thread's CPU time per request (`/proc/thread-self/schedstat`) beside it.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use forge_runtime::{
    Api, ApiDescription, ApiErrorKind, AuthKind, AuthLocation, AuthScheme, Client, EnvNames,
    EventAction, Method, Request, RequestOptions, RetryHeaders, StreamEvents,
};
use futures::StreamExt;
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

const TASKS: usize = 64;
const API_KEY: &str = "sk-bench-0000000000000000";
const COMPLETION_JSON: &str = r#"{"type":"completion","id":"compl_018CKm6gsux7P8yMcwZbeCPw","completion":" Hello! My name is Claude.","stop_reason":"stop_sequence","model":"claude-2.1"}"#;
const DELTA_EVENT: &str = "event: completion\ndata: {\"type\":\"completion\",\"completion\":\" Hello\",\"stop_reason\":null,\"model\":\"claude-2.1\"}\n\n";
const PING_EVENT: &str = "event: ping\ndata: {\"type\":\"ping\"}\n\n";

static DESCRIPTION: ApiDescription = ApiDescription {
    client_name: "Bench",
    crate_version: "0.1.0",
    default_base_url: "",
    auth: &[AuthScheme {
        name: "ApiKeyAuth",
        setter: "api_key",
        kind: AuthKind::ApiKey,
        location: AuthLocation::Header {
            name: "x-api-key",
            prefix: "",
        },
        env: None,
    }],
    auth_required: true,
    default_headers: &[("anthropic-version", "2023-06-01")],
    retry_count_header: Some("x-stainless-retry-count"),
    request_id_header: Some("request-id"),
    idempotency_header: None,
    retry: RetryHeaders {
        should_retry: Some("x-should-retry"),
        retry_after_ms: Some("retry-after-ms"),
    },
    status_kinds: &[(529, ApiErrorKind::Overloaded)],
    env: EnvNames {
        base_url: None,
        custom_headers: None,
    },
};

static EVENTS: StreamEvents = StreamEvents {
    events: &[
        ("completion", EventAction::Yield),
        ("ping", EventAction::Skip),
        ("error", EventAction::Error),
    ],
    otherwise: EventAction::Skip,
};

struct Bench(Client<Bench>);

impl Api for Bench {
    type Envelope = serde_json::Value;
    const DESCRIPTION: &'static ApiDescription = &DESCRIPTION;
    fn from_client(client: Client<Self>) -> Self {
        Bench(client)
    }
}

#[derive(Serialize)]
struct Params<'a> {
    model: &'a str,
    prompt: &'a str,
    max_tokens_to_sample: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    stream: Option<bool>,
}

const PARAMS: Params<'static> = Params {
    model: "claude-2.1",
    prompt: "\n\nHuman: Hello, world!\n\nAssistant:",
    max_tokens_to_sample: 256,
    stream: None,
};

#[derive(Deserialize)]
#[allow(dead_code)]
struct Completion {
    #[serde(default)]
    id: Option<String>,
    completion: String,
    model: String,
    #[serde(default)]
    stop_reason: Option<String>,
}

fn floor_request(
    http: &reqwest::Client,
    url: &str,
    accept: &'static str,
) -> reqwest::RequestBuilder {
    http.post(url)
        .header("user-agent", "Bench/Rust 0.1.0")
        .header("accept", accept)
        .header("content-type", "application/json")
        .header("x-api-key", API_KEY)
        .header("anthropic-version", "2023-06-01")
        .header("x-stainless-retry-count", "0")
}

async fn floor_create(http: &reqwest::Client, url: &str) -> usize {
    let body = serde_json::to_vec(&PARAMS).expect("serializable");
    let resp = floor_request(http, url, "application/json")
        .body(body)
        .send()
        .await
        .expect("floor request");
    let bytes = resp.bytes().await.expect("floor body");
    let c: Completion = serde_json::from_slice(&bytes).expect("floor decode");
    c.completion.len()
}

async fn forge_create(client: &Bench) -> usize {
    let req = Request::new(Method::POST, "/v1/complete").json(&PARAMS);
    let c = client
        .0
        .send_json::<Completion>(req, RequestOptions::new())
        .await
        .expect("forge request");
    c.completion.len()
}

/// The end of the first event (`\n\n`) in `buf`: the same loop as `generated/benches`.
fn blank_line(buf: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = buf[from..].iter().position(|&b| b == b'\n') {
        let at = from + i;
        if buf.get(at + 1) == Some(&b'\n') {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// The floor's stream: the simplest correct loop for this server's output, no SSE layer.
async fn floor_stream(http: &reqwest::Client, url: &str) -> usize {
    let mut body = serde_json::to_vec(&PARAMS).expect("serializable");
    body.pop();
    body.extend_from_slice(b",\"stream\":true}");
    let mut resp = floor_request(http, url, "text/event-stream")
        .body(body)
        .send()
        .await
        .expect("floor stream");
    let mut buf = Vec::new();
    let mut items = 0;
    while let Some(chunk) = resp.chunk().await.expect("floor chunk") {
        buf.extend_from_slice(&chunk);
        let mut start = 0;
        while let Some(end) = blank_line(&buf[start..]) {
            let event = &buf[start..start + end];
            start += end + 2;
            let (mut name, mut data) = (&b""[..], &b""[..]);
            for line in event.split(|&b| b == b'\n') {
                if let Some(v) = line.strip_prefix(b"event: ") {
                    name = v;
                } else if let Some(v) = line.strip_prefix(b"data: ") {
                    data = v;
                }
            }
            if name == b"completion" {
                let c: Completion = serde_json::from_slice(data).expect("floor item");
                items += c.completion.len().min(1);
            }
        }
        buf.drain(..start);
    }
    items
}

async fn forge_stream(client: &Bench) -> usize {
    let req = Request::new(Method::POST, "/v1/complete").json_with_flag(&PARAMS, "stream", true);
    let mut stream = client
        .0
        .send_stream::<Completion>(req, RequestOptions::new(), &EVENTS)
        .await
        .expect("forge stream");
    let mut items = 0;
    while let Some(item) = stream.next().await {
        items += item.expect("forge item").completion.len().min(1);
    }
    items
}

/// CPU time of the calling thread (Linux), else zero.
fn thread_cpu() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .map_or(Duration::ZERO, Duration::from_nanos)
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

#[derive(Clone, Copy, PartialEq)]
enum Impl {
    Floor,
    Forge,
}

struct Clients {
    forge: Bench,
    http: reqwest::Client,
    url: String,
}

async fn one(clients: &Clients, which: Impl, stream: bool) -> usize {
    match (which, stream) {
        (Impl::Floor, false) => floor_create(&clients.http, &clients.url).await,
        (Impl::Forge, false) => forge_create(&clients.forge).await,
        (Impl::Floor, true) => floor_stream(&clients.http, &clients.url).await,
        (Impl::Forge, true) => forge_stream(&clients.forge).await,
    }
}

async fn run(clients: &std::sync::Arc<Clients>, which: Impl, mode: &str, n: usize) -> (f64, f64) {
    let cpu = thread_cpu();
    let start = Instant::now();
    let total = match mode {
        "concurrent" => {
            let mut set = JoinSet::new();
            for _ in 0..TASKS {
                let clients = clients.clone();
                set.spawn(async move {
                    let mut total = 0;
                    for _ in 0..n / TASKS {
                        total += one(&clients, which, false).await;
                    }
                    total
                });
            }
            let mut total = 0;
            while let Some(r) = set.join_next().await {
                total += r.expect("task");
            }
            total
        }
        _ => {
            let mut total = 0;
            for _ in 0..n {
                total += one(clients, which, mode == "stream").await;
            }
            total
        }
    };
    assert!(total > 0);
    let wall = start.elapsed().as_secs_f64();
    let cpu = (thread_cpu() - cpu).as_secs_f64();
    (n as f64 / wall, cpu / n as f64)
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return; // `cargo test` runs bench targets without `--bench`: nothing to do.
    }
    let quick = std::env::args().any(|a| a == "--quick");
    let (rounds, seq, conc, streams) = if quick {
        (9, 300, 1_280, 3)
    } else {
        (31, 1_000, 2_560, 10)
    };
    let stream_events = if quick { 20_000 } else { 100_000 };
    let addr = start_server(stream_events);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime");
    rt.block_on(async {
        let base = format!("http://{addr}");
        let clients = std::sync::Arc::new(Clients {
            forge: Client::<Bench>::builder()
                .api_key(API_KEY)
                .base_url(&base)
                .build()
                .expect("client"),
            http: forge_runtime::http_client_builder().build().expect("reqwest"),
            url: format!("{base}/v1/complete"),
        });
        for which in [Impl::Floor, Impl::Forge] {
            run(&clients, which, "concurrent", TASKS * 8).await;
            run(&clients, which, "sequential", 200).await;
        }
        for (mode, n) in [("sequential", seq), ("concurrent", conc), ("stream", streams)] {
            let (mut ratios, mut cpu_ratios) = (Vec::new(), Vec::new());
            let (mut floor_rates, mut forge_rates) = (Vec::new(), Vec::new());
            for round in 0..rounds {
                let order = if round % 2 == 0 {
                    [Impl::Floor, Impl::Forge]
                } else {
                    [Impl::Forge, Impl::Floor]
                };
                let mut got = [(0.0, 0.0); 2];
                for which in order {
                    got[which as usize] = run(&clients, which, mode, n).await;
                }
                ratios.push(got[0].0 / got[1].0);
                cpu_ratios.push(got[1].1 / got[0].1);
                floor_rates.push(got[0].0);
                forge_rates.push(got[1].0);
            }
            let unit = if mode == "stream" { "streams" } else { "requests" };
            println!(
                "{mode:>10}: floor {:>9.1} {unit}/s, forge {:>9.1} {unit}/s, ratio {:.3} (median of {rounds}), cpu ratio {:.3}",
                median(&mut floor_rates),
                median(&mut forge_rates),
                median(&mut ratios),
                median(&mut cpu_ratios),
            );
        }
    });
}

/// The server on its own thread and runtime; `/v1/complete` answers the completion, or the
/// event stream when the request asks for one.
fn start_server(stream_events: usize) -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.set_nonblocking(true).expect("nonblocking");
    let addr = listener.local_addr().expect("addr");
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("server runtime");
        rt.block_on(async move {
            let listener = TcpListener::from_std(listener).expect("listener");
            while let Ok((sock, _)) = listener.accept().await {
                tokio::spawn(connection(sock, stream_events));
            }
        });
    });
    addr
}

async fn connection(mut sock: TcpStream, stream_events: usize) {
    let _ = sock.set_nodelay(true);
    let complete = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nrequest-id: req_1\r\ncontent-length: {}\r\n\r\n{COMPLETION_JSON}",
        COMPLETION_JSON.len()
    );
    let batch = DELTA_EVENT.repeat(100) + PING_EVENT;
    let chunk = format!("{:x}\r\n{batch}\r\n", batch.len());
    let mut buf: Vec<u8> = Vec::with_capacity(16 * 1024);
    loop {
        let head_end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            match sock.read_buf(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
        let len: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        while buf.len() < head_end + len {
            match sock.read_buf(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
        let streaming = head.contains("accept: text/event-stream");
        buf.drain(..head_end + len);
        let written = if streaming {
            let mut out = b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream; charset=utf-8\r\ntransfer-encoding: chunked\r\n\r\n".to_vec();
            for _ in 0..stream_events / 100 {
                out.extend_from_slice(chunk.as_bytes());
            }
            out.extend_from_slice(b"0\r\n\r\n");
            sock.write_all(&out).await
        } else {
            sock.write_all(complete.as_bytes()).await
        };
        if written.is_err() {
            return;
        }
    }
}
