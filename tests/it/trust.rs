//! The repository is untrusted (docs/SECURITY.md): each attack a hostile repository can make through
//! its own files, tried through real `git commit`s, named for the outcome. Every test checks that
//! nothing was written outside the repository and the state folder, that the secret is in no output,
//! and that the exit code is the contract's.
use crate::support::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Output;

/// Every file and folder under the test's temp dir except the repository's own and the state
/// folder: what an attack must not change.
fn outside_listing(repo: &TestRepo) -> BTreeSet<PathBuf> {
    let skip = [repo.dir.clone(), repo.home.join("state")];
    let mut out = BTreeSet::new();
    let mut stack = vec![repo.tmp.path().to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if skip.iter().any(|s| p.starts_with(s)) {
                continue;
            }
            if e.file_type().unwrap().is_dir() {
                stack.push(p.clone());
            }
            out.insert(p);
        }
    }
    out
}

fn combined(out: &Output) -> String {
    format!("{}{}", stdout(out), stderr(out))
}

/// Stages `secret.env` with the test token and runs the real hook; returns its output.
fn commit_secret(repo: &TestRepo) -> Output {
    repo.stage("secret.env", format!("TOKEN={}\n", token()));
    repo.git_output(&["commit", "-q", "-m", "add settings"])
}

/// Installs the hooks and checks the attack's invariants around one commit through the real hook.
/// `passes`: whether Git should accept the commit (the hook's own exit code is checked with
/// [`hook_exit`], since `git commit` reports any hook failure as its own 1).
fn attempt(repo: &TestRepo, passes: bool) -> Output {
    repo.install_hooks();
    let before = outside_listing(repo);
    let out = commit_secret(repo);
    let after = outside_listing(repo);
    assert_eq!(
        before, after,
        "files appeared outside the repository and state folder"
    );
    let all = combined(&out);
    assert!(
        !all.contains(&token()),
        "the secret leaked into output:\n{all}"
    );
    assert_eq!(out.status.success(), passes, "{all}");
    out
}

fn hook_exit(repo: &TestRepo) -> (i32, String) {
    let out = repo.coach(&["hook", "pre-commit"]);
    (out.status.code().unwrap_or(-1), combined(&out))
}

#[test]
fn relative_ledger_path_in_repo_config_is_refused_and_nothing_is_written_outside() {
    let repo = TestRepo::init();
    repo.write(
        ".coach.toml",
        "[ledger]\npath = \"../../../.ssh/authorized_keys2\"\n\n[[roles]]\nname = \"x\\nssh-ed25519 AAAAC3Nza attacker\"\npaths = [\"**\"]\ncoaching = \"hi\"\n",
    );
    attempt(&repo, false);
    let (code, text) = hook_exit(&repo);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains(".coach.toml:2:8: ledger.path: not allowed in repository config"),
        "{text}"
    );
    assert!(!repo.home.join(".ssh").exists());
    assert!(!repo.tmp.path().join(".ssh").exists());
}

#[test]
fn absolute_ledger_path_in_repo_config_is_refused() {
    let repo = TestRepo::init();
    let target = repo.tmp.path().join("elsewhere.sqlite");
    repo.write(
        ".coach.toml",
        format!("[ledger]\npath = {:?}\n", target.display().to_string()),
    );
    attempt(&repo, false);
    let (code, text) = hook_exit(&repo);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("ledger.path: not allowed"), "{text}");
    assert!(!target.exists());
}

#[test]
fn ledger_path_from_the_user_config_is_honoured() {
    let repo = TestRepo::init();
    let ledger = repo.home.join("state").join("mine.sqlite");
    let user = repo.home.join("user.toml");
    std::fs::write(
        &user,
        format!("[ledger]\npath = {:?}\n", ledger.display().to_string()),
    )
    .unwrap();
    repo.install_hooks();
    repo.stage("secret.env", format!("TOKEN={}\n", token()));
    let out = repo
        .cmd("git")
        .env("COACH_CONFIG", &user)
        .args(["commit", "-q", "-m", "x"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(ledger.exists(), "{}", stderr(&out));
}

#[test]
fn repo_config_cannot_set_a_floor() {
    let repo = TestRepo::init();
    repo.write(".coach.toml", "[floor]\nstrict = false\n");
    let (code, text) = hook_exit(&repo);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("floor: not allowed in repository config"),
        "{text}"
    );
}

#[cfg(unix)]
#[test]
fn symlinked_repo_config_pointing_outside_the_repository_is_refused() {
    let repo = TestRepo::init();
    let outside = repo.tmp.path().join("evil.toml");
    std::fs::write(&outside, "disabled-rules = [\"github.pat-classic\"]\n").unwrap();
    std::os::unix::fs::symlink(&outside, repo.path(".coach.toml")).unwrap();
    attempt(&repo, false);
    let (code, text) = hook_exit(&repo);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("outside the repository"), "{text}");
}

