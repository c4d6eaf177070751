//! The commands and their flags, in the one convention of [`forge::flags`]: `--flag value` or
//! `--flag=value`, bare switches, errors that name the flag at fault.

use forge::flags::{self, Flag};
use forge::generate::{RuntimeChoice, Standalone};

/// The usage text, printed by `cargo xtask help` and after an unknown command.
pub const USAGE: &str = "\
cargo xtask: automation for the forge OpenAPI client generator

Usage:
  cargo xtask generate     regenerate the checked-in crates' src/ from their settings in spec/
  cargo xtask check        compare the checked-in crates with their specs, print a diff if stale,
                           write nothing
  cargo xtask generate --spec PATH --out DIR [--name CRATE] [--settings FILE] [--lenient]
                           a standalone crate for any spec (what `forge generate` does)
  cargo xtask corpus [--only NAME[,NAME]] [--specs DIR] [--no-compile] [--lenient]
                           generate every spec in ../shared/specs/real and ../shared/specs/guru
                           (or DIR) into target/corpus/, cargo check each crate, print a table
                           (a full run also writes CORPUS.md)
  cargo xtask conformance [--only NAME[,NAME]] [--specs DIR] [--seed N] [--release] [--lenient] [--record] [--resume] [--report]
                           every spec's client on the wire: generate it and a driver crate, build
                           both, start Prism (installed from conformance/package-lock.json on
                           first use) on the spec, round-trip samples of every type and call every
                           operation; a full run writes CONFORMANCE.md and the baseline, a subset
                           fails when something in the baseline regresses
                           (--record: merge the subset into the baseline instead; --resume:
                           reuse the result files of an earlier, cut-short run; --report: run
                           nothing, rewrite the report from the result files on disk)
  cargo xtask fixtures [--check]
                           regenerate the golden crates golden/ from codegen/tests/fixtures/
                           (--check: print the diff if stale, write nothing)
  cargo xtask bench [--quick] [--only SECTION[,SECTION]]
                           benchmarks against their floors (generation, client, streaming,
                           build cost, compile time of large crates, Microsoft Graph,
                           progenitor), built in release mode; writes BENCHMARKS.md
                           (--quick: the CI subset, under a minute once built; --only: some
                           of generation, client, build, compile, graph, progenitor, into
                           target/bench/BENCHMARKS-only.md)
  cargo xtask help         show this text

