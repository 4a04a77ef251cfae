//! Derived text: the encoded, escaped and wrapped forms a credential takes, turned back into the
//! plain text the rules read (#14). Each derived region points at the lines it came from, so a
//! finding in it is reported where the encoded or escaped text is, and says how it was found.
//!
//! - base64 values (a Kubernetes Secret's `data:`, `.dockerconfigjson`, docker `auths.*.auth`, a
//!   service-account JSON in a variable): decoded when the result is printable text, the line
//!   rewritten with the decoded value so the key name stays beside it; decoded text is decoded
//!   once more (a `.dockerconfigjson` holds base64 `auth` values), no deeper;
//! - lines of string literals (Jupyter notebook cells and outputs, `"...\n" +` concatenation, JS
//!   arrays of lines): the literals joined and unescaped, one line for one line;
//! - `#`, `//`, `;`, `--`, `*` and `>`-prefixed lines around a `-----BEGIN`: the prefix removed;
//! - `\n`, `\\n` and `\/` escapes on a line holding a `-----BEGIN`: unescaped;
//! - CSV/TSV exports with a password, secret or token column: each row as `column = "value"`.
//!
//! Bounded: only lines under [`MAX_LINE`], at most [`MAX_DERIVED`] bytes of derived text per unit.
use crate::source::Region;
use base64::Engine;

/// A region of derived text and where it came from.
pub struct Derived {
    /// `first_line` is the original line of the derived text's first line.
    pub region: Region,
    /// Every finding in it is reported on these original lines (base64: the encoded line), rather
    /// than on `first_line` plus its offset in the derived text.
    pub clamp: Option<(u32, u32)>,
    /// How the text was found, for the finding's name.
    pub how: &'static str,
}

/// Longest line considered for decoding, in bytes.
const MAX_LINE: usize = 64 * 1024;
/// Most derived text per unit, in bytes.
const MAX_DERIVED: usize = 1024 * 1024;
/// Shortest base64 value decoded (12 bytes of text).
const MIN_B64: usize = 16;

pub const BASE64: &str = "found base64-encoded";
pub const ESCAPED: &str = "found in escaped or quoted lines";
pub const COMMENTED: &str = "found in commented-out lines";
pub const TABLE: &str = "found in a CSV/TSV column";

/// The derived regions of a unit's regions, in order.
pub fn derive(path: &str, regions: &[Region]) -> Vec<Derived> {
    let mut out = Vec::new();
    let mut budget = MAX_DERIVED;
    for region in regions {
        let lines = split_lines(&region.text);
        base64_lines(region.first_line, &lines, &mut out, &mut budget, 2);
        if region.text.contains("-----BEGIN") {
            literal_runs(region.first_line, &lines, &mut out, &mut budget);
            commented_runs(region.first_line, &lines, &mut out, &mut budget);
            escaped_lines(region.first_line, &lines, &mut out, &mut budget);
            padded(region.first_line, &lines, &mut out, &mut budget);
        } else if path.ends_with(".ipynb") {
            literal_runs(region.first_line, &lines, &mut out, &mut budget);
        }
        table(path, region, &lines, &mut out, &mut budget);
    }
    out
}

fn push(out: &mut Vec<Derived>, budget: &mut usize, d: Derived) {
    if d.region.text.len() <= *budget {
        *budget -= d.region.text.len();
        out.push(d);
    }
}

fn is_b64(b: u8) -> bool {
    B64[usize::from(b)]
}

/// The base64 alphabets (standard and URL-safe) as a table: this test runs on every byte (#15).
static B64: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_');
        i += 1;
    }
    t
};

/// The text's lines (split at line feeds), found with `memchr`.
pub fn split_lines(text: &str) -> Vec<&str> {
    let mut out = Vec::with_capacity(text.len() / 32 + 1);
    let mut at = 0;
    for i in memchr::memchr_iter(b'\n', text.as_bytes()) {
        out.push(&text[at..i]);
        at = i + 1;
    }
    out.push(&text[at..]);
    out
}

/// Decodes `token` (standard or URL-safe alphabet, padded or not) when the result is printable
/// UTF-8 text (tabs and line ends allowed).
pub fn decode_text(token: &str) -> Option<String> {
    let t = token.trim_end_matches('=');
    if t.len() < 8 || t.len() % 4 == 1 {
        return None;
    }
    let engine = if t.contains(['-', '_']) {
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
    } else {
        &base64::engine::general_purpose::STANDARD_NO_PAD
    };
    let bytes = engine.decode(t).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let printable = text
        .chars()
        .all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'));
    (printable && text.trim().len() >= 8).then_some(text)
}

