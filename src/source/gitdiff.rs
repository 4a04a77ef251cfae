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
use git2::{Delta, Diff, DiffOptions, FileMode, Oid, Patch, Repository, Tree};
use std::borrow::Cow;
use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read};
use std::sync::Arc;

/// Bytes of one streamed chunk of added text, and of one window of an over-long line.
const CHUNK: usize = 1 << 20;
/// Windows of an over-long line overlap by this much, so a credential (a PEM private key is ~3 KiB)
/// that straddles a window boundary is whole in one of them.
const OVERLAP: usize = 16 << 10;
/// Git's own sniffing window for NUL bytes.
const SNIFF: usize = 8000;

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
            Some(String::from_utf8_lossy(body))
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
    diff: &Diff<'_>,
    exposure: Exposure,
    commit: Option<&Arc<CommitInfo>>,
    others: &[Tree<'_>],
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
        let in_other = |t: &Tree<'_>| t.get_path(std::path::Path::new(&path)).ok();
        if others.iter().any(|t| {
            in_other(t).is_some_and(|e| e.id() == new.id() && e.filemode() == i32::from(new.mode()))
        }) {
            // A merge took this file from another parent as it is: reported at that side's commits.
            continue;
        }
        out.files += 1;
        let unit = |regions: Vec<Region>| ScanUnit {
            path: path.clone(),
            exposure,
            commit: commit.cloned(),
            regions,
            keystore: false,
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
        if is_credential_file(&path) && keystore_blob(repo, new.id(), limits) {
            // The file is the credential: the scanner reports it by path.
            emit(ScanUnit {
                keystore: true,
                ..unit(Vec::new())
            });
            continue;
        }
        let old_id = Some(delta.old_file().id()).filter(|id| !id.is_zero());
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
            match read_added(repo, Some(e.id()), new.id(), limits, None, &mut sink) {
                Ok(_) => keep.push(set),
                Err(e) => failed = Some(e),
            }
        }
        if let Some(message) = failed {
            out.errors.push(UnitError { path, message });
            continue;
        }
        let filter = |no: u32| keep.iter().all(|s| s.contains(&no));
        let filter: Option<&dyn Fn(u32) -> bool> =
            if keep.is_empty() { None } else { Some(&filter) };
        let mut emitted = false;
        let mut sink = |regions: Vec<Region>| {
            if !regions.is_empty() {
                emitted = true;
                emit(unit(regions));
            }
        };
        match read_added(repo, old_id, new.id(), limits, filter, &mut sink) {
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
enum Added {
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
        return stream_added(repo, old, new, keep, sink);
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
            // The old side only matters for what is unchanged: binary reads as lossy text.
            let old_text = decode(old_blob.content())
                .unwrap_or_else(|| String::from_utf8_lossy(old_blob.content()));
            let added = text_patch(old_text.as_bytes(), new_text.as_bytes())?;
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
    let Some(new_text) = decode(new) else {
        return Ok(None);
    };
    let old_text = decode(old).unwrap_or_else(|| String::from_utf8_lossy(old));
    text_patch(old_text.as_bytes(), new_text.as_bytes()).map(Some)
}

fn text_patch(old: &[u8], new: &[u8]) -> Result<Vec<Region>, String> {
    let mut opts = DiffOptions::new();
    opts.context_lines(0).interhunk_lines(0).force_text(true);
    let patch =
        Patch::from_buffers(old, None, new, None, Some(&mut opts)).map_err(|e| read_error(&e))?;
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
            push_line(&mut regions, &mut last, no, line.content());
        }
    }
    Ok(regions)
}

/// Runs `f` over a blob as a byte stream, read through `git cat-file` (a hook always has `git`).
/// libgit2 cannot stream it: it streams loose objects only, and git2 0.19's `OdbReader::read`
/// reports a full buffer on every call, so it never ends. `f` may stop early (a binary blob needs
/// only its first bytes).
fn with_blob_stream<T>(
    repo: &Repository,
    id: Oid,
    f: impl FnOnce(&mut dyn std::io::Read) -> std::io::Result<T>,
) -> Result<T, String> {
    let failed = |e: &dyn std::fmt::Display| format!("could not read blob {id}: {e}");
    let mut child = std::process::Command::new("git")
        .arg("--git-dir")
        .arg(repo.path())
        .args(["cat-file", "blob", &id.to_string()])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| failed(&format!("running git cat-file: {e}")))?;
    let Some(mut stdout) = child.stdout.take() else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(failed(&"git cat-file gave no output"));
    };
    let result = f(&mut stdout).map_err(|e| failed(&e));
    // Read to the end: cat-file's exit status then says whether the content was complete. A
    // reader that stopped early is done with the blob: stop cat-file instead of draining it.
    let at_end = matches!(stdout.read(&mut [0u8; 1]), Ok(0));
    drop(stdout);
    if !at_end {
        let _ = child.kill();
    }
    let status = child.wait().map_err(|e| failed(&e))?;
    let value = result?;
    if at_end && !status.success() {
        return Err(failed(&format!("git cat-file exited with {status}")));
    }
    Ok(value)
}

