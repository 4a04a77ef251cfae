//! `coach scan`: by hand, on the staged change or on paths, human and JSON. See: #2.
use crate::support::*;

#[test]
fn scan_paths_respects_gitignore_and_reports_json() {
    let repo = TestRepo::init();
    repo.write(".gitignore", "ignored/\n");
    repo.write("ignored/k.txt", format!("{}\n", token()));
    repo.write("src/app.env", format!("# config\nTOKEN={}\n", token()));
    let out = repo.coach(&["scan", "--format", "json", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["schema_version"], 1);
    assert_eq!(json["verdict"], "block");
    let findings = json["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{json:#}");
    let f = &findings[0];
    assert_eq!(f["rule_id"], "github.pat-classic");
    assert_eq!(f["path"], "src/app.env");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(2), Some(7))
    );
    for key in [
        "kind",
        "lifetime",
        "severity",
        "redacted",
        "fingerprint",
        "verdict",
        "exposure",
    ] {
        assert!(!f[key].is_null(), "finding has {key}");
    }
    assert_eq!(f["exposure"], "local");
    assert_eq!(f["fingerprint"].as_str().unwrap().len(), 32);
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains(&token()),
        "never the full secret"
    );
    assert_eq!(json["summary"]["files_scanned"], 2);
}

#[test]
fn scan_defaults_to_the_staged_change() {
    let repo = TestRepo::init();
    repo.stage("a.txt", format!("{}\n", token()));
    repo.write("b.txt", format!("{}\n", token()));
    let out = repo.coach(&["scan"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("a.txt:1:1") && !text.contains("b.txt"),
        "{text}"
    );
}

#[test]
fn empty_staged_change_says_nothing_was_scanned() {
    let repo = TestRepo::init();
    let out = repo.coach(&["scan"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout(&out).contains("nothing to scan in the staged change"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn missing_path_is_exit_2() {
    let repo = TestRepo::init();
    let out = repo.coach(&["scan", "no/such/file"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stdout(&out).contains("no such file or directory"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn inline_allow_with_reason_suppresses_and_is_reported() {
    let repo = TestRepo::init();
    repo.stage(
        "fixture.txt",
        format!(
            "TOKEN={} # coach:allow github.pat-classic -- revoked test fixture\n",
            token()
        ),
    );
    let out = repo.coach(&["scan", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = &json["findings"][0];
    assert_eq!(f["verdict"], "allow");
    assert_eq!(f["suppression"]["kind"], "inline");
    assert_eq!(f["suppression"]["reason"], "revoked test fixture");
}

#[test]
fn inline_allow_without_reason_suppresses_nothing() {
    let repo = TestRepo::init();
    repo.stage("fixture.txt", format!("TOKEN={} # coach:allow\n", token()));
    let out = repo.coach(&["scan"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("has no reason"), "{}", stdout(&out));
}

#[test]
fn documented_example_and_placeholder_values_do_not_fire() {
    let repo = TestRepo::init();
    repo.stage(
        "docs.md",
        "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n\
         aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n\
         token: ${{ secrets.GITHUB_TOKEN }}\n\
         api_key = \"<YOUR_API_KEY>\"\n\
         password = \"changeme\"\n\
         GITHUB_TOKEN=ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n\
         ghp_q8Zr2LmW0xYt5Nv7Kp3Hs9Dj1Fb6Gc000000\n",
    );
    let out = repo.coach(&["scan"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("0 findings"), "{}", stdout(&out));
}

/// A valid checksum outranks the placeholder filter: this random token holds `XXXX` by chance
/// (about 1 GitHub token in 16,000 does) and used to pass as a stand-in.
#[test]
fn a_checksum_valid_token_that_looks_masked_still_fires() {
    let t = "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";
    assert_eq!(
        coach::api::github_check(&t[4..34]),
        t[34..],
        "a valid checksum"
    );
    let repo = TestRepo::init();
    repo.stage("conf.env", format!("GITHUB_TOKEN={t}\n"));
    let out = repo.coach(&["scan"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("github.pat-classic"),
        "{}",
        stdout(&out)
    );
}

#[cfg(unix)]
#[test]
fn symlinks_in_a_scanned_folder_are_named_not_skipped_silently() {
    let repo = TestRepo::init();
    let outside = repo.tmp.path().join("outside.env");
    std::fs::write(&outside, format!("TOKEN={}\n", token())).unwrap();
    std::fs::create_dir_all(repo.path("conf")).unwrap();
    std::os::unix::fs::symlink(&outside, repo.path("conf/linked.env")).unwrap();
    let out = repo.coach(&["scan", "--format", "json", "conf"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let notices = json["notices"].as_array().unwrap();
    assert!(
        notices.iter().any(|n| n["path"] == "conf/linked.env"
            && n["reason"]
                .as_str()
                .unwrap()
                .starts_with("symlink: not followed")),
        "{json:#}"
    );
}

/// Forty repository rules share the keyword `secret`, one also lists `token`: in a long file
/// (searched around keyword hits) each rule finds its own token at its line, near the others'
/// hits, and nothing else. Hits are kept per keyword, not per rule (#15).
#[test]
fn repo_rules_sharing_a_keyword_each_find_their_own_in_a_long_file() {
    let repo = TestRepo::init();
    let mut rules = String::new();
    for i in 0..40 {
        let (keywords, alt) = if i == 7 {
            (r#""secret", "token""#, "secret|token")
        } else {
            (r#""secret""#, "secret")
        };
        rules += &format!(
            "[[rule]]\nid = \"extra.r{i}\"\nname = \"extra r{i}\"\nkind = \"extra-kind\"\n\
             keywords = [{keywords}]\npattern = '''(?:{alt})_r{i}_(?P<secret>[A-Za-z0-9]{{40}})'''\n\
             lifetime = \"long-lived\"\nidentity = \"machine\"\nseverity = \"high\"\n\
             verdict = \"block\"\n\n"
        );
    }
    rules += "[coaching.extra-kind]\ntitle = \"Extra token\"\nwhy = \"It opens the API.\"\n\
              revoke-console = \"Vault UI > revoke\"\nrevoke-cli = []\naudit = \"The API log.\"\n\
              store = \"Vault\"\nreplace = \"Workload identity\"\n\
              docs = [\"https://example.test/extra\"]\n";
    repo.write("extra.toml", rules);
    repo.write(".coach.toml", "extra-rules = [\"extra.toml\"]\n");
    let value = "Kx82PqZr4VtN0bWm7YcLs3HdJ9gFa6Ue1RkQi5Xo";
    let mut text: Vec<String> = (0..600).map(|i| format!("let secret = v{i};")).collect();
    // Lines 441 to 460 without `secret`: r7's token is found by its other keyword alone.
    for line in &mut text[440..460] {
        *line = "let plain = 1;".into();
    }
    text[100] = format!("a = secret_r3_{value}");
    text[450] = format!("b = token_r7_{value}");
    text[451] = format!("c = token_r8_{value}");
    repo.write("big.rs", text.join("\n") + "\n");
    let (code, json) = json(&repo, &["big.rs"]);
    assert_eq!(code, Some(1), "{json:#}");
    let found: Vec<(String, u64)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().into(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(found, [("extra.r3".into(), 101), ("extra.r7".into(), 451)]);
}
