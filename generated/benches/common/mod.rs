//! What the `client` and `stream` benchmarks share: an in-process HTTP/1.1 server on
//! 127.0.0.1, the hand-written "floor" client (plain `reqwest` + `serde_json`, no generated
//! code), and measurement helpers. Not a benchmark target itself (no `main.rs`).
//!
//! Results go to stdout as one JSON object per line (for `cargo xtask bench`); progress goes
//! to stderr.

#![allow(dead_code)] // each bench binary uses part of this module

use std::net::SocketAddr;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The API key both clients send.
pub const API_KEY: &str = "sk-ant-bench-0000000000000000";
/// The model both clients ask for (§8 of the API reference: an unknown id, sent verbatim).
pub const MODEL: &str = "claude-2.1";
/// The prompt both clients send.
pub const PROMPT: &str = "\n\nHuman: Hello, world!\n\nAssistant:";
/// `max_tokens_to_sample`.
pub const MAX_TOKENS: i64 = 256;

/// The canned non-streaming answer (§8).
pub const COMPLETION_JSON: &str = r#"{"type":"completion","id":"compl_018CKm6gsux7P8yMcwZbeCPw","completion":" Hello! My name is Claude.","stop_reason":"stop_sequence","model":"claude-2.1"}"#;
/// One `completion` event of the long stream.
pub const DELTA_EVENT: &str = "event: completion\ndata: {\"type\":\"completion\",\"completion\":\" Hello\",\"stop_reason\":null,\"model\":\"claude-2.1\"}\n\n";
/// The last `completion` event of a stream.
pub const FINAL_EVENT: &str = "event: completion\ndata: {\"type\":\"completion\",\"completion\":\"\",\"stop_reason\":\"stop_sequence\",\"model\":\"claude-2.1\"}\n\n";
/// Sent after every 100 `completion` events.
pub const PING_EVENT: &str = "event: ping\ndata: {\"type\":\"ping\"}\n\n";
/// `completion` events per ping, and per HTTP chunk.
pub const EVENTS_PER_PING: usize = 100;

// ---------------------------------------------------------------------------------------
// The floor: what a hand-written client would do, with no generated code.

/// The request body, as a plain struct (field order as the generated type, so the bytes match).
#[derive(Serialize)]
pub struct FloorParams<'a> {
    pub model: &'a str,
    pub prompt: &'a str,
    pub max_tokens_to_sample: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream: Option<bool>,
}

/// The response, as a plain struct.
#[derive(Deserialize)]
pub struct FloorCompletion {
    #[serde(default)]
    pub id: Option<String>,
    pub completion: String,
    pub model: String,
    #[serde(default)]
    pub stop_reason: Option<String>,
    #[serde(default, rename = "type")]
    pub kind: String,
}

/// The floor's HTTP client: plain `reqwest` with the settings the generated client's own pool
/// has (`forge_runtime::http_client_builder`: the ring TLS provider installed, which reqwest
/// 0.13 without a provider needs before any client is built; the same idle-pool limit,
/// redirect policy and connect timeout), so the two differ only in what runs above reqwest.
pub fn floor_http() -> reqwest::Client {
    forge_runtime::http_client_builder()
        .build()
        .expect("floor HTTP client")
}

/// Plain `reqwest`: the same headers the generated client sends, set by hand.
pub fn floor_request(
    http: &reqwest::Client,
    url: &str,
    accept: &'static str,
    body: Vec<u8>,
) -> reqwest::RequestBuilder {
    http.post(url)
        .header("user-agent", "AnthropicCompletions/Rust 0.1.0")
        .header("accept", accept)
        .header("content-type", "application/json")
        .header("x-api-key", API_KEY)
        .header("anthropic-version", "2023-06-01")
        .header("x-stainless-retry-count", "0")
        .body(body)
}

/// The floor's `create`: serialize, send, read the body, parse.
pub async fn floor_create(http: &reqwest::Client, url: &str) -> FloorCompletion {
    let body = serde_json::to_vec(&FloorParams {
        model: MODEL,
        prompt: PROMPT,
        max_tokens_to_sample: MAX_TOKENS,
        stream: None,
    })
    .expect("serializable");
    let resp = floor_request(http, url, "application/json", body)
        .send()
        .await
        .expect("floor request");
    assert!(
        resp.status().is_success(),
        "floor: status {}",
        resp.status()
    );
    let bytes = resp.bytes().await.expect("floor body");
    serde_json::from_slice(&bytes).expect("floor decode")
}

