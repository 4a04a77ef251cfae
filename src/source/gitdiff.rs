//! The one content-reading path for Git sources (the staged change, pushed commits, history): turns
//! a git2 diff into scan units of added lines, mapped to the new file's line numbers, with symlinks,
//! submodules, binaries and LFS pointers noted instead of scanned.
//!
//! Every file is read from its blobs, never through a patch Git builds for us, so the three sources
//! decide alike (#11):
//! - what is text is decided by content alone: UTF-16 (with or without a byte-order mark) is
//!   decoded, a NUL byte in the first 8,000 bytes otherwise means binary. `.gitattributes`
//!   (`binary`, `-diff`) is never consulted: an attribute cannot hide a secret;
//! - each side is decoded on its own, then the two texts are diffed as text;
//! - a blob over `max-file-size` is not skipped but streamed (through `git cat-file`): its added lines are found by line
//!   content and handed on in bounded chunks, and an over-long line is scanned in overlapping
//!   windows. Memory holds a chunk plus one hash per line of the old version, never the file.
use super::{
    decode_utf16, is_credential_file, is_keystore, is_lfs_pointer, push_line, regions_from_lines,
    text_region, Collected, Limits, Notice, Region, ScanUnit, UnitError,
};
use crate::finding::{CommitInfo, Exposure};
use git2::{Delta, Diff as TreeDiff, FileMode, Oid, Repository, Tree};
use gix_imara_diff::{Algorithm, Diff, InternedInput};
use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::Arc;

/// Bytes of one streamed chunk of added text, and of one window of an over-long line.
pub(super) const CHUNK: usize = 1 << 20;
/// Windows of an over-long line overlap by this much, so a credential (a PEM private key is ~3 KiB)
/// that straddles a window boundary is whole in one of them.
pub(super) const OVERLAP: usize = 16 << 10;
/// Git's own sniffing window for NUL bytes.
pub(super) const SNIFF: usize = 8000;

/// How a blob's bytes are read as text, decided from its first bytes only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16 { le: bool, bom: bool },
    Binary,
}

/// Decides how to read `prefix` (a blob's first bytes): a UTF-16 byte-order mark, else UTF-8 when
/// there is no NUL byte, else UTF-16 without a mark when every NUL byte sits on one side of the
/// code units (ASCII text in UTF-16), else binary. Attributes play no part.
pub fn sniff(prefix: &[u8]) -> Encoding {
    let prefix = &prefix[..prefix.len().min(SNIFF)];
    match prefix {
        [0xff, 0xfe, ..] => {
            return Encoding::Utf16 {
                le: true,
                bom: true,
            }
        }
        [0xfe, 0xff, ..] => {
            return Encoding::Utf16 {
                le: false,
                bom: true,
            }
        }
        _ => {}
    }
    if !prefix.contains(&0) {
        return Encoding::Utf8;
    }
    let units = prefix.len() / 2;
    let zeros = |parity: usize| {
        prefix
            .iter()
            .skip(parity)
            .step_by(2)
            .take(units)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zeros(0), zeros(1));
    // Mostly-ASCII UTF-16: the high byte of most units is 0, the low byte never is.
    if units >= 2 && even == 0 && odd * 2 >= units {
        Encoding::Utf16 {
            le: true,
            bom: false,
        }
    } else if units >= 2 && odd == 0 && even * 2 >= units {
        Encoding::Utf16 {
            le: false,
            bom: false,
        }
    } else {
        Encoding::Binary
    }
}

/// Whole bytes as text, per [`sniff`]: UTF-16 decoded, a UTF-8 byte-order mark dropped, invalid
/// UTF-8 replaced. `None` for binary.
pub fn decode(bytes: &[u8]) -> Option<Cow<'_, str>> {
    match sniff(bytes) {
        Encoding::Utf16 { le, bom } => {
            let body = if bom { &bytes[2..] } else { bytes };
            let mut marked = Vec::with_capacity(body.len() + 2);
            marked.extend_from_slice(if le { &[0xff, 0xfe] } else { &[0xfe, 0xff] });
            marked.extend_from_slice(body);
            decode_utf16(&marked).map(Cow::Owned)
        }
        Encoding::Utf8 => {
            let body = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
            Some(super::lossy(body))
        }
        Encoding::Binary => None,
    }
}

