//! Compile time as a feature: how long `cargo check` takes for a crate that uses a large
//! generated client, with every area of the API (`--features full`) and with one area only.
//!
//! Stripe, GitHub and OpenAI are generated as standalone crates (the `generate` process, as
//! `forge generate` writes them) into `target/bench-build/compile/<crate>/`; Anthropic's whole
//! API is the checked-in `anthropic/` crate. For each, two throwaway crates make one call
//! through the client: `bench-<crate>-full` (`features = ["full"]`) and `bench-<crate>-one`
//! (`default-features = false, features = ["<area>"]`). They share one check target folder in
//! which the generated crates' dependencies (`forge-runtime`, `serde`, `serde_json` and what
//! they pull in) are checked first, untimed; each timed `cargo check` follows
//! `cargo clean -p <crate> -p bench-<crate>-...`, so it is the generated crate and the one
//! call on top of already-checked dependencies. `CARGO_INCREMENTAL=0`, as for a dependency
//! from a registry.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use super::{cargo, checked, measure};
use crate::workspace;
use forge::Error;

/// The folder of the crates, relative to the workspace root.
pub const DIR: &str = "target/bench-build/compile";

/// Target: Stripe's whole crate checked within this many seconds.
pub const STRIPE_FULL_SECS: f64 = 60.0;
/// Target: a crate using one Stripe area checked within this many seconds.
pub const STRIPE_ONE_SECS: f64 = 15.0;

/// One client to check.
struct Case {
    /// The spec, relative to the workspace root; `None` for the checked-in `anthropic/`.
    spec: Option<&'static str>,
    /// The package (and, with `_`, library) name.
    krate: &'static str,
    /// The one area of the API the small crate enables.
    feature: &'static str,
    /// The small crate's `lib.rs`: one call in that area.
    lib: &'static str,
}

const CASES: &[Case] = &[
    Case {
        spec: Some("../shared/specs/real/stripe.yaml"),
        krate: "stripe",
        feature: "customers",
        lib: r#"//! Retrieves one customer.

pub async fn hello(client: &stripe::Client) -> Result<(), stripe::Error> {
    let body = serde_json::Map::new();
    let _customer = client.get_customers_customer("cus_123", &body).await?;
    Ok(())
}
"#,
    },
    Case {
        spec: Some("../shared/specs/real/github.json"),
        krate: "github",
        feature: "issues",
        lib: r#"//! Gets one issue.

pub async fn hello(client: &github::Client) -> Result<String, github::Error> {
    let issue = client.issues().get("rust-lang", "rust", 1).await?;
    Ok(issue.title)
}
"#,
    },
    Case {
        spec: Some("../shared/specs/real/openai.yaml"),
        krate: "openai",
        feature: "chat",
        lib: r#"//! Gets one stored chat completion.

pub async fn hello(client: &openai::Client) -> Result<(), openai::Error> {
    let _completion = client.chat().get_chat_completion("chatcmpl-123").await?;
    Ok(())
}
"#,
    },
    Case {
        spec: None,
        krate: "anthropic",
        feature: "messages",
        lib: r#"//! One Messages call.

pub async fn hello(client: &anthropic::Client) -> Result<String, anthropic::Error> {
    let turn = anthropic::InputMessage::new(
        anthropic::InputMessageContent::String("Hello, Claude".to_owned()),
        anthropic::InputMessageRole::User,
    );
    let params = anthropic::CreateMessageParams::new("claude-sonnet-4-5", vec![turn], 1024);
    Ok(client.messages().create(&params).await?.text())
}
"#,
    },
];

/// What was measured for one client.
#[derive(Debug, Clone, Default)]
pub struct Check {
    /// The spec's file name, or `anthropic/` for the checked-in crate.
    pub label: String,
    /// The package name.
    pub krate: String,
    /// The one area.
    pub feature: String,
    /// Operations in the crate (from the generated manifest's comments).
    pub operations: Option<usize>,
    /// Operations in the one area.
    pub feature_operations: Option<usize>,
    /// The `generate` process, for the generated ones.
    pub generate_secs: Option<f64>,
    /// `cargo check` of the crate with every area.
    pub full: Option<Timed>,
    /// `cargo check` of the crate with the one area.
    pub one: Option<Timed>,
    /// Why it could not be measured.
    pub error: Option<String>,
}

/// The section's result.
#[derive(Debug, Clone, Default)]
pub struct Compile {
    /// The check of the dependencies, before the timed ones, for the record.
    pub deps: Timed,
    /// Per client.
    pub checks: Vec<Check>,
}

/// `cargo` in `dir` with the shared check target folder, incremental compilation off.
pub fn cargo_in(dir: &Path) -> Command {
    let mut cmd = cargo();
    cmd.current_dir(dir)
        .env("CARGO_INCREMENTAL", "0")
        .env_remove("CARGO_TARGET_DIR");
    cmd
}

