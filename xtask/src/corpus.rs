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

/// One spec's row of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The spec's file name.
    pub spec: String,
    /// Read from the document.
    pub facts: Facts,
    /// The generated crate, or the first line of the reason it was not.
    pub generated: Result<GenInfo, String>,
    /// `cargo check`.
    pub compile: Compile,
}

impl Row {
    /// Whether the crate compiled (with or without warnings).
    pub fn compiles(&self) -> bool {
        matches!(self.compile, Compile::Checked { ok: true, .. })
    }

    /// Whether the crate compiled without a single warning.
    pub fn compiles_clean(&self) -> bool {
        matches!(&self.compile, Compile::Checked { ok: true, warnings, .. } if warnings.is_empty())
    }
}

/// A whole run.
#[derive(Debug, Clone)]
pub struct Report {
    /// One per spec, in file-name order.
    pub rows: Vec<Row>,
    /// Whether `cargo check` ran.
    pub compiled: bool,
    /// Wall time of the whole run.
    pub elapsed: Duration,
}

impl Report {
    /// `generated 12/12, compiling 11/12 (10 without warnings) in 21m04s`.
    pub fn summary(&self) -> String {
        let total = self.rows.len();
        let generated = self.rows.iter().filter(|r| r.generated.is_ok()).count();
        let compile = if self.compiled {
            let compiling = self.rows.iter().filter(|r| r.compiles()).count();
            let clean = self.rows.iter().filter(|r| r.compiles_clean()).count();
            format!("compiling {compiling}/{total} ({clean} without warnings)")
        } else {
            "compiling not checked (--no-compile)".to_owned()
        };
        format!(
            "generated {generated}/{total}, {compile} in {}",
            duration(self.elapsed)
        )
    }

    /// The aligned Markdown table.
    pub fn table(&self) -> String {
        let header = [
            "spec",
            "OpenAPI",
            "operations",
            "schemas",
            "generated",
            "lines",
            "gen ms",
            "gen+fmt ms",
            "compiles",
            "warnings",
            "check",
        ];
        let rows: Vec<Vec<String>> = self.rows.iter().map(cells).collect();
        let numeric = [
            false, false, true, true, false, true, true, true, false, true, true,
        ];
        markdown_table(&header, &rows, &numeric)
    }

    /// Per spec with anything to say: the error in full, the compiler's warnings (up to five),
    /// then the generator's own warnings (up to three).
    pub fn details(&self) -> String {
        const WARNINGS: usize = 5;
        const GENERATOR: usize = 3;
        let mut out = String::new();
        for row in &self.rows {
            let mut lines = Vec::new();
            match &row.compile {
                Compile::Checked {
                    first_error,
                    warnings,
                    ..
                } => {
                    if let Some(e) = first_error {
                        lines.push(format!("first error: `{}`", code(e)));
                    }
                    for w in warnings.iter().take(WARNINGS) {
                        lines.push(format!("warning: `{}`", code(w)));
                    }
                    if warnings.len() > WARNINGS {
                        lines.push(format!(
                            "... and {} more warnings",
                            warnings.len() - WARNINGS
                        ));
                    }
                }
                Compile::Failed(e) => lines.push(format!("cargo check: `{}`", code(e))),
                Compile::Skipped | Compile::NotGenerated => {}
            }
            match &row.generated {
                Err(e) => lines.push(format!("generation failed: `{}`", code(e))),
                Ok(info) => {
                    for w in info.warnings.iter().take(GENERATOR) {
                        lines.push(format!("generator warning: `{}`", code(w)));
                    }
                    if info.warnings.len() > GENERATOR {
                        lines.push(format!(
                            "... and {} more generator warnings",
                            info.warnings.len() - GENERATOR
                        ));
                    }
                }
            }
            for line in lines {
                let _ = writeln!(out, "- {}: {line}", row.spec);
            }
        }
        out
    }

