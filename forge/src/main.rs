//! `forge`: generate a typed async Rust client crate from an OpenAPI spec, or check that a crate
//! is what its spec produces.

use std::process::ExitCode;

use forge::flags::{self, Flag};
use forge::generate::{RuntimeChoice, Standalone};

const USAGE: &str = "\
forge: a typed async Rust client crate from an OpenAPI 3.0/3.1 spec

Usage:
  forge generate --spec PATH --out DIR [options]   write the crate
  forge check    --spec PATH --out DIR [options]   is DIR what the spec and settings produce?
  forge help                                       show this text

`generate` writes a whole crate: DIR/Cargo.toml, the generated code in DIR/src/ and, by
default, the runtime it calls (forge-runtime, vendored as the module DIR/src/forge_runtime/),
so the crate builds wherever it is copied and can be published as one crate. It prints one
line saying what it wrote. A failed run leaves DIR as it was; DIR/target and DIR/Cargo.lock
are kept.

`check` generates in memory and compares with DIR, writing nothing: it prints \"up to date\"
and exits 0, or prints a unified diff of every changed file, names extra and missing files,
says which `forge generate` command brings DIR up to date, and exits 1. Give it the same
options as the `generate` that made DIR.

Options:
  --spec PATH           the OpenAPI spec, JSON or YAML (3.0 or 3.1). Errors in it are reported
                        with the file, the JSON pointer and the reason.
  --out DIR             the crate folder. Created if missing; replaced as a whole if forge made
                        it before (its Cargo.toml says @generated); any other folder is refused.
  --settings FILE       generator settings, one YAML file: crate name and version, client name,
                        environment variables, auth, default headers, which operations to
                        generate (select), group and method names, overlays applied to the spec
                        first. Every key is optional except `crate`; docs/settings.md in the
                        forge repository describes each one. Unknown keys are refused with
                        their location.
  --name CRATE          the package name (default: `crate` from --settings, else one made from
                        the spec's file name)
  --lenient             accept spec mistakes that have one sensible reading (with a warning) and
                        skip operations that use what forge does not support, instead of failing
  --runtime-path P      do not vendor the runtime: depend on the forge-runtime folder P (a path
                        relative to the working directory; written relative to DIR)
  --runtime-version X   do not vendor the runtime: depend on forge-runtime X from crates.io
  -h, --help            show this text

Examples:
  forge generate --spec petstore.yaml --out petstore
  forge generate --spec api.json --settings forge.yaml --out crates/api-client
  forge check --spec api.json --settings forge.yaml --out crates/api-client

A settings file (every key optional but `crate`):
  crate: acme-client
  version: 0.3.0
  client_name: Acme                 # User-Agent: Acme/Rust 0.3.0
  env: {base_url: ACME_BASE_URL}
  auth:
    ApiKey: {env: ACME_API_KEY}     # securitySchemes key -> the env var from_env reads
  default_headers: {acme-version: \"2024-06-01\"}
  select:                           # only these operations, and the types they reach
    include: [{tag: invoices}, {path: /v1/customers/*}]
    exclude: [{operation: deleteInvoice}]
  names:
    operations: {invoices_post: {group: invoices, method: create}}
  overlays: [fixes.yaml]            # JSON merge patches, relative to this file

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

/// Generation allocates and frees millions of small tokens and strings; mimalloc's thread-local
/// free lists make that about a third of glibc's cost (`cargo xtask bench`, generation section).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
