//! The one table, as aligned text for the terminal and as Markdown for `BENCHMARKS.md`.

use super::build_cost::{self, BuildCost};
use super::generation;
use super::http;
use super::measure::{bytes, rate, ratio, secs};

/// Target: in-process generation within this many times the parse floor.
pub const GENERATION_RATIO: f64 = 5.0;
/// Target: the largest spec generated within this many seconds.
pub const LARGEST_SECS: f64 = 1.0;
/// Target: the generated client within this ratio of plain reqwest + serde_json.
pub const CLIENT_RATIO: f64 = 1.10;
/// Target: streaming within this ratio of the floor.
pub const STREAM_RATIO: f64 = 1.5;
/// Target: events per second through the generated client, one core.
pub const STREAM_EVENTS_PER_SEC: f64 = 500_000.0;
/// Target: peak memory after the full stream at most this much above the short one's, KiB.
pub const STREAM_MEMORY_SLACK_KIB: u64 = 1024;

/// Everything one run measured.
#[derive(Debug, Default)]
pub struct Report {
    /// `--quick`.
    pub quick: bool,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Cores, rustc, CPU, load.
    pub machine: String,
    /// Per spec.
    pub generation: Vec<generation::Result>,
    /// The client bench, if it ran.
    pub client: Option<http::Client>,
    /// The stream bench, if it ran.
    pub stream: Option<http::Stream>,
    /// Build cost, if measured.
    pub build: Option<BuildCost>,
    /// Sections that could not run, with the reason.
    pub failures: Vec<String>,
    /// Build steps of this run and their seconds (release builds of the measured binaries).
    pub build_steps: Vec<(String, f64)>,
    /// Wall time of the whole run, release builds included.
    pub total_secs: f64,
}

/// One line of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// What was measured.
    pub benchmark: String,
    /// forge's figure.
    pub result: String,
    /// The floor's figure.
    pub floor: String,
    /// forge / floor, in time (1.00x: as fast as the floor; 2.00x: twice the time).
    pub ratio: String,
    /// The target.
    pub target: String,
    /// `ok`, `MISS (...)`, or `-` when there is no target.
    pub verdict: String,
}

const HEADER: [&str; 6] = ["benchmark", "result", "floor", "ratio", "target", "verdict"];

fn verdict(misses: &[&str]) -> String {
    if misses.is_empty() {
        "ok".to_owned()
    } else {
        format!("MISS ({})", misses.join(", "))
    }
}

/// `value <= max`, false for NaN (a figure that is missing misses its target).
fn within(value: f64, max: f64) -> bool {
    value <= max
}

fn kib(k: Option<u64>) -> String {
    k.map_or_else(|| "-".to_owned(), |k| bytes(k as f64 * 1024.0))
}

