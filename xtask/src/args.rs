//! The command line, parsed by hand: a handful of commands and flags do not justify compiling clap
//! on every fresh checkout. Errors name the flag at fault (`--spec needs a value`).

/// The usage text, printed by `cargo xtask help` and after an unknown command.
pub const USAGE: &str = "\
cargo xtask: automation for the forge OpenAPI client generator

Usage:
  cargo xtask generate     regenerate generated/src from spec/forge.yaml
  cargo xtask check        compare generated/src with the spec, print a diff if stale, write nothing
  cargo xtask generate --spec PATH --out DIR [--name CRATE] [--settings FILE] [--lenient]
                           generate a standalone crate (DIR/Cargo.toml, DIR/src/) for any spec
  cargo xtask corpus [--only NAME[,NAME]] [--no-compile] [--lenient]
                           generate every spec in ../shared/specs/real into target/corpus/, cargo
                           check each crate, print a table (a full run also writes CORPUS.md)
  cargo xtask fixtures [--check]
                           regenerate the golden crates golden/ from codegen/tests/fixtures/
                           (--check: print the diff if stale, write nothing)
  cargo xtask bench [--quick]
                           benchmarks against their floors (generation, client, streaming,
                           build cost), built in release mode; writes BENCHMARKS.md
                           (--quick: the CI subset, under a minute once built)
  cargo xtask help         show this text

Options for a standalone crate:
  --spec PATH        the OpenAPI 3.0/3.1 spec, JSON or YAML
  --out DIR          the crate folder, created or replaced as a whole
  --name CRATE       the package name (default: from --settings, else the spec's file name)
  --settings FILE    generator settings, in the format of spec/forge.yaml
  --lenient          skip operations using unsupported constructs, with a warning

Exit status: 0 done, 1 failed (or generated/ is stale), 2 bad command line.
";

/// A parsed command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `help`, `--help`, `-h`, or no arguments at all.
    Help,
    /// `generate` with no options: the workspace's own `generated/` crate.
    GenerateWorkspace,
    /// `generate --spec PATH --out DIR ...`: a standalone crate.
    GenerateStandalone(Standalone),
    /// `check`.
    Check,
    /// `corpus [--only NAME[,NAME]] [--no-compile] [--lenient]`.
    Corpus(crate::corpus::Options),
    /// `bench [--quick]`.
    Bench(crate::bench::Options),
    /// `fixtures [--check]`; `true` for `--check`.
    Fixtures {
        /// Compare only, write nothing.
        check: bool,
    },
}

/// Options of `generate --spec PATH --out DIR`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Standalone {
    /// The spec file, exactly as given (it is also the spec's name in errors and headers).
    pub spec: String,
    /// The crate folder, as given.
    pub out: String,
    /// `--name`.
    pub name: Option<String>,
    /// `--settings`.
    pub settings: Option<String>,
    /// `--lenient`.
    pub lenient: bool,
}

/// A command line that could not be understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError {
    /// What is wrong, e.g. "--spec needs a value".
    pub message: String,
    /// Whether to follow the message with the whole usage text (for an unknown command) rather
    /// than a pointer to `cargo xtask help`.
    pub show_usage: bool,
}

impl UsageError {
    fn new(message: impl Into<String>) -> Self {
        UsageError {
            message: message.into(),
            show_usage: false,
        }
    }
}

/// Parses the arguments after the program name.
pub fn parse<I, S>(args: I) -> Result<Command, UsageError>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    let mut args = args.into_iter().map(Into::into);
    let Some(command) = args.next() else {
        return Ok(Command::Help);
    };
    let rest: Vec<String> = args.collect();
    match command.as_str() {
        "help" | "--help" | "-h" => Ok(Command::Help),
        "check" => parse_check(&rest),
        "generate" => parse_generate(&rest),
        "corpus" => parse_corpus(&rest),
        "fixtures" => parse_fixtures(&rest),
        "bench" => match crate::bench::parse_args(&rest) {
            Ok(Some(options)) => Ok(Command::Bench(options)),
            Ok(None) => Ok(Command::Help),
            Err(message) => Err(UsageError::new(message)),
        },
        other => Err(UsageError {
            message: format!("unknown command `{other}`"),
            show_usage: true,
        }),
    }
}

