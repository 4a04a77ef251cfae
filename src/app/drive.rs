//! Drives each source through the one `Pipeline` (detect, then suppress) and the engine's tail:
//! the staged change, paths, and commits (push and history). Every source takes the same
//! [`source::UnitScan`] step.
use crate::app::engine::*;
use crate::cli::Cli;
use crate::config::Settings;
use crate::ledger;
use crate::report::Report;
use crate::source;
use anyhow::Result;
use std::io::IsTerminal;
use std::path::PathBuf;

/// Which ledger a staged scan reads: the hook's (created on its first record), or only one that
/// already exists (`coach scan` never creates one).
pub(crate) enum StagedLedger {
    Hook,
    IfExists,
}

/// The staged change, scanned while the engine loads (#15): another thread loads the rules and
/// their keyword automata, then scans what this one reads; this one meanwhile diffs HEAD's tree
/// against the index, opens the ledger, and reads the changed files (inflating and diffing blobs
/// needs no rules). Each of these was a few milliseconds of serial work before a commit's scan.
///
/// The settings come first, on this thread: the ledger's place is one of them, and a broken config
/// is what the person must fix, so its error (or the rules') comes before any other. Errors of the
/// scan itself come with the engine, so its warnings can still be printed.
pub(crate) fn staged_scan(
    cli: &Cli,
    repo: &git2::Repository,
    stage: &str,
    ledger: StagedLedger,
) -> Result<(Engine, Result<Report>)> {
    let root = repo_root(repo);
    let settings = Settings::load(root.as_deref(), &cli.sources())?;
    let limits = settings.limits;
    let ledger_settings = settings.ledger.clone();
    let wanted = match ledger {
        StagedLedger::Hook => true,
        StagedLedger::IfExists => ledger_settings.resolved_path().is_some_and(|p| p.exists()),
    };
    let (tx, rx) = std::sync::mpsc::sync_channel::<source::ScanUnit>(64);
    let (loaded, read) = std::thread::scope(|s| {
        let root = root.as_deref();
        let loader = s.spawn(move || {
            // On an error `rx` is dropped here: the readers' sends fail and nothing is scanned.
            let engine = Engine::with_settings(cli, settings, root)?;
            let pipeline = engine.pipeline();
            let (outcome, lines) = source::staged::detect_all(rx, &|u| pipeline.unit(u));
            drop(pipeline);
            Ok::<_, anyhow::Error>((engine, outcome, lines))
        });
        let read = match source::staged::diff(repo) {
            Ok(diff) => source::staged::read(repo, &diff, limits, tx),
            Err(e) => {
                // The loader stops waiting for units.
                drop(tx);
                Err(e)
            }
        };
        // While the loader scans the last units.
        let opened = wanted.then(|| ledger::Session::open(repo, &ledger_settings, stage));
        let read = read.map(|c| (c, opened));
        (loader.join(), read)
    });
    let Ok(loaded) = loaded else {
        anyhow::bail!(
            "internal error: the thread loading the rules and scanning the change panicked"
        );
    };
    let (mut engine, outcome, lines) = loaded?;
    let report = read.map(|(mut collected, opened)| {
        if let Some(opened) = opened {
            engine.attach_opened(opened);
        }
        collected.lines += lines;
        let ctx = engine.context(Some(repo));
        engine.finish("staged change", collected, outcome, &ctx)
    });
    Ok((engine, report))
}

pub(crate) fn scan_paths_with(engine: &Engine, roots: &[PathBuf]) -> Report {
    let pipeline = engine.pipeline_for_paths();
    let (collected, outcome) =
        source::paths::scan(roots, engine.settings.limits, &|u| pipeline.unit(u));
    let ctx = engine.context(None);
    let to_repo = |p: &str| pipeline.repo_path(p);
    let tail = Tail {
        repo_path: Some(&to_repo),
        commit_order: None,
    };
    engine.finish_with("paths", collected, outcome, &ctx, &tail)
}

