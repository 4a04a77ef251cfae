//! No false all-clear: ordinary Git paths that used to let a credential through with exit 0.
//! Each test goes through real Git (the installed hooks, a push to a local bare remote) or
//! `coach scan --history` on a real repository.
// See: #11
use crate::support::*;
use serde_json::Value;
use std::process::Output;

/// A distinct fake GitHub token per `n` (valid checksum, never issued).
fn tok(n: u32) -> String {
    github_token(&format!("Vb3Nq7Lx1Rz5Tk9Wm2Hc6Jd4Pf8{n:03}"))
}

fn push(repo: &TestRepo) -> Output {
    repo.git_output(&["push", "origin", "main"])
}

/// (path, line, verdict) of every finding, in report order.
fn verdicts(v: &Value) -> Vec<(String, u64, String)> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap(),
                f["verdict"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn v3(path: &str, line: u64, verdict: &str) -> (String, u64, String) {
    (path.to_owned(), line, verdict.to_owned())
}

// --- item 3: an allowed copy must not hide an unallowed copy -----------------------------------

#[test]
fn allowed_copy_in_an_older_commit_does_not_hide_an_unallowed_copy() {
    let repo = pushed_repo();
    repo.stage(
        "sandbox.env",
        format!("A={}  # coach:allow -- sandbox account\n", tok(1)),
    );
    repo.commit("sandbox token, allowed");
    repo.stage("prod.env", format!("B={}\n", tok(1)));
    let leak = repo.commit("same token, no allow");

    let out = push(&repo);
    let err = stderr(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the push must be blocked: {err}"
    );
    assert!(err.contains("prod.env:1:3"), "{err}");
    assert!(
        err.contains(&format!("added in commit {}", &leak[..12])),
        "{err}"
    );

    let (code, v) = json(&repo, &["--history"]);
    assert_eq!(code, Some(1), "{v:#}");
    let found = verdicts(&v);
    assert!(found.contains(&v3("prod.env", 1, "block")), "{found:?}");
}

#[test]
fn dedup_keeps_a_block_over_a_warn_and_reports_the_secret_once() {
    // Older copy under a path the policy only warns about, newer copy elsewhere: one finding, the
    // blocking one.
    let repo = TestRepo::init();
    repo.write(
        ".coach.toml",
        "[[policy.paths]]\nglob = \"docs/**\"\nverdict = \"warn\"\n",
    );
    repo.git(&["add", ".coach.toml"]);
    repo.stage("docs/example.md", format!("token {}\n", tok(2)));
    repo.commit("docs");
    repo.stage("app/config.yml", format!("token: {}\n", tok(2)));
    repo.commit("app");
    let (code, v) = json(&repo, &["--history"]);
    assert_eq!(code, Some(1), "{v:#}");
    assert_eq!(
        verdicts(&v),
        vec![v3("app/config.yml", 1, "block")],
        "{v:#}"
    );
}

// --- item 6: an inline allow covers its own line, or the next when alone on its line ----------

#[test]
fn inline_allow_at_the_end_of_a_line_does_not_cover_the_next_line() {
    let repo = TestRepo::init();
    repo.install_hooks();
    repo.stage(
        "keys.env",
        format!("A={}  # coach:allow -- sandbox\nB={}\n", tok(3), tok(4)),
    );
    let out = repo.git_output(&["commit", "-m", "keys"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let (code, v) = json(&repo, &["--staged"]);
    assert_eq!(code, Some(1));
    assert_eq!(
        verdicts(&v),
        vec![v3("keys.env", 1, "allow"), v3("keys.env", 2, "block")],
        "{v:#}"
    );
}

#[test]
fn inline_allow_alone_on_its_line_covers_the_next_line_only() {
    let repo = TestRepo::init();
    repo.write(
        "keys.py",
        format!(
            "# coach:allow -- sandbox\nA = \"{}\"\nB = \"{}\"\n    // coach:allow github-pat -- fixture\nC = \"{}\"\n/* coach:allow -- doc */ D = \"{}\"\nE = \"{}\"\n",
            tok(5),
            tok(6),
            tok(7),
            tok(17),
            tok(18)
        ),
    );
    let (code, v) = json(&repo, &["keys.py"]);
    assert_eq!(code, Some(1), "{v:#}");
    assert_eq!(
        verdicts(&v),
        vec![
            v3("keys.py", 2, "allow"),
            v3("keys.py", 3, "block"),
            v3("keys.py", 5, "allow"),
            v3("keys.py", 6, "allow"),
            v3("keys.py", 7, "block"),
        ],
        "{v:#}"
    );
}

#[test]
fn inline_allow_covers_only_the_rule_it_names() {
    let repo = TestRepo::init();
    repo.write(
        "keys.env",
        format!(
            "# coach:allow stripe.live-secret-key -- test mode\nA={}\n",
            tok(8)
        ),
    );
    let (code, v) = json(&repo, &["keys.env"]);
    assert_eq!(code, Some(1), "{v:#}");
    assert_eq!(verdicts(&v), vec![v3("keys.env", 2, "block")], "{v:#}");
}

// --- item 1: a symlink replaced by a regular file ---------------------------------------------

/// A committed symlink `settings.env -> settings.env.example`, then replaced (in the index) by a
/// regular file holding a token.
fn symlink_replaced_by_file(repo: &TestRepo, n: u32) {
    repo.stage("settings.env.example", "TOKEN=changeme\n");
    std::os::unix::fs::symlink("settings.env.example", repo.path("settings.env")).unwrap();
    repo.git(&["add", "settings.env"]);
    repo.commit("settings link");
    std::fs::remove_file(repo.path("settings.env")).unwrap();
    repo.stage("settings.env", format!("TOKEN={}\n", tok(n)));
}

#[test]
fn symlink_replaced_by_a_file_with_a_token_is_blocked_at_commit() {
    let repo = TestRepo::init();
    repo.install_hooks();
    symlink_replaced_by_file(&repo, 9);
    let out = repo.git_output(&["commit", "-m", "real settings"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("settings.env:1:7"), "{err}");
}

#[test]
fn symlink_replaced_by_a_file_with_a_token_is_blocked_at_push_and_in_history() {
    let repo = pushed_repo();
    symlink_replaced_by_file(&repo, 10);
    repo.commit("real settings");
    let out = push(&repo);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("settings.env:1:7"), "{err}");
    let (code, v) = json(&repo, &["--history"]);
    assert_eq!(code, Some(1), "{v:#}");
    assert_eq!(verdicts(&v), vec![v3("settings.env", 1, "block")], "{v:#}");
}

// --- item 5: a file added by a merge commit itself (an evil merge) ----------------------------

/// `main` and `feat` diverge; the merge commit itself adds `extra` files that neither parent has.
fn evil_merge(repo: &TestRepo, extra: &[(&str, Vec<u8>)]) -> String {
    repo.git(&["checkout", "-q", "-b", "feat"]);
    repo.stage("feat.txt", "feature\n");
    repo.commit("feat");
    repo.git(&["checkout", "-q", "main"]);
    repo.stage("main.txt", "main work\n");
    repo.commit("main work");
    repo.git(&["merge", "-q", "--no-ff", "--no-commit", "feat"]);
    for (path, bytes) in extra {
        repo.stage(path, bytes);
    }
    repo.commit("merge feat")
}

fn keystore_bytes() -> Vec<u8> {
    // Not a real PKCS#12 bundle: the extension makes it a credential, and the NUL bytes make Git
    // call it binary, as it would a real one.
    b"0\x82\x0a\x00\x02\x01\x03\x00fake keystore".to_vec()
}

#[test]
fn keystore_added_by_a_merge_commit_is_found_in_history_and_at_push() {
    let repo = pushed_repo();
    let merge = evil_merge(&repo, &[("certs/client.p12", keystore_bytes())]);
    let (code, v) = json(&repo, &["--history"]);
    assert_eq!(code, Some(1), "{v:#}");
    assert_eq!(
        verdicts(&v),
        vec![v3("certs/client.p12", 1, "block")],
        "{v:#}"
    );
    assert_eq!(v["findings"][0]["commit"]["id"], merge.as_str());
    let out = push(&repo);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("certs/client.p12"), "{err}");
}

#[test]
fn text_file_added_by_a_merge_commit_is_found_in_history() {
    let repo = TestRepo::init();
    repo.stage("README.md", "hello\n");
    repo.commit("init");
    let merge = evil_merge(
        &repo,
        &[("deploy.env", format!("D={}\n", tok(12)).into_bytes())],
    );
    let (code, v) = json(&repo, &["--history"]);
    assert_eq!(code, Some(1), "{v:#}");
    assert_eq!(verdicts(&v), vec![v3("deploy.env", 1, "block")], "{v:#}");
    assert_eq!(v["findings"][0]["commit"]["id"], merge.as_str());
}

// --- item 10: settings that quietly read the wrong thing --------------------------------------

fn commit_with_env(repo: &TestRepo, key: &str, value: &str) -> Output {
    repo.cmd("git")
        .env(key, value)
        .args(["commit", "-m", "leak"])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn coach_skip_with_a_false_value_still_scans() {
    let repo = TestRepo::init();
    repo.install_hooks();
    repo.stage("a.env", format!("A={}\n", tok(13)));
    for value in ["false", "0", "no", "", "FALSE", "off"] {
        let out = commit_with_env(&repo, "COACH_SKIP", value);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "COACH_SKIP={value:?}: {err}");
        assert!(!err.contains("was skipped"), "COACH_SKIP={value:?}: {err}");
    }
    // Not a recognised value: scanned, and the note says why it did not skip.
    let out = commit_with_env(&repo, "COACH_SKIP", "please");
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("COACH_SKIP=\"please\" is not"), "{err}");
    // A true value, in any case, skips.
    let out = commit_with_env(&repo, "COACH_SKIP", "True");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("was skipped"), "{}", stderr(&out));
}

