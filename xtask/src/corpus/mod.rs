//! `cargo xtask corpus`: the generator against real-world specs, as a report.
//!
//! Every spec in `../shared/specs/real/` (JSON or YAML) is generated in-process into a standalone
//! crate under `target/corpus/<spec>/`, then checked with `cargo check`; all the crates share one
//! `CARGO_TARGET_DIR` (`target/corpus-target`) so `forge-runtime` and its dependencies build once,
//! and reruns only rebuild what changed. A table says, per spec, what the document holds, whether
//! it generated (and how fast), and whether the crate compiles without warnings. A failure of any
//! kind is a row of the table, never a panic or an early exit: the command is a report.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use codegen::{Generated, Input, Settings};

use crate::workspace;
use forge::atomic;
use forge::crate_name;
use forge::job::{self, Output};
use forge::manifest;
use forge::paths;
use forge::report::{duration, markdown_table, thousands};
use forge::Error;

mod build;
mod report;
#[cfg(test)]
mod tests;

pub use build::*;
pub use report::*;

/// Where the specs are, relative to the workspace root: the real-world specs, then one per
/// provider from the APIs.guru directory.
pub const SPECS: &[&str] = &["../shared/specs/real", "../shared/specs/guru"];
/// Where the crates are generated, relative to the workspace root.
pub const OUT: &str = "target/corpus";
/// The `CARGO_TARGET_DIR` every corpus crate is checked with, relative to the workspace root.
pub const TARGET: &str = "target/corpus-target";
/// The report of the last full run, relative to the workspace root.
pub const REPORT: &str = "CORPUS.md";

/// Options of `cargo xtask corpus`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// `--only a,b`: spec names (file stems, e.g. `petstore`) to run; empty means all.
    pub only: Vec<String>,
    /// `--specs DIR`: this folder instead of [`SPECS`].
    pub specs: Option<String>,
    /// Run `cargo check` on each crate (not `--no-compile`).
    pub compile: bool,
    /// `--lenient`.
    pub lenient: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            only: Vec::new(),
            specs: None,
            compile: true,
            lenient: false,
        }
    }
}

/// The folders a run reads and writes; [`Layout::workspace`] for the real thing, anything for tests.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The workspace root: spec names in headers are relative to it.
    pub root: PathBuf,
    /// The folders holding the specs, with how each is shown in messages.
    pub specs: Vec<(PathBuf, String)>,
    /// One crate per spec is generated in here.
    pub out: PathBuf,
    /// The shared `CARGO_TARGET_DIR`.
    pub target: PathBuf,
    /// The `forge-runtime` crate the generated crates depend on by path.
    pub runtime: PathBuf,
    /// A `Cargo.lock` copied into each crate before checking, so that every crate resolves the
    /// versions the workspace already uses (and the shared target folder is reused).
    pub lockfile: Option<PathBuf>,
}

impl Layout {
    /// The workspace's layout: `specs` (else [`SPECS`]), [`OUT`], [`TARGET`], `runtime/`,
    /// `Cargo.lock`.
    pub fn workspace(root: &Path, specs: Option<&str>) -> Layout {
        let lockfile = root.join("Cargo.lock");
        let dirs: Vec<String> = match specs {
            Some(dir) => vec![dir.to_owned()],
            None => SPECS.iter().map(|s| (*s).to_owned()).collect(),
        };
        Layout {
            root: root.to_path_buf(),
            specs: dirs
                .into_iter()
                .map(|d| (paths::normalize(&workspace::join(root, &d)), d))
                .collect(),
            out: workspace::join(root, OUT),
            target: workspace::join(root, TARGET),
            runtime: workspace::join(root, workspace::RUNTIME),
            lockfile: lockfile.is_file().then_some(lockfile),
        }
    }
}

/// What the document says, read before generating.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// The `openapi` field (`swagger 2.0` for a Swagger document), if any.
    pub openapi: Option<String>,
    /// Operations under `paths`.
    pub operations: Option<usize>,
    /// Entries of `components/schemas`.
    pub schemas: Option<usize>,
}

