//! Secrets in CI logs (#17 section 3): `coach scan -` reads a stream with bounded memory, and
//! `--source ci-log` gives findings the `ci-log` exposure, with coaching that revokes first, then
//! masks, then stops the print, addressed to the pipeline owner.
use crate::support::*;
use std::io::Write;
use std::process::{Output, Stdio};

/// A GitHub classic PAT from the examples of rules/github.toml.
const PAT: &str = "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";

/// The PKCS#1 example of rules/keys.toml: 15 lines, BEGIN and END included.
const PEM: &str = "-----BEGIN RSA PRIVATE KEY-----
MIICXAIBAAKBgQC2QbfwnGbxn+a2rvd32yiJIgGXaKFw9QufIeOqF4GvQ/c+/kEt
G6liihyw2i5pG4xxGybQ1MKsuNfBEMoEMYEdOMactZa9rTpQEXdS34Ba/2Rm4sxQ
IMcJFI47iT30mZhThzJ6UXx/aqXxlvig4yd6lIs1IPWHZIe1+7IYVM6vRQIDAQAB
AoGBAKtY0cPGZwoXGOL7T/FA+7UhYXmlhtIZr1lmlRGek+/g6BwzEbeE4BSiYCLs
nOF4Yusbaby/ql6UUVNTo3mZyRXHzCgbbYv95SWVZaHM5cXRBXeVG3fgkmczPJIc
JOhCDkusl5HkTJOXmLIbpU5Y2YRnbMtomS5aG/Rtoy2IetxpAkEA23z5PH+DFtvT
1XfbCclUSVR85t8IW9jWkdyyRVf1QXfn8lYstoPqn5Zwi4xtkazS0cuQirZLAJJ4
FVy1pCbDkwJBANSTOOSrvFbC2mx2xFUn4w8QJwinMyCnIgI913DbyHQ6Y7Va4mJy
IQ24d+1m23dn1jNGYgLlK5uMnGJEfKBZuMcCQC0orW8RHTuaxx7ophyBW+Iqi/hE
c0fSeXNRYSx7SG7L6OEncdOrmJ51KXrMzc5nLIkVxQuFLjFT8XkTthusDhkCQDX+
+3miYeHL9v2MIYzb5+IgoTmidus5aPsWyE3DliRn3IHphw2ondrFW7ky4lZvSsqV
eznvCmeljOetK9bzU2sCQDm75WvgWB6K+LGO18rw/SCf5lN4AJnhmu1dCsSA38/m
DGUT6Vm4SUo78pHQGxvX576MnASg3A0YbnMzReDbgm0=
-----END RSA PRIVATE KEY-----";

/// Runs coach with `args`, feeding standard input from `feed` on another thread (a pipe, as in
/// `gh run view --log | coach scan -`).
fn coach_stdin(
    repo: &TestRepo,
    args: &[&str],
    feed: impl FnOnce(&mut dyn Write) + Send + 'static,
) -> Output {
    let mut child = repo
        .cmd(COACH)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("coach runs");
    let mut stdin = child.stdin.take().expect("piped stdin");
    let writer = std::thread::spawn(move || {
        let mut w = std::io::BufWriter::with_capacity(1 << 20, &mut stdin);
        feed(&mut w);
        // A closed pipe (coach stopped reading) is for the exit code to tell, not a panic here.
        let _ = w.flush();
    });
    let out = child.wait_with_output().expect("coach finishes");
    writer.join().expect("feeder thread");
    out
}

/// A GitHub Actions job log (timestamps, a group, colours) that prints a token with `set -x`.
fn saved_log() -> String {
    [
        "2026-11-30T10:00:00.0000000Z ##[group]Run ./deploy.sh".to_owned(),
        "2026-11-30T10:00:00.1000000Z \u{1b}[36;1m./deploy.sh\u{1b}[0m".to_owned(),
        "2026-11-30T10:00:00.2000000Z ##[endgroup]".to_owned(),
        format!("2026-11-30T10:00:01.0000000Z + curl -H 'Authorization: token {PAT}' https://api.github.com/user"),
        "2026-11-30T10:00:02.0000000Z deployed".to_owned(),
    ]
    .join("\n")
        + "\n"
}

