//! `cargo xtask fixtures`: golden crates, one per fixture spec, compiled by the test command.
//!
//! Each `codegen/tests/fixtures/<construct>.yaml` is a tiny spec exercising one construct
//! (nullability, `oneOf` with a discriminator, Rust keywords as names, ...). Its golden crate
//! `golden/<construct>/` is exactly what the generator makes of it: the generator's `Cargo.toml`
//! (made a workspace member: no `[workspace]` table of its own, `forge-runtime` at
//! `../../runtime`) and `src/`. The goldens are workspace members, so `cargo test --workspace`,
//! `cargo clippy --workspace --all-targets -- -D warnings` and `cargo fmt --check` hold them to the
//! same bar as the hand-checked client, and a reviewer sees in a diff what a generator change does
//! to each construct.
//!
//! `cargo xtask fixtures` rewrites every golden (each crate replaced as a whole, through
//! [`atomic::replace_dir`]); `cargo xtask fixtures --check` (and the test
//! `xtask/tests/fixtures_are_up_to_date.rs`) compares them with the generator's output and prints
//! the unified diff of whatever is stale.
//!
//! A fixture whose golden would not compile, or not pass clippy, because of a generator bug stays
//! in `codegen/tests/fixtures/` but is listed in [`KNOWN_FAILING`] with the reason: it gets no
//! golden until the generator is fixed and the entry removed.

use std::fs;
use std::path::{Path, PathBuf};

use codegen::Settings;

use crate::workspace;
use forge::atomic;
use forge::check::{self, Comparison};
use forge::job::Job;
use forge::manifest;
use forge::Error;

/// The fixture specs, relative to the workspace root.
pub const FIXTURES: &str = "codegen/tests/fixtures";
/// The golden crates, relative to the workspace root; the root `Cargo.toml` lists `golden/[a-z]*`
/// as members (the pattern skips the hidden folders of an atomic swap in progress).
pub const GOLDEN: &str = "golden";
/// Where a golden crate's `forge-runtime` dependency points, from `golden/<construct>/`.
pub const RUNTIME_PATH: &str = "../../runtime";

/// Fixtures that expose a generator bug: (construct, why its golden would fail). Remove an entry
/// once the generator is fixed, then run `cargo xtask fixtures`.
pub const KNOWN_FAILING: &[(&str, &str)] = &[];

/// One fixture spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixture {
    /// The construct, i.e. the file stem: `one_of_discriminator`.
    pub construct: String,
    /// The spec file.
    pub path: PathBuf,
    /// The spec as named in the `@generated` header, relative to the root with `/`.
    pub spec_name: String,
}

impl Fixture {
    /// The golden crate's package name: `golden-one-of-discriminator`.
    pub fn crate_name(&self) -> String {
        format!("golden-{}", self.construct.replace('_', "-"))
    }

    /// The golden crate's folder as shown: `golden/one_of_discriminator`.
    pub fn golden_label(&self) -> String {
        format!("{GOLDEN}/{}", self.construct)
    }

    /// Why the fixture has no golden, if it is [`KNOWN_FAILING`].
    pub fn known_failing(&self) -> Option<&'static str> {
        known_failing(&self.construct)
    }
}

/// The reason `construct` is in [`KNOWN_FAILING`], if it is.
pub fn known_failing(construct: &str) -> Option<&'static str> {
    KNOWN_FAILING
        .iter()
        .find(|(name, _)| *name == construct)
        .map(|(_, why)| *why)
}

/// Every fixture under `<root>/codegen/tests/fixtures` (`.yaml`, `.yml`, `.json`), sorted. A file
/// name that cannot be a golden folder (it must be lowercase ASCII letters, digits and `_`,
/// starting with a letter) is an error, as is a [`KNOWN_FAILING`] entry naming no fixture.
pub fn list(root: &Path) -> Result<Vec<Fixture>, Error> {
    list_in(root, KNOWN_FAILING)
}

