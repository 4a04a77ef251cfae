//! coach beside the real hook managers (#16): husky and lefthook from npm, the pre-commit framework
//! from PyPI. Install order both ways, reinstall, uninstall, repairing what older coach versions
//! did, and commits that must run both the manager's own hook and coach. The tools are taken from
//! PATH, else installed once under the test target folder; a test skips (saying why) only when a
//! tool truly cannot be installed here.
use crate::support::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn tools_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("hook-tools")
}

fn runs(cmd: &mut Command) -> bool {
    cmd.stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// `husky` and `lefthook` from npm, installed once into the test target folder.
// A skip must be visible in the test output, never silent.
#[allow(clippy::print_stderr)]
fn npm_tool(name: &str) -> Option<PathBuf> {
    static BIN: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    let bin = BIN
        .get_or_init(|| {
            let dir = tools_dir();
            let bin = dir.join("node_modules/.bin");
            if bin.join("husky").exists() && bin.join("lefthook").exists() {
                return Some(bin);
            }
            std::fs::create_dir_all(&dir).ok()?;
            // --ignore-scripts: lefthook's postinstall runs `lefthook install` in the enclosing
            // repository, which is the checkout running these tests (seen: it hooked ours).
            let ok = runs(Command::new("npm").current_dir(&dir).args([
                "install",
                "--ignore-scripts",
                "--no-save",
                "--no-audit",
                "--no-fund",
                "husky",
                "lefthook",
            ]));
            if ok && bin.join("husky").exists() && bin.join("lefthook").exists() {
                Some(bin)
            } else {
                eprintln!("SKIPPED: `npm install husky lefthook` failed here (is npm installed and the registry reachable?)");
                None
            }
        })
        .clone()?;
    Some(bin.join(name))
}

/// The pre-commit framework: on PATH, else in a virtualenv under the test target folder.
#[allow(clippy::print_stderr)]
fn pre_commit() -> Option<PathBuf> {
    static TOOL: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    TOOL.get_or_init(|| {
        if runs(Command::new("pre-commit").arg("--version")) {
            return Some(PathBuf::from("pre-commit"));
        }
        let venv = tools_dir().join("venv");
        let bin = venv.join("bin/pre-commit");
        if bin.exists() {
            return Some(bin);
        }
        let made = runs(Command::new("python3").args(["-m", "venv"]).arg(&venv))
            && runs(Command::new(venv.join("bin/pip")).args([
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "pre-commit",
            ]));
        if made && bin.exists() {
            Some(bin)
        } else {
            eprintln!("SKIPPED: the pre-commit framework is not on PATH and `python3 -m venv` + `pip install pre-commit` failed here");
            None
        }
    })
    .clone()
}

/// PATH with coach (the managers' entries call `coach`) and the tools on it.
fn path_with(tool: &Path) -> std::ffi::OsString {
    let mut dirs = vec![
        Path::new(COACH).parent().unwrap().to_path_buf(),
        tool.parent().unwrap().to_path_buf(),
    ];
    dirs.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(dirs).unwrap()
}

fn run(repo: &TestRepo, tool: &Path, program: &Path, args: &[&str]) -> Output {
    repo.cmd(program.to_str().unwrap())
        .args(args)
        .env("PATH", path_with(tool))
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn ok(out: Output) -> Output {
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    out
}

fn coach(repo: &TestRepo, tool: &Path, args: &[&str]) -> Output {
    run(repo, tool, Path::new(COACH), args)
}

fn git(repo: &TestRepo, tool: &Path, args: &[&str]) -> Output {
    run(repo, tool, Path::new("git"), args)
}

fn make_executable(p: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// A clean commit must run the manager's own hook; a staged token must be blocked by coach.
fn both_hooks_run(repo: &TestRepo, tool: &Path, marker: &str) {
    both_run(repo, tool, marker, "verdict: ALLOW");
}

/// `coach_ran`: what shows that coach ran on the clean commit (the framework hides a passing
/// hook's output).
fn both_run(repo: &TestRepo, tool: &Path, marker: &str, coach_ran: &str) {
    repo.stage("clean.txt", "hello\n");
    let out = git(repo, tool, &["commit", "-q", "-m", "clean"]);
    let all = format!("{}{}", stdout(&out), stderr(&out));
    assert!(out.status.success(), "{all}");
    assert!(all.contains(marker), "the manager's own hook ran: {all}");
    assert!(all.contains(coach_ran), "coach ran: {all}");
    repo.stage("leak.env", format!("T={}\n", token()));
    let out = git(repo, tool, &["commit", "-q", "-m", "leak"]);
    let all = format!("{}{}", stdout(&out), stderr(&out));
    assert!(!out.status.success(), "coach blocked the token: {all}");
    assert!(all.contains("github.pat-classic"), "{all}");
    repo.git(&["rm", "-q", "--cached", "leak.env"]);
}

// --- husky ------------------------------------------------------------------------------------------

fn husky_repo(husky: &Path) -> TestRepo {
    let repo = TestRepo::init();
    repo.write("package.json", "{\"name\":\"demo\",\"private\":true}\n");
    repo.write(".husky/pre-commit", "echo husky-hook-ran\n");
    make_executable(&repo.path(".husky/pre-commit"));
    ok(run(&repo, husky, husky, &[]));
    assert_eq!(repo.git(&["config", "core.hooksPath"]).trim(), ".husky/_");
    repo
}

#[test]
fn husky_then_coach_prints_the_line_then_integrates_and_both_run() {
    let Some(husky) = npm_tool("husky") else {
        return;
    };
    let repo = husky_repo(&husky);
    let stub = std::fs::read_to_string(repo.path(".husky/_/pre-commit")).unwrap();
    let out = ok(coach(&repo, &husky, &["install"]));
    let err = stderr(&out);
    assert!(
        err.contains("husky manages this repository's hooks"),
        "{err}"
    );
    assert!(err.contains("coach hook pre-commit"), "{err}");
    assert!(err.contains("coach is NOT running from husky yet"), "{err}");
    assert_eq!(
        std::fs::read_to_string(repo.path(".husky/_/pre-commit")).unwrap(),
        stub,
        "husky's script is untouched"
    );
    assert!(!repo.path(".husky/_/pre-commit.coach-chained").exists());
    assert_eq!(coach(&repo, &husky, &["doctor"]).status.code(), Some(1));

    ok(coach(&repo, &husky, &["install", "--integrate"]));
    // Reinstalling adds nothing twice.
    ok(coach(&repo, &husky, &["install", "--integrate"]));
    let own = std::fs::read_to_string(repo.path(".husky/pre-commit")).unwrap();
    assert_eq!(own, "echo husky-hook-ran\ncoach hook pre-commit\n");
    both_hooks_run(&repo, &husky, "husky-hook-ran");
    let out = coach(&repo, &husky, &["doctor"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn coach_then_husky_warns_that_coach_stopped_running_and_doctor_names_the_fix() {
    let Some(husky) = npm_tool("husky") else {
        return;
    };
    let repo = TestRepo::init();
    repo.install_hooks();
    repo.write("package.json", "{\"name\":\"demo\",\"private\":true}\n");
    repo.write(".husky/pre-commit", "echo husky-hook-ran\n");
    // What `npm install` does in a husky project: core.hooksPath moves to .husky/_.
    ok(run(&repo, &husky, &husky, &[]));
    repo.stage("a.txt", "a\n");
    let out = coach(&repo, &husky, &["scan"]);
    let err = stderr(&out);
    assert!(
        err.contains("warning: coach's hooks in") && err.contains("no longer run"),
        "{err}"
    );
    let out = coach(&repo, &husky, &["doctor"]);
    assert_eq!(out.status.code(), Some(1));
    let report = stdout(&out);
    assert!(report.contains("hook manager: husky"), "{report}");
    assert!(
        report.contains("PROBLEM: husky does not run coach for pre-commit"),
        "{report}"
    );
    assert!(report.contains("coach install --integrate"), "{report}");
    insta::assert_snapshot!(
        "doctor_coach_then_husky",
        repo.redact(&report).replace(COACH, "[COACH]")
    );

    ok(coach(&repo, &husky, &["install", "--integrate"]));
    both_hooks_run(&repo, &husky, "husky-hook-ran");
    // The old hooks in .git/hooks go with uninstall; husky's own line stays its owner's.
    let out = ok(coach(&repo, &husky, &["uninstall"]));
    assert!(
        !repo.path(".git/hooks/pre-commit").exists(),
        "{}",
        stderr(&out)
    );
    assert!(repo.path(".husky/_/pre-commit").exists());
}

#[test]
fn uninstall_repairs_the_husky_hook_an_older_coach_renamed() {
    let Some(husky) = npm_tool("husky") else {
        return;
    };
    let repo = husky_repo(&husky);
    // What coach did before #16: husky's stub renamed (husky then looks for
    // `.husky/pre-commit.coach-chained`, which does not exist, so the project's hook never ran).
    let dir = repo.path(".husky/_");
    std::fs::rename(dir.join("pre-commit"), dir.join("pre-commit.coach-chained")).unwrap();
    let ours = TestRepo::init();
    ours.install_hooks();
    std::fs::copy(ours.path(".git/hooks/pre-commit"), dir.join("pre-commit")).unwrap();
    repo.stage("a.txt", "a\n");
    let out = git(&repo, &husky, &["commit", "-q", "-m", "a"]);
    assert!(
        !stderr(&out).contains("husky-hook-ran"),
        "the breakage is real"
    );

    let out = coach(&repo, &husky, &["doctor"]);
    assert!(
        stdout(&out).contains("was left by an older coach"),
        "{}",
        stdout(&out)
    );
    let out = ok(coach(&repo, &husky, &["uninstall"]));
    assert!(stderr(&out).contains("restored"), "{}", stderr(&out));
    assert!(!dir.join("pre-commit.coach-chained").exists());
    repo.stage("b.txt", "b\n");
    let out = ok(git(&repo, &husky, &["commit", "-q", "-m", "b"]));
    assert!(stderr(&out).contains("husky-hook-ran"), "{}", stderr(&out));
}

// --- lefthook ---------------------------------------------------------------------------------------

const LEFTHOOK_YML: &str =
    "pre-commit:\n  commands:\n    hello:\n      run: echo lefthook-hook-ran\n";

#[test]
fn lefthook_then_coach_integrates_and_both_run() {
    let Some(lefthook) = npm_tool("lefthook") else {
        return;
    };
    let repo = TestRepo::init();
    repo.write(
        "lefthook.yml",
        "pre-push:\n  commands:\n    hello:\n      run: echo pushed\n",
    );
    ok(run(&repo, &lefthook, &lefthook, &["install"]));
    let out = ok(coach(&repo, &lefthook, &["install", "--integrate"]));
    let err = stderr(&out);
    assert!(err.contains("lefthook manages"), "{err}");
    // pre-push already had a section: said, not written; the others were appended.
    assert!(err.contains("already has a `pre-push:` section"), "{err}");
    let yml = std::fs::read_to_string(repo.path("lefthook.yml")).unwrap();
    assert!(yml.contains("run: coach hook pre-commit"), "{yml}");
    assert_eq!(yml.matches("pre-push:").count(), 1, "{yml}");
    // Reinstall: nothing added twice.
    ok(coach(&repo, &lefthook, &["install", "--integrate"]));
    assert_eq!(
        std::fs::read_to_string(repo.path("lefthook.yml")).unwrap(),
        yml
    );
    // Add the project's own pre-commit command beside coach's.
    std::fs::write(
        repo.path("lefthook.yml"),
        yml.replace(
            "    coach:\n      run: coach hook pre-commit\n",
            "    coach:\n      run: coach hook pre-commit\n    hello:\n      run: echo lefthook-hook-ran\n",
        ),
    )
    .unwrap();
    ok(run(&repo, &lefthook, &lefthook, &["install"]));
    both_hooks_run(&repo, &lefthook, "lefthook-hook-ran");
}

#[test]
fn coach_then_lefthook_doctor_reports_coach_gone_and_integrate_brings_it_back() {
    let Some(lefthook) = npm_tool("lefthook") else {
        return;
    };
    let repo = TestRepo::init();
    repo.install_hooks();
    repo.write("lefthook.yml", LEFTHOOK_YML);
    ok(run(&repo, &lefthook, &lefthook, &["install"]));
    let out = coach(&repo, &lefthook, &["doctor"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("PROBLEM: lefthook does not run coach for pre-commit"),
        "{}",
        stdout(&out)
    );
    ok(coach(&repo, &lefthook, &["install", "--integrate"]));
    let yml = std::fs::read_to_string(repo.path("lefthook.yml")).unwrap();
    // pre-commit had its own section: coach says what to add; add it as a person would.
    std::fs::write(
        repo.path("lefthook.yml"),
        yml.replace(
            "  commands:\n    hello:",
            "  commands:\n    coach:\n      run: coach hook pre-commit\n    hello:",
        ),
    )
    .unwrap();
    ok(run(&repo, &lefthook, &lefthook, &["install"]));
    both_hooks_run(&repo, &lefthook, "lefthook-hook-ran");
    let out = coach(&repo, &lefthook, &["doctor"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

// --- the pre-commit framework -----------------------------------------------------------------------

const PRE_COMMIT_YAML: &str = "repos:\n-   repo: local\n    hooks:\n    -   id: hello\n        name: hello\n        entry: echo framework-hook-ran\n        language: system\n        pass_filenames: false\n        always_run: true\n        verbose: true\n";

fn framework_repo(pc: &Path) -> TestRepo {
    let repo = TestRepo::init();
    repo.write(".pre-commit-config.yaml", PRE_COMMIT_YAML);
    repo.git(&["add", ".pre-commit-config.yaml"]);
    ok(run(&repo, pc, pc, &["install"]));
    repo
}

#[test]
fn pre_commit_then_coach_then_pre_commit_again_never_enters_migration_mode() {
    let Some(pc) = pre_commit() else {
        return;
    };
    let repo = framework_repo(&pc);
    let script = std::fs::read_to_string(repo.path(".git/hooks/pre-commit")).unwrap();
    let out = ok(coach(&repo, &pc, &["install"]));
    assert!(
        stderr(&out).contains("the pre-commit framework manages"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_to_string(repo.path(".git/hooks/pre-commit")).unwrap(),
        script,
        "the framework's script is never wrapped"
    );
    ok(run(&repo, &pc, &pc, &["install"]));
    assert!(!repo.path(".git/hooks/pre-commit.legacy").exists());
    ok(coach(&repo, &pc, &["install", "--integrate"]));
    let yaml = std::fs::read_to_string(repo.path(".pre-commit-config.yaml")).unwrap();
    assert!(
        yaml.contains("-   repo: local\n    hooks:\n      - id: coach\n"),
        "{yaml}"
    );
    repo.git(&["add", ".pre-commit-config.yaml"]);
    both_run(&repo, &pc, "framework-hook-ran", "coach (pre-commit)....");
}

#[test]
fn coach_uninstall_repairs_the_migration_mode_an_older_coach_caused() {
    let Some(pc) = pre_commit() else {
        return;
    };
    let repo = framework_repo(&pc);
    // Before #16: coach wrapped the framework's script, then `pre-commit install` moved coach's
    // hook to pre-commit.legacy, and every commit failed "in migration mode".
    let hooks = repo.path(".git/hooks");
    std::fs::rename(
        hooks.join("pre-commit"),
        hooks.join("pre-commit.coach-chained"),
    )
    .unwrap();
    let ours = TestRepo::init();
    ours.install_hooks();
    std::fs::copy(ours.path(".git/hooks/pre-commit"), hooks.join("pre-commit")).unwrap();
    ok(run(&repo, &pc, &pc, &["install"]));
    repo.stage("a.txt", "a\n");
    let out = git(&repo, &pc, &["commit", "-q", "-m", "a"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("migration mode"), "{}", stderr(&out));

    let out = coach(&repo, &pc, &["doctor"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("was left by an older coach"),
        "{}",
        stdout(&out)
    );
    ok(coach(&repo, &pc, &["uninstall"]));
    assert!(!hooks.join("pre-commit.legacy").exists());
    assert!(!hooks.join("pre-commit.coach-chained").exists());
    let out = ok(git(&repo, &pc, &["commit", "-q", "-m", "a"]));
    // Git sends a hook's standard output to standard error.
    assert!(
        stderr(&out).contains("framework-hook-ran"),
        "{}",
        stderr(&out)
    );
}

// --- global hooks, bare repositories ----------------------------------------------------------------

#[test]
fn per_repo_install_never_touches_the_global_folder_and_every_hook_type_passes_through() {
    let repo = TestRepo::init();
    ok(repo.coach(&["install", "--global"]));
    let global = repo.home.join(".config/coach/hooks");
    let before = std::fs::read_to_string(global.join("pre-commit")).unwrap();
    let out = ok(repo.coach(&["install"]));
    assert!(
        stderr(&out).contains("already run in this repository"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_to_string(global.join("pre-commit")).unwrap(),
        before
    );
    assert!(!repo.path(".git/hooks/pre-commit").exists());
    // A per-repository uninstall leaves the global hooks alone too.
    ok(repo.coach(&["uninstall"]));
    assert!(global.join("pre-commit").exists());

    // The repository's own hooks of other types still run.
    for name in ["prepare-commit-msg", "post-commit", "post-checkout"] {
        let p = repo.path(&format!(".git/hooks/{name}"));
        std::fs::write(&p, format!("#!/bin/sh\necho own-{name}-ran >&2\n")).unwrap();
        make_executable(&p);
    }
    repo.stage("a.txt", "a\n");
    let out = repo.git_output(&["commit", "-q", "-m", "a"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("own-prepare-commit-msg-ran") && err.contains("own-post-commit-ran"),
        "{err}"
    );
    let out = repo.git_output(&["checkout", "-q", "-b", "other"]);
    assert!(
        stderr(&out).contains("own-post-checkout-ran"),
        "{}",
        stderr(&out)
    );

    ok(repo.coach(&["uninstall", "--global"]));
    assert!(
        !global.join("post-checkout").exists(),
        "pass-through hooks go with uninstall"
    );
}

#[test]
fn install_in_a_bare_repository_warns_that_commit_hooks_never_run() {
    let repo = TestRepo::init();
    let bare = repo.bare_remote();
    let out = repo
        .cmd(COACH)
        .arg("install")
        .current_dir(&bare)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out)
            .contains("is a bare repository: pre-commit and commit-msg hooks never run in it"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn doctor_on_a_healthy_install_exits_0_and_names_the_binary() {
    let repo = TestRepo::init();
    repo.install_hooks();
    let out = repo.coach(&["doctor"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains(&format!("runs coach (coach's hook): {COACH}")));
    // A hook pointing at a coach that is gone, with none on PATH, is a problem with a fix.
    let script = std::fs::read_to_string(repo.path(".git/hooks/pre-push"))
        .unwrap()
        .replace(COACH, "/nonexistent/coach");
    repo.write(".git/hooks/pre-push", script);
    let out = repo
        .cmd(COACH)
        .arg("doctor")
        .env("PATH", "/usr/bin:/bin")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(
        "doctor_binary_gone",
        repo.redact(&stdout(&out)).replace(COACH, "[COACH]")
    );
}

#[test]
fn doctor_outside_a_repository_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    let out = Command::new(COACH)
        .arg("doctor")
        .current_dir(tmp.path())
        .env("GIT_CEILING_DIRECTORIES", tmp.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

// --- this repository's .pre-commit-hooks.yaml, its on-PATH variants --------------------------------

#[test]
fn the_system_variants_of_the_manifest_run_the_coach_on_path() {
    let Some(pc) = pre_commit() else {
        return;
    };
    let manifest_repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let repo = TestRepo::init();
    repo.stage("leak.env", format!("T={}\n", token()));
    let root = manifest_repo.to_str().unwrap();
    let out = run(
        &repo,
        &pc,
        &pc,
        &["try-repo", root, "coach-system", "--verbose"],
    );
    let all = format!("{}{}", stdout(&out), stderr(&out));
    assert_eq!(out.status.code(), Some(1), "{all}");
    assert!(all.contains("github.pat-classic"), "{all}");

    // The commit-msg stage is handed the message file.
    repo.git(&["rm", "-q", "--cached", "leak.env"]);
    repo.write("msg.txt", format!("deploy with {}\n", token()));
    let out = run(
        &repo,
        &pc,
        &pc,
        &[
            "try-repo",
            root,
            "coach-system-commit-msg",
            "--hook-stage",
            "commit-msg",
            "--commit-msg-filename",
            "msg.txt",
            "--verbose",
        ],
    );
    let all = format!("{}{}", stdout(&out), stderr(&out));
    assert_eq!(out.status.code(), Some(1), "{all}");
    assert!(all.contains("commit message"), "{all}");
}

#[test]
fn a_repository_hooks_path_hiding_the_global_hooks_is_warned_about_and_doctor_fails() {
    let repo = TestRepo::init();
    ok(repo.coach(&["install", "--global"]));
    // Healthy first: the global hooks run (read through the global config Git uses).
    let out = repo.coach(&["doctor"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    repo.git(&["config", "core.hooksPath", ".githooks"]);
    repo.stage("a.txt", "a\n");
    let out = repo.coach(&["scan"]);
    assert!(
        stderr(&out).contains("coach's hooks in") && stderr(&out).contains("no longer run"),
        "{}",
        stderr(&out)
    );
    let out = repo.coach(&["doctor"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("fix: run `coach install`: it installs where Git looks now"),
        "{}",
        stdout(&out)
    );
    ok(repo.coach(&["install"]));
    assert_eq!(repo.coach(&["doctor"]).status.code(), Some(0));
}
