//! The rule pack as data: every rule proven through the whole pipeline, the listing snapshotted, the
//! clean corpus silent. See: #2, #3.
use crate::support::*;
use coach::api::{RuleSet, RuleSource};
use std::path::PathBuf;

#[test]
fn every_rule_example_fires_and_every_negative_does_not() {
    let rules = RuleSet::builtin().expect("built-in rules compile");
    let problems = coach::api::check_rules(&rules, &[]);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn rule_pack_covers_at_least_400_rules_and_300_kinds() {
    // Issue 14 asks for breadth: 400 rules over 300 credential kinds at least.
    let rules = RuleSet::builtin().unwrap();
    assert!(rules.rules.len() >= 400, "{} rules", rules.rules.len());
    assert!(
        rules.coaching.len() >= 300,
        "{} kinds",
        rules.coaching.len()
    );
}

#[test]
fn rules_list_is_snapshotted() {
    let out = std::process::Command::new(COACH)
        .args(["rules", "list"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(out.status.success());
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn rules_check_cli_passes_on_the_builtin_set() {
    let out = std::process::Command::new(COACH)
        .args(["rules", "check"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains(": ok"));
}

#[test]
fn clean_corpus_produces_no_findings() {
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/clean");
    let out = std::process::Command::new(COACH)
        .args(["scan", "--format", "json"])
        .arg(&corpus)
        .env("NO_COLOR", "1")
        .env(
            "COACH_STATE_DIR",
            std::env::temp_dir().join("coach-corpus-state"),
        )
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json report");
    let files = json["summary"]["files_scanned"].as_u64().unwrap();
    assert!(files >= 15, "the corpus has {files} files");
    let findings = json["findings"].as_array().unwrap();
    let ids: Vec<String> = findings
        .iter()
        .map(|f| format!("{} {}:{}", f["rule_id"], f["path"], f["line"]))
        .collect();
    assert!(findings.is_empty(), "false positives:\n{}", ids.join("\n"));
    assert_eq!(out.status.code(), Some(0));
}

fn compile_one(text: &str) -> String {
    let err = RuleSet::compile(vec![RuleSource {
        path: PathBuf::from("rules/broken.toml"),
        text: text.to_owned().into(),
        trusted: false,
    }])
    .unwrap_err();
    err.to_string()
}

#[test]
fn broken_rule_file_names_file_line_and_field() {
    let msg = compile_one("[[rule]]\nid = \"x.y\"\npatern = 'x'\n");
    assert!(
        msg.starts_with("rules/broken.toml:3:1: unknown field `patern`"),
        "{msg}"
    );
    assert!(
        msg.contains("`pattern`"),
        "lists the expected fields: {msg}"
    );
}

#[test]
fn rule_with_bad_regex_or_groups_is_rejected() {
    let base = |pattern: &str| {
        format!(
            "[[rule]]\nid = \"t.x\"\nname = \"T\"\nkind = \"t\"\nkeywords = [\"tok_\"]\npattern = '''{pattern}'''\nlifetime = \"unknown\"\nidentity = \"human\"\nseverity = \"high\"\n\n[coaching.t]\ntitle = \"T\"\nwhy = \"w\"\nrevoke-console = \"c\"\nrevoke-cli = [\"x\"]\naudit = \"a\"\nstore = \"s\"\nreplace = \"r\"\ndocs = [\"https://example.test\"]\n"
        )
    };
    assert!(compile_one(&base("tok_("))
        .contains("rules/broken.toml:6:11: pattern (t.x): does not compile"));
    assert!(compile_one(&base("tok_([a-z]+)")).contains("capture group 1 has no name"));
    assert!(compile_one(&base("tok_[a-z]+")).contains("no (?P<secret>..) group"));
    let no_kw = base("(?P<secret>abc_[a-z]+)");
    assert!(compile_one(&no_kw).contains("\"tok_\" does not occur in the pattern"));
    let huge = base("tok_(?P<secret>(?:\\w{0,200}&){0,50})");
    assert!(
        compile_one(&huge).contains("exceeds size limit"),
        "{}",
        compile_one(&huge)
    );
}

/// (path, rule id) of every finding in a JSON report.
fn finding_ids(json: &serde_json::Value) -> Vec<(String, String)> {
    json["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| {
                    (
                        f["path"].as_str().unwrap_or_default().to_owned(),
                        f["rule_id"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn keystore_finding_is_listed_and_explained_like_a_rule() {
    // See: #14 (keystore files).
    let list = std::process::Command::new(COACH)
        .args(["rules", "list"])
        .output()
        .unwrap();
    let line = stdout(&list)
        .lines()
        .find(|l| l.starts_with("file.keystore "))
        .map(str::to_owned);
    let line = line.expect("file.keystore is listed");
    assert!(
        line.contains("keystore-file") && line.contains("block"),
        "{line}"
    );
    for id in ["file.keystore", "keystore-file"] {
        let out = std::process::Command::new(COACH)
            .args(["rules", "explain", id])
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let text = stdout(&out);
        assert!(text.starts_with("file.keystore  "), "{text}");
        assert!(text.contains("FEEDFEED") && text.contains("Why:"), "{text}");
    }
}

/// Keystore containers as their first bytes: PKCS#12 (DER SEQUENCE, INTEGER 3), JKS, JCEKS.
fn keystores() -> [(&'static str, Vec<u8>); 3] {
    let mut p12 = vec![
        0x30, 0x82, 0x02, 0x10, 0x02, 0x01, 0x03, 0x30, 0x82, 0x01, 0xd6,
    ];
    p12.extend_from_slice(&[0u8; 32]);
    let mut jks = vec![
        0xfe, 0xed, 0xfe, 0xed, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01,
    ];
    jks.extend_from_slice(&[0u8; 32]);
    let mut jceks = vec![0xce, 0xce, 0xce, 0xce, 0x00, 0x00, 0x00, 0x02];
    jceks.extend_from_slice(&[0u8; 32]);
    [
        ("certs/client.pfx", p12),
        ("android/release.keystore", jks),
        ("conf/secrets.jks", jceks),
    ]
}

/// Files named like keystores that are not: empty, random bytes, text.
fn not_keystores() -> [(&'static str, Vec<u8>); 3] {
    let random: Vec<u8> = (0u32..64)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    [
        ("certs/empty.p12", Vec::new()),
        ("certs/noise.p12", random),
        (
            "certs/readme.jks",
            b"placeholder: the real keystore lives in the vault\n".to_vec(),
        ),
    ]
}

#[test]
fn only_real_keystore_containers_are_reported_by_name_staged_and_on_disk() {
    // See: #14: a 0-byte or random-bytes .p12 is not a keystore.
    let repo = TestRepo::init();
    repo.stage("README.md", "hello\n");
    repo.commit("base");
    for (path, bytes) in keystores().into_iter().chain(not_keystores()) {
        repo.stage(path, bytes);
    }
    let staged = repo.coach(&["scan", "--format", "json"]);
    let on_disk = repo.coach(&["scan", "--format", "json", "certs", "android", "conf"]);
    for out in [staged, on_disk] {
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json report");
        let found = finding_ids(&json);
        for (path, _) in keystores() {
            assert!(
                found.contains(&(path.to_owned(), "file.keystore".to_owned())),
                "{path} not reported: {found:?}"
            );
        }
        for (path, _) in not_keystores() {
            assert!(
                !found.iter().any(|(p, _)| p == path),
                "{path} is not a keystore: {found:?}"
            );
        }
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    }
}

#[test]
fn a_keystore_named_file_holding_text_is_scanned_as_text() {
    // A .p12 that is really a PEM file is not skipped: its private key is found by the PEM rule.
    let repo = TestRepo::init();
    repo.stage("README.md", "hello\n");
    repo.commit("base");
    let body: String = (0..12)
        .map(|i| format!("MIIEv{i:02}QIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7{i:02}x3Kq\n"))
        .collect();
    let pem = format!("-----BEGIN PRIVATE KEY-----\n{body}-----END PRIVATE KEY-----\n");
    repo.stage("certs/client.p12", pem);
    let out = repo.coach(&["scan", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json report");
    let found = finding_ids(&json);
    assert!(
        found
            .iter()
            .any(|(p, r)| p == "certs/client.p12" && r != "file.keystore"),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|(_, r)| r == "file.keystore"),
        "{found:?}"
    );
}
