//! Is a folder exactly what the spec produces? The generator runs in memory and its files are
//! compared with the disk; nothing is written. This is the guard against a spec or generator
//! change committed without regenerating, so a failure shows the diff.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::diff;
use crate::error::Error;

/// How the files on disk differ from the generator's output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    /// The crate folder as named in the report (`generated/`).
    pub crate_label: String,
    /// Files the generator produces.
    pub files: usize,
    /// Unified diffs (disk → generator) of files whose contents differ, sorted by path.
    pub changed: Vec<String>,
    /// Files on disk the generator does not produce, as displayed paths.
    pub extra: Vec<String>,
    /// Files the generator produces that are not on disk, as displayed paths.
    pub missing: Vec<String>,
    /// The command that brings the folder up to date.
    pub fix: String,
}

impl Comparison {
    /// Whether the disk matches the generator exactly.
    pub fn is_up_to_date(&self) -> bool {
        self.changed.is_empty() && self.extra.is_empty() && self.missing.is_empty()
    }

    /// The whole report: one line when up to date, else the diffs, the extra and missing files and
    /// a last line saying how to fix it.
    pub fn report(&self) -> String {
        let label = &self.crate_label;
        if self.is_up_to_date() {
            let files = if self.files == 1 { "file" } else { "files" };
            return format!("{label} is up to date ({} {files})\n", self.files);
        }
        let mut out = String::new();
        for diff in &self.changed {
            out.push_str(diff);
            if !diff.ends_with('\n') {
                out.push('\n');
            }
        }
        for path in &self.extra {
            out.push_str(&format!("extra file: {path} (not produced by the spec)\n"));
        }
        for path in &self.missing {
            out.push_str(&format!(
                "missing file: {path} (produced by the spec, not on disk)\n"
            ));
        }
        out.push_str(&format!(
            "{label} is stale: {} changed, {} extra, {} missing\n",
            self.changed.len(),
            self.extra.len(),
            self.missing.len()
        ));
        out.push_str(&format!("run `{}` to update {label}\n", self.fix));
        out
    }
}

/// Compares a standalone crate folder (its `Cargo.toml`, `src/` and vendored runtime) with what
/// its spec and settings produce now.
pub fn standalone(args: &crate::generate::Standalone) -> Result<Comparison, Error> {
    let job = crate::job::Job::standalone(args)?;
    let output = job.run_with(crate::generate::runtime_mode(&args.runtime))?;
    let out = Path::new(&args.out);
    let files = crate::generate::crate_files(args, &job, &output)?;
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let mut comparison = compare_dir(&files, out, &args.out, &job.spec_name)?;
    // Only what the generator writes is compared: a build's `target/` and `Cargo.lock` stay.
    comparison
        .extra
        .retain(|p| !p.contains("/target/") && !p.ends_with("/Cargo.lock"));
    comparison.fix = args.command_line();
    Ok(comparison)
}

/// Compares `files` (paths relative to `dir`, with `/`) with every file under `dir`. Paths are
/// reported as `<display_dir>/<path>`; diffs are labelled with where each side came from. A
/// missing `dir` means every file is missing.
pub fn compare_dir(
    files: &[(&str, &str)],
    dir: &Path,
    display_dir: &str,
    spec_name: &str,
) -> Result<Comparison, Error> {
    let mut on_disk = list_files(dir, display_dir)?;
    let mut comparison = Comparison {
        crate_label: format!("{display_dir}/"),
        files: files.len(),
        changed: Vec::new(),
        extra: Vec::new(),
        missing: Vec::new(),
        fix: "cargo xtask generate".to_owned(),
    };
    let mut expected: Vec<&(&str, &str)> = files.iter().collect();
    expected.sort_unstable();
    for (path, contents) in expected {
        let shown = format!("{display_dir}/{path}");
        let Some(disk_path) = on_disk.remove(*path) else {
            comparison.missing.push(shown);
            continue;
        };
        let bytes = fs::read(&disk_path).map_err(Error::io(format!("cannot read {shown}")))?;
        if bytes != contents.as_bytes() {
            let old = String::from_utf8_lossy(&bytes);
            let diff = diff::unified(
                &old,
                contents,
                &format!("{shown} (on disk)"),
                &format!("{shown} (from {spec_name})"),
            );
            comparison.changed.push(diff);
        }
    }
    comparison.extra = on_disk
        .into_keys()
        .map(|path| format!("{display_dir}/{path}"))
        .collect();
    Ok(comparison)
}

