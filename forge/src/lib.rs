//! The forge generator as a command (`forge generate`, `forge check`), and the pieces this
//! repository's `cargo xtask` shares with it: running the library on a spec and its settings,
//! writing a crate all at once or not at all, comparing a folder with what the spec produces,
//! the flag convention and report helpers. The generator itself is the `codegen` library; this
//! crate only reads and writes files.
//!
//! - [`flags`]: the command-line convention of every command.
//! - [`job`]: what to generate (spec, settings) and running the library on it.
//! - [`generate`]: writing a standalone crate, or the `src/` of a hand-kept crate.
//! - [`check`]: comparing a folder with the generator's output, without writing.
//! - [`manifest`]: the `Cargo.toml` of a standalone crate.
//! - [`atomic`]: replacing a folder all at once, or not at all.
//! - [`paths`]: lexical path arithmetic, so output never depends on the machine it ran on.
//! - [`diff`]: the unified diffs `check` prints.
//! - [`crate_name`]: a crate name from a spec's file name.
//! - [`report`]: tables, numbers, durations and dates for reports.
//! - [`vendor`]: the runtime a standalone crate carries as its module `forge_runtime`.
//! - [`error`]: the one error type every command reports.

pub mod atomic;
pub mod check;
pub mod crate_name;
pub mod diff;
pub mod error;
pub mod flags;
pub mod generate;
pub mod job;
pub mod manifest;
pub mod paths;
pub mod report;
pub mod vendor;

pub use error::Error;