    /// The contents of `CORPUS.md`.
    pub fn markdown(&self, date: &str, machine: &str, options: &Options) -> String {
        let mut flags = String::new();
        if options.lenient {
            flags.push_str(" --lenient");
        }
        if !options.compile {
            flags.push_str(" --no-compile");
        }
        let mut out = String::new();
        out.push_str("# Corpus: forge on real-world specs\n\n");
        let _ = writeln!(
            out,
            "Written by `cargo xtask corpus{flags}` on {date}: every spec in `{}/` (sources in its \
             `SOURCES.md`) generated into `{OUT}/<spec>/` and checked with `cargo check` \
             (shared `CARGO_TARGET_DIR={TARGET}`). Rerun the command to refresh this file; \
             `--only NAME,...` runs a subset without touching it.\n",
            SPECS.join("/` and `")
        );
        let _ = writeln!(out, "Machine: {machine}.\n");
        out.push_str(&self.table());
        let _ = writeln!(out, "\n{}\n", self.summary());
        out.push_str(
            "Columns: *operations* and *schemas* are counted in the document (`paths`, \
             `components/schemas`); *lines* are the generated `src/` after rustfmt; *gen ms* is \
             the in-process `codegen::generate` call (parse, lower, emit, prettyplease), *gen+fmt ms* \
             adds xtask's rustfmt pass; *compiles* is `cargo check` of the crate, *warnings* counts \
             the warnings in the crate's own files (its dependencies excluded), *check* is the \
             `cargo check` wall time (dependencies included for the first crate).\n",
        );
        let details = self.details();
        if !details.is_empty() {
            out.push_str("\n## Errors and warnings\n\n");
            out.push_str(&details);
        }
        out
    }
}

/// The table cells of one row.
fn cells(row: &Row) -> Vec<String> {
    let dash = || "-".to_owned();
    let count = |n: Option<usize>| n.map_or_else(dash, thousands);
    let mut operations = count(row.facts.operations);
    let (generated, lines, gen, gen_fmt) = match &row.generated {
        Ok(info) => {
            if row.facts.operations.is_some_and(|n| n != info.operations) {
                operations = format!("{operations} ({} generated)", thousands(info.operations));
            }
            let generated = match info.warnings.len() {
                0 => "yes".to_owned(),
                1 => "yes, 1 warning".to_owned(),
                n => format!("yes, {n} warnings"),
            };
            (
                generated,
                thousands(info.lines),
                thousands(info.gen.as_millis() as usize),
                thousands((info.gen + info.fmt).as_millis() as usize),
            )
        }
        Err(e) => (format!("error: {}", cell_text(e)), dash(), dash(), dash()),
    };
    let (compiles, warnings, check) = match &row.compile {
        Compile::Skipped => ("skipped".to_owned(), dash(), dash()),
        Compile::NotGenerated => (dash(), dash(), dash()),
        Compile::Failed(e) => (format!("error: {}", cell_text(e)), dash(), dash()),
        Compile::Checked {
            ok,
            first_error,
            warnings,
            elapsed,
        } => (
            match (ok, first_error) {
                (true, _) => "yes".to_owned(),
                (false, Some(e)) => format!("no: {}", cell_text(without_location(e))),
                (false, None) => "no".to_owned(),
            },
            warnings.len().to_string(),
            duration(*elapsed),
        ),
    };
    vec![
        row.spec.clone(),
        row.facts.openapi.clone().unwrap_or_else(dash),
        operations,
        count(row.facts.schemas),
        generated,
        lines,
        gen,
        gen_fmt,
        compiles,
        warnings,
        check,
    ]
}

/// A compiler message without its `src/x.rs:1:2: ` prefix (the details section keeps it).
fn without_location(line: &str) -> &str {
    match located(line) {
        Some((_, rest)) => rest,
        None => line,
    }
}

/// One line of text made safe for a table cell: `|` escaped, long text shortened.
pub fn cell_text(text: &str) -> String {
    const MAX: usize = 70;
    let first = text.lines().next().unwrap_or("").trim();
    let short: String = if first.chars().count() > MAX {
        let mut s: String = first.chars().take(MAX - 1).collect();
        s.push('…');
        s
    } else {
        first.to_owned()
    };
    short.replace('|', "\\|")
}