/// The next maximal run of at least `min` base64 characters at or after `i`, as (start, end); the
/// byte before `i` must not be one. Probes every `min`-th byte, so text of short words and
/// punctuation is skipped rather than read byte by byte (this pass reads every line, #15).
fn next_run(b: &[u8], mut i: usize, min: usize) -> Option<(usize, usize)> {
    while i + min <= b.len() {
        let probe = i + min - 1;
        if !is_b64(b[probe]) {
            i = probe + 1;
            continue;
        }
        let mut s = probe;
        while s > i && is_b64(b[s - 1]) {
            s -= 1;
        }
        let mut e = probe + 1;
        while e < b.len() && is_b64(b[e]) {
            e += 1;
        }
        if e - s >= min {
            return Some((s, e));
        }
        i = e + 1;
    }
    None
}

/// Base64 values on each line, decoded; `depth` bounds decoding what was decoded.
fn base64_lines(
    first_line: u32,
    lines: &[&str],
    out: &mut Vec<Derived>,
    budget: &mut usize,
    depth: u8,
) {
    if depth == 0 {
        return;
    }
    for (i, line) in lines.iter().enumerate() {
        if line.len() > MAX_LINE || line.len() < MIN_B64 {
            continue;
        }
        let b = line.as_bytes();
        let mut from = 0;
        // A token shorter than this (before its padding) is too short to decode anyway.
        while let Some((start, run_end)) = next_run(b, from, MIN_B64 - 2) {
            let mut at = run_end;
            while at < b.len() && b[at] == b'=' {
                at += 1;
            }
            from = at;
            let token = &line[start..at];
            // Base64 of text nearly always holds a digit, `+`, `/` or padding; identifiers rarely
            // do, so most words are never decoded. Nor are hex runs (hashes, checksums): base64
            // of text is hex-only only when every third byte is in `h`..`~`.
            let plausible = token.len() >= MIN_B64
                && (token.ends_with('=')
                    || token
                        .bytes()
                        .any(|c| c.is_ascii_digit() || c == b'+' || c == b'/'))
                && !token
                    .trim_end_matches('=')
                    .bytes()
                    .all(|c| c.is_ascii_hexdigit());
            let Some(text) = plausible.then(|| decode_text(token)).flatten() else {
                continue;
            };
            let line_no = first_line + i as u32;
            let derived = if text.contains('\n') {
                text
            } else {
                // The key name stays beside the decoded value, as the rules expect it.
                format!("{}{}{}", &line[..start], text, &line[at..])
            };
            let nested = split_lines(&derived);
            let mut inner = Vec::new();
            base64_lines(line_no, &nested, &mut inner, budget, depth - 1);
            push(
                out,
                budget,
                Derived {
                    region: Region {
                        first_line: line_no,
                        text: derived,
                    },
                    clamp: Some((line_no, line_no)),
                    how: BASE64,
                },
            );
            for mut d in inner {
                d.clamp = Some((line_no, line_no));
                out.push(d);
            }
        }
    }
}

/// The content of a line that is one string literal (`"...",`, `'...' +`, `+ "..."`), unescaped,
/// without a trailing `\n` escape.
fn literal(line: &str) -> Option<String> {
    let t = line.trim();
    let t = t.strip_prefix('+').map_or(t, str::trim_start);
    // The first line of a concatenation may start with its assignment: `key = "...\n" +`.
    let t = match t.find(['"', '\'']) {
        Some(i) if i > 0 && t[..i].trim_end().ends_with(['=', '(', '[', ':', ',']) => &t[i..],
        _ => t,
    };
    let q = t.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let body = &t[1..];
    let mut s = String::new();
    let mut chars = body.chars();
    loop {
        match chars.next()? {
            '\\' => match chars.next()? {
                'n' | 'r' => {}
                't' => s.push('\t'),
                c => s.push(c),
            },
            c if c == q => break,
            c => s.push(c),
        }
    }
    let rest = chars.as_str().trim();
    rest.chars()
        .all(|c| matches!(c, ',' | '+' | ';' | ')' | ']' | '\\'))
        .then_some(s)
}

/// Runs of two or more string-literal lines, joined one line for one line.
fn literal_runs(first_line: u32, lines: &[&str], out: &mut Vec<Derived>, budget: &mut usize) {
    let mut i = 0;
    while i < lines.len() {
        let mut run = Vec::new();
        while let Some(s) = lines
            .get(i + run.len())
            .filter(|l| l.len() <= MAX_LINE)
            .and_then(|l| literal(l))
        {
            run.push(s);
        }
        if run.len() >= 2 {
            push(
                out,
                budget,
                Derived {
                    region: Region {
                        first_line: first_line + i as u32,
                        text: run.join("\n"),
                    },
                    clamp: None,
                    how: ESCAPED,
                },
            );
            i += run.len();
        } else {
            i += 1;
        }
    }
}

