//! `.coach.toml` end to end: strict errors (exit 2, never allow), allowlists, extra rules, fail-open,
//! `coach config show`, and inline allows through real commits.
// See: #6
use crate::support::*;

/// Stages a token, checks a real `git commit` is refused, and returns the hook's own run (git itself
/// exits 1 whatever the hook's code).
fn blocked_commit(repo: &TestRepo) -> std::process::Output {
    repo.install_hooks();
    repo.stage("app.env", format!("GITHUB_TOKEN={}\n", token()));
    let commit = repo.git_output(&["commit", "-m", "add env"]);
    assert!(!commit.status.success(), "{}", stderr(&commit));
    assert!(repo.git_output(&["rev-parse", "HEAD"]).status.code() != Some(0));
    repo.coach(&["hook", "pre-commit"])
}

#[test]
fn unknown_key_names_file_line_col_key_and_the_valid_keys() {
    let repo = TestRepo::init();
    repo.write(
        ".coach.toml",
        "max-file-size = 10\n[allowlist]\nstopwords = [\"x\"]\n",
    );
    let out = blocked_commit(&repo);
    assert_eq!(out.status.code(), Some(2), "a broken config is exit 2");
    let err = stderr(&out);
    let first = err
        .lines()
        .find(|l| l.contains(".coach.toml"))
        .unwrap_or_default();
    assert_eq!(
        repo.redact(first),
        "coach: error: [TMP]/repo/.coach.toml:3:1: unknown field `stopwords`, expected one of `paths`, `regexes`, `line-regexes`, `stop-words`"
    );
}

