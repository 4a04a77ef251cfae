//! The bad-input matrix: one test per awkward input, each named for the expected outcome. Every case
//! ends in either a correct scan (the secret found at the right place, or a notice saying what was
//! not scanned) or exit 2 with a clear message; none may end in a silent exit 0.
use crate::support::*;
use serde_json::Value;
use std::process::Output;

/// `coach scan --format json` in the repository: (exit code, parsed report).
fn scan(repo: &TestRepo, extra: &[&str]) -> (i32, Value, Output) {
    let mut args = vec!["scan", "--format", "json"];
    args.extend_from_slice(extra);
    let out = repo.coach(&args);
    let code = out.status.code().expect("coach exits with a code");
    let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (code, json, out)
}

fn findings(json: &Value) -> Vec<(String, u64, String)> {
    json["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| {
                    (
                        f["path"].as_str().unwrap_or_default().to_owned(),
                        f["line"].as_u64().unwrap_or_default(),
                        f["rule_id"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn notices(json: &Value) -> Vec<(String, String)> {
    json["notices"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|n| {
                    (
                        n["path"].as_str().unwrap_or_default().to_owned(),
                        n["reason"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Asserts exactly one GitHub token finding at `path:line` and exit 1.
fn assert_token_at(code: i32, json: &Value, path: &str, line: u64) {
    let f = findings(json);
    assert_eq!(code, 1, "blocked: {json}");
    assert!(
        f.iter()
            .any(|(p, l, r)| p == path && *l == line && r == "github.pat-classic"),
        "expected the token at {path}:{line}, got {f:?}"
    );
}

fn assert_error(out: &Output, needle: &str) {
    assert_eq!(out.status.code(), Some(2), "{}", stderr(out));
    let err = stderr(out);
    assert!(
        err.contains(needle),
        "message should mention {needle:?}: {err}"
    );
}

fn secret_line() -> String {
    format!("token = \"{}\"\n", token())
}

fn repo_with_base() -> TestRepo {
    let repo = TestRepo::init();
    repo.stage("README.md", "hello\n");
    repo.commit("base");
    repo
}

#[test]
fn binary_file_is_noted_not_scanned() {
    let repo = repo_with_base();
    let mut bytes = vec![0u8, 1, 2, 3, 0, 255];
    bytes.extend_from_slice(secret_line().as_bytes());
    repo.stage("blob.bin", bytes);
    let (code, json, _) = scan(&repo, &[]);
    assert_eq!(code, 0, "{json}");
    assert!(
        notices(&json)
            .iter()
            .any(|(p, r)| p == "blob.bin" && r.contains("binary")),
        "{json}"
    );
}

#[test]
fn keystore_file_is_reported_as_a_credential_file() {
    let repo = repo_with_base();
    repo.stage(
        "certs/client.p12",
        [0x30u8, 0x82, 0x0a, 0x00, 0x02, 0x01, 0x03, 0x00],
    );
    repo.stage(
        "release.jks",
        [0xfeu8, 0xed, 0xfe, 0xed, 0x00, 0x00, 0x00, 0x02],
    );
    let (code, json, _) = scan(&repo, &[]);
    assert_eq!(code, 1, "{json}");
    let f = findings(&json);
    assert!(
        f.iter()
            .any(|(p, _, r)| p == "certs/client.p12" && r == "file.keystore"),
        "{f:?}"
    );
    assert!(
        f.iter()
            .any(|(p, _, r)| p == "release.jks" && r == "file.keystore"),
        "{f:?}"
    );
}

#[test]
fn file_over_the_size_cap_is_streamed_and_its_added_lines_scanned() {
    // See: #11 (item 7): the cap bounds memory, it no longer skips the file.
    let repo = repo_with_base();
    repo.write(".coach.toml", "max-file-size = 4096\n");
    let mut text = String::new();
    for i in 0..400 {
        text.push_str(&format!("let value_{i} = {i};\n"));
    }
    text.push_str(&secret_line());
    repo.stage("big.rs", &text);
    repo.stage("small.rs", secret_line());
    let (code, json, _) = scan(&repo, &[]);
    assert_token_at(code, &json, "small.rs", 1);
    assert_token_at(code, &json, "big.rs", 401);
    assert_eq!(json["summary"]["notices"], 0, "{json}");
}

#[test]
fn empty_file_is_counted_and_allowed() {
    let repo = repo_with_base();
    repo.stage("empty.txt", "");
    let (code, json, _) = scan(&repo, &[]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["summary"]["files_scanned"], 1, "{json}");
}

#[test]
fn invalid_utf8_around_a_secret_still_finds_it() {
    let repo = repo_with_base();
    let mut bytes = b"caf\xe9 \xff\xfe\n".to_vec();
    bytes.extend_from_slice(secret_line().as_bytes());
    repo.stage("latin1.txt", bytes);
    let (code, json, _) = scan(&repo, &[]);
    assert_token_at(code, &json, "latin1.txt", 2);
}

fn utf16le_with_bom(text: &str) -> Vec<u8> {
    let mut out = vec![0xff, 0xfe];
    for u in text.encode_utf16() {
        out.extend_from_slice(&u.to_le_bytes());
    }
    out
}

#[test]
fn utf16_with_bom_is_decoded_and_scanned() {
    let repo = repo_with_base();
    let text = format!("first line\r\n{}", secret_line().replace('\n', "\r\n"));
    repo.stage("settings.ps1", utf16le_with_bom(&text));
    let (code, json, _) = scan(&repo, &[]);
    assert_token_at(code, &json, "settings.ps1", 2);
}

#[test]
fn utf16_with_bom_is_decoded_in_a_path_scan() {
    let repo = TestRepo::init();
    let text = format!("first line\r\n{}", secret_line());
    repo.write("win/settings.ps1", utf16le_with_bom(&text));
    let (code, json, _) = scan(&repo, &["win"]);
    assert_token_at(code, &json, "win/settings.ps1", 2);
}

#[test]
fn crlf_line_endings_give_editor_line_numbers() {
    let repo = repo_with_base();
    repo.stage(
        "win.txt",
        format!("a\r\nb\r\n{}", secret_line().replace('\n', "\r\n")),
    );
    let (code, json, _) = scan(&repo, &[]);
    assert_token_at(code, &json, "win.txt", 3);
}

#[test]
fn nul_bytes_after_the_binary_window_do_not_hide_a_secret() {
    let repo = repo_with_base();
    let mut bytes = "x\n".repeat(5000).into_bytes();
    bytes.extend_from_slice(b"a\0b\n");
    bytes.extend_from_slice(secret_line().as_bytes());
    repo.stage("mixed.txt", bytes);
    let (code, json, _) = scan(&repo, &[]);
    assert_token_at(code, &json, "mixed.txt", 5002);
}

#[test]
fn no_trailing_newline_still_finds_the_last_line() {
    let repo = repo_with_base();
    repo.stage("last.txt", format!("one\n{}", secret_line().trim_end()));
    let (code, json, _) = scan(&repo, &[]);
    assert_token_at(code, &json, "last.txt", 2);
}

#[test]
fn symlink_is_noted_and_not_followed() {
    let repo = repo_with_base();
    repo.write("outside/secret.txt", secret_line());
    std::os::unix::fs::symlink("outside/secret.txt", repo.path("link")).unwrap();
    repo.git(&["add", "link"]);
    let (code, json, _) = scan(&repo, &[]);
    assert_eq!(code, 0, "{json}");
    assert!(
        notices(&json)
            .iter()
            .any(|(p, r)| p == "link" && r.contains("symlink")),
        "{json}"
    );
}

#[test]
fn submodule_is_noted_not_scanned() {
    let repo = repo_with_base();
    let sub = TestRepo::init();
    sub.stage("s.txt", "sub\n");
    let sha = sub.commit("sub");
    repo.git(&[
        "update-index",
        "--add",
        "--cacheinfo",
        &format!("160000,{sha},vendor/sub"),
    ]);
    let (code, json, _) = scan(&repo, &[]);
    assert_eq!(code, 0, "{json}");
    assert!(
        notices(&json)
            .iter()
            .any(|(p, r)| p == "vendor/sub" && r.contains("submodule")),
        "{json}"
    );
}

#[test]
fn lfs_pointer_is_noted_not_scanned() {
    let repo = repo_with_base();
    repo.stage(
        "model.bin",
        "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n",
    );
    let (code, json, _) = scan(&repo, &[]);
    assert_eq!(code, 0, "{json}");
    assert!(
        notices(&json)
            .iter()
            .any(|(p, r)| p == "model.bin" && r.contains("LFS")),
        "{json}"
    );
}

#[test]
fn rename_without_change_reports_nothing() {
    let repo = repo_with_base();
    repo.stage("old.txt", secret_line());
    repo.commit("had a secret already");
    repo.git(&["mv", "old.txt", "new.txt"]);
    let (code, json, _) = scan(&repo, &[]);
    assert_eq!(code, 0, "a pure rename adds no line: {json}");
    assert!(findings(&json).is_empty(), "{json}");
}

#[test]
fn rename_with_an_added_secret_reports_the_new_path() {
    let repo = repo_with_base();
    let body: String = (0..30).map(|i| format!("line {i}\n")).collect();
    repo.stage("old.txt", &body);
    repo.commit("base file");
    repo.git(&["mv", "old.txt", "new.txt"]);
    repo.stage("new.txt", format!("{body}{}", secret_line()));
    let (code, json, _) = scan(&repo, &[]);
    assert_token_at(code, &json, "new.txt", 31);
}

#[test]
fn copy_with_an_added_secret_reports_the_copy() {
    let repo = repo_with_base();
    let body: String = (0..30).map(|i| format!("line {i}\n")).collect();
    repo.stage("orig.txt", &body);
    repo.commit("base file");
    repo.stage("copy.txt", format!("{body}{}", secret_line()));
    let (code, json, _) = scan(&repo, &[]);
    assert_token_at(code, &json, "copy.txt", 31);
}

#[test]
fn deletion_of_a_file_with_a_secret_is_allowed() {
    let repo = repo_with_base();
    repo.stage("gone.txt", secret_line());
    repo.commit("secret");
    repo.git(&["rm", "-q", "gone.txt"]);
    let (code, json, _) = scan(&repo, &[]);
    assert_eq!(code, 0, "{json}");
    assert!(findings(&json).is_empty());
}

#[test]
fn mode_change_only_reports_nothing() {
    let repo = repo_with_base();
    repo.stage("run.sh", secret_line());
    repo.commit("secret");
    repo.git(&["update-index", "--chmod=+x", "run.sh"]);
    let (code, json, _) = scan(&repo, &[]);
    assert_eq!(code, 0, "{json}");
    assert!(findings(&json).is_empty(), "{json}");
}

#[test]
fn first_commit_of_an_empty_repository_is_scanned() {
    let repo = TestRepo::init();
    repo.stage("a.txt", secret_line());
    let (code, json, _) = scan(&repo, &[]);
    assert_token_at(code, &json, "a.txt", 1);
}

#[test]
fn detached_head_is_scanned_against_that_commit() {
    let repo = repo_with_base();
    repo.git(&["checkout", "-q", "--detach"]);
    repo.stage("d.txt", secret_line());
    let (code, json, _) = scan(&repo, &[]);
    assert_token_at(code, &json, "d.txt", 1);
}

#[test]
fn merge_in_progress_with_a_resolved_secret_is_blocked() {
    let repo = repo_with_base();
    repo.git(&["checkout", "-q", "-b", "side"]);
    repo.stage("c.txt", "side\n");
    repo.commit("side");
    repo.git(&["checkout", "-q", "main"]);
    repo.stage("c.txt", "main\n");
    repo.commit("main");
    let out = repo.git_output(&["merge", "-q", "side"]);
    assert!(!out.status.success(), "the merge conflicts");
    repo.stage("c.txt", format!("merged\n{}", secret_line()));
    assert!(repo.path(".git/MERGE_HEAD").exists());
    let (code, json, _) = scan(&repo, &[]);
    assert_token_at(code, &json, "c.txt", 2);
}

#[test]
fn commit_all_is_blocked_by_the_hook() {
    let repo = repo_with_base();
    repo.install_hooks();
    repo.write("README.md", format!("hello\n{}", secret_line()));
    let out = repo.git_output(&["commit", "-a", "-m", "all"]);
    assert!(!out.status.success(), "commit -a must be blocked");
    assert!(stderr(&out).contains("README.md:2"), "{}", stderr(&out));
    assert!(!stderr(&out).contains(&token()));
}

#[test]
fn partial_staging_scans_only_the_staged_hunk() {
    let repo = repo_with_base();
    let body: String = (0..40).map(|i| format!("line {i}\n")).collect();
    repo.stage("p.txt", &body);
    repo.commit("body");
    // Two far-apart edits: the first is staged (like `git add -p`), the secret one is not.
    let mut lines: Vec<String> = body.lines().map(str::to_owned).collect();
    lines[2] = "line 2 changed".into();
    lines[35] = secret_line().trim_end().to_owned();
    repo.write("p.txt", lines.join("\n") + "\n");
    let patch = repo.git(&["diff", "-U0", "p.txt"]);
    let first_hunk: String = {
        let mut out = String::new();
        let mut hunks = 0;
        for l in patch.lines() {
            if l.starts_with("@@") {
                hunks += 1;
            }
            if hunks <= 1 {
                out.push_str(l);
                out.push('\n');
            }
        }
        out
    };
    repo.write("partial.patch", &first_hunk);
    repo.git(&["apply", "--cached", "--unidiff-zero", "partial.patch"]);
    std::fs::remove_file(repo.path("partial.patch")).unwrap();
    let (code, json, _) = scan(&repo, &[]);
    assert_eq!(code, 0, "the unstaged secret is not in the commit: {json}");
    assert_eq!(json["summary"]["lines_scanned"], 1, "{json}");
    // Staging the rest is caught.
    repo.git(&["add", "p.txt"]);
    let (code, json, _) = scan(&repo, &[]);
    assert_token_at(code, &json, "p.txt", 36);
}

#[test]
fn linked_worktree_scans_its_own_index() {
    let repo = repo_with_base();
    let wt = repo.tmp.path().join("wt");
    repo.git(&[
        "worktree",
        "add",
        "-q",
        wt.to_str().unwrap(),
        "-b",
        "feature",
    ]);
    std::fs::write(wt.join("w.txt"), secret_line()).unwrap();
    let out = repo
        .cmd("git")
        .current_dir(&wt)
        .args(["add", "w.txt"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = repo
        .cmd(COACH)
        .current_dir(&wt)
        .args(["scan", "--format", "json"])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_token_at(out.status.code().unwrap(), &json, "w.txt", 1);
    // The main worktree's index is untouched by the other one.
    let (code, _, _) = scan(&repo, &[]);
    assert_eq!(code, 0);
}

#[test]
fn bare_repository_exits_2_with_a_message() {
    let repo = TestRepo::init();
    let bare = repo.bare_remote();
    let out = repo
        .cmd(COACH)
        .current_dir(&bare)
        .args(["scan"])
        .output()
        .unwrap();
    assert_error(&out, "bare");
}

#[test]
#[allow(clippy::print_stderr)]
fn unsafe_directory_ownership_exits_2_with_a_message() {
    let repo = repo_with_base();
    repo.stage("a.txt", secret_line());
    // Owned by someone else: Git (and libgit2) refuse it unless safe.directory says otherwise.
    let chown = std::process::Command::new("chown")
        .args(["-R", "65534:65534"])
        .arg(&repo.dir)
        .status()
        .unwrap();
    if !chown.success() {
        eprintln!("not root: cannot hand the repository to another owner; case not exercised");
        return;
    }
    let out = repo.coach(&["scan"]);
    assert_error(&out, "safe.directory");
}

#[test]
fn corrupt_index_exits_2_with_a_message() {
    let repo = repo_with_base();
    repo.stage("a.txt", secret_line());
    let index = repo.path(".git/index");
    let mut bytes = std::fs::read(&index).unwrap();
    let n = bytes.len();
    bytes[n / 2] ^= 0xff;
    bytes[n - 1] ^= 0xff;
    std::fs::write(&index, bytes).unwrap();
    let out = repo.coach(&["scan"]);
    assert_error(&out, "index");
}

#[test]
fn missing_object_exits_2_with_a_message() {
    let repo = repo_with_base();
    repo.stage("a.txt", secret_line());
    let sha = repo.git(&["rev-parse", ":a.txt"]).trim().to_owned();
    std::fs::remove_file(repo.path(&format!(".git/objects/{}/{}", &sha[..2], &sha[2..]))).unwrap();
    let out = repo.coach(&["scan"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let all = format!("{}{}", stdout(&out), stderr(&out));
    assert!(all.contains("a.txt"), "names the file: {all}");
}

#[test]
fn unreadable_file_in_a_path_scan_exits_2() {
    let repo = TestRepo::init();
    repo.write("tree/ok.txt", "fine\n");
    repo.write("tree/locked.txt", secret_line());
    use std::os::unix::fs::PermissionsExt;
    let locked = repo.path("tree/locked.txt");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let mut cmd = if std::fs::read(&locked).is_ok() {
        // Root reads anything: run coach as nobody so the permission bits count.
        for p in [repo.tmp.path(), &repo.dir, &repo.path("tree"), &repo.home] {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o777)).unwrap();
        }
        let mut c = repo.cmd("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", COACH]);
        c
    } else {
        repo.cmd(COACH)
    };
    let out = cmd.args(["scan", "tree"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let all = format!("{}{}", stdout(&out), stderr(&out));
    assert!(
        all.contains("locked.txt") && all.contains("ermission"),
        "{all}"
    );
}

#[test]
fn broken_config_exits_2_naming_the_file() {
    let repo = repo_with_base();
    repo.write(".coach.toml", "max-file-size = \"big\"\n");
    repo.stage("a.txt", secret_line());
    let out = repo.coach(&["scan"]);
    assert_error(&out, ".coach.toml:1");
}

#[test]
fn broken_rule_file_exits_2_naming_the_file() {
    let repo = repo_with_base();
    repo.write(
        "myrules/bad.toml",
        "[[rule]]\nid = \"x\"\npattern = \"(unclosed\"\n",
    );
    repo.stage("a.txt", secret_line());
    let out = repo.coach(&["--rules-dir", "myrules", "scan"]);
    assert_error(&out, "bad.toml");
}

#[test]
fn oversized_user_pattern_exits_2_with_a_size_message() {
    let repo = repo_with_base();
    let rule = r#"[[rule]]
id = "huge.pattern"
name = "Huge"
kind = "huge"
keywords = ["huge"]
pattern = '''huge(?P<secret>\w{1000}\w{1000}\w{1000})'''
lifetime = "long-lived"
identity = "human"
severity = "high"
"#;
    repo.write("myrules/huge.toml", rule);
    let out = repo.coach(&["--rules-dir", "myrules", "scan"]);
    assert_error(&out, "size limit");
}

#[test]
fn paths_with_spaces_unicode_and_newline_are_reported_exactly() {
    let repo = repo_with_base();
    repo.stage("dir with space/ünïcødé.txt", secret_line());
    repo.stage("new\nline.txt", secret_line());
    let (code, json, _) = scan(&repo, &[]);
    assert_token_at(code, &json, "dir with space/ünïcødé.txt", 1);
    assert_token_at(code, &json, "new\nline.txt", 1);
}

#[test]
fn ten_thousand_staged_files_are_all_counted_and_the_secret_found() {
    let repo = repo_with_base();
    for i in 0..10_000 {
        let body = if i == 7777 {
            secret_line()
        } else {
            format!("file {i}\n")
        };
        repo.write(&format!("many/{:02}/f{i}.txt", i % 50), body);
    }
    repo.git(&["add", "many"]);
    let (code, json, _) = scan(&repo, &[]);
    assert_eq!(
        json["summary"]["files_scanned"], 10_000,
        "{}",
        json["summary"]
    );
    assert_token_at(code, &json, "many/27/f7777.txt", 1);
}

#[test]
fn minified_single_line_file_is_scanned_without_blowing_up() {
    let repo = repo_with_base();
    let mut line = "var a=1;".repeat(250_000);
    line.push_str(&format!("var t=\"{}\";", token()));
    line.push_str(&"b=2;".repeat(100_000));
    repo.stage("app.min.js", line);
    let (code, json, _) = scan(&repo, &[]);
    assert_token_at(code, &json, "app.min.js", 1);
}

#[test]
fn outside_a_repository_exits_2_with_a_message() {
    let repo = TestRepo::init();
    let elsewhere = repo.tmp.path().join("plain");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let out = repo
        .cmd(COACH)
        .current_dir(&elsewhere)
        .env("GIT_CEILING_DIRECTORIES", repo.tmp.path())
        .args(["scan"])
        .output()
        .unwrap();
    assert_error(&out, "not inside a Git repository");
}

#[test]
fn gitattributes_binary_does_not_hide_a_secret_in_text() {
    let repo = repo_with_base();
    repo.stage(".gitattributes", "*.cfg binary\n");
    repo.stage("app.cfg", "name = app\n");
    repo.commit("attributes");
    repo.stage("app.cfg", format!("name = app\n{}", secret_line()));
    let (code, json, _) = scan(&repo, &[]);
    assert_token_at(code, &json, "app.cfg", 2);
}

#[test]
fn utf16_modified_file_reports_only_the_added_line() {
    let repo = repo_with_base();
    repo.stage("reg.ps1", utf16le_with_bom("one\r\ntwo\r\n"));
    repo.commit("utf16 base");
    repo.stage(
        "reg.ps1",
        utf16le_with_bom(&format!(
            "one\r\ntwo\r\n{}",
            secret_line().replace('\n', "\r\n")
        )),
    );
    let (code, json, _) = scan(&repo, &[]);
    assert_token_at(code, &json, "reg.ps1", 3);
    assert_eq!(json["summary"]["lines_scanned"], 1, "{json}");
}

/// A staged change of 420 files of 1 KB each (over the size read on one thread): every file is
/// counted, every notice and finding kept, whichever reader thread read it.
fn large_staged_change(repo: &TestRepo) {
    let filler = "let value = compute(index, offset);\n".repeat(28);
    for i in 0..420 {
        let path = format!("big/{:02}/f{i:03}.rs", i % 7);
        if i % 60 == 5 {
            let mut bytes = vec![0u8, 1, 2, 3, 0, 255];
            bytes.extend_from_slice(filler.as_bytes());
            repo.write(&path, bytes);
        } else if [13, 201, 419].contains(&i) {
            repo.write(&path, format!("{filler}{}", secret_line()));
        } else {
            repo.write(&path, &filler);
        }
    }
    repo.git(&["add", "big"]);
}

#[test]
fn a_large_staged_change_keeps_every_file_notice_and_finding() {
    let repo = repo_with_base();
    large_staged_change(&repo);
    std::os::unix::fs::symlink("big/00/f000.rs", repo.path("big/link")).unwrap();
    repo.git(&["add", "big/link"]);
    let (code, json, _) = scan(&repo, &[]);
    assert_eq!(json["summary"]["files_scanned"], 421, "{}", json["summary"]);
    let mut found: Vec<String> = findings(&json).into_iter().map(|(p, _, _)| p).collect();
    found.sort();
    assert_eq!(
        found,
        ["big/05/f201.rs", "big/06/f013.rs", "big/06/f419.rs"]
    );
    assert_token_at(code, &json, "big/06/f013.rs", 29);
    let noted: Vec<(String, String)> = notices(&json);
    let mut expect: Vec<(String, String)> = (0..420)
        .filter(|i| i % 60 == 5)
        .map(|i| (format!("big/{:02}/f{i:03}.rs", i % 7), "binary".to_owned()))
        .collect();
    expect.push(("big/link".to_owned(), "symlink".to_owned()));
    expect.sort();
    let got: Vec<(String, String)> = noted
        .iter()
        .map(|(p, r)| {
            (
                p.clone(),
                r.split(':').next().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert_eq!(got, expect, "every notice, in path order");
}

#[test]
fn a_missing_object_in_a_large_staged_change_exits_2_naming_it() {
    let repo = repo_with_base();
    large_staged_change(&repo);
    let sha = repo
        .git(&["rev-parse", ":big/03/f304.rs"])
        .trim()
        .to_owned();
    std::fs::remove_file(repo.path(&format!(".git/objects/{}/{}", &sha[..2], &sha[2..]))).unwrap();
    let out = repo.coach(&["scan"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let all = format!("{}{}", stdout(&out), stderr(&out));
    assert!(all.contains("big/03/f304.rs"), "names the file: {all}");
}
