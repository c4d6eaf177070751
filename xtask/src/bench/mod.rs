//! `cargo xtask bench [--quick]`: how fast the generator is, what the generated client costs at
//! run time and at build time, each figure against a floor measured in the same run.
//!
//! 1. `generation`: `codegen::generate` in-process and the `generate` process, against
//!    parsing the same spec into a generic value.
//! 2. `http`: `generated/benches/client.rs` (requests/s against plain reqwest + serde_json)
//!    and `generated/benches/stream.rs` (events/s and peak memory against a hand-written loop).
//! 3. `build_cost`: dependencies and clean build time of a crate using the client.
//! 4. `compile`: `cargo check` time of large generated crates (Stripe, GitHub, OpenAI and the
//!    checked-in `anthropic`), whole and with one feature, and generated lines per schema.
//! 5. `graph`: Microsoft Graph (20 MB) generated whole, and one tag selected and checked.
//! 6. `progenitor`: `cargo progenitor` on the specs it accepts, against forge's process.
//!
//! `--only SECTION[,SECTION]` runs some of them (`generation`, `client`, `build`, `compile`,
//! `graph`, `progenitor`) and writes `target/bench/BENCHMARKS-only.md`; `--quick` runs the
//! first three, small, for CI.
//!
//! `cargo xtask` is a debug build, so the command first builds xtask in release mode and
//! hands over to that binary; the benches are built by `cargo bench` (release). Progress lines
//! go to stdout as it runs, then one table (`report`), which a full run also writes to
//! `BENCHMARKS.md` (a `--quick` run writes `target/bench/BENCHMARKS-quick.md` instead, so a CI
//! run never dirties the checkout).

mod build_cost;
mod compile;
mod generation;
mod graph;
mod host;
mod http;
mod measure;
mod progenitor;
mod report;
mod rows;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use host::{machine, now_ms, today};

use crate::workspace;
use forge::Error;

/// The report of a full run, relative to the workspace root.
pub const REPORT: &str = "BENCHMARKS.md";
/// The report of a `--quick` run.
pub const QUICK_REPORT: &str = "target/bench/BENCHMARKS-quick.md";
/// The report of an `--only` run.
pub const ONLY_REPORT: &str = "target/bench/BENCHMARKS-only.md";

/// Set in the release process: when the run started (ms since the epoch) and how long the
/// release build of xtask took (s).
const ENV_STARTED: &str = "FORGE_BENCH_STARTED_MS";
const ENV_XTASK_BUILD: &str = "FORGE_BENCH_XTASK_BUILD_SECS";

/// A part of the run that `--only` can pick.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    /// Generation speed against the parse floor.
    Generation,
    /// The client and streaming benches.
    Client,
    /// Dependencies and clean build of a crate using `anthropic-completions`.
    Build,
    /// `cargo check` of large generated crates, whole and one feature; lines per schema.
    Compile,
    /// Microsoft Graph: whole generation, one tag selected and checked.
    Graph,
    /// `cargo progenitor` side by side.
    Progenitor,
}

impl Section {
    /// Every section, in the order they run.
    pub const ALL: [Section; 6] = [
        Section::Generation,
        Section::Client,
        Section::Build,
        Section::Compile,
        Section::Graph,
        Section::Progenitor,
    ];

    /// Its name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Section::Generation => "generation",
            Section::Client => "client",
            Section::Build => "build",
            Section::Compile => "compile",
            Section::Graph => "graph",
            Section::Progenitor => "progenitor",
        }
    }

    /// The section a command-line name means.
    pub fn parse(name: &str) -> Result<Section, String> {
        Section::ALL
            .into_iter()
            .find(|s| s.name() == name)
            .ok_or_else(|| {
                let names: Vec<&str> = Section::ALL.iter().map(|s| s.name()).collect();
                format!(
                    "unknown bench section `{name}` (one of: {})",
                    names.join(", ")
                )
            })
    }
}

/// Options of `cargo xtask bench`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// `--quick`: small specs, short runs, dependency count without build timing (for CI);
    /// no compile, Graph or progenitor sections.
    pub quick: bool,
    /// `--only`: these sections; empty for all (or, with `quick`, the quick ones).
    pub only: Vec<Section>,
}

