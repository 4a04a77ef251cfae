//! The pre-push hook end to end: a local bare remote, real `git push`, the installed hook.
// See: #4
use crate::support::*;
use std::process::Output;

/// A distinct fake GitHub token per `n` (valid checksum, never issued).
fn tok(n: u32) -> String {
    github_token(&format!("q8Zr2LmW0xYt5Nv7Kp3Hs9Dj1Fb{n:03}"))
}

fn push(repo: &TestRepo, args: &[&str]) -> Output {
    let mut a = vec!["push"];
    a.extend_from_slice(args);
    repo.git_output(&a)
}

fn short(sha: &str) -> &str {
    &sha[..12]
}

fn assert_no_token(err: &str, tokens: &[&str]) {
    for t in tokens {
        assert!(!err.contains(t), "a full secret was printed");
    }
}

fn remote_head(repo: &TestRepo, r: &str) -> Option<String> {
    let out = repo.git_output(&["ls-remote", "origin", r]);
    let s = stdout(&out);
    s.split_whitespace().next().map(str::to_owned)
}

#[test]
fn update_push_with_a_secret_is_blocked() {
    let repo = pushed_repo();
    let before = remote_head(&repo, "refs/heads/main");
    repo.stage("config.yml", format!("github:\n  token: {}\n", tok(1)));
    let sha = repo.commit("add config");
    let out = push(&repo, &["origin", "main"]);
    let err = stderr(&out);
    assert!(!out.status.success(), "push must be blocked: {err}");
    assert!(err.contains("config.yml:2:10  github.pat-classic"), "{err}");
    assert!(err.contains("committed"), "{err}");
    assert!(
        err.contains(&format!("added in commit {} by Ada Tester", short(&sha))),
        "{err}"
    );
    // HEAD added it: amend is the exact fix.
    assert!(err.contains("git commit --amend --all"), "{err}");
    assert!(err.contains("scanned 1 commit,"), "{err}");
    assert_no_token(&err, &[&tok(1)]);
    assert_eq!(
        remote_head(&repo, "refs/heads/main"),
        before,
        "nothing reached the remote"
    );
}

