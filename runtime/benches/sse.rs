//! Throughput of the SSE decoder (no benchmark framework: `cargo bench -p forge-runtime`).

use std::time::Instant;

use forge_runtime::sse::SseDecoder;

fn main() {
    let event = "event: completion\ndata: {\"type\":\"completion\",\"completion\":\" Hello, world\",\"stop_reason\":null,\"model\":\"m\"}\n\n";
    let body = event.repeat(100_000);
    for chunk_size in [64usize, 1024, 16 * 1024] {
        let start = Instant::now();
        let mut decoder = SseDecoder::new();
        let mut out = Vec::with_capacity(100_000);
        for chunk in body.as_bytes().chunks(chunk_size) {
            if let Err(e) = decoder.feed(chunk, &mut out) {
                eprintln!("decode error: {e}");
                return;
            }
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "chunks of {chunk_size:>5} B: {} events, {:.0} MB/s",
            out.len(),
            body.len() as f64 / secs / 1e6
        );
    }
}
