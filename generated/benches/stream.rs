//! Streaming: a long `text/event-stream` (200,000 `completion` events and a `ping` every 100;
//! `--quick`: 20,000) consumed through `client.completions().create_streaming(&params)`,
//! against the floor: the same bytes read with plain `reqwest` (`Response::chunk`), events
//! split with the simplest correct loop for this server's output (blank-line separated,
//! `event:`/`data:` lines, no SSE layer) and the same JSON payloads parsed with `serde_json`
//! into a plain struct.
//!
//! `cargo bench -p anthropic-completions --bench stream [-- --quick]`; run by
//! `cargo xtask bench`. The consumer runs on a single-threaded tokio runtime on the main thread
//! (one core), whose CPU time gives the events/s on one core; the server has its own thread. Peak memory is the process's `VmHWM`, reset
//! before each measured stream through `/proc/self/clear_refs`, for a stream of a tenth of the
//! length and for the full length: equal peaks mean memory does not grow with the stream.

mod common;

use std::collections::HashMap;

use anthropic_completions::StreamExt;
use common::{emit, median, Elapsed, FloorCompletion, FloorParams, Server};
use serde_json::json;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Impl {
    Floor,
    Forge,
}

impl Impl {
    fn name(self) -> &'static str {
        match self {
            Impl::Floor => "floor",
            Impl::Forge => "forge",
        }
    }
}

/// Items received and the total length of their text.
#[derive(Debug, Default, PartialEq, Eq)]
struct Tally {
    items: usize,
    text: usize,
}

/// The two clients, each made once (a stream's length is in its base URL for the server).
struct Clients {
    /// Plain reqwest, for the floor.
    http: reqwest::Client,
    /// The generated client for each stream length.
    forge: HashMap<usize, anthropic_completions::Client>,
}

impl Clients {
    fn new(server: &Server, lengths: &[usize]) -> Clients {
        let forge = lengths
            .iter()
            .map(|&n| {
                (
                    n,
                    common::forge_client(&server.base_url(&format!("/events/{n}"))),
                )
            })
            .collect();
        Clients {
            http: common::floor_http(),
            forge,
        }
    }
}

async fn forge_stream(client: &anthropic_completions::Client) -> Tally {
    let mut stream = client
        .completions()
        .create_streaming(&common::forge_params())
        .await
        .expect("forge stream");
    let mut tally = Tally::default();
    while let Some(item) = stream.next().await {
        let item = item.expect("forge item");
        tally.items += 1;
        tally.text += item.completion.len();
    }
    tally
}

/// The position of the first blank line (`\n\n`) in `buf`.
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

async fn floor_stream(http: &reqwest::Client, server: &Server, events: usize) -> Tally {
    let url = server.base_url(&format!("/events/{events}/v1/complete"));
    let body = serde_json::to_vec(&FloorParams {
        model: common::MODEL,
        prompt: common::PROMPT,
        max_tokens_to_sample: common::MAX_TOKENS,
        stream: Some(true),
    })
    .expect("serializable");
    let mut resp = common::floor_request(http, &url, "text/event-stream", body)
        .send()
        .await
        .expect("floor request");
    assert!(
        resp.status().is_success(),
        "floor: status {}",
        resp.status()
    );
    let mut tally = Tally::default();
    let mut buf: Vec<u8> = Vec::new();
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
                let item: FloorCompletion = serde_json::from_slice(data).expect("floor decode");
                tally.items += 1;
                tally.text += item.completion.len();
            }
        }
        buf.drain(..start);
    }
    tally
}

async fn run(clients: &Clients, server: &Server, which: Impl, events: usize) -> Elapsed {
    let (tally, elapsed) = common::timed(async {
        match which {
            Impl::Floor => floor_stream(&clients.http, server, events).await,
            Impl::Forge => forge_stream(&clients.forge[&events]).await,
        }
    })
    .await;
    assert_eq!(tally.items, events, "{}: items received", which.name());
    assert_eq!(tally.text, (events - 1) * " Hello".len());
    elapsed
}

