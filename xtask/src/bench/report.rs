//! The one table, as aligned text for the terminal and as Markdown for `BENCHMARKS.md`.

use super::build_cost::{self, BuildCost};
use super::measure::{rate, secs};
use super::{compile, generation, graph, http, progenitor};

/// Everything one run measured.
#[derive(Debug, Default)]
pub struct Report {
    /// `--quick`.
    pub quick: bool,
    /// `--only`: the sections run, empty for all.
    pub only: Vec<String>,
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
    /// Compile time of large crates, if measured.
    pub compile: Option<compile::Compile>,
    /// Microsoft Graph, if measured.
    pub graph: Option<graph::Graph>,
    /// progenitor side by side, if that section ran.
    pub progenitor: Option<progenitor::Progenitor>,
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

pub(super) const HEADER: [&str; 6] = ["benchmark", "result", "floor", "ratio", "target", "verdict"];

impl Report {
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
        let only = format!("`cargo xtask bench --only {}`", self.only.join(","));
        let mode = if self.quick {
            "`cargo xtask bench --quick` (small specs, 20,000-event stream, no build timing)"
        } else if !self.only.is_empty() {
            &only
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
             `xtask generate --spec X --out DIR` process (release binary: start-up, generation, the crate written to disk; it runs no rustfmt). \
             Floor: the same text parsed into a `serde_json::Value` (JSON, `serde_json::from_str`) \
             or a YAML document (`yaml_rust2::YamlLoader::load_from_str`). Medians of 5 runs, \
             3 for specs whose generation takes over 1.5 s (and in `--quick`, which runs specs \
             under 100 KB only); a run of a fast call repeats it for about 20 ms. A spec the \
             generator refuses strictly is generated with `--lenient` and marked so. The ratio \
             column shows in-process · process; the 5x target applies to in-process, the 10x \
             target (issue 11) to the process for specs of 1 MB or more, and the 1 s target to \
             both for the largest spec. For specs of 1 MB or more a second row splits the \
             in-process time (medians of as many runs, each half on its own): *lower* is \
             `codegen::lower` (the text parsed, read and lowered to the IR, on one core), \
             *render* is `codegen::format::render` of the IR's plan (tokens emitted, parsed by \
             `syn`, printed by prettyplease, on every core).\n",
        );
        md.push_str(
            "- **Peak memory of `generate`**: `ru_maxrss` of the rusage `wait4(2)` returns for \
             the `generate` process, which covers that process and the children it waited for \
             (none now); the largest over its runs.\n",
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
        md.push_str(&notes());
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

/// How the sections added for issues 10 to 12 measure.
fn notes() -> String {
    format!(
        "- **Lines per schema**: the generation section's line count (`codegen::generate`'s \
         `stats.lines`) over the spec's `components/schemas` entries, against the same count of \
         {date} (`BENCHMARKS.md` of commit 102da89, the figures before issue 11); target: down \
         by 30% (≤ {lines:.2}x). The last such row takes the specs as one corpus: all their \
         lines over all their schemas, so a large spec weighs as much as its size.\n\
         - **Compile time** (`--only compile`): Stripe, GitHub and OpenAI generated as standalone \
         crates by the `generate` process into `{compile_dir}/<crate>/`, and the checked-in \
         `anthropic/` crate (Anthropic's whole API, `spec/anthropic/`). For each, two \
         throwaway crates make one call through the client (Stripe: \
         `get_customers_customer`, GitHub: `issues().get`, OpenAI: `chat().get_chat_completion`, \
         Anthropic: `messages().create`): one with `features = [\"full\"]`, one with \
         `default-features = false` and one area's feature (`customers`, `issues`, `chat`, \
         `messages`). All share one check target folder in which `forge-runtime`, `serde`, \
         `serde_json` and their dependencies are checked first, untimed; each figure is then \
         `cargo check` (debug, `CARGO_INCREMENTAL=0` as for a registry dependency) after \
         `cargo clean -p <crate> -p <the small crate>`: the generated crate and the call on top \
         of already-checked dependencies. Each shows wall time and CPU time (user + system of cargo \
         and its rustc processes, from `wait4(2)`), which other work on the machine disturbs \
         less. Targets (issue 11), judged on wall time: Stripe whole ≤ {full} s, one area \
         ≤ {one} s.\n\
         - **Microsoft Graph** (`--only graph`): `{graph}`, the whole spec through one \
         `generate` process (floor: `serde_json` parse, median of 3); then \
         settings with `select: {{include: [{{tag: {tag}}}]}}`, one `generate` process and a \
         `cargo check` of that crate on the compile section's already-checked dependencies \
         (same target folder). Targets: whole < {whole} s; tag generated and checked < {tag_secs} s.\n\
         - **progenitor** (`--only progenitor`): `cargo progenitor -i SPEC -o DIR -n NAME -v \
         0.1.0` (installed with `cargo install cargo-progenitor --root {install}`, or on PATH) \
         against forge's `generate` process on every spec of `../shared/specs/real`; a spec \
         progenitor refuses is listed with its error; the others are medians of 3 runs each, \
         alternating which goes first. Target: forge ≥ {speedup}x faster.\n\
         - **Targets of issue 10**: the client within {seq:.2}x of the floor sequentially and \
         {conc:.2}x with 64 concurrent tasks, streaming within {stream}x.\n",
        date = super::rows::BASELINE_DATE,
        lines = super::rows::LINES_RATIO,
        compile_dir = compile::DIR,
        full = compile::STRIPE_FULL_SECS,
        one = compile::STRIPE_ONE_SECS,
        graph = graph::SPEC,
        tag = graph::TAG,
        whole = graph::WHOLE_SECS,
        tag_secs = graph::TAG_SECS,
        install = progenitor::INSTALL_ROOT,
        speedup = progenitor::SPEEDUP,
        seq = super::rows::CLIENT_RATIO,
        conc = super::rows::CLIENT_CONCURRENT_RATIO,
        stream = super::rows::STREAM_RATIO,
    )
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
            split: None,
            peak_kib: Some(2048),
            lines: 100,
            schemas: Some(10),
            lenient: false,
            error: None,
        }
    }

    #[test]
    fn a_split_spec_gets_a_row_of_its_two_halves_against_the_floor() {
        let mut big = result("big.json", 2_000_000, 0.01, 0.3);
        big.split = Some(generation::Split {
            lower: 0.05,
            render: 0.25,
        });
        let report = Report {
            generation: vec![big],
            ..Report::default()
        };
        let rows = report.rows();
        assert_eq!(rows[1].benchmark, "generate big.json: lowering · rendering");
        assert_eq!(rows[1].ratio, "5.00x · 25.0x");
        assert_eq!(rows[1].verdict, "-");
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
        assert_eq!(rows[1].target, "in-process ≤ 5x; process ≤ 10x; < 1 s");
        assert_eq!(rows[1].verdict, "MISS (5x, process 10x, 1 s process)");
        // Lines per schema: no baseline for these names.
        assert_eq!(rows[2].result, "10 (100 lines)");
        assert_eq!(rows[2].verdict, "-");
        let client = &rows[4];
        assert_eq!(client.verdict, "MISS (10%)");
        assert_eq!(client.result, "800 req/s · CPU 12.0 µs/req");
        assert_eq!(client.ratio, "1.25x · CPU 1.20x");
        let table = report.table();
        assert_eq!(table.lines().count(), 2 + rows.len());
        assert!(report.markdown().contains("| generate small.yaml (10 B) |"));
    }
}