fn list_in(root: &Path, known_failing: &[(&str, &str)]) -> Result<Vec<Fixture>, Error> {
    let dir = workspace::join(root, FIXTURES);
    let entries = fs::read_dir(&dir).map_err(Error::io(format!("cannot list {FIXTURES}")))?;
    let mut fixtures = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(Error::io(format!("cannot list {FIXTURES}")))?
            .path();
        let (Some(stem), Some(ext)) = (
            path.file_stem().and_then(|s| s.to_str()),
            path.extension().and_then(|s| s.to_str()),
        ) else {
            continue;
        };
        if !matches!(ext, "yaml" | "yml" | "json") || !path.is_file() {
            continue;
        }
        let file = format!("{stem}.{ext}");
        let valid = stem.starts_with(|c: char| c.is_ascii_lowercase())
            && stem
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid {
            return Err(Error::Message(format!(
                "{FIXTURES}/{file}: a fixture's name becomes its golden folder: use lowercase ASCII letters, digits and `_`, starting with a letter"
            )));
        }
        if fixtures.iter().any(|f: &Fixture| f.construct == stem) {
            return Err(Error::Message(format!(
                "{FIXTURES}: two fixtures named `{stem}` (with different extensions)"
            )));
        }
        fixtures.push(Fixture {
            construct: stem.to_owned(),
            path,
            spec_name: format!("{FIXTURES}/{file}"),
        });
    }
    fixtures.sort_by(|a, b| a.construct.cmp(&b.construct));
    for (name, _) in known_failing {
        if !fixtures.iter().any(|f| f.construct == *name) {
            return Err(Error::Message(format!(
                "KNOWN_FAILING in xtask/src/fixtures.rs names `{name}`, but there is no {FIXTURES}/{name}.yaml"
            )));
        }
    }
    Ok(fixtures)
}

/// A golden crate in memory: `(path relative to the crate folder, contents)`, sorted by path.
#[derive(Debug, Clone)]
pub struct Golden {
    /// Its fixture.
    pub fixture: Fixture,
    /// `Cargo.toml` and `src/...`.
    pub files: Vec<(String, String)>,
    /// The generator's warnings, prefixed with the spec's name.
    pub warnings: Vec<String>,
}

/// Runs the generator on a fixture.
pub fn render(fixture: &Fixture) -> Result<Golden, Error> {
    let spec_text = fs::read_to_string(&fixture.path)
        .map_err(Error::io(format!("cannot read {}", fixture.spec_name)))?;
    let job = Job {
        spec_name: fixture.spec_name.clone(),
        spec_text,
        settings: Settings::for_crate(&fixture.crate_name()),
        lenient: false,
        overlays: Vec::new(),
        modules: Vec::new(),
    };
    let output = job.run()?;
    let mut files = vec![(
        "Cargo.toml".to_owned(),
        golden_manifest(
            codegen::manifest::cargo_toml,
            &output.generated.features,
            fixture,
        ),
    )];
    files.extend(
        output
            .src_files()
            .into_iter()
            .map(|(path, contents)| (format!("src/{path}"), contents.to_owned())),
    );
    files.sort();
    Ok(Golden {
        fixture: fixture.clone(),
        files,
        warnings: output.warnings(&job.spec_name),
    })
}

/// The generator's standalone manifest made into a workspace member: a first line saying where
/// it comes from, and no `[workspace]` table.
pub fn golden_manifest(
    cargo_toml: fn(&str, &codegen::manifest::Features, &codegen::manifest::RuntimeSource) -> String,
    features: &codegen::manifest::Features,
    fixture: &Fixture,
) -> String {
    let generated = strip_workspace_table(&cargo_toml(
        &fixture.crate_name(),
        features,
        &codegen::manifest::RuntimeSource::Path(RUNTIME_PATH.to_owned()),
    ));
    let mut text = format!(
        "# {marker}: the golden crate of {spec}, a workspace member. Do not edit: run `cargo xtask fixtures`.\n",
        marker = manifest::MARKER,
        spec = fixture.spec_name,
    );
    text.push_str(&generated);
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// Removes `[workspace]` and `[workspace.*]` tables (header to the next table) and the comment
/// lines right above them.
pub fn strip_workspace_table(text: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let mut skipping = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            skipping = manifest::has_workspace_table(line);
            if skipping {
                while out.last().is_some_and(|l| l.trim_start().starts_with('#')) {
                    out.pop();
                }
            }
        }
        if !skipping {
            out.push(line);
        }
    }
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    let mut text = out.join("\n");
    text.push('\n');
    text
}

/// What `cargo xtask fixtures` did.
#[derive(Debug, Clone, Default)]
pub struct Written {
    /// Golden crates written, as `golden/<construct>`.
    pub crates: Vec<String>,
    /// Files written in them.
    pub files: usize,
    /// Lines in those files.
    pub lines: usize,
    /// Golden folders removed (their fixture is gone or known failing).
    pub removed: Vec<String>,
    /// Known-failing fixtures, with the reason.
    pub known_failing: Vec<(String, String)>,
    /// Generator warnings and cleanup problems.
    pub warnings: Vec<String>,
}

