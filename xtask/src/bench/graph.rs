//! Microsoft Graph (`../shared/specs/stress/microsoft.com__graph.json`, 20 MB): the whole spec
//! through the `generate` process, and one tag picked with the settings' `select`, generated
//! and `cargo check`ed on top of the dependencies the compile section checks (same target
//! folder, checked first when needed).

use std::fs;
use std::path::Path;

use super::{compile, measure};
use crate::workspace;
use forge::Error;

/// The spec, relative to the workspace root.
pub const SPEC: &str = "../shared/specs/stress/microsoft.com__graph.json";
/// The one tag (the `user` entity: list, create, get, update, delete users).
pub const TAG: &str = "users.user";
/// The crate generated from that tag.
const TAG_CRATE: &str = "graph-users";
/// Where the crates go, relative to the workspace root.
const DIR: &str = "target/bench-build/graph";

/// Target: the whole spec generated within this many seconds.
pub const WHOLE_SECS: f64 = 10.0;
/// Target: one tag generated and checked within this many seconds.
pub const TAG_SECS: f64 = 60.0;

/// What was measured.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    /// The spec's size.
    pub bytes: u64,
    /// Parsing it into a `serde_json::Value` (the generation section's floor), median of 3.
    pub floor_secs: f64,
    /// The `generate` process on the whole spec (one run).
    pub whole_secs: Option<f64>,
    /// Lines the whole spec generates (the generated `src/`).
    pub whole_lines: Option<usize>,
    /// Why the whole spec failed.
    pub whole_error: Option<String>,
    /// The `generate` process with `select: include: [tag: users.user]`.
    pub tag_generate_secs: Option<f64>,
    /// Then `cargo check` of that crate.
    pub tag_check: Option<compile::Timed>,
    /// Lines of that crate.
    pub tag_lines: Option<usize>,
    /// Why the one-tag run failed.
    pub tag_error: Option<String>,
}

impl Graph {
    /// Generation and check of the one tag.
    pub fn tag_secs(&self) -> Option<f64> {
        Some(self.tag_generate_secs? + self.tag_check?.wall)
    }
}

/// Lines of the `.rs` files under `dir`.
fn lines(dir: &Path) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| {
            let path = e.path();
            if path.is_dir() {
                lines(&path)
            } else if path.extension().is_some_and(|x| x == "rs") {
                fs::read_to_string(&path).map_or(0, |t| t.lines().count())
            } else {
                0
            }
        })
        .sum()
}

/// Runs both; either failing is recorded in the result.
pub fn run(root: &Path, exe: &Path, progress: &mut dyn FnMut(&str)) -> Result<Graph, Error> {
    let text = fs::read_to_string(workspace::join(root, SPEC))
        .map_err(Error::io(format!("cannot read {SPEC}")))?;
    let mut graph = Graph {
        bytes: text.len() as u64,
        floor_secs: measure::median_secs(3, None, || {
            serde_json::from_str::<serde_json::Value>(&text).map(drop)
        }),
        ..Graph::default()
    };
    drop(text);
    progress(&format!(
        "  {SPEC} ({}): parse {}; generate, the whole spec ...",
        measure::bytes(graph.bytes as f64),
        measure::secs(graph.floor_secs)
    ));
    let whole = format!("{DIR}/whole");
    match compile::generate(root, exe, SPEC, &whole, &[]) {
        Ok(secs) => {
            graph.whole_secs = Some(secs);
            graph.whole_lines = Some(lines(&workspace::join(root, &whole).join("src")));
            progress(&format!("  whole spec: {}", measure::secs(secs)));
        }
        Err(e) => {
            progress(&format!("  whole spec: FAILED: {e}"));
            graph.whole_error = Some(e.to_string().lines().next().unwrap_or("").to_owned());
        }
    }
    if let Err(e) = one_tag(root, exe, &mut graph, progress) {
        progress(&format!("  tag {TAG}: FAILED: {e}"));
        graph.tag_error = Some(e.to_string().lines().next().unwrap_or("").to_owned());
    }
    Ok(graph)
}

fn one_tag(
    root: &Path,
    exe: &Path,
    graph: &mut Graph,
    progress: &mut dyn FnMut(&str),
) -> Result<(), Error> {
    let dir = workspace::join(root, DIR);
    fs::create_dir_all(&dir).map_err(Error::io(format!("cannot create {DIR}")))?;
    let settings = format!("{DIR}/{TAG_CRATE}.yaml");
    fs::write(
        workspace::join(root, &settings),
        format!("crate: {TAG_CRATE}\nselect:\n  include:\n    - tag: {TAG}\n"),
    )
    .map_err(Error::io(format!("cannot write {settings}")))?;
    let target = compile::target(root);
    if !target.join("debug").exists() {
        compile::prepare_deps(root, progress)?;
    }
    let out = format!("{DIR}/{TAG_CRATE}");
    progress(&format!("  generate with select: tag {TAG} ..."));
    let secs = compile::generate(root, exe, SPEC, &out, &["--settings", &settings])?;
    graph.tag_generate_secs = Some(secs);
    let crate_dir = workspace::join(root, &out);
    graph.tag_lines = Some(lines(&crate_dir.join("src")));
    progress(&format!(
        "  tag {TAG}: generated in {} ({} lines); cargo check ...",
        measure::secs(secs),
        graph.tag_lines.unwrap_or(0)
    ));
    compile::copy_lock(root, &crate_dir)?;
    let check = compile::check(
        &crate_dir,
        &target,
        &[TAG_CRATE],
        &format!("cargo check of {TAG_CRATE}"),
    )?;
    graph.tag_check = Some(check);
    progress(&format!("  tag {TAG}: checked in {}", compile::show(check)));
    Ok(())
}
