//! The ledger's numbers are right (#17 section 1): one repeat definition with its scope, one bypass
//! number that replays of approved changes do not inflate, a repository identity that survives
//! `git remote add`, and an exposure that is never described as less than coach saw. Real
//! repositories, several authors, clocks set through `COACH_NOW` and `GIT_COMMITTER_DATE`.
use crate::support::*;
use std::process::{Command, Output, Stdio};

const DAY: i64 = 86_400;
const T0: i64 = 1_800_000_000;

fn token_b() -> String {
    github_token("Bb8Zr2LmW0xYt5Nv7Kp3Hs9Dj1Fb6G")
}

fn run(mut c: Command, env: &[(&str, String)], args: &[&str]) -> Output {
    for (k, v) in env {
        c.env(k, v);
    }
    c.args(args).stdin(Stdio::null()).output().expect("runs")
}

/// The clock for coach and Git alike, and an author.
fn at(t: i64, who: &str) -> Vec<(&'static str, String)> {
    vec![
        ("COACH_NOW", t.to_string()),
        ("GIT_COMMITTER_DATE", format!("@{t} +0000")),
        ("GIT_AUTHOR_DATE", format!("@{t} +0000")),
        ("GIT_AUTHOR_EMAIL", who.to_owned()),
        ("GIT_COMMITTER_EMAIL", who.to_owned()),
    ]
}

fn git(repo: &TestRepo, env: &[(&str, String)], args: &[&str]) -> Output {
    run(repo.cmd("git"), env, args)
}

fn ok(out: Output) -> Output {
    assert!(out.status.success(), "{}\n{}", stdout(&out), stderr(&out));
    out
}

fn stats(repo: &TestRepo, env: &[(&str, String)]) -> serde_json::Value {
    let out = ok(run(repo.cmd(COACH), env, &["stats", "--format", "json"]));
    serde_json::from_slice(&out.stdout).expect("stats json")
}

