//! The `xtask` binary end to end: usage and exit codes, and standalone crates written into
//! temporary folders (`--out`), including that failures leave the folder as it was.

mod support;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use support::{names, snapshot, write, MALFORMED_SPEC, MINIMAL_SPEC};

fn xtask(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn help_lists_the_commands() {
    let dir = tempfile::tempdir().unwrap();
    for args in [&["help"][..], &[], &["--help"]] {
        let out = xtask(args, dir.path());
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let stdout = text(&out.stdout);
        for command in [
            "cargo xtask generate",
            "cargo xtask check",
            "--spec PATH --out DIR",
            "cargo xtask help",
        ] {
            assert!(stdout.contains(command), "{stdout}");
        }
    }
}

#[test]
fn unknown_commands_and_bad_flags_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = xtask(&["frobnicate"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("error: unknown command `frobnicate`\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains("cargo xtask check"),
        "usage missing: {stderr}"
    );

    let out = xtask(&["generate", "--spec"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with("error: --spec needs a value\n"));
}

#[test]
fn standalone_crate() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "specs/2024 Pets.json", MINIMAL_SPEC);
    let out = xtask(
        &[
            "generate",
            "--spec",
            "specs/2024 Pets.json",
            "--out",
            "nested/pets",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("generated crate `api-2024-pets`: ")
            && stdout.contains(" in nested/pets from specs/2024 Pets.json in "),
        "{stdout}"
    );

    let crate_dir = dir.path().join("nested/pets");
    assert!(crate_dir.join("src/lib.rs").is_file());
    let manifest = fs::read_to_string(crate_dir.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("api-2024-pets"), "{manifest}");
    assert!(
        forge::manifest::has_workspace_table(&manifest),
        "{manifest}"
    );

    // The runtime dependency is a relative path that leads to this workspace's runtime.
    let runtime_path = manifest
        .lines()
        .find_map(|l| {
            l.split("path = \"")
                .nth(1)
                .map(|rest| rest.split('"').next().unwrap().to_owned())
        })
        .expect("a path dependency");
    assert!(!Path::new(&runtime_path).is_absolute(), "{runtime_path}");
    let runtime = xtask::workspace::join(&xtask::workspace::root(), xtask::workspace::RUNTIME);
    assert_eq!(
        crate_dir.join(&runtime_path).canonicalize().unwrap(),
        runtime.canonicalize().unwrap()
    );
    assert_eq!(
        names(&dir.path().join("nested")),
        ["pets"],
        "temp folders left behind"
    );
}

#[test]
fn standalone_options() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "api.json", MINIMAL_SPEC);
    write(dir.path(), "settings.yaml", "crate: from-settings\n");
    let out = xtask(
        &[
            "generate",
            "--spec",
            "api.json",
            "--out",
            "a",
            "--settings",
            "settings.yaml",
            "--lenient",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(fs::read_to_string(dir.path().join("a/Cargo.toml"))
        .unwrap()
        .contains("\"from-settings\""));

    let out = xtask(
        &[
            "generate",
            "--spec",
            "api.json",
            "--out",
            "a",
            "--settings",
            "settings.yaml",
            "--name",
            "from-flag",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(fs::read_to_string(dir.path().join("a/Cargo.toml"))
        .unwrap()
        .contains("\"from-flag\""));
}

#[test]
fn failed_standalone_generation_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "good.json", MINIMAL_SPEC);
    write(dir.path(), "bad.yaml", MALFORMED_SPEC);

    // A missing DIR is not created.
    let out = xtask(
        &["generate", "--spec", "bad.yaml", "--out", "out/new"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.starts_with("error: bad.yaml: "), "{stderr}");
    assert!(!dir.path().join("out").exists());

    // An existing DIR, with a build cache, stays byte for byte as it was.
    let out = xtask(
        &["generate", "--spec", "good.json", "--out", "crate"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    write(dir.path(), "crate/target/cache", "build cache");
    let before = snapshot(dir.path());
    let out = xtask(
        &["generate", "--spec", "bad.yaml", "--out", "crate"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    let out2 = xtask(
        &[
            "generate",
            "--spec",
            "good.json",
            "--out",
            "crate",
            "--name",
            "9",
        ],
        dir.path(),
    );
    assert_eq!(out2.status.code(), Some(1));
    assert!(text(&out2.stderr).contains("not a valid crate name"));
    assert_eq!(snapshot(dir.path()), before);

    // Regenerating keeps the build cache.
    let out = xtask(
        &["generate", "--spec", "good.json", "--out", "crate"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        fs::read_to_string(dir.path().join("crate/target/cache")).unwrap(),
        "build cache"
    );
    assert_eq!(names(dir.path()), ["bad.yaml", "crate", "good.json"]);
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_generate() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "api.json", MINIMAL_SPEC);
    write(
        dir.path(),
        "project/Cargo.toml",
        "[package]\nname = \"mine\"\n",
    );
    write(dir.path(), "project/src/main.rs", "fn main() {}\n");
    let before = snapshot(dir.path());
    let out = xtask(
        &["generate", "--spec", "api.json", "--out", "project"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("refusing to replace"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(snapshot(dir.path()), before);
}
