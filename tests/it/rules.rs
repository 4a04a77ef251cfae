//! The rule pack as data: every rule proven through the whole pipeline, the listing snapshotted, the
//! clean corpus silent. See: #2, #3.
use crate::support::*;
use coach::rules::{RuleSet, RuleSource};
use std::path::PathBuf;

#[test]
fn every_rule_example_fires_and_every_negative_does_not() {
    let rules = RuleSet::builtin().expect("built-in rules compile");
    let problems = coach::app::commands::rules::check(&rules, &[]);
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
        text: text.to_owned(),
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
