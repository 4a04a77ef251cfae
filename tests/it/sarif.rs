//! SARIF 2.1.0 output, validated structurally against the properties the specification (and GitHub
//! code scanning) require, plus suppressions and stable partial fingerprints. Also guards the JSON
//! report's v1 shape.
// See: #6
use crate::support::*;
use serde_json::Value;

/// One blocked, one inline-allowed, one config-allowlisted and one baselined finding.
fn mixed_repo() -> TestRepo {
    let repo = TestRepo::init();
    repo.write(
        "legacy/old.sh",
        format!(
            "export T={}\n",
            github_token("A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5")
        ),
    );
    assert!(repo.coach(&["baseline", "create"]).status.success());
    repo.write(".coach.toml", "[allowlist]\npaths = [\"fixtures/\"]\n");
    repo.write(
        "fixtures/key.txt",
        format!("{}\n", github_token("Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0")),
    );
    repo.write(
        "src/allowed.py",
        format!(
            "# coach:allow github.pat-classic -- revoked, kept for a parser test\nTOKEN = \"{}\"\n",
            github_token("M4n5B6v7C8x9Z0l1K2j3H4g5F6d7S8")
        ),
    );
    repo.write("my dir/app.env", format!("GITHUB_TOKEN={}\n", token()));
    repo
}

fn sarif(repo: &TestRepo) -> (std::process::Output, Value, String) {
    let out = repo.coach(&["scan", ".", "--format", "sarif", "--output", "coach.sarif"]);
    let text = std::fs::read_to_string(repo.path("coach.sarif")).expect("report written");
    let v = serde_json::from_str(&text).expect("SARIF is JSON");
    (out, v, text)
}

fn str_at<'a>(v: &'a Value, ptr: &str) -> &'a str {
    v.pointer(ptr)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("missing string at {ptr}"))
}

/// The SARIF 2.1.0 properties a consumer relies on, checked one by one.
fn validate(v: &Value) {
    assert_eq!(v["version"], "2.1.0");
    assert!(str_at(v, "/$schema").contains("sarif-2.1.0"));
    let runs = v["runs"].as_array().expect("runs[]");
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!(str_at(run, "/tool/driver/name"), "coach");
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules[]");
    let mut ids: Vec<&str> = rules.iter().map(|r| str_at(r, "/id")).collect();
    let n = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), n, "rule ids are unique");
    for r in rules {
        assert!(!str_at(r, "/shortDescription/text").is_empty());
        assert!(!str_at(r, "/help/text").is_empty());
        assert!(!str_at(r, "/help/markdown").is_empty());
        let sev: f64 = str_at(r, "/properties/security-severity").parse().unwrap();
        assert!((0.0..=10.0).contains(&sev));
        assert!(["error", "warning", "note", "none"]
            .contains(&str_at(r, "/defaultConfiguration/level")));
    }
    for res in run["results"].as_array().expect("results[]") {
        let id = str_at(res, "/ruleId");
        let index = res["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(
            str_at(&rules[index], "/id"),
            id,
            "ruleIndex points at ruleId"
        );
        assert!(["error", "warning", "note", "none"].contains(&str_at(res, "/level")));
        assert!(!str_at(res, "/message/text").is_empty());
        let loc = &res["locations"][0]["physicalLocation"];
        let uri = str_at(loc, "/artifactLocation/uri");
        assert!(
            !uri.contains(' ') && !uri.starts_with('/'),
            "relative, encoded: {uri}"
        );
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(loc["region"]["startColumn"].as_u64().unwrap() >= 1);
        let fps = res["partialFingerprints"]
            .as_object()
            .expect("partialFingerprints");
        assert!(!fps.is_empty() && fps.values().all(Value::is_string));
        if let Some(sups) = res.get("suppressions") {
            for s in sups.as_array().unwrap() {
                assert!(["inSource", "external"].contains(&str_at(s, "/kind")));
                assert_eq!(str_at(s, "/status"), "accepted");
                assert!(!str_at(s, "/justification").is_empty());
            }
        }
    }
}

