//! The Git clean-up coach prints is run, exactly as the JSON report gives it, in real repositories
//! at every exposure; then the secret must be gone from the index, the branch or the remote, and
//! the working copy kept where coach says it is kept (issue 13, item 3).
use crate::support::*;
use serde_json::Value;
use std::process::Stdio;

/// A fake AWS key pair (never issued): the id is an identifier coach may print, the secret is not.
const KEY_ID: &str = "AKIAQYLPMN5HFIQR7XYZ";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq9zEXAMQ1";

fn env_file() -> String {
    format!("AWS_ACCESS_KEY_ID={KEY_ID}\nAWS_SECRET_ACCESS_KEY={SECRET}\n")
}

fn settings_py() -> String {
    format!("DEBUG = True\naws_secret_access_key = \"{SECRET}\"\n")
}

fn report(repo: &TestRepo, args: &[&str]) -> Value {
    let mut a = vec!["scan", "--format", "json"];
    a.extend_from_slice(args);
    let out = repo.coach(&a);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)))
}

/// The guidance for the one kind planted, checked structurally: no secret anywhere in it, and no
/// placeholder left unfilled or mangled.
fn guidance(v: &Value, exposure: &str) -> Value {
    assert!(!v.to_string().contains(SECRET), "secret in the report");
    let g = v["guidance"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["kind"] == "aws-iam-user-key")
        .unwrap_or_else(|| panic!("no AWS guidance: {v:#}"))
        .clone();
    assert_eq!(g["exposure"], exposure, "{g:#}");
    for line in g["do_now"].as_array().unwrap() {
        let l = line.as_str().unwrap();
        assert!(!l.contains("%<") && !l.contains("{id}"), "{l}");
    }
    g
}

