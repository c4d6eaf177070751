use super::*;
use serde_json::json;

#[test]
fn counts_operations_and_schemas() {
    let doc = json!({
        "openapi": "3.1.0",
        "paths": {
            "/a": {"get": {}, "post": {}, "parameters": [], "summary": "x"},
            "/b": {"$ref": "#/components/pathItems/B"},
            "/c": {"delete": {}}
        },
        "components": {"schemas": {"A": {}, "B": {}}}
    });
    assert_eq!(
        facts(&doc),
        Facts {
            openapi: Some("3.1.0".into()),
            operations: Some(3),
            schemas: Some(2),
        }
    );
    let bare = json!({"openapi": "3.0.0"});
    assert_eq!(facts(&bare).operations, None);
    assert_eq!(facts(&bare).schemas, Some(0));
    assert_eq!(
        facts(&json!({"swagger": "2.0"})).openapi.as_deref(),
        Some("swagger 2.0")
    );
}

#[test]
fn reads_cargo_short_messages() {
    let text = "\
/home/u/.cargo/registry/src/x/lib.rs:1:1: warning: unused import: `a`
../../runtime/src/lib.rs:3:4: warning: unused variable: `b`
src/types.rs:12:5: warning: unused import: `serde::Serialize`
src/lib.rs:12:9: warning: unused import: `types::*`
warning: `demo` (lib) generated 2 warnings
src/client.rs:40:7: error[E0412]: cannot find type `Foo` in this scope
src/client.rs:41:7: error: something else
error: could not compile `demo` (lib) due to 2 previous errors; 2 warnings emitted
";
    let d = Diagnostics::parse(text);
    assert_eq!(
        d.warnings,
        [
            "src/types.rs:12:5: warning: unused import: `serde::Serialize`",
            "src/lib.rs:12:9: warning: unused import: `types::*`"
        ]
    );
    assert_eq!(
        d.first_error.as_deref(),
        Some("src/client.rs:40:7: error[E0412]: cannot find type `Foo` in this scope")
    );
    let cargo_only = Diagnostics::parse(
        "error: failed to select a version for `serde`.\n    ... required by `demo`\n",
    );
    assert_eq!(
        cargo_only.first_error.as_deref(),
        Some("error: failed to select a version for `serde`.")
    );
    assert_eq!(Diagnostics::parse(""), Diagnostics::default());
}

#[test]
fn selects_by_stem_or_file_name() {
    let specs: Vec<PathBuf> = ["a/petstore.yaml", "a/petstore-expanded.yaml", "a/x.json"]
        .iter()
        .map(PathBuf::from)
        .collect();
    let only = |names: &[&str]| {
        select(
            specs.clone(),
            &names.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            "a",
        )
    };
    assert_eq!(only(&[]).unwrap().len(), 3);
    assert_eq!(
        only(&["x.json", "petstore"]).unwrap(),
        [PathBuf::from("a/petstore.yaml"), PathBuf::from("a/x.json")]
    );
    let err = only(&["nope"]).unwrap_err().to_string();
    assert_eq!(
        err,
        "--only: no spec named `nope` in a (there are: petstore, petstore-expanded, x)"
    );
}

#[test]
fn aligned_table() {
    let table = markdown_table(
        &["spec", "n"],
        &[
            vec!["a".into(), "1,234".into()],
            vec!["long name".into(), "5".into()],
        ],
        &[false, true],
    );
    assert_eq!(
        table,
        "| spec      |     n |\n\
         | --------- | ----: |\n\
         | a         | 1,234 |\n\
         | long name |     5 |\n"
    );
}

#[test]
fn cells_escape_and_shorten() {
    assert_eq!(cell_text("a | b\nsecond line"), "a \\| b");
    let long = "x".repeat(200);
    assert_eq!(cell_text(&long).chars().count(), 70);
}

#[test]
fn report_summary_and_rows() {
    let ok = Row {
        spec: "a.yaml".into(),
        facts: Facts {
            openapi: Some("3.0.0".into()),
            operations: Some(4),
            schemas: Some(2),
        },
        generated: Ok(GenInfo {
            files: 3,
            lines: 1500,
            operations: 3,
            types: 2,
            warnings: vec!["#/paths: skipped".into()],
            gen: Duration::from_millis(12),
            fmt: Duration::from_millis(30),
        }),
        compile: Compile::Checked {
            ok: true,
            first_error: None,
            warnings: vec!["src/lib.rs:1:1: warning: x".into()],
            elapsed: Duration::from_millis(61_500),
        },
    };
    let failed = Row {
        spec: "b.json".into(),
        facts: Facts::default(),
        generated: Err("b.json: #/paths: unsupported".into()),
        compile: Compile::NotGenerated,
    };
    let report = Report {
        rows: vec![ok.clone(), failed],
        compiled: true,
        elapsed: Duration::from_secs(75),
    };
    assert_eq!(
        report.summary(),
        "generated 1/2, compiling 1/2 (0 without warnings) in 1m15s"
    );
    assert_eq!(
        cells(&ok),
        [
            "a.yaml",
            "3.0.0",
            "4 (3 generated)",
            "2",
            "yes, 1 warning",
            "1,500",
            "12",
            "42",
            "yes",
            "1",
            "1m01s"
        ]
    );
    let table = report.table();
    assert!(
        table.contains("| error: b.json: #/paths: unsupported |"),
        "{table}"
    );
    let md = report.markdown("2025-01-02", "a machine", &Options::default());
    assert!(md.contains("on 2025-01-02"), "{md}");
    assert!(md.contains("Machine: a machine."), "{md}");
    assert!(
        md.contains("- a.yaml: warning: `src/lib.rs:1:1: warning: x`\n- a.yaml: generator warning: `#/paths: skipped`\n"),
        "{md}"
    );
}
