//! `generate` and `check` on a fake workspace in a temporary folder: what is replaced, what is
//! never touched, and that a failed generation changes nothing.

mod support;

use std::fs;

use support::{fake_workspace, names, snapshot, write, MALFORMED_SPEC};
use xtask::generate;

#[test]
fn generate_replaces_only_src_and_check_agrees() {
    let ws = fake_workspace();
    let root = ws.path();
    let outcome = generate::workspace(root).unwrap().remove(0);
    assert_eq!(outcome.out, "generated/src");
    assert_eq!(outcome.spec_name, "spec/demo.json");
    assert!(
        outcome
            .summary()
            .starts_with(&format!("generated {} file", outcome.files)),
        "{}",
        outcome.summary()
    );

    // src/ holds exactly the generated files; the hand-written parts are as they were.
    assert!(!root.join("generated/src/stale.rs").exists());
    assert!(root.join("generated/src/lib.rs").is_file());
    assert_eq!(
        fs::read_to_string(root.join("generated/Cargo.toml")).unwrap(),
        support::DEMO_MANIFEST
    );
    assert!(root.join("generated/tests/hand_written.rs").is_file());
    assert_eq!(
        names(&root.join("generated")),
        ["Cargo.toml", "src", "tests"]
    );

    // The spec is named relative to the workspace, never with this machine's absolute path.
    let lib = fs::read_to_string(root.join("generated/src/lib.rs")).unwrap();
    assert!(
        !lib.contains(&*root.to_string_lossy()),
        "absolute path leaked into lib.rs:\n{lib}"
    );

    let comparison = generate::check(root).unwrap().remove(0);
    assert!(comparison.is_up_to_date(), "{}", comparison.report());
    assert_eq!(
        comparison.report(),
        format!(
            "generated/ is up to date ({})\n",
            plural_files(outcome.files)
        )
    );

    // A second run gives byte-identical output.
    let before = snapshot(root);
    generate::workspace(root).unwrap();
    assert_eq!(snapshot(root), before);
}

#[test]
fn check_reports_stale_files_and_writes_nothing() {
    let ws = fake_workspace();
    let root = ws.path();
    generate::workspace(root).unwrap();
    let lib = fs::read_to_string(root.join("generated/src/lib.rs")).unwrap();
    write(
        root,
        "generated/src/lib.rs",
        &format!("{lib}// hand edit\n"),
    );
    write(root, "generated/src/extra.rs", "");
    let before = snapshot(root);

    let comparison = generate::check(root).unwrap().remove(0);
    assert!(!comparison.is_up_to_date());
    let report = comparison.report();
    assert!(
        report.contains(
            "--- generated/src/lib.rs (on disk)\n+++ generated/src/lib.rs (from spec/demo.json)\n"
        ),
        "{report}"
    );
    assert!(report.contains("\n-// hand edit\n"), "{report}");
    assert!(
        report.contains("extra file: generated/src/extra.rs (not produced by the spec)\n"),
        "{report}"
    );
    assert!(
        report.ends_with("run `cargo xtask generate` to update generated/\n"),
        "{report}"
    );
    assert_eq!(snapshot(root), before);

    fs::remove_dir_all(root.join("generated/src")).unwrap();
    let report = generate::check(root).unwrap().remove(0).report();
    assert!(
        report.contains("missing file: generated/src/lib.rs"),
        "{report}"
    );
}

#[test]
fn failed_generation_leaves_generated_untouched() {
    let ws = fake_workspace();
    let root = ws.path();
    let before = snapshot(root);

    write(root, "spec/demo.json", MALFORMED_SPEC);
    let err = generate::workspace(root).unwrap_err().to_string();
    assert!(err.starts_with("spec/demo.json: "), "{err}");
    write(root, "spec/demo.json", support::MINIMAL_SPEC);

    write(
        root,
        "spec/forge.yaml",
        "spec: demo.json\ncrate: 9-not-a-crate\n",
    );
    let err = generate::workspace(root).unwrap_err().to_string();
    assert!(err.starts_with("spec/forge.yaml: "), "{err}");
    write(root, "spec/forge.yaml", "spec: demo.json\ncrate: demo\n");

    assert_eq!(
        snapshot(root),
        before,
        "a failed generation changed the workspace"
    );
    assert_eq!(
        names(&root.join("generated")),
        ["Cargo.toml", "src", "tests"],
        "temp folders left behind"
    );
}

fn plural_files(n: usize) -> String {
    format!("{n} file{}", if n == 1 { "" } else { "s" })
}