Options for a standalone crate:
  --spec PATH        the OpenAPI 3.0/3.1 spec, JSON or YAML
  --out DIR          the crate folder, created or replaced as a whole
  --name CRATE       the package name (default: from --settings, else the spec's file name)
  --settings FILE    generator settings, in the format of spec/forge.yaml
  --lenient          read spec mistakes with one sensible reading, with a warning

Exit status: 0 done, 1 failed (or a checked-in crate is stale), 2 bad command line.
";

/// A parsed command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `help`, `--help`, `-h`, or no arguments at all.
    Help,
    /// `generate` with no options: the checked-in crates.
    GenerateWorkspace,
    /// `generate --spec PATH --out DIR ...`: a standalone crate.
    GenerateStandalone(Standalone),
    /// `check`.
    Check,
    /// `corpus ...`.
    Corpus(crate::corpus::Options),
    /// `conformance ...`.
    Conformance(crate::conformance::Options),
    /// `bench [--quick] [--only SECTION,...]`.
    Bench(crate::bench::Options),
    /// `fixtures [--check]`; `true` for `--check`.
    Fixtures {
        /// Compare only, write nothing.
        check: bool,
    },
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

impl From<String> for UsageError {
    fn from(message: String) -> Self {
        UsageError {
            message,
            show_usage: false,
        }
    }
}

impl From<&str> for UsageError {
    fn from(message: &str) -> Self {
        UsageError::from(message.to_owned())
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
    let parse = |accepted: &[Flag]| flags::parse(&command, &rest, accepted);
    let command = match command.as_str() {
        "help" | "--help" | "-h" => return Ok(Command::Help),
        "check" => {
            let p = parse(&[])?;
            if p.help {
                return Ok(Command::Help);
            }
            Command::Check
        }
        "generate" => {
            let p = parse(&[
                Flag::Value("--spec"),
                Flag::Value("--out"),
                Flag::Value("--name"),
                Flag::Value("--settings"),
                Flag::Switch("--lenient"),
            ])?;
            if p.help {
                return Ok(Command::Help);
            }
            if p.is_empty() {
                return Ok(Command::GenerateWorkspace);
            }
            match (p.value("--spec"), p.value("--out")) {
                (Some(spec), Some(out)) => Command::GenerateStandalone(Standalone {
                    spec: spec.to_owned(),
                    out: out.to_owned(),
                    name: p.value("--name").map(str::to_owned),
                    settings: p.value("--settings").map(str::to_owned),
                    lenient: p.switch("--lenient"),
                    // Replaced by the workspace's runtime, by path, once the root is known.
                    runtime: RuntimeChoice::Vendored,
                }),
                (Some(_), None) => return Err("--spec needs --out DIR: where to put the crate".into()),
                (None, Some(_)) => {
                    return Err("--out needs --spec PATH: the spec to generate from".into())
                }
                (None, None) => {
                    return Err("--name, --settings and --lenient are for a standalone crate: give --spec PATH and --out DIR too".into())
                }
            }
        }
        "corpus" => {
            let p = parse(&[
                Flag::List("--only"),
                Flag::Value("--specs"),
                Flag::Switch("--no-compile"),
                Flag::Switch("--lenient"),
            ])?;
            if p.help {
                return Ok(Command::Help);
            }
            Command::Corpus(crate::corpus::Options {
                only: p.list("--only").to_vec(),
                specs: p.value("--specs").map(str::to_owned),
                compile: !p.switch("--no-compile"),
                lenient: p.switch("--lenient"),
            })
        }
        "conformance" => {
            let p = parse(&[
                Flag::List("--only"),
                Flag::Value("--specs"),
                Flag::Value("--seed"),
                Flag::Switch("--release"),
                Flag::Switch("--lenient"),
                Flag::Switch("--record"),
                Flag::Switch("--resume"),
                Flag::Switch("--report"),
            ])?;
            if p.help {
                return Ok(Command::Help);
            }
            let seed = match p.value("--seed") {
                None => crate::conformance::DEFAULT_SEED,
                Some(s) => s
                    .parse()
                    .map_err(|_| format!("--seed takes a whole number, not `{s}`"))?,
            };
            Command::Conformance(crate::conformance::Options {
                only: p.list("--only").to_vec(),
                specs: p.value("--specs").map(str::to_owned),
                seed,
                release: p.switch("--release"),
                lenient: p.switch("--lenient"),
                record: p.switch("--record"),
                resume: p.switch("--resume"),
                report_only: p.switch("--report"),
            })
        }
        "fixtures" => {
            let p = parse(&[Flag::Switch("--check")])?;
            if p.help {
                return Ok(Command::Help);
            }
            Command::Fixtures {
                check: p.switch("--check"),
            }
        }
        "bench" => {
            let p = parse(&[Flag::Switch("--quick"), Flag::List("--only")])?;
            if p.help {
                return Ok(Command::Help);
            }
            let mut only = Vec::new();
            crate::bench::add_sections(&mut only, p.list("--only")).map_err(|message| {
                UsageError {
                    message,
                    show_usage: false,
                }
            })?;
            Command::Bench(crate::bench::Options {
                quick: p.switch("--quick"),
                only,
            })
        }
        other => {
            return Err(UsageError {
                message: format!("unknown command `{other}`"),
                show_usage: true,
            })
        }
    };
    Ok(command)
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
        assert_eq!(parse(["generate", "--help"]), Ok(Command::Help));
        assert_eq!(parse(["check"]), Ok(Command::Check));
        assert_eq!(parse(["generate"]), Ok(Command::GenerateWorkspace));
        let unknown = parse(["frobnicate"]).unwrap_err();
        assert_eq!(unknown.message, "unknown command `frobnicate`");
        assert!(unknown.show_usage);
    }

    #[test]
    fn standalone_needs_spec_and_out() {
        assert_eq!(
            err(&["generate", "--spec", "a"]),
            "--spec needs --out DIR: where to put the crate"
        );
        assert!(err(&["generate", "--lenient"]).contains("give --spec PATH and --out DIR"));
        assert_eq!(err(&["check", "x"]), "unexpected argument `x` for `check`");
    }

    #[test]
    fn conformance_options() {
        let Ok(Command::Conformance(o)) = parse(["conformance", "--only=a", "--seed", "7"]) else {
            panic!("not conformance")
        };
        assert_eq!(
            (o.only.as_slice(), o.seed, o.release),
            (&["a".to_owned()][..], 7, false)
        );
        assert!(err(&["conformance", "--seed", "x"]).contains("whole number"));
    }

    #[test]
    fn corpus_options() {
        let Ok(Command::Corpus(o)) =
            parse(["corpus", "--only", "a,b", "--specs=d", "--no-compile"])
        else {
            panic!("not corpus")
        };
        assert_eq!(o.only, ["a", "b"]);
        assert_eq!(o.specs.as_deref(), Some("d"));
        assert!(!o.compile);
    }
}
