//! The one place untrusted text is made safe for a terminal. File names, commit subjects, author
//! names, ref names, allow reasons and repository config text can hold escape sequences (ESC, OSC 8
//! links, CR to overwrite a line, bidi overrides that reorder what is shown); every reporter passes
//! them through [`terminal`] (one-line fields) or [`terminal_lines`] (text that may span lines).
//! Like Git's `core.quotePath`, such characters are shown visibly (`\x1b`, `\u{202e}`), never sent.
//!
//! Not here: shell quoting of paths inside printed commands (`coaching`, with `shlex`), and JSON or
//! SARIF output, which serde already escapes.
use std::borrow::Cow;
use std::fmt::Write as _;

/// Bidi embeddings, overrides and isolates plus the implicit marks: they reorder or hide what the
/// terminal shows ("Trojan Source"). U+2028/U+2029 act as line breaks in some renderers.
fn is_bidi_or_separator(c: char) -> bool {
    matches!(
        c,
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
            | '\u{2028}' | '\u{2029}'
    )
}

fn needs_escape(c: char, keep_newline: bool) -> bool {
    // `is_control` is Unicode Cc: every C0 control, DEL and every C1 control (U+0080–U+009F).
    (c.is_control() && !(keep_newline && c == '\n')) || is_bidi_or_separator(c)
}

fn escape(s: &str, keep_newline: bool) -> Cow<'_, str> {
    if !s.chars().any(|c| needs_escape(c, keep_newline)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !needs_escape(c, keep_newline) {
            out.push(c);
            continue;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_ascii() => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
        }
    }
    Cow::Owned(out)
}

/// One-line untrusted text (a path, a ref, a commit subject): every control character, newline
/// included, and every bidi control is shown escaped.
pub fn terminal(s: &str) -> Cow<'_, str> {
    escape(s, false)
}

/// Like [`terminal`], but keeps newlines: for text coach itself lays out over several lines (a
/// config listing, an error chain). Every other control character is still escaped.
pub fn terminal_lines(s: &str) -> Cow<'_, str> {
    escape(s, true)
}

/// Untrusted free text shown as a quotation: in double quotes, with `"` and `\` escaped so the text
/// cannot appear to end the quotation, and with controls escaped as in [`terminal`].
pub fn quoted(s: &str) -> String {
    let inner = s.replace('\\', "\\\\").replace('"', "\\\"");
    format!("\"{}\"", terminal(&inner))
}

