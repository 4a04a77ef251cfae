//! Commits as a source: `coach scan --history` and `--range A..B`, and the commit engine the pre-push
//! scan shares. A commit's message is scanned with its files (path `<commit message>`), and an
//! annotated tag's message too (`<tag message: NAME>`). Each commit is diffed to its first parent (a root or grafted commit: to the empty
//! tree); a merge contributes only the lines that are new relative to every parent (what
//! `git show --cc` shows), so a branch's content is reported at the branch's own commits.
//!
//! Commits are read in parallel, one `Repository` per rayon worker (git2's is not `Sync`), and
//! scanned on that same worker, so memory holds a few commits at a time, not the history. This
//! module neither scans nor prints: the caller passes the scan function and a progress tick. It also
//! owns the two history-wide decisions: which commit introduced a secret, and how exposed it is.
use super::{gitdiff::for_each_unit, text_region, Collected, Limits, Notice, ScanUnit, UnitError};
use super::{ScanOutcome, UnitScan};
use crate::finding::{CommitInfo, Exposure, Finding, Verdict};
use git2::{Commit, Diff, DiffFindOptions, DiffOptions, Oid, Repository, Sort, Tree};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Commits reachable from `push` and not from `hide`, newest first (children before parents).
pub fn walk(repo: &Repository, push: &[Oid], hide: &[Oid]) -> Result<Vec<Oid>, git2::Error> {
    if push.is_empty() {
        return Ok(Vec::new());
    }
    let mut w = repo.revwalk()?;
    w.set_sorting(Sort::TOPOLOGICAL | Sort::TIME)?;
    for p in push {
        w.push(*p)?;
    }
    for h in hide {
        w.hide(*h)?;
    }
    w.collect()
}

/// Every commit of the repository: reachable from any ref or from HEAD (like `git log --all`).
pub fn walk_all(repo: &Repository) -> Result<Vec<Oid>, git2::Error> {
    let mut push = Vec::new();
    for r in repo.references()? {
        let r = r?;
        if let Ok(c) = r.peel_to_commit() {
            push.push(c.id());
        }
    }
    if let Ok(c) = repo.head().and_then(|h| h.peel_to_commit()) {
        push.push(c.id());
    }
    push.sort();
    push.dedup();
    walk(repo, &push, &[])
}

/// The commits of `A..B` (reachable from B, not from A), `A...B` (either side, not their merge
/// base) or a single revision (everything reachable from it).
pub fn walk_range(repo: &Repository, spec: &str) -> anyhow::Result<Vec<Oid>> {
    let rs = repo
        .revparse(spec)
        .map_err(|e| anyhow::anyhow!("--range {spec:?}: {}", e.message()))?;
    let commit = |o: Option<&git2::Object<'_>>| -> anyhow::Result<Option<Oid>> {
        o.map(|o| {
            o.peel_to_commit()
                .map(|c| c.id())
                .map_err(|e| anyhow::anyhow!("--range {spec:?}: {}", e.message()))
        })
        .transpose()
    };
    let from = commit(rs.from())?;
    let to = commit(rs.to())?;
    let mode = rs.mode();
    let (push, hide) = if mode.contains(git2::RevparseMode::MERGE_BASE) {
        let (a, b) = (from.unwrap_or_else(Oid::zero), to.unwrap_or_else(Oid::zero));
        let base = repo.merge_base(a, b)?;
        (vec![a, b], vec![base])
    } else if mode.contains(git2::RevparseMode::RANGE) {
        (to.into_iter().collect(), from.into_iter().collect())
    } else {
        (from.into_iter().collect(), Vec::new())
    };
    Ok(walk(repo, &push, &hide)?)
}

/// Commits recorded as shallow-clone boundaries: their parents are not in the repository.
fn grafted(repo: &Repository) -> HashSet<Oid> {
    std::fs::read_to_string(repo.path().join("shallow"))
        .map(|s| {
            s.lines()
                .filter_map(|l| Oid::from_str(l.trim()).ok())
                .collect()
        })
        .unwrap_or_default()
}

