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
    /// The default: the runtime this `forge` was built with travels inside the crate, as its
    /// module `src/forge_runtime/` (see [`crate::vendor`]), so the crate builds wherever it is
    /// copied and can be published as one crate.
    #[default]
    Vendored,
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

impl Standalone {
    /// The `forge generate` command line that makes this crate (what `check` tells a stale crate
    /// to run).
    pub fn command_line(&self) -> String {
        let mut line = format!("forge generate --spec {} --out {}", self.spec, self.out);
        if let Some(settings) = &self.settings {
            line.push_str(&format!(" --settings {settings}"));
        }
        if let Some(name) = &self.name {
            line.push_str(&format!(" --name {name}"));
        }
        if self.lenient {
            line.push_str(" --lenient");
        }
        match &self.runtime {
            RuntimeChoice::Vendored => {}
            RuntimeChoice::Path(path) => line.push_str(&format!(" --runtime-path {path}")),
            RuntimeChoice::Version(version) => {
                line.push_str(&format!(" --runtime-version {version}"))
            }
        }
        line
    }
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
    /// Whether the runtime was written into the crate (`src/forge_runtime/`).
    pub vendored: bool,
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
            Some(name) if self.vendored => format!(
                "crate `{name}`: {files} ({lines}), Cargo.toml and the runtime in src/{}/",
                crate::vendor::MODULE_DIR
            ),
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

/// Generates a standalone crate into `args.out`: its [`crate_files`]. An existing `args.out` is
/// replaced only if it is empty or was generated before (its `Cargo.toml` carries
/// [`manifest::MARKER`]); its `target/` and `Cargo.lock` are kept.
pub fn standalone(args: &Standalone) -> Result<Outcome, Error> {
    let start = Instant::now();
    let job = Job::standalone(args)?;
    let output = job.run_with(runtime_mode(&args.runtime))?;
    let out = Path::new(&args.out);
    let files = crate_files(args, &job, &output)?;
    ensure_replaceable(out, &args.out)?;
    let target =
        crate::paths::resolve(out).map_err(Error::io(format!("cannot resolve {}", args.out)))?;
    if let Some(parent) = target.parent() {
        fs::create_dir_all(parent)
            .map_err(Error::io(format!("cannot create {}", parent.display())))?;
    }
    let replaced = atomic::replace_dir(&target, &["target", "Cargo.lock"], |temp| {
        for (path, contents) in &files {
            atomic::write_file(temp, path, contents)?;
        }
        Ok(())
    })?;
    let crate_name = Some(job.settings.crate_name.clone());
    let mut outcome = outcome(&job, &output, replaced, crate_name, args.out.clone(), start);
    outcome.vendored = args.runtime == RuntimeChoice::Vendored;
    Ok(outcome)
}

/// How the generated code reaches the runtime, for a choice.
pub fn runtime_mode(choice: &RuntimeChoice) -> codegen::RuntimeMode {
    match choice {
        RuntimeChoice::Vendored => codegen::RuntimeMode::Vendored,
        RuntimeChoice::Path(_) | RuntimeChoice::Version(_) => codegen::RuntimeMode::Crate,
    }
}

/// Every file of the standalone crate `args` describe, relative to its folder with `/`, sorted:
/// `Cargo.toml`, the generator's `src/` and, when the runtime is vendored, `src/forge_runtime/`.
/// `generate` writes them and `check` compares them, so both mean the same crate.
pub fn crate_files(
    args: &Standalone,
    job: &Job,
    output: &Output,
) -> Result<Vec<(String, String)>, Error> {
    let mut files = vec![(
        "Cargo.toml".to_owned(),
        manifest_text(args, job, &output.generated.features)?,
    )];
    files.extend(
        output
            .src_files()
            .into_iter()
            .map(|(path, text)| (format!("src/{path}"), text.to_owned())),
    );
    if args.runtime == RuntimeChoice::Vendored {
        let module = format!("src/{}/", crate::vendor::MODULE_DIR);
        if let Some((path, _)) = files.iter().find(|(path, _)| path.starts_with(&module)) {
            return Err(Error::Message(format!(
                "the generator wrote {path}, where the vendored runtime goes: rename that module"
            )));
        }
        files.extend(
            crate::vendor::files()?
                .into_iter()
                .map(|(path, text)| (format!("src/{path}"), text)),
        );
    }
    files.sort();
    Ok(files)
}

/// The `Cargo.toml` of the standalone crate `args` describe, with the generated code's features.
pub fn manifest_text(
    args: &Standalone,
    job: &Job,
    features: &codegen::manifest::Features,
) -> Result<String, Error> {
    let out = Path::new(&args.out);
    let source = match &args.runtime {
        RuntimeChoice::Vendored => {
            codegen::manifest::RuntimeSource::Vendored(crate::vendor::dependencies())
        }
        RuntimeChoice::Path(path) => {
            codegen::manifest::RuntimeSource::Path(job::runtime_path(Path::new(path), out)?)
        }
        RuntimeChoice::Version(version) => {
            codegen::manifest::RuntimeSource::Version(version.clone())
        }
    };
    let package = codegen::manifest::Package {
        name: &job.settings.crate_name,
        version: job.settings.crate_version(),
        features,
    };
    manifest::package(&package, &source)
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
        vendored: false,
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
            vendored: false,
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
