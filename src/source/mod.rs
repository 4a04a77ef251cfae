//! Sources turn "what should be scanned" (the staged change, files on disk, pushed commits, history,
//! a stream on standard input) into [`ScanUnit`]s: a path, its added text grouped into regions with
//! line numbers, and how exposed that text already is. Sources never scan and never print.
mod construct;
pub mod gitdiff;
pub mod gitindex;
pub mod history;
mod largeblob;
pub mod paths;
pub mod push;
pub mod staged;
pub mod stream;

use crate::finding::{CommitInfo, Exposure, Finding};
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
    /// The file is a keystore (named like one and holding a keystore container): the credential is
    /// the file itself, reported by path.
    pub keystore: bool,
}

impl ScanUnit {
    pub fn added_lines(&self) -> usize {
        self.regions
            .iter()
            .map(|r| {
                // As `str::lines` counts, with `memchr` (this runs on every file, #15).
                let lf = memchr::memchr_iter(b'\n', r.text.as_bytes()).count();
                (lf + usize::from(!r.text.is_empty() && !r.text.ends_with('\n'))).max(1)
            })
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

impl Collected {
    /// Folds another collection into this one (the reduce step of parallel sources).
    pub fn merge(mut self, mut other: Collected) -> Self {
        self.units.append(&mut other.units);
        self.notices.append(&mut other.notices);
        self.errors.append(&mut other.errors);
        self.files += other.files;
        self.lines += other.lines;
        self
    }
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
            max_file_size: crate::config::DEFAULT_MAX_FILE_SIZE,
        }
    }
}

/// Bytes as text, invalid UTF-8 replaced by U+FFFD. Valid text (nearly all of it) is checked with
/// `str::from_utf8`, which reads ASCII a word at a time; `String::from_utf8_lossy` alone walks
/// every byte and was ten times slower on source code (1.3 ms of a 20-file commit, #15).
pub fn lossy(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// Strips the line terminator (`\n`, `\r\n` or a lone `\r`) and decodes lossily: invalid UTF-8
/// becomes U+FFFD so the ASCII credentials around it are still found.
pub fn line_text(bytes: &[u8]) -> String {
    let mut end = bytes.len();
    while end > 0 && matches!(bytes[end - 1], b'\n' | b'\r') {
        end -= 1;
    }
    lossy(&bytes[..end]).into_owned()
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
    text_region(lossy(bytes))
}

/// Decoded text as one region, CRLF normalised and a UTF-8 byte-order mark dropped.
pub fn text_region(text: std::borrow::Cow<'_, str>) -> Vec<Region> {
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => std::borrow::Cow::Owned(rest.to_owned()),
        None => text,
    };
    if text.is_empty() {
        return Vec::new();
    }
    // Normalise CRLF so line and column numbers match what an editor shows.
    let mut text = if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text.into_owned()
    };
    if text.ends_with('\n') {
        text.pop();
    }
    vec![Region {
        first_line: 1,
        text,
    }]
}

/// Same heuristic as Git: a NUL byte in the first 8000 bytes means binary. UTF-16 text has NUL
/// bytes too, so check [`decode_utf16`] first.
pub fn looks_binary(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(8000)].contains(&0)
}

/// UTF-16 text with a byte-order mark (what Windows tools such as PowerShell and regedit write),
/// decoded to UTF-8; `None` for anything else. Git calls such files binary, coach reads them.
pub fn decode_utf16(bytes: &[u8]) -> Option<String> {
    let (le, body) = match bytes {
        [0xff, 0xfe, rest @ ..] => (true, rest),
        [0xfe, 0xff, rest @ ..] => (false, rest),
        _ => return None,
    };
    let units = body.chunks_exact(2).map(|c| {
        if le {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    Some(
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect(),
    )
}

/// File types that are credentials in themselves (PKCS#12 bundles and Java keystores hold private
/// keys): staged or found on disk they are reported by path, whatever their bytes.
pub const CREDENTIAL_FILE_EXTENSIONS: &[&str] = &["p12", "pfx", "jks", "keystore", "bks"];

/// Bytes `is_keystore` needs to decide.
pub const KEYSTORE_HEAD: usize = 16;

/// Whether `bytes` start like a keystore container: PKCS#12 (a DER or BER SEQUENCE whose first
/// element is the version INTEGER 3), JKS (magic 0xFEEDFEED), JCEKS (0xCECECECE) or a Bouncy Castle
/// BKS/UBER store (version 1 or 2, then a plausible salt length). An empty file or random bytes
/// under a keystore's name are not one: they are scanned like any other file.
pub fn is_keystore(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xfe, 0xed, 0xfe, 0xed]) || bytes.starts_with(&[0xce, 0xce, 0xce, 0xce])
    {
        return true;
    }
    if bytes.len() >= 12 && bytes[..3] == [0, 0, 0] && matches!(bytes[3], 1 | 2) {
        let salt = u32::from_be_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]);
        return (8..=64).contains(&salt);
    }
    if bytes.first() != Some(&0x30) {
        return false;
    }
    // The SEQUENCE's length: short form, indefinite (BER) or 1-4 length bytes.
    let header = match bytes.get(1) {
        Some(0x00..=0x80) => 2,
        Some(&n @ 0x81..=0x84) => 2 + usize::from(n & 0x7f),
        _ => return false,
    };
    bytes.get(header..header + 3) == Some(&[0x02, 0x01, 0x03][..])
}