/// Text for a Markdown code span: one line, no backticks.
fn code(text: &str) -> String {
    text.lines().next().unwrap_or("").trim().replace('`', "'")
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

/// What a generation in its own thread returns.
struct Generation {
    facts: Facts,
    result: Result<Generated, String>,
    gen: Duration,
}

/// The panic message of the last panic on a generation thread, recorded by a temporary hook.
static PANIC: Mutex<Option<String>> = Mutex::new(None);

/// Runs `codegen::generate` on a thread with a large stack (deeply nested specs recurse), turning a
/// panic or a crashed thread into an error message.
fn generate_isolated(
    spec_name: String,
    spec_text: String,
    settings: Settings,
    lenient: bool,
) -> Generation {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|info| {
        if let Ok(mut slot) = PANIC.lock() {
            *slot = Some(info.to_string().replace('\n', " "));
        }
    }));
    let handle = std::thread::Builder::new()
        .name("corpus-generate".into())
        .stack_size(256 << 20)
        .spawn(move || {
            let facts = codegen::parse::load(&spec_name, &spec_text)
                .map(|doc| facts(&doc))
                .unwrap_or_default();
            let input = Input {
                spec_name: &spec_name,
                spec_text: &spec_text,
                settings,
                lenient,
                overlays: Vec::new(),
                modules: Vec::new(),
                runtime: codegen::RuntimeMode::Crate,
            };
            let start = Instant::now();
            let result = codegen::generate(&input).map_err(|e| e.to_string());
            Generation {
                facts,
                result,
                gen: start.elapsed(),
            }
        });
    let outcome = match handle {
        Ok(handle) => handle.join().unwrap_or_else(|_| {
            let message = PANIC
                .lock()
                .ok()
                .and_then(|mut slot| slot.take())
                .unwrap_or_else(|| "the generator panicked".to_owned());
            Generation {
                facts: Facts::default(),
                result: Err(format!("internal error: {message}")),
                gen: Duration::ZERO,
            }
        }),
        Err(e) => Generation {
            facts: Facts::default(),
            result: Err(format!("cannot start a generation thread: {e}")),
            gen: Duration::ZERO,
        },
    };
    std::panic::set_hook(previous);
    outcome
}

/// The generated files' paths must be plain paths under `src/` before anything is written.
fn check_paths(generated: &Generated) -> Result<(), String> {
    for file in &generated.files {
        let plain = file.path.strip_prefix("src/").is_some_and(|rest| {
            rest.split('/').all(|part| {
                !part.is_empty() && part != "." && part != ".." && !part.contains(['\\', ':'])
            })
        });
        if !plain {
            return Err(format!(
                "internal error: the generator returned the file path `{}`",
                file.path
            ));
        }
    }
    Ok(())
}

/// Generates, formats and writes one spec's crate; the `Err` is the table's `error: ...` text.
pub fn generate_one(
    layout: &Layout,
    spec: &Path,
    options: &Options,
) -> (Facts, Result<(GenInfo, PathBuf), String>) {
    let spec_name = paths::relative(spec, &layout.root)
        .map(|p| paths::to_slash(&p))
        .unwrap_or_else(|| paths::to_slash(spec));
    let spec_text = match fs::read_to_string(spec) {
        Ok(text) => text,
        Err(e) => {
            return (
                Facts::default(),
                Err(format!("cannot read {spec_name}: {e}")),
            )
        }
    };
    let name = crate_name::derive(spec);
    let generation = generate_isolated(
        spec_name.clone(),
        spec_text,
        Settings::for_crate(&name),
        options.lenient,
    );
    let facts = generation.facts;
    let result = generation.result.and_then(|generated| {
        check_paths(&generated)?;
        let fmt = Duration::ZERO;
        let output = Output { generated };
        let out = layout.out.join(stem(spec));
        write_crate(layout, &out, &output, &name).map_err(|e| e.to_string())?;
        let info = GenInfo {
            files: output.generated.files.len(),
            lines: output
                .generated
                .files
                .iter()
                .map(|f| f.contents.lines().count())
                .sum(),
            operations: output.generated.stats.operations,
            types: output.generated.stats.types,
            warnings: output
                .generated
                .warnings
                .iter()
                .map(ToString::to_string)
                .collect(),
            gen: generation.gen,
            fmt,
        };
        Ok((info, out))
    });
    (facts, result)
}

