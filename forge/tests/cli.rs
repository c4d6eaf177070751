//! The `forge` binary as a user runs it: `--help` (whose settings example must be valid
//! settings), `generate` and `check` (up to date, stale with a diff and exit status 1), and the
//! runtime choices.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

const SPEC: &str = r##"{
  "openapi": "3.0.3",
  "info": {"title": "Pets", "version": "1"},
  "servers": [{"url": "https://pets.test"}],
  "paths": {
    "/pets": {"get": {"operationId": "listPets", "tags": ["pets"], "responses": {
      "200": {"description": "ok", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}}}}}}}},
    "/owners": {"get": {"operationId": "listOwners", "tags": ["owners"], "responses": {
      "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Owner"}}}}}}}
  },
  "components": {"schemas": {
    "Pet": {"type": "object", "properties": {"name": {"type": "string"}}},
    "Owner": {"type": "object", "properties": {"name": {"type": "string"}}}
  }}
}"##;

fn forge(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_forge"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("forge runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn help_says_what_each_option_does_and_its_settings_example_is_valid() {
    let dir = tempfile::tempdir().unwrap();
    let out = forge(dir.path(), &["--help"]);
    assert!(out.status.success());
    let help = text(&out.stdout);
    for needle in [
        "--spec PATH",
        "--out DIR",
        "--settings FILE",
        "--runtime-path P",
        "--runtime-version X",
        "vendored as the module DIR/src/forge_runtime/",
        "Examples:",
        "docs/settings.md",
    ] {
        assert!(help.contains(needle), "{needle} missing from:\n{help}");
    }
    assert_eq!(text(&forge(dir.path(), &["generate", "-h"]).stdout), help);
    let (_, after) = help
        .split_once("A settings file (every key optional but `crate`):\n")
        .expect("the help shows a settings file");
    let example: String = after
        .lines()
        .take_while(|l| !l.is_empty())
        .map(|l| format!("{}\n", l.strip_prefix("  ").unwrap_or(l)))
        .collect();
    assert!(example.contains("select:"), "{example}");
    let settings = codegen::Settings::from_text("help.yaml", &example)
        .unwrap_or_else(|e| panic!("{e}\n{example}"));
    assert_eq!(settings.crate_name, "acme-client");
    assert_eq!(settings.crate_version(), "0.3.0");
}

#[test]
fn generate_then_check_is_up_to_date_and_a_change_is_a_diff() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("pets.json"), SPEC).unwrap();
    fs::write(
        dir.path().join("forge.yaml"),
        "crate: pets\nversion: 1.2.3\nselect: {include: [{tag: pets}]}\n",
    )
    .unwrap();
    let args = [
        "--spec",
        "pets.json",
        "--settings",
        "forge.yaml",
        "--out",
        "out/pets",
    ];
    let gen = forge(dir.path(), &[&["generate"][..], &args].concat());
    assert!(gen.status.success(), "{}", text(&gen.stderr));
    let line = text(&gen.stdout);
    assert!(
        line.starts_with("generated crate `pets`: ")
            && line.contains("the runtime in src/forge_runtime/"),
        "{line}"
    );
    let crate_dir = dir.path().join("out/pets");
    let manifest = fs::read_to_string(crate_dir.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("version = \"1.2.3\""), "{manifest}");
    let types = fs::read_to_string(crate_dir.join("src/types.rs")).unwrap();
    assert!(types.contains("pub struct Pet") && !types.contains("pub struct Owner"));

    let check = forge(dir.path(), &[&["check"][..], &args].concat());
    assert!(check.status.success(), "{}", text(&check.stdout));
    assert!(text(&check.stdout).contains("is up to date"));

    // A hand edit, a removed runtime file and a stray file: stale, with what to run.
    fs::write(
        crate_dir.join("src/types.rs"),
        types.replace("pub struct Pet", "pub struct Cat"),
    )
    .unwrap();
    fs::remove_file(crate_dir.join("src/forge_runtime/retry.rs")).unwrap();
    fs::write(crate_dir.join("src/notes.rs"), "// mine\n").unwrap();
    let check = forge(dir.path(), &[&["check"][..], &args].concat());
    assert_eq!(check.status.code(), Some(1));
    let report = text(&check.stdout);
    assert!(report.contains("-    pub struct Cat"), "{report}");
    assert!(report.contains("+    pub struct Pet"), "{report}");
    assert!(
        report.contains("missing file: out/pets/src/forge_runtime/retry.rs"),
        "{report}"
    );
    assert!(
        report.contains("extra file: out/pets/src/notes.rs"),
        "{report}"
    );
    assert!(
        report.contains(
            "run `forge generate --spec pets.json --out out/pets --settings forge.yaml` to update"
        ),
        "{report}"
    );
}

#[test]
fn a_runtime_version_or_path_is_a_dependency_instead() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("pets.json"), SPEC).unwrap();
    let out = forge(
        dir.path(),
        &[
            "generate",
            "--spec",
            "pets.json",
            "--out",
            "v",
            "--runtime-version",
            "0.4.0",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let manifest = fs::read_to_string(dir.path().join("v/Cargo.toml")).unwrap();
    assert!(
        manifest.contains("forge-runtime = \"0.4.0\"\n"),
        "{manifest}"
    );
    assert!(!dir.path().join("v/src/forge_runtime").exists());
    fs::create_dir_all(dir.path().join("rt")).unwrap();
    let out = forge(
        dir.path(),
        &[
            "generate",
            "--spec",
            "pets.json",
            "--out",
            "p/pets",
            "--runtime-path",
            "rt",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let manifest = fs::read_to_string(dir.path().join("p/pets/Cargo.toml")).unwrap();
    assert!(
        manifest.contains("forge-runtime = { path = \"../../rt\" }\n"),
        "{manifest}"
    );
    let both = forge(
        dir.path(),
        &[
            "generate",
            "--spec",
            "pets.json",
            "--out",
            "x",
            "--runtime-path",
            "rt",
            "--runtime-version",
            "1.0.0",
        ],
    );
    assert_eq!(both.status.code(), Some(2));
}

#[test]
fn settings_errors_name_the_file_and_the_key() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("pets.json"), SPEC).unwrap();
    fs::write(
        dir.path().join("s.yaml"),
        "crate: pets\nselect: {include: [{tag: cats}]}\n",
    )
    .unwrap();
    let out = forge(
        dir.path(),
        &[
            "generate",
            "--spec",
            "pets.json",
            "--settings",
            "s.yaml",
            "--out",
            "o",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "error: s.yaml: #/select/include/0: invalid settings: no operation has the tag `cats` in pets.json\n"
    );
    fs::write(
        dir.path().join("s.yaml"),
        "crate: pets\ndefault_header: {}\n",
    )
    .unwrap();
    let out = forge(
        dir.path(),
        &[
            "generate",
            "--spec",
            "pets.json",
            "--settings",
            "s.yaml",
            "--out",
            "o",
        ],
    );
    let err = text(&out.stderr);
    assert!(
        err.starts_with(
            "error: s.yaml: #/default_header: invalid settings: unknown field `default_header`"
        ),
        "{err}"
    );
    assert!(!dir.path().join("o").exists());
}