#[test]
fn coach_skip_with_a_false_value_still_scans_the_push() {
    let repo = pushed_repo();
    repo.stage("a.env", format!("A={}\n", tok(14)));
    repo.commit("leak");
    let out = repo
        .cmd("git")
        .env("COACH_SKIP", "false")
        .args(["push", "origin", "main"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[test]
fn since_that_overflows_is_a_usage_error() {
    let repo = TestRepo::init();
    let out = repo.coach(&["stats", "--since", "99999999999999d"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("out of range"), "{err}");
}

#[test]
fn repeat_window_that_overflows_is_a_config_error() {
    let repo = TestRepo::init();
    repo.write(
        ".coach.toml",
        "[ledger]\nrepeat-window = \"99999999999999d\"\n",
    );
    repo.stage("a.txt", "hello\n");
    let out = repo.coach(&["scan", "--staged"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("out of range"), "{err}");
}

#[test]
fn lone_cr_line_endings_give_editor_line_numbers() {
    let repo = TestRepo::init();
    repo.install_hooks();
    let text = format!("# old mac\rX=1\rT={}\r", tok(15));
    repo.write("mac.cfg", &text);
    let (code, v) = json(&repo, &["mac.cfg"]);
    assert_eq!(code, Some(1), "{v:#}");
    assert_eq!(verdicts(&v), vec![v3("mac.cfg", 3, "block")], "{v:#}");
    // The same at commit time.
    repo.git(&["add", "mac.cfg"]);
    let out = repo.git_output(&["commit", "-m", "mac"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("mac.cfg:3:3"), "{err}");
    // And in history, where Git sees the whole file as one line.
    repo.commit("mac");
    let (code, v) = json(&repo, &["--history"]);
    assert_eq!(code, Some(1), "{v:#}");
    assert_eq!(verdicts(&v), vec![v3("mac.cfg", 3, "block")], "{v:#}");
    assert_eq!(v["findings"][0]["column"], 3, "{v:#}");
}

#[test]
fn policy_and_role_globs_match_the_repository_path_from_any_directory() {
    let repo = TestRepo::init();
    repo.write(
        ".coach.toml",
        "[[policy.paths]]\nglob = \"fixtures/**\"\nverdict = \"warn\"\n\n[[roles]]\nname = \"fixtures\"\npaths = [\"fixtures/**\"]\ncoaching = \"Fixture tokens must be fake.\"\n",
    );
    repo.write("fixtures/a.env", format!("A={}\n", tok(16)));
    let from_root = repo.coach(&["scan", "--format", "json", "fixtures"]);
    let inside = repo
        .cmd(COACH)
        .current_dir(repo.path("fixtures"))
        .args(["scan", "--format", "json", "."])
        .output()
        .unwrap();
    for out in [&from_root, &inside] {
        assert_eq!(out.status.code(), Some(0), "{}", stdout(out));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["findings"][0]["verdict"], "warn", "{v:#}");
        assert_eq!(v["findings"][0]["role"], "fixtures", "{v:#}");
    }
}

#[test]
fn keystore_from_a_merged_branch_is_reported_at_its_own_commit_not_the_merge() {
    let repo = TestRepo::init();
    repo.stage("README.md", "hello\n");
    repo.commit("init");
    repo.git(&["checkout", "-q", "-b", "feat"]);
    repo.stage("certs/client.p12", keystore_bytes());
    let added = repo.commit("feat keystore");
    repo.git(&["checkout", "-q", "main"]);
    repo.stage("main.txt", "main work\n");
    repo.commit("main work");
    repo.git(&["merge", "-q", "--no-ff", "-m", "merge feat", "feat"]);
    let (code, v) = json(&repo, &["--history"]);
    assert_eq!(code, Some(1), "{v:#}");
    assert_eq!(
        verdicts(&v),
        vec![v3("certs/client.p12", 1, "block")],
        "{v:#}"
    );
    assert_eq!(v["findings"][0]["commit"]["id"], added.as_str());
}

#[test]
fn allowlist_paths_match_the_repository_path_from_any_directory() {
    let repo = TestRepo::init();
    repo.write(".coach.toml", "[allowlist]\npaths = [\"fixtures/**\"]\n");
    repo.write("fixtures/a.env", format!("A={}\n", tok(19)));
    let inside = repo
        .cmd(COACH)
        .current_dir(repo.path("fixtures"))
        .args(["scan", "--format", "json", "a.env"])
        .output()
        .unwrap();
    assert_eq!(inside.status.code(), Some(0), "{}", stdout(&inside));
    let v: Value = serde_json::from_slice(&inside.stdout).unwrap();
    assert_eq!(v["findings"][0]["suppression"]["kind"], "config", "{v:#}");
}
