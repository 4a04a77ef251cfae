//! A second reader for the index, through the `git` CLI, for index formats libgit2 refuses: a split
//! index (`link` extension) or a sparse index (`sdir`). Git itself is always present when a hook
//! runs, and refusing every commit in such a repository (exit 2) only teaches people to bypass coach.
use anyhow::{bail, Context, Result};
use git2::{Index, IndexEntry, IndexTime, Oid, Repository};
use std::path::Path;
use std::process::Command;

/// Whether libgit2's error is about an index extension it cannot read (rather than a corrupt file,
/// which must stay an error).
pub fn unsupported_extension(e: &git2::Error) -> bool {
    e.class() == git2::ErrorClass::Index && e.message().contains("extension")
}

/// The index at `index_path`, as Git reads it (`git ls-files --stage`, which expands a sparse index
/// and merges a split one), built in memory. Only what a diff needs is kept: mode, object, stage and
/// path.
pub fn read(repo: &Repository, index_path: &Path) -> Result<Index> {
    let Some(workdir) = repo.workdir() else {
        bail!("{} has no work tree", repo.path().display());
    };
    let out = Command::new("git")
        .arg("--git-dir")
        .arg(repo.path())
        .arg("--work-tree")
        .arg(workdir)
        // A sparse index is expanded for the listing; Git's advice about that is noise in a hook.
        .args([
            "-c",
            "advice.sparseIndexExpanded=false",
            "ls-files",
            "--stage",
            "-z",
        ])
        .env("GIT_INDEX_FILE", index_path)
        .current_dir(workdir)
        .output()
        .context("running `git ls-files --stage`")?;
    if !out.status.success() {
        bail!(
            "`git ls-files --stage` failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let mut index = Index::new().context("creating an in-memory index")?;
    for record in out.stdout.split(|&b| b == 0).filter(|r| !r.is_empty()) {
        let entry = parse(record).with_context(|| {
            format!(
                "unexpected `git ls-files --stage` line {:?}",
                String::from_utf8_lossy(record)
            )
        })?;
        index.add(&entry).context("building the in-memory index")?;
    }
    Ok(index)
}

/// `<mode> <object> <stage>\t<path>`.
fn parse(record: &[u8]) -> Option<IndexEntry> {
    let tab = record.iter().position(|&b| b == b'\t')?;
    let (head, path) = (
        std::str::from_utf8(&record[..tab]).ok()?,
        &record[tab + 1..],
    );
    let mut f = head.split(' ');
    let mode = u32::from_str_radix(f.next()?, 8).ok()?;
    let id = Oid::from_str(f.next()?).ok()?;
    let stage: u16 = f.next()?.parse().ok()?;
    // Flags: the stage in bits 12-13, the path length (capped) in the low 12 bits.
    let flags = (stage << 12) | u16::try_from(path.len().min(0xfff)).ok()?;
    Some(IndexEntry {
        ctime: IndexTime::new(0, 0),
        mtime: IndexTime::new(0, 0),
        dev: 0,
        ino: 0,
        mode,
        uid: 0,
        gid: 0,
        file_size: 0,
        id,
        flags,
        flags_extended: 0,
        path: path.to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_stage_line() {
        let e = parse(b"100644 e69de29bb2d1d6434b8b29ae775ad8c2e48c5391 0\tdir/a b.txt").unwrap();
        assert_eq!(e.mode, 0o100644);
        assert_eq!(e.path, b"dir/a b.txt");
        assert_eq!(e.flags >> 12, 0);
        assert!(parse(b"garbage").is_none());
    }
}