/// Hands the units of each changed file of `diff` to `emit` as soon as they are read, so a caller
/// can scan and drop them: memory then holds a few chunks, not the whole change. A large file comes
/// as several units (one per chunk of added text). Notices, errors and the file count go to `out`.
///
/// `others`: for a merge, the trees of its parents other than the first. A file that one of them
/// already has exactly as the merge has it came from that side and is skipped; otherwise only lines
/// that are new relative to every one of them are kept (what `git show --cc` shows).
#[allow(clippy::too_many_arguments)]
pub fn for_each_unit(
    repo: &Repository,
    diff: &TreeDiff<'_>,
    exposure: Exposure,
    commit: Option<&Arc<CommitInfo>>,
    others: &[Tree<'_>],
    limits: Limits,
    out: &mut Collected,
    mut emit: impl FnMut(ScanUnit),
) {
    for change in changes(diff) {
        for_change(
            repo, &change, exposure, commit, others, limits, out, &mut emit,
        );
    }
}

/// A file a diff adds or changes, as plain data: what reading it needs, and nothing tied to the
/// diff's repository handle, so another thread with its own handle can read it.
pub struct Change {
    path: String,
    new: Oid,
    mode: FileMode,
    /// The blob it replaces; none for an added file.
    old: Option<Oid>,
    /// Bytes of the new blob, as the diff knows them.
    pub size: u64,
}

/// The files `diff` adds or changes, in its order (deletions have nothing to scan).
pub fn changes(diff: &TreeDiff<'_>) -> Vec<Change> {
    diff.deltas()
        .filter(|d| {
            !matches!(
                d.status(),
                Delta::Deleted | Delta::Unmodified | Delta::Ignored
            )
        })
        .map(|d| {
            let new = d.new_file();
            Change {
                path: new
                    .path_bytes()
                    .map(|p| String::from_utf8_lossy(p).into_owned())
                    .unwrap_or_default(),
                new: new.id(),
                mode: new.mode(),
                old: Some(d.old_file().id()).filter(|id| !id.is_zero()),
                size: new.size(),
            }
        })
        .collect()
}

/// Reads one changed file and hands its units to `emit` (see [`for_each_unit`]).
#[allow(clippy::too_many_arguments)]
pub fn for_change(
    repo: &Repository,
    change: &Change,
    exposure: Exposure,
    commit: Option<&Arc<CommitInfo>>,
    others: &[Tree<'_>],
    limits: Limits,
    out: &mut Collected,
    emit: &mut dyn FnMut(ScanUnit),
) {
    let commit_id = commit.map(|c| c.id.clone());
    let notice = |path: &str, reason: &str| Notice {
        path: path.to_owned(),
        commit: commit_id.clone(),
        reason: reason.to_owned(),
    };
    let path = change.path.clone();
    let in_other = |t: &Tree<'_>| t.get_path(std::path::Path::new(&path)).ok();
    if others.iter().any(|t| {
        in_other(t).is_some_and(|e| e.id() == change.new && e.filemode() == i32::from(change.mode))
    }) {
        // A merge took this file from another parent as it is: reported at that side's commits.
        return;
    }
    out.files += 1;
    let unit = |regions: Vec<Region>| ScanUnit {
        path: path.clone(),
        exposure,
        commit: commit.cloned(),
        regions,
        keystore: false,
    };
    match change.mode {
        FileMode::Link => {
            out.notices.push(notice(
                &path,
                "symlink: the link is not followed, its target is not scanned",
            ));
            return;
        }
        FileMode::Commit => {
            out.notices.push(notice(
                &path,
                "submodule: not scanned here; run coach in the submodule",
            ));
            return;
        }
        _ => {}
    }
    if is_credential_file(&path) && keystore_blob(repo, change.new, limits) {
        // The file is the credential: the scanner reports it by path.
        emit(ScanUnit {
            keystore: true,
            ..unit(Vec::new())
        });
        return;
    }
    // Merge: the line numbers that are new relative to each other parent too.
    let mut keep: Vec<HashSet<u32>> = Vec::new();
    let mut failed = None;
    for t in others {
        let Some(e) = in_other(t).filter(|e| e.kind() == Some(git2::ObjectType::Blob)) else {
            continue;
        };
        let mut set = HashSet::new();
        let mut sink = |rs: Vec<Region>| {
            for r in rs {
                let n = r.text.split('\n').count() as u32;
                set.extend(r.first_line..r.first_line + n);
            }
        };
        match read_added(repo, Some(e.id()), change.new, limits, None, &mut sink) {
            Ok(_) => keep.push(set),
            Err(e) => failed = Some(e),
        }
    }
    if let Some(message) = failed {
        out.errors.push(UnitError { path, message });
        return;
    }
    let filter = |no: u32| keep.iter().all(|s| s.contains(&no));
    let filter: Option<&dyn Fn(u32) -> bool> = if keep.is_empty() { None } else { Some(&filter) };
    let mut emitted = false;
    let mut sink = |regions: Vec<Region>| {
        if !regions.is_empty() {
            emitted = true;
            emit(unit(regions));
        }
    };
    match read_added(repo, change.old, change.new, limits, filter, &mut sink) {
        Ok(Added::Text { windowed }) => {
            if !emitted && others.is_empty() {
                // Nothing added (a rename, a deleted line): still one unit, so it is counted.
                emit(unit(Vec::new()));
            }
            for (line, len) in windowed {
                out.notices.push(notice(
                    &path,
                    &format!(
                        "line {line} is {len} bytes long: scanned in overlapping windows of {CHUNK} bytes (columns count from each window)"
                    ),
                ));
            }
        }
        Ok(Added::Binary) => out.notices.push(notice(&path, "binary: not scanned")),
        Ok(Added::LfsPointer) => out.notices.push(notice(
            &path,
            "Git LFS pointer: the content lives on the LFS server, not scanned",
        )),
        Err(message) => out.errors.push(UnitError { path, message }),
    }
}

/// Whether a blob named like a keystore holds one. A blob that cannot be checked (unreadable, over
/// `max-file-size`, or an LFS pointer whose content lives elsewhere) is reported by its name.
fn keystore_blob(repo: &Repository, id: Oid, limits: Limits) -> bool {
    let Ok(odb) = repo.odb() else {
        return true;
    };
    match odb.read_header(id) {
        Ok((size, _)) if size as u64 <= limits.max_file_size => {}
        _ => return true,
    }
    repo.find_blob(id)
        .map(|b| is_keystore(b.content()) || is_lfs_pointer(b.content()))
        .unwrap_or(true)
}

/// What reading a file's added content found.
pub(super) enum Added {
    /// Text; the lines (number, length in bytes) that were too long to scan whole.
    Text {
        windowed: Vec<(u32, u64)>,
    },
    Binary,
    LfsPointer,
}

fn read_error(e: &git2::Error) -> String {
    format!("could not read the content: {}", e.message())
}

/// Stops libgit2 from re-hashing every object it reads to check it against its id: coach only reads,
/// Git itself does not check on read either, and it was a fifth of a history scan's time (SHA-1
/// with collision detection, #15). Process-wide; called before the first object read of a scan.
pub fn trust_object_ids() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| git2::opts::strict_hash_verification(false));
}

