//! A stream read from standard input (`coach scan -`): a saved CI job log, `gh run view --log`,
//! anything piped in. Memory stays bounded whatever the input's size: the stream is read in chunks
//! of whole lines (about [`CHUNK_BYTES`]), each chunk one [`ScanUnit`] with the stream's own line
//! numbers, and only a few chunks are held at once. The last lines of a chunk are carried into the
//! next one, so a secret spanning lines (a PEM key) across a boundary is still seen whole; a hit in
//! the carried lines is found twice and kept once (`ScanOutcome::sort`).
use super::{regions_from_lines, Collected, Notice, ScanOutcome, ScanUnit, UnitScan};
use crate::finding::Exposure;
use std::io::BufRead;

/// Text per chunk (whole lines; a chunk ends at the first line that reaches it).
pub const CHUNK_BYTES: usize = 1 << 20;
/// Lines carried from one chunk into the next: longer than any multi-line credential coach knows
/// (a 4096-bit RSA key in PEM is about 50 lines).
pub const OVERLAP_LINES: usize = 64;
/// Bytes carried at most, whatever the line count.
pub const OVERLAP_BYTES: usize = 64 << 10;
/// A line longer than this is scanned in pieces of this size (a minified blob, a base64 dump).
pub const MAX_LINE: usize = 1 << 20;
/// Bytes of a long line repeated at the start of its next piece, so a token across the cut is seen.
pub const PIECE_OVERLAP: usize = 4 << 10;

/// What the stream is and how exposed its text is.
#[derive(Debug, Clone)]
pub struct Stream {
    /// The path findings carry: `<stdin>`, or the label given (a job name, a URL, a workflow path).
    pub label: String,
    pub exposure: Exposure,
    pub chunk_bytes: usize,
    pub max_line: usize,
}

impl Stream {
    pub fn new(label: String, exposure: Exposure) -> Self {
        Stream {
            label,
            exposure,
            chunk_bytes: CHUNK_BYTES,
            max_line: MAX_LINE,
        }
    }
}

/// One piece of input: a whole line, or a piece of a line over `max_line`, with its line number.
struct Piece {
    no: u32,
    text: String,
}

/// Reads the next line of `r` into `buf` (cleared first), at most `cap` bytes. Returns whether a
/// line (or a piece of one) was read, and whether that line goes on after `cap` bytes.
fn read_capped(
    r: &mut impl BufRead,
    buf: &mut Vec<u8>,
    cap: usize,
) -> std::io::Result<(bool, bool)> {
    buf.clear();
    loop {
        let avail = match r.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if avail.is_empty() {
            return Ok((!buf.is_empty(), false));
        }
        let room = cap - buf.len();
        let take = avail.len().min(room);
        if let Some(i) = memchr(b'\n', &avail[..take]) {
            buf.extend_from_slice(&avail[..=i]);
            r.consume(i + 1);
            return Ok((true, false));
        }
        buf.extend_from_slice(&avail[..take]);
        r.consume(take);
        if buf.len() >= cap {
            return Ok((true, true));
        }
    }
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&b| b == needle)
}

/// The line's text: terminator (`\n`, `\r\n`) dropped, invalid UTF-8 as U+FFFD, so the ASCII
/// credentials around it are still found, and terminal escape sequences (the colours of a CI log)
/// removed: `ESC[32mghp_...` must not hide a token behind a word character. Columns then count
/// what a log viewer shows.
fn decode(bytes: &[u8]) -> String {
    if bytes.contains(&0x1b) {
        let stripped = strip_ansi_escapes::strip(bytes);
        return super::line_text(&stripped);
    }
    super::line_text(bytes)
}