#[cfg(unix)]
#[test]
fn symlinked_extra_rules_file_pointing_outside_the_repository_is_refused() {
    let repo = TestRepo::init();
    let outside = repo.tmp.path().join("rules.toml");
    std::fs::write(&outside, "").unwrap();
    std::fs::create_dir_all(repo.path(".coach")).unwrap();
    std::os::unix::fs::symlink(&outside, repo.path(".coach/rules.toml")).unwrap();
    repo.write(".coach.toml", "extra-rules = [\".coach/rules.toml\"]\n");
    attempt(&repo, false);
    let (code, text) = hook_exit(&repo);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("extra rules file resolves to"), "{text}");
}

#[test]
fn extra_rules_path_climbing_out_is_refused_with_its_position() {
    let repo = TestRepo::init();
    repo.write(".coach.toml", "extra-rules = [\"../x.toml\"]\n");
    let (code, text) = hook_exit(&repo);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains(".coach.toml:1:16: extra-rules: \"../x.toml\" climbs out"),
        "{text}"
    );
}

#[test]
fn repo_extra_rules_file_cannot_replace_a_builtin_rules_file() {
    let repo = TestRepo::init();
    // Same file name as the built-in GitHub rules, but with no rules in it: before, this silently
    // dropped every GitHub rule.
    repo.write(".coach/github.toml", "");
    repo.write(".coach.toml", "extra-rules = [\".coach/github.toml\"]\n");
    repo.install_hooks();
    let out = commit_secret(&repo);
    assert!(!out.status.success(), "{}", combined(&out));
    assert!(
        combined(&out).contains("github.pat-classic"),
        "{}",
        combined(&out)
    );
}

#[cfg(unix)]
#[test]
fn dev_zero_fifo_and_huge_baselines_are_refused_at_once() {
    let repo = TestRepo::init();
    std::os::unix::fs::symlink("/dev/zero", repo.path(".coach-baseline.toml")).unwrap();
    let (code, text) = hook_exit(&repo);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("outside the repository"), "{text}");

    std::fs::remove_file(repo.path(".coach-baseline.toml")).unwrap();
    let fifo = repo.path(".coach-baseline.toml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let (code, text) = hook_exit(&repo);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("not a regular file"), "{text}");

    std::fs::remove_file(&fifo).unwrap();
    // A sparse 6 GB file: refused on its size, before a byte is read.
    let f = std::fs::File::create(repo.path(".coach-baseline.toml")).unwrap();
    f.set_len(6 << 30).unwrap();
    let (code, text) = hook_exit(&repo);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("the limit is"), "{text}");
}

/// The repository's rules files share one size cap: each file under it, together over it, is
/// refused (exit 2) before any of them is parsed.
#[test]
fn repository_rules_files_share_one_size_cap() {
    let repo = TestRepo::init();
    let padding = format!("# {}\n", "x".repeat(3 << 20));
    repo.write("a.toml", &padding);
    repo.write("b.toml", &padding);
    repo.write(".coach.toml", "extra-rules = [\"a.toml\"]\n");
    repo.stage("note.txt", "hello\n");
    let (code, text) = hook_exit(&repo);
    assert_eq!(code, 0, "one file under the cap loads: {text}");
    repo.write(".coach.toml", "extra-rules = [\"a.toml\", \"b.toml\"]\n");
    let (code, text) = hook_exit(&repo);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("b.toml: extra rules file is"), "{text}");
    assert!(text.contains("the limit is"), "{text}");
}

