//! The pre-commit hook end to end: real repositories, real `git commit` through the installed hook.
//! See: #2.
use crate::support::*;
use coach::api::RuleSet;
use coach::api::Verdict;

#[test]
fn blocks_a_staged_github_token_and_coaches() {
    let repo = TestRepo::init();
    repo.install_hooks();
    repo.stage("config.yml", format!("github:\n  token: {}\n", token()));
    let out = repo.commit_hooked();
    assert_eq!(out.status.code(), Some(1), "commit must be blocked");
    let err = stderr(&out);
    assert!(err.contains("config.yml:2:10  github.pat-classic"), "{err}");
    // The first commit has no HEAD to restore from.
    assert!(
        err.contains("git rm --cached --quiet -- config.yml"),
        "{err}"
    );
    // A first staged finding gets the short form; the rest is one command away.
    assert!(
        err.contains("Do now:") && err.contains("If shared:"),
        "{err}"
    );
    assert!(err.contains("$ coach explain github-pat"), "{err}");
    assert!(
        !err.contains(&token()),
        "the full secret must never be printed"
    );
    assert!(!repo.head_exists(), "no commit was made");
}

/// Every rule of the first set blocks (or warns, as its verdict says) through a real commit, using
/// the rule's own first example as the staged content.
#[test]
fn each_first_set_kind_is_caught_by_the_real_hook() {
    let rules = RuleSet::builtin().unwrap();
    let first_set = [
        "aws.access-key-id",
        "aws.secret-access-key",
        "github.pat-classic",
        "github.oauth-token",
        "github.app-user-token",
        "github.app-installation-token",
        "github.app-refresh-token",
        "github.pat-fine-grained",
        "gitlab.pat",
        "slack.bot-token",
        "slack.incoming-webhook",
        "stripe.live-secret-key",
        "stripe.live-restricted-key",
        "gcp.api-key-server",
        "gcp.service-account-key",
        "keys.rsa-private-key",
        "keys.openssh-private-key",
        "keys.pgp-private-key",
        "npm.access-token",
        "pypi.api-token",
        "openai.project-key",
        "anthropic.api-key",
        "database.postgres-url",
    ];
    let repo = TestRepo::init();
    repo.install_hooks();
    for id in first_set {
        let rule = rules.get(id).unwrap_or_else(|| panic!("rule {id} exists"));
        // The file name is chosen so path-scoped rules still apply.
        let path = rule.paths.as_ref().map_or_else(
            || format!("src/{}.txt", id.replace('.', "_")),
            |p| p.sample.clone(),
        );
        repo.stage(&path, format!("{}\n", rule.examples[0]));
        let out = repo.commit_hooked();
        let err = stderr(&out);
        assert!(
            err.contains(id) || pair_target(&rules, id, &err),
            "{id} not reported:\n{err}"
        );
        match rule.verdict() {
            Verdict::Block => assert_eq!(out.status.code(), Some(1), "{id} must block:\n{err}"),
            _ => assert_eq!(out.status.code(), Some(0), "{id} must only warn:\n{err}"),
        }
        // Leave the index clean for the next kind.
        repo.git(&["rm", "-q", "--cached", "-f", "--", &path]);
    }
}

/// The AWS key ID is reported through the secret-key finding it pairs with.
fn pair_target(rules: &RuleSet, id: &str, out: &str) -> bool {
    rules
        .rules
        .iter()
        .any(|r| r.pair.as_ref().is_some_and(|(o, _)| o == id) && out.contains(&r.id))
}

#[test]
fn clean_change_is_allowed_and_says_what_was_scanned() {
    let repo = TestRepo::init();
    repo.install_hooks();
    repo.stage("README.md", "# hello\n\nNothing secret here.\n");
    let out = repo.commit_hooked();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("coach: scanned 1 file, 3 added lines (staged change): 0 findings"),
        "{}",
        stderr(&out)
    );
    assert!(repo.head_exists());
}

#[test]
fn first_commit_scans_against_the_empty_tree() {
    let repo = TestRepo::init();
    repo.install_hooks();
    assert!(!repo.head_exists());
    repo.stage("a.env", format!("TOKEN={}\n", token()));
    let out = repo.commit_hooked();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[test]
fn secret_only_in_the_work_tree_is_not_reported() {
    let repo = TestRepo::init();
    repo.install_hooks();
    repo.stage("app.py", "print('hi')\n");
    // Modified after staging: the work tree holds the secret, the index does not.
    repo.write("app.py", format!("print('hi')\nTOKEN = '{}'\n", token()));
    let out = repo.commit_hooked();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stderr(&out).contains("github.pat-classic"));
}

