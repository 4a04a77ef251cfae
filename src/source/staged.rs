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
use std::sync::mpsc::{Receiver, SyncSender};

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

/// A staged change whose new files hold fewer bytes than this is read on one thread. The bound the
/// serial path had before the readers were split (#15); on workload (a), 530 KB, one reader and
/// two measured the same within noise, and a large change is read faster by two.
const SERIAL_BELOW: u64 = 256 << 10;

/// Reads the staged change and sends each file's units to `tx` as they are read, for the receiver
/// to scan ([`detect_all`]) and drop: memory holds a few chunks, not the change (a file over
/// `max-file-size` comes in chunks). A change of [`SERIAL_BELOW`] bytes or more is read on every
/// core, each reader with its own repository handle (git2's is not `Sync`). Notices, errors and
/// the file count are returned, in the diff's order whoever read them; `tx` is dropped once every
/// file is read.
pub fn read(
    repo: &Repository,
    diff: &Diff<'_>,
    limits: Limits,
    tx: SyncSender<ScanUnit>,
) -> anyhow::Result<Collected> {
    let changes = gitdiff::changes(diff);
    let size: u64 = changes.iter().map(|c| c.size).sum();
    let next = AtomicUsize::new(0);
    // Each reader takes the next file until none is left; what it collected is kept by file index.
    let read = |repo: &Repository, tx: SyncSender<ScanUnit>| {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(change) = changes.get(i) else {
                break;
            };
            let mut c = Collected::default();
            read_change(repo, change, limits, &mut c, &mut |u| {
                // The receiver only stops early by failing, which its caller reports.
                let _ = tx.send(u);
            });
            done.push((i, c));
        }
        done
    };
    let git_dir = repo.path().to_path_buf();
    let helpers = if size < SERIAL_BELOW {
        0
    } else {
        rayon::current_num_threads()
            .min(changes.len())
            .saturating_sub(1)
    };
    let done = std::thread::scope(|s| {
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
        let mut done = Some(read(repo, tx));
        for h in helpers {
            match (h.join(), done.as_mut()) {
                (Ok(d), Some(done)) => done.extend(d),
                _ => done = None,
            }
        }
        done
    });
    let Some(mut done) = done else {
        bail!("internal error: a reader thread panicked");
    };
    done.sort_by_key(|(i, _)| *i);
    Ok(done
        .into_iter()
        .fold(Collected::default(), |out, (_, c)| out.merge(c)))
}

/// Scans the units that arrive on `rx` on the rayon pool, until every sender is gone: the outcome
/// (sorted, whatever the order they were scanned in) and the added lines scanned.
pub fn detect_all(rx: Receiver<ScanUnit>, detect: UnitScan<'_>) -> (ScanOutcome, usize) {
    let (mut outcome, lines) = rx
        .into_iter()
        .par_bridge()
        .map(|u| (detect(&u), u.added_lines()))
        .reduce(
            || (ScanOutcome::default(), 0),
            |(a, la), (b, lb)| (a.merge(b), la + lb),
        );
    outcome.sort();
    (outcome, lines)
}

/// The staged change read and scanned: [`read`] here, [`detect_all`] on a thread beside it. The
/// hook does the same, with the rules loading on that thread first (`app::drive::staged_scan`).
pub fn scan(
    repo: &Repository,
    limits: Limits,
    detect: UnitScan<'_>,
) -> anyhow::Result<(Collected, ScanOutcome)> {
    let diff = diff(repo)?;
    let (tx, rx) = std::sync::mpsc::sync_channel(64);
    let (read, detected) = std::thread::scope(|s| {
        let detecting = s.spawn(move || detect_all(rx, detect));
        (read(repo, &diff, limits, tx), detecting.join())
    });
    let Ok((outcome, lines)) = detected else {
        bail!("internal error: the scanner thread panicked");
    };
    let mut collected = read?;
    collected.lines += lines;
    Ok((collected, outcome))
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
