//! Compile-time rewrites of rule patterns that keep what they match on token text and let the
//! regex crate's fast engines run. A Unicode word boundary (`\b`) makes the lazy DFA give up at the
//! first non-ASCII byte of a haystack, and the search then falls back to the Pike VM, the slowest
//! engine, over the whole text (74% of a directory scan's time, #15). Token alphabets are ASCII, so
//! an ASCII boundary (`(?-u:\b)`) is the boundary the rules mean.

use std::borrow::Cow;

/// `pattern` with every `\b` outside a character class made ASCII, and every case-insensitive
/// group of plain ASCII words (`(?i:access|auth)`) folded as ASCII: Unicode folding adds `K` (Kelvin
/// sign) to `k` and `ſ` to `s`, multi-byte branches that made a generic rule's automata about a
/// fifth more costly to build (#15). Everything else is copied as it is; `\B` stays Unicode (its
/// ASCII form could match inside a character, which `Regex` refuses).
pub fn ascii_word_boundaries(pattern: &str) -> Cow<'_, str> {
    if !pattern.contains("\\b") && !pattern.contains("(?i:") {
        return Cow::Borrowed(pattern);
    }
    let mut out = String::with_capacity(pattern.len() + 32);
    // Nesting depth of character classes (`[a-z[0-9]]`); `\b` means a backspace or nothing there.
    let mut class = 0usize;
    let mut chars = pattern.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                let Some((_, n)) = chars.next() else {
                    out.push(c);
                    break;
                };
                if n == 'b' && class == 0 {
                    out.push_str("(?-u:\\b)");
                } else {
                    out.push(c);
                    out.push(n);
                }
            }
            '[' => {
                out.push(c);
                if class > 0 && pattern[i + 1..].starts_with(':') {
                    // `[:alpha:]`: copy through its closing `:]`.
                    if let Some(end) = pattern[i + 1..].find(":]") {
                        out.push_str(&pattern[i + 1..i + 1 + end + 2]);
                        for _ in 0..end + 2 {
                            chars.next();
                        }
                    }
                    continue;
                }
                class += 1;
                // A `]` first in a class (after an optional `^`) is a literal.
                if chars.peek().is_some_and(|&(_, n)| n == '^') {
                    out.push('^');
                    chars.next();
                }
                if chars.peek().is_some_and(|&(_, n)| n == ']') {
                    out.push(']');
                    chars.next();
                }
            }
            ']' if class > 0 => {
                class -= 1;
                out.push(c);
            }
            '(' if class == 0 && ascii_words_group(&pattern[i..]) => {
                out.push_str("(?i-u:");
                for _ in 0.."?i:".len() {
                    chars.next();
                }
            }
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Whether `rest` opens a group `(?i:...)` whose body up to its `)` is only ASCII letters, digits,
/// `_`, `-` and `|`: words that match ASCII text alone however they are folded.
fn ascii_words_group(rest: &str) -> bool {
    rest.strip_prefix("(?i:")
        .and_then(|body| body.split_once(')'))
        .is_some_and(|(body, _)| {
            !body.is_empty()
                && body
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'|'))
        })
}

/// How far from a keyword occurrence a match of a rule's pattern can reach, which bounds the text
/// the scanner must search around each keyword hit (#15). Judged on the parsed pattern; anything
/// that cannot be judged is [`Reach::Whole`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// A match holds at most this many line feeds besides its first and last character: the
    /// keyword's line and this many lines on each side, with the line feeds around them, hold
    /// every match. `Lines(0)`: one line.
    Lines(usize),
    /// No match is longer than this many bytes.
    Bytes(usize),
    /// Unbounded, or anchored to the start or end of the text: only the whole text will do.
    Whole,
}

/// Longest bounded reach searched as a window; longer bounds search the whole text.
const MAX_REACH: usize = 4096;
/// Most lines on each side of a keyword searched as a window.
const MAX_LINES: usize = 8;

/// The [`Reach`] of `pattern`.
pub fn reach(pattern: &str) -> Reach {
    match regex_syntax::parse(pattern) {
        Ok(hir) => reach_of(&hir),
        Err(_) => Reach::Whole,
    }
}

