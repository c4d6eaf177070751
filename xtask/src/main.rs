//! `cargo xtask <command>`: argument dispatch and printing only; the work is in the library so
//! that tests can run it on folders of their own.

use std::process::ExitCode;

use xtask::args::{self, Command, USAGE};
use xtask::{check, corpus, fixtures, generate, workspace, Error};

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
        Ok(Command::Corpus(options)) => run_corpus(&options),
        Ok(Command::Bench(options)) => xtask::bench::command(&options),
        Ok(Command::Fixtures { check: false }) => match fixtures::write_all(&workspace::root()) {
            Ok(written) => {
                print!("{}", written.report());
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e),
        },
        Ok(Command::Fixtures { check: true }) => match fixtures::check(&workspace::root()) {
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

/// `cargo xtask corpus`: progress lines, then the table and the summary. A report, so it exits 0
/// whatever the specs do; a full run (no `--only`) also writes `CORPUS.md`.
fn run_corpus(options: &corpus::Options) -> ExitCode {
    use std::io::Write;
    let root = workspace::root();
    let layout = corpus::Layout::workspace(&root);
    let mut progress = |line: &str| {
        println!("{line}");
        let _ = std::io::stdout().flush();
    };
    let report = match corpus::run(&layout, options, &mut progress) {
        Ok(report) => report,
        Err(e) => return fail(&e),
    };
    println!("\n{}", report.table());
    if options.only.is_empty() {
        let text = report.markdown(&corpus::today(), &corpus::machine(), options);
        match std::fs::write(root.join(corpus::REPORT), text) {
            Ok(()) => println!("wrote {}", corpus::REPORT),
            Err(e) => eprintln!("warning: cannot write {}: {e}", corpus::REPORT),
        }
    } else {
        println!("{} not updated: --only runs a subset", corpus::REPORT);
    }
    println!("{}", report.summary());
    ExitCode::SUCCESS
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
