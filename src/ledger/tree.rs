//! The id of the tree a commit of the index would have, computed without writing objects.
use super::Result;
use git2::{ObjectType, Oid};
use std::collections::BTreeMap;

/// The id of the tree `git write-tree` would write for `index`, computed without writing anything:
/// each tree's canonical bytes are hashed in memory (`git2::Index::write_tree_to` would add objects to
/// the repository, and coach never writes). Errors on unmerged entries, which cannot be committed.
/// Intent-to-add entries are left out, as Git does.
pub fn index_tree(index: &git2::Index) -> Result<Oid> {
    /// A folder being built: names to blobs (mode, id) or subfolders.
    #[derive(Default)]
    struct Dir(BTreeMap<Vec<u8>, Node>);
    enum Node {
        Blob(u32, Oid),
        Tree(Dir),
    }
    const INTENT_TO_ADD: u16 = 1 << 13;
    let mut root = Dir::default();
    for e in index.iter() {
        if (e.flags >> 12) & 0x3 != 0 {
            return Err(git2::Error::from_str("the index has unmerged entries").into());
        }
        if e.flags_extended & INTENT_TO_ADD != 0 {
            continue;
        }
        let mut parts: Vec<&[u8]> = e.path.split(|&b| b == b'/').collect();
        let Some(name) = parts.pop() else { continue };
        let mut dir = &mut root;
        for p in parts {
            let node = dir
                .0
                .entry(p.to_vec())
                .or_insert_with(|| Node::Tree(Dir::default()));
            dir = match node {
                Node::Tree(d) => d,
                Node::Blob(..) => {
                    return Err(git2::Error::from_str("index entry is both file and folder").into())
                }
            };
        }
        dir.0.insert(name.to_vec(), Node::Blob(e.mode, e.id));
    }
    fn hash(dir: &Dir) -> Result<Oid, git2::Error> {
        // Git sorts a tree's entries by name, comparing a folder's name as if it ended in '/'.
        let mut entries: Vec<(Vec<u8>, String, Oid)> = Vec::with_capacity(dir.0.len());
        for (name, node) in &dir.0 {
            let (key, mode, id) = match node {
                Node::Blob(mode, id) => (name.clone(), format!("{mode:o}"), *id),
                Node::Tree(d) => {
                    let mut k = name.clone();
                    k.push(b'/');
                    (k, "40000".to_owned(), hash(d)?)
                }
            };
            entries.push((key, mode, id));
        }
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut buf = Vec::new();
        for (key, mode, id) in entries {
            let name = key.strip_suffix(b"/").unwrap_or(&key);
            buf.extend_from_slice(mode.as_bytes());
            buf.push(b' ');
            buf.extend_from_slice(name);
            buf.push(0);
            buf.extend_from_slice(id.as_bytes());
        }
        Oid::hash_object(ObjectType::Tree, &buf)
    }
    Ok(hash(&root)?)
}

/// What a pre-commit run approves: the tree the commit will have, and the tree it changes (HEAD's;
/// `None` for a first commit). The change's patch id (`git patch-id --stable` of one against the
/// other) is computed later, at push time, and only if a rebase or cherry-pick needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Approval {
    pub tree: Oid,
    pub base: Option<Oid>,
}

/// The [`Approval`] for committing `index` in `repo`.
pub fn approval(repo: &git2::Repository, index: &git2::Index) -> Result<Approval> {
    Ok(Approval {
        tree: index_tree(index)?,
        base: repo
            .head()
            .ok()
            .and_then(|h| h.peel_to_tree().ok())
            .map(|t| t.id()),
    })
}

/// The patch id of a commit's change against its first parent; `None` for an empty change, or
/// one with a file over `max_blob` bytes.
pub fn commit_patch(
    repo: &git2::Repository,
    commit: &git2::Commit<'_>,
    max_blob: u64,
) -> Result<Option<Oid>> {
    let parent = commit.parent(0).ok().map(|p| p.tree()).transpose()?;
    let diff = repo.diff_tree_to_tree(parent.as_ref(), Some(&commit.tree()?), None)?;
    patch_id(repo, &diff, max_blob)
}

/// The patch id of an approved change, as [`commit_patch`] gives it for a commit making that change;
/// `None` also when either tree is no longer in the repository (a commit that was never made).
pub fn change_patch(repo: &git2::Repository, a: &Approval, max_blob: u64) -> Result<Option<Oid>> {
    let Ok(tree) = repo.find_tree(a.tree) else {
        return Ok(None);
    };
    let base = match a.base.map(|b| repo.find_tree(b)) {
        Some(Ok(b)) => Some(b),
        Some(Err(_)) => return Ok(None),
        None => None,
    };
    let diff = repo.diff_tree_to_tree(base.as_ref(), Some(&tree), None)?;
    patch_id(repo, &diff, max_blob)
}

/// libgit2's patch id reads both sides of every file whole and diffs them, past the size bound the
/// scan keeps (`max-file-size`): an 80 MB file made a clean commit's hook take 630 MB (#15). A
/// change with a bigger file gets none; it is then recognised at push time by its tree alone (a
/// rebase of it shows as unchecked, and is scanned like any pushed commit).
fn patch_id(repo: &git2::Repository, diff: &git2::Diff<'_>, max_blob: u64) -> Result<Option<Oid>> {
    if diff.deltas().len() == 0 {
        return Ok(None);
    }
    let odb = repo.odb()?;
    for d in diff.deltas() {
        for side in [d.old_file(), d.new_file()] {
            // A tree-to-tree delta says 0 until its blob is read: ask the object's header.
            let size = match side.size() {
                0 if !side.id().is_zero() => {
                    odb.read_header(side.id()).map_or(0, |(n, _)| n as u64)
                }
                n => n,
            };
            if size > max_blob {
                return Ok(None);
            }
        }
    }
    Ok(Some(diff.patchid(None)?).filter(|p| !p.is_zero()))
}
