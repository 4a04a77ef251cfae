//! Turns a git2 diff into scan units: added lines only, mapped to the new file's line numbers, with
//! symlinks, submodules, binaries, LFS pointers and oversized files noted instead of scanned.
//!
//! With the repository at hand (the staged source), content is read more directly and more
//! stubbornly than a patch would: an added file is its blob (no patch to build), UTF-16 text with a
//! byte-order mark is decoded and diffed as text, and a file that `.gitattributes` calls binary but
//! that holds text is diffed anyway, so an attribute cannot hide a secret.
use super::{
    decode_utf16, is_credential_file, is_lfs_pointer, looks_binary, push_line, text_region,
    Collected, Limits, Notice, Region, ScanUnit, UnitError,
};
use crate::finding::{CommitInfo, Exposure};
use git2::{Delta, Diff, DiffDelta, DiffOptions, FileMode, Patch, Repository};
use std::borrow::Cow;
use std::sync::Arc;

/// Adds one unit (or notice, or error) per changed file of `diff` to `out`.
pub fn diff_to_units(
    diff: &Diff<'_>,
    exposure: Exposure,
    commit: Option<&Arc<CommitInfo>>,
    limits: Limits,
    out: &mut Collected,
) {
    let mut units = Vec::new();
    for_each_unit(None, diff, exposure, commit, limits, out, |u| units.push(u));
    out.units.append(&mut units);
}

/// Hands one unit per changed file of `diff` to `emit`, as soon as it is read, so a caller can scan
/// and drop it: memory then holds a few files, not the whole change. Notices, errors and the file
/// count go to `out`.
pub fn for_each_unit(
    repo: Option<&Repository>,
    diff: &Diff<'_>,
    exposure: Exposure,
    commit: Option<&Arc<CommitInfo>>,
    limits: Limits,
    out: &mut Collected,
    mut emit: impl FnMut(ScanUnit),
) {
    let commit_id = commit.map(|c| c.id.clone());
    let notice = |path: &str, reason: &str| Notice {
        path: path.to_owned(),
        commit: commit_id.clone(),
        reason: reason.to_owned(),
    };
    for i in 0..diff.deltas().len() {
        let Some(delta) = diff.get_delta(i) else {
            continue;
        };
        if matches!(
            delta.status(),
            Delta::Deleted | Delta::Unmodified | Delta::Ignored
        ) {
            continue;
        }
        let new = delta.new_file();
        let path = new
            .path_bytes()
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .unwrap_or_default();
        out.files += 1;
        let unit = |regions: Vec<Region>| ScanUnit {
            path: path.clone(),
            exposure,
            commit: commit.cloned(),
            regions,
        };
        match new.mode() {
            FileMode::Link => {
                out.notices.push(notice(
                    &path,
                    "symlink: the link is not followed, its target is not scanned",
                ));
                continue;
            }
            FileMode::Commit => {
                out.notices.push(notice(
                    &path,
                    "submodule: not scanned here; run coach in the submodule",
                ));
                continue;
            }
            _ => {}
        }
        if is_credential_file(&path) {
            // The file is the credential: the scanner reports it by path, whatever its bytes.
            emit(unit(Vec::new()));
            continue;
        }
        if new.size() > limits.max_file_size {
            out.notices.push(notice(
                &path,
                &format!(
                    "too large: {} bytes is over max-file-size ({} bytes), not scanned",
                    new.size(),
                    limits.max_file_size
                ),
            ));
            continue;
        }
        let read = match repo {
            Some(repo) if delta.status() == Delta::Added => added_file(repo, &delta),
            _ => patched_file(repo, diff, i, &delta),
        };
        match read {
            Ok(Content::Regions(regions)) => emit(unit(regions)),
            Ok(Content::Binary) => out.notices.push(notice(&path, "binary: not scanned")),
            Ok(Content::LfsPointer) => out.notices.push(notice(
                &path,
                "Git LFS pointer: the content lives on the LFS server, not scanned",
            )),
            Err(message) => out.errors.push(UnitError { path, message }),
        }
    }
}

enum Content {
    Regions(Vec<Region>),
    Binary,
    LfsPointer,
}

fn read_error(e: &git2::Error) -> String {
    format!("could not read the staged content: {}", e.message())
}

