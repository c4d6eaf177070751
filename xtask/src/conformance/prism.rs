//! Prism, the validating mock: installed from `conformance/package-lock.json` with `npm ci` on
//! first use, started per spec on a free loopback port in dynamic-response mode, stopped when
//! dropped.

use std::fs;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use forge::report::duration;

/// The folder holding `package.json` and its lock, relative to the workspace root.
pub const DIR: &str = "conformance";
/// How long Prism may take to load a spec and listen.
const START_LIMIT: Duration = Duration::from_secs(180);

/// Why Prism could not be had.
#[derive(Debug)]
pub enum PrismError {
    /// `npm ci` failed or could not run.
    Install(String),
    /// Prism did not start listening.
    Start(String),
}

impl std::fmt::Display for PrismError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PrismError::Install(m) => write!(f, "installing Prism: {m}"),
            PrismError::Start(m) => write!(f, "starting Prism: {m}"),
        }
    }
}

/// The Prism executable, installed with `npm ci` when missing.
pub fn ensure_installed(
    root: &Path,
    progress: &mut dyn FnMut(&str),
) -> Result<PathBuf, PrismError> {
    let dir = root.join(DIR);
    let bin = dir.join("node_modules/.bin/prism");
    // `npm ci` records the lock it installed; a changed lock file means installing again.
    let installed_lock = dir.join("node_modules/.package-lock.json");
    let fresh = bin.is_file()
        && match (
            fs::metadata(&installed_lock),
            fs::metadata(dir.join("package-lock.json")),
        ) {
            (Ok(a), Ok(b)) => a.modified().ok() >= b.modified().ok(),
            _ => false,
        };
    if fresh {
        return Ok(bin);
    }
    progress(&format!(
        "prism: installing @stoplight/prism-cli from {DIR}/package-lock.json (npm ci into {DIR}/node_modules) ..."
    ));
    let start = Instant::now();
    let output = Command::new("npm")
        .args([
            "ci",
            "--no-audit",
            "--no-fund",
            "--ignore-scripts",
            "--loglevel=error",
        ])
        .current_dir(&dir)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| {
            PrismError::Install(format!("cannot run npm (Node and npm are needed): {e}"))
        })?;
    if !output.status.success() {
        let text = String::from_utf8_lossy(&output.stderr);
        return Err(PrismError::Install(format!(
            "npm ci failed ({}): {}",
            output.status,
            text.lines().rev().take(5).collect::<Vec<_>>().join(" / ")
        )));
    }
    if !bin.is_file() {
        return Err(PrismError::Install(format!(
            "npm ci left no {}",
            bin.display()
        )));
    }
    progress(&format!(
        "prism: installed in {}",
        duration(start.elapsed())
    ));
    Ok(bin)
}

/// A running Prism; stopped (its process killed) when dropped.
pub struct Prism {
    child: Child,
    /// `http://127.0.0.1:<port>`.
    pub url: String,
}

impl Prism {
    /// Starts `prism mock -d` on `spec` and waits until it accepts connections; its output goes
    /// to `log`.
    pub fn start(bin: &Path, spec: &Path, log: &Path) -> Result<Prism, PrismError> {
        let port = free_port().map_err(|e| PrismError::Start(format!("no free port: {e}")))?;
        let out = fs::File::create(log)
            .map_err(|e| PrismError::Start(format!("cannot create {}: {e}", log.display())))?;
        let err = out
            .try_clone()
            .map_err(|e| PrismError::Start(e.to_string()))?;
        let child = Command::new(bin)
            .args(["mock", "-d", "-h", "127.0.0.1", "-p", &port.to_string()])
            .arg(spec)
            // Node's default heap (about 2 GB here) ran out in the middle of xero's calls: a
            // crash of the judge, not a verdict. Prism's own packages set no limit.
            .env("NODE_OPTIONS", "--max-old-space-size=8192")
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(|e| PrismError::Start(format!("cannot run {}: {e}", bin.display())))?;
        let mut prism = Prism {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let start = Instant::now();
        loop {
            if let Ok(Some(status)) = prism.child.try_wait() {
                return Err(PrismError::Start(format!(
                    "exited ({status}): {}",
                    tail(log)
                )));
            }
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Ok(prism);
            }
            if start.elapsed() > START_LIMIT {
                return Err(PrismError::Start(format!(
                    "not listening after {}: {}",
                    duration(START_LIMIT),
                    tail(log)
                )));
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// The last lines of a log, on one line.
pub fn tail(log: &Path) -> String {
    let text = fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(3)..].join(" / ")
}
