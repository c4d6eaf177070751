//! Helpers shared by the integration tests: fake workspaces and byte-exact folder snapshots.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// A minimal OpenAPI document that any conforming generator accepts.
pub const MINIMAL_SPEC: &str =
    r#"{"openapi": "3.1.0", "info": {"title": "Demo", "version": "1"}, "paths": {}}"#;

/// The hand-written manifest of the fake `generated/` crate (the features every generated crate
/// reads: `full` and `strict`).
pub const DEMO_MANIFEST: &str =
    "[package]\nname = \"demo\"\n\n[features]\nfull = []\nstrict = []\n";

/// Text that is neither JSON nor YAML.
pub const MALFORMED_SPEC: &str = "openapi: [3.1.0\ninfo: {title: \n";

/// Writes `contents` to `root/relative`, creating folders.
pub fn write(root: &Path, relative: &str, contents: &str) {
    let path = root.join(relative);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, contents).unwrap();
}

/// A fake workspace: `spec/forge.yaml` naming `spec/demo.json`, and a `generated/` crate with a
/// hand-written manifest and test, and a stale `src/`; and the second target (`spec/anthropic/`,
/// `anthropic/`) with the same minimal spec, since the xtask regenerates every target.
pub fn fake_workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "spec/anthropic/forge.yaml",
        "spec: demo.json\ncrate: demo-two\n",
    );
    write(dir.path(), "spec/anthropic/demo.json", MINIMAL_SPEC);
    write(
        dir.path(),
        "anthropic/Cargo.toml",
        "[package]\nname = \"demo-two\"\n\n[features]\nfull = []\nstrict = []\n",
    );
    write(
        dir.path(),
        "spec/forge.yaml",
        "spec: demo.json\ncrate: demo\n",
    );
    write(dir.path(), "spec/demo.json", MINIMAL_SPEC);
    write(dir.path(), "generated/Cargo.toml", DEMO_MANIFEST);
    write(
        dir.path(),
        "generated/tests/hand_written.rs",
        "#[test] fn t() {}\n",
    );
    write(
        dir.path(),
        "generated/src/stale.rs",
        "// from an older spec\n",
    );
    dir
}

/// Every file and folder under `dir`, with file contents, to compare byte for byte.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            let key = path.strip_prefix(dir).unwrap().to_path_buf();
            if path.is_dir() {
                stack.push(path);
                out.insert(key, None);
            } else {
                out.insert(key, Some(fs::read(&path).unwrap()));
            }
        }
    }
    out
}

/// The sorted names in `dir`.
pub fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}