impl Options {
    /// Whether this run includes `section`.
    pub fn runs(&self, section: Section) -> bool {
        if !self.only.is_empty() {
            return self.only.contains(&section);
        }
        !self.quick
            || matches!(
                section,
                Section::Generation | Section::Client | Section::Build
            )
    }

    /// Where the report goes, relative to the workspace root.
    pub fn report_path(&self) -> &'static str {
        if self.quick {
            QUICK_REPORT
        } else if !self.only.is_empty() {
            ONLY_REPORT
        } else {
            REPORT
        }
    }
}

/// Parses the arguments after `bench`; `Ok(None)` for `--help`.
pub fn parse_args(rest: &[String]) -> Result<Option<Options>, String> {
    let mut options = Options::default();
    let mut args = rest.iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_owned())),
            _ => (arg.as_str(), None),
        };
        match flag {
            "--help" | "-h" => return Ok(None),
            "--quick" if options.quick => return Err("--quick given twice".into()),
            "--quick" => options.quick = true,
            "--only" => {
                let value = match inline {
                    Some(v) => v,
                    None => args.next().cloned().ok_or("--only needs a value")?,
                };
                add_sections(&mut options.only, &[value])?;
            }
            other if other.starts_with('-') => {
                return Err(format!("unknown option `{other}` for `bench`"))
            }
            other => return Err(format!("unexpected argument `{other}` for `bench`")),
        }
    }
    Ok(Some(options))
}

/// Adds the sections named in `values` (each comma-separated) to `only`, once each.
pub fn add_sections(only: &mut Vec<Section>, values: &[String]) -> Result<(), String> {
    for name in values.iter().flat_map(|v| v.split(',')) {
        let name = name.trim();
        if name.is_empty() {
            continue;
        }
        let section = Section::parse(name)?;
        if !only.contains(&section) {
            only.push(section);
        }
    }
    only.sort();
    Ok(())
}

