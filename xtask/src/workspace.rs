//! Where things live in this repository. The root is found from xtask's own manifest folder, so
//! `cargo xtask` works from any working directory and never depends on `cwd`.

use std::path::{Path, PathBuf};

/// The generator settings of the workspace's client, relative to the root; its `spec:` field names
/// the spec, relative to this file.
pub const SETTINGS: &str = "spec/forge.yaml";
/// The generated crate, whose `Cargo.toml`, `tests/`, `examples/` and `benches/` are hand-written.
pub const GENERATED: &str = "generated";
/// The only part of the generated crate that `cargo xtask generate` writes.
pub const GENERATED_SRC: &str = "generated/src";
/// The runtime crate that standalone crates depend on by path.
pub const RUNTIME: &str = "runtime";

/// The workspace root: the parent of the folder holding xtask's `Cargo.toml`.
pub fn root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

/// `root` joined with a `/`-separated relative path such as [`GENERATED_SRC`].
pub fn join(root: &Path, relative: &str) -> PathBuf {
    relative
        .split('/')
        .fold(root.to_path_buf(), |path, part| path.join(part))
}
