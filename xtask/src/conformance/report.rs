//! The table printed at the end and `CONFORMANCE.md`: per spec, calls called / accepted by
//! Prism / decoded and samples round-tripped / lossy / failed; then the distinct failure causes
//! with one example each, the totals and the run time.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

use forge::report::{duration, markdown_table, thousands};

use super::results::{Call, Counts, Results};
use super::triage::{self, Cause, Owner};

/// One spec's run.
#[derive(Debug, Clone)]
pub struct SpecRun {
    /// The spec's file name.
    pub spec: String,
    /// Its short name (`--only` takes it).
    pub stem: String,
    /// The results, or the stage that failed and why.
    pub outcome: Result<Results, (&'static str, String)>,
    /// Wall time.
    pub elapsed: Duration,
    /// The media types each operation declares (`GET /a` -> success `*/*`), read from the
    /// spec, for triage.
    pub media: std::collections::HashMap<String, triage::Media>,
}

impl SpecRun {
    /// Its counts (zero when a stage failed).
    pub fn counts(&self) -> Counts {
        self.outcome.as_ref().map(Counts::of).unwrap_or_default()
    }

    /// The cause of one of its calls, `None` when it passed.
    pub fn call_cause(&self, c: &Call) -> Option<Cause> {
        let none = triage::Media::default();
        let declared = self
            .media
            .get(&format!("{} {}", c.method, c.path))
            .unwrap_or(&none);
        triage::call(c, declared)
    }
}

fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        "-".to_owned()
    } else {
        format!("{:.2}%", part as f64 * 100.0 / whole as f64)
    }
}

/// The aligned table.
pub fn table(runs: &[SpecRun]) -> String {
    let header = [
        "spec", "calls", "accepted", "decoded", "streamed", "types", "samples", "ok", "lossy",
        "failed", "time", "note",
    ];
    let rows: Vec<Vec<String>> = runs
        .iter()
        .map(|r| {
            let c = r.counts();
            let note = match &r.outcome {
                Ok(_) => String::new(),
                Err((stage, m)) => format!("{stage} failed: {}", crate::corpus::cell_text(m)),
            };
            vec![
                r.spec.clone(),
                thousands(c.called),
                thousands(c.accepted),
                thousands(c.decoded),
                format!("{}/{}", c.streamed_ok, c.streamed),
                thousands(c.types),
                thousands(c.samples),
                thousands(c.ok),
                thousands(c.lossy),
                thousands(c.failed),
                duration(r.elapsed),
                note,
            ]
        })
        .collect();
    let numeric = [
        false, true, true, true, true, true, true, true, true, true, true, false,
    ];
    markdown_table(&header, &rows, &numeric)
}

/// The totals line.
pub fn totals(runs: &[SpecRun], elapsed: Duration) -> String {
    let mut t = Counts::default();
    for r in runs {
        t.add(&r.counts());
    }
    let failed_specs = runs.iter().filter(|r| r.outcome.is_err()).count();
    format!(
        "{} specs ({} not run to the end): {}/{} calls accepted by Prism ({}), {} decoded ({}); \
         {}/{} streamed calls decoded; {}/{} samples of {} types round-trip without loss ({}), \
         {} lossy, {} failed; in {}",
        runs.len(),
        failed_specs,
        thousands(t.accepted),
        thousands(t.called),
        percent(t.accepted, t.called),
        thousands(t.decoded),
        percent(t.decoded, t.called),
        t.streamed_ok,
        t.streamed,
        thousands(t.ok),
        thousands(t.samples),
        thousands(t.types),
        percent(t.ok, t.samples),
        thousands(t.lossy),
        thousands(t.failed),
        duration(elapsed)
    )
}

