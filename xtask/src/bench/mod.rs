//! `cargo xtask bench [--quick]`: how fast the generator is, what the generated client costs at
//! run time and at build time, each figure against a floor measured in the same run.
//!
//! 1. `generation`: `codegen::generate` in-process and the `generate` process, against
//!    parsing the same spec into a generic value.
//! 2. `http`: `generated/benches/client.rs` (requests/s against plain reqwest + serde_json)
//!    and `generated/benches/stream.rs` (events/s and peak memory against a hand-written loop).
//! 3. `build_cost`: dependencies and clean build time of a crate using the client.
//!
//! `cargo xtask` is a debug build, so the command first builds xtask in release mode and
//! hands over to that binary; the benches are built by `cargo bench` (release). Progress lines
//! go to stdout as it runs, then one table (`report`), which a full run also writes to
//! `BENCHMARKS.md` (a `--quick` run writes `target/bench/BENCHMARKS-quick.md` instead, so a CI
//! run never dirties the checkout).

mod build_cost;
mod generation;
mod http;
mod measure;
mod report;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant, SystemTime};

use crate::workspace;
use forge::Error;

/// The report of a full run, relative to the workspace root.
pub const REPORT: &str = "BENCHMARKS.md";
/// The report of a `--quick` run.
pub const QUICK_REPORT: &str = "target/bench/BENCHMARKS-quick.md";

/// Set in the release process: when the run started (ms since the epoch) and how long the
/// release build of xtask took (s).
const ENV_STARTED: &str = "FORGE_BENCH_STARTED_MS";
const ENV_XTASK_BUILD: &str = "FORGE_BENCH_XTASK_BUILD_SECS";

/// Options of `cargo xtask bench`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// `--quick`: small specs, short runs, dependency count without build timing (for CI).
    pub quick: bool,
}

/// Parses the arguments after `bench`; `Ok(None)` for `--help`.
pub fn parse_args(rest: &[String]) -> Result<Option<Options>, String> {
    let mut options = Options::default();
    for arg in rest {
        match arg.as_str() {
            "--help" | "-h" => return Ok(None),
            "--quick" if options.quick => return Err("--quick given twice".into()),
            "--quick" => options.quick = true,
            other if other.starts_with('-') => {
                return Err(format!("unknown option `{other}` for `bench`"))
            }
            other => return Err(format!("unexpected argument `{other}` for `bench`")),
        }
    }
    Ok(Some(options))
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
    let path = if options.quick { QUICK_REPORT } else { REPORT };
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
    progress(&format!(
        "bench: {} run on {}",
        if quick { "quick" } else { "full" },
        report.machine
    ));

    // 1. Generation.
    let section = Instant::now();
    let exe = std::env::current_exe().unwrap_or_else(|_| PathBuf::from("xtask"));
    match generation::specs(root, quick) {
        Ok(specs) => {
            progress(&format!(
                "[1/4] generation: {} specs (median of {} runs; in-process, then the process)",
                specs.len(),
                if quick {
                    "3"
                } else {
                    "5, or 3 for specs over 1.5 s a run,"
                }
            ));
            for spec in &specs {
                match generation::measure(root, &exe, spec, quick, progress) {
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
        Err(e) => report.failures.push(format!("generation: {e}")),
    }

    progress(&format!(
        "  generation: {}",
        measure::secs(section.elapsed().as_secs_f64())
    ));

    // 2 and 3. The client and the stream.
    progress("[2/4] building generated/benches (release) ...");
    match http::build(root) {
        Ok(secs) => {
            progress(&format!("  built in {}", measure::secs(secs)));
            report.build_steps.push(("benches".into(), secs));
            progress("[2/4] client overhead: generated/benches/client.rs");
            let section = Instant::now();
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
            progress(&format!(
                "  client: {}",
                measure::secs(section.elapsed().as_secs_f64())
            ));
            progress("[3/4] streaming: generated/benches/stream.rs");
            let section = Instant::now();
            match http::run(root, "stream", quick).map(|lines| http::stream(&lines)) {
                Ok(Some(stream)) => report.stream = Some(stream),
                Ok(None) => report
                    .failures
                    .push("stream: the bench printed no summary".into()),
                Err(e) => report.failures.push(format!("stream: {e}")),
            }
            progress(&format!(
                "  stream: {}",
                measure::secs(section.elapsed().as_secs_f64())
            ));
        }
        Err(e) => report.failures.push(format!("client and stream: {e}")),
    }

    // 4. Build cost.
    progress(&format!(
        "[4/4] build cost of the generated crate{}",
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
    report
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

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// Today's date, UTC, `YYYY-MM-DD`.
fn today() -> String {
    // Howard Hinnant's `civil_from_days`.
    let z = (now_ms() / 86_400_000) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// `nproc 2, rustc 1.x, CPU, RAM, load average at the start`.
fn machine() -> String {
    let mut parts = Vec::new();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    parts.push(format!("nproc {cores}"));
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    if let Ok(out) = Command::new(rustc).arg("--version").output() {
        let version = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        if !version.is_empty() {
            parts.push(version);
        }
    }
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    if let Some((_, model)) = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
    {
        parts.push(model.trim().to_owned());
    }
    parts.push(format!(
        "{}-{}",
        std::env::consts::ARCH,
        std::env::consts::OS
    ));
    if let Some(load) = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
    {
        parts.push(format!(
            "load average {load} at the start (other work on the machine skews absolute figures, less so the ratios)"
        ));
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn parses_its_arguments() {
        assert_eq!(parse_args(&[]), Ok(Some(Options { quick: false })));
        assert_eq!(
            parse_args(&args(&["--quick"])),
            Ok(Some(Options { quick: true }))
        );
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
    fn dates() {
        assert_eq!(today().len(), 10);
    }
}