fn parse_check(rest: &[String]) -> Result<Command, UsageError> {
    match rest.first().map(String::as_str) {
        None => Ok(Command::Check),
        Some("--help" | "-h") => Ok(Command::Help),
        Some(other) => Err(UsageError::new(format!(
            "`check` takes no arguments, got `{other}`"
        ))),
    }
}

fn parse_corpus(rest: &[String]) -> Result<Command, UsageError> {
    let mut options = crate::corpus::Options::default();
    let mut iter = rest.iter();
    while let Some(arg) = iter.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_owned())),
            _ => (arg.as_str(), None),
        };
        match flag {
            "--help" | "-h" => return Ok(Command::Help),
            "--no-compile" | "--lenient" if inline.is_some() => {
                return Err(UsageError::new(format!("{flag} takes no value")))
            }
            "--no-compile" => options.compile = false,
            "--lenient" => options.lenient = true,
            "--only" => {
                let value = match inline {
                    Some(v) => v,
                    None => match iter.next() {
                        Some(v) if !v.starts_with("--") => v.clone(),
                        _ => return Err(UsageError::new("--only needs a value")),
                    },
                };
                let names: Vec<String> = value
                    .split(',')
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .map(str::to_owned)
                    .collect();
                if names.is_empty() {
                    return Err(UsageError::new("--only needs a value"));
                }
                options.only.extend(names);
            }
            other if other.starts_with('-') => {
                return Err(UsageError::new(format!(
                    "unknown option `{other}` for `corpus`"
                )))
            }
            other => {
                return Err(UsageError::new(format!(
                    "unexpected argument `{other}` for `corpus`"
                )))
            }
        }
    }
    Ok(Command::Corpus(options))
}

fn parse_fixtures(rest: &[String]) -> Result<Command, UsageError> {
    match rest {
        [] => Ok(Command::Fixtures { check: false }),
        [flag] if flag == "--check" => Ok(Command::Fixtures { check: true }),
        [flag, ..] if flag == "--help" || flag == "-h" => Ok(Command::Help),
        [other, ..] => Err(UsageError::new(format!(
            "`fixtures` takes only --check, got `{other}`"
        ))),
    }
}

