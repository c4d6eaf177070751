//! A crate `forge generate` writes with the default (vendored) runtime builds on its own: it is
//! generated, copied alone into an empty temporary folder, and `cargo check` and `cargo test`
//! pass there without a warning. Petstore runs with the tests; Stripe's 345k-line crate takes
//! minutes, so it is `#[ignore]`d (`cargo test -p forge --test standalone_build -- --ignored`).
//!
//! The builds share one target folder, `target/standalone-builds` under the workspace's (or
//! `$CARGO_TARGET_DIR`), so the runtime's dependencies compile once.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("forge/ is inside the workspace")
        .to_path_buf()
}

/// A spec from `../shared/specs/real`; a missing one fails the test.
fn real_spec(name: &str) -> PathBuf {
    let path = workspace_root().join("../shared/specs/real").join(name);
    assert!(
        path.is_file(),
        "{} is missing: this test needs the shared specs beside the repository",
        path.display()
    );
    path
}

fn target_dir() -> PathBuf {
    let base = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"));
    base.join("standalone-builds")
}

/// Copies every file under `from` into `to`.
fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Runs `cargo <args>` in `dir`; fails with its output unless it succeeds without a warning.
/// Returns its standard output.
fn cargo(dir: &Path, args: &[&str]) -> String {
    let start = Instant::now();
    let out = Command::new(env!("CARGO"))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir())
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .expect("cargo runs");
    let elapsed = start.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "cargo {} failed in {}:\n{stderr}\n{stdout}",
        args.join(" "),
        dir.display()
    );
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("warning"))
        .collect();
    assert!(
        warnings.is_empty(),
        "cargo {} warned:\n{stderr}",
        args.join(" ")
    );
    eprintln!("cargo {} in {:.1?}", args.join(" "), elapsed);
    stdout.into_owned()
}

/// Generates `spec` with the `forge` binary, copies the crate alone into an empty folder and
/// checks and tests it there.
fn builds_alone(spec: &str, name: &str) {
    let spec = real_spec(spec);
    let work = tempfile::tempdir().unwrap();
    let generated = work.path().join("generated").join(name);
    let out = Command::new(env!("CARGO_BIN_EXE_forge"))
        .arg("generate")
        .arg("--spec")
        .arg(&spec)
        .arg("--out")
        .arg(&generated)
        .output()
        .expect("forge runs");
    assert!(
        out.status.success(),
        "forge generate failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let manifest = fs::read_to_string(generated.join("Cargo.toml")).unwrap();
    assert!(!manifest.contains("path ="), "{manifest}");
    assert!(!manifest.contains("forge-runtime ="), "{manifest}");
    assert!(generated.join("src/forge_runtime/mod.rs").is_file());

    // Alone: an empty folder, nothing of this repository or the generation folder around it.
    let alone = tempfile::tempdir().unwrap();
    let copy = alone.path().join(name);
    copy_tree(&generated, &copy);
    drop(work);
    cargo(&copy, &["check"]);
    let tests = cargo(&copy, &["test"]);
    // The crate's own doc tests run (`src/client.rs - client::Client ...`); the vendored
    // runtime's are text and its unit tests are gone, so no test names it.
    assert!(tests.contains("src/client.rs - "), "{tests}");
    assert!(!tests.contains("forge_runtime"), "{tests}");
}

#[test]
fn a_small_crate_builds_alone() {
    builds_alone("petstore.yaml", "petstore");
}

#[test]
#[ignore = "minutes: Stripe's crate is 345k lines (run with --ignored)"]
fn a_large_crate_builds_alone() {
    builds_alone("stripe.yaml", "stripe");
}
