//! Throughput of the SSE decoder (no benchmark framework: `cargo bench -p forge-runtime
//! --bench sse`): `feed_with` (borrowed events, what `EventStream` uses) and `feed` (an owned
//! `SseEvent` per event), best of seven runs per chunk size.

use std::time::Instant;

use forge_runtime::sse::SseDecoder;

const EVENTS: usize = 200_000;

fn best_of<F: FnMut() -> usize>(mut run: F) -> (f64, usize) {
    let mut best = f64::MAX;
    let mut bytes = 0;
    for _ in 0..7 {
        let start = Instant::now();
        bytes = run();
        best = best.min(start.elapsed().as_secs_f64());
    }
    (best, bytes)
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return; // `cargo test` runs bench targets without `--bench`: nothing to do.
    }
    let event = "event: completion\ndata: {\"type\":\"completion\",\"completion\":\" Hello, world\",\"stop_reason\":null,\"model\":\"m\"}\n\n";
    let body = event.repeat(EVENTS);
    let mb = body.len() as f64 / 1e6;
    for chunk_size in [64usize, 1024, 16 * 1024] {
        let (borrowed, a) = best_of(|| {
            let mut decoder = SseDecoder::new();
            let mut data = 0;
            for chunk in body.as_bytes().chunks(chunk_size) {
                let fed = decoder.feed_with(chunk, |e| {
                    data += e.data.len();
                    true
                });
                if let Err(e) = fed {
                    eprintln!("decode error: {e}");
                    return 0;
                }
            }
            data
        });
        let (owned, b) = best_of(|| {
            let mut decoder = SseDecoder::new();
            let mut out = Vec::with_capacity(EVENTS);
            for chunk in body.as_bytes().chunks(chunk_size) {
                if let Err(e) = decoder.feed(chunk, &mut out) {
                    eprintln!("decode error: {e}");
                    return 0;
                }
            }
            out.iter().map(|e| e.data.len()).sum()
        });
        assert_eq!(a, b, "both ways decode the same data");
        println!(
            "chunks of {chunk_size:>5} B: {EVENTS} events, feed_with {:.0} MB/s, feed {:.0} MB/s",
            mb / borrowed,
            mb / owned
        );
    }
}
