//! The behaviour ledger end to end: real repositories, real `git commit` through the installed hook,
//! the ledger file in the test's own state folder. See: #5
use crate::support::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const DAY: i64 = 86_400;
const T0: i64 = 1_800_000_000;

/// A second and third fake token (valid checksums, never issued).
fn token_b() -> String {
    github_token("Bb8Zr2LmW0xYt5Nv7Kp3Hs9Dj1Fb6G")
}
fn token_c() -> String {
    github_token("Cc8Zr2LmW0xYt5Nv7Kp3Hs9Dj1Fb6H")
}

fn run(mut c: Command, env: &[(&str, &str)], args: &[&str]) -> Output {
    for (k, v) in env {
        c.env(k, v);
    }
    c.args(args).stdin(Stdio::null()).output().expect("runs")
}

fn git(repo: &TestRepo, env: &[(&str, &str)], args: &[&str]) -> Output {
    run(repo.cmd("git"), env, args)
}

fn coach(repo: &TestRepo, env: &[(&str, &str)], args: &[&str]) -> Output {
    run(repo.cmd(COACH), env, args)
}

fn at(t: i64) -> String {
    t.to_string()
}

fn ledger_path(repo: &TestRepo) -> PathBuf {
    repo.home.join("state").join("ledger.sqlite")
}