/// Every file under `dir`, keyed by its `/`-separated path relative to `dir`.
fn list_files(
    dir: &Path,
    display_dir: &str,
) -> Result<BTreeMap<String, std::path::PathBuf>, Error> {
    let mut files = BTreeMap::new();
    if !dir.exists() {
        return Ok(files);
    }
    let mut stack = vec![(dir.to_path_buf(), String::new())];
    while let Some((folder, prefix)) = stack.pop() {
        let shown = format!("{display_dir}/{prefix}");
        let entries = fs::read_dir(&folder).map_err(Error::io(format!("cannot list {shown}")))?;
        for entry in entries {
            let entry = entry.map_err(Error::io(format!("cannot list {shown}")))?;
            let relative = format!("{prefix}{}", entry.file_name().to_string_lossy());
            if entry.path().is_dir() {
                stack.push((entry.path(), format!("{relative}/")));
            } else {
                files.insert(relative, entry.path());
            }
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::atomic::write_file;

    fn fake_generated() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        write_file(dir.path(), "lib.rs", "same\n").unwrap();
        write_file(dir.path(), "types/mod.rs", "a\nb\nc\nd\ne\nold\n").unwrap();
        write_file(dir.path(), "stale.rs", "gone\n").unwrap();
        dir
    }

    #[test]
    fn up_to_date() {
        let dir = fake_generated();
        fs::remove_file(dir.path().join("stale.rs")).unwrap();
        let files = [
            ("lib.rs", "same\n"),
            ("types/mod.rs", "a\nb\nc\nd\ne\nold\n"),
        ];
        let cmp = compare_dir(&files, dir.path(), "generated/src", "spec/api.yaml").unwrap();
        assert!(cmp.is_up_to_date());
        assert_eq!(cmp.report(), "generated/src/ is up to date (2 files)\n");
    }

    #[test]
    fn reports_changed_extra_and_missing_files() {
        let dir = fake_generated();
        let before = fs::read(dir.path().join("types/mod.rs")).unwrap();
        let files = [
            ("lib.rs", "same\n"),
            ("types/mod.rs", "a\nb\nc\nd\ne\nnew\n"),
            ("client.rs", "fn f() {}\n"),
        ];
        let cmp = compare_dir(&files, dir.path(), "generated/src", "spec/api.yaml").unwrap();
        assert!(!cmp.is_up_to_date());
        assert_eq!(cmp.files, 3);
        assert_eq!(cmp.extra, ["generated/src/stale.rs"]);
        assert_eq!(cmp.missing, ["generated/src/client.rs"]);
        assert_eq!(
            cmp.changed,
            ["--- generated/src/types/mod.rs (on disk)\n\
              +++ generated/src/types/mod.rs (from spec/api.yaml)\n\
              @@ -3,4 +3,4 @@\n c\n d\n e\n-old\n+new\n"]
        );
        let report = cmp.report();
        assert!(
            report.contains("extra file: generated/src/stale.rs (not produced by the spec)\n"),
            "{report}"
        );
        assert!(
            report.contains("missing file: generated/src/client.rs"),
            "{report}"
        );
        assert!(
            report.contains("generated/src/ is stale: 1 changed, 1 extra, 1 missing\n"),
            "{report}"
        );
        assert!(
            report.ends_with("run `cargo xtask generate` to update generated/src/\n"),
            "{report}"
        );
        // Checking writes nothing.
        assert_eq!(fs::read(dir.path().join("types/mod.rs")).unwrap(), before);
        assert!(dir.path().join("stale.rs").exists() && !dir.path().join("client.rs").exists());
    }

    #[test]
    fn missing_folder_means_missing_files() {
        let dir = tempfile::tempdir().unwrap();
        let cmp = compare_dir(&[("lib.rs", "x")], &dir.path().join("src"), "g/src", "s").unwrap();
        assert_eq!(cmp.missing, ["g/src/lib.rs"]);
        assert!(cmp.extra.is_empty() && cmp.changed.is_empty());
    }
}
