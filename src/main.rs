//! The `coach` binary: parse, run, map to the exit contract. Everything else is in the library.
#![allow(clippy::print_stderr)]
use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    // Clap prints usage errors itself and exits 2, matching the contract; --help/--version exit 0.
    let cli = coach::cli::Cli::parse();
    match coach::run(cli) {
        Ok(status) => status.into(),
        Err(err) => {
            // Errors quote config keys, rule ids and paths from the repository: escape them.
            let esc = |e: &dyn std::fmt::Display| {
                coach::escape::terminal_lines(&e.to_string()).into_owned()
            };
            eprintln!("coach: error: {}", esc(&err));
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {}", esc(&cause));
            }
            coach::error::ExitStatus::Error.into()
        }
    }
}
