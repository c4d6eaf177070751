//! A driver's result file, read back, and the counts of one spec.

use serde::Deserialize;
use serde_json::Value;

/// What a driver wrote (see `codegen/src/driver/assets/support.rs`). Every field of the file
/// is read, including those the report does not show yet, so a malformed file is refused whole.
#[allow(dead_code)]
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Results {
    /// The generator's seed.
    pub seed: u64,
    /// One per sample.
    pub roundtrip: Vec<RoundTrip>,
    /// (type, why a sample was not made).
    pub skipped: Vec<(String, String)>,
    /// One per call.
    pub wire: Vec<Call>,
}

/// One sample's round trip.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RoundTrip {
    /// Rust type name.
    #[serde(rename = "type")]
    pub ty: String,
    /// Its schema's pointer.
    pub pointer: String,
    /// Where the sample came from.
    pub source: String,
    /// `ok`, `lossy` or `failed`.
    pub outcome: String,
    /// The first differing pointer, when lossy.
    #[serde(default)]
    pub at: Option<String>,
    /// serde's message, when failed.
    #[serde(default)]
    pub error: Option<String>,
    /// The sample, when not ok.
    #[serde(default)]
    pub sample: Option<Value>,
    /// What came back at `at`, when lossy.
    #[serde(default)]
    pub got: Option<Value>,
}

/// One call.
#[allow(dead_code)]
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Call {
    /// operationId.
    pub op: String,
    /// HTTP method.
    pub method: String,
    /// Path template.
    pub path: String,
    /// `prism` or `sse`.
    pub target: String,
    /// The status, when a response came.
    #[serde(default)]
    pub status: Option<u16>,
    /// Whether the response decoded.
    pub decoded: bool,
    /// The error body or message.
    #[serde(default)]
    pub error: Option<String>,
    /// Prism's `sl-violations` header.
    #[serde(default)]
    pub violations: Option<String>,
    /// Events read, for streams.
    #[serde(default)]
    pub events: Option<usize>,
    /// Whether the spec declares a success response (results of older drivers: assumed).
    #[serde(default = "yes")]
    pub success_declared: bool,
}

fn yes() -> bool {
    true
}

impl Call {
    /// Prism took the request: a 2xx or 3xx status.
    pub fn accepted(&self) -> bool {
        self.status.is_some_and(|s| (200..400).contains(&s))
    }

    /// Accepted and decoded.
    pub fn ok(&self) -> bool {
        self.accepted() && self.decoded
    }
}

/// The counts of one spec.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Calls sent to Prism.
    pub called: usize,
    /// Of those, answered with a 2xx/3xx.
    pub accepted: usize,
    /// Of those, decoded.
    pub decoded: usize,
    /// Streaming calls sent to the driver's own event server.
    pub streamed: usize,
    /// Of those, every event decoded.
    pub streamed_ok: usize,
    /// Types with samples.
    pub types: usize,
    /// Samples.
    pub samples: usize,
    /// Round trips without loss.
    pub ok: usize,
    /// Decoded but re-encoded differently.
    pub lossy: usize,
    /// Did not decode.
    pub failed: usize,
}

impl Counts {
    /// From a result file.
    pub fn of(r: &Results) -> Counts {
        let prism = r.wire.iter().filter(|c| c.target == "prism");
        let sse: Vec<&Call> = r.wire.iter().filter(|c| c.target == "sse").collect();
        let mut types: Vec<&str> = r.roundtrip.iter().map(|t| t.ty.as_str()).collect();
        types.sort_unstable();
        types.dedup();
        let outcome = |o: &str| r.roundtrip.iter().filter(|t| t.outcome == o).count();
        let prism: Vec<&Call> = prism.collect();
        Counts {
            called: prism.len(),
            accepted: prism.iter().filter(|c| c.accepted()).count(),
            decoded: prism.iter().filter(|c| c.ok()).count(),
            streamed: sse.len(),
            streamed_ok: sse.iter().filter(|c| c.ok()).count(),
            types: types.len(),
            samples: r.roundtrip.len(),
            ok: outcome("ok"),
            lossy: outcome("lossy"),
            failed: outcome("failed"),
        }
    }

    /// Adds another spec's counts.
    pub fn add(&mut self, o: &Counts) {
        self.called += o.called;
        self.accepted += o.accepted;
        self.decoded += o.decoded;
        self.streamed += o.streamed;
        self.streamed_ok += o.streamed_ok;
        self.types += o.types;
        self.samples += o.samples;
        self.ok += o.ok;
        self.lossy += o.lossy;
        self.failed += o.failed;
    }
}
