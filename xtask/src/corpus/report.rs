//! The corpus table: one row per spec, the markdown report and its cells.

use super::*;

/// One spec's row of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The spec's file name.
    pub spec: String,
    /// Read from the document.
    pub facts: Facts,
    /// The generated crate, or the first line of the reason it was not.
    pub generated: Result<GenInfo, String>,
    /// `cargo check`.
    pub compile: Compile,
}

impl Row {
    /// Whether the crate compiled (with or without warnings).
    pub fn compiles(&self) -> bool {
        matches!(self.compile, Compile::Checked { ok: true, .. })
    }

    /// Whether the crate compiled without a single warning.
    pub fn compiles_clean(&self) -> bool {
        matches!(&self.compile, Compile::Checked { ok: true, warnings, .. } if warnings.is_empty())
    }
}

/// A whole run.
#[derive(Debug, Clone)]
pub struct Report {
    /// One per spec, in file-name order.
    pub rows: Vec<Row>,
    /// Whether `cargo check` ran.
    pub compiled: bool,
    /// Wall time of the whole run.
    pub elapsed: Duration,
}

impl Report {
    /// `generated 12/12, compiling 11/12 (10 without warnings) in 21m04s`.
    pub fn summary(&self) -> String {
        let total = self.rows.len();
        let generated = self.rows.iter().filter(|r| r.generated.is_ok()).count();
        let compile = if self.compiled {
            let compiling = self.rows.iter().filter(|r| r.compiles()).count();
            let clean = self.rows.iter().filter(|r| r.compiles_clean()).count();
            format!("compiling {compiling}/{total} ({clean} without warnings)")
        } else {
            "compiling not checked (--no-compile)".to_owned()
        };
        format!(
            "generated {generated}/{total}, {compile} in {}",
            duration(self.elapsed)
        )
    }

    /// The aligned Markdown table.
    pub fn table(&self) -> String {
        let header = [
            "spec",
            "OpenAPI",
            "operations",
            "schemas",
            "generated",
            "lines",
            "gen ms",
            "gen+fmt ms",
            "compiles",
            "warnings",
            "check",
        ];
        let rows: Vec<Vec<String>> = self.rows.iter().map(cells).collect();
        let numeric = [
            false, false, true, true, false, true, true, true, false, true, true,
        ];
        markdown_table(&header, &rows, &numeric)
    }

    /// Per spec with anything to say: the error in full, the compiler's warnings (up to five),
    /// then the generator's own warnings (up to three).
    pub fn details(&self) -> String {
        const WARNINGS: usize = 5;
        const GENERATOR: usize = 3;
        let mut out = String::new();
        for row in &self.rows {
            let mut lines = Vec::new();
            match &row.compile {
                Compile::Checked {
                    first_error,
                    warnings,
                    ..
                } => {
                    if let Some(e) = first_error {
                        lines.push(format!("first error: `{}`", code(e)));
                    }
                    for w in warnings.iter().take(WARNINGS) {
                        lines.push(format!("warning: `{}`", code(w)));
                    }
                    if warnings.len() > WARNINGS {
                        lines.push(format!(
                            "... and {} more warnings",
                            warnings.len() - WARNINGS
                        ));
                    }
                }
                Compile::Failed(e) => lines.push(format!("cargo check: `{}`", code(e))),
                Compile::Skipped | Compile::NotGenerated => {}
            }
            match &row.generated {
                Err(e) => lines.push(format!("generation failed: `{}`", code(e))),
                Ok(info) => {
                    for w in info.warnings.iter().take(GENERATOR) {
                        lines.push(format!("generator warning: `{}`", code(w)));
                    }
                    if info.warnings.len() > GENERATOR {
                        lines.push(format!(
                            "... and {} more generator warnings",
                            info.warnings.len() - GENERATOR
                        ));
                    }
                }
            }
            for line in lines {
                let _ = writeln!(out, "- {}: {line}", row.spec);
            }
        }
        out
    }

