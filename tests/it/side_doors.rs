//! Secrets must not leave through side doors: a panic message, a push URL, an inline-allow reason,
//! or a hook script that evaluates coach's own path. Real repositories, real `git commit`.
// See: #10
use crate::support::*;
use std::process::Output;

/// Every byte coach printed, for "this secret appears nowhere" checks.
fn all_output(out: &Output) -> String {
    format!("{}{}", stdout(out), stderr(out))
}

fn assert_no_panic_text(out: &Output) {
    let all = all_output(out);
    for needle in [
        "panicked",
        "internal error",
        "not a char boundary",
        "RUST_BACKTRACE",
    ] {
        assert!(!all.contains(needle), "{needle}: {all}");
    }
}

#[test]
fn secret_ending_in_a_non_ascii_character_is_blocked_without_a_panic() {
    let repo = TestRepo::init();
    repo.install_hooks();
    // This used to panic in LineIndex::locate and print the whole line, password included.
    let password = "Zq8vLm2pR7wXk9é";
    repo.stage("db.py", format!("url = \"postgres://u:{password}@db/x\"\n"));
    let out = repo.git_output(&["commit", "-q", "-m", "db"]);
    assert_eq!(out.status.code(), Some(1), "{}", all_output(&out));
    assert!(
        stderr(&out).contains("database.postgres-url"),
        "{}",
        stderr(&out)
    );
    assert_no_panic_text(&out);
    assert!(!all_output(&out).contains(password), "{}", all_output(&out));

    // The same password in a .env line: not a finding today, so the commit goes through, quietly.
    repo.git(&["reset", "-q"]);
    let env_password = "Zq8#vLm2pR7wXé";
    repo.stage("settings.ini", format!("DB_PASSWORD={env_password}\n"));
    let out = repo.git_output(&["commit", "-q", "-m", "env"]);
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    assert_no_panic_text(&out);
    assert!(!all_output(&out).contains(env_password));

    // And through `coach scan`, which scans in parallel on other threads.
    let out = repo.coach(&["scan", "db.py", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", all_output(&out));
    assert_no_panic_text(&out);
    assert!(!all_output(&out).contains(password));
}