/// However small, a repository's rules are counted: past the bound the load fails (exit 2) and
/// names the file and line of the first rule over it.
#[test]
fn repository_rules_are_bounded_in_number() {
    let repo = TestRepo::init();
    let rules = |n: usize| {
        let mut t = String::new();
        for i in 0..n {
            t += &format!(
                "[[rule]]\nid = \"x.r{i}\"\nname = \"r{i}\"\nkind = \"x-kind\"\nkeywords = [\"xr{i}\"]\n\
                 pattern = '''xr{i}_(?P<secret>[A-Za-z0-9]{{40}})'''\nlifetime = \"long-lived\"\n\
                 identity = \"machine\"\nseverity = \"high\"\nverdict = \"block\"\n\n"
            );
        }
        t + "[coaching.x-kind]\ntitle = \"X\"\nwhy = \"It opens X.\"\nrevoke-console = \"X > revoke\"\n\
             revoke-cli = []\naudit = \"X log.\"\nstore = \"Vault\"\nreplace = \"OIDC\"\n\
             docs = [\"https://example.test/x\"]\n"
    };
    repo.write(".coach.toml", "extra-rules = [\"x.toml\"]\n");
    repo.stage("note.txt", "hello\n");
    repo.write("x.toml", rules(2000));
    let (code, text) = hook_exit(&repo);
    assert_eq!(code, 0, "{text}");
    repo.write("x.toml", rules(2001));
    let (code, text) = hook_exit(&repo);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("x.toml:22004:8: rule: more than 2000 rules besides the built-in ones"),
        "{text}"
    );
}

#[cfg(unix)]
#[test]
fn fifo_repo_config_is_refused_not_waited_on() {
    let repo = TestRepo::init();
    let made = std::process::Command::new("mkfifo")
        .arg(repo.path(".coach.toml"))
        .status()
        .unwrap();
    assert!(made.success());
    let (code, text) = hook_exit(&repo);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("not a regular file"), "{text}");
}

fn all_rule_ids() -> Vec<String> {
    coach::api::RuleSet::builtin()
        .unwrap()
        .rules
        .iter()
        .map(|r| r.id.clone())
        .collect()
}

#[test]
fn disabling_every_rule_is_announced_on_every_run_and_the_strict_floor_refuses_it() {
    let repo = TestRepo::init();
    let ids = all_rule_ids();
    let list: Vec<String> = ids.iter().map(|i| format!("{i:?}")).collect();
    repo.write(
        ".coach.toml",
        format!("disabled-rules = [{}]\n", list.join(", ")),
    );
    let out = attempt(&repo, true);
    let text = combined(&out);
    assert!(
        text.contains(&format!(
            "repo config lowers protection: {} rules disabled (coach config show)",
            ids.len()
        )),
        "{text}"
    );
    // The same repository under a floor: the setting is ignored and the commit blocked.
    repo.git(&["reset", "-q", "HEAD~0"]);
    repo.stage("secret2.env", format!("TOKEN={}\n", token()));
    let out = repo
        .cmd("git")
        .env("COACH_POLICY_FLOOR", "strict")
        .args(["commit", "-q", "-m", "again"])
        .output()
        .unwrap();
    let text = combined(&out);
    assert!(!out.status.success(), "{text}");
    assert!(text.contains("the floor refused and ignored"), "{text}");
    assert!(!text.contains(&token()));
}