impl Report {
    /// The table's rows.
    pub fn rows(&self) -> Vec<Row> {
        let mut rows = Vec::new();
        let largest = self
            .generation
            .iter()
            .filter(|g| g.spec.settings.is_none())
            .map(|g| g.spec.bytes)
            .max();
        for g in &self.generation {
            let project = if g.spec.settings.is_some() {
                ", project"
            } else {
                ""
            };
            let lenient = if g.lenient { ", lenient" } else { "" };
            let benchmark = format!(
                "generate {} ({}{project}{lenient})",
                g.spec.file_name,
                bytes(g.spec.bytes as f64)
            );
            if let Some(error) = &g.error {
                rows.push(Row {
                    benchmark,
                    result: format!("failed: {error}"),
                    floor: format!("{} parse", secs(g.floor)),
                    ratio: "-".into(),
                    target: format!("≤ {GENERATION_RATIO}x"),
                    verdict: "FAILED".into(),
                });
                continue;
            }
            let is_largest = !self.quick && Some(g.spec.bytes) == largest;
            let in_process = g.in_process.unwrap_or(f64::NAN);
            let process = g.process.unwrap_or(f64::NAN);
            let mut misses = Vec::new();
            if !within(g.ratio().unwrap_or(f64::NAN), GENERATION_RATIO) {
                misses.push("5x");
            }
            if is_largest && !within(in_process, LARGEST_SECS) {
                misses.push("1 s");
            } else if is_largest && !within(process, LARGEST_SECS) {
                misses.push("1 s process");
            }
            rows.push(Row {
                benchmark,
                result: format!(
                    "{} in-process · {} process, peak {}",
                    secs(in_process),
                    secs(process),
                    kib(g.peak_kib)
                ),
                floor: format!("{} parse", secs(g.floor)),
                ratio: format!(
                    "{} · {}",
                    ratio(g.ratio().unwrap_or(f64::NAN)),
                    ratio(g.process_ratio().unwrap_or(f64::NAN))
                ),
                target: if is_largest {
                    format!("≤ {GENERATION_RATIO}x; < {LARGEST_SECS} s")
                } else {
                    format!("≤ {GENERATION_RATIO}x")
                },
                verdict: verdict(&misses),
            });
        }
        if let Some(client) = &self.client {
            for m in &client.modes {
                let what = if m.tasks > 1 {
                    format!("{} concurrent tasks", m.tasks)
                } else {
                    "sequential".to_owned()
                };
                let ok = within(m.ratio, CLIENT_RATIO);
                rows.push(Row {
                    benchmark: format!("client create(), {what}"),
                    result: format!(
                        "{} req/s · CPU {:.1} µs/req",
                        rate(m.forge_per_sec),
                        m.forge_cpu_micros
                    ),
                    floor: format!(
                        "{} req/s · CPU {:.1} µs/req",
                        rate(m.floor_per_sec),
                        m.floor_cpu_micros
                    ),
                    ratio: format!("{} · CPU {}", ratio(m.ratio), ratio(m.cpu_ratio)),
                    target: format!("≤ {CLIENT_RATIO:.2}x"),
                    verdict: verdict(if ok { &[] } else { &["10%"] }),
                });
            }
        }
        if let Some(s) = &self.stream {
            let mut misses = Vec::new();
            if !within(s.ratio, STREAM_RATIO) {
                misses.push("1.5x");
            }
            if !within(STREAM_EVENTS_PER_SEC, s.forge_cpu_per_sec) {
                misses.push("500k/s");
            }
            rows.push(Row {
                benchmark: format!(
                    "stream, {} events ({})",
                    rate(s.events as f64),
                    bytes(s.bytes as f64)
                ),
                result: format!(
                    "{} events/s · {:.0} MB/s · CPU {}/s",
                    rate(s.forge_per_sec),
                    s.mb_per_sec(s.forge_per_sec),
                    rate(s.forge_cpu_per_sec)
                ),
                floor: format!(
                    "{} events/s · {:.0} MB/s · CPU {}/s",
                    rate(s.floor_per_sec),
                    s.mb_per_sec(s.floor_per_sec),
                    rate(s.floor_cpu_per_sec)
                ),
                ratio: format!("{} · CPU {}", ratio(s.ratio), ratio(s.cpu_ratio)),
                target: format!(
                    "≤ {STREAM_RATIO}x; ≥ {}k/s/core",
                    STREAM_EVENTS_PER_SEC / 1e3
                ),
                verdict: verdict(&misses),
            });
            let flat = match s.forge_hwm {
                (Some(short), Some(long)) => long <= short + STREAM_MEMORY_SLACK_KIB,
                _ => false,
            };
            let mem_ratio = match (s.forge_hwm.1, s.floor_hwm.1) {
                (Some(a), Some(b)) if b > 0 => a as f64 / b as f64,
                _ => f64::NAN,
            };
            rows.push(Row {
                benchmark: format!(
                    "stream peak memory (VmHWM), {} → {} events",
                    rate(s.short_events as f64),
                    rate(s.events as f64)
                ),
                result: format!("{} → {}", kib(s.forge_hwm.0), kib(s.forge_hwm.1)),
                floor: format!("{} → {}", kib(s.floor_hwm.0), kib(s.floor_hwm.1)),
                ratio: ratio(mem_ratio),
                target: "flat (+ < 1 MiB)".into(),
                verdict: if !s.hwm_reset {
                    "- (VmHWM not resettable)".into()
                } else {
                    verdict(if flat { &[] } else { &["grows"] })
                },
            });
        }
        if let Some(b) = &self.build {
            rows.push(Row {
                benchmark: "dependencies of a crate using the client".into(),
                result: format!("{} crates", b.consumer_deps),
                floor: format!("{} crates (reqwest, serde, serde_json)", b.floor_deps),
                ratio: ratio(b.consumer_deps as f64 / b.floor_deps.max(1) as f64),
                target: "-".into(),
                verdict: "-".into(),
            });
            rows.push(Row {
                benchmark: "clean debug build of that crate".into(),
                result: match (b.consumer_secs(), b.extra_secs) {
                    (Some(total), Some(extra)) => {
                        format!("{} (floor + {})", secs(total), secs(extra))
                    }
                    _ => "skipped (--quick)".into(),
                },
                floor: b.floor_secs.map_or_else(|| "-".into(), secs),
                ratio: match (b.consumer_secs(), b.floor_secs) {
                    (Some(total), Some(floor)) => ratio(total / floor),
                    _ => "-".into(),
                },
                target: "-".into(),
                verdict: "-".into(),
            });
            if let (Some(full), Some(messages)) = (b.anthropic_full_secs, b.anthropic_messages_secs)
            {
                rows.push(Row {
                    benchmark:
                        "`cargo check` of a crate using `anthropic` (97 operations, all features)"
                            .into(),
                    result: secs(full),
                    floor: "-".into(),
                    ratio: "-".into(),
                    target: "-".into(),
                    verdict: "-".into(),
                });
                rows.push(Row {
                    benchmark: "the same, `anthropic` with only the `messages` feature".into(),
                    result: secs(messages),
                    floor: format!("{} (all features)", secs(full)),
                    ratio: ratio(messages / full),
                    target: "-".into(),
                    verdict: "-".into(),
                });
            }
        }
        for failure in &self.failures {
            rows.push(Row {
                benchmark: failure.split(':').next().unwrap_or("?").to_owned(),
                result: failure
                    .split_once(':')
                    .map_or(failure.as_str(), |(_, r)| r.trim())
                    .to_owned(),
                floor: "-".into(),
                ratio: "-".into(),
                target: "-".into(),
                verdict: "FAILED".into(),
            });
        }
        rows
    }

