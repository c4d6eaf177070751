//! What passed in the last full run (`conformance/baseline.json`), so a subset run (CI) fails
//! when any of it stops passing. A spec the baseline does not know fails the check too: a check
//! never passes because its input is missing.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::report::SpecRun;

/// The file, relative to the workspace root.
pub const FILE: &str = "conformance/baseline.json";

/// The passing calls and samples of each spec.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Baseline {
    /// The seed the samples were made with.
    pub seed: u64,
    /// By spec stem.
    pub specs: BTreeMap<String, Passed>,
}

/// What passed for one spec.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Passed {
    /// `operationId target` of calls accepted and decoded.
    pub calls: Vec<String>,
    /// `Type source` of samples that round-tripped without loss.
    pub samples: Vec<String>,
}

impl Passed {
    /// From a run.
    pub fn of(run: &SpecRun) -> Passed {
        let Ok(r) = &run.outcome else {
            return Passed::default();
        };
        let mut calls: Vec<String> = r
            .wire
            .iter()
            .filter(|c| c.ok())
            .map(|c| format!("{} {}", c.op, c.target))
            .collect();
        let mut samples: Vec<String> = r
            .roundtrip
            .iter()
            .filter(|t| t.outcome == "ok")
            .map(|t| format!("{} {}", t.ty, t.source))
            .collect();
        calls.sort();
        samples.sort();
        Passed { calls, samples }
    }
}

/// The regressions of `runs` against `baseline`, one line each.
pub fn regressions(baseline: &Baseline, runs: &[SpecRun], seed: u64) -> Vec<String> {
    let mut out = Vec::new();
    for run in runs {
        let Some(before) = baseline.specs.get(&run.stem) else {
            out.push(format!(
                "{}: not in {FILE}; a full run records it",
                run.spec
            ));
            continue;
        };
        if let Err((stage, m)) = &run.outcome {
            out.push(format!("{}: {stage} failed: {m}", run.spec));
            continue;
        }
        let now = Passed::of(run);
        for c in &before.calls {
            if now.calls.binary_search(c).is_err() {
                out.push(format!(
                    "{}: call `{c}` passed before and fails now",
                    run.spec
                ));
            }
        }
        if seed == baseline.seed {
            for s in &before.samples {
                if now.samples.binary_search(s).is_err() {
                    out.push(format!(
                        "{}: sample `{s}` round-tripped before and does not now",
                        run.spec
                    ));
                }
            }
        }
    }
    out
}