/// Commits to scan, how to label them, and what to do when they exceed the bound.
pub(crate) struct CommitScan {
    pub(crate) source: String,
    pub(crate) commits: Vec<git2::Oid>,
    /// Annotated tags whose messages are scanned.
    pub(crate) tags: Vec<git2::Oid>,
    pub(crate) notices: Vec<source::Notice>,
    pub(crate) max: Option<usize>,
    /// Over the bound: an error (exit 2) rather than a notice.
    pub(crate) truncation_is_error: bool,
}

/// Scans commits in parallel, keeps each secret at the commit that introduced it, and decides each
/// finding's exposure from the remote-tracking refs.
pub(crate) fn scan_commits(repo: &git2::Repository, engine: &Engine, job: CommitScan) -> Report {
    use source::history;
    let CommitScan {
        source,
        mut commits,
        tags,
        notices,
        max,
        truncation_is_error,
    } = job;
    let total = commits.len();
    let skipped = max.filter(|&m| total > m).map(|m| {
        // Newest first: the commits most likely to be new work are the ones kept.
        commits.truncate(m);
        total - m
    });
    let pipeline = engine.pipeline();
    // A bar only for long scans on a terminal; piped output stays clean.
    let bar = if commits.len() >= 200 && std::io::stderr().is_terminal() {
        let b = indicatif::ProgressBar::new(commits.len() as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template("coach: {bar:40} {pos}/{len} commits {eta}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    } else {
        indicatif::ProgressBar::hidden()
    };
    let (mut collected, mut outcome) = history::scan_commits(
        repo,
        &commits,
        &tags,
        engine.settings.limits,
        &|u| pipeline.unit(u),
        &|| bar.inc(1),
    );
    bar.finish_and_clear();
    let order: std::collections::HashMap<String, usize> = commits
        .iter()
        .enumerate()
        .map(|(i, c)| (c.to_string(), i))
        .collect();
    history::assign_exposure(repo, &mut outcome.findings);
    outcome.sort();
    collected.notices.extend(notices);
    if let (Some(n), Some(m)) = (skipped, max) {
        let what = format!(
            "{total} commits to scan, over max-commits ({m}): the newest {m} were scanned, the oldest {n} were NOT"
        );
        if truncation_is_error {
            collected.errors.push(source::UnitError {
                path: source.clone(),
                message: format!("{what}; raise `[push] max-commits` in .coach.toml (or set `allow-truncated = true`), or scan them first with `coach scan --range`"),
            });
        } else {
            collected.notices.push(source::Notice {
                path: source.clone(),
                commit: None,
                reason: format!("{what}; rerun with a larger --max-commits to scan them"),
            });
        }
    }
    let mut ctx = engine.context(Some(repo));
    ctx.root_commits = history::root_commits(
        repo,
        outcome
            .findings
            .iter()
            .filter_map(|f| f.commit.as_ref().map(|c| c.id.as_str())),
    );
    let scanned = commits.len();
    let tail = Tail {
        repo_path: None,
        commit_order: Some(&order),
    };
    let mut report = engine.finish_with(&source, collected, outcome, &ctx, &tail);
    report.commits = Some(scanned);
    report.commits_skipped = skipped;
    report
}

/// Scans a stream (standard input: a CI log, a piped file) chunk by chunk with bounded memory.
/// Policy globs and roles match the stream's label, so a role for `.github/workflows/**` owns the
/// log of that workflow.
pub(crate) fn scan_stream(
    engine: &Engine,
    repo: Option<&git2::Repository>,
    input: &mut impl std::io::BufRead,
    stream: &source::stream::Stream,
) -> Report {
    let pipeline = engine.pipeline();
    let (collected, outcome) = source::stream::scan(input, stream, &|u| pipeline.unit(u));
    let mut ctx = engine.context(repo);
    if stream.exposure == crate::finding::Exposure::CiLog {
        ctx.pipeline_owner = engine
            .repo_root
            .as_deref()
            .and_then(|root| workflow_owner(root, &stream.label));
    }
    let what = match stream.exposure {
        crate::finding::Exposure::CiLog => "CI log",
        _ => "standard input",
    };
    engine.finish(what, collected, outcome, &ctx)
}

/// Where GitHub and GitLab look for CODEOWNERS, in their order.
const CODEOWNERS: &[&str] = &[
    ".github/CODEOWNERS",
    "CODEOWNERS",
    "docs/CODEOWNERS",
    ".gitlab/CODEOWNERS",
];

/// Owners listed at most: a CODEOWNERS line is the repository's text, and the report stays short.
const MAX_OWNERS: usize = 10;

/// The pipeline a CI log came from, when its label names a file of the repository (a workflow
/// path), with that file's CODEOWNERS entry when there is one. CODEOWNERS is read like any
/// repository file (inside the work tree, regular, bounded); an unreadable one is ignored: the
/// coaching then falls back to the role or to "the pipeline owner".
pub(crate) fn workflow_owner(
    root: &std::path::Path,
    label: &str,
) -> Option<crate::coaching::PipelineOwner> {
    if label.contains("://") || crate::repofile::check_relative("--label", label).is_err() {
        return None;
    }
    let workflow = label.trim_start_matches("./").to_owned();
    let codeowners = CODEOWNERS.iter().find_map(|name| {
        let text = crate::repofile::read_inside(
            root,
            &root.join(name),
            "CODEOWNERS",
            crate::repofile::MAX_CONFIG_BYTES,
        )
        .ok()??;
        Some(((*name).to_owned(), text))
    });
    let codeowners = codeowners
        .and_then(|(name, text)| codeowners_for(&text, &workflow).map(|owners| (name, owners)));
    Some(crate::coaching::PipelineOwner {
        workflow,
        codeowners,
    })
}

/// The owners of `path` in a CODEOWNERS text: the last matching line wins (GitHub's and GitLab's
/// rule); a matching line without owners makes the path unowned. Patterns follow gitignore syntax.
pub(crate) fn codeowners_for(text: &str, path: &str) -> Option<Vec<String>> {
    let mut owners: Option<Vec<String>> = None;
    for line in text.lines() {
        let line = line.trim();
        // Comments, and GitLab's `[Section]` headers.
        if line.is_empty()
            || line.starts_with('#')
            || line.starts_with('[')
            || line.starts_with("^[")
        {
            continue;
        }
        let mut words = line.split_whitespace();
        let Some(pattern) = words.next() else {
            continue;
        };
        let mut b = ignore::gitignore::GitignoreBuilder::new("");
        if b.add_line(None, pattern).is_err() {
            continue;
        }
        let Ok(gi) = b.build() else {
            continue;
        };
        if gi.matched_path_or_any_parents(path, false).is_ignore() {
            let listed: Vec<String> = words
                .take_while(|w| !w.starts_with('#'))
                .take(MAX_OWNERS)
                .map(str::to_owned)
                .collect();
            owners = Some(listed);
        }
    }
    owners.filter(|o| !o.is_empty())
}

#[cfg(test)]
mod tests {
    use super::codeowners_for;

    #[test]
    fn the_last_matching_codeowners_line_wins() {
        let text = "# owners\n* @acme/all\n/.github/ @acme/platform @ops # CI\n[Docs]\n*.md @docs\n/.github/workflows/legacy.yml\n";
        assert_eq!(
            codeowners_for(text, ".github/workflows/ci.yml"),
            Some(vec!["@acme/platform".to_owned(), "@ops".to_owned()])
        );
        assert_eq!(
            codeowners_for(text, "src/main.rs"),
            Some(vec!["@acme/all".to_owned()])
        );
        // A matching line without owners leaves the file unowned.
        assert_eq!(codeowners_for(text, ".github/workflows/legacy.yml"), None);
        assert_eq!(codeowners_for("", "x"), None);
    }
}
