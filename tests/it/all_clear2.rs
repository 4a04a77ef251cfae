//! No false all-clear, part 2 (#11 items 2, 7 and 8): attributes and encodings read alike at every
//! stage, files over `max-file-size` streamed rather than skipped, and commit and tag messages
//! scanned. Real repositories: the installed hooks through `git commit`, `git push` to a local bare
//! remote, and `coach scan --history`.
// See: #11
use crate::support::*;
use serde_json::Value;
use std::process::Output;

/// A distinct fake GitHub token per `n` (valid checksum, never issued).
fn tok(n: u32) -> String {
    github_token(&format!("Pz4Kc8Wr2Ny6Tb0Lm5Hq9Dv3Xj7{n:03}"))
}

fn push(repo: &TestRepo, what: &str) -> Output {
    repo.git_output(&["push", "origin", what])
}

/// (path, line, commit id or "") of every finding.
fn found(v: &Value) -> Vec<(String, u64, String)> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap(),
                f["commit"]["id"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

fn at(path: &str, line: u64, commit: &str) -> (String, u64, String) {
    (path.to_owned(), line, commit.to_owned())
}

fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

// --- item 2: attributes and encodings are decided by content, the same at every stage ---------

#[test]
fn binary_attribute_does_not_hide_an_added_line_from_push_or_history() {
    let repo = pushed_repo();
    repo.stage(".gitattributes", "*.cfg binary\n*.dat -diff\n");
    repo.stage("app.cfg", "mode = dev\n");
    repo.stage("seed.dat", "rows = 1\n");
    repo.commit("config");
    repo.stage("app.cfg", format!("mode = dev\ntoken = {}\n", tok(1)));
    repo.stage("seed.dat", format!("rows = 1\nkey {}\n", tok(2)));
    let leak = repo.commit("tune config");

    let out = push(&repo, "main");
    let err = stderr(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the push must be blocked: {err}"
    );
    assert!(err.contains("app.cfg:2:"), "{err}");
    assert!(err.contains("seed.dat:2:"), "{err}");

    let (code, v) = json(&repo, &["--history"]);
    assert_eq!(code, Some(1), "{v:#}");
    let f = found(&v);
    assert!(f.contains(&at("app.cfg", 2, &leak)), "{f:?}");
    assert!(f.contains(&at("seed.dat", 2, &leak)), "{f:?}");
}

#[test]
fn utf16_without_a_byte_order_mark_is_text_at_commit_push_and_history() {
    let repo = pushed_repo();
    let content = utf16le(&format!("user = ci\r\ntoken = {}\r\n", tok(3)));
    repo.stage("creds.txt", &content);
    let out = repo.git_output(&["commit", "-m", "creds"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("creds.txt:2:9"), "{}", stderr(&out));

    let leak = repo.commit("creds, hook bypassed");
    let out = push(&repo, "main");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("creds.txt:2:9"), "{}", stderr(&out));

    let (code, v) = json(&repo, &["--history"]);
    assert_eq!(code, Some(1), "{v:#}");
    assert!(found(&v).contains(&at("creds.txt", 2, &leak)), "{v:#}");
}

#[test]
fn a_modified_utf16_file_reports_only_its_added_line_in_history() {
    let repo = TestRepo::init();
    repo.stage("reg.txt", utf16le("a = 1\nb = 2\n"));
    repo.commit("one");
    repo.stage(
        "reg.txt",
        utf16le(&format!("a = 1\nk = {}\nb = 2\n", tok(4))),
    );
    let leak = repo.commit("two");
    let (code, v) = json(&repo, &["--history"]);
    assert_eq!(code, Some(1), "{v:#}");
    assert_eq!(found(&v), vec![at("reg.txt", 2, &leak)], "{v:#}");
}

#[test]
fn real_binary_gets_the_same_notice_at_commit_push_and_history() {
    let repo = pushed_repo();
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0".to_vec();
    png.extend_from_slice(tok(5).as_bytes());
    repo.stage("logo.png", &png);
    let (code, staged) = json(&repo, &["--staged"]);
    repo.commit("logo");
    let (hcode, history) = json(&repo, &["--history"]);
    for (code, v) in [(code, &staged), (hcode, &history)] {
        assert_eq!(code, Some(0), "{v:#}");
        let n = v["notices"].as_array().unwrap();
        assert!(
            n.iter()
                .any(|n| n["path"] == "logo.png" && n["reason"] == "binary: not scanned"),
            "{v:#}"
        );
    }
    let out = push(&repo, "main");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("binary: not scanned"),
        "{}",
        stderr(&out)
    );
}