fn stats_json(repo: &TestRepo, env: &[(&str, &str)]) -> serde_json::Value {
    let out = coach(repo, env, &["stats", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("stats json")
}

fn export(repo: &TestRepo) -> Vec<serde_json::Value> {
    let out = coach(repo, &[], &["stats", "--export", "jsonl"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(
        lines[0]["format"], "coach-ledger-export",
        "versioned header first"
    );
    assert_eq!(lines[0]["version"], 1);
    lines[1..].to_vec()
}

/// A repository with hooks installed and a config that makes GitHub PATs warn (so escalation shows).
fn warn_repo() -> TestRepo {
    let repo = TestRepo::init();
    repo.install_hooks();
    repo.stage(
        ".coach.toml",
        "team-contact = \"#security-help\"\n[policy.kind]\ngithub-pat = \"warn\"\n",
    );
    repo.commit("config");
    repo
}

/// The ledger session a pre-push hook in `repo` would open.
fn pre_push_session(repo: &TestRepo, g: &git2::Repository) -> coach::api::Session {
    let settings = coach::api::LedgerSettings {
        path: Some(ledger_path(repo)),
        ..coach::api::LedgerSettings::default()
    };
    coach::api::Session::open(g, &settings, "pre-push")
        .unwrap()
        .unwrap()
}

fn commit_secret(
    repo: &TestRepo,
    file: &str,
    secret: &str,
    env: &[(&str, &str)],
) -> (Output, String) {
    repo.stage(file, format!("token: {secret}\n"));
    let out = git(repo, env, &["commit", "-m", file]);
    let err = stderr(&out);
    assert!(!err.contains(secret), "a full secret was printed");
    (out, err)
}

#[test]
fn a_repeat_by_the_same_author_escalates_then_adds_the_team_contact() {
    let repo = warn_repo();
    let (out, err) = commit_secret(&repo, "a.yml", &token(), &[("COACH_NOW", &at(T0))]);
    assert!(out.status.success(), "first time: warn only\n{err}");
    assert!(err.contains("WARN"), "{err}");
    assert!(!err.contains("Again:"), "{err}");

    let (out, err) = commit_secret(&repo, "b.yml", &token_b(), &[("COACH_NOW", &at(T0 + DAY))]);
    assert!(
        !out.status.success(),
        "a repeat within 30 days blocks\n{err}"
    );
    assert!(err.contains("BLOCK"), "{err}");
    assert!(err.contains("Again:"), "{err}");
    assert!(err.contains("in your changes once before"), "{err}");
    assert!(err.contains("most recently 1 day ago"), "{err}");
    assert!(
        !err.contains("#security-help"),
        "two occurrences: no contact yet\n{err}"
    );

    // The person drops that secret and tries again with another one: the third in 90 days.
    repo.git(&["rm", "-q", "--cached", "b.yml"]);
    let (out, err) = commit_secret(
        &repo,
        "c.yml",
        &token_c(),
        &[("COACH_NOW", &at(T0 + 2 * DAY))],
    );
    assert!(!out.status.success(), "{err}");
    assert!(err.contains("in your changes twice before"), "{err}");
    // The contact comes from the repository's .coach.toml, so it is quoted and labelled (#10).
    assert!(
        err.contains(
            "Ask your team contact for help setting up a safer flow. From .coach.toml (repository config, not checked by coach): \"#security-help\""
        ),
        "{err}"
    );
}

#[test]
fn a_repeat_outside_the_window_does_not_escalate() {
    let repo = warn_repo();
    let (out, _) = commit_secret(&repo, "a.yml", &token(), &[("COACH_NOW", &at(T0))]);
    assert!(out.status.success());
    let (out, err) = commit_secret(
        &repo,
        "b.yml",
        &token_b(),
        &[("COACH_NOW", &at(T0 + 31 * DAY))],
    );
    assert!(out.status.success(), "31 days later is not a repeat\n{err}");
    assert!(!err.contains("BLOCK"), "{err}");
}

#[test]
fn a_different_author_does_not_inherit_a_repeat() {
    let repo = warn_repo();
    let (out, _) = commit_secret(&repo, "a.yml", &token(), &[("COACH_NOW", &at(T0))]);
    assert!(out.status.success());
    let bob = [
        ("COACH_NOW", at(T0 + DAY)),
        ("GIT_AUTHOR_EMAIL", "bob@example.test".to_owned()),
    ];
    let bob: Vec<(&str, &str)> = bob.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (out, err) = commit_secret(&repo, "b.yml", &token_b(), &bob);
    assert!(out.status.success(), "bob's first time only warns\n{err}");
    assert!(!err.contains("Again:"), "{err}");
    // Ada's repeat still escalates: the history is hers.
    let (out, err) = commit_secret(&repo, "c.yml", &token_c(), &[("COACH_NOW", &at(T0 + DAY))]);
    assert!(!out.status.success(), "{err}");
    let stats = stats_json(&repo, &[]);
    let authors: Vec<&str> = stats["authors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(authors, ["ada@example.test", "bob@example.test"]);
}

#[test]
fn restaging_a_blocked_secret_is_named_as_the_same_secret() {
    let repo = TestRepo::init();
    repo.install_hooks();
    let (out, _) = commit_secret(&repo, "a.yml", &token(), &[]);
    assert!(!out.status.success());
    let out = git(&repo, &[], &["commit", "-m", "again"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("the same value coach blocked before"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn time_to_fix_is_recorded_when_the_blocked_secret_is_no_longer_staged() {
    let repo = TestRepo::init();
    repo.install_hooks();
    let (out, _) = commit_secret(&repo, "a.yml", &token(), &[("COACH_NOW", &at(T0))]);
    assert!(!out.status.success());
    // A second attempt an hour later, still blocked: the incident stays open from the first block.
    let out = git(
        &repo,
        &[("COACH_NOW", &at(T0 + 3600))],
        &["commit", "-m", "x"],
    );
    assert!(!out.status.success());
    repo.stage("a.yml", "token: ${GITHUB_TOKEN}\n");
    let out = git(
        &repo,
        &[("COACH_NOW", &at(T0 + 7200))],
        &["commit", "-m", "fixed"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let stats = stats_json(&repo, &[]);
    assert_eq!(stats["time_to_fix"]["fixed"], 1, "{stats:#}");
    assert_eq!(stats["time_to_fix"]["median"], 7200, "{stats:#}");
    // A later clean commit does not fix it twice.
    repo.stage("b.txt", "hello\n");
    let out = git(
        &repo,
        &[("COACH_NOW", &at(T0 + 9000))],
        &["commit", "-m", "more"],
    );
    assert!(out.status.success());
    assert_eq!(stats_json(&repo, &[])["time_to_fix"]["fixed"], 1);
    let human = stdout(&coach(&repo, &[("COACH_NOW", &at(T0 + 9000))], &["stats"]));
    assert!(
        human.contains("time to fix: median 2h 0m, p90 2h 0m (1 fixed)"),
        "{human}"
    );
}

#[test]
fn coach_skip_is_recorded_as_a_bypass() {
    let repo = TestRepo::init();
    repo.install_hooks();
    let (out, err) = commit_secret(&repo, "a.yml", &token(), &[("COACH_SKIP", "1")]);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("recorded as a bypass"), "{err}");
    let stats = stats_json(&repo, &[]);
    assert_eq!(stats["bypasses"]["COACH_SKIP"], 1, "{stats:#}");
    let events = export(&repo);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["action"], "bypassed");
    assert_eq!(events[0]["author"], "ada@example.test");
}

#[test]
fn a_new_inline_allow_is_recorded_once_with_its_reason() {
    let repo = TestRepo::init();
    repo.install_hooks();
    repo.stage(
        "fixture.yml",
        format!(
            "token: {} # coach:allow github.pat-classic -- parser test fixture\n",
            token()
        ),
    );
    repo.stage("a.yml", format!("token: {}\n", token_b()));
    // Blocked by a.yml; the allow in fixture.yml is recorded now and not again on the retry.
    assert!(!git(&repo, &[], &["commit", "-m", "x"]).status.success());
    assert!(!git(&repo, &[], &["commit", "-m", "x"]).status.success());
    let stats = stats_json(&repo, &[]);
    let allows = stats["allows"].as_array().unwrap();
    assert_eq!(allows.len(), 1, "{stats:#}");
    assert_eq!(allows[0]["reason"], "parser test fixture");
    assert_eq!(allows[0]["action"], "allowed-inline");
    assert_eq!(allows[0]["count"], 1);
}

#[test]
fn roles_are_recorded_with_findings() {
    let repo = TestRepo::init();
    repo.install_hooks();
    repo.stage(
        ".coach.toml",
        "[[roles]]\nname = \"platform\"\npaths = [\"infra/**\"]\ncoaching = \"Use the vault module.\"\n",
    );
    repo.commit("config");
    let (out, err) = commit_secret(&repo, "infra/main.yml", &token(), &[]);
    assert!(!out.status.success());
    assert!(err.contains("role: platform"), "{err}");
    let stats = stats_json(&repo, &[]);
    assert_eq!(stats["roles"][0]["name"], "platform", "{stats:#}");
    assert_eq!(stats["roles"][0]["blocked"], 1, "{stats:#}");
}

#[test]
fn two_hooks_writing_at_once_lose_nothing() {
    // Two repositories, one state folder: two processes append to the same ledger concurrently.
    let a = TestRepo::init();
    let b = TestRepo::init();
    let state = a.home.join("state");
    for r in [&a, &b] {
        r.stage("a.yml", format!("token: {}\n", token()));
    }
    const RUNS: usize = 6;
    let handles: Vec<_> = [a.dir.clone(), b.dir.clone()]
        .into_iter()
        .map(|dir| {
            let (state, home) = (state.clone(), a.home.clone());
            std::thread::spawn(move || {
                let mut errs = Vec::new();
                for _ in 0..RUNS {
                    let out = Command::new(COACH)
                        .args(["hook", "pre-commit"])
                        .current_dir(&dir)
                        .env_clear()
                        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
                        .env("HOME", &home)
                        .env("GIT_CONFIG_NOSYSTEM", "1")
                        .env("GIT_AUTHOR_EMAIL", "ada@example.test")
                        .env("COACH_STATE_DIR", &state)
                        .env("NO_COLOR", "1")
                        .stdin(Stdio::null())
                        .output()
                        .unwrap();
                    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
                    errs.push(stderr(&out));
                }
                errs
            })
        })
        .collect();
    for h in handles {
        for err in h.join().unwrap() {
            assert!(
                !err.contains("ledger"),
                "no ledger warning expected:\n{err}"
            );
        }
    }
    let blocked = export(&a)
        .iter()
        .filter(|e| e["action"] == "blocked")
        .count();
    assert_eq!(blocked, 2 * RUNS);
}

#[test]
fn a_corrupt_ledger_warns_and_the_findings_still_decide() {
    let repo = TestRepo::init();
    repo.install_hooks();
    let path = ledger_path(&repo);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, vec![0x5a_u8; 8192]).unwrap();
    let (out, err) = commit_secret(&repo, "a.yml", &token(), &[]);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("warning: ledger unavailable"), "{err}");
    assert!(err.contains("coach ledger forget"), "{err}");
    repo.git(&["rm", "-q", "--cached", "a.yml"]);
    repo.stage("b.txt", "clean\n");
    let out = git(&repo, &[], &["commit", "-m", "clean"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("warning: ledger unavailable"));
    // `coach ledger forget` gets a working ledger back.
    assert!(coach(&repo, &[], &["ledger", "forget"]).status.success());
    assert!(!path.exists());
    let (out, err) = commit_secret(&repo, "c.yml", &token(), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!err.contains("ledger unavailable"), "{err}");
    assert!(path.exists());
}

fn unwritable_state_case(repo: &TestRepo, state: &Path) {
    let state = state.to_str().unwrap();
    let (out, err) = commit_secret(repo, "a.yml", &token(), &[("COACH_STATE_DIR", state)]);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("warning: ledger unavailable"), "{err}");
    repo.git(&["rm", "-q", "--cached", "a.yml"]);
    repo.stage("b.txt", format!("clean {state}\n"));
    let out = git(
        repo,
        &[("COACH_STATE_DIR", state)],
        &["commit", "-m", "clean"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_read_only_state_folder_warns_and_the_findings_still_decide() {
    let repo = TestRepo::init();
    repo.install_hooks();
    let ro = repo.tmp.path().join("ro-state");
    std::fs::create_dir_all(&ro).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    }
    // root ignores permission bits; then a folder that cannot exist (under a file) stands in for it.
    let really_read_only = std::fs::write(ro.join("probe"), b"x").is_err();
    let state = if really_read_only {
        ro.clone()
    } else {
        let file = repo.tmp.path().join("a-file");
        std::fs::write(&file, b"").unwrap();
        file.join("state")
    };
    unwritable_state_case(&repo, &state);
}

#[test]
fn the_ledger_holds_no_secret_and_no_plain_hash_of_one() {
    use sha2::{Digest, Sha256};
    let repo = TestRepo::init();
    repo.install_hooks();
    let secrets = [
        token(),
        token_b(),
        token_c(),
        "S3cretPassw0rd-x9Lq2".to_owned(),
    ];
    repo.stage("a.yml", format!("token: {}\n", secrets[0]));
    repo.stage("b.yml", format!("token: {}\n", secrets[1]));
    repo.stage(
        "c.yml",
        format!(
            "token: {} # coach:allow github.pat-classic -- fixture\ndb: postgres://app:{}@db.internal:5432/app\n",
            secrets[2], secrets[3]
        ),
    );
    assert!(!git(&repo, &[], &["commit", "-m", "x"]).status.success());
    repo.git(&["rm", "-q", "--cached", "a.yml", "b.yml"]);
    let _ = git(&repo, &[("COACH_SKIP", "")], &["commit", "-m", "y"]);
    let dir = repo.home.join("state");
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let p = entry.unwrap().path();
        if p.file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("ledger")
        {
            bytes.extend(std::fs::read(&p).unwrap());
        }
    }
    let exported = stdout(&coach(&repo, &[], &["stats", "--export", "jsonl"]));
    assert!(exported.contains("\"fingerprint\":\""), "{exported}");
    assert!(bytes.len() > 4096, "the ledger was written");
    let contains = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).any(|w| w == needle);
    for s in &secrets {
        let digest = Sha256::digest(s.as_bytes());
        for needle in [
            s.as_bytes().to_vec(),
            hex::encode(digest).into_bytes(),
            hex::encode_upper(digest).into_bytes(),
            digest.to_vec(),
            hex::encode(&digest[..16]).into_bytes(),
        ] {
            assert!(
                !contains(&bytes, &needle),
                "secret material found in the ledger"
            );
            assert!(
                !contains(exported.as_bytes(), &needle),
                "secret material in the export"
            );
        }
    }
}

#[test]
fn ledger_path_follows_env_and_config() {
    let repo = TestRepo::init();
    let out = coach(&repo, &[], &["ledger", "path"]);
    assert_eq!(stdout(&out).trim(), ledger_path(&repo).to_str().unwrap());
    // The user config may move the ledger; the repository's config may not (docs/SECURITY.md).
    let user = repo.home.join("user.toml");
    std::fs::write(&user, "[ledger]\npath = \"/tmp/elsewhere.sqlite\"\n").unwrap();
    let user_env = [("COACH_CONFIG", user.to_str().unwrap())];
    let out = coach(&repo, &user_env, &["ledger", "path"]);
    assert_eq!(stdout(&out).trim(), "/tmp/elsewhere.sqlite");
    repo.write(
        ".coach.toml",
        "[ledger]\npath = \"/tmp/elsewhere.sqlite\"\n",
    );
    let out = coach(&repo, &[], &["ledger", "path"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("ledger.path: not allowed in repository config"));
    repo.write(".coach.toml", "");
    let out = coach(
        &repo,
        &[("COACH_LEDGER", "/tmp/env.sqlite")],
        &["ledger", "path"],
    );
    assert_eq!(stdout(&out).trim(), "/tmp/env.sqlite");
    repo.write(".coach.toml", "[ledger]\nrepeat-window = \"soon\"\n");
    let out = coach(&repo, &[], &["ledger", "path"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(".coach.toml:2:18: ledger.repeat-window: \"soon\""),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_index_tree_matches_git_write_tree_without_writing() {
    let repo = TestRepo::init();
    repo.stage("a.b", "1\n");
    repo.stage("a/x", "2\n");
    repo.stage("a-b/y", "3\n");
    repo.stage("a0", "4\n");
    repo.stage("deep/er/still/z.txt", "5\n");
    repo.write("run.sh", "#!/bin/sh\n");
    repo.git(&["add", "--chmod=+x", "run.sh"]);
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("a.b", repo.path("link")).unwrap();
        repo.git(&["add", "link"]);
    }
    repo.write("later.txt", "i-t-a\n");
    repo.git(&["add", "-N", "later.txt"]);
    let objects_before = repo.git(&["count-objects", "-v"]);
    let git_repo = git2::Repository::open(&repo.dir).unwrap();
    let ours = coach::api::index_tree(&git_repo.index().unwrap()).unwrap();
    assert_eq!(
        repo.git(&["count-objects", "-v"]),
        objects_before,
        "nothing written"
    );
    let theirs = repo.git(&["write-tree"]);
    assert_eq!(ours.to_string(), theirs.trim());
}

/// The patch id reads both sides of every file whole: a change with a file over the size bound
/// gets none (the tree still identifies it). The patch id of an approved change, computed later, is
/// the one of the commit that made it.
#[test]
fn patch_ids_of_approved_changes_match_their_commits_within_the_size_bound() {
    let repo = TestRepo::init();
    repo.stage("big.txt", "line of text\n".repeat(50));
    repo.commit("base");
    repo.stage("big.txt", "line of text\n".repeat(60));
    repo.stage("small.txt", "x\n");
    let g = git2::Repository::open(&repo.dir).unwrap();
    let approved = coach::api::approval(&g, &g.index().unwrap()).unwrap();
    let base = g.head().unwrap().peel_to_tree().unwrap().id();
    assert_eq!(approved.base, Some(base));
    // Before the commit its tree is not in the repository: no patch id yet.
    assert_eq!(
        coach::api::change_patch(&g, &approved, 1 << 20).unwrap(),
        None
    );
    repo.commit("grow");
    let head = g.head().unwrap().peel_to_commit().unwrap();
    assert_eq!(head.tree_id(), approved.tree);
    let patch = coach::api::commit_patch(&g, &head, 1 << 20).unwrap();
    assert!(patch.is_some());
    assert_eq!(
        coach::api::change_patch(&g, &approved, 1 << 20).unwrap(),
        patch
    );
    assert_eq!(
        coach::api::commit_patch(&g, &head, 700).unwrap(),
        None,
        "780 bytes"
    );
    assert_eq!(coach::api::change_patch(&g, &approved, 700).unwrap(), None);
    // The old side counts too: shrinking the file below the bound still reads the big one.
    repo.stage("big.txt", "short\n");
    repo.commit("shrink");
    let head = g.head().unwrap().peel_to_commit().unwrap();
    assert_eq!(coach::api::commit_patch(&g, &head, 700).unwrap(), None);
    assert!(coach::api::commit_patch(&g, &head, 1 << 20)
        .unwrap()
        .is_some());
}

/// A clean commit records its change for later, not a patch id: that is computed at push time,
/// once a pushed tree was not approved, and then the pending change is settled.
#[test]
fn a_clean_commit_defers_its_patch_id_to_the_push_that_needs_it() {
    let repo = TestRepo::init();
    repo.stage("README.md", "base\n");
    repo.commit("base");
    repo.install_hooks();
    repo.stage("a.txt", "one\n");
    let out = git(&repo, &[], &["commit", "-q", "-m", "one"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let db = rusqlite::Connection::open(ledger_path(&repo)).unwrap();
    let count = |table: &str| -> i64 {
        db.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(
        (count("approved_changes"), count("approved_patches")),
        (1, 0)
    );
    // A new commit object with the approved tree (reworded), then one that was never checked.
    repo.git(&[
        "commit",
        "-q",
        "--amend",
        "--no-verify",
        "-m",
        "one, reworded",
    ]);
    repo.stage("b.txt", "two\n");
    let out = git(&repo, &[], &["commit", "-q", "--no-verify", "-m", "two"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let g = git2::Repository::open(&repo.dir).unwrap();
    let mut session = pre_push_session(&repo, &g);
    let two = g.head().unwrap().peel_to_commit().unwrap();
    let one = two.parent(0).unwrap();
    let unchecked = session
        .unchecked_commits(&g, &[two.id(), one.id()])
        .unwrap();
    assert_eq!(
        unchecked,
        vec![two.id()],
        "one's tree was approved; two was never checked"
    );
    assert_eq!(
        (count("approved_changes"), count("approved_patches")),
        (0, 1)
    );
}

#[test]
fn commits_not_approved_at_pre_commit_are_unchecked_at_push_time() {
    let repo = TestRepo::init();
    // History from before coach first ran here is adoption, not a bypass.
    let before = git(
        &repo,
        &[("GIT_COMMITTER_DATE", "2001-01-01T00:00:00Z")],
        &["commit", "-q", "--allow-empty", "-m", "old"],
    );
    assert!(before.status.success());
    let old = repo.git(&["rev-parse", "HEAD"]).trim().to_owned();
    repo.install_hooks();
    repo.stage("a.txt", "checked\n");
    let out = git(&repo, &[], &["commit", "-q", "-m", "checked"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let checked = repo.git(&["rev-parse", "HEAD"]).trim().to_owned();
    repo.stage("b.yml", format!("token: {}\n", token()));
    let bypassed = repo.commit("made with --no-verify");
    let g = git2::Repository::open(&repo.dir).unwrap();
    let mut session = pre_push_session(&repo, &g);
    let ids: Vec<git2::Oid> = [&checked, &bypassed, &old]
        .iter()
        .map(|s| git2::Oid::from_str(s).unwrap())
        .collect();
    let unchecked = session.unchecked_commits(&g, &ids).unwrap();
    assert_eq!(unchecked, vec![ids[1]]);
    assert_eq!(
        session.record_push(&g, &ids, &[], true).unwrap(),
        vec![ids[1]]
    );
    session.record_push(&g, &ids, &[], true).unwrap();
    let events = session.ledger().unwrap().events(None).unwrap();
    let bypasses: Vec<_> = events
        .iter()
        .filter(|e| e.action == coach::api::Action::Bypassed)
        .collect();
    assert_eq!(
        bypasses.len(),
        1,
        "a commit is one bypass, however often it is pushed"
    );
    assert_eq!(bypasses[0].commit.as_deref(), Some(bypassed.as_str()));
    assert!(bypasses[0]
        .reason
        .as_deref()
        .unwrap()
        .contains("--no-verify"));
}

#[test]
fn stats_table_shows_kinds_roles_authors_bypasses_and_allows() {
    let repo = warn_repo();
    repo.stage(
        ".coach.toml",
        "[policy.kind]\ngithub-pat = \"warn\"\n[[roles]]\nname = \"platform\"\npaths = [\"infra/**\"]\ncoaching = \"Use the vault module.\"\n",
    );
    repo.commit("roles");
    let (out, _) = commit_secret(&repo, "infra/a.yml", &token(), &[("COACH_NOW", &at(T0))]);
    assert!(out.status.success());
    let (out, _) = commit_secret(&repo, "b.yml", &token_b(), &[("COACH_NOW", &at(T0 + 60))]);
    assert!(!out.status.success());
    repo.stage("b.yml", "token: ${TOKEN}\n");
    let out = git(
        &repo,
        &[("COACH_NOW", &at(T0 + 1800))],
        &["commit", "-m", "fix"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let (out, _) = commit_secret(
        &repo,
        "c.yml",
        &token_c(),
        &[("COACH_NOW", &at(T0 + 3600)), ("COACH_SKIP", "1")],
    );
    assert!(out.status.success());
    let out = coach(
        &repo,
        &[("COACH_NOW", &at(T0 + DAY))],
        &["stats", "--since", "30d"],
    );
    insta::assert_snapshot!(transcript(&repo, &out));
}

#[test]
fn a_no_verify_commit_is_caught_at_pre_push_and_recorded_as_a_bypass() {
    let repo = TestRepo::init();
    repo.install_hooks();
    repo.bare_remote();
    repo.stage("a.txt", "checked\n");
    assert!(git(&repo, &[], &["commit", "-q", "-m", "checked"])
        .status
        .success());
    repo.stage("b.txt", "not checked\n");
    let unchecked = repo.commit("made with --no-verify");
    let out = git(&repo, &[], &["push", "-q", "origin", "main"]);
    let err = stderr(&out);
    assert!(
        out.status.success(),
        "a clean bypassed commit still pushes\n{err}"
    );
    let short = &unchecked[..12];
    assert!(
        err.contains(&format!("unchecked commit @{short}")),
        "the bypass is reported\n{err}"
    );
    assert_eq!(err.matches("unchecked commit @").count(), 1, "{err}");
    assert_eq!(
        stats_json(&repo, &[])["bypasses"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum::<u64>(),
        1
    );

    // A bypassed commit that carries a secret: reported, scanned, blocked, recorded with its finding.
    repo.stage("c.yml", format!("token: {}\n", token()));
    let secret_commit = repo.commit("secret, no hook");
    let out = git(&repo, &[], &["push", "-q", "origin", "main"]);
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    assert!(
        err.contains(&format!("unchecked commit @{}", &secret_commit[..12])),
        "{err}"
    );
    assert!(err.contains("github.pat-classic"), "{err}");
    let events = export(&repo);
    let with_rule = events
        .iter()
        .filter(|e| e["action"] == "bypassed" && e["rule_id"] == "github.pat-classic")
        .count();
    assert_eq!(with_rule, 1, "{events:#?}");
}

#[test]
fn coach_skip_at_pre_push_is_recorded() {
    let repo = TestRepo::init();
    repo.install_hooks();
    repo.bare_remote();
    repo.stage("a.txt", "x\n");
    assert!(git(&repo, &[], &["commit", "-q", "-m", "x"])
        .status
        .success());
    let out = git(
        &repo,
        &[("COACH_SKIP", "1")],
        &["push", "-q", "origin", "main"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let events = export(&repo);
    assert!(
        events
            .iter()
            .any(|e| e["action"] == "bypassed" && e["stage"] == "pre-push"),
        "{events:#?}"
    );
}

#[test]
fn coach_scan_gives_the_verdict_the_hook_would_give_on_a_repeat() {
    let repo = warn_repo();
    let (out, err) = commit_secret(&repo, "a.yml", &token(), &[("COACH_NOW", &at(T0))]);
    assert!(out.status.success(), "first time: warn only\n{err}");
    repo.stage("b.yml", format!("token: {}\n", token_b()));
    let events = export(&repo).len();
    let scan = coach(&repo, &[("COACH_NOW", &at(T0 + DAY))], &["scan"]);
    let text = format!("{}{}", stdout(&scan), stderr(&scan));
    assert_eq!(scan.status.code(), Some(1), "{text}");
    assert!(text.contains("BLOCK"), "{text}");
    assert!(!text.contains(&token_b()), "a full secret was printed");
    // `coach scan` reads the ledger but records nothing.
    assert_eq!(export(&repo).len(), events);
    // The hook, for the same change, blocks too.
    let out = git(
        &repo,
        &[("COACH_NOW", &at(T0 + DAY))],
        &["commit", "-m", "b"],
    );
    assert!(!out.status.success());
}
