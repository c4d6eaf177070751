//! What depending on the generated crate costs a user: a throwaway crate that depends only on
//! `anthropic-completions` (by path), against the floor, a crate with the dependencies a
//! hand-written client needs (`reqwest` with the same features as forge-runtime, `serde`,
//! `serde_json`) and a hand-written call. Both live in `target/bench-build/`, outside the
//! workspace, with the workspace's `Cargo.lock` (same versions, nothing to fetch).
//!
//! Dependencies are counted with `cargo tree -e normal`. The build (full run only) is a clean
//! debug `cargo build` in a fresh target folder, in two steps: the floor crate first, then the
//! consumer, which reuses what the floor compiled; the consumer's clean build is the sum.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::{cargo, checked};
use crate::workspace;
use forge::Error;

/// The folder of the throwaway crates, relative to the workspace root.
const DIR: &str = "target/bench-build";

/// The generated crate's direct dependencies and why each is there.
pub const REASONS: &[(&str, &str)] = &[
    (
        "forge-runtime",
        "everything API-agnostic the generated code calls: client config and env vars, auth, headers, retries with backoff, timeouts, SSE decoding, typed errors",
    ),
    (
        "serde",
        "derive(Serialize, Deserialize) for every request and response type",
    ),
    (
        "serde_json",
        "JSON bodies; `extra` maps of unknown keys and untyped schemas are `serde_json::Value`",
    ),
    (
        "reqwest",
        "(forge-runtime) HTTP/1.1 and HTTP/2 client with rustls TLS (ring provider, no OpenSSL)",
    ),
    (
        "tokio",
        "(forge-runtime) `time` feature only: per-attempt timeouts and retry sleeps; the caller brings the runtime",
    ),
    (
        "futures-core",
        "(forge-runtime) the `Stream` trait of the streaming methods",
    ),
    (
        "futures-util",
        "(forge-runtime) stream and future combinators for the event stream",
    ),
    ("bytes", "(forge-runtime) response bodies without copies"),
    ("http", "(forge-runtime) header, method and status types"),
    ("tracing", "(forge-runtime) a span per request, off unless a subscriber is installed"),
    ("httpdate", "(forge-runtime) HTTP-date `retry-after` values"),
];

/// The result.
#[derive(Debug, Clone, Default)]
pub struct BuildCost {
    /// Crates in the consumer's normal dependency graph (itself excluded).
    pub consumer_deps: usize,
    /// Crates in the floor's.
    pub floor_deps: usize,
    /// A clean debug build of the floor crate.
    pub floor_secs: Option<f64>,
    /// Then, in the same target folder, the consumer: what the generated crate adds.
    pub extra_secs: Option<f64>,
    /// Direct dependencies of `anthropic-completions` (`name vX.Y.Z`).
    pub direct: Vec<String>,
    /// Direct dependencies of `forge-runtime`.
    pub runtime_direct: Vec<String>,
}

impl BuildCost {
    /// The consumer's clean build: floor plus what the generated crate adds.
    pub fn consumer_secs(&self) -> Option<f64> {
        Some(self.floor_secs? + self.extra_secs?)
    }
}

const CONSUMER_LIB: &str = r#"//! Calls the generated client once.

pub async fn hello(client: &anthropic_completions::Client) -> Result<String, anthropic_completions::Error> {
    let params = anthropic_completions::CompletionCreateParams::new(
        "claude-2.1",
        "\n\nHuman: Hello, world!\n\nAssistant:",
        256,
    );
    Ok(client.completions().create(&params).await?.completion)
}
"#;

const FLOOR_LIB: &str = r#"//! The same call, written by hand with reqwest and serde.

#[derive(serde::Serialize)]
pub struct Params<'a> {
    pub model: &'a str,
    pub prompt: &'a str,
    pub max_tokens_to_sample: i64,
}

#[derive(serde::Deserialize)]
pub struct Completion {
    pub id: Option<String>,
    pub completion: String,
    pub model: String,
    pub stop_reason: Option<String>,
}

pub async fn hello(http: &reqwest::Client, key: &str) -> Result<String, Box<dyn std::error::Error>> {
    let body = serde_json::to_vec(&Params {
        model: "claude-2.1",
        prompt: "\n\nHuman: Hello, world!\n\nAssistant:",
        max_tokens_to_sample: 256,
    })?;
    let resp = http
        .post("https://api.anthropic.com/v1/complete")
        .header("x-api-key", key)
        .header("anthropic-version", "2023-06-01")
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await?
        .error_for_status()?;
    let completion: Completion = serde_json::from_slice(&resp.bytes().await?)?;
    Ok(completion.completion)
}
"#;

fn manifest(name: &str, dependencies: &str) -> String {
    format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\n{dependencies}\n\
         # Not part of the forge workspace this folder sits in.\n[workspace]\n"
    )
}

