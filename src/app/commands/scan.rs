//! `coach scan`: the staged change (like the hook), files and folders, commits, or a stream on
//! standard input (`coach scan -`, a CI log).
use crate::cli::{Cli, ScanArgs, SourceArg};
use crate::error::{Error, ExitStatus};
use crate::finding::Exposure;
use crate::report::Report;
use crate::{
    emit, open_repo, print_warnings, repo_root, scan_commits, scan_paths_with, scan_stream, source,
    CommitScan, Engine,
};
use anyhow::{Context, Result};
use std::path::PathBuf;

fn scan_staged(cli: &Cli) -> Result<Report> {
    let repo = open_repo()?;
    // The same verdict the hook would give: an existing ledger's repeats escalate here too. Only
    // read: `coach scan` records nothing, and never creates a ledger.
    let (engine, report) = crate::app::drive::staged_scan(
        cli,
        &repo,
        "scan",
        crate::app::drive::StagedLedger::IfExists,
    )?;
    print_warnings(&engine);
    super::hook::warn_if_hooks_stale(&repo);
    report
}

fn scan_paths(cli: &Cli, roots: &[PathBuf]) -> Result<Report> {
    let repo = git2::Repository::discover(".").ok();
    let engine = Engine::load(cli, repo.as_ref().and_then(repo_root).as_deref())?;
    print_warnings(&engine);
    Ok(scan_paths_with(&engine, roots))
}

pub(crate) fn scan_history(cli: &Cli, args: &ScanArgs) -> Result<Report> {
    let repo = open_repo()?;
    let engine = Engine::load(cli, repo_root(&repo).as_deref())?;
    print_warnings(&engine);
    let (source, commits, tags) = match &args.range {
        Some(spec) => (
            format!("range {spec}"),
            source::history::walk_range(&repo, spec)?,
            Vec::new(),
        ),
        None => (
            "history".to_owned(),
            source::history::walk_all(&repo).context("listing the repository's commits")?,
            source::history::annotated_tags(&repo),
        ),
    };
    let job = CommitScan {
        source,
        commits,
        tags,
        notices: Vec::new(),
        max: args.max_commits,
        truncation_is_error: false,
    };
    Ok(scan_commits(&repo, &engine, job))
}

/// `coach scan -`: standard input as a stream. Inside a repository its config applies and, when
/// the ledger exists (or `--record` is given), repeats escalate as in the hooks; only `--record`
/// writes: `coach scan` never records by itself, so a person trying coach on a log changes no
/// figures.
fn scan_stdin(cli: &Cli, args: &ScanArgs) -> Result<Report> {
    let repo = git2::Repository::discover(".").ok();
    if args.record && repo.is_none() {
        return Err(Error::Usage(
            "--record writes to the ledger of a repository: run coach scan - from inside one"
                .into(),
        )
        .into());
    }
    let mut engine = Engine::load(cli, repo.as_ref().and_then(repo_root).as_deref())?;
    if let Some(repo) = &repo {
        let exists = engine
            .settings
            .ledger
            .resolved_path()
            .is_some_and(|p| p.exists());
        if exists || args.record {
            engine.attach_ledger(repo, "ci-log");
        }
    }
    print_warnings(&engine);
    let exposure = match args.source {
        Some(SourceArg::CiLog) => Exposure::CiLog,
        None => Exposure::Local,
    };
    // A URL label may carry credentials (`https://user:token@host/...`): never shown or stored.
    let label = args
        .label
        .as_deref()
        .map_or_else(|| "<stdin>".to_owned(), crate::escape::strip_credentials);
    let stream = source::stream::Stream::new(label, exposure);
    let stdin = std::io::stdin();
    let mut input = std::io::BufReader::with_capacity(256 << 10, stdin.lock());
    let report = scan_stream(&engine, repo.as_ref(), &mut input, &stream);
    if args.record {
        if let (Some(session), Some(repo)) = (engine.ledger.as_mut(), &repo) {
            // The hooks' recording of findings, without an approved tree (nothing is committed).
            if let Err(e) = session.record_pre_commit(repo, &report.findings, None) {
                eprintln!(
                    "coach: warning: {}",
                    crate::escape::terminal_lines(&e.warning())
                );
            }
        }
    }
    Ok(report)
}

/// Whether the scan reads standard input (`coach scan -`); `-` goes alone.
fn wants_stdin(args: &ScanArgs) -> Result<bool> {
    let dash = args.paths.iter().any(|p| p.as_os_str() == "-");
    if dash && args.paths.len() > 1 {
        return Err(Error::Usage(
            "`-` (standard input) is scanned alone: give no other path".into(),
        )
        .into());
    }
    if !dash {
        for (given, flag) in [
            (args.source.is_some(), "--source"),
            (args.label.is_some(), "--label"),
            (args.record, "--record"),
        ] {
            if given {
                return Err(Error::Usage(format!(
                    "{flag} applies to standard input: coach scan - {flag} ..."
                ))
                .into());
            }
        }
    }
    Ok(dash)
}

/// `coach scan`: the staged change, paths, history / a range, or standard input.
pub(crate) fn run(cli: &Cli, args: &ScanArgs) -> Result<ExitStatus> {
    if args.max_commits.is_some() && !args.history && args.range.is_none() {
        return Err(Error::Usage("--max-commits applies to --history and --range".into()).into());
    }
    let report = if wants_stdin(args)? {
        scan_stdin(cli, args)?
    } else if args.history || args.range.is_some() {
        scan_history(cli, args)?
    } else if args.paths.is_empty() {
        scan_staged(cli)?
    } else {
        scan_paths(cli, &args.paths)?
    };
    crate::report::human::set_style(crate::report::human::Style {
        verbose: args.verbose,
        quiet: args.quiet,
        width: None,
    });
    emit(&report, args.format.into(), args.output.as_deref(), false)?;
    Ok(report.status)
}
