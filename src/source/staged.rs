//! The staged change: HEAD's tree (the empty tree on a first commit) against the index, content read
//! from the index's blobs, never from the work tree. Read-only: the index is never written.
//!
//! The index is the one Git is committing: `GIT_INDEX_FILE` when Git sets it (`git commit -a`,
//! `git commit <paths>` build a temporary index and run the hook against it), else the repository's.
use super::{gitdiff::for_each_unit, Collected, Limits, ScanUnit};
use super::{ScanOutcome, UnitScan};
use crate::finding::Exposure;
use anyhow::{bail, Context};
use git2::{Diff, DiffFindOptions, DiffOptions, ErrorCode, Repository};
use rayon::prelude::*;

/// The index the commit will be made from. `git commit -a` and `git commit <paths>` build a temporary
/// index and name it in `GIT_INDEX_FILE` for the hooks: reading `.git/index` then would scan the wrong
/// content (or nothing at all).
pub fn index(repo: &Repository) -> anyhow::Result<git2::Index> {
    match std::env::var_os("GIT_INDEX_FILE").filter(|v| !v.is_empty()) {
        Some(path) => {
            // Git runs hooks from the top of the work tree; a relative path is relative to it.
            let path = std::path::PathBuf::from(path);
            let path = if path.is_absolute() {
                path
            } else {
                std::env::current_dir()
                    .context("reading the current directory")?
                    .join(path)
            };
            or_git(repo, &path, git2::Index::open(&path))
                .with_context(|| format!("reading the index {} (GIT_INDEX_FILE)", path.display()))
        }
        None => or_git(repo, &repo.path().join("index"), repo.index()).context("reading the index"),
    }
}

/// libgit2's reading, or Git's own when libgit2 cannot read one of the index's extensions (a split
/// or sparse index): such a repository is scanned, not refused (#11).
fn or_git(
    repo: &Repository,
    path: &std::path::Path,
    read: Result<git2::Index, git2::Error>,
) -> anyhow::Result<git2::Index> {
    match read {
        Err(e) if super::gitindex::unsupported_extension(&e) => {
            let mut index =
                super::gitindex::read(repo, path).with_context(|| e.message().to_owned())?;
            // libgit2 reads `.gitattributes` from the repository's index while diffing: give it
            // this readable copy, or every file would fail on the same extension.
            repo.set_index(&mut index)
                .context("using the index Git read")?;
            Ok(index)
        }
        other => Ok(other?),
    }
}

/// Collects every staged unit in memory (for callers that want the units themselves).
pub fn collect(repo: &Repository, limits: Limits) -> anyhow::Result<Collected> {
    let diff = diff(repo)?;
    let mut out = Collected::default();
    let mut units = Vec::new();
    for_each_unit(
        repo,
        &diff,
        Exposure::Staged,
        None,
        &[],
        limits,
        &mut out,
        |u| units.push(u),
    );
    out.units = units;
    Ok(out)
}

/// A staged change whose new files hold fewer bytes than this is read and scanned on the calling
/// thread. Measured (#15, BENCHMARKS.md): 3 files, 160 KB: the pool cost ~2 ms more CPU for the
/// same wall time; 20 files, 530 KB: the same CPU either way, and reading the next file while
/// scanning the last was faster by wall time.
const SERIAL_BELOW: u64 = 256 << 10;

/// Reads and scans the staged change as a stream: each file is scanned on the rayon pool while the
/// next is read, and its text is dropped once scanned, so memory stays bounded by a few chunks
/// (a file over `max-file-size` is streamed in chunks) however large the change. A small change
/// is read and scanned in turn on this thread.
/// Every staged file of `diff` as a unit, handed to `sink`.
fn each_staged(
    repo: &Repository,
    diff: &Diff<'_>,
    limits: Limits,
    out: &mut Collected,
    sink: impl FnMut(ScanUnit),
) {
    for_each_unit(repo, diff, Exposure::Staged, None, &[], limits, out, sink);
}