fn json_of(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(out)))
}

fn no_secret_in(out: &Output, secret: &str) {
    for text in [stdout(out), stderr(out)] {
        assert!(
            !text.contains(secret),
            "the full secret was printed:\n{text}"
        );
    }
}

#[test]
fn a_token_in_a_saved_log_is_a_ci_log_finding_revoked_before_masked() {
    let repo = TestRepo::init();
    let log = saved_log();
    let feed = log.clone();
    let out = coach_stdin(
        &repo,
        &[
            "scan",
            "-",
            "--source",
            "ci-log",
            "--format",
            "json",
            "--label",
            "deploy / build",
        ],
        move |w| w.write_all(feed.as_bytes()).unwrap(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    no_secret_in(&out, PAT);
    let v = json_of(&out);
    assert_eq!(v["source"], "CI log");
    let f = &v["findings"][0];
    assert_eq!(f["exposure"], "ci-log", "{v:#}");
    assert_eq!(f["path"], "deploy / build");
    assert_eq!(f["line"], 4);
    assert_eq!(f["rule_id"], "github.pat-classic");
    let g = &v["guidance"][0];
    assert_eq!(g["exposure"], "ci-log");
    // Revocation is unconditional and first; masking and the pipeline change follow.
    let do_now: Vec<&str> = g["do_now"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(do_now[0].contains("Delete"), "{do_now:?}");
    assert!(
        !do_now.iter().any(|s| s.starts_with("Only if")),
        "{do_now:?}"
    );
    let steps: Vec<&str> = g["clean_up"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    let at = |needle: &str| {
        steps
            .iter()
            .position(|s| s.contains(needle))
            .unwrap_or_else(|| panic!("no step with {needle:?}: {steps:#?}"))
    };
    assert!(at("Revoke or rotate it first") < at("::add-mask::"));
    assert!(at("::add-mask::") < at("--password-stdin"));
    assert!(steps[at("::add-mask::")].contains("\"::add-mask::$TOKEN\""));
    assert!(at("Mask variable") > 0, "GitLab masked variables are named");

    // The human report says the same, in the same order: Do now (revoke) before Then (mask).
    let feed = log.clone();
    let human = coach_stdin(&repo, &["scan", "-", "--source", "ci-log"], move |w| {
        w.write_all(feed.as_bytes()).unwrap()
    });
    assert_eq!(human.status.code(), Some(1));
    no_secret_in(&human, PAT);
    let text = stdout(&human);
    let pos = |needle: &str| {
        text.find(needle)
            .unwrap_or_else(|| panic!("{needle:?} not in:\n{text}"))
    };
    assert!(pos("<stdin>:4:") < pos("Do now:"));
    assert!(pos("Do now:") < pos("Then:"));
    assert!(pos("Personal access tokens") < pos("::add-mask::"));
    assert!(text.contains("  ci-log\n"), "{text}");
    insta::assert_snapshot!("ci_log_human", transcript(&repo, &human));
}

#[test]
fn without_a_source_stdin_is_scanned_as_local_text() {
    let repo = TestRepo::init();
    let log = saved_log();
    let out = coach_stdin(&repo, &["scan", "-", "--format", "json"], move |w| {
        w.write_all(log.as_bytes()).unwrap()
    });
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v = json_of(&out);
    assert_eq!(v["findings"][0]["exposure"], "local");
    assert_eq!(v["findings"][0]["path"], "<stdin>");
}

#[test]
fn stream_flags_need_the_dash_and_the_dash_goes_alone() {
    let repo = TestRepo::init();
    for args in [
        &["scan", "--source", "ci-log", "x"][..],
        &["scan", "--label", "job", "x"][..],
        &["scan", "-", "other.txt"][..],
    ] {
        let out = repo.coach(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
}

/// 200 MB through a pipe: a PEM key across the first chunk boundary (1 MiB of whole lines) and a
/// token near the end, each reported at its line of the stream.
#[test]
fn a_large_stream_finds_secrets_across_a_chunk_boundary_and_at_the_end() {
    const LINE: &str =
        "2026-11-30T10:00:00.1234567Z Step 12/40 : RUN npm ci --no-audit --prefer-offline [####      ] 45%\n";
    const TOTAL: usize = 200 << 20;
    let lines = TOTAL / LINE.len();
    // The first chunk ends at the line that reaches 1 MiB: start the key a few lines before it.
    let boundary = (1usize << 20).div_ceil(LINE.len());
    let pem_first = boundary - 5;
    let pat_line = lines - 3;
    let repo = TestRepo::init();
    let out = coach_stdin(
        &repo,
        &["scan", "-", "--source", "ci-log", "--format", "json"],
        move |w| {
            let mut no = 1;
            while no <= lines {
                if no == pem_first {
                    for l in PEM.lines() {
                        writeln!(w, "{l}").unwrap();
                        no += 1;
                    }
                    continue;
                }
                if no == pat_line {
                    writeln!(
                        w,
                        "+ git push https://x-access-token:{PAT}@github.com/acme/infra.git"
                    )
                    .unwrap();
                } else {
                    w.write_all(LINE.as_bytes()).unwrap();
                }
                no += 1;
            }
        },
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    no_secret_in(&out, PAT);
    let v = json_of(&out);
    let found: Vec<(String, u64, u64)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap(),
                f["end_line"].as_u64().unwrap(),
            )
        })
        .collect();
    let pem_last = pem_first + PEM.lines().count() - 1;
    assert_eq!(
        found,
        vec![
            (
                "pem-private-key".to_owned(),
                pem_first as u64,
                pem_last as u64
            ),
            ("github-pat".to_owned(), pat_line as u64, pat_line as u64),
        ],
        "{v:#}"
    );
    assert!(pem_first < boundary && boundary < pem_last);
    assert_eq!(v["summary"]["lines_scanned"], lines as u64);
    assert_eq!(v["errors"].as_array().unwrap().len(), 0);
}

#[test]
fn invalid_utf8_and_crlf_lines_keep_their_numbers() {
    let repo = TestRepo::init();
    let mut log: Vec<u8> = b"2026-11-30T10:00:00Z start\r\n\xff\xfe broken \xc3\r\n".to_vec();
    log.extend_from_slice(format!("+ export GITHUB_TOKEN={PAT}\r\n").as_bytes());
    log.extend_from_slice(b"done \x80\r\n");
    let out = coach_stdin(
        &repo,
        &["scan", "-", "--source", "ci-log", "--format", "json"],
        move |w| w.write_all(&log).unwrap(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v = json_of(&out);
    assert_eq!(v["findings"][0]["line"], 3, "{v:#}");
    // 1-based, after "+ export GITHUB_TOKEN=" (22 characters).
    assert_eq!(v["findings"][0]["column"], 23, "{v:#}");
    assert_eq!(v["summary"]["lines_scanned"], 4);
}

/// Colour codes right before a token do not hide it, and no escape sequence from the log or the
/// label reaches the terminal.
#[test]
fn ansi_sequences_in_the_log_and_label_never_reach_the_terminal() {
    let repo = TestRepo::init();
    let log =
        format!("\u{1b}[32m{PAT}\u{1b}[0m\n\u{1b}]8;;https://evil.test\u{7}click\u{1b}]8;;\u{7}\n");
    let out = coach_stdin(
        &repo,
        &["scan", "-", "--source", "ci-log", "--label", "job\u{1b}[2J"],
        move |w| w.write_all(log.as_bytes()).unwrap(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    no_secret_in(&out, PAT);
    let text = stdout(&out) + &stderr(&out);
    assert!(!text.contains('\u{1b}'), "{text}");
    assert!(text.contains("job\\x1b[2J:1:1"), "{text}");
}

/// The workflow's CODEOWNERS entry is who the coaching addresses; its text is quoted and escaped.
#[test]
fn coaching_names_the_workflow_codeowners() {
    let repo = TestRepo::init();
    repo.write(
        ".github/CODEOWNERS",
        "* @acme/everyone\n/.github/workflows/ @acme/platform @ops\u{1b}[31m\n",
    );
    repo.write(".github/workflows/deploy.yml", "on: push\n");
    let log = saved_log();
    let out = coach_stdin(
        &repo,
        &[
            "scan",
            "-",
            "--source",
            "ci-log",
            "--label",
            ".github/workflows/deploy.yml",
        ],
        move |w| w.write_all(log.as_bytes()).unwrap(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains(
            "For the pipeline owner: \"@acme/platform\" \"@ops\\x1b[31m\" owns \".github/workflows/deploy.yml\" (from \".github/CODEOWNERS\""
        ),
        "{text}"
    );
    assert!(!text.contains('\u{1b}'));
}

/// Without CODEOWNERS, a role whose paths match the label is the pipeline owner.
#[test]
fn a_role_for_the_workflow_owns_its_log() {
    let repo = TestRepo::init();
    repo.write(
        ".coach.toml",
        "[[roles]]\nname = \"platform\"\npaths = [\".github/workflows/**\"]\ncoaching = \"CI secrets live in the org's vault.\"\n",
    );
    let log = saved_log();
    let out = coach_stdin(
        &repo,
        &[
            "scan",
            "-",
            "--source",
            "ci-log",
            "--label",
            ".github/workflows/deploy.yml",
            "--format",
            "json",
        ],
        move |w| w.write_all(log.as_bytes()).unwrap(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v = json_of(&out);
    assert_eq!(v["findings"][0]["role"], "platform", "{v:#}");
    let steps = v["guidance"][0]["clean_up"].to_string();
    assert!(steps.contains("role \\\"platform\\\""), "{steps}");
}

/// `--record` writes the findings to the ledger, so the next leak of the kind is a repeat.
#[test]
fn recorded_ci_leaks_are_repeats() {
    let repo = TestRepo::init();
    let run = |record: bool| {
        let log = saved_log();
        run_log(&repo, record, log)
    };
    // Not recorded: the ledger stays as it was (absent), and nothing counts as a repeat.
    run(false);
    assert!(run(false)["findings"][0].get("repeat").is_none());
    run(true);
    // The same value printed again, and another token of the kind: both repeats.
    let v = run(false);
    assert_eq!(v["findings"][0]["repeat"]["same_secret"], true, "{v:#}");
    assert_eq!(
        v["guidance"][0]["history"],
        "This is the same value coach found before: it was printed again."
    );
    let other = saved_log().replace(PAT, OTHER_PAT);
    let v = run_log(&repo, true, other);
    assert_eq!(v["findings"][0]["repeat"]["count"], 1, "{v:#}");
    let out = repo.coach(&["stats", "--export", "jsonl"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let events: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .skip(1)
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(events.len(), 2, "{events:#?}");
    assert!(
        events
            .iter()
            .all(|e| e["exposure"] == "ci-log" && e["stage"] == "ci-log"),
        "{events:#?}"
    );
    // --record needs a repository.
    let outside = repo.tmp.path().join("home");
    let out = repo
        .cmd(COACH)
        .current_dir(&outside)
        .args(["scan", "-", "--record"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

/// Another GitHub classic PAT from the examples of rules/github.toml.
const OTHER_PAT: &str = "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";

fn run_log(repo: &TestRepo, record: bool, log: String) -> serde_json::Value {
    let mut args = vec!["scan", "-", "--source", "ci-log", "--format", "json"];
    if record {
        args.push("--record");
    }
    let out = coach_stdin(repo, &args, move |w| w.write_all(log.as_bytes()).unwrap());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    json_of(&out)
}
