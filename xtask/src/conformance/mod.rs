//! `cargo xtask conformance`: every spec's client on the wire. For each spec the client crate is
//! generated (as `corpus` does), then a driver crate next to it (`codegen::driver`); both are
//! built with one shared target folder; Prism is started on the same spec in dynamic-response
//! mode on a free loopback port; the driver round-trips samples of every type and calls every
//! operation against it; Prism is stopped and the results collected. A full run writes
//! `CONFORMANCE.md` and `conformance/baseline.json`; a subset run (`--only`, `--specs`) writes
//! neither and fails when anything the baseline records as passing no longer passes.

mod baseline;
mod crates;
mod facts;
mod prism;
mod report;
mod results;
mod triage;

use std::fs;
use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use forge::report::duration;

use crate::corpus::{self, Layout};
use report::SpecRun;

/// Where the crates are written, relative to the workspace root.
pub const OUT: &str = "target/conformance";
/// The shared `CARGO_TARGET_DIR` of clients and drivers.
pub const TARGET: &str = "target/conformance-target";
/// The report of the last full run.
pub const REPORT: &str = "CONFORMANCE.md";
/// The hand-kept section on Prism's faults that the report includes.
pub const FAULTS: &str = "conformance/prism-faults.md";
/// The seed when `--seed` is not given.
pub const DEFAULT_SEED: u64 = 1;

/// Options of `cargo xtask conformance`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Options {
    /// `--only a,b`.
    pub only: Vec<String>,
    /// `--specs DIR`.
    pub specs: Option<String>,
    /// `--seed N`.
    pub seed: u64,
    /// `--release`: build optimized (slower to build; see the report's header).
    pub release: bool,
    /// `--lenient`.
    pub lenient: bool,
    /// `--record`: a subset run merges what passed into the baseline instead of checking it
    /// (to add a spec to the CI set without a full run).
    pub record: bool,
    /// `--resume`: reuse a spec's result file from an earlier run of the same seed instead of
    /// running it again (a cut-short full run goes on where it stopped).
    pub resume: bool,
    /// `--report`: run nothing; rewrite the report from the result files on disk (a spec
    /// without one is a row saying so).
    pub report_only: bool,
}

/// Runs one spec through every stage; a failed stage ends it with its name and reason.
fn one(
    layout: &Layout,
    prism_bin: &Path,
    spec: &Path,
    options: &Options,
    tag: &str,
    start: &Instant,
    progress: &mut dyn FnMut(&str),
) -> Result<results::Results, (&'static str, String)> {
    let mut stage = |what: &str| {
        progress(&format!(
            "{tag}: {what} ... [{}]",
            duration(start.elapsed())
        ))
    };
    stage("generating");
    let corpus_options = corpus::Options {
        lenient: options.lenient,
        ..corpus::Options::default()
    };
    let (_, generated) = corpus::generate_one(layout, spec, &corpus_options);
    generated.map_err(|e| ("generate", e))?;
    let written = crates::write_driver(layout, spec, options.seed, options.lenient)
        .map_err(|e| ("driver", e))?;
    stage("building");
    let exe = crates::build(layout, &written, options.release).map_err(|e| ("build", e))?;
    let stem = corpus::stem(spec);
    let out = layout.out.join(format!("{stem}-results.json"));
    let ran = if written.operations == 0 {
        // Prism refuses a spec without operations ("No operations found"): round trips only,
        // against a base URL nothing is sent to.
        stage("running (no operations: round trips only)");
        crates::run(&exe, &written, "http://127.0.0.1:9", &out)
    } else {
        stage("prism");
        let log = layout.out.join(format!("{stem}-prism.log"));
        match prism::Prism::start(prism_bin, spec, &log) {
            Ok(mock) => {
                stage("running");
                let ran = crates::run(&exe, &written, &mock.url, &out);
                drop(mock);
                ran
            }
            // Prism refuses some specs (GitHub's: it fetches a `$ref` found inside an example):
            // the round trips are still judged, and the calls find no server.
            Err(e) => {
                stage(&format!(
                    "running (Prism would not start, see {stem}-prism.log: round trips only): {}",
                    corpus::cell_text(&e.to_string())
                ));
                crates::run(&exe, &written, "http://127.0.0.1:9", &out)
            }
        }
    };
    ran.map_err(|e| ("run", e))?;
    let text = fs::read_to_string(&out).map_err(|e| ("run", format!("no result file: {e}")))?;
    let results =
        serde_json::from_str(&text).map_err(|e| ("run", format!("bad result file: {e}")))?;
    if let Some(hash) = spec_hash(spec) {
        let _ = fs::write(spec_hash_file(layout, spec), hash);
    }
    Ok(results)
}

