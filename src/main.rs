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
            eprintln!("coach: error: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            coach::error::ExitStatus::Error.into()
        }
    }
}
