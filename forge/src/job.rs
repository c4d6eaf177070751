//! What to generate, read from disk: the spec's text and name, and the settings. `generate` and
//! `check` share it so that both run the generator on exactly the same input, and the library
//! itself never touches a file.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use codegen::{Generated, Input, RuntimeMode, Settings};

use crate::crate_name;
use crate::error::Error;
use crate::paths;

/// One generation: the spec and what to do with it.
#[derive(Debug, Clone)]
pub struct Job {
    /// How the spec is named in errors and the `@generated` header: machine-independent.
    pub spec_name: String,
    /// The spec's text.
    pub spec_text: String,
    /// Generator settings, with the crate name already decided.
    pub settings: Settings,
    /// `--lenient`.
    pub lenient: bool,
    /// The settings' overlays, read: (name as shown, text).
    pub overlays: Vec<(String, String)>,
    /// The settings' hand-written modules, read: (module name, file as shown, text).
    pub modules: Vec<(String, String, String)>,
}

/// Reads the modules a settings file names, relative to its folder, named like the overlays.
fn read_modules(
    settings: &Settings,
    settings_dir: &Path,
    root: Option<&Path>,
) -> Result<Vec<(String, String, String)>, Error> {
    settings
        .modules
        .iter()
        .map(|(module, file)| {
            let path = paths::normalize(&settings_dir.join(file));
            let name = root
                .and_then(|root| paths::relative(&path, root))
                .map(|p| paths::to_slash(&p))
                .unwrap_or_else(|| paths::to_slash(&path));
            let text = read(&path, &name)?;
            Ok((module.clone(), name, text))
        })
        .collect()
}

/// Reads the overlays a settings file names, relative to its folder; each is named like the
/// spec (relative to `root`, or as joined when no root is given).
fn read_overlays(
    settings: &Settings,
    settings_dir: &Path,
    root: Option<&Path>,
) -> Result<Vec<(String, String)>, Error> {
    settings
        .overlays
        .iter()
        .map(|file| {
            let path = paths::normalize(&settings_dir.join(file));
            let name = root
                .and_then(|root| paths::relative(&path, root))
                .map(|p| paths::to_slash(&p))
                .unwrap_or_else(|| paths::to_slash(&path));
            let text = read(&path, &name)?;
            Ok((name, text))
        })
        .collect()
}

impl Job {
    /// The job a settings file describes: its `spec:` names the spec relative to the settings
    /// file, and the spec is named in errors and headers relative to `root` (so the output does
    /// not depend on the machine it ran on). `settings_name` is the settings file as shown.
    pub fn from_settings(root: &Path, settings_name: &str) -> Result<Job, Error> {
        let settings_path = join(root, settings_name);
        let text = read(&settings_path, settings_name)?;
        let settings = Settings::from_text(settings_name, &text)?;
        let spec = settings.spec.as_deref().ok_or_else(|| {
            Error::Message(format!(
                "{settings_name}: #/spec: missing: name the spec file, relative to this file"
            ))
        })?;
        if Path::new(spec).has_root() || spec.contains(':') {
            return Err(Error::Message(format!(
                "{settings_name}: #/spec: `{spec}` must be relative to this file, so that the output does not depend on the machine"
            )));
        }
        let settings_dir = settings_path
            .parent()
            .map_or_else(|| root.to_path_buf(), Path::to_path_buf);
        let spec_path = paths::normalize(&settings_dir.join(spec));
        let spec_name = paths::relative(&spec_path, root)
            .map(|p| paths::to_slash(&p))
            .ok_or_else(|| {
                Error::Message(format!(
                    "{settings_name}: #/spec: `{spec}` cannot be named relative to {}",
                    root.display()
                ))
            })?;
        let spec_text = read(&spec_path, &spec_name)?;
        let overlays = read_overlays(&settings, &settings_dir, Some(root))?;
        let modules = read_modules(&settings, &settings_dir, Some(root))?;
        Ok(Job {
            spec_name,
            spec_text,
            settings,
            lenient: false,
            overlays,
            modules,
        })
    }