/// The path under which a commit message is reported: it is no file, and no file can be named so.
pub const COMMIT_MESSAGE: &str = "<commit message>";

/// The path under which an annotated tag's message is reported.
pub fn tag_message_path(name: &str) -> String {
    format!("<tag message: {name}>")
}

/// Whether a finding's path is a message (commit or tag), not a file: it is reworded, not edited.
pub fn is_message_path(path: &str) -> bool {
    path == COMMIT_MESSAGE || (path.starts_with("<tag message: ") && path.ends_with('>'))
}

/// Reads, diffs and scans `commits` (and the messages of the annotated `tags`) in parallel; `tick`
/// is called once per commit.
pub fn scan_commits(
    repo: &Repository,
    commits: &[Oid],
    tags: &[Oid],
    limits: Limits,
    scan: UnitScan<'_>,
    tick: &(dyn Fn() + Sync),
) -> (Collected, ScanOutcome) {
    super::gitdiff::trust_object_ids();
    let git_dir = repo.path().to_path_buf();
    let grafted = grafted(repo);
    let (mut c, mut o) = commits
        .par_iter()
        .map_init(
            || Repository::open(&git_dir),
            |worker, &oid| {
                let out = match worker {
                    Ok(r) => scan_commit(r, oid, &grafted, limits, scan),
                    Err(e) => failed(oid, e),
                };
                tick();
                out
            },
        )
        .reduce(
            || (Collected::default(), ScanOutcome::default()),
            |(ca, oa), (cb, ob)| (ca.merge(cb), oa.merge(ob)),
        );
    for &t in tags {
        match tag_unit(repo, t) {
            Ok(Some(u)) => {
                o = o.merge(scan(&u));
            }
            Ok(None) => {}
            Err(e) => c.errors.push(UnitError {
                path: format!("tag {t}"),
                message: format!("could not read the tag: {}", e.message()),
            }),
        }
    }
    (c, o)
}

fn failed(oid: Oid, e: &git2::Error) -> (Collected, ScanOutcome) {
    let mut c = Collected::default();
    c.errors.push(UnitError {
        path: format!("commit {oid}"),
        message: format!("could not read the commit: {}", e.message()),
    });
    (c, ScanOutcome::default())
}

/// Reads and scans one commit, one unit at a time: a large file's chunks are scanned and dropped
/// as they are read.
fn scan_commit(
    repo: &Repository,
    oid: Oid,
    grafted: &HashSet<Oid>,
    limits: Limits,
    scan: UnitScan<'_>,
) -> (Collected, ScanOutcome) {
    let mut c = Collected::default();
    let mut o = ScanOutcome::default();
    let read = commit_units(repo, oid, grafted, limits, &mut c, &mut |u| {
        absorb(&mut o, scan(&u));
        u.added_lines()
    });
    match read {
        Ok(lines) => c.lines += lines,
        Err(e) => return failed(oid, &e),
    }
    (c, o)
}

fn absorb(o: &mut ScanOutcome, mut r: ScanOutcome) {
    o.findings.append(&mut r.findings);
    o.notices.append(&mut r.notices);
    o.errors.append(&mut r.errors);
}