impl Written {
    /// `wrote 13 golden crates (52 files, 6,000 lines) in golden/; ...`.
    pub fn report(&self) -> String {
        let mut out = format!(
            "wrote {} golden crate{} ({} files, {} lines) in {GOLDEN}/ from {FIXTURES}/\n",
            self.crates.len(),
            if self.crates.len() == 1 { "" } else { "s" },
            self.files,
            forge::report::thousands(self.lines)
        );
        for dir in &self.removed {
            out.push_str(&format!("removed {dir}/ (no fixture, or known failing)\n"));
        }
        out.push_str(&known_failing_text(&self.known_failing));
        for warning in &self.warnings {
            out.push_str(&format!("warning: {warning}\n"));
        }
        out
    }
}

fn known_failing_text(list: &[(String, String)]) -> String {
    let mut out = String::new();
    if !list.is_empty() {
        out.push_str(&format!(
            "{} fixture{} known failing, without a golden (KNOWN_FAILING in xtask/src/fixtures.rs):\n",
            list.len(),
            if list.len() == 1 { "" } else { "s" }
        ));
        for (name, why) in list {
            out.push_str(&format!("  {name}: {why}\n"));
        }
    }
    out
}

/// Regenerates every golden crate under `<root>/golden`. All fixtures are generated in memory
/// first, so a fixture the generator refuses changes nothing; then each crate is replaced as a
/// whole, and golden folders without an active fixture are removed.
pub fn write_all(root: &Path) -> Result<Written, Error> {
    write_all_in(root, KNOWN_FAILING)
}

fn write_all_in(root: &Path, known_failing: &[(&str, &str)]) -> Result<Written, Error> {
    let fixtures = list_in(root, known_failing)?;
    let mut written = Written::default();
    let mut goldens = Vec::new();
    for fixture in &fixtures {
        match known_failing.iter().find(|(n, _)| *n == fixture.construct) {
            Some((_, why)) => written
                .known_failing
                .push((fixture.construct.clone(), (*why).to_owned())),
            None => goldens.push(render(fixture)?),
        }
    }
    let golden_dir = workspace::join(root, GOLDEN);
    fs::create_dir_all(&golden_dir).map_err(Error::io(format!("cannot create {GOLDEN}/")))?;
    for stale in stale_dirs(&golden_dir, &goldens)? {
        let path = golden_dir.join(&stale);
        ensure_golden(&path, &format!("{GOLDEN}/{stale}"))?;
        fs::remove_dir_all(&path).map_err(Error::io(format!("cannot remove {GOLDEN}/{stale}")))?;
        written.removed.push(format!("{GOLDEN}/{stale}"));
    }
    for golden in &goldens {
        let label = golden.fixture.golden_label();
        let target = golden_dir.join(&golden.fixture.construct);
        ensure_golden(&target, &label)?;
        let replaced = atomic::replace_dir(&target, &[], |temp| {
            for (path, contents) in &golden.files {
                atomic::write_file(temp, path, contents)?;
            }
            Ok(())
        })?;
        written.crates.push(label);
        written.files += golden.files.len();
        written.lines += golden
            .files
            .iter()
            .map(|(_, c)| c.lines().count())
            .sum::<usize>();
        written.warnings.extend(golden.warnings.iter().cloned());
        written.warnings.extend(replaced.leftover);
    }
    Ok(written)
}

/// Folders of `golden/` that no golden in `goldens` owns, sorted (hidden folders excluded: they
/// are an atomic swap's, and not workspace members).
fn stale_dirs(golden_dir: &Path, goldens: &[Golden]) -> Result<Vec<String>, Error> {
    let mut stale = Vec::new();
    if !golden_dir.is_dir() {
        return Ok(stale);
    }
    let entries = fs::read_dir(golden_dir).map_err(Error::io(format!("cannot list {GOLDEN}/")))?;
    for entry in entries {
        let entry = entry.map_err(Error::io(format!("cannot list {GOLDEN}/")))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !entry.path().is_dir() || name.starts_with('.') {
            continue;
        }
        if !goldens.iter().any(|g| g.fixture.construct == name) {
            stale.push(name);
        }
    }
    stale.sort();
    Ok(stale)
}

