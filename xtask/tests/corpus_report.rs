//! `cargo xtask corpus` on a folder of its own, without `cargo check` (`--no-compile`): every spec
//! is a row, whatever happens to it, and the crates land where the layout says.

mod support;

use std::fs;
use std::path::Path;

use support::{write, MALFORMED_SPEC, MINIMAL_SPEC};
use xtask::corpus::{self, Compile, Layout, Options};

fn layout(root: &Path) -> Layout {
    Layout {
        root: root.to_path_buf(),
        specs: vec![(root.join("specs"), "specs".into())],
        out: root.join("target/corpus"),
        target: root.join("target/corpus-target"),
        runtime: xtask::workspace::root().join("runtime"),
        lockfile: None,
    }
}

#[test]
fn every_spec_is_a_row() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "specs/good.json", MINIMAL_SPEC);
    write(dir.path(), "specs/bad.yaml", MALFORMED_SPEC);
    write(dir.path(), "specs/SOURCES.md", "# not a spec\n");
    let options = Options {
        compile: false,
        ..Options::default()
    };
    let mut lines = Vec::new();
    let report = corpus::run(&layout(dir.path()), &options, &mut |l: &str| {
        lines.push(l.to_owned())
    })
    .unwrap();

    let specs: Vec<&str> = report.rows.iter().map(|r| r.spec.as_str()).collect();
    assert_eq!(specs, ["bad.yaml", "good.json"]);
    let bad = &report.rows[0];
    let error = bad.generated.as_ref().unwrap_err();
    assert!(error.contains("specs/bad.yaml"), "{error}");
    assert_eq!(bad.compile, Compile::NotGenerated);
    let good = &report.rows[1];
    assert_eq!(good.facts.openapi.as_deref(), Some("3.1.0"));
    assert_eq!(good.facts.operations, Some(0));
    assert!(good.generated.is_ok());
    assert_eq!(good.compile, Compile::Skipped);
    let manifest = fs::read_to_string(dir.path().join("target/corpus/good/Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"good\""), "{manifest}");
    assert!(dir.path().join("target/corpus/good/src/lib.rs").is_file());

    assert!(report
        .summary()
        .starts_with("generated 1/2, compiling not checked (--no-compile) in "));
    assert!(lines[0].starts_with("corpus: 2 specs from specs into target/corpus"));
    assert!(lines
        .iter()
        .any(|l| l.starts_with("[1/2] bad.yaml: not generated: ")));
    let table = report.table();
    assert!(table.starts_with("| spec "), "{table}");
    assert!(table.contains("| skipped "), "{table}");

    // --only, and an unknown name.
    let only = Options {
        only: vec!["good".into()],
        ..options.clone()
    };
    let report = corpus::run(&layout(dir.path()), &only, &mut |_: &str| {}).unwrap();
    assert_eq!(report.rows.len(), 1);
    let unknown = Options {
        only: vec!["nope".into()],
        ..options
    };
    let err = corpus::run(&layout(dir.path()), &unknown, &mut |_: &str| {})
        .unwrap_err()
        .to_string();
    assert!(err.contains("no spec named `nope`"), "{err}");
}
