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

/// Runs the whole pipeline.
pub fn generate(input: &Input<'_>) -> Result<Generated, Error> {
    let mut doc_value = parse::load(input.spec_name, input.spec_text)?;
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
    let header = format::Header::new(input.spec_name, input.spec_text);
    let files = format::render(&header, &emit::plan(&api))?;
    let lines = files.iter().map(|f| f.contents.lines().count()).sum();
    Ok(Generated {
        stats: Stats {
            operations: api.operations.len(),
            types: api.types.len(),
            lines,
        },
        warnings: api.warnings.clone(),
        files,
    })
}
