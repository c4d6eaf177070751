//! The driver crate of a spec: generated next to the client crate that `corpus` writes, built
//! with the shared target folder (which builds the client with it), and run.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use codegen::driver::{self, DriverInput};
use codegen::{Input, Settings};
use forge::{atomic, crate_name, job};

use crate::corpus::{self, Layout};

/// How long one driver may run (Prism answers in milliseconds; a hang is a failure).
const RUN_LIMIT: Duration = Duration::from_secs(900);

/// A written driver.
pub struct Written {
    /// Its folder.
    pub dir: PathBuf,
    /// Its package name, which is also its binary's.
    pub package: String,
    /// Operations it calls (none: Prism refuses such a spec, so only the round trips run).
    pub operations: usize,
}

/// Writes the driver of `spec` into `<out>/<stem>-driver/`.
pub fn write_driver(
    layout: &Layout,
    spec: &Path,
    seed: u64,
    lenient: bool,
) -> Result<Written, String> {
    let stem = corpus::stem(spec);
    let dir = layout.out.join(format!("{stem}-driver"));
    let spec_name = forge::paths::relative(spec, &layout.root)
        .map(|p| forge::paths::to_slash(&p))
        .unwrap_or_else(|| forge::paths::to_slash(spec));
    let text = fs::read_to_string(spec).map_err(|e| format!("cannot read {spec_name}: {e}"))?;
    let name = crate_name::derive(spec);
    let runtime_path = job::runtime_path(&layout.runtime, &dir).map_err(|e| e.to_string())?;
    let client_path = format!("../{stem}");
    // Deeply nested specs recurse: the same big stack the corpus generation runs on.
    let files = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || {
            let input = Input {
                spec_name: &spec_name,
                spec_text: &text,
                settings: Settings::for_crate(&name),
                lenient,
                overlays: Vec::new(),
                modules: Vec::new(),
                runtime: codegen::RuntimeMode::Crate,
            };
            driver::generate(&DriverInput {
                input: &input,
                seed,
                client_path: &client_path,
                runtime_path: &runtime_path,
            })
            .map(|d| (d.files, d.operations, name))
            .map_err(|e| e.to_string())
        })
        .map_err(|e| format!("cannot start a thread: {e}"))?
        .join()
        .map_err(|_| "the driver generator panicked".to_owned())??;
    let (files, operations, name) = files;
    fs::create_dir_all(&layout.out).map_err(|e| e.to_string())?;
    atomic::replace_dir(&dir, &["Cargo.lock"], |temp| {
        for f in &files {
            atomic::write_file(temp, &f.path, &f.contents)?;
        }
        Ok(())
    })
    .map_err(|e| e.to_string())?;
    if let Some(lock) = &layout.lockfile {
        if !dir.join("Cargo.lock").exists() {
            fs::copy(lock, dir.join("Cargo.lock")).map_err(|e| e.to_string())?;
        }
    }
    Ok(Written {
        dir,
        package: format!("{name}-conformance-driver"),
        operations,
    })
}

/// `cargo build` of the driver (and so the client); the executable's path.
pub fn build(layout: &Layout, written: &Written, release: bool) -> Result<PathBuf, String> {
    let mut command = corpus::nested_cargo(&layout.target, &written.dir);
    command.args(["build", "--quiet", "--message-format", "short"]);
    // Each driver is built once and thrown away: incremental state would only fill the disk
    // (11 GB after 112 specs).
    command.env("CARGO_INCREMENTAL", "0");
    if release {
        command.arg("--release");
    }
    let output = command
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        let text = String::from_utf8_lossy(&output.stderr);
        let first = text
            .lines()
            .find(|l| l.contains("error"))
            .unwrap_or("cargo build failed");
        return Err(first.to_owned());
    }
    let profile = if release { "release" } else { "debug" };
    Ok(layout.target.join(profile).join(&written.package))
}

/// Runs the driver against `base_url`; its result file is `out`.
pub fn run(exe: &Path, written: &Written, base_url: &str, out: &Path) -> Result<(), String> {
    let _ = fs::remove_file(out);
    let mut child = std::process::Command::new(exe)
        .arg("--base-url")
        .arg(base_url)
        .arg("--data")
        .arg(written.dir.join("data/samples.json"))
        .arg("--out")
        .arg(out)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return Ok(()),
            Ok(Some(status)) => {
                let mut err = String::new();
                if let Some(mut e) = child.stderr.take() {
                    use std::io::Read;
                    let _ = e.read_to_string(&mut err);
                }
                return Err(format!("driver failed ({status}): {}", err.trim()));
            }
            Ok(None) if start.elapsed() > RUN_LIMIT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "driver still running after {}",
                    forge::report::duration(RUN_LIMIT)
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(100)),
            Err(e) => return Err(e.to_string()),
        }
    }
}
