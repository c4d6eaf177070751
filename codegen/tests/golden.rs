//! The fixture specs (`tests/fixtures/<construct>.yaml`, one construct each) through the library:
//! each must generate without `lenient`, deterministically, into files that parse as Rust.
//!
//! Whether the output *compiles* (and passes clippy) is checked on the golden crates
//! (`golden/<construct>/`, workspace members written by `cargo xtask fixtures`); that they are
//! up to date is `xtask/tests/fixtures_are_up_to_date.rs`. This test only needs the library, so it
//! points at the construct when the pipeline itself fails.

use std::fs;
use std::path::Path;

use codegen::{Generated, Input, Settings};

fn fixtures() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out: Vec<(String, String)> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
        })
        .map(|p| {
            let name = format!(
                "codegen/tests/fixtures/{}",
                p.file_name().unwrap().to_string_lossy()
            );
            (name, fs::read_to_string(&p).unwrap())
        })
        .collect();
    out.sort();
    out
}

fn generate(name: &str, text: &str) -> Generated {
    let input = Input {
        spec_name: name,
        spec_text: text,
        settings: Settings::for_crate("golden-fixture"),
        lenient: false,
        overlays: Vec::new(),
        modules: Vec::new(),
        runtime: codegen::RuntimeMode::Crate,
    };
    codegen::generate(&input).unwrap_or_else(|e| panic!("{name}: the generator refused it: {e}"))
}

#[test]
fn there_is_a_fixture_for_every_construct() {
    let names: Vec<String> = fixtures().into_iter().map(|(name, _)| name).collect();
    for construct in [
        "all_of",
        "one_of_discriminator",
        "one_of_untagged",
        "recursive",
        "params",
        "sse",
        "refs_rfc6901",
        "const_tags",
        "read_write_only",
        "extensions",
    ] {
        let file = format!("codegen/tests/fixtures/{construct}.yaml");
        assert!(names.contains(&file), "no {file} among {names:?}");
    }
}

#[test]
fn every_fixture_generates_parsable_rust() {
    for (name, text) in fixtures() {
        let generated = generate(&name, &text);
        assert!(!generated.files.is_empty(), "{name}: no files");
        assert!(
            generated.files.iter().any(|f| f.path == "src/lib.rs"),
            "{name}: no src/lib.rs"
        );
        for file in &generated.files {
            assert!(
                file.contents.starts_with("// @generated"),
                "{name}: {} lacks the @generated header",
                file.path
            );
            if file.path.ends_with(".rs") {
                if let Err(e) = syn::parse_file(&file.contents) {
                    panic!("{name}: {} is not valid Rust: {e}", file.path);
                }
            }
        }
    }
}

#[test]
fn every_fixture_generates_the_same_twice() {
    for (name, text) in fixtures() {
        let (a, b) = (generate(&name, &text), generate(&name, &text));
        assert_eq!(a.files, b.files, "{name}: output differs between two runs");
        assert_eq!(a.stats, b.stats, "{name}");
    }
}

#[test]
fn a_standalone_manifest_names_the_crate_and_the_runtime_source() {
    use codegen::manifest::{cargo_toml, Features, RuntimeSource};
    let features = Features::default();
    let by_path = cargo_toml(
        "petstore",
        &features,
        &RuntimeSource::Path("../runtime".into()),
    );
    assert!(by_path.contains("name = \"petstore\"\n"), "{by_path}");
    assert!(
        by_path.contains("forge-runtime = { path = \"../runtime\" }\n"),
        "{by_path}"
    );
    let by_version = cargo_toml("petstore", &features, &RuntimeSource::Version("0.2".into()));
    assert!(
        by_version.contains("forge-runtime = \"0.2\"\n"),
        "{by_version}"
    );
}
