//! Confidence and the default verdict that follows it (#14, section 4): real repositories, the real
//! pre-commit hook, and the JSON and SARIF reports.
use crate::support::*;

const STRONG: &str = "N8v#q2Lx7Rm4wQ";
/// Found by the generic password rule, below the strength bar (11 characters).
const WEAK: &str = "Spring2023!";

#[test]
fn the_hook_blocks_a_strong_generic_password() {
    let repo = TestRepo::init();
    repo.install_hooks();
    repo.stage("app/settings.py", format!("DB_PASSWORD = \"{STRONG}\"\n"));
    let out = repo.commit_hooked();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("generic.password-quoted"), "{err}");
    assert!(!err.contains(STRONG), "never print the secret: {err}");
    assert!(!repo.head_exists());
}

#[test]
fn the_hook_warns_on_a_weak_generic_password_and_lets_it_through() {
    let repo = TestRepo::init();
    repo.install_hooks();
    repo.stage("app/settings.py", format!("DB_PASSWORD = \"{WEAK}\"\n"));
    let out = repo.commit_hooked();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("generic.password-quoted"), "warned: {err}");
    assert!(repo.head_exists(), "a warning does not stop the commit");
}

#[test]
fn the_json_and_sarif_reports_carry_each_findings_confidence() {
    let repo = TestRepo::init();
    repo.stage(
        "app/settings.py",
        format!(
            "GH = \"{}\"\nAWS_ACCESS_KEY_ID = \"ABIACQ7SDQAJ5QIZFDJU\"\nDB_PASSWORD = \"{STRONG}\"\nAPI_PASSWORD = \"{WEAK}\"\n",
            token()
        ),
    );
    let (code, json) = json(&repo, &[]);
    assert_eq!(code, Some(1), "{json:#}");
    let found: Vec<(String, String, String)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_owned(),
                f["confidence"].as_str().unwrap().to_owned(),
                f["verdict"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let want = |rule: &str, conf: &str, verdict: &str| {
        assert!(
            found
                .iter()
                .any(|(r, c, v)| r == rule && c == conf && v == verdict),
            "{rule} {conf} {verdict} in {found:?}"
        );
    };
    want("github.pat-classic", "checksum", "block");
    // A documented AWS prefix blocks like AKIA (#14: ABIA and ACCA warned before).
    want("aws.bearer-token-id", "prefix", "block");
    want("generic.password-quoted", "keyword-entropy", "block");
    want("generic.password-quoted", "keyword-entropy", "warn");

    let out = repo.coach(&["scan", "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let run = &sarif["runs"][0];
    let results = run["results"].as_array().unwrap();
    assert!(
        results
            .iter()
            .any(|r| r["ruleId"] == "github.pat-classic"
                && r["properties"]["confidence"] == "checksum"),
        "{run:#}"
    );
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let precision = |id: &str| {
        rules.iter().find(|r| r["id"] == id).unwrap()["properties"]["precision"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(precision("github.pat-classic"), "very-high");
    assert_eq!(precision("aws.bearer-token-id"), "high");
    assert_eq!(precision("generic.password-quoted"), "medium");
}

#[test]
fn policy_per_confidence_raises_and_a_repository_lowering_is_reported() {
    let repo = TestRepo::init();
    repo.stage("app/settings.py", format!("DB_PASSWORD = \"{WEAK}\"\n"));
    // The user's own config may raise every keyword-entropy finding to block.
    let out = repo.scan_with_user_config("[policy.confidence]\nkeyword-entropy = \"block\"\n");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));

    // A repository's .coach.toml lowering by confidence is a lowered verdict, shown as such.
    repo.stage("app/settings.py", format!("DB_PASSWORD = \"{STRONG}\"\n"));
    repo.write(
        ".coach.toml",
        "[policy]\nconfidence = { keyword-entropy = \"warn\" }\n",
    );
    let (code, json) = json(&repo, &[]);
    assert_eq!(code, Some(0), "{json:#}");
    assert_eq!(
        json["protection_lowered"][0]["what"], "lower-verdicts",
        "{json:#}"
    );
    // The floor refuses it: the strong password blocks again.
    let out = repo.scan_with_user_config("[floor]\nrefuse = [\"lower-verdicts\"]\n");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[test]
fn a_weak_value_beside_a_strong_one_is_marked_as_a_warning() {
    let repo = TestRepo::init();
    repo.install_hooks();
    repo.stage(
        "app/settings.py",
        format!("DB_PASSWORD = \"{WEAK}\"\nAPI_PASSWORD = \"{STRONG}\"\n"),
    );
    let out = repo.commit_hooked();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "app/settings.py:1:16  generic.password-quoted  Sp…[11 chars]  staged (warn)\n"
        ),
        "{err}"
    );
    assert!(
        err.contains("app/settings.py:2:17  generic.password-quoted  N8…[14 chars]  staged\n"),
        "{err}"
    );
}

#[test]
fn rules_check_proves_weak_examples_warn() {
    let repo = TestRepo::init();
    let rule = |weak: &str| {
        format!(
            "[[rule]]\nid = \"generic.demo-pass\"\nname = \"Demo password\"\nkind = \"generic-password\"\n\
             keywords = [\"demopass\"]\npattern = '''demopass=(?P<secret>\\S+)'''\nlifetime = \"unknown\"\n\
             identity = \"either\"\nseverity = \"high\"\n\
             examples = [\"demopass={STRONG}\", \"demopass=Ember#Quartz4267\"]\n\
             negative-examples = [\"demopass=\", \"demopass \"]\nweak-examples = [\"demopass={weak}\"]\n"
        )
    };
    repo.write("ok.toml", rule(WEAK));
    let out = repo.coach(&["rules", "check", "ok.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // A strong value among the weak examples is a problem: the check can fail.
    repo.write("bad.toml", rule(STRONG));
    let out = repo.coach(&["rules", "check", "bad.toml"]);
    assert_ne!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains("weak-examples[0] blocks: its value clears the strength bar"),
        "{}",
        stderr(&out)
    );
}