/// The shared target folder.
pub fn target(root: &Path) -> PathBuf {
    workspace::join(root, &format!("{DIR}/target"))
}

/// Checks a crate with only the generated crates' dependencies, untimed, so that the timed
/// checks start from them already built. Returns how long it took.
pub fn prepare_deps(root: &Path, progress: &mut dyn FnMut(&str)) -> Result<Timed, Error> {
    let base = workspace::join(root, DIR);
    let runtime = forge::paths::to_slash(&workspace::join(root, "runtime"));
    let dir = base.join("deps");
    write_crate(
        root,
        &dir,
        "bench-compile-deps",
        &format!(
            "forge-runtime = {{ path = \"{runtime}\" }}\n\
             serde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n"
        ),
        "//! Nothing: its dependencies are the point.\n",
    )?;
    progress("  cargo check of the dependencies (forge-runtime, serde, serde_json), untimed ...");
    let timed = check(&dir, &target(root), &[], "cargo check of the dependencies")?;
    progress(&format!("  dependencies: {}", show(timed)));
    Ok(timed)
}

/// A timed run: wall time and CPU time (user + system of cargo and the rustc processes).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Timed {
    /// Wall time, s.
    pub wall: f64,
    /// CPU time, s, where the platform reports it.
    pub cpu: Option<f64>,
}

/// `cargo clean -p` each of `clean`, then a timed `cargo check` in `dir` (its stderr in
/// `dir/check.log`, the first lines of which a failure shows).
pub fn check(dir: &Path, target: &Path, clean: &[&str], what: &str) -> Result<Timed, Error> {
    if !clean.is_empty() {
        let mut cmd = cargo_in(dir);
        cmd.args(["clean", "--quiet"]);
        for package in clean {
            cmd.args(["-p", package]);
        }
        cmd.arg("--target-dir").arg(target);
        checked(cmd, &format!("cargo clean before the {what}"))?;
    }
    let log = dir.join("check.log");
    let log_file =
        fs::File::create(&log).map_err(Error::io(format!("cannot create {}", log.display())))?;
    let mut cmd = cargo_in(dir);
    cmd.args([
        "check",
        "--quiet",
        "--message-format",
        "short",
        "--target-dir",
    ])
    .arg(target)
    .stdin(Stdio::null())
    .stdout(Stdio::null())
    .stderr(log_file);
    let started = Instant::now();
    let child = cmd
        .spawn()
        .map_err(Error::io(format!("cannot run cargo for the {what}")))?;
    let (status, elapsed, cpu) = measure::wait_with_cpu(child, started)
        .map_err(Error::io(format!("cannot wait for the {what}")))?;
    if !status.success() {
        let text = fs::read_to_string(&log).unwrap_or_default();
        let head: Vec<&str> = text.lines().take(12).collect();
        return Err(Error::Message(format!(
            "{what} failed ({status}):\n{}",
            head.join("\n")
        )));
    }
    Ok(Timed {
        wall: elapsed.as_secs_f64(),
        cpu,
    })
}

/// `12.3 s (CPU 11.9 s)`.
pub fn show(t: Timed) -> String {
    match t.cpu {
        Some(cpu) => format!("{} (CPU {})", measure::secs(t.wall), measure::secs(cpu)),
        None => measure::secs(t.wall),
    }
}

/// Writes a throwaway crate (`[workspace]` of its own, the workspace's `Cargo.lock`).
pub fn write_crate(
    root: &Path,
    dir: &Path,
    name: &str,
    dependencies: &str,
    lib: &str,
) -> Result<(), Error> {
    let src = dir.join("src");
    fs::create_dir_all(&src).map_err(Error::io(format!("cannot create {}", src.display())))?;
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\n{dependencies}\n\
         # Not part of the forge workspace this folder sits in.\n[workspace]\n"
    );
    let write = |path: PathBuf, text: &str| {
        fs::write(&path, text).map_err(Error::io(format!("cannot write {}", path.display())))
    };
    write(dir.join("Cargo.toml"), &manifest)?;
    write(src.join("lib.rs"), lib)?;
    copy_lock(root, dir)
}

/// The workspace's `Cargo.lock` into `dir`: the same versions, nothing to fetch.
pub fn copy_lock(root: &Path, dir: &Path) -> Result<(), Error> {
    fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))
        .map(drop)
        .map_err(Error::io(format!(
            "cannot copy Cargo.lock to {}",
            dir.display()
        )))
}

/// Runs the `generate` process (`exe generate --spec S --out DIR [extra]`) and times it.
pub fn generate(
    root: &Path,
    exe: &Path,
    spec: &str,
    out: &str,
    extra: &[&str],
) -> Result<f64, Error> {
    let mut cmd = Command::new(exe);
    cmd.current_dir(root)
        .args(["generate", "--spec", spec, "--out", out])
        .args(extra)
        .stdin(Stdio::null());
    let started = Instant::now();
    checked(cmd, &format!("generate {spec}"))?;
    Ok(started.elapsed().as_secs_f64())
}