/// The SHA-256 of a spec's text, in hex.
fn spec_hash(spec: &Path) -> Option<String> {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(fs::read(spec).ok()?);
    Some(digest.iter().map(|b| format!("{b:02x}")).collect())
}

/// Where the hash of the spec a result file came from is kept.
fn spec_hash_file(layout: &Layout, spec: &Path) -> std::path::PathBuf {
    layout
        .out
        .join(format!("{}-spec.sha256", corpus::stem(spec)))
}

/// The command: progress lines, the table, the totals; the report and baseline on a full run,
/// the regression check on a subset.
pub fn command(root: &Path, options: &Options) -> ExitCode {
    let mut progress = |line: &str| {
        println!("{line}");
        let _ = std::io::stdout().flush();
    };
    let start = Instant::now();
    let mut layout = Layout::workspace(root, options.specs.as_deref());
    layout.out = root.join(OUT);
    layout.target = root.join(TARGET);
    let full = options.only.is_empty() && options.specs.is_none();
    let specs = match list(&layout, &options.only) {
        Ok(mut s) => {
            if options.resume {
                // What an earlier run finished comes first, so the report has it at once.
                s.sort_by_key(|p| reuse(&layout, p).is_none());
            }
            s
        }
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let prism_bin = match prism::ensure_installed(root, &mut progress) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    progress(&format!(
        "conformance: {} spec{} into {OUT}, {} build with CARGO_TARGET_DIR={TARGET}, seed {}",
        specs.len(),
        if specs.len() == 1 { "" } else { "s" },
        if options.release { "release" } else { "debug" },
        options.seed
    ));
    let total = specs.len();
    let mut runs = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        let file = spec
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tag = forge::report::progress_tag(i, total, &file);
        let began = Instant::now();
        let reused = (options.resume || options.report_only)
            .then(|| reuse(&layout, spec))
            .flatten();
        let outcome = match reused {
            Some(results) => {
                progress(&format!("{tag}: results of an earlier run reused"));
                Ok(results)
            }
            None if options.report_only => Err((
                "not run",
                "no result file: the full run was cut short before this spec".to_owned(),
            )),
            None => one(
                &layout,
                &prism_bin,
                spec,
                options,
                &tag,
                &start,
                &mut progress,
            ),
        };
        let run = SpecRun {
            spec: file,
            stem: corpus::stem(spec),
            outcome,
            elapsed: began.elapsed(),
            media: facts::declared(spec),
        };
        let c = run.counts();
        progress(&match &run.outcome {
            Ok(_) => format!(
                "{tag}: {}/{} calls accepted, {} decoded; {}/{} samples round-trip ({} lossy, {} failed) in {} [{}]",
                c.accepted, c.called, c.decoded, c.ok, c.samples, c.lossy, c.failed,
                duration(run.elapsed), duration(start.elapsed())
            ),
            Err((stage, m)) => format!("{tag}: {stage} failed: {} [{}]", corpus::cell_text(m), duration(start.elapsed())),
        });
        runs.push(run);
        // A full run keeps the report current as it goes: hours long, it may be cut short.
        if full && i + 1 < total {
            let _ = write_report(root, &runs, start.elapsed(), options, Some(total));
        }
    }
    let elapsed = start.elapsed();
    println!("\n{}", report::table(&runs));
    println!("{}", report::totals(&runs, elapsed));
    println!("{}", report::by_owner(&runs));
    let ours = report::ours_list(&runs);
    if !ours.is_empty() {
        println!("failures of ours:\n{ours}");
    }
    let baseline_path = root.join(baseline::FILE);
    if full {
        match write_report(root, &runs, elapsed, options, None) {
            Ok(()) => println!("wrote {REPORT} and {}", baseline::FILE),
            Err(e) => {
                eprintln!("error: cannot write the report: {e}");
                return ExitCode::FAILURE;
            }
        }
        return ExitCode::SUCCESS;
    }
    println!("{REPORT} not updated: a subset ran");
    if options.record {
        let mut base: baseline::Baseline = fs::read_to_string(&baseline_path)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default();
        base.seed = options.seed;
        for r in &runs {
            base.specs.insert(r.stem.clone(), baseline::Passed::of(r));
        }
        let text = serde_json::to_string_pretty(&base).unwrap_or_default() + "\n";
        return match fs::write(&baseline_path, text) {
            Ok(()) => {
                println!(
                    "recorded {} spec{} in {}",
                    runs.len(),
                    if runs.len() == 1 { "" } else { "s" },
                    baseline::FILE
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", baseline::FILE);
                ExitCode::FAILURE
            }
        };
    }
    let base: baseline::Baseline = match fs::read_to_string(&baseline_path)
        .map_err(|e| e.to_string())
        .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
    {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", baseline::FILE);
            return ExitCode::FAILURE;
        }
    };
    let regressions = baseline::regressions(&base, &runs, options.seed);
    if regressions.is_empty() {
        println!("no regressions against {}", baseline::FILE);
        ExitCode::SUCCESS
    } else {
        for r in &regressions {
            eprintln!("regression: {r}");
        }
        eprintln!(
            "{} regression{} against {}",
            regressions.len(),
            if regressions.len() == 1 { "" } else { "s" },
            baseline::FILE
        );
        ExitCode::FAILURE
    }
}

