//! Load: one client shared by 1,000 concurrent tasks against a local keep-alive server that
//! records every request by a unique id. Nothing may be lost or duplicated, every outcome is a
//! value or a typed error, and the connection pool stays bounded and is reused.
//!
//! The server is raw HTTP/1.1 over `tokio::net` so it can count accepted and open TCP
//! connections, which wiremock cannot.

mod common;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::Error;
use forge_runtime::{ApiErrorKind, Method, Request, RequestOptions};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// Idle keep-alive connections the runtime's built-in pool keeps per host.
const POOL_MAX_IDLE: usize = forge_runtime::POOL_MAX_IDLE_PER_HOST;

/// Tasks per wave. Lowered only if the process may not open enough sockets (client and server
/// ends both live in this process).
const TASKS: usize = 1000;

/// Fails instead of hanging (not a speed check).
const HANG_GUARD: Duration = Duration::from_secs(60);

#[derive(Default)]
struct Stats {
    accepted: AtomicUsize,
    open: AtomicUsize,
    /// id -> times the server saw it
    seen: Mutex<HashMap<u64, u32>>,
}

struct LoadServer {
    url: String,
    stats: Arc<Stats>,
    task: JoinHandle<()>,
}

impl Drop for LoadServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Every id ending in 3 gets a 400 with an error envelope (a typed, non-retryable failure that
/// reached the server); the others a 200 echoing the id.
fn answer(id: u64) -> String {
    let (status, body) = if id % 10 == 3 {
        (
            "400 Bad Request",
            json!({"type": "error", "error": {"type": "invalid_request_error", "message": format!("id {id} refused")}})
                .to_string(),
        )
    } else {
        ("200 OK", json!({"id": id}).to_string())
    };
    format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
}

/// Serve keep-alive requests on one connection until the client closes it.
async fn serve_connection(mut stream: TcpStream, stats: Arc<Stats>) {
    let mut buf: Vec<u8> = Vec::with_capacity(4096);
    let mut tmp = [0u8; 4096];
    loop {
        // One request: head, then a content-length body.
        let (head_end, body_len) = loop {
            if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&buf[..pos]).to_ascii_lowercase();
                let len = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse::<usize>().ok())
                    .unwrap_or(0);
                if buf.len() >= pos + 4 + len {
                    break (pos, len);
                }
            }
            match stream.read(&mut tmp).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&tmp[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
        let id = head
            .lines()
            .find_map(|l| l.strip_prefix("x-load-id:"))
            .and_then(|v| v.trim().parse::<u64>().ok())
            .unwrap_or(u64::MAX);
        buf.drain(..head_end + 4 + body_len);
        *stats.seen.lock().unwrap().entry(id).or_insert(0) += 1;
        if stream.write_all(answer(id).as_bytes()).await.is_err() {
            return;
        }
    }
}

/// A listener whose accept queue holds a whole wave: with the usual 1,024 a burst of 1,000
/// connects can overflow it, and the dropped SYNs are retried a second later, so connections
/// of one wave would be counted in the next.
fn listener() -> TcpListener {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    socket.listen(4096).unwrap()
}

async fn load_server() -> LoadServer {
    let listener = listener();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let stats = Arc::new(Stats::default());
    let s = stats.clone();
    let task = tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            s.accepted.fetch_add(1, Ordering::SeqCst);
            s.open.fetch_add(1, Ordering::SeqCst);
            let s = s.clone();
            tokio::spawn(async move {
                serve_connection(stream, s.clone()).await;
                s.open.fetch_sub(1, Ordering::SeqCst);
            });
        }
    });
    LoadServer { url, stats, task }
}

/// The outcome of one request, checked against its id.
#[derive(Debug)]
enum Outcome {
    Ok,
    /// A typed API error for an id the server refuses.
    Refused,
}

