//! The table's rows, each figure against its target.

use super::compile::{show, Timed, STRIPE_FULL_SECS, STRIPE_ONE_SECS};
use super::graph::{TAG, TAG_SECS, WHOLE_SECS};
use super::measure::{bytes, rate, ratio, secs};
use super::progenitor::SPEEDUP;
use super::report::{Report, Row};

/// Target: in-process generation within this many times the parse floor.
pub const GENERATION_RATIO: f64 = 5.0;
/// Target: the whole `generate` process within this many times the parse floor, for specs of
/// [`PROCESS_RATIO_MIN_BYTES`] or more (issue 11).
pub const PROCESS_RATIO: f64 = 10.0;
/// The size from which [`PROCESS_RATIO`] applies.
pub const PROCESS_RATIO_MIN_BYTES: u64 = 1_000_000;
/// Target: the largest spec generated within this many seconds.
pub const LARGEST_SECS: f64 = 1.0;
/// Target: the generated client within this ratio of plain reqwest + serde_json, one task.
pub const CLIENT_RATIO: f64 = 1.10;
/// Target: the same with 64 concurrent tasks (issue 10).
pub const CLIENT_CONCURRENT_RATIO: f64 = 1.05;
/// Target: streaming within this ratio of the floor (issue 10).
pub const STREAM_RATIO: f64 = 1.2;
/// Target: events per second through the generated client, one core.
pub const STREAM_EVENTS_PER_SEC: f64 = 500_000.0;
/// Target: peak memory after the full stream at most this much above the short one's, KiB.
pub const STREAM_MEMORY_SLACK_KIB: u64 = 1024;
/// Target: generated lines at most this fraction of [`BASELINE_LINES`] (down by 30%).
pub const LINES_RATIO: f64 = 0.70;
/// When the baseline was measured.
pub const BASELINE_DATE: &str = "2026-11-22";

/// Generated lines per spec before issue 11: `BENCHMARKS.md` of 2026-11-22 (commit 102da89),
/// counted the same way (`codegen::generate`'s `stats.lines`).
pub const BASELINE_LINES: &[(&str, usize)] = &[
    ("anthropic-completions.yaml", 1_447),
    ("petstore.yaml", 443),
    ("petstore-expanded.yaml", 519),
    ("uspto.yaml", 535),
    ("keeper.json", 891),
    ("propolis-server.json", 1_991),
    ("nexus.json", 26_920),
    ("discord.json", 62_706),
    ("twilio-api-v2010.yaml", 53_400),
    ("anthropic.json", 73_420),
    ("openai.yaml", 180_435),
    ("github.json", 116_896),
    ("stripe.yaml", 369_487),
];

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

fn opt_secs(s: Option<f64>) -> String {
    s.map_or_else(|| "-".to_owned(), secs)
}

fn row(benchmark: String, result: String, floor: String, ratio: String) -> Row {
    Row {
        benchmark,
        result,
        floor,
        ratio,
        target: "-".into(),
        verdict: "-".into(),
    }
}

impl Report {
    /// The table's rows.
    pub fn rows(&self) -> Vec<Row> {
        let mut rows = Vec::new();
        self.generation_rows(&mut rows);
        self.lines_rows(&mut rows);
        self.progenitor_rows(&mut rows);
        self.graph_rows(&mut rows);
        self.http_rows(&mut rows);
        self.build_rows(&mut rows);
        self.compile_rows(&mut rows);
        for failure in &self.failures {
            let (what, why) = failure.split_once(':').unwrap_or((failure, ""));
            let mut r = row(
                what.to_owned(),
                why.trim().to_owned(),
                "-".into(),
                "-".into(),
            );
            r.verdict = "FAILED".into();
            rows.push(r);
        }
        rows
    }