/// The added lines of blob `new` against blob `old` (a file added in full: every line), handed to
/// `sink` as regions; `keep` narrows them by line number. Small blobs are read whole and diffed;
/// a blob over `max-file-size` (either side) is streamed.
fn read_added(
    repo: &Repository,
    old: Option<Oid>,
    new: Oid,
    limits: Limits,
    keep: Option<&dyn Fn(u32) -> bool>,
    sink: &mut dyn FnMut(Vec<Region>),
) -> Result<Added, String> {
    trust_object_ids();
    let odb = repo.odb().map_err(|e| read_error(&e))?;
    let size = |id: Oid| {
        odb.read_header(id)
            .map(|(n, _)| n as u64)
            .map_err(|e| read_error(&e))
    };
    let big = size(new)? > limits.max_file_size
        || old.map(size).transpose()?.unwrap_or(0) > limits.max_file_size;
    if big {
        return super::largeblob::stream_added(repo, old, new, keep, sink);
    }
    let new_blob = repo.find_blob(new).map_err(|e| read_error(&e))?;
    let bytes = new_blob.content();
    if is_lfs_pointer(bytes) {
        return Ok(Added::LfsPointer);
    }
    let Some(new_text) = decode(bytes) else {
        return Ok(Added::Binary);
    };
    let regions = match old {
        None => text_region(new_text),
        Some(old) => {
            let old_blob = repo.find_blob(old).map_err(|e| read_error(&e))?;
            let added = added_lines(&diff_view(old_blob.content()), &diff_view(bytes));
            // Added lines inside an unchanged multi-line construct are read with it (#14).
            super::construct::widen(&new_text, added)
        }
    };
    let regions = match keep {
        Some(keep) => keep_lines(regions, keep),
        None => regions,
    };
    sink(regions);
    Ok(Added::Text {
        windowed: Vec::new(),
    })
}

