//! The client and streaming benchmarks: `generated/benches/{client,stream}.rs`, run with
//! `cargo bench -p anthropic-completions --bench NAME [-- --quick]`. They print progress on
//! stderr (passed through) and one JSON object per line on stdout; the summary lines are read
//! here.

use std::path::Path;
use std::process::Stdio;
use std::time::Instant;

use serde_json::Value;

use super::{cargo, checked};
use forge::Error;

/// The generated crate's package name.
const PACKAGE: &str = "anthropic-completions";

/// `generate/benches` built in release mode (the `bench` profile); returns the seconds taken.
pub fn build(root: &Path) -> Result<f64, Error> {
    let started = Instant::now();
    let mut cmd = cargo();
    cmd.current_dir(root).args([
        "bench", "--quiet", "--no-run", "-p", PACKAGE, "--bench", "client", "--bench", "stream",
    ]);
    checked(cmd, "cargo bench --no-run -p anthropic-completions")?;
    Ok(started.elapsed().as_secs_f64())
}

/// Runs one bench binary and returns its JSON lines.
pub fn run(root: &Path, bench: &str, quick: bool) -> Result<Vec<Value>, Error> {
    let mut cmd = cargo();
    cmd.current_dir(root)
        .args(["bench", "--quiet", "-p", PACKAGE, "--bench", bench, "--"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    if quick {
        cmd.arg("--quick");
    }
    let output = cmd
        .output()
        .map_err(Error::io(format!("cannot run cargo bench --bench {bench}")))?;
    if !output.status.success() {
        return Err(Error::Message(format!(
            "cargo bench --bench {bench} failed ({})",
            output.status
        )));
    }
    Ok(json_lines(&String::from_utf8_lossy(&output.stdout)))
}

/// The lines of `text` that are JSON objects.
pub fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .filter(|l| l.trim_start().starts_with('{'))
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

fn num(v: &Value, key: &str) -> f64 {
    v.get(key).and_then(Value::as_f64).unwrap_or(f64::NAN)
}

fn kib(v: &Value, key: &str) -> Option<u64> {
    v.get(key).and_then(Value::as_u64)
}

/// One client mode's summary.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientResult {
    /// `sequential` or `concurrent`.
    pub mode: String,
    /// Tasks issuing requests at once.
    pub tasks: u64,
    /// Requests per round and client.
    pub requests: u64,
    /// Rounds.
    pub rounds: u64,
    /// Requests per second, median over rounds.
    pub floor_per_sec: f64,
    /// Requests per second, median over rounds.
    pub forge_per_sec: f64,
    /// Median over rounds of floor rate / generated client rate (time per request, relative).
    pub ratio: f64,
    /// Client-thread CPU per request, µs, median over rounds.
    pub floor_cpu_micros: f64,
    /// Client-thread CPU per request, µs, median over rounds.
    pub forge_cpu_micros: f64,
    /// Median over rounds of generated / floor client-thread CPU per request.
    pub cpu_ratio: f64,
}

/// The client benchmark's summaries, and whether both clients sent the same request.
#[derive(Debug, Clone, PartialEq)]
pub struct Client {
    /// Sequential, then concurrent.
    pub modes: Vec<ClientResult>,
    /// Same body bytes and same headers (names and values) from both clients.
    pub same_request: Option<bool>,
    /// The header names sent.
    pub headers: Vec<String>,
}

/// Reads the client bench's lines.
pub fn client(lines: &[Value]) -> Client {
    let modes = lines
        .iter()
        .filter(|v| v["bench"] == "client" && v["summary"] == true)
        .map(|v| ClientResult {
            mode: v["mode"].as_str().unwrap_or("?").to_owned(),
            tasks: v["tasks"].as_u64().unwrap_or(1),
            requests: v["requests"].as_u64().unwrap_or(0),
            rounds: v["rounds"].as_u64().unwrap_or(0),
            floor_per_sec: num(v, "floor_per_sec"),
            forge_per_sec: num(v, "forge_per_sec"),
            ratio: num(v, "ratio"),
            floor_cpu_micros: num(v, "floor_cpu_micros"),
            forge_cpu_micros: num(v, "forge_cpu_micros"),
            cpu_ratio: num(v, "cpu_ratio"),
        })
        .collect();
    let check = lines.iter().find(|v| v["check"] == "same request");
    Client {
        modes,
        same_request: check.map(|v| v["same_body"] == true && v["same_headers"] == true),
        headers: check
            .and_then(|v| v["headers"].as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|h| h.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// The stream bench's summary.
#[derive(Debug, Clone, PartialEq)]
pub struct Stream {
    /// `completion` events per stream.
    pub events: u64,
    /// Body bytes per stream.
    pub bytes: u64,
    /// Rounds.
    pub rounds: u64,
    /// Events per second, median over rounds.
    pub floor_per_sec: f64,
    /// Events per second, median over rounds.
    pub forge_per_sec: f64,
    /// Median over rounds of floor rate / generated client rate.
    pub ratio: f64,
    /// Events per second of consumer-thread CPU time (one core), median over rounds.
    pub floor_cpu_per_sec: f64,
    /// Events per second of consumer-thread CPU time (one core), median over rounds.
    pub forge_cpu_per_sec: f64,
    /// Median over rounds of the CPU-time ratio.
    pub cpu_ratio: f64,
    /// The shorter stream of the memory check.
    pub short_events: u64,
    /// `VmHWM` after the shorter and the full stream through the generated client, KiB.
    pub forge_hwm: (Option<u64>, Option<u64>),
    /// The same for the floor.
    pub floor_hwm: (Option<u64>, Option<u64>),
    /// Whether `VmHWM` could be reset before each stream.
    pub hwm_reset: bool,
}

impl Stream {
    /// Megabytes per second of a rate in events per second.
    pub fn mb_per_sec(&self, events_per_sec: f64) -> f64 {
        events_per_sec * self.bytes as f64 / self.events.max(1) as f64 / 1e6
    }
}

/// Reads the stream bench's lines.
pub fn stream(lines: &[Value]) -> Option<Stream> {
    let v = lines
        .iter()
        .find(|v| v["bench"] == "stream" && v["summary"] == true)?;
    Some(Stream {
        events: v["events"].as_u64().unwrap_or(0),
        bytes: v["bytes"].as_u64().unwrap_or(0),
        rounds: v["rounds"].as_u64().unwrap_or(0),
        floor_per_sec: num(v, "floor_events_per_sec"),
        forge_per_sec: num(v, "forge_events_per_sec"),
        ratio: num(v, "ratio"),
        floor_cpu_per_sec: num(v, "floor_cpu_events_per_sec"),
        forge_cpu_per_sec: num(v, "forge_cpu_events_per_sec"),
        cpu_ratio: num(v, "cpu_ratio"),
        short_events: v["short_events"].as_u64().unwrap_or(0),
        forge_hwm: (kib(v, "forge_hwm_short_kib"), kib(v, "forge_hwm_long_kib")),
        floor_hwm: (kib(v, "floor_hwm_short_kib"), kib(v, "floor_hwm_long_kib")),
        hwm_reset: v["hwm_reset"] == true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_summaries() {
        let text = r#"
client: progress on stdout is ignored
{"bench":"client","check":"same request","same_body":true,"same_headers":true,"headers":["accept","x-api-key"]}
{"bench":"client","mode":"sequential","impl":"floor","round":0,"per_sec":10.0}
{"bench":"client","mode":"sequential","summary":true,"rounds":5,"requests":100,"tasks":1,"floor_per_sec":1000.0,"forge_per_sec":950.0,"ratio":1.05,"floor_cpu_micros":10.0,"forge_cpu_micros":11.0,"cpu_ratio":1.1}
{"bench":"client","mode":"concurrent","summary":true,"rounds":5,"requests":640,"tasks":64,"floor_per_sec":2000.0,"forge_per_sec":1900.0,"ratio":1.06}
{"bench":"stream","summary":true,"rounds":3,"events":200,"bytes":20000,"floor_events_per_sec":1000.0,"forge_events_per_sec":800.0,"ratio":1.25,"hwm_reset":true,"short_events":20,"forge_hwm_short_kib":7000,"forge_hwm_long_kib":7004,"floor_hwm_short_kib":6000,"floor_hwm_long_kib":6000}
"#;
        let lines = json_lines(text);
        assert_eq!(lines.len(), 5);
        let c = client(&lines);
        assert_eq!(c.same_request, Some(true));
        assert_eq!(c.headers, ["accept", "x-api-key"]);
        assert_eq!(c.modes.len(), 2);
        assert_eq!(c.modes[1].tasks, 64);
        assert_eq!(c.modes[0].ratio, 1.05);
        assert_eq!(c.modes[0].cpu_ratio, 1.1);
        assert!(c.modes[1].cpu_ratio.is_nan());
        let s = stream(&lines).unwrap();
        assert_eq!(s.forge_hwm, (Some(7000), Some(7004)));
        assert_eq!(s.mb_per_sec(800.0), 0.08);
        assert!(stream(&lines[..1]).is_none());
    }
}
