//! The human report as a person reads it: the short form for a first staged finding, the long form
//! behind `--verbose` and `coach explain`, prose wrapped to the terminal (never a command), notes
//! summarised, `--quiet` and `--output`. See: #13 item 5, #16 section 3.
use crate::support::*;
use std::process::Output;

/// Three files, five findings: the shape issue #13 measured (84 lines before).
fn three_files(repo: &TestRepo) {
    repo.stage(
        ".env",
        format!(
            "AWS_ACCESS_KEY_ID=AKIAQ3EGRTLBX2Z7WN4K\nAWS_SECRET_ACCESS_KEY=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\nGITHUB_TOKEN={}\n",
            token()
        ),
    );
    repo.stage(
        "config/app.yml",
        format!(
            "github:\n  token: {}\n",
            github_token("Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5")
        ),
    );
    repo.stage(
        "src/client.py",
        "STRIPE = 'sk_live_4eC39HqLyjWDarjtT1zdp7dcQ9Wx2Lm8'\n",
    );
}

fn scan_at(repo: &TestRepo, columns: &str, args: &[&str]) -> Output {
    repo.cmd(COACH)
        .arg("scan")
        .args(args)
        .env("COLUMNS", columns)
        .output()
        .unwrap()
}

/// Every line fits the width, except a `$ command` (never broken) and a finding's location.
fn assert_fits(text: &str, width: usize) {
    for l in text.lines() {
        let trimmed = l.trim_start();
        if trimmed.starts_with("$ ") || trimmed.starts_with("coach: scanned") {
            continue;
        }
        // A finding's location (`path:line:col  rule  redacted  exposure`): data, not prose.
        let first = trimmed.split("  ").next().unwrap_or("");
        let mut parts = first.rsplitn(3, ':');
        let (col, line) = (parts.next(), parts.next());
        if [col, line]
            .iter()
            .all(|p| p.is_some_and(|n| n.parse::<u32>().is_ok()))
        {
            continue;
        }
        assert!(
            l.chars().count() <= width,
            "line over {width} columns: {l:?}\n{text}"
        );
    }
}