/// A remote URL without its userinfo (`https://user:token@host/x` → `https://host/x`), for anything
/// coach prints or stores: Git hands hooks the URL as typed, credentials included. URLs without
/// credentials are returned unchanged, so ledger identities stay stable.
pub fn strip_credentials(url: &str) -> String {
    if let Ok(mut parsed) = url::Url::parse(url) {
        if !parsed.username().is_empty() || parsed.password().is_some() {
            if parsed.set_password(None).is_ok() && parsed.set_username("").is_ok() {
                return parsed.to_string();
            }
        } else if parsed.has_host() || parsed.scheme() == "file" || !url.contains('@') {
            return url.to_owned();
        }
        // Else no authority was found (`u:tok@host:path` reads as scheme `u`): cut below.
    }
    // Not a URL the parser accepts (scp-like `user@host:path`, or malformed): cut conservatively,
    // since over-cutting a printed URL costs little and under-cutting leaks a token.
    match url.split_once("://") {
        Some((scheme, rest)) => match rest.rsplit_once('@') {
            Some((_, host)) => format!("{scheme}://{host}"),
            None => url.to_owned(),
        },
        // `git@host:path` names an ssh user, not a secret; `user:token@host:path` holds one.
        None => match url.split_once('@') {
            Some((user, host)) if user.contains(':') => host.to_owned(),
            _ => url.to_owned(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What no escaped output may contain: any C0 byte except the newline `keep` allows, DEL, C1
    /// controls and bidi controls.
    fn is_forbidden(c: char, keep_newline: bool) -> bool {
        let c0 = (c as u32) < 0x20 && !(keep_newline && c == '\n');
        c0 || c == '\x7f' || ('\u{80}'..='\u{9f}').contains(&c) || is_bidi_or_separator(c)
    }

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        assert!(matches!(terminal("src/app/.env"), Cow::Borrowed(_)));
        assert_eq!(terminal("naïve/café 日本.txt"), "naïve/café 日本.txt");
    }

    #[test]
    fn controls_are_shown_visibly() {
        assert_eq!(
            terminal("a\x1b]8;;http://x\x07b\x1b[31m"),
            "a\\x1b]8;;http://x\\x07b\\x1b[31m"
        );
        assert_eq!(terminal("x\ry\tz\nw\x7f\0"), "x\\ry\\tz\\nw\\x7f\\x00");
        assert_eq!(
            terminal("\u{9b}31m \u{202e}gpj.exe"),
            "\\u{9b}31m \\u{202e}gpj.exe"
        );
        assert_eq!(terminal_lines("one\ntwo\x1b"), "one\ntwo\\x1b");
    }

    #[test]
    fn quotations_cannot_be_closed_early() {
        assert_eq!(quoted("ok"), "\"ok\"");
        assert_eq!(
            quoted("x\" then\n$ curl y|sh \\"),
            "\"x\\\" then\\n$ curl y|sh \\\\\""
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        // Any Unicode string: the escaped form holds no control or bidi character.
        #[test]
        fn one_line_output_has_no_controls(s in any::<String>()) {
            let out = terminal(&s);
            prop_assert!(!out.chars().any(|c| is_forbidden(c, false)), "{out:?}");
            let q = quoted(&s);
            prop_assert!(!q.chars().any(|c| is_forbidden(c, false)), "{q:?}");
        }

        #[test]
        fn multi_line_output_keeps_only_newlines(s in any::<String>()) {
            let out = terminal_lines(&s);
            prop_assert!(!out.chars().any(|c| is_forbidden(c, true)), "{out:?}");
            prop_assert_eq!(out.matches('\n').count(), s.matches('\n').count());
        }

        // Control-heavy strings: the inputs an attacker would pick, far likelier than in any::<String>.
        #[test]
        fn control_heavy_input_is_escaped(
            s in proptest::collection::vec(
                prop_oneof![
                    (0u32..0x20).prop_map(|b| char::from_u32(b).unwrap_or('?')),
                    Just('\x7f'),
                    (0x80u32..0xa0).prop_map(|b| char::from_u32(b).unwrap_or('?')),
                    prop::sample::select(vec!['\u{202a}', '\u{202e}', '\u{2066}', '\u{2069}',
                        '\u{200e}', '\u{200f}', '\u{061c}', '\u{2028}']),
                    any::<char>(),
                ],
                0..64,
            ).prop_map(|v| v.into_iter().collect::<String>())
        ) {
            let out = terminal(&s);
            prop_assert!(!out.bytes().any(|b| b < 0x20 || b == 0x7f), "{out:?}");
            prop_assert!(!out.chars().any(|c| is_forbidden(c, false)), "{out:?}");
            // Nothing is dropped: text without controls comes back as it was.
            if !s.chars().any(|c| is_forbidden(c, false)) {
                prop_assert_eq!(out.as_ref(), s.as_str());
            }
        }
    }
    #[test]
    fn credentials_are_stripped_from_remote_urls() {
        assert_eq!(
            strip_credentials("https://bob:ghp_x@github.com/o/r.git"),
            "https://github.com/o/r.git"
        );
        assert_eq!(
            strip_credentials("https://github.com/o/r.git"),
            "https://github.com/o/r.git"
        );
        assert_eq!(
            strip_credentials("ssh://git@host:22/o/r"),
            "ssh://host:22/o/r"
        );
        assert_eq!(
            strip_credentials("git@github.com:o/r.git"),
            "git@github.com:o/r.git"
        );
        // See: #10. A token as the user name, an unencoded `@`, a malformed URL, scp-like syntax.
        assert_eq!(
            strip_credentials("https://ghp_x@github.com/o/r"),
            "https://github.com/o/r"
        );
        assert_eq!(strip_credentials("https://u:p@ss@host/r"), "https://host/r");
        assert_eq!(strip_credentials("https://u:a/b@host/r"), "https://host/r");
        assert_eq!(strip_credentials("u:tok@host:r.git"), "host:r.git");
        assert_eq!(strip_credentials("origin"), "origin");
        assert_eq!(
            strip_credentials("file:///tmp/x@y/r.git"),
            "file:///tmp/x@y/r.git"
        );
    }
}
