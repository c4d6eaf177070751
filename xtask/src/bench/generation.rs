//! Generation speed: for the project's spec and every spec in `../shared/specs/real`, the
//! generator in-process (`codegen::generate`: parse, IR, emit, prettyplease) and the whole
//! `xtask generate --spec X --out DIR` process (generation, then the crate written to disk; no rustfmt), against the floor:
//! parsing the same text into a `serde_json::Value` (JSON) or a `yaml_rust2` document (YAML).

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use codegen::{Input, Settings};

use super::measure;
use crate::workspace;
use forge::crate_name;
use forge::job::Job;
use forge::Error;

/// The folder of real-world specs, relative to the workspace root.
pub const REAL_SPECS: &str = "../shared/specs/real";
/// Where the `generate` processes write, relative to the workspace root.
const OUT: &str = "target/bench/generate";
/// `--quick` only runs specs smaller than this.
const QUICK_MAX_BYTES: u64 = 100_000;

/// One spec to generate from.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The spec's path relative to the workspace root, with `/` (the processes run there).
    pub path: String,
    /// Its file name, for the table.
    pub file_name: String,
    /// Its size.
    pub bytes: u64,
    /// The settings file for the project's own spec (`spec/forge.yaml`).
    pub settings: Option<String>,
}

/// What was measured for one spec. Times are medians in seconds.
#[derive(Debug, Clone)]
pub struct Result {
    /// The spec.
    pub spec: Spec,
    /// Runs per median (samples for the in-process figures, processes for `process`).
    pub runs: usize,
    /// Parsing the text into a value: the floor.
    pub floor: f64,
    /// `codegen::generate` in-process.
    pub in_process: Option<f64>,
    /// The whole `generate` process (start-up, generation, writing the crate).
    pub process: Option<f64>,
    /// Where the in-process time goes, for the specs the process target applies to.
    pub split: Option<Split>,
    /// Peak RSS of the `generate` process, KiB, the largest over its runs.
    pub peak_kib: Option<u64>,
    /// Generated lines.
    pub lines: usize,
    /// Entries of the spec's `components/schemas`.
    pub schemas: Option<usize>,
    /// Whether `--lenient` was needed (the strict run failed).
    pub lenient: bool,
    /// Why generation failed, if it did even leniently.
    pub error: Option<String>,
}

/// The two halves of [`codegen::generate`], each a median in seconds.
#[derive(Debug, Clone, Copy)]
pub struct Split {
    /// `codegen::lower`: the text parsed, read into the typed model and lowered to the IR.
    pub lower: f64,
    /// `codegen::format::render` of the IR's plan: tokens emitted, parsed by `syn` and printed
    /// by prettyplease, on every core.
    pub render: f64,
}

impl Result {
    /// In-process generation over the floor.
    pub fn ratio(&self) -> Option<f64> {
        self.in_process.map(|t| t / self.floor)
    }

    /// The whole process over the floor.
    pub fn process_ratio(&self) -> Option<f64> {
        self.process.map(|t| t / self.floor)
    }
}

/// The project's spec first, then the real-world specs from the smallest to the largest;
/// `quick` keeps the small ones only.
pub fn specs(root: &Path, quick: bool) -> std::result::Result<Vec<Spec>, Error> {
    let job = Job::from_settings(root, workspace::SETTINGS)?;
    let mut specs = vec![Spec {
        file_name: file_name(&job.spec_name),
        bytes: job.spec_text.len() as u64,
        path: job.spec_name,
        settings: Some(workspace::SETTINGS.to_owned()),
    }];
    let dir = workspace::join(root, REAL_SPECS);
    let entries = fs::read_dir(&dir).map_err(Error::io(format!("cannot read {REAL_SPECS}")))?;
    let mut real = Vec::new();
    for entry in entries {
        let entry = entry.map_err(Error::io(format!("cannot read {REAL_SPECS}")))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_spec = [".json", ".yaml", ".yml"].iter().any(|e| name.ends_with(e));
        if !is_spec {
            continue;
        }
        let bytes = entry.metadata().map(|m| m.len()).unwrap_or(0);
        if quick && bytes >= QUICK_MAX_BYTES {
            continue;
        }
        real.push(Spec {
            path: format!("{REAL_SPECS}/{name}"),
            file_name: name,
            bytes,
            settings: None,
        });
    }
    real.sort_by(|a, b| (a.bytes, &a.file_name).cmp(&(b.bytes, &b.file_name)));
    specs.extend(real);
    Ok(specs)
}

