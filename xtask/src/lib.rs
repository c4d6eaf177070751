//! The project's automation, behind `cargo xtask` (see `.cargo/config.toml`).
//!
//! A library plus a thin binary so that the tests in `tests/` can call the same functions the
//! commands use, with paths passed in rather than hard-coded. Each module has one job:
//!
//! - [`args`]: the command line, parsed by hand (no clap, to keep the first `cargo xtask` quick).
//! - [`workspace`]: where things live in this repository (`spec/forge.yaml`, `generated/src`).
//! - [`paths`]: lexical path arithmetic, so output never depends on the machine it ran on.
//! - [`job`]: what to generate (spec, settings) and running the library on it.
//! - [`generate`]: writing the output, for the workspace crate or a standalone one.
//! - [`check`]: comparing the output with what is on disk, without writing.
//! - [`corpus`]: `cargo xtask corpus`, the generator on the real-world specs, as a report.
//! - [`fixtures`]: `cargo xtask fixtures`, the golden crates of `codegen/tests/fixtures/`.
//! - [`atomic`]: replacing a folder all at once, or not at all.
//! - [`diff`]: the unified diffs `check` prints.
//! - [`rustfmt`]: the final formatting pass, so `cargo fmt --check` holds on the output.
//! - [`manifest`]: the `Cargo.toml` of a standalone crate.
//! - [`crate_name`]: a crate name from a spec's file name.
//! - [`error`]: the one error type every command reports.
//! - [`bench`](mod@bench): `cargo xtask bench`, the benchmarks against their floors, into `BENCHMARKS.md`.

pub mod args;
pub mod atomic;
pub mod bench;
pub mod check;
pub mod corpus;
pub mod crate_name;
pub mod diff;
pub mod error;
pub mod fixtures;
pub mod generate;
pub mod job;
pub mod manifest;
pub mod paths;
pub mod rustfmt;
pub mod workspace;

pub use error::Error;
