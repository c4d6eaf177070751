//! `spec text -> generated files`: the forge OpenAPI code generator as a library.
//!
//! The pipeline has four stages, each its own module:
//!
//! 1. [`parse`]: text (JSON or YAML) to a `serde_json::Value`, then to the typed OpenAPI model in
//!    [`openapi`] (3.0 and 3.1).
//! 2. [`ir`]: lowering to an intermediate representation: every `$ref` resolved, every name a valid,
//!    unique Rust identifier, every construct either mapped or reported with its JSON pointer.
//! 3. [`emit`]: Rust tokens from the IR with `quote`.
//! 4. [`mod@format`]: `prettyplease`, plus the `@generated` header naming the spec and its hash.
//!
//! The library touches no file system and reads no command line: callers (the `xtask` binary) hand
//! it text and write what it returns.

pub mod driver;
pub mod emit;
pub mod error;
pub mod format;
pub mod ir;
pub mod manifest;
pub mod openapi;
pub mod parse;
pub mod samples;
pub mod settings;

pub use error::{Diagnostic, Error, ErrorKind};
pub use settings::Settings;

/// What to generate from.
#[derive(Debug, Clone)]
pub struct Input<'a> {
    /// How the spec is named in errors and in the `@generated` header, e.g. `spec/api.yaml`.
    pub spec_name: &'a str,
    /// The spec's text, JSON or YAML.
    pub spec_text: &'a str,
    /// Generator settings (crate name, env var names, ...).
    pub settings: Settings,
    /// Skip operations that use unsupported constructs (with a warning) instead of failing.
    pub lenient: bool,
    /// JSON merge patches applied to the spec, in order, before anything reads it.
    pub overlays: Vec<Overlay<'a>>,
    /// How the generated code reaches `forge-runtime`: as a dependency, or as a module of the
    /// crate itself.
    pub runtime: RuntimeMode,
    /// Hand-written modules copied into the crate (the settings' `modules`, read).
    pub modules: Vec<Module<'a>>,
}

/// A hand-written module: `src/<name>.rs` with its text under the `@generated` header, declared
/// `pub mod <name>;` in `lib.rs`.
#[derive(Debug, Clone)]
pub struct Module<'a> {
    /// The module's name (`accumulate`).
    pub name: &'a str,
    /// How its file is named in errors and in its header, e.g. `spec/api/accumulate.rs`.
    pub file: &'a str,
    /// The module's Rust source.
    pub text: &'a str,
}

/// How generated code reaches `forge_runtime`. Either way it writes `forge_runtime::...`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RuntimeMode {
    /// `forge-runtime` is a dependency of the crate (by path or from a registry).
    #[default]
    Crate,
    /// The runtime's sources are the module `src/forge_runtime/` of the crate (the caller writes
    /// them): `lib.rs` declares `pub mod forge_runtime;` and every other module imports it with
    /// `use crate::forge_runtime;`.
    Vendored,
}

impl RuntimeMode {
    /// The command the "do not edit" notes of generated files name: a vendored runtime is a
    /// standalone crate of `forge generate`, a dependency one of this repository's crates.
    pub fn regenerate_command(self) -> &'static str {
        match self {
            RuntimeMode::Crate => "cargo xtask generate",
            RuntimeMode::Vendored => "forge generate",
        }
    }
}

/// An overlay: a JSON merge patch (JSON or YAML) and how to name it in errors.
#[derive(Debug, Clone)]
pub struct Overlay<'a> {
    /// How the overlay is named in errors and in the `@generated` header.
    pub name: &'a str,
    /// Its text.
    pub text: &'a str,
}

/// One generated file, with its path relative to the crate root (`src/lib.rs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Relative path with `/` separators, e.g. `src/types.rs`.
    pub path: String,
    /// The file's full contents.
    pub contents: String,
}

