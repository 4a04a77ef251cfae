//! `coach scan`: the staged change (like the hook), files and folders, or commits.
use crate::cli::{Cli, ScanArgs};
use crate::error::{Error, ExitStatus};
use crate::report::Report;
use crate::{
    emit, open_repo, print_warnings, repo_root, scan_commits, scan_paths_with, source,
    staged_report, CommitScan, Engine,
};
use anyhow::{Context, Result};
use std::path::PathBuf;

fn scan_staged(cli: &Cli) -> Result<Report> {
    let repo = open_repo()?;
    let mut engine = Engine::load(cli, repo_root(&repo).as_deref())?;
    // The same verdict the hook would give: an existing ledger's repeats escalate here too. Only
    // read: `coach scan` records nothing, and never creates a ledger.
    if engine
        .settings
        .ledger
        .resolved_path()
        .is_some_and(|p| p.exists())
    {
        engine.attach_ledger(&repo, "scan");
    }
    print_warnings(&engine);
    super::hook::warn_if_hooks_stale(&repo);
    staged_report(&engine, &repo)
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

/// `coach scan`: the staged change, paths, or history / a range.
pub(crate) fn run(cli: &Cli, args: &ScanArgs) -> Result<ExitStatus> {
    if args.max_commits.is_some() && !args.history && args.range.is_none() {
        return Err(Error::Usage("--max-commits applies to --history and --range".into()).into());
    }
    let report = if args.history || args.range.is_some() {
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