pub fn scan(
    repo: &Repository,
    diff: &Diff<'_>,
    limits: Limits,
    detect: UnitScan<'_>,
) -> anyhow::Result<(Collected, ScanOutcome)> {
    let mut out = Collected::default();
    let size: u64 = diff.deltas().map(|d| d.new_file().size()).sum();
    if size < SERIAL_BELOW {
        let (mut outcome, mut lines) = (ScanOutcome::default(), 0);
        each_staged(repo, diff, limits, &mut out, |u| {
            lines += u.added_lines();
            outcome = std::mem::take(&mut outcome).merge(detect(&u));
        });
        out.lines += lines;
        outcome.sort();
        return Ok((out, outcome));
    }
    let (tx, rx) = std::sync::mpsc::sync_channel::<ScanUnit>(64);
    let outcome = std::thread::scope(|s| {
        let worker = s.spawn(move || {
            rx.into_iter()
                .par_bridge()
                .map(|u| (detect(&u), u.added_lines()))
                .reduce(
                    || (ScanOutcome::default(), 0),
                    |(a, la), (b, lb)| (a.merge(b), la + lb),
                )
        });
        each_staged(repo, diff, limits, &mut out, |u| {
            // The worker only stops early by panicking, which join() reports below.
            let _ = tx.send(u);
        });
        drop(tx);
        worker.join()
    });
    let Ok((mut outcome, lines)) = outcome else {
        bail!("internal error: the scanner thread panicked");
    };
    out.lines += lines;
    outcome.sort();
    Ok((out, outcome))
}

/// The message Git is about to commit (the file it passes to the commit-msg hook) as a unit named
/// `<commit message>`. Comment lines (starting with `comment`, Git's `core.commentChar`) and
/// everything from the scissors line of `git commit -v` on are Git's, not the message; line numbers
/// are the file's.
pub fn message_unit(bytes: &[u8], comment: &str) -> ScanUnit {
    let text = String::from_utf8_lossy(bytes);
    let scissors = format!("{comment} ------------------------ >8 ------------------------");
    let lines = text
        .split('\n')
        .take_while(|l| l.trim_end_matches('\r') != scissors)
        .enumerate()
        .filter(|(_, l)| !l.starts_with(comment))
        .map(|(i, l)| (i as u32 + 1, l.trim_end_matches('\r').to_owned()));
    ScanUnit {
        keystore: false,
        path: super::history::COMMIT_MESSAGE.into(),
        exposure: Exposure::Staged,
        commit: None,
        regions: super::regions_from_lines(lines),
    }
}

/// HEAD's tree (none on a first commit) against the index, renames and copies found.
pub fn diff(repo: &Repository) -> anyhow::Result<Diff<'_>> {
    if repo.is_bare() {
        bail!(
            "{} is a bare repository: it has no index or staged change to scan. Scan a commit range or history instead, or run coach in a clone with a work tree.",
            repo.path().display()
        );
    }
    let head_tree = match repo.head() {
        Ok(head) => Some(head.peel_to_tree().context("reading HEAD's tree")?),
        Err(e) if matches!(e.code(), ErrorCode::UnbornBranch | ErrorCode::NotFound) => None,
        Err(e) => return Err(e).context("reading HEAD"),
    };
    let index = index(repo)?;
    let mut opts = DiffOptions::new();
    opts.context_lines(0)
        // A type change (symlink -> file) comes as a deletion plus an addition, so the new file is
        // read in full like any added file; a typechange delta has no added lines (#11).
        .include_typechange(false)
        .ignore_submodules(false)
        .interhunk_lines(0);
    let mut diff = repo
        .diff_tree_to_index(head_tree.as_ref(), Some(&index), Some(&mut opts))
        .context("diffing HEAD to the index")?;
    let mut find = DiffFindOptions::new();
    find.renames(true).copies(true);
    diff.find_similar(Some(&mut find))
        .context("detecting renames")?;
    Ok(diff)
}
