//! Sources turn "what should be scanned" (the staged change, files on disk, pushed commits, history)
//! into [`ScanUnit`]s: a path, its added text grouped into regions with line numbers, and how exposed
//! that text already is. Sources never scan and never print.
pub mod gitdiff;
pub mod history;
pub mod paths;
pub mod push;
pub mod staged;

use crate::finding::{CommitInfo, Exposure};
use serde::Serialize;
use std::sync::Arc;

/// Consecutive added lines, joined with `\n`, starting at `first_line` (1-based) of the new file.
#[derive(Debug, Clone)]
pub struct Region {
    pub first_line: u32,
    pub text: String,
}

/// One file's added content at one exposure (and, for history, one commit).
#[derive(Debug, Clone)]
pub struct ScanUnit {
    pub path: String,
    pub exposure: Exposure,
    pub commit: Option<Arc<CommitInfo>>,
    pub regions: Vec<Region>,
}

impl ScanUnit {
    pub fn added_lines(&self) -> usize {
        self.regions
            .iter()
            .map(|r| r.text.lines().count().max(1))
            .sum()
    }
}

/// Something coach deliberately did not scan, said out loud so it is never a silent pass.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Notice {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    pub reason: String,
}

/// A unit that could not be read: forces exit code 2.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct UnitError {
    pub path: String,
    pub message: String,
}

/// What a source collected.
#[derive(Debug, Default)]
pub struct Collected {
    pub units: Vec<ScanUnit>,
    pub notices: Vec<Notice>,
    pub errors: Vec<UnitError>,
    /// Files looked at (including those skipped with a notice).
    pub files: usize,
    /// Lines already scanned and dropped from `units` (streaming sources keep only the count).
    pub lines: usize,
}

/// Limits every source honours.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Files (or added text of one file) larger than this are skipped with a notice.
    pub max_file_size: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_size: 10 * 1024 * 1024,
        }
    }
}

/// Strips the line terminator (`\n`, `\r\n` or a lone `\r`) and decodes lossily: invalid UTF-8
/// becomes U+FFFD so the ASCII credentials around it are still found.
pub fn line_text(bytes: &[u8]) -> String {
    let mut end = bytes.len();
    while end > 0 && matches!(bytes[end - 1], b'\n' | b'\r') {
        end -= 1;
    }
    String::from_utf8_lossy(&bytes[..end]).into_owned()
}

/// Groups (line number, text) pairs, in ascending line order, into regions of consecutive lines.
pub fn regions_from_lines(lines: impl IntoIterator<Item = (u32, String)>) -> Vec<Region> {
    let mut regions: Vec<Region> = Vec::new();
    let mut last: Option<u32> = None;
    for (no, text) in lines {
        match (regions.last_mut(), last) {
            (Some(r), Some(prev)) if no == prev + 1 => {
                r.text.push('\n');
                r.text.push_str(&text);
            }
            _ => regions.push(Region {
                first_line: no,
                text,
            }),
        }
        last = Some(no);
    }
    regions
}

/// A whole file as one region: for path scans and for files added in full.
pub fn whole_file_region(bytes: &[u8]) -> Vec<Region> {
    if bytes.is_empty() {
        return Vec::new();
    }
    let text = String::from_utf8_lossy(bytes);
    // Normalise CRLF so line and column numbers match what an editor shows.
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text.into_owned()
    };
    vec![Region {
        first_line: 1,
        text: text.strip_suffix('\n').unwrap_or(&text).to_owned(),
    }]
}

/// Same heuristic as Git: a NUL byte in the first 8000 bytes means binary.
pub fn looks_binary(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(8000)].contains(&0)
}

/// Git LFS pointer files hold no content of their own: the object lives on the LFS server.
pub fn is_lfs_pointer(bytes: &[u8]) -> bool {
    bytes.starts_with(b"version https://git-lfs.github.com/spec/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consecutive_lines_share_a_region() {
        let r = regions_from_lines(vec![(1, "a".into()), (2, "b".into()), (5, "c".into())]);
        assert_eq!(r.len(), 2);
        assert_eq!((r[0].first_line, r[0].text.as_str()), (1, "a\nb"));
        assert_eq!((r[1].first_line, r[1].text.as_str()), (5, "c"));
    }

    #[test]
    fn line_text_strips_crlf_and_keeps_invalid_utf8() {
        assert_eq!(line_text(b"abc\r\n"), "abc");
        assert_eq!(line_text(b"a\xffb\n"), "a\u{fffd}b");
    }

    #[test]
    fn whole_file_normalises_crlf() {
        let r = whole_file_region(b"x = 1\r\ny = 2\r\n");
        assert_eq!(r[0].text, "x = 1\ny = 2");
    }
}