/// Failures per owner, and the rates once the failures shown to be Prism's, the spec's or a
/// construct's (each with its evidence under "Failure causes") are set aside.
pub fn by_owner(runs: &[SpecRun]) -> String {
    let mut calls: BTreeMap<Owner, usize> = BTreeMap::new();
    let mut samples: BTreeMap<Owner, usize> = BTreeMap::new();
    let (mut called, mut sampled) = (0, 0);
    for r in runs {
        let Ok(results) = &r.outcome else { continue };
        for c in results.wire.iter().filter(|c| c.target == "prism") {
            called += 1;
            if let Some(cause) = r.call_cause(c) {
                *calls.entry(cause.owner).or_default() += 1;
            }
        }
        for t in &results.roundtrip {
            sampled += 1;
            if let Some(cause) = triage::round_trip(t) {
                *samples.entry(cause.owner).or_default() += 1;
            }
        }
    }
    let list = |m: &BTreeMap<Owner, usize>| {
        if m.is_empty() {
            return "none".to_owned();
        }
        m.iter()
            .map(|(o, n)| format!("{} {}", o.word(), thousands(*n)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let ours = |m: &BTreeMap<Owner, usize>| m.get(&Owner::Ours).copied().unwrap_or(0);
    let others = |m: &BTreeMap<Owner, usize>| m.values().sum::<usize>() - ours(m);
    let judged_calls = called - others(&calls);
    let judged_samples = sampled - others(&samples);
    format!(
        "failed calls: {}; failed samples: {}. Without the failures that are not ours: \
         {}/{} calls decoded ({}), {}/{} samples without loss ({})",
        list(&calls),
        list(&samples),
        thousands(judged_calls - ours(&calls)),
        thousands(judged_calls),
        percent(judged_calls - ours(&calls), judged_calls),
        thousands(judged_samples - ours(&samples)),
        thousands(judged_samples),
        percent(judged_samples - ours(&samples), judged_samples),
    )
}

/// The specs with failures of ours, most first: `openai.yaml (12 calls, 80 samples)`.
pub fn ours_by_spec(runs: &[SpecRun]) -> String {
    let mut list: Vec<(usize, usize, &str)> = runs
        .iter()
        .filter_map(|r| {
            let results = r.outcome.as_ref().ok()?;
            let is_ours = |c: Option<Cause>| c.is_some_and(|c| c.owner == Owner::Ours);
            let calls = results
                .wire
                .iter()
                .filter(|c| c.target == "prism" && is_ours(r.call_cause(c)))
                .count();
            let samples = results
                .roundtrip
                .iter()
                .filter(|t| is_ours(triage::round_trip(t)))
                .count();
            (calls + samples > 0).then_some((calls, samples, r.stem.as_str()))
        })
        .collect();
    list.sort_by(|a, b| (b.0 + b.1).cmp(&(a.0 + a.1)).then(a.2.cmp(b.2)));
    if list.is_empty() {
        return "none".to_owned();
    }
    list.iter()
        .map(|(calls, samples, stem)| format!("{stem} ({calls} calls, {samples} samples)"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every failure of ours, one line each (`spec: GET /a (op): message`), for the person who fixes
/// them: `CONFORMANCE.md` keeps one example per cause.
pub fn ours_list(runs: &[SpecRun]) -> String {
    let mut out = String::new();
    for r in runs {
        let Ok(results) = &r.outcome else { continue };
        for c in &results.wire {
            if r.call_cause(c)
                .is_some_and(|cause| cause.owner == Owner::Ours)
            {
                let _ = writeln!(
                    out,
                    "{}: {} {} ({}) {}: {}",
                    r.stem,
                    c.method,
                    c.path,
                    c.op,
                    c.status.map_or("no response".to_owned(), |s| s.to_string()),
                    one_line(c.error.as_deref().unwrap_or(""), 300)
                );
            }
        }
        for t in &results.roundtrip {
            if triage::round_trip(t).is_some_and(|cause| cause.owner == Owner::Ours) {
                let _ = writeln!(
                    out,
                    "{}: {} at {} ({}): {}",
                    r.stem,
                    t.ty,
                    t.pointer,
                    t.source,
                    match (&t.error, &t.at) {
                        (Some(e), _) => one_line(e, 300),
                        (None, Some(at)) => format!("lossy at {at}"),
                        _ => String::new(),
                    }
                );
            }
        }
    }
    out
}

/// One example of a cause.
struct Example {
    count: usize,
    specs: Vec<String>,
    text: String,
}

/// The distinct causes, most frequent first, each with one example.
pub fn causes(runs: &[SpecRun]) -> String {
    let mut by: BTreeMap<Cause, Example> = BTreeMap::new();
    let mut note = |cause: Cause, spec: &str, text: String| {
        let e = by.entry(cause).or_insert_with(|| Example {
            count: 0,
            specs: Vec::new(),
            text,
        });
        e.count += 1;
        if !e.specs.iter().any(|s| s == spec) {
            e.specs.push(spec.to_owned());
        }
    };
    for r in runs {
        let Ok(results) = &r.outcome else { continue };
        for c in &results.wire {
            if let Some(cause) = r.call_cause(c) {
                let text = format!(
                    "{}: `{} {}` (`{}`) got {}: `{}`",
                    r.spec,
                    c.method,
                    c.path,
                    c.op,
                    c.status.map_or("no response".to_owned(), |s| s.to_string()),
                    one_line(c.error.as_deref().unwrap_or(""), 400)
                );
                note(cause, &r.spec, text);
            }
        }
        for t in &results.roundtrip {
            if let Some(cause) = triage::round_trip(t) {
                let sample = t.sample.as_ref().map(|v| v.to_string()).unwrap_or_default();
                let text = format!(
                    "{}: `{}` at `{}` ({}), sample `{}`{}",
                    r.spec,
                    t.ty,
                    t.pointer,
                    t.source,
                    one_line(&sample, 300),
                    match (&t.error, &t.at) {
                        (Some(e), _) => format!(", error `{}`", one_line(e, 300)),
                        (None, Some(at)) => format!(
                            ", differs at `{at}`, re-encoded `{}`",
                            one_line(
                                &t.got.as_ref().map(|v| v.to_string()).unwrap_or_default(),
                                200
                            )
                        ),
                        _ => String::new(),
                    }
                );
                note(cause, &r.spec, text);
            }
        }
    }
    let mut list: Vec<(Cause, Example)> = by.into_iter().collect();
    list.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.0.cmp(&b.0)));
    let mut out = String::new();
    for (cause, e) in list {
        let _ = writeln!(
            out,
            "- **{}** [{}] — {} in {} spec{}. Example: {}",
            cause.key.replace('|', "\\|"),
            cause.owner.word(),
            e.count,
            e.specs.len(),
            if e.specs.len() == 1 { "" } else { "s" },
            e.text.replace('|', "\\|")
        );
    }
    out
}

/// Why samples were not made, one line per reason (its pointer and names taken out), most
/// frequent first, with one example each.
pub fn unmade(runs: &[SpecRun]) -> String {
    let mut by: BTreeMap<String, Example> = BTreeMap::new();
    for r in runs {
        let Ok(results) = &r.outcome else { continue };
        for (ty, why) in &results.skipped {
            let reason = why.split_once(": ").map_or(why.as_str(), |(_, rest)| rest);
            let e = by.entry(triage::shape(reason)).or_insert_with(|| Example {
                count: 0,
                specs: Vec::new(),
                text: format!("{}: `{ty}`: {}", r.spec, one_line(why, 300)),
            });
            e.count += 1;
            if !e.specs.iter().any(|s| s == &r.spec) {
                e.specs.push(r.spec.clone());
            }
        }
    }
    let mut list: Vec<(String, Example)> = by.into_iter().collect();
    list.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.0.cmp(&b.0)));
    let mut out = String::new();
    for (reason, e) in list {
        let _ = writeln!(
            out,
            "- **{}** — {} in {} spec{}. Example: {}",
            reason.replace('|', "\\|"),
            e.count,
            e.specs.len(),
            if e.specs.len() == 1 { "" } else { "s" },
            e.text.replace('|', "\\|")
        );
    }
    out
}

fn one_line(text: &str, max: usize) -> String {
    let flat: String = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('`', "'");
    if flat.chars().count() > max {
        let mut s: String = flat.chars().take(max).collect();
        s.push('…');
        s
    } else {
        flat
    }
}

/// The contents of `CONFORMANCE.md`; `faults` is the hand-kept section on Prism's faults.
pub fn markdown(runs: &[SpecRun], elapsed: Duration, header: &str, faults: &str) -> String {
    let mut out = String::new();
    out.push_str("# Conformance: generated clients on the wire, judged by Prism\n\n");
    out.push_str(header);
    out.push_str("\n\n");
    out.push_str(&table(runs));
    let _ = writeln!(out, "\n**Totals:** {}\n", totals(runs, elapsed));
    let _ = writeln!(out, "**By whose fault:** {}\n", by_owner(runs));
    let _ = writeln!(
        out,
        "**Specs with failures of ours** (`--only` takes these names): {}\n",
        ours_by_spec(runs)
    );
    out.push_str(
        "Columns: *calls* are the one-response calls sent to Prism (`prism mock -d`, the same \
         spec); *accepted*: Prism answered 2xx/3xx (its validator took the request); *decoded*: \
         and the client decoded the response; *streamed*: streaming calls answered by the \
         driver's own event server, decoded/sent; *samples*: schema-valid values (the spec's \
         examples, then generated ones) decoded into the generated type and re-encoded; *ok*: \
         equal to the sample (key order ignored, numbers by value); *lossy*: decoded but \
         re-encoded differently; *failed*: did not decode.\n\n\
         Debug, not release: per spec the build (client and driver, dependencies shared in \
         `target/conformance-target`) takes from 10 s to minutes on 2 cores, while the driver's \
         run takes seconds (Anthropic's 4,045 samples and 97 calls ran in 23 s in a debug \
         build after an 8-minute build), so optimizing could at best save those seconds while \
         lengthening the part that dominates. A release run end to end has not been timed yet \
         (`--release` does it).\n\n",
    );
    let causes = causes(runs);
    out.push_str("## Failure causes\n\nOne line per distinct cause, most frequent first, with whose fault it is and one example.\n\n");
    if causes.is_empty() {
        out.push_str("None.\n");
    } else {
        out.push_str(&causes);
    }
    let unmade = unmade(runs);
    out.push_str(
        "\n## Samples not made\n\nA generated sample the value generator gave up on, one line per \
         reason, with one example; the round trip of its type runs on its other samples, if any. \
         A schema that admits no value is the spec's mistake.\n\n",
    );
    if unmade.is_empty() {
        out.push_str("None.\n");
    } else {
        out.push_str(&unmade);
    }
    out.push_str("\n## Prism's faults\n\n");
    out.push_str(faults);
    out
}