    /// The contents of `CORPUS.md`.
    pub fn markdown(&self, date: &str, machine: &str, options: &Options) -> String {
        let mut flags = String::new();
        if options.lenient {
            flags.push_str(" --lenient");
        }
        if !options.compile {
            flags.push_str(" --no-compile");
        }
        let mut out = String::new();
        out.push_str("# Corpus: forge on real-world specs\n\n");
        let _ = writeln!(
            out,
            "Written by `cargo xtask corpus{flags}` on {date}: every spec in `{}/` (sources in its \
             `SOURCES.md`) generated into `{OUT}/<spec>/` and checked with `cargo check` \
             (shared `CARGO_TARGET_DIR={TARGET}`). Rerun the command to refresh this file; \
             `--only NAME,...` runs a subset without touching it.\n",
            SPECS.join("/` and `")
        );
        let _ = writeln!(out, "Machine: {machine}.\n");
        out.push_str(&self.table());
        let _ = writeln!(out, "\n{}\n", self.summary());
        out.push_str(
            "Columns: *operations* and *schemas* are counted in the document (`paths`, \
             `components/schemas`); *lines* are the generated `src/` after rustfmt; *gen ms* is \
             the in-process `codegen::generate` call (parse, lower, emit, prettyplease), *gen+fmt ms* \
             adds xtask's rustfmt pass; *compiles* is `cargo check` of the crate, *warnings* counts \
             the warnings in the crate's own files (its dependencies excluded), *check* is the \
             `cargo check` wall time (dependencies included for the first crate).\n",
        );
        let details = self.details();
        if !details.is_empty() {
            out.push_str("\n## Errors and warnings\n\n");
            out.push_str(&details);
        }
        out
    }
}

/// The table cells of one row.
pub(super) fn cells(row: &Row) -> Vec<String> {
    let dash = || "-".to_owned();
    let count = |n: Option<usize>| n.map_or_else(dash, thousands);
    let mut operations = count(row.facts.operations);
    let (generated, lines, gen, gen_fmt) = match &row.generated {
        Ok(info) => {
            if row.facts.operations.is_some_and(|n| n != info.operations) {
                operations = format!("{operations} ({} generated)", thousands(info.operations));
            }
            let generated = match info.warnings.len() {
                0 => "yes".to_owned(),
                1 => "yes, 1 warning".to_owned(),
                n => format!("yes, {n} warnings"),
            };
            (
                generated,
                thousands(info.lines),
                thousands(info.gen.as_millis() as usize),
                thousands((info.gen + info.fmt).as_millis() as usize),
            )
        }
        Err(e) => (format!("error: {}", cell_text(e)), dash(), dash(), dash()),
    };
    let (compiles, warnings, check) = match &row.compile {
        Compile::Skipped => ("skipped".to_owned(), dash(), dash()),
        Compile::NotGenerated => (dash(), dash(), dash()),
        Compile::Failed(e) => (format!("error: {}", cell_text(e)), dash(), dash()),
        Compile::Checked {
            ok,
            first_error,
            warnings,
            elapsed,
        } => (
            match (ok, first_error) {
                (true, _) => "yes".to_owned(),
                (false, Some(e)) => format!("no: {}", cell_text(without_location(e))),
                (false, None) => "no".to_owned(),
            },
            warnings.len().to_string(),
            duration(*elapsed),
        ),
    };
    vec![
        row.spec.clone(),
        row.facts.openapi.clone().unwrap_or_else(dash),
        operations,
        count(row.facts.schemas),
        generated,
        lines,
        gen,
        gen_fmt,
        compiles,
        warnings,
        check,
    ]
}

/// A compiler message without its `src/x.rs:1:2: ` prefix (the details section keeps it).
fn without_location(line: &str) -> &str {
    match located(line) {
        Some((_, rest)) => rest,
        None => line,
    }
}

/// One line of text made safe for a table cell: `|` escaped, long text shortened.
pub fn cell_text(text: &str) -> String {
    const MAX: usize = 70;
    let first = text.lines().next().unwrap_or("").trim();
    let short: String = if first.chars().count() > MAX {
        let mut s: String = first.chars().take(MAX - 1).collect();
        s.push('…');
        s
    } else {
        first.to_owned()
    };
    short.replace('|', "\\|")
}

/// Text for a Markdown code span: one line, no backticks.
fn code(text: &str) -> String {
    text.lines().next().unwrap_or("").trim().replace('`', "'")
}