/// Replaces `out` with the crate: `Cargo.toml` (standalone, depending on the runtime by path) and
/// `src/`, keeping the crate's `Cargo.lock`.
fn write_crate(layout: &Layout, out: &Path, output: &Output, name: &str) -> Result<(), Error> {
    fs::create_dir_all(&layout.out)
        .map_err(Error::io(format!("cannot create {}", layout.out.display())))?;
    if out.exists() {
        let generated = fs::read_to_string(out.join("Cargo.toml"))
            .is_ok_and(|text| manifest::is_generated(&text));
        if !generated {
            return Err(Error::Message(format!(
                "{}: refusing to replace a folder that was not generated",
                out.display()
            )));
        }
    }
    let runtime_path = job::runtime_path(&layout.runtime, out)?;
    let cargo_toml =
        manifest::standalone(name, &codegen::manifest::RuntimeSource::Path(runtime_path))?;
    atomic::replace_dir(out, &["target", "Cargo.lock"], |temp| {
        atomic::write_file(temp, "Cargo.toml", &cargo_toml)?;
        for (path, contents) in output.src_files() {
            atomic::write_file(&temp.join("src"), path, contents)?;
        }
        Ok(())
    })?;
    Ok(())
}

/// `cargo check --quiet --message-format short` in `dir`, with the shared target folder.
fn cargo_check(layout: &Layout, dir: &Path) -> Compile {
    if let Some(lock) = &layout.lockfile {
        // Start from the workspace's versions; cargo drops what the crate does not use.
        if let Err(e) = fs::copy(lock, dir.join("Cargo.lock")) {
            return Compile::Failed(format!("cannot copy {}: {e}", lock.display()));
        }
    }
    let mut command = nested_cargo(&layout.target, dir);
    command.args(["check", "--quiet", "--message-format", "short"]);
    let start = Instant::now();
    match command.output() {
        Err(e) => Compile::Failed(format!("cannot run cargo: {e}")),
        Ok(output) => {
            let mut text = String::from_utf8_lossy(&output.stderr).into_owned();
            text.push_str(&String::from_utf8_lossy(&output.stdout));
            let diagnostics = Diagnostics::parse(&text);
            Compile::Checked {
                ok: output.status.success(),
                first_error: (!output.status.success()).then(|| {
                    diagnostics
                        .first_error
                        .clone()
                        .or_else(|| {
                            text.lines()
                                .find(|l| !l.trim().is_empty())
                                .map(str::to_owned)
                        })
                        .unwrap_or_else(|| format!("cargo check failed ({})", output.status))
                }),
                warnings: diagnostics.warnings,
                elapsed: start.elapsed(),
            }
        }
    }
}

/// `cargo` run in `dir` with its own `CARGO_TARGET_DIR`, free of what `cargo run` set for xtask.
pub fn nested_cargo(target: &Path, dir: &Path) -> Command {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_TERM_COLOR", "never")
        .stdin(Stdio::null());
    // What `cargo run` sets for xtask itself must not leak into the nested build.
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy();
        let inherited = key.starts_with("CARGO_PKG_")
            || key.starts_with("CARGO_MANIFEST_")
            || key.starts_with("CARGO_BIN_")
            || matches!(
                &*key,
                "CARGO_CRATE_NAME"
                    | "CARGO_PRIMARY_PACKAGE"
                    | "CARGO_TARGET_TMPDIR"
                    | "CARGO_RUSTC_CURRENT_DIR"
                    | "CARGO_BUILD_TARGET_DIR"
            );
        if inherited {
            command.env_remove(&*key);
        }
    }
    command
}

