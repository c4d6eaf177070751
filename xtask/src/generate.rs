//! `cargo xtask generate` and `cargo xtask check` for the crates this repository checks in: each
//! is a settings file naming its spec, and a crate folder whose `src/` the generator owns (its
//! `Cargo.toml`, tests, examples and benches are written by people).

use std::path::Path;

use forge::check::{compare_dir, Comparison};
use forge::generate::Outcome;
use forge::job::Job;
use forge::Error;

use crate::workspace;

/// A checked-in generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    /// The settings file, relative to the root; its `spec:` names the spec.
    pub settings: &'static str,
    /// The crate folder, relative to the root.
    pub crate_dir: &'static str,
}

impl Target {
    /// The generator's `src/` of the crate.
    pub fn src(&self) -> String {
        format!("{}/src", self.crate_dir)
    }
}

/// Every checked-in generated crate, in the order they are generated and checked.
pub const TARGETS: &[Target] = &[
    Target {
        settings: workspace::SETTINGS,
        crate_dir: workspace::GENERATED,
    },
    // Anthropic's whole API (spec/anthropic/: the published spec, an overlay, a hand-written
    // module).
    Target {
        settings: "spec/anthropic/forge.yaml",
        crate_dir: "anthropic",
    },
];

/// Regenerates the `src/` of every target.
pub fn workspace(root: &Path) -> Result<Vec<Outcome>, Error> {
    TARGETS.iter().map(|t| one(root, t)).collect()
}

fn one(root: &Path, target: &Target) -> Result<Outcome, Error> {
    let start = std::time::Instant::now();
    let job = Job::from_settings(root, target.settings)?;
    let output = job.run()?;
    let crate_dir = forge::job::join(root, target.crate_dir);
    if !crate_dir.is_dir() {
        return Err(Error::Message(format!(
            "{}/ is missing: it holds the crate's hand-written Cargo.toml",
            target.crate_dir
        )));
    }
    let src = target.src();
    forge::generate::replace_src(&job, &output, &forge::job::join(root, &src), &src, start)
}

/// Compares every target's `src/` with what its spec produces, writing nothing.
pub fn check(root: &Path) -> Result<Vec<Comparison>, Error> {
    TARGETS
        .iter()
        .map(|target| {
            let job = Job::from_settings(root, target.settings)?;
            let output = job.run()?;
            let src = target.src();
            let mut comparison = compare_dir(
                &output.src_files(),
                &forge::job::join(root, &src),
                &src,
                &job.spec_name,
            )?;
            comparison.crate_label = format!("{}/", target.crate_dir);
            comparison
                .changed
                .extend(features_problem(root, target, &output.generated.features)?);
            Ok(comparison)
        })
        .collect()
}

/// What the crate's hand-written `Cargo.toml` lacks of the features its generated code uses, as
/// one report entry (with the table to copy), or nothing.
fn features_problem(
    root: &Path,
    target: &Target,
    features: &codegen::manifest::Features,
) -> Result<Option<String>, Error> {
    let shown = format!("{}/Cargo.toml", target.crate_dir);
    let path = forge::job::join(root, &shown);
    let text = std::fs::read_to_string(&path).map_err(Error::io(format!("cannot read {shown}")))?;
    let problems = features.missing_in(&text);
    if problems.is_empty() {
        return Ok(None);
    }
    let mut out = format!(
        "{shown}: its [features] lack what the generated code uses (each area of the API is a \
         feature):\n"
    );
    for problem in &problems {
        out.push_str(&format!("  - {problem}\n"));
    }
    out.push_str("the generator's table, to copy (keep `default` as the crate wants it):\n");
    for line in features.table().lines() {
        out.push_str(&format!("  {line}\n"));
    }
    Ok(Some(out))
}
