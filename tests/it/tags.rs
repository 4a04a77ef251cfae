//! Framework tags (#17 section 4): one table, shown in JSON, SARIF, `coach rules explain`.
use crate::support::*;
use coach::api::Category;

#[test]
fn every_builtin_kind_carries_its_framework_entries() {
    let rules = coach::api::RuleSet::builtin().expect("built-in rules");
    for r in &rules.rules {
        let tags = coach::api::tags_for_kind(&r.kind, r.category, r.lifetime);
        let ids: Vec<&str> = tags.iter().map(|t| t.id).collect();
        for always in ["DE.AE-02", "PR.AT-01", "PR.AT-02"] {
            assert!(ids.contains(&always), "{}: {ids:?}", r.kind);
        }
        let nhi = ids.iter().filter(|i| i.starts_with("NHI")).count();
        match r.category {
            Category::Secret => assert!(ids.contains(&"NHI2:2025"), "{}: {ids:?}", r.kind),
            // A new practice family needs its row in tags::PRACTICES.
            Category::Practice => assert!(nhi > 0, "{}: no NHI entry: {ids:?}", r.kind),
        }
        if r.lifetime == coach::api::Lifetime::LongLived && r.category == Category::Secret {
            assert!(ids.contains(&"NHI7:2025"), "{}: {ids:?}", r.kind);
        }
    }
}

#[test]
fn json_sarif_and_explain_show_the_tags() {
    let repo = TestRepo::init();
    repo.stage("a.yml", format!("token: {}\n", token()));
    let (_, v) = json(&repo, &[]);
    let tags = &v["findings"][0]["tags"];
    assert!(
        tags.as_array()
            .unwrap()
            .iter()
            .any(|t| t["id"] == "NHI2:2025" && t["name"] == "Secret Leakage"),
        "{v:#}"
    );
    let out = repo.coach(&["scan", "--format", "sarif"]);
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rule_tags = &s["runs"][0]["tool"]["driver"]["rules"][0]["properties"]["tags"];
    for t in [
        "external/owasp-nhi-2025/nhi2",
        "external/owasp-nhi-2025/nhi7",
        "external/nist-csf-2.0/de.ae-02",
        "external/nist-csf-2.0/pr.at-01",
    ] {
        assert!(
            rule_tags.as_array().unwrap().iter().any(|x| x == t),
            "{t} missing: {rule_tags}"
        );
    }
    let out = repo.coach(&["rules", "explain", "github.pat-classic"]);
    let text = stdout(&out);
    assert!(
        text.contains("NHI2:2025 Secret Leakage") && text.contains("NHI7:2025 Long-Lived Secrets"),
        "{text}"
    );
}
