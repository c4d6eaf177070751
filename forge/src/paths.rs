//! Path arithmetic. Spec names and the runtime path end up inside generated files, so they must be
//! computed lexically and written with `/`, never as this machine's absolute paths.

use std::io;
use std::path::{Component, Path, PathBuf};

/// Removes `.` components and folds `..` into the component before it, without touching the file
/// system. A `..` that climbs above a relative path's start is kept; one above the root is dropped.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(".."),
            },
            other => out.push(other.as_os_str()),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// The leading root and drive components, which two paths must share to be relative to each other.
fn anchor(path: &Path) -> Vec<Component<'_>> {
    path.components()
        .take_while(|c| matches!(c, Component::Prefix(_) | Component::RootDir))
        .collect()
}

/// `path` relative to the folder `base`, lexically; `None` if they have different roots (another
/// drive) or `base` climbs out with `..` where `path` does not.
pub fn relative(path: &Path, base: &Path) -> Option<PathBuf> {
    let (path, base) = (normalize(path), normalize(base));
    if anchor(&path) != anchor(&base) {
        return None;
    }
    let p: Vec<Component<'_>> = path
        .components()
        .filter(|c| *c != Component::CurDir)
        .collect();
    let b: Vec<Component<'_>> = base
        .components()
        .filter(|c| *c != Component::CurDir)
        .collect();
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if b[common..].contains(&Component::ParentDir) {
        return None;
    }
    let mut out = PathBuf::new();
    for _ in &b[common..] {
        out.push("..");
    }
    for c in &p[common..] {
        out.push(c.as_os_str());
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    Some(out)
}

/// An absolute, normalized path with symlinks resolved in the part that exists, so two paths
/// resolved this way can be compared even when the second does not exist yet.
pub fn resolve(path: &Path) -> io::Result<PathBuf> {
    let absolute = normalize(&std::path::absolute(path)?);
    let mut existing = absolute.as_path();
    let mut missing = Vec::new();
    loop {
        if let Ok(mut real) = existing.canonicalize() {
            real.extend(missing.iter().rev());
            return Ok(real);
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                missing.push(name);
                existing = parent;
            }
            _ => return Ok(absolute),
        }
    }
}

/// The path as text with `/` separators (Windows `\\?\C:\` prefixes dropped), for generated files.
pub fn to_slash(path: &Path) -> String {
    let text = path.to_string_lossy();
    if !cfg!(windows) {
        return text.into_owned();
    }
    let text = text.replace('\\', "/");
    match text.strip_prefix("//?/") {
        Some(rest) if rest.as_bytes().get(1) == Some(&b':') => rest.to_owned(),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(path: &str, base: &str) -> Option<String> {
        relative(Path::new(path), Path::new(base)).map(|p| to_slash(&p))
    }

    #[test]
    fn normalizes() {
        assert_eq!(normalize(Path::new("a/./b/../c")), PathBuf::from("a/c"));
        assert_eq!(normalize(Path::new("../a/..")), PathBuf::from(".."));
        assert_eq!(normalize(Path::new("/..//x/")), PathBuf::from("/x"));
        assert_eq!(normalize(Path::new("./")), PathBuf::from("."));
    }

    #[test]
    fn relative_paths() {
        assert_eq!(
            rel("/w/runtime", "/w/out/demo").as_deref(),
            Some("../../runtime")
        );
        assert_eq!(rel("/w/spec/a.yaml", "/w").as_deref(), Some("spec/a.yaml"));
        assert_eq!(
            rel("/w/spec/../other/a.yaml", "/w").as_deref(),
            Some("other/a.yaml")
        );
        assert_eq!(
            rel("/elsewhere/a.yaml", "/w").as_deref(),
            Some("../elsewhere/a.yaml")
        );
        assert_eq!(rel("/w", "/w").as_deref(), Some("."));
        assert_eq!(rel("a", "/w"), None);
        assert_eq!(rel("a", "../b"), None);
    }

    #[test]
    fn resolves_missing_tails() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().canonicalize().unwrap();
        let resolved = resolve(&dir.path().join("not/yet/../there")).unwrap();
        assert_eq!(resolved, real.join("not/there"));
    }
}
