//! One spec of the corpus: generated in-process (a panic caught and reported), written as a
//! standalone crate, and checked with cargo.

use super::*;

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
    let cargo_toml = manifest::standalone(
        name,
        &output.generated.features,
        &codegen::manifest::RuntimeSource::Path(runtime_path),
    )?;
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
pub(super) fn cargo_check(layout: &Layout, dir: &Path) -> Compile {
    if let Some(lock) = &layout.lockfile {
        // Start from the workspace's versions; cargo drops what the crate does not use.
        if let Err(e) = fs::copy(lock, dir.join("Cargo.lock")) {
            return Compile::Failed(format!("cannot copy {}: {e}", lock.display()));
        }
    }
    let mut command = nested_cargo(&layout.target, dir);
    // Every area: a large API's crate enables none by default.
    command.args([
        "check",
        "--quiet",
        "--message-format",
        "short",
        "--features",
        "full",
    ]);
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
pub(super) fn located(line: &str) -> Option<(&str, &str)> {
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