fn commands(g: &Value) -> Vec<String> {
    g["commands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["shell"].as_str().unwrap().to_owned())
        .collect()
}

/// Said on stderr so a run without git-filter-repo shows what it did not prove.
fn skipped() {
    use std::io::Write as _;
    let _ = writeln!(
        std::io::stderr(),
        "skipped: git filter-repo is not installed (pip install git-filter-repo)"
    );
}

fn has_filter_repo(repo: &TestRepo) -> bool {
    let mut c = repo.cmd("git");
    pass_python_env(&mut c);
    c.args(["filter-repo", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// pyenv shims find their Python through these; the test environment is otherwise cleared.
fn pass_python_env(c: &mut std::process::Command) {
    for k in ["PYENV_ROOT", "PYENV_VERSION"] {
        if let Some(v) = std::env::var_os(k) {
            c.env(k, v);
        }
    }
}

/// Runs the printed commands in order, in one shell, from the repository root, with this build of
/// coach first on PATH (the commands call `coach purge-file`).
fn run(repo: &TestRepo, cmds: &[String]) {
    let script = format!("set -e\n{}\n", cmds.join("\n"));
    let bin = std::path::Path::new(COACH).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut c = repo.cmd("sh");
    pass_python_env(&mut c);
    let out = c
        .env("PATH", path)
        .args(["-c", &script])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "printed commands failed:\n{script}\n{}{}",
        stdout(&out),
        stderr(&out)
    );
}

/// Every object in a repository, contents included: the secret must be in none of them.
fn all_objects(repo: &TestRepo, git_dir: Option<&std::path::Path>) -> String {
    let mut args: Vec<String> = Vec::new();
    if let Some(d) = git_dir {
        args.push(format!("--git-dir={}", d.display()));
    }
    args.extend(["log", "--all", "-p", "--format=%H %s"].map(String::from));
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut out = repo.git(&a);
    if git_dir.is_none() {
        // Unreachable objects too: the reflog and loose objects of a rewritten commit.
        out.push_str(&repo.git(&["cat-file", "--batch-all-objects", "--batch"]));
    }
    out
}

fn work_copy(repo: &TestRepo, rel: &str) -> String {
    std::fs::read_to_string(repo.path(rel)).unwrap()
}

#[test]
fn staged_on_the_first_commit_is_unstaged_without_head() {
    let repo = TestRepo::init();
    repo.stage("settings.py", settings_py());
    let g = guidance(&report(&repo, &["--staged"]), "staged");
    let cmds = commands(&g);
    assert!(cmds.iter().all(|c| !c.contains("restore")), "{cmds:?}");
    run(&repo, &cmds);
    assert_eq!(repo.git(&["ls-files", "--cached"]), "");
    assert_eq!(work_copy(&repo, "settings.py"), settings_py());
}

/// Findings in more files than get their own steps: the first ones are spelled out, then one
/// command unstages the rest (and everything else staged), with and without a HEAD.
#[test]
fn findings_in_many_staged_files_end_in_one_command_for_the_rest() {
    for first_commit in [true, false] {
        let repo = TestRepo::init();
        if !first_commit {
            repo.stage("README.md", "readme\n");
            repo.commit("init");
        }
        for i in 0..25 {
            repo.stage(&format!("conf/s{i:02}.py"), settings_py());
        }
        let g = guidance(&report(&repo, &["--staged"]), "staged");
        let cmds = commands(&g);
        let text = g["clean_up"].to_string();
        assert!(text.contains("And 5 more files"), "{text}");
        assert_eq!(cmds.len(), 21, "{cmds:?}");
        run(&repo, &cmds);
        assert_eq!(repo.git(&["diff", "--cached", "--name-only"]), "");
        assert_eq!(work_copy(&repo, "conf/s24.py"), settings_py());
    }
}

#[test]
fn staged_secrets_file_on_the_first_commit_leaves_git_for_good() {
    let repo = TestRepo::init();
    repo.stage(".env", env_file());
    let g = guidance(&report(&repo, &["--staged"]), "staged");
    run(&repo, &commands(&g));
    assert_eq!(repo.git(&["ls-files", "--cached"]), ".gitignore\n");
    assert_eq!(work_copy(&repo, ".env"), env_file());
    assert_eq!(work_copy(&repo, ".gitignore"), ".env\n");
    assert_eq!(repo.git(&["status", "--porcelain", "--", ".env"]), "");
}

#[test]
fn staged_later_is_unstaged_and_an_ignored_file_is_not_ignored_twice() {
    let repo = TestRepo::init();
    repo.stage(".gitignore", ".env\n");
    repo.commit("init");
    repo.stage("settings.py", settings_py());
    repo.write(".env", env_file());
    repo.git(&["add", "--force", "--", ".env"]);
    let g = guidance(&report(&repo, &["--staged"]), "staged");
    let cmds = commands(&g);
    assert!(
        cmds.contains(&"git restore --staged -- settings.py".to_owned()),
        "{cmds:?}"
    );
    run(&repo, &cmds);
    assert_eq!(repo.git(&["diff", "--cached", "--name-only"]), "");
    assert_eq!(work_copy(&repo, "settings.py"), settings_py());
    assert_eq!(work_copy(&repo, ".env"), env_file());
    assert_eq!(
        work_copy(&repo, ".gitignore"),
        ".env\n",
        "not appended twice"
    );
}

#[test]
fn committed_at_head_is_amended_and_the_old_objects_dropped() {
    let repo = TestRepo::init();
    repo.stage("README.md", "hi\n");
    repo.commit("init");
    repo.stage(".env", env_file());
    repo.commit("add env");
    let g = guidance(&report(&repo, &["--history"]), "committed");
    run(&repo, &commands(&g));
    assert!(!all_objects(&repo, None).contains(SECRET));
    assert_eq!(work_copy(&repo, ".env"), env_file());
    assert_eq!(repo.git(&["ls-files", "--", ".env"]), "");
}

#[test]
fn committed_at_head_in_a_plain_file_is_amended_after_the_edit_coach_asks_for() {
    let repo = TestRepo::init();
    repo.stage("settings.py", settings_py());
    repo.commit("first");
    let g = guidance(&report(&repo, &["--history"]), "committed");
    let prose = g["clean_up"].to_string();
    assert!(
        prose.contains("Replace the value in settings.py"),
        "{prose}"
    );
    // The one step coach leaves to the person: the edit it names.
    repo.write(
        "settings.py",
        "DEBUG = True\naws_secret_access_key = os.environ[\"AWS_SECRET_ACCESS_KEY\"]\n",
    );
    run(&repo, &commands(&g));
    assert!(!all_objects(&repo, None).contains(SECRET));
}

#[test]
fn committed_deeper_is_rewritten_with_the_file_coach_writes() {
    let repo = TestRepo::init();
    if !has_filter_repo(&repo) {
        skipped();
        return;
    }
    repo.stage("README.md", "hi\n");
    repo.commit("init");
    repo.stage("deploy/prod.env", env_file());
    repo.commit("add env");
    repo.stage("README.md", "hi again\n");
    repo.commit("later work");
    let g = guidance(&report(&repo, &["--history"]), "committed");
    let cmds = commands(&g);
    assert!(
        cmds.iter().any(|c| c.contains("coach purge-file")),
        "{cmds:?}"
    );
    run(&repo, &cmds);
    let objects = all_objects(&repo, None);
    assert!(!objects.contains(SECRET));
    // The key ID, which coach flags on its own, goes too: the rewritten history scans clean.
    assert!(!objects.contains(KEY_ID));
    let out = repo.coach(&["scan", "--history"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(repo.git(&["log", "--format=%s"]).lines().count(), 3);
    // As promised: the working copy holds the marker, not the value.
    assert!(work_copy(&repo, "deploy/prod.env").contains("***REMOVED***"));
    assert!(
        !repo.path("").join("expressions").exists(),
        "no secret file left behind"
    );
}

#[test]
fn pushed_is_purged_from_a_fresh_mirror_clone_and_the_remote_is_clean() {
    let repo = TestRepo::init();
    if !has_filter_repo(&repo) {
        skipped();
        return;
    }
    let bare = repo.bare_remote();
    repo.stage("README.md", "hi\n");
    repo.commit("init");
    repo.stage("settings.py", settings_py());
    repo.commit("add settings");
    repo.stage("README.md", "hi again\n");
    repo.commit("later work");
    repo.git(&["push", "-q", "--no-verify", "-u", "origin", "main"]);
    repo.git(&["push", "-q", "--no-verify", "origin", "main:other"]);
    let g = guidance(&report(&repo, &["--history"]), "pushed");
    let cmds = commands(&g);
    // Never a mirror push from the working clone.
    assert!(
        cmds.iter()
            .filter(|c| c.contains("--mirror") && c.contains("push"))
            .all(|c| c.contains("mirror.git")),
        "{cmds:?}"
    );
    run(&repo, &cmds);
    let remote = all_objects(&repo, Some(&bare));
    assert!(!remote.contains(SECRET), "secret still on the remote");
    assert!(remote.contains("add settings"), "history kept, rewritten");
    let branches = repo.git(&[
        &format!("--git-dir={}", bare.display()),
        "branch",
        "--format=%(refname:short)",
    ]);
    assert_eq!(branches, "main\nother\n", "no remote branch deleted");
    // The working clone is not touched: the person re-clones when told to.
    assert_eq!(work_copy(&repo, "settings.py"), settings_py());
}

#[test]
fn purge_file_is_private_never_overwritten_and_holds_only_real_secrets() {
    let repo = TestRepo::init();
    let out = repo.coach(&["purge-file", "--output", "none.txt"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "nothing to purge: {}",
        stderr(&out)
    );
    assert!(!repo.path("none.txt").exists());
    repo.stage("deploy/prod.env", env_file());
    repo.stage("ci.yml", "env:\n  AWS_ACCESS_KEY_ID: ${{ secrets.KEY }}\n");
    repo.commit("leak");
    let out = repo.coach(&["purge-file", "--output", "expr.txt"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stdout(&out).contains(SECRET) && !stderr(&out).contains(SECRET));
    let text = work_copy(&repo, "expr.txt");
    assert_eq!(
        text,
        format!("literal:{SECRET}==>***REMOVED***\nliteral:{KEY_ID}==>***REMOVED***\n"),
        "secrets only, no practice finding"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(repo.path("expr.txt"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let again = repo.coach(&["purge-file", "--output", "expr.txt"]);
    assert_eq!(
        again.status.code(),
        Some(2),
        "an existing file is never overwritten"
    );
    assert_eq!(work_copy(&repo, "expr.txt"), text);
}

/// The one vendor-free command in the rules: decoding a JWT's claims must work on the unpadded
/// base64url JWTs use, with the token read from the silent prompt (here, standard input).
#[test]
fn jwt_claims_decode_reads_the_token_silently_and_handles_missing_padding() {
    let repo = TestRepo::init();
    let out = repo.coach(&["rules", "explain", "jwt.token"]);
    let text = stdout(&out);
    let cmd = text
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("$ "))
        .find(|l| l.contains("base64 -d"))
        .unwrap_or_else(|| panic!("no decode command in {text}"));
    assert!(cmd.starts_with("read -rs LEAKED && "), "{cmd}");
    // {"sub":"1234567890","name":"Jo"} is 32 bytes: its base64url needs two '=' it does not carry.
    let token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvIn0.c2ln";
    let mut child = repo
        .cmd("bash")
        .args(["-c", cmd])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    writeln!(child.stdin.take().unwrap(), "{token}").unwrap();
    let ran = child.wait_with_output().unwrap();
    assert!(ran.status.success(), "{}", stderr(&ran));
    assert_eq!(stdout(&ran), "{\"sub\":\"1234567890\",\"name\":\"Jo\"}\n");
}

/// Each coaching block says when its facts were checked; `rules check` warns (and still passes)
/// once that is over a year ago by COACH_NOW's clock, or when no date is recorded.
#[test]
fn verified_dates_are_shown_and_age_by_the_clock() {
    let repo = TestRepo::init();
    let explain = repo.coach(&["rules", "explain", "aws-iam-user-key"]);
    assert!(
        stdout(&explain).contains("Verified:     2026-12, against the docs above"),
        "{}",
        stdout(&explain)
    );
    let stripe = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/stripe.toml");
    let check = |now: &str| {
        repo.cmd(COACH)
            .args(["rules", "check"])
            .arg(&stripe)
            .env("COACH_NOW", now)
            .output()
            .unwrap()
    };
    // 2026-12-01 and 2028-01-15.
    let fresh = check("1796083200");
    assert_eq!(fresh.status.code(), Some(0), "{}", stderr(&fresh));
    assert!(
        !stderr(&fresh).contains("coaching.stripe-secret-key.verified"),
        "{}",
        stderr(&fresh)
    );
    let stale = check("1831507200");
    assert_eq!(stale.status.code(), Some(0), "{}", stderr(&stale));
    assert!(
        stderr(&stale).contains("coaching.stripe-secret-key.verified: 2026-12 is 13 months ago"),
        "{}",
        stderr(&stale)
    );
    assert!(
        stdout(&stale).contains("due for checking"),
        "{}",
        stdout(&stale)
    );
}
