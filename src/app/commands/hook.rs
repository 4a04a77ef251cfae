//! `coach hook pre-commit | commit-msg | pre-push`: what the installed hooks run.
use crate::app::drive::*;
use crate::app::engine::*;
use crate::cli::Cli;
use crate::config::Settings;
use crate::error::{Error, ExitStatus};
use crate::escape::{self, terminal as esc, terminal_lines as esc_lines};
use crate::ledger;
use crate::report::{Format, Report};
use crate::source::{self, Collected};
use anyhow::{Context, Result};
use std::path::Path;

/// The pre-commit scan with the ledger attached; the engine and repository are kept for recording.
pub(crate) fn staged_for_hook(cli: &Cli) -> Result<(Report, Engine, git2::Repository)> {
    let repo = open_repo()?;
    // Git is asked where hooks live while the rules load and the change is scanned.
    let stale = crate::hooks::status::StaleCheck::start(&repo);
    let (engine, report) = staged_scan(cli, &repo, "pre-commit", StagedLedger::Hook)?;
    print_warnings(&engine);
    print_stale(stale);
    Ok((report?, engine, repo))
}

pub(crate) fn pre_commit(cli: &Cli) -> Result<ExitStatus> {
    if skip_requested() {
        eprintln!(
            "coach: COACH_SKIP is set: the pre-commit scan was skipped (recorded as a bypass)"
        );
        if let Err(e) = record_skip(cli, "pre-commit") {
            eprintln!(
                "coach: warning: the skip could not be recorded in the ledger: {}",
                esc_lines(&format!("{e:#}"))
            );
        }
        return Ok(ExitStatus::Allow);
    }
    let (report, mut engine, repo) = match staged_for_hook(cli) {
        Ok(r) => r,
        Err(e) if fail_open_configured(cli) => {
            eprintln!("coach: error: {}", esc_lines(&format!("{e:#}")));
            eprintln!(
                "coach: policy.on-error is \"fail-open\": this commit is allowed WITHOUT a scan"
            );
            return Ok(ExitStatus::Allow);
        }
        Err(e) => return Err(e),
    };
    emit(&report, Format::Human, None, true)?;
    record_pre_commit(&mut engine, &repo, &report);
    // The process ends here: the ledger is closed, the rules and their compiled regexes are left
    // to the operating system (freeing them was ~3% of a hook run, #15).
    drop(engine.ledger.take());
    std::mem::forget(engine);
    Ok(report.status)
}

/// The commit-msg hook: scans the message Git is about to commit. Exit 1 stops the commit, before
/// the secret is in any object.
pub(crate) fn commit_msg(cli: &Cli, file: &Path) -> Result<ExitStatus> {
    if skip_requested() {
        // Said, not recorded: the pre-commit hook of the same commit records the one bypass.
        eprintln!("coach: COACH_SKIP is set: the commit-msg scan was skipped");
        return Ok(ExitStatus::Allow);
    }
    let bytes = std::fs::read(file).with_context(|| {
        format!(
            "reading the commit message {}",
            esc(&file.display().to_string())
        )
    })?;
    let repo = open_repo()?;
    let engine = Engine::load(cli, repo_root(&repo).as_deref())?;
    print_warnings(&engine);
    // Git strips lines starting with core.commentChar ("auto" picks one per message; '#' is the
    // usual and the default).
    let comment = repo
        .config()
        .and_then(|c| c.get_string("core.commentChar"))
        .ok()
        .filter(|c| c.chars().count() == 1)
        .unwrap_or_else(|| "#".into());
    let unit = source::staged::message_unit(&bytes, &comment);
    let mut outcome = engine.pipeline().unit(&unit);
    outcome.sort();
    let collected = Collected {
        files: 1,
        lines: unit.added_lines(),
        ..Collected::default()
    };
    let ctx = engine.context(Some(&repo));
    let report = engine.finish("commit message", collected, outcome, &ctx);
    emit(&report, Format::Human, None, true)?;
    Ok(report.status)
}

/// Records the run; when the commit goes ahead, also the tree it approved (for the pre-push bypass
/// check) and the fixes. Failures are warnings: the verdict is already decided.
pub(crate) fn record_pre_commit(engine: &mut Engine, repo: &git2::Repository, report: &Report) {
    let Some(session) = engine.ledger.as_mut() else {
        return;
    };
    let passed = report.status == ExitStatus::Allow;
    let approved = if passed {
        match source::staged::index(repo)
            .map_err(|e| ledger::LedgerError::from(git2::Error::from_str(&format!("{e:#}"))))
            .and_then(|i| ledger::approval(repo, &i))
        {
            Ok(t) => Some(t),
            Err(e) => {
                eprintln!("coach: warning: the approved tree could not be computed ({}); a push of this commit will show it as unchecked", esc_lines(&e.to_string()));
                None
            }
        }
    } else {
        None
    };
    if let Err(e) = session.record_pre_commit(repo, &report.findings, approved) {
        eprintln!("coach: warning: {}", esc_lines(&e.warning()));
    }
}