/// Reads `input` to its end and scans it chunk by chunk. A read error stops the scan with a unit
/// error (exit 2): what was not read was not scanned.
pub fn scan(
    input: &mut impl BufRead,
    stream: &Stream,
    scan: UnitScan<'_>,
) -> (Collected, ScanOutcome) {
    use rayon::prelude::*;
    let mut collected = Collected {
        files: 1,
        ..Collected::default()
    };
    let mut outcome = ScanOutcome::default();
    // Chunks scanned together, one per worker: memory is a few chunks, never the input.
    let batch = rayon::current_num_threads().max(1);
    let mut ready: Vec<ScanUnit> = Vec::with_capacity(batch);
    let flush = |ready: &mut Vec<ScanUnit>, outcome: &mut ScanOutcome| {
        let found = ready
            .par_iter()
            .map(scan)
            .reduce(ScanOutcome::default, ScanOutcome::merge);
        let merged = std::mem::take(outcome).merge(found);
        *outcome = merged;
        // Overlapping chunks find the same hit twice: keep the outcome deduplicated as it grows.
        outcome.sort();
        ready.clear();
    };
    let mut chunk: Vec<Piece> = Vec::new();
    let mut chunk_len = 0usize;
    // Lines in `chunk` that the previous chunk already held (carried over).
    let mut carried = 0usize;
    let mut buf = Vec::with_capacity(8 << 10);
    let mut no: u32 = 0;
    let mut lines = 0usize;
    // Within a long line: the tail of the previous piece, repeated at the start of the next.
    let mut continuing: Option<Vec<u8>> = None;
    let mut long_lines: Vec<u32> = Vec::new();
    loop {
        let cap = stream.max_line - continuing.as_ref().map_or(0, Vec::len);
        let (got, more) = match read_capped(input, &mut buf, cap) {
            Ok(r) => r,
            Err(e) => {
                collected.errors.push(super::UnitError {
                    path: stream.label.clone(),
                    message: format!(
                        "reading standard input stopped after line {no}: {e}; the rest was not scanned"
                    ),
                });
                break;
            }
        };
        if !got {
            break;
        }
        let bytes = match continuing.take() {
            Some(mut head) => {
                head.extend_from_slice(&buf);
                head
            }
            None => {
                no = no.saturating_add(1);
                lines += 1;
                std::mem::take(&mut buf)
            }
        };
        if more {
            if long_lines.last() != Some(&no) {
                long_lines.push(no);
            }
            let keep = bytes.len().min(PIECE_OVERLAP);
            continuing = Some(bytes[bytes.len() - keep..].to_vec());
        }
        let text = decode(&bytes);
        if buf.capacity() == 0 {
            buf = bytes;
        }
        chunk_len += text.len() + 1;
        chunk.push(Piece { no, text });
        if chunk_len >= stream.chunk_bytes && chunk.len() > carried {
            let next = carry(&chunk);
            ready.push(unit(stream, &chunk));
            carried = next.len();
            chunk_len = next.iter().map(|p| p.text.len() + 1).sum();
            chunk = next;
            if ready.len() >= batch {
                flush(&mut ready, &mut outcome);
            }
        }
    }
    if chunk.len() > carried {
        ready.push(unit(stream, &chunk));
    }
    if !ready.is_empty() {
        flush(&mut ready, &mut outcome);
    }
    collected.lines = lines;
    if !long_lines.is_empty() {
        let shown: Vec<String> = long_lines.iter().take(5).map(u32::to_string).collect();
        let more = long_lines.len().saturating_sub(5);
        collected.notices.push(Notice {
            path: stream.label.clone(),
            commit: None,
            reason: format!(
                "{} line(s) over {} bytes (line {}{}): scanned in pieces overlapping by {} bytes; a finding's column counts from its piece",
                long_lines.len(),
                stream.max_line,
                shown.join(", "),
                if more > 0 { format!(" and {more} more") } else { String::new() },
                PIECE_OVERLAP
            ),
        });
    }
    (collected, outcome)
}

/// The last lines of a chunk, carried into the next: at most [`OVERLAP_LINES`] and about
/// [`OVERLAP_BYTES`] (always at least one line's worth of context is dropped, so the stream moves on).
fn carry(chunk: &[Piece]) -> Vec<Piece> {
    let mut bytes = 0usize;
    let mut n = 0usize;
    for p in chunk.iter().rev() {
        if n >= OVERLAP_LINES || n + 1 >= chunk.len() || bytes + p.text.len() > OVERLAP_BYTES {
            break;
        }
        bytes += p.text.len() + 1;
        n += 1;
    }
    chunk[chunk.len() - n..]
        .iter()
        .map(|p| Piece {
            no: p.no,
            text: p.text.clone(),
        })
        .collect()
}

