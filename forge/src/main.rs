//! `forge`: generate a typed async Rust client crate from an OpenAPI spec, or check that a crate
//! is what its spec produces.

use std::process::ExitCode;

use forge::flags::{self, Flag};
use forge::generate::{RuntimeChoice, Standalone};

const USAGE: &str = "\
forge: a typed async Rust client crate from an OpenAPI 3.0/3.1 spec

Usage:
  forge generate --spec PATH --out DIR [options]   write the crate (DIR/Cargo.toml, DIR/src/)
  forge check    --spec PATH --out DIR [options]   is DIR what the spec produces? prints the diff
  forge help                                       show this text

Options:
  --spec PATH              the spec, JSON or YAML
  --out DIR                the crate folder; created, or replaced as a whole (only a folder
                           forge generated before is replaced)
  --settings FILE          generator settings (YAML): crate name, env vars, headers, ...
  --name CRATE             the package name (default: from --settings, else the spec's file name)
  --lenient                read spec mistakes that have one sensible reading, with a warning,
                           and skip operations using unsupported constructs
  --runtime-path P         depend on a local forge-runtime folder
  --runtime-version X      depend on a published forge-runtime version

Exit status: 0 done (or up to date), 1 failed (or stale), 2 bad command line.
";

const FLAGS: &[Flag] = &[
    Flag::Value("--spec"),
    Flag::Value("--out"),
    Flag::Value("--settings"),
    Flag::Value("--name"),
    Flag::Switch("--lenient"),
    Flag::Value("--runtime-path"),
    Flag::Value("--runtime-version"),
];

fn main() -> ExitCode {
    let args: Result<Vec<String>, _> = std::env::args_os()
        .skip(1)
        .map(|a| a.into_string())
        .collect();
    let Ok(args) = args else {
        eprintln!("error: arguments must be valid UTF-8");
        return ExitCode::from(2);
    };
    let Some((command, rest)) = args.split_first() else {
        print!("{USAGE}");
        return ExitCode::SUCCESS;
    };
    match command.as_str() {
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        "generate" | "check" => match standalone(command, rest) {
            Ok(None) => {
                print!("{USAGE}");
                ExitCode::SUCCESS
            }
            Ok(Some(options)) if command == "generate" => generate(&options),
            Ok(Some(options)) => check(&options),
            Err(message) => usage_error(&message),
        },
        other => usage_error(&format!("unknown command `{other}`")),
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}\nrun `forge help` for usage");
    ExitCode::from(2)
}

/// The options of `generate` and `check`; `None` for `--help`.
fn standalone(command: &str, rest: &[String]) -> Result<Option<Standalone>, String> {
    let parsed = flags::parse(command, rest, FLAGS)?;
    if parsed.help {
        return Ok(None);
    }
    let spec = parsed
        .value("--spec")
        .ok_or("--spec PATH is needed: the spec to generate from")?;
    let out = parsed
        .value("--out")
        .ok_or("--out DIR is needed: where the crate goes")?;
    let runtime = match (
        parsed.value("--runtime-path"),
        parsed.value("--runtime-version"),
    ) {
        (Some(_), Some(_)) => {
            return Err("--runtime-path and --runtime-version are alternatives: give one".into())
        }
        (Some(path), None) => RuntimeChoice::Path(path.to_owned()),
        (None, Some(version)) => RuntimeChoice::Version(version.to_owned()),
        (None, None) => RuntimeChoice::Vendored,
    };
    Ok(Some(Standalone {
        spec: spec.to_owned(),
        out: out.to_owned(),
        name: parsed.value("--name").map(str::to_owned),
        settings: parsed.value("--settings").map(str::to_owned),
        lenient: parsed.switch("--lenient"),
        runtime,
    }))
}

fn generate(options: &Standalone) -> ExitCode {
    match forge::generate::standalone(options) {
        Ok(outcome) => {
            println!("{}", outcome.summary());
            for warning in &outcome.warnings {
                println!("warning: {warning}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn check(options: &Standalone) -> ExitCode {
    match forge::check::standalone(options) {
        Ok(comparison) => {
            print!("{}", comparison.report());
            if comparison.is_up_to_date() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