/// Hands one commit's units to `emit` (which returns the lines it consumed; the sum is returned):
/// its files' added content, then its message. Notices and errors go to `out`.
fn commit_units(
    repo: &Repository,
    oid: Oid,
    grafted: &HashSet<Oid>,
    limits: Limits,
    out: &mut Collected,
    emit: &mut dyn FnMut(ScanUnit) -> usize,
) -> Result<usize, git2::Error> {
    let commit = repo.find_commit(oid)?;
    let info = Arc::new(commit_info(&commit));
    let tree = commit.tree()?;
    let boundary = |reason: String| Notice {
        path: "(whole commit)".into(),
        commit: Some(oid.to_string()),
        reason,
    };
    let parent_tree = if grafted.contains(&oid) {
        out.notices.push(boundary(
            "shallow-clone boundary: its parent is not in this clone, so it was compared with the empty tree (every line of its files scanned)".into(),
        ));
        None
    } else if commit.parent_count() == 0 {
        None
    } else {
        match commit.parent(0).and_then(|p| p.tree()) {
            Ok(t) => Some(t),
            Err(e) => {
                out.notices.push(boundary(format!(
                    "its first parent is missing ({}), so it was compared with the empty tree (every line of its files scanned)",
                    e.message()
                )));
                None
            }
        }
    };
    // A merge keeps only what is new against every parent; a missing other parent (shallow clone)
    // narrows nothing, the stricter choice.
    let others: Vec<Tree<'_>> = if parent_tree.is_some() {
        (1..commit.parent_count())
            .filter_map(|i| commit.parent(i).and_then(|p| p.tree()).ok())
            .collect()
    } else {
        Vec::new()
    };
    let diff = diff_trees(repo, parent_tree.as_ref(), &tree)?;
    let mut lines = 0;
    for_each_unit(
        repo,
        &diff,
        Exposure::Committed,
        Some(&info),
        &others,
        limits,
        out,
        |u| lines += emit(u),
    );
    // The message is written by hand, and pasting a token into it is common (#11).
    let message = String::from_utf8_lossy(commit.message_bytes()).into_owned();
    let regions = text_region(std::borrow::Cow::Owned(message));
    if !regions.is_empty() {
        // Not counted as added lines: the summary counts file content.
        emit(ScanUnit {
            keystore: false,
            path: COMMIT_MESSAGE.into(),
            exposure: Exposure::Committed,
            commit: Some(info),
            regions,
        });
    }
    Ok(lines)
}

/// An annotated tag's message as a unit, reported at the commit the tag points at; `None` for a
/// tag without a message.
fn tag_unit(repo: &Repository, id: Oid) -> Result<Option<ScanUnit>, git2::Error> {
    let tag = repo.find_tag(id)?;
    let target = tag.target()?.peel_to_commit()?;
    let mut info = commit_info(&target);
    if let Some(t) = tag.tagger() {
        info.author = String::from_utf8_lossy(t.name_bytes()).into_owned();
        info.email = String::from_utf8_lossy(t.email_bytes()).into_owned();
        info.time = t.when().seconds();
    }
    let message = tag
        .message_bytes()
        .map(|m| String::from_utf8_lossy(m).into_owned())
        .unwrap_or_default();
    let regions = text_region(std::borrow::Cow::Owned(message));
    if regions.is_empty() {
        return Ok(None);
    }
    let name = String::from_utf8_lossy(tag.name_bytes()).into_owned();
    Ok(Some(ScanUnit {
        keystore: false,
        path: tag_message_path(&name),
        exposure: Exposure::Committed,
        commit: Some(Arc::new(info)),
        regions,
    }))
}

/// Annotated tags among `refs/tags/*` (their messages are scanned with history).
pub fn annotated_tags(repo: &Repository) -> Vec<Oid> {
    let mut tags: Vec<Oid> = repo
        .references_glob("refs/tags/*")
        .map(|refs| {
            refs.filter_map(Result::ok)
                .filter_map(|r| r.target())
                .filter(|&id| repo.find_tag(id).is_ok())
                .collect()
        })
        .unwrap_or_default();
    tags.sort();
    tags.dedup();
    tags
}

pub fn commit_info(c: &Commit<'_>) -> CommitInfo {
    let author = c.author();
    CommitInfo {
        id: c.id().to_string(),
        author: String::from_utf8_lossy(author.name_bytes()).into_owned(),
        email: String::from_utf8_lossy(author.email_bytes()).into_owned(),
        time: author.when().seconds(),
        summary: c
            .summary_bytes()
            .map(|s| String::from_utf8_lossy(s).into_owned())
            .unwrap_or_default(),
    }
}