fn main() {
    if !common::run_by_cargo_bench("stream") {
        return;
    }
    let quick = common::quick();
    let events: usize = if quick { 20_000 } else { 200_000 };
    let rounds = if quick { 15 } else { 11 };
    let bytes = common::stream_body_len(events);
    let server = Server::start();
    let rt = common::client_runtime();
    rt.block_on(async {
        let clients = Clients::new(&server, &[events / 10, events]);
        // Warm-up (and a check that both see every event).
        for which in [Impl::Floor, Impl::Forge] {
            run(&clients, &server, which, events / 10).await;
        }
        // Per implementation: wall-clock and consumer-CPU events/s; per round: the ratios.
        let mut rates = [Vec::new(), Vec::new()];
        let mut cpu_rates = [Vec::new(), Vec::new()];
        let (mut ratios, mut cpu_ratios) = (Vec::new(), Vec::new());
        for round in 0..rounds {
            let order = if round % 2 == 0 {
                [Impl::Floor, Impl::Forge]
            } else {
                [Impl::Forge, Impl::Floor]
            };
            let mut this = [(0.0f64, 0.0f64); 2];
            for which in order {
                let elapsed = run(&clients, &server, which, events).await;
                let (wall, cpu) = (elapsed.wall.as_secs_f64(), elapsed.cpu.as_secs_f64());
                let rate = events as f64 / wall;
                let cpu_rate = events as f64 / cpu;
                this[which as usize] = (rate, cpu_rate);
                rates[which as usize].push(rate);
                cpu_rates[which as usize].push(cpu_rate);
                emit(json!({
                    "bench": "stream", "impl": which.name(), "round": round, "events": events,
                    "bytes": bytes, "secs": wall, "cpu_secs": cpu, "events_per_sec": rate,
                    "mb_per_sec": bytes as f64 / wall / 1e6,
                }));
            }
            ratios.push(this[0].0 / this[1].0);
            cpu_ratios.push(this[0].1 / this[1].1);
        }
        let floor = median(&rates[0]);
        let forge = median(&rates[1]);
        let ratio = median(&ratios);
        let cpu_ratio = median(&cpu_ratios);
        eprintln!(
            "stream: {rounds} rounds of {events} events: floor {floor:>8.0} events/s, forge {forge:>8.0} events/s, \
             ratio {ratio:.3} (rounds {:.2}..{:.2}); consumer CPU: floor {:.0}, forge {:.0} events/s, ratio {cpu_ratio:.3}",
            ratios.iter().copied().fold(f64::INFINITY, f64::min),
            ratios.iter().copied().fold(0.0, f64::max),
            median(&cpu_rates[0]),
            median(&cpu_rates[1]),
        );
        // Peak memory: a tenth of the stream, then all of it, each after a reset of VmHWM.
        let mut memory = serde_json::Map::new();
        let resettable = common::reset_peak_rss();
        for which in [Impl::Floor, Impl::Forge] {
            for len in [events / 10, events] {
                common::reset_peak_rss();
                let before = common::proc_status_kib("VmRSS");
                run(&clients, &server, which, len).await;
                let peak = common::proc_status_kib("VmHWM");
                eprintln!(
                    "stream: memory {:<5} {len:>7} events: VmRSS before {} KiB, VmHWM {} KiB",
                    which.name(),
                    before.unwrap_or(0),
                    peak.unwrap_or(0)
                );
                memory.insert(
                    format!("{}_{len}", which.name()),
                    json!({ "events": len, "rss_before_kib": before, "vm_hwm_kib": peak }),
                );
            }
        }
        emit(json!({
            "bench": "stream", "summary": true, "rounds": rounds, "events": events,
            "bytes": bytes, "floor_events_per_sec": floor, "forge_events_per_sec": forge,
            "floor_mb_per_sec": floor * bytes as f64 / events as f64 / 1e6,
            "forge_mb_per_sec": forge * bytes as f64 / events as f64 / 1e6,
            "ratio": ratio,
            "floor_cpu_events_per_sec": median(&cpu_rates[0]),
            "forge_cpu_events_per_sec": median(&cpu_rates[1]),
            "cpu_ratio": cpu_ratio,
            "hwm_reset": resettable,
            "short_events": events / 10,
            "forge_hwm_short_kib": memory[&format!("forge_{}", events / 10)]["vm_hwm_kib"],
            "forge_hwm_long_kib": memory[&format!("forge_{events}")]["vm_hwm_kib"],
            "floor_hwm_short_kib": memory[&format!("floor_{}", events / 10)]["vm_hwm_kib"],
            "floor_hwm_long_kib": memory[&format!("floor_{events}")]["vm_hwm_kib"],
            "runtime": "tokio current_thread (consumer), server on its own thread",
        }));
    });
}