/// Comment or quote prefixes removed from runs of lines that hold a PEM block.
fn commented_runs(first_line: u32, lines: &[&str], out: &mut Vec<Derived>, budget: &mut usize) {
    fn strip(line: &str) -> Option<&str> {
        let t = line.trim_start();
        ["//", "#", ";", "--", "*", ">"]
            .iter()
            .find_map(|p| t.strip_prefix(p))
            .map(|r| r.trim())
    }
    let mut i = 0;
    while i < lines.len() {
        let mut n = 0;
        while lines.get(i + n).and_then(|l| strip(l)).is_some() {
            n += 1;
        }
        if n >= 2 {
            let text: Vec<&str> = lines[i..i + n].iter().filter_map(|l| strip(l)).collect();
            let text = text.join("\n");
            if text.contains("-----BEGIN") {
                push(
                    out,
                    budget,
                    Derived {
                        region: Region {
                            first_line: first_line + i as u32,
                            text,
                        },
                        clamp: None,
                        how: COMMENTED,
                    },
                );
            }
            i += n;
        } else {
            i += 1;
        }
    }
}

/// A line holding a PEM block with `\n`, `\\n` or `\/` escapes (JSON, .env), unescaped.
fn escaped_lines(first_line: u32, lines: &[&str], out: &mut Vec<Derived>, budget: &mut usize) {
    for (i, line) in lines.iter().enumerate() {
        if line.len() > MAX_LINE || !line.contains("-----BEGIN") || !line.contains("\\n") {
            continue;
        }
        let text = line
            .replace("\\\\n", "\n")
            .replace("\\n", "\n")
            .replace("\\/", "/")
            .replace("\\r", "");
        let line_no = first_line + i as u32;
        push(
            out,
            budget,
            Derived {
                region: Region {
                    first_line: line_no,
                    text,
                },
                clamp: Some((line_no, line_no)),
                how: ESCAPED,
            },
        );
    }
}

/// A region holding a PEM block whose lines carry trailing spaces or tabs: trimmed, line for line.
fn padded(first_line: u32, lines: &[&str], out: &mut Vec<Derived>, budget: &mut usize) {
    if !lines.iter().any(|l| l.ends_with([' ', '\t'])) {
        return;
    }
    let text: Vec<&str> = lines
        .iter()
        .map(|l| l.trim_end_matches([' ', '\t']))
        .collect();
    push(
        out,
        budget,
        Derived {
            region: Region {
                first_line,
                text: text.join("\n"),
            },
            clamp: None,
            how: ESCAPED,
        },
    );
}

/// Column names whose cells are credentials.
fn secret_column(name: &str) -> bool {
    let n = name.trim().trim_matches('"').to_ascii_lowercase();
    [
        "password", "passwd", "pwd", "secret", "token", "api_key", "apikey", "api key",
    ]
    .iter()
    .any(|w| n == *w || n.ends_with(&format!("_{w}")) || n.ends_with(&format!(" {w}")))
}

/// A CSV or TSV export whose header names a password, secret or token column: each row becomes
/// `column = "cell"` on its own line, so the generic rules judge the cell.
fn table(path: &str, region: &Region, lines: &[&str], out: &mut Vec<Derived>, budget: &mut usize) {
    let lower = path.to_ascii_lowercase();
    let sep = if lower.ends_with(".csv") {
        ','
    } else if lower.ends_with(".tsv") {
        '\t'
    } else {
        return;
    };
    // Only a region that starts at the header (the whole file, or an added header).
    let Some(header) = lines.first() else { return };
    let cols: Vec<&str> = header.split(sep).collect();
    let wanted: Vec<(usize, String)> = cols
        .iter()
        .enumerate()
        .filter(|(_, c)| secret_column(c))
        .map(|(i, c)| {
            (
                i,
                c.trim()
                    .trim_matches('"')
                    .to_ascii_lowercase()
                    .replace(' ', "_"),
            )
        })
        .collect();
    if wanted.is_empty() {
        return;
    }
    let mut text = String::new();
    for (li, line) in lines.iter().enumerate() {
        if li > 0 && line.len() <= MAX_LINE {
            let cells: Vec<&str> = line.split(sep).collect();
            for (i, name) in &wanted {
                if let Some(cell) = cells.get(*i).map(|c| c.trim().trim_matches('"')) {
                    if !cell.is_empty() {
                        text.push_str(&format!("{name} = \"{cell}\" "));
                    }
                }
            }
        }
        text.push('\n');
    }
    push(
        out,
        budget,
        Derived {
            region: Region {
                first_line: region.first_line,
                text,
            },
            clamp: None,
            how: TABLE,
        },
    );
}

#[cfg(test)]
mod run_tests {
    use super::next_run;

