//! Secrets must not leave through side doors: a panic message, a push URL, an inline-allow reason,
//! or a hook script that evaluates coach's own path. Real repositories, real `git commit`.
// See: #10
use crate::support::*;
use std::path::{Path, PathBuf};
use std::process::Output;

/// Every byte coach printed, for "this secret appears nowhere" checks.
fn all_output(out: &Output) -> String {
    format!("{}{}", stdout(out), stderr(out))
}

/// Every file under `dir` (the state folder: ledger, its WAL and SHM, the key), as lossy text.
fn files_text(dir: &Path) -> String {
    let mut text = String::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return text;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            text.push_str(&files_text(&p));
        } else {
            text.push_str(&String::from_utf8_lossy(&std::fs::read(&p).unwrap()));
        }
    }
    text
}

/// Every path under `dir` whose file name is `name`.
fn find_named(dir: &Path, name: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if e.file_name() == name {
            found.push(p.clone());
        }
        if p.is_dir() && !p.is_symlink() {
            found.extend(find_named(&p, name));
        }
    }
    found
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

    // The same password in a .env line: a strong generic password, so it blocks too (#14).
    repo.git(&["reset", "-q"]);
    let env_password = "Zq8#vLm2pR7wXé";
    repo.stage("settings.ini", format!("DB_PASSWORD={env_password}\n"));
    let out = repo.git_output(&["commit", "-q", "-m", "env"]);
    assert_eq!(out.status.code(), Some(1), "{}", all_output(&out));
    assert_no_panic_text(&out);
    assert!(!all_output(&out).contains(env_password));

    // And through `coach scan`, which scans in parallel on other threads.
    let out = repo.coach(&["scan", "db.py", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", all_output(&out));
    assert_no_panic_text(&out);
    assert!(!all_output(&out).contains(password));
}

/// Runs the pre-push hook directly, as Git would, with `input` on standard input.

#[test]
fn push_url_credentials_appear_in_no_output_and_not_in_the_ledger() {
    let repo = TestRepo::init();
    let url_token = github_token("Ur1Tk9Qw3Er5Ty7Ui9Op2As4Df6Gh8");
    let url = format!("https://user:{url_token}@example.invalid/r.git");
    repo.git(&["remote", "add", "origin", &url]);
    repo.stage("ci.env", format!("TOKEN={}\n", token()));
    let sha = repo.commit("leak");
    let zero = "0".repeat(40);
    let input = format!("refs/heads/main {sha} refs/heads/main {zero}\n");
    // `git push origin` passes the name and the URL; `git push <url>` passes the URL twice.
    for args in [["origin", url.as_str()], [url.as_str(), url.as_str()]] {
        let out = pre_push_hook(&repo, &args, &input);
        assert_eq!(out.status.code(), Some(1), "{}", all_output(&out));
        let all = all_output(&out);
        assert!(!all.contains(&url_token), "{all}");
        assert!(!all.contains("ghp_Ur1"), "not even a prefix: {all}");
        assert!(all.contains("ci.env"), "{all}");
    }
    // A deletion names the remote in a notice: that path too.
    let input = format!("(delete) {zero} refs/heads/old {sha}\n");
    let out = pre_push_hook(&repo, &[url.as_str(), url.as_str()], &input);
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    assert!(
        stderr(&out).contains("deleted on https://example.invalid/r.git"),
        "{}",
        stderr(&out)
    );
    assert!(!all_output(&out).contains(&url_token));

    // A real `git push` to the URL as typed: insteadOf maps it to a local bare repository, and Git
    // still hands the hook the typed URL, token included.
    let bare = repo.tmp.path().join("typed.git");
    repo.git(&["init", "-q", "--bare", bare.to_str().unwrap()]);
    repo.git(&["config", &format!("url.{}.insteadOf", bare.display()), &url]);
    repo.install_hooks();
    let out = repo.git_output(&["push", &url, "main"]);
    assert_eq!(out.status.code(), Some(1), "blocked: {}", all_output(&out));
    assert!(
        stderr(&out).contains("push to https://example.invalid/r.git"),
        "{}",
        stderr(&out)
    );
    assert!(
        !all_output(&out).contains(&url_token),
        "{}",
        all_output(&out)
    );

    let state = files_text(&repo.home.join("state"));
    assert!(
        state.contains("https://example.invalid/r.git"),
        "the ledger names the repository without credentials"
    );
    assert!(
        !state.contains(&url_token),
        "the ledger holds the URL token"
    );
}

#[test]
fn an_inline_allow_reason_holding_another_token_is_redacted_everywhere() {
    let repo = TestRepo::init();
    repo.install_hooks();
    let other = github_token("Rs0Nq2Wd4Fg6Hj8Kl1Zx3Cv5Bn7Mq9");
    repo.stage(
        "ci.env",
        format!(
            "# coach:allow github.pat-classic -- fixture; the live one is {other}\nTOKEN={}\n",
            token()
        ),
    );
    let out = repo.git_output(&["commit", "-q", "-m", "allowed"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("(inline: fixture; the live one is ghp_Rs0N…[40 chars])"),
        "{err}"
    );
    assert!(!all_output(&out).contains(&other), "{err}");

    let out = repo.coach(&["scan", "ci.env", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    let json = stdout(&out);
    assert!(json.contains("fixture; the live one is ghp_Rs0N"), "{json}");
    assert!(!all_output(&out).contains(&other), "{json}");

    let state = files_text(&repo.home.join("state"));
    assert!(
        state.contains("fixture; the live one is"),
        "the allow was recorded"
    );
    assert!(
        !state.contains(&other),
        "the ledger holds the reason's token"
    );
}

/// A folder name that breaks, or runs, anything that puts it in a script unquoted.
const HOSTILE_DIR: &str = "we\"ird $(touch PWNED) `touch PWNED` 'q";

#[test]
fn a_hook_at_a_hostile_path_neither_breaks_commits_nor_runs_anything() {
    let repo = TestRepo::init();
    let dir = repo.tmp.path().join(HOSTILE_DIR);
    std::fs::create_dir_all(&dir).unwrap();
    let bin = dir.join("coach");
    std::fs::copy(COACH, &bin).unwrap();
    // `coach install` writes the path of the binary that runs it (current_exe).
    // A binary copied a moment ago can be "busy" while another test thread forks (the child holds
    // the copy's descriptor until it execs): retry that, never anything else.
    let out = (0..100)
        .find_map(
            |_| match repo.cmd(bin.to_str().unwrap()).arg("install").output() {
                Err(e) if e.raw_os_error() == Some(26) => {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    None
                }
                other => Some(other.unwrap()),
            },
        )
        .expect("the copied binary stayed busy");
    assert!(out.status.success(), "{}", all_output(&out));
    let script = std::fs::read_to_string(repo.path(".git/hooks/pre-commit")).unwrap();
    assert!(
        script.contains("we\"ird $(touch PWNED) `touch PWNED` '\\''q/coach'"),
        "{script}"
    );

    // PATH without coach on it: only the quoted path can run coach.
    let git = |args: &[&str]| {
        repo.cmd("git")
            .args(args)
            .env("PATH", "/usr/bin:/bin")
            .output()
            .unwrap()
    };
    repo.stage("ci.env", format!("TOKEN={}\n", token()));
    let out = git(&["commit", "-q", "-m", "leak"]);
    assert_eq!(out.status.code(), Some(1), "{}", all_output(&out));
    assert!(
        stderr(&out).contains("github.pat-classic"),
        "{}",
        stderr(&out)
    );
    repo.git(&["rm", "-q", "--cached", "ci.env"]);
    repo.stage("README.md", "# app\n");
    let out = git(&["commit", "-q", "-m", "clean"]);
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));

    // The binary gone: the hook says so, names the path as text, and blocks.
    std::fs::remove_file(&bin).unwrap();
    repo.stage("b.txt", "b\n");
    let out = git(&["commit", "-q", "-m", "no coach"]);
    let err = stderr(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "git reports the hook's failure: {err}"
    );
    assert!(
        err.contains(&format!(
            "coach: the pre-commit hook cannot find the coach binary (not at {}, not on PATH).",
            bin.display()
        )),
        "{err}"
    );
    assert!(err.contains("git commit --no-verify"), "{err}");

    assert_eq!(
        find_named(repo.tmp.path(), "PWNED"),
        Vec::<PathBuf>::new(),
        "the path was evaluated"
    );
}