/// The [`Reach`] of a parsed pattern. Word boundaries do not change it and ASCII folding can only
/// shorten a byte reach, so the reach of a pattern's ASCII form ([`ascii_word_boundaries`]) bounds
/// the matches the form that runs can make.
pub fn reach_of(hir: &regex_syntax::hir::Hir) -> Reach {
    use regex_syntax::hir::Look;
    // A window ends just after a line feed. A match of a line-edged pattern cannot reach an end
    // anchor there (the line feed would be inside it), but any other pattern's `\z` or
    // `$` (without (?m)) could match at a window's end. A window's start is searched with the text
    // before it in view, so `\A` and `^` keep their meaning.
    if line_edges(hir) {
        return Reach::Lines(0);
    }
    if hir.properties().look_set().contains(Look::End) {
        return Reach::Whole;
    }
    if let Some(k) = max_lf(hir).filter(|&k| k <= MAX_LINES) {
        return Reach::Lines(k);
    }
    match hir.properties().maximum_len() {
        Some(n) if n <= MAX_REACH => Reach::Bytes(n),
        _ => Reach::Whole,
    }
}

/// Whether a match of `h` holds a line feed only as its first or last character.
fn line_edges(h: &regex_syntax::hir::Hir) -> bool {
    use regex_syntax::hir::HirKind;
    match h.kind() {
        HirKind::Concat(parts) => match parts.as_slice() {
            [] => true,
            [one] => line_edges(one),
            [first, middle @ .., last] => {
                edge(first, true) && edge(last, false) && middle.iter().all(|m| !has_lf(m))
            }
        },
        HirKind::Alternation(alts) => alts.iter().all(line_edges),
        HirKind::Capture(c) => line_edges(&c.sub),
        HirKind::Repetition(r) => !has_lf(&r.sub) || (r.max == Some(1) && line_edges(&r.sub)),
        HirKind::Literal(l) => l.0.len() < 2 || !l.0[1..l.0.len() - 1].contains(&b'\n'),
        HirKind::Empty | HirKind::Look(_) | HirKind::Class(_) => true,
    }
}

/// Whether a match of `h` holds a line feed only as its first (`front`) or last character.
fn edge(h: &regex_syntax::hir::Hir, front: bool) -> bool {
    use regex_syntax::hir::HirKind;
    match h.kind() {
        HirKind::Concat(parts) => {
            let (end, rest) = if front {
                match parts.split_first() {
                    Some((e, r)) => (e, r),
                    None => return true,
                }
            } else {
                match parts.split_last() {
                    Some((e, r)) => (e, r),
                    None => return true,
                }
            };
            edge(end, front) && rest.iter().all(|m| !has_lf(m))
        }
        HirKind::Alternation(alts) => alts.iter().all(|a| edge(a, front)),
        HirKind::Capture(c) => edge(&c.sub, front),
        HirKind::Repetition(r) => !has_lf(&r.sub) || (r.max == Some(1) && edge(&r.sub, front)),
        HirKind::Literal(l) => {
            let inner = if front {
                &l.0[1.min(l.0.len())..]
            } else {
                &l.0[..l.0.len().saturating_sub(1)]
            };
            !inner.contains(&b'\n')
        }
        HirKind::Empty | HirKind::Look(_) | HirKind::Class(_) => true,
    }
}

/// The most line feeds a match of `h` can hold; `None`: unbounded.
fn max_lf(h: &regex_syntax::hir::Hir) -> Option<usize> {
    use regex_syntax::hir::HirKind;
    match h.kind() {
        HirKind::Empty | HirKind::Look(_) => Some(0),
        HirKind::Literal(l) => Some(l.0.iter().filter(|&&b| b == b'\n').count()),
        HirKind::Class(_) => Some(usize::from(has_lf(h))),
        HirKind::Repetition(r) => match max_lf(&r.sub)? {
            0 => Some(0),
            k => k.checked_mul(r.max? as usize),
        },
        HirKind::Capture(c) => max_lf(&c.sub),
        HirKind::Concat(v) => v.iter().try_fold(0usize, |a, h| a.checked_add(max_lf(h)?)),
        HirKind::Alternation(v) => v.iter().try_fold(0usize, |a, h| Some(a.max(max_lf(h)?))),
    }
}

/// Whether any match of `h` can hold a line feed.
fn has_lf(h: &regex_syntax::hir::Hir) -> bool {
    use regex_syntax::hir::{Class, HirKind};
    match h.kind() {
        HirKind::Empty | HirKind::Look(_) => false,
        HirKind::Literal(l) => l.0.contains(&b'\n'),
        HirKind::Class(Class::Unicode(c)) => c
            .ranges()
            .iter()
            .any(|r| r.start() <= '\n' && '\n' <= r.end()),
        HirKind::Class(Class::Bytes(c)) => c
            .ranges()
            .iter()
            .any(|r| r.start() <= b'\n' && b'\n' <= r.end()),
        HirKind::Repetition(r) => has_lf(&r.sub),
        HirKind::Capture(c) => has_lf(&c.sub),
        HirKind::Concat(v) | HirKind::Alternation(v) => v.iter().any(has_lf),
    }
}