#[test]
fn short_form_wraps_prose_to_60_and_100_columns_and_never_a_command() {
    let repo = TestRepo::init();
    repo.commit("base");
    three_files(&repo);
    for width in [60usize, 100] {
        let out = scan_at(&repo, &width.to_string(), &[]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let text = stdout(&out);
        assert_fits(&text, width);
        // The clean-up of .env is printed once, whatever kinds it holds.
        assert_eq!(
            text.matches("$ git rm --cached --quiet -- .env").count(),
            1,
            "{text}"
        );
        insta::assert_snapshot!(format!("columns_{width}"), text);
    }
}

#[test]
fn a_first_staged_finding_takes_at_most_12_lines_at_80_columns() {
    let repo = TestRepo::init();
    repo.commit("base");
    repo.stage(
        "deploy/prod.env",
        "AWS_ACCESS_KEY_ID=AKIAQ3EGRTLBX2Z7WN4K\nAWS_SECRET_ACCESS_KEY=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\n",
    );
    let text = stdout(&scan_at(&repo, "80", &[]));
    let block: Vec<&str> = text.lines().take_while(|l| !l.is_empty()).collect();
    assert!(block.len() <= 12, "{} lines:\n{text}", block.len());
    assert!(text.contains("$ coach explain aws-iam-user-key"), "{text}");
    // The long form is one flag away, and `coach explain` prints it.
    let long = stdout(&scan_at(&repo, "80", &["--verbose"]));
    for label in ["Why:", "Move it:", "Replace with:", "Docs:", "$ aws iam"] {
        assert!(long.contains(label), "{label}: {long}");
        assert!(!text.contains(label), "{label} in the short form: {text}");
    }
    let explain = repo.coach(&["explain", "aws-iam-user-key"]);
    assert!(explain.status.success(), "{}", stderr(&explain));
    assert!(stdout(&explain).contains("Why:"), "{}", stdout(&explain));
}

#[test]
fn quiet_prints_only_findings_and_the_verdict() {
    let repo = TestRepo::init();
    repo.commit("base");
    three_files(&repo);
    repo.stage("logo.png", b"\x89PNG\r\n\x1a\n\0\0\0binary".as_slice());
    let out = scan_at(&repo, "80", &["--quiet"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains(".env:1:19  aws.access-key-id") || text.contains(".env:2:"),
        "{text}"
    );
    assert!(text.contains("verdict: BLOCK"), "{text}");
    for noise in ["Do now:", "If shared:", "logo.png", "coach explain"] {
        assert!(!text.contains(noise), "{noise}: {text}");
    }
    // What was not scanned is counted, never silently dropped.
    assert!(
        text.contains("note: 1 note (what was not scanned, and why) hidden by --quiet"),
        "{text}"
    );
}

#[test]
fn output_file_still_prints_the_verdict_on_stderr() {
    let repo = TestRepo::init();
    three_files(&repo);
    let out = repo.coach(&["scan", "--output", "report.txt"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty(), "{}", stdout(&out));
    assert!(stderr(&out).contains("verdict: BLOCK"), "{}", stderr(&out));
    let file = std::fs::read_to_string(repo.path("report.txt")).unwrap();
    assert!(file.contains("Do now:"), "{file}");
}

#[test]
fn notes_are_summarised_and_a_bare_allow_is_noted_once() {
    let repo = TestRepo::init();
    for i in 0..4 {
        repo.stage(
            &format!("img/{i}.png"),
            b"\x89PNG\r\n\x1a\n\0\0\0binary".as_slice(),
        );
    }
    // Two lines, the same bare allow comment: one note.
    repo.stage(
        "ci.env",
        format!(
            "A={t} # coach:allow github.pat-classic\nB={t} # coach:allow github.pat-classic\n",
            t = token()
        ),
    );
    let text = stdout(&scan_at(&repo, "200", &[]));
    let notes: Vec<&str> = text.lines().filter(|l| l.starts_with("note:")).collect();
    assert_eq!(
        notes,
        [
            "note: ci.env: coach:allow for github.pat-classic has no reason, so it suppresses nothing; write `coach:allow github.pat-classic -- <why>`",
            "note: binary: not scanned: 4 files, first img/0.png (coach scan --verbose lists them)",
        ],
        "{text}"
    );
    let verbose = stdout(&scan_at(&repo, "200", &["--verbose"]));
    assert_eq!(
        verbose
            .lines()
            .filter(|l| l.starts_with("note: img/"))
            .count(),
        4,
        "{verbose}"
    );
}

/// Colour follows where the report goes: `coach scan | cat` on a terminal gets no escape codes,
/// while the same scan straight to the terminal is coloured. `script` gives coach a terminal.
#[test]
fn no_colour_codes_when_stdout_is_not_a_terminal() {
    // Without util-linux `script` there is no terminal to give coach; every other check stands.
    let Ok(script) = which_script() else {
        return;
    };
    let repo = TestRepo::init();
    three_files(&repo);
    let piped = repo.path("piped.txt");
    let run = |inner: String| {
        repo.cmd(&script)
            .env_remove("NO_COLOR")
            .args(["-qec", &inner, "/dev/null"])
            .output()
            .unwrap()
    };
    run(format!("{COACH} scan | cat > {}", piped.display()));
    let text = std::fs::read_to_string(&piped).unwrap();
    assert!(text.contains("verdict: BLOCK"), "{text}");
    assert!(!text.contains('\x1b'), "escape codes in a pipe: {text:?}");
    let direct = run(format!("{COACH} scan"));
    assert!(stdout(&direct).contains('\x1b'), "{}", stdout(&direct));
}

fn which_script() -> Result<String, ()> {
    ["/usr/bin/script", "/bin/script"]
        .iter()
        .find(|p| std::path::Path::new(p).exists())
        .map(|p| (*p).to_owned())
        .ok_or(())
}
