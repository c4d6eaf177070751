//! Schema-valid JSON samples, made from a spec's schemas with a seeded generator: every
//! `example`/`examples` value the spec gives, then values made from the schema itself (optional
//! properties in and out, arrays of 0-3 items within their bounds, each union branch in turn,
//! nulls where nullable, enums and consts, bounds, lengths, `multipleOf`, formats and simple
//! patterns). The same seed gives the same samples. A value that cannot be made valid (a pattern
//! outside the supported subset, contradictory bounds) is not made: its reason is kept instead.
//!
//! One generator serves the round-trip samples of types and the arguments of operations.

mod examples;
pub(crate) mod merge;
mod overlap;
mod pattern;
mod rng;
mod scalars;
mod tags;
mod walk;

#[cfg(test)]
mod tests;

use std::borrow::Cow;

use serde_json::Value;

use crate::openapi::{Pointer, Resolver, Schema};

pub use rng::Rng;

/// Which side of the wire a value is for: `readOnly` properties are left out of requests and
/// `writeOnly` ones out of responses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Sent by the client.
    Request,
    /// Sent by the server.
    Response,
    /// Either (round trips): every property may appear.
    Any,
}

/// Which optional properties a generated value holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// All of them near the top (random deeper down, so samples stay small).
    All,
    /// None.
    Required,
    /// Each with even odds.
    Random,
}

/// One sample value and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// The value.
    pub value: Value,
    /// `example at #/...` or `generated #3 (seed 7)`.
    pub source: String,
    /// What the generator could not do as asked while making it.
    pub notes: Vec<String>,
}

/// The samples of one schema, and why some were not made.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Samples {
    /// The samples, without duplicates, examples first.
    pub samples: Vec<Sample>,
    /// Why a generated sample was given up (`pattern ... not generated`), one line each.
    pub skipped: Vec<String>,
}

/// Generated samples per schema beyond the examples, at least.
pub const GENERATED: usize = 4;
/// At most, when a union has more branches than [`GENERATED`].
pub const MAX_GENERATED: usize = 12;

/// The generator over one document.
pub struct Generator<'a> {
    resolver: Resolver<'a>,
    examples: examples::MediaExamples,
    seed: u64,
}

impl<'a> Generator<'a> {
    /// A generator for the document behind `resolver`.
    pub fn new(resolver: Resolver<'a>, seed: u64) -> Self {
        Generator {
            examples: examples::MediaExamples::collect(&resolver),
            resolver,
            seed,
        }
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The samples of the schema at `pointer`: its examples, then generated values.
    pub fn samples(&self, pointer: &Pointer, dir: Direction) -> Samples {
        let schema = match self.resolver.typed_at::<Schema>(pointer) {
            Ok(s) => s,
            Err(e) => {
                return Samples {
                    samples: Vec::new(),
                    skipped: vec![format!("not a schema: {e}")],
                }
            }
        };
        let mut out = Samples::default();
        for (value, source) in self.examples.for_schema(&schema, pointer) {
            push_unique(
                &mut out.samples,
                Sample {
                    value,
                    source,
                    notes: Vec::new(),
                },
            );
        }
        let count = branch_count(&self.resolver, &schema, pointer).clamp(GENERATED, MAX_GENERATED);
        for k in 0..count {
            let plan = match k {
                0 => Plan::All,
                1 => Plan::Required,
                _ => Plan::Random,
            };
            match self.one(&schema, pointer, pointer.as_str(), k as u64, dir, plan) {
                Ok(sample) => push_unique(&mut out.samples, sample),
                Err(e) => {
                    if !out.skipped.contains(&e) {
                        out.skipped.push(e);
                    }
                }
            }
        }
        out
    }

    /// One generated value of `schema` at `at`, its random stream named by `key` and `index`
    /// (an operation's argument: `key` is the operation pointer and parameter).
    pub fn one(
        &self,
        schema: &Schema,
        at: &Pointer,
        key: &str,
        index: u64,
        dir: Direction,
        plan: Plan,
    ) -> Result<Sample, String> {
        let rng = Rng::for_key(self.seed, key, index);
        let mut walker = walk::Walker::new(&self.resolver, rng, dir, plan, Some(index));
        let value = walker.value(schema, at, 0)?;
        Ok(Sample {
            value,
            source: format!("generated #{index} (seed {})", self.seed),
            notes: walker.notes,
        })
    }
}

fn push_unique(samples: &mut Vec<Sample>, sample: Sample) {
    if !samples.iter().any(|s| s.value == sample.value) {
        samples.push(sample);
    }
}

/// Branches of the schema's top-level union (after references and `allOf`), so each is sampled.
fn branch_count(resolver: &Resolver<'_>, schema: &Schema, at: &Pointer) -> usize {
    let Ok(resolved) = resolver.follow(Cow::Borrowed(schema), at) else {
        return 0;
    };
    let mut notes = Vec::new();
    let flat = merge::flatten(resolver, &resolved.value, &resolved.pointer, &mut notes);
    let unions = flat
        .one_of
        .as_ref()
        .or(flat.any_of.as_ref())
        .map_or(0, Vec::len);
    let enums = flat.enum_values.as_ref().map_or(0, Vec::len);
    unions.max(enums)
}