fn bypass_total(s: &serde_json::Value) -> u64 {
    let total = s["totals"]["bypasses"].as_u64().unwrap();
    // One number, whichever way it is broken down.
    let by_reason: u64 = s["bypasses"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    let sum = |k: &str| -> u64 {
        s[k].as_array()
            .unwrap()
            .iter()
            .map(|r| r["bypasses"].as_u64().unwrap())
            .sum()
    };
    assert_eq!(by_reason, total, "{s:#}");
    assert_eq!(sum("authors"), total, "{s:#}");
    assert_eq!(sum("repositories"), total, "{s:#}");
    total
}

fn commit_file(repo: &TestRepo, env: &[(&str, String)], file: &str, text: &str) -> Output {
    repo.stage(file, text);
    git(repo, env, &["commit", "-q", "-m", file])
}

#[test]
fn a_no_verify_commit_made_before_the_remote_was_added_is_still_a_bypass() {
    let repo = TestRepo::init();
    repo.install_hooks();
    ok(commit_file(
        &repo,
        &at(T0, "ada@example.test"),
        "a.txt",
        "a\n",
    ));
    ok(commit_file(
        &repo,
        &at(T0 + 60, "ada@example.test"),
        "b.txt",
        "b\n",
    ));
    repo.stage("c.txt", "c\n");
    ok(git(
        &repo,
        &at(T0 + 120, "bob@example.test"),
        &["commit", "-q", "--no-verify", "-m", "c"],
    ));
    // The remote comes last: the repository must still be the one coach first saw at T0.
    repo.bare_remote();
    let out = ok(git(
        &repo,
        &at(T0 + 180, "ada@example.test"),
        &["push", "-q", "origin", "main"],
    ));
    assert!(
        stderr(&out).contains("unchecked commit @"),
        "{}",
        stderr(&out)
    );
    let s = stats(&repo, &[]);
    assert_eq!(bypass_total(&s), 1, "{s:#}");
    // The remote URL is the label, the root commit the identity.
    let repos = s["repositories"].as_array().unwrap();
    assert_eq!(repos.len(), 1, "{s:#}");
    assert!(
        repos[0]["name"].as_str().unwrap().ends_with("remote.git"),
        "{s:#}"
    );
    let bob = s["authors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "bob@example.test")
        .expect("the bypass is the committer's author's");
    assert_eq!(bob["bypasses"], 1);
}

#[test]
fn a_rebase_or_cherry_pick_of_approved_changes_is_not_a_bypass() {
    let repo = pushed_repo();
    // pushed_repo's own first commit skipped the hook.
    let before = bypass_total(&stats(&repo, &[]));
    let ada = |t| at(t, "ada@example.test");
    ok(git(&repo, &ada(T0), &["checkout", "-q", "-b", "feature"]));
    ok(commit_file(&repo, &ada(T0 + 10), "f1.txt", "one\n"));
    ok(commit_file(&repo, &ada(T0 + 20), "f2.txt", "two\n"));
    ok(git(&repo, &ada(T0 + 30), &["checkout", "-q", "main"]));
    ok(commit_file(&repo, &ada(T0 + 40), "m.txt", "main moved\n"));
    ok(git(&repo, &ada(T0 + 50), &["checkout", "-q", "feature"]));
    // Git runs no pre-commit for the replayed commits: new trees, the same patches.
    ok(git(&repo, &ada(T0 + 60), &["rebase", "-q", "main"]));
    ok(git(
        &repo,
        &ada(T0 + 70),
        &["checkout", "-q", "-b", "picked", "main"],
    ));
    let f1 = repo.git(&["rev-parse", "feature~1"]).trim().to_owned();
    ok(git(&repo, &ada(T0 + 80), &["cherry-pick", &f1]));
    // And one change nobody approved, so the test can tell the two apart.
    repo.stage("nv.txt", "never checked\n");
    ok(git(
        &repo,
        &ada(T0 + 90),
        &["commit", "-q", "--no-verify", "-m", "nv"],
    ));
    let out = ok(git(
        &repo,
        &ada(T0 + 100),
        &["push", "-q", "origin", "main", "feature", "picked"],
    ));
    let err = stderr(&out);
    let log = repo.git(&["log", "--all", "--oneline"]);
    assert_eq!(err.matches("unchecked commit @").count(), 1, "{err}\n{log}");
    let nv = repo.git(&["rev-parse", "picked"]).trim().to_owned();
    assert!(
        err.contains(&format!("unchecked commit @{}", &nv[..12])),
        "{err}"
    );
    assert_eq!(bypass_total(&stats(&repo, &[])), before + 1);
}

#[test]
fn an_exposure_coach_saw_pushed_is_never_downgraded() {
    let repo = pushed_repo();
    repo.stage(".coach.toml", "[policy.kind]\ngithub-pat = \"warn\"\n");
    repo.commit("warn");
    let ada = |t| at(t, "ada@example.test");
    ok(git(&repo, &ada(T0), &["checkout", "-q", "-b", "leak"]));
    ok(commit_file(
        &repo,
        &ada(T0 + 10),
        "a.yml",
        &format!("token: {}\n", token()),
    ));
    ok(git(&repo, &ada(T0 + 20), &["push", "-q", "origin", "leak"]));
    // The branch is deleted everywhere and the commit rewritten away: no ref holds the secret.
    ok(git(&repo, &ada(T0 + 30), &["checkout", "-q", "main"]));
    ok(git(
        &repo,
        &ada(T0 + 40),
        &["push", "-q", "origin", "--delete", "leak"],
    ));
    ok(git(&repo, &ada(T0 + 50), &["branch", "-q", "-D", "leak"]));
    // Staged again elsewhere: without the ledger this reads "staged", not on any remote.
    repo.stage("b.yml", format!("token: {}\n", token()));
    let out = run(
        repo.cmd(COACH),
        &ada(T0 + 60),
        &["scan", "--format", "json"],
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["findings"][0]["exposure"], "pushed", "{v:#}");
    // Control: a secret coach never saw pushed stays staged.
    repo.stage("b.yml", format!("token: {}\n", token_b()));
    let out = run(
        repo.cmd(COACH),
        &ada(T0 + 70),
        &["scan", "--format", "json"],
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["findings"][0]["exposure"], "staged", "{v:#}");
}

/// Two repositories sharing one ledger (one person's machine), GitHub PATs warn.
fn two_repos(user_config: &str) -> (TestRepo, TestRepo) {
    let make = |name: &str| {
        let r = TestRepo::init();
        r.install_hooks();
        r.stage(".coach.toml", "[policy.kind]\ngithub-pat = \"warn\"\n");
        // Distinct roots: two repositories with one identical root commit are one repository.
        r.commit(name);
        let cfg = r.home.join(".config/coach/config.toml");
        std::fs::create_dir_all(cfg.parent().unwrap()).unwrap();
        std::fs::write(&cfg, user_config).unwrap();
        r
    };
    (make("one"), make("two"))
}

fn repeat_case(scope: &str) -> (Output, Output) {
    let dir = tempfile::tempdir().unwrap();
    let ledger = dir.path().join("shared.sqlite");
    let (one, two) = two_repos(scope);
    let env = |t, who| {
        let mut e = at(t, who);
        e.push(("COACH_LEDGER", ledger.display().to_string()));
        e
    };
    ok(commit_file(
        &one,
        &env(T0, "ada@example.test"),
        "a.yml",
        &format!("token: {}\n", token()),
    ));
    // Bob's slip in the other repository is not Ada's history.
    let bob = commit_file(
        &two,
        &env(T0 + DAY, "bob@example.test"),
        "b.yml",
        &format!("token: {}\n", token_b()),
    );
    let ada = commit_file(
        &two,
        &env(T0 + DAY + 60, "ada@example.test"),
        "c.yml",
        &format!(
            "token: {}\n",
            github_token("Cc8Zr2LmW0xYt5Nv7Kp3Hs9Dj1Fb6H")
        ),
    );
    (bob, ada)
}

#[test]
fn a_repeat_counts_the_persons_other_repositories_by_default() {
    let (bob, ada) = repeat_case("");
    assert!(bob.status.success(), "{}", stderr(&bob));
    assert!(!stderr(&bob).contains("Again:"), "{}", stderr(&bob));
    assert_eq!(ada.status.code(), Some(1), "escalated: {}", stderr(&ada));
    assert!(stderr(&ada).contains("Again:"), "{}", stderr(&ada));
}

#[test]
fn repeat_scope_repository_counts_only_this_repository() {
    let (_, ada) = repeat_case("[ledger]\nrepeat-scope = \"repository\"\n");
    assert!(ada.status.success(), "{}", stderr(&ada));
    assert!(!stderr(&ada).contains("Again:"), "{}", stderr(&ada));
}

#[test]
fn a_ledger_from_an_older_coach_is_migrated_and_its_repository_adopted() {
    let repo = TestRepo::init();
    let bare = repo.bare_remote();
    let url = bare.to_str().unwrap().to_owned();
    repo.stage("a.txt", "a\n");
    ok(git(
        &repo,
        &at(T0 - 200, "ada@example.test"),
        &["commit", "-q", "--no-verify", "-m", "before coach"],
    ));
    repo.install_hooks();
    // Schema 2, as the previous coach wrote it: the repository known by its origin URL.
    let state = repo.home.join("state");
    std::fs::create_dir_all(&state).unwrap();
    let c = rusqlite::Connection::open(state.join("ledger.sqlite")).unwrap();
    c.execute_batch(&format!(
        "PRAGMA journal_mode = WAL;
        CREATE TABLE events (id INTEGER PRIMARY KEY, time INTEGER NOT NULL, repo TEXT NOT NULL,
            author TEXT NOT NULL, stage TEXT NOT NULL, rule_id TEXT, kind TEXT, exposure TEXT,
            verdict TEXT, action TEXT NOT NULL, fingerprint TEXT, role TEXT, reason TEXT,
            duration INTEGER, commit_id TEXT, repeat INTEGER NOT NULL DEFAULT 0);
        CREATE INDEX events_author_kind ON events (author, kind, time);
        CREATE INDEX events_fingerprint ON events (fingerprint);
        CREATE INDEX events_time ON events (time);
        CREATE TABLE approved_trees (tree TEXT PRIMARY KEY, time INTEGER NOT NULL);
        CREATE TABLE repos (repo TEXT PRIMARY KEY, first_seen INTEGER NOT NULL);
        INSERT INTO repos VALUES ('{url}', {first});
        INSERT INTO events (time, repo, author, stage, rule_id, kind, exposure, verdict, action,
            fingerprint) VALUES ({first}, '{url}', 'ada@example.test', 'pre-commit',
            'github.pat-classic', 'github-pat', 'staged', 'block', 'blocked', 'f0');
        PRAGMA user_version = 2;",
        first = T0 - 100
    ))
    .unwrap();
    drop(c);
    repo.stage("b.txt", "b\n");
    ok(git(
        &repo,
        &at(T0 + 10, "ada@example.test"),
        &["commit", "-q", "--no-verify", "-m", "not checked"],
    ));
    // Coach first ran here at T0 - 100 (the old file says so): the commit at T0 + 10 is a bypass,
    // the one at T0 - 200 is history from before adoption.
    let out = ok(git(
        &repo,
        &at(T0 + 20, "ada@example.test"),
        &["push", "-q", "origin", "main"],
    ));
    assert_eq!(
        stderr(&out).matches("unchecked commit @").count(),
        1,
        "{}",
        stderr(&out)
    );
    let s = stats(&repo, &[]);
    assert_eq!(bypass_total(&s), 1);
    let repos = s["repositories"].as_array().unwrap();
    assert_eq!(
        repos.len(),
        1,
        "the old events joined the root identity: {s:#}"
    );
    assert_eq!(repos[0]["name"], url.as_str());
    assert_eq!(repos[0]["blocked"], 1, "{s:#}");
}
