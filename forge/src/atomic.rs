//! Replacing a folder all at once or not at all. A generation that fails halfway (a bad spec, a
//! full disk) must not leave a half-written `generated/src` that no longer matches any spec: the
//! new folder is built complete in a hidden sibling, then swapped in with two renames.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// How a successful replacement ended.
#[derive(Debug, Default)]
pub struct Replaced {
    /// The previous contents were swapped out but could not be deleted: the new folder is in place,
    /// and this says which hidden folder is left behind and why.
    pub leftover: Option<String>,
}

/// Replaces the folder `target` (or creates it, if missing) with one that `fill` writes.
///
/// `fill` receives an empty temporary folder beside `target`, named `.<name>.tmp-<pid>`. If `fill`
/// fails, the temporary folder is removed and `target` is untouched. Otherwise the old `target` is
/// renamed to `.<name>.old-<pid>`, the new one renamed into its place, and the old one deleted.
/// Entries of the old folder named in `keep` (e.g. a standalone crate's `target/` build cache) are
/// moved into the new one rather than deleted, unless `fill` wrote an entry of the same name.
/// The parent of `target` must exist.
pub fn replace_dir<F>(target: &Path, keep: &[&str], fill: F) -> Result<Replaced, Error>
where
    F: FnOnce(&Path) -> Result<(), Error>,
{
    let (parent, name) = split(target)?;
    if target.exists() && !target.is_dir() {
        return Err(Error::Message(format!(
            "{} exists and is not a folder",
            target.display()
        )));
    }
    let temp = create_unique(&parent, &format!(".{name}.tmp"))?;
    if let Err(e) = fill(&temp) {
        let _ = fs::remove_dir_all(&temp);
        return Err(e);
    }
    if !target.exists() {
        return match fs::rename(&temp, target) {
            Ok(()) => Ok(Replaced::default()),
            Err(e) => {
                let _ = fs::remove_dir_all(&temp);
                Err(Error::io(format!(
                    "cannot rename {} to {}",
                    temp.display(),
                    target.display()
                ))(e))
            }
        };
    }
    swap(target, &temp, &parent, &name, keep)
}

/// Swaps the complete `temp` folder into the place of the existing `target`.
fn swap(
    target: &Path,
    temp: &Path,
    parent: &Path,
    name: &str,
    keep: &[&str],
) -> Result<Replaced, Error> {
    // Carry kept entries over first, so a failure below can put them back.
    let mut carried = Vec::new();
    for entry in keep {
        let (from, to) = (target.join(entry), temp.join(entry));
        if fs::symlink_metadata(&from).is_ok()
            && fs::symlink_metadata(&to).is_err()
            && fs::rename(&from, &to).is_ok()
        {
            carried.push(*entry);
        }
    }
    let put_back = |holder: &Path| {
        for entry in &carried {
            let _ = fs::rename(temp.join(entry), holder.join(entry));
        }
    };
    let old = unique_name(parent, &format!(".{name}.old"));
    if let Err(e) = fs::rename(target, &old) {
        put_back(target);
        let _ = fs::remove_dir_all(temp);
        return Err(Error::io(format!(
            "cannot move {} aside to replace it",
            target.display()
        ))(e));
    }
    if let Err(e) = fs::rename(temp, target) {
        // Undo: the old folder goes back where it was, with what was carried out of it.
        let _ = fs::rename(&old, target);
        put_back(target);
        let _ = fs::remove_dir_all(temp);
        return Err(Error::io(format!(
            "cannot move the new {} into place",
            target.display()
        ))(e));
    }
    let leftover = fs::remove_dir_all(&old).err().map(|e| {
        format!(
            "replaced {} but could not delete the old copy at {}: {e}",
            target.display(),
            old.display()
        )
    });
    Ok(Replaced { leftover })
}

/// The parent folder and the file name of `target`, made absolute so that `out` has a parent too.
fn split(target: &Path) -> Result<(PathBuf, String), Error> {
    let absolute = crate::paths::normalize(
        &std::path::absolute(target)
            .map_err(Error::io(format!("cannot resolve {}", target.display())))?,
    );
    match (absolute.parent(), absolute.file_name()) {
        (Some(parent), Some(name)) => {
            Ok((parent.to_path_buf(), name.to_string_lossy().into_owned()))
        }
        _ => Err(Error::Message(format!(
            "{} cannot be replaced: it has no parent folder",
            target.display()
        ))),
    }
}

