//! `coach scan --history` and `--range`: real repositories, each secret once at the commit that
//! introduced it, exposure from the remote-tracking refs, bounds reported.
// See: #4
use crate::support::*;
use serde_json::Value;

fn tok(n: u32) -> String {
    github_token(&format!("Hx4Tb8Wq1Zr6Nm3Kp7Ld2Vs9Fc5{n:03}"))
}

fn findings(v: &Value) -> Vec<&Value> {
    v["findings"].as_array().unwrap().iter().collect()
}

#[test]
fn history_reports_each_secret_once_at_its_introducing_commit() {
    let repo = TestRepo::init();
    repo.stage("README.md", "hi\n");
    repo.commit("init");
    repo.stage("a.yml", format!("token: {}\n", tok(1)));
    let intro = repo.commit("add a");
    repo.stage("a.yml", format!("token: {}\nmore: 1\n", tok(1)));
    repo.commit("edit a");
    // The same value copied elsewhere, then the file moved: still the one secret from `intro`.
    repo.stage("b.yml", format!("copy: {}\n", tok(1)));
    repo.commit("copy to b");
    repo.git(&["mv", "a.yml", "moved.yml"]);
    repo.commit("move a");
    let (code, v) = json(&repo, &["--history"]);
    assert_eq!(code, Some(1), "{v}");
    let f = findings(&v);
    assert_eq!(f.len(), 1, "{v:#}");
    assert_eq!(f[0]["path"], "a.yml");
    assert_eq!(f[0]["line"], 1);
    assert_eq!(f[0]["commit"]["id"], intro.as_str());
    assert_eq!(f[0]["commit"]["author"], "Ada Tester");
    assert_eq!(f[0]["commit"]["email"], "ada@example.test");
    assert_eq!(f[0]["commit"]["summary"], "add a");
    assert!(f[0]["commit"]["time"].as_i64().unwrap() > 0);
    assert_eq!(f[0]["exposure"], "committed");
    assert_eq!(v["summary"]["commits_scanned"], 5);
    assert!(!v.to_string().contains(&tok(1)), "no full secret in JSON");
}

#[test]
fn history_human_output_names_the_commit_and_has_no_progress_bar_when_piped() {
    let repo = TestRepo::init();
    repo.stage("c.env", format!("T={}\n", tok(2)));
    let sha = repo.commit("leak");
    let out = repo.coach(&["scan", "--history"]);
    assert_eq!(out.status.code(), Some(1));
    let o = stdout(&out);
    assert!(
        o.contains(&format!("added in commit {}", &sha[..12])),
        "{o}"
    );
    assert!(
        o.contains("scanned 1 commit, 1 file, 1 added line (history)"),
        "{o}"
    );
    assert!(!stderr(&out).contains('\r'), "no progress bar when piped");
    assert!(!o.contains(&tok(2)));
}