fn file_name(path: &str) -> String {
    path.rsplit('/').next().unwrap_or(path).to_owned()
}

/// The floor: the text into a generic value, as `serde_json` or `yaml_rust2` reads it.
fn parse_floor(path: &str, text: &str) -> std::result::Result<(), String> {
    if path.ends_with(".json") {
        serde_json::from_str::<serde_json::Value>(text)
            .map(drop)
            .map_err(|e| e.to_string())
    } else {
        yaml_rust2::YamlLoader::load_from_str(text)
            .map(drop)
            .map_err(|e| e.to_string())
    }
}

/// Measures one spec: [`runs`] samples in-process and as many processes, each a median.
pub fn measure(
    root: &Path,
    exe: &Path,
    spec: &Spec,
    quick: bool,
    progress: &mut dyn FnMut(&str),
) -> std::result::Result<Result, Error> {
    let text = fs::read_to_string(workspace::join(root, &spec.path))
        .map_err(Error::io(format!("cannot read {}", spec.path)))?;
    let settings = match &spec.settings {
        Some(_) => Job::from_settings(root, workspace::SETTINGS)?.settings,
        None => Settings::for_crate(&crate_name::derive(Path::new(&spec.path))),
    };
    let mut result = Result {
        spec: spec.clone(),
        runs: 0,
        floor: f64::NAN,
        in_process: None,
        process: None,
        split: None,
        peak_kib: None,
        lines: 0,
        schemas: codegen::parse::load(&spec.path, &text)
            .ok()
            .and_then(|doc| {
                doc.pointer("/components/schemas")
                    .and_then(serde_json::Value::as_object)
                    .map(serde_json::Map::len)
            }),
        lenient: false,
        error: None,
    };
    if let Err(e) = parse_floor(&spec.path, &text) {
        result.error = Some(format!("the floor parser refuses it: {e}"));
        return Ok(result);
    }
    let input = |lenient| Input {
        spec_name: &spec.path,
        spec_text: &text,
        settings: settings.clone(),
        lenient,
        overlays: Vec::new(),
        modules: Vec::new(),
        runtime: codegen::RuntimeMode::Crate,
    };
    // Strict if the spec allows it, else lenient (as `--lenient` would). This first run is
    // also the warm-up, and its time decides how many runs to take.
    let mut started = Instant::now();
    let generated = match codegen::generate(&input(false)) {
        Ok(g) => Ok(g),
        Err(_) => {
            result.lenient = true;
            started = Instant::now();
            codegen::generate(&input(true))
        }
    };
    let trial = started.elapsed().as_secs_f64();
    let runs = runs(quick, trial);
    result.runs = runs;
    match generated {
        Ok(g) => result.lines = g.stats.lines,
        Err(e) => {
            result.error = Some(first_line(&e.to_string()));
            return Ok(result);
        }
    }
    let lenient = result.lenient;
    result.floor = measure::median_secs(runs, None, || parse_floor(&spec.path, &text));
    result.in_process = Some(measure::median_secs(runs, Some(trial), || {
        codegen::generate(&input(lenient))
    }));
    progress(&format!(
        "  {:<28} parse {:>9}  in-process {:>9}  ({})",
        spec.file_name,
        measure::secs(result.floor),
        measure::secs(result.in_process.unwrap_or(f64::NAN)),
        measure::ratio(result.ratio().unwrap_or(f64::NAN)),
    ));
    if spec.bytes >= super::rows::PROCESS_RATIO_MIN_BYTES {
        result.split = split(&input(lenient), runs);
    }

    let out_dir = format!("{OUT}/{}", crate_name::derive(Path::new(&spec.path)));
    let log = workspace::join(root, &format!("{out_dir}.log"));
    if let Some(parent) = log.parent() {
        fs::create_dir_all(parent).map_err(Error::io(format!("cannot create {OUT}")))?;
    }
    let mut times = Vec::new();
    let mut peak = None::<u64>;
    for _ in 0..runs {
        let mut cmd = Command::new(exe);
        cmd.current_dir(root)
            .args(["generate", "--spec", &spec.path, "--out", &out_dir]);
        if let Some(settings) = &spec.settings {
            cmd.args(["--settings", settings]);
        }
        if lenient {
            cmd.arg("--lenient");
        }
        let log_file =
            fs::File::create(&log).map_err(Error::io(format!("cannot create {out_dir}.log")))?;
        cmd.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log_file);
        let started = Instant::now();
        let child = cmd
            .spawn()
            .map_err(Error::io(format!("cannot run {}", exe.display())))?;
        let (status, elapsed, kib) = measure::wait_with_peak(child, started)
            .map_err(Error::io("cannot wait for `generate`"))?;
        if !status.success() {
            let stderr = fs::read_to_string(&log).unwrap_or_default();
            result.error = Some(format!(
                "`generate` process failed: {}",
                first_line(stderr.trim())
            ));
            return Ok(result);
        }
        times.push(elapsed.as_secs_f64());
        peak = peak.max(kib);
    }
    result.process = Some(measure::median(&times));
    result.peak_kib = peak;
    progress(&format!(
        "  {:<28} process {:>9} ({}), peak RSS {}",
        spec.file_name,
        measure::secs(result.process.unwrap_or(f64::NAN)),
        measure::ratio(result.process_ratio().unwrap_or(f64::NAN)),
        peak.map_or_else(|| "-".to_owned(), |k| measure::bytes(k as f64 * 1024.0)),
    ));
    Ok(result)
}