    /// A standalone crate from the command line. Paths are as the user gave them (relative to the
    /// working directory), and the spec is named exactly as given. The crate name is `--name`, else
    /// the settings', else one derived from the spec's file name.
    pub fn standalone(args: &crate::generate::Standalone) -> Result<Job, Error> {
        let mut settings = match &args.settings {
            Some(file) => Settings::from_text(file, &read(Path::new(file), file)?)?,
            None => Settings::for_crate(&crate_name::derive(Path::new(&args.spec))),
        };
        if let Some(name) = &args.name {
            crate_name::validate(name).map_err(Error::Message)?;
            settings.crate_name = name.clone();
        }
        let spec_text = read(Path::new(&args.spec), &args.spec)?;
        let settings_dir = args
            .settings
            .as_deref()
            .and_then(|f| Path::new(f).parent())
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let overlays = read_overlays(&settings, &settings_dir, None)?;
        let modules = read_modules(&settings, &settings_dir, None)?;
        Ok(Job {
            spec_name: args.spec.clone(),
            spec_text,
            settings,
            lenient: args.lenient,
            overlays,
            modules,
        })
    }

    /// Runs the generator for a crate that depends on `forge-runtime` (the checked-in crates,
    /// `--runtime-path`, `--runtime-version`); see [`Job::run_with`].
    pub fn run(&self) -> Result<Output, Error> {
        self.run_with(RuntimeMode::Crate)
    }

    /// Runs the generator with the runtime reached as `runtime` says, and checks that every file
    /// it returns belongs under `src/`.
    pub fn run_with(&self, runtime: RuntimeMode) -> Result<Output, Error> {
        let input = Input {
            spec_name: &self.spec_name,
            spec_text: &self.spec_text,
            settings: self.settings.clone(),
            lenient: self.lenient,
            overlays: self
                .overlays
                .iter()
                .map(|(name, text)| codegen::Overlay { name, text })
                .collect(),
            modules: self
                .modules
                .iter()
                .map(|(name, file, text)| codegen::Module { name, file, text })
                .collect(),
            runtime,
        };
        let generated = codegen::generate(&input)?;
        validate_paths(&generated)?;
        Ok(Output { generated })
    }
}

/// The generator's result, its file paths checked to be safe to write under `src/`.
#[derive(Debug, Clone)]
pub struct Output {
    /// What the library returned.
    pub generated: Generated,
}

impl Output {
    /// Each file as (path relative to `src/`, with `/`; contents), sorted by path.
    pub fn src_files(&self) -> Vec<(&str, &str)> {
        let mut files: Vec<(&str, &str)> = self
            .generated
            .files
            .iter()
            .map(|f| {
                (
                    f.path.strip_prefix(SRC).unwrap_or(&f.path),
                    f.contents.as_str(),
                )
            })
            .collect();
        files.sort_unstable();
        files
    }

    /// Lines across all generated files.
    pub fn lines(&self) -> usize {
        self.generated.stats.lines
    }

    /// The generator's warnings, one line each, prefixed with the spec's name.
    pub fn warnings(&self, spec_name: &str) -> Vec<String> {
        self.generated
            .warnings
            .iter()
            .map(|w| format!("{spec_name}: {w}"))
            .collect()
    }
}

const SRC: &str = "src/";

/// A generator bug must not write outside `src/` (or fail halfway through writing), so paths are
/// checked before anything is written: `src/` followed by plain `/`-separated names, no duplicates
/// (even ignoring case, for case-insensitive file systems).
fn validate_paths(generated: &Generated) -> Result<(), Error> {
    let mut seen = BTreeSet::new();
    for file in &generated.files {
        let path = &file.path;
        let plain = path.strip_prefix(SRC).is_some_and(|rest| {
            rest.split('/').all(|part| {
                !part.is_empty()
                    && part != "."
                    && part != ".."
                    && !part.contains(|c: char| matches!(c, '\\' | ':' | '\0') || c.is_control())
            })
        });
        if !plain {
            return Err(Error::Message(format!(
                "internal error: the generator returned the file path `{path}`, which is not a plain path under src/"
            )));
        }
        if !seen.insert(path.to_lowercase()) {
            return Err(Error::Message(format!(
                "internal error: the generator returned `{path}` twice"
            )));
        }
    }
    Ok(())
}

/// Reads a text file, naming it `name` in the error.
fn read(path: &Path, name: &str) -> Result<String, Error> {
    fs::read_to_string(path).map_err(Error::io(format!("cannot read {name}")))
}