#[test]
fn sarif_is_valid_2_1_0_with_coaching_help_and_every_suppression() {
    let repo = mixed_repo();
    let (out, v, text) = sarif(&repo);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the exit code still carries the verdict"
    );
    assert!(
        stderr(&out).contains("verdict: BLOCK"),
        "summary on stderr: {}",
        stderr(&out)
    );
    assert!(stdout(&out).is_empty(), "--output keeps stdout clean");
    validate(&v);
    for t in [
        token(),
        github_token("A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5"),
        github_token("Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0"),
        github_token("M4n5B6v7C8x9Z0l1K2j3H4g5F6d7S8"),
    ] {
        assert!(!text.contains(&t), "no full secret in SARIF");
    }
    let results = v["runs"][0]["results"].as_array().unwrap();
    let by_uri = |u: &str| {
        results
            .iter()
            .find(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == u)
            .unwrap_or_else(|| panic!("no result for {u}"))
    };
    let blocked = by_uri("my%20dir/app.env");
    assert_eq!(blocked["level"], "error");
    assert!(blocked.get("suppressions").is_none());
    for (uri, kind, justification) in [
        (
            "legacy/old.sh",
            "external",
            "known finding in .coach-baseline.toml",
        ),
        ("fixtures/key.txt", "external", "allowlist.paths: fixtures/"),
        (
            "src/allowed.py",
            "inSource",
            "revoked, kept for a parser test",
        ),
    ] {
        let s = &by_uri(uri)["suppressions"][0];
        assert_eq!(s["kind"], kind, "{uri}");
        assert_eq!(s["justification"], justification, "{uri}");
    }
    let help = str_at(&v, "/runs/0/tool/driver/rules/0/help/text");
    assert!(
        help.contains("Do now:") && help.contains("Replace with:"),
        "{help}"
    );
    assert_eq!(v["runs"][0]["invocations"][0]["executionSuccessful"], true);
}

#[test]
fn partial_fingerprints_survive_line_shifts() {
    let repo = TestRepo::init();
    repo.write("app.env", format!("GITHUB_TOKEN={}\n", token()));
    let (_, before, _) = sarif(&repo);
    repo.write("app.env", format!("# header\n\nGITHUB_TOKEN={}\n", token()));
    let (_, after, _) = sarif(&repo);
    let fp = |v: &Value| v["runs"][0]["results"][0]["partialFingerprints"].clone();
    let line = |v: &Value| {
        v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"]
            .clone()
    };
    assert_ne!(line(&before), line(&after));
    assert_eq!(fp(&before), fp(&after));
}

#[test]
fn unscannable_input_marks_the_invocation_unsuccessful() {
    let repo = TestRepo::init();
    let out = repo.coach(&["scan", "missing.txt", "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    validate(&v);
    let inv = &v["runs"][0]["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    assert_eq!(inv["toolExecutionNotifications"][0]["level"], "error");
}

#[test]
fn json_report_keeps_its_v1_shape() {
    let repo = mixed_repo();
    let out = repo.coach(&["scan", ".", "--format", "json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["schema_version"], 1);
    for key in [
        "tool", "source", "verdict", "summary", "findings", "guidance", "notices", "errors",
    ] {
        assert!(v.get(key).is_some(), "{key}");
    }
    let f = &v["findings"][0];
    for key in [
        "rule_id",
        "rule_name",
        "kind",
        "category",
        "lifetime",
        "identity",
        "severity",
        "path",
        "line",
        "column",
        "end_line",
        "exposure",
        "redacted",
        "fingerprint",
        "verdict",
    ] {
        assert!(f.get(key).is_some(), "finding.{key}");
    }
    assert!(
        f.get("baseline_hash").is_none(),
        "the baseline hash stays out of reports"
    );
    assert_eq!(v["summary"]["allowed"], 3);
    assert_eq!(v["summary"]["blocked"], 1);
}