/// A successful generation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenInfo {
    /// Files under `src/`.
    pub files: usize,
    /// Lines on disk (after rustfmt).
    pub lines: usize,
    /// Operations generated (fewer than the document's under `--lenient`).
    pub operations: usize,
    /// Named types generated.
    pub types: usize,
    /// The generator's warnings.
    pub warnings: Vec<String>,
    /// `codegen::generate` wall time.
    pub gen: Duration,
    /// The rustfmt pass's wall time.
    pub fmt: Duration,
}

/// The outcome of `cargo check` on a generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Compile {
    /// `--no-compile`.
    Skipped,
    /// Nothing to check: generation failed.
    NotGenerated,
    /// Cargo ran.
    Checked {
        /// Whether it succeeded.
        ok: bool,
        /// The first error line (when it failed).
        first_error: Option<String>,
        /// The warnings in the crate's own files, one line each, in cargo's order.
        warnings: Vec<String>,
        /// Wall time.
        elapsed: Duration,
    },
    /// Cargo could not be run at all.
    Failed(String),
}

/// The spec files of `dir` (`.json`, `.yaml`, `.yml`), sorted by file name.
pub fn list_specs(dir: &Path, label: &str) -> Result<Vec<PathBuf>, Error> {
    let entries = fs::read_dir(dir).map_err(Error::io(format!("cannot list {label}")))?;
    let mut specs = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(Error::io(format!("cannot list {label}")))?
            .path();
        let is_spec = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "json" | "yaml" | "yml"));
        if is_spec && path.is_file() {
            specs.push(path);
        }
    }
    specs.sort_by_key(|p| p.file_name().map(|n| n.to_os_string()));
    Ok(specs)
}

/// The spec's short name: its file stem (`petstore` for `petstore.yaml`).
pub fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The specs `--only` names (by stem or file name), in the order of `specs`; an unknown name is an
/// error listing the known ones.
pub fn select(specs: Vec<PathBuf>, only: &[String], label: &str) -> Result<Vec<PathBuf>, Error> {
    if only.is_empty() {
        return Ok(specs);
    }
    let matches = |path: &Path, name: &str| {
        stem(path) == name
            || path
                .file_name()
                .is_some_and(|f| f.to_string_lossy() == name)
    };
    for name in only {
        if !specs.iter().any(|p| matches(p, name)) {
            let known: Vec<String> = specs.iter().map(|p| stem(p)).collect();
            return Err(Error::Message(format!(
                "--only: no spec named `{name}` in {label} (there are: {})",
                known.join(", ")
            )));
        }
    }
    Ok(specs
        .into_iter()
        .filter(|p| only.iter().any(|n| matches(p, n)))
        .collect())
}

/// Counts from a parsed document.
pub fn facts(doc: &serde_json::Value) -> Facts {
    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let openapi = match (doc.get("openapi"), doc.get("swagger")) {
        (Some(v), _) => Some(v.as_str().map_or_else(|| v.to_string(), str::to_owned)),
        (None, Some(v)) => Some(format!(
            "swagger {}",
            v.as_str().map_or_else(|| v.to_string(), str::to_owned)
        )),
        (None, None) => None,
    };
    let operations = doc.get("paths").and_then(|p| p.as_object()).map(|paths| {
        paths
            .values()
            .filter_map(|item| item.as_object())
            .map(|item| {
                METHODS
                    .iter()
                    .filter(|m| item.get(**m).is_some_and(|op| op.is_object()))
                    .count()
            })
            .sum()
    });
    let schemas = doc
        .pointer("/components/schemas")
        .and_then(|s| s.as_object())
        .map(|s| s.len())
        .or(Some(0).filter(|_| openapi.is_some()));
    Facts {
        openapi,
        operations,
        schemas,
    }
}