fn diff_trees<'r>(
    repo: &'r Repository,
    old: Option<&Tree<'_>>,
    new: &Tree<'_>,
) -> Result<Diff<'r>, git2::Error> {
    let mut opts = DiffOptions::new();
    opts.context_lines(0)
        .interhunk_lines(0)
        // A type change (symlink -> file) comes as a deletion plus an addition, so the new file is
        // read in full like any added file; a typechange delta has no added lines (#11).
        .include_typechange(false)
        .ignore_submodules(false);
    let mut diff = repo.diff_tree_to_tree(old, Some(new), Some(&mut opts))?;
    // A moved file is not new content: report its secret where it was first added.
    let mut find = DiffFindOptions::new();
    find.renames(true);
    diff.find_similar(Some(&mut find))?;
    Ok(diff)
}

/// Keeps each secret once: of all commits whose findings share a fingerprint, the oldest (`order`
/// maps commit id to its position, newest first) among those where it has its strictest verdict.
/// Runs after suppression and policy, so an allowed copy never hides an unallowed one and a warned
/// copy never hides a blocked one (#11). Every location of the secret in the kept commit is kept;
/// findings without a commit are kept as they are.
pub fn keep_introducing(findings: &mut Vec<Finding>, order: &HashMap<String, usize>) {
    let pos = |f: &Finding| f.commit.as_ref().and_then(|c| order.get(&c.id)).copied();
    // Per fingerprint: (strictest verdict, oldest position with that verdict).
    let mut keep: HashMap<&str, (Verdict, usize)> = HashMap::new();
    for f in findings.iter() {
        if let Some(p) = pos(f) {
            let e = keep.entry(f.fingerprint.as_str()).or_insert((f.verdict, p));
            *e = (*e).max((f.verdict, p));
        }
    }
    let keep: HashMap<String, usize> = keep
        .into_iter()
        .map(|(fp, (_, p))| (fp.to_owned(), p))
        .collect();
    findings.retain(|f| pos(f).is_none_or(|p| keep.get(&f.fingerprint) == Some(&p)));
}

/// Tips of remote-tracking refs (`refs/remotes/*`), peeled to commits.
pub fn remote_tips(repo: &Repository) -> Vec<Oid> {
    let mut tips: Vec<Oid> = repo
        .references_glob("refs/remotes/*")
        .map(|refs| {
            refs.filter_map(Result::ok)
                .filter_map(|r| r.peel_to_commit().ok().map(|c| c.id()))
                .collect()
        })
        .unwrap_or_default();
    tips.sort();
    tips.dedup();
    tips
}

/// Sets each commit finding's exposure: `pushed` when a remote-tracking ref contains its commit,
/// else `committed` (local history only: it can still be rewritten).
pub fn assign_exposure(repo: &Repository, findings: &mut [Finding]) {
    let tips = remote_tips(repo);
    let mut memo: HashMap<String, Exposure> = HashMap::new();
    for f in findings.iter_mut() {
        let Some(c) = &f.commit else { continue };
        if f.path != COMMIT_MESSAGE && is_message_path(&f.path) {
            // A tag's message travels with the tag, not with the commit it names: a pushed commit
            // says nothing about it (remote-tracking refs do not track tags).
            continue;
        }
        let exposure = *memo.entry(c.id.clone()).or_insert_with(|| {
            let Ok(oid) = Oid::from_str(&c.id) else {
                return Exposure::Committed;
            };
            let pushed = tips
                .iter()
                .any(|&t| t == oid || repo.graph_descendant_of(t, oid).unwrap_or(false));
            if pushed {
                Exposure::Pushed
            } else {
                Exposure::Committed
            }
        });
        f.exposure = exposure;
    }
}

/// Ids of the given commits that have no parent, so coaching can say `rebase -i --root`.
pub fn root_commits<'a>(repo: &Repository, ids: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    ids.into_iter()
        .filter(|id| {
            Oid::from_str(id)
                .and_then(|o| repo.find_commit(o))
                .is_ok_and(|c| c.parent_count() == 0)
        })
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_paths_are_not_file_paths() {
        assert!(is_message_path(COMMIT_MESSAGE));
        assert!(is_message_path(&tag_message_path("v1.0")));
        assert!(!is_message_path("commit message.txt"));
    }
}
