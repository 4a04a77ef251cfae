//! Compile-time rewrites of rule patterns that keep what they match on token text and let the
//! regex crate's fast engines run. A Unicode word boundary (`\b`) makes the lazy DFA give up at the
//! first non-ASCII byte of a haystack, and the search then falls back to the Pike VM, the slowest
//! engine, over the whole text (74% of a directory scan's time, #15). Token alphabets are ASCII, so
//! an ASCII boundary (`(?-u:\b)`) is the boundary the rules mean.

use std::borrow::Cow;

/// `pattern` with every `\b` outside a character class made ASCII. Everything else is copied as it
/// is; `\B` stays Unicode (its ASCII form could match inside a character, which `Regex` refuses).
pub fn ascii_word_boundaries(pattern: &str) -> Cow<'_, str> {
    if !pattern.contains("\\b") {
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
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Whether no match of `pattern` can hold a line feed, judged from its text, erring towards "no":
/// no `\s`, `\W`, `\D`, `\p`/`\P`, `\n`, hex/Unicode/octal escapes, negated or POSIX classes,
/// `s` flag, or control character. The scanner may then search only the lines around a keyword
/// of such a rule (#15), since a match of it lies within one line.
pub fn line_local(pattern: &str) -> bool {
    let b = pattern.as_bytes();
    if b.iter().any(|&c| c < 0x20) || pattern.contains("[^") || pattern.contains("[:") {
        return false;
    }
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'\\' => {
                // The escaped character; an escaped backslash is skipped as a pair below.
                let n = b.get(i + 1).copied().unwrap_or(b'\\');
                if matches!(
                    n,
                    b's' | b'W' | b'D' | b'p' | b'P' | b'n' | b'x' | b'u' | b'U'
                ) || n.is_ascii_digit()
                {
                    // Unless this backslash is itself escaped (`\\s` is a backslash, then `s`).
                    let escaped = b[..i].iter().rev().take_while(|&&x| x == b'\\').count() % 2 == 1;
                    if !escaped {
                        return false;
                    }
                }
            }
            b'(' if b.get(i + 1) == Some(&b'?') => {
                let flags = b[i + 2..]
                    .iter()
                    .take_while(|x| x.is_ascii_alphabetic() || **x == b'-');
                // `(?P<name>` and `(?<name>` are groups, not flags.
                if b.get(i + 2) != Some(&b'P') && flags.clone().any(|&x| x == b's') {
                    return false;
                }
            }
            _ => {}
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::ascii_word_boundaries as ascii;
    use super::line_local;

    #[test]
    fn line_local_patterns_cannot_match_a_line_feed() {
        assert!(line_local(r"\bghp_[A-Za-z0-9]{36}\b"));
        assert!(line_local(r"(?i:token)[ \t]*=[ \t]*(?P<secret>[a-z]{8})"));
        assert!(line_local(r"\\s"));
        for multi in [
            r"a\sb",
            r"a[^b]c",
            r"(?s)a.b",
            r"(?is:a.b)",
            r"a\nb",
            r"a\x0ab",
            r"a\Wb",
            r"a\pCb",
            r"[[:space:]]",
            "a\nb",
            r"\\\s",
            r"a\Db",
        ] {
            assert!(!line_local(multi), "{multi}");
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