/// Times lowering and rendering apart, so a report shows which half a target waits on.
fn split(input: &Input<'_>, runs: usize) -> Option<Split> {
    let lowered = codegen::lower(input).ok()?;
    let header = codegen::format::Header::new(input.spec_name, input.spec_text, &input.overlays);
    Some(Split {
        lower: measure::median_secs(runs, None, || codegen::lower(input)),
        render: measure::median_secs(runs, None, || {
            codegen::format::render(&header, &codegen::emit::plan(&lowered.api))
        }),
    })
}

/// How many runs to take a median over: `quick` 3; else 5, or 3 for specs that take more than
/// 1.5 s a run (the largest), to keep the full run within its time budget.
pub fn runs(quick: bool, one_run_secs: f64) -> usize {
    if quick || one_run_secs > 1.5 {
        3
    } else {
        5
    }
}

fn first_line(s: &str) -> String {
    let line = s.lines().next().unwrap_or("").trim();
    if line.chars().count() > 160 {
        let cut: String = line.chars().take(157).collect();
        format!("{cut}...")
    } else {
        line.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_per_size() {
        assert_eq!(runs(true, 0.01), 3);
        assert_eq!(runs(false, 0.01), 5);
        assert_eq!(runs(false, 4.0), 3);
    }

    #[test]
    fn floor_parses_both_formats() {
        assert!(parse_floor("a.json", r#"{"openapi": "3.1.0"}"#).is_ok());
        assert!(parse_floor("a.yaml", "openapi: 3.1.0\n").is_ok());
        assert!(parse_floor("a.json", "{").is_err());
    }

    #[test]
    fn first_line_is_short() {
        assert_eq!(first_line("a\nb"), "a");
        assert_eq!(first_line(&"x".repeat(200)).chars().count(), 160);
    }
}