    #[test]
    fn runs_are_maximal_and_none_is_skipped() {
        // Every maximal run of 14+ base64 characters, compared with a byte-by-byte walk.
        let texts: [&[u8]; 5] = [
            b"short words only, nothing long here at all",
            b"key: dXNlcjpwYXNzd29yZA== and abcdefghijklmn!",
            b"abcdefghijklmnopqrstuvwxyz",
            b"x=abcdefghijklm;abcdefghijklmn;ab",
            b"=========abcdefghijklmnop===qrstuvwxyzabcdef",
        ];
        for t in texts {
            let mut want = Vec::new();
            let mut i = 0;
            while i < t.len() {
                if super::is_b64(t[i]) {
                    let s = i;
                    while i < t.len() && super::is_b64(t[i]) {
                        i += 1;
                    }
                    if i - s >= 14 {
                        want.push((s, i));
                    }
                } else {
                    i += 1;
                }
            }
            let mut got = Vec::new();
            let mut from = 0;
            while let Some((s, e)) = next_run(t, from, 14) {
                got.push((s, e));
                from = e;
            }
            assert_eq!(got, want, "{}", String::from_utf8_lossy(t));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region(text: &str) -> Vec<Region> {
        vec![Region {
            first_line: 1,
            text: text.to_owned(),
        }]
    }

    #[test]
    fn base64_values_are_decoded_beside_their_key() {
        let d = derive(
            "k8s/secret.yaml",
            &region("data:\n  token: Z2hwX2FiY2RlZmdoaWprbG1u\n"),
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].region.text, "  token: ghp_abcdefghijklmn");
        assert_eq!(d[0].clamp, Some((2, 2)));
    }

    #[test]
    fn binary_and_short_values_are_not_decoded() {
        assert!(decode_text("sha512AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").is_none());
        assert!(decode_text("YWJj").is_none());
        assert!(derive(
            "a.txt",
            &region("integrity sha512-3q2+7w8AAAABAAAAAgAAAAMAAAAEAAAABQ==")
        )
        .is_empty());
    }

    #[test]
    fn notebook_lines_and_commented_keys_are_joined() {
        let nb = "   \"source\": [\n    \"key = \\\"\\\"\\\"\\n\",\n    \"-----BEGIN RSA PRIVATE KEY-----\\n\",\n    \"MIIE\\n\"\n   ]";
        let d = derive("k.ipynb", &region(nb));
        let joined = d.iter().find(|d| d.how == ESCAPED).unwrap();
        assert_eq!(joined.region.first_line, 2);
        assert_eq!(
            joined.region.text,
            "key = \"\"\"\n-----BEGIN RSA PRIVATE KEY-----\nMIIE"
        );
        let c = derive(
            "d.py",
            &region("# -----BEGIN RSA PRIVATE KEY-----\n# MIIE\n# -----END RSA PRIVATE KEY-----"),
        );
        assert!(c
            .iter()
            .any(|d| d.how == COMMENTED && d.region.text.starts_with("-----BEGIN")));
    }

    #[test]
    fn concatenated_and_padded_pem_lines_are_read() {
        let cs = "var key = \"-----BEGIN RSA PRIVATE KEY-----\\n\" +\n    \"MIIE\\n\" +\n    \"-----END RSA PRIVATE KEY-----\";";
        let d = derive("Keys.cs", &region(cs));
        assert!(d.iter().any(|d| d.region.first_line == 1
            && d.region.text
                == "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----"));
        let padded = derive(
            "k.pem",
            &region("-----BEGIN RSA PRIVATE KEY-----  \nMIIE \n-----END RSA PRIVATE KEY-----"),
        );
        assert!(padded.iter().any(|d| d.region.text
            == "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----"));
    }

    /// Untrusted text of any shape: no panic (slicing stays on character boundaries).
    #[test]
    fn arbitrary_text_never_panics() {
        let pieces = [
            "-----BEGIN ",
            "KEY-----",
            "\\n",
            "\"",
            "'",
            "= ",
            "é",
            "€",
            "Z2hw",
            "==",
            "# ",
            "> ",
            "+ ",
            ",",
            "\t",
            "\n",
            "password",
            "%s",
            "<a>",
            "[",
            "]",
            "QUJD",
            "AAAA",
        ];
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..3000 {
            let mut t = String::new();
            for _ in 0..(x % 40) {
                x = x
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                t.push_str(pieces[(x >> 33) as usize % pieces.len()]);
            }
            for path in ["a.csv", "b.ipynb", "c.txt"] {
                let _ = derive(path, &region(&t));
            }
            let _ = crate::rules::validate::placeholder::is_placeholder(&t);
        }
    }

    #[test]
    fn csv_rows_become_assignments() {
        let d = derive(
            "logins.csv",
            &region("url,username,password\nhttps://a/,bob,Zq8#vLm2\n"),
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].region.text, "\npassword = \"Zq8#vLm2\" \n\n");
    }
}