pub(crate) fn record_skip(cli: &Cli, stage: &str) -> Result<()> {
    let repo = open_repo()?;
    let settings = Settings::load(repo_root(&repo).as_deref(), &cli.sources())?;
    if let Some(mut s) = ledger::Session::open(&repo, &settings.ledger, stage)? {
        s.record_skip(&repo, "COACH_SKIP")?;
    }
    Ok(())
}

/// True only when the config loads and says `fail-open`: a config that cannot be read never allows.
pub(crate) fn fail_open_configured(cli: &Cli) -> bool {
    open_repo()
        .ok()
        .and_then(|r| Settings::load(repo_root(&r).as_deref(), &cli.sources()).ok())
        .is_some_and(|s| s.fail_open())
}

/// The pre-push hook: every ref on standard input, every commit the push would send. Commits found
/// here are about to leave the machine: `committed` (rewriting still keeps the secret off the
/// remote) unless another remote-tracking ref already holds them (`pushed`).
pub(crate) fn pre_push(
    cli: &Cli,
    remote: &str,
    url: Option<&str>,
    max_commits: Option<usize>,
) -> Result<ExitStatus> {
    if skip_requested() {
        eprintln!("coach: COACH_SKIP is set: the pre-push scan was skipped (recorded as a bypass)");
        if let Err(e) = record_skip(cli, "pre-push") {
            eprintln!(
                "coach: warning: the skip could not be recorded in the ledger: {}",
                esc_lines(&format!("{e:#}"))
            );
        }
        return Ok(ExitStatus::Allow);
    }
    let mut input = String::new();
    std::io::Read::read_to_string(&mut std::io::stdin().lock(), &mut input)
        .context("reading the refs Git passes to the pre-push hook")?;
    let repo = open_repo()?;
    let mut framework_notices = Vec::new();
    if input.trim().is_empty() {
        if let Some((line, notices)) = pre_commit_framework_refs(&repo)? {
            input = line;
            framework_notices = notices;
        }
    }
    let updates = source::push::parse(&input).map_err(Error::Usage)?;
    let mut engine = Engine::load(cli, repo_root(&repo).as_deref())?;
    engine.attach_ledger(&repo, "pre-push");
    print_warnings(&engine);
    warn_if_hooks_stale(&repo);
    let mut plan = source::push::plan(&repo, remote, url, &updates)?;
    plan.notices.append(&mut framework_notices);
    let max = max_commits.unwrap_or(engine.settings.push.max_commits);
    if let Some(first_unscanned) = plan.commits.get(max) {
        // Said exactly, so the rest can be scanned by hand (or the bound raised) before pushing.
        let n = plan.commits.len() - max;
        plan.notices.push(source::Notice {
            path: "push".into(),
            commit: Some(first_unscanned.to_string()),
            reason: format!(
                "NOT scanned: {n} older commit{}, the newest of them this one (`git log --oneline {first_unscanned}` lists them; `coach scan --history` scans every commit without a bound)",
                if n == 1 { "" } else { "s" }
            ),
        });
    }
    // The commits scan_commits keeps (newest first, up to the bound): only those were scanned.
    let scanned: Vec<git2::Oid> = plan.commits.iter().take(max).copied().collect();
    let job = CommitScan {
        source: format!("push to {}", escape::strip_credentials(remote)),
        commits: plan.commits,
        tags: plan.tags,
        notices: plan.notices,
        max: Some(max),
        truncation_is_error: !engine.settings.push.allow_truncated,
    };
    let mut report = scan_commits(&repo, &engine, job);
    record_push(&mut engine, &repo, &scanned, &mut report);
    emit(&report, Format::Human, None, true)?;
    Ok(report.status)
}