/// The `# N operations.` comments of a generated manifest, one above each area's feature:
/// their sum, and the count of `feature`'s.
fn operations(manifest: &str, feature: &str) -> (Option<usize>, Option<usize>) {
    let (mut total, mut own, mut last) = (None, None, None);
    for line in manifest.lines() {
        let count = line
            .strip_prefix("# ")
            .and_then(|rest| {
                rest.strip_suffix(" operations.")
                    .or(rest.strip_suffix(" operation."))
            })
            .and_then(|n| n.replace(',', "").parse::<usize>().ok());
        if let Some(n) = count {
            total = Some(total.unwrap_or(0) + n);
            last = Some(n);
        } else if line.starts_with(&format!("{feature} = [")) {
            own = last;
        } else if !line.starts_with('#') {
            last = None;
        }
    }
    (total, own)
}

/// Measures every client; a client that fails is recorded and the others go on.
pub fn run(root: &Path, exe: &Path, progress: &mut dyn FnMut(&str)) -> Result<Compile, Error> {
    let mut result = Compile {
        deps: prepare_deps(root, progress)?,
        checks: Vec::new(),
    };
    for case in CASES {
        let mut check = Check {
            label: case
                .spec
                .map_or("anthropic/ (checked in)", |s| {
                    s.rsplit('/').next().unwrap_or(s)
                })
                .to_owned(),
            krate: case.krate.to_owned(),
            feature: case.feature.to_owned(),
            ..Check::default()
        };
        if let Err(e) = one(root, exe, case, &mut check, progress) {
            progress(&format!("  {}: FAILED: {e}", case.krate));
            check.error = Some(e.to_string().lines().next().unwrap_or("").to_owned());
        }
        result.checks.push(check);
    }
    Ok(result)
}

fn one(
    root: &Path,
    exe: &Path,
    case: &Case,
    check: &mut Check,
    progress: &mut dyn FnMut(&str),
) -> Result<(), Error> {
    let base = workspace::join(root, DIR);
    let crate_dir = match case.spec {
        Some(spec) => {
            let out = format!("{DIR}/{}", case.krate);
            progress(&format!("  generate {spec} ..."));
            let secs = generate(root, exe, spec, &out, &[])?;
            progress(&format!(
                "  {}: generated in {}",
                case.krate,
                measure::secs(secs)
            ));
            check.generate_secs = Some(secs);
            workspace::join(root, &out)
        }
        None => workspace::join(root, "anthropic"),
    };
    let manifest = fs::read_to_string(crate_dir.join("Cargo.toml")).map_err(Error::io(format!(
        "cannot read {}/Cargo.toml",
        crate_dir.display()
    )))?;
    (check.operations, check.feature_operations) = operations(&manifest, case.feature);
    let path = forge::paths::to_slash(&crate_dir);
    let target = target(root);
    for (suffix, features) in [
        ("full", "features = [\"full\"]".to_owned()),
        (
            "one",
            format!(
                "default-features = false, features = [\"{}\"]",
                case.feature
            ),
        ),
    ] {
        let name = format!("bench-{}-{suffix}", case.krate);
        let dir = base.join(&name);
        write_crate(
            root,
            &dir,
            &name,
            &format!(
                "{} = {{ path = \"{path}\", {features} }}\nserde_json = \"1\"\n",
                case.krate
            ),
            case.lib,
        )?;
        let what = if suffix == "full" {
            "--features full".to_owned()
        } else {
            format!("only `{}`", case.feature)
        };
        progress(&format!("  cargo check: {} {what} ...", case.krate));
        let timed = self::check(
            &dir,
            &target,
            &[case.krate, &name],
            &format!("cargo check of {name}"),
        )?;
        progress(&format!("  {} {what}: {}", case.krate, show(timed)));
        if suffix == "full" {
            check.full = Some(timed);
        } else {
            check.one = Some(timed);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_operations_in_a_manifest() {
        let manifest = "[features]\n# 3 operations.\npets = []\n# 1 operation.\nstore = []\n\
                        # 1,200 operations.\nbig = []\n";
        assert_eq!(operations(manifest, "store"), (Some(1204), Some(1)));
        assert_eq!(operations(manifest, "pets"), (Some(1204), Some(3)));
        assert_eq!(operations("[features]\nfull = []\n", "full"), (None, None));
    }

    #[test]
    fn every_case_names_its_crate_in_its_call() {
        for case in CASES {
            assert!(
                case.lib.contains(&format!("{}::Client", case.krate)),
                "{}",
                case.krate
            );
        }
    }
}