#[test]
fn secret_staged_then_unstaged_is_not_reported() {
    let repo = TestRepo::init();
    repo.install_hooks();
    repo.stage("ok.txt", "fine\n");
    repo.stage("secret.txt", format!("{}\n", token()));
    repo.git(&["rm", "-q", "--cached", "secret.txt"]);
    let out = repo.commit_hooked();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn partial_staging_scans_only_the_staged_hunk() {
    let repo = TestRepo::init();
    let body: String = (1..=30).map(|i| format!("line {i}\n")).collect();
    repo.stage("notes.txt", &body);
    repo.commit("base");
    repo.install_hooks();
    // Two far-apart edits: a harmless one at the top, a secret at the bottom.
    let edited = body.replacen("line 1\n", "line 1 edited\n", 1) + &format!("TOKEN={}\n", token());
    repo.write("notes.txt", &edited);
    // Stage only the first hunk, as `git add -p` answering y then n would.
    let out = repo
        .cmd("git")
        .args(["add", "-p", "notes.txt"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().unwrap().write_all(b"y\nn\n")?;
            c.wait_with_output()
        })
        .unwrap();
    assert!(out.status.success());
    let staged = repo.git(&["diff", "--cached"]);
    assert!(
        staged.contains("line 1 edited") && !staged.contains("TOKEN="),
        "{staged}"
    );
    let out = repo.commit_hooked();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Now stage the rest: blocked.
    repo.git(&["add", "notes.txt"]);
    let out = repo.commit_hooked();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("notes.txt:31:7"), "{}", stderr(&out));
}

#[test]
fn renamed_file_reports_only_added_lines_under_the_new_path() {
    let repo = TestRepo::init();
    let body = format!("{}\n", "x = 1\n".repeat(20));
    repo.stage("old.txt", &body);
    repo.commit("base");
    repo.install_hooks();
    repo.git(&["mv", "old.txt", "new.txt"]);
    let out = repo.commit_hooked();
    assert_eq!(
        out.status.code(),
        Some(0),
        "pure rename adds nothing: {}",
        stderr(&out)
    );
    repo.git(&["mv", "new.txt", "newer.txt"]);
    repo.write("newer.txt", format!("{body}KEY={}\n", token()));
    repo.git(&["add", "newer.txt"]);
    let out = repo.commit_hooked();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("newer.txt:22:5  github.pat-classic"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn deleting_a_file_that_held_a_secret_is_allowed() {
    let repo = TestRepo::init();
    repo.stage("leak.txt", format!("{}\n", token()));
    repo.commit("old leak");
    repo.install_hooks();
    repo.git(&["rm", "-q", "leak.txt"]);
    let out = repo.commit_hooked();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn outside_a_repository_is_exit_2_with_a_reason() {
    let repo = TestRepo::init();
    let elsewhere = repo.tmp.path().join("not-a-repo");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let out = repo
        .cmd(COACH)
        .args(["hook", "pre-commit"])
        .env("GIT_CEILING_DIRECTORIES", repo.tmp.path())
        .current_dir(&elsewhere)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("not inside a Git repository"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn coach_never_modifies_the_index_or_work_tree() {
    let repo = TestRepo::init();
    repo.install_hooks();
    repo.stage("k.txt", format!("{}\n", token()));
    let index_before = std::fs::read(repo.path(".git/index")).unwrap();
    let out = repo.coach(&["hook", "pre-commit"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        std::fs::read(repo.path(".git/index")).unwrap(),
        index_before
    );
    assert_eq!(
        std::fs::read_to_string(repo.path("k.txt")).unwrap(),
        format!("{}\n", token())
    );
}

#[test]
fn many_hits_of_one_kind_print_the_coaching_once() {
    let repo = TestRepo::init();
    repo.install_hooks();
    let a = github_token("A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5");
    let b = github_token("Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5");
    repo.stage("a.txt", format!("{a}\n{b}\n{a}\n"));
    let out = repo.commit_hooked();
    let err = stderr(&out);
    assert_eq!(err.matches("Do now:").count(), 1, "{err}");
    assert_eq!(err.matches("github.pat-classic").count(), 3, "{err}");
}

#[test]
fn skip_variable_lets_the_commit_through_and_says_so() {
    let repo = TestRepo::init();
    repo.install_hooks();
    repo.stage("k.txt", format!("{}\n", token()));
    let out = repo
        .cmd("git")
        .args(["commit", "-q", "-m", "x"])
        .env("COACH_SKIP", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(stderr(&out).contains("COACH_SKIP"), "{}", stderr(&out));
}

/// The whole terminal output of a blocked commit, uncoloured, as a reviewer sees it.
#[test]
fn blocked_commit_output_snapshot() {
    let repo = TestRepo::init();
    repo.install_hooks();
    repo.stage(
        "deploy/prod.env",
        format!(
            "AWS_ACCESS_KEY_ID=AKIAQ3EGRTLBX2Z7WN4K\nAWS_SECRET_ACCESS_KEY=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\nGITHUB_TOKEN={}\n",
            token()
        ),
    );
    let out = repo.coach(&["hook", "pre-commit"]);
    insta::assert_snapshot!(transcript(&repo, &out));
}

/// `git commit -a` and `git commit <path>` hand the hook a temporary index through GIT_INDEX_FILE.
#[test]
fn commit_all_and_commit_with_paths_scan_the_index_git_will_commit() {
    let repo = TestRepo::init();
    repo.stage("app.cfg", "name = demo\n");
    repo.commit("base");
    repo.install_hooks();
    repo.write("app.cfg", format!("name = demo\ntoken = {}\n", token()));
    let out = repo.git_output(&["commit", "-a", "-q", "-m", "all"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("app.cfg:2:9"), "{}", stderr(&out));
    let out = repo.git_output(&["commit", "-q", "-m", "path", "app.cfg"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}