/// Keeps the lines `keep` accepts, regrouped into regions of consecutive lines.
pub fn keep_lines(regions: Vec<Region>, keep: &dyn Fn(u32) -> bool) -> Vec<Region> {
    let mut lines = Vec::new();
    for r in regions {
        for (i, l) in r.text.split('\n').enumerate() {
            let no = r.first_line + i as u32;
            if keep(no) {
                lines.push((no, l.to_owned()));
            }
        }
    }
    regions_from_lines(lines)
}

/// The added lines of `new` against `old` as regions, the way every Git source reads a file:
/// decoded by content, diffed as text. `None` for binary content. Used by the fuzz targets and
/// benchmarks to exercise diff line mapping without a repository.
pub fn diff_buffers(old: &[u8], new: &[u8]) -> Result<Option<Vec<Region>>, String> {
    if sniff(new) == Encoding::Binary {
        return Ok(None);
    }
    Ok(Some(added_lines(&diff_view(old), &diff_view(new))))
}

/// A blob's bytes as the diff compares them: UTF-8 as stored (a byte-order mark dropped), UTF-16
/// decoded, binary as it is (the old side only matters for what is unchanged). Line N here is
/// line N of [`decode`]'s text: lossy replacement never adds or removes a line feed, so UTF-8 is
/// not validated just to be compared.
fn diff_view(bytes: &[u8]) -> Cow<'_, [u8]> {
    match sniff(bytes) {
        Encoding::Utf16 { .. } => match decode(bytes) {
            Some(text) => Cow::Owned(text.into_owned().into_bytes()),
            None => Cow::Borrowed(bytes),
        },
        Encoding::Utf8 => Cow::Borrowed(bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes)),
        Encoding::Binary => Cow::Borrowed(bytes),
    }
}

