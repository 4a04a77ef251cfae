//! Commits as a source: `coach scan --history` and `--range A..B`, and the commit engine the pre-push
//! scan shares. Each commit is diffed to its first parent (a root or grafted commit: to the empty
//! tree); a merge contributes only the lines that are new relative to every parent (what
//! `git show --cc` shows), so a branch's content is reported at the branch's own commits.
//!
//! Commits are read in parallel, one `Repository` per rayon worker (git2's is not `Sync`), and
//! scanned on that same worker, so memory holds a few commits at a time, not the history. This
//! module neither scans nor prints: the caller passes the scan function and a progress tick. It also
//! owns the two history-wide decisions: which commit introduced a secret, and how exposed it is.
use super::{
    gitdiff::diff_to_units, regions_from_lines, Collected, Limits, Notice, Region, ScanUnit,
    UnitError,
};
use crate::finding::{CommitInfo, Exposure, Finding, Verdict};
use crate::scan::ScanOutcome;
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

/// Reads, diffs and scans `commits` in parallel; `tick` is called once per commit.
pub fn scan_commits(
    repo: &Repository,
    commits: &[Oid],
    limits: Limits,
    scan: &(dyn Fn(&ScanUnit) -> ScanOutcome + Sync),
    tick: &(dyn Fn() + Sync),
) -> (Collected, ScanOutcome) {
    let git_dir = repo.path().to_path_buf();
    let grafted = grafted(repo);
    commits
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
        )
}

fn failed(oid: Oid, e: &git2::Error) -> (Collected, ScanOutcome) {
    let mut c = Collected::default();
    c.errors.push(UnitError {
        path: format!("commit {oid}"),
        message: format!("could not read the commit: {}", e.message()),
    });
    (c, ScanOutcome::default())
}

fn scan_commit(
    repo: &Repository,
    oid: Oid,
    grafted: &HashSet<Oid>,
    limits: Limits,
    scan: &(dyn Fn(&ScanUnit) -> ScanOutcome + Sync),
) -> (Collected, ScanOutcome) {
    let mut c = match collect_commit(repo, oid, grafted, limits) {
        Ok(c) => c,
        Err(e) => return failed(oid, &e),
    };
    let mut o = ScanOutcome::default();
    for u in std::mem::take(&mut c.units) {
        c.lines += u.added_lines();
        let mut r = scan(&u);
        o.findings.append(&mut r.findings);
        o.notices.append(&mut r.notices);
    }
    (c, o)
}

/// One commit's added content, as units (not yet scanned).
pub fn collect_commit(
    repo: &Repository,
    oid: Oid,
    grafted: &HashSet<Oid>,
    limits: Limits,
) -> Result<Collected, git2::Error> {
    let commit = repo.find_commit(oid)?;
    let info = Arc::new(commit_info(&commit));
    let tree = commit.tree()?;
    let mut out = Collected::default();
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
    let diff = diff_trees(repo, parent_tree.as_ref(), &tree, &[])?;
    diff_to_units(&diff, Exposure::Committed, Some(&info), limits, &mut out);
    if commit.parent_count() > 1 && parent_tree.is_some() {
        keep_merge_additions(repo, &commit, &tree, &mut out)?;
    }
    Ok(out)
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
    paths: &[String],
) -> Result<Diff<'r>, git2::Error> {
    let mut opts = DiffOptions::new();
    opts.context_lines(0)
        .interhunk_lines(0)
        // A type change (symlink -> file) comes as a deletion plus an addition, so the new file is
        // read in full like any added file; a typechange delta has no added lines (#11).
        .include_typechange(false)
        .ignore_submodules(false);
    if !paths.is_empty() {
        opts.disable_pathspec_match(true);
        for p in paths {
            opts.pathspec(p);
        }
    }
    let mut diff = repo.diff_tree_to_tree(old, Some(new), Some(&mut opts))?;
    if paths.is_empty() {
        // A moved file is not new content: report its secret where it was first added.
        let mut find = DiffFindOptions::new();
        find.renames(true);
        diff.find_similar(Some(&mut find))?;
    }
    Ok(diff)
}

/// Narrows a merge's units (diffed to the first parent) to lines that are also new relative to every
/// other parent: a line that one parent already had came from that side's own commits.
fn keep_merge_additions(
    repo: &Repository,
    commit: &Commit<'_>,
    tree: &Tree<'_>,
    out: &mut Collected,
) -> Result<(), git2::Error> {
    for i in 1..commit.parent_count() {
        let mut paths: Vec<String> = out.units.iter().map(|u| u.path.clone()).collect();
        paths.extend(out.notices.iter().map(|n| n.path.clone()));
        if paths.is_empty() {
            return Ok(());
        }
        // A missing other parent (shallow clone): keep everything, the stricter choice.
        let Ok(other) = commit.parent(i).and_then(|p| p.tree()) else {
            continue;
        };
        let diff = diff_trees(repo, Some(&other), tree, &paths)?;
        let (changed, added) = added_line_numbers(&diff)?;
        let before = out.units.len();
        out.units.retain_mut(|u| {
            if u.regions.is_empty() {
                // A whole-file unit (a keystore) has no lines to compare: it is new in the merge
                // when this parent does not have the file as the merge has it (#11).
                return changed.contains(&u.path);
            }
            let Some(keep) = added.get(&u.path) else {
                return false;
            };
            u.regions = keep_lines(std::mem::take(&mut u.regions), keep);
            !u.regions.is_empty()
        });
        out.files -= before - out.units.len();
        out.notices
            .retain(|n| n.path == "(whole commit)" || changed.contains(&n.path));
    }
    Ok(())
}

type AddedLines = HashMap<String, HashSet<u32>>;

/// Paths a diff changes, and the new-side line numbers of each path's added lines.
fn added_line_numbers(diff: &Diff<'_>) -> Result<(HashSet<String>, AddedLines), git2::Error> {
    let path = |d: &git2::DiffDelta<'_>| {
        d.new_file()
            .path_bytes()
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .unwrap_or_default()
    };
    let mut changed = HashSet::new();
    let mut added: AddedLines = HashMap::new();
    diff.foreach(
        &mut |d, _| {
            changed.insert(path(&d));
            true
        },
        None,
        None,
        Some(&mut |d, _, line| {
            if line.origin() == '+' {
                if let Some(n) = line.new_lineno() {
                    added.entry(path(&d)).or_default().insert(n);
                }
            }
            true
        }),
    )?;
    Ok((changed, added))
}

fn keep_lines(regions: Vec<Region>, keep: &HashSet<u32>) -> Vec<Region> {
    let mut lines = Vec::new();
    for r in regions {
        for (i, l) in r.text.split('\n').enumerate() {
            let no = r.first_line + i as u32;
            if keep.contains(&no) {
                lines.push((no, l.to_owned()));
            }
        }
    }
    regions_from_lines(lines)
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
    fn keep_lines_regroups_what_is_left() {
        let r = vec![Region {
            first_line: 3,
            text: "a\nb\nc\nd".into(),
        }];
        let keep: HashSet<u32> = [3, 5, 6].into_iter().collect();
        let out = keep_lines(r, &keep);
        assert_eq!(out.len(), 2);
        assert_eq!((out[0].first_line, out[0].text.as_str()), (3, "a"));
        assert_eq!((out[1].first_line, out[1].text.as_str()), (5, "c\nd"));
    }
}
