//! Blobs over `max-file-size`, streamed through `git cat-file` instead of read whole: added lines
//! are found by line content and handed on in bounded chunks, and an over-long line is scanned in
//! overlapping windows. Memory holds a chunk plus one hash per line of the old version.
use super::gitdiff::{sniff, Added, Encoding, CHUNK, OVERLAP, SNIFF};
use super::{is_lfs_pointer, push_line, Region};
use git2::{Oid, Repository};
use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read};

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
pub(super) fn stream_lines(
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
pub(super) fn stream_added(
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
                    text: super::lossy(line).into_owned(),
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
                lines.push(crate::source::lossy(l).into_owned());
            },
        )
        .unwrap();
        assert_eq!(lines, vec!["k=\u{1F600}v", "next"]);
    }
}