    fn generation_rows(&self, rows: &mut Vec<Row>) {
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
            let big = g.spec.bytes >= PROCESS_RATIO_MIN_BYTES;
            let is_largest = !self.quick && Some(g.spec.bytes) == largest;
            let mut target = format!("in-process ≤ {GENERATION_RATIO}x");
            if big {
                target.push_str(&format!("; process ≤ {PROCESS_RATIO}x"));
            }
            if is_largest {
                target.push_str(&format!("; < {LARGEST_SECS} s"));
            }
            if let Some(error) = &g.error {
                rows.push(Row {
                    benchmark,
                    result: format!("failed: {error}"),
                    floor: format!("{} parse", secs(g.floor)),
                    ratio: "-".into(),
                    target,
                    verdict: "FAILED".into(),
                });
                continue;
            }
            let in_process = g.in_process.unwrap_or(f64::NAN);
            let process = g.process.unwrap_or(f64::NAN);
            let process_ratio = g.process_ratio().unwrap_or(f64::NAN);
            let mut misses = Vec::new();
            if !within(g.ratio().unwrap_or(f64::NAN), GENERATION_RATIO) {
                misses.push("5x");
            }
            if big && !within(process_ratio, PROCESS_RATIO) {
                misses.push("process 10x");
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
                    ratio(process_ratio)
                ),
                target,
                verdict: verdict(&misses),
            });
            if let Some(split) = g.split {
                rows.push(Row {
                    benchmark: format!("generate {}: lowering · rendering", g.spec.file_name),
                    result: format!(
                        "{} lower · {} render",
                        secs(split.lower),
                        secs(split.render)
                    ),
                    floor: format!("{} parse", secs(g.floor)),
                    ratio: format!(
                        "{} · {}",
                        ratio(split.lower / g.floor),
                        ratio(split.render / g.floor)
                    ),
                    target: "-".into(),
                    verdict: "-".into(),
                });
            }
        }
    }

    /// Lines per schema now against [`BASELINE_LINES`], for the specs with schemas, then for
    /// all of them together (every line over every schema: the corpus as one).
    fn lines_rows(&self, rows: &mut Vec<Row>) {
        let (mut specs, mut all_schemas, mut all_lines, mut all_before) = (0, 0, 0, 0);
        for g in self.generation.iter().filter(|g| g.error.is_none()) {
            let Some(schemas) = g.schemas.filter(|n| *n > 0) else {
                continue;
            };
            let before = BASELINE_LINES
                .iter()
                .find(|(name, _)| *name == g.spec.file_name)
                .map(|(_, n)| *n);
            let per = |lines: usize| lines as f64 / schemas as f64;
            let change = before.map_or(f64::NAN, |b| g.lines as f64 / b as f64);
            if let Some(b) = before {
                specs += 1;
                all_schemas += schemas;
                all_lines += g.lines;
                all_before += b;
            }
            rows.push(Row {
                benchmark: format!("lines per schema, {} ({schemas} schemas)", g.spec.file_name),
                result: format!("{:.0} ({} lines)", per(g.lines), rate(g.lines as f64)),
                floor: before.map_or_else(
                    || "- (no baseline)".into(),
                    |b| format!("{:.0} ({} lines, {BASELINE_DATE})", per(b), rate(b as f64)),
                ),
                ratio: ratio(change),
                target: format!("≤ {LINES_RATIO:.2}x (-30%)"),
                verdict: if before.is_none() {
                    "-".into()
                } else {
                    verdict(if within(change, LINES_RATIO) {
                        &[]
                    } else {
                        &["-30%"]
                    })
                },
            });
        }
        if specs > 1 {
            let per = |lines: usize| lines as f64 / all_schemas as f64;
            let change = all_lines as f64 / all_before as f64;
            rows.push(Row {
                benchmark: format!(
                    "lines per schema, the {specs} specs above together ({all_schemas} schemas)"
                ),
                result: format!("{:.0} ({} lines)", per(all_lines), rate(all_lines as f64)),
                floor: format!(
                    "{:.0} ({} lines, {BASELINE_DATE})",
                    per(all_before),
                    rate(all_before as f64)
                ),
                ratio: ratio(change),
                target: format!("≤ {LINES_RATIO:.2}x (-30%)"),
                verdict: verdict(if within(change, LINES_RATIO) {
                    &[]
                } else {
                    &["-30%"]
                }),
            });
        }
    }

    fn progenitor_rows(&self, rows: &mut Vec<Row>) {
        let Some(p) = &self.progenitor else {
            return;
        };
        if p.binary.is_none() {
            rows.push(row(
                "progenitor side by side".into(),
                "not run: cargo-progenitor not installed".into(),
                "-".into(),
                "-".into(),
            ));
            return;
        }
        for s in &p.specs {
            let benchmark = format!(
                "generate {} ({}) vs progenitor",
                s.file_name,
                bytes(s.bytes as f64)
            );
            if let Some(why) = &s.refused {
                let mut r = row(benchmark, "-".into(), format!("refused: {why}"), "-".into());
                r.target = format!("≥ {SPEEDUP}x faster");
                rows.push(r);
                continue;
            }
            let speedup = s.speedup().unwrap_or(f64::NAN);
            rows.push(Row {
                benchmark,
                result: format!("{} forge process", opt_secs(s.forge_secs)),
                floor: format!("{} progenitor process", opt_secs(s.progenitor_secs)),
                ratio: format!("{} ({speedup:.1}x faster)", ratio(1.0 / speedup)),
                target: format!("≥ {SPEEDUP}x faster"),
                verdict: verdict(if speedup >= SPEEDUP { &[] } else { &["3x"] }),
            });
        }
    }

    fn graph_rows(&self, rows: &mut Vec<Row>) {
        let Some(g) = &self.graph else {
            return;
        };
        let whole = g.whole_secs.unwrap_or(f64::NAN);
        rows.push(Row {
            benchmark: format!(
                "generate microsoft.com__graph.json ({}, whole)",
                bytes(g.bytes as f64)
            ),
            result: match (&g.whole_error, g.whole_lines) {
                (Some(e), _) => format!("failed: {e}"),
                (None, lines) => format!(
                    "{} process ({} lines)",
                    secs(whole),
                    lines.map_or_else(|| "-".into(), |l| rate(l as f64))
                ),
            },
            floor: format!("{} parse", secs(g.floor_secs)),
            ratio: ratio(whole / g.floor_secs),
            target: format!("< {WHOLE_SECS} s"),
            verdict: verdict(if whole < WHOLE_SECS { &[] } else { &["10 s"] }),
        });
        let total = g.tag_secs().unwrap_or(f64::NAN);
        rows.push(Row {
            benchmark: format!("Graph, `select` tag {TAG}: generate + cargo check"),
            result: match &g.tag_error {
                Some(e) => format!("failed: {e}"),
                None => format!(
                    "{} (generate {} + check {}; {} lines)",
                    secs(total),
                    opt_secs(g.tag_generate_secs),
                    g.tag_check.map_or_else(|| "-".into(), show),
                    g.tag_lines.map_or_else(|| "-".into(), |l| rate(l as f64))
                ),
            },
            floor: "-".into(),
            ratio: "-".into(),
            target: format!("< {TAG_SECS} s"),
            verdict: verdict(if total < TAG_SECS { &[] } else { &["1 min"] }),
        });
    }

    fn http_rows(&self, rows: &mut Vec<Row>) {
        if let Some(client) = &self.client {
            for m in &client.modes {
                let (what, max) = if m.tasks > 1 {
                    (
                        format!("{} concurrent tasks", m.tasks),
                        CLIENT_CONCURRENT_RATIO,
                    )
                } else {
                    ("sequential".to_owned(), CLIENT_RATIO)
                };
                let miss = format!("{:.0}%", (max - 1.0) * 100.0);
                let misses: Vec<&str> = if within(m.ratio, max) {
                    vec![]
                } else {
                    vec![&miss]
                };
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
                    target: format!("≤ {max:.2}x"),
                    verdict: verdict(&misses),
                });
            }
        }
        let Some(s) = &self.stream else {
            return;
        };
        let mut misses = Vec::new();
        if !within(s.ratio, STREAM_RATIO) {
            misses.push("1.2x");
        }
        if !within(STREAM_EVENTS_PER_SEC, s.forge_cpu_per_sec) {
            misses.push("500k/s");
        }
        let per_sec = |wall: f64, cpu: f64| {
            format!(
                "{} events/s · {:.0} MB/s · CPU {}/s",
                rate(wall),
                s.mb_per_sec(wall),
                rate(cpu)
            )
        };
        rows.push(Row {
            benchmark: format!(
                "stream, {} events ({})",
                rate(s.events as f64),
                bytes(s.bytes as f64)
            ),
            result: per_sec(s.forge_per_sec, s.forge_cpu_per_sec),
            floor: per_sec(s.floor_per_sec, s.floor_cpu_per_sec),
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

    fn build_rows(&self, rows: &mut Vec<Row>) {
        let Some(b) = &self.build else {
            return;
        };
        rows.push(row(
            "dependencies of a crate using the client".into(),
            format!("{} crates", b.consumer_deps),
            format!("{} crates (reqwest, serde, serde_json)", b.floor_deps),
            ratio(b.consumer_deps as f64 / b.floor_deps.max(1) as f64),
        ));
        rows.push(row(
            "clean debug build of that crate".into(),
            match (b.consumer_secs(), b.extra_secs) {
                (Some(total), Some(extra)) => format!("{} (floor + {})", secs(total), secs(extra)),
                _ => "skipped (--quick)".into(),
            },
            b.floor_secs.map_or_else(|| "-".into(), secs),
            match (b.consumer_secs(), b.floor_secs) {
                (Some(total), Some(floor)) => ratio(total / floor),
                _ => "-".into(),
            },
        ));
    }

    fn compile_rows(&self, rows: &mut Vec<Row>) {
        let Some(c) = &self.compile else {
            return;
        };
        rows.push(row(
            "cargo check of the dependencies, before the checks below (forge-runtime, serde, serde_json)".into(),
            if c.deps.wall < 1.0 {
                format!("{} (already checked)", show(c.deps))
            } else {
                show(c.deps)
            },
            "-".into(),
            "-".into(),
        ));
        for k in &c.checks {
            let ops = k
                .operations
                .map_or_else(String::new, |n| format!(", {n} operations"));
            let own = k
                .feature_operations
                .map_or_else(String::new, |n| format!(", {n} operations"));
            let stripe = k.krate == "stripe";
            if let Some(e) = &k.error {
                let mut r = row(
                    format!("cargo check, {} ({})", k.krate, k.label),
                    format!("failed: {e}"),
                    "-".into(),
                    "-".into(),
                );
                r.verdict = "FAILED".into();
                rows.push(r);
                continue;
            }
            let full = k.full.map_or(f64::NAN, |t| t.wall);
            let one = k.one.map_or(f64::NAN, |t| t.wall);
            let judge = |t: Option<Timed>, max: f64, miss: &str| {
                if !stripe {
                    return "-".to_owned();
                }
                let wall = t.map_or(f64::NAN, |t| t.wall);
                let cpu = t.and_then(|t| t.cpu).unwrap_or(f64::NAN);
                if within(wall, max) {
                    "ok".to_owned()
                } else if within(cpu, max) {
                    format!("MISS ({miss} wall; CPU time within)")
                } else {
                    verdict(&[miss])
                }
            };
            rows.push(Row {
                benchmark: format!(
                    "cargo check, crate using {} --features full ({}{ops})",
                    k.krate, k.label
                ),
                result: k.full.map_or_else(|| "-".into(), show),
                floor: k
                    .generate_secs
                    .map_or_else(|| "-".into(), |g| format!("(generated in {})", secs(g))),
                ratio: "-".into(),
                target: if stripe {
                    format!("≤ {STRIPE_FULL_SECS} s")
                } else {
                    "-".into()
                },
                verdict: judge(k.full, STRIPE_FULL_SECS, "60 s"),
            });
            rows.push(Row {
                benchmark: format!(
                    "cargo check, crate using {} with only `{}`{own}",
                    k.krate, k.feature
                ),
                result: k.one.map_or_else(|| "-".into(), show),
                floor: format!("{} (full)", secs(full)),
                ratio: ratio(one / full),
                target: if stripe {
                    format!("≤ {STRIPE_ONE_SECS} s")
                } else {
                    "-".into()
                },
                verdict: judge(k.one, STRIPE_ONE_SECS, "15 s"),
            });
        }
    }
}
