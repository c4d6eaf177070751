//! The last formatting pass: rustfmt over the generator's prettyplease output.
//!
//! prettyplease (inside the library) makes any token stream readable, but its layout differs from
//! rustfmt's in places, and the workspace's `cargo fmt --check` must pass on `generated/`. The
//! library stays free of processes; this module runs the toolchain's own rustfmt on each file.
//! Both `generate` and `check` call it, so they compare like with like.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::error::Error;

/// Formats one Rust source file with rustfmt (edition 2021), reading stdin and writing stdout.
pub fn format(source: &str, path: &str) -> Result<String, Error> {
    let mut child = Command::new(std::env::var("RUSTFMT").unwrap_or_else(|_| "rustfmt".to_owned()))
        .args(["--edition", "2021", "--emit", "stdout", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(Error::io(
            "cannot run rustfmt (install it with `rustup component add rustfmt`)",
        ))?;
    let mut stdin = child
        .stdin
        .take()
        .ok_or_else(|| Error::Message("rustfmt: no stdin".into()))?;
    let text = source.to_owned();
    // Write on another thread so a large file cannot deadlock against a full stdout pipe.
    let writer = std::thread::spawn(move || stdin.write_all(text.as_bytes()));
    let output = child
        .wait_with_output()
        .map_err(Error::io("rustfmt failed"))?;
    writer
        .join()
        .map_err(|_| Error::Message("rustfmt: writer thread panicked".into()))?
        .map_err(Error::io("cannot write to rustfmt"))?;
    if !output.status.success() {
        return Err(Error::Message(format!(
            "internal error: rustfmt rejected generated {path}: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    String::from_utf8(output.stdout)
        .map_err(|_| Error::Message(format!("rustfmt returned non-UTF-8 for {path}")))
}