// --- item 7: a file over max-file-size is streamed, its added lines scanned -------------------

fn big_file(lines: usize, secret_at: Option<usize>) -> String {
    let mut text = String::new();
    for i in 1..=lines {
        match secret_at {
            Some(s) if s == i => text.push_str(&format!("  \"k\": \"{}\",\n", tok(6))),
            _ => text.push_str(&format!("  \"cell_{i}\": \"print({i})\",\n")),
        }
    }
    text
}

#[test]
fn one_line_change_in_a_file_over_the_cap_is_blocked_at_commit_push_and_history() {
    let repo = pushed_repo();
    repo.stage(".coach.toml", "max-file-size = 4096\n");
    repo.stage("notebook.json", big_file(400, None));
    repo.commit("notebook");
    assert_eq!(push(&repo, "main").status.code(), Some(0));

    repo.stage("notebook.json", big_file(400, Some(200)));
    let out = repo.git_output(&["commit", "-m", "edit one cell"]);
    let err = stderr(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the commit must be blocked: {err}"
    );
    assert!(err.contains("notebook.json:200:"), "{err}");
    assert!(!err.contains("too large"), "{err}");

    let leak = repo.commit("edit one cell, hook bypassed");
    let out = push(&repo, "main");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("notebook.json:200:"),
        "{}",
        stderr(&out)
    );

    let (code, v) = json(&repo, &["--history"]);
    assert_eq!(code, Some(1), "{v:#}");
    // Only the added line: the 399 unchanged lines are not findings or re-scanned content.
    assert_eq!(found(&v), vec![at("notebook.json", 200, &leak)], "{v:#}");
}

#[test]
fn a_secret_at_the_end_of_an_over_long_line_is_found_in_windows_with_a_notice() {
    let repo = TestRepo::init();
    repo.stage(".coach.toml", "max-file-size = 4096\n");
    repo.commit("config");
    // A minified line of 1.5 MiB, the token at its very end, then an ordinary line.
    let mut text = "x".repeat(3 << 19);
    text.push_str(&format!(",\"t\":\"{}\"\nok\n", tok(7)));
    repo.stage("bundle.min.js", &text);
    let (code, v) = json(&repo, &["--staged"]);
    assert_eq!(code, Some(1), "{}", v["notices"]);
    assert!(
        found(&v).iter().any(|f| f.0 == "bundle.min.js" && f.1 == 1),
        "{v:#}"
    );
    let n = v["notices"].as_array().unwrap();
    assert!(
        n.iter().any(|n| n["path"] == "bundle.min.js"
            && n["reason"]
                .as_str()
                .unwrap()
                .contains("scanned in overlapping windows")),
        "{v:#}"
    );
}

/// A token inside the overlap of two windows of a long line is found by both: it is one finding.
#[test]
fn a_secret_in_the_overlap_of_two_windows_is_one_finding() {
    let repo = TestRepo::init();
    repo.stage(".coach.toml", "max-file-size = 4096\n");
    repo.commit("config");
    // Windows are 1 MiB and overlap by 16 KiB: the token sits 8 KiB before the first one ends.
    let mut text = "x".repeat((1 << 20) - (8 << 10));
    text.push_str(&format!(",\"t\":\"{}\",", tok(9)));
    text.push_str(&"y".repeat(1 << 19));
    text.push('\n');
    repo.stage("bundle.min.js", &text);
    let (code, v) = json(&repo, &["--staged"]);
    assert_eq!(code, Some(1), "{}", v["notices"]);
    let hits: Vec<_> = found(&v)
        .into_iter()
        .filter(|f| f.0 == "bundle.min.js")
        .collect();
    assert_eq!(hits.len(), 1, "{v:#}");
}