/// Decodes UTF-16 (either byte order) to UTF-8 as a stream.
struct Utf16Reader<R> {
    inner: R,
    le: bool,
    pending: Vec<u8>,
    out: Vec<u8>,
    pos: usize,
}

impl<R: std::io::Read> std::io::Read for Utf16Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.pos == self.out.len() {
            let mut chunk = [0u8; 8192];
            let n = self.inner.read(&mut chunk)?;
            self.out.clear();
            self.pos = 0;
            if n == 0 {
                if self.pending.is_empty() {
                    return Ok(0);
                }
                // A dangling byte or lone surrogate at the end: one replacement character.
                self.pending.clear();
                self.out.extend_from_slice("\u{fffd}".as_bytes());
                break;
            }
            self.pending.extend_from_slice(&chunk[..n]);
            let mut units: Vec<u16> = self
                .pending
                .chunks_exact(2)
                .map(|c| {
                    if self.le {
                        u16::from_le_bytes([c[0], c[1]])
                    } else {
                        u16::from_be_bytes([c[0], c[1]])
                    }
                })
                .collect();
            let mut used = units.len() * 2;
            // Keep a trailing high surrogate for the next chunk, where its pair may be.
            if units.last().is_some_and(|u| (0xd800..0xdc00).contains(u)) {
                units.pop();
                used -= 2;
            }
            self.pending.drain(..used);
            let text: String = char::decode_utf16(units)
                .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                .collect();
            self.out.extend_from_slice(text.as_bytes());
        }
        let n = buf.len().min(self.out.len() - self.pos);
        buf[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// Calls `f(line number, bytes, windowed)` for every line of `r` (decoded per `enc`, without its
/// line terminator). A line longer than [`CHUNK`] is handed over in windows that overlap by
/// [`OVERLAP`] bytes, each with `windowed` set, so no line is ever held whole.
fn stream_lines(
    r: &mut dyn std::io::Read,
    enc: Encoding,
    f: &mut dyn FnMut(u32, &[u8], bool),
) -> std::io::Result<()> {
    let mut r: Box<dyn BufRead + '_> = match enc {
        Encoding::Utf16 { le, bom } => {
            let mut skip = [0u8; 2];
            if bom {
                r.read_exact(&mut skip)?;
            }
            Box::new(BufReader::with_capacity(
                64 << 10,
                Utf16Reader {
                    inner: r,
                    le,
                    pending: Vec::new(),
                    out: Vec::new(),
                    pos: 0,
                },
            ))
        }
        _ => Box::new(BufReader::with_capacity(64 << 10, r)),
    };
    let mut line: Vec<u8> = Vec::new();
    let mut no: u32 = 1;
    let mut windowed = false;
    let mut first = true;
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            if !line.is_empty() || windowed {
                f(no, trim_cr(&line), windowed);
            }
            return Ok(());
        }
        let nl = buf.iter().position(|&b| b == b'\n');
        // `line` is always shorter than CHUNK here: a full window is handed over below.
        let take = nl.map_or(buf.len(), |i| i + 1).min(CHUNK - line.len());
        let ends = nl.is_some_and(|i| take == i + 1);
        line.extend_from_slice(&buf[..take]);
        r.consume(take);
        if first {
            // A UTF-8 byte-order mark is not part of the first line's text.
            if line.starts_with(b"\xef\xbb\xbf") {
                line.drain(..3);
            }
            first = false;
        }
        if ends {
            line.pop();
            f(no, trim_cr(&line), windowed);
            line.clear();
            windowed = false;
            no += 1;
        } else if line.len() >= CHUNK {
            f(no, &line, true);
            windowed = true;
            line.drain(..line.len() - OVERLAP);
        }
    }
}

/// A stream whose first bytes were read ahead to sniff them, put back in front.
type Sniffed<'a> = std::io::Chain<std::io::Cursor<Vec<u8>>, &'a mut dyn std::io::Read>;