/// `<parent>/<prefix>-<pid>`, or `<prefix>-<pid>-<n>` for the first `n` whose name is free (a
/// leftover of a crashed run whose pid was reused is never touched).
fn unique_name(parent: &Path, prefix: &str) -> PathBuf {
    let pid = std::process::id();
    (0..)
        .map(|n: u64| {
            parent.join(if n == 0 {
                format!("{prefix}-{pid}")
            } else {
                format!("{prefix}-{pid}-{n}")
            })
        })
        .find(|path| fs::symlink_metadata(path).is_err())
        .expect("an unbounded range yields a free name")
}

/// Creates a new, empty folder named like [`unique_name`]; never reuses an existing one, even when
/// another thread picked the same name a moment earlier.
fn create_unique(parent: &Path, prefix: &str) -> Result<PathBuf, Error> {
    loop {
        let path = unique_name(parent, prefix);
        match fs::create_dir(&path) {
            Ok(()) => return Ok(path),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(Error::io(format!("cannot create {}", path.display()))(e)),
        }
    }
}

/// Writes `contents` to `dir/relative` (a `/`-separated path), creating folders on the way.
pub fn write_file(dir: &Path, relative: &str, contents: &str) -> Result<(), Error> {
    let path = crate::job::join(dir, relative);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .map_err(Error::io(format!("cannot create {}", parent.display())))?;
    }
    fs::write(&path, contents).map_err(Error::io(format!("cannot write {}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// Every file and folder under `dir`, with file contents, for byte-for-byte comparisons.
    fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
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

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn existing(root: &Path) -> PathBuf {
        let target = root.join("src");
        write_file(&target, "lib.rs", "old lib\n").unwrap();
        write_file(&target, "nested/mod.rs", "old mod\n").unwrap();
        target
    }

    #[test]
    fn failed_fill_leaves_target_untouched_and_no_temp_folder() {
        let root = tempfile::tempdir().unwrap();
        let target = existing(root.path());
        let before = snapshot(root.path());
        let result = replace_dir(&target, &[], |temp| {
            write_file(temp, "lib.rs", "half-written")?;
            Err(Error::Message("injected failure".into()))
        });
        assert_eq!(result.unwrap_err().to_string(), "injected failure");
        assert_eq!(snapshot(root.path()), before);
        assert_eq!(names(root.path()), ["src"]);
    }

    #[test]
    fn failed_fill_does_not_create_a_missing_target() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("out");
        let result = replace_dir(&target, &[], |_| Err(Error::Message("no".into())));
        assert!(result.is_err());
        assert!(names(root.path()).is_empty());
    }

    #[test]
    fn replaces_everything_and_cleans_up() {
        let root = tempfile::tempdir().unwrap();
        let target = existing(root.path());
        let replaced =
            replace_dir(&target, &[], |temp| write_file(temp, "new.rs", "new\n")).unwrap();
        assert!(replaced.leftover.is_none());
        assert_eq!(names(root.path()), ["src"]);
        assert_eq!(names(&target), ["new.rs"]);
        assert_eq!(fs::read_to_string(target.join("new.rs")).unwrap(), "new\n");
    }

    #[test]
    fn creates_a_missing_target() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("out");
        replace_dir(&target, &[], |temp| write_file(temp, "src/lib.rs", "x")).unwrap();
        assert_eq!(fs::read_to_string(target.join("src/lib.rs")).unwrap(), "x");
        assert_eq!(names(root.path()), ["out"]);
    }

    #[test]
    fn carries_kept_entries_over() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("crate");
        write_file(&target, "target/debug/cache", "build cache").unwrap();
        write_file(&target, "Cargo.lock", "old lock").unwrap();
        write_file(&target, "src/stale.rs", "stale").unwrap();
        replace_dir(&target, &["target", "Cargo.lock", "absent"], |temp| {
            write_file(temp, "src/lib.rs", "new")?;
            write_file(temp, "Cargo.lock", "fresh lock")
        })
        .unwrap();
        assert_eq!(names(&target), ["Cargo.lock", "src", "target"]);
        assert_eq!(
            fs::read_to_string(target.join("target/debug/cache")).unwrap(),
            "build cache"
        );
        assert_eq!(
            fs::read_to_string(target.join("Cargo.lock")).unwrap(),
            "fresh lock"
        );
        assert_eq!(names(&target.join("src")), ["lib.rs"]);
        assert_eq!(names(root.path()), ["crate"]);
    }

    #[test]
    fn refuses_a_file() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("file");
        fs::write(&target, "x").unwrap();
        let err = replace_dir(&target, &[], |_| Ok(())).unwrap_err();
        assert!(err.to_string().contains("is not a folder"), "{err}");
        assert_eq!(names(root.path()), ["file"]);
    }
}
