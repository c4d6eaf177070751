//! `cargo xtask generate`: run the generator and write its output, for the workspace's own
//! `generated/` crate (only `src/` is replaced; its manifest, tests, examples and benches are
//! hand-written) or for a standalone crate anywhere. Either way the output folder is replaced as a
//! whole through [`atomic::replace_dir`], so a failure leaves it as it was.

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::args::Standalone;
use crate::atomic::{self, Replaced};
use crate::error::Error;
use crate::job::{self, Job, Output};
use crate::manifest;
use crate::workspace;

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
        let files = plural(self.files, "file");
        let lines = plural(self.lines, "line");
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

/// Regenerates `<root>/generated/src` from `<root>/spec/forge.yaml`.
pub fn workspace(root: &Path) -> Result<Outcome, Error> {
    let start = Instant::now();
    let job = Job::workspace(root)?;
    let output = job.run()?;
    let generated = workspace::join(root, workspace::GENERATED);
    if !generated.is_dir() {
        return Err(Error::Message(format!(
            "{}/ is missing: it holds the crate's hand-written Cargo.toml",
            workspace::GENERATED
        )));
    }
    let replaced = atomic::replace_dir(
        &workspace::join(root, workspace::GENERATED_SRC),
        &[],
        |temp| write_src(temp, &output),
    )?;
    Ok(outcome(
        &job,
        &output,
        replaced,
        None,
        workspace::GENERATED_SRC.to_owned(),
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
    let runtime_path = job::runtime_path(runtime_dir, out)?;
    let cargo_toml = manifest::standalone(
        codegen::manifest::cargo_toml,
        &runtime_path,
        &job.settings.crate_name,
    )?;
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

/// `1 file`, `3 files`, `1,234 lines`.
fn plural(n: usize, noun: &str) -> String {
    let digits = n.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{grouped} {noun}{}", if n == 1 { "" } else { "s" })
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

    #[test]
    fn plurals_and_thousands() {
        assert_eq!(plural(1, "file"), "1 file");
        assert_eq!(plural(0, "line"), "0 lines");
        assert_eq!(plural(999, "line"), "999 lines");
        assert_eq!(plural(1000, "line"), "1,000 lines");
        assert_eq!(plural(1234567, "line"), "1,234,567 lines");
    }
}