#[test]
fn wrong_type_names_the_position_and_what_was_expected() {
    let repo = TestRepo::init();
    repo.write(".coach.toml", "[policy]\non-error = true\n");
    let out = repo.coach(&["scan", "--staged"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        repo.redact(stderr(&out).trim_end()),
        "coach: error: [TMP]/repo/.coach.toml:2:12: invalid type: boolean `true`, expected `fail-closed` or `fail-open`"
    );
}

#[test]
fn invalid_allowlist_regex_points_at_the_pattern() {
    let repo = TestRepo::init();
    repo.write(
        ".coach.toml",
        "[allowlist]\nregexes = [\n  '^ok$',\n  '(unclosed',\n]\n",
    );
    let out = blocked_commit(&repo);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = repo.redact(&stderr(&out));
    assert!(
        err.contains(
            "coach: error: [TMP]/repo/.coach.toml:4:3: allowlist.regexes: invalid regex: unclosed group"
        ),
        "{err}"
    );
}

#[test]
fn oversized_allowlist_regex_is_refused() {
    let repo = TestRepo::init();
    let long = "a".repeat(2000);
    repo.write(
        ".coach.toml",
        format!("[allowlist]\nline-regexes = ['{long}']\n"),
    );
    let out = repo.coach(&["scan", "--staged"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(
            ".coach.toml:2:17: allowlist.line-regexes: regex is 2000 bytes long; the limit is 1024"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn broken_config_never_allows_even_when_it_asks_for_fail_open() {
    let repo = TestRepo::init();
    // The typo makes the file invalid; its fail-open wish must not be honoured.
    repo.write(
        ".coach.toml",
        "[policy]\non-error = \"fail-open\"\nescalat = true\n",
    );
    let out = blocked_commit(&repo);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown field `escalat`"));
    assert!(!stderr(&out).contains("fail-open\": this commit is allowed"));
}

#[test]
fn fail_open_lets_an_unscannable_unit_through_loudly_and_fail_closed_does_not() {
    let repo = TestRepo::init();
    repo.write("present.txt", "fine\n");
    // A path that does not exist is a unit that could not be scanned.
    let closed = repo.coach(&["scan", "present.txt", "missing.txt"]);
    assert_eq!(closed.status.code(), Some(2), "{}", stderr(&closed));
    repo.write(".coach.toml", "[policy]\non-error = \"fail-open\"\n");
    let open = repo.coach(&["scan", "present.txt", "missing.txt"]);
    assert_eq!(open.status.code(), Some(0), "{}", stdout(&open));
    let text = stdout(&open);
    assert!(text.contains("error: missing.txt: no such file"), "{text}");
    assert!(
        text.contains("1 unit(s) could not be scanned and were let through"),
        "{text}"
    );
}

#[test]
fn allowlisted_paths_regexes_and_stop_words_are_reported_as_allowed() {
    let repo = TestRepo::init();
    repo.write(
        ".coach.toml",
        r#"[allowlist]
paths = ["fixtures/"]
line-regexes = ['# test-only']
stop-words = ["q8zr2lmw"]
"#,
    );
    let other = github_token("A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5");
    let third = github_token("Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0");
    repo.write("fixtures/deep/key.txt", format!("{other}\n"));
    repo.write("a.txt", format!("{third} # test-only\n"));
    repo.write("b.txt", format!("{}\n", token()));
    repo.write("c.txt", format!("{third}\n"));
    let out = repo.coach(&["scan", ".", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "c.txt still blocks");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let by_path = |p: &str| {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == p)
            .unwrap_or_else(|| panic!("no finding in {p}"))
            .clone()
    };
    for (path, reason) in [
        ("fixtures/deep/key.txt", "allowlist.paths: fixtures/"),
        ("a.txt", "allowlist.line-regexes: # test-only"),
        ("b.txt", "allowlist.stop-words: q8zr2lmw"),
    ] {
        let f = by_path(path);
        assert_eq!(f["verdict"], "allow", "{path}");
        assert_eq!(f["suppression"]["kind"], "config", "{path}");
        assert_eq!(f["suppression"]["reason"], reason, "{path}");
    }
    assert_eq!(by_path("c.txt")["verdict"], "block");
    assert!(!stdout(&out).contains(&token()));
}

#[test]
fn extra_rules_files_are_loaded_relative_to_the_config() {
    let repo = TestRepo::init();
    repo.write(
        "policy/acme.toml",
        r#"[[rule]]
id = "acme.internal-token"
name = "ACME internal token"
kind = "acme-token"
keywords = ["acme_"]
pattern = '''\b(?P<secret>acme_[a-z0-9]{24})\b'''
lifetime = "long-lived"
identity = "machine"
severity = "high"
verdict = "block"
examples = ["ACME=acme_0123456789abcdefghijklmn"]
negative-examples = ["acme_short"]

[coaching.acme-token]
title = "ACME internal token"
why = "It opens the internal API."
revoke-console = "Vault UI > acme > tokens > revoke"
revoke-cli = []
audit = "The API access log."
store = "Vault"
replace = "Workload identity"
docs = ["https://example.test/acme"]
"#,
    );
    repo.write(".coach.toml", "extra-rules = [\"policy/acme.toml\"]\n");
    repo.write("x.env", "ACME=acme_q1w2e3r4t5y6u7i8o9p0a1s2\n");
    let out = repo.coach(&["scan", "x.env"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{}\n{err}", stdout(&out));
    assert!(
        stdout(&out).contains("acme.internal-token"),
        "{}",
        stdout(&out)
    );

    repo.write(".coach.toml", "extra-rules = [\"policy/missing.toml\"]\n");
    let out = repo.coach(&["scan", "x.env"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("missing.toml"), "{}", stderr(&out));
}

#[test]
fn config_show_says_where_each_value_came_from() {
    let repo = TestRepo::init();
    let user = repo.home.join(".config/coach/config.toml");
    std::fs::create_dir_all(user.parent().unwrap()).unwrap();
    std::fs::write(
        &user,
        "max-file-size = 2048\nteam-contact = \"#sec\"\n[policy]\nescalate = false\n",
    )
    .unwrap();
    repo.write(
        ".coach.toml",
        "max-file-size = 4096\ndisabled-rules = [\"jwt.token\"]\n[allowlist]\nstop-words = [\"fixture\"]\n",
    );
    let out = repo.coach(&["config", "show"]);
    assert!(out.status.success(), "{}", stderr(&out));
    insta::assert_snapshot!(repo.redact(&stdout(&out)), @r##"
    # Effective coach config. Files read (later ones win):
    #   [TMP]/home/.config/coach/config.toml
    #   [TMP]/repo/.coach.toml
    # repo config lowers protection: 1 rule disabled, 1 allowlist pattern (coach config show)
    #   disabled-rules: 1 rule disabled  ([TMP]/repo/.coach.toml)
    #   allowlist-patterns: 1 allowlist pattern  ([TMP]/repo/.coach.toml)
    allowlist.stop-words = ["fixture"]  # [TMP]/repo/.coach.toml
    baseline = ".coach-baseline.toml"  # default
    disabled-rules = ["jwt.token"]  # [TMP]/repo/.coach.toml
    floor.strict = false  # default
    ledger.contact-after = 3  # default
    ledger.contact-window = "90d"  # default
    ledger.enabled = true  # default
    ledger.escalate-after = 1  # default
    ledger.path = "[TMP]/home/state/ledger.sqlite"  # default
    ledger.repeat-scope = "person"  # default
    ledger.repeat-window = "30d"  # default
    max-file-size = 4096  # [TMP]/repo/.coach.toml
    policy.escalate = false  # [TMP]/home/.config/coach/config.toml
    policy.on-error = "fail-closed"  # default
    push.allow-truncated = false  # default
    push.max-commits = 250000  # default
    team-contact = "#sec"  # [TMP]/home/.config/coach/config.toml
    "##);
}

#[test]
fn inline_allow_with_a_reason_suppresses_and_is_reported() {
    let repo = TestRepo::init();
    repo.install_hooks();
    repo.stage(
        "ci.env",
        format!(
            "# coach:allow github.pat-classic -- revoked 2024-05, kept as a fixture\nTOKEN={}\n",
            token()
        ),
    );
    let out = repo.git_output(&["commit", "-m", "fixture"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains(
            "ci.env:2:7  github.pat-classic  (inline: revoked 2024-05, kept as a fixture)"
        ),
        "{err}"
    );
    assert!(err.contains("1 allowed"), "{err}");
}

#[test]
fn bare_inline_allow_without_a_reason_suppresses_nothing_and_says_why() {
    let repo = TestRepo::init();
    repo.install_hooks();
    repo.stage(
        "ci.env",
        format!("TOKEN={} # coach:allow github.pat-classic\n", token()),
    );
    let out = repo.git_output(&["commit", "-m", "bare allow"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("coach:allow for github.pat-classic has no reason, so it suppresses nothing; write `coach:allow github.pat-classic -- <why>`"),
        "{err}"
    );
}

#[test]
fn inline_allow_for_another_rule_does_not_suppress() {
    let repo = TestRepo::init();
    repo.stage(
        "ci.env",
        format!(
            "TOKEN={} # coach:allow aws.access-key-id -- test key\n",
            token()
        ),
    );
    let out = repo.coach(&["scan"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
}

#[test]
fn migrated_allow_comments_are_honoured_and_named() {
    let repo = TestRepo::init();
    repo.stage("a.env", format!("A={} # gitleaks:allow\n", token()));
    repo.stage(
        "b.env",
        format!("B={}  # pragma: allowlist secret\n", token()),
    );
    let out = repo.coach(&["scan", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let reasons: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["suppression"]["reason"].as_str().unwrap())
        .collect();
    assert_eq!(
        reasons,
        ["gitleaks:allow comment", "pragma: allowlist secret comment"]
    );
}

#[test]
fn inline_allow_forms_comment_styles_and_kind_targets() {
    let repo = TestRepo::init();
    let t = token();
    repo.write(
        "page.html",
        format!(
            "<!-- coach:allow github.pat-classic -- documented revoked token -->\n<p>{t}</p>\n"
        ),
    );
    repo.write(
        "a.c",
        format!("/* coach:allow github-pat -- by kind */ char *t = \"{t}\";\n"),
    );
    repo.write(
        "b.py",
        format!("t = \"{t}\"  # coach:allow -- any rule on this line\n"),
    );
    // Two lines above is too far: the allow covers its own line and the next one only.
    repo.write(
        "c.sh",
        format!("# coach:allow github.pat-classic -- too far\n\nT={t}\n"),
    );
    let out = repo.coach(&["scan", ".", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let got: Vec<(String, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_owned(),
                f["suppression"]["reason"]
                    .as_str()
                    .unwrap_or("-")
                    .to_owned(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("a.c".to_owned(), "by kind".to_owned()),
            ("b.py".to_owned(), "any rule on this line".to_owned()),
            ("c.sh".to_owned(), "-".to_owned()),
            (
                "page.html".to_owned(),
                "documented revoked token".to_owned()
            ),
        ]
    );
    assert_eq!(out.status.code(), Some(1), "c.sh still blocks");
    assert!(!stdout(&out).contains(&t), "no full secret in the report");
}