/// The generated client, pointed at `base_url`, with the same key.
pub fn forge_client(base_url: &str) -> anthropic_completions::Client {
    anthropic_completions::Client::builder()
        .api_key(API_KEY)
        .base_url(base_url)
        .build()
        .expect("client")
}

/// The generated request type with the same fields as [`FloorParams`].
pub fn forge_params() -> anthropic_completions::CompletionCreateParams {
    anthropic_completions::CompletionCreateParams::new(MODEL, PROMPT, MAX_TOKENS)
}

// ---------------------------------------------------------------------------------------
// The server.

/// A running server; it lives until the process exits.
pub struct Server {
    addr: SocketAddr,
}

impl Server {
    /// Starts the server on its own thread, with its own single-threaded runtime, so the
    /// client under test has the calling thread (and its core) to itself.
    pub fn start() -> Server {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        listener.set_nonblocking(true).expect("nonblocking");
        let addr = listener.local_addr().expect("local addr");
        std::thread::Builder::new()
            .name("bench-server".into())
            .spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("server runtime");
                rt.block_on(async move {
                    let listener = TcpListener::from_std(listener).expect("listener");
                    loop {
                        match listener.accept().await {
                            Ok((sock, _)) => {
                                tokio::spawn(connection(sock));
                            }
                            Err(e) => eprintln!("bench server: accept: {e}"),
                        }
                    }
                });
            })
            .expect("server thread");
        Server { addr }
    }

    /// `http://127.0.0.1:PORT` followed by `prefix` (e.g. `/events/20000`): the server reads
    /// its instructions from the path prefix the clients keep in front of `/v1/complete`.
    pub fn base_url(&self, prefix: &str) -> String {
        format!("http://{}{prefix}", self.addr)
    }
}

/// One request as the server saw it, for checking that both clients send the same thing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Captured {
    /// `(lower-case name, value)`, sorted, without `host` and `content-length`.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

static CAPTURED: Mutex<Vec<(String, Captured)>> = Mutex::new(Vec::new());