#[test]
fn allowlist_regex_of_a_dot_is_visible_in_human_json_and_sarif() {
    let repo = TestRepo::init();
    repo.write(".coach.toml", "[allowlist]\nregexes = [\".\"]\n");
    repo.stage("secret.env", format!("TOKEN={}\n", token()));
    let out = repo.coach(&["scan"]);
    assert_eq!(out.status.code(), Some(0), "{}", combined(&out));
    assert!(
        stderr(&out).contains("repo config lowers protection: 1 allowlist pattern"),
        "{}",
        stderr(&out)
    );
    let out = repo.coach(&["scan", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let lowered = &json["protection_lowered"];
    assert_eq!(lowered[0]["what"], "allowlist-patterns", "{json:#}");
    assert_eq!(lowered[0]["refused"], false);
    let out = repo.coach(&["scan", "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let props = &sarif["runs"][0]["properties"]["protectionLowered"];
    assert_eq!(props[0]["detail"], "1 allowlist pattern", "{sarif:#}");
    // A floor in the user config that refuses content allowlists: the token blocks again.
    let out = repo.scan_with_user_config("[floor]\nrefuse = [\"allowlist-patterns\"]\n");
    assert_eq!(out.status.code(), Some(1), "{}", combined(&out));
}

#[test]
fn floor_block_kinds_block_even_when_repo_policy_allows_the_kind() {
    let repo = TestRepo::init();
    repo.write(".coach.toml", "[policy.kind]\ngithub-pat = \"allow\"\n");
    repo.stage("secret.env", format!("TOKEN={}\n", token()));
    let out = repo.coach(&["scan"]);
    assert_eq!(out.status.code(), Some(0), "{}", combined(&out));
    assert!(stderr(&out).contains("1 policy verdict set below block"));
    let out = repo.scan_with_user_config("[floor]\nblock-kinds = [\"github-pat\"]\n");
    assert_eq!(out.status.code(), Some(1), "{}", combined(&out));
}

#[test]
fn fail_open_and_truncated_pushes_from_the_repo_are_announced() {
    let repo = TestRepo::init();
    repo.write(
        ".coach.toml",
        "max-file-size = 999999999\n[policy]\non-error = \"fail-open\"\n[push]\nallow-truncated = true\n",
    );
    let out = repo.coach(&["scan"]);
    let text = stderr(&out);
    for needle in [
        "max-file-size raised to 999999999 bytes",
        "policy.on-error = fail-open",
        "truncated pushes allowed",
    ] {
        assert!(text.contains(needle), "{needle}: {text}");
    }
}

#[test]
fn repo_config_named_on_the_command_line_keeps_repository_limits() {
    let repo = TestRepo::init();
    let base = repo.tmp.path().join("base.coach.toml");
    std::fs::write(&base, "[ledger]\npath = \"x.sqlite\"\n").unwrap();
    let out = repo
        .cmd(COACH)
        .arg("--repo-config")
        .arg(&base)
        .arg("scan")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", combined(&out));
    assert!(stderr(&out).contains("ledger.path: not allowed"));
    // --no-repo-config ignores a loosening .coach.toml entirely.
    repo.write(".coach.toml", "[allowlist]\nregexes = [\".\"]\n");
    repo.stage("secret.env", format!("TOKEN={}\n", token()));
    let out = repo.coach(&["--no-repo-config", "scan"]);
    assert_eq!(out.status.code(), Some(1), "{}", combined(&out));
}

#[test]
fn config_show_lists_push_ledger_and_floor_with_their_origin() {
    let repo = TestRepo::init();
    repo.write(
        ".coach.toml",
        "[push]\nmax-commits = 50\n[ledger]\nrepeat-window = \"60d\"\n",
    );
    let out = repo.coach(&["--policy-floor", "strict", "config", "show"]);
    let text = stdout(&out);
    for needle in [
        "push.max-commits = 50  # ",
        "push.allow-truncated = false  # default",
        "ledger.repeat-window = \"60d\"  # ",
        "ledger.enabled = true  # default",
        "floor.strict = true  # --policy-floor / COACH_POLICY_FLOOR",
    ] {
        assert!(text.contains(needle), "{needle}:\n{text}");
    }
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn state_folder_is_private_and_the_ledger_and_key_are_owner_only() {
    let repo = TestRepo::init();
    repo.install_hooks();
    let out = commit_secret(&repo);
    assert!(!out.status.success());
    let state = repo.home.join("state");
    assert_eq!(mode(&state), 0o700);
    assert_eq!(mode(&state.join("key")), 0o600);
    assert_eq!(mode(&state.join("ledger.sqlite")), 0o600);
    for side in ["ledger.sqlite-wal", "ledger.sqlite-shm"] {
        let p = state.join(side);
        if p.exists() {
            assert_eq!(mode(&p), 0o600, "{side}");
        }
    }
    // No temporary key file is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(&state)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".key-"))
        .collect();
    assert!(leftovers.is_empty());
}
