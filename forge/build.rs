//! Embeds the runtime a standalone crate carries: every file under `../runtime/src` as an
//! `include_str!`, and the runtime's version and `[dependencies]` read from `../runtime/Cargo.toml`,
//! written to `$OUT_DIR/runtime.rs` for `forge::vendor`. `cargo install --path forge` builds
//! from the clone, so the files are there; the rewrites a module needs happen in `forge::vendor`,
//! where they are tested.
//!
//! A dependency the vendored copy cannot carry as it is (a path, a workspace dependency, an
//! optional one or a renamed one) stops the build with the reason: the generated crate must build
//! on its own.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let manifest_dir =
        PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let runtime = manifest_dir.join("../runtime");
    let src = runtime.join("src");
    let cargo_toml = runtime.join("Cargo.toml");
    println!("cargo:rerun-if-changed={}", src.display());
    println!("cargo:rerun-if-changed={}", cargo_toml.display());

    let mut files = Vec::new();
    collect(&src, "", &mut files);
    files.sort();
    if !files.iter().any(|(rel, _)| rel == "lib.rs") {
        fail(&format!("{} has no lib.rs", src.display()));
    }
    let manifest_text = fs::read_to_string(&cargo_toml)
        .unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", cargo_toml.display())));
    let (version, dependencies) = read_manifest(&manifest_text);

    let mut out = String::new();
    out.push_str("/// `forge-runtime`'s version, from its `Cargo.toml`.\n");
    writeln!(out, "pub const VERSION: &str = {version:?};").unwrap();
    out.push_str("/// Every file under `runtime/src`: (path relative to it, with `/`; text).\n");
    out.push_str("pub const SOURCES: &[(&str, &str)] = &[\n");
    for (rel, path) in &files {
        writeln!(
            out,
            "    ({rel:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    out.push_str("];\n");
    out.push_str("/// The runtime's `[dependencies]`, in its order.\n");
    out.push_str("pub const DEPENDENCIES: &[Dependency] = &[\n");
    for d in &dependencies {
        writeln!(
            out,
            "    Dependency {{ name: {:?}, version: {:?}, default_features: {}, features: &{:?} }},",
            d.name, d.version, d.default_features, d.features
        )
        .unwrap();
    }
    out.push_str("];\n");
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets it"));
    fs::write(out_dir.join("runtime.rs"), out)
        .unwrap_or_else(|e| fail(&format!("cannot write runtime.rs: {e}")));
}

fn fail(message: &str) -> ! {
    panic!("forge/build.rs: {message}");
}

/// Every file under `dir`, as (path relative to the root with `/`, absolute path).
fn collect(dir: &Path, prefix: &str, files: &mut Vec<(String, PathBuf)>) {
    let entries = fs::read_dir(dir).unwrap_or_else(|e| {
        fail(&format!(
            "cannot list {}: {e} (forge is built from a clone of its repository, beside runtime/)",
            dir.display()
        ))
    });
    for entry in entries {
        let entry = entry.unwrap_or_else(|e| fail(&format!("cannot list {}: {e}", dir.display())));
        let name = entry.file_name().into_string().unwrap_or_else(|name| {
            fail(&format!(
                "{}: a file name that is not UTF-8: {name:?}",
                dir.display()
            ))
        });
        let path = fs::canonicalize(entry.path())
            .unwrap_or_else(|e| fail(&format!("cannot resolve {}: {e}", entry.path().display())));
        let rel = format!("{prefix}{name}");
        if path.is_dir() {
            collect(&path, &format!("{rel}/"), files);
        } else {
            files.push((rel, path));
        }
    }
}

struct Dep {
    name: String,
    version: String,
    default_features: bool,
    features: Vec<String>,
}

/// The package version and the `[dependencies]` of the runtime's manifest.
fn read_manifest(text: &str) -> (String, Vec<Dep>) {
    let doc: toml_edit::DocumentMut = text
        .parse()
        .unwrap_or_else(|e| fail(&format!("runtime/Cargo.toml: {e}")));
    let version = doc
        .get("package")
        .and_then(|p| p.get("version"))
        .and_then(|v| v.as_str())
        .unwrap_or_else(|| fail("runtime/Cargo.toml: #/package/version: missing or not a string"))
        .to_owned();
    let Some(table) = doc.get("dependencies").and_then(|d| d.as_table_like()) else {
        return (version, Vec::new());
    };
    let deps = table
        .iter()
        .map(|(name, item)| read_dependency(name, item))
        .collect();
    (version, deps)
}

fn read_dependency(name: &str, item: &toml_edit::Item) -> Dep {
    let at = |reason: &str| -> ! {
        fail(&format!(
            "runtime/Cargo.toml: #/dependencies/{name}: {reason}: the vendored runtime copies its dependencies into the generated crate, which must build on its own"
        ))
    };
    if let Some(version) = item.as_str() {
        return Dep {
            name: name.to_owned(),
            version: version.to_owned(),
            default_features: true,
            features: Vec::new(),
        };
    }
    let Some(table) = item.as_table_like() else {
        at("neither a version string nor a table")
    };
    let mut dep = Dep {
        name: name.to_owned(),
        version: String::new(),
        default_features: true,
        features: Vec::new(),
    };
    for (key, value) in table.iter() {
        match key {
            "version" => {
                dep.version = value
                    .as_str()
                    .unwrap_or_else(|| at("`version` is not a string"))
                    .to_owned()
            }
            "default-features" => {
                dep.default_features = value
                    .as_bool()
                    .unwrap_or_else(|| at("`default-features` is not a boolean"))
            }
            "features" => {
                let array = value
                    .as_array()
                    .unwrap_or_else(|| at("`features` is not an array"));
                dep.features = array
                    .iter()
                    .map(|f| {
                        f.as_str()
                            .unwrap_or_else(|| at("a feature is not a string"))
                            .to_owned()
                    })
                    .collect();
            }
            other => at(&format!("the key `{other}` cannot be carried")),
        }
    }
    if dep.version.is_empty() {
        at("no `version`");
    }
    dep
}