/// Refuses to replace or remove a folder that is not a golden crate (no marker in its manifest).
fn ensure_golden(path: &Path, label: &str) -> Result<(), Error> {
    if !path.exists() {
        return Ok(());
    }
    match fs::read_to_string(path.join("Cargo.toml")) {
        Ok(text) if manifest::is_generated(&text) => Ok(()),
        _ => Err(Error::Message(format!(
            "{label}: refusing to replace a folder that is not a golden crate (no {} marker in its Cargo.toml)",
            manifest::MARKER
        ))),
    }
}

/// How `golden/` differs from what the fixtures produce.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// One comparison per golden crate (active fixture), in fixture order.
    pub crates: Vec<Comparison>,
    /// Golden folders that should not exist (no fixture, or known failing).
    pub stale: Vec<String>,
    /// Known-failing fixtures, with the reason.
    pub known_failing: Vec<(String, String)>,
}

impl Report {
    /// Whether every golden is exactly what its fixture produces, and there are no others.
    pub fn is_up_to_date(&self) -> bool {
        self.stale.is_empty() && self.crates.iter().all(Comparison::is_up_to_date)
    }

    /// The diffs of every stale file and how to fix them, or one line when up to date; the known
    /// failing fixtures either way.
    pub fn text(&self) -> String {
        let files: usize = self.crates.iter().map(|c| c.files).sum();
        let mut out = String::new();
        if self.is_up_to_date() {
            out.push_str(&format!(
                "{GOLDEN}/ is up to date ({} crates, {files} files)\n",
                self.crates.len()
            ));
        } else {
            let mut stale_crates = 0;
            for c in self.crates.iter().filter(|c| !c.is_up_to_date()) {
                stale_crates += 1;
                for diff in &c.changed {
                    out.push_str(diff);
                    if !diff.ends_with('\n') {
                        out.push('\n');
                    }
                }
                for path in &c.extra {
                    out.push_str(&format!(
                        "extra file: {path} (not produced by the fixture)\n"
                    ));
                }
                for path in &c.missing {
                    out.push_str(&format!(
                        "missing file: {path} (produced by the fixture, not on disk)\n"
                    ));
                }
            }
            for dir in &self.stale {
                out.push_str(&format!(
                    "extra crate: {dir}/ (its fixture is gone or known failing)\n"
                ));
            }
            out.push_str(&format!(
                "{GOLDEN}/ is stale: {stale_crates} of {} crates differ, {} extra\n",
                self.crates.len(),
                self.stale.len()
            ));
            out.push_str(&format!("run `cargo xtask fixtures` to update {GOLDEN}/\n"));
        }
        out.push_str(&known_failing_text(&self.known_failing));
        out
    }
}

/// Generates every golden in memory and compares it with `<root>/golden`, writing nothing.
pub fn check(root: &Path) -> Result<Report, Error> {
    check_in(root, KNOWN_FAILING)
}

