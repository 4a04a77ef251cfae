//! `coach baseline create|update`.
use crate::cli::{BaselineCommand, Cli};
use crate::error::{Error, ExitStatus};
use crate::escape::terminal as esc;
use crate::{
    baseline, open_repo, print_warnings, repo_root, repofile, report, scan_commits,
    scan_paths_with, source, CommitScan, Engine,
};
use anyhow::Result;

/// `coach baseline create|update`: scan, then write every unsuppressed finding's (path, rule, hash).
/// An incomplete scan writes nothing (exit 2): a baseline must not hide what was never looked at.
pub(crate) fn run(cli: &Cli, cmd: &BaselineCommand) -> Result<ExitStatus> {
    let repo = open_repo()?;
    let root = repo_root(&repo).ok_or_else(|| {
        Error::Usage("a baseline needs a work tree (this repository is bare)".into())
    })?;
    let mut engine = Engine::load(cli, Some(&root))?;
    print_warnings(&engine);
    let path = root.join(&engine.settings.baseline);
    // The file name may come from repository config: write only inside the work tree, and never
    // through a symlink or onto something that is not a regular file.
    let parent = path.parent().unwrap_or(&root);
    repofile::resolve_inside(&root, parent, "baseline folder")?;
    if path.symlink_metadata().is_ok_and(|m| !m.is_file()) {
        return Err(Error::Usage(format!(
            "{}: the baseline path is a symlink or not a regular file; refusing to write it",
            path.display()
        ))
        .into());
    }
    let (args, verb) = match cmd {
        BaselineCommand::Create(a) => {
            if engine.baseline.is_some() {
                return Err(Error::Usage(format!(
                    "{} already exists; use `coach baseline update` to refresh it",
                    path.display()
                ))
                .into());
            }
            engine.baseline = Some(baseline::Baseline::new(path.clone()));
            (a, "created")
        }
        BaselineCommand::Update(a) => {
            if engine.baseline.is_none() {
                engine.baseline = Some(baseline::Baseline::new(path.clone()));
            }
            (a, "updated")
        }
    };
    let roots = if args.paths.is_empty() {
        vec![root.clone()]
    } else {
        args.paths.clone()
    };
    let report = scan_paths_with(&engine, &roots);
    if report.status == ExitStatus::Error || !report.errors.is_empty() {
        eprint!("{}", report::human::render(&report));
        eprintln!("coach: the baseline was not written: not everything could be scanned");
        return Ok(ExitStatus::Error);
    }
    // Every entry keyed by its path from the repository root, the form history findings have.
    let mut findings: Vec<crate::finding::Finding> = {
        let pipeline = engine.pipeline_for_paths();
        report
            .findings
            .iter()
            .map(|f| {
                let mut f = f.clone();
                f.path = pipeline.repo_path(&f.path);
                f
            })
            .collect()
    };
    let mut commits = None;
    if args.history {
        // Every commit of every ref, like `coach scan --history`, so that scan (and the CI
        // workflow built on it) goes green after adoption and red only on new findings (#16).
        let job = CommitScan {
            source: "history".into(),
            commits: source::history::walk_all(&repo)
                .map_err(|e| anyhow::anyhow!("listing the repository's commits: {e}"))?,
            tags: source::history::annotated_tags(&repo),
            notices: Vec::new(),
            max: None,
            truncation_is_error: true,
        };
        let history = scan_commits(&repo, &engine, job);
        if history.status == ExitStatus::Error || !history.errors.is_empty() {
            eprint!("{}", report::human::render(&history));
            eprintln!("coach: the baseline was not written: not every commit could be scanned");
            return Ok(ExitStatus::Error);
        }
        commits = history.commits;
        findings.extend(history.findings);
    }
    let mut b = engine.baseline.take().expect("set above");
    let (added, removed) = b.replace(&findings, str::to_owned);
    b.write()?;
    eprintln!(
        "coach: {verb} {}: {} known finding{} ({added} added, {removed} removed){}",
        esc(&b.path().display().to_string()),
        b.entries.len(),
        if b.entries.len() == 1 { "" } else { "s" },
        commits
            .map(|n| format!("; the work tree and {n} commits were scanned"))
            .unwrap_or_default(),
    );
    Ok(ExitStatus::Allow)
}