/// The result of a successful generation.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The crate's `src/` files, sorted by path.
    pub files: Vec<GeneratedFile>,
    /// Things that were generated in a degraded way, or skipped under `lenient`.
    pub warnings: Vec<Diagnostic>,
    /// Counts for reports.
    pub stats: Stats,
    /// The crate's Cargo features, for its manifest.
    pub features: manifest::Features,
}

/// Sizes of the input and output, for reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Operations in the spec that were generated.
    pub operations: usize,
    /// Named types generated.
    pub types: usize,
    /// Lines across all generated files.
    pub lines: usize,
}

/// A spec read and lowered: the raw value, the typed document and the IR, for the generator's
/// other outputs (the conformance driver) that need all three.
#[derive(Debug, Clone)]
pub struct Lowered {
    /// The parsed document (repaired under `lenient`).
    pub raw: serde_json::Value,
    /// The typed model read from it.
    pub doc: openapi::Document,
    /// The IR, with the lenient repairs' warnings first.
    pub api: ir::Api,
}

/// Parses, reads and lowers the spec: the first half of [`generate`].
pub fn lower(input: &Input<'_>) -> Result<Lowered, Error> {
    let mut doc_value = parse::load(input.spec_name, input.spec_text)?;
    for overlay in &input.overlays {
        let patch = parse::load(overlay.name, overlay.text)?;
        openapi::overlay::merge_patch(&mut doc_value, &patch);
    }
    let unmatched = openapi::overlay::patch_parameters(&mut doc_value, &input.settings.parameters);
    if let Some((location, name)) = unmatched.first() {
        return Err(Error::at(
            &input.settings.source,
            format!(
                "#/parameters/{}/{}",
                error::escape_token(location),
                error::escape_token(name)
            ),
            ErrorKind::Settings(format!(
                "no {location} parameter `{name}` in {}",
                input.spec_name
            )),
        ));
    }
    let (doc, repairs) = if input.lenient {
        openapi::read_lenient(input.spec_name, &mut doc_value)?
    } else {
        (
            openapi::Document::from_value(input.spec_name, &doc_value)?,
            Vec::new(),
        )
    };
    let mut api = ir::lower(
        input.spec_name,
        &doc,
        &doc_value,
        &input.settings,
        input.lenient,
    )?;
    api.warnings.splice(0..0, repairs);
    api.runtime = input.runtime;
    Ok(Lowered {
        raw: doc_value,
        doc,
        api,
    })
}

/// Runs the whole pipeline.
pub fn generate(input: &Input<'_>) -> Result<Generated, Error> {
    let Lowered { mut api, .. } = lower(input)?;
    api.modules = modules(input)?;
    let header = format::Header::new(input.spec_name, input.spec_text, &input.overlays)
        .regenerated_by(input.runtime.regenerate_command());
    let mut files = format::render(&header, &emit::plan(&api))?;
    for module in &input.modules {
        files.push(GeneratedFile {
            path: format!("src/{}.rs", module.name),
            contents: format::module_file(module),
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let lines = files.iter().map(|f| f.contents.lines().count()).sum();
    Ok(Generated {
        stats: Stats {
            operations: api.operations.len(),
            types: api.types.len(),
            lines,
        },
        warnings: api.warnings.clone(),
        features: manifest::Features::of(&api),
        files,
    })
}

/// The hand-written modules' names, checked: valid, not the generator's own, not twice.
fn modules(input: &Input<'_>) -> Result<Vec<String>, Error> {
    let mut names: Vec<String> = Vec::new();
    for module in &input.modules {
        let reason = settings::module_name_error(module.name).err().or_else(|| {
            names
                .iter()
                .any(|n| n == module.name)
                .then(|| format!("the module `{}` is given twice", module.name))
        });
        if let Some(reason) = reason {
            return Err(Error::at(
                &input.settings.source,
                format!("#/modules/{}", error::escape_token(module.name)),
                ErrorKind::Settings(reason),
            ));
        }
        names.push(module.name.to_owned());
    }
    Ok(names)
}