/// Runs the command: progress, the table, the report file. Exits 0 when everything ran (a
/// missed target is a finding, not a failure), 1 when a benchmark could not run.
pub fn command(options: &Options) -> ExitCode {
    let root = workspace::root();
    let started_ms = std::env::var(ENV_STARTED)
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or_else(now_ms);
    if cfg!(debug_assertions) && std::env::var_os(ENV_STARTED).is_none() {
        return relaunch_in_release(&root, options, started_ms);
    }
    let mut progress = |line: &str| {
        println!("{line}");
        let _ = std::io::stdout().flush();
    };
    let report = run(&root, options, &mut progress);
    let elapsed = Duration::from_millis(now_ms().saturating_sub(started_ms));
    let mut report = report;
    report.total_secs = elapsed.as_secs_f64();
    println!("\n{}", report.table());
    let path = options.report_path();
    let target = workspace::join(&root, path);
    if let Some(parent) = target.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    match std::fs::write(&target, report.markdown()) {
        Ok(()) => println!("wrote {path}"),
        Err(e) => eprintln!("warning: cannot write {path}: {e}"),
    }
    println!("bench: done in {}", measure::secs(report.total_secs));
    if report.failures.is_empty() && report.generation.iter().all(|g| g.error.is_none()) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Builds xtask in release mode and runs `bench` with that binary.
fn relaunch_in_release(root: &Path, options: &Options, started_ms: u64) -> ExitCode {
    println!("bench: building xtask in release mode (cargo build --release -p xtask) ...");
    let _ = std::io::stdout().flush();
    let build_started = Instant::now();
    let mut cmd = cargo();
    cmd.current_dir(root)
        .args(["build", "--release", "--quiet", "-p", "xtask"]);
    if let Err(e) = checked(cmd, "cargo build --release -p xtask") {
        eprintln!("error: {e}");
        return ExitCode::FAILURE;
    }
    let build_secs = build_started.elapsed().as_secs_f64();
    println!("bench: built in {}", measure::secs(build_secs));
    let exe = match target_dir(root) {
        Ok(dir) => dir
            .join("release")
            .join(format!("xtask{}", std::env::consts::EXE_SUFFIX)),
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut cmd = Command::new(&exe);
    cmd.current_dir(root)
        .arg("bench")
        .env(ENV_STARTED, started_ms.to_string())
        .env(ENV_XTASK_BUILD, format!("{build_secs:.3}"));
    if options.quick {
        cmd.arg("--quick");
    }
    if !options.only.is_empty() {
        let names: Vec<&str> = options.only.iter().map(|s| s.name()).collect();
        cmd.args(["--only", &names.join(",")]);
    }
    match cmd.status() {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: cannot run {}: {e}", exe.display());
            ExitCode::FAILURE
        }
    }
}

/// Every measurement, in order; a section that cannot run is recorded and the rest go on.
fn run(root: &Path, options: &Options, progress: &mut dyn FnMut(&str)) -> report::Report {
    let quick = options.quick;
    let mut report = report::Report {
        quick,
        only: options.only.iter().map(|s| s.name().to_owned()).collect(),
        date: today(),
        machine: machine(),
        ..report::Report::default()
    };
    if let Some(secs) = std::env::var(ENV_XTASK_BUILD)
        .ok()
        .and_then(|v| v.parse::<f64>().ok())
    {
        report.build_steps.push(("xtask".into(), secs));
    }
    let sections: Vec<Section> = Section::ALL
        .into_iter()
        .filter(|s| options.runs(*s))
        .collect();
    let names: Vec<&str> = sections.iter().map(|s| s.name()).collect();
    progress(&format!(
        "bench: {} run ({}) on {}",
        if quick {
            "quick"
        } else if options.only.is_empty() {
            "full"
        } else {
            "partial"
        },
        names.join(", "),
        report.machine
    ));
    let exe = std::env::current_exe().unwrap_or_else(|_| PathBuf::from("xtask"));
    let count = sections.len();
    for (i, section) in sections.into_iter().enumerate() {
        let step = format!("[{}/{count}]", i + 1);
        let started = Instant::now();
        match section {
            Section::Generation => {
                generation_section(root, &exe, quick, &step, &mut report, progress)
            }
            Section::Client => client_section(root, quick, &step, &mut report, progress),
            Section::Build => {
                progress(&format!(
                    "{step} build cost of the generated crate{}",
                    if quick {
                        " (--quick: dependencies only)"
                    } else {
                        ""
                    }
                ));
                match build_cost::run(root, quick, progress) {
                    Ok(cost) => report.build = Some(cost),
                    Err(e) => report.failures.push(format!("build cost: {e}")),
                }
            }
            Section::Compile => {
                progress(&format!(
                    "{step} compile time: cargo check of large generated crates, whole and one feature"
                ));
                match compile::run(root, &exe, progress) {
                    Ok(c) => report.compile = Some(c),
                    Err(e) => report.failures.push(format!("compile: {e}")),
                }
            }
            Section::Graph => {
                progress(&format!(
                    "{step} Microsoft Graph: the whole spec, then one tag"
                ));
                match graph::run(root, &exe, progress) {
                    Ok(g) => report.graph = Some(g),
                    Err(e) => report.failures.push(format!("graph: {e}")),
                }
            }
            Section::Progenitor => {
                progress(&format!("{step} progenitor side by side"));
                report.progenitor = Some(progenitor::run(root, &exe, progress));
            }
        }
        progress(&format!(
            "  {}: {}",
            section.name(),
            measure::secs(started.elapsed().as_secs_f64())
        ));
    }
    report
}

/// Generation speed of every spec, into `report.generation`.
fn generation_section(
    root: &Path,
    exe: &Path,
    quick: bool,
    step: &str,
    report: &mut report::Report,
    progress: &mut dyn FnMut(&str),
) {
    let specs = match generation::specs(root, quick) {
        Ok(specs) => specs,
        Err(e) => return report.failures.push(format!("generation: {e}")),
    };
    progress(&format!(
        "{step} generation: {} specs (median of {} runs; in-process, then the process)",
        specs.len(),
        if quick {
            "3"
        } else {
            "5, or 3 for specs over 1.5 s a run,"
        }
    ));
    for spec in &specs {
        match generation::measure(root, exe, spec, quick, progress) {
            Ok(result) => {
                if let Some(e) = &result.error {
                    progress(&format!("  {}: FAILED: {e}", spec.file_name));
                }
                report.generation.push(result);
            }
            Err(e) => report
                .failures
                .push(format!("generate {}: {e}", spec.file_name)),
        }
    }
}

/// The client and stream benches (one release build of `generated/benches`).
fn client_section(
    root: &Path,
    quick: bool,
    step: &str,
    report: &mut report::Report,
    progress: &mut dyn FnMut(&str),
) {
    progress(&format!("{step} building generated/benches (release) ..."));
    let secs = match http::build(root) {
        Ok(secs) => secs,
        Err(e) => return report.failures.push(format!("client and stream: {e}")),
    };
    progress(&format!("  built in {}", measure::secs(secs)));
    report.build_steps.push(("benches".into(), secs));
    progress(&format!(
        "{step} client overhead: generated/benches/client.rs"
    ));
    match http::run(root, "client", quick) {
        Ok(lines) => {
            let client = http::client(&lines);
            if client.modes.is_empty() {
                report
                    .failures
                    .push("client: the bench printed no summary".into());
            } else {
                report.client = Some(client);
            }
        }
        Err(e) => report.failures.push(format!("client: {e}")),
    }
    progress(&format!("{step} streaming: generated/benches/stream.rs"));
    match http::run(root, "stream", quick).map(|lines| http::stream(&lines)) {
        Ok(Some(stream)) => report.stream = Some(stream),
        Ok(None) => report
            .failures
            .push("stream: the bench printed no summary".into()),
        Err(e) => report.failures.push(format!("stream: {e}")),
    }
}

/// `cargo`, as the one running us names it.
fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Runs `cmd` with its output captured, shown only if it fails.
fn checked(mut cmd: Command, what: &str) -> Result<(), Error> {
    let output = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(Error::io(format!("cannot run {what}")))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(Error::Message(format!(
            "{what} failed ({}):\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim_end()
        )))
    }
}

