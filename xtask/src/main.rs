//! `cargo xtask <command>`: argument dispatch and printing only; the work is in the library so
//! that tests can run it on folders of their own.

use std::process::ExitCode;

use xtask::args::{self, Command, USAGE};
use xtask::{check, generate, workspace, Error};

fn main() -> ExitCode {
    let args: Result<Vec<String>, _> = std::env::args_os()
        .skip(1)
        .map(|a| a.into_string())
        .collect();
    let Ok(args) = args else {
        eprintln!("error: arguments must be valid UTF-8");
        return ExitCode::from(2);
    };
    match args::parse(args) {
        Ok(Command::Help) => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Ok(Command::GenerateWorkspace) => report(generate::workspace(&workspace::root())),
        Ok(Command::GenerateStandalone(options)) => {
            let runtime = workspace::join(&workspace::root(), workspace::RUNTIME);
            report(generate::standalone(&options, &runtime))
        }
        Ok(Command::Check) => match check::workspace(&workspace::root()) {
            Ok(comparison) => {
                print!("{}", comparison.report());
                if comparison.is_up_to_date() {
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

fn report(result: Result<generate::Outcome, Error>) -> ExitCode {
    match result {
        Ok(outcome) => {
            println!("{}", outcome.summary());
            for warning in &outcome.warnings {
                println!("warning: {warning}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

fn fail(e: &Error) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::FAILURE
}
