//! `coach install` / `uninstall`: where hooks go, chaining a foreign hook, removing only coach's.
//! See: #2.
use crate::support::*;

fn hook(repo: &TestRepo, rel: &str) -> String {
    std::fs::read_to_string(repo.path(rel)).unwrap_or_default()
}

#[test]
fn install_is_idempotent_and_uninstall_removes_only_coach() {
    let repo = TestRepo::init();
    repo.install_hooks();
    repo.install_hooks();
    assert!(hook(&repo, ".git/hooks/pre-commit").contains("coach-managed-hook"));
    let out = repo.coach(&["uninstall"]);
    assert!(out.status.success());
    assert!(!repo.path(".git/hooks/pre-commit").exists());
}

#[test]
fn existing_hook_is_chained_and_its_verdict_kept() {
    let repo = TestRepo::init();
    repo.write(
        ".git/hooks/pre-commit",
        "#!/bin/sh\necho 'lint hook ran' >&2\nexit 3\n",
    );
    make_executable(&repo.path(".git/hooks/pre-commit"));
    repo.install_hooks();
    assert!(repo.path(".git/hooks/pre-commit.coach-chained").exists());
    repo.stage("a.txt", "clean\n");
    let out = repo.git_output(&["commit", "-q", "-m", "x"]);
    assert!(!out.status.success(), "the chained hook's failure is kept");
    assert!(stderr(&out).contains("lint hook ran"));
    // Uninstall puts the original hook back.
    assert!(repo.coach(&["uninstall"]).status.success());
    assert!(hook(&repo, ".git/hooks/pre-commit").contains("lint hook ran"));
    assert!(!repo.path(".git/hooks/pre-commit.coach-chained").exists());
}

#[test]
fn chained_hook_that_passes_lets_coach_decide() {
    let repo = TestRepo::init();
    repo.write(".git/hooks/pre-commit", "#!/bin/sh\necho 'first' >&2\n");
    make_executable(&repo.path(".git/hooks/pre-commit"));
    repo.install_hooks();
    repo.stage("k.txt", format!("{}\n", token()));
    let out = repo.git_output(&["commit", "-q", "-m", "x"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("first") && err.contains("github.pat-classic"),
        "{err}"
    );
}

#[test]
fn refuses_when_the_chain_slot_is_taken_unless_forced() {
    let repo = TestRepo::init();
    repo.write(".git/hooks/pre-commit", "#!/bin/sh\nexit 0\n");
    repo.write(".git/hooks/pre-commit.coach-chained", "#!/bin/sh\nexit 0\n");
    let out = repo.coach(&["install"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    assert_eq!(
        hook(&repo, ".git/hooks/pre-commit"),
        "#!/bin/sh\nexit 0\n",
        "nothing was overwritten"
    );
    assert!(repo.coach(&["install", "--force"]).status.success());
    assert!(hook(&repo, ".git/hooks/pre-commit").contains("coach-managed-hook"));
}

#[test]
fn core_hooks_path_is_respected() {
    let repo = TestRepo::init();
    repo.git(&["config", "core.hooksPath", "githooks"]);
    repo.install_hooks();
    assert!(repo.path("githooks/pre-commit").exists());
    assert!(!repo.path(".git/hooks/pre-commit").exists());
    repo.stage("k.txt", format!("{}\n", token()));
    let out = repo.git_output(&["commit", "-q", "-m", "x"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[test]
fn the_hook_warns_when_core_hooks_path_moved_away_from_coachs_hooks() {
    let repo = TestRepo::init();
    repo.install_hooks();
    repo.stage("k.txt", format!("{}\n", token()));
    let out = repo.coach(&["hook", "pre-commit"]);
    assert!(!stderr(&out).contains("no longer run"), "{}", stderr(&out));
    // Another tool points Git elsewhere: coach's hooks in .git/hooks no longer run. The hook,
    // still run by hand or by a chain, says so and still scans (Git is asked in the background).
    repo.git(&["config", "core.hooksPath", "elsewhere"]);
    let out = repo.coach(&["hook", "pre-commit"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("warning: coach's hooks in") && err.contains("no longer run"),
        "{err}"
    );
    assert!(err.contains("github.pat-classic"), "{err}");
}

#[test]
fn linked_worktree_shares_the_hooks_of_the_main_repository() {
    let repo = TestRepo::init();
    repo.stage("a.txt", "a\n");
    repo.commit("base");
    let wt = repo.tmp.path().join("wt");
    repo.git(&["worktree", "add", "-q", wt.to_str().unwrap()]);
    let out = repo
        .cmd(COACH)
        .arg("install")
        .current_dir(&wt)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(repo.path(".git/hooks/pre-commit").exists());
    std::fs::write(wt.join("k.txt"), format!("{}\n", token())).unwrap();
    let run = |args: &[&str]| {
        repo.cmd("git")
            .args(args)
            .current_dir(&wt)
            .output()
            .unwrap()
    };
    assert!(run(&["add", "k.txt"]).status.success());
    let out = run(&["commit", "-q", "-m", "x"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[test]
fn hook_with_a_missing_binary_says_so_and_blocks() {
    let repo = TestRepo::init();
    repo.install_hooks();
    let script = hook(&repo, ".git/hooks/pre-commit").replace(COACH, "/nonexistent/coach");
    repo.write(".git/hooks/pre-commit", script);
    repo.stage("a.txt", "a\n");
    // PATH without coach on it.
    let out = repo
        .cmd("git")
        .args(["commit", "-q", "-m", "x"])
        .env("PATH", "/usr/bin:/bin")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("cannot find the coach binary"),
        "{}",
        stderr(&out)
    );
}

fn make_executable(p: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
}
