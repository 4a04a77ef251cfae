//! The staged change: HEAD's tree (the empty tree on a first commit) against the index, content read
//! from the index's blobs, never from the work tree. Read-only: the index is never written.
use super::{gitdiff::diff_to_units, Collected, Limits};
use crate::finding::Exposure;
use anyhow::Context;
use git2::{DiffFindOptions, DiffOptions, ErrorCode, Repository};

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
            git2::Index::open(&path)
                .with_context(|| format!("reading the index {} (GIT_INDEX_FILE)", path.display()))
        }
        None => repo.index().context("reading the index"),
    }
}

pub fn collect(repo: &Repository, limits: Limits) -> anyhow::Result<Collected> {
    let head_tree = match repo.head() {
        Ok(head) => Some(head.peel_to_tree().context("reading HEAD's tree")?),
        Err(e) if matches!(e.code(), ErrorCode::UnbornBranch | ErrorCode::NotFound) => None,
        Err(e) => return Err(e).context("reading HEAD"),
    };
    let index = index(repo)?;
    let mut opts = DiffOptions::new();
    opts.context_lines(0)
        .include_typechange(true)
        .ignore_submodules(false)
        .interhunk_lines(0);
    let mut diff = repo
        .diff_tree_to_index(head_tree.as_ref(), Some(&index), Some(&mut opts))
        .context("diffing HEAD to the index")?;
    let mut find = DiffFindOptions::new();
    find.renames(true).copies(true);
    diff.find_similar(Some(&mut find))
        .context("detecting renames")?;
    let mut out = Collected::default();
    diff_to_units(&diff, Exposure::Staged, None, limits, &mut out);
    Ok(out)
}