/// A file added in full: its blob is the added text.
fn added_file(repo: &Repository, delta: &DiffDelta<'_>) -> Result<Content, String> {
    let blob = repo
        .find_blob(delta.new_file().id())
        .map_err(|e| read_error(&e))?;
    let bytes = blob.content();
    if let Some(text) = decode_utf16(bytes) {
        return Ok(Content::Regions(text_region(Cow::Owned(text))));
    }
    if looks_binary(bytes) {
        return Ok(Content::Binary);
    }
    if is_lfs_pointer(bytes) {
        return Ok(Content::LfsPointer);
    }
    Ok(Content::Regions(text_region(String::from_utf8_lossy(
        bytes,
    ))))
}

/// A modified, renamed or copied file: the added lines of its patch.
fn patched_file(
    repo: Option<&Repository>,
    diff: &Diff<'_>,
    i: usize,
    delta: &DiffDelta<'_>,
) -> Result<Content, String> {
    let patch = Patch::from_diff(diff, i).map_err(|e| read_error(&e))?;
    match patch {
        Some(p) if !p.delta().flags().is_binary() => added_lines(&p),
        _ => match repo {
            Some(repo) => binary_by_git(repo, delta),
            None => Ok(Content::Binary),
        },
    }
}

/// The added lines of `new` against `old` as regions, the way a staged file is read: UTF-16 with a
/// byte-order mark is decoded, text is diffed as text. `None` for binary content. Used by the
/// fuzz targets and benchmarks to exercise diff line mapping without a repository.
pub fn diff_buffers(old: &[u8], new: &[u8]) -> Result<Option<Vec<Region>>, String> {
    let (old_text, new_text): (Cow<'_, [u8]>, Cow<'_, [u8]>) = match decode_utf16(new) {
        Some(n) => (
            Cow::Owned(decode_utf16(old).unwrap_or_default().into_bytes()),
            Cow::Owned(n.into_bytes()),
        ),
        None if !looks_binary(new) => (Cow::Borrowed(old), Cow::Borrowed(new)),
        None => return Ok(None),
    };
    match text_patch(&old_text, &new_text)? {
        Content::Regions(r) => Ok(Some(r)),
        Content::Binary | Content::LfsPointer => Ok(None),
    }
}

fn text_patch(old: &[u8], new: &[u8]) -> Result<Content, String> {
    let mut opts = DiffOptions::new();
    opts.context_lines(0).interhunk_lines(0).force_text(true);
    let patch =
        Patch::from_buffers(old, None, new, None, Some(&mut opts)).map_err(|e| read_error(&e))?;
    added_lines(&patch)
}

/// Git called the file binary (a NUL byte, or a `binary`/`-diff` attribute). Diff it as text when
/// it is UTF-16 or plain text after all; otherwise it is binary.
fn binary_by_git(repo: &Repository, delta: &DiffDelta<'_>) -> Result<Content, String> {
    let new = repo
        .find_blob(delta.new_file().id())
        .map_err(|e| read_error(&e))?;
    let old_id = delta.old_file().id();
    let old = if old_id.is_zero() {
        None
    } else {
        Some(repo.find_blob(old_id).map_err(|e| read_error(&e))?)
    };
    let old_bytes = old.as_ref().map_or(&[][..], |b| b.content());
    let (old_text, new_text): (Cow<'_, [u8]>, Cow<'_, [u8]>) = match decode_utf16(new.content()) {
        Some(n) => (
            Cow::Owned(decode_utf16(old_bytes).unwrap_or_default().into_bytes()),
            Cow::Owned(n.into_bytes()),
        ),
        None if !looks_binary(new.content()) => {
            (Cow::Borrowed(old_bytes), Cow::Borrowed(new.content()))
        }
        None => return Ok(Content::Binary),
    };
    text_patch(&old_text, &new_text)
}

fn added_lines(patch: &Patch<'_>) -> Result<Content, String> {
    let mut regions = Vec::new();
    let mut last = None;
    for h in 0..patch.num_hunks() {
        let n = patch
            .num_lines_in_hunk(h)
            .map_err(|e| e.message().to_owned())?;
        for l in 0..n {
            let line = patch
                .line_in_hunk(h, l)
                .map_err(|e| e.message().to_owned())?;
            if line.origin() != '+' {
                continue;
            }
            let Some(no) = line.new_lineno() else {
                continue;
            };
            if no == 1 && is_lfs_pointer(line.content()) {
                return Ok(Content::LfsPointer);
            }
            push_line(&mut regions, &mut last, no, line.content());
        }
    }
    Ok(Content::Regions(regions))
}