/// Whether `path` names a credential file by its extension (case-insensitive).
pub fn is_credential_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty()
            && CREDENTIAL_FILE_EXTENSIONS
                .iter()
                .any(|e| e.eq_ignore_ascii_case(ext))
    })
}

/// Appends `bytes` as added lines starting at line `no` to `regions`, decoding lossily and dropping
/// the line terminator, without a String per line: the hot path of diff line mapping.
pub fn push_line(regions: &mut Vec<Region>, last: &mut Option<u32>, no: u32, bytes: &[u8]) {
    let mut end = bytes.len();
    while end > 0 && matches!(bytes[end - 1], b'\n' | b'\r') {
        end -= 1;
    }
    let text = lossy(&bytes[..end]);
    match (regions.last_mut(), *last) {
        (Some(r), Some(prev)) if no == prev + 1 => {
            r.text.push('\n');
            r.text.push_str(&text);
        }
        _ => regions.push(Region {
            first_line: no,
            text: text.into_owned(),
        }),
    }
    *last = Some(no);
}

/// Git LFS pointer files hold no content of their own: the object lives on the LFS server.
pub fn is_lfs_pointer(bytes: &[u8]) -> bool {
    // The Git LFS spec: under 1024 bytes, UTF-8, the version line first, then only `key value`
    // lines with lower-case keys (oid, size, ext-...). Anything else is a file that merely starts
    // like a pointer, and is scanned like any other (a pointer line must not hide a secret below it).
    const MAX_POINTER: usize = 1024;
    if bytes.len() >= MAX_POINTER || !bytes.starts_with(b"version https://git-lfs.github.com/spec/")
    {
        return false;
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    text.lines().all(|line| {
        line.split_once(' ').is_some_and(|(key, value)| {
            !key.is_empty()
                && key
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
                && !value.contains(char::is_whitespace)
        })
    }) && text.lines().any(|l| l.starts_with("oid sha256:"))
        && text.lines().any(|l| l.starts_with("size "))
}

/// The one step every source hands each unit to (detection, then suppression): supplied by the
/// application's pipeline, so no source depends on the scanner.
pub type UnitScan<'a> = &'a (dyn Fn(&ScanUnit) -> ScanOutcome + Sync);

/// What scanning produced: findings sorted by (path, line, column, rule), and notices.
#[derive(Debug, Default)]
pub struct ScanOutcome {
    pub findings: Vec<Finding>,
    pub notices: Vec<Notice>,
    /// Units that could not be fully scanned: these force exit code 2.
    pub errors: Vec<UnitError>,
}

impl ScanOutcome {
    /// Folds another outcome into this one (the reduce step of every parallel scan), so no field,
    /// errors least of all, can be forgotten by one of the callers.
    pub fn merge(mut self, mut other: ScanOutcome) -> Self {
        self.findings.append(&mut other.findings);
        self.notices.append(&mut other.notices);
        self.errors.append(&mut other.errors);
        self
    }

    pub fn sort(&mut self) {
        self.findings.sort_by(|a, b| {
            (
                &a.path,
                a.line,
                a.column,
                &a.rule_id,
                a.commit.as_ref().map(|c| &c.id),
            )
                .cmp(&(
                    &b.path,
                    b.line,
                    b.column,
                    &b.rule_id,
                    b.commit.as_ref().map(|c| &c.id),
                ))
        });
        // The same hit reached twice (overlapping inputs) is one finding. So is the same secret
        // found twice on one line by one rule: the windows of a very long line overlap, and each
        // counts columns from its own start (a 16 MB line of 100 tokens gave 102 findings).
        let keep: Vec<bool> = {
            let mut seen = std::collections::HashSet::new();
            self.findings
                .iter()
                .map(|f| {
                    seen.insert((
                        f.path.as_str(),
                        f.line,
                        f.rule_id.as_str(),
                        f.commit.as_ref().map(|c| c.id.as_str()),
                        f.fingerprint.as_str(),
                    ))
                })
                .collect()
        };
        let mut keep = keep.into_iter();
        self.findings.retain(|_| keep.next().unwrap_or(true));
        self.notices.sort();
        self.notices.dedup();
        self.errors.sort();
        self.errors.dedup();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_real_lfs_pointer_is_one() {
        let ptr = "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n";
        assert!(is_lfs_pointer(ptr.as_bytes()));
        let smuggled = format!("{ptr}TOKEN = \"ghp_x\"\n");
        assert!(!is_lfs_pointer(smuggled.as_bytes()));
        assert!(!is_lfs_pointer(
            b"version https://git-lfs.github.com/spec/v1\n"
        ));
    }

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
    fn utf16_both_byte_orders_decode() {
        let le: Vec<u8> = [0xff, 0xfe, b'h', 0, b'i', 0].to_vec();
        let be: Vec<u8> = [0xfe, 0xff, 0, b'h', 0, b'i'].to_vec();
        assert_eq!(decode_utf16(&le).as_deref(), Some("hi"));
        assert_eq!(decode_utf16(&be).as_deref(), Some("hi"));
        assert_eq!(decode_utf16(b"hi"), None);
    }

    #[test]
    fn credential_files_by_extension() {
        assert!(is_credential_file("certs/Client.P12"));
        assert!(is_credential_file("release.jks"));
        assert!(!is_credential_file("docs/p12.md"));
        assert!(!is_credential_file(".jks"));
    }

    #[test]
    fn keystore_containers_are_told_by_their_first_bytes() {
        // PKCS#12: SEQUENCE (long and indefinite lengths) then INTEGER 3.
        assert!(is_keystore(&[
            0x30, 0x82, 0x0a, 0x00, 0x02, 0x01, 0x03, 0x30
        ]));
        assert!(is_keystore(&[
            0x30, 0x83, 0x01, 0x0a, 0x00, 0x02, 0x01, 0x03
        ]));
        assert!(is_keystore(&[0x30, 0x80, 0x02, 0x01, 0x03, 0x30, 0x80]));
        assert!(!is_keystore(&[0x30, 0x82, 0x0a, 0x00, 0x02, 0x01, 0x01]));
        // JKS, JCEKS, BKS.
        assert!(is_keystore(&[0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2]));
        assert!(is_keystore(&[0xce, 0xce, 0xce, 0xce, 0, 0, 0, 2]));
        assert!(is_keystore(&[0, 0, 0, 2, 0, 0, 0, 20, 1, 2, 3, 4]));
        assert!(!is_keystore(&[0, 0, 0, 2, 0, 0, 0, 0, 1, 2, 3, 4]));
        // Empty, text, random.
        assert!(!is_keystore(b""));
        assert!(!is_keystore(b"-----BEGIN CERTIFICATE-----"));
        assert!(!is_keystore(&[
            0x8c, 0x11, 0x9e, 0x02, 0x41, 0xf3, 0x00, 0x17
        ]));
    }

    #[test]
    fn push_line_joins_consecutive_lines() {
        let (mut r, mut last) = (Vec::new(), None);
        push_line(&mut r, &mut last, 3, b"a\r\n");
        push_line(&mut r, &mut last, 4, b"b\n");
        push_line(&mut r, &mut last, 9, b"c");
        assert_eq!((r[0].first_line, r[0].text.as_str()), (3, "a\nb"));
        assert_eq!((r[1].first_line, r[1].text.as_str()), (9, "c"));
    }

    #[test]
    fn whole_file_normalises_crlf() {
        let r = whole_file_region(b"x = 1\r\ny = 2\r\n");
        assert_eq!(r[0].text, "x = 1\ny = 2");
    }
}