// --- item 8: commit and annotated tag messages ---------------------------------------------------

#[test]
fn token_in_a_head_commit_message_blocks_the_push_and_coaches_amend() {
    let repo = pushed_repo();
    repo.stage("app.rs", "fn main() {}\n");
    let msg = format!("deploy fix\n\nused {} to test\n", tok(8));
    repo.git(&["commit", "-q", "--no-verify", "-m", &msg]);
    let head = repo.git(&["rev-parse", "HEAD"]).trim().to_owned();

    let out = push(&repo, "main");
    let err = stderr(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the push must be blocked: {err}"
    );
    assert!(err.contains("<commit message>:3:"), "{err}");
    assert!(err.contains(&head[..12]), "{err}");
    assert!(err.contains("$ git commit --amend"), "{err}");
    assert!(
        !err.contains("--amend --all"),
        "a message is reworded, not a file: {err}"
    );

    let (code, v) = json(&repo, &["--history"]);
    assert_eq!(code, Some(1), "{v:#}");
    assert_eq!(found(&v), vec![at("<commit message>", 3, &head)], "{v:#}");
}

#[test]
fn token_in_an_older_commit_message_coaches_rebase_reword() {
    let repo = pushed_repo();
    let msg = format!("wip {}", tok(9));
    repo.git(&["commit", "-q", "--no-verify", "--allow-empty", "-m", &msg]);
    let leak = repo.git(&["rev-parse", "HEAD"]).trim().to_owned();
    repo.commit("later work");
    let out = push(&repo, "main");
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("git rebase -i {}~1", &leak[..12])) && err.contains("'reword'"),
        "{err}"
    );
}

#[test]
fn token_in_an_annotated_tag_message_blocks_the_tag_push_and_is_in_history() {
    let repo = pushed_repo();
    let msg = format!("release 1.0\n\nsigned off with {}\n", tok(10));
    repo.git(&["tag", "-a", "v1.0", "-m", &msg]);
    let out = push(&repo, "v1.0");
    let err = stderr(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the tag push must be blocked: {err}"
    );
    assert!(err.contains("<tag message: v1.0>:3:"), "{err}");
    assert!(err.contains("git tag -f -a v1.0"), "{err}");

    let (code, v) = json(&repo, &["--history"]);
    assert_eq!(code, Some(1), "{v:#}");
    assert!(
        found(&v)
            .iter()
            .any(|f| f.0 == "<tag message: v1.0>" && f.1 == 3),
        "{v:#}"
    );
}

#[test]
fn commit_msg_hook_stops_a_commit_whose_message_holds_a_token() {
    let repo = TestRepo::init();
    repo.install_hooks();
    assert!(repo.path(".git/hooks/commit-msg").exists());
    repo.stage("app.rs", "fn main() {}\n");
    let out = repo.git_output(&["commit", "-m", &format!("try {}", tok(11))]);
    let err = stderr(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the commit must be stopped: {err}"
    );
    assert!(err.contains("<commit message>:1:"), "{err}");
    assert!(err.contains("COMMIT_EDITMSG"), "{err}");
    assert!(
        !repo
            .git_output(&["rev-parse", "--verify", "-q", "HEAD"])
            .status
            .success(),
        "nothing may be committed"
    );

    // A clean message commits; Git's comment lines are not the message.
    repo.write("msg.txt", format!("add main\n# {}\n", tok(12)));
    let out = repo.git_output(&["commit", "-F", "msg.txt", "--cleanup=strip"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}
