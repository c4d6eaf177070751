//! The project's automation, behind `cargo xtask` (see `.cargo/config.toml`).
//!
//! A library plus a thin binary so that the tests in `tests/` can call the same functions the
//! commands use, with paths passed in rather than hard-coded. What a user of the generator also
//! needs (running it on a spec, writing a crate atomically, checking one, the flag convention,
//! report helpers) lives in the `forge` crate, which this one calls; each module here has one
//! job for this repository:
//!
//! - [`args`]: the commands and their flags.
//! - [`workspace`]: where things live in this repository (`spec/forge.yaml`, `generated/src`).
//! - [`generate`]: `cargo xtask generate` and `check` for the checked-in crates.
//! - [`corpus`]: `cargo xtask corpus`, the generator on the real-world specs, as a report.
//! - [`conformance`]: `cargo xtask conformance`, every spec's client on the wire against Prism.
//! - [`fixtures`]: `cargo xtask fixtures`, the golden crates of `codegen/tests/fixtures/`.
//! - [`bench`](mod@bench): `cargo xtask bench`, the benchmarks against their floors, into `BENCHMARKS.md`.

pub mod args;
pub mod bench;
pub mod conformance;
pub mod corpus;
pub mod fixtures;
pub mod generate;
pub mod workspace;

pub use forge::Error;