#[test]
fn clean_update_push_passes() {
    let repo = pushed_repo();
    repo.stage("a.txt", "just text\n");
    repo.commit("text");
    let out = push(&repo, &["origin", "main"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("scanned 1 commit, 1 file"), "{err}");
    assert!(err.contains("verdict: ALLOW"), "{err}");
}

#[test]
fn secret_only_in_an_intermediate_commit_of_30_still_blocks_and_names_it() {
    let repo = pushed_repo();
    let mut added = String::new();
    for i in 1..=30 {
        match i {
            12 => repo.stage("deploy/env.sh", format!("export GH={}\n", tok(2))),
            20 => repo.stage("deploy/env.sh", "export GH=\"$(vault read gh)\"\n"),
            _ => repo.stage("log.txt", format!("entry {i}\n")),
        }
        let sha = repo.commit(&format!("commit {i}"));
        if i == 12 {
            added = sha;
        }
    }
    // The final tree is clean: only a per-commit scan can see it.
    let grep = repo.git_output(&["grep", "-q", "ghp_"]);
    assert!(!grep.status.success(), "the tip no longer has the secret");
    let out = push(&repo, &["origin", "main"]);
    let err = stderr(&out);
    assert!(!out.status.success(), "push must be blocked: {err}");
    assert!(err.contains("deploy/env.sh:1:11"), "{err}");
    assert!(
        err.contains(&format!("added in commit {}", short(&added))),
        "{err}"
    );
    assert!(err.contains(": commit 12"), "{err}");
    assert!(
        err.contains(&format!("git rebase -i {}~1", short(&added))),
        "{err}"
    );
    assert!(err.contains("scanned 30 commits"), "{err}");
    assert_eq!(err.matches("github.pat-classic").count(), 1, "{err}");
    assert_no_token(&err, &[&tok(2)]);
}

#[test]
fn force_push_after_a_rewrite_that_removed_the_secret_passes() {
    let repo = pushed_repo();
    let base = repo.git(&["rev-parse", "HEAD"]).trim().to_owned();
    repo.stage("b.txt", "pushed work\n");
    repo.commit("pushed work");
    assert!(push(&repo, &["-q", "origin", "main"]).status.success());
    repo.stage("secret.env", format!("GH={}\n", tok(3)));
    repo.commit("oops");
    let blocked = push(&repo, &["origin", "main"]);
    assert!(!blocked.status.success(), "{}", stderr(&blocked));
    // Rewrite: drop both the pushed commit and the secret, then force-push a clean history.
    repo.git(&["reset", "-q", "--hard", &base]);
    repo.stage("c.txt", "clean rewrite\n");
    repo.commit("clean rewrite");
    let out = push(&repo, &["--force", "origin", "main"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("scanned 1 commit,"), "{err}");
    assert!(err.contains("verdict: ALLOW"), "{err}");
}

#[test]
fn force_push_of_a_rewrite_that_kept_the_secret_blocks() {
    let repo = pushed_repo();
    let base = repo.git(&["rev-parse", "HEAD"]).trim().to_owned();
    repo.stage("b.txt", "pushed work\n");
    repo.commit("pushed work");
    assert!(push(&repo, &["-q", "origin", "main"]).status.success());
    repo.git(&["reset", "-q", "--hard", &base]);
    repo.stage("secret.env", format!("GH={}\n", tok(4)));
    repo.commit("rewrite with a secret");
    let out = push(&repo, &["--force", "origin", "main"]);
    assert!(!out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("secret.env:1:4"), "{}", stderr(&out));
}

#[test]
fn branch_deletion_passes_and_scans_nothing() {
    let repo = pushed_repo();
    repo.git(&["checkout", "-q", "-b", "old"]);
    repo.stage("leak.txt", format!("{}\n", tok(5)));
    repo.commit("leak");
    assert!(push(&repo, &["-q", "--no-verify", "origin", "old"])
        .status
        .success());
    repo.git(&["checkout", "-q", "main"]);
    let out = push(&repo, &["origin", "--delete", "old"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains(
            "refs/heads/old: deleted on origin: a deletion sends no commits, nothing to scan"
        ),
        "{err}"
    );
    assert!(err.contains("0 commits"), "{err}");
    assert!(!err.contains("BLOCK"), "{err}");
    assert_eq!(remote_head(&repo, "refs/heads/old"), None);
}

#[test]
fn two_refs_in_one_push_are_both_scanned_and_shared_commits_once() {
    let repo = pushed_repo();
    repo.git(&["checkout", "-q", "-b", "one"]);
    repo.stage("one.env", format!("A={}\n", tok(6)));
    let first = repo.commit("one");
    repo.git(&["checkout", "-q", "-b", "two"]);
    repo.stage("two.env", format!("B={}\n", tok(7)));
    let second = repo.commit("two");
    // `two` contains `one`'s commit too: it must be scanned (and reported) once.
    let out = push(&repo, &["origin", "one", "two"]);
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    assert!(err.contains("scanned 2 commits"), "{err}");
    assert!(err.contains("one.env:1:3"), "{err}");
    assert!(err.contains("two.env:1:3"), "{err}");
    assert_eq!(err.matches("one.env:1:3").count(), 1, "{err}");
    assert!(
        err.contains(&format!("added in commit {}", short(&first))),
        "{err}"
    );
    assert!(
        err.contains(&format!("added in commit {}", short(&second))),
        "{err}"
    );
    // Two commits: filter-repo, naming both.
    assert!(err.contains("git filter-repo"), "{err}");
    assert_no_token(&err, &[&tok(6), &tok(7)]);
}

#[test]
fn lightweight_tag_brings_its_commit_and_blocks() {
    let repo = pushed_repo();
    repo.git(&["checkout", "-q", "--detach"]);
    repo.stage("tagged.env", format!("T={}\n", tok(8)));
    repo.commit("tagged");
    repo.git(&["tag", "v1"]);
    let out = push(&repo, &["origin", "v1"]);
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    assert!(err.contains("tagged.env:1:3"), "{err}");
    assert_eq!(remote_head(&repo, "refs/tags/v1"), None);
}

#[test]
fn annotated_tag_is_peeled_to_its_commit_and_blocks() {
    let repo = pushed_repo();
    repo.git(&["checkout", "-q", "--detach"]);
    repo.stage("tagged.env", format!("T={}\n", tok(9)));
    repo.commit("tagged");
    repo.git(&["tag", "-a", "v2", "-m", "release 2"]);
    let out = push(&repo, &["origin", "v2"]);
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    assert!(err.contains("tagged.env:1:3"), "{err}");
}

#[test]
fn annotated_tag_of_a_pushed_commit_scans_nothing_new() {
    let repo = pushed_repo();
    repo.git(&["tag", "-a", "v3", "-m", "release 3"]);
    let out = push(&repo, &["origin", "v3"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("0 commits"), "{err}");
}

#[test]
fn merge_of_an_already_pushed_branch_adds_nothing_and_passes() {
    let repo = pushed_repo();
    repo.git(&["checkout", "-q", "-b", "feat"]);
    repo.stage("feat.env", format!("F={}\n", tok(10)));
    repo.commit("feat");
    // The branch (and its secret) reached the remote with --no-verify: not this push's business.
    assert!(push(&repo, &["-q", "--no-verify", "origin", "feat"])
        .status
        .success());
    repo.git(&["checkout", "-q", "main"]);
    repo.stage("main.txt", "main work\n");
    repo.commit("main work");
    repo.git(&[
        "merge",
        "-q",
        "--no-ff",
        "--no-verify",
        "-m",
        "merge feat",
        "feat",
    ]);
    let out = push(&repo, &["origin", "main"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("scanned 2 commits"), "{err}");
}

#[test]
fn secret_added_by_the_merge_itself_blocks_and_names_the_merge() {
    let repo = pushed_repo();
    repo.git(&["checkout", "-q", "-b", "feat"]);
    repo.stage("feat.txt", "feature\n");
    repo.commit("feat");
    repo.git(&["checkout", "-q", "main"]);
    repo.stage("main.txt", "main work\n");
    repo.commit("main work");
    repo.git(&["merge", "-q", "--no-ff", "--no-commit", "feat"]);
    repo.stage("resolve.env", format!("M={}\n", tok(11)));
    let merge = repo.commit("merge feat with a fix-up");
    let out = push(&repo, &["origin", "main"]);
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    assert!(err.contains("resolve.env:1:3"), "{err}");
    assert!(
        err.contains(&format!("added in commit {}", short(&merge))),
        "{err}"
    );
    assert!(err.contains("scanned 3 commits"), "{err}");
}

#[test]
fn secret_from_an_unpushed_branch_is_reported_at_its_commit_not_the_merge() {
    let repo = pushed_repo();
    repo.git(&["checkout", "-q", "-b", "feat"]);
    repo.stage("feat.env", format!("F={}\n", tok(12)));
    let feat = repo.commit("feat");
    repo.git(&["checkout", "-q", "main"]);
    repo.stage("main.txt", "main work\n");
    repo.commit("main work");
    repo.git(&[
        "merge",
        "-q",
        "--no-ff",
        "--no-verify",
        "-m",
        "merge feat",
        "feat",
    ]);
    let out = push(&repo, &["origin", "main"]);
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    assert_eq!(err.matches("feat.env:1:3").count(), 1, "{err}");
    assert!(
        err.contains(&format!("added in commit {}", short(&feat))),
        "{err}"
    );
}

#[test]
fn new_branch_on_an_empty_remote_scans_its_whole_history() {
    let repo = TestRepo::init();
    repo.bare_remote();
    repo.install_hooks();
    repo.stage("first.env", format!("X={}\n", tok(13)));
    let root = repo.commit("first");
    repo.stage("first.env", "X=$X\n");
    repo.commit("second");
    repo.stage("b.txt", "b\n");
    repo.commit("third");
    let out = push(&repo, &["origin", "main"]);
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    assert!(err.contains("coach knows no ref of this remote"), "{err}");
    assert!(err.contains("scanned 3 commits"), "{err}");
    assert!(
        err.contains(&format!("added in commit {}", short(&root))),
        "{err}"
    );
    // The root commit has no parent: `<id>~1` would fail.
    assert!(err.contains("git rebase -i --root"), "{err}");
}

#[test]
fn new_branch_scans_only_what_the_remote_lacks() {
    let repo = pushed_repo();
    repo.git(&["checkout", "-q", "-b", "topic"]);
    repo.stage("t.txt", "topic\n");
    repo.commit("topic");
    let out = push(&repo, &["origin", "topic"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("scanned 1 commit,"), "{err}");
    assert!(!err.contains("coach knows no ref"), "{err}");
}

#[test]
fn push_from_a_shallow_clone_blocks_and_does_not_crash() {
    let upstream = pushed_repo();
    for i in 0..4 {
        upstream.stage("log.txt", format!("{i}\n"));
        upstream.commit(&format!("history {i}"));
    }
    assert!(push(&upstream, &["-q", "origin", "main"]).status.success());
    let bare = upstream.tmp.path().join("remote.git");
    let clone = TestRepo::init();
    clone.git(&["remote", "add", "origin", bare.to_str().unwrap()]);
    clone.git(&["fetch", "-q", "--depth", "1", "origin", "main"]);
    clone.git(&["checkout", "-q", "-B", "main", "origin/main"]);
    assert!(clone.path(".git/shallow").exists(), "the clone is shallow");
    clone.install_hooks();
    clone.stage("s.env", format!("S={}\n", tok(14)));
    clone.commit("shallow secret");
    let out = push(&clone, &["origin", "main"]);
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    assert!(err.contains("s.env:1:3"), "{err}");
    assert!(err.contains("scanned 1 commit,"), "{err}");
    // And a clean push from it passes.
    clone.git(&["reset", "-q", "--hard", "origin/main"]);
    clone.stage("ok.txt", "ok\n");
    clone.commit("clean");
    let out = push(&clone, &["origin", "main"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn more_commits_than_max_commits_is_exit_2_not_a_silent_pass() {
    let repo = pushed_repo();
    repo.write(".coach.toml", "[push]\nmax-commits = 3\n");
    for i in 0..5 {
        repo.stage("log.txt", format!("{i}\n"));
        repo.commit(&format!("c{i}"));
    }
    let out = push(&repo, &["origin", "main"]);
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    assert!(
        err.contains("5 commits to scan, over max-commits (3): the newest 3 were scanned, the oldest 2 were NOT"),
        "{err}"
    );
    assert!(
        err.contains("scanned 3 of 5 commits (2 over max-commits NOT scanned)"),
        "{err}"
    );
    assert!(err.contains("ERROR (exit 2"), "{err}");
    // The team may choose to let a bounded scan pass: it still says so.
    repo.write(
        ".coach.toml",
        "[push]\nmax-commits = 3\nallow-truncated = true\n",
    );
    let out = push(&repo, &["origin", "main"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("the oldest 2 were NOT"), "{err}");
}

/// Runs the hook directly, as Git would, with `input` on standard input.

#[test]
fn malformed_hook_input_is_exit_2() {
    let repo = pushed_repo();
    let out = pre_push_hook(&repo, &["origin", "url"], "refs/heads/main abc\n");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("pre-push input line 1"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn hook_max_commits_flag_bounds_the_scan() {
    let repo = pushed_repo();
    let old = repo.git(&["rev-parse", "HEAD"]).trim().to_owned();
    for i in 0..3 {
        repo.stage("log.txt", format!("{i}\n"));
        repo.commit(&format!("c{i}"));
    }
    let new = repo.git(&["rev-parse", "HEAD"]).trim().to_owned();
    let line = format!("refs/heads/main {new} refs/heads/main {old}\n");
    let out = pre_push_hook(&repo, &["origin", "url", "--max-commits", "1"], &line);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = pre_push_hook(&repo, &["origin", "url"], &line);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("scanned 3 commits"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn push_to_a_url_maps_to_the_remote_with_that_url() {
    let repo = pushed_repo();
    let bare = repo.tmp.path().join("remote.git");
    repo.git(&["checkout", "-q", "-b", "topic"]);
    repo.stage("t.txt", "topic\n");
    repo.commit("topic");
    let out = push(&repo, &[bare.to_str().unwrap(), "topic"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("scanned 1 commit,"), "{err}");
}

#[test]
fn install_writes_both_hooks_by_default_and_one_when_named() {
    let repo = TestRepo::init();
    repo.install_hooks();
    assert!(repo.path(".git/hooks/pre-commit").exists());
    assert!(repo.path(".git/hooks/pre-push").exists());
    let other = TestRepo::init();
    let out = other.coach(&["install", "--pre-push"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(other.path(".git/hooks/pre-push").exists());
    assert!(!other.path(".git/hooks/pre-commit").exists());
}

#[test]
fn blocked_push_transcript() {
    let repo = pushed_repo();
    repo.stage("deploy/env.sh", format!("export GH={}\n", tok(15)));
    repo.commit("add deploy env");
    repo.stage("deploy/env.sh", "export GH=\"$(vault read gh)\"\n");
    repo.commit("read it from vault");
    let out = push(&repo, &["origin", "main"]);
    let text = transcript(&repo, &out);
    // Keep what this feature renders (finding, commit, clean-up, summary); the rest is rule data.
    let mut err = String::new();
    let mut keep = true;
    for l in stderr(&out).lines() {
        if l.starts_with("  ") && !l.starts_with("   ") && l.contains(":  ") {
            // Not pushed yet: the clean-up leads, under "Do now".
            keep = l.starts_with("  Do now:");
        }
        if l.starts_with("✖") || l.starts_with("coach:") || l.starts_with("  deploy") {
            keep = true;
        }
        if keep && !l.is_empty() {
            err.push_str(l);
            err.push('\n');
        }
        if l.starts_with("coach: scanned") {
            break;
        }
    }
    assert!(text.contains("exit: 1"), "{text}");
    insta::with_settings!({filters => vec![
        (r"\b[0-9a-f]{12}\b", "[SHA]"),
        (r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "[DATE]"),
    ]}, {
        insta::assert_snapshot!(err);
    });
}

#[test]
fn force_push_over_a_remote_commit_this_clone_never_saw_still_scans() {
    let repo = pushed_repo();
    let bare = repo.tmp.path().join("remote.git");
    let other = TestRepo::init();
    other.git(&["remote", "add", "origin", bare.to_str().unwrap()]);
    other.git(&["fetch", "-q", "origin", "main"]);
    other.git(&["checkout", "-q", "-B", "main", "origin/main"]);
    other.stage("theirs.txt", "theirs\n");
    other.commit("theirs");
    other.git(&["push", "-q", "--no-verify", "origin", "main"]);
    repo.stage("mine.env", format!("M={}\n", tok(16)));
    repo.commit("mine");
    let out = push(&repo, &["--force", "origin", "main"]);
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    assert!(err.contains("mine.env:1:3"), "{err}");
    assert!(
        err.contains("a commit this repository does not have"),
        "{err}"
    );
    assert!(err.contains("scanned 1 commit,"), "{err}");
}