fn write_crate(root: &Path, dir: &Path, cargo_toml: &str, lib: &str) -> Result<(), Error> {
    let src = dir.join("src");
    fs::create_dir_all(&src).map_err(Error::io(format!("cannot create {}", src.display())))?;
    let write = |path: PathBuf, text: &str| {
        fs::write(&path, text).map_err(Error::io(format!("cannot write {}", path.display())))
    };
    write(dir.join("Cargo.toml"), cargo_toml)?;
    write(src.join("lib.rs"), lib)?;
    let lock = fs::read(root.join("Cargo.lock")).map_err(Error::io("cannot read Cargo.lock"))?;
    fs::write(dir.join("Cargo.lock"), lock).map_err(Error::io("cannot write Cargo.lock"))
}

/// `cargo tree` output, one `name vX.Y.Z` per crate.
fn tree(dir: &Path, args: &[&str]) -> Result<Vec<String>, Error> {
    let output = cargo()
        .current_dir(dir)
        .args(["tree", "--quiet", "--prefix", "none", "-e", "normal"])
        .args(args)
        .output()
        .map_err(Error::io("cannot run cargo tree"))?;
    if !output.status.success() {
        return Err(Error::Message(format!(
            "cargo tree in {} failed:\n{}",
            dir.display(),
            String::from_utf8_lossy(&output.stderr).trim_end()
        )));
    }
    Ok(crates(&String::from_utf8_lossy(&output.stdout)))
}

/// The distinct `name vX.Y.Z` of `cargo tree --prefix none` output, in order of appearance.
pub fn crates(text: &str) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for line in text.lines() {
        let mut words = line.split_whitespace();
        let (Some(name), Some(version)) = (words.next(), words.next()) else {
            continue;
        };
        let id = format!("{name} {version}");
        if seen.insert(id.clone()) {
            out.push(id);
        }
    }
    out
}

/// Writes the two crates, counts their dependencies and, unless `quick`, times the builds.
pub fn run(root: &Path, quick: bool, progress: &mut dyn FnMut(&str)) -> Result<BuildCost, Error> {
    let base = workspace::join(root, DIR);
    let generated = workspace::join(root, workspace::GENERATED);
    let generated = forge::paths::to_slash(&generated);
    let consumer = base.join("consumer");
    let floor = base.join("floor");
    write_crate(
        root,
        &consumer,
        &manifest(
            "bench-consumer",
            &format!("anthropic-completions = {{ path = \"{generated}\" }}\n"),
        ),
        CONSUMER_LIB,
    )?;
    write_crate(
        root,
        &floor,
        &manifest(
            "bench-floor",
            "reqwest = { version = \"0.12.28\", default-features = false, features = [\"rustls-tls\", \"http2\"] }\n\
             serde = { version = \"1\", features = [\"derive\"] }\nserde_json = \"1\"\n",
        ),
        FLOOR_LIB,
    )?;
    let mut cost = BuildCost {
        consumer_deps: tree(&consumer, &[])?.len().saturating_sub(1),
        floor_deps: tree(&floor, &[])?.len().saturating_sub(1),
        direct: tree(&consumer, &["-p", "anthropic-completions", "--depth", "1"])?
            .into_iter()
            .skip(1)
            .collect(),
        runtime_direct: tree(&consumer, &["-p", "forge-runtime", "--depth", "1"])?
            .into_iter()
            .skip(1)
            .collect(),
        ..BuildCost::default()
    };
    progress(&format!(
        "  dependencies: {} crates with anthropic-completions, {} for reqwest + serde + serde_json",
        cost.consumer_deps, cost.floor_deps
    ));
    if quick {
        return Ok(cost);
    }
    let target = base.join("target");
    if target.exists() {
        fs::remove_dir_all(&target)
            .map_err(Error::io(format!("cannot remove {}", target.display())))?;
    }
    let mut build = |dir: &Path, what: &str| -> Result<f64, Error> {
        progress(&format!(
            "  cargo build (debug, clean target folder): {what} ..."
        ));
        let started = Instant::now();
        let mut cmd = cargo();
        cmd.current_dir(dir)
            .args(["build", "--quiet", "--target-dir"])
            .arg(&target);
        checked(cmd, &format!("cargo build of the {what} crate"))?;
        let secs = started.elapsed().as_secs_f64();
        progress(&format!("  {what}: {}", super::measure::secs(secs)));
        Ok(secs)
    };
    cost.floor_secs = Some(build(&floor, "floor (reqwest + serde + serde_json)")?);
    cost.extra_secs = Some(build(&consumer, "consumer, on top of the floor's")?);
    Ok(cost)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_distinct_crates() {
        let text = "bench-consumer v0.0.0 (/x)\nanthropic-completions v0.1.0 (/w/generated)\n\
                    serde v1.0.1\nserde_derive v1.0.1 (proc-macro)\nserde v1.0.1 (*)\n\n";
        assert_eq!(
            crates(text),
            [
                "bench-consumer v0.0.0",
                "anthropic-completions v0.1.0",
                "serde v1.0.1",
                "serde_derive v1.0.1"
            ]
        );
    }

    #[test]
    fn every_direct_dependency_has_a_reason() {
        for name in ["forge-runtime", "serde", "serde_json", "reqwest", "tokio"] {
            assert!(REASONS.iter().any(|(n, _)| *n == name), "{name}");
        }
    }
}