fn parse_generate(rest: &[String]) -> Result<Command, UsageError> {
    let mut opts = Standalone::default();
    let (mut spec, mut out) = (None, None);
    let mut any_option = false;
    let mut iter = rest.iter();
    while let Some(arg) = iter.next() {
        // `--flag=value` and `--flag value` are both accepted.
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_owned())),
            _ => (arg.as_str(), None),
        };
        let slot = match flag {
            "--help" | "-h" => return Ok(Command::Help),
            "--lenient" => {
                if inline.is_some() {
                    return Err(UsageError::new("--lenient takes no value"));
                }
                if opts.lenient {
                    return Err(UsageError::new("--lenient given twice"));
                }
                opts.lenient = true;
                any_option = true;
                continue;
            }
            "--spec" => &mut spec,
            "--out" => &mut out,
            "--name" => &mut opts.name,
            "--settings" => &mut opts.settings,
            other if other.starts_with('-') => {
                return Err(UsageError::new(format!(
                    "unknown option `{other}` for `generate`"
                )))
            }
            other => {
                return Err(UsageError::new(format!(
                    "unexpected argument `{other}` for `generate`"
                )))
            }
        };
        let value = match inline {
            Some(v) => v,
            None => match iter.next() {
                Some(v) if !v.starts_with("--") => v.clone(),
                _ => return Err(UsageError::new(format!("{flag} needs a value"))),
            },
        };
        if value.is_empty() {
            return Err(UsageError::new(format!("{flag} needs a value")));
        }
        if slot.is_some() {
            return Err(UsageError::new(format!("{flag} given twice")));
        }
        *slot = Some(value);
        any_option = true;
    }
    if !any_option {
        return Ok(Command::GenerateWorkspace);
    }
    match (spec, out) {
        (Some(spec), Some(out)) => Ok(Command::GenerateStandalone(Standalone { spec, out, ..opts })),
        (Some(_), None) => Err(UsageError::new("--spec needs --out DIR: where to put the crate")),
        (None, Some(_)) => Err(UsageError::new("--out needs --spec PATH: the spec to generate from")),
        (None, None) => Err(UsageError::new(
            "--name, --settings and --lenient are for a standalone crate: give --spec PATH and --out DIR too",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(args: &[&str]) -> String {
        parse(args.iter().copied()).unwrap_err().message
    }

    #[test]
    fn commands() {
        assert_eq!(parse(Vec::<String>::new()), Ok(Command::Help));
        assert_eq!(parse(["help"]), Ok(Command::Help));
        assert_eq!(parse(["--help"]), Ok(Command::Help));
        assert_eq!(parse(["generate", "--help"]), Ok(Command::Help));
        assert_eq!(parse(["check"]), Ok(Command::Check));
        assert_eq!(parse(["generate"]), Ok(Command::GenerateWorkspace));
        let unknown = parse(["frobnicate"]).unwrap_err();
        assert_eq!(unknown.message, "unknown command `frobnicate`");
        assert!(unknown.show_usage);
    }

    #[test]
    fn standalone() {
        let parsed = parse([
            "generate",
            "--spec",
            "a.yaml",
            "--out=x",
            "--name",
            "n",
            "--lenient",
            "--settings",
            "s.yaml",
        ]);
        assert_eq!(
            parsed,
            Ok(Command::GenerateStandalone(Standalone {
                spec: "a.yaml".into(),
                out: "x".into(),
                name: Some("n".into()),
                settings: Some("s.yaml".into()),
                lenient: true,
            }))
        );
    }

    #[test]
    fn errors_name_the_flag() {
        assert_eq!(err(&["generate", "--spec"]), "--spec needs a value");
        assert_eq!(
            err(&["generate", "--spec", "--out", "x"]),
            "--spec needs a value"
        );
        assert_eq!(err(&["generate", "--spec="]), "--spec needs a value");
        assert_eq!(
            err(&["generate", "--spec", "a", "--spec", "b"]),
            "--spec given twice"
        );
        assert_eq!(
            err(&["generate", "--spec", "a"]),
            "--spec needs --out DIR: where to put the crate"
        );
        assert_eq!(
            err(&["generate", "--out", "a"]),
            "--out needs --spec PATH: the spec to generate from"
        );
        assert!(err(&["generate", "--lenient"]).contains("give --spec PATH and --out DIR"));
        assert_eq!(
            err(&["generate", "--frob"]),
            "unknown option `--frob` for `generate`"
        );
        assert_eq!(
            err(&["generate", "x"]),
            "unexpected argument `x` for `generate`"
        );
        assert_eq!(err(&["check", "x"]), "`check` takes no arguments, got `x`");
        assert!(!parse(["generate", "--frob"]).unwrap_err().show_usage);
    }

    #[test]
    fn corpus_and_fixtures() {
        use crate::corpus::Options;
        assert_eq!(parse(["corpus"]), Ok(Command::Corpus(Options::default())));
        assert_eq!(
            parse([
                "corpus",
                "--only",
                "petstore,keeper",
                "--no-compile",
                "--only=uspto",
                "--lenient"
            ]),
            Ok(Command::Corpus(Options {
                only: vec!["petstore".into(), "keeper".into(), "uspto".into()],
                compile: false,
                lenient: true,
            }))
        );
        assert_eq!(err(&["corpus", "--only"]), "--only needs a value");
        assert_eq!(err(&["corpus", "--only", ","]), "--only needs a value");
        assert_eq!(
            err(&["corpus", "--no-compile=1"]),
            "--no-compile takes no value"
        );
        assert_eq!(
            err(&["corpus", "x"]),
            "unexpected argument `x` for `corpus`"
        );
        assert_eq!(parse(["fixtures"]), Ok(Command::Fixtures { check: false }));
        assert_eq!(
            parse(["fixtures", "--check"]),
            Ok(Command::Fixtures { check: true })
        );
        assert_eq!(parse(["fixtures", "--help"]), Ok(Command::Help));
        assert_eq!(
            err(&["fixtures", "x"]),
            "`fixtures` takes only --check, got `x`"
        );
    }
}