/// What `cargo check --message-format short` printed, reduced to counts and first lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    /// Warnings located in the crate's own files (`src/x.rs:1:2: warning: ...`), in order.
    pub warnings: Vec<String>,
    /// The first error: a located one if any, else cargo's first `error: ...` line.
    pub first_error: Option<String>,
}

impl Diagnostics {
    /// Reads cargo's output. Diagnostics in dependencies (absolute paths or `../`) are not the
    /// crate's and are not counted; cargo's `warning: `x` (lib) generated 3 warnings` summaries
    /// neither.
    pub fn parse(text: &str) -> Diagnostics {
        let mut out = Diagnostics::default();
        let mut cargo_error = None;
        for line in text.lines() {
            let line = line.trim_end();
            if let Some((location, level)) = located(line) {
                let own = !location.starts_with('/')
                    && !location.starts_with("..")
                    && !location.contains(":\\");
                if level.starts_with("warning") && own {
                    out.warnings.push(line.to_owned());
                } else if level.starts_with("error") {
                    out.first_error.get_or_insert_with(|| line.to_owned());
                }
            } else if line.starts_with("error") && cargo_error.is_none() {
                cargo_error = Some(line.to_owned());
            }
        }
        if out.first_error.is_none() {
            out.first_error = cargo_error;
        }
        out
    }
}