async fn one(client: &common::TestApi, id: u64) -> Result<Outcome, Error> {
    let req = Request::new(Method::POST, "/v1/load")
        .header("x-load-id", id.to_string())
        .json(&json!({"id": id, "pad": "x".repeat((id % 7) as usize * 100)}));
    match client.send_json::<Value>(req, RequestOptions::new()).await {
        Ok(r) => {
            assert_eq!(r.value()["id"], id, "answer for another request");
            assert_eq!(r.retries_taken(), 0, "id {id} was retried");
            Ok(Outcome::Ok)
        }
        Err(Error::Api(api))
            if api.kind() == ApiErrorKind::BadRequest
                && api.message() == format!("id {id} refused") =>
        {
            Ok(Outcome::Refused)
        }
        Err(e) => Err(e),
    }
}

/// The soft limit on open files, from /proc (Linux); `None` elsewhere.
fn open_file_limit() -> Option<usize> {
    let text = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = text.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

/// Wait (up to 5 s) until `f` holds, for counters the server updates asynchronously.
async fn eventually(mut f: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(5) {
        if f() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    f()
}

/// Wait (up to 5 s) until the accepted-connection count stops moving for 300 ms: the pool may
/// finish connects it started during a burst (and lost to a freed connection) in the
/// background, and those belong to the burst.
async fn settle(stats: &Stats) -> usize {
    let start = Instant::now();
    let mut last = stats.accepted.load(Ordering::SeqCst);
    let mut still_since = Instant::now();
    while start.elapsed() < Duration::from_secs(5) {
        tokio::time::sleep(Duration::from_millis(20)).await;
        let now = stats.accepted.load(Ordering::SeqCst);
        if now != last {
            last = now;
            still_since = Instant::now();
        } else if still_since.elapsed() >= Duration::from_millis(300) {
            break;
        }
    }
    last
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousand_tasks_one_client_nothing_lost_or_duplicated_and_the_pool_is_bounded() {
    let tasks = match open_file_limit() {
        // Both ends of every connection are in this process, plus some slack.
        Some(limit) if limit < 2 * TASKS + 256 => {
            let n = (limit.saturating_sub(256) / 2).max(50);
            eprintln!("open-file limit {limit}: using {n} tasks per wave instead of {TASKS}");
            n
        }
        _ => TASKS,
    };
    let server = load_server().await;
    let client = common::client(&server.url);

    // Wave 1: all tasks at once.
    let start = Instant::now();
    let handles: Vec<_> = (0..tasks as u64)
        .map(|id| {
            let client = client.clone();
            tokio::spawn(async move { (id, one(&client, id).await) })
        })
        .collect();
    let mut ok = 0;
    let mut refused = 0;
    let mut other = Vec::new();
    for h in handles {
        let (id, outcome) = tokio::time::timeout(HANG_GUARD, h)
            .await
            .expect("hang guard")
            .expect("task panicked");
        match outcome {
            Ok(Outcome::Ok) => ok += 1,
            Ok(Outcome::Refused) => refused += 1,
            Err(e) => other.push(format!("{id}: {e}")),
        }
    }
    let wave1 = start.elapsed();
    assert!(
        other.is_empty(),
        "untyped or unexpected failures: {other:?}"
    );
    assert_eq!(ok + refused, tasks);
    assert_eq!(refused, (0..tasks).filter(|i| i % 10 == 3).count());
    {
        let seen = server.stats.seen.lock().unwrap();
        assert_eq!(seen.len(), tasks, "requests the server never saw");
        let dup: Vec<_> = seen.iter().filter(|(_, n)| **n != 1).collect();
        assert!(dup.is_empty(), "seen more than once: {dup:?}");
        assert!((0..tasks as u64).all(|id| seen.contains_key(&id)));
        assert_eq!(
            seen.values().sum::<u32>() as usize,
            ok + refused,
            "server count == successes + failures that reached it"
        );
    }
    let accepted1 = settle(&server.stats).await;
    assert!(
        (1..=tasks).contains(&accepted1),
        "{accepted1} connections for {tasks} requests"
    );

    // Idle connections beyond the pool's bound are closed once the burst is over.
    let bounded = eventually(|| server.stats.open.load(Ordering::SeqCst) <= POOL_MAX_IDLE).await;
    let open_after = server.stats.open.load(Ordering::SeqCst);
    assert!(
        bounded,
        "{open_after} connections still open after the burst; the pool keeps at most {POOL_MAX_IDLE} idle"
    );

    // Wave 2: as many requests again on the same client, 50 at a time: the idle connections
    // are reused, so (almost) no new ones are opened.
    let next = Arc::new(AtomicUsize::new(tasks));
    let end = 2 * tasks;
    let start = Instant::now();
    let workers: Vec<_> = (0..50)
        .map(|_| {
            let client = client.clone();
            let next = next.clone();
            tokio::spawn(async move {
                let mut failures = Vec::new();
                loop {
                    let id = next.fetch_add(1, Ordering::SeqCst);
                    if id >= end {
                        return failures;
                    }
                    if let Err(e) = one(&client, id as u64).await {
                        failures.push(format!("{id}: {e}"));
                    }
                }
            })
        })
        .collect();
    for w in workers {
        let failures = tokio::time::timeout(HANG_GUARD, w)
            .await
            .expect("hang guard")
            .unwrap();
        assert!(failures.is_empty(), "{failures:?}");
    }
    let wave2 = start.elapsed();
    let accepted2 = server.stats.accepted.load(Ordering::SeqCst) - accepted1;
    {
        let seen = server.stats.seen.lock().unwrap();
        assert_eq!(seen.len(), end);
        assert!(seen.values().all(|n| *n == 1));
    }
    eprintln!(
        "load: wave 1 ({tasks} concurrent) {wave1:?}, {accepted1} connections, {open_after} left open; \
         wave 2 ({tasks} requests, 50 at a time) {wave2:?}, {accepted2} new connections"
    );
    assert!(
        accepted2 <= 5,
        "{accepted2} new connections in wave 2: the pool did not reuse its idle connections"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_failures_are_typed_and_counted_once() {
    // Half the requests time out (the server holds them), half succeed; one shared client,
    // max_retries 0 so every attempt is one request. Timeouts reached the server too.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(HashMap::<u64, u32>::new()));
    let log = seen.clone();
    let server = tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let log = log.clone();
            tokio::spawn(async move {
                let req = common::read_request(&mut stream).await;
                let id = req
                    .lines()
                    .find_map(|l| l.strip_prefix("x-load-id: "))
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .unwrap_or(u64::MAX);
                *log.lock().unwrap().entry(id).or_insert(0) += 1;
                if id % 2 == 1 {
                    tokio::time::sleep(Duration::from_secs(30)).await;
                }
                let body = json!({"id": id}).to_string();
                let _ = stream
                    .write_all(
                        format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                            body.len()
                        )
                        .as_bytes(),
                    )
                    .await;
            });
        }
    });
    let client = common::builder(&url)
        .timeout(Duration::from_secs(3))
        .max_retries(0)
        .build()
        .unwrap();
    let n = 200u64;
    let handles: Vec<_> = (0..n)
        .map(|id| {
            let client = client.clone();
            tokio::spawn(async move {
                let req = Request::new(Method::GET, "/x").header("x-load-id", id.to_string());
                let r = client.send_json::<Value>(req, RequestOptions::new()).await;
                (id, r)
            })
        })
        .collect();
    let (mut ok, mut timeouts) = (0, 0);
    for h in handles {
        let (id, r) = tokio::time::timeout(HANG_GUARD, h).await.unwrap().unwrap();
        match r {
            Ok(v) if id % 2 == 0 => {
                assert_eq!(v.value()["id"], id);
                ok += 1;
            }
            Err(Error::Timeout { .. }) if id % 2 == 1 => timeouts += 1,
            other => panic!("{id}: {other:?}"),
        }
    }
    assert_eq!((ok, timeouts), (n / 2, n / 2));
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len() as u64, n);
    assert!(seen.values().all(|c| *c == 1), "{seen:?}");
    server.abort();
}
