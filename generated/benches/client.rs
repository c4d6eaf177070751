//! Client overhead: `client.completions().create(&params)` against the floor, the same
//! request made with plain `reqwest` + `serde_json` (no generated code), both against an
//! in-process keep-alive HTTP/1.1 server on 127.0.0.1 answering a canned `Completion`.
//!
//! `cargo bench -p anthropic-completions --bench client [-- --quick]`; run by
//! `cargo xtask bench`. Sequential calls and 64 concurrent tasks; each round runs the floor
//! and the generated client back to back (alternating which goes first), and the ratio is
//! the median over rounds of (floor requests/s) / (generated requests/s): 1.00 is no overhead.
//! The client side runs on a single-threaded tokio runtime on the main thread, so that
//! thread's CPU time is the client side's cost (`cpu_ratio`: generated over floor, per
//! request); the server has its own thread.

mod common;

use std::sync::Arc;

use common::{emit, median, Elapsed, Server};
use serde_json::json;
use tokio::task::JoinSet;

const TASKS: usize = 64;

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

struct Clients {
    forge: anthropic_completions::Client,
    params: anthropic_completions::CompletionCreateParams,
    http: reqwest::Client,
    url: String,
}

async fn one(clients: &Clients, which: Impl) -> usize {
    match which {
        Impl::Forge => {
            let c = clients
                .forge
                .completions()
                .create(&clients.params)
                .await
                .expect("forge request");
            c.completion.len()
        }
        Impl::Floor => common::floor_create(&clients.http, &clients.url)
            .await
            .completion
            .len(),
    }
}

async fn sequential(clients: &Arc<Clients>, which: Impl, requests: usize) -> Elapsed {
    let (total, elapsed) = common::timed(async {
        let mut total = 0;
        for _ in 0..requests {
            total += one(clients, which).await;
        }
        total
    })
    .await;
    assert!(total > 0);
    elapsed
}

async fn concurrent(clients: &Arc<Clients>, which: Impl, requests: usize) -> Elapsed {
    let per_task = requests / TASKS;
    let (total, elapsed) = common::timed(async {
        let mut set = JoinSet::new();
        for _ in 0..TASKS {
            let clients = Arc::clone(clients);
            set.spawn(async move {
                let mut total = 0;
                for _ in 0..per_task {
                    total += one(&clients, which).await;
                }
                total
            });
        }
        let mut total = 0;
        while let Some(r) = set.join_next().await {
            total += r.expect("task");
        }
        total
    })
    .await;
    assert!(total > 0);
    elapsed
}

/// Both clients send one request to `/capture/...`; the server compares what it received.
async fn check_same_request(server: &Server) -> bool {
    let forge = common::forge_client(&server.base_url("/capture/forge"));
    forge
        .completions()
        .create(&common::forge_params())
        .await
        .expect("forge request");
    let http = common::floor_http();
    common::floor_create(&http, &server.base_url("/capture/floor/v1/complete")).await;
    let (Some(a), Some(b)) = (common::captured("forge"), common::captured("floor")) else {
        eprintln!("client: the server captured no request");
        return false;
    };
    if a.body != b.body {
        eprintln!(
            "client: WARNING: the bodies differ:\n  forge: {}\n  floor: {}",
            String::from_utf8_lossy(&a.body),
            String::from_utf8_lossy(&b.body)
        );
    }
    if a.headers != b.headers {
        eprintln!(
            "client: WARNING: the headers differ:\n  forge: {:?}\n  floor: {:?}",
            a.headers, b.headers
        );
    }
    emit(json!({
        "bench": "client",
        "check": "same request",
        "same_body": a.body == b.body,
        "same_headers": a.headers == b.headers,
        "body_bytes": a.body.len(),
        "headers": a.headers.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
    }));
    a == b
}

fn main() {
    if !common::run_by_cargo_bench("client") {
        return;
    }
    let quick = common::quick();
    // Many short rounds, each running both clients back to back: on a shared machine the
    // load changes from second to second, and a round's two halves see nearly the same.
    let (rounds, seq_requests, conc_requests) = if quick {
        (15, 500, 1_280)
    } else {
        (41, 1_000, 2_560)
    };
    let server = Server::start();
    let rt = common::client_runtime();
    rt.block_on(async {
        check_same_request(&server).await;
        let clients = Arc::new(Clients {
            forge: common::forge_client(&server.base_url("")),
            params: common::forge_params(),
            http: common::floor_http(),
            url: server.base_url("/v1/complete"),
        });
        // Warm-up: open TASKS pooled connections for each client, fault in the code paths.
        for which in [Impl::Floor, Impl::Forge] {
            concurrent(&clients, which, TASKS * 8).await;
            sequential(&clients, which, 200).await;
        }
        for (mode, requests) in [("sequential", seq_requests), ("concurrent", conc_requests)] {
            let mut rates = [Vec::new(), Vec::new()];
            let mut cpu_per_request = [Vec::new(), Vec::new()];
            let (mut ratios, mut cpu_ratios) = (Vec::new(), Vec::new());
            for round in 0..rounds {
                let order = if round % 2 == 0 {
                    [Impl::Floor, Impl::Forge]
                } else {
                    [Impl::Forge, Impl::Floor]
                };
                let mut this = [(0.0f64, 0.0f64); 2];
                for which in order {
                    let elapsed = if mode == "sequential" {
                        sequential(&clients, which, requests).await
                    } else {
                        concurrent(&clients, which, requests).await
                    };
                    let rate = requests as f64 / elapsed.wall.as_secs_f64();
                    let cpu = elapsed.cpu.as_secs_f64() / requests as f64;
                    this[which as usize] = (rate, cpu);
                    rates[which as usize].push(rate);
                    cpu_per_request[which as usize].push(cpu);
                    emit(json!({
                        "bench": "client", "mode": mode, "impl": which.name(), "round": round,
                        "requests": requests, "secs": elapsed.wall.as_secs_f64(),
                        "cpu_secs": elapsed.cpu.as_secs_f64(), "per_sec": rate,
                    }));
                }
                ratios.push(this[0].0 / this[1].0);
                cpu_ratios.push(this[1].1 / this[0].1);
            }
            let floor = median(&rates[0]);
            let forge = median(&rates[1]);
            let ratio = median(&ratios);
            let cpu_ratio = median(&cpu_ratios);
            eprintln!(
                "client: {mode:<10} {rounds} rounds of {requests}: floor {floor:>7.0} req/s, forge {forge:>7.0} req/s, \
                 ratio {ratio:.3} (rounds {:.2}..{:.2}); client CPU/request ratio {cpu_ratio:.3}",
                ratios.iter().copied().fold(f64::INFINITY, f64::min),
                ratios.iter().copied().fold(0.0, f64::max),
            );
            emit(json!({
                "bench": "client", "mode": mode, "summary": true, "rounds": rounds,
                "requests": requests, "tasks": if mode == "sequential" { 1 } else { TASKS },
                "floor_per_sec": floor, "forge_per_sec": forge, "ratio": ratio,
                "floor_cpu_micros": median(&cpu_per_request[0]) * 1e6,
                "forge_cpu_micros": median(&cpu_per_request[1]) * 1e6,
                "cpu_ratio": cpu_ratio,
                "runtime": "tokio current_thread (client), server on its own thread",
            }));
        }
    });
}
