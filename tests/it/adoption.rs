//! Adopting coach in a repository with history (#16): a history baseline turns `scan --history` green
//! and leaves it red only on new findings; a first push of a long history to an empty remote just
//! works, scanning what no remote-tracking ref holds; the size guard names what it did not scan.
use crate::support::*;
use std::process::Stdio;

/// `n` commits on `main` made with `git fast-import` (quick even for thousands), each changing a file.
fn long_history(repo: &TestRepo, n: usize) {
    use std::io::Write;
    let mut stream = String::new();
    for i in 1..=n {
        let msg = format!("change {i}");
        let body = format!("line {i}\n");
        stream.push_str(&format!(
            "commit refs/heads/main\nmark :{i}\ncommitter Ada <ada@example.test> {} +0000\ndata {}\n{msg}\n",
            1_600_000_000 + i * 60,
            msg.len()
        ));
        if i > 1 {
            stream.push_str(&format!("from :{}\n", i - 1));
        }
        stream.push_str(&format!(
            "M 100644 inline f{}.txt\ndata {}\n{body}\n",
            i % 10,
            body.len()
        ));
    }
    let mut child = repo
        .cmd("git")
        .args(["fast-import", "--quiet"])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stream.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
    repo.git(&["reset", "-q", "--hard", "main"]);
}

#[test]
fn baseline_with_history_turns_history_scans_green_and_new_findings_red() {
    let repo = TestRepo::init();
    // A secret committed long ago, then removed: only history holds it.
    repo.stage("old.env", format!("T={}\n", token()));
    repo.commit("old leak");
    repo.git(&["rm", "-q", "old.env"]);
    repo.commit("remove it");
    let out = repo.coach(&["scan", "--history"]);
    assert_eq!(out.status.code(), Some(1), "red before adoption");

    // A work-tree baseline alone does not cover history.
    let out = repo.coach(&["baseline", "create"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(repo.coach(&["scan", "--history"]).status.code(), Some(1));

    let out = repo.coach(&["baseline", "update", "--history"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "1 known finding (1 added, 0 removed); the work tree and 2 commits were scanned"
        ),
        "{}",
        stderr(&out)
    );
    repo.stage(
        ".coach-baseline.toml",
        std::fs::read(repo.path(".coach-baseline.toml")).unwrap(),
    );
    repo.commit("adopt coach");
    let out = repo.coach(&["scan", "--history"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "green after adoption: {}",
        stdout(&out)
    );

    // A new secret in a new commit is red again; the known one stays known.
    repo.stage(
        "new.env",
        format!("T={}\n", github_token("Zq8r2LmW0xYt5Nv7Kp3Hs9Dj1Fb6Gc")),
    );
    repo.commit("new leak");
    let (code, v) = json(&repo, &["--history"]);
    assert_eq!(code, Some(1));
    let blocking: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["suppression"].is_null())
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(blocking, ["new.env"]);
}

#[test]
fn baseline_create_with_history_refuses_an_existing_file_like_create() {
    let repo = TestRepo::init();
    repo.commit("empty");
    assert!(repo
        .coach(&["baseline", "create", "--history"])
        .status
        .success());
    assert_eq!(
        repo.coach(&["baseline", "create", "--history"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn first_push_of_a_long_history_to_an_empty_remote_just_works() {
    let repo = TestRepo::init();
    long_history(&repo, 1500);
    repo.bare_remote();
    repo.install_hooks();
    let out = repo.git_output(&["push", "-q", "origin", "main"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("scanned 1500 commits"), "{err}");
}

#[test]
fn commits_another_remote_already_holds_are_not_scanned_again() {
    let repo = TestRepo::init();
    repo.stage("a.txt", "a\n");
    repo.commit("a");
    // `upstream` already has main; the new remote `origin` has nothing.
    let up = repo.tmp.path().join("upstream.git");
    repo.git(&["init", "-q", "--bare", up.to_str().unwrap()]);
    repo.git(&["remote", "add", "upstream", up.to_str().unwrap()]);
    repo.git(&["push", "-q", "--no-verify", "upstream", "main"]);
    repo.stage("b.txt", "b\n");
    repo.commit("b");
    repo.bare_remote();
    repo.install_hooks();
    let out = repo.git_output(&["push", "-q", "origin", "main"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("scanned 1 commit"), "{err}");
    assert!(
        err.contains("no remote-tracking ref (refs/remotes/*) already holds"),
        "{err}"
    );
}

#[test]
fn the_size_guard_names_the_first_commit_it_did_not_scan_and_exits_2() {
    let repo = TestRepo::init();
    long_history(&repo, 5);
    repo.bare_remote();
    let head = repo.git(&["rev-parse", "HEAD"]).trim().to_owned();
    let unscanned = repo.git(&["rev-parse", "HEAD~2"]).trim().to_owned();
    let line = format!(
        "refs/heads/main {head} refs/heads/main {}\n",
        "0".repeat(40)
    );
    let out = pre_push_hook(&repo, &["origin", "url", "--max-commits", "2"], &line);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!("NOT scanned: 3 older commits, the newest of them this one (`git log --oneline {unscanned}` lists them")),
        "{err}"
    );
}
