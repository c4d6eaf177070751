//! Writing the generator's output: a standalone crate anywhere (`forge generate`), or the `src/`
//! of a crate whose manifest, tests and examples are written by people (`cargo xtask generate`).
//! Either way the output folder is replaced as a whole through [`atomic::replace_dir`], so a
//! failure leaves it as it was.

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::atomic::{self, Replaced};
use crate::error::Error;
use crate::job::{self, Job, Output};
use crate::manifest;

/// Where a standalone crate gets `forge-runtime` from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum RuntimeChoice {
    /// The runtime this `forge` was built with, by path (until vendoring lands).
    #[default]
    Default,
    /// `--runtime-path P`: a local runtime folder.
    Path(String),
    /// `--runtime-version X`: a published runtime.
    Version(String),
}

/// Options of `generate --spec PATH --out DIR`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Standalone {
    /// The spec file, exactly as given (it is also the spec's name in errors and headers).
    pub spec: String,
    /// The crate folder, as given.
    pub out: String,
    /// `--name`.
    pub name: Option<String>,
    /// `--settings`.
    pub settings: Option<String>,
    /// `--lenient`.
    pub lenient: bool,
    /// `--runtime-path` / `--runtime-version`.
    pub runtime: RuntimeChoice,
}

/// What a generation did, for the one-line report.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Files written under `src/`.
    pub files: usize,
    /// Lines in those files.
    pub lines: usize,
    /// For a standalone crate, its name: a `Cargo.toml` was written too.
    pub crate_name: Option<String>,
    /// The output folder as shown to the user (`generated/src`, or `--out` as given).
    pub out: String,
    /// The spec's name.
    pub spec_name: String,
    /// The generator's warnings and any cleanup problem, one line each, without `warning: `.
    pub warnings: Vec<String>,
    /// Wall time from reading the settings to the swap.
    pub elapsed: Duration,
}

impl Outcome {
    /// `generated 3 files (1,234 lines) in generated/src from spec/api.yaml in 42 ms`, or for a
    /// standalone crate `generated crate `pets`: 3 files (1,234 lines) and Cargo.toml in ...`.
    pub fn summary(&self) -> String {
        let files = crate::report::plural(self.files, "file");
        let lines = crate::report::plural(self.lines, "line");
        let what = match &self.crate_name {
            None => format!("{files} ({lines})"),
            Some(name) => format!("crate `{name}`: {files} ({lines}) and Cargo.toml"),
        };
        format!(
            "generated {what} in {} from {} in {} ms",
            self.out,
            self.spec_name,
            self.elapsed.as_millis()
        )
    }
}

/// Replaces `src_dir` with the output's files (for a crate whose other files people write);
/// `start` is when the job began, for the report.
pub fn replace_src(
    job: &Job,
    output: &Output,
    src_dir: &Path,
    shown: &str,
    start: Instant,
) -> Result<Outcome, Error> {
    let replaced = atomic::replace_dir(src_dir, &[], |temp| write_src(temp, output))?;
    Ok(outcome(
        job,
        output,
        replaced,
        None,
        shown.to_owned(),
        start,
    ))
}

/// Generates a standalone crate into `args.out`: `Cargo.toml` depending on the runtime in
/// `runtime_dir` by path, and `src/`. An existing `args.out` is replaced only if it is empty or
/// was generated before (its `Cargo.toml` carries [`manifest::MARKER`]); its `target/` and
/// `Cargo.lock` are kept.
pub fn standalone(args: &Standalone, runtime_dir: &Path) -> Result<Outcome, Error> {
    let start = Instant::now();
    let job = Job::standalone(args)?;
    let output = job.run()?;
    let out = Path::new(&args.out);
    let cargo_toml = manifest_text(args, &job, runtime_dir)?;
    ensure_replaceable(out, &args.out)?;
    let target =
        crate::paths::resolve(out).map_err(Error::io(format!("cannot resolve {}", args.out)))?;
    if let Some(parent) = target.parent() {
        fs::create_dir_all(parent)
            .map_err(Error::io(format!("cannot create {}", parent.display())))?;
    }
    let replaced = atomic::replace_dir(&target, &["target", "Cargo.lock"], |temp| {
        atomic::write_file(temp, "Cargo.toml", &cargo_toml)?;
        write_src(&temp.join("src"), &output)
    })?;
    let crate_name = Some(job.settings.crate_name.clone());
    Ok(outcome(
        &job,
        &output,
        replaced,
        crate_name,
        args.out.clone(),
        start,
    ))
}