/// The lines of `new` that a line diff against `old` marks as added, as regions numbered in
/// `new`. The diff is imara-diff's Myers (the algorithm Git uses by default; gitoxide's maintained
/// copy, gix-imara-diff, whose preprocessing is linear: upstream 0.2.0 rescans from line 100 for
/// every frequent line, 220 s on a 400,000-line file of a few distinct lines), run here rather than
/// through libgit2's patch API, which looked up `.gitattributes` and the config for every blob pair
/// (~470,000 system calls on a 6,500-commit history) and hashed buffers again (#15).
fn added_lines(old: &[u8], new: &[u8]) -> Vec<Region> {
    let input = InternedInput::new(old, new);
    let diff = Diff::compute(Algorithm::Myers, &input);
    let mut regions = Vec::new();
    let mut last = None;
    if diff.count_additions() == 0 {
        return regions;
    }
    for (i, line) in gix_imara_diff::sources::byte_lines(new).enumerate() {
        if diff.is_added(i as u32) {
            push_line(&mut regions, &mut last, i as u32 + 1, line);
        }
    }
    regions
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniff_by_content_only() {
        assert_eq!(sniff(b"plain text"), Encoding::Utf8);
        assert_eq!(
            sniff(b"\xff\xfeh\0"),
            Encoding::Utf16 {
                le: true,
                bom: true
            }
        );
        assert_eq!(
            sniff(b"h\0i\0=\0x\0"),
            Encoding::Utf16 {
                le: true,
                bom: false
            }
        );
        assert_eq!(
            sniff(b"\0h\0i\0=\0x"),
            Encoding::Utf16 {
                le: false,
                bom: false
            }
        );
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0"),
            Encoding::Binary
        );
    }

    fn added(old: &[u8], new: &[u8]) -> Vec<(u32, String)> {
        diff_buffers(old, new)
            .unwrap()
            .unwrap()
            .into_iter()
            .map(|r| (r.first_line, r.text))
            .collect()
    }

    #[test]
    fn added_lines_are_numbered_in_the_new_text() {
        let old = b"a\nb\nc\nd\n";
        let new = b"a\nTOKEN=1\nb\nc\nd\nTAIL=2\nTAIL=3\n";
        assert_eq!(
            added(old, new),
            vec![(2, "TOKEN=1".into()), (6, "TAIL=2\nTAIL=3".into())]
        );
        // A file emptied of lines adds nothing; a binary new side is not text.
        assert!(added(new, b"").is_empty());
        assert!(diff_buffers(b"x", b"\x89PNG\0\0\0").unwrap().is_none());
    }

    #[test]
    fn encoding_alone_is_no_change() {
        // A byte-order mark added, invalid UTF-8 kept, or the file re-saved as UTF-16: only the
        // line that really changed is new.
        assert_eq!(
            added(b"k=1\nv=2\n", b"\xef\xbb\xbfk=1\nv=3\n"),
            vec![(2, "v=3".into())]
        );
        assert_eq!(
            added(b"\xc3=x\nv=2\n", b"\xc3=x\nv=3\n"),
            vec![(2, "v=3".into())]
        );
        let utf16: Vec<u8> = "k=1\nv=3\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(added(b"k=1\nv=2\n", &utf16), vec![(2, "v=3".into())]);
        // A changed line ending is a changed line, as Git sees it.
        assert_eq!(added(b"k=1\n", b"k=1\r\n"), vec![(1, "k=1".into())]);
    }

    #[test]
    fn a_file_of_few_distinct_lines_diffs_in_linear_preprocessing() {
        // Every line is frequent: the diff crate upstream rescanned the file from its start for
        // each one (quadratic, minutes at this size in a release build). A few seconds at most.
        let old: String = (0..60_000).map(|i| ["a\n", "}\n", "\n"][i % 3]).collect();
        let new: String = (0..60_000)
            .map(|i| ["a\n", "}\n", "\n", "b\n"][(i * 7 + i / 5) % 4])
            .collect();
        let regions = diff_buffers(old.as_bytes(), new.as_bytes())
            .unwrap()
            .unwrap();
        let lines: usize = regions.iter().map(|r| r.text.split('\n').count()).sum();
        assert!(lines >= 15_000, "every b line is new: {lines}");
    }

    #[test]
    fn utf16_without_bom_decodes() {
        assert_eq!(decode(b"h\0i\0").as_deref(), Some("hi"));
    }
}