/// The pre-commit framework runs pre-push hooks without Git's stdin; it describes one ref in
/// environment variables instead, so Git's line is rebuilt from them. It sets `PRE_COMMIT_TO_REF`
/// only when it found a base commit: when the pushed history reaches a root commit it sets just
/// the branch and remote names, so the local branch is resolved here (#11). It passes on only the
/// first ref of a push, which no variable reveals: that is said on every such run.
pub(crate) fn pre_commit_framework_refs(
    repo: &git2::Repository,
) -> Result<Option<(String, Vec<source::Notice>)>> {
    let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let framework = var("PRE_COMMIT").is_some()
        || var("PRE_COMMIT_TO_REF").is_some()
        || var("PRE_COMMIT_LOCAL_BRANCH").is_some();
    if !framework {
        return Ok(None);
    }
    let named = var("PRE_COMMIT_LOCAL_BRANCH");
    let local = named.clone().unwrap_or_else(|| "HEAD".into());
    let mut notices = Vec::new();
    let to = match var("PRE_COMMIT_TO_REF") {
        Some(to) => to,
        None => {
            let commit = repo
                .revparse_single(&local)
                .and_then(|o| o.peel_to_commit())
                .with_context(|| {
                    format!(
                        "the pre-commit framework named no commit to push and {local:?} cannot be resolved"
                    )
                })?;
            if named.is_none() {
                notices.push(source::Notice {
                    path: "pre-commit framework".into(),
                    commit: None,
                    reason:
                        "it named no ref being pushed: scanned HEAD's commits that the remote lacks"
                            .into(),
                });
            }
            commit.id().to_string()
        }
    };
    let from = var("PRE_COMMIT_FROM_REF").unwrap_or_else(|| "0".repeat(40));
    let remote = var("PRE_COMMIT_REMOTE_BRANCH").unwrap_or_else(|| local.clone());
    notices.push(source::Notice {
        path: "pre-commit framework".into(),
        commit: None,
        reason: format!(
            "it passes coach only the first ref of a push ({local}): any other branch or tag pushed with it was NOT scanned. Push one ref at a time, or use coach's own pre-push hook (`coach install --pre-push`), which sees every ref"
        ),
    });
    Ok(Some((format!("{local} {to} {remote} {from}\n"), notices)))
}

/// Records the push's findings and the commits no pre-commit approved (bypasses), which the report
/// then names. Failures are warnings: the verdict is already decided.
pub(crate) fn record_push(
    engine: &mut Engine,
    repo: &git2::Repository,
    commits: &[git2::Oid],
    report: &mut Report,
) {
    let Some(session) = engine.ledger.as_mut() else {
        return;
    };
    let passed = report.status == ExitStatus::Allow;
    match session.record_push(repo, commits, &report.findings, passed) {
        Ok(unchecked) => {
            report.notices.extend(unchecked_notices(&unchecked));
            report.notices.sort();
            report.notices.dedup();
        }
        Err(e) => eprintln!("coach: warning: {}", esc_lines(&e.warning())),
    }
}

/// One notice per unchecked commit, naming a few: a long rebase would otherwise fill the screen.
fn unchecked_notices(unchecked: &[git2::Oid]) -> Vec<source::Notice> {
    const SHOWN: usize = 10;
    let mut notices: Vec<source::Notice> = unchecked
        .iter()
        .take(SHOWN)
        .map(|id| source::Notice {
            path: "unchecked commit".into(),
            commit: Some(id.to_string()),
            reason: "coach did not check it at commit time (--no-verify, no hook, or a rebase); scanned now and recorded as a bypass".into(),
        })
        .collect();
    if unchecked.len() > SHOWN {
        notices.push(source::Notice {
            path: "unchecked commits".into(),
            commit: None,
            reason: format!(
                "{} more not checked at commit time; all scanned now and recorded",
                unchecked.len() - SHOWN
            ),
        });
    }
    notices
}

/// Only a true `COACH_SKIP` (`1`, `true`, `yes`, any case) skips: `COACH_SKIP=false` must not mean
/// "skip" (#11). A value that is neither true nor false scans, and says why.
pub(crate) fn skip_requested() -> bool {
    let Some(raw) = std::env::var_os("COACH_SKIP") else {
        return false;
    };
    let raw = raw.to_string_lossy();
    match raw.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" => true,
        "" | "0" | "false" | "no" | "off" => false,
        _ => {
            eprintln!(
                "coach: COACH_SKIP={raw:?} is not a true value (1, true or yes): scanning anyway"
            );
            false
        }
    }
}

/// `coach install`.
pub(crate) fn install(args: &crate::cli::InstallArgs) -> Result<ExitStatus> {
    let lines = if args.global {
        crate::hooks::install_global(&args.kinds(), args.force)?
    } else {
        let opts = crate::hooks::InstallOptions {
            force: args.force,
            integrate: args.integrate,
        };
        crate::hooks::install(&std::env::current_dir()?, &args.kinds(), opts)?
    };
    for line in lines {
        eprintln!("coach: {}", esc_lines(&line));
    }
    Ok(ExitStatus::Allow)
}

/// `coach uninstall`.
pub(crate) fn uninstall(args: &crate::cli::UninstallArgs) -> Result<ExitStatus> {
    let lines = if args.global {
        crate::hooks::uninstall_global()?
    } else {
        crate::hooks::uninstall(&std::env::current_dir()?)?
    };
    for line in lines {
        eprintln!("coach: {}", esc_lines(&line));
    }
    Ok(ExitStatus::Allow)
}

/// The one-line warning when coach's hooks sit where Git no longer looks (cheap: file reads only).
pub(crate) fn warn_if_hooks_stale(repo: &git2::Repository) {
    print_stale(crate::hooks::status::StaleCheck::start(repo));
}

fn print_stale(check: crate::hooks::status::StaleCheck) {
    if let Some(w) = check.finish() {
        eprintln!("coach: warning: {}", esc_lines(&w));
    }
}
