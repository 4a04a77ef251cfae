//! The staged change: HEAD's tree (the empty tree on a first commit) against the index, content read
//! from the index's blobs, never from the work tree. Read-only: the index is never written.
//!
//! The index is the one Git is committing: `GIT_INDEX_FILE` when Git sets it (`git commit -a`,
//! `git commit <paths>` build a temporary index and run the hook against it), else the repository's.
use super::{gitdiff, gitdiff::for_each_unit, Collected, Limits, ScanUnit};
use super::{ScanOutcome, UnitScan};
use crate::finding::Exposure;
use anyhow::{bail, Context};
use git2::{Diff, DiffFindOptions, DiffOptions, ErrorCode, Repository};
use rayon::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::SyncSender;

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

/// Reads and scans the staged change as a stream: files are read on every core (each reader with
/// its own repository handle, git2's is not `Sync`) and their units scanned on the rayon pool as
/// they come; each text is dropped once scanned, so memory stays bounded by a few chunks (a file
/// over `max-file-size` is streamed in chunks) however large the change. A small change is read
/// and scanned in turn on this thread.
pub fn scan(
    repo: &Repository,
    diff: &Diff<'_>,
    limits: Limits,
    detect: UnitScan<'_>,
) -> anyhow::Result<(Collected, ScanOutcome)> {
    let changes = gitdiff::changes(diff);
    let size: u64 = changes.iter().map(|c| c.size).sum();
    let mut out = Collected::default();
    if size < SERIAL_BELOW {
        let (mut outcome, mut lines) = (ScanOutcome::default(), 0);
        for change in &changes {
            read_change(repo, change, limits, &mut out, &mut |u| {
                lines += u.added_lines();
                outcome = std::mem::take(&mut outcome).merge(detect(&u));
            });
        }
        out.lines += lines;
        outcome.sort();
        return Ok((out, outcome));
    }
    let next = AtomicUsize::new(0);
    // Each reader takes the next file until none is left; what it collected is kept by file index,
    // so notices and errors come out in the diff's order whoever read them.
    let read = |repo: &Repository, tx: SyncSender<ScanUnit>| {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(change) = changes.get(i) else {
                break;
            };
            let mut c = Collected::default();
            read_change(repo, change, limits, &mut c, &mut |u| {
                // The scan only stops early by panicking, which join() reports below.
                let _ = tx.send(u);
            });
            done.push((i, c));
        }
        done
    };
    let git_dir = repo.path().to_path_buf();
    let helpers = rayon::current_num_threads()
        .min(changes.len())
        .saturating_sub(1);
    let (tx, rx) = std::sync::mpsc::sync_channel::<ScanUnit>(64);
    let (done, outcome) = std::thread::scope(|s| {
        let worker = s.spawn(move || {
            rx.into_iter()
                .par_bridge()
                .map(|u| (detect(&u), u.added_lines()))
                .reduce(
                    || (ScanOutcome::default(), 0),
                    |(a, la), (b, lb)| (a.merge(b), la + lb),
                )
        });
        let helpers: Vec<_> = (0..helpers)
            .map(|_| {
                let tx = tx.clone();
                // A reader that cannot open its own handle reads nothing: the others read it all.
                s.spawn(|| {
                    another_handle(&git_dir)
                        .map(|r| read(&r, tx))
                        .unwrap_or_default()
                })
            })
            .collect();
        let mut done = read(repo, tx);
        let mut panicked = false;
        for h in helpers {
            match h.join() {
                Ok(d) => done.extend(d),
                Err(_) => panicked = true,
            }
        }
        (
            (!panicked).then_some(done),
            worker.join().ok().filter(|_| !panicked),
        )
    });
    let (Some(mut done), Some((mut outcome, lines))) = (done, outcome) else {
        bail!("internal error: a scanner thread panicked");
    };
    done.sort_by_key(|(i, _)| *i);
    for (_, c) in done {
        out = out.merge(c);
    }
    out.lines += lines;
    outcome.sort();
    Ok((out, outcome))
}

fn read_change(
    repo: &Repository,
    change: &gitdiff::Change,
    limits: Limits,
    out: &mut Collected,
    sink: &mut dyn FnMut(ScanUnit),
) {
    gitdiff::for_change(repo, change, Exposure::Staged, None, &[], limits, out, sink);
}

/// Another handle on the repository at `git_dir`, for another reader thread: only when one opened by
/// its path reads the same objects, not when the environment redirects the object store (Git's
/// quarantine, alternates named in the environment), which only the handle opened from the
/// environment honours.
fn another_handle(git_dir: &std::path::Path) -> Option<Repository> {
    let set = |v: &str| std::env::var_os(v).is_some_and(|v| !v.is_empty());
    if set("GIT_OBJECT_DIRECTORY") || set("GIT_ALTERNATE_OBJECT_DIRECTORIES") {
        return None;
    }
    Repository::open(git_dir).ok()
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