/// Reads a blob's first bytes to decide its encoding; the stream returned still starts at byte 0.
fn sniffed(r: &mut dyn std::io::Read) -> std::io::Result<(Encoding, Sniffed<'_>)> {
    let mut head = Vec::with_capacity(SNIFF);
    (&mut *r).take(SNIFF as u64).read_to_end(&mut head)?;
    let enc = sniff(&head);
    Ok((enc, std::io::Cursor::new(head).chain(r)))
}

fn trim_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

fn line_hash(line: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    line.hash(&mut h);
    h.finish()
}

/// The streamed form of [`read_added`], for blobs over `max-file-size`: a line of `new` is added
/// when `old` has no line with the same content (a diff cannot run without both files in memory;
/// a line that only moved is not new content). Added lines go to `sink` in chunks of about
/// [`CHUNK`] bytes. An over-long line is always scanned, in windows.
fn stream_added(
    repo: &Repository,
    old: Option<Oid>,
    new: Oid,
    keep: Option<&dyn Fn(u32) -> bool>,
    sink: &mut dyn FnMut(Vec<Region>),
) -> Result<Added, String> {
    let mut seen: HashSet<u64> = HashSet::new();
    if let Some(old) = old {
        with_blob_stream(repo, old, |r| {
            let (enc, mut r) = sniffed(r)?;
            // The old side only matters for what is unchanged: binary reads as lossy text.
            let enc = if enc == Encoding::Binary {
                Encoding::Utf8
            } else {
                enc
            };
            stream_lines(&mut r, enc, &mut |_, line, windowed| {
                if !windowed {
                    seen.insert(line_hash(line));
                }
            })
        })?;
    }
    let mut regions = Vec::new();
    let mut last = None;
    let mut bytes = 0usize;
    let mut windowed_lines: Vec<(u32, u64)> = Vec::new();
    let found = with_blob_stream(repo, new, |r| {
        let (enc, mut r) = sniffed(r)?;
        if enc == Encoding::Binary {
            return Ok(Some(Added::Binary));
        }
        if is_lfs_pointer(r.get_ref().0.get_ref()) {
            return Ok(Some(Added::LfsPointer));
        }
        stream_lines(&mut r, enc, &mut |no, line, windowed| {
            if keep.is_some_and(|k| !k(no)) || (!windowed && seen.contains(&line_hash(line))) {
                return;
            }
            if windowed {
                // Each window is its own region: it is a slice of one line, not a line.
                match windowed_lines.last_mut() {
                    Some((n, len)) if *n == no => {
                        *len += line.len().saturating_sub(OVERLAP) as u64;
                    }
                    _ => windowed_lines.push((no, line.len() as u64)),
                }
                sink(std::mem::take(&mut regions));
                sink(vec![Region {
                    first_line: no,
                    text: String::from_utf8_lossy(line).into_owned(),
                }]);
                last = None;
                bytes = 0;
                return;
            }
            push_line(&mut regions, &mut last, no, line);
            bytes += line.len() + 1;
            if bytes >= CHUNK {
                sink(std::mem::take(&mut regions));
                last = None;
                bytes = 0;
            }
        })
        .map(|()| None)
    })?;
    if let Some(skipped) = found {
        return Ok(skipped);
    }
    sink(regions);
    Ok(Added::Text {
        windowed: windowed_lines,
    })
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

    #[test]
    fn utf16_without_bom_decodes() {
        assert_eq!(decode(b"h\0i\0").as_deref(), Some("hi"));
    }

    #[test]
    fn an_over_long_line_comes_in_overlapping_windows() {
        let mut text = vec![b'a'; CHUNK + 10];
        text.extend_from_slice(b"\r\nshort\n");
        let mut seen = Vec::new();
        stream_lines(&mut &text[..], Encoding::Utf8, &mut |no, l, w| {
            seen.push((no, l.len(), w));
        })
        .unwrap();
        assert_eq!(
            seen,
            vec![(1, CHUNK, true), (1, OVERLAP + 10, true), (2, 5, false)]
        );
    }

    #[test]
    fn utf16_stream_matches_whole_decoding() {
        let s = "k=\u{1F600}v\nnext\n";
        let bytes: Vec<u8> = s.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let mut lines = Vec::new();
        stream_lines(
            &mut &bytes[..],
            Encoding::Utf16 {
                le: true,
                bom: false,
            },
            &mut |_, l, _| {
                lines.push(String::from_utf8_lossy(l).into_owned());
            },
        )
        .unwrap();
        assert_eq!(lines, vec!["k=\u{1F600}v", "next"]);
    }
}