/// Runs the corpus: generates (and checks) every selected spec, reporting progress through
/// `progress` one line at a time. Only a missing specs folder or an unknown `--only` name is an
/// `Err`; everything else is a row.
pub fn run(
    layout: &Layout,
    options: &Options,
    progress: &mut dyn FnMut(&str),
) -> Result<Report, Error> {
    let start = Instant::now();
    let mut all = Vec::new();
    for (dir, label) in &layout.specs {
        all.extend(list_specs(dir, label)?);
    }
    let labels: Vec<&str> = layout.specs.iter().map(|(_, l)| l.as_str()).collect();
    let specs_label = labels.join(" and ");
    let specs = select(all, &options.only, &specs_label)?;
    let total = specs.len();
    progress(&format!(
        "corpus: {total} spec{} from {} into {}{}",
        if total == 1 { "" } else { "s" },
        specs_label,
        shown(&layout.root, &layout.out),
        if options.compile {
            format!(
                ", cargo check with CARGO_TARGET_DIR={}",
                shown(&layout.root, &layout.target)
            )
        } else {
            String::new()
        }
    ));
    let mut rows = Vec::with_capacity(total);
    for (i, spec) in specs.iter().enumerate() {
        let file = spec
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tag = forge::report::progress_tag(i, total, &file);
        progress(&format!(
            "{tag}: generating ... [{}]",
            duration(start.elapsed())
        ));
        let (facts, generated) = generate_one(layout, spec, options);
        let (generated, dir) = match generated {
            Ok((info, dir)) => {
                progress(&format!(
                    "{tag}: generated {} lines in {} (+ rustfmt {}){}",
                    thousands(info.lines),
                    duration(info.gen),
                    duration(info.fmt),
                    match info.warnings.len() {
                        0 => String::new(),
                        n => format!(", {n} generator warning{}", if n == 1 { "" } else { "s" }),
                    }
                ));
                (Ok(info), Some(dir))
            }
            Err(e) => {
                progress(&format!("{tag}: not generated: {}", cell_text(&e)));
                (Err(e.lines().next().unwrap_or("").to_owned()), None)
            }
        };
        let compile = match (&dir, options.compile) {
            (None, _) => Compile::NotGenerated,
            (Some(_), false) => Compile::Skipped,
            (Some(dir), true) => {
                progress(&format!(
                    "{tag}: cargo check ... [{}]",
                    duration(start.elapsed())
                ));
                let compile = cargo_check(layout, dir);
                progress(&format!(
                    "{tag}: {} [{}]",
                    match &compile {
                        Compile::Checked {
                            ok: true,
                            warnings,
                            elapsed,
                            ..
                        } => match warnings.len() {
                            0 => format!("compiles, no warnings ({})", duration(*elapsed)),
                            n => format!(
                                "compiles with {n} warning{} ({}), first: {}",
                                if n == 1 { "" } else { "s" },
                                duration(*elapsed),
                                warnings[0]
                            ),
                        },
                        Compile::Checked {
                            first_error,
                            elapsed,
                            ..
                        } => format!(
                            "does not compile ({}): {}",
                            duration(*elapsed),
                            first_error.as_deref().unwrap_or("")
                        ),
                        Compile::Failed(e) => e.clone(),
                        Compile::Skipped | Compile::NotGenerated => String::new(),
                    },
                    duration(start.elapsed())
                ));
                compile
            }
        };
        rows.push(Row {
            spec: file,
            facts,
            generated,
            compile,
        });
    }
    Ok(Report {
        rows,
        compiled: options.compile,
        elapsed: start.elapsed(),
    })
}

/// `path` relative to the root when inside it, for messages.
fn shown(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .map(paths::to_slash)
        .unwrap_or_else(|_| paths::to_slash(path))
}

/// `cargo xtask corpus`: progress lines, then the table and the summary. A report, so it exits 0
/// whatever the specs do; a full run (no `--only`, no `--specs`) also writes `CORPUS.md`.
pub fn command(root: &Path, options: &Options) -> std::process::ExitCode {
    use std::io::Write;
    let layout = Layout::workspace(root, options.specs.as_deref());
    let mut progress = |line: &str| {
        println!("{line}");
        let _ = std::io::stdout().flush();
    };
    let report = match run(&layout, options, &mut progress) {
        Ok(report) => report,
        Err(e) => {
            eprintln!("error: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    println!("\n{}", report.table());
    if options.only.is_empty() && options.specs.is_none() {
        let text = report.markdown(&forge::report::today(), &forge::report::machine(), options);
        match fs::write(root.join(REPORT), text) {
            Ok(()) => println!("wrote {REPORT}"),
            Err(e) => eprintln!("warning: cannot write {REPORT}: {e}"),
        }
    } else {
        println!("{REPORT} not updated: a subset ran");
    }
    println!("{}", report.summary());
    std::process::ExitCode::SUCCESS
}
