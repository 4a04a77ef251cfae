//! Baselines end to end: create, stability when lines shift, known findings do not block the hook,
//! new ones still do, update keeps the file byte-identical when nothing changed.
// See: #6
use crate::support::*;

const BASELINE: &str = ".coach-baseline.toml";

fn old_repo() -> TestRepo {
    let repo = TestRepo::init();
    repo.write(
        "deploy/old.sh",
        format!("#!/bin/sh\nexport GITHUB_TOKEN={}\n", token()),
    );
    repo.write("README.md", "# app\n");
    repo.git(&["add", "-A"]);
    repo.commit("legacy");
    repo
}

#[test]
fn create_writes_sorted_entries_without_secrets_or_line_numbers() {
    let repo = old_repo();
    let out = repo.coach(&["baseline", "create"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        repo.redact(&stderr(&out)).contains(
            "coach: created [TMP]/repo/.coach-baseline.toml: 1 known finding (1 added, 0 removed)"
        ),
        "{}",
        stderr(&out)
    );
    let text = std::fs::read_to_string(repo.path(BASELINE)).unwrap();
    assert!(!text.contains(&token()), "no secret in the baseline");
    assert!(!text.contains("ghp_"), "not even a prefix");
    assert!(
        !text.lines().any(|l| l.starts_with("line")),
        "no line numbers: {text}"
    );
    assert!(text.contains("path = \"deploy/old.sh\"\nrule = \"github.pat-classic\"\nhash = \""));
    // A second create refuses to overwrite.
    let again = repo.coach(&["baseline", "create"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("already exists; use `coach baseline update`"));
}

#[test]
fn baselined_secret_stays_known_when_lines_shift_and_does_not_block_a_commit() {
    let repo = old_repo();
    assert!(repo.coach(&["baseline", "create"]).status.success());
    repo.git(&["add", BASELINE]);
    repo.commit("add baseline");
    repo.install_hooks();
    // Lines added above the secret: its line number changes, the baseline entry must not care.
    let shifted = format!(
        "#!/bin/sh\nset -eu\n# deploy script\n\nexport GITHUB_TOKEN={}\n",
        token()
    );
    repo.stage("deploy/old.sh", shifted);
    // Rewrite the whole file in the index so the secret's line is an added line again.
    repo.git(&["rm", "-q", "--cached", "deploy/old.sh"]);
    repo.commit("untrack");
    repo.git(&["add", "deploy/old.sh"]);
    let out = repo.git_output(&["commit", "-m", "retrack with lines above"]);
    let err = stderr(&out);
    assert!(out.status.success(), "known finding must not block: {err}");
    assert!(
        err.contains(
            "deploy/old.sh:5:21  github.pat-classic  (baseline: known finding in .coach-baseline.toml)"
        ),
        "{err}"
    );

    // The same scan through `coach scan PATH` from a subfolder: paths are made repository-relative.
    let out = repo
        .cmd(COACH)
        .args(["scan", "old.sh"])
        .current_dir(repo.path("deploy"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn a_new_secret_still_blocks_and_the_same_secret_in_another_file_is_new() {
    let repo = old_repo();
    assert!(repo.coach(&["baseline", "create"]).status.success());
    repo.install_hooks();
    let other = github_token("A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5");
    repo.stage(
        "deploy/old.sh",
        format!(
            "#!/bin/sh\nexport GITHUB_TOKEN={}\nexport OTHER={other}\n",
            token()
        ),
    );
    repo.stage("copy.env", format!("T={}\n", token()));
    let out = repo.coach(&["hook", "pre-commit"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("deploy/old.sh:3:14  github.pat-classic"),
        "{err}"
    );
    assert!(err.contains("copy.env:1:3  github.pat-classic"), "{err}");
    assert!(!err.contains(&other) && !err.contains(&token()));
}

#[test]
fn update_is_byte_identical_when_nothing_changed_and_tracks_changes() {
    let repo = old_repo();
    assert!(repo.coach(&["baseline", "create"]).status.success());
    let first = std::fs::read(repo.path(BASELINE)).unwrap();
    let out = repo.coach(&["baseline", "update"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("1 known finding (0 added, 0 removed)"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read(repo.path(BASELINE)).unwrap(),
        first,
        "stable across runs"
    );

    let a = github_token("A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5");
    let b = github_token("Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0");
    repo.write("z.env", format!("A={a}\n"));
    repo.write("a.env", format!("B={b}\n"));
    std::fs::remove_file(repo.path("deploy/old.sh")).unwrap();
    let out = repo.coach(&["baseline", "update"]);
    assert!(
        stderr(&out).contains("2 known findings (2 added, 1 removed)"),
        "{}",
        stderr(&out)
    );
    let text = std::fs::read_to_string(repo.path(BASELINE)).unwrap();
    let paths: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("path = "))
        .collect();
    assert_eq!(paths, ["\"a.env\"", "\"z.env\""], "sorted by path");
    assert_eq!(
        text.lines().find(|l| l.starts_with("salt")),
        std::str::from_utf8(&first)
            .unwrap()
            .lines()
            .find(|l| l.starts_with("salt")),
        "update keeps the salt"
    );
}

#[test]
fn inline_allowed_findings_are_not_baselined_and_an_unreadable_scan_writes_nothing() {
    let repo = TestRepo::init();
    repo.write(
        "a.env",
        format!(
            "T={} # coach:allow github.pat-classic -- fixture\n",
            token()
        ),
    );
    let out = repo.coach(&["baseline", "create"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("0 known findings"),
        "{}",
        stderr(&out)
    );
    std::fs::remove_file(repo.path(BASELINE)).unwrap();

    let out = repo.coach(&["baseline", "create", "a.env", "missing.env"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("the baseline was not written"));
    assert!(!repo.path(BASELINE).exists());
}

#[test]
fn a_corrupt_baseline_is_exit_2_not_an_empty_baseline() {
    let repo = old_repo();
    repo.write(BASELINE, "version = 2\nsalt = \"zz\"\n");
    let out = repo.coach(&["scan", "deploy/old.sh"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        repo.redact(&stderr(&out))
            .contains("[TMP]/repo/.coach-baseline.toml:2:1: salt must be 64 hex characters"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn json_baseline_and_configured_path() {
    let repo = old_repo();
    repo.write(".coach.toml", "baseline = \"security/baseline.json\"\n");
    let out = repo.coach(&["baseline", "create"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(repo.path("security/baseline.json")).unwrap())
            .unwrap();
    assert_eq!(v["version"], 2);
    assert_eq!(v["kdf"], "argon2id");
    assert_eq!(v["finding"][0]["path"], "deploy/old.sh");
    let out = repo.coach(&["scan", "--format", "json", "deploy"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["findings"][0]["suppression"]["kind"], "baseline");
    assert_eq!(
        v["findings"][0]["suppression"]["reason"],
        "known finding in baseline.json"
    );
}

/// The old format's hash: HMAC-SHA256(salt, rule id, 0, secret), first 16 bytes in hex.
fn old_fast_hash(salt: &[u8], rule: &str, secret: &str) -> String {
    use hmac::Mac;
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(salt).unwrap();
    mac.update(rule.as_bytes());
    mac.update(&[0]);
    mac.update(secret.as_bytes());
    hex::encode(&mac.finalize().into_bytes()[..16])
}

fn baseline_toml(repo: &TestRepo) -> (String, toml::Table) {
    let text = std::fs::read_to_string(repo.path(BASELINE)).unwrap();
    let table = text.parse::<toml::Table>().unwrap();
    (text, table)
}

#[test]
fn stored_hash_is_not_the_fast_hmac_and_a_raised_cost_is_read_from_the_file() {
    // See: #10. The file is public with the repository: its hash must be slow to test guesses on.
    let repo = old_repo();
    assert!(repo.coach(&["baseline", "create"]).status.success());
    let (text, t) = baseline_toml(&repo);
    assert_eq!(t["version"].as_integer(), Some(2));
    assert_eq!(t["kdf"].as_str(), Some("argon2id"));
    assert_eq!(t["kdf-memory-kib"].as_integer(), Some(19456));
    assert_eq!(t["kdf-iterations"].as_integer(), Some(2));
    assert_eq!(t["kdf-parallelism"].as_integer(), Some(1));
    let salt = hex::decode(t["salt"].as_str().unwrap()).unwrap();
    let hash = t["finding"][0]["hash"].as_str().unwrap().to_owned();
    assert_eq!(hash.len(), 32);
    assert_ne!(hash, old_fast_hash(&salt, "github.pat-classic", &token()));

    // A raised cost is an input: the old entry no longer matches, so the finding blocks again...
    repo.write(
        BASELINE,
        text.replace("kdf-iterations = 2", "kdf-iterations = 3"),
    );
    let out = repo.coach(&["scan", "deploy/old.sh"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    // ...until `update` rehashes under it, keeping the raised cost and the salt.
    let out = repo.coach(&["baseline", "update"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (_, t) = baseline_toml(&repo);
    assert_eq!(t["kdf-iterations"].as_integer(), Some(3));
    assert_eq!(hex::decode(t["salt"].as_str().unwrap()).unwrap(), salt);
    assert_ne!(t["finding"][0]["hash"].as_str().unwrap(), hash);
    let out = repo.coach(&["scan", "deploy/old.sh"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn a_version_1_baseline_is_refused_with_a_fix_and_update_rewrites_it() {
    let repo = old_repo();
    let salt = "ab".repeat(32);
    let old = old_fast_hash(&hex::decode(&salt).unwrap(), "github.pat-classic", &token());
    repo.write(
        BASELINE,
        format!(
            "version = 1\nsalt = \"{salt}\"\n\n[[finding]]\npath = \"deploy/old.sh\"\nrule = \"github.pat-classic\"\nhash = \"{old}\"\n"
        ),
    );
    let out = repo.coach(&["scan", "deploy/old.sh"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("rewrite it with `coach baseline update`"),
        "{}",
        stderr(&out)
    );
    let out = repo.coach(&["baseline", "update"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (_, t) = baseline_toml(&repo);
    assert_eq!(t["version"].as_integer(), Some(2));
    assert_ne!(t["salt"].as_str(), Some(salt.as_str()), "a fresh salt");
    let out = repo.coach(&["scan", "deploy/old.sh"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}