/// A spec's result file from an earlier run: made from the same spec text (by its recorded
/// hash; a copy of the specs touches their times), or, without a record, newer than the spec.
fn reuse(layout: &Layout, spec: &Path) -> Option<results::Results> {
    let out = layout
        .out
        .join(format!("{}-results.json", corpus::stem(spec)));
    let same = match fs::read_to_string(spec_hash_file(layout, spec)) {
        Ok(recorded) => Some(recorded.trim()) == spec_hash(spec).as_deref(),
        Err(_) => {
            fs::metadata(&out).ok()?.modified().ok()? >= fs::metadata(spec).ok()?.modified().ok()?
        }
    };
    same.then_some(())?;
    serde_json::from_str(&fs::read_to_string(&out).ok()?).ok()
}

/// Writes `CONFORMANCE.md` and the baseline; `partial` is the number of specs of an unfinished
/// run.
fn write_report(
    root: &Path,
    runs: &[SpecRun],
    elapsed: std::time::Duration,
    options: &Options,
    partial: Option<usize>,
) -> std::io::Result<()> {
    let progress = match partial {
        Some(total) => format!(
            " **In progress: {} of {total} specs run so far**; the file is rewritten after each spec.",
            runs.len()
        ),
        None => String::new(),
    };
    let header = format!(
        "Written by `cargo xtask conformance` on {} (seed {}, {} builds): every spec in `{}/`, \
         smallest first.{progress} Rerun the command to refresh this file and `{}`; `--only \
         NAME,...` runs a subset without touching them and fails when something that passed here \
         regresses.\n\nMachine: {}.",
        forge::report::today(),
        options.seed,
        if options.release { "release" } else { "debug" },
        corpus::SPECS.join("/` and `"),
        baseline::FILE,
        forge::report::machine()
    );
    let faults = fs::read_to_string(root.join(FAULTS)).unwrap_or_default();
    fs::write(
        root.join(REPORT),
        report::markdown(runs, elapsed, &header, &faults),
    )?;
    let base = baseline::Baseline {
        seed: options.seed,
        specs: runs
            .iter()
            .map(|r| (r.stem.clone(), baseline::Passed::of(r)))
            .collect(),
    };
    fs::write(
        root.join(baseline::FILE),
        serde_json::to_string_pretty(&base).unwrap_or_default() + "\n",
    )
}

fn list(layout: &Layout, only: &[String]) -> Result<Vec<std::path::PathBuf>, forge::Error> {
    let mut all = Vec::new();
    for (dir, label) in &layout.specs {
        all.extend(corpus::list_specs(dir, label)?);
    }
    let labels: Vec<&str> = layout.specs.iter().map(|(_, l)| l.as_str()).collect();
    let mut specs = corpus::select(all, only, &labels.join(" and "))?;
    // Smallest first: a long run reports on as many specs as possible early.
    specs.sort_by_key(|p| (fs::metadata(p).map(|m| m.len()).unwrap_or(0), p.clone()));
    Ok(specs)
}