fn check_in(root: &Path, known_failing: &[(&str, &str)]) -> Result<Report, Error> {
    let fixtures = list_in(root, known_failing)?;
    let golden_dir = workspace::join(root, GOLDEN);
    let mut report = Report::default();
    let mut goldens = Vec::new();
    for fixture in &fixtures {
        match known_failing.iter().find(|(n, _)| *n == fixture.construct) {
            Some((_, why)) => report
                .known_failing
                .push((fixture.construct.clone(), (*why).to_owned())),
            None => goldens.push(render(fixture)?),
        }
    }
    for golden in &goldens {
        let files: Vec<(&str, &str)> = golden
            .files
            .iter()
            .map(|(p, c)| (p.as_str(), c.as_str()))
            .collect();
        let label = golden.fixture.golden_label();
        let mut comparison = check::compare_dir(
            &files,
            &golden_dir.join(&golden.fixture.construct),
            &label,
            &golden.fixture.spec_name,
        )?;
        // Build output of a `cargo` run inside the folder is not part of the golden.
        comparison.extra.retain(|p| {
            !p.starts_with(&format!("{label}/target/")) && *p != format!("{label}/Cargo.lock")
        });
        report.crates.push(comparison);
    }
    report.stale = stale_dirs(&golden_dir, &goldens)?
        .into_iter()
        .map(|d| format!("{GOLDEN}/{d}"))
        .collect();
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use forge::atomic::write_file;

    const SPEC: &str = "openapi: 3.1.0\ninfo: {title: Demo, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Pet:\n      type: object\n      properties:\n        name: {type: string}\n";

    fn fake_root() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        write_file(dir.path(), "codegen/tests/fixtures/pets.yaml", SPEC).unwrap();
        write_file(dir.path(), "codegen/tests/fixtures/broken.yaml", SPEC).unwrap();
        write_file(dir.path(), "codegen/tests/fixtures/notes.txt", "not a spec").unwrap();
        dir
    }

    const FAILING: &[(&str, &str)] = &[("broken", "a reason")];

    #[test]
    fn strips_workspace_tables() {
        let text = "[package]\nname = \"x\"\n\n# own workspace\n[workspace]\n\n[dependencies]\na = \"1\"\n\n[workspace.lints]\nx = 1\n";
        assert_eq!(
            strip_workspace_table(text),
            "[package]\nname = \"x\"\n\n[dependencies]\na = \"1\"\n"
        );
        assert_eq!(strip_workspace_table("[package]\n"), "[package]\n");
    }

    #[test]
    fn lists_fixtures_and_validates_known_failing() {
        let root = fake_root();
        let fixtures = list_in(root.path(), FAILING).unwrap();
        let names: Vec<&str> = fixtures.iter().map(|f| f.construct.as_str()).collect();
        assert_eq!(names, ["broken", "pets"]);
        assert_eq!(fixtures[1].spec_name, "codegen/tests/fixtures/pets.yaml");
        assert_eq!(fixtures[1].crate_name(), "golden-pets");
        let err = list_in(root.path(), &[("gone", "x")])
            .unwrap_err()
            .to_string();
        assert!(err.contains("names `gone`"), "{err}");
        write_file(root.path(), "codegen/tests/fixtures/Bad-Name.yaml", SPEC).unwrap();
        let err = list_in(root.path(), FAILING).unwrap_err().to_string();
        assert!(err.contains("Bad-Name.yaml"), "{err}");
    }

    #[test]
    fn writes_then_checks_goldens() {
        let root = fake_root();
        let before = check_in(root.path(), FAILING).unwrap();
        assert!(!before.is_up_to_date());
        assert!(
            before.crates[0]
                .missing
                .contains(&"golden/pets/Cargo.toml".to_owned()),
            "{:?}",
            before.crates
        );
        // A leftover golden of a known-failing fixture is removed.
        write_file(root.path(), "golden/broken/Cargo.toml", "# @generated\n").unwrap();
        let written = write_all_in(root.path(), FAILING).unwrap();
        assert_eq!(written.crates, ["golden/pets"]);
        assert_eq!(written.removed, ["golden/broken"]);
        assert!(!root.path().join("golden/broken").exists());
        let manifest = fs::read_to_string(root.path().join("golden/pets/Cargo.toml")).unwrap();
        assert!(manifest
            .starts_with("# @generated: the golden crate of codegen/tests/fixtures/pets.yaml"));
        assert!(manifest.contains("name = \"golden-pets\""), "{manifest}");
        assert!(manifest.contains("path = \"../../runtime\""), "{manifest}");
        assert!(!manifest::has_workspace_table(&manifest), "{manifest}");
        assert!(root.path().join("golden/pets/src/lib.rs").is_file());

        let report = check_in(root.path(), FAILING).unwrap();
        assert!(report.is_up_to_date(), "{}", report.text());
        assert!(report.text().starts_with("golden/ is up to date (1 crates"));
        assert!(report.text().contains("  broken: a reason\n"));

        // A hand edit shows up as a diff naming the fixture.
        let lib = root.path().join("golden/pets/src/lib.rs");
        fs::write(&lib, fs::read_to_string(&lib).unwrap() + "// edited\n").unwrap();
        write_file(root.path(), "golden/orphan/Cargo.toml", "# @generated\n").unwrap();
        let text = check_in(root.path(), FAILING).unwrap().text();
        assert!(text.contains("--- golden/pets/src/lib.rs (on disk)\n+++ golden/pets/src/lib.rs (from codegen/tests/fixtures/pets.yaml)\n"), "{text}");
        assert!(text.contains("-// edited\n"), "{text}");
        assert!(text.contains("extra crate: golden/orphan/"), "{text}");
        assert!(
            text.contains("run `cargo xtask fixtures` to update golden/"),
            "{text}"
        );
    }

    #[test]
    fn refuses_to_replace_a_hand_written_folder() {
        let root = fake_root();
        write_file(root.path(), "golden/pets/Cargo.toml", "[package]\n").unwrap();
        let err = write_all_in(root.path(), FAILING).unwrap_err().to_string();
        assert!(err.contains("golden/pets: refusing"), "{err}");
        assert_eq!(
            fs::read_to_string(root.path().join("golden/pets/Cargo.toml")).unwrap(),
            "[package]\n"
        );
    }
}