    /// The table as aligned plain text.
    pub fn table(&self) -> String {
        let rows: Vec<[String; 6]> = std::iter::once(HEADER.map(str::to_owned))
            .chain(
                self.rows()
                    .into_iter()
                    .map(|r| [r.benchmark, r.result, r.floor, r.ratio, r.target, r.verdict]),
            )
            .collect();
        let mut widths = [0usize; 6];
        for row in &rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let mut out = String::new();
        for (i, row) in rows.iter().enumerate() {
            let line: Vec<String> = row
                .iter()
                .zip(widths)
                .map(|(cell, w)| format!("{cell}{}", " ".repeat(w - cell.chars().count())))
                .collect();
            out.push_str(line.join("  ").trim_end());
            out.push('\n');
            if i == 0 {
                let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
                out.push_str(&rule.join("  "));
                out.push('\n');
            }
        }
        out
    }

    /// The table as Markdown.
    pub fn markdown_table(&self) -> String {
        let mut out = format!("| {} |\n|{}\n", HEADER.join(" | "), "---|".repeat(6));
        for r in self.rows() {
            let cells = [r.benchmark, r.result, r.floor, r.ratio, r.target, r.verdict]
                .map(|c| c.replace('|', "\\|"));
            out.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
        out
    }

    /// The whole `BENCHMARKS.md`.
    pub fn markdown(&self) -> String {
        let mode = if self.quick {
            "`cargo xtask bench --quick` (small specs, 20,000-event stream, no build timing)"
        } else {
            "`cargo xtask bench` (full)"
        };
        let mut md = String::new();
        md.push_str("# Benchmarks\n\n");
        md.push_str(
            "Written by `cargo xtask bench`; do not edit by hand. Every figure is set against a \
             floor measured in the same run (absolute times on a shared machine drift); the \
             ratio is forge's time over the floor's, so 1.00x is as fast as the floor and 2.00x \
             takes twice as long.\n\n",
        );
        md.push_str(&format!("- date: {}\n", self.date));
        md.push_str(&format!("- machine: {}\n", self.machine));
        md.push_str(&format!("- run: {mode}, {}", secs(self.total_secs)));
        if !self.build_steps.is_empty() {
            let steps: Vec<String> = self
                .build_steps
                .iter()
                .map(|(what, s)| format!("{what} {}", secs(*s)))
                .collect();
            md.push_str(&format!(" (of which release builds: {})", steps.join(", ")));
        }
        md.push_str("\n\n");
        md.push_str(&self.markdown_table());
        md.push_str("\n## How it is measured\n\n");
        md.push_str(
            "- **Generation**: the project's spec and every spec in `../shared/specs/real`, from \
             the smallest. *in-process*: `codegen::generate` (parse, IR, emit, prettyplease) \
             called from the release-built xtask; *process*: the whole \
             `xtask generate --spec X --out DIR` process (release binary, rustfmt included). \
             Floor: the same text parsed into a `serde_json::Value` (JSON, `serde_json::from_str`) \
             or a YAML document (`yaml_rust2::YamlLoader::load_from_str`). Medians of 5 runs, \
             3 for specs whose generation takes over 1.5 s (and in `--quick`, which runs specs \
             under 100 KB only); a run of a fast call repeats it for about 20 ms. A spec the \
             generator refuses strictly is generated with `--lenient` and marked so. The ratio \
             column shows in-process · process; the target applies to in-process, and the 1 s \
             target to both for the largest spec.\n",
        );
        md.push_str(
            "- **Peak memory of `generate`**: `ru_maxrss` of the rusage `wait4(2)` returns for \
             the `generate` process, which covers that process and the children it waited for \
             (rustfmt); the largest over its runs.\n",
        );
        if let Some(client) = &self.client {
            let same = match client.same_request {
                Some(true) => "verified identical (body bytes and headers)",
                Some(false) => "NOT identical: see the bench's warning",
                None => "not verified",
            };
            md.push_str(&format!(
                "- **Client**: `generated/benches/client.rs`. An in-process keep-alive HTTP/1.1 \
                 server on 127.0.0.1 (its own thread and single-threaded tokio runtime) answers \
                 the §8 `Completion` to `POST /v1/complete`. forge: \
                 `client.completions().create(&params)`; floor: plain `reqwest` + `serde_json` \
                 (serialize a plain struct, `resp.bytes()`, `serde_json::from_slice` into a plain \
                 struct), with the same headers ({}) and body: {same}. The client side runs on a \
                 single-threaded tokio runtime on one thread, whose CPU time \
                 (`CLOCK_THREAD_CPUTIME_ID`) is the client side's cost per request (*CPU*, which \
                 a loaded machine disturbs less than wall time). Many short rounds each run both \
                 back to back, alternating which goes first; rates are medians over rounds, the \
                 ratios the medians of the rounds' ratios; the target applies to requests/s.{}\n",
                client.headers.join(", "),
                client
                    .modes
                    .iter()
                    .map(|m| format!(
                        " {}: {} rounds of {} requests.",
                        m.mode, m.rounds, m.requests
                    ))
                    .collect::<String>(),
            ));
        }
        if let Some(s) = &self.stream {
            md.push_str(&format!(
                "- **Streaming**: `generated/benches/stream.rs`. The server sends {} `completion` \
                 events with a `ping` after every 100, as `text/event-stream` in chunked encoding \
                 (one HTTP chunk per 100 events). forge: `create_streaming(&params)` consumed to \
                 the end; floor: plain `reqwest` `Response::chunk`, events split at blank lines, \
                 `event:`/`data:` lines picked out, the same payloads parsed with `serde_json` \
                 into a plain struct. The consumer runs on a single-threaded tokio runtime \
                 (one core), the server on its own thread; *CPU* is events per second of the \
                 consumer thread's CPU time, the events/s on one core the 500k target is about. \
                 Medians over {} rounds, each streaming through both (ratio: wall time; CPU \
                 ratio alongside). Peak memory: \
                 the process's `VmHWM` (server included), reset through `/proc/self/clear_refs` \
                 before a stream of {} events and again before one of {}: equal peaks mean memory \
                 does not grow with the stream.\n",
                rate(s.events as f64),
                s.rounds,
                rate(s.short_events as f64),
                rate(s.events as f64),
            ));
        }
        md.push_str(
            "- **Build cost**: a throwaway crate in `target/bench-build/consumer` depending only \
             on `anthropic-completions` (path), against a floor crate with what a hand-written \
             client needs (`reqwest` with forge-runtime's features, `serde`, `serde_json`). \
             Dependencies: distinct crates in `cargo tree -e normal`, the crate itself excluded. \
             Build (full run only): a clean debug `cargo build` in a fresh target folder, the \
             floor crate first, then the consumer on top; the consumer's clean build is the sum.\n",
        );
        md.push_str(
            "- **Compile time of `anthropic`** (full run only): two crates in `target/bench-build/` \
             making one `client.messages().create(..)` call through the `anthropic` crate \
             (path), one with its default features (all 97 operations), one with \
             `default-features = false, features = [\"messages\"]`. In a shared check target \
             folder their dependencies are checked first, untimed; then each is timed by a \
             `cargo check` after `cargo clean -p anthropic -p <crate>`, so the figure is \
             `anthropic` itself (with `forge-runtime` already checked) plus the one call.\n",
        );
        if let Some(b) = &self.build {
            md.push_str("\n## Dependencies of the generated crate\n\n");
            md.push_str("| crate | why |\n|---|---|\n");
            let reason = |id: &str| {
                let name = id.split_whitespace().next().unwrap_or(id);
                build_cost::REASONS
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map_or("(no reason recorded)", |(_, r)| r)
            };
            for id in &b.direct {
                md.push_str(&format!("| `{id}` | {} |\n", reason(id)));
            }
            if !b.runtime_direct.is_empty() {
                md.push_str("| | **forge-runtime's own dependencies (besides the above):** |\n");
                for id in b.runtime_direct.iter().filter(|id| !b.direct.contains(id)) {
                    md.push_str(&format!("| `{id}` | {} |\n", reason(id)));
                }
            }
        }
        let details: Vec<String> = self
            .generation
            .iter()
            .filter(|g| g.error.is_none())
            .map(|g| {
                format!(
                    "{} {} lines ({} runs)",
                    g.spec.file_name,
                    rate(g.lines as f64),
                    g.runs
                )
            })
            .collect();
        if !details.is_empty() {
            md.push_str(&format!("\nGenerated output: {}.\n", details.join("; ")));
        }
        md
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(name: &str, bytes: u64) -> generation::Spec {
        generation::Spec {
            path: format!("x/{name}"),
            file_name: name.to_owned(),
            bytes,
            settings: None,
        }
    }

    fn result(name: &str, bytes: u64, floor: f64, in_process: f64) -> generation::Result {
        generation::Result {
            spec: spec(name, bytes),
            runs: 5,
            floor,
            in_process: Some(in_process),
            process: Some(in_process * 2.0),
            peak_kib: Some(2048),
            lines: 100,
            lenient: false,
            error: None,
        }
    }

    #[test]
    fn verdicts() {
        let report = Report {
            generation: vec![
                result("small.yaml", 10, 0.001, 0.004),
                result("big.yaml", 4_000_000, 0.1, 0.8),
            ],
            client: Some(http::Client {
                modes: vec![http::ClientResult {
                    mode: "sequential".into(),
                    tasks: 1,
                    requests: 10,
                    rounds: 1,
                    floor_per_sec: 1000.0,
                    forge_per_sec: 800.0,
                    ratio: 1.25,
                    floor_cpu_micros: 10.0,
                    forge_cpu_micros: 12.0,
                    cpu_ratio: 1.2,
                }],
                same_request: Some(true),
                headers: vec![],
            }),
            ..Report::default()
        };
        let rows = report.rows();
        assert_eq!(rows[0].verdict, "ok");
        assert_eq!(rows[0].ratio, "4.00x · 8.00x");
        assert_eq!(rows[1].target, "≤ 5x; < 1 s");
        assert_eq!(rows[1].verdict, "MISS (5x, 1 s process)");
        assert_eq!(rows[2].verdict, "MISS (10%)");
        assert_eq!(rows[2].result, "800 req/s · CPU 12.0 µs/req");
        assert_eq!(rows[2].ratio, "1.25x · CPU 1.20x");
        let table = report.table();
        assert_eq!(table.lines().count(), 2 + rows.len());
        assert!(report.markdown().contains("| generate small.yaml (10 B) |"));
    }
}