/// The request last captured under `/capture/{tag}`.
pub fn captured(tag: &str) -> Option<Captured> {
    CAPTURED
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .rev()
        .find(|(t, _)| t == tag)
        .map(|(_, c)| c.clone())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A minimal keep-alive HTTP/1.1 responder: reads a head and a `Content-Length` body, answers,
/// repeats. Paths: `[/capture/{tag}][/events/{n}]/v1/complete`.
async fn connection(mut sock: TcpStream) {
    let _ = sock.set_nodelay(true);
    let mut buf: Vec<u8> = Vec::with_capacity(16 * 1024);
    loop {
        let head_end = loop {
            if let Some(i) = find(&buf, b"\r\n\r\n") {
                break i + 4;
            }
            match sock.read_buf(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
        let mut lines = head.split("\r\n");
        let path = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .unwrap_or("/")
            .to_owned();
        let mut content_length = 0usize;
        let mut headers = Vec::new();
        for line in lines {
            if let Some((name, value)) = line.split_once(':') {
                let name = name.trim().to_ascii_lowercase();
                let value = value.trim().to_owned();
                if name == "content-length" {
                    content_length = value.parse().unwrap_or(0);
                } else if name == "transfer-encoding" {
                    eprintln!("bench server: chunked request bodies are not supported");
                    return;
                } else if name != "host" {
                    headers.push((name, value));
                }
            }
        }
        while buf.len() < head_end + content_length {
            match sock.read_buf(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
        let segments: Vec<&str> = path.split('/').collect();
        let after = |key: &str| {
            segments
                .iter()
                .position(|s| *s == key)
                .and_then(|i| segments.get(i + 1))
                .map(|s| (*s).to_owned())
        };
        if let Some(tag) = after("capture") {
            headers.sort();
            let body = buf[head_end..head_end + content_length].to_vec();
            CAPTURED
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((tag, Captured { headers, body }));
        }
        buf.drain(..head_end + content_length);
        let written = match after("events").and_then(|n| n.parse::<usize>().ok()) {
            Some(events) => write_stream(&mut sock, events).await,
            None => sock.write_all(complete_response()).await,
        };
        if written.is_err() {
            return;
        }
    }
}

fn complete_response() -> &'static [u8] {
    static RESPONSE: OnceLock<Vec<u8>> = OnceLock::new();
    RESPONSE.get_or_init(|| {
        format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nrequest-id: req_011CPx8sM3tW7yZ2fA9bQe4d\r\ncontent-length: {}\r\n\r\n{COMPLETION_JSON}",
            COMPLETION_JSON.len()
        )
        .into_bytes()
    })
}

/// The `events / 100` batches of a stream: `(all but the last, the last)`, each batch one HTTP
/// chunk of 100 `completion` events and a ping; the last batch ends with [`FINAL_EVENT`].
fn batches() -> &'static (Vec<u8>, Vec<u8>) {
    static BATCHES: OnceLock<(Vec<u8>, Vec<u8>)> = OnceLock::new();
    BATCHES.get_or_init(|| {
        let chunk = |payload: String| {
            let mut out = format!("{:x}\r\n", payload.len()).into_bytes();
            out.extend_from_slice(payload.as_bytes());
            out.extend_from_slice(b"\r\n");
            out
        };
        let full = DELTA_EVENT.repeat(EVENTS_PER_PING) + PING_EVENT;
        let last = DELTA_EVENT.repeat(EVENTS_PER_PING - 1) + FINAL_EVENT + PING_EVENT;
        (chunk(full), chunk(last))
    })
}

/// The body length (without chunk framing) of a stream of `events` completion events.
pub fn stream_body_len(events: usize) -> usize {
    let batches = events / EVENTS_PER_PING;
    batches * (EVENTS_PER_PING * DELTA_EVENT.len() + PING_EVENT.len()) + FINAL_EVENT.len()
        - DELTA_EVENT.len()
}

async fn write_stream(sock: &mut TcpStream, events: usize) -> std::io::Result<()> {
    assert!(
        events >= EVENTS_PER_PING && events % EVENTS_PER_PING == 0,
        "stream length must be a multiple of {EVENTS_PER_PING}"
    );
    sock.write_all(
        b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream; charset=utf-8\r\nrequest-id: req_bench_stream\r\ntransfer-encoding: chunked\r\n\r\n",
    )
    .await?;
    let (full, last) = batches();
    for _ in 0..events / EVENTS_PER_PING - 1 {
        sock.write_all(full).await?;
    }
    sock.write_all(last).await?;
    sock.write_all(b"0\r\n\r\n").await
}

// ---------------------------------------------------------------------------------------
// Measurement helpers.

/// Whether `--quick` is among the arguments.
pub fn quick() -> bool {
    std::env::args().skip(1).any(|a| a == "--quick")
}

/// `cargo bench` passes `--bench`; `cargo test --benches` (or `--all-targets`) does not, and
/// then the benchmark only says so and exits, so no test command runs it.
pub fn run_by_cargo_bench(name: &str) -> bool {
    let yes = std::env::args().skip(1).any(|a| a == "--bench");
    if !yes {
        eprintln!("{name}: a benchmark; run it with `cargo bench -p anthropic-completions --bench {name}` or `cargo xtask bench`");
    }
    yes
}

/// A single-threaded runtime for the client under test: one core, as the targets ask.
pub fn client_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime")
}

/// Median of `values` (not empty).
pub fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Wall time and the CPU time of the calling thread.
#[derive(Debug, Clone, Copy)]
pub struct Elapsed {
    pub wall: Duration,
    pub cpu: Duration,
}

/// The CPU time this thread has used (`CLOCK_THREAD_CPUTIME_ID`). The client under test runs
/// on a single-threaded runtime on this thread, its connection tasks included, so this is the
/// client side's cost, unaffected by time spent waiting for the server or for a core.
#[cfg(unix)]
pub fn thread_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is valid for writes; the clock id is a constant the kernel knows.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return Duration::ZERO;
    }
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Not measured off Unix.
#[cfg(not(unix))]
pub fn thread_cpu() -> Duration {
    Duration::ZERO
}

/// Runs `f` and returns how long it took, in wall and thread CPU time.
pub async fn timed<F: std::future::Future<Output = T>, T>(f: F) -> (T, Elapsed) {
    let (wall, cpu) = (Instant::now(), thread_cpu());
    let out = f.await;
    let elapsed = Elapsed {
        wall: wall.elapsed(),
        cpu: thread_cpu().saturating_sub(cpu),
    };
    (out, elapsed)
}

/// A field of `/proc/self/status` in KiB (`VmHWM`, `VmRSS`), if readable.
pub fn proc_status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
}

/// Resets `VmHWM` to the current RSS (Linux: `5` to `/proc/self/clear_refs`).
pub fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// Prints one result line for `cargo xtask bench`.
pub fn emit(value: serde_json::Value) {
    println!("{value}");
}