#[test]
fn exposure_is_pushed_when_a_remote_tracking_ref_has_the_commit() {
    let repo = TestRepo::init();
    repo.bare_remote();
    repo.stage("old.env", format!("A={}\n", tok(3)));
    let pushed = repo.commit("pushed leak");
    repo.git(&["push", "-q", "--no-verify", "origin", "main"]);
    repo.stage("new.env", format!("B={}\n", tok(4)));
    let local = repo.commit("local leak");
    let (code, v) = json(&repo, &["--history"]);
    assert_eq!(code, Some(1));
    let f = findings(&v);
    assert_eq!(f.len(), 2, "{v:#}");
    let by_path = |p: &str| f.iter().find(|x| x["path"] == p).unwrap();
    assert_eq!(by_path("old.env")["exposure"], "pushed");
    assert_eq!(by_path("old.env")["commit"]["id"], pushed.as_str());
    assert_eq!(by_path("new.env")["exposure"], "committed");
    assert_eq!(by_path("new.env")["commit"]["id"], local.as_str());
    // Coaching: the pushed secret is compromised; rotate first.
    let clean_up: Vec<String> = v["guidance"][0]["clean_up"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect();
    let text = clean_up.join("\n");
    assert!(text.contains("It has been pushed"), "{text}");
    assert!(text.contains("Rotate or revoke it first"), "{text}");
    assert!(
        text.contains(&format!("git branch -r --contains {}", &pushed[..12])),
        "{text}"
    );
}

#[test]
fn range_scans_only_the_commits_in_it() {
    let repo = TestRepo::init();
    repo.stage("a.env", format!("A={}\n", tok(5)));
    let a = repo.commit("a");
    repo.stage("b.env", format!("B={}\n", tok(6)));
    let b = repo.commit("b");
    repo.stage("c.txt", "c\n");
    repo.commit("c");
    let (code, v) = json(&repo, &["--range", &format!("{a}..HEAD")]);
    assert_eq!(code, Some(1));
    let f = findings(&v);
    assert_eq!(f.len(), 1, "{v:#}");
    assert_eq!(f[0]["path"], "b.env");
    assert_eq!(f[0]["commit"]["id"], b.as_str());
    assert_eq!(v["summary"]["commits_scanned"], 2);
    assert_eq!(v["source"], format!("range {a}..HEAD"));
    // A range with nothing in it is an honest zero.
    let (code, v) = json(&repo, &["--range", "HEAD..HEAD"]);
    assert_eq!(code, Some(0));
    assert_eq!(v["summary"]["commits_scanned"], 0);
}

#[test]
fn a_bad_range_is_exit_2() {
    let repo = TestRepo::init();
    repo.commit("x");
    let out = repo.coach(&["scan", "--range", "nope..HEAD"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--range"), "{}", stderr(&out));
}

#[test]
fn max_commits_truncation_is_reported_in_notice_and_summary() {
    let repo = TestRepo::init();
    repo.stage("old.env", format!("A={}\n", tok(7)));
    repo.commit("oldest");
    for i in 0..4 {
        repo.stage("log.txt", format!("{i}\n"));
        repo.commit(&format!("c{i}"));
    }
    let out = repo.coach(&["scan", "--history", "--max-commits", "2"]);
    let o = stdout(&out);
    assert!(
        o.contains("5 commits to scan, over max-commits (2): the newest 2 were scanned, the oldest 3 were NOT"),
        "{o}"
    );
    assert!(
        o.contains("scanned 2 of 5 commits (3 over max-commits NOT scanned)"),
        "{o}"
    );
    let (_, v) = json(&repo, &["--history", "--max-commits", "2"]);
    assert_eq!(v["summary"]["commits_scanned"], 2);
    assert_eq!(v["summary"]["commits_not_scanned"], 3);
    // Without the bound, the old secret is found.
    let (code, _) = json(&repo, &["--history"]);
    assert_eq!(code, Some(1));
}

#[test]
fn max_commits_without_history_or_range_is_a_usage_error() {
    let repo = TestRepo::init();
    let out = repo.coach(&["scan", "--max-commits", "2"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_merged_branch_secret_is_reported_at_the_branch_commit() {
    let repo = TestRepo::init();
    repo.stage("README.md", "hi\n");
    repo.commit("init");
    repo.git(&["checkout", "-q", "-b", "feat"]);
    repo.stage("feat.env", format!("F={}\n", tok(8)));
    let feat = repo.commit("feat");
    repo.git(&["checkout", "-q", "main"]);
    repo.stage("main.txt", "m\n");
    repo.commit("main");
    repo.git(&[
        "merge",
        "-q",
        "--no-ff",
        "--no-verify",
        "-m",
        "merge",
        "feat",
    ]);
    let (_, v) = json(&repo, &["--history"]);
    let f = findings(&v);
    assert_eq!(f.len(), 1, "{v:#}");
    assert_eq!(f[0]["commit"]["id"], feat.as_str());
}

#[test]
fn history_of_a_shallow_clone_notes_the_boundary_and_does_not_crash() {
    let upstream = TestRepo::init();
    upstream.bare_remote();
    upstream.stage("deep.env", format!("D={}\n", tok(9)));
    upstream.commit("deep");
    upstream.stage("log.txt", "1\n");
    upstream.commit("tip");
    upstream.git(&["push", "-q", "--no-verify", "origin", "main"]);
    let bare = upstream.tmp.path().join("remote.git");
    let clone = TestRepo::init();
    clone.git(&["remote", "add", "origin", bare.to_str().unwrap()]);
    clone.git(&["fetch", "-q", "--depth", "1", "origin", "main"]);
    clone.git(&["checkout", "-q", "-B", "main", "origin/main"]);
    let (code, v) = json(&clone, &["--history"]);
    assert_eq!(v["summary"]["commits_scanned"], 1, "{v:#}");
    let notices = v["notices"].to_string();
    assert!(notices.contains("shallow-clone boundary"), "{notices}");
    // Compared with the empty tree, the boundary commit shows the whole tree: the secret is there.
    assert_eq!(code, Some(1), "{v:#}");
    assert_eq!(findings(&v)[0]["exposure"], "pushed");
}