/// Where a standalone crate's `forge-runtime` dependency points: relative to `out` when both are
/// on one drive, else absolute; always with `/`.
pub fn runtime_path(runtime_dir: &Path, out: &Path) -> Result<String, Error> {
    let runtime = paths::resolve(runtime_dir).map_err(Error::io(format!(
        "cannot resolve {}",
        runtime_dir.display()
    )))?;
    let out =
        paths::resolve(out).map_err(Error::io(format!("cannot resolve {}", out.display())))?;
    let path: PathBuf = paths::relative(&runtime, &out).unwrap_or(runtime);
    Ok(paths::to_slash(&path))
}

/// `root` joined with a `/`-separated relative path.
pub fn join(root: &Path, relative: &str) -> PathBuf {
    relative
        .split('/')
        .fold(root.to_path_buf(), |path, part| path.join(part))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::Standalone;
    use codegen::{GeneratedFile, Stats};

    fn generated(paths: &[&str]) -> Generated {
        Generated {
            files: paths
                .iter()
                .map(|p| GeneratedFile {
                    path: (*p).to_owned(),
                    contents: String::new(),
                })
                .collect(),
            warnings: Vec::new(),
            stats: Stats::default(),
            features: Default::default(),
        }
    }

    #[test]
    fn accepts_plain_src_paths() {
        assert!(validate_paths(&generated(&["src/lib.rs", "src/types/mod.rs"])).is_ok());
    }

    #[test]
    fn refuses_paths_outside_src() {
        for bad in [
            "lib.rs",
            "src/",
            "src/../x.rs",
            "src//x.rs",
            "/src/x.rs",
            "src/a\\b.rs",
            "src/./x.rs",
            "srcx/a.rs",
        ] {
            assert!(validate_paths(&generated(&[bad])).is_err(), "{bad}");
        }
        assert!(validate_paths(&generated(&["src/a.rs", "src/A.rs"])).is_err());
    }

    #[test]
    fn runtime_path_is_relative_when_possible() {
        let dir = tempfile::tempdir().unwrap();
        let runtime = dir.path().join("ws/runtime");
        fs::create_dir_all(&runtime).unwrap();
        assert_eq!(
            runtime_path(&runtime, &dir.path().join("ws/out/demo")).unwrap(),
            "../../runtime"
        );
        assert_eq!(
            runtime_path(&runtime, &dir.path().join("elsewhere")).unwrap(),
            "../ws/runtime"
        );
    }

    #[test]
    fn names_the_workspace_spec_relative_to_the_root() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("spec")).unwrap();
        fs::write(
            dir.path().join("spec/forge.yaml"),
            r#"{"spec": "./api.json", "crate": "demo"}"#,
        )
        .unwrap();
        fs::write(dir.path().join("spec/api.json"), "{}").unwrap();
        let job = Job::from_settings(dir.path(), "spec/forge.yaml").unwrap();
        assert_eq!(job.spec_name, "spec/api.json");
        assert_eq!(job.spec_text, "{}");
        assert_eq!(job.settings.crate_name, "demo");
    }

    #[test]
    fn workspace_settings_need_a_spec() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("spec")).unwrap();
        fs::write(dir.path().join("spec/forge.yaml"), r#"{"crate": "demo"}"#).unwrap();
        let err = Job::from_settings(dir.path(), "spec/forge.yaml")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "spec/forge.yaml: #/spec: missing: name the spec file, relative to this file"
        );
    }

    #[test]
    fn standalone_crate_name_precedence() {
        let dir = tempfile::tempdir().unwrap();
        let spec = dir.path().join("Pet Store.json");
        fs::write(&spec, "{}").unwrap();
        let settings = dir.path().join("s.json");
        fs::write(&settings, r#"{"crate": "from-settings"}"#).unwrap();
        let spec = spec.to_string_lossy().into_owned();
        let mut args = Standalone {
            spec: spec.clone(),
            out: "unused".into(),
            ..Standalone::default()
        };
        assert_eq!(
            Job::standalone(&args).unwrap().settings.crate_name,
            "pet-store"
        );
        assert_eq!(Job::standalone(&args).unwrap().spec_name, spec);
        args.settings = Some(settings.to_string_lossy().into_owned());
        assert_eq!(
            Job::standalone(&args).unwrap().settings.crate_name,
            "from-settings"
        );
        args.name = Some("from-flag".into());
        assert_eq!(
            Job::standalone(&args).unwrap().settings.crate_name,
            "from-flag"
        );
        args.name = Some("9bad".into());
        assert!(Job::standalone(&args)
            .unwrap_err()
            .to_string()
            .contains("not a valid crate name"));
    }
}