/// Splits `path:line:col: level...` into the path and `level...`.
fn located(line: &str) -> Option<(&str, &str)> {
    for (i, _) in line.match_indices(": ") {
        let (head, rest) = (&line[..i], &line[i + 2..]);
        let mut parts = head.rsplitn(3, ':');
        let (Some(col), Some(row), Some(path)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if numeric(col) && numeric(row) && path.ends_with(".rs") {
            return Some((path, rest));
        }
    }
    None
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
        let tag = format!(
            "[{:>width$}/{total}] {file}",
            i + 1,
            width = total.to_string().len()
        );
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn counts_operations_and_schemas() {
        let doc = json!({
            "openapi": "3.1.0",
            "paths": {
                "/a": {"get": {}, "post": {}, "parameters": [], "summary": "x"},
                "/b": {"$ref": "#/components/pathItems/B"},
                "/c": {"delete": {}}
            },
            "components": {"schemas": {"A": {}, "B": {}}}
        });
        assert_eq!(
            facts(&doc),
            Facts {
                openapi: Some("3.1.0".into()),
                operations: Some(3),
                schemas: Some(2),
            }
        );
        let bare = json!({"openapi": "3.0.0"});
        assert_eq!(facts(&bare).operations, None);
        assert_eq!(facts(&bare).schemas, Some(0));
        assert_eq!(
            facts(&json!({"swagger": "2.0"})).openapi.as_deref(),
            Some("swagger 2.0")
        );
    }

    #[test]
    fn reads_cargo_short_messages() {
        let text = "\
/home/u/.cargo/registry/src/x/lib.rs:1:1: warning: unused import: `a`
../../runtime/src/lib.rs:3:4: warning: unused variable: `b`
src/types.rs:12:5: warning: unused import: `serde::Serialize`
src/lib.rs:12:9: warning: unused import: `types::*`
warning: `demo` (lib) generated 2 warnings
src/client.rs:40:7: error[E0412]: cannot find type `Foo` in this scope
src/client.rs:41:7: error: something else
error: could not compile `demo` (lib) due to 2 previous errors; 2 warnings emitted
";
        let d = Diagnostics::parse(text);
        assert_eq!(
            d.warnings,
            [
                "src/types.rs:12:5: warning: unused import: `serde::Serialize`",
                "src/lib.rs:12:9: warning: unused import: `types::*`"
            ]
        );
        assert_eq!(
            d.first_error.as_deref(),
            Some("src/client.rs:40:7: error[E0412]: cannot find type `Foo` in this scope")
        );
        let cargo_only = Diagnostics::parse(
            "error: failed to select a version for `serde`.\n    ... required by `demo`\n",
        );
        assert_eq!(
            cargo_only.first_error.as_deref(),
            Some("error: failed to select a version for `serde`.")
        );
        assert_eq!(Diagnostics::parse(""), Diagnostics::default());
    }

    #[test]
    fn selects_by_stem_or_file_name() {
        let specs: Vec<PathBuf> = ["a/petstore.yaml", "a/petstore-expanded.yaml", "a/x.json"]
            .iter()
            .map(PathBuf::from)
            .collect();
        let only = |names: &[&str]| {
            select(
                specs.clone(),
                &names.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
                "a",
            )
        };
        assert_eq!(only(&[]).unwrap().len(), 3);
        assert_eq!(
            only(&["x.json", "petstore"]).unwrap(),
            [PathBuf::from("a/petstore.yaml"), PathBuf::from("a/x.json")]
        );
        let err = only(&["nope"]).unwrap_err().to_string();
        assert_eq!(
            err,
            "--only: no spec named `nope` in a (there are: petstore, petstore-expanded, x)"
        );
    }

    #[test]
    fn aligned_table() {
        let table = markdown_table(
            &["spec", "n"],
            &[
                vec!["a".into(), "1,234".into()],
                vec!["long name".into(), "5".into()],
            ],
            &[false, true],
        );
        assert_eq!(
            table,
            "| spec      |     n |\n\
             | --------- | ----: |\n\
             | a         | 1,234 |\n\
             | long name |     5 |\n"
        );
    }

    #[test]
    fn cells_escape_and_shorten() {
        assert_eq!(cell_text("a | b\nsecond line"), "a \\| b");
        let long = "x".repeat(200);
        assert_eq!(cell_text(&long).chars().count(), 70);
    }

    #[test]
    fn report_summary_and_rows() {
        let ok = Row {
            spec: "a.yaml".into(),
            facts: Facts {
                openapi: Some("3.0.0".into()),
                operations: Some(4),
                schemas: Some(2),
            },
            generated: Ok(GenInfo {
                files: 3,
                lines: 1500,
                operations: 3,
                types: 2,
                warnings: vec!["#/paths: skipped".into()],
                gen: Duration::from_millis(12),
                fmt: Duration::from_millis(30),
            }),
            compile: Compile::Checked {
                ok: true,
                first_error: None,
                warnings: vec!["src/lib.rs:1:1: warning: x".into()],
                elapsed: Duration::from_millis(61_500),
            },
        };
        let failed = Row {
            spec: "b.json".into(),
            facts: Facts::default(),
            generated: Err("b.json: #/paths: unsupported".into()),
            compile: Compile::NotGenerated,
        };
        let report = Report {
            rows: vec![ok.clone(), failed],
            compiled: true,
            elapsed: Duration::from_secs(75),
        };
        assert_eq!(
            report.summary(),
            "generated 1/2, compiling 1/2 (0 without warnings) in 1m15s"
        );
        assert_eq!(
            cells(&ok),
            [
                "a.yaml",
                "3.0.0",
                "4 (3 generated)",
                "2",
                "yes, 1 warning",
                "1,500",
                "12",
                "42",
                "yes",
                "1",
                "1m01s"
            ]
        );
        let table = report.table();
        assert!(
            table.contains("| error: b.json: #/paths: unsupported |"),
            "{table}"
        );
        let md = report.markdown("2025-01-02", "a machine", &Options::default());
        assert!(md.contains("on 2025-01-02"), "{md}");
        assert!(md.contains("Machine: a machine."), "{md}");
        assert!(
            md.contains("- a.yaml: warning: `src/lib.rs:1:1: warning: x`\n- a.yaml: generator warning: `#/paths: skipped`\n"),
            "{md}"
        );
    }
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
