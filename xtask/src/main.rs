//! `cargo xtask <command>`: argument dispatch and printing only; the work is in the library so
//! that tests can run it on folders of their own.

use std::process::ExitCode;

use xtask::args::{self, Command, USAGE};
use xtask::{corpus, fixtures, generate, workspace, Error};

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
    let root = workspace::root();
    match args::parse(args) {
        Ok(Command::Help) => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Ok(Command::GenerateWorkspace) => match generate::workspace(&root) {
            Ok(outcomes) => {
                for outcome in outcomes {
                    report(&outcome);
                }
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e),
        },
        Ok(Command::GenerateStandalone(mut options)) => {
            // This repository's crates depend on its own runtime folder; `forge generate` is the
            // command for crates that travel.
            let runtime = workspace::join(&root, workspace::RUNTIME);
            options.runtime =
                forge::generate::RuntimeChoice::Path(runtime.to_string_lossy().into_owned());
            match forge::generate::standalone(&options) {
                Ok(outcome) => {
                    report(&outcome);
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e),
            }
        }
        Ok(Command::Check) => match generate::check(&root) {
            Ok(comparisons) => {
                let mut fresh = true;
                for comparison in comparisons {
                    print!("{}", comparison.report());
                    fresh &= comparison.is_up_to_date();
                }
                if fresh {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                }
            }
            Err(e) => fail(&e),
        },
        Ok(Command::Corpus(options)) => corpus::command(&root, &options),
        Ok(Command::Conformance(options)) => xtask::conformance::command(&root, &options),
        Ok(Command::Bench(options)) => xtask::bench::command(&options),
        Ok(Command::Fixtures { check: false }) => match fixtures::write_all(&root) {
            Ok(written) => {
                print!("{}", written.report());
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e),
        },
        Ok(Command::Fixtures { check: true }) => match fixtures::check(&root) {
            Ok(report) => {
                print!("{}", report.text());
                if report.is_up_to_date() {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                }
            }
            Err(e) => fail(&e),
        },
        Err(e) => {
            eprintln!("error: {}", e.message);
            if e.show_usage {
                eprint!("\n{USAGE}");
            } else {
                eprintln!("run `cargo xtask help` for usage");
            }
            ExitCode::from(2)
        }
    }
}

fn report(outcome: &forge::generate::Outcome) {
    println!("{}", outcome.summary());
    for warning in &outcome.warnings {
        println!("warning: {warning}");
    }
}

fn fail(e: &Error) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::FAILURE
}