#[cfg(test)]
mod tests {
    use super::ascii_word_boundaries as ascii;
    use super::{reach, Reach};

    #[test]
    fn a_reach_holds_every_match() {
        for line in [
            r"\bghp_[A-Za-z0-9]{36}\b",
            r"(?i:token)[ \t]*=[ \t]*(?P<secret>[a-z]{8})",
            r"\\s",
            r"a[^b\n]*c",
            // A line feed only as the first or last character: inside the window's line feeds.
            r"(?:^|[^A-Za-z])(?i:line)[a-z]{0,30}?=(?P<secret>[a-f0-9]{32})(?:[^a-z]|$)",
            r"(?m)^key=(?P<secret>[^\s#]+)\r?$",
            r"\s-u[ \t]*x",
            r"^a",
            r"(?P<secret>[A-Za-z0-9+/]{150,200}=?)(?:[^A-Za-z0-9+/=]|$)",
        ] {
            assert_eq!(reach(line), Reach::Lines(0), "{line}");
        }
        assert_eq!(reach(r"a\sb"), Reach::Lines(1));
        assert_eq!(
            reach(r"(?m)(?i:password):[ \t]*\|\r?\n[ \t]*(?P<secret>[^\s]*[0-9][^\s]*)[ \t]*\r?$"),
            Reach::Lines(1)
        );
        assert!(matches!(
            reach(r"(?i:token)[\s\S]{0,100}?\bEAAA[a-z]{60}"),
            Reach::Bytes(n) if (169..=600).contains(&n)
        ));
        for whole in [
            r"a[^b]*c",
            r"(?s)a.*b",
            r"\A[ \t]*(?P<secret>[0-9a-f]{32})[ \t]*(?:\r?\n)?\z",
            r"a\sb$",
            r"a\sb[\s\S]{0,5000}",
        ] {
            assert_eq!(reach(whole), Reach::Whole, "{whole}");
        }
    }

    #[test]
    fn word_boundaries_outside_classes_become_ascii() {
        assert_eq!(ascii(r"\bghp_[a-z]{4}\b"), r"(?-u:\b)ghp_[a-z]{4}(?-u:\b)");
        assert_eq!(ascii(r"[\b]\b"), r"[\b](?-u:\b)");
        assert_eq!(ascii(r"[]\b]\b"), r"[]\b](?-u:\b)");
        assert_eq!(ascii(r"[^]a]\b"), r"[^]a](?-u:\b)");
        assert_eq!(ascii(r"[[:alpha:]\b]\b"), r"[[:alpha:]\b](?-u:\b)");
        assert_eq!(ascii(r"\\b\B"), r"\\b\B");
        assert_eq!(ascii(r"a\"), r"a\");
        assert_eq!(ascii("no boundary"), "no boundary");
    }

    #[test]
    fn case_insensitive_ascii_word_groups_fold_as_ascii() {
        assert_eq!(ascii(r"(?i:token|api-key)=x"), r"(?i-u:token|api-key)=x");
        assert_eq!(ascii(r"\b(?i:sk)"), r"(?-u:\b)(?i-u:sk)");
        // Anything else in the group, a class, an escape or an unclosed group: left as written.
        for same in [
            r"(?i:tok.n)",
            r"(?i:a(?:b))",
            r"[(?i:ab)]",
            r"\(?i:ab)",
            r"(?i:ab",
            r"(?i:)",
            "(?i:é)",
        ] {
            assert_eq!(ascii(same), same);
        }
        // The same matches, except the two Unicode-only folds (ſ for s, the Kelvin sign for k).
        let re = |p: &str| regex::Regex::new(p).unwrap();
        let (u, a) = (r"(?i:secret|key)", ascii(r"(?i:secret|key)"));
        for text in [
            "SECRET",
            "Key",
            "sEcReT",
            "kex",
            "\u{17f}ecret",
            "\u{212a}ey",
        ] {
            let want = re(u).is_match(text) && text.is_ascii();
            assert_eq!(re(&a).is_match(text), want, "{text}");
        }
    }

    #[test]
    fn the_rewrite_matches_tokens_as_before() {
        let re = |p: &str| regex::Regex::new(p).unwrap();
        let (u, a) = (r"\bghp_[A-Za-z0-9]{8}\b", ascii(r"\bghp_[A-Za-z0-9]{8}\b"));
        for text in [
            "x ghp_abcdEFGH y",
            "é ghp_abcdEFGH é",
            "\"ghp_abcdEFGH\"",
            "aghp_abcdEFGH",
        ] {
            assert_eq!(
                re(u).find(text).map(|m| m.range()),
                re(&a).find(text).map(|m| m.range())
            );
        }
    }
}
