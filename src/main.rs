//! The `coach` binary: parse, run, map to the exit contract. Everything else is in the library.
#![allow(clippy::print_stderr)]
use clap::Parser;
use std::io::Write as _;
use std::process::ExitCode;

fn main() -> ExitCode {
    install_panic_hook();
    // Clap prints usage errors itself and exits 2, matching the contract; --help/--version exit 0.
    let cli = coach::cli::Cli::parse();
    match coach::run(cli) {
        Ok(status) => status.into(),
        Err(err) => {
            // Errors quote config keys, rule ids and paths from the repository: escape them.
            let esc =
                |e: &dyn std::fmt::Display| coach::api::terminal_lines(&e.to_string()).into_owned();
            eprintln!("coach: error: {}", esc(&err));
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {}", esc(&cause));
            }
            coach::error::ExitStatus::Error.into()
        }
    }
}

/// A panic's payload can hold scanned text (a slice error quotes the line, secret included), so the
/// hook prints only where it happened, then exits 2 at once: from any thread (rayon workers too),
/// before an unwinding caller could turn the failure into a verdict. See: #10.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let message = panic_message(info.location().map(|l| (l.file(), l.line())));
        // Never panic again here: stderr may be closed (a double panic would abort without a code).
        let _ = writeln!(std::io::stderr().lock(), "{message}");
        // 2 is the contract's code for an internal error (ExitStatus::Error).
        std::process::exit(2);
    }));
}

fn panic_message(location: Option<(&str, u32)>) -> String {
    let at = location.map_or_else(
        || "an unknown location".to_owned(),
        |(f, l)| format!("{f}:{l}"),
    );
    format!("coach: internal error at {at} (this is a bug; nothing was scanned as clean)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_panic_message_names_the_location_and_nothing_else() {
        assert_eq!(
            panic_message(Some(("src/scan/mod.rs", 440))),
            "coach: internal error at src/scan/mod.rs:440 (this is a bug; nothing was scanned as clean)"
        );
        assert_eq!(
            panic_message(None),
            "coach: internal error at an unknown location (this is a bug; nothing was scanned as clean)"
        );
    }

    /// The hook for real, in a child process (this test binary run again): a panic on another
    /// thread, as in a rayon worker, whose payload holds a secret.
    #[test]
    fn a_panic_exits_2_and_never_prints_its_payload() {
        const NAME: &str = "tests::a_panic_exits_2_and_never_prints_its_payload";
        if std::env::var_os("COACH_TEST_PANIC_CHILD").is_some() {
            install_panic_hook();
            let secret = String::from("payload-Zq8vLm2pR7wXk9");
            let _ = std::thread::spawn(move || panic!("{secret}")).join();
            unreachable!("the hook exits the process");
        }
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", NAME, "--nocapture", "--test-threads=1"])
            .env("COACH_TEST_PANIC_CHILD", "1")
            .output()
            .unwrap();
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.status.code(), Some(2), "{all}");
        assert!(
            all.contains("coach: internal error at src/main.rs:")
                && all.contains("(this is a bug; nothing was scanned as clean)"),
            "{all}"
        );
        assert!(!all.contains("payload-Zq8vLm2pR7wXk9"), "{all}");
    }
}