/// A chunk as one unit: consecutive lines form a region, and each piece of a long line starts its
/// own (same line number, so findings keep the stream's line numbers).
fn unit(stream: &Stream, chunk: &[Piece]) -> ScanUnit {
    ScanUnit {
        path: stream.label.clone(),
        exposure: stream.exposure,
        commit: None,
        regions: regions_from_lines(chunk.iter().map(|p| (p.no, p.text.clone()))),
        keystore: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// Runs the stream through a scan that records each unit's regions and reports nothing.
    fn units(input: &[u8], chunk_bytes: usize, max_line: usize) -> (Vec<ScanUnit>, Collected) {
        let seen = Mutex::new(Vec::new());
        let s = Stream {
            label: "<stdin>".into(),
            exposure: Exposure::CiLog,
            chunk_bytes,
            max_line,
        };
        let record = |u: &ScanUnit| {
            seen.lock().unwrap().push(u.clone());
            ScanOutcome::default()
        };
        let (c, _) = scan(&mut &input[..], &s, &record);
        let mut v = seen.into_inner().unwrap();
        v.sort_by_key(|u| u.regions[0].first_line);
        (v, c)
    }

    #[test]
    fn chunks_carry_lines_and_keep_line_numbers() {
        let text: String = (1..=100).map(|i| format!("line {i:03}\n")).collect();
        let (units, c) = units(text.as_bytes(), 100, MAX_LINE);
        assert_eq!(c.lines, 100);
        assert!(units.len() > 5);
        for u in &units {
            let r = &u.regions[0];
            let first: u32 = r.text[5..8].parse().unwrap();
            assert_eq!(first, r.first_line, "a region starts at its own line");
        }
        // Consecutive chunks overlap: each starts before the previous one ends.
        for w in units.windows(2) {
            let prev_end = w[0].regions[0].first_line + w[0].regions[0].text.lines().count() as u32;
            assert!(w[1].regions[0].first_line < prev_end);
        }
        let last = units.last().unwrap().regions[0]
            .text
            .lines()
            .last()
            .unwrap();
        assert_eq!(last, "line 100");
    }

    #[test]
    fn colour_codes_are_removed_before_scanning() {
        assert_eq!(decode(b"\x1b[32mghp_x\x1b[0m done\r\n"), "ghp_x done");
        assert_eq!(decode(b"a\tb\n"), "a\tb");
    }

    #[test]
    fn crlf_and_invalid_utf8_are_lines_too() {
        let (units, c) = units(b"a\r\nb\xff\r\nc", 1 << 20, MAX_LINE);
        assert_eq!(c.lines, 3);
        assert_eq!(units[0].regions[0].text, "a\nb\u{fffd}\nc");
    }

    #[test]
    fn a_long_line_is_scanned_in_overlapping_pieces_at_its_own_number() {
        let mut input = b"first\n".to_vec();
        input.extend(std::iter::repeat_n(b'x', 3 * PIECE_OVERLAP));
        input.extend(b"\nlast\n");
        let (units, c) = units(&input, 1 << 20, 2 * PIECE_OVERLAP);
        let regions: Vec<(u32, usize)> = units[0]
            .regions
            .iter()
            .map(|r| (r.first_line, r.text.len()))
            .collect();
        assert_eq!(regions[0].0, 1);
        assert!(regions.iter().filter(|(n, _)| *n == 2).count() >= 2);
        // The line after the long one follows its last piece, so it is still numbered 3.
        let last = units[0].regions.last().unwrap();
        assert_eq!(last.first_line, 2);
        assert!(last.text.ends_with("x\nlast"));
        assert!(c.notices[0].reason.contains("line 2"));
    }
}