/// The `Cargo.toml` of the standalone crate `args` describe.
pub fn manifest_text(args: &Standalone, job: &Job, runtime_dir: &Path) -> Result<String, Error> {
    let out = Path::new(&args.out);
    let source = match &args.runtime {
        RuntimeChoice::Default => {
            codegen::manifest::RuntimeSource::Path(job::runtime_path(runtime_dir, out)?)
        }
        RuntimeChoice::Path(path) => {
            codegen::manifest::RuntimeSource::Path(job::runtime_path(Path::new(path), out)?)
        }
        RuntimeChoice::Version(version) => {
            codegen::manifest::RuntimeSource::Version(version.clone())
        }
    };
    manifest::standalone(&job.settings.crate_name, &source)
}

/// Refuses to replace a folder that holds anything but a crate this command generated: `--out .`
/// or `--out ~` must not wipe a project.
fn ensure_replaceable(out: &Path, shown: &str) -> Result<(), Error> {
    let Ok(mut entries) = fs::read_dir(out) else {
        return match out.exists() {
            true => Err(Error::Message(format!(
                "--out {shown}: exists and is not a folder"
            ))),
            false => Ok(()),
        };
    };
    if entries.next().is_none() {
        return Ok(());
    }
    match fs::read_to_string(out.join("Cargo.toml")) {
        Ok(text) if manifest::is_generated(&text) => Ok(()),
        _ => Err(Error::Message(format!(
            "--out {shown}: refusing to replace a folder that was not generated by this command \
             (no {} marker in its Cargo.toml): remove it or choose another folder",
            manifest::MARKER
        ))),
    }
}

/// Writes every generated file into `src_dir` (the new `src/`).
fn write_src(src_dir: &Path, output: &Output) -> Result<(), Error> {
    fs::create_dir_all(src_dir)
        .map_err(Error::io(format!("cannot create {}", src_dir.display())))?;
    for (path, contents) in output.src_files() {
        atomic::write_file(src_dir, path, contents)?;
    }
    Ok(())
}

fn outcome(
    job: &Job,
    output: &Output,
    replaced: Replaced,
    crate_name: Option<String>,
    out: String,
    start: Instant,
) -> Outcome {
    let mut warnings = output.warnings(&job.spec_name);
    warnings.extend(replaced.leftover);
    Outcome {
        files: output.generated.files.len(),
        lines: output.lines(),
        crate_name,
        out,
        spec_name: job.spec_name.clone(),
        warnings,
        elapsed: start.elapsed(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_line() {
        let mut outcome = Outcome {
            files: 3,
            lines: 1234,
            crate_name: None,
            out: "generated/src".into(),
            spec_name: "spec/api.yaml".into(),
            warnings: vec![],
            elapsed: Duration::from_millis(42),
        };
        assert_eq!(
            outcome.summary(),
            "generated 3 files (1,234 lines) in generated/src from spec/api.yaml in 42 ms"
        );
        outcome.crate_name = Some("pets".into());
        outcome.out = "out/pets".into();
        outcome.files = 1;
        assert_eq!(
            outcome.summary(),
            "generated crate `pets`: 1 file (1,234 lines) and Cargo.toml in out/pets from spec/api.yaml in 42 ms"
        );
    }
}
