//! Side by side with progenitor (Oxide's generator): `cargo progenitor -i SPEC -o DIR -n NAME
//! -v 0.1.0` against forge's whole `generate` process, on every spec of `../shared/specs/real`
//! progenitor accepts, three runs each, alternating which goes first.
//!
//! The binary is `$FORGE_BENCH_PROGENITOR`, else `cargo-progenitor` on `PATH`, else the one
//! `cargo install cargo-progenitor --root target/progenitor-install` leaves in that folder.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use super::generation::REAL_SPECS;
use super::measure;
use crate::workspace;

/// Where both write, relative to the workspace root.
const OUT: &str = "target/bench/progenitor";
/// Where `cargo install --root` puts it, relative to the workspace root.
pub const INSTALL_ROOT: &str = "target/progenitor-install";
/// Runs per median.
const RUNS: usize = 3;

/// Target: forge at least this many times faster than progenitor.
pub const SPEEDUP: f64 = 3.0;

/// One spec.
#[derive(Debug, Clone, Default)]
pub struct Spec {
    /// File name.
    pub file_name: String,
    /// Size.
    pub bytes: u64,
    /// Median of progenitor's process.
    pub progenitor_secs: Option<f64>,
    /// Median of forge's `generate` process.
    pub forge_secs: Option<f64>,
    /// Why progenitor refused it (its first line of output that says so).
    pub refused: Option<String>,
}

impl Spec {
    /// How many times faster forge is.
    pub fn speedup(&self) -> Option<f64> {
        Some(self.progenitor_secs? / self.forge_secs?)
    }
}

/// The section's result.
#[derive(Debug, Clone, Default)]
pub struct Progenitor {
    /// `cargo-progenitor`'s path and version, if found.
    pub binary: Option<String>,
    /// Per spec.
    pub specs: Vec<Spec>,
}

fn find(root: &Path) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("FORGE_BENCH_PROGENITOR") {
        return Some(PathBuf::from(path));
    }
    let exe = format!("cargo-progenitor{}", std::env::consts::EXE_SUFFIX);
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|dir| dir.join(&exe))
        .chain(std::iter::once(
            workspace::join(root, INSTALL_ROOT).join("bin").join(&exe),
        ))
        .find(|p| p.is_file())
}

/// One timed process; `Err` with the first telling line of its output when it fails.
fn time(mut cmd: Command) -> Result<f64, String> {
    cmd.stdin(Stdio::null()).stdout(Stdio::null());
    let started = Instant::now();
    let output = cmd
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| e.to_string())?;
    let secs = started.elapsed().as_secs_f64();
    if output.status.success() {
        return Ok(secs);
    }
    Err(failure(&String::from_utf8_lossy(&output.stderr)))
}

/// The telling part of a failed run's stderr: a panic's message and where (the registry path
/// cut to the crate), or the first `Error` line.
fn failure(stderr: &str) -> String {
    let lines: Vec<&str> = stderr
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let line = if let Some(i) = lines.iter().position(|l| l.contains("panicked at")) {
        let place = lines[i].split("panicked at ").nth(1).unwrap_or("");
        let place = place
            .rsplit("/src/index.crates.io-")
            .next()
            .unwrap_or(place);
        let place = place.split_once('/').map_or(place, |(_, rest)| rest);
        let message = lines.get(i + 1).copied().unwrap_or("");
        format!("panic: {message} ({})", place.trim_end_matches(':'))
    } else {
        lines
            .iter()
            .find(|l| l.starts_with("Error") || l.starts_with("error"))
            .or(lines.first())
            .map_or_else(|| "failed".to_owned(), |l| (*l).to_owned())
    };
    line.chars().take(140).collect()
}

/// Runs it; a missing binary gives an empty result that says so.
pub fn run(root: &Path, exe: &Path, progress: &mut dyn FnMut(&str)) -> Progenitor {
    let Some(binary) = find(root) else {
        progress("  cargo-progenitor not found: skipped (see the report)");
        return Progenitor::default();
    };
    let version = Command::new(&binary)
        .args(["progenitor", "--version"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "cargo-progenitor".into());
    progress(&format!("  {version} ({})", binary.display()));
    let mut result = Progenitor {
        binary: Some(version),
        specs: Vec::new(),
    };
    let mut specs: Vec<(String, u64)> = fs::read_dir(workspace::join(root, REAL_SPECS))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let is_spec = [".json", ".yaml", ".yml"].iter().any(|x| name.ends_with(x));
            is_spec.then(|| (name, e.metadata().map_or(0, |m| m.len())))
        })
        .collect();
    specs.sort_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)));
    let out = workspace::join(root, OUT);
    let _ = fs::create_dir_all(&out);
    for (name, bytes) in specs {
        let spec_path = format!("{REAL_SPECS}/{name}");
        let stem = name
            .split('.')
            .next()
            .unwrap_or(&name)
            .replace(['-', '.'], "_");
        let progenitor = || {
            let mut cmd = Command::new(&binary);
            cmd.current_dir(root)
                .args(["progenitor", "-i", &spec_path, "-o"])
                .arg(out.join(format!("progenitor-{stem}")))
                .args(["-n", &format!("bench_{stem}"), "-v", "0.1.0"]);
            cmd
        };
        let forge = || {
            let mut cmd = Command::new(exe);
            cmd.current_dir(root)
                .args(["generate", "--spec", &spec_path, "--out"])
                .arg(out.join(format!("forge-{stem}")));
            cmd
        };
        let mut spec = Spec {
            file_name: name.clone(),
            bytes,
            ..Spec::default()
        };
        // The first run decides whether progenitor accepts the spec.
        if let Err(e) = time(progenitor()) {
            progress(&format!("  {name:<28} progenitor refuses it: {e}"));
            spec.refused = Some(e);
            result.specs.push(spec);
            continue;
        }
        let (mut p, mut f) = (Vec::new(), Vec::new());
        let mut failed = None;
        for i in 0..RUNS {
            let order: [bool; 2] = if i % 2 == 0 {
                [true, false]
            } else {
                [false, true]
            };
            for is_forge in order {
                let r = if is_forge {
                    time(forge())
                } else {
                    time(progenitor())
                };
                match r {
                    Ok(s) if is_forge => f.push(s),
                    Ok(s) => p.push(s),
                    Err(e) => failed = Some(e),
                }
            }
        }
        if let Some(e) = failed {
            progress(&format!("  {name:<28} FAILED: {e}"));
            spec.refused = Some(format!("a run failed: {e}"));
        } else {
            spec.progenitor_secs = Some(measure::median(&p));
            spec.forge_secs = Some(measure::median(&f));
            progress(&format!(
                "  {name:<28} progenitor {:>9}  forge {:>9}  ({:.1}x faster)",
                measure::secs(spec.progenitor_secs.unwrap_or(f64::NAN)),
                measure::secs(spec.forge_secs.unwrap_or(f64::NAN)),
                spec.speedup().unwrap_or(f64::NAN)
            ));
        }
        result.specs.push(spec);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_are_short() {
        let panic = "\nthread 'main' (28515) panicked at /root/.cargo/registry/src/\
                     index.crates.io-1949cf8c6b5b557f/progenitor-impl-0.15.1/src/method.rs:1220:9:\n\
                     assertion failed: x\nstack backtrace:\n";
        assert_eq!(
            failure(panic),
            "panic: assertion failed: x (progenitor-impl-0.15.1/src/method.rs:1220:9)"
        );
        assert_eq!(
            failure("Error: info: missing field\n"),
            "Error: info: missing field"
        );
        assert_eq!(failure(""), "failed");
    }
}
