//! The golden crates (`golden/<construct>/`) must be exactly what the generator makes of the
//! fixtures (`codegen/tests/fixtures/<construct>.yaml`): a generator change that alters any of
//! them fails here with the unified diff, until `cargo xtask fixtures` is run and the change
//! reviewed. Compiling them (and clippy, rustfmt) is the workspace's job: they are members.

use std::fs;

#[test]
fn goldens_match_the_fixtures() {
    let root = xtask::workspace::root();
    let report = xtask::fixtures::check(&root)
        .unwrap_or_else(|e| panic!("cannot generate from {}: {e}", xtask::fixtures::FIXTURES));
    assert!(report.is_up_to_date(), "\n{}", report.text());
}

#[test]
fn goldens_are_default_workspace_members() {
    // Without this, `cargo test --workspace` would not compile them and a golden could rot.
    let root = xtask::workspace::root();
    let manifest = fs::read_to_string(root.join("Cargo.toml")).unwrap();
    for key in ["members", "default-members"] {
        let line = manifest
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{key} =")))
            .unwrap_or_else(|| panic!("no `{key}` in the root Cargo.toml"));
        assert!(
            line.contains("\"golden/[a-z]*\""),
            "the root Cargo.toml's `{key}` must include \"golden/[a-z]*\": {line}"
        );
    }
}

#[test]
fn known_failing_fixtures_have_a_reason_and_no_golden() {
    let root = xtask::workspace::root();
    for (name, why) in xtask::fixtures::KNOWN_FAILING {
        assert!(
            !why.trim().is_empty(),
            "KNOWN_FAILING `{name}` needs a reason"
        );
        assert!(
            !root.join(xtask::fixtures::GOLDEN).join(name).exists(),
            "golden/{name}/ exists although `{name}` is KNOWN_FAILING: run `cargo xtask fixtures`"
        );
    }
}