/// The workspace's target folder, from `cargo metadata`.
fn target_dir(root: &Path) -> Result<PathBuf, Error> {
    let output = cargo()
        .current_dir(root)
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .stderr(Stdio::inherit())
        .output()
        .map_err(Error::io("cannot run cargo metadata"))?;
    let value: serde_json::Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| Error::Message(format!("cargo metadata: {e}")))?;
    value["target_directory"]
        .as_str()
        .map(PathBuf::from)
        .ok_or_else(|| Error::Message("cargo metadata: no target_directory".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn parses_its_arguments() {
        assert_eq!(parse_args(&[]), Ok(Some(Options::default())));
        assert_eq!(
            parse_args(&args(&["--quick"])),
            Ok(Some(Options {
                quick: true,
                only: vec![]
            }))
        );
        assert_eq!(
            parse_args(&args(&["--only", "graph,compile", "--only=compile"])),
            Ok(Some(Options {
                quick: false,
                only: vec![Section::Compile, Section::Graph]
            }))
        );
        assert!(parse_args(&args(&["--only", "nope"]))
            .unwrap_err()
            .starts_with("unknown bench section `nope`"));
        assert_eq!(parse_args(&args(&["--help"])), Ok(None));
        assert_eq!(
            parse_args(&args(&["--quick", "--quick"])),
            Err("--quick given twice".into())
        );
        assert_eq!(
            parse_args(&args(&["--fast"])),
            Err("unknown option `--fast` for `bench`".into())
        );
        assert_eq!(
            parse_args(&args(&["x"])),
            Err("unexpected argument `x` for `bench`".into())
        );
    }

    #[test]
    fn sections_per_mode() {
        let full = Options::default();
        assert!(Section::ALL.iter().all(|s| full.runs(*s)));
        assert_eq!(full.report_path(), REPORT);
        let quick = Options {
            quick: true,
            only: vec![],
        };
        assert!(quick.runs(Section::Generation) && quick.runs(Section::Build));
        assert!(!quick.runs(Section::Compile) && !quick.runs(Section::Graph));
        assert!(!quick.runs(Section::Progenitor));
        assert_eq!(quick.report_path(), QUICK_REPORT);
        let only = Options {
            quick: false,
            only: vec![Section::Graph],
        };
        assert!(only.runs(Section::Graph) && !only.runs(Section::Generation));
        assert_eq!(only.report_path(), ONLY_REPORT);
    }
}
